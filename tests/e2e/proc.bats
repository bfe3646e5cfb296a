#!/usr/bin/env bats
# When /proc fails (the man page's WHEN /PROC FAILS): what tribench needs to
# measure anything is checked before any task runs, and a shortage of file
# descriptors later stops the run; both exit 3 with one line and no report.
# A host fact that cannot be read is null, never a zero.
load helpers

TINY='-t sleep:ms=1 --runs 1 --warmup 0 -m serial -q'

# The error contract of a runtime error: exit 3, one stderr line holding every
# needle, no report and no temporary, no --results directory.
assert_fatal() {
	[ "$status" -eq 3 ] || { echo "exit $status: $output" >&2; return 1; }
	assert_one_line_error
	for needle in "$@"; do
		[[ "$output" == *"$needle"* ]] || { echo "no '$needle' in: $output" >&2; return 1; }
	done
	[ -z "$(ls -A "$SCRATCH")" ] || { echo "left behind: $(ls -A "$SCRATCH")" >&2; return 1; }
}

# A private mount namespace to break /proc in; skips where there is none.
need_mount_ns() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a mount namespace"
	unshare -m true 2>/dev/null || skip "unshare -m is not permitted here"
}

# AddressSanitizer needs /proc itself (it reads its options from
# /proc/self/environ and checks leaks through /proc/PID/task): a sanitized
# binary cannot be tested without /proc.
skip_if_sanitized() {
	! ldd "$TRIBENCH" 2>/dev/null | grep -q libasan || skip "AddressSanitizer itself needs /proc"
}

# The descriptor limit tribench asks for with the given options, from its error.
needed_limit() {
	bash -c 'ulimit -n 8; exec "$@"' _ "$TRIBENCH" run "$@" 2>&1 >/dev/null |
		sed -n 's/.*a limit of \([0-9]*\):.*/\1/p'
}

@test "too few file descriptors: exit 3 before anything runs (ulimit -n 8)" {
	run bash -c 'ulimit -n 8; exec "$0" run -t sleep:ms=1 --runs 1 --warmup 0 -o r.json --results res' "$TRIBENCH"
	assert_fatal "RLIMIT_NOFILE" "Too many open files"
	[ ! -e r.json ] && [ ! -e res ]
}

@test "the descriptor count is exact: the limit asked for runs everything, one less does not" {
	opts=(-t cpu:ms=20,count=3 -t sleep:ms=1,count=3 --runs 2 --warmup 1 -o r.json --results res -q)
	limit=$(needed_limit "${opts[@]}")
	[ -n "$limit" ]
	[ "$limit" -ge 10 ]
	run bash -c 'ulimit -n "$1"; shift; exec "$@"' _ $((limit - 1)) "$TRIBENCH" run "${opts[@]}"
	assert_fatal "a limit of $limit"
	# calibration's pipe, the --results pairs, /proc reads: all within the count
	run bash -c 'ulimit -n "$1"; shift; exec "$@"' _ "$limit" "$TRIBENCH" run "${opts[@]}"
	[ "$status" -eq 0 ] || { echo "$output" >&2; false; }
	[ "$(jq '[.host.load_avg[] | numbers] | length' r.json)" -eq 3 ]
	[ "$(jqr r.json '.host.procs_running | numbers')" -ge 1 ]
	[ "$(jq '[.workloads[].modes[].runs[].cpus[].busy | numbers] | length' r.json)" -ge 1 ]
	[ -e res/custom/serial/2/0.out ] && [ -e res/custom/parallel/2/5.err ]
}

@test "a low soft limit under a higher hard limit is raised, not fatal" {
	hard=$(ulimit -H -n)
	[ "$hard" = unlimited ] || [ "$hard" -ge 64 ] || skip "hard RLIMIT_NOFILE is $hard"
	run bash -c 'ulimit -S -n 8; exec "$0" run -t sleep:ms=1 --runs 1 --warmup 0 -m serial -q -o r.json' "$TRIBENCH"
	[ "$status" -eq 0 ] || { echo "$output" >&2; false; }
	[ -z "$output" ]
	validate r.json
	[ "$(jq '[.host.load_avg[] | numbers] | length' r.json)" -eq 3 ]
	[ "$(jqr r.json '.host.aslr | numbers')" -ge 0 ]
}

# The lowest descriptor number pid does not hold: at that limit its next open fails.
lowest_free_fd() {
	local n=0
	while [ -e "/proc/$1/fd/$n" ]; do n=$((n + 1)); done
	echo "$n"
}

@test "no descriptor left during a run: the run stops, tasks are killed, exit 3 with a partial report" {
	command -v prlimit >/dev/null || skip "no prlimit(1)"
	"$TRIBENCH" run -t sleep:ms=8000 --runs 1 --warmup 0 -m serial -q -o r.json 2>err &
	pid=$!
	# wait for the task: the watchdog and it are the children
	for _ in $(seq 100); do
		[ "$(wc -w <"/proc/$pid/task/$pid/children")" -ge 2 ] && break
		sleep 0.05
	done
	kids=$(cat "/proc/$pid/task/$pid/children")
	[ "$(echo "$kids" | wc -w)" -ge 2 ]
	SECONDS=0
	prlimit --pid "$pid" --nofile="$(lowest_free_fd "$pid")"
	status=0
	wait "$pid" || status=$?
	output=$(cat err)
	rm err
	# a runtime error mid-run: exit 3, one line, and the valid report of what ran
	[ "$status" -eq 3 ]
	assert_one_line_error
	[[ "$output" == *"cannot open '/proc/"*"Too many open files"* ]]
	validate r.json
	jq -e '.workloads[0].modes[0].runs[0] | .partial and (.failed | not) and .tasks[0].exit.stopped' r.json
	[ "$SECONDS" -le 3 ]	# the 8 s task did not run out
	for k in $kids; do [ ! -e "/proc/$k" ] || grep -q '^State:.*Z' "/proc/$k/status"; done
}

@test "/proc not mounted: exit 3 naming /proc" {
	need_mount_ns
	skip_if_sanitized
	run unshare -m sh -c 'umount -l /proc && exec "$0" run -t sleep:ms=1 --runs 1 --warmup 0 -q -o r.json' "$TRIBENCH"
	assert_fatal "'/proc'"
}

@test "/proc an empty tmpfs: exit 3 naming /proc" {
	need_mount_ns
	skip_if_sanitized
	run unshare -m sh -c 'mount -t tmpfs none /proc && exec "$0" run -t sleep:ms=1 --runs 1 --warmup 0 -q -o r.json' "$TRIBENCH"
	assert_fatal "'/proc'"
}

@test "/proc/stat empty: exit 3 naming it" {
	need_mount_ns
	: >"$BATS_TMPDIR/empty.$$"
	run unshare -m sh -c 'mount --bind "$1" /proc/stat && exec "$0" run -t sleep:ms=1 --runs 1 --warmup 0 -q -o r.json' \
		"$TRIBENCH" "$BATS_TMPDIR/empty.$$"
	rm -f "$BATS_TMPDIR/empty.$$"
	assert_fatal "'/proc/stat'" "No data available"
}

@test "/proc/stat unreadable: exit 3 naming it with the errno text" {
	need_mount_ns
	command -v setpriv >/dev/null || skip "no setpriv(1)"
	f="$BATS_TMPDIR/unreadable.$$"
	echo "cpu0 1 2 3 4" >"$f"
	chmod 000 "$f"
	# root reads anything: drop the capabilities that let it
	run unshare -m sh -c 'mount --bind "$1" /proc/stat && exec setpriv --bounding-set -dac_override,-dac_read_search "$0" run -t sleep:ms=1 --runs 1 --warmup 0 -q -o r.json' \
		"$TRIBENCH" "$f"
	rm -f "$f"
	assert_fatal "'/proc/stat'" "Permission denied"
}

@test "/proc/loadavg unreadable: load_avg is null, not zero, and the run goes on" {
	need_mount_ns
	command -v setpriv >/dev/null || skip "no setpriv(1)"
	f="$BATS_TMPDIR/loadavg.$$"
	echo "0.00 0.00 0.00 1/1 1" >"$f"
	chmod 000 "$f"
	run unshare -m sh -c 'mount --bind "$1" /proc/loadavg && exec setpriv --bounding-set -dac_override,-dac_read_search "$0" run -t sleep:ms=60 --runs 1 --warmup 0 -m serial -q -o r.json' \
		"$TRIBENCH" "$f"
	rm -f "$f"
	[ "$status" -eq 0 ] || { echo "$output" >&2; false; }
	[ "$(jq -c .host.load_avg r.json)" = "[null,null,null]" ]
	# the facts it could read are still there
	[ "$(jqr r.json '.host.procs_running | numbers')" -ge 1 ]
	[ "$(jqr r.json '.host.aslr | numbers')" -ge 0 ]
	# a 60 ms run spans several ticks: /proc/stat still gives busy shares
	[ "$(jq '[.workloads[0].modes[0].runs[0].cpus[].busy | numbers] | length' r.json)" -ge 1 ]
}
