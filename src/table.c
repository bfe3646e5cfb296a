/* The human summary table, from the report model. */
#include "config.h"
#include "table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tasks/task.h"
#include "suite.h"
#include "textout.h"

#define NAME_COLUMNS 40
#define CELL 24

/* "median s xspeedup eff%", "-" for nulls; "!" when runs failed, and when
 * no run could be used "failed" if one failed, else "unused" (every run was
 * cut short or suspended); "-" for an entry the workload does not have (m
 * NULL). */
static void cell(FILE *f, const struct report_mode *m)
{
	char buf[64];
	if (!m) {
		fprintf(f, "  %-*s", CELL, "        -");
		return;
	}
	const struct report_summary *s = &m->summary;
	const char *mark = s->failed_runs || m->nruns > s->wall.n ? "!" : " ";
	if (!s->wall.n || isnan(s->wall.median))
		snprintf(buf, sizeof(buf), "%9s%s", !m->nruns ? "-" : s->failed_runs ? "failed" : "unused", mark);
	else if (isnan(s->speedup))
		snprintf(buf, sizeof(buf), "%8.3fs%s x-     -", s->wall.median, mark);
	else
		snprintf(buf, sizeof(buf), "%8.3fs%s x%-5.2f %3.0f%%", s->wall.median, mark, s->speedup,
			 100 * s->efficiency);
	fprintf(f, "  %-*s", CELL, buf);
}

/* Mean share of each task's wall spent running, ready and blocked, and the
 * switches per task, over the usable runs; a column without values is null. */
struct state_shares {
	double sum[5];
	int n[5];
};

static void shares(const struct report_mode *m, struct state_shares *s)
{
	memset(s, 0, sizeof(*s));
	for (int k = 0; k < m->nruns; k++) {
		if (!report_run_usable(&m->runs[k]))
			continue;
		const struct report_run_tally *y = &m->runs[k].tally;
		for (int c = 0; c < 5; c++) {
			s->sum[c] += y->share_sum[c];
			s->n[c] += y->share_n[c];
		}
	}
}

static void share_cell(FILE *f, const struct state_shares *s, int c, bool percent)
{
	if (!s->n[c])
		fprintf(f, " %*s", percent ? 7 : 9, "-");
	else if (percent)
		fprintf(f, " %6.0f%%", 100 * s->sum[c] / s->n[c]);
	else
		fprintf(f, " %9.1f", s->sum[c] / s->n[c]);
}

/* Is any task of the mode's runs a tree (states_source "cgroup")? */
static bool mode_has_trees(const struct report_mode *m)
{
	for (int k = 0; k < m->nruns; k++)
		if (m->runs[k].tally.has_trees)
			return true;
	return false;
}

static bool report_has_trees(const struct report *r)
{
	for (int i = 0; i < r->nworkloads; i++)
		for (int m = 0; m < r->workloads[i].nmodes; m++)
			if (mode_has_trees(&r->workloads[i].modes[m]))
				return true;
	return false;
}

/* Mean per tree task over the usable runs: the leaf's CPU seconds and its
 * cpu and io "some" stall seconds; "-" where the mode has no tree. */
static void tree_cells(FILE *f, const struct report_mode *m)
{
	double sum[3] = {0};
	int n[3] = {0};
	for (int k = 0; k < m->nruns; k++) {
		if (!report_run_usable(&m->runs[k]))
			continue;
		for (int c = 0; c < 3; c++) {
			sum[c] += m->runs[k].tally.tree_sum[c];
			n[c] += m->runs[k].tally.tree_n[c];
		}
	}
	for (int c = 0; c < 3; c++)
		if (n[c])
			fprintf(f, " %8.3fs", sum[c] / n[c]);
		else
			fprintf(f, " %9s", "-");
}

/* The measured runs the statistics really used, and how many ran. */
static void footer(FILE *f, const struct report *r, bool trees)
{
	int used_min = -1, used_max = 0, failed = 0;
	bool left_out = false;	/* a mode used fewer runs than it made */
	for (int i = 0; i < r->nworkloads; i++)
		for (int m = 0; m < r->workloads[i].nmodes; m++) {
			const struct report_mode *mode = &r->workloads[i].modes[m];
			int n = mode->summary.wall.n;
			used_min = used_min < 0 || n < used_min ? n : used_min;
			used_max = n > used_max ? n : used_max;
			left_out |= n < mode->nruns;
			failed += mode->summary.failed_runs;
		}
	if (used_min == used_max)
		fprintf(f, "\n%d measured run%s per mode used", used_max, used_max == 1 ? "" : "s");
	else
		fprintf(f, "\n%d to %d measured runs per mode used", used_min, used_max);
	if (r->max_time_s > 0)	/* --runs auto: each mode made its own count */
		fprintf(f, " (--runs auto: %g s each, at least %d)", r->max_time_s, r->runs);
	else
		fprintf(f, " (of %d configured)", r->runs);
	fputs(", medians; speedup vs serial; eff = speedup / slots.\n", f);
	fputs("States are shares of each task's wall time, switches per task; - where unknown.\n", f);
	if (trees)
		fputs("tree CPU, cpu some, io some: per task whose tree (several processes or threads) "
		      "was measured by its cgroup: CPU seconds and seconds of wall time with at least "
		      "one of its tasks stalled on CPU or IO (PSI).\n",
		      f);
	if (failed || left_out)
		fputs("! some runs failed, were cut short or suspended (Ctrl-Z): they are in the "
		      "report, not in these numbers.\n",
		      f);
	if (r->interrupted)
		fputs("interrupted: only the runs that completed are in these numbers.\n", f);
}

/* The widest entry label of r (report_entry_label), at least min columns. */
static int label_width(const struct report *r, int min)
{
	int width = min;
	for (int i = 0; i < r->nworkloads; i++)
		for (int m = 0; m < r->workloads[i].nmodes; m++) {
			char *label = report_entry_label(r, NULL, &r->workloads[i].modes[m]);
			int cols = utf8_columns(label);
			width = cols > width ? cols : width;
			free(label);
		}
	return width;
}

/* Workload index by its mean usable wall in one entry, for qsort. */
struct ranked {
	int workload;
	double mean, stddev;
};

static int by_mean(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;
	return (x->mean > y->mean) - (x->mean < y->mean);
}

/*
 * hyperfine's relative ranking, per entry with two or more workloads that
 * have usable runs: "fastest: A; B is 1.84 ± 0.05× slower", the ratio of mean
 * walls over each workload's usable runs and its standard deviation
 * propagated from both (sigma_r = r * sqrt((sa/ma)^2 + (sb/mb)^2)), left out
 * when a side has one run; then the workloads without a usable run. Each
 * entry of a sweep has its line, named by its label ("parallel/j2").
 */
static void ranking(FILE *f, const struct report *r, char *const *shown)
{
	const struct report_workload *first = &r->workloads[0];
	struct ranked *v = xcalloc((size_t)r->nworkloads, sizeof(*v));
	int width = label_width(r, 10);
	bool title = false;
	for (int m = 0; m < first->nmodes; m++) {
		int n = 0, in_mode = 0;
		for (int i = 0; i < r->nworkloads; i++) {
			const struct report_mode *rm = report_entry_find(&r->workloads[i], &first->modes[m]);
			in_mode += rm != NULL;
			if (rm && rm->summary.wall.n > 0 && rm->summary.wall.mean > 0)
				v[n++] = (struct ranked){i, rm->summary.wall.mean,
							 rm->summary.wall.n > 1 ? rm->summary.wall.stddev : NAN};
		}
		if (in_mode < 2)
			continue;
		qsort(v, (size_t)n, sizeof(*v), by_mean);
		if (!title)
			fputs("\nRanking by mean wall time of the usable runs:\n", f);
		title = true;
		char *label = report_entry_label(r, NULL, &first->modes[m]);
		fputs("  ", f);
		pad_columns(f, label, width);
		free(label);
		if (!n) {
			fputs("  no workload has a usable run\n", f);
			continue;
		}
		fprintf(f, "  fastest: %s", shown[v[0].workload]);
		for (int k = 1; k < n; k++) {
			double ratio = v[k].mean / v[0].mean;
			double sigma = ratio * sqrt(pow(v[k].stddev / v[k].mean, 2) + pow(v[0].stddev / v[0].mean, 2));
			if (isnan(sigma))	/* one run on a side: no spread to propagate */
				fprintf(f, "; %s is %.2f\u00d7 slower", shown[v[k].workload], ratio);
			else
				fprintf(f, "; %s is %.2f \u00b1 %.2f\u00d7 slower", shown[v[k].workload], ratio,
					sigma);
		}
		/* a workload without a usable run is named, not silently left out */
		for (int i = 0; i < r->nworkloads; i++) {
			const struct report_mode *rm = report_entry_find(&r->workloads[i], &first->modes[m]);
			if (rm && !(rm->summary.wall.n > 0 && rm->summary.wall.mean > 0))
				fprintf(f, "; %s has no usable run", shown[i]);
		}
		fputs("\n", f);
	}
	free(v);
}

/* Is m a parallel entry of executor? */
static bool parallel_of(const struct report_mode *m, const char *executor)
{
	return !strcmp(m->mode, "parallel") && !strcmp(m->executor, executor);
}

/* How many parallel entries of m's executor w has. */
static int sweep_sizes(const struct report_workload *w, const struct report_mode *m)
{
	int n = 0;
	for (int k = 0; k < w->nmodes; k++)
		n += parallel_of(&w->modes[k], m->executor);
	return n;
}

/*
 * The entries of the first workload that get a column, into cols (room for
 * its nmodes): all of them while the table is at most 80 columns wide or
 * has at most 3 columns (the three modes); past that a sweep's parallel
 * entries keep one column per executor, its largest size, and every size is
 * in the scaling lines. Returns how many.
 */
static int table_columns(const struct report_workload *first, int name_width, int *cols)
{
	int n = 0, entries = 0;
	for (int m = 0; m < first->nmodes; m++)
		entries += !strcmp(first->modes[m].executor, first->modes[0].executor);
	bool all = entries <= 3 || name_width + entries * (CELL + 2) <= 80;
	for (int m = 0; m < first->nmodes; m++) {
		const struct report_mode *e = &first->modes[m];
		if (strcmp(e->executor, first->modes[0].executor))
			continue;	/* a column is a (mode, jobs); the executor is a row */
		bool largest = true;
		for (int k = 0; !all && k < first->nmodes; k++)
			if (parallel_of(&first->modes[k], e->executor) && first->modes[k].jobs > e->jobs &&
			    !strcmp(e->mode, "parallel"))
				largest = false;
		if (all || largest)
			cols[n++] = m;
	}
	return n;
}

/* One size of a sweep: jobs, median wall (with the cell's "!", "failed",
 * "unused"), speedup, efficiency and Karp-Flatt; "-" for nulls. */
static void scaling_row(FILE *f, const struct report_mode *m)
{
	const struct report_summary *s = &m->summary;
	const char *mark = s->failed_runs || m->nruns > s->wall.n ? "!" : " ";
	fprintf(f, "    %6d  ", m->jobs);
	if (!s->wall.n || isnan(s->wall.median))
		fprintf(f, "%9s%s", !m->nruns ? "-" : s->failed_runs ? "failed" : "unused", mark);
	else
		fprintf(f, "%8.3fs%s", s->wall.median, mark);
	char num[32];
	snprintf(num, sizeof(num), "%.2f", s->speedup);
	if (isnan(s->speedup))
		fprintf(f, "  %8s", "-");
	else	/* "×" is one column, two bytes: padded by hand */
		fprintf(f, "  %*s\u00d7%s", strlen(num) < 7 ? (int)(7 - strlen(num)) : 0, "", num);
	if (isnan(s->efficiency))
		fprintf(f, "  %5s", "-");
	else
		fprintf(f, "  %4.0f%%", 100 * s->efficiency);
	if (isnan(s->serial_fraction))
		fprintf(f, "  %10s\n", "-");
	else
		fprintf(f, "  %10.3f\n", s->serial_fraction);
}

/*
 * The scaling lines of workload w: per executor with two or more parallel
 * entries (a --jobs sweep), a row per size in the entries' order, then the
 * workload's Amdahl fit for that executor (workloads[].amdahl), or why there
 * is none. Returns whether it printed anything.
 */
static bool scaling(FILE *f, const struct report_workload *w, const char *shown, bool title)
{
	bool printed = false;
	for (int k = 0; k < w->nmodes; k++) {
		const struct report_mode *m = &w->modes[k];
		bool seen = false;
		for (int e = 0; e < k && !seen; e++)
			seen = parallel_of(&w->modes[e], m->executor);
		if (strcmp(m->mode, "parallel") || seen || sweep_sizes(w, m) < 2)
			continue;	/* each executor once, at its first parallel entry */
		if (!title && !printed)
			fputs("\nScaling over the --jobs sizes (medians; speedup vs serial; eff = speedup / "
			      "jobs):\n", f);
		printed = true;
		fprintf(f, "  %s (parallel, ", shown);
		pad_columns(f, m->executor, 0);
		fputs(")\n      jobs     median    speedup    eff  Karp-Flatt\n", f);
		for (int e = k; e < w->nmodes; e++)
			if (parallel_of(&w->modes[e], m->executor))
				scaling_row(f, &w->modes[e]);
		const struct report_amdahl *a = NULL;
		for (int e = 0; e < w->namdahl && !a; e++)
			if (!strcmp(w->amdahl[e].executor, m->executor))
				a = &w->amdahl[e];
		if (!a) {
			bool serial = false;
			for (int e = 0; e < w->nmodes; e++)
				serial |= !strcmp(w->modes[e].mode, "serial");
			fputs(serial ? "    Amdahl serial fraction -: fewer than 2 sizes have a speedup\n"
				     : "    Amdahl serial fraction -: no serial entry to give speedups (add serial "
				       "to --modes)\n", f);
			continue;
		}
		char se[32] = "-";
		if (!isnan(a->serial_fraction_se))
			snprintf(se, sizeof(se), "%.3f", a->serial_fraction_se);
		fprintf(f, "    Amdahl serial fraction %.3f \u00b1 %s (jobs", a->serial_fraction, se);
		/* as --jobs takes them: three or more consecutive sizes as A..B */
		for (int e = 0, end; e < a->jobs.n; e = end + 1) {
			for (end = e; end + 1 < a->jobs.n && a->jobs.v[end + 1] == a->jobs.v[end] + 1; end++)
				;
			if (end - e < 2)
				end = e;
			fprintf(f, "%s%d", e ? "," : " ", a->jobs.v[e]);
			if (end > e)
				fprintf(f, "..%d", a->jobs.v[end]);
		}
		fputs(")\n", f);
	}
	return printed;
}

/* The executors of r's first workload, in entry order, into v (room for
 * its nmodes): a row each per workload. Returns how many. */
static int row_executors(const struct report_workload *first, const char **v)
{
	int n = 0;
	for (int m = 0; first && m < first->nmodes; m++) {
		bool seen = false;
		for (int k = 0; k < n && !seen; k++)
			seen = !strcmp(v[k], first->modes[m].executor);
		if (!seen)
			v[n++] = first->modes[m].executor;
	}
	return n;
}

/* Column entry c's label without its executor ("parallel/j2"), which the
 * executor column says. */
static char *column_label(const struct report *r, const struct report_mode *c)
{
	char *label = report_entry_label(r, NULL, c);
	size_t n = strlen(label), e = strlen(c->executor);
	if (n > e + 1 && label[n - e - 1] == '/' && !strcmp(label + n - e, c->executor))
		label[n - e - 1] = '\0';
	return label;
}

void table_print(FILE *f, const struct report *r)
{
	const char **names = xcalloc((size_t)r->nworkloads + 1, sizeof(char *));
	for (int i = 0; i < r->nworkloads; i++)
		names[i] = r->workloads[i].name;
	char **shown = fit_names(names, r->nworkloads, NAME_COLUMNS);
	int width = 8;
	for (int i = 0; i < r->nworkloads; i++)
		if (utf8_columns(shown[i]) > width)
			width = utf8_columns(shown[i]);
	const struct report_workload *first = r->nworkloads ? &r->workloads[0] : NULL;
	int *cols = xcalloc(first ? (size_t)first->nmodes + 1 : 1, sizeof(int));
	const char **execs = xcalloc(first ? (size_t)first->nmodes + 1 : 1, sizeof(char *));
	int nexecs = row_executors(first, execs);
	/* the executor column: when any task ran other than as a process */
	bool exec_col = nexecs > 1 || (nexecs == 1 && strcmp(execs[0], "process"));
	int ncols = first ? table_columns(first, width + (exec_col ? 11 : 0), cols) : 0;
	pad_columns(f, "workload", width);
	if (exec_col)
		fprintf(f, "  %-9s", "executor");
	for (int c = 0; c < ncols; c++) {
		char *label = column_label(r, &first->modes[cols[c]]);
		fputs("  ", f);
		pad_columns(f, label, CELL);
		free(label);
	}
	fputs("\n", f);
	pad_columns(f, "", width);
	if (exec_col)
		fprintf(f, "  %-9s", "");
	for (int c = 0; c < ncols; c++)
		fprintf(f, "  %-*s", CELL, "   median   speedup eff");
	fputs("\n", f);
	for (int i = 0; i < r->nworkloads; i++)
		for (int x = 0; x < nexecs; x++) {
			pad_columns(f, x ? "" : shown[i], width);
			if (exec_col)
				fprintf(f, "  %-9s", execs[x]);
			for (int c = 0; c < ncols; c++) {
				struct report_mode key = first->modes[cols[c]];
				key.executor = (char *)execs[x];
				cell(f, report_entry_find(&r->workloads[i], &key));
			}
			fputs("\n", f);
		}
	int entries = 0;	/* the first executor's: a column each, unless past 80 */
	for (int m = 0; first && m < first->nmodes; m++)
		entries += !strcmp(first->modes[m].executor, execs[0]);
	for (int c = 0; first && c < ncols; c++) {
		const struct report_mode *e = &first->modes[cols[c]];
		if (ncols < entries && !strcmp(e->mode, "parallel"))
			fprintf(f, "(parallel: jobs %d of the sweep; every size is in the scaling "
				   "lines below)\n", e->jobs);
	}
	fputs("\n", f);
	pad_columns(f, "workload", width);
	bool trees = report_has_trees(r);
	int lwidth = label_width(r, 10);
	fputs("  ", f);
	pad_columns(f, "mode", lwidth);
	fprintf(f, "  %7s %7s %7s  %9s %9s", "running", "ready", "blocked", "vol.sw", "invol.sw");
	if (trees)
		fprintf(f, "  %9s %9s %9s", "tree CPU", "cpu some", "io some");
	fputs("\n", f);
	for (int i = 0; i < r->nworkloads; i++)
		for (int m = 0; m < r->workloads[i].nmodes; m++) {
			struct state_shares s;
			shares(&r->workloads[i].modes[m], &s);
			pad_columns(f, m ? "" : shown[i], width);
			char *label = report_entry_label(r, NULL, &r->workloads[i].modes[m]);
			fputs("  ", f);
			pad_columns(f, label, lwidth);
			free(label);
			fputs(" ", f);
			for (int c = 0; c < 3; c++)
				share_cell(f, &s, c, true);
			fputs(" ", f);
			for (int c = 3; c < 5; c++)
				share_cell(f, &s, c, false);
			if (trees) {
				fputs(" ", f);
				tree_cells(f, &r->workloads[i].modes[m]);
			}
			fputs("\n", f);
		}
	footer(f, r, trees);
	bool curves = false;
	for (int i = 0; i < r->nworkloads; i++)
		curves |= scaling(f, &r->workloads[i], shown[i], curves);
	if (curves)
		fputs("Karp-Flatt: (1/speedup - 1/jobs) / (1 - 1/jobs) per size. Amdahl: f of "
		      "1/speedup =\nf + (1 - f)/jobs, least squares over the sizes with a speedup, "
		      "\u00b1 its standard error.\n", f);
	if (first)
		ranking(f, r, shown);
	free(cols);
	free(execs);
	fit_names_free(shown, r->nworkloads);
	free(names);
}

void table_list_kinds(FILE *f)
{
	for (int k = 0; k < task_kind_count; k++) {
		const struct task_kind *kind = task_kinds[k];
		fprintf(f, "%s\n    %s\n", kind->name, kind->summary);
		for (int i = 0; i < kind->nparams; i++) {
			const struct task_param *p = &kind->params[i];
			if (p->derived)
				continue;
			if (p->type == PARAM_U64)
				fprintf(f, "    %-8s %llu..%llu  %s\n", p->name, (unsigned long long)p->min,
					(unsigned long long)p->max, p->help);
			else
				fprintf(f, "    %-8s %-12s  %s\n", p->name, p->metavar ? p->metavar : "TEXT", p->help);
		}
		fprintf(f, "    %-8s 1..%d  copies of this task (every kind)\n", "count", SUITE_MAX_COUNT);
	}
}
