#ifndef TRIBENCH_REPORT_MODEL_H
#define TRIBENCH_REPORT_MODEL_H

#include <stdbool.h>

#include "stats.h"
#include "util.h"

/* A schema v1 report read back from JSON (src/json/report_read.c fills it), for
 * the commands that work on reports: compare and export. A JSON null number is
 * NAN here; counts are kept as doubles (exact below 2^53) so null survives. */

struct report_task_spec {
	int id;
	char *kind;
	char *params;             /* the params object as compact JSON: the work it did */
	double ops;               /* params.ops of a cpu task, NAN when absent */
};

struct report_task {
	int id, slot;
	double pid;               /* NAN: not started */
	char *cpuset;
	struct intlist cpus_seen;
	double start_s, end_s, wall_s, user_s, sys_s, running_s, ready_s, blocked_s;
	double voluntary_switches, involuntary_switches, max_rss_kb;
	char *exit_status;        /* "exited", "signaled" or "not_started" */
	double exitcode;          /* NAN: null */
	bool timed_out;
};

/* The per-CPU series: busy[row * cpus.n + column]; t[row] ends the interval. */
struct report_samples {
	double period_s;
	struct intlist cpus;
	int n;
	double *t, *busy;
};

struct report_run {
	double wall_s;
	int ntasks;
	struct report_task *tasks;
	struct report_samples samples;
};

struct report_mode {
	char *mode;
	int nruns;
	struct report_run *runs;
	struct summary_stats wall;    /* summary.wall_s as written, NAN for null */
	double speedup, efficiency;   /* NAN for null */
};

struct report_workload {
	char *name;
	int ntasks;
	struct report_task_spec *tasks;
	int nmodes;
	struct report_mode *modes;
};

struct report {
	char *source;             /* the file it came from, for messages */
	char *version, *started_at, *hostname;
	char *modes;              /* config.modes joined with commas */
	char *policy;
	int runs, jobs;
	int nworkloads;
	struct report_workload *workloads;
};

void report_free(struct report *r);
/* Lookups by name; NULL when absent. */
const struct report_workload *report_workload_find(const struct report *r, const char *name);
const struct report_mode *report_mode_find(const struct report_workload *w, const char *mode);
const struct report_task_spec *report_task_spec_find(const struct report_workload *w, int id);

#endif
