#!/usr/bin/env bats
# `tribench compare OLD NEW`: the verdict (exit 1 on a significant slowdown, 0
# otherwise, 2 when the reports cannot answer), the three formats, and the
# warnings that the reports ran different work. The reports are made once, all
# at the same time, so that the two of one configuration see the same machine;
# sleeping tasks hardly compete for the CPU they share.
load helpers

setup_file() {
	local d=$BATS_FILE_TMPDIR
	local common=(run -m serial --warmup 0 -q)
	"$TRIBENCH" "${common[@]}" -t sleep:ms=50,count=4 --runs 5 -o "$d/a50.json" &
	"$TRIBENCH" "${common[@]}" -t sleep:ms=50,count=4 --runs 5 -o "$d/b50.json" &
	"$TRIBENCH" "${common[@]}" -t sleep:ms=100,count=4 --runs 5 -o "$d/c100.json" &
	"$TRIBENCH" "${common[@]}" -t sleep:ms=10 --runs 3 -o "$d/r3a.json" &
	"$TRIBENCH" "${common[@]}" -t sleep:ms=10 --runs 3 -o "$d/r3b.json" &
	wait
	# a --jobs sweep, alone: its two parallel entries differ in jobs only
	"$TRIBENCH" run -t cpu:ms=30,count=4 --jobs 1,2 -m serial,parallel --runs 4 --warmup 0 -q \
		-o "$d/sweep.json"
	export A50=$d/a50.json B50=$d/b50.json C100=$d/c100.json R3A=$d/r3a.json R3B=$d/r3b.json
	export SWEEP=$d/sweep.json
}

# old_style REPORT: REPORT as tribench wrote it before --jobs sweeps (no
# jobs_sweep, no entry keys jobs and executor, no amdahl or parameters).
old_style() {
	jq 'del(.config.jobs_sweep, .config.cpus_per_task)
		| .workloads[] |= (del(.amdahl, .parameters) | .modes[] |= del(.jobs, .executor))' "$1"
}

# tb ARGS...: run tribench with stdout in ./out and stderr in ./err; status in $rc.
tb() {
	rc=0
	"$TRIBENCH" "$@" >out 2>err || rc=$?
}

# unusable NEEDLE ARGS...: exit 2, nothing on stdout, one stderr line naming NEEDLE.
unusable() {
	local needle=$1
	shift
	tb "$@"
	echo "exit $rc; stderr: $(cat err)"
	[ "$rc" -eq 2 ]
	[ ! -s out ]
	[ "$(wc -l <err)" -eq 1 ]
	grep -qF -- "$needle" err
}

@test "compare: 50 ms sleeps against 100 ms exit 1 and name the regressed pair" {
	tb compare "$A50" "$C100"
	cat out err
	[ "$rc" -eq 1 ]
	grep -E '^custom +serial .*REGRESSION$' out
	grep -F '1 regression: custom/serial' out
	# the tasks differ (ms=50 against ms=100): said once, as a warning
	grep -F 'tribench: warning: workload '"'custom'"': 4 of 4 tasks ran different work' err
	[ "$(wc -l <err)" -eq 1 ]
}

@test "compare: the other way round is an improvement, exit 0" {
	tb compare "$C100" "$A50"
	cat out
	[ "$rc" -eq 0 ]
	grep -E '^custom +serial .*improvement$' out
	grep -F 'No regression.' out
}

@test "compare: two reports of the same configuration exit 0 without warnings" {
	tb compare "$A50" "$B50"
	cat out err
	[ "$rc" -eq 0 ]
	grep -F 'No regression.' out
	[ ! -s err ]
}

@test "compare: a report against its own copy is unchanged with p = 1" {
	cp "$A50" copy.json
	tb compare --format json "$A50" copy.json
	[ "$rc" -eq 0 ]
	jq -e '.verdict == "ok" and .pairs[0].p_value == 1 and .pairs[0].change_pct == 0
		and .pairs[0].verdict == "unchanged"' out
}

@test "compare: --threshold above the slowdown makes it no regression" {
	tb compare --threshold 300 "$A50" "$C100"
	[ "$rc" -eq 0 ]
	grep -F 'No regression.' out
}

@test "compare: slower but not significant is no regression" {
	# medians 3 s and 3.5 s (+17%), but the runs overlap: p = 0.69
	walls() { jq --argjson add "$1" \
		'.workloads[0].modes[0].runs |= [to_entries[] | .value.wall_s = .key + $add | .value]' "$A50"; }
	walls 1 >x.json
	walls 1.5 >y.json
	tb compare --format json x.json y.json
	[ "$rc" -eq 0 ]
	jq -e '.pairs[0] | .change_pct > 16 and .p_value > 0.5 and .verdict == "unchanged"' out
}

@test "compare --format json: pairs, verdict and the regressions by name" {
	tb compare --format json "$A50" "$C100"
	[ "$rc" -eq 1 ]
	jq -e '.verdict == "regression" and .regressions == ["custom/serial"] and .improvements == []
		and .threshold_pct == 5 and .alpha == 0.05 and (.warnings | length) == 1
		and (.pairs | length) == 1' out
	jq -e '.pairs[0] | .workload == "custom" and .mode == "serial" and .verdict == "regression"
		and .method == "exact" and .u == 0 and (.p_value - 2/252 | fabs) < 1e-12
		and .old.runs == 5 and .new.runs == 5 and .new.median_s > .old.median_s
		and .change_pct > 50 and .speedup < 1 and .old.speedup_vs_serial == 1' out
	# the JSON agrees with the reports' own medians
	old=$(jqr "$A50" '.workloads[0].modes[0].summary.wall_s.median')
	jq -e --argjson m "$old" '.pairs[0].old.median_s == $m' out
}

@test "compare --format markdown: a table for a pull-request comment" {
	tb compare --format markdown "$A50" "$C100"
	cat out
	[ "$rc" -eq 1 ]
	[ "$(sed -n 1p out)" = '| workload | mode | old median | new median | change | speedup | p-value | failed tasks (old/new) | verdict |' ]
	sed -n 2p out | grep -E '^\|(:?-+:?\|){9}$'
	[ "$(grep -c '^| custom | serial |' out)" -eq 1 ]
	grep -F '| **regression** |' out
	grep -F '**1 regression**: custom/serial' out
	grep -F '> Warning: ' out
}

@test "compare: different cpu ops, host and config each warn on one line" {
	jq '.workloads[0].tasks |= map(.kind = "cpu" | .params = {"ops": 1000})' "$A50" >x.json
	jq '.workloads[0].tasks |= map(.kind = "cpu" | .params = {"ops": 2000})
		| .host.hostname = "elsewhere" | .config.jobs += 1 | .config.jobs_sweep = [.config.jobs]
		| .config.policy = "compact"' \
		"$B50" >y.json
	tb compare x.json y.json
	cat err
	[ "$rc" -eq 0 ]
	[ "$(wc -l <err)" -eq 4 ]
	[ "$(grep -c '^tribench: warning: ' err)" -eq 4 ]
	grep -F "workload 'custom': cpu ops differ in 4 of 4 tasks (task 0: 1000 vs 2000 ops)" err
	grep -F 'different hosts' err
	grep -F 'different --jobs' err
	grep -F 'different --policy' err
}

@test "compare of a --jobs 1,2 sweep with itself: every entry paired, parallel/j1 and parallel/j2 apart" {
	jq -e '[.workloads[0].modes[] | [.mode, .jobs]] == [["serial", 1], ["parallel", 1], ["parallel", 2]]' "$SWEEP"
	cp "$SWEEP" copy.json
	tb compare "$SWEEP" copy.json
	cat out err
	[ "$rc" -eq 0 ]
	[ ! -s err ]
	grep -E '^custom +serial +[0-9.]+s +[0-9.]+s +\+0\.0% +1\.00x +1 +0/0 +unchanged$' out
	grep -E '^custom +parallel/j1 +[0-9.]+s +[0-9.]+s +\+0\.0% +1\.00x +1 +0/0 +unchanged$' out
	grep -E '^custom +parallel/j2 +[0-9.]+s +[0-9.]+s +\+0\.0% +1\.00x +1 +0/0 +unchanged$' out
	# the columns stay aligned with a label longer than "mode" was wide
	# (the header and each row end their right-aligned "failed" column alike)
	[ "$(sed -n 1,4p out | sed 's/ [^ ]*$//' | awk '{ print length($0) }' | sort -u | wc -l)" -eq 1 ]
	tb compare --format json "$SWEEP" copy.json
	[ "$rc" -eq 0 ]
	jq -e '[.pairs[] | [.name, .workload, .mode, .jobs, .executor, .verdict]] == [
		["custom/serial", "custom", "serial", 1, "process", "unchanged"],
		["custom/parallel/j1", "custom", "parallel", 1, "process", "unchanged"],
		["custom/parallel/j2", "custom", "parallel", 2, "process", "unchanged"]]
		and .warnings == [] and .verdict == "ok"' out
	# each pair compares its own entry: the medians of that entry's runs
	for j in 1 2; do
		m=$(jqr "$SWEEP" ".workloads[0].modes[] | select(.mode == \"parallel\" and .jobs == $j) | .summary.wall_s.median")
		jq -e --argjson m "$m" --argjson j "$j" '[.pairs[] | select(.jobs == $j and .mode == "parallel")]
			| length == 1 and .[0].old.median_s == $m and .[0].new.median_s == $m and .[0].old.runs == 4' out
	done
	tb compare --format markdown "$SWEEP" copy.json
	[ "$rc" -eq 0 ]
	[ "$(grep -c '^| custom | parallel/j1 |' out)" -eq 1 ]
	[ "$(grep -c '^| custom | parallel/j2 |' out)" -eq 1 ]
	[ "$(grep -c '^| custom | serial |' out)" -eq 1 ]
}

@test "compare: a regression in one entry of a sweep names that entry" {
	# parallel/j2's runs made 3x slower: only it regresses
	jq '.workloads[0].modes |= map(if .mode == "parallel" and .jobs == 2
		then .runs |= map(.wall_s *= 3) else . end)' "$SWEEP" >slow.json
	tb compare --format json "$SWEEP" slow.json
	cat out
	[ "$rc" -eq 1 ]
	jq -e '.regressions == ["custom/parallel/j2"]
		and ([.pairs[] | select(.verdict == "regression") | .jobs] == [2])' out
	tb compare "$SWEEP" slow.json
	grep -F '1 regression: custom/parallel/j2' out
}

@test "compare: a report from before --jobs sweeps pairs with a sweep on (mode, jobs, executor)" {
	# the old report ran --jobs 2 once: its parallel entry reads as jobs 2 (its slots)
	old_style "$SWEEP" | jq '.workloads[0].modes |= map(select(.mode != "parallel" or .plan.slots == [.plan.slots[0], .plan.slots[1]]))
		| .config.jobs = 2' >old.json
	[ "$(jq '[.workloads[0].modes[] | select(.mode == "parallel")] | length' old.json)" -eq 1 ]
	[ "$(jq '.workloads[0].modes[] | select(.mode == "parallel") | .plan.slots | length' old.json)" -eq 2 ]
	tb compare --format json old.json "$SWEEP"
	cat out err
	[ "$rc" -eq 0 ]
	jq -e '[.pairs[] | [.name, .jobs, .executor]] == [["custom/serial", 1, "process"],
		["custom/parallel/j2", 2, "process"]]' out
	jq -e '.pairs[1].p_value == 1' out
	grep -qxF "tribench: warning: the reports ran different --jobs (2 and 1,2)" err
	grep -qxF "tribench: warning: not compared, only in '$SWEEP': custom/parallel/j1" err
	[ "$(wc -l <err)" -eq 2 ]
	# and the old report with itself: one entry per mode, named by the mode alone
	tb compare --format json old.json old.json
	jq -e '[.pairs[].name] == ["custom/serial", "custom/parallel"] and .warnings == []' out
}

@test "compare: pairs in only one report are named in a warning" {
	jq '.workloads += [.workloads[0] | .name = "extra"]' "$B50" >y.json
	tb compare "$A50" y.json
	[ "$rc" -eq 0 ]
	grep -F "tribench: warning: not compared, only in 'y.json': extra/serial" err
}

@test "compare: unusable input exits 2 with one line" {
	echo 'not json' >bad.json
	jq '.schema_version = 2' "$B50" >v2.json
	# two workloads, neither named like A50's one: nothing pairs (one on
	# each side would pair by position)
	jq '.workloads[0].name = "renamed" | .workloads += [.workloads[0] | .name = "second"]' "$B50" >other.json
	jq 'del(.workloads[0].modes[0].runs[1].wall_s)' "$B50" >broken.json
	unusable "bad.json" compare "$A50" bad.json
	unusable "schema_version 2 is not supported" compare "$A50" v2.json
	unusable "no workload and mode in common" compare "$A50" other.json
	unusable 'workloads[0].modes[0].runs[1]: "wall_s" is missing' compare "$A50" broken.json
	unusable "cannot read 'missing.json'" compare missing.json "$A50"
	unusable "3 vs 3 runs can never reach p < 0.05" compare "$R3A" "$R3B"
	grep -F -- '--runs 4' err
	# 5 against 5 runs cannot go below 2/252 = 0.0079
	unusable "5 vs 5 runs can never reach p < 0.005" compare --alpha 0.005 "$A50" "$C100"
}

@test "compare: bad options exit 2 with one line" {
	unusable "--threshold" compare --threshold -1 "$A50" "$B50"
	unusable "--alpha" compare --alpha 0 "$A50" "$B50"
	unusable "--alpha" compare --alpha 1.5 "$A50" "$B50"
	unusable "--format" compare --format html "$A50" "$B50"
	unusable "two reports" compare "$A50"
	unusable "two reports" compare "$A50" "$B50" "$C100"
	unusable "--bogus" compare --bogus "$A50" "$B50"
}

@test "compare --help prints usage to stdout and exits 0" {
	tb compare --help
	[ "$rc" -eq 0 ]
	grep -F 'Usage: tribench compare OLD.json NEW.json' out
	grep -F -- '--threshold PCT' out
	[ ! -s err ]
}

@test "compare pairs two single-workload reports by position, with a warning, when their names differ" {
	# a baseline stored when the -- command's workload was named "custom"
	"$TRIBENCH" run --name custom -m serial --runs 5 --warmup 0 -q -o old.json -- sleep 0.01
	"$TRIBENCH" run -m serial --runs 5 --warmup 0 -q -o new.json -- sleep 0.01
	[ "$(jq -r '.workloads[0].name' new.json)" = "sleep 0.01" ]
	rc=0
	"$TRIBENCH" compare --format json old.json new.json >out 2>err || rc=$?
	cat out err
	[ "$rc" -le 1 ]
	jq -e '.pairs | length == 1 and .[0].workload == "custom" and .[0].mode == "serial"' out
	grep -qxF "tribench: warning: workload 'custom' in 'old.json' and 'sleep 0.01' in 'new.json' compared as one: each report holds a single workload" err
	# with two workloads on a side, names decide: nothing in common is an error
	"$TRIBENCH" run 'sleep 0.01' 'true' -m serial --runs 5 --warmup 0 -q -o two.json
	run "$TRIBENCH" compare old.json two.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"have no workload and mode in common"* ]]
}

@test "compare pairs the one parallel entry of two reports whose --jobs differ (another machine's cores), with a warning" {
	"$TRIBENCH" run -t sleep:ms=5 -m serial,parallel -j 2 --runs 5 --warmup 0 -q -o a.json
	"$TRIBENCH" run -t sleep:ms=5 -m serial,parallel -j 1 --runs 5 --warmup 0 -q -o b.json
	"$TRIBENCH" compare a.json b.json --format json >c.out 2>/dev/null
	[ "$(jq -c '[.pairs[] | [.mode, .jobs]]' c.out)" = '[["serial",1],["parallel",2]]' ]
	run "$TRIBENCH" compare a.json b.json
	[[ "$output" == *"custom/parallel with 2 jobs in 'a.json' and 1 jobs in 'b.json' compared as one"* ]]
	# a sweep is never paired loosely: its sizes pair by key, the rest is named
	"$TRIBENCH" run -t sleep:ms=5 -m serial,parallel -j 1,3 --runs 5 --warmup 0 -q -o c.json
	run "$TRIBENCH" compare a.json c.json
	# 0, or 1 where this VM's noise made the serial entries differ: paired either way
	[ "$status" -le 1 ]
	[[ "$output" != *"compared as one"* ]]
	[[ "$output" == *"not compared, only in 'a.json': custom/parallel/j2"* ]]
}
