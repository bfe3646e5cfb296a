#!/usr/bin/env bats
# The watchdog (src/watchdog.c) as the world sees it: its name, what it holds,
# which signals it ignores, and what it cleans up when tribench is SIGKILLed.
# The run cgroup path is tested in tests/unit/watchdog_test.c.
load helpers

# A sleep no other test uses, so pgrep finds only ours.
marker() {
	echo "77.$RANDOM$RANDOM"
}

# watchdog_of PID: the pid of tribench PID's watchdog (its child named
# tribench-wd), waiting up to 3 s for it; fails when there is none.
watchdog_of() {
	local wd
	for _ in $(seq 30); do
		wd=$(pgrep -P "$1" -x tribench-wd) && [ -n "$wd" ] && { echo "$wd"; return 0; }
		sleep 0.1
	done
	echo "no tribench-wd child of $1:" >&2
	ps -o pid,ppid,comm,args --ppid "$1" >&2
	return 1
}

# A test that fails with its tribench still running would leave it holding
# bats' output for its whole run: it is killed, and the scratch removed.
teardown() {
	# this test's own jobs that still run (never a pid that may be reused)
	local j
	for j in $(jobs -p); do
		kill -KILL "$j" 2>/dev/null || true
	done
	cd / && rm -rf "$SCRATCH"
}

# tasks_up PATTERN N: N processes match PATTERN within 3 s (a slow start,
# under a sanitizer or load, is not a failure).
tasks_up() {
	for _ in $(seq 30); do
		[ "$(pgrep -fc "$1")" -eq "$2" ] && return 0
		sleep 0.1
	done
	echo "$(pgrep -fc "$1") processes match '$1', not $2" >&2
	return 1
}

# gone PID: the process is gone or a zombie within 3 s.
gone() {
	for _ in $(seq 30); do
		state=$(ps -o stat= -p "$1") || return 0
		case "$state" in Z*) return 0 ;; esac
		sleep 0.1
	done
	echo "$1 still alive: $(ps -o pid,stat,args -p "$1")" >&2
	return 1
}

@test "the watchdog is tribench-wd during a run: pgrep -x tribench finds tribench alone" {
	"$TRIBENCH" run -t sleep:ms=2000 --runs 1 --warmup 0 -m serial -q -o r.json &
	pid=$!
	wd=$(watchdog_of "$pid")
	[ "$(cat /proc/"$wd"/comm)" = tribench-wd ]
	# what `pkill -x tribench` would hit, among this run's processes: tribench, not its watchdog
	run pgrep -x tribench
	printf '%s\n' "$output" | grep -qx "$pid"
	! printf '%s\n' "$output" | grep -qx "$wd"
	# its own process group: a Ctrl-C sent to tribench's group misses it
	[ "$(ps -o pgid= -p "$wd" | tr -d ' ')" = "$wd" ]
	wait "$pid"
	validate r.json
	gone "$wd"
}

@test "the watchdog holds only its pipe (and /dev/null on 0-2), not the descriptors tribench was given" {
	exec 7>extra
	"$TRIBENCH" run -t sleep:ms=1500 --runs 1 --warmup 0 -m serial -q -o r.json 8<extra | cat &
	pid=$(pgrep -n -x tribench -P $$) || true
	for _ in $(seq 30); do
		[ -n "$pid" ] && break
		sleep 0.1
		pid=$(pgrep -n -x tribench -P $$) || true
	done
	exec 7>&-
	[ -n "$pid" ]
	wd=$(watchdog_of "$pid")
	sleep 0.2
	fds=$(ls /proc/"$wd"/fd | sort -n | tr '\n' ' ')
	[ "$fds" = "0 1 2 3 " ] || { echo "watchdog descriptors: $fds" >&2; ls -l /proc/"$wd"/fd >&2; false; }
	for fd in 0 1 2; do
		[ "$(readlink /proc/"$wd"/fd/$fd)" = /dev/null ]
	done
	readlink /proc/"$wd"/fd/3 | grep -q '^pipe:'
	# tribench itself still has what it was given
	[ "$(readlink /proc/"$pid"/fd/8)" = "$SCRATCH/extra" ]
	wait
	validate r.json
}

@test "SIGINT, SIGTERM and SIGHUP leave the watchdog be; its SIGKILL stops the run: exit 3, report interrupted" {
	"$TRIBENCH" run -t sleep:ms=1500 --runs 1 --warmup 0 -m serial -q -o r.json &
	pid=$!
	wd=$(watchdog_of "$pid")
	kill -INT "$wd"
	kill -TERM "$wd"
	kill -HUP "$wd"
	sleep 0.3
	[ "$(cat /proc/"$wd"/comm)" = tribench-wd ]
	state=$(ps -o stat= -p "$wd")
	[[ "$state" != Z* ]]
	SECONDS=0
	kill -KILL "$wd"
	gone "$wd"
	# tribench does not run on without its guard: tasks killed, exit 3
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 3 ]
	[ "$SECONDS" -le 2 ]
	validate r.json
	[ "$(jq .interrupted r.json)" = true ]
	jq -e '.workloads[0].modes[0].runs[0].partial' r.json
}

@test "Ctrl-C to tribench's process group: tribench exits 130, the watchdog goes with it, no task survives" {
	m=$(marker)
	setsid "${TRIBENCH_BG[@]}" run --count 2 -m concurrent -q -o r.json -- sleep "$m" &
	pid=$!
	wd=$(watchdog_of "$pid")
	tasks_up "^sleep $m" 2
	kill -INT -- -"$(ps -o pgid= -p "$pid" | tr -d ' ')"
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ]
	no_survivors "sleep $m"
	gone "$wd"
	validate r.json
	jqr r.json '.interrupted == true'
	[ "$(ls -A)" = r.json ]
}

@test "SIGKILL of tribench (not the watchdog): no task process, no temporary, and the watchdog exits" {
	m=$(marker)
	"$TRIBENCH" run --count 3 -m concurrent -q -o r.json -- sleep "$m" &
	pid=$!
	wd=$(watchdog_of "$pid")
	tasks_up "^sleep $m" 3
	# the temporary exists before the kill, so its absence after means something
	ls -A | grep -q '^\.r\.json\.tmp\.'
	kill -KILL "$pid"
	wait "$pid" || true
	no_survivors "sleep $m"
	gone "$wd"
	[ -z "$(ls -A)" ] || { ls -lA >&2; false; }
}
