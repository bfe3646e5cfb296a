#!/usr/bin/env bats
# CSV at the level the user groups by (--level task|run|mode), read as a data
# frame would: pandas (python3-pandas) for the acceptance, csv.DictReader for
# the column checks. The report has failures on purpose: "flaky" fails every
# second time it runs (a counter file), "broken" always, so some measured runs
# are out of the summary and some entries have no usable run at all.
load helpers

setup_file() {
	local d=$BATS_FILE_TMPDIR
	cat >"$d/suite.json" <<EOF
{"workloads": [
  {"name": "io", "tasks": [{"kind": "sleep", "ms": 20, "count": 3}]},
  {"name": "flaky", "tasks": [
    {"kind": "cmd", "shell": "n=\$(cat $d/counter 2>/dev/null || echo 0); echo \$((n + 1)) >$d/counter; [ \$((n % 2)) -eq 0 ]"},
    {"kind": "sleep", "ms": 10}]},
  {"name": "broken", "tasks": [{"kind": "cmd", "shell": "exit 3"}]}
]}
EOF
	local rc=0
	"$TRIBENCH" run -f "$d/suite.json" -m serial,parallel --jobs 1,2 --runs 3 --warmup 1 \
		--sample-ms 10 -q -o "$d/report.json" || rc=$?
	[ "$rc" -eq 1 ] || {
		echo "the report run exited $rc, not 1 (a task failed)" >&2
		return 1
	}
	for detail in run mode; do
		rc=0
		"$TRIBENCH" run -f "$d/suite.json" -m serial,parallel --runs 2 --warmup 1 --detail $detail \
			-q -o "$d/detail-$detail.json" || rc=$?
		[ "$rc" -eq 1 ] || return 1
	done
	export REPORT=$d/report.json SUITE=$d/suite.json
}

# tb ARGS...: run tribench with stdout in ./out and stderr in ./err; status in $rc.
tb() {
	rc=0
	"$TRIBENCH" "$@" >out 2>err || rc=$?
}

need_pandas() {
	"$PYTHON_JSONSCHEMA" -c 'import pandas' 2>/dev/null || skip "needs pandas (apt-get install python3-pandas)"
}

@test "export-csv: the report used here is valid and has runs out of the summary" {
	validate "$REPORT"
	# measured runs left out, and entries with none usable (broken)
	jq -e '[.workloads[].modes[].runs[] | select(.in_summary | not)] | length > 0' "$REPORT"
	jq -e '[.workloads[] | select(.name == "broken") | .modes[].summary.wall_s.median] | all(. == null)' "$REPORT"
	jq -e '[.workloads[] | select(.name == "io") | .modes[].summary.wall_s.n] | all(. == 3)' "$REPORT"
}

@test "export-csv --level run: pandas, filtered on run_in_summary and grouped by entry, gives the report's median walls" {
	need_pandas
	tb export --format csv --level run "$REPORT"
	[ "$rc" -eq 0 ]
	[ ! -s err ]
	"$PYTHON_JSONSCHEMA" - out "$REPORT" <<'PY'
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1])
report = json.load(open(sys.argv[2]))
key = ["workload", "mode", "jobs", "executor"]
want = {(w["name"], m["mode"], m["jobs"], m["executor"]): m["summary"]["wall_s"]["median"]
        for w in report["workloads"] for m in w["modes"]}
assert df.run_in_summary.dtype == bool and df.run_wall_s.dtype == float, df.dtypes
# the issue's words: filter on in_summary, group by workload x mode
got = df[df.run_in_summary].groupby(key).run_wall_s.median()
usable = {k: v for k, v in want.items() if v is not None}
assert set(got.index) == set(usable), (sorted(got.index), sorted(usable))
for k, v in usable.items():
    assert abs(got[k] - v) <= 1e-9, (k, got[k], v)
# warmup rows are never in the summary: the same with phase filtered too
both = df[(df.phase == "measured") & df.run_in_summary].groupby(key).run_wall_s.median()
assert both.equals(got)
PY
}

@test "export-csv --level run: a row per run, its wall to the last bit, failures, states_source, per-CPU busy" {
	tb export --format csv --level run "$REPORT"
	[ "$rc" -eq 0 ]
	"$PYTHON_JSONSCHEMA" - out "$REPORT" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
report = json.load(open(sys.argv[2]))
cpus = sorted({c["cpu"] for w in report["workloads"] for m in w["modes"]
               for run in m["warmup_runs"] + m["runs"] for c in run["cpus"]})
head = list(rows[0].keys())
assert head[:6] == ["workload", "mode", "jobs", "executor", "phase", "run"], head
assert head[6:9] == ["run_wall_s", "run_user_s", "run_sys_s"], head
assert head[-2 * len(cpus):] == [f"cpu{c}_{k}" for c in cpus for k in ("busy", "task_busy")], head
assert all(None not in r and len(r) == len(head) for r in rows), "ragged rows"
want = [(w, m, phase, run) for w in report["workloads"] for m in w["modes"]
        for phase, runs in (("warmup", m["warmup_runs"]), ("measured", m["runs"])) for run in runs]
assert len(rows) == len(want), (len(rows), len(want))
num = lambda s: None if s == "" else float(s)
for r, (w, m, phase, run) in zip(rows, want):
    where = (w["name"], m["mode"], m["jobs"], phase, run["run"])
    assert (r["workload"], r["mode"], int(r["jobs"]), r["executor"], r["phase"], int(r["run"])) == \
        (w["name"], m["mode"], m["jobs"], m["executor"], phase, run["run"]), where
    # full precision: the text reads back as the JSON's double, bit for bit
    for k in ("wall_s", "user_s", "sys_s", "runner_cpu_s", "suspended_s"):
        assert float(r["run_" + k]) == run[k], (where, k, r["run_" + k], run[k])
    assert r["run_failed"] == str(run["failed"]).lower(), where
    assert r["run_in_summary"] == str(run["in_summary"] and phase == "measured").lower(), where
    failed = sum(t["exit"]["status"] != "exited" or t["exit"]["code"] != 0 for t in run["tasks"])
    assert int(r["failed_tasks"]) == failed, (where, r["failed_tasks"], failed)
    assert (failed > 0) == run["failed"], where
    assert int(r["ntasks"]) == len(run["tasks"]), where
    sources = {t["states_source"] for t in run["tasks"] if t["states_source"]}
    assert r["states_source"] == (sources.pop() if len(sources) == 1 else "mixed" if sources else ""), where
    assert float(r["task_stats_wall_s_p50"]) == run["task_stats"]["wall_s"]["p50"], where
    assert num(r["task_stats_ready_s_max"]) == run["task_stats"]["ready_s"]["max"], where
    have = {c["cpu"]: c for c in run["cpus"]}
    for c in cpus:
        assert num(r[f"cpu{c}_busy"]) == (have[c]["busy"] if c in have else None), (where, c)
        assert num(r[f"cpu{c}_task_busy"]) == (have[c]["task_busy"] if c in have else None), (where, c)
# the failures show: broken fails every run, io none
assert {r["failed_tasks"] for r in rows if r["workload"] == "broken"} == {"1"}
assert {r["failed_tasks"] for r in rows if r["workload"] == "io"} == {"0"}
# one word per run: the tasks' own when they agree ("mixed": flaky's shell
# line may count as a tree, its sleep not)
assert {r["states_source"] for r in rows} <= {"schedstat", "cgroup", "rusage", "mixed"}, rows
assert len({r["states_source"] for r in rows if r["workload"] == "io"}) == 1
PY
}

@test "export-csv --level mode: a row per entry, its summary as the report has it" {
	tb export --format csv --level mode "$REPORT"
	[ "$rc" -eq 0 ]
	[ ! -s err ]
	[ "$(head -1 out)" = "workload,mode,jobs,executor,slots,runs,warmup_runs,ntasks,wall_s_mean,wall_s_median,wall_s_stddev,wall_s_min,wall_s_max,wall_s_mad,wall_s_n,speedup,efficiency,serial_fraction,failed_runs,failed_tasks" ]
	"$PYTHON_JSONSCHEMA" - out "$REPORT" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
report = json.load(open(sys.argv[2]))
want = [(w, m) for w in report["workloads"] for m in w["modes"]]
assert len(rows) == len(want) == 9, len(rows)
num = lambda s: None if s == "" else float(s)
for r, (w, m) in zip(rows, want):
    s = m["summary"]
    where = (w["name"], m["mode"], m["jobs"])
    assert (r["workload"], r["mode"], int(r["jobs"]), r["executor"]) == (w["name"], m["mode"], m["jobs"], m["executor"])
    assert int(r["slots"]) == len(m["plan"]["slots"]) and int(r["runs"]) == len(m["runs"]) == 3, where
    assert int(r["warmup_runs"]) == len(m["warmup_runs"]) == 1, where
    assert int(r["ntasks"]) == len(m["runs"][0]["tasks"]), where
    for k in ("mean", "median", "stddev", "min", "max", "mad"):
        assert num(r["wall_s_" + k]) == s["wall_s"][k], (where, k)
    assert int(r["wall_s_n"]) == s["wall_s"]["n"], where
    for k in ("speedup", "efficiency", "serial_fraction"):
        assert num(r[k]) == s[k], (where, k, r[k], s[k])
    assert int(r["failed_runs"]) == s["failed_runs"] and int(r["failed_tasks"]) == s["failed_tasks"], where
assert [r["wall_s_median"] for r in rows if r["workload"] == "broken"] == ["", "", ""]
assert all(r["failed_runs"] == "3" for r in rows if r["workload"] == "broken")
PY
}

@test "export-csv: reports made at --detail run and mode give run and mode rows; failed_tasks unknown is empty, never 0" {
	for detail in run mode; do
		r=$BATS_FILE_TMPDIR/detail-$detail.json
		tb export --format csv --level run "$r"
		[ "$rc" -eq 0 ]
		"$PYTHON_JSONSCHEMA" - out "$r" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
report = json.load(open(sys.argv[2]))
runs = [run for w in report["workloads"] for m in w["modes"] for run in m["warmup_runs"] + m["runs"]]
assert len(rows) == len(runs) == 3 * 2 * 3, len(rows)
for r, run in zip(rows, runs):
    assert run["tasks"] is None
    assert float(r["run_wall_s"]) == run["wall_s"]
    # the report holds no task records: neither the failed count nor the source is known
    assert r["failed_tasks"] == "" and r["states_source"] == "", r
    assert r["ntasks"] != "" and float(r["task_stats_wall_s_p50"]) == run["task_stats"]["wall_s"]["p50"]
    assert all(r[f"cpu{c['cpu']}_busy"] != "" for c in run["cpus"] if c["busy"] is not None)
PY
		tb export --format csv --level mode "$r"
		[ "$rc" -eq 0 ]
		[ "$(grep -c '^broken,' out)" -eq 2 ]
		# task rows need task records: exit 2, one line, nothing written
		tb export --format csv --level task -o t.csv "$r"
		[ "$rc" -eq 2 ]
		[ "$(wc -l <err)" -eq 1 ]
		grep -qF -- "--detail run or mode); use --level run or mode" err
		[ ! -e t.csv ]
		[ -z "$(ls -A | grep -v -e '^out$' -e '^err$')" ]
	done
}

@test "export-csv: run --format csv --level run and mode, straight from the run, know the failed tasks at --detail run" {
	tb run -f "$SUITE" -m serial --runs 2 --warmup 0 --detail run -q --format csv --level run -o runs.csv
	[ "$rc" -eq 1 ]
	"$PYTHON_JSONSCHEMA" - runs.csv <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [(r["workload"], r["run"]) for r in rows] == [(w, str(k)) for w in ("io", "flaky", "broken") for k in (1, 2)]
# a live run saw every task: failed_tasks is known even where the report keeps none
for r in rows:
    assert r["failed_tasks"] in ("0", "1"), r
    assert (r["failed_tasks"] == "0") == (r["run_failed"] == "false"), r
    assert r["states_source"] in ("schedstat", "cgroup", "rusage", "mixed"), r
    assert r["ntasks"] == {"io": "3", "flaky": "2", "broken": "1"}[r["workload"]], r
assert [r["failed_tasks"] for r in rows if r["workload"] == "broken"] == ["1", "1"]
PY
	tb run -f "$SUITE" -m serial --runs 1 --warmup 0 --detail mode -q --format csv --level mode
	[ "$rc" -eq 1 ]
	[ "$(cut -d, -f1,19,20 out | grep -v '^flaky,')" = "$(printf 'workload,failed_runs,failed_tasks\nio,0,0\nbroken,1,1')" ]
	# task rows of a --detail run: refused before anything runs
	tb run -f "$SUITE" -m serial --runs 1 --detail run -q --format csv -o t.csv
	[ "$rc" -eq 2 ]
	[ "$(wc -l <err)" -eq 1 ]
	[ ! -e t.csv ]
}

@test "export-csv: parameters become param_NAME columns at the run and mode levels" {
	tb run -t 'sleep:ms={ms}' --name 'nap{ms}' --parameter-list ms 10,20 -m serial --runs 1 --warmup 0 -q -o p.json
	[ "$rc" -eq 0 ]
	tb export --format csv --level mode p.json
	[ "$rc" -eq 0 ]
	[ "$(cut -d, -f1,21 out)" = "$(printf 'workload,param_ms\nnap10,10\nnap20,20')" ]
	tb export --format csv --level run p.json
	[ "$rc" -eq 0 ]
	"$PYTHON_JSONSCHEMA" - out <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [(r["workload"], r["param_ms"]) for r in rows] == [("nap10", "10"), ("nap20", "20")], rows
PY
	# a report without parameters has no param_ column
	tb export --format csv --level mode "$REPORT"
	! head -1 out | grep -q param_
}

@test "export-csv --level task: warmup rows are never in the summary" {
	tb export --format csv --level task "$REPORT"
	[ "$rc" -eq 0 ]
	"$PYTHON_JSONSCHEMA" - out <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert {r["run_in_summary"] for r in rows if r["phase"] == "warmup"} == {"false"}
assert {r["run_in_summary"] for r in rows if r["phase"] == "measured" and r["workload"] == "io"} == {"true"}
PY
}

@test "export-csv: --level needs csv and one of task, run, mode" {
	tb export --format csv --level runs "$REPORT"
	[ "$rc" -eq 2 ]
	grep -qF "invalid --level 'runs'" err
	tb export --format gab --level run "$REPORT"
	[ "$rc" -eq 2 ]
	[ "$(wc -l <err)" -eq 1 ]
	[ ! -s out ]
}

@test "export-csv: every run and mode column is named in the man page" {
	for level in run mode; do
		tb export --format csv --level $level "$REPORT"
		[ "$rc" -eq 0 ]
		for col in $(head -1 out | tr , '\n' | sed -E 's/^cpu[0-9]+_/cpuN_/; s/^task_stats_[a-z]+_s_[a-z0-9]+$/task_stats_Q_P/'); do
			grep -qwF -- "$col" "$TOP_SRCDIR/docs/tribench.1" ||
				{ echo "column $col of --level $level is not in docs/tribench.1" >&2; return 1; }
		done
	done
}
