#!/usr/bin/env bats
# `tribench export --format F REPORT`: each format on one small real report,
# checked against what its consumer documents: gab (github-action-benchmark
# customSmallerIsBetter: name, unit, value, optional range and extra),
# bmf (Bencher Metric Format: benchmark -> measure -> value, lower_value,
# upper_value), trace (Chrome Trace Event Format), csv and markdown.
load helpers

setup_file() {
	local d=$BATS_FILE_TMPDIR
	# a second workload whose name needs quoting in CSV and escaping in Markdown
	cat >"$d/suite.json" <<'EOF'
{"workloads": [
  {"name": "io", "tasks": [{"kind": "sleep", "ms": 20, "count": 3}]},
  {"name": "odd, \"quoted\" | name", "tasks": [{"kind": "sleep", "ms": 10, "count": 2}]}
]}
EOF
	"$TRIBENCH" run -f "$d/suite.json" -m serial,concurrent,parallel --runs 2 --warmup 0 \
		--sample-ms 10 -q -o "$d/report.json"
	# a --jobs sweep: two parallel entries told apart by jobs alone
	"$TRIBENCH" run -t cpu:ms=30,count=4 --jobs 1,2 -m serial,parallel --runs 4 --warmup 0 \
		--sample-ms 10 -q -o "$d/sweep.json"
	export REPORT=$d/report.json SWEEP=$d/sweep.json
}

# tb ARGS...: run tribench with stdout in ./out and stderr in ./err; status in $rc.
tb() {
	rc=0
	"$TRIBENCH" "$@" >out 2>err || rc=$?
}

# export_ok FORMAT: export REPORT as FORMAT into ./out, which must succeed quietly.
export_ok() {
	tb export --format "$1" "$REPORT"
	[ "$rc" -eq 0 ] || {
		echo "export --format $1 exited $rc: $(cat err)" >&2
		return 1
	}
	[ ! -s err ]
	[ -s out ]
}

# bad NEEDLE WANT ARGS...: exit WANT, nothing on stdout, one stderr line naming NEEDLE.
bad() {
	local needle=$1 want=$2
	shift 2
	tb "$@"
	echo "exit $rc; stderr: $(cat err)"
	[ "$rc" -eq "$want" ]
	[ ! -s out ]
	[ "$(wc -l <err)" -eq 1 ]
	grep -qF -- "$needle" err
}

@test "export: the report used here is valid" {
	validate "$REPORT"
}

@test "export csv: a header and one row per task per run per mode per workload" {
	export_ok csv
	[ "$(head -1 out)" = "workload,mode,jobs,executor,phase,run,run_wall_s,run_worker_cpu_s,run_failed,run_partial,run_suspended_s,run_in_summary,kind,task_id,pid,slot,cpuset,cpus_allowed,cpus_seen,start_s,end_s,wall_s,user_s,sys_s,running_s,ready_s,blocked_s,states_source,voluntary_switches,involuntary_switches,max_rss_kb,leftovers_killed,zombie_s,outside_slot,rank,cgroup_cpu_s,cgroup_user_s,cgroup_sys_s,cpu_some_s,cpu_full_s,io_some_s,io_full_s,memory_some_s,memory_full_s,procs_max,memory_peak_kb,exit_status,exit_code,signal,signal_name,exitcode,timed_out,stopped,error" ]
	want=$(jqr "$REPORT" '[.workloads[].modes[].runs[].tasks[]] | length')
	# parse it as CSV: quoted fields hold commas, so lines cannot be counted by split
	"$PYTHON_JSONSCHEMA" - out "$REPORT" "$want" <<'EOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
report = json.load(open(sys.argv[2]))
assert len(rows) == int(sys.argv[3]), (len(rows), sys.argv[3])
assert all(len(r) == 54 and None not in r for r in rows), "ragged rows"
assert all(r["phase"] == "measured" for r in rows), "no warmup in this report"
# runs count from 1, as the report's own "run" says
expected = [(w["name"], m["mode"], str(m["jobs"]), m["executor"], str(run["run"]), str(t["id"]),
             str(t["pid"]), t["exit"]["status"])
            for w in report["workloads"] for m in w["modes"]
            for k, run in enumerate(m["runs"]) for t in run["tasks"]]
assert all(run["run"] == k + 1 for w in report["workloads"] for m in w["modes"]
           for k, run in enumerate(m["runs"]))
got = [(r["workload"], r["mode"], r["jobs"], r["executor"], r["run"], r["task_id"], r["pid"],
        r["exit_status"]) for r in rows]
assert got == expected, (got[:3], expected[:3])
for r, t in zip(rows, [t for w in report["workloads"] for m in w["modes"]
                       for run in m["runs"] for t in run["tasks"]]):
    assert float(r["wall_s"]) == t["wall_s"], "wall_s does not round-trip"
    assert r["kind"] == "sleep" and r["timed_out"] == "false" and r["exitcode"] == "0"
EOF
	grep -qF '"odd, ""quoted"" | name"' out
}

@test "export markdown: the summary table has a row per workload" {
	export_ok markdown
	cat out
	[ "$(sed -n 1p out)" = '| workload | serial | concurrent | parallel | failed runs |' ]
	[ "$(sed -n 2p out)" = '|:--|--:|--:|--:|--:|' ]
	n=$(jqr "$REPORT" '.workloads | length')
	[ "$(grep -c '^| ' out)" -eq $((n + 1)) ]
	grep -E '^\| io \| [0-9.]+ s ×1\.00 \(100%\) \|.*\| 0 of 6 \|$' out
	grep -F 'Median wall time of 2 measured runs per mode (of 2 configured' out
	grep -F '| odd, "quoted" \| name |' out
}

@test "export gab: customSmallerIsBetter entries with exactly the documented fields" {
	export_ok gab
	n=$(jqr "$REPORT" '[.workloads[].modes[]] | length')
	# a wall figure and a failed-tasks figure per workload and mode
	jq -e --argjson n "$n" 'type == "array" and length == 2 * $n' out
	jq -e 'all(.[] | select(.unit == "tasks"); (keys == ["extra", "name", "unit", "value"])
		and (.name | endswith(" failed tasks")) and .value == 0)' out
	jq -e '[.[] | select(.unit != "tasks")] | all(.[]; (keys == ["extra", "name", "range", "unit", "value"])
		and (.name | type) == "string" and (.unit | type) == "string"
		and (.value | type) == "number" and (.range | type) == "string"
		and (.extra | type) == "string" and .unit == "s" and (.range | test("^± [0-9.e+-]+ \\(MAD\\)$")))' out
	jq -e '.[0].name == "io/serial"' out
	# the median to 4 significant digits (export-json.bats checks every number)
	median=$(jqr "$REPORT" '.workloads[0].modes[0].summary.wall_s.median')
	jq -e --argjson m "$median" '(.[0].value - $m | fabs) <= 0.0005 * $m' out
}

@test "export bmf: benchmark -> latency -> value, lower_value, upper_value in ns" {
	export_ok bmf
	n=$(jqr "$REPORT" '[.workloads[].modes[]] | length')
	jq -e --argjson n "$n" 'type == "object" and length == $n' out
	# the other measures: export-json.bats
	jq -e 'all(.[]; keys == ["cpu-time-ns", "efficiency", "failures", "latency", "max-rss-kib", "speedup"]
		and .failures == {"value": 0}
		and (.latency | keys == ["lower_value", "upper_value", "value"])
		and (.latency | all(.[]; type == "number"))
		and .latency.lower_value <= .latency.value and .latency.value <= .latency.upper_value)' out
	summary=$(jq -c '.workloads[0].modes[0].summary.wall_s' "$REPORT")
	jq -e --argjson s "$summary" '.["io/serial"].latency
		| (.value - $s.median * 1e9 | fabs) < 1 and (.lower_value - $s.min * 1e9 | fabs) < 1
		and (.upper_value - $s.max * 1e9 | fabs) < 1' out
}

@test "export trace: one complete event per task per run, named tracks, CPU counters" {
	export_ok trace
	jq -e '(.traceEvents | type) == "array" and .displayTimeUnit == "ms"' out
	tasks=$(jqr "$REPORT" '[.workloads[].modes[].runs[].tasks[] | select(.pid != null)] | length')
	runs=$(jqr "$REPORT" '[.workloads[].modes[].runs[]] | length')
	jq -e --argjson n "$tasks" '[.traceEvents[] | select(.ph == "X")] | length == $n' out
	jq -e --argjson n "$runs" '[.traceEvents[] | select(.ph == "M" and .name == "process_name")]
		| length == $n and (map(.pid) | unique | length) == $n' out
	# every complete event has its own track (tasks overlap in concurrent mode),
	# and every track is named after its task and CPU
	jq -e '[.traceEvents[] | select(.ph == "X")] | (map([.pid, .tid]) | unique | length) == length' out
	jq -e '[.traceEvents[] | select(.ph == "M" and .name == "thread_name") | [.pid, .tid]] as $named
		| all(.traceEvents[] | select(.ph == "X"); [.pid, .tid] as $t | $named | index([$t]) != null)' out
	jq -e 'all(.traceEvents[] | select(.ph == "M" and .name == "thread_name");
		.args.name | test("^task [0-9]+ \\(sleep\\) on CPUs? [0-9]"))' out
	jq -e 'all(.traceEvents[] | select(.ph == "X");
		(.ts | type) == "number" and (.dur | type) == "number" and .dur > 0
		and (.args | has("running_s") and has("ready_s") and has("blocked_s")
		     and has("voluntary_switches") and has("involuntary_switches") and .exit == "exited"))' out
	jq -e '[.traceEvents[] | select(.ph == "C")] | length > 0
		and all(.[]; (.name | test("^CPU [0-9]+ \\((machine|tribench tasks)\\)$")) and (.args.busy | type) == "number")' out
	# a task's event spans its wall time, in microseconds
	jq -e --slurpfile r "$REPORT" '$r[0].workloads[0].modes[0].runs[0].tasks[0] as $t
		| [.traceEvents[] | select(.ph == "X" and .pid == 1)][0]
		| (.ts - $t.start_s * 1e6 | fabs) < 0.01 and (.dur - $t.wall_s * 1e6 | fabs) < 0.01' out
}

@test "export of a --jobs 1,2 sweep: both parallel entries in every format, named parallel/j1 and parallel/j2" {
	validate "$SWEEP"
	jq -e '[.workloads[0].modes[] | [.mode, .jobs, .executor]]
		== [["serial", 1, "process"], ["parallel", 1, "process"], ["parallel", 2, "process"]]' "$SWEEP"
	jq -e '.config.jobs == 1 and .config.jobs_sweep == [1, 2]' "$SWEEP"
	REPORT=$SWEEP
	# csv: every task row of every entry, the entry in columns mode, jobs, executor
	export_ok csv
	"$PYTHON_JSONSCHEMA" - out "$SWEEP" <<'PY'
import collections, csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
report = json.load(open(sys.argv[2]))
want = collections.Counter((m["mode"], str(m["jobs"]), m["executor"])
                           for w in report["workloads"] for m in w["modes"]
                           for run in m["runs"] for t in run["tasks"])
got = collections.Counter((r["mode"], r["jobs"], r["executor"]) for r in rows)
assert got == want, (got, want)
assert got[("parallel", "1", "process")] == 16 and got[("parallel", "2", "process")] == 16, got
# the same run and task of the two entries are two rows, with their own walls
j = {(r["jobs"], r["run"], r["task_id"]): r for r in rows if r["mode"] == "parallel"}
walls = {m["jobs"]: [t["wall_s"] for run in m["runs"] for t in run["tasks"]]
         for m in report["workloads"][0]["modes"] if m["mode"] == "parallel"}
assert [float(j[("1", str(k), str(i))]["wall_s"]) for k in range(1, 5) for i in range(4)] == walls[1]
assert [float(j[("2", str(k), str(i))]["wall_s"]) for k in range(1, 5) for i in range(4)] == walls[2]
PY
	# csv --level run: a row per run of each entry, its wall the report's
	tb export --format csv --level run "$SWEEP"
	[ "$rc" -eq 0 ]
	"$PYTHON_JSONSCHEMA" - out "$SWEEP" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
report = json.load(open(sys.argv[2]))
want = [(m["mode"], str(m["jobs"]), str(run["run"]), run["wall_s"])
        for w in report["workloads"] for m in w["modes"] for run in m["runs"]]
assert [(r["mode"], r["jobs"], r["run"], float(r["run_wall_s"])) for r in rows] == want, rows[:2]
PY
	# gab: a wall and a failures figure per entry, each name once
	export_ok gab
	jq -e '[.[].name] == ["custom/serial", "custom/serial failed tasks",
		"custom/parallel/j1", "custom/parallel/j1 failed tasks",
		"custom/parallel/j2", "custom/parallel/j2 failed tasks"]' out
	for j in 1 2; do
		median=$(jqr "$SWEEP" ".workloads[0].modes[] | select(.jobs == $j and .mode == \"parallel\") | .summary.wall_s.median")
		jq -e --argjson m "$median" --arg n "custom/parallel/j$j" '[.[] | select(.name == $n)] | length == 1
			and (.[0].value - $m | fabs) <= 0.0005 * $m' out
	done
	# bmf: one benchmark per entry
	export_ok bmf
	jq -e 'keys == ["custom/parallel/j1", "custom/parallel/j2", "custom/serial"]' out
	for j in 1 2; do
		median=$(jqr "$SWEEP" ".workloads[0].modes[] | select(.jobs == $j and .mode == \"parallel\") | .summary.wall_s.median")
		jq -e --argjson m "$median" --arg n "custom/parallel/j$j" '(.[$n].latency.value - $m * 1e9 | fabs) < 1' out
	done
	# trace: a process per entry and run, named by the entry
	export_ok trace
	jq -e '[.traceEvents[] | select(.ph == "M" and .name == "process_name") | .args.name]
		== ([range(1;5) | "custom / serial / run \(.)"] + [range(1;5) | "custom / parallel/j1 / run \(.)"]
		    + [range(1;5) | "custom / parallel/j2 / run \(.)"])' out
	jq -e '[.traceEvents[] | select(.ph == "X")] | length == 48' out
	# markdown: a column per entry
	export_ok markdown
	[ "$(sed -n 1p out)" = '| workload | serial | parallel/j1 | parallel/j2 | failed runs |' ]
	grep -E '^\| custom \| [0-9.]+ s ×1\.00 \(100%\) \| [0-9.]+ s ×[0-9.]+ \([0-9]+%\) \| [0-9.]+ s ×[0-9.]+ \([0-9]+%\) \| 0 of 12 \|$' out
}

@test "export of a report from before --jobs sweeps: entries read as jobs = slots, executor process" {
	jq 'del(.config.jobs_sweep, .config.cpus_per_task)
		| .workloads[] |= (del(.amdahl, .parameters) | .modes[] |= del(.jobs, .executor))' \
		"$REPORT" >old.json
	REPORT=old.json
	export_ok gab
	jq -e '[.[] | select(.unit == "s") | .name] == ["io/serial", "io/concurrent", "io/parallel",
		"odd, \"quoted\" | name/serial", "odd, \"quoted\" | name/concurrent", "odd, \"quoted\" | name/parallel"]' out
	export_ok csv
	slots=$(jqr old.json '.workloads[0].modes[2].plan.slots | length')
	"$PYTHON_JSONSCHEMA" - out "$slots" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert {(r["mode"], r["jobs"], r["executor"]) for r in rows} == \
    {("serial", "1", "process"), ("concurrent", "1", "process"), ("parallel", sys.argv[2], "process")}
PY
}

@test "export -o FILE writes the file and nothing to stdout; - reads stdin" {
	tb export --format gab -o g.json "$REPORT"
	[ "$rc" -eq 0 ]
	[ ! -s out ]
	jq -e 'length > 0' g.json
	[ "$(ls -A | grep -c tmp)" -eq 0 ]
	rc=0
	"$TRIBENCH" export --format bmf - <"$REPORT" >stdin.json || rc=$?
	[ "$rc" -eq 0 ]
	jq -e '.["io/serial"].latency.value > 0' stdin.json
}

@test "export: unknown format, bad report or output exit with one line" {
	echo 'not json' >bad.json
	jq '.schema_version = 2' "$REPORT" >v2.json
	bad "unknown export format 'xml' (expected one of json, csv, markdown, gab, bmf, trace, hyperfine)" 2 \
		export --format xml "$REPORT"
	bad "needs --format" 2 export "$REPORT"
	bad "malformed JSON" 2 export --format csv bad.json
	bad "schema_version 2 is not supported" 2 export --format csv v2.json
	bad "cannot read 'missing.json'" 2 export --format csv missing.json
	bad "one report" 2 export --format csv "$REPORT" "$REPORT"
	bad "cannot write" 3 export --format csv -o /nonexistent/dir/x.csv "$REPORT"
	[ -z "$(ls -A | grep -v -e '^out$' -e '^err$' -e '^bad.json$' -e '^v2.json$')" ]
}

@test "export --help prints usage to stdout and exits 0" {
	tb export --help
	[ "$rc" -eq 0 ]
	grep -F 'Usage: tribench export --format F' out
	[ ! -s err ]
}
