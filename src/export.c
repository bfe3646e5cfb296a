/* `tribench export --format F REPORT`: a report in the formats CI dashboards,
 * trace viewers and data frames read. CSV and Markdown are written here, the
 * JSON formats in src/json/export_json.c. */
#include "config.h"
#include "commands.h"
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

const char *const export_formats = "csv, markdown, gab, bmf, trace";

static const char *const format_names[] = {"csv", "markdown", "gab", "bmf", "trace"};

bool export_format_known(const char *format)
{
	for (size_t i = 0; i < ARRAY_SIZE(format_names); i++)
		if (!strcmp(format, format_names[i]))
			return true;
	return false;
}

static void csv_number(FILE *f, double v)
{
	char buf[40];
	number_text(buf, sizeof(buf), v);
	fputs(buf, f);
}

/* Tidy data: one row per task per run per mode per workload, one column per
 * measurement, empty where the report has null (pandas reads NaN). */
static void write_csv(FILE *f, const struct report *r)
{
	fputs("workload,mode,run,task_id,kind,pid,slot,cpuset,cpus_seen,start_s,end_s,wall_s,"
	      "user_s,sys_s,running_s,ready_s,blocked_s,voluntary_switches,involuntary_switches,"
	      "max_rss_kb,exit_status,exitcode,timed_out\n",
	      f);
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++)
			for (int k = 0; k < w->modes[j].nruns; k++) {
				const struct report_run *run = &w->modes[j].runs[k];
				for (int n = 0; n < run->ntasks; n++) {
					const struct report_task *t = &run->tasks[n];
					const struct report_task_spec *spec = report_task_spec_find(w, t->id);
					char seen[4096];
					cpulist_format(t->cpus_seen.v, t->cpus_seen.n, seen, sizeof(seen));
					csv_field(f, w->name);
					fputc(',', f);
					csv_field(f, w->modes[j].mode);
					fprintf(f, ",%d,%d,", k, t->id);
					csv_field(f, spec ? spec->kind : "");
					fputc(',', f);
					csv_number(f, t->pid);
					fprintf(f, ",%d,", t->slot);
					csv_field(f, t->cpuset);
					fputc(',', f);
					csv_field(f, seen);
					const double v[] = {t->start_s, t->end_s, t->wall_s, t->user_s,
							    t->sys_s, t->running_s, t->ready_s, t->blocked_s,
							    t->voluntary_switches, t->involuntary_switches,
							    t->max_rss_kb};
					for (size_t x = 0; x < ARRAY_SIZE(v); x++) {
						fputc(',', f);
						csv_number(f, v[x]);
					}
					fputc(',', f);
					csv_field(f, t->exit_status);
					fputc(',', f);
					csv_number(f, t->exitcode);
					fprintf(f, ",%s\n", t->timed_out ? "true" : "false");
				}
			}
	}
}

/* "median s ×speedup (efficiency)", or a dash where the mode has no run. */
static void markdown_cell(FILE *f, const struct report_mode *m)
{
	if (!m || !(m->wall.n > 0) || isnan(m->wall.median)) {
		fputs(" – |", f);
		return;
	}
	fprintf(f, " %.3f s", m->wall.median);
	if (!isnan(m->speedup))
		fprintf(f, " ×%.2f", m->speedup);
	if (!isnan(m->efficiency))
		fprintf(f, " (%.0f%%)", 100 * m->efficiency);
	fputs(" |", f);
}

/* The summary as a table: rows = workloads, columns = the configured modes. */
static void write_markdown(FILE *f, const struct report *r)
{
	char *modes = xstrdup(r->modes), *save = NULL;
	const char *cols[16];
	int ncols = 0;
	for (char *m = strtok_r(modes, ",", &save); m && ncols < (int)ARRAY_SIZE(cols);
	     m = strtok_r(NULL, ",", &save))
		cols[ncols++] = m;
	fputs("| workload |", f);
	for (int c = 0; c < ncols; c++) {
		fputc(' ', f);
		md_escaped(f, cols[c]);
		fputs(" |", f);
	}
	fputs("\n|:--|", f);
	for (int c = 0; c < ncols; c++)
		fputs("--:|", f);
	fputc('\n', f);
	for (int i = 0; i < r->nworkloads; i++) {
		fputs("| ", f);
		md_escaped(f, r->workloads[i].name);
		fputs(" |", f);
		for (int c = 0; c < ncols; c++)
			markdown_cell(f, report_mode_find(&r->workloads[i], cols[c]));
		fputc('\n', f);
	}
	fprintf(f, "\nMedian wall time of %d run%s per mode; ×speedup against serial "
		   "(efficiency = speedup / slots).\n",
		r->runs, r->runs == 1 ? "" : "s");
	free(modes);
}

/* The shared entry: cmd_export with a file name for messages, `run --format`
 * without one. */
static int export_text(const char *text, const char *source, const char *format, FILE *out)
{
	if (!export_format_known(format))
		return error("unknown export format '%s' (expected one of %s)", format, export_formats);
	struct report r;
	if (report_parse(text, source, &r) < 0)
		return -1;
	char *json = NULL;
	if (!strcmp(format, "csv"))
		write_csv(out, &r);
	else if (!strcmp(format, "markdown"))
		write_markdown(out, &r);
	else if (!strcmp(format, "gab"))
		json = export_gab(&r);
	else if (!strcmp(format, "bmf"))
		json = export_bmf(&r);
	else
		json = export_trace(&r);
	if (json)
		fputs(json, out);
	free(json);
	report_free(&r);
	if (ferror(out) && errno != EPIPE)
		return error("cannot write the %s export: %s", format, strerror(errno));
	return 0;
}

int export_report_text(const char *report_text, const char *format, FILE *out)
{
	return export_text(report_text, NULL, format, out);
}

static void export_usage(FILE *f)
{
	fprintf(f,
		"Usage: tribench export --format F [-o FILE] REPORT.json\n"
		"\n"
		"Write a report (- = stdin) in another format, to stdout or FILE:\n"
		"  csv       one row per task per run per mode per workload, with a header\n"
		"  markdown  the summary table: workloads x modes, median wall, speedup, efficiency\n"
		"  gab       github-action-benchmark 'customSmallerIsBetter' JSON: per workload/mode\n"
		"            the median wall in seconds, range = its MAD\n"
		"  bmf       Bencher Metric Format JSON: measure 'latency' in nanoseconds, the\n"
		"            median wall with the fastest and slowest run as bounds\n"
		"  trace     Chrome Trace Event Format JSON for Perfetto or chrome://tracing: a\n"
		"            process per workload/mode/run, a track per task, CPU busy counters\n"
		"\n"
		"  -F, --format F     one of %s (required)\n"
		"  -o, --output FILE  write FILE (atomically) instead of stdout\n"
		"  -h, --help         this help\n"
		"\n"
		"Exit status: 0 success, 2 bad input (unknown format, unreadable or invalid\n"
		"report), 3 runtime error (cannot write the output).\n",
		export_formats);
}

struct export_options {
	const char *format, *output, *report;
	bool help;
};

static const struct option export_long_options[] = {
	{"format", required_argument, NULL, 'F'},
	{"output", required_argument, NULL, 'o'},
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
	while ((c = getopt_long(argc, argv, ":F:o:h", export_long_options, NULL)) != -1) {
		if (c == '?') {
			if (optopt)
				return error("unknown option '-%c' for 'tribench export' (see --help)", optopt);
			return error("unknown option '%s' for 'tribench export' (see --help)",
				     argv[optind - 1]);
		}
		if (c == ':')
			return error("option '%s' needs a value", argv[optind - 1]);
		if (c == 'F')
			o->format = optarg;
		else if (c == 'o')
			o->output = optarg;
		else
			o->help = true;
	}
	if (o->help)
		return 0;
	if (!o->format)
		return error("export needs --format: one of %s", export_formats);
	if (!export_format_known(o->format))
		return error("unknown export format '%s' (expected one of %s)", o->format, export_formats);
	if (o->output && !*o->output)
		return error("invalid --output: empty file name");
	if (argc - optind != 1)
		return error("export needs one report: tribench export --format F REPORT.json");
	o->report = argv[optind];
	return 0;
}

/* Export into memory first: nothing reaches the output unless all of it can. */
static int export_to_buffer(const struct export_options *o, char **buf)
{
	char *text = report_read_file(o->report);
	if (!text)
		return -1;
	size_t len;
	FILE *mem = open_memstream(buf, &len);
	if (!mem)
		die("out of memory");
	int rc = export_text(text, o->report, o->format, mem);
	if (fclose(mem) != 0)
		die("out of memory");
	free(text);
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
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
	struct output out;
	if (output_open(&out, o.output ? o.output : "-", false) < 0)
		return EXIT_RUNTIME;
	char *buf;
	if (export_to_buffer(&o, &buf) < 0) {
		output_abort(&out);
		return EXIT_BAD_INPUT;
	}
	int rc = output_commit(&out, buf) < 0 ? EXIT_RUNTIME : EXIT_OK;
	output_abort(&out);
	free(buf);
	return rc;
}
