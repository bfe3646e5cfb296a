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

# peak KB of tribench running N `true`s at --detail D (its report rN_D.json).
# One sample a second: the utilisation series grows with wall time (~0.6 KB a
# row on 2 CPUs, built as JSON when written), and a loaded machine doubles the
# wall time of the big run; the tasks are what is measured here.
peak() {
	taskfile "$1" "t$1.json"
	/usr/bin/time -f %M -o "rss$1$2" "$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q --sample-ms 1000 \
		--detail "$2" -f "t$1.json" -o "r$1_$2.json"
	tail -n 1 "rss$1$2"
}

@test "a 100,000-task report validates, every task in id order, in the memory of 1,000 tasks" {
	# 10,000 tasks run, the 10,001st fails and --halt now stops the run: the
	# report holds 100,000 records (90,000 never started) in under a minute of
	# CI, not the 5 minutes 100,000 launches take here (bench/scale runs those)
	small=$(peak 1000 task)
	{ for _ in $(seq 10000); do echo true; done; echo false; for _ in $(seq 89999); do echo true; done; } >cmds
	/usr/bin/time -f %M -o rssbig "$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q --sample-ms 1000 \
		--halt now,fail=1 --commands cmds -o big.json || [ $? -eq 1 ]
	big=$(tail -n 1 rssbig)
	echo "peak RSS: 1,000 tasks $small KB, 100,000 tasks (10,001 run) $big KB" >&2
	# held in memory, the records cost ~5.5 KB a task (~540 MB here); the
	# margin allows 10% and 4 MiB of noise (allocator, the spool's page cache)
	[ "$big" -le $((small * 11 / 10 + 4096)) ]
	validate big.json
	jq -e '.workloads[0].modes[0].runs[0] | (.tasks | length) == 100000 and
		([.tasks[].id] == [range(100000)]) and .partial and
		([.tasks[] | select(.exit.status == "not_started")] | length) >= 89000 and
		([.tasks[] | select(.exit.status == "exited")] | length) >= 10000' big.json
	jq -e '.workloads[0].tasks | length == 100000 and .[99999].id == 99999' big.json
}
