/* The JSON exports of the summary: github-action-benchmark, Bencher Metric
 * Format and hyperfine's --export-json. The trace is in export_trace.c. */
#include "config.h"
#include "json/report_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/fields.h"
#include "json/jsonutil.h"
#include "stats.h"

static bool has_runs(const struct report_mode *m)
{
	return m->summary.wall.n > 0 && !isnan(m->summary.wall.median);
}

/* "workload/mode[/jN][/executor]": an entry's benchmark name, unique in the
 * report (report_entry_label). Caller frees. */
static char *entry_name(const struct report *r, const struct report_workload *w,
			const struct report_mode *m)
{
	char *label = report_entry_label(r, NULL, m);
	char *name = xasprintf("%s/%s", w->name, label);
	free(label);
	return name;
}

/* v to 4 significant digits, as a double that prints as they read (NAN
 * stays NAN): the figures a dashboard shows and alerts quote, rather than
 * 0.9512717360000806. The clocks' precision is not lost for that: run-to-run
 * noise is far above 1e-4 of a run. */
static double sig4(double v)
{
	char buf[32];
	if (!isfinite(v))
		return v;
	snprintf(buf, sizeof(buf), "%.4g", v);
	return strtod(buf, NULL);
}

/*
 * customSmallerIsBetter: [{name, unit, value, range, extra}], the fields
 * github-action-benchmark documents; range and extra are strings its chart's
 * tooltip and its alert comments show. Per entry with a usable run: value =
 * the median wall of the usable runs in seconds, range = "± MAD (MAD)" (the
 * median absolute deviation of those walls from their median, unscaled, in
 * seconds), extra = the run count, speedup and efficiency; every number to
 * 4 significant digits. Per entry always: "<name> failed tasks", the failed
 * tasks over all measured runs (unit "tasks", an integer). Caller frees.
 */
char *export_gab(const struct report *r)
{
	cJSON *a = jnew_array();
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			const struct report_summary *s = &m->summary;
			char *name = entry_name(r, w, m);
			if (has_runs(m)) {
				cJSON *o = jadd(a, NULL, jnew_object());
				char *range = xasprintf("± %.4g (MAD)", isnan(s->wall.mad) ? 0 : s->wall.mad);
				char *scaling = isnan(s->speedup) ? xstrdup("")
								  : xasprintf("\nspeedup vs serial: %.4g\nefficiency: %.4g%%",
									      sig4(s->speedup), sig4(100 * s->efficiency));
				char *extra = xasprintf("median of %d usable run%s, ± their median absolute deviation%s",
							s->wall.n, s->wall.n == 1 ? "" : "s", scaling);
				free(scaling);
				jadd(o, "name", jstr(name));
				jadd(o, "unit", jstr("s"));
				jadd(o, "value", jnum(sig4(s->wall.median)));
				jadd(o, "range", jstr(range));
				jadd(o, "extra", jstr(extra));
				free(range);
				free(extra);
			}
			/* failures are a figure of their own: smaller is better too */
			cJSON *o = jadd(a, NULL, jnew_object());
			char *fname = xasprintf("%s failed tasks", name);
			char *extra = xasprintf("%d of %d measured runs failed", s->failed_runs, m->nruns);
			jadd(o, "name", jstr(fname));
			jadd(o, "unit", jstr("tasks"));
			jadd(o, "value", jint(s->failed_tasks));
			jadd(o, "extra", jstr(extra));
			free(fname);
			free(extra);
			free(name);
		}
	}
	return jprint(a);
}

/* A BMF metric: value with the bounds lower and upper when they are known. */
static void bmf_metric(cJSON *bench, const char *measure, double value, double lower, double upper)
{
	cJSON *o = jadd(bench, measure, jnew_object());
	jadd(o, "value", jnum(value));
	if (!isnan(lower) && !isnan(upper)) {
		jadd(o, "lower_value", jnum(lower));
		jadd(o, "upper_value", jnum(upper));
	}
}

/* A measure over the usable runs: median, min and max of v[0..n-1] times
 * scale, rounded to whole units (ns, KiB: below any clock's or counter's
 * resolution that matters). Nothing when n is 0. */
static void bmf_runs(cJSON *bench, const char *measure, double *v, int n, double scale)
{
	if (n <= 0)
		return;
	struct summary_stats st;
	stats_summarise(v, n, &st);
	bmf_metric(bench, measure, round(st.median * scale), round(st.min * scale), round(st.max * scale));
}

static int max_rss_of(const struct report_task *t, void *ctx)
{
	double *max = ctx;
	if (!isnan(t->max_rss_kb) && (isnan(*max) || t->max_rss_kb > *max))
		*max = t->max_rss_kb;
	return 0;
}

/*
 * An entry's measures from its usable runs (cpu-time-ns and max-rss-kib),
 * its summary (latency, speedup, efficiency) and all its measured runs
 * (failures); a measure whose value is null (no usable run, no serial entry,
 * no task records) is left out, as BMF values are numbers. -1 when a run's
 * task records could not be read back (one line printed).
 */
static int bmf_entry(cJSON *bench, const struct report_mode *m)
{
	const struct summary_stats *st = &m->summary.wall;
	if (has_runs(m))
		bmf_metric(bench, "latency", round(st->median * 1e9), round(st->min * 1e9), round(st->max * 1e9));
	double *cpu = xcalloc((size_t)m->nruns + 1, sizeof(double));
	double *rss = xcalloc((size_t)m->nruns + 1, sizeof(double));
	int ncpu = 0, nrss = 0, rc = 0;
	for (int k = 0; k < m->nruns && rc == 0; k++) {
		const struct report_run *run = &m->runs[k];
		if (!report_run_usable(run))
			continue;
		if (!isnan(run->user_s) && !isnan(run->sys_s))
			cpu[ncpu++] = run->user_s + run->sys_s;
		double max = NAN;
		rc = report_run_foreach_task(run, max_rss_of, &max);
		if (!isnan(max))
			rss[nrss++] = max;
	}
	/* every usable run or none: a median over some runs would mislead */
	bmf_runs(bench, "cpu-time-ns", cpu, ncpu == st->n ? ncpu : 0, 1e9);
	bmf_runs(bench, "max-rss-kib", rss, nrss == st->n ? nrss : 0, 1);
	free(cpu);
	free(rss);
	if (!isnan(m->summary.speedup))
		bmf_metric(bench, "speedup", m->summary.speedup, NAN, NAN);
	if (!isnan(m->summary.efficiency))
		bmf_metric(bench, "efficiency", m->summary.efficiency, NAN, NAN);
	bmf_metric(bench, "failures", m->summary.failed_tasks, NAN, NAN);
	return rc < 0 ? -1 : 0;
}

/*
 * {benchmark: {measure: {value, lower_value, upper_value}}}, Bencher Metric
 * Format; a benchmark per mode entry, named as in gab. Measures (Bencher
 * makes the ones it does not have on the fly; the unit is in the name where
 * Bencher has none built in):
 *   latency      ns, built in: median wall of the usable runs, bounds min/max
 *   cpu-time-ns  ns: median of the usable runs' user+sys CPU time (the tasks'
 *                rusage summed per run), bounds min/max
 *   max-rss-kib  KiB: median over the usable runs of the largest max_rss_kb of
 *                a task (ru_maxrss), bounds min/max; needs --detail task
 *   speedup      x: summary.speedup, the serial median over this one's
 *   efficiency   fraction (1 = every slot used): speedup / slots
 *   failures     tasks: failed tasks over all measured runs
 * Caller frees; NULL when task records could not be read (one line printed).
 */
char *export_bmf(const struct report *r)
{
	cJSON *root = jnew_object();
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++) {
			char *name = entry_name(r, w, &w->modes[j]);
			cJSON *bench = jadd(root, name, jnew_object());
			free(name);
			if (bmf_entry(bench, &w->modes[j]) < 0) {
				cJSON_Delete(root);
				return NULL;
			}
		}
	}
	return jprint(root);
}

/*
 * hyperfine's --export-json (1.15: tests/data/hyperfine/hyperfine-1.15.json): {"results":
 * [...]}, a result per mode entry with a usable run, in report order:
 *   command      the entry's name, as gab and bmf name it
 *   mean, stddev, median, min, max
 *                over the usable runs' walls (s), as hyperfine computes them:
 *                stddev the sample one (n - 1), null for one run; median the
 *                middle one, or the mean of the middle two
 *   user, system the mean over those runs of the tasks' summed user and
 *                system CPU time (rusage), s, as hyperfine's are of its
 *                command's children
 *   times        the usable runs' walls, in run order
 *   exit_codes   0 per usable run: a usable run has no failed task
 *   parameters   the workload's -L/-P values (strings), when it has any
 * An entry without a usable run is left out: hyperfine never writes a result
 * without times, and its scripts take percentiles of them. 1.15 writes no
 * memory_usage_byte, so neither does this. Caller frees.
 */
char *export_hyperfine(const struct report *r)
{
	cJSON *root = jnew_object();
	cJSON *results = jadd(root, "results", jnew_array());
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			double *walls = xcalloc((size_t)m->nruns + 1, sizeof(double));
			int n = report_usable_walls(m, walls);
			if (n == 0) {
				free(walls);
				continue;
			}
			struct summary_stats st;
			stats_summarise(walls, n, &st);
			double user = 0, sys = 0;
			for (int k = 0; k < m->nruns; k++)
				if (report_run_usable(&m->runs[k])) {
					user += m->runs[k].user_s;
					sys += m->runs[k].sys_s;
				}
			cJSON *o = jadd(results, NULL, jnew_object());
			char *name = entry_name(r, w, m);
			jadd(o, "command", jstr(name));
			free(name);
			jadd(o, "mean", jfloat(st.mean));
			jadd(o, "stddev", n > 1 ? jfloat(st.stddev) : jnull());
			jadd(o, "median", jfloat(st.median));
			jadd(o, "user", jfloat(user / n));
			jadd(o, "system", jfloat(sys / n));
			jadd(o, "min", jfloat(st.min));
			jadd(o, "max", jfloat(st.max));
			cJSON *times = jadd(o, "times", jnew_array());
			cJSON *codes = jadd(o, "exit_codes", jnew_array());
			for (int k = 0; k < n; k++) {
				jadd(times, NULL, jfloat(walls[k]));
				jadd(codes, NULL, jint(0));
			}
			free(walls);
			if (w->parameters && strcmp(w->parameters, "{}"))
				jadd(o, "parameters", json_parse_own(w->parameters));
		}
	}
	if (!cJSON_GetArraySize(results))
		warning("no mode entry of %s has a usable run (every run failed or was cut short): "
			"hyperfine's results are empty", r->source ? r->source : "the report");
	return jprint(root);
}
