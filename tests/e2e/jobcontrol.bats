#!/usr/bin/env bats
# Job control: a Ctrl-Z (SIGTSTP) freezes the tasks with tribench and the run
# leaves the statistics; a task stopped by the terminal (SIGTTOU/SIGTTIN) is
# killed with a clear error rather than hanging; a signal ignored at start
# (nohup, a shell's background SIGINT) stays ignored.
load helpers

# A failed check must not leave a stopped tribench behind (bats would wait for it).
teardown() {
	if [ -n "${TB_PID:-}" ]; then
		kill -CONT "$TB_PID" 2>/dev/null || true
		kill -KILL "$TB_PID" 2>/dev/null || true
	fi
	cd / && rm -rf "$SCRATCH"
}

# state PID: the one-letter state of PID (field 3 of /proc/PID/stat).
state() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# wait_state PID STATE: up to 3 s for PID to reach STATE.
wait_state() {
	local s
	for _ in $(seq 30); do
		s=$(state "$1")
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	echo "pid $1 is in state '$s', not $2" >&2
	return 1
}

# pid_of PATTERN: the pid of the one process whose command line is PATTERN
# (pgrep -fx), waiting up to 5 s for it to start.
pid_of() {
	local p
	for _ in $(seq 50); do
		p=$(pgrep -fx "$1") && [ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.1
	done
	echo "no process '$1'" >&2
	return 1
}

# frozen PID: the "frozen" value in cgroup.events of PID's cgroup v2 leaf.
frozen() {
	local mnt cg
	mnt=$(grep ' - cgroup2 ' /proc/self/mountinfo | awk '{print $5; exit}')
	cg=$(sed -n 's/^0:://p' "/proc/$1/cgroup")
	sed -n 's/^frozen //p' "$mnt$cg/cgroup.events"
}

# runs FILTER: FILTER on each run of r.json's only mode, as an array.
runs() {
	jqr r.json "[.workloads[0].modes[0].runs[] | $1]"
}

# suspend CONTAINMENT [ARGS...]: tribench runs a ~1 s sleep twice (serial); a
# SIGTSTP 0.3 s into the first run must stop tribench (state T) and hold the
# task too: frozen in its leaf (cgroup) or stopped (process group), while the
# watchdog runs on. After 2 s a SIGCONT. Leaves r.json, tribench's status in
# $rc and the milliseconds from SIGTSTP to SIGCONT in $held.
suspend() {
	local containment=$1
	shift
	local m=1.00$RANDOM
	"$TRIBENCH" run --name custom --containment "$containment" --count 1 -m serial --runs 2 --warmup 0 -q \
		-o r.json "$@" -- sleep "$m" &
	local pid=$! task
	TB_PID=$pid
	task=$(pid_of "sleep $m")
	sleep 0.3
	local t0
	t0=$(date +%s%N)
	kill -TSTP "$pid"
	wait_state "$pid" T
	local wd
	wd=$(pgrep -P "$pid" -x tribench-wd)
	[ -n "$(state "$wd")" ] && [ "$(state "$wd")" != T ]	# the watchdog runs on
	if grep -q '^0::.*/tribench-[0-9]*-[0-9]*/t[0-9]*$' "/proc/$task/cgroup"; then
		[ "$(frozen "$task")" = 1 ]	# in a leaf of the run cgroup: frozen
	else
		[ "$(state "$task")" = T ]
	fi
	sleep 2
	[ "$(state "$pid")" = T ]	# still stopped: nothing continued it
	kill -CONT "$pid"
	held=$((($(date +%s%N) - t0) / 1000000))	# ms from TSTP to CONT, as sent
	rc=0
	wait "$pid" || rc=$?
}

# The suspended run is kept, out of the statistics, with its warning.
check_suspended_report() {
	echo "rc=$rc held=${held}ms runs: $(runs '{suspended_s, in_summary, wall_s}' | jq -c .)"
	[ "$rc" -eq 0 ]
	validate r.json
	# at least the 2 s held, at most what the test held it (slow on a busy machine) + 0.3 s
	runs '.suspended_s' | jq -e --argjson held "$held" '.[0] >= 1.8 and .[0] <= $held / 1000 + 0.3 and .[1] == 0'
	[ "$(runs '.in_summary' | jq -c .)" = '[false,true]' ]
	[ "$(jqr r.json '.workloads[0].modes[0].summary.wall_s.n')" -eq 1 ]
	# run 1's wall holds the time held: 2 s or more on a busy machine
	jqr r.json '.warnings[]' | grep -E 'custom/serial: run 1 \([2-9]\.' | grep -F 'was suspended (Ctrl-Z' |
		grep -F 'statistics, which use 1 of 2 runs'
	[ "$(jqr r.json '[.warnings[] | select(test("suspended"))] | length')" -eq 1 ]
	runs '[.tasks[].exit | .status == "exited" and .code == 0 and (.timed_out | not)] | all' |
		jq -e all
}

@test "Ctrl-Z under cgroup containment: the task's leaf frozen while tribench is stopped, the run kept out of the statistics" {
	need_cgroup
	suspend cgroup
	[ "$(jqr r.json .containment)" = cgroup ]
	check_suspended_report
}

@test "Ctrl-Z under process groups: the task stopped while tribench is stopped, the run kept out of the statistics" {
	suspend pgroup
	[ "$(jqr r.json .containment)" = pgroup ]
	check_suspended_report
}

@test "a --timeout deadline moves by the time the task spent suspended" {
	suspend auto --timeout 1.5
	check_suspended_report
	# and without the suspension the same timeout does fire
	run "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q --timeout 1.5 -o t.json -- sleep 3
	[ "$status" -eq 1 ]
	jq -e '.workloads[0].modes[0].runs[0].tasks[0].exit.timed_out' t.json
}

@test "compare counts a suspended run out and says so" {
	"$TRIBENCH" run -m serial --warmup 0 --runs 5 -q -t sleep:ms=20 -o a.json
	jq '.workloads[0].modes[0].runs[2] |= (.suspended_s = 2 | .in_summary = false)' a.json >b.json
	rc=0
	"$TRIBENCH" compare --format json a.json b.json >out 2>err || rc=$?
	cat out err
	[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]
	[ "$(jq -c '[.pairs[0].old.runs, .pairs[0].new.runs]' out)" = "[5,4]" ]
	local line="custom/serial: 1 of 5 runs in 'b.json' left out (1 suspended): compared over 4"
	jq -e --arg l "$line" '.warnings == [$l]' out
	grep -qxF "tribench: warning: $line" err
	# a failed run is counted out the same way
	jq '.workloads[0].modes[0].runs[1] |= (.failed = true | .in_summary = false)' b.json >c.json
	"$TRIBENCH" compare a.json c.json >out 2>err || true
	cat out err
	grep -qxF "tribench: warning: custom/serial: 2 of 5 runs in 'c.json' left out (1 failed, 1 suspended): compared over 3" err
}

# signal_last_job SECS SIG: SECS after the last background job ($!) has a
# `sleep` child (its task: tribench has set up its signals by then, however slowly a
# loaded machine started it; at most 20 s), send it SIG and wait for it; its
# exit status in $rc.
signal_last_job() {
	local pid=$! i
	for i in $(seq 200); do
		pgrep -P "$pid" -x sleep >/dev/null && break
		sleep 0.1
	done
	sleep "$1"
	kill -"$2" "$pid"
	rc=0
	wait "$pid" || rc=$?
}

@test "nohup: SIGHUP is ignored, the run completes (and without nohup it interrupts)" {
	nohup "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o r.json -- sleep 2 </dev/null 2>/dev/null &
	signal_last_job 0.5 HUP
	[ "$rc" -eq 0 ]
	[ "$(jqr r.json .interrupted)" = false ]
	[ "$(jqr r.json '.workloads[0].modes[0].runs[0].tasks[0].exit.code')" -eq 0 ]
	"$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o h.json -- sleep 2 &
	signal_last_job 0.5 HUP
	echo "without nohup: exit $rc"
	[ "$rc" -eq 129 ]
	[ "$(jqr h.json .interrupted)" = true ]
}

@test "a background job's ignored SIGINT stays ignored" {
	# bats starts `&` jobs with SIGINT ignored, as any non-interactive shell
	"$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o r.json -- sleep 1 &
	signal_last_job 0.4 INT
	[ "$rc" -eq 0 ]
	[ "$(jqr r.json .interrupted)" = false ]
}

# on_pty TEXT: run the shell text on a new pseudo-terminal (script), 20 s at
# most; its status in $status, its output in $output.
on_pty() {
	run timeout 20 script -qec "$1" /dev/null
	echo "status=$status output=$output"
}

# stop_error SIGNAL: r.json's first task was killed for a terminal stop.
stop_error() {
	local e
	e=$(jqr r.json '.workloads[0].modes[0].runs[0].tasks[0].exit.error')
	echo "error: $e"
	[[ $e == "stopped by $1: "*"background process group"*"tribench killed it"* ]]
	[ "$(jqr r.json '.workloads[0].modes[0].runs[0].tasks[0].exit.signal_name')" = SIGKILL ]
}

@test "a task that writes to the terminal under stty tostop is killed with a SIGTTOU error, not left stopped" {
	local m=77.$RANDOM
	on_pty "stty tostop; '$TRIBENCH' run -m serial --count 1 --runs 1 --warmup 0 --task-output inherit -q -o '$PWD/r.json' -- echo hi"
	[ "$status" -eq 1 ]
	stop_error SIGTTOU
	# its whole tree goes with it
	on_pty "stty tostop; '$TRIBENCH' run -m serial --count 1 --runs 1 --warmup 0 --task-output inherit -q -o '$PWD/r.json' -- sh -c 'sleep $m & echo hi; wait'"
	[ "$status" -eq 1 ]
	stop_error SIGTTOU
	no_survivors "sleep $m"
	validate r.json
}

@test "a task that sets or reads the terminal is killed with a terminal-stop error" {
	on_pty "'$TRIBENCH' run -m serial --count 1 --runs 1 --warmup 0 -q -o '$PWD/r.json' -- stty -F /dev/tty -echo"
	[ "$status" -eq 1 ]
	stop_error SIGTTOU
	on_pty "'$TRIBENCH' run -m serial --count 1 --runs 1 --warmup 0 -q -o '$PWD/r.json' -- head -c1 /dev/tty"
	[ "$status" -eq 1 ]
	stop_error SIGTTIN
	grep -F 'stopped by SIGTTIN' <<<"$output"
}

@test "a terminal stop hits the task's whole process group: a child's stop is caught through its leader" {
	local m=77.$RANDOM
	on_pty "'$TRIBENCH' run -m serial --count 1 --runs 1 --warmup 0 -q -o '$PWD/r.json' -- sh -c 'sleep $m & stty -F /dev/tty -echo; true'"
	[ "$status" -eq 1 ]
	stop_error SIGTTOU
	no_survivors "sleep $m"
}

@test "a descendant in a process group of its own, stopped by the terminal while its leader waits, is ended by --timeout" {
	SECONDS=0
	on_pty "'$TRIBENCH' run -m serial --count 1 --runs 1 --warmup 0 -q --timeout 1 --grace 0.5 -o '$PWD/r.json' -- python3 -c 'import os; pid = os.fork(); pid or (os.setpgid(0, 0), os.execvp(\"stty\", [\"stty\", \"-F\", \"/dev/tty\", \"-echo\"])); os.waitpid(pid, 0)'"
	[ "$status" -eq 1 ]
	[ "$SECONDS" -le 8 ]
	jq -e '.workloads[0].modes[0].runs[0].tasks[0].exit | .timed_out and .error == null' r.json
	no_survivors 'stty -F /dev/tty -echo'
}

@test "a task starts with the signal dispositions of tribench's caller: neither tribench's nor its launcher's ignored stop signals leak" {
	want=$(sh -c 'grep SigIgn /proc/self/status')
	for c in cgroup pgroup; do
		TRIBENCH_CONTAINMENT=$c "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o r.json \
			--results res-$c -- sh -c 'grep SigIgn /proc/self/status'
		got=$(cat res-$c/*/*/1/*out*)
		[ "$got" = "$want" ] || { echo "$c: task has '$got', the caller '$want'" >&2; false; }
	done
	# and the launcher itself ignores the terminal's stop signals (bits 20-22)
	"$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o s.json -- sleep 1 &
	local tb=$! spawn=""
	for _ in $(seq 30); do
		spawn=$(pgrep -P "$tb" -x tribench-spawn) && break
		sleep 0.1
	done
	[ -n "$spawn" ]
	ign=$(awk '/^SigIgn/ {print $2}' "/proc/$spawn/status")
	wait "$tb"
	(( (16#$ign >> 19 & 7) == 7 ))
}
