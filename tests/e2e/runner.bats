#!/usr/bin/env bats
# tribench as a task runner: commands, timeouts, halting, signals, and no task
# process outliving it however it ends.
load helpers

# A sleep no other test uses, so pgrep finds only ours.
marker() {
	echo "3$((RANDOM % 10)).$RANDOM$RANDOM"
}

# tasks REPORT FILTER: FILTER applied to the array of every task record.
tasks() {
	jqr "$1" "[.workloads[0].modes[].runs[].tasks[]] | $2"
}

@test "a command runs --count times with its full record" {
	"$TRIBENCH" run --count 3 -m serial,parallel --runs 1 --warmup 0 -q -o r.json -- true
	validate r.json
	[ "$(tasks r.json 'length')" -eq 6 ]
	tasks r.json 'all(.exit.status == "exited" and .exit.code == 0 and .running_s != null
		and .ready_s != null and (.cpus_seen | length) > 0 and .cpus_allowed == .cpuset)'
	jqr r.json '.workloads[0].tasks[0].params.argv == ["true"]'
}

@test "the default count is twice the usable cores" {
	cores=$(jq -er '.usable_cores' <("$TRIBENCH" topology))
	"$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o r.json -- true
	[ "$(jqr r.json '.workloads[0].tasks | length')" -eq $((2 * cores)) ]
}

@test "tasks see TRIBENCH_TASK_ID, TRIBENCH_SLOT and TRIBENCH_MODE" {
	"$TRIBENCH" run --name custom --count 2 -m parallel -j 2 --runs 1 --warmup 0 -q --results out -o r.json -- \
		sh -c 'echo "$TRIBENCH_TASK_ID $TRIBENCH_SLOT $TRIBENCH_MODE"'
	[ "$(cat out/custom/parallel/1/0.out)" = "0 $(jqr r.json '.workloads[0].modes[0].runs[0].tasks[0].slot') parallel" ]
	[ "$(cut -d' ' -f1,3 out/custom/parallel/1/1.out)" = "1 parallel" ]
	[ -f out/custom/parallel/1/1.err ]
}

@test "task output goes to /dev/null by default and through with --task-output inherit" {
	run "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o /dev/null -- echo hello-from-task
	[ "$status" -eq 0 ]
	[[ "$output" != *hello-from-task* ]]
	run "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q --task-output inherit -o /dev/null -- echo hello-from-task
	[ "$status" -eq 0 ]
	[[ "$output" == *hello-from-task* ]]
}

@test "--commands runs one task per non-empty line, shell lines through /bin/sh" {
	printf 'sleep 0\n\n  \necho a | cat\nexit 3\n' >cmds
	run "$TRIBENCH" run --commands cmds -m serial --runs 1 --warmup 0 -q -o r.json
	[ "$status" -eq 1 ]
	validate r.json
	jqr r.json '[.workloads[0].tasks[].params.argv] == [["sleep", "0"], ["/bin/sh", "-c", "echo a | cat"], ["/bin/sh", "-c", "exit 3"]]'
	jqr r.json '[.workloads[0].modes[0].runs[0].tasks[].exit.code] == [0, 0, 3]'
	printf 'true\ntrue\n' | "$TRIBENCH" run --commands - -m serial --runs 1 --warmup 0 -q -o r2.json
	[ "$(jqr r2.json '.workloads[0].tasks | length')" -eq 2 ]
}

@test "taskfile cmd tasks take argv or a shell line" {
	printf '%s\n' '{"workloads": [{"name": "c", "tasks": [{"kind": "cmd", "argv": ["true"], "count": 2}, {"kind": "cmd", "shell": "true && true"}]}]}' >t.json
	validate t.json "$TOP_SRCDIR/docs/taskfile.schema.json"
	"$TRIBENCH" run -f t.json -m serial --runs 1 --warmup 0 -q -o r.json
	validate r.json
	[ "$(tasks r.json 'length')" -eq 3 ]
}

@test "--timeout TERMs both sleeping tasks after 1 s: done within 4 s, both timed out" {
	m=$(marker)
	start=$(date +%s%N)
	run "$TRIBENCH" run --count 2 -m concurrent --runs 1 --warmup 0 --timeout 1 -q -o r.json -- sleep "$m"
	elapsed_ms=$((($(date +%s%N) - start) / 1000000))
	echo "status $status, ${elapsed_ms} ms"
	[ "$status" -eq 1 ]
	[ "$elapsed_ms" -lt 4000 ]
	validate r.json
	tasks r.json 'length == 2 and all(.exit.timed_out and .exit.signal_name == "SIGTERM" and .exit.exitcode == -15)'
	no_survivors "sleep $m"
}

@test "a task that ignores SIGTERM is KILLed after the grace" {
	m=$(marker)
	run "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 --timeout 0.3 --grace 300ms -q -o r.json -- \
		sh -c "trap '' TERM; sleep $m"
	[ "$status" -eq 1 ]
	tasks r.json '.[0].exit | .timed_out and .signal == 9 and .signal_name == "SIGKILL" and .exitcode == -9'
	tasks r.json '.[0].wall_s >= 0.55 and .[0].wall_s < 3'
	no_survivors "sleep $m"
}

@test "SIGINT one second in: exit 130 within 3 s, a valid interrupted report, no task left" {
	m=$(marker)
	"${TRIBENCH_BG[@]}" run --count 4 -q -o r.json -- sleep "$m" &
	pid=$!
	sleep 1
	start=$(date +%s%N)
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	elapsed_ms=$((($(date +%s%N) - start) / 1000000))
	echo "exit $rc after ${elapsed_ms} ms"
	[ "$rc" -eq 130 ]
	[ "$elapsed_ms" -lt 3000 ]
	validate r.json
	jqr r.json '.interrupted == true'
	no_survivors "sleep $m"
}

@test "a second SIGINT skips the grace" {
	m=$(marker)
	"${TRIBENCH_BG[@]}" run --count 2 -m concurrent --grace 20s -q -o r.json -- sh -c "trap '' TERM INT; sleep $m" &
	pid=$!
	sleep 1
	kill -INT "$pid"
	sleep 0.3
	kill -0 "$pid"	# still in its grace
	start=$(date +%s%N)
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	elapsed_ms=$((($(date +%s%N) - start) / 1000000))
	[ "$rc" -eq 130 ]
	[ "$elapsed_ms" -lt 2000 ]
	no_survivors "sleep $m"
}

@test "SIGKILL of tribench leaves no task process, nor the report's temporary" {
	m=$(marker)
	"$TRIBENCH" run --count 4 -q -o r.json -- sleep "$m" &
	pid=$!
	sleep 1
	[ "$(pgrep -fc "sleep $m")" -ge 1 ]
	kill -KILL "$pid"
	wait "$pid" || true
	no_survivors "sleep $m"
	[ -z "$(ls -A)" ]
}

@test "SIGKILL of tribench also ends what a shell line forked" {
	m=$(marker)
	printf 'sleep %s; true\nsleep %s; true\n' "$m" "$m" >cmds
	"$TRIBENCH" run --commands cmds -m concurrent -q -o r.json &
	pid=$!
	sleep 1
	[ "$(pgrep -fc "^sleep $m")" -eq 2 ]
	kill -KILL "$pid"
	wait "$pid" || true
	no_survivors "sleep $m"
}

@test "a segfaulting command is SIGSEGV, exitcode -11, and tribench exits 1" {
	run "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o r.json -- sh -c 'kill -SEGV $$'
	[ "$status" -eq 1 ]
	validate r.json
	tasks r.json '.[0].exit | .status == "signaled" and .signal == 11 and .signal_name == "SIGSEGV" and .exitcode == -11'
}

@test "a missing command records 127, a non-executable one 126, with the reason" {
	run "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o r.json -- /nonexistent
	[ "$status" -eq 1 ]
	validate r.json
	tasks r.json '.[0].exit | .code == 127 and .exitcode == 127 and (.error | test("not found"))'
	printf 'data\n' >notexec
	run "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o r.json -- ./notexec
	[ "$status" -eq 1 ]
	tasks r.json '.[0].exit | .code == 126 and (.error | test("Permission denied"))'
}

@test "--halt soon,fail=1 starts nothing after the first failure" {
	printf 'false\nsleep 0.2\nsleep 0.2\nsleep 0.2\n' >cmds
	run "$TRIBENCH" run --commands cmds -m serial --runs 3 --warmup 0 --halt soon,fail=1 -q -o r.json
	[ "$status" -eq 1 ]
	validate r.json
	jqr r.json '[.workloads[0].modes[].runs | length] | add == 1'
	tasks r.json 'map(.exit.status) == ["exited", "not_started", "not_started", "not_started"]'
}

@test "--halt now,fail=1 also terminates the running tasks" {
	m=$(marker)
	printf 'sleep %s\nsleep 0.2; false\n' "$m" >cmds
	run "$TRIBENCH" run --commands cmds -m concurrent --runs 1 --warmup 0 --halt now,fail=1 -q -o r.json
	[ "$status" -eq 1 ]
	tasks r.json '.[0].exit.signal_name == "SIGTERM" and .[1].exit.code == 1'
	no_survivors "sleep $m"
}

@test "2000 x true through --commands: every task recorded with exit 0 and full records" {
	for _ in $(seq 2000); do echo true; done >cmds
	"$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 --commands cmds -q -o r.json
	[ "$(tasks r.json 'length')" -eq 2000 ]
	tasks r.json 'all(.exit.code == 0 and .running_s != null and .ready_s != null and .max_rss_kb > 0
		and (.cpus_seen | length) == 1 and .cpus_allowed == .cpuset and .wall_s > 0)'
	[ "$(tasks r.json 'map(.pid) | unique | length')" -eq 2000 ]
}

@test "tribench ... | head ends quietly" {
	run bash -c "'$TRIBENCH' run --count 2 -m serial --runs 1 --warmup 0 -- true 2>&1 >/dev/null | head -c 1; '$TRIBENCH' run --count 2 -m serial --runs 1 --warmup 0 -q -- true | head -c 10 >/dev/null; echo \"rc=\${PIPESTATUS[0]}\""
	[[ "$output" == *rc=0* ]]
	[[ "$output" != *tribench:* ]]
}

@test "no descriptor beyond stdin, stdout and stderr reaches a task, not even one tribench inherited" {
	"$TRIBENCH" run --name custom --count 1 -m serial --runs 1 --warmup 0 -q --results out -o r.json -- \
		sh -c 'ls /proc/$$/fd' 3>inherited
	[ "$(tr '\n' ' ' <out/custom/serial/1/0.out)" = "0 1 2 " ]
}

@test "a shell pipeline's states: its tree's CPU (cgroup) or rusage (pgroup), agreeing with user+sys, ready and blocked unknown" {
	"$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o r.json -- \
		sh -c 'head -c 20000000 /dev/zero | md5sum >/dev/null'
	validate r.json
	c=$(jqr r.json .containment)
	tasks r.json ".[0] | .states_source == (if \"$c\" == \"cgroup\" then \"cgroup\" else \"rusage\" end)
		and .ready_s == null and .blocked_s == null
		and ((.running_s - .user_s - .sys_s) | fabs) <= (if \"$c\" == \"cgroup\" then 0.02 * .running_s + 0.002 else 1e-6 end)"
}

@test "a descendant that leaves its process group does not outlive tribench" {
	m=$(marker)
	"$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 -q -o r.json -- sh -c "setsid sleep $m & sleep 0.1"
	no_survivors "sleep $m"
}

@test "a task that timed out fails the run even when it exits 0" {
	run "$TRIBENCH" run --count 1 -m serial --runs 1 --warmup 0 --timeout 0.2 -q -o r.json -- \
		sh -c 'trap "exit 0" TERM; sleep 2 & wait'
	[ "$status" -eq 1 ]
	tasks r.json '.[0].exit | .timed_out and .code == 0'
}

@test "the report says which containment held the tasks" {
	"$TRIBENCH" run -t sleep:ms=1 --runs 1 --warmup 0 -m serial -q -o r.json
	local want=${TRIBENCH_CONTAINMENT:-cgroup}
	[ "$(id -u)" -eq 0 ] && grep -q ' - cgroup2 ' /proc/self/mountinfo || want=pgroup
	[ "$(jq -r .containment r.json)" = "$want" ]
	[ "$(jq -r .config.containment r.json)" = "${TRIBENCH_CONTAINMENT:-auto}" ]
}
