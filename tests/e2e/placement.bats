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
