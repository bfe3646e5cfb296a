#!/usr/bin/env bats
# The man page and the completion describe what the binary does.
load helpers

MAN="$TOP_SRCDIR/docs/tribench.1"

# long_options TEXT: the --long options a --help text lists, one per line.
long_options() {
	grep -oE -- '--[a-z][a-z-]+' | sort -u
}

@test "every long option of every --help appears in the man page" {
	missing=()
	for cmd in "" run plan topology list compare export help completion; do
		while read -r opt; do
			# roff writes - as \-
			grep -qF -- "${opt//-/\\-}" "$MAN" || missing+=("$cmd $opt")
		done < <("$TRIBENCH" $cmd --help | long_options)
	done
	printf 'not in the man page: %s\n' "${missing[@]}"
	[ ${#missing[@]} -eq 0 ]
}

@test "the man page lists every command and every exit code" {
	for cmd in run plan topology list compare export help completion; do
		grep -q "^\.B $cmd\$" "$MAN" || { echo "command $cmd missing"; false; }
	done
	for code in 0 1 2 3 128+N; do
		grep -q "^\.B $code\$" "$MAN" || { echo "exit code $code missing"; false; }
	done
}

@test "man renders the page at 80 columns without a warning" {
	run bash -c "MANWIDTH=80 man --warnings -l '$MAN' 2>&1 >/dev/null"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "the built (installed) completion is the binary's, and offers commands, options and values" {
	built="$(dirname "$TRIBENCH")/tribench.bash-completion"
	[ -f "$built" ]
	diff "$built" <("$TRIBENCH" completion bash)
	complete_words() {
		bash -c 'source /usr/share/bash-completion/bash_completion
			source "$0"
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_tribench; printf "%s\n" "${COMPREPLY[@]}"' \
			"$built" "$@"
	}
	[[ "$(complete_words tribench to)" == *topology* ]]
	[[ "$(complete_words tribench run --ti)" == *--timeout* ]]
	[[ "$(complete_words tribench run --policy c)" == compact ]]
	[[ "$(complete_words tribench --modes ser)" == *serial* ]]
}

@test "every run flag of --help appears in the README" {
	missing=()
	while read -r opt; do
		grep -qF -- "$opt" "$TOP_SRCDIR/README.md" || missing+=("$opt")
	done < <("$TRIBENCH" run --help | long_options)
	printf 'not in README.md: %s\n' "${missing[@]}"
	[ ${#missing[@]} -eq 0 ]
}

# The examples come out as typed: ASCII quotes, no line swallowed as a roff
# request (a line starting with ' is one).
@test "the man page's examples render verbatim with their quotes" {
	rendered=$(MANWIDTH=200 man -E ascii -l "$MAN" 2>/dev/null | col -b
		LANG=C.UTF-8 MANWIDTH=200 man -l "$MAN" 2>/dev/null | col -b)
	for example in \
		"tribench -q | jq '.workloads[] | [.name, (.modes[] | select(.mode == \"parallel\") | .summary.speedup)]'" \
		'HWLOC_SYNTHETIC="pack:2 core:8 pu:2" tribench plan -j 2' \
		"tribench run -n gzip -n xz 'gzip -9 <big.tar >/dev/null' 'xz -6 <big.tar >/dev/null'" \
		'tribench run --runs auto --max-time 60s --setup make --prepare '\''sync'\'' -- ./build.sh' \
		'source <(tribench completion bash)'; do
		# once per rendering: ASCII and UTF-8
		[ "$(grep -cF -- "$example" <<<"$rendered")" -eq 2 ] || { echo "not verbatim: $example"; false; }
	done
}

@test "the example reports under docs/ are what this tribench writes: valid against the schema, read by export" {
	for r in "$TOP_SRCDIR"/docs/example-report*.json; do
		validate "$r"
		"$TRIBENCH" export --format json "$r" | cmp - "$r"
	done
}
