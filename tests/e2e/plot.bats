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

# assert_png FILE WxH: FILE is a non-empty PNG of that many pixels.
assert_png() {
	[ -s "$1" ] || {
		echo "$1 is missing or empty" >&2
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

# figure REPORT... -- KIND: the figure tribench-plot would draw, handed with
# the reports (`reports`, parsed) to the Python on stdin as `fig`, unsaved.
figure() {
	local reports=()
	while [ "$1" != -- ]; do
		reports+=("$1")
		shift
	done
	"$PLOT_INTERPRETER" - "$TOP_SRCDIR/scripts/tribench-plot" "$2" "${reports[@]}" 3<&0 <<'EOF'
import importlib.machinery, importlib.util, json, os, sys
os.environ["MPLBACKEND"] = "Agg"
loader = importlib.machinery.SourceFileLoader("tp", sys.argv[1])
tp = importlib.util.module_from_spec(importlib.util.spec_from_loader("tp", loader))
loader.exec_module(tp)
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
kind, paths = sys.argv[2], sys.argv[3:]
args = tp.parse_args(paths + ["-o", "x.png", "--kind", kind])
docs = [tp.load_report(p) for p in paths]
fig = (tp.plot_compare(plt, args, paths, docs) if kind == "compare" else
       {"timeline": tp.plot_timeline, "utilization": tp.plot_utilization,
        "speedup": tp.plot_speedup}[kind](plt, args, paths[0], docs[0]))
reports = [json.load(open(p)) for p in paths]
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
