#ifndef TRIBENCH_RUN_STATE_H
#define TRIBENCH_RUN_STATE_H

/* The state of one run in progress, shared by the scheduler's loop
 * (sched.c), its executor (executor.c) and its policy (policy.c). */
#include "inflight.h"
#include "policy.h"
#include "sampler.h"
#include "sched.h"

struct run_state {
	struct sched *s;
	const struct plan *plan;
	const struct workload *w;
	const struct run_label *label;
	struct run_record *out;
	struct sampler sampler;
	double t0;                /* the run's start, now_s() */
	struct inflight fl;       /* the tasks in flight: records, trees, pid map */
	struct deadlines dl;      /* their next SIGTERM / SIGKILL, a heap */
	bool *slot_busy;          /* parallel: a slot holds one task at a time */
	int next;                 /* the next task id never tried */
	bool stopping;            /* start nothing more (signal, halt, error) */
	double retry_at;          /* fork said EAGAIN: try again at this run time (0: none) */
	int eagain_alone;         /* EAGAIN with nothing in flight, in a row */
	char **envp;              /* environ + the three TRIBENCH_* variables */
	char env_id[40], env_slot[40], env_mode[40];
	char *results;            /* this run's results directory, or NULL */
	int sample_next;          /* index into fl.active where the next tick's reads begin */
	int states_on;            /* --sample-tasks: in-flight tasks being sampled (<= 256) */
	struct cluster *cl;       /* tribench-mpi, a parallel run: the ranks take part; else NULL */
};

#endif
