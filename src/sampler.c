/* The sampled series: machine view (/proc/stat) beside the tasks' view (their
 * threads' schedstat, charged to the CPU each was seen on). */
#include "config.h"
#include "sampler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void sampler_begin(struct sampler *s, const struct intlist *cpus, double period_s,
		   struct sample_series *series)
{
	memset(s, 0, sizeof(*s));
	s->cpus = cpus;
	s->ncpu_max = cpus->v[cpus->n - 1] + 1;
	s->start = xcalloc((size_t)s->ncpu_max, sizeof(*s->start));
	s->prev = xcalloc((size_t)s->ncpu_max, sizeof(*s->prev));
	s->cur = xcalloc((size_t)s->ncpu_max, sizeof(*s->cur));
	s->charged = xcalloc((size_t)cpus->n, sizeof(*s->charged));
	s->total = xcalloc((size_t)cpus->n, sizeof(*s->total));
	s->series = series;
	series->period_s = period_s;
	series->ncpus = cpus->n;
	s->have_start = s->have_prev = probe_cpu_jiffies(s->start, s->ncpu_max) == 0;
	memcpy(s->prev, s->start, (size_t)s->ncpu_max * sizeof(*s->start));
}

void sampler_charge(struct sampler *s, int cpu, double seconds)
{
	for (int i = 0; i < s->cpus->n; i++)
		if (s->cpus->v[i] == cpu) {
			s->charged[i] += seconds;
			s->total[i] += seconds;
			return;
		}
}

/*
 * busy / total over an interval, from two readings. Counters are differenced
 * as signed numbers and clamped: iowait may go backwards (proc(5)), which must
 * neither wrap round nor push the share past 1. A CPU missing from either
 * reading (offline: all zero) has no share: its counters since boot are not
 * an interval.
 */
static double share(const struct cpu_jiffies *now, const struct cpu_jiffies *then)
{
	if (now->total == 0 || then->total == 0)
		return NAN;
	int64_t busy = (int64_t)(now->busy - then->busy), total = (int64_t)(now->total - then->total);
	if (total <= 0)
		return NAN;
	if (busy < 0)
		busy = 0;
	return busy >= total ? 1.0 : (double)busy / (double)total;
}

void sampler_tick(struct sampler *s, double t)
{
	struct sample_series *ser = s->series;
	double dt = t - s->t_prev;
	if (dt <= 0)
		return;
	if (ser->n == ser->alloc) {
		ser->alloc = ser->alloc ? 2 * ser->alloc : 64;
		ser->t = xrealloc(ser->t, (size_t)ser->alloc * sizeof(double));
		ser->busy = xrealloc(ser->busy, (size_t)ser->alloc * (size_t)ser->ncpus * sizeof(double));
		ser->task_busy =
			xrealloc(ser->task_busy, (size_t)ser->alloc * (size_t)ser->ncpus * sizeof(double));
	}
	bool ok = probe_cpu_jiffies(s->cur, s->ncpu_max) == 0;
	double *busy = &ser->busy[ser->n * ser->ncpus];
	double *task_busy = &ser->task_busy[ser->n * ser->ncpus];
	for (int i = 0; i < s->cpus->n; i++) {
		int c = s->cpus->v[i];
		busy[i] = ok && s->have_prev ? share(&s->cur[c], &s->prev[c]) : NAN;
		task_busy[i] = s->charged[i] / dt;
		s->charged[i] = 0;
	}
	ser->t[ser->n++] = t;
	/* after a failed reading the next interval has no start either: a
	 * longer interval written as this one's would be a different number */
	if (ok) {
		struct cpu_jiffies *tmp = s->prev;
		s->prev = s->cur;
		s->cur = tmp;
	}
	s->have_prev = ok;
	s->t_prev = t;
}

void sampler_end(struct sampler *s, struct cpu_usage *cpus)
{
	/* the last tick read /proc/stat at the run's end */
	for (int i = 0; i < s->cpus->n; i++) {
		int c = s->cpus->v[i];
		cpus[i].cpu = c;
		cpus[i].busy = s->have_start && s->have_prev ? share(&s->prev[c], &s->start[c]) : NAN;
		cpus[i].task_busy = s->t_prev > 0 ? s->total[i] / s->t_prev : 0;
	}
}

void sampler_free(struct sampler *s)
{
	free(s->start);
	free(s->prev);
	free(s->cur);
	free(s->charged);
	free(s->total);
	memset(s, 0, sizeof(*s));
}
