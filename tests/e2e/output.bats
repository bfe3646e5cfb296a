#!/usr/bin/env bats
# Where the report and the tasks' output go: -o naming an open descriptor,
# FIFOs without a reader, --results folders, --task-output inherit, and an
# output directory that disappears. Each case failed before the fix it names.
load helpers

TINY=(-t sleep:ms=1 -m serial --runs 1 --warmup 0)

# ms since the epoch
now_ms() { date +%s%3N; }

# stop_within PID: its exit status in $rc once it is gone; after 5 s it is
# killed and the test fails (a deaf tribench must not hang the suite)
stop_within() {
	local i
	for i in $(seq 50); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -KILL "$1"
		wait "$1" || true
		echo "pid $1 still running 5 s after the signal"
		return 1
	fi
	rc=0
	wait "$1" || rc=$?
}

# The lines between the first and the last of FILE must be one JSON report.
middle_is_report() {
	sed '1d;$d' "$1" >mid.json
	[ "$(jqr mid.json .schema_version)" = 1 ]
}

@test "output: -o /dev/stdout appends through stdout (>> log keeps what was there)" {
	{ echo BEFORE; "$TRIBENCH" run "${TINY[@]}" -q -o /dev/stdout; echo AFTER; } >>log
	[ "$(head -n1 log)" = BEFORE ]
	[ "$(tail -n1 log)" = AFTER ]
	middle_is_report log
	# the table does not join the JSON on stdout: it goes to stderr
	: >log2
	{ echo BEFORE; "$TRIBENCH" run "${TINY[@]}" -o /dev/stdout; echo AFTER; } >>log2 2>err
	middle_is_report log2
	grep -q '^workload ' err
	! grep -q '^workload ' log2
}

@test "output: -o /dev/stderr appends through stderr, the table goes to stdout" {
	{ echo BEFORE >&2; "$TRIBENCH" run "${TINY[@]}" -q -o /dev/stderr; echo AFTER >&2; } 2>>log
	[ "$(head -n1 log)" = BEFORE ]
	[ "$(tail -n1 log)" = AFTER ]
	middle_is_report log
	# stdout carries no JSON, so the table goes there
	"$TRIBENCH" run "${TINY[@]}" -o /dev/stderr 2>err >out
	grep -q '^workload ' out
	! grep -q '^workload ' err
	grep -q '"schema_version"' err
}

@test "output: -o /dev/fd/N, /proc/self/fd/N and the file stdout is are written in place" {
	{ echo BEFORE; "$TRIBENCH" run "${TINY[@]}" -q -o /dev/fd/3; echo AFTER; } 3>>log >>log
	[ "$(head -n1 log)" = BEFORE ] && [ "$(tail -n1 log)" = AFTER ]
	middle_is_report log
	{ echo BEFORE; "$TRIBENCH" run "${TINY[@]}" -q -o /proc/self/fd/4; echo AFTER; } 4>>log2 >>log2
	[ "$(head -n1 log2)" = BEFORE ] && [ "$(tail -n1 log2)" = AFTER ]
	middle_is_report log2
	# not by name, but the same inode as stdout
	{ echo BEFORE; "$TRIBENCH" run "${TINY[@]}" -q -o log3; echo AFTER; } >>log3
	[ "$(head -n1 log3)" = BEFORE ] && [ "$(tail -n1 log3)" = AFTER ]
	middle_is_report log3
	# a descriptor that is not open is an error, and nothing is written
	run "$TRIBENCH" run "${TINY[@]}" -q -o /dev/fd/9
	[ "$status" -eq 3 ]
	assert_one_line_error
	[[ $output == *"/dev/fd/9"* ]]
}

@test "output: a FIFO without a reader does not make tribench deaf to SIGINT" {
	mkfifo f
	"${TRIBENCH_BG[@]}" run "${TINY[@]}" -q -o f >out 2>err &
	local pid=$!
	sleep 1
	local t0
	t0=$(now_ms)
	kill -INT "$pid"
	stop_within "$pid"
	local took=$(($(now_ms) - t0))
	echo "rc=$rc took=${took}ms"
	[ "$rc" -eq 130 ]
	[ "$took" -lt 2000 ]
	[ ! -s out ] && [ ! -s err ]
	[ "$(ls -A)" = "$(printf 'err\nf\nout')" ]
}

@test "output: a FIFO whose reader comes gets the whole report" {
	mkfifo f
	cat f >got &
	local reader=$!
	run "$TRIBENCH" run "${TINY[@]}" -q -o f
	[ "$status" -eq 0 ]
	wait "$reader"
	[ "$(jqr got '.workloads[0].modes[0].runs | length')" = 1 ]
	validate got
}

# sigterm_with_stalled_reader TASKS MS WAIT_S LIMIT_MS: a run of TASKS sleeps of
# MS each into a FIFO whose reader never reads (the report, > 64 KiB, fills
# the pipe), SIGTERM after WAIT_S: exit 143 within LIMIT_MS.
sigterm_with_stalled_reader() {
	mkfifo f
	(exec 3<f; sleep 30) &
	local reader=$!
	"$TRIBENCH" run -t "sleep:ms=$2,count=$1" -m serial --runs 1 --warmup 0 -q -o f &
	local pid=$!
	sleep "$3"
	local t0
	t0=$(now_ms)
	kill -TERM "$pid"
	stop_within "$pid" || { kill "$reader"; return 1; }
	local took=$(($(now_ms) - t0))
	kill "$reader"
	echo "rc=$rc took=${took}ms"
	[ "$rc" -eq 143 ]
	[ "$took" -lt "$4" ]
}

@test "output: a FIFO reader that stops reading does not make tribench deaf to SIGTERM" {
	# the tasks take about a second: the signal comes while the report waits
	sigterm_with_stalled_reader 300 1 3 2000
}

@test "output: --results keeps distinct workload names in distinct folders" {
	cat >tf.json <<'EOF'
{"workloads":[{"name":"a/b","tasks":[{"kind":"cmd","shell":"echo one"}]},
              {"name":"a_b","tasks":[{"kind":"cmd","shell":"echo two"}]},
              {"name":"a b","tasks":[{"kind":"cmd","shell":"echo three"}]},
              {"name":"..","tasks":[{"kind":"cmd","shell":"echo four"}]}]}
EOF
	run "$TRIBENCH" run -f tf.json -m serial --runs 1 --warmup 0 -q -o r.json --results res
	[ "$status" -eq 0 ]
	[ "$(ls res | wc -l)" -eq 4 ]
	[ "$(cat 'res/a%2Fb/serial/1/0.out')" = one ]
	[ "$(cat 'res/a_b/serial/1/0.out')" = two ]
	[ "$(cat 'res/a%20b/serial/1/0.out')" = three ]
	[ "$(cat 'res/%2E./serial/1/0.out')" = four ]
	# nothing climbed out of res
	[ "$(ls -A)" = "$(printf 'r.json\nres\ntf.json')" ]
}

@test "output: --results naming a regular file or a dangling link is bad input, before anything runs" {
	touch regfile
	ln -s nothere dangling
	for dir in regfile dangling; do
		run "$TRIBENCH" run -o r.json --results "$dir" -- sh -c 'touch ran'
		[ "$status" -eq 2 ]
		assert_one_line_error
		[[ $output == *"'$dir'"* ]]
		[ ! -e r.json ] && [ ! -e ran ] && [ ! -e nothere ]
	done
}

@test "output: a rejected run creates no --results folder and no report" {
	run "$TRIBENCH" run --results newdir -t bogus:x=1 -o r.json
	[ "$status" -eq 2 ]
	run "$TRIBENCH" run --results newdir "${TINY[@]}" -o nodir/r.json
	[ "$status" -eq 3 ]
	run "$TRIBENCH" run --results newdir -t disk:dir=/nonexistent,kb=4 -m serial --runs 1 --warmup 0 -o r.json
	[ "$status" -eq 2 ]
	[ -z "$(ls -A)" ]
}

@test "output: --task-output inherit never mixes tasks' output into JSON on stdout" {
	"$TRIBENCH" run --task-output inherit -m serial --runs 1 --warmup 0 --count 2 -q -- echo hello >r.json 2>err
	jq -e . r.json >/dev/null
	[ "$(grep -c hello err)" -eq 2 ]
	"$TRIBENCH" run --task-output inherit -m serial --runs 1 --warmup 0 --count 1 -q -o - -- echo hello >r2.json 2>err2
	jq -e . r2.json >/dev/null
	grep -q hello err2
	"$TRIBENCH" run --task-output inherit -m serial --runs 1 --warmup 0 --count 1 -q -o /dev/stdout -- echo hello >r3.json 2>err3
	jq -e . r3.json >/dev/null
	grep -q hello err3
	# with the report in a file, tasks' stdout stays on stdout
	"$TRIBENCH" run --task-output inherit -m serial --runs 1 --warmup 0 --count 1 -q -o r4.json -- echo hello >out4 2>err4
	grep -q hello out4
	! grep -q hello err4
}

@test "output: the -o directory vanishing mid-run is named in the error, no temporary stays" {
	mkdir d
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q -o d/r.json -- sh -c 'rm -rf d; sleep 0.1'
	[ "$status" -eq 3 ]
	assert_one_line_error
	[[ $output == *"'d/r.json'"* ]]
	[[ $output != *"(null)"* ]]
	[ -z "$(find . -name '*tmp*')" ]
	[ -z "$(ls -A)" ]
}

@test "output: a SIGTERM mid-run, then a FIFO reader that never reads: exit 143 within about a second" {
	# 300 tasks of 10 ms: the signal lands mid-run
	sigterm_with_stalled_reader 300 10 1 3500
}
