#!/usr/bin/env bats
# Placement you can trust: a pinned task runs only where it was placed, and
# tribench never touches a CPU outside the affinity it was started with.
load helpers

last_cpu() {
	sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status | tr ',' '\n' | tail -n 1 | sed 's/.*-//'
}

@test "under taskset -c LAST, the plan has one parallel slot and every task runs on LAST only" {
	cpu=$(last_cpu)
	taskset -c "$cpu" "$TRIBENCH" run -t cpu:ops=20000,count=3 -t sleep:ms=20 --runs 1 --warmup 0 -q -o r.json
	validate r.json
	jqr r.json ".host.topology.usable_pus == [$cpu]"
	jqr r.json '.workloads[0].modes[] | select(.mode == "parallel") | .plan.slots | length == 1'
	jqr r.json "[.workloads[].modes[].runs[].tasks[] | select(.cpus_seen != [$cpu] or .cpus_allowed != \"$cpu\")] | length == 0"
	jqr r.json "[.workloads[].modes[].plan.slots[] | select(.pu != $cpu)] | length == 0"
}

@test "--cpu picks the serial and concurrent PU and every task stays on it" {
	cpu=$(last_cpu)
	"$TRIBENCH" run -t cpu:ops=20000,count=3 -m serial,concurrent --cpu "$cpu" --runs 1 --warmup 0 -q -o r.json
	jqr r.json ".config.cpu == $cpu"
	jqr r.json "[.workloads[].modes[].runs[].tasks[] | select(.cpus_seen != [$cpu] or .cpus_allowed != \"$cpu\")] | length == 0"
}

@test "--policy list:CPU puts every parallel task on that CPU" {
	cpu=$(last_cpu)
	"$TRIBENCH" run -t cpu:ops=20000,count=4 -m parallel -p "list:$cpu" --runs 1 --warmup 0 -q -o r.json
	jqr r.json '.workloads[0].modes[0].plan.slots | length == 1'
	jqr r.json "[.workloads[].modes[].runs[].tasks[] | select(.cpus_seen != [$cpu])] | length == 0"
}

@test "parallel tasks each stay inside their own slot and slots are distinct cores" {
	"$TRIBENCH" run -t cpu:ops=20000,count=6 -m parallel --runs 1 --warmup 0 -q -o r.json
	jqr r.json '.workloads[0].modes[0].plan.slots | (map(.core) | unique | length) == length'
	jqr r.json '[.workloads[0].modes[0].runs[].tasks[]
		| .cpuset as $slot | select(.cpus_allowed != $slot or (.cpus_seen | map(tostring)) != [$slot])]
		| length == 0'
}

@test "-j above the usable PUs wraps round and says oversubscribed" {
	n=$(jq -er '.usable_pus | length' <("$TRIBENCH" topology))
	"$TRIBENCH" plan -m parallel -j $((n + 1)) >p.json
	jqr p.json ".modes[0].plan.slots | length == $((n + 1))"
	jqr p.json '.modes[0].plan.oversubscribed == true'
}

# ---- --cpus-per-task K: slots of K PUs ----------------------------------------

@test "plan --cpus-per-task 4 on two packages: each slot's 4 PUs in one package, the two slots in different packages" {
	HWLOC_SYNTHETIC="pack:2 core:8 pu:2" "$TRIBENCH" plan -j 2 --cpus-per-task 4 >p.json
	validate p.json "$TOP_SRCDIR/docs/plan.schema.json"
	jqr p.json '.modes[] | select(.mode == "parallel") | .jobs == 2 and (.plan.slots | length) == 2'
	# pack:2 core:8 pu:2 numbers PU p in package p / 16, on core p / 2
	jqr p.json '[.modes[] | select(.mode == "parallel") | .plan.slots[] | .pus]
		| all(length == 4 and (map(. / 16 | floor) | unique | length) == 1
			and (map(. / 2 | floor) | unique | length) == 4)
		and (map(.[0] / 16 | floor) | unique | length) == 2'
	# cpuset is the same set in taskset syntax, pu its first
	jqr p.json 'all(.modes[].plan.slots[]; .cpuset == (.pus | map(tostring) | join(","))
		and (.pu as $p | .pus | index($p)) != null)'
	jqr p.json '.modes[] | select(.mode == "parallel") | .plan.oversubscribed == false'
	# serial and concurrent: one 4-PU set, inside one package too
	jqr p.json '[.modes[] | select(.mode != "parallel") | .plan.slots] | all(length == 1 and (.[0].pus | length) == 4)'
}

@test "--cpus-per-task above the usable PUs, or a list not in groups of K: one line, exit 2, nothing printed" {
	HWLOC_SYNTHETIC="core:2 pu:1" run "$TRIBENCH" plan --cpus-per-task 3
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"--cpus-per-task 3 is more than the 2 usable CPUs"* ]]
	HWLOC_SYNTHETIC="core:4 pu:1" run "$TRIBENCH" plan -m parallel -p list:0-2 --cpus-per-task 2
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"has 3 CPUs, not a multiple of --cpus-per-task 2"* ]]
	run "$TRIBENCH" run --cpus-per-task 4097 -- true
	[ "$status" -eq 2 ]
	[ ! -e tribench-report.json ]
}

@test "-j x --cpus-per-task over the usable PUs wraps round and says oversubscribed" {
	HWLOC_SYNTHETIC="core:4 pu:1" "$TRIBENCH" plan -m parallel -j 3 --cpus-per-task 2 >p.json
	jqr p.json '.modes[0].plan | .oversubscribed == true and ([.slots[].cpuset] == ["0-1", "2-3", "0-1"])'
	HWLOC_SYNTHETIC="core:4 pu:1" "$TRIBENCH" plan -m parallel --cpus-per-task 2 >p.json
	jqr p.json '.modes[0] | .jobs == 2 and .plan.oversubscribed == false'
}

@test "run --dry-run lists every CPU of the K-PU slots" {
	HWLOC_SYNTHETIC="pack:2 core:8 pu:2" run "$TRIBENCH" run --dry-run -j 2 --cpus-per-task 4 -- true
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\t1 on 0,2,4,6\t'* ]]
	[[ "$output" == *$'\t2 on 0,2,4,6,16,18,20,22'* ]]
}

@test "under process groups the sampled tree is the leader and its descendants: a child on CPU 1 is seen there" {
	[ "$(nproc)" -ge 2 ] || skip "needs 2 usable CPUs"
	taskset -pc "$$" | grep -qE ': (0-[1-9]|0,1)' || skip "CPUs 0 and 1 not both usable"
	# the shell waits for its child (no exec): only a walk of the tree sees it
	"$TRIBENCH" run --containment pgroup -m serial --cpu 0 --runs 1 --warmup 0 --count 1 -q -o r.json -- \
		sh -c 'taskset -c 1 sh -c "i=0; while [ \$i -lt 300000 ]; do i=\$((i+1)); done"; true'
	validate r.json
	jqr r.json '.workloads[0].modes[0].runs[0].tasks[0] | (.cpus_seen | index(1)) != null and .outside_slot == true'
}
