#ifndef TRIBENCH_SAMPLER_H
#define TRIBENCH_SAMPLER_H

#include "probe.h"
#include "record.h"

/* Per-CPU utilisation over a run: /proc/stat deltas and the tasks' own CPU time. */
struct sampler {
	const struct intlist *cpus;   /* usable CPUs, OS indexes */
	int ncpu_max;                 /* jiffies arrays are indexed by OS CPU */
	struct cpu_jiffies *start, *prev, *cur;
	double *charged;              /* per usable CPU: task seconds since the last tick */
	double t_prev;
	struct sample_series *series;
};

void sampler_begin(struct sampler *s, const struct intlist *cpus, double period_s,
		   struct sample_series *series);
/* Charge seconds of task running time to OS CPU cpu for the current interval. */
void sampler_charge(struct sampler *s, int cpu, double seconds);
/* Close the interval ending at t (seconds from the run start) as one row. */
void sampler_tick(struct sampler *s, double t);
/* Busy share of each usable CPU over the whole run, into cpus[i].busy. */
void sampler_end(struct sampler *s, struct cpu_usage *cpus);
void sampler_free(struct sampler *s);

#endif
