#!/usr/bin/env bats
# --runs auto: hyperfine's rule, runs = clamp(floor(--max-time / the wall of
# the mode's last warmup run, or of its first run without warmup), 5, 10000),
# per workload and mode; config.runs says the fewest, config.max_time_s the
# budget, each mode's runs array what ran.
load helpers

# expect_runs FILE W M WALL_JQ: mode M of workload W made the formula's runs.
expect_runs() {
	wall=$(jqr "$1" ".workloads[$2].modes[$3].$4")
	n=$(jqr "$1" ".workloads[$2].modes[$3].runs | length")
	want=$(awk -v w="$wall" 'BEGIN { n = int(2 / w); print (n < 5 ? 5 : (n > 10000 ? 10000 : n)) }')
	[ "$n" -eq "$want" ] || { echo "runs $n, formula $want (wall $wall)" >&2; return 1; }
}

@test "--runs auto --max-time 2s: sleep 0.1 makes 2 s of runs, sleep 0.5 the minimum 5" {
	run "$TRIBENCH" run 'sleep 0.1' 'sleep 0.5' -m serial --runs auto --max-time 2s -o r.json
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(jq -c '[.config.runs, .config.max_time_s]' r.json)" = '[5,2]' ]
	expect_runs r.json 0 0 'warmup_runs[0].wall_s'
	n=$(jqr r.json '.workloads[0].modes[0].runs | length')
	# honest bounds: 0.1 s sleeps take 0.1 to 0.2 s here
	[ "$n" -ge 10 ] && [ "$n" -le 20 ]
	[ "$(jqr r.json '.workloads[1].modes[0].runs | length')" -eq 5 ]
	# the ETA line names the count that ran
	grep -q "^tribench: sleep 0.1: warmup done; $n measured runs, about" <<<"$output"
	grep -q "^tribench: sleep 0.5: warmup done; 5 measured runs, about" <<<"$output"
	grep -q -- "--runs auto: 2 s each, at least 5" <<<"$output"
}

@test "--runs auto without warmup: the count from each mode's first run; modes may differ" {
	run "$TRIBENCH" run 'sleep 0.1' -m serial,concurrent --runs auto --max-time 2s --warmup 0 -q -o r.json
	[ "$status" -eq 0 ]
	validate r.json
	expect_runs r.json 0 0 'runs[0].wall_s'
	expect_runs r.json 0 1 'runs[0].wall_s'
	[ "$(jqr r.json '.workloads[0].modes[0].warmup_runs | length')" -eq 0 ]
}

@test "--runs N reports max_time_s null" {
	run "$TRIBENCH" run 'true' -m serial --runs 2 --warmup 0 -q -o r.json
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(jq -c '[.config.runs, .config.max_time_s]' r.json)" = '[2,null]' ]
}
