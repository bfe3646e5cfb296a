#!/usr/bin/env bats
# A parameter sweep measures what it substitutes (issue 12): -L MS 100,200
# makes sleeps of 0.1 s and 0.2 s, as a -- command and as a -t spec; their
# medians are about 2 apart. Timing test: tests/run-test gives it the machine
# alone.
load helpers

setup_file() {
	export REPORT="$BATS_FILE_TMPDIR/params.json"
	# the VM is shared: a run whose ratios of medians miss 1.6-2.4 is taken
	# again, 3 tries at most, and the count reported. The tolerance covers a
	# launch (fork, exec of sh and sleep: some ms) on each side of a ratio
	# of 2.
	local try
	for try in 1 2 3; do
		"$TRIBENCH" run -L MS 100,200 -m serial --runs 3 --warmup 0 --count 1 -q -o "$REPORT" \
			-t 'sleep:ms={MS}' -- sh -c 'sleep 0.{MS}' 2>/dev/null
		jq -e '[.workloads[].modes[0].summary.wall_s.median] as $m
			| ($m[2] / $m[0]) as $a | ($m[3] / $m[1]) as $b
			| $a >= 1.6 and $a <= 2.4 and $b >= 1.6 and $b <= 2.4' "$REPORT" >/dev/null && break
	done
	echo "# timing-params: report taken on try $try of 3" >&3
}

@test "timing-params: the report is valid, one workload per value and kind, the value recorded" {
	validate "$REPORT"
	[ "$(jq -c '[.workloads[] | [.name, .parameters.MS]]' "$REPORT")" = \
		"[[\"custom (MS = 100)\",\"100\"],[\"sh -c 'sleep 0.100'\",\"100\"],[\"custom (MS = 200)\",\"200\"],[\"sh -c 'sleep 0.200'\",\"200\"]]" ]
}

@test "timing-params: MS=200 takes 1.6 to 2.4 times MS=100 (ratio of medians), -t spec and -- command" {
	for k in 0 1; do
		r=$(jq ".workloads[$((k + 2))].modes[0].summary.wall_s.median / .workloads[$k].modes[0].summary.wall_s.median" "$REPORT")
		echo "workload $k: ratio $r"
		awk -v r="$r" 'BEGIN { exit !(r >= 1.6 && r <= 2.4) }'
	done
}
