#!/usr/bin/env bats
# hyperfine's parameter sweeps (issue 12): --parameter-scan NAME MIN MAX
# [--parameter-step-size S] and --parameter-list NAME A,B,C, {NAME} replaced
# in commands, -- words, -t specs, --commands lines, names and hooks; one
# workload per combination, its values in workloads[].parameters. Light: tiny
# tasks, --dry-run where nothing needs to run. The timing check is in
# timing-params.bats.
load helpers

RUN1=(run -m serial --runs 1 --warmup 0 -q)

# names FILE: the report's workload names, one JSON array.
names() {
	jq -c '[.workloads[].name]' "$1"
}

# params FILE: the report's workloads[].parameters, one JSON array.
params() {
	jq -c '[.workloads[].parameters]' "$1"
}

@test "parameters: --parameter-list gives one workload per value, the value in workloads[].parameters" {
	run "$TRIBENCH" "${RUN1[@]}" -o r.json -L MS 2,4 -t 'sleep:ms={MS}'
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(names r.json)" = '["custom (MS = 2)","custom (MS = 4)"]' ]
	[ "$(params r.json)" = '[{"MS":"2"},{"MS":"4"}]' ]
	# the spec text was substituted before it was parsed: the task ran with that ms
	[ "$(jq -c '[.workloads[].tasks[0].params.ms]' r.json)" = '[2,4]' ]
}

@test "parameters: no parameter, workloads[].parameters is {}" {
	run "$TRIBENCH" "${RUN1[@]}" -o r.json -t sleep:ms=1
	[ "$status" -eq 0 ]
	[ "$(params r.json)" = '[{}]' ]
}

@test "parameters: --parameter-scan of integers, step 1 by default and given with -D" {
	run "$TRIBENCH" run --dry-run -P N 1 3 -- echo {N}
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<<"$output")" = "$(printf '%s\n' workload 'echo 1' 'echo 2' 'echo 3')" ]
	run "$TRIBENCH" run --dry-run -P N 0 10 -D 4 -- echo {N}
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<<"$output")" = "$(printf '%s\n' workload 'echo 0' 'echo 4' 'echo 8')" ]
}

@test "parameters: a decimal scan with -D prints the step's decimals, never -0.0" {
	run "$TRIBENCH" "${RUN1[@]}" -o r.json -P X -0.2 0 -D 0.1 -- true {X}
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(params r.json)" = '[{"X":"-0.2"},{"X":"-0.1"},{"X":"0.0"}]' ]
	[ "$(names r.json)" = '["true -0.2","true -0.1","true 0.0"]' ]
	[ "$(jq -c '[.workloads[].tasks[0].params.argv[1]]' r.json)" = '["-0.2","-0.1","0.0"]' ]
	run "$TRIBENCH" run --dry-run -P X 0 1 -D 0.25 -- echo {X}
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<<"$output" | tail -n +2 | tr '\n' ' ')" = 'echo 0.00 echo 0.25 echo 0.50 echo 0.75 echo 1.00 ' ]
}

@test "parameters: two lists give every combination, hyperfine's order (commands, then the first list, fastest)" {
	run "$TRIBENCH" "${RUN1[@]}" -o r.json -L A 1,2 -L B x,y 'true {A}{B}' 'true {B}{A}'
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(names r.json)" = '["true 1x","true x1","true 2x","true x2","true 1y","true y1","true 2y","true y2"]' ]
	[ "$(jq -c '[.workloads[].parameters | [.A, .B] | join("")]' r.json)" = \
		'["1x","1x","2x","2x","1y","1y","2y","2y"]' ]
	# declaration order in the object, not sorted
	[ "$(jq -r '.workloads[0].parameters | keys_unsorted | join(",")' r.json)" = 'A,B' ]
	run "$TRIBENCH" run --dry-run -L B y,x -L A 2,1 'true {A}{B}'
	[ "$(cut -f1 <<<"$output" | tail -n +2 | tr '\n' ' ')" = 'true 2y true 2x true 1y true 1x ' ]
}

@test "parameters: {NAME} replaced in command strings, -- words, -t specs and --commands lines" {
	printf 'echo line {V}\n# comment {V}\n\necho second\n' >cmds
	run "$TRIBENCH" "${RUN1[@]}" -o r.json -L V a,'b c' --commands cmds -t 'sleep:ms=1,count={N}' \
		-L N 1,2 'echo str {V}' -- printf '%s\n' 'word {V}' {N}
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(jq '.workloads | length' r.json)" -eq 12 ]
	# the last combination: V = b c, N = 2; the --name workload holds the
	# spec (count= substituted: 2 tasks) then the --commands lines
	last='.workloads[9:] | map([.name, .parameters, [.tasks[].params | .shell // .argv // .ms]])'
	[ "$(jq -c "$last" r.json)" = "$(jq -cn '[
		["custom (V = b c, N = 2)", {V: "b c", N: "2"}, [1, 1, "echo line b c", "echo second"]],
		["echo str b c (N = 2)", {V: "b c", N: "2"}, ["echo str b c"]],
		["printf '"'"'%s\\n'"'"' '"'"'word b c'"'"' 2", {V: "b c", N: "2"},
		 [range(4) | ["printf", "%s\\n", "word b c", "2"]]]]')" ]
	[ "$(jq -c '[.workloads[0].tasks[].params | .shell // .ms]' r.json)" = '[1,"echo line a","echo second"]' ]
}

@test "parameters: {NAME} in a spec's count= makes that many tasks" {
	run "$TRIBENCH" run --dry-run -L N 1,3 -t 'sleep:ms=1,count={N}'
	[ "$status" -eq 0 ]
	[ "$(cut -f1,2 <<<"$output" | tail -n +2)" = "$(printf 'custom (N = 1)\t1\ncustom (N = 3)\t3')" ]
}

@test "parameters: one pass: a value holding {OTHER} stays as written, as do {} {#} and unknown braces" {
	run "$TRIBENCH" run --dry-run -L A '{B}x' -L B y -- echo {A} {B} {C} {}{#} ::: in
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<<"$output" | tail -n +2)" = "echo '{B}x' y '{C}' '{}{#}'" ]
	run "$TRIBENCH" "${RUN1[@]}" -o r.json -L A 1,2 -- echo {A} {} {#} ::: p q
	[ "$status" -eq 0 ]
	[ "$(jq -c '[.workloads[].tasks[].params.argv | join(" ")]' r.json)" = \
		'["echo 1 p 1","echo 1 q 2","echo 2 p 1","echo 2 q 2"]' ]
}

@test "parameters: names: -n and --name get {NAME} replaced, else the values they lack appended" {
	run "$TRIBENCH" run --dry-run -L A 1,2 -n 'a{A}' -n plain 'true {A}' 'true {A}'
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<<"$output" | tail -n +2 | tr '\n' '|')" = 'a1|plain (A = 1)|a2|plain (A = 2)|' ]
	run "$TRIBENCH" run --dry-run -L A 1,2 -L B x --name 'w{B}' -t 'sleep:ms={A}'
	[ "$status" -eq 0 ]
	[ "$(cut -f1 <<<"$output" | tail -n +2 | tr '\n' '|')" = 'wx (A = 1)|wx (A = 2)|' ]
	# the -- command named by --name, and by its text
	run "$TRIBENCH" run --dry-run -L A 1 --name 'n-{A}' -- true {A}
	[ "$(cut -f1 <<<"$output" | tail -n +2)" = 'n-1' ]
	run "$TRIBENCH" run --dry-run -L A 'x y' -- true {A}
	[ "$(cut -f1 <<<"$output" | tail -n +2)" = "true 'x y'" ]
}

@test "parameters: two workloads named alike are refused, nothing created" {
	run "$TRIBENCH" run -o r.json -L A 1,11 -L B 11,1 -n 'n{A}{B}' 'true {A} {B}'
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"two workloads are named 'n111'"* ]]
	[ ! -e r.json ]
}

@test "parameters: hooks get {NAME} of the workload they run for: once, per command, per workload" {
	run "$TRIBENCH" "${RUN1[@]}" -o /dev/null -L A 1,2 --count 1 \
		--setup 'echo "setup {A} $TRIBENCH_WORKLOAD" >> log' \
		--prepare 'echo "prep-first {A}" >> log' --prepare 'echo "prep-second {A} {B}" >> log' \
		--cleanup 'echo "c1 {A}" >> log' --cleanup 'echo c2 >> log' --cleanup 'echo c3 >> log' \
		--cleanup 'echo "c4 {A}" >> log' 'true {A}' true
	[ "$status" -eq 0 ]
	[ "$(cat log)" = "$(printf '%s\n' 'setup 1 true 1' 'prep-first 1' 'c1 1' \
		'setup 1 true (A = 1)' 'prep-second 1 {B}' 'c2' \
		'setup 2 true 2' 'prep-first 2' 'c3' \
		'setup 2 true (A = 2)' 'prep-second 2 {B}' 'c4 2')" ]
}

@test "parameters: a parameter used only in a hook is a use; the names tell the workloads apart" {
	run "$TRIBENCH" "${RUN1[@]}" -o r.json -L OPT 1,2 --setup 'echo {OPT} > opt' -- cat opt
	[ "$status" -eq 0 ]
	[ "$(names r.json)" = '["cat opt (OPT = 1)","cat opt (OPT = 2)"]' ]
}

@test "parameters: --dry-run prints one line per workload" {
	run "$TRIBENCH" run --dry-run -P N 1 5 -t 'sleep:ms={N}' 'true {N}'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 11 ]
	[ "$(cut -f1 <<<"$output" | sed -n '2p;3p;11p' | tr '\n' '|')" = 'custom (N = 1)|true 1|true 5|' ]
}

@test "parameters: --commands - is read once for every combination" {
	printf 'echo {A}\n' | "$TRIBENCH" "${RUN1[@]}" -o r.json -L A 1,2,3 --commands -
	[ "$(jq -c '[.workloads[].tasks[0].params.shell]' r.json)" = '["echo 1","echo 2","echo 3"]' ]
}

# Bad input: exit 2, one line naming the problem, no report (nor temporary) created.
@test "parameters: every bad input exits 2 with one line and creates nothing" {
	many=$(seq -s, 1 400)
	while IFS='|' read -r needle args; do
		[ -n "$needle" ] || continue
		mkdir -p out && cd out || return 1
		eval "run \"\$TRIBENCH\" run -m serial --runs 1 --warmup 0 -o r.json $args"
		echo "# $args: $status $output" >&3
		[ "$status" -eq 2 ]
		assert_one_line_error
		[[ "$output" == *"$needle"* ]]
		[ -z "$(ls -A)" ]
		cd .. && rmdir out
	done <<'EOF'
invalid --parameter-list name '1A'|-L 1A 1 -- echo {1A}
invalid --parameter-scan name 'a-b'|-P a-b 1 2 -- echo x
parameter 'A' given twice|-L A 1 -L A 2 -- echo {A}
parameter 'A' given twice|-P A 1 2 -L A 3 -- echo {A}
applies to --parameter-scan|-D 1 -L A 1 -- echo {A}
cannot be combined|-P A 1 2 -L B 3 -- echo {A} {B}
the minimum is above the maximum|-P A 3 1 -- echo {A}
it must be above 0|-P A 1 3 -D 0 -- echo {A}
it must be above 0|-P A 1 3 -D -1 -- echo {A}
expected a decimal number|-P A 1 x -- echo {A}
are whole numbers|-P A 0 0.5 -- echo {A}
an empty value|-L A 1,,2 -- echo {A}
an empty value|-L A '' -- echo {A}
'1' given twice|-L A 1,2,1 -- echo {A}
--parameter-scan given twice|-P A 1 2 -P B 1 2 -- echo {A} {B}
needs NAME MIN MAX|-P A 1
needs NAME VALUES|-L A
{A} appears in no command, task spec, name or hook|-L A 1,2 -- echo A
{B} appears in no command|-L A 1 -L B 2 -t 'sleep:ms={A}'
the built-in suite has none|-L A 1,2
not to a taskfile|-L A 1 -f /dev/null -- echo {A}
--prepare given 3 times for 2 commands and specs, 4 workloads|-L A 1,2 --prepare true --prepare true --prepare true 'true {A}' true
combinations: at most 100000|-L A $many -L B $many -- echo {A} {B}
two workloads are named 'echo 1'|-L A 1,2 'echo {A}' 'echo {A}'
not the option '--modes'|-L A --modes serial 'echo {A}'
not the option '--max'|-P A 1 --max 'echo {A}'
must lie within -1e15..1e15|-P A 9007199254740993 9007199254740995 -- echo {A}
EOF
}
