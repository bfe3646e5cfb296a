#!/usr/bin/env bats
# --jobs sweeps: `--jobs 1,2` or `--jobs 1..N` runs the parallel mode once per
# size, each a mode entry of its own (mode, jobs, executor) with its speedup,
# efficiency and Karp-Flatt; each workload gets an Amdahl fit over the sizes.
# What a user sees: the report's entries, the table's columns and scaling
# lines, the plan, the dry run, --results, progress, hooks. No timing claims
# here (tests/e2e/timing-sweep.bats makes them).
load helpers

# entries FILE: the entries of the first workload as "mode/jobs/executor" lines
entries() {
	jqr "$1" '.workloads[0].modes[] | "\(.mode)/\(.jobs)/\(.executor)"'
}

@test "--jobs 1,2: two parallel entries, config.jobs_sweep, one Amdahl fit, schema-valid" {
	run "$TRIBENCH" -t cpu:ms=20,count=2 --jobs 1,2 -m serial,parallel --runs 2 --warmup 0 -o r.json
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(entries r.json)" = $'serial/1/process\nparallel/1/process\nparallel/2/process' ]
	[ "$(jq -c '[.config.jobs, .config.jobs_sweep]' r.json)" = '[1,[1,2]]' ]
	[ "$(jq -c '[.workloads[0].amdahl[] | [.executor, .jobs]]' r.json)" = '[["process",[1,2]]]' ]
	# every entry has a speedup, so the fit has numbers; Karp-Flatt from 2 jobs
	jqr r.json '.workloads[0].amdahl[0] | (.serial_fraction | type) == "number"
		and (.serial_fraction_se | type) == "number" and .serial_fraction_se >= 0'
	jqr r.json '[.workloads[0].modes[] | select(.mode == "parallel") | .summary.serial_fraction]
		| (.[0] == null) and (.[1] | type) == "number"'
	# efficiency is speedup per slot of each size
	jqr r.json '[.workloads[0].modes[] | select(.mode == "parallel")
		| (.summary.efficiency * .jobs - .summary.speedup) | fabs < 1e-9] | all'
	# each parallel entry's plan has its own slots
	jqr r.json '[.workloads[0].modes[] | select(.mode == "parallel") | (.plan.slots | length) == .jobs] | all'
}

@test "--jobs 1..3 gives three parallel entries; --jobs 2,1 keeps the order given" {
	"$TRIBENCH" -t cpu:ms=1 --jobs 1..3 -m parallel --runs 1 --warmup 0 -q -o r.json
	[ "$(entries r.json)" = $'parallel/1/process\nparallel/2/process\nparallel/3/process' ]
	[ "$(jq -c '.config.jobs_sweep' r.json)" = '[1,2,3]' ]
	"$TRIBENCH" -t cpu:ms=1 --jobs 2,1 -m serial,parallel --runs 1 --warmup 0 -q -o r2.json
	validate r2.json
	[ "$(entries r2.json)" = $'serial/1/process\nparallel/2/process\nparallel/1/process' ]
	[ "$(jq -c '[.config.jobs, .config.jobs_sweep, .workloads[0].amdahl[0].jobs]' r2.json)" = '[2,[2,1],[2,1]]' ]
}

@test "without a serial entry a sweep has no speedup and no fit (amdahl is empty)" {
	"$TRIBENCH" -t cpu:ms=1 --jobs 1,2 -m parallel --runs 1 --warmup 0 -q -o r.json
	validate r.json
	[ "$(jq -c '.workloads[0].amdahl' r.json)" = '[]' ]
	jqr r.json '[.workloads[0].modes[].summary.speedup] == [null, null]'
	# the table says why: no serial entry
	run "$TRIBENCH" -t cpu:ms=1 --jobs 1,2 -m parallel --runs 1 --warmup 0 -o r.json
	grep -qxF '    Amdahl serial fraction -: no serial entry to give speedups (add serial to --modes)' <<<"$output"
}

@test "a size above the tasks is measured and said: at most that many run at once; the fit's sizes as --jobs takes them" {
	run "$TRIBENCH" -t cpu:ms=1,count=2 --jobs 1..4,8 -m serial,parallel --runs 1 --warmup 0 -o r.json
	[ "$status" -eq 0 ]
	validate r.json
	for j in 3 4 8; do
		jq -e --arg w "custom/parallel/j$j: $j slots for 2 tasks: at most 2 run at once" \
			'any(.warnings[]; startswith($w))' r.json
	done
	jqr r.json '[.warnings[] | select(test("parallel/j[12]: [0-9]+ slots for"))] == []'
	jqr r.json '.workloads[0].amdahl[0].jobs == [1, 2, 3, 4, 8]'
	grep -qE '^    Amdahl serial fraction .* \(jobs 1\.\.4,8\)$' <<<"$output"
}

@test "bad --jobs: exit 2, one line naming the problem, nothing created" {
	for jobs in 1,1 0 3..1 1, ,2 1..2.5 4097 1..4097 a ''; do
		run "$TRIBENCH" -t cpu:ms=1 --jobs "$jobs" -m serial,parallel --runs 1 --warmup 0 -o r.json --results res
		[ "$status" -eq 2 ] || { echo "--jobs '$jobs': status $status" >&2; false; }
		assert_one_line_error
		grep -q -- "--jobs" <<<"$output"
		[ ! -e r.json ] && [ ! -e res ]
	done
	run "$TRIBENCH" -t cpu:ms=1 --jobs 1,1 -m parallel -o r.json
	[[ "$output" == *"1 given twice"* ]]
	# a sweep needs the parallel mode
	run "$TRIBENCH" -t cpu:ms=1 --jobs 1,2 -m serial -o r.json --results res
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"add parallel to --modes"* ]]
	[ ! -e r.json ] && [ ! -e res ]
	# a sweep's plans list every slot: its sizes add up to at most 16384
	run "$TRIBENCH" plan --jobs 1..4096
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"add up to 8390656 slots, at most 16384"* ]]
	run "$TRIBENCH" plan --jobs 1..180
	[ "$status" -eq 0 ]
	# a single size is no sweep: any modes
	run "$TRIBENCH" -t cpu:ms=1 --jobs 2 -m serial --runs 1 --warmup 0 -q -o r.json
	[ "$status" -eq 0 ]
	[ "$(jq -c '.config.jobs_sweep' r.json)" = '[2]' ]
}

@test "--dry-run has one column per entry; plan --jobs 1,2 shows two parallel plans" {
	run "$TRIBENCH" -t cpu:ms=1,count=3 --jobs 1,2 -m serial,parallel --dry-run
	[ "$status" -eq 0 ]
	[ "$(head -1 <<<"$output")" = $'workload\ttasks\tserial\tparallel/j1\tparallel/j2' ]
	[ "$(sed -n 2p <<<"$output" | awk -F'\t' '{ print NF }')" -eq 5 ]
	run "$TRIBENCH" plan --jobs 1,2 -m parallel
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.modes[] | [.mode, .jobs, (.plan.slots | length)]]' <<<"$output")" = '[["parallel",1,1],["parallel",2,2]]' ]
	validate <(echo "$output") "$TOP_SRCDIR/docs/plan.schema.json"
}

@test "--results keeps the entries apart: W/parallel/j1 and W/parallel/j2" {
	"$TRIBENCH" run --name w -m serial,parallel --jobs 1,2 --runs 1 --warmup 0 --count 2 -q \
		--results res -o r.json -- sh -c 'echo out $TRIBENCH_MODE'
	for d in serial parallel/j1 parallel/j2; do
		[ "$(cat "res/w/$d/1/0.out")" = "out ${d%%/*}" ]
		[ -e "res/w/$d/1/1.out" ]
	done
	[ ! -e res/w/parallel/1 ]
}

@test "progress and the ETA line count every entry's runs" {
	command -v script >/dev/null || skip "needs script(1) for a terminal"
	script -qec "'$TRIBENCH' run --name w -m serial,parallel --jobs 1,2 --runs 2 --warmup 1 --count 2 \
		-o r.json -- true" /dev/null | tr '\r' '\n' >out
	# 2 tasks x 3 entries x 3 runs
	grep -aq 'w parallel/j2 run 1/2  tasks [0-9]/2  \[[0-9]*/18\]' out
	! grep -aq '/12\]' out
	grep -aq 'w: warmup done; 6 measured runs, about' out
}

@test "--runs auto with a sweep: each entry makes its own count, at least 5" {
	run "$TRIBENCH" run 'sleep 0.05' -m serial,parallel --jobs 1,2 --runs auto --max-time 0.5s -q -o r.json
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(jq -c '[.workloads[0].modes[] | .jobs]' r.json)" = '[1,1,2]' ]
	# one sleep of 0.05 to 0.1 s: floor(0.5 / wall) = 5 to 10 runs per entry
	jqr r.json '[.workloads[0].modes[] | .runs | length | select(. >= 5 and . <= 10)] | length == 3'
	[ "$(jq -c '.workloads[0].amdahl[0].jobs' r.json)" = '[1,2]' ]
}

@test "the table names entries by label and ends with the scaling lines and their fit" {
	run "$TRIBENCH" -t cpu:ms=5,count=2 --jobs 1,2 -m serial,parallel --runs 2 --warmup 0 -o r.json
	[ "$status" -eq 0 ]
	grep -qE '^workload +serial +parallel/j1 +parallel/j2 *$' <<<"$output"
	grep -qE '^ +parallel/j2 +[0-9]+%' <<<"$output"
	grep -qxF 'Scaling over the --jobs sizes (medians; speedup vs serial; eff = speedup / jobs):' <<<"$output"
	grep -qxF '  custom (parallel, process)' <<<"$output"
	grep -qE '^ +1 +[0-9.]+s[ !] +×[0-9.]+ +[0-9]+% +-$' <<<"$output"
	grep -qE '^ +2 +[0-9.]+s[ !] +×[0-9.]+ +[0-9]+% +-?[0-9.]+$' <<<"$output"
	# the fit line carries the report's numbers
	f=$(jqr r.json '.workloads[0].amdahl[0].serial_fraction * 1000 | round / 1000')
	line=$(grep -E '^    Amdahl serial fraction -?[0-9.]+ ± [0-9.]+ \(jobs 1,2\)$' <<<"$output")
	awk -v a="$(awk '{ print $4 }' <<<"$line")" -v b="$f" 'BEGIN { exit !((a - b) ^ 2 < 4e-6) }'
	# no sweep: no scaling lines, columns by mode alone
	run "$TRIBENCH" -t cpu:ms=1 --jobs 2 -m serial,parallel --runs 1 --warmup 0 -o r.json
	[ "$status" -eq 0 ]
	grep -qE '^workload +serial +parallel *$' <<<"$output"
	! grep -q 'Scaling' <<<"$output"
}

@test "a long sweep on a wide suite keeps the table in 80 columns; every size is in the scaling lines" {
	run "$TRIBENCH" run 'true' 'sleep 0' -m serial,parallel --jobs 1..6 --runs 1 --warmup 0 -o r.json
	[ "$status" -eq 0 ]
	grep -qE '^workload +serial +parallel/j6 *$' <<<"$output"
	grep -qxF '(parallel: jobs 6 of the sweep; every size is in the scaling lines below)' <<<"$output"
	# the table itself (up to its blank line) fits 80 columns
	[ "$(sed '/^$/q' <<<"$output" | grep -v '^tribench:' | awk '{ if (length > m) m = length } END { print m }')" -le 80 ]
	# every size has a row in each workload's scaling lines, and a ranking line
	[ "$(grep -cE '^ +[1-6] +[0-9.]+s' <<<"$output")" -eq 12 ]
	for j in 1 2 3 4 5 6; do
		grep -qE "^  parallel/j$j +fastest: " <<<"$output"
	done
}

@test "warnings name the entry: W/parallel/j2" {
	# a failing task in every entry: the failure lines name each by label
	run "$TRIBENCH" run 'false' -m serial,parallel --jobs 1,2 --runs 1 --warmup 0 -o r.json
	grep -qF 'tribench: false/parallel/j1: 1 of 1 tasks failed' <<<"$output"
	grep -qF 'tribench: false/parallel/j2: 1 of 1 tasks failed' <<<"$output"
	grep -qF 'tribench: false/serial: 1 of 1 tasks failed' <<<"$output"
	# and the table marks them failed, "!" as for any mode
	grep -qE '^false +failed! +failed! +failed!' <<<"$output"
	grep -qE '^ +1 +failed! +- +- +-$' <<<"$output"
	grep -qxF '    Amdahl serial fraction -: fewer than 2 sizes have a speedup' <<<"$output"
}

@test "hooks see TRIBENCH_MODE and TRIBENCH_JOBS of each entry" {
	run "$TRIBENCH" run 'true' -m serial,parallel --jobs 1,2 --runs 1 --warmup 1 -q -o r.json \
		--setup 'echo setup ${TRIBENCH_JOBS:-unset} >> h.log' \
		--prepare 'echo $TRIBENCH_MODE $TRIBENCH_JOBS $TRIBENCH_RUN >> h.log'
	[ "$status" -eq 0 ]
	[ "$(cat h.log)" = $'setup unset\nserial 1 0\nparallel 1 0\nparallel 2 0\nserial 1 1\nparallel 1 1\nparallel 2 1' ]
}

@test "a hook failing at one size of a sweep names that entry, in its line and in hook_failure" {
	run "$TRIBENCH" run 'true' -m parallel --jobs 1,2 --runs 1 --warmup 0 -q -o r.json \
		--conclude 'test "$TRIBENCH_JOBS" != 2'
	[ "$status" -eq 1 ]
	assert_one_line_error
	[ "$output" = "tribench: --conclude 'test \"\$TRIBENCH_JOBS\" != 2' failed (exit code 1) after run 1 of true/parallel/j2" ]
	validate r.json
	[ "$(jqr r.json '.hook_failure | [.mode, .jobs, .executor, .run] | @tsv')" = "$(printf 'parallel\t2\tprocess\t1')" ]
}

@test "a runtime error mid-sweep (--results made unwritable): exit 3, the report marked interrupted with a warning naming the error" {
	run "$TRIBENCH" run -t sleep:ms=10 -m serial,parallel -j 1,2 --runs 2 --warmup 0 -q -o r.json \
		--results res --prepare 'test "$TRIBENCH_RUN" != 2 || { rm -rf res; touch res; }'
	[ "$status" -eq 3 ]
	assert_one_line_error
	[[ "$output" == *"cannot create 'res/custom/"*"Not a directory" ]]
	validate r.json
	jqr r.json '.interrupted == true'
	jqr r.json '[.warnings[] | select(startswith("the benchmark stopped at a runtime error (exit 3): cannot create '"'"'res/custom/"))] | length == 1'
	# round 1 whole; the run the error cut is kept, partial, and nothing ran after it
	jqr r.json '[.workloads[0].modes[].runs[] | select(.partial)] | length == 1'
	jqr r.json '[.workloads[0].modes[].runs[] | select(.partial | not)] | length == 3'
}
