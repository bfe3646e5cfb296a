#!/usr/bin/env bats
# The JSON contract (DESIGN §3): reports, plans and topologies validate against
# the schemas in docs/, the output goes where it should, and the records say
# what they mean. Small suites only: these are not timing tests, and nothing
# here asserts a speedup or an absolute time.

load helpers

# report FILE ARGS...: a quiet run with two measured rounds and no warm-up,
# which must succeed and validate against docs/schema.json.
report() {
	local file=$1
	shift
	run "$TRIBENCH" run --runs 2 --warmup 0 -q -o "$file" "$@"
	[ "$status" -eq 0 ] || {
		echo "tribench run $* exited $status: $output" >&2
		return 1
	}
	[ -z "$output" ] || {
		echo "--quiet -o FILE printed: $output" >&2
		return 1
	}
	validate "$file"
}

# The OS CPUs of a taskset-style list ("0,2-3" -> [0,2,3]), as a jq function.
JQ_CPUS='def cpus: [ split(",")[] | if test("-") then (split("-") | map(tonumber)) as [$a, $b] | range($a; $b + 1) else tonumber end ];'

# all_invalid SCHEMA FILE...: every FILE must fail validation under SCHEMA
# (the validator's first complaint is printed for each); one Python start for
# all of them, as each start costs a few hundred milliseconds.
all_invalid() {
	"$PYTHON_JSONSCHEMA" - "$@" <<'EOF'
import json
import sys

import jsonschema

with open(sys.argv[1]) as f:
    schema = json.load(f)
cls = jsonschema.validators.validator_for(schema)
cls.check_schema(schema)
validator = cls(schema)
status = 0
for path in sys.argv[2:]:
    with open(path) as f:
        doc = json.load(f)
    err = jsonschema.exceptions.best_match(validator.iter_errors(doc))
    if err is None:
        print(f"{path}: valid, but it should not be", file=sys.stderr)
        status = 1
    else:
        print(f"{path}: /{'/'.join(str(p) for p in err.absolute_path)}: {err.message}")
sys.exit(status)
EOF
}

# absent PATTERN FILE: fails when FILE has a line matching PATTERN
# (a bare "! grep" would not fail a bats test).
absent() {
	! grep -q "$1" "$2"
}

usable_pus() {
	"$TRIBENCH" topology | jq -er '.usable_pus | map(tostring) | join(" ")'
}

@test "all three modes: the report validates and keeps the modes' order and run count" {
	report r.json -t cpu:ops=20000,count=3 -t sleep:ms=5,count=2
	[ "$(jqr r.json '.config.modes | join(",")')" = serial,concurrent,parallel ]
	[ "$(jqr r.json '[.workloads[0].modes[].mode] | join(",")')" = serial,concurrent,parallel ]
	jqr r.json '.config.runs == 2 and .config.warmup == 0'
	jqr r.json 'all(.workloads[0].modes[]; (.runs | length) == 2 and .summary.wall_s.n == 2)'
	# every task ran and exited 0, in every run
	jqr r.json '[.workloads[].modes[].runs[].tasks[].exit] | length == 30 and
		all(.status == "exited" and .code == 0 and .exitcode == 0 and .signal == null and .timed_out == false)'
	# speedup is against serial, so serial's own is 1 by definition
	jqr r.json '.workloads[0].modes[0].summary | .speedup == 1 and .efficiency == 1 and .serial_fraction == null'
	jqr r.json '.workloads[0].modes[1].summary | .speedup != null and .serial_fraction == null'
	# Karp-Flatt needs at least two slots
	jqr r.json '.workloads[0].modes[2] | (.summary.serial_fraction != null) == ((.plan.slots | length) >= 2)'
	# only ops= tasks: no calibration needed
	jqr r.json '.calibration.cpu == null'
}

@test "a single mode: speedup, efficiency and serial_fraction are null without serial" {
	report r.json -m parallel -t cpu:ops=20000,count=2
	jqr r.json '.config.modes == ["parallel"] and (.workloads[0].modes | length) == 1'
	jqr r.json '.workloads[0].modes[0].summary | .speedup == null and .efficiency == null and .serial_fraction == null'
	jqr r.json '.workloads[0].modes[0].summary.wall_s | .n == 2 and .median != null'
}

@test "two modes without parallel: modes follow --modes, serial_fraction stays null" {
	report r.json -m concurrent,serial -t sleep:ms=5,count=3
	[ "$(jqr r.json '[.workloads[0].modes[].mode] | join(",")')" = concurrent,serial ]
	jqr r.json 'all(.workloads[0].modes[]; .summary.speedup != null and .summary.serial_fraction == null)'
	# concurrent admits every task at once, on the serial PU
	jqr r.json '.workloads[0].modes[0].plan | .max_in_flight == 3 and (.slots | length) == 1'
	jqr r.json '.workloads[0].modes[0].plan.slots[0].pu == .config.cpu'
}

@test "disk, mem and mix tasks: the report validates and records their parameters" {
	export TMPDIR=$SCRATCH
	report r.json -m serial,parallel -t disk:kb=64 -t mem:mb=4,passes=2 -t mix:cpu_ms=2,io_ms=2,rounds=2
	[ "$(jqr r.json '[.workloads[0].tasks[].kind] | join(",")')" = disk,mem,mix ]
	[ "$(jqr r.json '.workloads[0].tasks[0].params.dir')" = "$SCRATCH" ]
	jqr r.json '.workloads[0].tasks[0].params | .kb == 64 and (.fs | length) > 0'
	jqr r.json '.workloads[0].tasks[1].params == {"mb": 4, "passes": 2}'
	jqr r.json '.workloads[0].tasks[2].params | .cpu_ms == 2 and .io_ms == 2 and .rounds == 2 and .cpu_ops >= 1'
	jqr r.json '.calibration.cpu != null'
	jqr r.json 'all(.workloads[0].modes[].runs[].tasks[]; .exit.status == "exited" and .exit.code == 0)'
	# the disk task's scratch file is gone
	[ -z "$(find "$SCRATCH" -name 'tribench-disk-*')" ]
}

@test "params record the cpu ops derived from ms with the calibrated speed" {
	report r.json -m serial -t cpu:ms=5 -t mix:cpu_ms=2,io_ms=1,rounds=1 -t cpu:ops=777
	jqr r.json '.calibration.cpu | .ops_per_ms > 0 and (.runs_ops_per_ms | length) == 3'
	jqr r.json '.calibration.cpu.pu == .config.cpu'
	jqr r.json '.calibration.cpu.ops_per_ms as $s | .workloads[0].tasks |
		(.[0].params.ms == 5) and ((.[0].params.ops - ($s * 5 | round)) | fabs <= 1) and
		((.[1].params.cpu_ops - ($s * 2 | round)) | fabs <= 1)'
	# ops= is recorded as given, with no ms
	jqr r.json '.workloads[0].tasks[2].params == {"ops": 777}'
}

@test "task ids are 0..n-1 in order of expansion, in the workload and in every run" {
	report r.json --name ids -m serial,parallel -t cpu:ops=1000,count=2 -t sleep:ms=5 -t cpu:ops=2000
	jqr r.json '.workloads | length == 1 and .[0].name == "ids"'
	jqr r.json '[.workloads[0].tasks[].id] == [0, 1, 2, 3]'
	[ "$(jqr r.json '[.workloads[0].tasks[].kind] | join(",")')" = cpu,cpu,sleep,cpu ]
	jqr r.json '[.workloads[0].tasks[].params.ops] == [1000, 1000, null, 2000]'
	jqr r.json 'all(.workloads[0].modes[].runs[]; [.tasks[].id] == [0, 1, 2, 3])'
}

@test "every task's cpus_allowed and cpus_seen lie inside its slot's cpuset" {
	report r.json -t cpu:ops=20000,count=4 -t sleep:ms=5,count=2
	jqr r.json "$JQ_CPUS"'
		[.workloads[].modes[] | .plan.slots as $slots | .runs[].tasks[] |
		 ($slots[.slot].cpuset | cpus) as $set |
		 .cpuset == $slots[.slot].cpuset and
		 (.cpus_seen | length) > 0 and (.cpus_seen - $set) == [] and
		 .cpus_allowed != null and ((.cpus_allowed | cpus) - $set) == []]
		| length == 36 and all'
}

@test "placement on the last usable CPU: --cpu and list: confine every task to it" {
	local last
	last=$(usable_pus | tr ' ' '\n' | tail -n 1)
	report r.json --cpu "$last" -p "list:$last" -t cpu:ops=20000,count=2 -t sleep:ms=5
	jqr r.json ".config.cpu == $last and .config.policy == \"list:$last\" and .config.jobs == 1"
	jqr r.json "all(.workloads[0].modes[].plan.slots[]; .pu == $last and .cpuset == \"$last\")"
	jqr r.json "all(.workloads[0].modes[].runs[].tasks[]; .cpus_seen == [$last] and .cpus_allowed == \"$last\")"
}

@test "per-CPU arrays cover every usable CPU, and host.topology is 'tribench topology'" {
	report r.json -m serial -t sleep:ms=5
	"$TRIBENCH" topology > topo.json
	jq -S . topo.json > a.json
	jq -S .host.topology r.json > b.json
	cmp a.json b.json
	jqr r.json '.host.topology.usable_pus as $u |
		all(.workloads[].modes[].runs[]; [.cpus[].cpu] == $u and .samples.cpus == $u)'
}

@test "--sample-ms 10: the samples arrays are consistent" {
	report r.json --sample-ms 10 -t sleep:ms=30,count=2 -t cpu:ops=20000
	jqr r.json '.config.sample_ms == 10'
	jqr r.json '[.workloads[].modes[].runs[].samples] | length == 6 and all(
		.period_s == 0.01 and
		(.t | length) > 0 and
		(.t | length) == (.busy | length) and
		(.t | length) == (.task_busy | length) and
		(.cpus | length) as $n |
		all(.busy[]; length == $n) and all(.task_busy[]; length == $n) and
		(.t as $t | [range(1; $t | length) | $t[.] > $t[. - 1]] | all))'
}

@test "a -f taskfile with two workloads: the report validates, ids restart per workload" {
	report r.json -f "$TOP_SRCDIR/tests/data/two-workloads.json"
	[ "$(jqr r.json '[.workloads[].name] | join(",")')" = crunch,wait ]
	jqr r.json '[.workloads[].tasks | map(.id)] == [[0, 1, 2], [0, 1, 2, 3]]'
	[ "$(jqr r.json '[.workloads[1].tasks[].kind] | join(",")')" = sleep,sleep,sleep,cpu ]
	jqr r.json 'all(.workloads[].modes[]; (.runs | length) == 2)'
}

@test "a -f taskfile with every kind runs and validates" {
	export TMPDIR=$SCRATCH
	report r.json -m serial -f "$TOP_SRCDIR/tests/data/all-kinds.json"
	[ "$(jqr r.json '[.workloads[0].tasks[].kind] | join(",")')" = cpu,cpu,sleep,sleep,disk,mix,mem ]
	jqr r.json '.workloads[0].tasks[1].params | .ms == 5 and .ops >= 1'
}

@test "the taskfiles in tests/data validate against docs/taskfile.schema.json" {
	local f n=0
	for f in "$TOP_SRCDIR"/tests/data/*.json; do
		validate "$f" "$TOP_SRCDIR/docs/taskfile.schema.json"
		n=$((n + 1))
	done
	[ "$n" -ge 2 ]
}

@test "bad taskfiles: the schema and tribench both reject them" {
	local schema=$TOP_SRCDIR/docs/taskfile.schema.json i=0 doc
	while IFS= read -r doc; do
		i=$((i + 1))
		printf '%s\n' "$doc" > "bad$i.json"
		run "$TRIBENCH" run -q --runs 1 --warmup 0 -o "out$i.json" -f "bad$i.json" < /dev/null
		[ "$status" -eq 2 ] || { echo "tribench exits $status on: $doc" >&2; return 1; }
		assert_one_line_error
		[ ! -e "out$i.json" ]
	done <<'EOF'
{"workloads": []}
{"workloads": [{"name": "a", "tasks": [{"kind": "sleep"}]}], "extra": 1}
{"workloads": [{"name": "a", "tasks": [{"kind": "sleep"}], "modes": ["serial"]}]}
{"workloads": [{"name": "", "tasks": [{"kind": "sleep"}]}]}
{"workloads": [{"name": "a", "tasks": []}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "nap", "ms": 5}]}]}
{"workloads": [{"name": "a", "tasks": [{"ms": 5}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "sleep", "msec": 5}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "sleep", "ms": "5"}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "sleep", "ms": 0}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "sleep", "ms": 2.5}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "sleep", "count": 0}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "cpu", "ops": 10, "ms": 5}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "mix", "cpu_ops": 10}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "disk", "fs": "ext4"}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "disk", "dir": 5}]}]}
{"workloads": [{"name": "a", "tasks": [{"kind": "mem", "mb": 70000}]}]}
EOF
	[ "$i" -eq 17 ]
	all_invalid "$schema" bad*.json
}

@test "-o - puts the JSON on stdout and the table on stderr" {
	"$TRIBENCH" run -m serial -t sleep:ms=5,count=2 --runs 1 --warmup 0 -o - > out 2> err
	validate out
	grep -q '^workload' err
	absent '^workload' out
	absent schema_version err
}

@test "-o FILE writes the file atomically and the table to stdout" {
	"$TRIBENCH" run -m serial -t sleep:ms=5,count=2 --runs 1 --warmup 0 -o r.json > out 2> err
	validate r.json
	grep -q '^workload' out
	absent schema_version out
	# stderr carries at most warnings about noise (another process was runnable...)
	! grep -qv '^tribench: warning: ' err
	# no temporary left beside it
	[ "$(ls -A)" = "$(printf '%s\n' err out r.json)" ]
}

@test "without -o and stdout not a terminal, the JSON goes to stdout and the table to stderr" {
	"$TRIBENCH" run -m serial -t sleep:ms=5 --runs 1 --warmup 0 > out 2> err
	validate out
	grep -q '^workload' err
	absent '^workload' out
}

@test "without -o and stdout a terminal, no JSON is written and the table goes to stdout" {
	command -v script > /dev/null || skip "script(1) is not installed"
	script -qec "'$TRIBENCH' run -m serial -t sleep:ms=5 --runs 1 --warmup 0" /dev/null < /dev/null > out
	grep -q '^workload' out
	absent schema_version out
	[ "$(ls -A)" = out ]
}

@test "--quiet drops the table wherever the JSON goes" {
	"$TRIBENCH" run -q -m serial -t sleep:ms=5 --runs 1 --warmup 0 -o - > out 2> err
	validate out
	[ ! -s err ]
	"$TRIBENCH" run --quiet -m serial -t sleep:ms=5 --runs 1 --warmup 0 -o r.json > out2 2> err2
	validate r.json
	[ ! -s out2 ]
	[ ! -s err2 ]
	"$TRIBENCH" run -q -m serial -t sleep:ms=5 --runs 1 --warmup 0 > out3 2> err3
	validate out3
	[ ! -s err3 ]
}

@test "an interrupted run still writes a valid report, marked interrupted" {
	command -v pgrep > /dev/null || skip "pgrep is not installed"
	"$TRIBENCH" run -q -m serial -t sleep:ms=5 -t sleep:ms=5000,count=2 --runs 1 --warmup 0 \
		-o r.json < /dev/null > out 2> err 3>&- &
	local pid=$! i rc=0
	# wait until a task is running, so the scheduler is handling signals
	for i in $(seq 100); do
		pgrep -P "$pid" > /dev/null && break
		sleep 0.05
	done
	kill -TERM "$pid"
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ] || { echo "exit status $rc, expected 128+15: $(cat err)" >&2; return 1; }
	validate r.json
	jqr r.json '.interrupted == true'
	# the run it cut is kept, partial, and never in a statistic: the summary is all null
	jqr r.json '.workloads[0].modes[0] | (.runs | length) == 1 and .runs[0].partial and
		.summary.wall_s.n == 0 and .summary.wall_s.median == null and .summary.speedup == null'
}

@test "tribench plan and tribench topology validate against their schemas" {
	"$TRIBENCH" topology > topo.json
	validate topo.json "$TOP_SRCDIR/docs/topology.schema.json"
	jqr topo.json '.binding == "real" and .is_this_system == true and .synthetic == null'
	"$TRIBENCH" plan > plan.json
	validate plan.json "$TOP_SRCDIR/docs/plan.schema.json"
	[ "$(jqr plan.json '[.modes[].mode] | join(",")')" = serial,concurrent,parallel ]
	"$TRIBENCH" plan -m parallel -p pus -j 3 > plan2.json
	validate plan2.json "$TOP_SRCDIR/docs/plan.schema.json"
	jqr plan2.json '.modes | length == 1 and .[0].plan.max_in_flight == 3 and (.[0].plan.slots | length) == 3'
}

@test "plans for a synthetic topology validate, marked simulated" {
	HWLOC_SYNTHETIC="pack:2 core:4 pu:2" "$TRIBENCH" plan -j 20 > plan.json
	validate plan.json "$TOP_SRCDIR/docs/plan.schema.json"
	jqr plan.json '.topology | .binding == "simulated" and .is_this_system == false and
		.synthetic == "pack:2 core:4 pu:2" and .packages == 2 and .cores == 8 and .pus == 16'
	jqr plan.json '.modes[2].plan | .oversubscribed == true and (.slots | length) == 20'
	HWLOC_SYNTHETIC="pack:2 core:4 pu:2" "$TRIBENCH" topology > topo.json
	validate topo.json "$TOP_SRCDIR/docs/topology.schema.json"
}

@test "plan and topology schemas share schema.json's definitions" {
	local s
	for s in plan topology; do
		jq -en --slurpfile a "$TOP_SRCDIR/docs/schema.json" --slurpfile b "$TOP_SRCDIR/docs/$s.schema.json" '
			$b[0]["$defs"] | to_entries | length > 0 and
			all(.[]; .value == $a[0]["$defs"][.key])' || {
			echo "docs/$s.schema.json's \$defs differ from docs/schema.json's" >&2
			return 1
		}
	done
}

@test "the schema is not vacuous: broken copies of a report fail validation" {
	report r.json -m serial,parallel -t sleep:ms=5,count=2
	local filter i=0
	while IFS= read -r filter; do
		i=$((i + 1))
		jq "$filter" r.json > "broken$i.json" < /dev/null
	done <<'EOF'
.workloads[0].modes[0].runs[0].wall_s |= tostring
del(.workloads[0].modes[0].runs[0].tasks[0].blocked_s)
del(.host.topology.usable_pus)
del(.calibration)
.schema_version = 2
.workloads[0].modes[0].mode = "turbo"
.workloads[0].modes[0].runs[0].tasks[0].exit.status = "finished"
.workloads[0].modes[0].runs[0].tasks[0].exit.signal = 9
.workloads[0].modes[0].runs[0].tasks[0].pid = 1.5
.workloads[0].modes[0].runs[0].cpus[0].busy = 1.5
.workloads[0].modes[0].runs[0].tasks[0].voluntary_switches = -1
.workloads[0].modes[0].summary.serial_fraction = 0.5
.host.topology.binding = "simulated"
.workloads[0].tasks[0].params = {}
.started_at = "yesterday"
EOF
	[ "$i" -eq 15 ]
	all_invalid "$TOP_SRCDIR/docs/schema.json" broken*.json
	# and the untouched report still validates
	validate r.json
}
