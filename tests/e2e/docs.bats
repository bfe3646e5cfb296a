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
	for cmd in "" compare export; do
		while read -r opt; do
			# roff writes - as \-
			grep -qF -- "${opt//-/\\-}" "$MAN" || missing+=("$cmd $opt")
		done < <("$TRIBENCH" $cmd --help | long_options)
	done
	printf 'not in the man page: %s\n' "${missing[@]}"
	[ ${#missing[@]} -eq 0 ]
}

@test "the man page lists every command and every exit code" {
	for cmd in run plan topology list compare export; do
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

@test "bash completion offers commands, options and option values" {
	complete_words() {
		bash -c 'source /usr/share/bash-completion/bash_completion
			source "$0"
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_tribench; printf "%s\n" "${COMPREPLY[@]}"' \
			"$TOP_SRCDIR/scripts/tribench-completion.bash" "$@"
	}
	[[ "$(complete_words tribench to)" == *topology* ]]
	[[ "$(complete_words tribench run --ti)" == *--timeout* ]]
	[[ "$(complete_words tribench run --policy c)" == compact ]]
	[[ "$(complete_words tribench --modes ser)" == *serial* ]]
}
