#!/usr/bin/env bats
# hyperfine's hooks: --setup/--cleanup once per workload around all its runs,
# --prepare/--conclude around every run (warmups too), in hyperfine's order;
# on the serial PU, their process group emptied when they exit; a failing
# hook ends the benchmark with exit 1, one line and the report's hook_failure.
load helpers

@test "--prepare runs once per run, warmups included" {
	run "$TRIBENCH" run 'sleep 0.05' 'sleep 0.1' -m serial --runs 5 --warmup 0 -q -o r.json \
		--prepare 'echo x >> p.log'
	[ "$status" -eq 0 ]
	[ "$(wc -l < p.log)" -eq 10 ]
	rm p.log
	run "$TRIBENCH" run 'sleep 0.05' 'sleep 0.1' -m serial --runs 5 --warmup 1 -q -o r.json \
		--prepare 'echo x >> p.log'
	[ "$status" -eq 0 ]
	[ "$(wc -l < p.log)" -eq 12 ]
}

@test "workload by workload: setup, warmups, rotated rounds, cleanup; the hooks see where they run" {
	run "$TRIBENCH" run 'sleep 0.01' 'sleep 0.02' -m serial,concurrent --runs 2 --warmup 1 -q -o r.json \
		--setup 'echo setup $TRIBENCH_WORKLOAD $TRIBENCH_MODE${TRIBENCH_RUN:-} >> h.log' \
		--prepare 'echo prepare $TRIBENCH_WORKLOAD $TRIBENCH_MODE $TRIBENCH_RUN >> h.log' \
		--conclude 'echo conclude $TRIBENCH_MODE $TRIBENCH_RUN >> h.log' \
		--cleanup 'echo cleanup $TRIBENCH_WORKLOAD >> h.log'
	[ "$status" -eq 0 ]
	expected=""
	for w in 0.01 0.02; do
		expected+="setup sleep $w"$'\n'
		for mr in "serial 0" "concurrent 0" "serial 1" "concurrent 1" "concurrent 2" "serial 2"; do
			expected+="prepare sleep $w $mr"$'\n'"conclude $mr"$'\n'
		done
		expected+="cleanup sleep $w"$'\n'
	done
	[ "$(cat h.log)"$'\n' = "$expected" ] || { diff <(echo -n "$expected") h.log; false; }
}

@test "hooks run bound to the serial PU, unmeasured" {
	cpu=$(( $(nproc) - 1 ))
	run "$TRIBENCH" run 'true' -m serial --runs 1 --warmup 0 --cpu "$cpu" -q -o r.json \
		--setup 'grep Cpus_allowed_list /proc/$$/status > aff' --prepare 'sleep 0.3'
	[ "$status" -eq 0 ]
	[ "$(cut -f2 aff)" = "$cpu" ]
	# the prepare's 0.3 s is in no run's wall
	wall=$(jqr r.json '.workloads[0].modes[0].runs[0].wall_s')
	awk -v w="$wall" 'BEGIN { exit !(w < 0.2) }'
}

@test "a failing --prepare ends it: exit 1, one line naming it, no more hooks, the report says so" {
	run "$TRIBENCH" run 'sleep 0.05' 'sleep 0.1' -m serial --runs 5 --warmup 0 -q -o r.json \
		--prepare 'exit 3' --cleanup 'echo c >> c.log' --conclude 'echo c >> c.log'
	[ "$status" -eq 1 ]
	assert_one_line_error
	[ "$output" = "tribench: --prepare 'exit 3' failed (exit code 3) before run 1 of sleep 0.05/serial" ]
	[ ! -e c.log ]
	validate r.json
	[ "$(jqr r.json '.interrupted')" = true ]
	[ "$(jqr r.json '.hook_failure | [.hook, .command, .workload, .mode, .jobs, .executor, .run] | @tsv')" = \
		"$(printf 'prepare\texit 3\tsleep 0.05\tserial\t1\tprocess\t1')" ]
	[ "$(jqr r.json '.hook_failure.exit | [.status, .code, .exitcode] | @tsv')" = "$(printf 'exited\t3\t3')" ]
	[ "$(jqr r.json '[.workloads[].modes[].runs | length] | add')" -eq 0 ]
}

@test "a --setup killed by a signal fails with its signal; a good run says hook_failure null" {
	run "$TRIBENCH" run 'true' -m serial --runs 1 --warmup 0 -q -o r.json --setup 'kill -KILL $$'
	[ "$status" -eq 1 ]
	[ "$output" = "tribench: --setup 'kill -KILL \$\$' failed (killed by SIGKILL) before the runs of true" ]
	validate r.json
	[ "$(jqr r.json '.hook_failure | [.hook, .mode, .jobs, .executor, .run, .exit.status, .exit.signal_name] | @tsv')" = \
		"$(printf 'setup\t\t\t\t\tsignaled\tSIGKILL')" ]
	run "$TRIBENCH" run 'true' -m serial --runs 1 --warmup 0 -q -o r.json --setup true
	[ "$status" -eq 0 ]
	validate r.json
	[ "$(jq -c '[.interrupted, .hook_failure]' r.json)" = '[false,null]' ]
}

@test "what a hook leaves in its process group is killed when it exits" {
	run "$TRIBENCH" run 'if kill -0 $(cat bg.pid) 2>/dev/null; then echo alive >> alive.log; fi; echo ran >> ran.log' \
		-m serial --runs 2 --warmup 0 -q -o r.json --prepare 'sleep 1237 & echo $! > bg.pid'
	[ "$status" -eq 0 ]
	[ "$(wc -l < ran.log)" -eq 2 ]
	[ ! -e alive.log ]
	no_survivors "sleep 1237"
}

@test "a --setup may install the program: the PATH check runs after it" {
	mkdir bin
	PATH="$SCRATCH/bin:$PATH" run "$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q -o r.json \
		--setup 'printf "#!/bin/sh\necho made > made.out\n" > bin/tb-made-tool; chmod +x bin/tb-made-tool' \
		-- tb-made-tool
	[ "$status" -eq 0 ]
	[ "$(cat made.out)" = made ]
	# a script without #! (run by /bin/sh) that the setup replaces: the new one
	# runs, through a vector made over the path looked up again
	printf 'echo old > which.out\n' > bin/tb-plain-tool
	chmod +x bin/tb-plain-tool
	PATH="$SCRATCH/bin:$PATH" run "$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q -o r.json \
		--setup 'rm bin/tb-plain-tool; printf "echo new \$1 > which.out\n" > bin/tb-plain-tool; chmod +x bin/tb-plain-tool' \
		-- tb-plain-tool arg
	[ "$status" -eq 0 ]
	[ "$(cat which.out)" = "new arg" ]
	# a setup that does not install it: exit 2, one line, the report says interrupted
	rm bin/tb-made-tool
	PATH="$SCRATCH/bin:$PATH" run "$TRIBENCH" run -m serial --runs 1 --warmup 0 --count 1 -q -o r.json \
		--setup true --cleanup 'echo c > c.log' -- tb-made-tool
	[ "$status" -eq 2 ]
	[ "$output" = "tribench: command not found: tb-made-tool (not in PATH)" ]
	[ ! -e c.log ]
	validate r.json
	[ "$(jq -c '[.interrupted, .hook_failure, (.workloads[0].modes[0].runs | length)]' r.json)" = '[true,null,0]' ]
}

@test "SIGTERM during a hook: its group gets SIGTERM, then SIGKILL after --grace; exit 143" {
	"${TRIBENCH_BG[@]}" run 'true' -m serial --runs 1 --warmup 0 -q -o r.json --grace 0.5 \
		--setup 'trap "" TERM; sleep 1238; echo after > after.log' 2>err &
	pid=$!
	for _ in $(seq 50); do pgrep -f "^sleep 1238" >/dev/null && break; sleep 0.1; done
	pgrep -f "^sleep 1238" >/dev/null  # the shell set its trap: it runs the sleep
	t0=$(date +%s.%N)
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	t1=$(date +%s.%N)
	[ "$rc" -eq 143 ]
	# SIGKILL came after the grace (0.5 s), not the sleep's end
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a >= 0.4 && b - a < 5) }'
	[ ! -e after.log ]
	no_survivors "sleep 1238"
	validate r.json
	[ "$(jq -c '[.interrupted, .hook_failure]' r.json)" = '[true,null]' ]
}

@test "the ETA line: once per workload after its warmup (else its first round), not under -q" {
	run "$TRIBENCH" run 'sleep 0.01' 'sleep 0.02' -m serial --runs 3 --warmup 1 -o r.json
	[ "$status" -eq 0 ]
	[ "$(grep -c 'warmup done; 3 measured runs, about [0-9.]* s (done ~[0-9:]*)$' <<<"$output")" -eq 2 ]
	grep -q '^tribench: sleep 0.01: warmup done' <<<"$output"
	run "$TRIBENCH" run 'sleep 0.01' 'sleep 0.02' -m serial --runs 3 --warmup 0 -o r.json
	[ "$(grep -c 'first round done; 2 more measured runs, about' <<<"$output")" -eq 2 ]
	run "$TRIBENCH" run 'sleep 0.01' 'sleep 0.02' -m serial --runs 3 --warmup 1 -q -o r.json
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a hook given once per workload pairs with the workloads in order (hyperfine's --prepare); other counts are exit 2" {
	run "$TRIBENCH" run 'true' 'sleep 0' -m serial --runs 2 --warmup 0 -q -o r.json \
		--prepare 'echo P1 >> p.log' --prepare 'echo P2 >> p.log' --cleanup 'echo C >> p.log'
	[ "$status" -eq 0 ]
	[ "$(tr '\n' ' ' < p.log)" = "P1 P1 C P2 P2 C " ]
	rm -f p.log r.json
	run "$TRIBENCH" run 'true' 'sleep 0' 'false' -m serial --runs 1 --warmup 0 -q -o r.json \
		--setup 'echo S1 >> p.log' --setup 'echo S2 >> p.log'
	[ "$status" -eq 2 ]
	[ "$output" = "tribench: --setup given 2 times for 3 workloads: give it once for all, or once per workload in their order" ]
	[ ! -e p.log ] && [ ! -e r.json ]
}
