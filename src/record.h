#ifndef TRIBENCH_RECORD_H
#define TRIBENCH_RECORD_H

#include <stdbool.h>
#include <sys/types.h>

#include "group.h"
#include "report_model.h"
#include "util.h"

/* What the kernel said about how one task ended. */
enum exit_status { EXIT_STATUS_EXITED, EXIT_STATUS_SIGNALED, EXIT_STATUS_NOT_STARTED };

struct task_exit {
	enum exit_status status;
	int code;                 /* exited: the exit code */
	int signal;               /* signaled: the signal number */
	bool timed_out;
	bool stopped;             /* tribench stopped it (signal, --halt now, error) */
	char *error;              /* why it could not start, or NULL */
};

/*
 * --sample-tasks: one task's leader thread per sampling tick, as deltas of
 * /proc/PID/schedstat fields 1 and 2 (seconds) between readings, the first
 * from 0 (the counters start at the fork). Entry i covers the interval that
 * ends at t[i] (seconds from the run start; start_s before the first).
 * Arrays double as they grow; state_trace_free frees them.
 */
struct state_trace {
	bool on;                  /* this task is sampled (one of at most 256 in flight) */
	int n, alloc;
	double *t, *running_s, *ready_s;
	double last_running, last_ready; /* the counters at the last reading */
};

/* Append the reading (running, ready: the counters, seconds) taken at t as
 * the deltas since the last one; a t not after the last entry is dropped
 * (t must rise). */
void state_trace_add(struct state_trace *s, double t, double running, double ready);
void state_trace_free(struct state_trace *s);

/* One task of one run: every number from a clock or the kernel. */
struct task_record {
	int id;
	pid_t pid;
	int slot;
	int pu;                   /* the slot's first PU (OS index) */
	const struct intlist *pus;/* all the slot's PUs (borrowed from the plan) */
	char cpus_allowed[64];    /* the zombie's Cpus_allowed_list */
	struct intlist cpus_seen; /* sorted OS CPUs seen in field 39 of stat */
	double start_s, end_s, wall_s;
	double user_s, sys_s;
	double running_s, ready_s, blocked_s;
	bool have_schedstat;      /* false: states from rusage (several threads or processes) */
	int schedstat_errno;      /* why /proc/PID/schedstat could not be read, or 0 */
	long voluntary_switches, involuntary_switches;
	long max_rss_kb;          /* -1: none of its own (a thread or coroutine shares its worker's) */
	struct task_exit exit;
	int leftovers_killed;     /* processes of its tree alive when the leader was reaped; -1 unknown */
	double zombie_s;          /* exit observed .. reaped: tribench's own latency */
	bool outside_slot;        /* seen on a CPU outside its bound slot */
	bool remote;              /* tribench-mpi: another rank ran it and sent this record */
	int rank;                 /* remote: that rank (else the collector's rank) */
	bool have_tree;           /* a cgroup leaf held it: tree below is its numbers */
	bool states_from_tree;    /* running_s is the leaf's cpu_s (states_source "cgroup") */
	bool states_from_loop;    /* a coroutine: the three states as its loop measured them
	                             (states_source "loop"), switches are yields and preemptions */
	struct report_task_cgroup tree; /* the leaf's numbers, NAN where unread (no extra) */
	struct state_trace states;/* --sample-tasks: per tick (off: nothing sampled) */
	struct task_group group;  /* scheduler scratch while in flight: the tree's handle */
	double term_at, kill_at;  /* when SIGTERM / SIGKILL is due (0: not due) */
	bool term_sent;
};

struct cpu_usage {
	int cpu;
	double busy;              /* /proc/stat share over the run; NaN: no tick elapsed */
	double task_busy;         /* tasks' schedstat time on this CPU / run wall */
};

/* The per-CPU series, row-major: busy[t * ncpus + c]. */
struct sample_series {
	double period_s;
	int ncpus;
	int n, alloc;
	double *t, *busy, *task_busy;
};

struct spool;
struct json_fixes;

/*
 * The report side of a run's tasks: the scheduler hands over each task as it
 * ends (and each never started at the run's end), once per task id, in any
 * order, and keeps nothing of it. The collector turns it into the report
 * model's task, adds it to the run's sums and tally, and writes it to the
 * spool: at --detail task its record as one line of JSON (UTF-8 repaired,
 * the warnings merged into fixes), at every detail the four numbers of
 * task_stats. Memory: constant per task (1 bit: which ids came). Owned by the
 * runner, one per run.
 */
struct task_collector {
	int ntasks;               /* the workload's task count: ids 0..ntasks-1 */
	struct spool *spool;      /* the report's; the caller's */
	enum report_detail detail;
	struct json_fixes *fixes; /* the report's UTF-8 warnings; the caller's */
	unsigned char *seen;      /* a bit per id: put already */
	int received;             /* tasks put so far */
	bool failed;              /* a task failed (exit code, signal, timeout) */
	bool partial;             /* a task never started or tribench stopped it */
	bool error;               /* writing the spool failed (printed once) */
	int schedstat_unread;     /* started tasks whose /proc/PID/schedstat was unread */
	bool sample_tasks;        /* --sample-tasks: every task line has state_samples */
	int unsampled;            /* --sample-tasks: started tasks not sampled (> 256 in flight) */
	double user_s, sys_s;     /* seconds, the started tasks' rusage summed */
	struct report_run_tally tally;
	int rank;                 /* tribench-mpi: the rank of records not marked remote; -1: not MPI */
	/* tribench-mpi, ranks other than 0: each record goes to forward (to
	 * rank 0) instead of the spool; NULL: kept here */
	void (*forward)(void *arg, const struct task_record *t);
	void *forward_arg;
};

/* Ready for ntasks task ids (spool_run_begin done by the caller); nothing received. */
void collector_init(struct task_collector *c, int ntasks, struct spool *spool, enum report_detail detail,
		    struct json_fixes *fixes);
/* Take task t (id 0..ntasks-1, each once): its values are copied, t stays the
 * caller's. Aborts on an id out of range or given twice (a scheduler bug); a
 * spool write error sets c->error (one line printed). */
void collector_put(struct task_collector *c, const struct task_record *t);
void collector_free(struct task_collector *c);

struct run_record {
	double wall_s, runner_cpu_s;
	double worker_cpu_s;      /* thread/coroutine: the worker process's rusage user+sys
	                             (every thread of it, io-wq's too); NAN: a process run */
	double worker_user_s, worker_sys_s; /* its two parts: the run's user_s and sys_s */
	double suspended_s;       /* tasks frozen by a Ctrl-Z (SIGTSTP .. SIGCONT) */
	long rss_floor_kb;
	int ncpus;
	struct cpu_usage *cpus;   /* every usable CPU, in the order of the usable list */
	struct sample_series samples;
	int ntasks;               /* the workload's tasks, each handed to collect once */
	struct task_collector *collect; /* where finished tasks go; the caller's */
};

void run_record_free(struct run_record *r);
/* How a task (or a hook) ended as the report model's exit (out's strings
 * are its own). */
void exit_to_report(const struct task_exit *e, struct report_exit *out);
/* Task t as the report model's task (out's strings are its own). */
void task_to_report(const struct task_record *t, struct report_task *out);
/*
 * The scheduler's record of one run and the collector's sums as the report
 * model's run: nulls where a value could not be read, failed when a task
 * failed, partial when cut (a signal or --halt stopped it) or a task never
 * started, in_summary when none of these and never suspended. The run's
 * tasks: finished in the spool (spool_run_end: their lines in id order, the
 * task_stats percentiles), so out reads them from there; at --detail run or
 * mode tasks are null, at mode samples too. The samples and the tally move
 * into out; everything else is copied. 0, or -1 when the spool failed
 * (printed).
 */
int record_to_report(struct run_record *rec, struct task_collector *c, struct report_run *out, bool cut);

#endif
