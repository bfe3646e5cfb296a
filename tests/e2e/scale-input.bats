#!/usr/bin/env bats
# The input side at scale (issue 10), in `make check-scale` only: a million-line
# --commands file, a newline-free gigabyte, 160,000 workloads. Each test prints
# what it measured (seconds, peak RSS) into the TAP log as a # comment.
load helpers

# measure NAME CMD...: runs CMD under /usr/bin/time; sets status, secs (wall),
# cpu (user + sys seconds: what a quadratic step burns, whatever else the
# shared machine runs) and kb (peak RSS).
measure() {
	local name=$1
	shift
	run /usr/bin/time -f '%e %U %S %M' -o peak "$@"
	read -r secs user sys kb < <(tail -n 1 peak)
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	echo "# $name: exit $status, $secs s wall, $cpu s CPU, peak RSS $kb KB" >&3
}

# workloads N [bad]: a taskfile of N one-task workloads; bad: the last has an unknown key.
workloads() {
	awk -v n="$1" -v bad="${2:-}" 'BEGIN {
		printf "{\"workloads\": ["
		for (i = 0; i < n; i++) {
			extra = (bad && i == n - 1) ? ", \"nosuch\": 1" : ""
			printf "%s{\"name\": \"w%d\", \"tasks\": [{\"kind\": \"sleep\", \"ms\": 1%s}]}", i ? "," : "", i, extra
		}
		print "]}"
	}'
}

@test "scale-input: a 1,000,000-line --commands file passes the dry run in bounded memory" {
	# distinct lines: the worst case, each its own spec (equal lines share one)
	seq 1 1000000 | sed 's/^/true /' > cmds
	measure "1,000,000 distinct lines" "$TRIBENCH" run --dry-run --commands cmds -o r.json
	[ "$status" -eq 0 ]
	[[ "$(tail -n 1 <<< "$output")" == "custom	1000000	1 on "* ]]
	[ ! -e r.json ]
	# ~170 MB measured: a spec per line (~140 bytes) and its text
	[ "$kb" -lt 262144 ]
	yes true | head -n 1000000 > same
	measure "1,000,000 equal lines" "$TRIBENCH" run --dry-run --commands same
	[ "$status" -eq 0 ]
	[ "$kb" -lt 65536 ]
}

@test "scale-input: a newline-free 1 GB input is refused with exit 2 in bounded memory" {
	measure "1 GiB of NUL bytes on a pipe" timeout 60 bash -c \
		"head -c 1G /dev/zero | '$TRIBENCH' run --commands - -o r.json"
	[ "$status" -eq 2 ]
	[[ "$output" == *"--commands '-' line 1: longer than the limit of 131071 bytes"* ]]
	[ "$kb" -lt 65536 ]
	[ ! -e r.json ]
	measure "1 GiB of x on a pipe" timeout 60 bash -c \
		"head -c 1G /dev/zero | tr '\\0' x | '$TRIBENCH' run --dry-run --commands -"
	[ "$status" -eq 2 ]
	[ "$kb" -lt 65536 ]
}

@test "scale-input: 160,000 workloads are read and checked in linear time (< 10 s CPU; was 249 s)" {
	workloads 160000 bad > bad.json
	measure "160,000 workloads, error at the end" timeout 60 "$TRIBENCH" run --dry-run -f bad.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"workload 'w159999', task 0: sleep: unknown parameter 'nosuch'"* ]]
	awk -v s="$cpu" 'BEGIN { exit !(s < 10) }'
	workloads 160000 > ok.json
	measure "160,000 workloads, valid" timeout 60 "$TRIBENCH" run --dry-run -f ok.json
	[ "$status" -eq 0 ]
	[ "$(grep -c '	1	1 on ' <<< "$output")" -eq 160000 ]
	awk -v s="$cpu" 'BEGIN { exit !(s < 10) }'
	# one task object of 300,000 keys (3.5 MB): duplicates found by sorting
	awk 'BEGIN { printf "{\"workloads\": [{\"name\": \"a\", \"tasks\": [{\"kind\": \"sleep\"";
		for (i = 0; i < 300000; i++) printf ", \"k%d\": 1", i; print "}]}]}" }' > keys.json
	measure "300,000 keys in one task" timeout 60 "$TRIBENCH" run --dry-run -f keys.json
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown parameter 'k0'"* ]]
	awk -v s="$cpu" 'BEGIN { exit !(s < 10) }'
}
