#ifndef TRIBENCH_SCHED_H
#define TRIBENCH_SCHED_H

#include <signal.h>
#include <stdbool.h>

#include "record.h"
#include "suite.h"
#include "topo.h"

/* The one scheduler: any plan, any workload; the parent sleeps between events. */
struct sched {
	int sigfd, timerfd, devnull;
	int sample_ms;
	bool bind;                    /* false on a simulated topology */
	const struct intlist *cpus;   /* usable CPUs */
	sigset_t old_mask;
	int signal;                   /* the first SIGINT/SIGTERM/SIGHUP seen, or 0 */
};

int sched_init(struct sched *s, const struct intlist *usable, int sample_ms, bool bind);
void sched_fini(struct sched *s);

/*
 * Run every task of w under plan p, filling out. Returns 0, or -1 on a runtime
 * error; s->signal is set when a signal cut the run short (out is then partial).
 */
int sched_run(struct sched *s, const struct plan *p, const struct workload *w,
	      struct run_record *out);

/* Run fn(arg) in a child bound to slot, passing back up to size bytes through a pipe. */
int sched_run_in_child(struct sched *s, const struct plan_slot *slot,
		       int (*fn)(void *arg, void *result), void *arg, void *result, size_t size);

#endif
