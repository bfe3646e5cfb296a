#!/usr/bin/env bats
# Honest warnings: other work on a used CPU is named; a quiet machine gets no
# such warning. Timing test: tests/run-test gives it the machine alone. The VM
# is shared, so each check may take up to 3 tries, and says how many it took.
load helpers

# tries N CMD...: run CMD up to N times until it succeeds; report the count.
tries() {
	local n=$1 i
	shift
	for ((i = 1; i <= n; i++)); do
		if "$@"; then
			echo "# passed on try $i of $n" >&3
			return 0
		fi
	done
	return 1
}

busy_loop_is_named() {
	taskset -c 1 sh -c 'while :; do :; done' &
	local hog=$!
	"$TRIBENCH" run -t cpu:ms=150,count=4 -m serial,parallel --runs 3 --warmup 0 --cpu 0 -q \
		-o r.json 2>/dev/null
	kill "$hog"
	wait "$hog" 2>/dev/null || true
	jq -e '[.warnings[] | select(test("parallel: CPU 1 was busy with other work"))] | length == 1' r.json
}

@test "a busy loop on a parallel slot's CPU is named in the warnings" {
	[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs"
	tries 3 busy_loop_is_named
}

quiet_run_has_no_busy_warning() {
	"$TRIBENCH" run -t cpu:ms=100,count=4 -t sleep:ms=50,count=4 --runs 3 --warmup 1 -q \
		-o q.json 2>/dev/null
	jq -e '[.warnings[] | select(test("busy with other work|superlinear|outside"))] | length == 0' q.json
}

@test "a quiet machine: no busy-by-others, superlinear or placement warning" {
	tries 3 quiet_run_has_no_busy_warning
}
