#!/usr/bin/env bats
# A run cgroup left by a tribench killed together with its watchdog is killed by
# the next tribench. Alone: any tribench that starts meanwhile (the parallel
# harness runs other test files) would reap it first, so tests/run-test gives
# this file the machine to itself (the *-alone.bats files take the exclusive lock).
load helpers

teardown() {
	pkill -9 -f 'sleep 7[0-9]' 2>/dev/null || true
	cd / && rm -rf "$SCRATCH"
}

@test "SIGKILL of tribench and its watchdog together: the next tribench kills what they left" {
	need_cgroup
	"$TRIBENCH" run -m concurrent --runs 1 --warmup 0 --count 3 -q -o r.json -- sh -c 'setsid sleep 75 & sleep 76' &
	local pid=$! wd="" i
	# up to 5 s for the watchdog and the tasks (under ASan on a loaded machine
	# one second was not always enough, and nothing was then left to orphan)
	for i in $(seq 50); do
		wd=$(pgrep -P "$pid" -x tribench-wd || true)
		[ -n "$wd" ] && [ "$(pgrep -fc 'sleep 7[56]')" -ge 1 ] && break
		sleep 0.1
	done
	[ -n "$wd" ]
	# stopped first, so that it cannot react to its watchdog's death
	kill -STOP "$pid"
	kill -9 "$wd"
	kill -9 "$pid"
	wait "$pid" || true
	sleep 0.2
	[ "$(pgrep -fc 'sleep 7[56]')" -ge 1 ]	# orphaned: nobody killed them
	run "$TRIBENCH" run -t sleep:ms=1 --runs 1 --warmup 0 -m serial -o r2.json
	[ "$status" -eq 0 ]
	[[ "$output" == *"killed the run cgroups of a tribench that died with its watchdog"* ]]
	no_survivors 'sleep 7[56]'
}
