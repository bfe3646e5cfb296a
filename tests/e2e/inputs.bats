#!/usr/bin/env bats
# Inputs and placeholders as GNU parallel users write them (issue 11): ::: and
# --args-file, {} {#} {%} {.} {/} {//} {/.}, command strings, workload names.
load helpers

# slots_match REPORT: each out.N file says "INPUT N S", S the slot + 1 of
# task N-1 in the report's one run (the {%} a launch filled in).
slots_match() {
	local inputs=(a b c)
	for n in 1 2 3; do
		slot=$(jqr "$1" ".workloads[0].modes[0].runs[0].tasks[] | select(.id == $((n - 1))) | .slot")
		want="${inputs[$((n - 1))]} $n $((slot + 1))"
		[ "$(cat "out.$n")" = "$want" ] || {
			echo "out.$n: '$(cat "out.$n")', want '$want'" >&2
			return 1
		}
	done
}

@test "inputs: ::: gives one task per input with {} {#} {%}, the slot as the report has it" {
	run "$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q -o r.json \
		-- sh -c 'echo {} {#} {%} > out.{#}' ::: a b c
	[ "$status" -eq 0 ]
	[ "$(jqr r.json '.workloads[0].tasks | length')" -eq 3 ]
	slots_match r.json
	# both slots of -j 2 were used, so {%} is not a constant
	[ "$(jqr r.json '[.workloads[0].modes[0].runs[0].tasks[].slot] | unique | length')" -eq 2 ]
}

@test "inputs: {%} is filled in by tribench itself too, when the launcher cannot be had" {
	TRIBENCH_SPAWN=/nonexistent run "$TRIBENCH" run -m parallel -j 2 --runs 1 --warmup 0 -q -o r.json \
		-- sh -c 'echo {} {#} {%} > out.{#}' ::: a b c
	[ "$status" -eq 0 ]
	[[ "$(jqr r.json '.warnings | join(" ")')" == *"cannot start the launcher"* ]]
	slots_match r.json
}

@test "inputs: in serial and concurrent mode {%} is 1 (their one slot), {#} is TRIBENCH_TASK_ID + 1" {
	run "$TRIBENCH" run -m serial,concurrent --runs 1 --warmup 0 -q -o /dev/null \
		-- sh -c 'echo "$TRIBENCH_MODE {%} $TRIBENCH_SLOT {#} $TRIBENCH_TASK_ID" >> seen' ::: x y
	[ "$status" -eq 0 ]
	[ "$(sort seen)" = "$(printf '%s\n' 'concurrent 1 0 1 0' 'concurrent 1 0 2 1' \
		'serial 1 0 1 0' 'serial 1 0 2 1')" ]
}

@test "inputs: {.} {/} {//} {/.} of a path, as GNU parallel defines them" {
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o /dev/null \
		-- sh -c 'printf "%s\n" "{.}|{/}|{//}|{/.}" > out.{#}' ::: dir/file.txt /a file.tar.gz .bashrc a.b/c dir/
	[ "$status" -eq 0 ]
	[ "$(cat out.1)" = "dir/file|file.txt|dir|file" ]
	[ "$(cat out.2)" = "/a|a|/|a" ]
	[ "$(cat out.3)" = "file.tar|file.tar.gz|.|file.tar" ]
	[ "$(cat out.4)" = "|.bashrc|.|" ]
	[ "$(cat out.5)" = "a.b/c|c|a.b|c" ]
	[ "$(cat out.6)" = "dir/||.|" ]
}

@test "inputs: --args-file - reads standard input, one input a line, empty lines included, \\r dropped" {
	printf 'one\r\n\nthree' |
		"$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o r.json --args-file - \
			-- sh -c 'printf "[%s]\n" "{}" > out.{#}'
	[ "$(jqr r.json '.workloads[0].tasks | length')" -eq 3 ]
	[ "$(cat out.1)" = "[one]" ]
	[ "$(cat out.2)" = "[]" ]
	[ "$(cat out.3)" = "[three]" ]
}

@test "inputs: a bad --args-file is exit 2 with one line: empty, NUL byte, a line over the limit, missing" {
	: > empty
	run "$TRIBENCH" run --dry-run --args-file empty -- echo
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"--args-file 'empty' has no input"* ]]
	printf 'a\nb\0c\n' > nul
	run "$TRIBENCH" run --dry-run --args-file nul -- echo
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"line 2: contains a NUL byte"* ]]
	run "$TRIBENCH" run --dry-run --args-file /dev/zero -- echo
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"line 1: longer than the limit of 131071 bytes"* ]]
	run "$TRIBENCH" run --dry-run --args-file missing -- echo
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"cannot read --args-file 'missing'"* ]]
}

@test "inputs: a command string's input is shell-quoted: one file named 'my file', one with a quote" {
	echo hello > 'my file'
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o /dev/null 'gzip -k {}' ::: 'my file'
	[ "$status" -eq 0 ]
	[ "$(gzip -dc 'my file.gz')" = hello ]
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o /dev/null \
		'printf "%s\n" {} {/} > out.{#}' ::: "it's \$HOME" "a/b c"
	[ "$status" -eq 0 ]
	[ "$(cat out.1)" = "$(printf '%s\n' "it's \$HOME" "it's \$HOME")" ]
	[ "$(cat out.2)" = "$(printf '%s\n' "a/b c" "b c")" ]
}

@test "inputs: without a placeholder the input is the last argument (GNU parallel's habit)" {
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o /dev/null \
		-- sh -c 'echo "$1" > "out.$1"' sh ::: x 'y z'
	[ "$status" -eq 0 ]
	[ "$(cat out.x)" = x ]
	[ "$(cat 'out.y z')" = 'y z' ]
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o /dev/null 'touch' ::: 'p q' r
	[ "$status" -eq 0 ]
	[ -f 'p q' ] && [ -f r ] && [ ! -e p ]
}

@test "inputs: without inputs every {...} stays as written" {
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q -o /dev/null \
		-- sh -c 'echo "$@" > argv' sh {} {#} {%} {.} {/} {//} {/.}
	[ "$status" -eq 0 ]
	[ "$(cat argv)" = '{} {#} {%} {.} {/} {//} {/.}' ]
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o /dev/null "echo '{} {%}' > line"
	[ "$status" -eq 0 ]
	[ "$(cat line)" = '{} {%}' ]
}

@test "inputs: workloads are named by the command as written, before substitution, or by -n" {
	run "$TRIBENCH" run --dry-run -- sh -c 'echo {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n 2p | cut -f1,2)" = "$(printf "sh -c 'echo {}'\t2")" ]
	run "$TRIBENCH" run --dry-run 'echo {}' 'echo {.}' -n first ::: a b c
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n '2,3p' | cut -f1,2)" = "$(printf 'first\t3\necho {.}\t3')" ]
	run "$TRIBENCH" run -m serial --runs 1 --warmup 0 -q -o r.json 'echo {}' -- echo {} ::: a b
	[ "$status" -eq 0 ]
	[ "$(jqr r.json '[.workloads[] | .name, (.tasks | length)] | join(",")')" = "echo {},2,echo '{}',2" ]
}

@test "inputs: two workloads of one name are exit 2, naming it and -n" {
	run "$TRIBENCH" run --dry-run 'echo x' 'echo x'
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"two workloads are named 'echo x'"*"-n"* ]]
	run "$TRIBENCH" run --dry-run -n same -n same 'echo x' -- echo y
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"'same'"* ]]
	run "$TRIBENCH" run --dry-run -n x 'echo x' 'x'
	[ "$status" -eq 2 ]
	assert_one_line_error
	run "$TRIBENCH" run --dry-run -n a -n b 'echo x' 'echo x'
	[ "$status" -eq 0 ]
}

@test "inputs: --count with inputs, and --args-file - with --commands -, are exit 2" {
	run "$TRIBENCH" run --dry-run --count 2 -- echo ::: a
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"--count and inputs"* ]]
	run "$TRIBENCH" run --dry-run --count 2 --args-file /dev/null 'echo'
	[ "$status" -eq 2 ]
	assert_one_line_error
	echo true > cmds
	run "$TRIBENCH" run --dry-run --args-file - --commands - -- echo < cmds
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"cannot both read standard input"* ]]
}

@test "inputs: a dry run over a 10,000-line --args-file has its 10,000 tasks" {
	seq 1 10000 | sed 's|^|dir/file.|' > args
	start=$(date +%s%N)
	run "$TRIBENCH" run --dry-run --args-file args -- gzip -kf {}
	end=$(date +%s%N)
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | sed -n 2p | cut -f1,2)" = "$(printf 'gzip -kf '\''{}'\''\t10000')" ]
	ms=$(((end - start) / 1000000))
	echo "10,000 inputs: dry run in $ms ms" >&3
	# 0.15 s on a plain build here; 20 s is room for a sanitizer build on a busy machine
	[ "$ms" -lt 20000 ]
}
