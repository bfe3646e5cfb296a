/* `tribench compare OLD NEW`: options, the two reports, and the verdict as a
 * table, a Markdown table for a pull-request comment, or JSON. */
#include "config.h"
#include "commands.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "command_table.h"
#include "compare.h"
#include "json/report_json.h"
#include "textout.h"
#include "util.h"

enum compare_format { FORMAT_TABLE, FORMAT_MARKDOWN, FORMAT_JSON };

struct compare_options {
	double threshold_pct, alpha;
	enum compare_format format;
	bool help;
	const char *old_path, *new_path;
};

const char *const compare_formats = "table, markdown, json";
const char *const compare_shortopts = ":h";

enum { OPT_THRESHOLD = 'T', OPT_ALPHA = 'A', OPT_FORMAT = 'F' };

const struct option compare_long_options[] = {
	{"threshold", required_argument, NULL, OPT_THRESHOLD},
	{"alpha", required_argument, NULL, OPT_ALPHA},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"help", no_argument, NULL, 'h'},
	{0},
};

void compare_usage(FILE *f)
{
	fputs("Usage: tribench compare OLD.json NEW.json [OPTIONS]\n"
	      "\n"
	      "Compare two reports: for each workload and mode entry in both, the median wall\n"
	      "time of the runs, its change, the speedup from OLD to NEW, and a two-sided\n"
	      "Mann-Whitney U test on the run walls (exact when a side has at most 8 runs and\n"
	      "no two walls are equal, else the normal approximation with tie and continuity\n"
	      "correction, as scipy.stats.mannwhitneyu does).\n"
	      "\n"
	      "An entry is a mode run with one --jobs size by one executor; entries pair on\n"
	      "all three and are named workload/mode[/jN][/executor], /jN when a report\n"
	      "holds that mode with other sizes (a --jobs 1,2,4 sweep: parallel/j1 ...), the\n"
	      "executor when it holds that mode with other executors. A report from before\n"
	      "--jobs sweeps reads as one entry per mode, jobs = its slots, executor process.\n"
	      "\n"
	      "      --threshold PCT   a pair regressed when NEW is slower by more than PCT\n"
	      "                        percent (default 5) ...\n"
	      "      --alpha A         ... and the test gives p < A (default 0.05)\n"
	      "      --format F        table (default), markdown (for a pull-request comment)\n"
	      "                        or json\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "Warnings (stderr) say when the reports ran different work: other task\n"
	      "parameters (cpu ops=), another host, other modes, --jobs (sizes swept) or\n"
	      "--policy; which entries only one report holds, by name;\n"
	      "and how many runs of a side were left out (failed, partial, or suspended by\n"
	      "a Ctrl-Z): only the others are compared.\n"
	      "\n"
	      "Exit status: 0 no regression, 1 a regression, 2 bad input (a report unreadable\n"
	      "or of another schema version, no workload and mode in common, or too few runs\n"
	      "for p < A ever), 3 runtime error.\n",
	      f);
}

/* Validated here, so compare_reports never sees a threshold or alpha it cannot use. */
static int parse_compare_option(struct compare_options *o, int c, const char *arg)
{
	switch (c) {
	case OPT_THRESHOLD:
		if (parse_double(arg, &o->threshold_pct) < 0 || o->threshold_pct < 0)
			return error("invalid --threshold '%s': expected a percentage, 0 or more", arg);
		return 0;
	case OPT_ALPHA:
		if (parse_double(arg, &o->alpha) < 0 || !(o->alpha > 0 && o->alpha <= 1))
			return error("invalid --alpha '%s': expected a number above 0, at most 1", arg);
		return 0;
	case OPT_FORMAT:
		if (!strcmp(arg, "table"))
			o->format = FORMAT_TABLE;
		else if (!strcmp(arg, "markdown"))
			o->format = FORMAT_MARKDOWN;
		else if (!strcmp(arg, "json"))
			o->format = FORMAT_JSON;
		else
			return error("invalid --format '%s': expected %s", arg, compare_formats);
		return 0;
	case 'h':
		o->help = true;
		return 0;
	}
	return -1;
}

/* GNU-style: options may follow the two reports. */
static int parse_compare_args(int argc, char **argv, struct compare_options *o)
{
	*o = (struct compare_options){.threshold_pct = 5, .alpha = 0.05, .format = FORMAT_TABLE};
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, compare_shortopts, compare_long_options, NULL)) != -1) {
		if (c == '?' || c == ':')
			return option_error(c, argv, compare_long_options, "compare");
		if (parse_compare_option(o, c, optarg) < 0)
			return -1;
	}
	if (o->help)
		return 0;
	if (argc - optind != 2)
		return error("compare needs two reports: tribench compare OLD.json NEW.json (see tribench compare --help)");
	o->old_path = argv[optind];
	o->new_path = argv[optind + 1];
	return 0;
}

/* printf(fmt, v) into buf, or "-" where v is null (not tested, no usable run). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"	/* fmt: a literal at every call */
static const char *num(char *buf, size_t size, const char *fmt, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, fmt, v);
	return buf;
}
#pragma GCC diagnostic pop

/* "old/new" failed tasks, the reason a pair can regress without a time. */
static const char *failures(char *buf, size_t size, const struct compare_pair *p)
{
	snprintf(buf, size, "%d/%d", p->old.failed_tasks, p->new.failed_tasks);
	return buf;
}

/* For a terminal: aligned columns, the regressions named on the last line. */
static void print_table(FILE *f, const struct comparison *c)
{
	int w = (int)strlen("workload"), mw = 10;
	for (int i = 0; i < c->npairs; i++) {
		int len = (int)strlen(c->pairs[i].workload);
		if (len > w)
			w = len < 32 ? len : 32;
		len = (int)strlen(c->pairs[i].mode);	/* the entry's label: "parallel/j16" */
		if (len > mw)
			mw = len < 40 ? len : 40;
	}
	fprintf(f, "%-*s  %-*s  %10s  %10s  %8s  %7s  %7s  %9s  %s\n", w, "workload", mw, "mode",
		"old median", "new median", "change", "speedup", "p", "failed", "verdict");
	for (int i = 0; i < c->npairs; i++) {
		const struct compare_pair *p = &c->pairs[i];
		char a[32], b[32], ch[32], sp[32], pv[32], fl[32];
		fprintf(f, "%-*.*s  %-*s  %10s  %10s  %8s  %7s  %7s  %9s  %s%s\n", w, w, p->workload,
			mw, p->mode, num(a, sizeof(a), "%.4fs", p->old.median_s),
			num(b, sizeof(b), "%.4fs", p->new.median_s),
			num(ch, sizeof(ch), "%+.1f%%", p->change_pct), num(sp, sizeof(sp), "%.2fx", p->speedup),
			num(pv, sizeof(pv), "%.2g", p->test.p), failures(fl, sizeof(fl), p),
			p->verdict == VERDICT_REGRESSION ? "REGRESSION" : verdict_name(p->verdict),
			p->new_failures ? " (new failures)" : "");
	}
	fprintf(f, "\nMann-Whitney U, two-sided, over the usable runs; a regression is slower by more "
		   "than %g%% with p < %g,\nor tasks failing in NEW where none failed in OLD (failed: "
		   "old/new failed tasks).\n",
		c->threshold_pct, c->alpha);
	if (!c->nregressions) {
		fputs("No regression.\n", f);
		return;
	}
	fprintf(f, "%d regression%s:", c->nregressions, c->nregressions > 1 ? "s" : "");
	for (int i = 0; i < c->npairs; i++)
		if (c->pairs[i].verdict == VERDICT_REGRESSION)
			fprintf(f, " %s/%s", c->pairs[i].workload, c->pairs[i].mode);
	fputs("\n", f);
}

/* For a pull-request comment: a GitHub table, the verdict in bold below it,
 * and the warnings as quotes, since a comment has no stderr. */
static void print_markdown(FILE *f, const struct comparison *c)
{
	fputs("| workload | mode | old median | new median | change | speedup | p-value | failed tasks "
	      "(old/new) | verdict |\n"
	      "|:--|:--|--:|--:|--:|--:|--:|--:|:--|\n",
	      f);
	for (int i = 0; i < c->npairs; i++) {
		const struct compare_pair *p = &c->pairs[i];
		fputs("| ", f);
		md_escaped(f, p->workload);
		fputs(" | ", f);
		md_escaped(f, p->mode);
		char a[32], b[32], ch[32], sp[32], pv[32], fl[32];
		fprintf(f, " | %s | %s | %s | %s | %s | %s | %s%s%s%s |\n",
			num(a, sizeof(a), "%.4f s", p->old.median_s),
			num(b, sizeof(b), "%.4f s", p->new.median_s),
			num(ch, sizeof(ch), "%+.1f%%", p->change_pct), num(sp, sizeof(sp), "%.2f×", p->speedup),
			num(pv, sizeof(pv), "%.2g", p->test.p), failures(fl, sizeof(fl), p),
			p->verdict == VERDICT_REGRESSION ? "**" : "", verdict_name(p->verdict),
			p->verdict == VERDICT_REGRESSION ? "**" : "", p->new_failures ? " (new failures)" : "");
	}
	fputs("\n", f);
	if (!c->nregressions)
		fputs("**No regression**", f);
	else {
		fprintf(f, "**%d regression%s**:", c->nregressions, c->nregressions > 1 ? "s" : "");
		const char *sep = " ";
		for (int i = 0; i < c->npairs; i++)
			if (c->pairs[i].verdict == VERDICT_REGRESSION) {
				fputs(sep, f);
				md_escaped(f, c->pairs[i].workload);
				fputs("/", f);
				md_escaped(f, c->pairs[i].mode);
				sep = ", ";
			}
	}
	fprintf(f, " (slower by more than %g%% with p < %g, two-sided Mann–Whitney U test on the wall "
		   "times of the usable runs; or tasks failing in NEW where none failed in OLD).\n",
		c->threshold_pct, c->alpha);
	for (int i = 0; i < c->nwarnings; i++) {
		fputs("\n> Warning: ", f);
		md_escaped(f, c->warnings[i]);
		fputs("\n", f);
	}
}

/* Load both, compare, print: exit 1 on a regression, 2 when unusable. */
static int run_compare(const struct compare_options *o)
{
	struct report old, new;
	if (report_load(o->old_path, &old) < 0)
		return EXIT_BAD_INPUT;
	if (report_load(o->new_path, &new) < 0) {
		report_free(&old);
		return EXIT_BAD_INPUT;
	}
	struct comparison c;
	int rc = EXIT_BAD_INPUT;
	if (compare_reports(&old, &new, o->threshold_pct, o->alpha, &c) < 0)
		goto out;
	for (int i = 0; i < c.nwarnings; i++)
		warning("%s", c.warnings[i]);
	if (o->format == FORMAT_JSON) {
		char *text = compare_json(&c);
		fputs(text, stdout);
		free(text);
	} else if (o->format == FORMAT_MARKDOWN)
		print_markdown(stdout, &c);
	else
		print_table(stdout, &c);
	rc = c.nregressions ? EXIT_TASK_FAILED : EXIT_OK;
	if (stdout_finish() < 0)
		rc = EXIT_RUNTIME;
	compare_free(&c);
out:
	report_free(&old);
	report_free(&new);
	return rc;
}

int cmd_compare(int argc, char **argv)
{
	struct compare_options o;
	if (parse_compare_args(argc, argv, &o) < 0)
		return EXIT_BAD_INPUT;
	if (o.help) {
		compare_usage(stdout);
		return stdout_finish() < 0 ? EXIT_RUNTIME : EXIT_OK;
	}
	return run_compare(&o);
}
