#!/usr/bin/env bats
# tribench-mpi (issue 15): two ranks on this machine through Open MPI's
# mpirun. Where configure found no MPI (no tribench-mpi) or mpirun is
# missing, every test here reports a skip saying so, never a pass.
load helpers

TRIBENCH_MPI=${TRIBENCH_MPI:-$BATS_TEST_DIRNAME/../../tribench-mpi}

# mpirun as root on a 2-CPU VM: root needs the two OMPI_ALLOW_* variables,
# and --oversubscribe lets 2 ranks (plus Open MPI's own threads) start.
mpi() {
	OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
		mpirun --oversubscribe --bind-to none "$@"
}

need_mpi() {
	[ -x "$TRIBENCH_MPI" ] || skip "tribench-mpi is not built (configure found no MPI: install libopenmpi-dev)"
	command -v mpirun >/dev/null || skip "mpirun is not installed (openmpi-bin)"
	[ "$(nproc)" -ge 2 ] || skip "needs 2 usable CPUs, one per rank"
}

# rank_pid N: the pid of MPI rank N of this build's tribench-mpi (its
# OMPI_COMM_WORLD_RANK, its parent not a tribench-mpi: not a task, the
# watchdog or the launcher), or nothing.
rank_pid() {
	local pid ppid comm exe
	exe=$(readlink -f "$TRIBENCH_MPI")
	while read -r pid ppid comm; do
		[ "$comm" = tribench-mpi ] && [ "$(readlink -f "/proc/$pid/exe" 2>/dev/null)" = "$exe" ] || continue
		[ "$(ps -o comm= -p "$ppid" 2>/dev/null)" = tribench-mpi ] && continue
		tr '\0' '\n' 2>/dev/null <"/proc/$pid/environ" | grep -qx "OMPI_COMM_WORLD_RANK=$1" || continue
		echo "$pid"
		return 0
	done < <(ps -eo pid=,ppid=,comm=)
}

# wait_tasks N: until rank N runs a task, 10 s at most; prints the rank's
# pid. The launcher (tribench-spawn) starts tasks as the rank's children
# (CLONE_PARENT), named as itself until they exec: two of them, a task runs.
wait_tasks() {
	local pid
	for _ in $(seq 100); do
		pid=$(rank_pid "$1")
		if [ -n "$pid" ] && [ "$(pgrep -P "$pid" -x tribench-spawn | wc -l)" -ge 2 ]; then
			echo "$pid"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

@test "tribench itself never links libmpi" {
	need_mpi
	! ldd "$TRIBENCH" | grep -i mpi
	ldd "$TRIBENCH_MPI" | grep -q libmpi
}

@test "two ranks: ranks[] has both, parallel tasks on both ranks on distinct PUs, serial on rank 0" {
	need_mpi
	mpi -n 2 "$TRIBENCH_MPI" run -t cpu:ms=50,count=8 -m serial,parallel --runs 2 --warmup 0 -q -o r.json
	validate r.json
	[ "$(jqr r.json '.ranks | length')" -eq 2 ]
	jq -e '[.ranks[] | .rank] == [0, 1]' r.json
	jq -e '[.ranks[] | .answered and (.cpu_s > 0) and (.host.hostname | type == "string")
		and (.containment | IN("cgroup", "pgroup")) and (.calibration | type == "object")] | all' r.json
	jq -e '.ranks[1].plans | length == 1 and .[0].jobs == 0' r.json
	local par='.workloads[0].modes[] | select(.mode == "parallel")'
	# each rank one of the two cores; jobs counts both
	jq -e "$par | .jobs == 2" r.json
	jq -e "[$par | .runs[] | .tasks[] | .rank] | unique == [0, 1]" r.json
	jq -e "[$par | .runs[0].tasks[] | {rank, cpuset}] | unique | length == 2
		and ([.[].cpuset] | unique | length == 2)" r.json
	jq -e '[.workloads[0].modes[] | select(.mode == "serial") | .runs[].tasks[].rank] | unique == [0]' r.json
	# one t0 for the run: every task inside the run's wall, which is the longest rank's
	jq -e "[$par | .runs[] | .wall_s as \$w | .tasks[] | .start_s >= 0 and .end_s <= \$w + 1e-6] | all" r.json
	jq -e "[$par | .runs[] | .tasks[] | .exit.status == \"exited\" and .cpus_seen == [(.cpuset | tonumber)]]
		| all" r.json
}

@test "an idle rank waits without spinning: rank 1's CPU time during 2 s of serial sleeps" {
	need_mpi
	mpi -n 2 "$TRIBENCH_MPI" run -t sleep:ms=500,count=4 -m serial --runs 1 --warmup 0 -q -o r.json
	jq -c '{wall: .workloads[0].modes[0].runs[0].wall_s, ranks: [.ranks[] | {rank, cpu_s}]}' r.json
	# a rank blocked in MPI_Recv would spin a whole core: ~2 s of CPU
	jq -e '.workloads[0].modes[0].runs[0].wall_s >= 2 and .ranks[1].cpu_s < 0.5' r.json
	# and no task ran there
	jq -e '[.workloads[0].modes[0].runs[0].tasks[].rank] | unique == [0]' r.json
}

@test "--results and --sample-tasks are refused under tribench-mpi: one line, exit 2, nothing made" {
	need_mpi
	run mpi -n 2 "$TRIBENCH_MPI" run -t cpu:ms=10 --results out -q -o r.json
	[ "$status" -ne 0 ]
	[[ "$output" == *"tribench: --results is not supported by tribench-mpi"* ]]
	[ ! -e out ] && [ ! -e r.json ]
	run mpi -n 2 "$TRIBENCH_MPI" run -t cpu:ms=10 --sample-tasks -q -o r.json
	[ "$status" -ne 0 ]
	[[ "$output" == *"--sample-tasks is not supported by tribench-mpi"* ]]
	[ ! -e r.json ]
	run mpi -n 2 "$TRIBENCH_MPI" run -t cpu:ms=10 --policy list:0-1 -q -o r.json
	[ "$status" -ne 0 ]
	[[ "$output" == *"--policy list: is not supported by tribench-mpi"* ]]
	[ ! -e r.json ]
	# under mpirun a rank's stdout is a terminal: without -o the report would be lost
	run mpi -n 2 "$TRIBENCH_MPI" run -t cpu:ms=10 -q
	[ "$status" -ne 0 ]
	[[ "$output" == *"tribench-mpi needs -o FILE"* ]]
	[ "$(printf '%s\n' "$output" | grep -c '^tribench:')" -eq 1 ]
}

@test "run is the default command under tribench-mpi too; --cpu names rank 0's PU (the others ignore it)" {
	need_mpi
	mpi -n 2 "$TRIBENCH_MPI" -t cpu:ms=20,count=4 -m serial,parallel --cpu 0 --runs 1 --warmup 0 -q -o r.json
	jq -e '.ranks | length == 2' r.json
	jq -e '[.workloads[0].modes[] | select(.mode == "serial") | .runs[0].tasks[] | .cpuset] | unique == ["0"]' r.json
	jq -e '[.workloads[0].modes[] | select(.mode == "parallel") | .runs[0].tasks[] | .rank] | unique == [0, 1]' r.json
}

@test "more ranks on a host than cores: one line naming the host, and nothing runs" {
	need_mpi
	local cores
	cores=$("$TRIBENCH" topology | jq .usable_cores)
	run mpi -n $((cores + 1)) "$TRIBENCH_MPI" run -t cpu:ms=10 -q -o r.json
	[ "$status" -ne 0 ]
	[[ "$output" == *"$((cores + 1)) ranks on host"*"usable cores"* ]]
	[ ! -e r.json ]
}

@test "other commands run on rank 0 alone: plan, --dry-run, help" {
	need_mpi
	run mpi -n 2 "$TRIBENCH_MPI" plan -m parallel
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | jq -s length)" -eq 1 ]
	run mpi -n 2 "$TRIBENCH_MPI" run --dry-run -t cpu:ms=10
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c '^workload')" -eq 1 ]
}

@test "a rank SIGKILLed mid-run: mpirun exits non-zero, rank 0's report is valid and interrupted, nothing left" {
	need_mpi
	local t0 t1 pid
	# kill timeout 2 s: mpirun sends SIGCONT at once, SIGTERM 2 s later, SIGKILL 2 s after that
	OMPI_MCA_odls_base_sigkill_timeout=2 mpi -n 2 "$TRIBENCH_MPI" run -t cpu:ms=2000,count=8 -m parallel \
		--runs 1 --warmup 0 -q -o r.json 2>err &
	local job=$!
	pid=$(wait_tasks 1)
	sleep 0.5
	t0=$(date +%s%N)
	kill -9 "$pid"
	local rc=0
	wait "$job" || rc=$?
	t1=$(date +%s%N)
	echo "mpirun exit $rc after $(((t1 - t0) / 1000000)) ms"
	[ "$rc" -ne 0 ]
	[ $((t1 - t0)) -lt 10000000000 ]
	validate r.json
	jq -e '.interrupted' r.json
	jq -e '.warnings | any(test("MPI rank\\(s\\) 1 did not answer"))' r.json
	jq -e '.ranks[1].answered == false and .ranks[1].cpu_s == null' r.json
	# what rank 1 held is not lost silently: not started, saying why
	jq -e '[.workloads[0].modes[0].runs[0].tasks[] | select(.rank == 1 and .exit.status == "not_started")
		| .exit.error] | length >= 1 and all(test("did not report it back"))' r.json
	no_survivors "$TRIBENCH_MPI"
	no_survivors "$(dirname "$TRIBENCH_MPI")/tribench-spawn"
	! ls /sys/fs/cgroup/unified /sys/fs/cgroup 2>/dev/null | grep -q "^tribench-$pid-"
}

@test "a rank SIGKILLed between runs: rank 0 does not wait for it at the next run's start; the runs before stay" {
	need_mpi
	local pid rc=0
	OMPI_MCA_odls_base_sigkill_timeout=2 mpi -n 2 "$TRIBENCH_MPI" run -t cpu:ms=300,count=4 -m parallel \
		--runs 3 --warmup 0 --prepare 'touch "prepare.$TRIBENCH_RUN"; sleep 2' -q -o r.json 2>err &
	local job=$!
	for _ in $(seq 150); do
		[ -e prepare.2 ] && break	# run 1 is over: rank 0 is in run 2's --prepare
		sleep 0.1
	done
	[ -e prepare.2 ]
	pid=$(rank_pid 1)
	kill -9 "$pid"
	wait "$job" || rc=$?
	echo "mpirun exit $rc"
	[ "$rc" -ne 0 ]
	validate r.json
	jq -e '.interrupted and (.warnings | any(test("MPI rank\\(s\\) 1 did not answer")))' r.json
	jq -e '.workloads[0].modes[0].runs[0] | (.partial | not) and (.tasks | length == 4)
		and ([.tasks[].exit.status] | unique == ["exited"])' r.json
	no_survivors "$TRIBENCH_MPI"
}

@test "Ctrl-C to mpirun: every rank stops its tasks, rank 0 writes an interrupted report, nothing left" {
	need_mpi
	env --default-signal=INT bash -c 'OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 \
		exec mpirun --oversubscribe --bind-to none -n 2 "$0" run -t cpu:ms=3000,count=8 -m parallel \
		--runs 1 --warmup 0 -q -o r.json' "$TRIBENCH_MPI" 2>err &
	local job=$!
	wait_tasks 1
	sleep 0.5
	kill -INT "$job"
	local rc=0
	wait "$job" || rc=$?
	echo "mpirun exit $rc"
	[ "$rc" -ne 0 ]
	validate r.json
	jq -e '.interrupted' r.json
	# rank 1's tasks came back, stopped by the signal
	jq -e '[.workloads[0].modes[0].runs[0].tasks[] | select(.rank == 1 and .exit.status == "signaled")]
		| length >= 1' r.json
	no_survivors "$TRIBENCH_MPI"
}

@test "threads and coroutines stay on rank 0: their parallel entry's jobs are rank 0's slots alone" {
	need_mpi
	mpi -n 2 "$TRIBENCH_MPI" run -t cpu:ms=20,count=4 -m parallel --executor process,thread --runs 1 --warmup 0 \
		-q -o r.json
	jq -c '[.workloads[0].modes[] | {executor, jobs, ranks: ([.runs[0].tasks[].rank] | unique)}]' r.json
	jq -e '[.workloads[0].modes[] | select(.executor == "process")] | .[0].jobs == 2
		and ([.[0].runs[0].tasks[].rank] | unique == [0, 1])' r.json
	jq -e '[.workloads[0].modes[] | select(.executor == "thread")] | .[0].jobs == 1
		and ([.[0].runs[0].tasks[].rank] | unique == [0])' r.json
}
