#!/usr/bin/env bats
# tribench-mpi's acceptance speedup (issue 15), measured: 8 CPU-bound tasks
# of 200 ms, serial then parallel, through 2 ranks that split this machine's
# two cores, against the same run of tribench alone. Timing test: it runs
# alone (tests/run-test); the VM is shared, so the pair is taken again when
# it misses (3 tries at most, the try reported). Skipped, saying why, where
# configure found no MPI.
load helpers

TRIBENCH_MPI=${TRIBENCH_MPI:-$BATS_TEST_DIRNAME/../../tribench-mpi}
ARGS=(run -t cpu:ms=200,count=8 -m serial,parallel --runs 2 --warmup 0 -q)
# speedup within 10% of tribench alone's, each rank's tasks on its own PU
CLOSE='($l[0].workloads[0].modes[1].summary.speedup) as $a | (.workloads[0].modes[1].summary.speedup) as $m
	| ($m >= 0.9 * $a and $m <= 1.1 * $a)'

@test "2 ranks: parallel speedup within 10% of tribench alone's, on distinct PUs" {
	[ -x "$TRIBENCH_MPI" ] || skip "tribench-mpi is not built (configure found no MPI: install libopenmpi-dev)"
	command -v mpirun >/dev/null || skip "mpirun is not installed (openmpi-bin)"
	[ "$(nproc)" -ge 2 ] || skip "needs 2 usable CPUs, one per rank"
	local try
	for try in 1 2 3; do
		"$TRIBENCH" "${ARGS[@]}" -o local.json >/dev/null 2>&1 || true
		OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 mpirun --oversubscribe --bind-to none -n 2 \
			"$TRIBENCH_MPI" "${ARGS[@]}" -o mpi.json >/dev/null 2>&1 || true
		jq -e --slurpfile l local.json "$CLOSE" mpi.json >/dev/null && break
	done
	echo "# timing-mpi: taken on try $try of 3" >&3
	jq -c '[.workloads[0].modes[] | {mode, jobs, speedup: .summary.speedup}]' local.json mpi.json
	jq -e --slurpfile l local.json "$CLOSE" mpi.json
	jq -e '[.workloads[0].modes[1].runs[0].tasks[] | {rank, cpuset}] | unique | length == 2
		and ([.[].rank] | unique == [0, 1])' mpi.json
}
