#!/usr/bin/env bats
# scripts/tribench-plot on a real report: every kind draws a non-empty PNG of
# the size it promises, SVG works, and bad input exits 2 with one line on
# stderr. Not a timing test: nothing here depends on how fast anything ran.

load helpers
bats_require_minimum_version 1.5.0

PLOT_INTERPRETER=${PLOT_INTERPRETER:-/usr/bin/python3}

# The report is made once for the whole file (a real run, about a second).
setup_file() {
	export REPORT_DIR
	REPORT_DIR=$(mktemp -d "${BATS_TMPDIR:-/tmp}/tribench-plot.XXXXXX")
	"$TRIBENCH" run -t cpu:ops=200000,count=4 -t sleep:ms=30,count=4 --name small \
		--runs 2 --warmup 0 --sample-ms 10 -q -o "$REPORT_DIR/r.json"
	# a --jobs sweep: two parallel entries, and the Amdahl fit over them
	"$TRIBENCH" run -t cpu:ms=30,count=4 --jobs 1,2 -m serial,parallel --runs 4 --warmup 0 \
		--sample-ms 10 -q -o "$REPORT_DIR/sweep.json"
	# the issue's case: a pipeline (a tree: states unknown), a task that fails
	# once, a busy loop beside the benchmark on the CPU serial and concurrent
	# use, a --jobs 1,2 sweep, and each task's states per tick (--sample-tasks)
	printf '%s\n' 'head -c 3000000 /dev/urandom | gzip -1 | wc -c >/dev/null' \
		"[ -e '$REPORT_DIR/failed-once' ] || { : >'$REPORT_DIR/failed-once'; exit 3; }" \
		>"$REPORT_DIR/cmds"
	taskset -c 0 sh -c 'while :; do :; done' &
	local loop=$!
	"$TRIBENCH" run -t cpu:ms=40,count=2 -t sleep:ms=30,count=2 --commands "$REPORT_DIR/cmds" \
		--name mixed --cpu 0 --jobs 1,2 --runs 2 --warmup 0 --sample-tasks -q \
		-o "$REPORT_DIR/issue.json" || [ $? -eq 1 ]
	kill "$loop"
	wait "$loop" 2>/dev/null || true
}

teardown_file() {
	rm -rf "$REPORT_DIR"
}

plot() {
	"$PLOT_INTERPRETER" "$TOP_SRCDIR/scripts/tribench-plot" "$@"
}

# png_size FILE: "WIDTHxHEIGHT" from the PNG signature and IHDR chunk.
png_size() {
	"$PLOT_INTERPRETER" - "$1" <<'EOF'
import struct
import sys

with open(sys.argv[1], "rb") as f:
    head = f.read(24)
if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
    sys.exit("not a PNG")
w, h = struct.unpack(">II", head[16:24])
print(f"{w}x{h}")
EOF
}

# assert_png FILE WxH [MIN_BYTES]: FILE is a PNG of that many pixels and at
# least MIN_BYTES (default 1) long.
assert_png() {
	[ -s "$1" ] && [ "$(stat -c %s "$1")" -ge "${3:-1}" ] || {
		echo "$1 is missing or under ${3:-1} bytes" >&2
		return 1
	}
	local size
	size=$(png_size "$1") || return 1
	[ "$size" = "$2" ] || {
		echo "$1 is $size, expected $2" >&2
		return 1
	}
}

# plot_ok ARGS...: the plot must succeed silently.
plot_ok() {
	run plot "$@"
	[ "$status" -eq 0 ] || {
		echo "tribench-plot $* exited $status: $output" >&2
		return 1
	}
	[ -z "$output" ] || {
		echo "tribench-plot $* printed: $output" >&2
		return 1
	}
}

# plot_bad ARGS...: exit 2, one line on stderr naming the problem, no output file.
plot_bad() {
	run --separate-stderr plot "$@"
	[ "$status" -eq 2 ] || {
		echo "tribench-plot $* exited $status, expected 2: $stderr" >&2
		return 1
	}
	[ -z "$output" ] || {
		echo "tribench-plot $* wrote to stdout: $output" >&2
		return 1
	}
	output=$stderr
	assert_one_line_error
	[[ "$stderr" == tribench-plot:* ]]
}

@test "the report made for the plots is a valid tribench report" {
	validate "$REPORT_DIR/r.json"
}

@test "timeline: a 1200x900 PNG" {
	plot_ok "$REPORT_DIR/r.json" -o x.png --kind timeline
	assert_png x.png 1200x900
}

@test "timeline: a chosen workload and run" {
	plot_ok "$REPORT_DIR/r.json" -o x.png --kind timeline --workload small --run 2
	assert_png x.png 1200x900
}

@test "utilization: a 1200x800 PNG, with both views or one" {
	plot_ok "$REPORT_DIR/r.json" -o x.png --kind utilization
	assert_png x.png 1200x800
	plot_ok "$REPORT_DIR/r.json" -o y.png --kind utilization --metric task_busy
	assert_png y.png 1200x800
}

@test "speedup: a 1200x700 PNG" {
	plot_ok "$REPORT_DIR/r.json" -o x.png --kind speedup
	assert_png x.png 1200x700
}

@test "compare: two reports side by side, a 1200x600 PNG" {
	cp "$REPORT_DIR/r.json" b.json
	plot_ok "$REPORT_DIR/r.json" b.json -o x.png --kind compare --label old --label new
	assert_png x.png 1200x600
}

# figure REPORT... -- KIND [OPTION...]: the figure tribench-plot would draw,
# handed with the reports (`reports`, the parsed JSON) to the Python on stdin
# as `fig`, unsaved, with the script as module `tp`, and segments(ax, prefix):
# [(task id, state, x0, x1)] of the timeline's bars, read from the paths of
# the collections whose gid is PREFIX:ID:STATE.
figure() {
	local reports=()
	while [ "$1" != -- ]; do
		reports+=("$1")
		shift
	done
	shift
	"$PLOT_INTERPRETER" - "$TOP_SRCDIR/scripts/tribench-plot" "${#reports[@]}" "${reports[@]}" \
		"$@" 3<&0 <<'EOF'
import importlib.machinery, importlib.util, json, os, sys
loader = importlib.machinery.SourceFileLoader("tp", sys.argv[1])
tp = importlib.util.module_from_spec(importlib.util.spec_from_loader("tp", loader))
loader.exec_module(tp)
plt = tp.pyplot()
n = int(sys.argv[2])
paths, kind, opts = sys.argv[3:3 + n], sys.argv[3 + n], sys.argv[4 + n:]
args = tp.parse_args(paths + ["-o", "x.png", "--kind", kind] + opts)
fig = tp.draw(plt, args, [tp.load_report(p) for p in paths])
reports = [json.load(open(p)) for p in paths]
def segments(ax, prefix="state"):
    out = []
    for c in ax.collections:
        gid = c.get_gid() or ""
        if gid.startswith(prefix + ":"):
            _, tid, state = gid.split(":")
            for path in c.get_paths():
                box = path.get_extents()
                out.append((int(tid), state, box.x0, box.x1))
    return sorted(out, key=lambda s: (s[0], s[2]))
exec(os.fdopen(3).read())
EOF
}

@test "speedup of a --jobs sweep: the scaling curve, the ideal and the Amdahl fit from the report" {
	plot_ok "$REPORT_DIR/sweep.json" -o x.png --kind speedup
	assert_png x.png 1200x700
	figure "$REPORT_DIR/sweep.json" -- speedup <<'EOF'
w = reports[0]["workloads"][0]
fit = w["amdahl"][0]
f, se = fit["serial_fraction"], fit["serial_fraction_se"]
assert fit["executor"] == "process" and fit["jobs"] == [1, 2], fit
ax = fig.axes[0]
handles, labels = ax.get_legend_handles_labels()
want = f"parallel: Amdahl fit, f = {f:.3f} ± " + (f"{se:.3f}" if se is not None else "n/a")
assert want in labels, labels
assert "ideal: speedup = jobs" in labels and "parallel: measured" in labels and "serial" in labels, labels
lines = {l.get_label(): l for l in ax.get_lines()}
# the measured curve: one point per parallel entry, at its jobs, its speedup
speedups = [m["summary"]["speedup"] for m in w["modes"] if m["mode"] == "parallel"]
assert any(list(l.get_xdata()) == [1, 2] and list(l.get_ydata()) == speedups
           for l in ax.get_lines()), speedups
# the Amdahl curve is S(p) = 1 / (f + (1 - f) / p): 1 at p = 1, the fit's at p = 2
xs, ys = list(lines[want].get_xdata()), list(lines[want].get_ydata())
assert abs(xs[0] - 1) < 1e-9 and abs(ys[0] - 1) < 1e-9, (xs[0], ys[0])
assert abs(xs[-1] - 2) < 1e-9 and abs(ys[-1] - 1 / (f + (1 - f) / 2)) < 1e-9, (xs[-1], ys[-1])
ideal = lines["ideal: speedup = jobs"]
assert list(ideal.get_xdata()) == [1, 2] and list(ideal.get_ydata()) == [1, 2]
EOF
}

@test "a --jobs sweep's entries are named parallel/j1 and parallel/j2 in timeline, utilization and compare" {
	for kind in timeline utilization; do
		plot_ok "$REPORT_DIR/sweep.json" -o x.png --kind "$kind"
	done
	figure "$REPORT_DIR/sweep.json" -- timeline <<'EOF'
titles = [ax.get_title(loc="left").split(":")[0] for ax in fig.axes if ax.get_title(loc="left")]
assert titles == ["serial", "parallel/j1", "parallel/j2"], titles
EOF
	figure "$REPORT_DIR/sweep.json" -- utilization <<'EOF'
titles = [ax.get_title(loc="left").split(" (")[0] for ax in fig.axes if ax.get_title(loc="left")]
assert titles == ["serial", "serial", "parallel/j1", "parallel/j1", "parallel/j2", "parallel/j2"], titles
EOF
	cp "$REPORT_DIR/sweep.json" b.json
	plot_ok "$REPORT_DIR/sweep.json" b.json -o x.png --kind compare
	figure "$REPORT_DIR/sweep.json" b.json -- compare <<'EOF'
ax = fig.axes[0]
assert [t.get_text() for t in ax.get_xticklabels()] == ["serial", "parallel/j1", "parallel/j2"]
# each report's bar of an entry is that entry's median: three entries, two reports
w = reports[0]["workloads"][0]
heights = sorted(round(p.get_height(), 12) for p in ax.patches if p.get_height() > 0)
want = sorted(round(m["summary"]["wall_s"]["median"], 12) for m in w["modes"] for _ in range(2))
assert heights == want, (heights, want)
EOF
}

@test "a report from before --jobs sweeps still plots: entries read as jobs = slots" {
	jq 'del(.config.jobs_sweep, .config.cpus_per_task)
		| .workloads[] |= (del(.amdahl, .parameters) | .modes[] |= del(.jobs, .executor))' \
		"$REPORT_DIR/r.json" >old.json
	for kind in timeline utilization speedup; do
		plot_ok old.json -o "$kind.png" --kind "$kind"
	done
	plot_ok old.json "$REPORT_DIR/r.json" -o c.png --kind compare
	# an old report pairs with a new one on (mode, jobs, executor)
	figure old.json "$REPORT_DIR/r.json" -- compare <<'EOF'
ax = fig.axes[0]
assert [t.get_text() for t in ax.get_xticklabels()] == ["serial", "concurrent", "parallel"]
assert sum(1 for p in ax.patches if p.get_height() > 0) == 6
EOF
}

@test "--size and --dpi set the pixel size" {
	plot_ok "$REPORT_DIR/r.json" -o x.png --kind speedup --size 640x480
	assert_png x.png 640x480
	plot_ok "$REPORT_DIR/r.json" -o y.png --kind speedup --size 640x480 --dpi 50
	assert_png y.png 640x480
}

@test "SVG output" {
	plot_ok "$REPORT_DIR/r.json" -o x.svg --kind timeline
	[ -s x.svg ]
	grep -q '<svg' x.svg
	"$PLOT_INTERPRETER" -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' x.svg
}

@test "--help says what each kind draws" {
	run plot --help
	[ "$status" -eq 0 ]
	for kind in timeline utilization speedup compare; do
		[[ "$output" == *"$kind"* ]]
	done
	[[ "$output" == *"exit status"* ]]
}

@test "bad input: a missing file" {
	plot_bad missing.json -o x.png --kind timeline
	[[ "$stderr" == *"missing.json"* ]]
	[ ! -e x.png ]
}

@test "bad input: not JSON, and JSON that is not a tribench report" {
	echo 'not json' >bad.json
	plot_bad bad.json -o x.png --kind speedup
	echo '{"workloads": []}' >other.json
	plot_bad other.json -o x.png --kind speedup
	[[ "$stderr" == *"not a tribench report"* ]]
	[ ! -e x.png ]
}

@test "bad input: schema_version other than 1" {
	jq '.schema_version = 2' "$REPORT_DIR/r.json" >v2.json
	plot_bad v2.json -o x.png --kind timeline
	[[ "$stderr" == *"schema_version 2"* ]]
	[ ! -e x.png ]
}

@test "bad input: an unknown workload, a run out of range" {
	plot_bad "$REPORT_DIR/r.json" -o x.png --kind timeline --workload nosuch
	[[ "$stderr" == *"nosuch"* ]]
	plot_bad "$REPORT_DIR/r.json" -o x.png --kind timeline --run 3
	[ ! -e x.png ]
}

@test "bad input: arguments (kind, format, report count)" {
	plot_bad "$REPORT_DIR/r.json" -o x.png --kind pie
	plot_bad "$REPORT_DIR/r.json" -o x.jpg --kind timeline
	plot_bad "$REPORT_DIR/r.json" -o x.png --kind compare
	plot_bad "$REPORT_DIR/r.json" "$REPORT_DIR/r.json" -o x.png --kind speedup
	plot_bad "$REPORT_DIR/r.json" --kind timeline
	[ ! -e x.png ]
}

@test "an unwritable output exits 3 and leaves nothing behind" {
	run --separate-stderr plot "$REPORT_DIR/r.json" -o nodir/x.png --kind speedup
	[ "$status" -eq 3 ]
	output=$stderr
	assert_one_line_error
	[ ! -e nodir ]
}

@test "issue 13: every kind on a report with a pipeline, a failed task, an outside busy loop, a --jobs 1,2 sweep and state samples: PNGs of 10 KB or more, of the size asked" {
	local r=$REPORT_DIR/issue.json
	jq -e '[.workloads[0].modes[].runs[].tasks[] | select(.exit.exitcode == 3)] | length >= 1' \
		"$r" >/dev/null
	jq -e '[.workloads[0].modes[].runs[].tasks[] | select(.states_source == "cgroup" or
		.states_source == "rusage")] | length >= 1' "$r" >/dev/null
	for kind in timeline utilization speedup; do
		plot_ok "$r" -o "$kind.png" --kind "$kind" --size 1000x800
		assert_png "$kind.png" 1000x800 10240
	done
	plot_ok "$r" "$REPORT_DIR/issue.json" -o compare.png --kind compare --size 1000x800
	assert_png compare.png 1000x800 10240
}

@test "timeline: the drawn state sequence of a task follows its sampled deltas, tick by tick" {
	figure "$REPORT_DIR/issue.json" -- timeline <<'EOF'
# the concurrent panel: its cpu task #0 shares CPU 0 with everything else
w = reports[0]["workloads"][0]
ax = next(a for a in fig.axes if a.get_title(loc="left").startswith("concurrent:"))
run = next(r for r in next(m for m in w["modes"] if m["mode"] == "concurrent")["runs"]
           if f"run {r['run']} of" in ax.get_title(loc="left"))
task = run["tasks"][0]
ss = task["state_samples"]
assert ss["scope"] == "task" and len(ss["t"]) >= 3, ss
drawn = sorted((x0, x1, state) for tid, state, x0, x1 in segments(ax) if tid == 0)
# The kernel books a wait for the CPU when it ends: the figure puts an
# interval's excess (running + ready beyond its length, ready first) back into
# the unbooked time of the intervals before it, latest first, as the state it
# was booked as; then each interval (or run of intervals narrower than a
# pixel, summed) holds its running, then ready, then the rest (blocked);
# neighbours of one state are one segment.
t0s = [task["start_s"]] + ss["t"][:-1]
spans = [b - a for a, b in zip(t0s, ss["t"])]
run_s, ready_s = list(ss["running_s"]), list(ss["ready_s"])
for i in range(len(spans)):
    excess = run_s[i] + ready_s[i] - spans[i]
    if excess <= 0:
        continue
    back = {"ready": min(excess, ready_s[i])}
    back["running"] = excess - back["ready"]
    ready_s[i] -= back["ready"]
    run_s[i] -= back["running"]
    for j in range(i - 1, -1, -1):
        for state, into in (("ready", ready_s), ("running", run_s)):
            put = max(min(back[state], spans[j] - run_s[j] - ready_s[j]), 0.0)
            into[j] += put
            back[state] -= put
    if i + 1 < len(spans):
        ready_s[i + 1] += back["ready"]
        run_s[i + 1] += back["running"]
fig_px = fig.get_size_inches()[0] * fig.dpi
pixel = ax.get_xlim()[1] / fig_px
bins, cur = [], None
for a, span, r, q in zip(t0s, spans, run_s, ready_s):
    cur = [a, a + span, r, q] if cur is None else [cur[0], a + span, cur[2] + r, cur[3] + q]
    if cur[1] - cur[0] >= pixel:
        bins.append(cur)
        cur = None
bins += [cur] if cur else []
want = []
for a, b, r, q in bins:
    r = min(r, b - a)
    q = min(q, b - a - r)
    for x0, x1, state in ((a, a + r, "running"), (a + r, a + r + q, "ready"), (a + r + q, b, "blocked")):
        if x1 - x0 <= 1e-9:   # a nanosecond: the clocks' resolution
            continue
        if want and want[-1][2] == state:
            want[-1] = (want[-1][0], x1, state)
        else:
            want.append((x0, x1, state))
if task["end_s"] - ss["t"][-1] > 1e-9:
    want.append((ss["t"][-1], task["end_s"], "unknown"))
assert len(drawn) == len(want), (len(drawn), len(want), drawn, want)
for d, e in zip(sorted(drawn), sorted(want)):
    assert d[2] == e[2] and abs(d[0] - e[0]) < 1e-9 and abs(d[1] - e[1]) < 1e-9, (d, e)
# the samples vary per tick, so the drawn sequence is not one repeated pattern
shares = {round(r / (b - a), 3) for a, b, r in
          zip([task["start_s"]] + ss["t"], ss["t"], ss["running_s"]) if b > a}
assert len(shares) > 1, shares
# the legend says the tick: config.sample_ms
title = fig.axes[-1].get_legend().get_title().get_text()
assert f"per {reports[0]['config']['sample_ms']:g} ms tick" in title, title
EOF
}

@test "timeline: a pipeline (states unknown) is hatched, never drawn running; its leader's samples are marked" {
	figure "$REPORT_DIR/issue.json" -- timeline <<'EOF'
w = reports[0]["workloads"][0]
tree = next(t["id"] for t in w["modes"][0]["runs"][0]["tasks"]
            if t["states_source"] in ("cgroup", "rusage"))
for ax in fig.axes[:-1]:
    states = {state for tid, state, _, _ in segments(ax) if tid == tree}
    assert states == {"unknown"}, (ax.get_title(loc="left"), states)
    assert any(tid == tree for tid, _, _, _ in segments(ax, "leader")), \
        (ax.get_title(loc="left"), tree, sorted({c.get_gid() for c in ax.collections if c.get_gid()}))
labels = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
assert any("states unknown" in l for l in labels) and any("leader thread" in l for l in labels), labels
EOF
	# the same report without samples: still hatched, not running
	jq 'del(.workloads[].modes[].runs[].tasks[].state_samples) | .config.sample_tasks = false' \
		"$REPORT_DIR/issue.json" >plain.json
	figure plain.json -- timeline <<'EOF'
for ax in fig.axes[:-1]:
    segs = segments(ax)
    trees = {tid for tid, state, _, _ in segs if state == "unknown"}
    assert trees and not any(tid in trees and state == "running" for tid, state, _, _ in segs)
EOF
}

@test "timeline: the CPU with a busy loop beside the benchmark says other work, not idle" {
	figure "$REPORT_DIR/issue.json" -- timeline <<'EOF'
model = tp.load_report(sys.argv[3])
# the loop ran on CPU 0 all along, competing with the tasks there: a large
# share of CPU 0's /proc/stat busy time is not the tasks' in every mode
panels = fig.axes[:-1]
assert len(panels) == len(model.workloads[0].entries) == 4
for ax, e in zip(panels, model.workloads[0].entries):
    title = ax.get_title(loc="left")
    assert title.startswith(tp.entry_label(e, [model]) + ":"), title
    run = next(r for r in e.runs if f"run {r.number} of" in title)
    use = run.cpus[0]
    assert use.busy - use.task_busy >= 0.2, (title, use)
    label = next(t.get_text() for t in ax.get_yticklabels() if t.get_text().startswith("CPU 0"))
    assert "other work" in label, (title, label)
    notes = [t.get_text() for t in ax.texts if t.get_gid() == "cpu-row-note"]
    assert "idle" not in notes or run.cpus[1].busy < 0.1, (title, notes)
EOF
}

@test "timeline of a real run --sample-tasks: ticks drawn from the recorded samples" {
	"$TRIBENCH" run -t cpu:ms=120,count=2 -t sleep:ms=100 -m concurrent --runs 1 --warmup 0 \
		--sample-tasks -q -o s.json
	jq -e '[.workloads[0].modes[0].runs[0].tasks[].state_samples | select(. != null)]
		| length == 3' s.json >/dev/null
	plot_ok s.json -o x.png --kind timeline
	assert_png x.png 1200x900 10240
	figure s.json -- timeline <<'EOF'
ax = fig.axes[0]
segs = [(tid, state) for tid, state, _, _ in segments(ax)]
# two cpu tasks on one CPU: each was ready while the other ran, per tick
assert (0, "ready") in segs and (2, "blocked") in segs, segs
assert not any(state == "unknown" for _, state in segs), segs
EOF
}

@test "speedup of 10 workloads: a sorted dot plot, every workload once, best first, labels apart" {
	"$PLOT_INTERPRETER" "$TOP_SRCDIR/tests/unit/plot_fixtures.py" workloads "$REPORT_DIR/r.json" ten.json 10
	plot_ok ten.json -o x.png --kind speedup
	assert_png x.png 1200x700 10240
	figure ten.json -- speedup <<'EOF'
ax = fig.axes[0]
names = [t.get_text().split("\n")[0] for t in ax.get_yticklabels()]
assert sorted(names) == [f"w{i}" for i in range(10)], names
best = {w["name"]: max(m["summary"]["speedup"] for m in w["modes"]
                       if m["mode"] != "serial" and m["summary"]["speedup"] is not None)
        for w in reports[0]["workloads"]}
assert [best[n] for n in names] == sorted(best.values(), reverse=True), names
fig.canvas.draw()
boxes = [t.get_window_extent() for t in ax.get_yticklabels()]
assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
EOF
}

@test "speedup of a 10-workload --jobs sweep: small multiples, each with its curve and Amdahl fit" {
	"$PLOT_INTERPRETER" "$TOP_SRCDIR/tests/unit/plot_fixtures.py" workloads "$REPORT_DIR/sweep.json" ten.json 10
	plot_ok ten.json -o x.png --kind speedup
	assert_png x.png 1200x700 10240
	figure ten.json -- speedup <<'EOF'
panels = [ax for ax in fig.axes if ax.get_title().startswith("workload ")]
assert len(panels) == 10, len(panels)
for ax in panels:
    labels = [l.get_label() for l in ax.get_lines()]
    assert "ideal: speedup = jobs" in labels and any("Amdahl fit" in l for l in labels), labels
EOF
}

@test "the script's helpers: unit tests (tests/unit/plot_test.py)" {
	run "$PLOT_INTERPRETER" "$TOP_SRCDIR/tests/unit/plot_test.py" -v
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "a bug in the script is an internal error: exit 3 with its traceback, never bad input" {
	run --separate-stderr "$PLOT_INTERPRETER" - "$TOP_SRCDIR/scripts/tribench-plot" \
		"$REPORT_DIR/r.json" <<'EOF'
import importlib.machinery, importlib.util, sys
loader = importlib.machinery.SourceFileLoader("tp", sys.argv[1])
tp = importlib.util.module_from_spec(importlib.util.spec_from_loader("tp", loader))
loader.exec_module(tp)
def broken(plt, args, reports):
    return {}["no such key"]
tp.DRAW["speedup"] = broken
sys.exit(tp.main([sys.argv[2], "-o", "x.png", "--kind", "speedup"]))
EOF
	[ "$status" -eq 3 ]
	[[ "$stderr" == *Traceback* ]]
	[[ "$(tail -n 1 <<<"$stderr")" == "tribench-plot: internal error"*"KeyError"* ]]
	[[ "$stderr" != *"not a usable"* ]]
	[ ! -e x.png ]
}

@test "bad input: a value of the wrong type in a report names where it is" {
	jq '.workloads[0].modes[0].runs[0].tasks[0].start_s = "soon"' "$REPORT_DIR/r.json" >bad.json
	plot_bad bad.json -o x.png --kind timeline
	[[ "$stderr" == *"workloads[0].modes[0].runs[0].tasks[0].start_s"* ]]
	[ ! -e x.png ]
}

@test "timeline of CPU-bound tasks with --sample-tasks: each task's drawn blocked share is its own (a wait is put back into the ticks before the one that booked it)" {
	"$TRIBENCH" run -t cpu:ms=100,count=4 -m concurrent --runs 1 --warmup 0 --sample-tasks \
		--sample-ms 10 -q -o c.json
	figure c.json -- timeline <<'EOF2'
ax = fig.axes[0]
segs = segments(ax)
tasks = reports[0]["workloads"][0]["modes"][0]["runs"][0]["tasks"]
assert len(tasks) == 4
for t in tasks:
    ss = t["state_samples"]
    assert ss["scope"] == "task" and len(ss["t"]) >= 5, ss
    drawn = {}
    for tid, state, x0, x1 in segs:
        if tid == t["id"]:
            drawn[state] = drawn.get(state, 0.0) + x1 - x0
    wall = t["end_s"] - t["start_s"]
    # CPU-bound: almost never blocked; the ticks' running + ready pass their
    # length where a wait was booked, so a clamped figure drew 10-60% blocked
    assert abs(drawn.get("blocked", 0.0) / wall - t["blocked_s"] / wall) <= 0.05, \
        (t["id"], drawn, t["blocked_s"], wall)
    assert abs(drawn.get("running", 0.0) - sum(ss["running_s"])) <= 1e-3, (t["id"], drawn)
    assert abs(drawn.get("ready", 0.0) - sum(ss["ready_s"])) <= 1e-3, (t["id"], drawn)
    assert sum(ss["ready_s"]) > 0.5 * wall, (t["id"], ss)   # four on one CPU: mostly ready
title = fig.axes[-1].get_legend().get_title().get_text()
assert "a wait is counted when it ends: the figure puts it back into the ticks before" in title, title
EOF2
}

@test "timeline of ticks narrower than a pixel: summed per pixel, never more segments of a state than the bar has pixels, totals kept" {
	"$TRIBENCH" run -t sleep:ms=2000,count=2 -m concurrent --runs 1 --warmup 0 --sample-tasks \
		--sample-ms 1 -q -o s.json
	plot_ok s.json -o x.png --kind timeline --size 800x600
	assert_png x.png 800x600
	figure s.json -- timeline --size 800x600 <<'EOF2'
ax = fig.axes[0]
for t in reports[0]["workloads"][0]["modes"][0]["runs"][0]["tasks"]:
    ss = t["state_samples"]
    assert len(ss["t"]) > 1000, len(ss["t"])   # more ticks than the bar has pixels: binning is exercised
    mine = [s for s in segments(ax) if s[0] == t["id"]]
    for state in ("running", "ready", "blocked"):
        n = sum(1 for s in mine if s[1] == state)
        assert n <= 801, (t["id"], state, n)
    drawn = {}
    for _, state, x0, x1 in mine:
        drawn[state] = drawn.get(state, 0.0) + x1 - x0
    assert abs(drawn.get("running", 0.0) - sum(ss["running_s"])) <= 1e-6, (drawn, sum(ss["running_s"]))
    assert abs(drawn.get("ready", 0.0) - sum(ss["ready_s"])) <= 1e-6, (drawn, sum(ss["ready_s"]))
title = fig.axes[-1].get_legend().get_title().get_text()
assert "summed per pixel" in title, title
EOF2
}

@test "a report halted before a mode's first measured run: the other modes drawn, the empty one marked, exit 0" {
	printf '%s\n' 'exit 3' 'true' >cmds
	run "$TRIBENCH" run --commands cmds --halt now,fail=1 -m serial,parallel --runs 2 --warmup 0 \
		-q -o h.json
	[ "$status" -eq 1 ]
	jq -e '[.workloads[0].modes[] | .runs | length] == [1, 0]' h.json >/dev/null
	for kind in timeline utilization speedup; do
		plot_ok h.json -o "$kind.png" --kind "$kind"
		assert_png "$kind.png" "$(jq -r --arg k "$kind" '{timeline: "1200x900",
			utilization: "1200x800", speedup: "1200x700"}[$k]' <<<'{}')"
	done
	figure h.json -- timeline <<'EOF2'
titles = [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]
assert titles[0].startswith("serial:") and "run 1 of 1" in titles[0], titles
assert titles[1] == "parallel: no measured run (halted: --halt now)", titles
assert any(t.get_gid() == "no-run" for t in fig.axes[1].texts)
EOF2
	figure h.json -- utilization <<'EOF2'
titles = [ax.get_title(loc="left").split("\n")[0] for ax in fig.axes if ax.get_title(loc="left")]
assert titles[2:] == ["parallel: no measured run (halted: --halt now)"] * 2, titles
EOF2
	# no mode with a measured run: nothing to draw, bad input
	jq '.workloads[0].modes[0].runs = []' h.json >none.json
	plot_bad none.json -o x.png --kind timeline
	[[ "$stderr" == *"no measured runs (halted: --halt now)"* ]]
	[ ! -e x.png ]
}

@test "bad input: hand-edited reports that tribench refuses, tribench-plot refuses too, naming the place" {
	local r=$REPORT_DIR/issue.json at='workloads[0].modes[0].runs[0].tasks[0]'
	jq -e '.workloads[0].modes[0].runs[0].tasks[0].state_samples.t | length >= 2' "$r" >/dev/null
	jq '.workloads[0].modes[0].runs[0].tasks[0].state_samples.ready_s[1] = -0.001' "$r" >neg.json
	jq '.workloads[0].modes[0].runs[0].tasks[0].state_samples.blocked_s = []' "$r" >key.json
	jq '.workloads[0].modes[0].runs[1].run = 1' "$r" >dup.json
	jq '.workloads[0].modes[0].runs[0].run = 0' "$r" >zero.json
	jq '.config.sample_tasks = "yes"' "$r" >flag.json
	jq -c '.workloads[0].modes[0].runs[0].tasks[0].running_s = 12345.678' "$r" |
		sed 's/12345.678/NaN/' >nan.json
	jq -c '.workloads[0].modes[0].runs[0].tasks[0].start_s = 12345.678' "$r" |
		sed 's/12345.678/-Infinity/' >inf.json
	local f
	for f in neg key dup zero nan inf; do
		run "$TRIBENCH" export --format json "$f.json"
		[ "$status" -eq 2 ] || { echo "tribench took $f.json" >&2; return 1; }
	done
	for kind in timeline utilization; do
		plot_bad neg.json -o x.png --kind "$kind"
		[[ "$stderr" == *"$at.state_samples.ready_s[1]"*negative* ]]
	done
	plot_bad key.json -o x.png --kind timeline
	[[ "$stderr" == *"$at.state_samples"*'unknown key "blocked_s"'* ]]
	plot_bad dup.json -o x.png --kind speedup
	[[ "$stderr" == *"workloads[0].modes[0].runs[1].run"*"its place"* ]]
	plot_bad zero.json -o x.png --kind speedup
	[[ "$stderr" == *"workloads[0].modes[0].runs[0].run"* ]]
	plot_bad flag.json -o x.png --kind timeline
	[[ "$stderr" == *"config.sample_tasks"* ]]
	plot_bad nan.json -o x.png --kind timeline
	[[ "$stderr" == *"NaN is not a JSON number"* ]]
	plot_bad inf.json -o x.png --kind timeline
	[[ "$stderr" == *"-Infinity is not a JSON number"* ]]
	[ ! -e x.png ]
}
