#ifndef TRIBENCH_SAMPLER_H
#define TRIBENCH_SAMPLER_H

#include <stdbool.h>

#include "probe.h"
#include "record.h"

/* Per-CPU utilisation over a run: /proc/stat deltas and the tasks' own CPU time. */
struct sampler {
	const struct intlist *cpus;   /* usable CPUs, OS indexes */
	int ncpu_max;                 /* jiffies arrays are indexed by OS CPU */
	struct cpu_jiffies *start, *prev, *cur;
	double *charged;              /* per usable CPU: task seconds since the last tick */
	double *total;                /* per usable CPU: task seconds since sampler_begin */
	bool have_start, have_prev;   /* did /proc/stat answer at the start, at the last tick? */
	double t_prev;
	struct sample_series *series;
};

/*
 * Start sampling the usable CPUs (OS indexes, borrowed: cpus must outlive s)
 * into series (borrowed; its arrays grow here and belong to its owner), one row
 * every period_s seconds. Reads /proc/stat now; when it cannot, the busy shares
 * that would need this reading are unknown (NAN), never zero.
 */
void sampler_begin(struct sampler *s, const struct intlist *cpus, double period_s,
		   struct sample_series *series);
/* Charge seconds of task running time (a thread's schedstat, or the rest of
 * a task's cgroup or rusage CPU time) to OS CPU cpu for the current interval
 * and the run; a CPU outside the usable set is ignored. */
void sampler_charge(struct sampler *s, int cpu, double seconds);
/*
 * Close the interval ending at t (seconds from the run start) as one row:
 * busy = the /proc/stat busy share of each CPU over the interval (0..1), NAN
 * when this reading or the one before it failed or no tick elapsed;
 * task_busy = charged task seconds / interval seconds.
 */
void sampler_tick(struct sampler *s, double t);
/* Busy share (0..1, /proc/stat) of each usable CPU from sampler_begin() to the
 * last tick, into cpus[i].busy (caller-owned, one per usable CPU); NAN when
 * either reading failed; and cpus[i].task_busy = the task seconds charged to
 * it over the run / the seconds from sampler_begin to the last tick (0 when
 * no tick elapsed). Call after a final sampler_tick(). */
void sampler_end(struct sampler *s, struct cpu_usage *cpus);
/* Free what sampler_begin() allocated (not the series). */
void sampler_free(struct sampler *s);

#endif
