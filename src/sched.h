#ifndef TRIBENCH_SCHED_H
#define TRIBENCH_SCHED_H

#include <signal.h>
#include <stdbool.h>

#include "cluster.h"
#include "executor.h"
#include "group.h"
#include "progress.h"
#include "record.h"
#include "spawner.h"
#include "suite.h"
#include "topo.h"
#include "watchdog.h"

enum halt_mode { HALT_NEVER, HALT_SOON, HALT_NOW };
enum task_output { OUTPUT_NULL, OUTPUT_INHERIT };

struct sched_opts {
	int sample_ms;
	bool sample_tasks;            /* --sample-tasks: each task's schedstat per tick */
	double timeout_s;             /* per task; 0: none */
	double grace_s;               /* SIGTERM .. SIGKILL */
	enum halt_mode halt;
	int halt_fail;                /* halt after this many failed tasks in a run */
	enum task_output output;
	enum containment_kind containment;  /* --containment */
	const char *results_dir;      /* keep each task's stdout/stderr here, or NULL */
	bool report_on_stdout;        /* the JSON report goes to our stdout: under
	                                 OUTPUT_INHERIT tasks' stdout goes to our stderr */
};

/* The one scheduler: any plan, any workload; the parent sleeps between events. */
struct sched {
	struct sched_opts o;
	int sigfd, timerfd, devnull;
	bool bind;                    /* false on a simulated topology */
	const struct intlist *cpus;   /* usable CPUs */
	sigset_t old_mask;
	struct watchdog wd;
	struct containment contain;   /* cgroup leaves or process groups */
	char *contain_warning;        /* why containment is only process groups, or NULL */
	struct spawner spawn;         /* the launcher tasks start from */
	char *spawn_warning;          /* why tasks were launched by tribench itself, or NULL */
	char *admit_warning;          /* a process limit capped the tasks in flight: which, or NULL */
	char *runner_warning;         /* whose CPU time runner_cpu_s leaves out: why, or NULL */
	long eagain_retries;          /* launches the kernel refused with EAGAIN, tried again later */
	char *contain_stale;          /* run cgroups of dead tribenches killed at start, or NULL */
	struct progress *progress;    /* NULL: none */
	int signal;                   /* the first SIGINT/SIGTERM/SIGHUP seen, or 0 */
	int stop_signals;             /* how many: a second one skips the grace */
	int failed;                   /* failed tasks so far, for --halt */
	bool halted;                  /* --halt fired: start nothing more */
	bool watchdog_died;           /* its pidfd said so: the run stopped, exit 3 */
	struct cluster *cluster;      /* tribench-mpi: parallel runs span its ranks; NULL: none (borrowed) */
	int rank;                     /* this process's MPI rank, for task records; -1: not MPI */
	struct intlist before;        /* our children before sched_init: not ours to kill */
};

/* Where a run's task output goes under --results, and what the progress shows. */
struct run_label {
	const char *workload, *mode;
	int run;                      /* 1..runs; 0: a warmup */
	int runs;
	int workload_index;           /* in the suite: MPI ranks keep the one they were sent */
	int jobs;                     /* the entry's --jobs (0: every slot): MPI ranks plan with it */
};

/* 0; -1 on a runtime error; -2 when the containment asked for cannot be had
 * (--containment cgroup without a writable cgroup v2 hierarchy: bad input).
 * One error line either way. */
int sched_init(struct sched *s, const struct intlist *usable, const struct sched_opts *o, bool bind);
void sched_fini(struct sched *s);

/*
 * Run every task of w under plan p by executor ex (each task a process, or
 * all of them threads or coroutines of one worker: worker_run), filling
 * out. Returns 0, or -1 on a runtime error; s->signal is set when a signal
 * cut the run short and s->halted when --halt stopped it (tasks never
 * started are then "not_started").
 */
int sched_run(struct sched *s, const struct plan *p, const struct workload *w, enum executor_kind ex,
	      const struct run_label *label, struct run_record *out);

/* Where a task's (a hook's, a worker's) stdout and stderr go: /dev/null, or
 * under --task-output inherit ours (-1), except that stdout never goes into
 * a JSON report on our stdout: our stderr takes it then. Borrowed fds. */
int sched_task_stdout(const struct sched *s);
int sched_task_stderr(const struct sched *s);

/* Run fn(arg) in a child bound to slot, passing back up to size bytes through a pipe. */
int sched_run_in_child(struct sched *s, const struct plan_slot *slot,
		       int (*fn)(void *arg, void *result), void *arg, void *result, size_t size);

#endif
