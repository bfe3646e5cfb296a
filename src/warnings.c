/* Warnings about noisy or incomplete results, and the failure summary. */
#include "config.h"
#include "warnings.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

struct collector {
	struct report *r;
	bool quiet;
};

__attribute__((format(printf, 2, 3)))
static void add(struct collector *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text;
	if (vasprintf(&text, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	report_add_warning(c->r, text);
	if (!c->quiet)
		warning("%s", text);
}

/* "workload/label" of entry m of w, as every warning names it
 * ("cpu/parallel/j2"; report_entry_label). Caller frees. */
static char *entry_name(const struct report *r, const struct report_workload *w, const struct report_mode *m)
{
	char *label = report_entry_label(r, NULL, m);
	char *name = xasprintf("%s/%s", w->name, label);
	free(label);
	return name;
}

/* Spread of the usable walls, and a first usable run much slower than the rest. */
static void check_walls(struct collector *c, const char *name, const struct report_mode *m)
{
	const struct summary_stats *w = &m->summary.wall;
	if (w->n >= 2 && w->mean > 0 && w->stddev > 0.1 * w->mean)
		add(c, "%s: wall stddev is %.0f%% of the mean over %d runs: results are noisy", name,
		    100 * w->stddev / w->mean, w->n);
	double *walls = xcalloc((size_t)m->nruns + 1, sizeof(double));
	int n = report_usable_walls(m, walls);
	if (n >= 3) {
		double median = stats_median(walls + 1, n - 1);
		if (median > 0 && walls[0] > 1.3 * median)
			add(c, "%s: the first run took %.2fx the median of the others: try --warmup %d",
			    name, walls[0] / median, c->r->warmup + 1);
	}
	free(walls);
}

/* The CPUs the mode's tasks were bound to, from their cpusets. */
static void used_cpus(const struct report_mode *m, struct intlist *out)
{
	for (int k = 0; k < m->nruns; k++) {
		const struct intlist *l = &m->runs[k].tally.used_cpus;
		for (int j = 0; j < l->n; j++)
			if (!intlist_has(out, l->v[j]))
				intlist_push(out, l->v[j]);
	}
	intlist_sort_unique(out);
}

/*
 * Work on a used CPU that was neither the tasks' (schedstat) nor tribench's
 * own: sum over the usable runs of (busy - task_busy) x wall, less all of
 * tribench's CPU time in the run (where it ran is not recorded, so it is
 * charged to every CPU: the warning errs towards silence). Warned above 10%
 * of the summed walls, and never for less than 3 clock ticks per run.
 */
static void check_others(struct collector *c, const char *name, const struct report_mode *m)
{
	struct intlist cpus = {0};
	used_cpus(m, &cpus);
	double tick = 1.0 / (double)sysconf(_SC_CLK_TCK);
	for (int j = 0; j < cpus.n; j++) {
		double other = 0, wall = 0;
		int runs = 0;
		for (int k = 0; k < m->nruns; k++) {
			const struct report_run *run = &m->runs[k];
			if (!report_run_usable(run))
				continue;
			for (int i = 0; i < run->ncpus; i++)
				if (run->cpus[i].cpu == cpus.v[j] && isfinite(run->cpus[i].busy)) {
					other += (run->cpus[i].busy - run->cpus[i].task_busy) * run->wall_s -
						 run->runner_cpu_s;
					wall += run->wall_s;
					runs++;
				}
		}
		if (runs && other > 0.10 * wall && other > 3 * tick * runs)
			add(c, "%s: CPU %d was busy with other work for %.2f s over %d run%s (%.0f%% of "
			       "%s wall time): other processes competed with the tasks",
			    name, cpus.v[j], other, runs, runs == 1 ? "" : "s", 100 * other / wall,
			    runs == 1 ? "its" : "their");
	}
	intlist_free(&cpus);
}

/* Bound tasks whose tree was seen on a CPU outside their slot's cpuset
 * (outside_slot; the CPU named is the first of cpus_seen not in cpuset). */
static void check_placement(struct collector *c, const char *name, const struct report_mode *m)
{
	int outside = 0, first_id = -1, first_cpu = -1;
	for (int k = 0; k < m->nruns; k++) {
		const struct report_run_tally *y = &m->runs[k].tally;
		if (y->outside && !outside) {
			first_id = y->outside_first_id;
			first_cpu = y->outside_first_cpu;
		}
		outside += y->outside;
	}
	if (outside)
		add(c, "%s: %d task%s ran outside %s slot (task %d was seen on CPU %d): placement "
		       "was not what the plan says",
		    name, outside, outside == 1 ? "" : "s", outside == 1 ? "its" : "their",
		    first_id, first_cpu);
}

/* Started tasks whose per-task /proc values could not be read. */
static void check_unread(struct collector *c, const char *name, const struct report_mode *m)
{
	int n = 0;
	for (int k = 0; k < m->nruns; k++)
		n += m->runs[k].tally.allowed_unread;
	if (strcmp(m->executor, "process")) {	/* threads and coroutines: no zombie */
		if (m->schedstat_unread)
			add(c, "%s: ready_s and blocked_s are null for %d task%s whose thread's counters "
			       "could not be read, or went with the worker when it was killed (those "
			       "have user_s, sys_s, running_s, the switches and cpus_allowed null too)",
			    name, m->schedstat_unread, m->schedstat_unread == 1 ? "" : "s");
		return;
	}
	if (n)
		add(c, "%s: cpus_allowed is null for %d task%s: /proc/PID/status of the zombie "
		       "could not be read",
		    name, n, n == 1 ? "" : "s");
	if (m->schedstat_unread)
		add(c, "%s: ready_s and blocked_s are null for %d task%s: /proc/PID/schedstat of the "
		       "zombie could not be read (running_s is rusage user+sys)",
		    name, m->schedstat_unread, m->schedstat_unread == 1 ? "" : "s");
}

/* --sample-tasks left tasks unsampled: more than SAMPLE_TASKS_MAX in flight. */
static void check_unsampled(struct collector *c, const char *name, const struct report_mode *m)
{
	if (m->unsampled)
		add(c, "%s: state_samples is null for %d task%s in %d run%s: more than %d tasks were in "
		       "flight at once and --sample-tasks samples %d at a time",
		    name, m->unsampled, m->unsampled == 1 ? "" : "s", m->unsampled_runs,
		    m->unsampled_runs == 1 ? "" : "s", SAMPLE_TASKS_MAX, SAMPLE_TASKS_MAX);
}

/*
 * Sampling ticks that came late: the loop was too busy (many tasks, a short
 * --sample-ms) to tick at the period asked. The mean gap between ticks of
 * each measured run (samples.t, the monotonic clock) against
 * samples.period_s; one warning with the slowest run, when it is more than
 * 1.5 times the period.
 */
static void check_ticks(struct collector *c, const char *name, const struct report_mode *m)
{
	double worst = 0, period = 0;
	for (int k = 0; k < m->nruns; k++) {
		const struct report_samples *s = &m->runs[k].samples;
		if (m->runs[k].samples_null || s->n < 4 || !(s->period_s > 0))
			continue;
		double gap = (s->t[s->n - 1] - s->t[0]) / (s->n - 1);
		if (gap > worst) {
			worst = gap;
			period = s->period_s;
		}
	}
	if (period > 0 && worst > 1.5 * period)
		add(c, "%s: sampling ticks came every %.3g ms on average, not every %.3g ms (--sample-ms): "
		       "tribench was too busy to sample that often, so samples and state_samples are per "
		       "%.3g ms", name, 1e3 * worst, 1e3 * period, 1e3 * worst);
}

/*
 * Tasks whose cgroup object has values that could not be read from their
 * leaf (a missing "full" PSI line and memory.peak are absent by design, not
 * counted): one warning naming the first file that failed.
 */
static void check_tree_unread(struct collector *c, const char *name, const struct report_mode *m)
{
	int n = 0;
	const char *first = NULL;
	for (int k = 0; k < m->nruns; k++) {
		const struct report_run_tally *y = &m->runs[k].tally;
		if (y->tree_unread && !n)
			first = y->tree_unread_first;
		n += y->tree_unread;
	}
	if (n)
		add(c, "%s: the cgroup numbers of %d task%s are partly null: their leaf's %s (or "
		       "another of cpu.stat and *.pressure) could not be read",
		    name, n, n == 1 ? "" : "s", first);
}

/* Runs a Ctrl-Z suspended (their tasks frozen meanwhile): kept in the report,
 * left out of the statistics; one line per mode naming them. */
static void check_suspended(struct collector *c, const char *name, const struct report_mode *m)
{
	char *list = NULL;
	int n = 0;
	for (int k = 0; k < m->nruns; k++) {
		if (!(m->runs[k].suspended_s > 0))
			continue;
		char *more = xasprintf("%s%s%d (%.2f s)", list ? list : "", n ? ", " : "", k + 1,
				       m->runs[k].suspended_s);
		free(list);
		list = more;
		n++;
	}
	if (n)
		add(c, "%s: run%s %s %s suspended (Ctrl-Z, tasks frozen): left out of the "
		       "statistics, which use %d of %d runs",
		    name, n == 1 ? "" : "s", list, n == 1 ? "was" : "were", m->summary.wall.n,
		    m->nruns);
	free(list);
}

static int failed_tasks(const struct report_run *runs, int n)
{
	int failed = 0;
	for (int k = 0; k < n; k++)
		failed += runs[k].tally.failed_tasks;
	return failed;
}

void warnings_collect(struct report *r, const struct host_facts *h, bool quiet)
{
	struct collector c = {r, quiet};
	/* procs_running counts tribench itself */
	if (h->procs_running > 1)
		add(&c, "%d other runnable process%s at the start (procs_running in /proc/stat): "
			"results may be noisy", h->procs_running - 1, h->procs_running > 2 ? "es" : "");
	for (int i = 0; i < h->nunread; i++)
		add(&c, "%s", h->unread[i]);
	if (h->governor[0] && strcmp(h->governor, "performance"))
		add(&c, "CPU frequency governor is '%s', not 'performance': clock speed may vary",
		    h->governor);
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			char *name = entry_name(r, w, m);
			check_walls(&c, name, m);
			check_others(&c, name, m);
			if (!strcmp(m->mode, "parallel") && m->summary.efficiency > 1.1)
				add(&c, "%s: speedup %.2f on %d slot%s is superlinear: a disturbed "
					"serial baseline or cache effects",
				    name, m->summary.speedup, m->nslots, m->nslots == 1 ? "" : "s");
			if (!strcmp(m->mode, "parallel") && m->nslots > w->ntasks && m->nslots > 1)
				add(&c, "%s: %d slots for %d task%s: at most %d run at once, so its "
					"efficiency (speedup / %d) and Karp-Flatt understate the parallelism",
				    name, m->nslots, w->ntasks, w->ntasks == 1 ? "" : "s", w->ntasks, m->nslots);
			check_placement(&c, name, m);
			check_unread(&c, name, m);
			check_unsampled(&c, name, m);
			check_ticks(&c, name, m);
			check_tree_unread(&c, name, m);
			check_suspended(&c, name, m);
			int warm = failed_tasks(m->warmup_runs, m->nwarmup);
			if (warm && !m->summary.failed_tasks)
				add(&c, "%s: %d task%s failed during warmup only: the measured runs "
					"may not be the work you meant",
				    name, warm, warm == 1 ? "" : "s");
			free(name);
		}
		/* a fit outside 0..1 is not a fraction of the work: say what it means */
		for (int k = 0; k < w->namdahl; k++) {
			double f = w->amdahl[k].serial_fraction;
			if (f > 1)
				add(&c, "%s: Amdahl serial fraction %.2f (%s) is above 1: the parallel entries ran "
					"slower than serial, an overhead Amdahl's law does not model",
				    w->name, f, w->amdahl[k].executor);
			else if (f < 0)
				add(&c, "%s: Amdahl serial fraction %.2f (%s) is below 0: speedups above the "
					"slots (superlinear), which Amdahl's law does not model",
				    w->name, f, w->amdahl[k].executor);
		}
	}
}

/* The first failed task of runs, as "run K task I: error" (NULL: none). */
static char *first_failure(const struct report_run *runs, int n, const char *what)
{
	for (int k = 0; k < n; k++)
		if (runs[k].tally.failed_tasks)
			return xasprintf("%s %d task %d: %s", what, k + 1, runs[k].tally.first_failed_id,
					 runs[k].tally.first_failed_error);
	return NULL;
}

long failures_print(const struct report *r)
{
	long total = 0;
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			int warm = failed_tasks(m->warmup_runs, m->nwarmup);
			int measured = failed_tasks(m->runs, m->nruns);
			if (!warm && !measured)
				continue;
			total += warm + measured;
			char *first = measured ? first_failure(m->runs, m->nruns, "run")
					       : first_failure(m->warmup_runs, m->nwarmup, "warmup");
			long tasks = (long)w->ntasks * (m->nruns + m->nwarmup);
			char *name = entry_name(r, w, m);
			error("%s: %d of %ld tasks failed (%d in %d measured run%s, %d in warmup); first: %s",
			      name, warm + measured, tasks, measured, m->nruns,
			      m->nruns == 1 ? "" : "s", warm, first);
			free(first);
			free(name);
		}
	}
	return total;
}
