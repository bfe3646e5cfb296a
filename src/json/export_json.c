/* The JSON exports: github-action-benchmark, Bencher Metric Format, and the
 * Chrome Trace Event Format that Perfetto and chrome://tracing load. */
#include "config.h"
#include "json/report_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "json/jsonutil.h"

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

/* customSmallerIsBetter: [{name, unit, value, range, extra}], documented by
 * github-action-benchmark; range and extra are strings shown in the chart's
 * tooltip. Value is the median wall in seconds, range its MAD. */
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
				char *range = xasprintf("± %.3g", isnan(s->wall.mad) ? 0 : s->wall.mad);
				char *extra = isnan(s->speedup)
						      ? xasprintf("median of %d runs", s->wall.n)
						      : xasprintf("median of %d runs\nspeedup vs serial: %.2f\n"
								  "efficiency: %.0f%%",
								  s->wall.n, s->speedup, 100 * s->efficiency);
				jadd(o, "name", jstr(name));
				jadd(o, "unit", jstr("s"));
				jadd(o, "value", jnum(s->wall.median));
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

/* {benchmark: {measure: {value, lower_value, upper_value}}}: Bencher's built-in
 * latency measure is in nanoseconds, so the median wall goes out in ns with
 * the fastest and slowest run as its bounds. */
char *export_bmf(const struct report *r)
{
	cJSON *root = jnew_object();
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			const struct summary_stats *st = &m->summary.wall;
			char *name = entry_name(r, w, m);
			cJSON *bench = jadd(root, name, jnew_object());
			free(name);
			if (has_runs(m)) {
				cJSON *latency = jadd(bench, "latency", jnew_object());
				jadd(latency, "value", jnum(st->median * 1e9));
				if (!isnan(st->min) && !isnan(st->max)) {
					jadd(latency, "lower_value", jnum(st->min * 1e9));
					jadd(latency, "upper_value", jnum(st->max * 1e9));
				}
			}
			/* a measure of its own: failed tasks over the measured runs */
			jadd(jadd(bench, "failures", jnew_object()), "value", jint(m->summary.failed_tasks));
		}
	}
	return jprint(root);
}

/* ---- trace ---- */

static cJSON *event(cJSON *events, const char *ph, const char *name, int pid, double tid)
{
	cJSON *e = jadd(events, NULL, jnew_object());
	jadd(e, "name", jstr(name));
	jadd(e, "ph", jstr(ph));
	jadd(e, "pid", jint(pid));
	if (!isnan(tid))
		jadd(e, "tid", jnum(tid));
	return e;
}

static void metadata(cJSON *events, const char *name, int pid, double tid, const char *key,
		     cJSON *value)
{
	cJSON *e = event(events, "M", name, pid, tid);
	jadd(jadd(e, "args", jnew_object()), key, value);
}

/* A thread track per task, named with the CPUs it ran on: in concurrent mode
 * every task shares one CPU and overlaps the others, so tracks cannot be CPUs.
 * The OS pid is the track id, as it was the task's own process. */
static void trace_task(cJSON *events, int pid, const struct report_task *t,
		       const struct report_task_spec *spec)
{
	const char *kind = spec ? spec->kind : "task";
	char cpus[1024];
	if (t->cpus_seen.n)
		cpulist_format(t->cpus_seen.v, t->cpus_seen.n, cpus, sizeof(cpus));
	else
		snprintf(cpus, sizeof(cpus), "%s", t->cpuset ? t->cpuset : "?");
	bool several = t->cpus_seen.n > 1;
	char *thread = xasprintf("task %.0f (%s) on CPU%s %s", t->id, kind, several ? "s" : "", cpus);
	metadata(events, "thread_name", pid, t->pid, "name", jstr(thread));
	free(thread);
	metadata(events, "thread_sort_index", pid, t->pid, "sort_index", jnum(t->id));
	cJSON *x = event(events, "X", kind, pid, t->pid);
	jadd(x, "cat", jstr(kind));
	jadd(x, "ts", jnum(t->start_s * 1e6));
	jadd(x, "dur", jnum(t->wall_s * 1e6));
	cJSON *args = jadd(x, "args", jnew_object());
	jadd(args, "task", jnum(t->id));
	jadd(args, "cpus", jstr(cpus));
	jadd(args, "running_s", jnum(t->running_s));
	jadd(args, "ready_s", jnum(t->ready_s));
	jadd(args, "blocked_s", jnum(t->blocked_s));
	jadd(args, "voluntary_switches", jnum(t->voluntary_switches));
	jadd(args, "involuntary_switches", jnum(t->involuntary_switches));
	jadd(args, "max_rss_kb", jnum(t->max_rss_kb));
	jadd(args, "exit", jstr(t->exit.status));
	jadd(args, "exitcode", jnum(t->exit.exitcode));
	jadd(args, "timed_out", jbool(t->exit.timed_out));
}

/* Counter tracks, one per CPU: a counter holds its value until the next one,
 * so each interval's busy share is set at the interval's start, and the track
 * drops to 0 when the run ends. */
static void trace_counters(cJSON *events, int pid, const struct report_samples *s)
{
	for (int c = 0; c < s->cpus.n; c++) {
		char *name = xasprintf("CPU %d busy", s->cpus.v[c]);
		for (int row = 0; row <= s->n; row++) {
			double v = row < s->n ? s->busy[row * s->cpus.n + c] : 0;
			if (isnan(v))
				continue;
			cJSON *e = event(events, "C", name, pid, NAN);
			jadd(e, "ts", jnum(row ? s->t[row - 1] * 1e6 : 0));
			jadd(jadd(e, "args", jnew_object()), "busy", jnum(v));
		}
		free(name);
	}
}

/* One process per workload x mode entry x run ("io / parallel/j2 / run 1"),
 * all starting at 0 so that the entries line up for comparison; pids count
 * from 1 in report order. */
struct trace_ctx {
	cJSON *events;
	int pid;
	const struct report_workload *w;
};

/* A started task's track (none for a run with null tasks: --detail run). */
static int trace_one(const struct report_task *t, void *ctx)
{
	struct trace_ctx *c = ctx;
	if (!isnan(t->pid) && !isnan(t->start_s))
		trace_task(c->events, c->pid, t, report_task_spec_find(c->w, (int)t->id));
	return 0;
}

char *export_trace(const struct report *r)
{
	cJSON *root = jnew_object();
	cJSON *events = jadd(root, "traceEvents", jnew_array());
	int pid = 0;
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			for (int k = 0; k < m->nruns; k++) {
				const struct report_run *run = &m->runs[k];
				char *label = report_entry_label(r, NULL, m);
				char *name = xasprintf("%s / %s / run %d", w->name, label, k + 1);
				free(label);
				metadata(events, "process_name", ++pid, NAN, "name", jstr(name));
				free(name);
				metadata(events, "process_sort_index", pid, NAN, "sort_index", jint(pid));
				struct trace_ctx c = {events, pid, w};
				report_run_foreach_task(run, trace_one, &c);
				trace_counters(events, pid, &run->samples);
			}
		}
	}
	jadd(root, "displayTimeUnit", jstr("ms"));
	cJSON *other = jadd(root, "otherData", jnew_object());
	jadd(other, "tool", jstr("tribench"));
	jadd(other, "version", jstr(r->version));
	jadd(other, "started_at", jstr(r->started_at));
	jadd(other, "hostname", jstr(r->hostname));
	return jprint(root);
}

char *export_hyperfine(const struct report *r)
{
	(void)r;
	return xstrdup("{\"results\":[]}\n");	/* TODO(issue 13): a result per entry */
}
