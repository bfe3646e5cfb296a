#!/usr/bin/env bats
# run --sample-tasks: each task's leader schedstat per sampling tick, in its
# record's state_samples. Shape, sums and the 256-in-flight bound; the shares
# the samples show on a quiet machine are in timing-sample-tasks.bats.
load helpers

setup_file() {
	export REPORT="$BATS_FILE_TMPDIR/sampled.json"
	"$TRIBENCH" run -q -m serial,concurrent --runs 1 --warmup 1 --sample-tasks \
		-t cpu:ms=150 -t sleep:ms=120 -t mix:cpu_ms=20,io_ms=20,rounds=3 -o "$REPORT"
}

# Every run's task records, warmup included, one per line.
tasks() {
	jq -c '.workloads[].modes[] | (.runs + .warmup_runs)[] | .tasks[]' "$1"
}

@test "a report with --sample-tasks is valid against the schema and says so in config" {
	validate "$REPORT"
	[ "$(jqr "$REPORT" .config.sample_tasks)" = true ]
	[ "$(tasks "$REPORT" | jq -s 'map(select(.state_samples != null)) | length')" -eq 12 ]
}

@test "without --sample-tasks no task record has the key, and config says false" {
	"$TRIBENCH" run -q -m serial --runs 1 --warmup 0 -t sleep:ms=10,count=2 -o plain.json
	[ "$(jqr plain.json .config.sample_tasks)" = false ]
	[ "$(tasks plain.json | jq -s 'map(select(has("state_samples"))) | length')" -eq 0 ]
}

@test "arrays of equal length, t rising from after start_s to end_s exactly" {
	tasks "$REPORT" | jq -e -s 'all(.[]; .state_samples as $s | ($s.t | length) as $n |
		$n >= 1 and ($s.running_s | length) == $n and ($s.ready_s | length) == $n and
		$s.t[0] > .start_s and $s.t[-1] == .end_s and
		([range(1; $n) | $s.t[.] > $s.t[. - 1]] | all) and
		([$s.running_s[], $s.ready_s[]] | all(. >= 0)))'
}

@test "a one-thread task's samples add up to its running_s and ready_s (1e-9 s)" {
	tasks "$REPORT" | jq -e -s 'map(select(.states_source == "schedstat")) | length > 0 and
		all(.[]; .state_samples.scope == "task" and
			((.state_samples.running_s | add) - .running_s | fabs) < 1e-9 and
			((.state_samples.ready_s | add) - .ready_s | fabs) < 1e-9)'
}

@test "a task longer than a tick has a sample per tick: the 150 ms cpu task at least 3" {
	tasks "$REPORT" | jq -e -s 'map(select(.id == 0)) | all(.[]; (.state_samples.t | length) >= 3)'
}

@test "a pipeline is a tree: its samples cover the leader only (scope leader)" {
	# the children do CPU work of their own, so the tree's states cannot be
	# the leader's (states_source cgroup or rusage)
	"$TRIBENCH" run -q -m serial --runs 1 --warmup 0 --sample-tasks -o tree.json -- \
		sh -c 'sleep 0.1 | cat; head -c 100000000 /dev/zero | cksum >/dev/null'
	validate tree.json
	t=$(tasks tree.json)
	echo "$t" | jq -e '.states_source != "schedstat" and .state_samples.scope == "leader" and
		.state_samples.t[-1] == .end_s and
		(.state_samples.running_s | add) <= .running_s + 0.005'
}

@test "scope follows states_source in every record" {
	tasks "$REPORT" | jq -e -s 'all(.[]; .state_samples.scope ==
		(if .states_source == "schedstat" then "task" else "leader" end))'
}

@test "beyond 256 tasks in flight the rest are null, and a warning counts them" {
	# 300 sleeps started one after another in concurrent mode: a task is
	# sampled when fewer than 256 sampled ones are in flight as it starts,
	# which start_s and end_s let this test replay exactly
	"$TRIBENCH" run -q -m concurrent --runs 1 --warmup 0 --sample-tasks \
		-t sleep:ms=8000,count=300 -o many.json
	validate many.json
	tasks many.json >many.tasks
	run jq -e -s '. as $t |
		[($t[] | {at: .start_s, start: true, id}), ($t[] | {at: .end_s, start: false, id})] |
		sort_by(.at) |
		reduce .[] as $e ({on: {}, n: 0, want: {}};
			if $e.start then
				(if .n < 256 then .on[$e.id | tostring] = true | .n += 1
				 else .want[$e.id | tostring] = true end)
			elif .on[$e.id | tostring] then .n -= 1 | del(.on[$e.id | tostring])
			else . end) |
		(.want | keys | map(tonumber) | sort) as $want |
		($t | map(select(.state_samples == null) | .id) | sort) as $null |
		"replayed \($want | length) unsampled, \($null | length) null",
		(($want | length) > 0 and $want == $null)' many.tasks
	echo "$output"
	[ "$status" -eq 0 ]
	n=$(jq -s 'map(select(.state_samples == null)) | length' many.tasks)
	jq -e --arg n "$n" '[.warnings[] | select(test("state_samples is null for " + $n +
		" tasks in 1 run: more than 256"))] | length == 1' many.json
}

@test "tasks never started have state_samples null" {
	run "$TRIBENCH" run -q -m serial --runs 1 --warmup 0 --sample-tasks --halt now,fail=1 \
		-t sleep:ms=10 -o halted.json -- false
	[ "$status" -eq 1 ]
	validate halted.json
	tasks halted.json | jq -e -s 'any(.[]; .exit.status == "not_started") and
		all(.[]; has("state_samples") and
			((.exit.status == "not_started") == (.state_samples == null)))'
}

@test "export --format json gives the sampled report back byte for byte" {
	"$TRIBENCH" export --format json "$REPORT" >again.json
	cmp "$REPORT" again.json
}

@test "a malformed state_samples is bad input: exit 2, one line naming where" {
	local bad
	for bad in '.state_samples.scope = "tree"' \
		'.state_samples.t |= .[1:]' \
		'.state_samples.t |= reverse' \
		'.state_samples.running_s[0] = -1' \
		'.state_samples.ready_s[0] = "x"' \
		'.state_samples.extra = 1' \
		'.state_samples = [1]' \
		'del(.state_samples.t)'; do
		jq "(.workloads[0].modes[0].runs[0].tasks[0]) |= ($bad)" "$REPORT" >bad.json
		run "$TRIBENCH" export --format json bad.json
		echo "$bad: $output"
		[ "$status" -eq 2 ]
		assert_one_line_error
		[[ "$output" == *"tasks[0].state_samples"* ]]
	done
}

@test "ticks that came later than --sample-ms asked are named in a warning, and only then" {
	# 128 tasks sampled every 1 ms: on a slow machine the loop cannot keep up.
	# Whether it did is the report's own clock: the mean gap of samples.t.
	"$TRIBENCH" run -t sleep:ms=600,count=128 -m concurrent --runs 1 --warmup 0 --sample-ms 1 \
		--sample-tasks -q -o fast.json
	"$TRIBENCH" run -t sleep:ms=300,count=2 -m concurrent --runs 1 --warmup 0 --sample-tasks \
		-q -o slow.json
	for r in fast.json slow.json; do
		late=$(jq '.workloads[0].modes[0].runs[0].samples | (.t[-1] - .t[0]) / ((.t | length) - 1)
			> 1.5 * .period_s' "$r")
		said=$(jq '[.warnings[] | select(test("sampling ticks came every"))] | length == 1' "$r")
		echo "$r: late $late, warned $said"
		[ "$late" = "$said" ]
	done
	[ "$(jq '.config.sample_ms' slow.json)" -eq 50 ]
}
