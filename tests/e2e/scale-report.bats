#!/usr/bin/env bats
# The streaming report at scale (issue 10, SCALE_TESTS): a 100,000-task report
# is whole, schema-valid and in id order, and tribench's peak memory does not
# grow with the tasks. Minutes long: `make check-scale`, not `make check`.

load helpers

# taskfile N FILE: N `true` commands in counted specs of at most 10,000.
taskfile() {
	local n=$1 specs="" c
	while [ "$n" -gt 0 ]; do
		c=$((n > 10000 ? 10000 : n))
		specs="$specs${specs:+,}{\"kind\":\"cmd\",\"argv\":[\"true\"],\"count\":$c}"
		n=$((n - c))
	done
	echo "{\"workloads\":[{\"name\":\"w\",\"tasks\":[$specs]}]}" >"$2"
}

@test "a 100,000-task report validates, every task in id order" {
	taskfile 100000 t.json
	run "$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q -f t.json -o r.json
	[ "$status" -eq 0 ]
	validate r.json
	jq -e '.workloads[0].modes[0].runs[0] |
		(.tasks | length) == 100000 and ([.tasks[].id] == [range(100000)])' r.json
	jq -e '.workloads[0].tasks | length == 100000 and .[99999].id == 99999' r.json
}

# peak KB of tribench running N `true`s at --detail D
peak() {
	taskfile "$1" "t$1.json"
	/usr/bin/time -f %M -o "rss$1$2" "$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q \
		--detail "$2" -f "t$1.json" -o "r$1$2.json"
	cat "rss$1$2"
}

@test "peak RSS at 20,000 tasks is within a small margin of that at 2,000 (bounded memory)" {
	small=$(peak 2000 task)
	big=$(peak 20000 task)
	echo "2000 tasks: $small KB, 20000 tasks: $big KB" >&2
	# the report held in memory cost ~5.5 KB per task (~99 MB here); the
	# margin allows 10% and 4 MiB of noise (allocator, page cache of the spool)
	[ "$big" -le $((small * 11 / 10 + 4096)) ]
}

@test "the report's records are not kept in memory: --detail task peaks like --detail run" {
	task=$(peak 20000 task)
	run_=$(peak 20000 run)
	echo "20000 tasks: task $task KB, run $run_ KB" >&2
	# at --detail task the records are ~17 MB of JSON; held in memory they show
	[ "$task" -le $((run_ + 4096)) ]
	jq -e '.workloads[0].modes[0].runs[0].tasks | length == 20000' r20000task.json
}
