# bash completion for tribench (installed as .../bash-completion/completions/tribench)
_tribench() {
	local cur prev words cword
	_init_completion || return
	local commands="run plan topology list compare export help"
	local cmd=run i
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		run | plan | topology | list | compare | export | help) cmd=${words[i]}; break ;;
		--) return ;;	# a command line follows: bash's own completion is better
		esac
	done
	case $prev in
	-t | --task)
		COMPREPLY=($(compgen -W "cpu: sleep: disk: mix: mem: cmd:" -- "$cur"))
		compopt -o nospace
		return ;;
	-m | --modes)
		COMPREPLY=($(compgen -W "serial concurrent parallel serial,concurrent serial,parallel serial,concurrent,parallel" -- "$cur"))
		return ;;
	-p | --policy)
		COMPREPLY=($(compgen -W "spread compact pus list:" -- "$cur"))
		return ;;
	--format)
		COMPREPLY=($(compgen -W "json csv markdown gab bmf trace table" -- "$cur"))
		return ;;
	--task-output)
		COMPREPLY=($(compgen -W "null inherit" -- "$cur"))
		return ;;
	--halt)
		COMPREPLY=($(compgen -W "soon,fail=1 now,fail=1" -- "$cur"))
		return ;;
	-f | --taskfile | -o | --output | --commands)
		_filedir
		return ;;
	--results)
		_filedir -d
		return ;;
	-j | --jobs | --cpu | -r | --runs | --warmup | --sample-ms | --count | --timeout | --grace | \
		--name | --meta | --threshold | --alpha)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		local opts
		case $cmd in
		run) opts="--task --name --taskfile --modes --jobs --policy --cpu --runs --warmup --sample-ms
			--count --commands --dry-run --timeout --grace --halt --task-output --results --format --meta
			--output --quiet --help --version" ;;
		plan) opts="--modes --jobs --policy --cpu --help" ;;
		compare) opts="--threshold --alpha --format --help" ;;
		export) opts="--format --output --help" ;;
		*) opts="--help" ;;
		esac
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	if ((cword == 1)); then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		return
	fi
	case $cmd in compare | export) _filedir json ;; esac
}
complete -F _tribench tribench
