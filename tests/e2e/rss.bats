#!/usr/bin/env bats
# A task's max_rss_kb is its own: tasks start from the ~1 MB launcher
# tribench-spawn (a child inherits its creator's RSS peak), not from tribench,
# whose footprint grows with the suite. Without the launcher tribench launches
# them itself, says so once, and the floor is then its own RSS.
load helpers

run1() {
	jq -ec ".workloads[0].modes[0].runs[0] | $2" "$1"
}

# hwm_of FILE: the kB of a "VmHWM:" line a task printed.
hwm_of() {
	awk '/^VmHWM:/ { print $2 }' "$1"
}

@test "three 'true' tasks: each max_rss_kb <= 2560, rss_floor_kb (the launcher's peak) <= 2048" {
	"$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 3 -q -o r.json -- true
	validate r.json
	[ "$(run1 r.json '.tasks | length')" -eq 3 ]
	run1 r.json '[.tasks[].max_rss_kb]'
	jq -e '.workloads[0].modes[0].runs[0] | ([.tasks[].max_rss_kb] | all(. > 0 and . <= 2560))
		and .rss_floor_kb > 0 and .rss_floor_kb <= 2048' r.json
	jq -e '.warnings | map(select(test("launcher"))) | length == 0' r.json
}

@test "a built-in cpu task's max_rss_kb is far below tribench's own RSS" {
	# tribench's own peak, as a task of it sees its parent
	"$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q --task-output inherit -o r0.json \
		-- sh -c 'grep VmHWM /proc/$PPID/status' >hwm
	own=$(hwm_of hwm)
	[ "$own" -gt 3000 ]
	"$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -t cpu:ops=1,count=2 -o r.json
	validate r.json
	run1 r.json '[.tasks[] | .max_rss_kb, .exit.code]'
	jq -e --argjson own "$own" '[.workloads[0].modes[0].runs[0].tasks[] | .exit.code == 0 and
		.max_rss_kb > 0 and .max_rss_kb <= 1024 and .max_rss_kb * 4 < $own] | all' r.json
	# forked by tribench itself, the same task carries tribench's anonymous memory
	TRIBENCH_SPAWN=/nonexistent "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -t cpu:ops=1 -o self.json
	run1 self.json '[.tasks[].max_rss_kb]'
	[ "$(run1 r.json '.tasks[0].max_rss_kb')" -lt "$(run1 self.json '.tasks[0].max_rss_kb')" ]
}

# two_runs: small.json (3 tasks) and big.json (2000 tasks), parallel -j 2; the
# last task of each prints tribench's own peak (its parent's) to small.hwm/big.hwm
two_runs() {
	{ echo true; echo true; echo 'grep VmHWM /proc/$PPID/status'; } >small
	"$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q --commands small --task-output inherit \
		-o small.json >small.hwm
	{ for _ in $(seq 1999); do echo true; done; echo 'grep VmHWM /proc/$PPID/status'; } >cmds
	"$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q --commands cmds --task-output inherit \
		-o big.json >big.hwm
}

@test "tribench's own peak does not grow with the task count: 3 tasks vs 2000" {
	ldd "$TRIBENCH" 2>/dev/null | grep -q libasan &&
		skip "AddressSanitizer keeps freed memory in quarantine: measured in the plain build"
	two_runs
	small=$(hwm_of small.hwm)
	big=$(hwm_of big.hwm)
	echo "tribench VmHWM: $small kB with 3 tasks, $big kB with 2000" >&2
	# records stream to a spool: tribench itself stays within 1 MiB
	[ "$big" -le $((small + 1024)) ]
}

@test "max_rss_kb does not grow with the task count: 3 tasks vs 2000, the launcher's peak" {
	two_runs
	big=$(hwm_of big.hwm)
	# Launchers differ by a few hundred kB from one run to the next (the
	# kernel counts RSS in per-CPU batches), so compare within the big run:
	# its first and last tasks, and the launcher's own peak, not tribench's.
	first=$(run1 big.json '.tasks[0].max_rss_kb')
	last=$(run1 big.json '.tasks[1998].max_rss_kb')
	floor=$(run1 big.json '.rss_floor_kb')
	echo "max_rss_kb: task 0 $first, task 1998 $last; launcher peak $floor kB; tribench $big kB" >&2
	[ "$last" -le $((first + 300)) ]
	[ "$last" -ge $((first - 300)) ]
	[ "$floor" -le 2048 ]
	[ "$last" -le $((floor + 256)) ]
	[ $((last * 2)) -lt "$big" ]
	[ "$(jq '[.workloads[0].modes[0].runs[0].tasks[] | select(.exit.code == 0)] | length' big.json)" -eq 2000 ]
}

@test "without the launcher (TRIBENCH_SPAWN=/nonexistent) the run works, warns once, and the floor is tribench's" {
	TRIBENCH_SPAWN=/nonexistent run "$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 3 -o r.json -- true
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep -c "cannot start the launcher '/nonexistent'")" -eq 1 ]
	validate r.json
	jq -e '.warnings | map(select(test("launcher.*max_rss_kb includes tribench"))) | length == 1' r.json
	run1 r.json '[.rss_floor_kb, [.tasks[].max_rss_kb]]'
	# the floor is tribench's VmRSS at the run's start; a task's peak inherits
	# tribench's, which the kernel counts in batches: within 10 %
	jq -e '.workloads[0].modes[0].runs[0] | .rss_floor_kb as $f | $f > 3000 and
		([.tasks[] | .exit.code == 0 and .max_rss_kb * 10 >= $f * 9] | all)' r.json
}

@test "exec errors come back through the launcher: not found 127, not executable 126" {
	"$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q -o r.json -- /nonexistent || true
	validate r.json
	jq -e '.workloads[0].modes[0].runs[0] | .rss_floor_kb <= 2048 and
		(.tasks[0].exit | .code == 127 and (.error | test("command not found")))' r.json
	printf 'data\n' >notexec
	"$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q -o r.json -- ./notexec || true
	jq -e '.workloads[0].modes[0].runs[0] | .rss_floor_kb <= 2048 and
		(.tasks[0].exit | .code == 126 and (.error | test("Permission denied")))' r.json
}

@test "launched by the launcher, a task is in its cgroup leaf and bound to its slot" {
	need_cgroup
	"$TRIBENCH" run --name custom -m parallel -j 2 --runs 1 --warmup 0 --count 4 -q --results res -o r.json \
		-- sh -c 'grep ^0:: /proc/self/cgroup; grep Cpus_allowed_list /proc/self/status'
	[ "$(jq -r .containment r.json)" = cgroup ]
	run1 r.json '.rss_floor_kb'
	jq -e '.workloads[0].modes[0].runs[0].rss_floor_kb <= 2048' r.json
	for i in 0 1 2 3; do
		cat "res/custom/parallel/1/$i.out" >&2
		grep -Eq '^0::/(.*/)?tribench-[0-9]+-[0-9]+/t[0-9]+$' "res/custom/parallel/1/$i.out"
		slot=$(jq -r ".workloads[0].modes[0].runs[0].tasks[$i].cpuset" r.json)
		grep -Eq "^Cpus_allowed_list:[[:space:]]+$slot\$" "res/custom/parallel/1/$i.out"
		[ "$(jq -r ".workloads[0].modes[0].runs[0].tasks[$i].cpus_allowed" r.json)" = "$slot" ]
	done
}

@test "--containment pgroup: launched by the launcher too, own RSS and binding" {
	"$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 3 -q --containment pgroup -o r.json -- true
	[ "$(jq -r .containment r.json)" = pgroup ]
	run1 r.json '[.rss_floor_kb, [.tasks[] | .max_rss_kb, .cpus_allowed, .cpuset]]'
	validate r.json
	jq -e '.workloads[0].modes[0].runs[0] | .rss_floor_kb <= 2048 and
		([.tasks[] | .exit.code == 0 and .max_rss_kb <= 2560 and .cpus_allowed == .cpuset] | all)' r.json
}

# fake_launcher: a stand-in for tribench-spawn in ./fake.py, misbehaving as
# FAKE_MODE says: silent (no hello), wrongver (another protocol), noreply
# (hello, then never answers a request), badpid (answers with FAKE_PID).
fake_launcher() {
	cat >fake.py <<'PY'
#!/usr/bin/python3
import os, socket, struct, sys, time
mode = os.environ["FAKE_MODE"]
s = socket.socket(fileno=3)
if mode == "silent":
    time.sleep(30); sys.exit(0)
s.sendall(struct.pack("<IIII", 0x50534254, 99 if mode == "wrongver" else 1, 208, 12))
if mode == "wrongver":
    time.sleep(30); sys.exit(0)
s.recv(65536)
if mode == "badpid":
    s.sendall(struct.pack("<iii", int(os.environ["FAKE_PID"]), 0, 0))
time.sleep(30)
PY
	chmod +x fake.py
}

@test "a launcher that is not this tribench's, says nothing, hangs or lies is dropped with one warning, never waited on for good" {
	fake_launcher
	declare -A why=([silent]="cannot start the launcher.*did not answer within 2 s"
		[wrongver]="cannot start the launcher.*not the tribench-spawn of this tribench"
		[noreply]="gave no reply within 5 s"
		[badpid]="replied with a pid that is not a task of tribench's")
	for m in silent wrongver noreply badpid; do
		# the bats shell's own pid: a real process, not tribench's child
		FAKE_MODE=$m FAKE_PID=$$ TRIBENCH_SPAWN=$PWD/fake.py run timeout 30 "$TRIBENCH" run -m serial \
			--runs 1 --warmup 0 --count 2 -o $m.json -- true
		echo "$m: status $status: $output"
		[ "$status" -eq 0 ]
		# one warning, the launcher's (a busy shared machine may add its own
		# about other work on the CPUs)
		[ "$(jqr $m.json '[.warnings[] | select(test("launcher"))] | length')" -eq 1 ]
		jqr $m.json '.warnings[] | select(test("launcher"))' | grep -q "${why[$m]}"
		[ "$(jqr $m.json '[.workloads[0].modes[0].runs[0].tasks[].exit.code] | add')" -eq 0 ]
	done
	! pgrep -f "$PWD/fake.py"
	kill -0 $$	# the lie was not acted on
	TRIBENCH_SPAWN=/bin/true run "$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -o t.json -- true
	[ "$status" -eq 0 ]
	[[ $output == *"cannot start the launcher '/bin/true': it exited without a word"* ]]
}

# peak_kb ARGS...: tribench's whole-life peak RSS in kB, report writing
# included, which a task cannot see (GNU time's %M, the kernel's ru_maxrss;
# time's own ~2 MB, which a child inherits, is below tribench's).
peak_kb() {
	/usr/bin/time -f '%M' -o peak "$TRIBENCH" "$@" && tail -n 1 peak
}

@test "tribench's peak, report writing included, does not grow with the samples series: 1 s vs 8 s at 1 ms" {
	ldd "$TRIBENCH" 2>/dev/null | grep -q libasan &&
		skip "AddressSanitizer keeps freed memory in quarantine: measured in the plain build"
	small=$(peak_kb run -t sleep:ms=1000,count=1 -m serial --runs 1 --warmup 0 -q --sample-ms 1 -o small.json)
	big=$(peak_kb run -t sleep:ms=8000,count=1 -m serial --runs 1 --warmup 0 -q --sample-ms 1 -o big.json)
	rows=$(run1 big.json '.samples.t | length')
	echo "peak $small kB with $(run1 small.json '.samples.t | length') sample rows, $big kB with $rows" >&2
	validate big.json
	# the test means something only with thousands of rows more in big.json;
	# the series is 40 bytes a row in memory (2 CPUs), ~0.6 kB when it was a cJSON tree
	[ "$rows" -ge 3000 ]
	[ "$big" -le $((small + 1024)) ]
}
