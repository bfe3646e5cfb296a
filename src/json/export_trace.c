/* The Chrome Trace Event Format export, which Perfetto and chrome://tracing
 * load: a process per mode entry and run, a thread track per task, and per CPU
 * two counter tracks, the machine's busy share and tribench's tasks' own. */
#include "config.h"
#include "json/report_json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "json/jsonutil.h"

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

/*
 * One counter series per CPU of values[row * cpus.n + c] (a share of the
 * interval, from the report's samples), named "CPU N (who)" with its one
 * argument "busy": Perfetto names a JSON counter track "<name> <arg key>",
 * so the track reads "CPU 0 (machine) busy". A counter holds its value until
 * the next one, so each interval's share is set at the interval's start, and
 * the track drops to 0 when the run ends. A null share (no clock tick in the
 * interval) is left out: the previous value holds over it.
 */
static void trace_counter(cJSON *events, int pid, const struct report_samples *s, const double *values,
			  const char *who)
{
	for (int c = 0; c < s->cpus.n; c++) {
		char *name = xasprintf("CPU %d (%s)", s->cpus.v[c], who);
		for (int row = 0; row <= s->n; row++) {
			double v = row < s->n ? values[row * s->cpus.n + c] : 0;
			if (isnan(v))
				continue;
			cJSON *e = event(events, "C", name, pid, NAN);
			jadd(e, "ts", jnum(row ? s->t[row - 1] * 1e6 : 0));
			jadd(jadd(e, "args", jnew_object()), "busy", jnum(v));
		}
		free(name);
	}
}

/* Per CPU, the machine's busy share (samples.busy, /proc/stat) and beside it
 * the share tribench's own tasks ran there (samples.task_busy, schedstat):
 * their difference is what else ran on that CPU. */
static void trace_counters(cJSON *events, int pid, const struct report_samples *s)
{
	if (s->busy)
		trace_counter(events, pid, s, s->busy, "machine");
	if (s->task_busy)
		trace_counter(events, pid, s, s->task_busy, "tribench tasks");
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

