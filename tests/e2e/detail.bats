#!/usr/bin/env bats
# --detail task|run|mode and runs[].task_stats (issue 10): the report keeps
# every task record, or only their distributions; either way it validates,
# tasks come in id order, and an interrupted run still writes a whole report.

load helpers

# The nearest-rank percentile P of the jq array on stdin's numbers.
JQ_RANK='def rank($p): sort as $s | ($s | length) as $n | (($p / 100 * $n) | ceil) as $k | $s[(if $k < 1 then 0 else $k - 1 end)];'

@test "--detail run and mode: tasks null, task_stats kept, config.detail recorded" {
	for d in run mode; do
		run "$TRIBENCH" run -m parallel -j 4 --runs 1 --warmup 0 -q --detail $d -o $d.json -t sleep:ms=50,count=20
		[ "$status" -eq 0 ]
		validate $d.json
		jq -e --arg d $d '.config.detail == $d' $d.json
		jq -e '.workloads[0].modes[0].runs[0].tasks == null' $d.json
		jq -e '.workloads[0].tasks | length == 20' $d.json
		jq -e '.workloads[0].modes[0].runs[0].task_stats.wall_s as $w |
			$w.p50 >= 0.05 and $w.max >= $w.p99 and $w.p99 >= $w.p90 and $w.p90 >= $w.p50' $d.json
	done
	jq -e '.workloads[0].modes[0].runs[0].samples | type == "object"' run.json
	jq -e '.workloads[0].modes[0].runs[0].samples == null' mode.json
}

@test "--detail task: task_stats equal the nearest-rank percentiles of the tasks" {
	run "$TRIBENCH" run -m parallel -j 4 --runs 1 --warmup 0 -q -o t.json -t sleep:ms=50,count=20 -t sleep:ms=5,count=7
	[ "$status" -eq 0 ]
	validate t.json
	jq -e '.config.detail == "task"' t.json
	for f in wall_s running_s ready_s blocked_s; do
		jq -e --arg f $f "$JQ_RANK"'.workloads[0].modes[0].runs[0] |
			[.tasks[] | .[$f] | select(. != null)] as $v | .task_stats[$f] as $s |
			if ($v | length) == 0 then $s.p50 == null and $s.max == null
			else $s.p50 == ($v | rank(50)) and $s.p90 == ($v | rank(90)) and
			     $s.p99 == ($v | rank(99)) and $s.max == ($v | max) end' t.json
	done
	jq -e '.workloads[0].modes[0].runs[0].task_stats.wall_s.max >= 0.05' t.json
}

@test "tasks come out in id order though they end out of order (-j 2, uneven)" {
	run "$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q -o r.json \
		-t sleep:ms=300 -t sleep:ms=10,count=6 -t sleep:ms=200 -t sleep:ms=1,count=3
	[ "$status" -eq 0 ]
	validate r.json
	jq -e '[.workloads[0].modes[0].runs[0].tasks[].id] == [range(11)]' r.json
	# they did end out of order: task 0 (300 ms) ended after task 1 (10 ms)
	jq -e '.workloads[0].modes[0].runs[0].tasks as $t | $t[0].end_s > $t[1].end_s' r.json
}

@test "csv needs task records: refused at run time and by export, naming --detail" {
	run "$TRIBENCH" run -q --detail run --format csv -o r.csv -t sleep:ms=1
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"--detail"* ]]
	[ ! -e r.csv ]
	run "$TRIBENCH" run --runs 4 --warmup 0 -q --detail run -o r.json -t sleep:ms=1,count=3
	[ "$status" -eq 0 ]
	run "$TRIBENCH" export --format csv r.json
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"--detail"* ]]
	# the other exports and compare read a report with null tasks
	"$TRIBENCH" export --format trace r.json | jq -e '.traceEvents | length > 0'
	"$TRIBENCH" export --format markdown r.json | grep -q '|'
	run "$TRIBENCH" compare r.json r.json
	[ "$status" -eq 0 ]
	"$TRIBENCH" export --format json r.json >back.json
	validate back.json
	jq -e '.workloads[0].modes[0].runs[0].tasks == null' back.json
}

@test "csv at run time streams a row per task in id order" {
	run "$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q --format csv -o r.csv -t sleep:ms=20 -t sleep:ms=1,count=4
	[ "$status" -eq 0 ]
	[ "$(wc -l <r.csv)" -eq 6 ]
	col=$(head -1 r.csv | tr ',' '\n' | grep -nx task_id | cut -d: -f1)
	[ "$(tail -n +2 r.csv | cut -d, -f"$col" | tr '\n' ' ')" = "0 1 2 3 4 " ]
}

@test "an interrupted run at --detail task and run still writes a valid report" {
	for d in task run; do
		"$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q --detail $d -o $d.json -t sleep:ms=5000,count=4 &
		pid=$!
		sleep 1.5
		# SIGTERM: a background job of a script ignores SIGINT
		kill -TERM $pid
		rc=0
		wait $pid || rc=$?
		[ "$rc" -eq 143 ]
		validate $d.json
		jq -e '.interrupted and .workloads[0].modes[0].runs[0].partial' $d.json
		jq -e '.workloads[0].modes[0].runs[0].task_stats.wall_s.max != null' $d.json
	done
	jq -e '[.workloads[0].modes[0].runs[0].tasks[].id] == [range(4)]' task.json
}

@test "no spool ($TMPDIR missing): exit 3 before anything runs, one line naming the directory, no report" {
	TMPDIR=/nonexistent run "$TRIBENCH" run -q -m parallel -r 1 --warmup 0 --count 10 -o sp.json -- true
	echo "$output"
	[ "$status" -eq 3 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"task spool in '/nonexistent'"* ]]
	[ ! -e sp.json ]
}

@test "the spool fills up mid-run: exit 3, a valid report, the run partial and out of the summary, a warning" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a small tmpfs"
	mkdir small
	mount -t tmpfs -o size=200k tmpfs small || skip "cannot mount a tmpfs here"
	TMPDIR=$PWD/small run "$TRIBENCH" run -q -m parallel -r 1 --warmup 0 --count 1000 -o sp.json -- true
	umount small
	echo "$output"
	[ "$status" -eq 3 ]
	validate sp.json
	jq -e '.workloads[0].modes[0] | .runs[0].partial and (.runs[0].in_summary | not) and
		.runs[0].tasks == null and .summary.wall_s.n == 0' sp.json
	jq -e '[.warnings[] | select(test("task spool could not be written"))] | length == 1' sp.json
}
