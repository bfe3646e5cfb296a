#!/usr/bin/env bats
# Bad input, table-driven: every case must follow the error contract (DESIGN §3):
# exit 2 (bad input) or 3 (cannot write the output), exactly one line on stderr
# naming the offending thing, nothing on stdout, and no file left behind (neither
# the report nor its temporary).
load helpers

# A tiny suite for the cases that would otherwise run something if tribench
# wrongly accepted them.
TINY='-t sleep:ms=10 --runs 1 --warmup 0 -m serial'

# Input files for the taskfile cases, in $FIX. They are numbered, not named after
# what is wrong with them, so that a file name in the message cannot satisfy a
# needle on its own.
make_fixtures() {
	FIX=$SCRATCH/fix
	mkdir "$FIX" "$FIX/adir" "$FIX/outdir"
	cd "$FIX" || return 1
	wl() { printf '{"workloads": [{"name": "w", "tasks": [%s]}]}\n' "$1"; }
	: >f01.json                                                   # empty
	printf '{"workloads": [\n' >f02.json                          # truncated
	printf '[]\n' >f03.json                                       # top level array
	printf '{"workloads": [{"name": "w", "tasks": [{"kind": "sleep", "ms": 10}]}], "extra": 1}\n' >f04.json
	printf '{"workloads": []}\n' >f05.json
	printf '{"workloads": [{"tasks": [{"kind": "sleep", "ms": 10}]}]}\n' >f06.json
	printf '{"workloads": [{"name": "dupe", "tasks": [{"kind": "sleep", "ms": 10}]}, {"name": "dupe", "tasks": [{"kind": "sleep", "ms": 10}]}]}\n' >f07.json
	wl '{"kind": "bogus"}' >f08.json
	wl '{"kind": "sleep", "msec": 10}' >f09.json
	wl '{"kind": "sleep", "ms": "100"}' >f10.json
	wl '{"kind": "sleep", "ms": 10, "count": "2"}' >f11.json
	wl '{"kind": "sleep", "ms": 1.5}' >f12.json
	wl '{"kind": "sleep", "ms": 1e309}' >f13.json
	wl '{"kind": "sleep", "ms": 10, "count": -1}' >f14.json
	wl '{"kind": "sleep", "ms": 10, "ms": 20}' >f15.json
	printf '{"workloads": [{"name": "w", "tasks": [{"kind": "sleep", "ms": 10}]}]}\n\0' >f16.json
	printf '[%.0s' $(seq 100000) >f17.json                        # 10^5-deep nesting
	head -c 786432 /dev/urandom | base64 -w0 >f18.json            # a 1 MiB line
	echo >>f18.json
	wl '{"kind": "disk", "dir": "/nonexistent", "kb": 4}' >f19.json
	wl '{"ms": 10}' >f20.json
	wl '{"kind": "cmd", "argv": ["true"]}' >argv.json
	wl '{"kind": "sleep", "ms": true}' >f21.json
	wl '{"kind": "sleep", "ms": 10, "count": 1000001}' >f22.json
	wl '{"kind": "cpu", "ops": 1000, "ms": 10}' >f23.json
	wl '{"kind": "cmd", "argv": []}' >f24.json
	wl '{"kind": "cmd", "argv": ["true", 3]}' >f25.json
	wl '{"kind": "cmd", "argv": ["true"], "shell": "true"}' >f26.json
	wl '{"kind": "cmd", "shell": ""}' >f27.json
	wl '{"kind": "cmd", "argv": ["tr\\u0000ue"]}' >f28.json
	wl '{"kind": "cmd"}' >f29.json
	wl '{"kind": "cmd", "argv": "true"}' >f30.json
	wl '{"kind": "cmd", "argv": [""]}' >f31.json
	printf 'true\ntr\0ue\n' >c01.txt                           # a NUL byte
	{ printf 'echo '; head -c 1100000 /dev/zero | tr '\0' x; echo; } >c02.txt   # a 1 MiB line
	printf '\n   \n\n' >c03.txt                                   # no command at all
	# the valid control
	printf '{"workloads": [{"name": "ok", "tasks": [{"kind": "sleep", "ms": 10}]}]}\n' >good.json
	cd "$SCRATCH" || return 1
}

# trim S: S without leading and trailing blanks, in $REPLY (no subshell: bats
# makes every fork slow, and there are a hundred cases).
trim() {
	REPLY=${1#"${1%%[![:space:]]*}"}
	REPLY=${REPLY%"${REPLY##*[![:space:]]}"}
}

# entries DIR: the names in DIR, dot files included, space-separated, in $REPLY.
entries() {
	local -a e
	local saved
	saved=$(shopt -p nullglob dotglob)
	shopt -s nullglob dotglob
	e=("$1"/*)
	eval "$saved"
	REPLY="${e[*]##*/}"
}

# check_case LINE: LINE is "RC | NEEDLES | WHAT | ARGS". ARGS are shell words
# (eval'd, so $FIX and $TINY expand and '' is an empty argument); NEEDLES are
# ';'-separated strings that must all appear in the error line (with the $FIX
# prefix of paths removed, so a random directory name cannot match). The command
# runs in a fresh empty directory, which must still be empty afterwards, and must
# not change $FIX either. Prints what is wrong and returns 1, else returns 0.
check_case() {
	local want needles what args
	IFS='|' read -r want needles what args <<<"$1"
	trim "$want"; want=$REPLY
	trim "$needles"; needles=$REPLY
	trim "$what"; what=$REPLY
	local -a argv
	eval "argv=($args)"
	local dir=$SCRATCH/run.$((++CASE_NO)) cap=$SCRATCH/cap before after rc=0 problems=()
	mkdir "$dir"
	entries "$FIX"; before=$REPLY
	(cd "$dir" && exec timeout 30 "$TRIBENCH" "${argv[@]}" </dev/null >"$cap.out" 2>"$cap.err") || rc=$?
	entries "$FIX"; after=$REPLY

	[ "$rc" -eq "$want" ] || problems+=("exit status $rc, expected $want")
	local out err
	out=$(<"$cap.out")
	err=$(<"$cap.err")
	[ -s "$cap.out" ] && problems+=("stdout not empty: ${out:0:200}")
	local -a lines
	mapfile lines <"$cap.err"	# keeps each line's newline
	if [ ${#lines[@]} -ne 1 ] || [ "${lines[0]}" = $'\n' ] || [[ ${lines[0]} != *$'\n' ]]; then
		problems+=("expected exactly one newline-terminated line on stderr, got ${#lines[@]}")
	fi
	local -a n
	local named=${err//"$FIX/"/}
	IFS=';' read -ra n <<<"$needles"
	for needle in "${n[@]}"; do
		[[ $named == *"$needle"* ]] || problems+=("stderr does not name '$needle'")
	done
	entries "$dir"
	[ -z "$REPLY" ] || problems+=("files left behind: $REPLY")
	[ "$before" = "$after" ] || problems+=("fixture directory changed: '$before' -> '$after'")
	rm -rf "$dir"

	if [ ${#problems[@]} -gt 0 ]; then
		echo "FAIL: $what"
		echo "  command: tribench ${argv[*]}"
		printf '  - %s\n' "${problems[@]}"
		echo "  stderr: ${err:0:600}"
		return 1
	fi
	return 0
}

# check_cases: every case on stdin, one per line; fails after reporting all.
check_cases() {
	local failed=0 total=0 line
	while IFS= read -r line; do
		case "$line" in '' | '#'*) continue ;; esac
		total=$((total + 1))
		check_case "$line" || failed=$((failed + 1))
	done
	echo "$failed of $total cases failed"
	[ "$failed" -eq 0 ]
}

@test "errors: bad -t task specs" {
	make_fixtures
	check_cases <<'EOF'
2 | bogus         | unknown kind                  | -t bogus
2 | bogus         | unknown kind with params      | -t bogus:ms=1 -o r.json
2 | foo           | unknown key                   | -t cpu:foo=1
2 | ms;abc        | non-numeric value             | -t cpu:ms=abc
2 | ms;-5         | negative value                | -t cpu:ms=-5
2 | ms;0          | zero                          | -t cpu:ms=0
2 | ms;99999999999 | out of range                 | -t cpu:ms=99999999999
2 | ms;1.5        | decimal value                 | -t cpu:ms=1.5
2 | ops;0         | zero ops                      | -t cpu:ops=0
2 | ops;9007199254740993 | ops above 2^53         | -t cpu:ops=9007199254740993
2 | count;0       | count=0                       | -t sleep:ms=10,count=0
2 | count;-1      | count=-1                      | -t sleep:ms=10,count=-1
2 | count;1000001 | count=1000001                 | -t sleep:ms=10,count=1000001
2 | ms            | duplicate key                 | -t cpu:ms=3,ms=4
2 | count         | duplicate count               | -t sleep:count=2,count=3
2 | cpu:          | empty parameter list          | -t cpu:
2 | ms            | key without value             | -t cpu:ms
2 | cpu:,ms=3     | empty first parameter         | -t cpu:,ms=3
2 | cpu:ms=3,     | trailing comma                | -t cpu:ms=3,
2 | =3            | value without key             | -t cpu:=3
2 | ops;ms        | cpu with ops and ms both      | -t cpu:ops=1000,ms=3
2 | /nonexistent  | disk dir does not exist       | -t disk:dir=/nonexistent,kb=4 --runs 1 --warmup 0 -m serial -o r.json
2 | bogus         | bad spec with -o: no file     | -t sleep:ms=10 -t bogus -o r.json
EOF
}

@test "errors: bad run options" {
	make_fixtures
	check_cases <<'EOF'
2 | jobs;0        | -j 0                          | -j 0
2 | jobs;-1       | -j -1                         | -j -1
2 | jobs;abc      | -j abc                        | -j abc
2 | jobs;5000     | -j 5000                       | -j 5000
2 | runs;0        | --runs 0                      | --runs 0
2 | warmup;-1     | --warmup -1                   | --warmup -1
2 | sample-ms;0   | --sample-ms 0                 | --sample-ms 0
2 | cpu;99        | --cpu outside the usable set  | --cpu 99 $TINY -o r.json
2 | cpu;abc       | --cpu abc                     | --cpu abc
2 | foo           | unknown mode                  | --modes foo
2 | serial        | mode given twice              | --modes serial,serial
2 | modes         | empty --modes                 | --modes ''
2 | bogus         | unknown policy                | --policy bogus $TINY
2 | list:         | empty policy list             | --policy list: $TINY
2 | 99            | policy CPU not usable         | --policy list:99 $TINY -m parallel -o r.json
2 | 3-1           | reversed policy range         | --policy list:3-1 $TINY
2 | name          | empty --name                  | --name '' $TINY
2 | take -n       | --name naming nothing         | run --name x 'true' -o r.json
2 | names nothing | --name with a taskfile only   | run --name x -f $TOP_SRCDIR/tests/data/two-workloads.json -o r.json
2 | output        | empty --output                | -o '' $TINY
2 | fibre         | unknown executor              | --executor fibre $TINY -o r.json
2 | thread;twice  | executor given twice          | --executor thread,process,thread $TINY -o r.json
2 | executor      | empty --executor              | --executor '' $TINY -o r.json
2 | processes only | a command under threads      | --executor thread -o r.json -- true
2 | processes only | a command string under coroutines | run --executor process,coroutine -o r.json 'sleep 0.01'
2 | cmd;processes only | a taskfile argv under threads | --executor thread -f $FIX/argv.json -o r.json
2 | sample-tasks;process only | --sample-tasks under threads | --executor thread --sample-tasks $TINY -o r.json
2 | results;process only | --results under coroutines | --executor coroutine --results res $TINY -o r.json
EOF
}

@test "errors: bad command lines" {
	make_fixtures
	check_cases <<'EOF'
2 | --bogus       | unknown long option           | --bogus
2 | -Z            | unknown short option          | -Z
2 | -t            | missing value (-t at the end) | -t
2 | --task        | missing value (--task at end) | --task
2 | -o            | missing value (-o at the end) | $TINY -o
2 | command not found: extra | unexpected positional arg: a command string for a program not in PATH | run extra
2 | extra         | positional after options      | $TINY extra
2 | frobnicate    | unknown command               | frobnicate
2 | --runs        | run option given to plan      | plan --runs 3
2 | --runs        | --runs=N given to plan        | plan --runs=3
2 | -t            | -t given to plan              | plan -t cpu
2 | -o            | -o given to plan              | plan -o r.json
2 | --name        | --name given to plan          | plan --name x
2 | -q            | -q bundled, given to plan     | plan -qj 2
2 | -j            | -j given to topology          | topology -j 2
2 | --name        | --name given to topology      | topology --name x
2 | -q            | -q given to topology          | topology -q
2 | --runs        | --runs given to list          | list --runs 3
2 | --name        | --name given to list          | list --name x
2 | extra         | positional given to topology  | topology extra
EOF
}

@test "errors: bad taskfiles" {
	make_fixtures
	check_cases <<'EOF'
2 | nonexistent.json    | nonexistent taskfile          | -f nonexistent.json
2 | adir                | taskfile is a directory       | -f $FIX/adir
2 | f01.json            | empty file                    | -f $FIX/f01.json -o r.json
2 | f02.json            | invalid JSON                  | -f $FIX/f02.json
2 | f03.json            | top level an array            | -f $FIX/f03.json
2 | f04.json;extra      | unknown top-level key         | -f $FIX/f04.json -o r.json
2 | f05.json;workloads  | workloads empty               | -f $FIX/f05.json
2 | f06.json;name       | workload without name         | -f $FIX/f06.json
2 | f07.json;dupe       | duplicate workload names      | -f $FIX/f07.json
2 | f08.json;bogus      | task with unknown kind        | -f $FIX/f08.json
2 | f09.json;msec       | unknown key in a task         | -f $FIX/f09.json
2 | f10.json;ms         | ms as a string                | -f $FIX/f10.json
2 | f11.json;count      | count as a string             | -f $FIX/f11.json
2 | f12.json;ms         | ms 1.5                        | -f $FIX/f12.json
2 | f13.json;ms         | ms 1e309                      | -f $FIX/f13.json
2 | f14.json;count      | negative count                | -f $FIX/f14.json
2 | f15.json;ms         | duplicate key in a task       | -f $FIX/f15.json
2 | f16.json            | a NUL byte                    | -f $FIX/f16.json
2 | f17.json            | 10^5-deep nesting             | -f $FIX/f17.json
2 | f18.json            | a 1 MiB line of garbage       | -f $FIX/f18.json
2 | /nonexistent        | disk dir does not exist       | -f $FIX/f19.json --runs 1 --warmup 0 -m serial -o r.json
2 | f20.json;kind       | task without kind             | -f $FIX/f20.json
2 | f21.json;ms         | ms as a boolean               | -f $FIX/f21.json
2 | f22.json;count      | count 1000001                 | -f $FIX/f22.json
2 | ops;ms              | cpu with ops and ms both      | -f $FIX/f23.json
2 | nonexistent.json    | bad taskfile beside good -t   | -t sleep:ms=10 -f nonexistent.json -o r.json
EOF
}

@test "errors: unwritable -o (exit 3)" {
	make_fixtures
	check_cases <<'EOF'
3 | nodir/r.json        | -o into a nonexistent directory  | $TINY -o nodir/r.json
3 | /proc/nope/r.json   | -o under a missing /proc entry   | $TINY -o /proc/nope/r.json
3 | /etc/passwd/x       | -o under a regular file          | $TINY -o /etc/passwd/x
3 | outdir              | -o pointing at a directory       | $TINY -o $FIX/outdir
3 | outdir/             | -o at a directory, trailing /    | $TINY -o $FIX/outdir/
EOF
}

# Tests run as root, which ignores mode bits, so a read-only directory needs a
# file system that refuses root: sysfs does.
@test "errors: -o in a directory even root cannot write (exit 3)" {
	[ -d /sys/kernel ] || skip "no sysfs"
	if touch /sys/tribench-probe 2>/dev/null; then
		rm -f /sys/tribench-probe
		skip "sysfs is writable here"
	fi
	make_fixtures
	check_cases <<'EOF'
3 | /sys/r.json         | -o in read-only sysfs            | $TINY -o /sys/r.json
EOF
}

# Control: a valid taskfile (ending in a newline, like any edited file) is
# accepted, so the taskfile cases above fail for their own reasons and not
# because every taskfile is rejected.
@test "errors: control: a valid taskfile is accepted" {
	make_fixtures
	run "$TRIBENCH" -f "$FIX/good.json" --runs 1 --warmup 0 -m serial -q -o r.json
	echo "$output"
	[ "$status" -eq 0 ]
	[ -s r.json ]
	jq -e '.workloads[0].name == "ok"' r.json
}

@test "errors: hostile commands and runner options" {
	make_fixtures
	check_cases <<'EOF'
2 | f24.json;argv       | empty argv                    | -f $FIX/f24.json
2 | f25.json;argv       | argv with a number            | -f $FIX/f25.json
2 | f26.json;argv;shell | argv and shell both           | -f $FIX/f26.json --runs 1 --warmup 0 -o r.json
2 | f27.json;shell      | empty shell line              | -f $FIX/f27.json
2 | f28.json;NUL        | an escaped NUL in a string    | -f $FIX/f28.json
2 | f29.json;command    | cmd without a command         | -f $FIX/f29.json --runs 1 --warmup 0 -o r.json
2 | f30.json;argv       | argv as a string              | -f $FIX/f30.json
2 | f31.json;empty      | argv with an empty argv[0]    | -f $FIX/f31.json
2 | c01.txt;NUL         | --commands with a NUL byte    | --commands $FIX/c01.txt -o r.json
2 | c02.txt;KiB         | --commands with a 1 MiB line  | --commands $FIX/c02.txt -o r.json
2 | c03.txt;no command  | --commands with no command    | --commands $FIX/c03.txt -o r.json
2 | nothere.txt         | --commands file missing       | --commands nothere.txt -o r.json
2 | commands            | empty --commands name         | --commands ''
2 | timeout;0           | --timeout 0                   | --timeout 0 -- true
2 | timeout;-1          | --timeout -1                  | --timeout -1 -- true
2 | timeout;1x          | --timeout with a bad unit     | --timeout 1x -- true
2 | timeout;abc         | --timeout abc                 | --timeout abc -- true
2 | timeout;1e999       | --timeout 1e999               | --timeout 1e999 -- true
2 | grace;-1            | --grace -1                    | --grace -1 -- true
2 | halt;later          | --halt later                  | --halt later -- true
2 | halt;fail=0         | --halt soon,fail=0            | --halt soon,fail=0 -- true
2 | halt;fail=x         | --halt now,fail=x             | --halt now,fail=x -- true
2 | task-output;file    | --task-output file            | --task-output file -- true
2 | results             | empty --results               | --results '' -- true
2 | count;0             | --count 0                     | --count 0 -- true
2 | count;1000001       | --count 1000001               | --count 1000001 -- true
2 | count;--            | --count without a command     | --count 3 $TINY
2 | empty               | an empty command after --     | -- ''
2 | --results;/proc     | --results cannot be created   | --results /proc/nope/dir --runs 1 --warmup 0 -o r.json -- true
EOF
}
