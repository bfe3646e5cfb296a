#!/usr/bin/env bats
# Containment: every task tree in a cgroup v2 leaf of its own (or, without a
# writable hierarchy, its process group), killed as a whole, nothing left
# behind, even when tribench is SIGKILLed. Runs as root on a machine with a
# cgroup2 mount; the cases that need one skip visibly without it.
load helpers

teardown() {
	pkill -9 -f 'sleep 7[0-9]' 2>/dev/null || true
	cd / && rm -rf "$SCRATCH"
}

@test "serial: a setsid'd leftover of one task is gone before the next starts" {
	need_cgroup
	cat >task.sh <<'EOS'
pgrep -fc 'sleep 77'
setsid sleep 77 &
sleep 0.3
EOS
	"$TRIBENCH" run --name custom -m serial --runs 1 --warmup 0 --count 3 -q --results res -o r.json -- sh "$PWD/task.sh"
	[ "$(jq -r .containment r.json)" = cgroup ]
	for i in 0 1 2; do
		[ "$(cat res/custom/serial/1/$i.out)" = 0 ]
	done
	jq -e '[.workloads[0].modes[0].runs[0].tasks[].leftovers_killed] | all(. >= 1)' r.json
	jq -e '[.workloads[0].modes[0].runs[0].tasks[].zombie_s] | all(. >= 0 and . < 1)' r.json
	no_survivors 'sleep 77'
	validate r.json
}

@test "a leader that joins another process group is still timed out, nothing left" {
	need_cgroup
	SECONDS=0
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q --timeout 1 --grace 0.5 -o r.json -- \
		python3 -c 'import os,time; os.setpgid(0, os.getpgid(os.getppid())); time.sleep(60)'
	[ "$SECONDS" -le 4 ]
	[ "$status" -eq 1 ]
	jq -e '.workloads[0].modes[0].runs[0].tasks[0].exit.timed_out' r.json
	no_survivors 'time.sleep(60)'
}

@test "SIGKILL of tribench during a 3000-task concurrent launch: no survivor" {
	need_cgroup
	"$TRIBENCH" run -m concurrent --runs 1 --warmup 0 --count 3000 -q -o r.json -- sleep 71 &
	local pid=$!
	sleep 1
	kill -9 "$pid"
	wait "$pid" || true
	no_survivors 'sleep 71'
	[ -z "$(ls -A | grep tmp)" ]
}

@test "SIGKILL of tribench: setsid'd and double-forked descendants die too" {
	need_cgroup
	"$TRIBENCH" run -m concurrent --runs 1 --warmup 0 --count 4 -q -o r.json -- \
		sh -c 'setsid sleep 72 & (sleep 73 &) ; sleep 74' &
	local pid=$!
	sleep 1
	[ "$(pgrep -fc 'sleep 7[234]')" -ge 8 ]
	kill -9 "$pid"
	wait "$pid" || true
	no_survivors 'sleep 7[234]'
}

@test "the watchdog is named tribench-wd: killall -x tribench misses it" {
	need_cgroup
	"$TRIBENCH" run -t sleep:ms=1500 --runs 1 --warmup 0 -m serial -q -o r.json &
	local pid=$!
	sleep 0.5
	pgrep -x tribench-wd
	[ "$(pgrep -x tribench | grep -c "^$pid$")" -eq 1 ]
	wait "$pid"
}

@test "--containment pgroup: process groups, said in the report; a leftover in the group still dies" {
	run "$TRIBENCH" run --containment pgroup -m serial --runs 1 --warmup 0 --count 1 -q -o r.json -- \
		sh -c 'sleep 70 & exit 0'
	[ "$status" -eq 0 ]
	[ "$(jq -r .containment r.json)" = pgroup ]
	[ "$(jq '.workloads[0].modes[0].runs[0].tasks[0].leftovers_killed' r.json)" = null ]
	no_survivors 'sleep 70'
	validate r.json
}

@test "unprivileged (not writable): process groups and exactly one warning; --containment cgroup is exit 2" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to become another user"
	command -v setpriv >/dev/null || skip "no setpriv"
	local d
	d=$(mktemp -d /tmp/tribench-nobody.XXXXXX)
	chmod 777 "$d"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$TRIBENCH" run -t sleep:ms=1 --runs 1 \
		--warmup 0 -m serial -o "$d/r.json"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'containment is process groups' <<<"$output")" -eq 1 ]
	[ "$(jq -r .containment "$d/r.json")" = pgroup ]
	jq -e '[.warnings[] | select(test("containment"))] | length == 1' "$d/r.json"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$TRIBENCH" run --containment cgroup \
		-t sleep:ms=1 --runs 1 --warmup 0 -m serial -o "$d/r2.json"
	[ "$status" -eq 2 ]
	assert_one_line_error
	[ ! -e "$d/r2.json" ]
	rm -rf "$d"
}

@test "--containment: a bad value is bad input" {
	run "$TRIBENCH" run --containment box -t sleep:ms=1
	[ "$status" -eq 2 ]
	assert_one_line_error
}

@test "kept leaves: tribench's descriptors do not grow from run 2 to run 10, and each task's leaf counters are its own" {
	need_cgroup
	# each task prints how many descriptors tribench (its parent) holds
	"$TRIBENCH" run --name custom -m parallel -j 2 --runs 10 --warmup 0 --count 4 -q --results res -o r.json -- \
		sh -c 'ls /proc/$PPID/fd | wc -l; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'
	[ "$(jq -r .containment r.json)" = cgroup ]
	second=$(cat res/custom/parallel/2/*.out | sort -n | tail -n 1)
	tenth=$(cat res/custom/parallel/10/*.out | sort -n | tail -n 1)
	echo "tribench's descriptors: at most $second in run 2, $tenth in run 10" >&2
	# a task may look while tribench launches the other slot's task, whose
	# .out and .err are open for that moment: 2 descriptors of slack, where a
	# leak of one per task would show 8 runs x 4 tasks = 32
	[ "$tenth" -le $((second + 2)) ]
	# a leaf's cpu.stat is read through a kept descriptor: each task's cpu_s
	# is its own tree's (the shell and its ls), close to its rusage user+sys
	jq -e '[.workloads[0].modes[0].runs[].tasks[] | .cgroup.cpu_s as $c | (.user_s + .sys_s) as $r |
		$c > 0 and ($c - $r | fabs) <= 0.1 * $r + 0.005] | all' r.json
	validate r.json
}
