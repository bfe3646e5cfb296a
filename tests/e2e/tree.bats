#!/usr/bin/env bats
# A task's tree (a pipeline, its children): the cgroup object, states_source,
# and what process-group containment can and cannot say. Checks that hold on
# a busy machine; the CPU-placement and PSI ones are in timing-tree.bats.
load helpers

PIPE='head -c 100000000 /dev/zero | md5sum >/dev/null'

task() {
	jqr "$1" ".workloads[0].modes[0].runs[0].tasks[${2:-0}]$3"
}

@test "a pipeline under a cgroup: states_source cgroup, its leaf's CPU is rusage's, 3 processes" {
	need_cgroup
	"$TRIBENCH" run --containment cgroup -m serial --runs 1 --warmup 0 --count 1 -q -o r.json -- sh -c "$PIPE"
	validate r.json
	[ "$(task r.json 0 .states_source)" = cgroup ]
	task r.json 0 '| .ready_s == null and .blocked_s == null'
	task r.json 0 '| .running_s == .cgroup.cpu_s'
	# wait4 counts the children sh waited for: the same CPU time as the leaf
	task r.json 0 '| ((.cgroup.cpu_s - .user_s - .sys_s) | fabs) <= 0.02 * .cgroup.cpu_s + 0.002'
	task r.json 0 '| ((.cgroup.cpu_s - .cgroup.user_s - .cgroup.sys_s) | fabs) <= 0.000003'
	task r.json 0 '| .cgroup.procs_max >= 3'
	task r.json 0 '| .cgroup.cpu_s > 0.02 and .cgroup.io_some_s >= 0 and .cgroup.memory_some_s >= 0'
	# no memory controller on a hybrid hierarchy: null, never a guess
	if [ ! -e "$(find /sys/fs/cgroup -maxdepth 3 -name memory.peak 2>/dev/null | head -1)" ]; then
		task r.json 0 '| .cgroup.memory_peak_kb == null'
	fi
	jqr r.json '[.warnings[] | select(test("cgroup numbers|outside"))] | length == 0'
}

@test "a reused leaf gives each task its own numbers, not the sum so far" {
	need_cgroup
	"$TRIBENCH" run --containment cgroup -m serial --runs 1 --warmup 0 --count 3 -q -o r.json -- sh -c "$PIPE"
	# serial: one slot, one leaf, three tasks; each agrees with its own rusage
	jqr r.json '[.workloads[0].modes[0].runs[0].tasks[]
		| select(((.cgroup.cpu_s - .user_s - .sys_s) | fabs) > 0.02 * .cgroup.cpu_s + 0.002)]
		| length == 0'
}

@test "a single-process built-in task keeps states_source schedstat and has a cgroup object" {
	need_cgroup
	"$TRIBENCH" run --containment cgroup -m serial --runs 1 --warmup 0 -t cpu:ms=100 -q -o r.json
	validate r.json
	[ "$(task r.json 0 .states_source)" = schedstat ]
	task r.json 0 '| .ready_s != null and .cgroup.procs_max == 1'
	task r.json 0 '| ((.cgroup.cpu_s - .running_s) | fabs) <= 0.05 * .running_s + 0.005'
}

@test "under process groups: no cgroup object, states_source rusage, no tree warning" {
	"$TRIBENCH" run --containment pgroup -m serial --runs 1 --warmup 0 --count 1 -q -o r.json -- sh -c "$PIPE"
	validate r.json
	[ "$(task r.json 0 .states_source)" = rusage ]
	task r.json 0 '| .cgroup == null and .ready_s == null and .running_s > 0'
	jqr r.json '[.warnings[] | select(test("cgroup numbers"))] | length == 0'
}

@test "the table shows tree columns only when a task is a tree" {
	need_cgroup
	"$TRIBENCH" run --containment cgroup -m serial --runs 1 --warmup 0 --count 1 -o /dev/null -- sh -c "$PIPE" >table.txt 2>/dev/null
	grep -q 'tree CPU' table.txt
	grep -q 'cpu some' table.txt
	"$TRIBENCH" run --containment cgroup -m serial --runs 1 --warmup 0 -t cpu:ms=20 -o /dev/null >table.txt 2>/dev/null
	grep -q 'running' table.txt
	! grep -q 'tree CPU' table.txt
}
