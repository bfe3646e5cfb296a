#!/usr/bin/env bats
# Help and completion come from one command table: every command prints its
# own help, and the completion offers exactly the options and values each
# command's parser accepts.
load helpers
bats_require_minimum_version 1.5.0

COMMANDS="run plan topology list compare export help completion"

# complete_words WORD...: what the generated completion offers for the last word.
complete_words() {
	bash -c 'source /usr/share/bash-completion/bash_completion
		source <("$TRIBENCH" completion bash) || exit 1
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_tribench; printf "%s\n" "${COMPREPLY[@]}"' _ "$@"
}

# help_options CMD: the options CMD's --help defines (its option lines, not prose).
help_options() {
	"$TRIBENCH" $1 --help | grep -oE -- '^(  -[a-zA-Z], |      )--[a-z][a-z-]+' |
		grep -oE -- '--[a-z-]+' | sort -u
}

# takes_value CMD OPT: does CMD's --help show OPT with a value (one space, a word)?
takes_value() {
	"$TRIBENCH" $1 --help | grep -qE -- "^(  -[a-zA-Z], |      )$2 [^ ]"
}

@test "help: every command prints its own help on stdout, and help CMD the same" {
	export TRIBENCH
	for cmd in $COMMANDS; do
		run --separate-stderr "$TRIBENCH" $cmd --help
		[ "$status" -eq 0 ] || { echo "$cmd --help: exit $status"; false; }
		[ -z "$stderr" ]
		[[ "${lines[0]}" == "Usage: tribench $cmd"* || "${lines[0]}" == "Usage: tribench [run]"* ]] ||
			{ echo "$cmd --help starts: ${lines[0]}"; false; }
		[ "$cmd" = run ] || [[ "${lines[0]}" == "Usage: tribench $cmd"* ]]
		[ "$("$TRIBENCH" help $cmd)" = "$output" ] || { echo "help $cmd differs"; false; }
	done
	# plan's is not run's (it was)
	! "$TRIBENCH" plan --help | grep -q -- '--taskfile'
}

@test "help: tribench --help and tribench help list every command with a summary, then run's options" {
	run --separate-stderr "$TRIBENCH" --help
	[ "$status" -eq 0 ]
	for cmd in $COMMANDS; do
		printf '%s\n' "$output" | grep -qE "^  $cmd +[a-z]" || { echo "$cmd not listed"; false; }
	done
	printf '%s\n' "$output" | grep -q -- '--max-in-flight N'
	[ "$("$TRIBENCH" help)" = "$output" ]
	run "$TRIBENCH" help frobnicate
	[ "$status" -eq 2 ]
	assert_one_line_error
	[[ "$output" == *"unknown command 'frobnicate'"* ]]
}

@test "help: an unknown option names its command" {
	for cmd in $COMMANDS; do
		run "$TRIBENCH" $cmd --bogus
		[ "$status" -eq 2 ]
		assert_one_line_error
		[[ "$output" == *"'tribench $cmd'"* ]] || { echo "$cmd: $output"; false; }
	done
}

@test "help: a value given to a switch, a missing value and an unknown option each name the real problem" {
	# getopt reports --switch=value as an unknown option whose letter is the
	# switch's internal code ('-?', '-Y'): the line must name the switch
	local cases=(
		"run --sample-tasks=yes|option '--sample-tasks' takes no value"
		"run --dry-run=x|option '--dry-run' takes no value"
		"run --quiet=1|option '--quiet' takes no value"
		"export --help=x|option '--help' takes no value"
		"compare --help=1|option '--help' takes no value"
		"run --nope=3|unknown option '--nope' for 'tribench run'"
		"run -qZ|unknown option '-Z' for 'tribench run'"
		"run --jobs|option '--jobs' needs a value"
		"export --level|option '--level' needs a value"
		"run -o|option '-o' needs a value"
	)
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086 # the words of the case
		run "$TRIBENCH" ${c%%|*}
		[ "$status" -eq 2 ]
		assert_one_line_error
		[[ "$output" == *"${c#*|}"* ]] || { echo "${c%%|*}: $output"; false; }
	done
}

@test "completion: the generated script is the installed one and offers the commands" {
	[ "$(complete_words tribench co)" = "$(printf '%s\n' compare completion)" ]
	[[ "$(complete_words tribench run --ti)" == *--timeout* ]]
	[ "$(complete_words tribench run --policy c)" = compact ]
	[ "$(complete_words tribench --modes ser)" = serial ]
	[ "$(complete_words tribench help ex)" = export ]
	[ "$(complete_words tribench completion "")" = bash ]
	# new run options and their values
	[ "$(complete_words tribench run --runs "")" = auto ]
	[ "$(complete_words tribench run --detail "")" = "$(printf '%s\n' task run mode)" ]
	[ "$(complete_words tribench run --containment p)" = pgroup ]
	[ "$(complete_words tribench run --max-t)" = --max-time ]
	[ "$(complete_words tribench run -- gzip -)" = "" ]
	# the --format values are each command's own
	[ "$(complete_words tribench export --format t)" = trace ]
	[ "$(complete_words tribench compare --format t)" = table ]
	[ "$(complete_words tribench run --format t)" = trace ]
}

@test "completion: each command is offered exactly the options its help defines and its parser accepts" {
	export TRIBENCH
	local all=() cmd opt bad=0
	for cmd in $COMMANDS; do
		mapfile -t -O ${#all[@]} all < <(help_options $cmd)
	done
	mapfile -t all < <(printf '%s\n' "${all[@]}" | sort -u)
	for cmd in $COMMANDS; do
		offered=$(complete_words tribench $cmd -- | grep -v '^--$' | sort -u)
		[ "$offered" = "$(help_options $cmd)" ] || {
			echo "$cmd: offered and --help differ:"; diff <(echo "$offered") <(help_options $cmd) || bad=1; }
		for opt in "${all[@]}"; do
			[ "$opt" = --help ] && continue
			local val=()
			if grep -qx -- "$opt" <<<"$offered"; then
				takes_value $cmd $opt && val=(1)
				run "$TRIBENCH" $cmd "$opt" "${val[@]}" --help
				if [[ "$output" == *"unknown option"* || "$output" == *"does not apply"* ]]; then
					echo "$cmd: offered $opt rejected: $output"; bad=1
				fi
			else
				run "$TRIBENCH" $cmd "$opt" 1 x
				if [ "$status" -ne 2 ] || [[ "$output" != *"unknown option"* && "$output" != *"does not apply"* ]]; then
					echo "$cmd: $opt not offered but not rejected: $status $output"; bad=1
				fi
			fi
		done
	done
	[ "$bad" -eq 0 ]
}

# parser_words CMD OPT: the values the parser's error for a bogus value lists.
parser_words() {
	"$TRIBENCH" $1 $2 bogus-value ${3:-} 2>&1 >/dev/null | sed -E 's/.*expected (one of )?//; s/.*\(//; s/\)$//' |
		tr ',|' '  ' | tr ' ' '\n' | grep -xE '[a-z]+' | grep -vx 'or' | sort
}

@test "completion: every fixed value set is what the parser accepts" {
	export TRIBENCH
	local bad=0 cmd opt w
	for pair in run:--modes run:--policy run:--runs run:--task-output run:--halt run:--format \
		run:--containment run:--detail plan:--modes plan:--policy compare:--format export:--format; do
		cmd=${pair%%:*} opt=${pair#*:}
		words=$(complete_words tribench $cmd $opt "")
		[ -n "$words" ] || { echo "$cmd $opt: nothing offered"; bad=1; }
		for w in $words; do
			[[ $w == *: ]] && w=${w}0	# list: takes CPUs
			if [ "$cmd" = export ]; then
				run "$TRIBENCH" export $opt "$w" "$SCRATCH/none.json"
				[[ "$output" != *format* ]] || { echo "export $opt $w: $output"; bad=1; }
			else
				run "$TRIBENCH" $cmd $opt "$w" --help
				[ "$status" -eq 0 ] || { echo "$cmd $opt $w: $output"; bad=1; }
			fi
		done
		# a closed set: the parser's own list in its error is the offered one
		case $opt in --format | --modes | --detail | --containment | --task-output)
			local extra=; [ "$cmd" = export ] && extra="$SCRATCH/none.json"
			[ "$(echo "$words" | sort)" = "$(parser_words $cmd $opt $extra)" ] || {
				echo "$cmd $opt offers: $words; parser says: $(parser_words $cmd $opt $extra)"; bad=1; } ;;
		esac
	done
	# the task kinds are tribench list's
	[ "$(complete_words tribench run -t "" | sort)" = "$("$TRIBENCH" list | grep -E '^[a-z]' | sed 's/$/:/' | sort)" ] || bad=1
	[ "$bad" -eq 0 ]
}

@test "make install puts tribench, tribench-plot, the spawn helper, the man page and the completion in place" {
	builddir=$(dirname "$TRIBENCH")
	[ -f "$builddir/Makefile" ] || skip "no build tree beside $TRIBENCH"
	make -s -C "$builddir" install DESTDIR="$SCRATCH/root" >/dev/null
	files=$(cd "$SCRATCH/root" && find . -type f | sort)
	echo "$files"
	for f in bin/tribench bin/tribench-plot libexec/tribench/tribench-spawn \
		share/man/man1/tribench.1 share/bash-completion/completions/tribench; do
		grep -q "/$f\$" <<<"$files" || { echo "missing: $f"; false; }
	done
	diff "$(find "$SCRATCH/root" -path '*completions/tribench')" <("$TRIBENCH" completion bash)
	# tribench-plot's package: every module of the source tree's, where the
	# installed script's PYTHONDIR (the configured path, without DESTDIR) says
	local dir
	dir=$(sed -n "s/^PYTHONDIR = '\(.*\)'\$/\1/p" "$(find "$SCRATCH/root" -path '*/bin/tribench-plot')")
	[ -n "$dir" ] || { echo "the installed tribench-plot has no PYTHONDIR"; false; }
	for f in "$TOP_SRCDIR"/scripts/tribench_plot/*.py; do
		[ -f "$SCRATCH/root$dir/tribench_plot/${f##*/}" ] || { echo "not installed: $f"; false; }
	done
}

@test "the installed tribench-plot runs from its installed package, the source tree out of reach" {
	builddir=$(dirname "$TRIBENCH")
	[ -f "$builddir/Makefile" ] || skip "no build tree beside $TRIBENCH"
	"$TRIBENCH" run -t cpu:ops=20000,count=2 -m serial,parallel --runs 1 --warmup 0 -q -o r.json
	# a real install (prefix, not DESTDIR: the script's PYTHONDIR is this path)
	make -s -C "$builddir" install prefix="$SCRATCH/usr" >/dev/null
	mkdir elsewhere && cd elsewhere
	plot=$SCRATCH/usr/bin/tribench-plot
	run --separate-stderr env -u PYTHONPATH "$plot" --help
	[ "$status" -eq 0 ]
	[[ "$output" == usage:\ tribench-plot* ]]
	run --separate-stderr env -u PYTHONPATH "$plot" ../r.json --kind speedup -o s.png
	echo "$stderr"
	[ "$status" -eq 0 ]
	[ "$(head -c 4 s.png | tail -c 3)" = PNG ]
	[ "$(stat -c %s s.png)" -gt 10000 ]
	# it used the installed package: without it, it says so (one line, exit 3)
	mv "$SCRATCH/usr/share/tribench/python" "$SCRATCH/moved"
	run --separate-stderr env -u PYTHONPATH "$plot" --help
	[ "$status" -eq 3 ]
	[ "$(wc -l <<<"$stderr")" -eq 1 ]
	[[ "$stderr" == "tribench-plot: cannot find its package"* ]]
}
