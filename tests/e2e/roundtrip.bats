#!/usr/bin/env bats
# Every report tribench writes, it can read: a matrix of report shapes (normal,
# halted in warmup and in a measured run, interrupted, timeouts, exec failures,
# every kind, odd argv), each checked the same way: valid against the schema,
# every export format exits 0, read -> write is JSON-equal, and compare X X
# exits 0, or 2 with the documented too-few-runs line.
load helpers

# check_report FILE: the whole round trip on one report.
check_report() {
	local r=$1 f rc
	validate "$r"
	for f in json csv markdown gab bmf trace; do
		rc=0
		"$TRIBENCH" export --format "$f" "$r" >"out.$f" 2>err || rc=$?
		[ "$rc" -eq 0 ] || {
			echo "export --format $f exited $rc: $(cat err)" >&2
			return 1
		}
	done
	diff <(jq -S . "$r") <(jq -S . out.json) || {
		echo "read -> write changed the report" >&2
		return 1
	}
	/usr/bin/python3 -c 'import csv, sys; rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"))); assert rows or True' out.csv
	rc=0
	"$TRIBENCH" compare "$r" "$r" >cmp.out 2>cmp.err || rc=$?
	if [ "$rc" -eq 2 ]; then
		grep -q 'can never reach p <' cmp.err || {
			echo "compare X X exited 2 without the too-few-runs line: $(cat cmp.err)" >&2
			return 1
		}
		[ "$(grep -c . cmp.err)" -eq 1 ]
	else
		[ "$rc" -eq 0 ] || {
			echo "compare X X exited $rc: $(cat cmp.err)" >&2
			return 1
		}
	fi
}

@test "round trip: a normal report, warmup included" {
	"$TRIBENCH" run -t sleep:ms=5,count=2 --runs 5 --warmup 1 -q -o r.json
	[ "$(jq '.workloads[0].modes[0].warmup_runs | length' r.json)" -eq 1 ]
	check_report r.json
	# compare of a normal report against itself: no regression
	"$TRIBENCH" compare r.json r.json >/dev/null
}

@test "round trip: a --jobs 1,2 sweep (two parallel entries), and its amdahl fit" {
	"$TRIBENCH" run -t cpu:ms=30,count=4 --jobs 1,2 -m serial,parallel --runs 4 --warmup 1 -q -o r.json
	jq -e '[.workloads[0].modes[] | [.mode, .jobs, .executor]]
		== [["serial", 1, "process"], ["parallel", 1, "process"], ["parallel", 2, "process"]]
		and .config.jobs == 1 and .config.jobs_sweep == [1, 2]
		and .workloads[0].amdahl[0].jobs == [1, 2]' r.json
	check_report r.json
	# every export keeps both entries apart
	jq -e '[.[] | select(.unit == "s") | .name] == ["custom/serial", "custom/parallel/j1", "custom/parallel/j2"]' out.gab
	jq -e 'keys == ["custom/parallel/j1", "custom/parallel/j2", "custom/serial"]' out.bmf
	[ "$(grep -c ',parallel,1,process,' out.csv)" -eq 20 ]
	[ "$(grep -c ',parallel,2,process,' out.csv)" -eq 20 ]
	grep -F '| serial | parallel/j1 | parallel/j2 |' out.markdown
	# written again from its own export: the same report
	"$TRIBENCH" export --format json out.json >again.json
	cmp out.json again.json
}

@test "round trip: halted during warmup, nothing measured" {
	run "$TRIBENCH" run --warmup 1 --runs 3 --halt soon -m serial,parallel --count 2 -q -o r.json \
		-- sh -c 'exit 3'
	[ "$status" -eq 1 ]
	[ "$(jq '[.workloads[0].modes[].runs | length] | add' r.json)" -eq 0 ]
	[ "$(jq '.workloads[0].modes[0].warmup_runs[0].partial' r.json)" = true ]
	[ "$(jq '.workloads[0].modes[0].warmup_runs[0].tasks[1].exit.status' r.json)" = '"not_started"' ]
	check_report r.json
}

@test "round trip: halted in a measured run; run --halt soon --format csv writes the CSV" {
	run "$TRIBENCH" run --warmup 0 --runs 3 --halt soon -m serial --count 3 -q -o r.json \
		-- sh -c 'exit 1'
	[ "$status" -eq 1 ]
	[ "$(jq '.workloads[0].modes[0].runs[0] | [.failed, .partial]' -c r.json)" = '[true,true]' ]
	[ "$(jq '.workloads[0].modes[0].summary | [.failed_runs, .failed_tasks, .wall_s.n]' -c r.json)" = '[1,1,0]' ]
	check_report r.json
	run "$TRIBENCH" run --warmup 0 --runs 3 --halt soon -m serial --count 3 -q --format csv -o r.csv \
		-- sh -c 'exit 1'
	[ "$status" -eq 1 ]
	[ "$(wc -l <r.csv)" -eq 4 ]
	grep -q ',not_started,' r.csv
}

@test "round trip: interrupted by SIGINT, the cut run kept as partial" {
	"${TRIBENCH_BG[@]}" run -t sleep:ms=300,count=2 --runs 5 --warmup 0 -m serial -q -o r.json &
	local pid=$!
	sleep 1
	kill -INT "$pid"
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ]
	[ "$(jq .interrupted r.json)" = true ]
	[ "$(jq '[.workloads[0].modes[0].runs[] | select(.partial)] | length' r.json)" -eq 1 ]
	check_report r.json
}

@test "round trip: timeouts" {
	run "$TRIBENCH" run --timeout 0.1 --grace 0.1 --runs 1 --warmup 0 -m serial --count 2 -q \
		-o r.json -- sleep 5
	[ "$status" -eq 1 ]
	[ "$(jq '[.workloads[0].modes[0].runs[0].tasks[].exit.timed_out] | all' r.json)" = true ]
	[ "$(jq '.config.timeout_s' r.json)" = 0.1 ]
	check_report r.json
}

@test "round trip: exec failures (missing, not executable)" {
	printf 'echo hi\n' >notexec
	chmod -x notexec
	run "$TRIBENCH" run --runs 2 --warmup 0 -m serial,concurrent --count 2 -q -o r.json -- ./notexec
	[ "$status" -eq 1 ]
	jq -e '.workloads[0].modes[0].runs[0].tasks[0].exit.error | test("cannot execute")' r.json
	check_report r.json
	run "$TRIBENCH" run --runs 2 --warmup 0 -m serial --count 1 -q -o r2.json -- /nonexistent/cmd
	[ "$status" -eq 1 ]
	check_report r2.json
}

@test "round trip: every task kind" {
	"$TRIBENCH" run -f "$TOP_SRCDIR/tests/data/all-kinds.json" --runs 1 --warmup 0 -m serial,parallel \
		-q -o r.json
	check_report r.json
}

@test "round trip: cmd tasks with odd argv (spaces, quotes, empty, non-ASCII, invalid UTF-8)" {
	"$TRIBENCH" run --runs 1 --warmup 0 -m serial --count 1 -q -o r.json -- \
		printf '%s\n' 'a b' '"q"' $'tab\there' '' 'ünï €' $'caf\xe9' $'\\x5c'
	/usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' r.json
	jq -e '.workloads[0].tasks[0].params.argv[7] == "caf\ufffd"' r.json
	jq -e '.workloads[0].tasks[0].params.argv_raw[7] == "caf\\xe9"' r.json
	jq -e '[.warnings[] | select(test("argv"))] | length == 1' r.json
	check_report r.json
}

@test "--meta: a key that is not UTF-8 is refused, a value is repaired with its _raw" {
	run "$TRIBENCH" run -q --meta $'k\xff=1' -t sleep:ms=1 -o r.json
	[ "$status" -eq 2 ]
	assert_one_line_error
	[ ! -e r.json ]
	"$TRIBENCH" run -q --meta $'k=v\xfe' -t sleep:ms=1 --runs 1 --warmup 0 -m serial -o r.json
	jq -e '.host.meta.k == "v\ufffd" and .host.meta.k_raw == "v\\xfe"' r.json
	check_report r.json
}
