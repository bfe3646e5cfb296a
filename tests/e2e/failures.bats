#!/usr/bin/env bats
# Failures count: a failed run stays in the report but out of every statistic,
# is summarised on stderr (under -q too), marked in the table and every export,
# and compare calls new failures a regression.
load helpers

FLAKY='[ -n "$FAIL" ] && exit 1; sleep 0.05'

@test "the broken build is a regression, not 33x faster (the reproducer)" {
	"$TRIBENCH" run --name custom --runs 6 --warmup 0 -q -o good.json -- sh -c "$FLAKY"
	run env FAIL=1 "$TRIBENCH" run --name custom --runs 6 --warmup 0 -q -o bad.json -- sh -c "$FLAKY"
	[ "$status" -eq 1 ]
	[ "$(jq '.workloads[0].modes[0].summary | [.failed_runs, .wall_s.n, .wall_s.median]' -c bad.json)" = '[6,0,null]' ]
	[ "$(jq '[.workloads[0].modes[].summary.speedup] | map(. == null) | all' bad.json)" = true ]
	run "$TRIBENCH" compare good.json bad.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"REGRESSION (new failures)"* ]]
	[[ "$output" == *"regressions: custom/serial custom/concurrent custom/parallel"* ]] ||
		[[ "$output" == *"3 regressions: custom/serial custom/concurrent custom/parallel"* ]]
	# the same failures on both sides: reported, exit 0
	run "$TRIBENCH" compare bad.json bad.json
	[ "$status" -eq 0 ]
	[[ "$output" == *"6/6"* ]] || [[ "$output" == *"failed"* ]]
	# fixed again: failures only on the OLD side are no regression
	run "$TRIBENCH" compare bad.json good.json
	[ "$status" -eq 0 ]
}

@test "stderr names the failures once per workload x mode with the first error, under -q too" {
	run "$TRIBENCH" run --name custom --runs 2 --warmup 0 -m serial,parallel --count 2 -q -o r.json -- sh -c 'exit 7'
	[ "$status" -eq 1 ]
	[ "$(grep -c 'tasks failed' <<<"$output")" -eq 2 ]
	[[ "$output" == *"custom/serial: 4 of 4 tasks failed"*"first: run 1 task 0: exit code 7"* ]]
	# a shell line that sh runs ($HOME) can only fail when run: exit code 127
	printf '{"workloads":[{"name":"w","tasks":[{"kind":"cmd","shell":"nosuchcmd_xyz $HOME"}]}]}' >t.json
	run "$TRIBENCH" run -f t.json --runs 1 --warmup 0 -m serial -q -o r.json
	[ "$status" -eq 1 ]
	[[ "$output" == *"w/serial: 1 of 1 tasks failed"*"exit code 127"* ]]
	# one exec'd directly is looked up in PATH first: exit 2, nothing run
	printf '{"workloads":[{"name":"w","tasks":[{"kind":"cmd","shell":"nosuchcmd_xyz"}]}]}' >t.json
	rm -f r.json
	run "$TRIBENCH" run -f t.json --runs 1 --warmup 0 -m serial -q -o r.json
	[ "$status" -eq 2 ]
	[[ "$output" == "tribench: command not found: nosuchcmd_xyz (not in PATH)" ]]
	[ ! -e r.json ]
}

@test "a bare command name that is not in PATH is refused before anything runs" {
	run "$TRIBENCH" run -o r.json -- nosuchcmd_xyz arg
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"command not found: nosuchcmd_xyz"* ]]
	[ ! -e r.json ]
	printf '{"workloads":[{"name":"w","tasks":[{"kind":"cmd","argv":["nosuchcmd_xyz"]}]}]}' >t.json
	run "$TRIBENCH" run -f t.json -o r.json
	[ "$status" -eq 2 ]
	assert_one_line_error
	[ ! -e r.json ]
}

@test "the table marks failed cells and states the runs really used" {
	run "$TRIBENCH" run --runs 3 --warmup 0 -m serial,parallel --count 2 -o r.json -- sh -c 'exit 1'
	[ "$status" -eq 1 ]
	[[ "$output" == *"failed!"* ]]
	[[ "$output" == *"0 measured runs per mode used (of 3 configured)"* ]]
	[[ "$output" != *nan* ]]
}

@test "a task failing only in warmup: exit 1 and a warning" {
	run "$TRIBENCH" run --runs 1 --warmup 1 -m serial --count 1 -o r.json -- \
		sh -c 'test -e marker || { touch marker; exit 1; }'
	[ "$status" -eq 1 ]
	[ "$(jq '.workloads[0].modes[0].warmup_runs[0].failed' r.json)" = true ]
	[ "$(jq '.workloads[0].modes[0].runs[0].failed' r.json)" = false ]
	jq -e '[.warnings[] | select(test("failed during warmup"))] | length == 1' r.json
	validate r.json
}

@test "every export carries the failures" {
	run "$TRIBENCH" run --name custom --runs 2 --warmup 0 -m serial --count 1 -q -o r.json -- sh -c 'exit 1'
	[ "$status" -eq 1 ]
	"$TRIBENCH" export -F gab r.json | jq -e '.[] | select(.name == "custom/serial failed tasks") | .value == 2'
	"$TRIBENCH" export -F bmf r.json | jq -e '."custom/serial".failures.value == 2'
	"$TRIBENCH" export -F markdown r.json | grep -q '| 2 of 2 |'
	# run_failed, run_partial, run_suspended_s, run_in_summary, then the kind
	"$TRIBENCH" export -F csv r.json | grep -q ',true,false,0,false,cmd,'
}

@test "the table prints - where the report has null (states from rusage)" {
	run "$TRIBENCH" run --name custom --runs 1 --warmup 0 -m serial --count 1 -o r.json -- sh -c 'sleep 0.1 | cat; :'
	[ "$status" -eq 0 ]
	[ "$(jq '.workloads[0].modes[0].runs[0].tasks[0].ready_s' r.json)" = null ]
	grep -E '^custom +serial +[0-9]+% +- +- ' <<<"$output"
}

@test "an interrupted report says so in the table and in markdown, with the runs really used" {
	"${TRIBENCH_BG[@]}" run -t sleep:ms=400 --runs 5 --warmup 0 -m serial -o r.json >table 2>&1 &
	local pid=$!
	sleep 1.2
	kill -INT "$pid"
	wait "$pid" || true
	grep -q 'interrupted' table
	"$TRIBENCH" export -F markdown r.json | grep -q 'Interrupted'
	local n
	n=$(jq '.workloads[0].modes[0].summary.wall_s.n' r.json)
	"$TRIBENCH" export -F markdown r.json | grep -q "of $n measured run"
}
