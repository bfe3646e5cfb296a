#!/usr/bin/env bats
# The input side at scale (issue 10): count limits, --commands read in bounded
# memory, run --dry-run, taskfile rules. Light: each test takes well under a
# second; the million-line and 160,000-workload inputs are in scale-input.bats.
load helpers

# peak_kb FILE: the peak RSS in KB that /usr/bin/time -f %M -o FILE wrote.
peak_kb() {
	tail -n 1 "$1"
}

# floor_kb: tribench's own peak RSS for a one-line dry run, the floor that
# bounded-memory checks add to (a sanitized build starts far above a plain one).
floor_kb() {
	echo true > one
	/usr/bin/time -f %M -o floor "$TRIBENCH" run --dry-run --commands one >/dev/null
	peak_kb floor
}

@test "input: count=1000001 and --count 1000001 are refused with exit 2, naming the limit" {
	run "$TRIBENCH" run --dry-run -t sleep:ms=1,count=1000001
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"count=1000001 is out of range 1..1000000"* ]]
	run "$TRIBENCH" run --dry-run --count 1000001 -- true
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"--count '1000001'"*"1 to 1000000"* ]]
	echo '{"workloads": [{"name": "w", "tasks": [{"kind": "sleep", "count": 1000001}]}]}' > t.json
	run "$TRIBENCH" run --dry-run -f t.json
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"1..1000000"* ]]
	# eleven specs of a million in one workload pass its 10,000,000 tasks
	specs=()
	for i in $(seq 11); do specs+=(-t "sleep:ms=$i,count=1000000"); done
	run "$TRIBENCH" run --dry-run "${specs[@]}"
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"more than 10000000 tasks"* ]]
}

@test "input: --count 1000000 passes the dry run, stored once, and nothing is run or written" {
	floor=$(floor_kb)
	/usr/bin/time -f %M -o peak "$TRIBENCH" run --name custom --dry-run --count 1000000 -o r.json --results res \
		-- true > out 2> err
	printf '%s\n' "workload	tasks	serial	concurrent	parallel" > want
	[ "$(head -n 1 out)" = "$(cat want)" ]
	[ "$(wc -l < out)" -eq 2 ]
	[ "$(cut -f 1,2 out | tail -n 1)" = "custom	1000000" ]
	# serial admits one; concurrent all million (no --max-in-flight) but for
	# what the process limits leave now (pid_max 32768 here), as a run would,
	# said in a warning
	[[ "$(cut -f 3 out | tail -n 1)" == "1 on "* ]]
	cell=$(cut -f 4 out | tail -n 1)
	if grep -q "tasks would be in flight at once" err; then
		n=$(sed -n 's/^tribench: warning: at most \([0-9]*\) tasks would be.*/\1/p' err)
		[ "$cell" = "$n on ${cell#* on }" ] && [ "$n" -lt 1000000 ]
	else
		[[ "$cell" == "1000000 on "* ]]
	fi
	[ ! -e r.json ] && [ ! -e res ]
	# a million copies of one spec cost no more than one (~140 bytes a copy would be 140 MB)
	echo "peak $(peak_kb peak) KB, floor $floor KB"
	[ "$(peak_kb peak)" -lt $((floor + 8192)) ]
	run "$TRIBENCH" run --name custom --dry-run --count 5 --max-in-flight 3 -m concurrent -- true
	[ "$status" -eq 0 ]
	[[ "$(tail -n 1 <<< "$output")" == "custom	5	3 on "* ]]
}

@test "input: the dry run checks like a run: bad input exit 2, the modes chosen, a simulated machine" {
	run "$TRIBENCH" run --dry-run
	[ "$status" -eq 0 ]
	[ "$(cut -f 1 <<< "$output" | tr '\n' ' ')" = "workload cpu io mixed " ]
	run "$TRIBENCH" run --dry-run -m parallel,serial -t sleep:count=3
	[ "$status" -eq 0 ]
	[ "$(head -n 1 <<< "$output")" = "workload	tasks	parallel	serial" ]
	run "$TRIBENCH" run --dry-run -t sleep:nosuch=1
	[ "$status" -eq 2 ]
	assert_one_line_error
	run "$TRIBENCH" run --dry-run --cpu 4095
	[ "$status" -eq 2 ]
	assert_one_line_error
	run "$TRIBENCH" run --dry-run -- no-such-command-here
	[ "$status" -eq 2 ]
	assert_one_line_error
	run "$TRIBENCH" plan --dry-run
	[ "$status" -eq 2 ]
	# a run refuses a simulated machine; its dry run shows the plans there
	HWLOC_SYNTHETIC="pack:2 core:4 pu:2" run "$TRIBENCH" run --dry-run -t sleep:count=3 -j 4 -m parallel
	[ "$status" -eq 0 ]
	[[ "$(tail -n 1 <<< "$output")" == "custom	3	4 on "* ]]
}

@test "input: a 20,001-line --commands file passes the dry run, one task per non-empty line" {
	seq 1 20001 | sed 's/^/true /' > cmds
	printf '\n  \n' >> cmds
	run "$TRIBENCH" run --dry-run -m serial --commands cmds -o r.json
	[ "$status" -eq 0 ]
	[[ "$(tail -n 1 <<< "$output")" == "custom	20001	1 on "* ]]
	[ ! -e r.json ]
	seq 1 20001 | sed 's/^/true /' | "$TRIBENCH" run --dry-run -m serial --commands - > out
	[ "$(cut -f 2 out | tail -n 1)" = 20001 ]
}

@test "input: --commands /dev/zero is refused at once with exit 2 in bounded memory, nothing created" {
	floor=$(floor_kb)
	run timeout 10 /usr/bin/time -f %M -o peak "$TRIBENCH" run --dry-run --commands /dev/zero
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"--commands '/dev/zero' line 1: longer than the limit of 131071 bytes"* ]]
	echo "peak $(peak_kb peak) KB, floor $floor KB"
	[ "$(peak_kb peak)" -lt $((floor + 16384)) ]
	# a run, not only the dry run, and a pipe with no newline in 64 MiB
	run timeout 10 "$TRIBENCH" run --commands /dev/zero -o r.json
	[ "$status" -eq 2 ]
	[ ! -e r.json ]
	run timeout 10 bash -c "head -c 64M /dev/zero | tr '\\0' x | '$TRIBENCH' run --dry-run --commands -"
	[ "$status" -eq 2 ]
	[[ "$output" == *"'-' line 1: longer than the limit"* ]]
	# the limit is exact: a line of 131071 bytes is taken and runs (the
	# kernel's 128 KiB for one argument counts its NUL), one byte more is not
	{ printf ': '; head -c $((128 * 1024 - 3)) /dev/zero | tr '\0' x; echo; } > max
	[ "$(head -n 1 max | wc -c)" -eq 131072 ]
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q --commands max -o r.json
	[ "$status" -eq 0 ]
	jq -e '.workloads[0].modes[0].runs[0].tasks[0].exit.code == 0' r.json
	rm r.json
	{ printf ':  '; head -c $((128 * 1024 - 3)) /dev/zero | tr '\0' x; echo; } > over
	run "$TRIBENCH" run --dry-run --commands over
	[ "$status" -eq 2 ]
	printf 'true\ntrue\nfalse\x00\n' > nul
	run "$TRIBENCH" run --dry-run --commands nul
	[ "$status" -eq 2 ]
	[[ "$output" == *"line 3: contains a NUL byte"* ]]
}

@test "input: a taskfile with two workloads of one name is refused as before; keys checked once each" {
	echo '{"workloads": [{"name": "a", "tasks": [{"kind": "sleep"}]},
	                     {"name": "b", "tasks": [{"kind": "sleep"}]},
	                     {"name": "a", "tasks": [{"kind": "sleep"}]}]}' > dup.json
	run "$TRIBENCH" run --dry-run -f dup.json -o r.json
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"duplicate workload name 'a'"* ]]
	[ ! -e r.json ]
	# -t's workload and a taskfile's of the same name: the same rule
	echo '{"workloads": [{"name": "custom", "tasks": [{"kind": "sleep"}]}]}' > custom.json
	run "$TRIBENCH" run --dry-run -t sleep -f custom.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"duplicate workload name 'custom'"* ]]
	# the first offending key in document order is named
	echo '{"workloads": [{"name": "a", "tasks": [{"kind": "sleep", "ms": 1, "ms": 2, "zz": 1}]}]}' > k1.json
	run "$TRIBENCH" run --dry-run -f k1.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"duplicate key 'ms'"* ]]
	echo '{"workloads": [{"name": "a", "tasks": [{"kind": "sleep"}], "zz": 1, "name": "b"}]}' > k2.json
	run "$TRIBENCH" run --dry-run -f k2.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown key 'zz'"* ]]
	# a taskfile over 16 MiB is refused without reading it all
	run timeout 10 "$TRIBENCH" run --dry-run -f /dev/zero
	[ "$status" -eq 2 ]
	[[ "$output" == *"larger than 16 MiB"* ]]
}

@test "--dry-run refuses what a run refuses: --format csv with --detail run" {
	run "$TRIBENCH" run --dry-run --format csv --detail run --count 2 -- true
	[ "$status" -eq 2 ]
	[[ "$output" == *"needs --detail task"* ]]
}
