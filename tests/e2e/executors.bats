#!/usr/bin/env bats
# The thread and coroutine executors (issue 14): every built-in kind in every
# mode as threads or coroutines of one worker process per run, the report's
# records of them, and the run's ends (--timeout, --halt now, SIGINT, SIGKILL
# of tribench, Ctrl-Z) with no worker left behind. Not timing-sensitive:
# timing-executors.bats measures. executors-pgroup.bats runs this file again
# under process-group containment.
load helpers

# A failed check must not leave a stopped tribench behind (bats would wait for it).
teardown() {
	if [ -n "${TB_PID:-}" ]; then
		kill -CONT "$TB_PID" 2>/dev/null || true
		kill -KILL "$TB_PID" 2>/dev/null || true
	fi
	if [ -n "${FULL:-}" ]; then
		umount "$FULL" 2>/dev/null || true
	fi
	cd / && rm -rf "$SCRATCH"
}

# Every kind at small sizes: 2 tasks each.
KINDS=(-t cpu:ops=20000,count=2 -t sleep:ms=20,count=2 -t disk:kb=256,count=2
	-t mix:cpu_ms=2,io_ms=2,rounds=3,count=2 -t mem:mb=4,passes=2,count=2)

# every_kind EXECUTOR [ENV...]: every kind in every mode, checked.
every_kind() {
	local ex=$1
	shift
	env "$@" "$TRIBENCH" run "${KINDS[@]}" --executor "$ex" -m serial,concurrent,parallel --runs 1 \
		--warmup 0 -q -o r.json
	validate r.json
	local source=schedstat
	[ "$ex" = coroutine ] && source=loop
	jq -e --arg ex "$ex" --arg src "$source" '
		.workloads[0].modes as $m
		| ($m | length) == 3
		and ([$m[].executor] | all(. == $ex))
		and ([$m[].mode] == ["serial", "concurrent", "parallel"])
		and ([$m[].runs[] | .failed or .partial] | any | not)
		and ([$m[].runs[] | .tasks | length == 10] | all)
		and ([$m[].runs[].tasks[] | .exit.status == "exited" and .exit.code == 0] | all)
		and ([$m[].runs[].tasks[] | .states_source == $src] | all)
		and ([$m[].runs[].tasks[] | .max_rss_kb == null and .zombie_s == null
		      and .leftovers_killed == null and .cgroup == null] | all)
		and ([$m[].runs[] | [.tasks[].pid] | unique | length == 1] | all)
		and ([$m[].runs[].tasks[].pid] | unique | length == 3)
		and ([$m[].runs[].tasks[] | .outside_slot == false
		      and (.cpus_seen | length >= 1)
		      and (.cpus_seen - [.cpuset | tonumber] == [])] | all)' r.json
}

@test "threads: every kind in every mode, one worker per run, states from schedstat" {
	every_kind thread
	# a thread's states add up to its wall: blocked is what is left, never below -5 ms
	jq -e '[.workloads[0].modes[].runs[].tasks[] | .blocked_s >= -0.005
		and (.running_s + .ready_s + .blocked_s - .wall_s | fabs) < 1e-6] | all' r.json
	# parallel runs its tasks on both slots
	[ "$(nproc)" -lt 2 ] || jq -e '[.workloads[0].modes[2].runs[0].tasks[].slot] | unique == [0, 1]' r.json
}

@test "coroutines on io_uring: every kind in every mode, states from the loop" {
	every_kind coroutine
	[ "$(jqr r.json .config.loop)" = io_uring ]
	jq -e '[.workloads[0].modes[].runs[].tasks[] | .involuntary_switches == 0
		and (.running_s + .ready_s + .blocked_s - .wall_s | fabs) <= 0.05 * .wall_s + 0.005] | all' r.json
}

@test "coroutines on libuv (TRIBENCH_NO_IO_URING=1): every kind in every mode" {
	every_kind coroutine TRIBENCH_NO_IO_URING=1
	[ "$(jqr r.json .config.loop)" = libuv ]
}

# timeout EXECUTOR [ENV...]: a 5 s CPU task under --timeout 0.2 ends timed out, soon.
timeout_ends() {
	local ex=$1
	shift
	local start rc=0
	start=$(date +%s%N)
	env "$@" "$TRIBENCH" run -t cpu:ms=5000 --executor "$ex" --timeout 0.2 --runs 1 --warmup 0 -q \
		-o r.json || rc=$?
	local ms=$((($(date +%s%N) - start) / 1000000))
	echo "exit $rc after $ms ms"
	[ "$rc" -eq 1 ]
	[ "$ms" -lt 4000 ]	# calibration included; the task alone would take 5 s
	validate r.json
	jq -e '.workloads[0].modes[0].runs[0].tasks[0]
		| .exit.timed_out and .exit.status == "signaled" and .exit.signal_name == "SIGTERM"
		and (.exit.stopped | not) and .wall_s >= 0.19 and .wall_s < 0.5' r.json
}

@test "threads: --timeout stops a CPU-bound task at its deadline" {
	timeout_ends thread
}

@test "coroutines: --timeout stops a CPU-bound task at its deadline (io_uring and libuv)" {
	timeout_ends coroutine
	timeout_ends coroutine TRIBENCH_NO_IO_URING=1
}

# A directory on a 64 KiB tmpfs: a disk task of 1 MiB fails there at run time
# (ENOSPC), while its prepare (a writable directory) passes.
full_dir() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to mount a small tmpfs"
	FULL=$SCRATCH/full
	mkdir "$FULL"
	mount -t tmpfs -o size=64k tribench-test "$FULL" || skip "cannot mount a tmpfs here"
}

# halt_now EXECUTOR [ENV...]: a disk task that fails, then 3 long sleeps,
# under --halt now (and soon). Serial: the worker admits by itself, and counts
# the failure before it admits the next, so none starts. Concurrent: all
# four start at once, the sleeps are stopped long before their 10 s.
halt_now() {
	local ex=$1
	shift
	local rc=0
	env "$@" "$TRIBENCH" run -t "disk:kb=1024,dir=$FULL" -t sleep:ms=10000,count=3 --executor "$ex" \
		-m serial --halt now --task-output inherit --runs 1 --warmup 0 -q -o r.json 2>err || rc=$?
	[ "$rc" -eq 1 ]
	validate r.json
	grep -q 'disk task: write: No space left on device' err
	# the worker counts the failure itself: no later task starts, as with processes
	jq -e '.workloads[0].modes[0].runs[0] | .failed and .partial and .wall_s < 5
		and (.tasks[0].exit | .status == "exited" and .code == 1)
		and ([.tasks[1:][].exit | .status == "not_started"] | all)' r.json
	rc=0
	env "$@" "$TRIBENCH" run -t "disk:kb=1024,dir=$FULL" -t sleep:ms=100,count=3 --executor "$ex" \
		-m serial --halt soon --runs 1 --warmup 0 -q -o r.json 2>/dev/null || rc=$?
	[ "$rc" -eq 1 ]
	jq -e '[.workloads[0].modes[0].runs[0].tasks[1:][].exit.status] == ["not_started", "not_started", "not_started"]' r.json
	rc=0
	env "$@" "$TRIBENCH" run -t "disk:kb=1024,dir=$FULL" -t sleep:ms=10000,count=3 --executor "$ex" \
		-m concurrent --halt now --runs 1 --warmup 0 -q -o r.json || rc=$?
	[ "$rc" -eq 1 ]
	validate r.json
	jq -e '.workloads[0].modes[0].runs[0] | .failed and .partial and .wall_s < 5
		and (.tasks[0].exit.code == 1)
		and ([.tasks[1:][].exit | .status == "signaled" and .signal_name == "SIGTERM" and .stopped
		      and (.timed_out | not)] | all)' r.json
}

@test "threads: --halt now after a task that fails at run time (a full file system)" {
	full_dir
	halt_now thread
}

@test "coroutines: --halt now after a task that fails at run time (a full file system)" {
	full_dir
	halt_now coroutine
	halt_now coroutine TRIBENCH_NO_IO_URING=1
}

# worker_of PID: the pid of tribench PID's worker (up to 3 s for it to start).
worker_of() {
	local w
	for _ in $(seq 30); do
		w=$(pgrep -P "$1" -x tribench-worker) && [ -n "$w" ] && { echo "$w"; return 0; }
		sleep 0.1
	done
	echo "tribench $1 has no worker" >&2
	return 1
}

# gone PID: up to 3 s for PID to end (a zombie counts as ended: one whose
# parent is gone waits for init, which may be slow to reap it).
gone() {
	local s
	for _ in $(seq 30); do
		s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
		[ -z "$s" ] || [ "$s" = Z ] && return 0
		sleep 0.1
	done
	echo "worker $1 still runs (state $s)" >&2
	return 1
}

# interrupt EXECUTOR [ENV...]: SIGINT 1 s into a run of long tasks: exit
# 130 within 3 s, a valid interrupted report, every task stopped, no worker left.
interrupt() {
	local ex=$1
	shift
	env "$@" "${TRIBENCH_BG[@]}" run -t sleep:ms=30000,count=3 -t cpu:ms=30000,count=2 -m concurrent \
		--executor "$ex" --runs 1 --warmup 0 -q -o r.json &
	local pid=$!
	TB_PID=$pid
	sleep 1
	local w
	w=$(worker_of "$pid")
	local start rc=0
	start=$(date +%s%N)
	kill -INT "$pid"
	wait "$pid" || rc=$?
	local ms=$((($(date +%s%N) - start) / 1000000))
	echo "exit $rc after $ms ms"
	[ "$rc" -eq 130 ]
	[ "$ms" -lt 3000 ]
	validate r.json
	jq -e '.interrupted and (.workloads[0].modes[0].runs[0] | .partial
		and ([.tasks[].exit | .status == "signaled" and .signal_name == "SIGTERM" and .stopped] | all))' r.json
	gone "$w"
}

@test "threads: SIGINT stops every task through the flag, exit 130, no worker left" {
	interrupt thread
}

@test "coroutines: SIGINT stops every task through the flag, exit 130, no worker left" {
	interrupt coroutine
	interrupt coroutine TRIBENCH_NO_IO_URING=1
}

# killed EXECUTOR: tribench SIGKILLed mid-run; its watchdog (or the worker's
# own end of the control pipe) leaves no worker running.
killed() {
	"$TRIBENCH" run -t sleep:ms=30000,count=3 -t cpu:ms=30000,count=2 -m concurrent --executor "$1" \
		--runs 1 --warmup 0 -q -o r.json &
	local pid=$!
	sleep 1
	local w
	w=$(worker_of "$pid")
	kill -KILL "$pid"
	wait "$pid" || true
	gone "$w"
}

@test "threads: SIGKILL of tribench leaves no worker" {
	killed thread
}

@test "coroutines: SIGKILL of tribench leaves no worker" {
	killed coroutine
}

# state PID: the one-letter state of PID.
state() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# ctrl_z EXECUTOR: a Ctrl-Z 0.3 s into a 1 s sleep stops tribench and holds
# the worker; after a SIGCONT 1.5 s later the task ends normally and the run
# says it was suspended. Its --timeout 1.2 moved by the time held (as a
# process's does): unmoved, it would have passed during the hold.
ctrl_z() {
	"$TRIBENCH" run -t sleep:ms=1000 --executor "$1" -m serial --timeout 1.2 --runs 1 --warmup 0 -q \
		-o r.json &
	local pid=$!
	TB_PID=$pid
	sleep 0.3
	kill -TSTP "$pid"
	local s
	for _ in $(seq 30); do
		s=$(state "$pid")
		[ "$s" = T ] && break
		sleep 0.1
	done
	[ "$s" = T ]
	sleep 1.5
	kill -CONT "$pid"
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ]
	validate r.json
	jq -e '.workloads[0].modes[0].runs[0] | .suspended_s >= 1.3 and (.in_summary | not)
		and (.tasks[0].exit | .status == "exited" and .code == 0 and (.timed_out | not))' r.json
}

@test "threads: Ctrl-Z holds the worker, the run is suspended and then completes" {
	ctrl_z thread
}

@test "coroutines: Ctrl-Z holds the worker, the run is suspended and then completes" {
	ctrl_z coroutine
}

@test "threads and coroutines: a worker killed mid-run is exit 3 with a valid report that tribench reads back" {
	local ex pid w rc
	for ex in thread coroutine; do
		"$TRIBENCH" run -t sleep:ms=5000,count=2 --executor "$ex" -m concurrent --runs 1 --warmup 0 -q \
			-o r.json 2>err &
		pid=$!
		w=
		for _ in $(seq 50); do
			w=$(pgrep -P "$pid" -x tribench-worker || true)
			[ -n "$w" ] && break
			sleep 0.1
		done
		[ -n "$w" ]
		sleep 0.3
		kill -KILL "$w"
		rc=0
		wait "$pid" || rc=$?
		[ "$rc" -eq 3 ]
		grep -q "was killed by signal 9" err
		validate r.json
		"$TRIBENCH" export --format json r.json | cmp - r.json
		# the tasks' own counters went with the worker: null, and said so
		jq -e '.workloads[0].modes[0].runs[0] | (.user_s | type) == "number"
			and ([.tasks[] | .exit.status == "signaled" and .user_s == null and .running_s == null
			      and .voluntary_switches == null and .states_source == null] | all)' r.json
		jq -e '[.warnings[] | select(test("went with the worker"))] | length == 1' r.json
	done
}
