#!/usr/bin/env bats
# Commands run as a shell would run them (issue 11 item 4): the direct-exec
# shortcut gives what /bin/sh -c gives, line by line; a file without #! runs
# through /bin/sh (ENOEXEC); an empty PATH entry is the current directory;
# --commands skips comments.
load helpers

RUN1='run --runs 1 --warmup 0 -m serial'

# A printer first in PATH: each argument in brackets, then $A and $B.
make_printer() {
	mkdir -p bin
	cat > bin/argprint <<'EOF'
#!/bin/sh
for a in "$@"; do printf '[%s]' "$a"; done
printf ' A=%s B=%s\n' "${A-unset}" "${B-unset}"
EOF
	chmod +x bin/argprint
	export PATH="$PWD/bin:$PATH"
}

# The table: d (exec'd directly) or s (left to /bin/sh -c), then the line.
table() {
	cat <<'EOF'
d|argprint a b c
d|argprint 'big file' x
d|argprint "double  quoted" 'single'
d|argprint a\ b \$x \' \"
d|argprint '' "" x''y
d|argprint "a"'b'c\d
d|A=1 argprint x
d|A='one two' B=2 argprint "x y"
d|A=1 A=2 argprint x
d|argprint	tab	separated
d|argprint 'a	b'
d|argprint héllo € 日本
d|argprint "it's" 'say "hi"'
d|argprint 'x\ny'
d|argprint a=b c=d x A=1
d|argprint ]x a%b c,d @e +f -g
d|argprint mid~tilde a#b
d|'argprint' quoted-name
d|   argprint   leading blanks   
s|argprint $HOME
s|argprint "$A" "${B:-dflt}"
s|argprint f*
s|argprint f? [f]1
s|argprint a | cat
s|argprint a > /dev/null; argprint b
s|argprint x 2>&1
s|if true; then argprint yes; fi
s|cd / && argprint here
s|export A=exp; argprint x
s|argprint a #comment
s|argprint ~
s|argprint {a,b}
s|{ argprint grouped; }
s|argprint "back\\slash"
s|argprint $(echo sub)
s|argprint `echo bq`
s|echo 'a\nb'
s|true --version
s|false --version
s|printf '%q\n' 'a b'
s|kill -l
s|test -v HOME
s|A=1
s|PATH=/nonexistent:$PATH argprint p
EOF
}

@test "shell: every table line gives through tribench what /bin/sh -c gives, and the d lines are exec'd directly" {
	make_printer
	touch f1 f2
	table | cut -d'|' -f2- > cmds
	run "$TRIBENCH" $RUN1 --commands cmds --results R -o r.json
	echo "$output"
	# three lines fail as sh makes them fail: false, dash's printf %q and test -v
	[ "$status" -eq 1 ]
	[[ "$output" == *"custom/serial: 3 of $(wc -l < cmds) tasks failed"* ]]
	local i=0 bad=0 how line want got argv0 rc code
	while IFS= read -r row; do
		how=${row%%|*}
		line=${row#*|}
		want=$(/bin/sh -c "$line" 2>&1) || true
		got=$(cat R/*/serial/1/$i.out R/*/serial/1/$i.err)
		argv0=$(jqr r.json ".workloads[0].tasks[] | select(.id == $i) | .params.argv[0]")
		rc=0
		/bin/sh -c "$line" >/dev/null 2>&1 || rc=$?
		code=$(jqr r.json ".workloads[0].modes[0].runs[0].tasks[] | select(.id == $i) | .exit.code")
		if [ "$rc" != "$code" ]; then
			echo "line $i <$line>: sh exited $rc, the task $code" >&2
			bad=$((bad + 1))
		fi
		if [ "$want" != "$got" ]; then
			echo "line $i <$line>: sh gave <$want>, tribench <$got>" >&2
			bad=$((bad + 1))
		fi
		if [ "$how" = d ] && [ "$argv0" != argprint ] || [ "$how" = s ] && [ "$argv0" != /bin/sh ]; then
			echo "line $i <$line>: expected $how, argv[0] is $argv0" >&2
			bad=$((bad + 1))
		fi
		i=$((i + 1))
	done < <(table)
	[ "$i" -ge 35 ]
	[ "$(jqr r.json '.workloads[0].tasks | length')" -eq "$i" ]
	[ "$bad" -eq 0 ]
}

@test "shell: a direct line's NAME=value words reach the program and only it" {
	make_printer
	run "$TRIBENCH" $RUN1 --results R -o r.json -n one -n two "A='x y' argprint 1" "argprint 2"
	[ "$status" -eq 0 ]
	[ "$(cat R/one/serial/1/0.out)" = "[1] A=x y B=unset" ]
	[ "$(cat R/two/serial/1/0.out)" = "[2] A=unset B=unset" ]
	[ "$(jqr r.json '.workloads[0].tasks[0].params.argv | join(",")')" = "argprint,1" ]
}

@test "shell: a direct line whose program is not in PATH is refused with exit 2, nothing created; a line for sh is not checked" {
	run "$TRIBENCH" $RUN1 -o r.json 'nosuchprog x'
	[ "$status" -eq 2 ]
	assert_one_line_error
	[ "$output" = "tribench: command not found: nosuchprog (not in PATH)" ]
	[ ! -e r.json ]
	run "$TRIBENCH" $RUN1 -o r.json 'nosuchprog "$HOME"'
	[ "$status" -eq 1 ]
	[ "$(jqr r.json '.workloads[0].modes[0].runs[0].tasks[0].exit.code')" -eq 127 ]
}

@test "shell: a file without #! runs through /bin/sh (ENOEXEC) via -- and via a command string, both launchers, both containments" {
	mkdir bin
	printf 'echo "$0 $1"\n' > bin/noshebang
	chmod +x bin/noshebang
	export PATH="$PWD/bin:$PATH"
	want=$(/bin/sh -c 'noshebang x')
	[ "$want" = "$PWD/bin/noshebang x" ]
	local n=0
	for contain in "" pgroup; do
		for spawn in "" /nonexistent; do
			for how in "--count 1 -- noshebang x" "noshebang x"; do
				rm -rf R
				if [ "$how" = "noshebang x" ]; then
					TRIBENCH_CONTAINMENT=$contain TRIBENCH_SPAWN=$spawn run "$TRIBENCH" $RUN1 --results R "$how"
				else
					TRIBENCH_CONTAINMENT=$contain TRIBENCH_SPAWN=$spawn run "$TRIBENCH" $RUN1 --results R $how
				fi
				echo "containment=${contain:-default} spawn=${spawn:-helper} $how: $output"
				[ "$status" -eq 0 ]
				[ "$(cat R/*/serial/1/0.out)" = "$want" ]
				n=$((n + 1))
			done
		done
	done
	[ "$n" -eq 8 ]
}

@test "shell: an empty PATH entry (leading, inner, trailing, or PATH set empty) is the current directory" {
	printf '#!/bin/sh\necho "local $1"\n' > localprog
	chmod +x localprog
	for p in ":/usr/bin:/bin" "/usr/bin::/bin" "/usr/bin:/bin:" ""; do
		rm -rf R
		PATH=$p run "$TRIBENCH" $RUN1 --results R 'localprog x'
		echo "PATH=$p: $output"
		[ "$status" -eq 0 ]
		[ "$(cat R/*/serial/1/0.out)" = "local x" ]
	done
	# without the empty entry it is not found
	PATH=/usr/bin:/bin run "$TRIBENCH" $RUN1 --results R2 'localprog x'
	[ "$status" -eq 2 ]
	[[ "$output" == *"command not found: localprog"* ]]
}

@test "shell: --commands skips blank lines and comment lines" {
	make_printer
	printf '# a comment\n\n   \n  \t# indented comment\nargprint one\n#argprint no\nargprint two # trailing\n' > cmds
	run "$TRIBENCH" $RUN1 --commands cmds --results R -o r.json
	[ "$status" -eq 0 ]
	[ "$(jqr r.json '.workloads[0].tasks | length')" -eq 2 ]
	[ "$(cat R/*/serial/1/0.out)" = "[one] A=unset B=unset" ]
	[ "$(cat R/*/serial/1/1.out)" = "[two] A=unset B=unset" ]
	printf '# only\n  # comments\n\n' > none
	run "$TRIBENCH" $RUN1 --commands none -o r2.json
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"has no command"* ]]
	[ ! -e r2.json ]
}

@test "shell: --commands drops only a line's trailing CR (CRLF files); a CR inside a line is kept" {
	printf 'printf "%%s|" "c\r"\r\nprintf x\r\n' > crlf
	run "$TRIBENCH" $RUN1 --commands crlf --results R -o r.json
	[ "$status" -eq 0 ]
	[ "$(od -An -c R/custom/serial/1/0.out | tr -d ' ')" = 'c\r|' ]
	[ "$(cat R/custom/serial/1/1.out)" = x ]
}

@test "shell: a task whose exec fails says why on its own stderr, as sh would, from both launchers" {
	touch noexec
	for spawn in "" /nonexistent; do
		rm -rf R
		TRIBENCH_SPAWN=$spawn run "$TRIBENCH" $RUN1 --results R -o r.json -n nope -n noexec './nope x' './noexec'
		[ "$status" -eq 1 ]
		[ "$(cat R/nope/serial/1/0.err)" = "tribench: cannot run ./nope: No such file or directory" ]
		[ "$(cat R/noexec/serial/1/0.err)" = "tribench: cannot run ./noexec: Permission denied" ]
		[ "$(jqr r.json '[.workloads[].modes[0].runs[0].tasks[0].exit.code] | @tsv')" = "$(printf '127\t126')" ]
	done
}
