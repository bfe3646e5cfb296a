#!/usr/bin/env bats
# The JSON exports checked against what their consumers document or write:
#   hyperfine  the JSON Debian's hyperfine 1.15.0 writes with --export-json
#              (tests/data/hyperfine/, its README says how it was made), and
#              hyperfine's own scripts (advanced_statistics.py, plot_whisker.py,
#              vendored unmodified under tests/data/hyperfine/scripts/) run on it
#   gab        github-action-benchmark's customSmallerIsBetter fields (its
#              README, "Examples"; src/extract.ts's BenchmarkResult: name,
#              unit, value, range, extra), its range parser
#              (src/extractRangeInfo.ts: "± <number>")
#   bmf        Bencher Metric Format (bencher.dev/docs/reference/
#              bencher-metric-format: its JSON schema, inlined below)
#   trace      Chrome Trace Event Format counters ("ph": "C"), which Perfetto
#              names "<event name> <arg key>"
# Every report here comes from the real binary: sleep and cpu tasks of 20 ms.
load helpers

setup_file() {
	local d=$BATS_FILE_TMPDIR
	"$TRIBENCH" run -t sleep:ms=20,count=2 -t cpu:ms=20,count=2 -m serial,concurrent,parallel \
		--runs 3 --warmup 0 --sample-ms 10 -q -o "$d/report.json"
	# -L: a workload per value, its parameters in workloads[].parameters
	"$TRIBENCH" run -L ms 10,20 -t 'sleep:ms={ms},count=2' -m serial,parallel --runs 3 --warmup 0 \
		-q -o "$d/params.json"
	"$TRIBENCH" run -t sleep:ms=20,count=2 -m serial --runs 1 --warmup 0 -q -o "$d/one.json"
	# every task fails: no entry has a usable run (tribench exits 1)
	"$TRIBENCH" run --name custom --runs 2 --warmup 0 -m serial,parallel --count 2 -q \
		-o "$d/fail.json" -- sh -c 'exit 7' 2>/dev/null || true
	export REPORT=$d/report.json PARAMS=$d/params.json ONE=$d/one.json FAIL=$d/fail.json
	export HF_DATA=$TOP_SRCDIR/tests/data/hyperfine
}

# ex FORMAT REPORT: export REPORT as FORMAT into ./out, which must succeed quietly.
ex() {
	local rc=0
	"$TRIBENCH" export --format "$1" "$2" >out 2>err || rc=$?
	[ "$rc" -eq 0 ] || {
		echo "export --format $1 $2 exited $rc: $(cat err)" >&2
		return 1
	}
	[ ! -s err ]
	[ -s out ]
}

# py ARGS... <<SCRIPT: the Python check on stdin, under the interpreter that
# has jsonschema (and numpy, matplotlib for hyperfine's scripts).
py() {
	"$PYTHON_JSONSCHEMA" - "$@"
}

@test "export: the reports used here are valid" {
	for f in "$REPORT" "$PARAMS" "$ONE" "$FAIL"; do
		validate "$f"
	done
	jq -e '[.workloads[].modes[].summary.wall_s.n] == [0, 0]' "$FAIL"
}

# Keys and JSON types of each result, recursively, against hyperfine's own.
HF_SHAPE='
import json, sys

def shape(v):
    if isinstance(v, dict):
        return {k: shape(x) for k, x in v.items()}
    if isinstance(v, list):
        return [sorted({json.dumps(shape(x)) for x in v})]
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "number"
    return type(v).__name__
'

@test "export hyperfine: each result has the keys and JSON types hyperfine 1.15 writes" {
	ex hyperfine "$PARAMS"
	cp out params.hf
	ex hyperfine "$REPORT"
	cp out plain.hf
	ex hyperfine "$ONE"
	py "$HF_DATA" params.hf plain.hf out <<EOF
$HF_SHAPE
data, params, plain, one = sys.argv[1:]
golden = json.load(open(data + "/hyperfine-1.15.json"))
golden1 = json.load(open(data + "/hyperfine-1.15-one-run.json"))
assert list(golden) == ["results"]
want = shape(golden["results"][0])
assert "memory_usage_byte" not in want, "1.15 has none"
def check(path, want):
    doc = json.load(open(path))
    assert list(doc) == ["results"] and doc["results"], path
    for r in doc["results"]:
        # the same keys in the same order, each of the same type; a mean of
        # whole seconds would be an int in JSON: still a number to Python
        got = shape(r)
        got = {k: ("number" if v == "int" and want[k] == "number" else v) for k, v in got.items()}
        assert got == want, (path, got, want)
check(params, want)
# a workload without parameters: hyperfine writes no "parameters" then
check(plain, {k: v for k, v in want.items() if k != "parameters"})
# one run: stddev is null, as hyperfine writes it
want1 = shape(golden1["results"][0])
assert want1["stddev"] == "NoneType"
check(one, want1)
EOF
}

@test "export hyperfine: times are the usable runs' walls, the statistics hyperfine's over them" {
	ex hyperfine "$REPORT"
	py out "$REPORT" <<'EOF'
import json, statistics, sys
hf = json.load(open(sys.argv[1]))["results"]
report = json.load(open(sys.argv[2]))
entries = [(w, m) for w in report["workloads"] for m in w["modes"]]
assert len(hf) == len(entries) == 3, len(hf)
for r, (w, m) in zip(hf, entries):
    assert r["command"] == w["name"] + "/" + m["mode"], r["command"]
    usable = [run for run in m["runs"] if run["in_summary"]]
    times = [run["wall_s"] for run in usable]
    assert len(times) == m["summary"]["wall_s"]["n"] == 3
    assert r["times"] == times, (r["times"], times)
    assert r["exit_codes"] == [0] * len(times)
    # hyperfine's statistics: the mean of the middle two for an even count,
    # the sample standard deviation
    assert r["median"] == statistics.median(times)
    assert abs(r["mean"] - statistics.mean(times)) <= 1e-12
    assert abs(r["stddev"] - statistics.stdev(times)) <= 1e-12
    assert r["min"] == min(times) and r["max"] == max(times)
    assert abs(r["user"] - sum(x["user_s"] for x in usable) / len(usable)) <= 1e-12
    assert abs(r["system"] - sum(x["sys_s"] for x in usable) / len(usable)) <= 1e-12
    # the tasks' CPU time: the two cpu tasks' 20 ms each are in it
    assert r["user"] + r["system"] >= 0.02, r
EOF
}

@test "export hyperfine: parameters are the workload's -L values, as strings" {
	ex hyperfine "$PARAMS"
	jq -e '[.results[] | [.command, .parameters]] == [
		["custom (ms = 10)/serial", {"ms": "10"}], ["custom (ms = 10)/parallel", {"ms": "10"}],
		["custom (ms = 20)/serial", {"ms": "20"}], ["custom (ms = 20)/parallel", {"ms": "20"}]]' out
	# each result's are its own workload's (not a median order: that is a timing test's)
	jq -e --slurpfile r "$PARAMS" '[.results[].parameters]
		== [$r[0].workloads[] | .parameters as $p | .modes[] | $p]' out
}

@test "export hyperfine: an entry without a usable run is left out" {
	run --separate-stderr "$TRIBENCH" export --format hyperfine "$FAIL"
	[ "$status" -eq 0 ]
	jq -e '. == {"results": []}' <<<"$output"
	# said, not silent: one warning line
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ $stderr == *"has a usable run"*"results are empty"* ]]
	# one run: its own wall, stddev null
	ex hyperfine "$ONE"
	wall=$(jqr "$ONE" '.workloads[0].modes[0].runs[0].wall_s')
	jq -e --argjson w "$wall" '.results | length == 1 and .[0].times == [$w] and .[0].stddev == null
		and .[0].median == $w and .[0].mean == $w' out
}

@test "export hyperfine: every statistic and time is a JSON float, as hyperfine writes them, even when whole" {
	# a run without system time: 0 must read back as a float (0.0), as serde writes it
	jq '.workloads[].modes[].runs[].sys_s = 0 | .workloads[].modes[].runs[].user_s = 1' "$REPORT" >zero.json
	ex hyperfine zero.json
	py out <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["results"]
for res in doc["results"]:
    for k in ("mean", "median", "user", "system", "min", "max"):
        assert type(res[k]) is float, (k, res[k])
    assert res["stddev"] is None or type(res["stddev"]) is float
    assert all(type(t) is float for t in res["times"])
    assert all(type(c) is int for c in res["exit_codes"])
    assert res["system"] == 0.0 and res["user"] == 1.0
EOF
}

@test "export hyperfine: hyperfine's own scripts read it (advanced_statistics.py, plot_whisker.py)" {
	"$PYTHON_JSONSCHEMA" -c 'import numpy, matplotlib' || skip "numpy or matplotlib missing"
	ex hyperfine "$REPORT"
	"$PYTHON_JSONSCHEMA" "$HF_DATA/scripts/advanced_statistics.py" out >stats.txt
	cat stats.txt
	[ "$(grep -c "^Command '" stats.txt)" -eq 3 ]
	grep -qF "Command 'custom/parallel'" stats.txt
	[ "$(grep -cE '^  runs: +3$' stats.txt)" -eq 3 ]
	# its median (numpy's) prints as ours, in ms
	"$PYTHON_JSONSCHEMA" "$HF_DATA/scripts/advanced_statistics.py" --time-unit millisecond out >ms.txt
	want=$(jq -r '.results[0].median * 1000 | . * 1000 | round / 1000' out)
	got=$(awk '/^  median:/ {print $2; exit}' ms.txt)
	awk -v a="$want" -v b="$got" 'BEGIN { exit !((a - b) ^ 2 < 1e-6) }'
	MPLBACKEND=Agg "$PYTHON_JSONSCHEMA" "$HF_DATA/scripts/plot_whisker.py" out -o whisker.png 2>/dev/null
	[ "$(head -c 8 whisker.png | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ]
}

@test "export gab: values, ranges and extras have at most 4 significant digits" {
	ex gab "$REPORT"
	py out "$REPORT" <<'EOF'
import json, re, sys
gab = json.load(open(sys.argv[1]))
report = json.load(open(sys.argv[2]))

def sig4(v):
    return float("%.4g" % v)

number = re.compile(r"[0-9]+(?:\.[0-9]+)?(?:e[-+]?[0-9]+)?")
def digits(text):
    mant = text.split("e")[0].replace(".", "").lstrip("0")
    return len(mant)

walls = [e for e in gab if e["unit"] == "s"]
entries = [m for w in report["workloads"] for m in w["modes"]]
assert len(walls) == len(entries) == 3
for e, m in zip(walls, entries):
    s = m["summary"]
    # github-action-benchmark's fields, nothing else
    assert sorted(e) == ["extra", "name", "range", "unit", "value"], e
    assert e["value"] == sig4(s["wall_s"]["median"]), (e["value"], s["wall_s"]["median"])
    # range: "± MAD (MAD)", the MAD of the usable walls, seconds
    r = re.fullmatch(r"± (\S+) \(MAD\)", e["range"])
    assert r, e["range"]
    assert float(r.group(1)) == sig4(s["wall_s"]["mad"]), (e["range"], s["wall_s"]["mad"])
    assert e["extra"].startswith("median of 3 usable runs, ± their median absolute deviation")
    if s["speedup"] is not None:
        assert "speedup vs serial: %s\n" % ("%.4g" % s["speedup"]) in e["extra"], e["extra"]
    # every number anywhere in it: 4 significant digits at most
    for text in [repr(e["value"]), e["range"], e["extra"]]:
        for n in number.findall(text):
            assert digits(n) <= 4, (n, text)
fails = [e for e in gab if e["unit"] == "tasks"]
assert len(fails) == 3 and all(e["value"] == 0 for e in fails)
EOF
}

@test "export gab: the range is one github-action-benchmark's parser leaves as written" {
	ex gab "$REPORT"
	# src/extractRangeInfo.ts takes /(\+-|±)\s*(\d.+)/ and Number() of the
	# rest; "0.0123 (MAD)" is not a number, so the range is shown unchanged
	# (never rescaled into a wrong unit: tribench's unit is always s)
	jq -e '[.[] | select(.unit == "s") | .range | capture("^± (?<v>.+)$").v
		| (tonumber? // "not a number")] | all(. == "not a number")' out
}

@test "export bmf: at least 5 measures per benchmark, each valid BMF, from the report" {
	ex bmf "$REPORT"
	py out "$REPORT" <<'EOF'
import json, statistics, sys
import jsonschema
# Bencher's BMF JSON schema (bencher.dev/docs/reference/bencher-metric-format)
BMF = {
    "$schema": "http://json-schema.org/draft-07/schema", "type": "object",
    "patternProperties": {".+": {"type": "object", "patternProperties": {".+": {
        "type": "object", "required": ["value"],
        "properties": {"value": {"type": "number"}, "lower_value": {"type": "number"},
                       "upper_value": {"type": "number"}}}}}}}
bmf = json.load(open(sys.argv[1]))
jsonschema.validate(bmf, BMF)
report = json.load(open(sys.argv[2]))
entries = {w["name"] + "/" + m["mode"]: m for w in report["workloads"] for m in w["modes"]}
assert list(bmf) == list(entries)
for name, bench in bmf.items():
    m = entries[name]
    s = m["summary"]
    assert set(bench) == {"latency", "cpu-time-ns", "max-rss-kib", "speedup", "efficiency", "failures"}, bench
    for k, v in bench.items():
        assert len(k) <= 64, "a measure slug is 64 characters at most"
        if "lower_value" in v:
            assert v["lower_value"] <= v["value"] <= v["upper_value"], (name, k, v)
    usable = [run for run in m["runs"] if run["in_summary"]]
    def near(got, want):
        assert abs(got - want) <= 0.5, (name, got, want)
    near(bench["latency"]["value"], s["wall_s"]["median"] * 1e9)
    near(bench["latency"]["lower_value"], s["wall_s"]["min"] * 1e9)
    cpu = [(r["user_s"] + r["sys_s"]) * 1e9 for r in usable]
    near(bench["cpu-time-ns"]["value"], statistics.median(cpu))
    near(bench["cpu-time-ns"]["upper_value"], max(cpu))
    rss = [max(t["max_rss_kb"] for t in r["tasks"]) for r in usable]
    assert bench["max-rss-kib"] == {"value": statistics.median(rss), "lower_value": min(rss),
                                    "upper_value": max(rss)}, (bench["max-rss-kib"], rss)
    assert bench["speedup"] == {"value": s["speedup"]}
    assert bench["efficiency"] == {"value": s["efficiency"]}
    assert bench["failures"] == {"value": 0}
    # a cpu task of 20 ms ran in every run, and it kept some memory
    assert bench["cpu-time-ns"]["lower_value"] >= 20e6 and rss[0] > 0
EOF
}

@test "export bmf: a measure without a value is left out, never null" {
	ex bmf "$FAIL"
	jq -e '. == {"custom/serial": {"failures": {"value": 4}}, "custom/parallel": {"failures": {"value": 4}}}' out
	# --detail run: no task records, so no max RSS; the rest stays
	"$TRIBENCH" run -t sleep:ms=20,count=2 -m serial,parallel --runs 2 --warmup 0 --detail run -q -o run.json
	ex bmf run.json
	jq -e 'all(.[]; keys == ["cpu-time-ns", "efficiency", "failures", "latency", "speedup"])' out
}

@test "export trace: per CPU a machine and a tribench-tasks busy counter that name themselves" {
	ex trace "$REPORT"
	py out "$REPORT" <<'EOF'
import collections, json, sys
trace = json.load(open(sys.argv[1]))["traceEvents"]
report = json.load(open(sys.argv[2]))
runs = [run for w in report["workloads"] for m in w["modes"] for run in m["runs"]]
counters = [e for e in trace if e["ph"] == "C"]
series = collections.defaultdict(list)
for e in counters:
    # one argument, "busy": Perfetto shows "CPU 0 (machine) busy"
    assert list(e["args"]) == ["busy"], e
    series[(e["pid"], e["name"])].append((e["ts"], e["args"]["busy"]))
for pid, run in enumerate(runs, 1):
    s = run["samples"]
    assert s["cpus"], "the run was sampled"
    names = sorted(n for p, n in series if p == pid)
    want = sorted(["CPU %d (machine)" % c for c in s["cpus"]] +
                  ["CPU %d (tribench tasks)" % c for c in s["cpus"]])
    assert names == want, (names, want)
    for c, cpu in enumerate(s["cpus"]):
        starts = [0] + [t * 1e6 for t in s["t"]]
        for who, key in (("machine", "busy"), ("tribench tasks", "task_busy")):
            got = series[(pid, "CPU %d (%s)" % (cpu, who))]
            rows = [row[c] for row in s[key]] + [0]  # the track drops to 0 at the end
            want = [(starts[i], v) for i, v in enumerate(rows) if v is not None]
            assert len(got) == len(want), (who, len(got), len(want))
            for (ts, v), (wts, wv) in zip(got, want):
                assert abs(ts - wts) < 0.01 and v == wv, (who, ts, v, wts, wv)
        # the machine's share is 0..1 (/proc/stat ticks); the tasks' share is
        # schedstat time over the row, >= 0 (a reading can span more than its row)
        assert all(0 <= v <= 1 for _, v in series[(pid, "CPU %d (machine)" % cpu)])
        assert all(v >= 0 for _, v in series[(pid, "CPU %d (tribench tasks)" % cpu)])
# the cpu tasks ran: some CPU shows tribench's tasks busy in some run
assert any(v > 0 for (p, n), vs in series.items() if "tribench" in n for _, v in vs)
EOF
}
