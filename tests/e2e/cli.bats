#!/usr/bin/env bats
# The command line: help, version, list, topology, plan, simulated topologies and
# a closed stdout. Every test is quick: tiny suites, one run, no warm-up.
load helpers

SYNTH="pack:2 core:8 pu:2"

# run_split CMD...: like bats' run, but stdout in $output and stderr in $stderr.
run_split() {
	"$@" >"$SCRATCH/.stdout" 2>"$SCRATCH/.stderr" && status=0 || status=$?
	output=$(<"$SCRATCH/.stdout")
	stderr=$(<"$SCRATCH/.stderr")
	rm -f "$SCRATCH/.stdout" "$SCRATCH/.stderr"
}

# expand_cpus LIST: "0-2,5" -> "[0,1,2,5]", the way usable_pus is written by jq -c.
expand_cpus() {
	local out=() part parts i
	IFS=, read -ra parts <<<"$1"
	for part in "${parts[@]}"; do
		for ((i = ${part%-*}; i <= ${part#*-}; i++)); do
			out+=("$i")
		done
	done
	local IFS=,
	echo "[${out[*]}]"
}

# The test shell's own affinity, as taskset and /proc report it.
allowed_cpus() {
	awk '/^Cpus_allowed_list:/ { print $2 }' /proc/self/status
}

check_help() {
	run_split "$TRIBENCH" "$@"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ -n "$output" ]
	local opt
	for opt in --task --name --taskfile --modes --jobs --policy --cpu --runs --warmup \
		--sample-ms --output --quiet --help --version; do
		grep -qe "$opt\b" <<<"$output" || {
			echo "help does not mention $opt"
			return 1
		}
	done
	local code
	for code in '0 success' '1 a task or a hook failed' '2 bad input' '3 runtime error' '128+N'; do
		grep -qF -- "$code" <<<"$output" || {
			echo "help does not document exit status '$code'"
			return 1
		}
	done
}

@test "cli: --help prints every option and the exit codes to stdout" {
	check_help --help
}

@test "cli: -h is --help" {
	check_help -h
}

@test "cli: 'tribench help' is --help" {
	check_help help
}

@test "cli: --version prints 'tribench X.Y.Z'" {
	run_split "$TRIBENCH" --version
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ $output =~ ^tribench\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
	# the version configure.ac declares
	local v
	v=$(sed -n 's/^AC_INIT(\[tribench\], *\[\([^]]*\)\].*/\1/p' "$TOP_SRCDIR/configure.ac")
	[ -z "$v" ] || [ "$output" = "tribench $v" ]
	local long=$output
	run_split "$TRIBENCH" -V
	[ "$status" -eq 0 ]
	[ "$output" = "$long" ]
}

@test "cli: list shows every kind with its parameters" {
	run_split "$TRIBENCH" list
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	# "kind param" for every indented line under an unindented kind line
	local pairs
	pairs=$(awk '/^[a-z]/ { kind = $1; next } /^[ \t]+[a-z_]+[ \t]/ { print kind, $1 }' <<<"$output")
	local want
	for want in "cpu ops" "cpu ms" "cpu count" "sleep ms" "sleep count" "disk kb" "disk dir" \
		"disk count" "mix cpu_ms" "mix io_ms" "mix rounds" "mix count" "mem mb" "mem passes" \
		"mem count"; do
		grep -qxF "$want" <<<"$pairs" || {
			echo "list does not show '${want#* }' under '${want%% *}':"
			echo "$output"
			return 1
		}
	done
}

@test "cli: topology is JSON and usable_pus is the test shell's affinity" {
	run_split "$TRIBENCH" topology
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	local want got
	want=$(expand_cpus "$(allowed_cpus)")
	got=$(jq -ec '.usable_pus' <<<"$output")
	echo "usable_pus $got, Cpus_allowed_list $(allowed_cpus) -> $want"
	[ "$got" = "$want" ]
	[ "$(jq -r '.binding' <<<"$output")" = real ]
	[ "$(jq -r '.is_this_system' <<<"$output")" = true ]
	[ "$(jq -r '.synthetic' <<<"$output")" = null ]
}

@test "cli: topology under taskset sees only the CPUs taskset allows" {
	command -v taskset >/dev/null || skip "no taskset"
	local last
	last=$(jq -r '.usable_pus[-1]' <<<"$("$TRIBENCH" topology)")
	run_split taskset -c "$last" "$TRIBENCH" topology
	[ "$status" -eq 0 ]
	[ "$(jq -c '.usable_pus' <<<"$output")" = "[$last]" ]
}

@test "cli: plan -m serial --cpu 1 is one slot on CPU 1" {
	[[ $(expand_cpus "$(allowed_cpus)") =~ [[,]1[],] ]] || skip "CPU 1 is not usable here"
	run_split "$TRIBENCH" plan -m serial --cpu 1
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(jq -c '[.modes[].mode]' <<<"$output")" = '["serial"]' ]
	[ "$(jq '.modes[0].plan.slots | length' <<<"$output")" -eq 1 ]
	[ "$(jq -r '.modes[0].plan.slots[0].cpuset' <<<"$output")" = 1 ]
	[ "$(jq -r '.modes[0].plan.max_in_flight' <<<"$output")" = 1 ]
}

@test "cli: simulated topology: spread puts 2 slots in different packages" {
	HWLOC_SYNTHETIC=$SYNTH run_split "$TRIBENCH" plan -j 2
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	local slots
	slots=$(jq -c '[.modes[] | select(.mode == "parallel") | .plan.slots[] | {package, core}]' <<<"$output")
	echo "parallel slots: $slots"
	[ "$(jq 'length' <<<"$slots")" -eq 2 ]
	[ "$(jq '[.[].package] | unique | length' <<<"$slots")" -eq 2 ]
	[ "$(jq '[.[].core] | unique | length' <<<"$slots")" -eq 2 ]
}

@test "cli: simulated topology: compact keeps 2 slots in package 0 on distinct cores" {
	HWLOC_SYNTHETIC=$SYNTH run_split "$TRIBENCH" plan -j 2 --policy compact
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	local slots
	slots=$(jq -c '[.modes[] | select(.mode == "parallel") | .plan.slots[] | {package, core}]' <<<"$output")
	echo "parallel slots: $slots"
	[ "$(jq 'length' <<<"$slots")" -eq 2 ]
	[ "$(jq -c '[.[].package] | unique' <<<"$slots")" = '[0]' ]
	[ "$(jq '[.[].core] | unique | length' <<<"$slots")" -eq 2 ]
}

@test "cli: simulated topology is reported as simulated" {
	HWLOC_SYNTHETIC=$SYNTH run_split "$TRIBENCH" topology
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	echo "$output"
	[ "$(jq -r '.binding' <<<"$output")" = simulated ]
	[ "$(jq -r '.is_this_system' <<<"$output")" = false ]
	[ "$(jq -r '.synthetic' <<<"$output")" = "$SYNTH" ]
	[ "$(jq '.packages' <<<"$output")" -eq 2 ]
	[ "$(jq '.cores' <<<"$output")" -eq 16 ]
	[ "$(jq '.pus' <<<"$output")" -eq 32 ]
	[ "$(jq '.usable_pus | length' <<<"$output")" -eq 32 ]
}

@test "cli: run on a simulated topology fails with exit 2 and one line" {
	HWLOC_SYNTHETIC=$SYNTH run_split "$TRIBENCH" -t sleep:ms=10 --runs 1 --warmup 0 -o r.json
	echo "stderr: $stderr"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	output=$stderr assert_one_line_error
	[ ! -e r.json ]
	[ -z "$(ls -A)" ]
}

@test "cli: run | head -c 10 ends quietly" {
	run bash -c "'$TRIBENCH' -t sleep:ms=10 --runs 1 --warmup 0 -q 2>'$SCRATCH/err' | head -c 10; echo \" rc=\${PIPESTATUS[0]}\""
	echo "$output"
	echo "stderr: $(<"$SCRATCH/err")"
	[ "$status" -eq 0 ]
	[ "${output:0:1}" = "{" ]
	[[ $output == *" rc=0" ]]
	[ ! -s "$SCRATCH/err" ]
}

# The reader is gone before tribench writes: the report meets EPIPE for sure.
@test "cli: run into a pipe whose reader has exited ends quietly" {
	run bash -c "{ sleep 0.2; '$TRIBENCH' -t sleep:ms=10 --runs 1 --warmup 0 -q 2>'$SCRATCH/err'; echo \"rc=\$?\" >'$SCRATCH/rc'; } | true"
	echo "$(<"$SCRATCH/rc") stderr: $(<"$SCRATCH/err")"
	[ "$(<"$SCRATCH/rc")" = rc=0 ]
	[ ! -s "$SCRATCH/err" ]
}

# The same for the commands that only print: either it is not an error (exit 0,
# silent, as for run) or it is one (non-zero and one line naming it).
@test "cli: plan, topology, list and --help into a closed pipe follow the error contract" {
	local cmd bad=0 rc
	for cmd in topology plan list --help --version; do
		bash -c "{ sleep 0.2; '$TRIBENCH' $cmd 2>'$SCRATCH/err'; echo \$? >'$SCRATCH/rc'; } | true"
		rc=$(<"$SCRATCH/rc")
		output=$(<"$SCRATCH/err")
		if [ "$rc" -eq 0 ] && [ -z "$output" ]; then
			continue
		fi
		if [ "$rc" -ne 0 ] && assert_one_line_error 2>/dev/null; then
			continue
		fi
		echo "tribench $cmd | (closed): exit $rc with stderr '$output'"
		bad=1
	done
	[ "$bad" -eq 0 ]
}
