#!/usr/bin/env bats
# What --sample-tasks shows per tick on a quiet machine: a CPU-bound task
# running, a sleeping one blocked, two CPU-bound tasks on one CPU each ready
# about half the time. Timing test: tests/run-test gives it the machine alone.
load helpers

# sampled REPORT ARGS...: run tribench with --sample-tasks into REPORT; the VM
# is shared, so a run that tribench itself finds disturbed (other work on a
# used CPU) or whose check (CHECK, a jq filter on the report) fails is taken
# again, 3 tries at most, and the count reported.
sampled() {
	local report=$1 try
	shift
	for try in 1 2 3; do
		"$TRIBENCH" run -q --runs 1 --warmup 0 --sample-tasks -o "$report" "$@"
		jq -e '[.warnings[] | select(test("busy with other work"))] | length == 0' "$report" \
			>/dev/null && jq -e "$CHECK" "$report" >/dev/null && break
	done
	echo "# timing-sample-tasks: report taken on try $try of 3" >&3
}

# Per full interval (not the first, from start_s, nor the last, to the exit):
# {share of running, ready, blocked} of the interval.
SHARES='.workloads[0].modes[0].runs[0].tasks[TASK] | .state_samples as $s |
	[range(1; ($s.t | length) - 1) | ($s.t[.] - $s.t[. - 1]) as $dt |
	 {running: ($s.running_s[.] / $dt), ready: ($s.ready_s[.] / $dt),
	  blocked: (1 - ($s.running_s[.] + $s.ready_s[.]) / $dt)}]'

@test "a 300 ms CPU-bound task alone runs at least 80% of every full tick" {
	export CHECK="${SHARES//TASK/0} | length >= 3 and all(.running >= 0.8)"
	sampled cpu.json -m serial -t cpu:ms=300
	validate cpu.json
	jq -c "${SHARES//TASK/0}" cpu.json
	jq -e "$CHECK" cpu.json
}

@test "a 300 ms sleep is blocked at least 80% of every full tick" {
	export CHECK="${SHARES//TASK/0} | length >= 3 and all(.blocked >= 0.8)"
	sampled sleep.json -m serial -t sleep:ms=300
	validate sleep.json
	jq -c "${SHARES//TASK/0}" sleep.json
	jq -e "$CHECK" sleep.json
}

@test "two CPU-bound tasks sharing one CPU are each ready 30-70% of their wall" {
	export CHECK='.workloads[0].modes[0].runs[0].tasks | length == 2 and
		all(.[]; ((.state_samples.ready_s | add) / .wall_s) as $r | $r >= 0.3 and $r <= 0.7)'
	sampled two.json -m concurrent -t cpu:ms=300,count=2
	validate two.json
	jq -c '.workloads[0].modes[0].runs[0].tasks[] |
		{id, ready_share: ((.state_samples.ready_s | add) / .wall_s)}' two.json
	jq -e "$CHECK" two.json
}
