/* `tribench export --format F REPORT`: a report in the formats CI dashboards,
 * trace viewers and data frames read. Markdown is written here, CSV in
 * src/export_csv.c, the JSON formats in src/json/export_json.c. */
#include "config.h"
#include "commands.h"
#include "command_table.h"
#include "export.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/report_json.h"
#include "output.h"
#include "textout.h"
#include "util.h"

const char *const export_formats = "json, csv, markdown, gab, bmf, trace, hyperfine";
const char *const export_shortopts = ":F:o:h";

enum { OPT_EXPORT_LEVEL = 256 };

/* One of the words of export_formats (the list --help and completion show). */
bool export_format_known(const char *format)
{
	size_t n = strlen(format);
	for (const char *p = export_formats; *p; p += strspn(p, ", ")) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, format, n))
			return true;
		p += len;
	}
	return false;
}

/* "median s ×speedup (efficiency)", "failed" when no run could be used, a
 * dash where the mode did not run; "!" marks runs left out. */
static void markdown_cell(FILE *f, const struct report_mode *m)
{
	if (!m || !m->nruns) {
		fputs(" – |", f);
		return;
	}
	const struct report_summary *s = &m->summary;
	const char *mark = m->nruns > s->wall.n ? " !" : "";
	if (!s->wall.n || isnan(s->wall.median)) {
		fprintf(f, " failed%s |", mark);
		return;
	}
	fprintf(f, " %.3f s", s->wall.median);
	if (!isnan(s->speedup))
		fprintf(f, " ×%.2f", s->speedup);
	if (!isnan(s->efficiency))
		fprintf(f, " (%.0f%%)", 100 * s->efficiency);
	fprintf(f, "%s |", mark);
}

/* Failed measured runs of the workload over its modes, "F of N". */
static void markdown_failures(FILE *f, const struct report_workload *w)
{
	int failed = 0, runs = 0;
	for (int m = 0; m < w->nmodes; m++) {
		failed += w->modes[m].summary.failed_runs;
		runs += w->modes[m].nruns;
	}
	fprintf(f, " %d of %d |", failed, runs);
}

/* The usable runs per mode, as one number or a range. */
static void markdown_footer(FILE *f, const struct report *r)
{
	int lo = -1, hi = 0;
	for (int i = 0; i < r->nworkloads; i++)
		for (int m = 0; m < r->workloads[i].nmodes; m++) {
			int n = r->workloads[i].modes[m].summary.wall.n;
			lo = lo < 0 || n < lo ? n : lo;
			hi = n > hi ? n : hi;
		}
	if (lo == hi)
		fprintf(f, "\nMedian wall time of %d measured run%s per mode", hi, hi == 1 ? "" : "s");
	else
		fprintf(f, "\nMedian wall time of %d to %d measured runs per mode", lo, hi);
	if (r->max_time_s > 0)	/* --runs auto: each mode made its own count */
		fprintf(f, " (--runs auto: %g s each, at least %d", r->max_time_s, r->runs);
	else
		fprintf(f, " (of %d configured", r->runs);
	fputs("; failed and cut-short runs, marked !, are left out); "
	      "×speedup against serial (efficiency = speedup / slots).\n", f);
	if (r->interrupted)
		fputs("\n**Interrupted**: the benchmark was stopped by a signal before it finished.\n", f);
}

/* The summary as a table: rows = workloads, columns = the first workload's
 * mode entries (named by report_entry_label) and the failed runs. */
static void write_markdown(FILE *f, const struct report *r)
{
	const struct report_workload *first = &r->workloads[0];
	fputs("| workload |", f);
	for (int c = 0; c < first->nmodes; c++) {
		char *label = report_entry_label(r, NULL, &first->modes[c]);
		fputc(' ', f);
		md_escaped(f, label);
		fputs(" |", f);
		free(label);
	}
	fputs(" failed runs |\n|:--|", f);
	for (int c = 0; c < first->nmodes; c++)
		fputs("--:|", f);
	fputs("--:|\n", f);
	for (int i = 0; i < r->nworkloads; i++) {
		fputs("| ", f);
		md_escaped(f, r->workloads[i].name);
		fputs(" |", f);
		for (int c = 0; c < first->nmodes; c++)
			markdown_cell(f, report_entry_find(&r->workloads[i], &first->modes[c]));
		markdown_failures(f, &r->workloads[i]);
		fputc('\n', f);
	}
	markdown_footer(f, r);
}

int export_write(struct report *r, const char *format, enum report_detail level, FILE *out)
{
	char *json = NULL;
	if (!strcmp(format, "json")) {
		json_report_write(r, out);
		return 0;
	}
	if (!strcmp(format, "csv"))
		return export_csv(out, r, level) < 0 && !ferror(out) ? -1 : 0;	/* a write error shows in ferror(out) */
	if (!strcmp(format, "markdown")) {
		write_markdown(out, r);
		return 0;
	}
	if (!strcmp(format, "gab"))
		json = export_gab(r);
	else if (!strcmp(format, "bmf"))
		json = export_bmf(r);
	else if (!strcmp(format, "hyperfine"))
		json = export_hyperfine(r);
	else
		json = export_trace(r);
	if (!json)	/* a live run's spool unread: said in one line */
		return -1;
	fputs(json, out);
	free(json);
	return 0;
}

void export_usage(FILE *f)
{
	fprintf(f,
		"Usage: tribench export --format F [-o FILE] REPORT.json\n"
		"\n"
		"Write a report (- = stdin) in another format, to stdout or FILE:\n"
		"  json      the report itself, as tribench writes it (read back, written again)\n"
		"  csv       with a header, the entry in columns workload, mode, jobs and\n"
		"            executor, and one row per (--level) task (default), run or mode entry:\n"
		"            task: per task per run (warmups too: column phase, runs from 1),\n"
		"            a column per field of the run, task and exit (a report made at\n"
		"            --detail run or mode has no tasks: refused);\n"
		"            run: per run (warmups too), its wall, CPU time, failed_tasks,\n"
		"            run_in_summary, states_source, task percentiles, param_NAME,\n"
		"            cpuN_busy and cpuN_task_busy;\n"
		"            mode: per mode entry, its summary (wall_s_median, speedup, ...);\n"
		"            run_in_summary is false on warmup rows: group the rows where it is\n"
		"            true to get the report's medians (columns: man tribench)\n"
		"  markdown  the summary table: workloads x mode entries, median wall, speedup,\n"
		"            efficiency\n"
		"  gab       github-action-benchmark 'customSmallerIsBetter' JSON: per entry the\n"
		"            median wall in seconds, range '± MAD (MAD)' (the usable walls'\n"
		"            median absolute deviation, s), 4 significant digits; and a figure\n"
		"            '<entry> failed tasks'\n"
		"  bmf       Bencher Metric Format JSON, per entry: latency (ns: median wall,\n"
		"            bounds min and max), cpu-time-ns, max-rss-kib (needs task records),\n"
		"            speedup, efficiency (a fraction), failures (failed tasks); a measure\n"
		"            without a value is left out\n"
		"  trace     Chrome Trace Event Format JSON for Perfetto or chrome://tracing: a\n"
		"            process per entry and run, a track per task, per CPU the counters\n"
		"            'CPU N (machine) busy' and 'CPU N (tribench tasks) busy'\n"
		"  hyperfine the JSON hyperfine 1.15 writes: a result per mode entry with a\n"
		"            usable run, times = those runs' walls, hyperfine's statistics\n"
		"\n"
		"A mode entry is a mode run with one --jobs size by one executor, named\n"
		"workload/mode[/jN][/executor]: /jN when the report holds that mode with\n"
		"other sizes (a --jobs 1,2,4 sweep: io/parallel/j1, io/parallel/j2, ...), the\n"
		"executor when it holds that mode with other executors.\n"
		"\n"
		"  -F, --format F     one of %s (required)\n"
		"  -o, --output FILE  write FILE (atomically) instead of stdout\n"
		"      --level L      csv's rows: task (default), run or mode\n"
		"  -h, --help         this help\n"
		"\n"
		"Exit status: 0 success, 2 bad input (unknown format, unreadable or invalid\n"
		"report), 3 runtime error (cannot write the output).\n",
		export_formats);
}

struct export_options {
	const char *format, *output, *report;
	enum report_detail level;
	bool level_set, help;
};

const struct option export_long_options[] = {
	{"format", required_argument, NULL, 'F'},
	{"output", required_argument, NULL, 'o'},
	{"level", required_argument, NULL, OPT_EXPORT_LEVEL},
	{"help", no_argument, NULL, 'h'},
	{0},
};

/* The format is checked before the report is read: a typo costs nothing. */
static int parse_export_args(int argc, char **argv, struct export_options *o)
{
	*o = (struct export_options){0};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, export_shortopts, export_long_options, NULL)) != -1) {
		if (c == '?' || c == ':')
			return option_error(c, argv, export_long_options, "export");
		if (c == 'F')
			o->format = optarg;
		else if (c == 'o')
			o->output = optarg;
		else if (c == OPT_EXPORT_LEVEL) {
			if (report_detail_parse(optarg, &o->level) < 0)
				return error("invalid --level '%s': expected task, run or mode", optarg);
			o->level_set = true;
		} else
			o->help = true;
	}
	if (o->help)
		return 0;
	if (!o->format)
		return error("export needs --format: one of %s", export_formats);
	if (!export_format_known(o->format))
		return error("unknown export format '%s' (expected one of %s)", o->format, export_formats);
	if (o->level_set && strcmp(o->format, "csv"))
		return error("--level chooses the rows of --format csv, not of %s", o->format);
	if (o->output && !*o->output)
		return error("invalid --output: empty file name");
	if (argc - optind != 1)
		return error("export needs one report: tribench export --format F REPORT.json");
	o->report = argv[optind];
	return 0;
}

/* The output is opened first (a bad -o fails before any work), committed last. */
int cmd_export(int argc, char **argv)
{
	struct export_options o;
	if (parse_export_args(argc, argv, &o) < 0)
		return EXIT_BAD_INPUT;
	if (o.help) {
		export_usage(stdout);
		return stdout_finish() < 0 ? EXIT_RUNTIME : EXIT_OK;
	}
	if (!export_format_known(o.format))
		return error("unknown export format '%s' (expected one of %s)", o.format, export_formats),
		       EXIT_BAD_INPUT;
	struct output out;
	if (output_open(&out, o.output ? o.output : "-", false) < 0)
		return EXIT_RUNTIME;
	struct report r;
	if (report_load(o.report, &r) < 0) {
		output_abort(&out);
		return EXIT_BAD_INPUT;
	}
	/* streamed: a -o file is replaced only when all of it was written */
	FILE *f = output_stream(&out);
	int rc = EXIT_OK;
	if (export_write(&r, o.format, o.level, f) < 0) {
		fclose(f);
		rc = EXIT_BAD_INPUT;
	} else if (output_finish(&out, f) < 0) {
		rc = out.signal ? EXIT_SIGNAL_BASE + out.signal : EXIT_RUNTIME;
	}
	report_free(&r);
	output_abort(&out);
	return rc;
}
