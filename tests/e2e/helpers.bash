# Shared set-up for the CLI tests: the binary under test, a scratch directory,
# schema validation and small jq helpers.
TRIBENCH=${TRIBENCH:-$BATS_TEST_DIRNAME/../../tribench}
TOP_SRCDIR=${TOP_SRCDIR:-$BATS_TEST_DIRNAME/../..}
PYTHON_JSONSCHEMA=${PYTHON_JSONSCHEMA:-/usr/bin/python3}

setup() {
	SCRATCH=$(mktemp -d "${BATS_TMPDIR:-/tmp}/tribench-test.XXXXXX")
	cd "$SCRATCH" || return 1
}

teardown() {
	cd / && rm -rf "$SCRATCH"
}

# validate FILE [SCHEMA]: fails with the validator's message when FILE is invalid.
validate() {
	"$PYTHON_JSONSCHEMA" "$TOP_SRCDIR/tests/validate-json" "${2:-$TOP_SRCDIR/docs/schema.json}" "$1"
}

# jqr FILE FILTER: raw jq output, failing the test when jq fails.
jqr() {
	jq -er "$2" "$1"
}

# One stderr line, naming the problem: the error contract.
assert_one_line_error() {
	[ "$(printf '%s\n' "$output" | grep -c .)" -eq 1 ] || {
		echo "expected one line of error, got: $output" >&2
		return 1
	}
}

# no_survivors PATTERN: no process matches (pgrep -f), allowing the kernel up to
# 3 s to finish killing; names what still runs otherwise.
no_survivors() {
	for _ in $(seq 30); do
		pgrep -f "$1" >/dev/null || return 0
		sleep 0.1
	done
	echo "still running:" >&2
	pgrep -fa "$1" >&2
	return 1
}

# "${TRIBENCH_BG[@]}" ARGS... &: tribench with SIGINT at its default, for a
# test that interrupts it. A non-interactive shell starts background jobs with
# SIGINT ignored, and tribench keeps a signal ignored at its start ignored (as
# under nohup). A simple command, so $! is tribench's pid (env execs it).
TRIBENCH_BG=(env --default-signal=INT "$TRIBENCH")

# need_cgroup: skip (visibly) where no writable cgroup v2 hierarchy can be had.
need_cgroup() {
	[ "$(id -u)" -eq 0 ] || skip "needs root for a writable cgroup v2 hierarchy"
	grep -q ' - cgroup2 ' /proc/self/mountinfo || skip "no cgroup2 mount"
}

# pool_job FILE N: a Python script whose multiprocessing.Pool(2) maps a pure-
# Python busy loop of N iterations over two items: a task that is a tree of
# processes, CPU-bound on two PUs at once.
pool_job() {
	cat >"$1" <<PY
import multiprocessing
def busy(n):
    s = 0
    for i in range(n):
        s += i * i
    return s
if __name__ == "__main__":
    with multiprocessing.Pool(2) as p:
        p.map(busy, [$2, $2])
PY
}
