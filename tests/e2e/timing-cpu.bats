#!/usr/bin/env bats
# CPU-bound work gains from parallelism only: physical checks on a real run.
# Timing test: tests/run-test gives it the machine alone.
load helpers

setup_file() {
	[ "$(nproc)" -ge 2 ] || skip "needs 2 usable CPUs"
	export REPORT="$BATS_FILE_TMPDIR/cpu.json"
	# the VM is shared: a run that tribench itself finds disturbed (other work
	# on a used CPU) or that misses the parallel speedup asserted below
	# is taken again, 3 tries at most, and the count reported
	local try
	for try in 1 2 3; do
		"$TRIBENCH" run -t cpu:ms=300,count=4 --runs 3 -q -o "$REPORT"
		jq -e '([.warnings[] | select(test("busy with other work"))] | length == 0) and
			([.workloads[0].modes[] | select(.mode == "parallel") | .summary.speedup][0] >= 1.7)' \
			"$REPORT" >/dev/null && break
	done
	echo "# timing-cpu: report taken on try $try of 3" >&3
}

speedup() {
	jqr "$REPORT" ".workloads[0].modes[] | select(.mode == \"$1\") | .summary.speedup"
}

@test "the report is valid against the schema" {
	validate "$REPORT"
}

@test "parallel speedup of 4 CPU-bound tasks on 2 cores is at least 1.7" {
	s=$(speedup parallel)
	echo "parallel speedup $s"
	awk -v s="$s" 'BEGIN { exit !(s >= 1.7) }'
}

@test "concurrent speedup on one core stays between 0.85 and 1.15" {
	s=$(speedup concurrent)
	echo "concurrent speedup $s"
	awk -v s="$s" 'BEGIN { exit !(s >= 0.85 && s <= 1.15) }'
}

@test "in concurrent mode every task waited ready and was preempted" {
	jqr "$REPORT" '[.workloads[0].modes[] | select(.mode == "concurrent") | .runs[].tasks[]
		| select(.ready_s <= 0 or .involuntary_switches <= 0)] | length == 0'
}

@test "serial and concurrent keep the chosen PU busy and leave the other idle" {
	jqr "$REPORT" '.config.cpu as $pu | [.workloads[0].modes[] | select(.mode != "parallel")
		| .runs[].cpus[] | select((.cpu == $pu and (.busy < 0.85 or .task_busy < 0.85))
		                          or (.cpu != $pu and .busy > 0.3))] | length == 0'
}

@test "running time agrees with rusage user+sys within 5% + 5 ms for every task" {
	jqr "$REPORT" '[.workloads[].modes[].runs[].tasks[]
		| ((.running_s - .user_s - .sys_s) | fabs) as $d
		| select($d > 0.05 * .running_s + 0.005)] | length == 0'
}

@test "blocked time, a remainder, is never meaningfully negative" {
	jqr "$REPORT" '[.workloads[].modes[].runs[].tasks[] | select(.blocked_s < -0.002)] | length == 0'
}

@test "every task ran only inside its slot" {
	jqr "$REPORT" '[.workloads[].modes[].runs[].tasks[]
		| .cpuset as $slot | select(.cpus_allowed != $slot or (.cpus_seen | map(tostring)) != [$slot])]
		| length == 0'
}

@test "serial and concurrent use the chosen PU; parallel slots are distinct cores" {
	jqr "$REPORT" '.config.cpu as $pu | [.workloads[0].modes[] | select(.mode != "parallel")
		| .plan.slots[] | select(.pu != $pu)] | length == 0'
	jqr "$REPORT" '.workloads[0].modes[] | select(.mode == "parallel") | .plan.slots
		| (map(.core) | unique | length) == length'
}
