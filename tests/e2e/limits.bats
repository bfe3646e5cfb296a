#!/usr/bin/env bats
# Concurrent mode under limits: --max-in-flight, RLIMIT_NPROC (as nobody) and
# a v1 pids cgroup. A run of more tasks than a limit allows completes with
# every task exited 0, capped by the admission bound with one warning.

load helpers

# max_overlap FILE: the most tasks whose [start_s, end_s] overlap at one instant.
max_overlap() {
	jq '[.workloads[0].modes[0].runs[0].tasks[] | select(.start_s != null)
	     | ([.start_s, 1], [.end_s, -1])] | sort | reduce .[] as $e ({n: 0, m: 0};
	     .n += $e[1] | .m = ([.m, .n] | max)) | .m' "$1"
}

# all_exited_0 FILE N: N tasks in the report, each exited with code 0.
all_exited_0() {
	[ "$(jq '.workloads[0].modes[0].runs[0].tasks | length' "$1")" -eq "$2" ]
	[ "$(jq '[.workloads[0].modes[0].runs[0].tasks[] | select(.exit.status == "exited" and .exit.code == 0)] | length' "$1")" -eq "$2" ]
}

# cap_warning FILE: the admission bound's warning, or nothing.
cap_warning() {
	jq -r '.warnings[] | select(test("(tasks were|task was) in flight at once"))' "$1"
}

@test "--max-in-flight 3: no more than 3 tasks overlap; config and plan say 3" {
	run "$TRIBENCH" run -m concurrent --max-in-flight 3 --runs 1 --warmup 0 -q --count 20 \
		-o r.json -- sleep 0.2
	[ "$status" -eq 0 ]
	all_exited_0 r.json 20
	[ "$(jqr r.json .config.max_in_flight)" -eq 3 ]
	[ "$(jqr r.json '.workloads[0].modes[0].plan.max_in_flight')" -eq 3 ]
	overlap=$(max_overlap r.json)
	echo "max overlap $overlap"
	[ "$overlap" -le 3 ]
	[ "$overlap" -ge 2 ]	# and it did run tasks side by side
	[ -z "$(cap_warning r.json)" ]
}

# A copy of the build that user nobody can run: tribench and its launcher
# in a 0755 directory of their own.
nobody_copy() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run as nobody"
	id nobody >/dev/null 2>&1 || skip "no user nobody"
	command -v setpriv >/dev/null || skip "no setpriv"
	BIN=$(mktemp -d /tmp/tribench-nobody.XXXXXX)
	chmod 0755 "$BIN"
	cp "$TRIBENCH" "$BIN/tribench"
	cp "$(dirname "$TRIBENCH")/tribench-spawn" "$BIN/" 2>/dev/null || true
	chmod 0755 "$BIN"/*
	chown nobody "$SCRATCH"
}

@test "as nobody under ulimit -u 40: 100 concurrent tasks all exit 0, capped with a warning" {
	nobody_copy
	[ "$(ps -u nobody -o pid= | wc -l)" -lt 10 ] || skip "nobody already runs processes"
	run timeout 120 setpriv --reuid=nobody --regid=nogroup --clear-groups -- \
		bash -c "ulimit -u 40 && cd '$SCRATCH' && '$BIN/tribench' run -m concurrent --runs 1 \
		--warmup 0 -q --count 100 -o r.json -- sleep 0.3"
	rm -rf "$BIN"
	echo "$output"
	[ "$status" -eq 0 ]
	all_exited_0 r.json 100
	warning=$(cap_warning r.json)
	echo "$warning"
	[[ "$warning" == *"RLIMIT_NPROC 40 less"* ]]
	bound=$(sed -n 's/^at most \([0-9]*\) tasks.*/\1/p' <<<"$warning")
	[ "$bound" -ge 1 ] && [ "$bound" -lt 40 ]
	[ "$(max_overlap r.json)" -le "$bound" ]
}

# The v1 pids hierarchy's mount point, from mountinfo (super options hold "pids").
pids_v1_mount() {
	awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup" && ("," $(i + 3) ",") ~ /,pids,/) print $5; break } }' \
		/proc/self/mountinfo | head -1
}

# pids_cgroup NAME: $cg, a new v1 pids cgroup NAME.$$ with pids.max 30 (the
# test is skipped, visibly, where one cannot be made).
pids_cgroup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to make a cgroup"
	local mp
	mp=$(pids_v1_mount)
	[ -n "$mp" ] || skip "no cgroup v1 pids hierarchy mounted"
	cg="$mp/$1.$$"
	mkdir "$cg" || skip "cannot make a cgroup under $mp"
	echo 30 >"$cg/pids.max"
}

@test "in a v1 pids cgroup with pids.max 30: 60 concurrent tasks all exit 0, capped with a warning" {
	pids_cgroup tribench-limits
	run timeout 120 sh -c "echo \$\$ >'$cg/cgroup.procs' && exec '$TRIBENCH' run --name custom -m concurrent \
		--runs 1 --warmup 0 -q --count 60 -o r.json -- sleep 0.3"
	rmdir "$cg" 2>/dev/null || true
	echo "$output"
	[ "$status" -eq 0 ]
	all_exited_0 r.json 60
	warning=$(cap_warning r.json)
	echo "$warning"
	[[ "$warning" == *"pids.max 30 less pids.current"*"tribench-limits.$$"* ]]
	bound=$(sed -n 's/^at most \([0-9]*\) tasks.*/\1/p' <<<"$warning")
	[ "$bound" -ge 1 ] && [ "$bound" -lt 30 ]
	[ "$(max_overlap r.json)" -le "$bound" ]
	# --dry-run shows the admission a run would get now, and says why
	mkdir "$cg" && echo 30 >"$cg/pids.max"
	run timeout 60 sh -c "echo \$\$ >'$cg/cgroup.procs' && exec '$TRIBENCH' run --name custom --dry-run -m concurrent \
		--count 60 -- sleep 0.3"
	rmdir "$cg" 2>/dev/null || true
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"at most "*" tasks would be in flight at once: the room left by pids.max 30"* ]]
	cell=$(grep -E '^custom' <<<"$output" | cut -f 3)
	[ "${cell%% *}" -ge 1 ] && [ "${cell%% *}" -lt 30 ]
}

@test "a pids cgroup filled by others mid-run: EAGAIN is retried, never a hang, no task lost" {
	pids_cgroup tribench-limits-fill
	# once tribench has taken its bound of pids.max 30 (15 or more in the
	# cgroup, however slowly it started), the limit drops to 12 (an
	# administrator, or others filling the cgroup): with ~20 tasks in flight,
	# its next clones meet EAGAIN until enough have ended
	run timeout 120 sh -c "echo \$\$ >'$cg/cgroup.procs' || exit 9; \
		( i=0; while [ \$(cat '$cg/pids.current') -lt 15 ] && [ \$i -lt 500 ]; do \
			sleep 0.02; i=\$((i + 1)); done; echo 12 >'$cg/pids.max' ) & \
		'$TRIBENCH' run -m concurrent --runs 1 --warmup 0 -q --count 60 -o r.json -- sleep 0.3; \
		rc=\$?; wait; exit \$rc"
	rmdir "$cg" 2>/dev/null || true
	echo "$output"
	[ "$status" -eq 0 ]
	all_exited_0 r.json 60
	# the refused launches are said, with their count
	jq -e '[.warnings[] | select(test("^[1-9][0-9]* task launches were refused by the kernel"))] | length == 1' r.json
}
