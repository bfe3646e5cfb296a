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

/* One task of one run: every number from a clock or the kernel. */
struct task_record {
	int id;
	pid_t pid;
	int slot;
	int pu;                   /* the slot's PU (OS index) */
	char cpus_allowed[64];    /* the zombie's Cpus_allowed_list */
	struct intlist cpus_seen; /* sorted OS CPUs seen in field 39 of stat */
	double start_s, end_s, wall_s;
	double user_s, sys_s;
	double running_s, ready_s, blocked_s;
	bool have_schedstat;      /* false: states from rusage (several threads or processes) */
	int schedstat_errno;      /* why /proc/PID/schedstat could not be read, or 0 */
	long voluntary_switches, involuntary_switches, max_rss_kb;
	struct task_exit exit;
	int leftovers_killed;     /* processes of its tree alive when the leader was reaped; -1 unknown */
	double zombie_s;          /* exit observed .. reaped: tribench's own latency */
	bool outside_slot;        /* seen on a CPU outside its bound slot */
	bool have_tree;           /* a cgroup leaf held it: tree below is its numbers */
	bool states_from_tree;    /* running_s is the leaf's cpu_s (states_source "cgroup") */
	struct report_task_cgroup tree; /* the leaf's numbers, NAN where unread (no extra) */
	struct task_group group;  /* scheduler scratch: the tree's handle */
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

struct run_record {
	double wall_s, user_s, sys_s, runner_cpu_s;
	double suspended_s;       /* tasks frozen by a Ctrl-Z (SIGTSTP .. SIGCONT) */
	long rss_floor_kb;
	int ncpus;
	struct cpu_usage *cpus;   /* every usable CPU, in the order of the usable list */
	struct sample_series samples;
	int ntasks;
	struct task_record *tasks;
};

void run_record_free(struct run_record *r);
/*
 * The scheduler's record of one run as the report model's run: nulls where a
 * task never started or a value could not be read, failed when a task failed,
 * partial when cut (a signal or --halt stopped it) or a task never started,
 * in_summary when none of these and never suspended.
 * The samples move into out (rec keeps none); everything else is copied.
 */
void record_to_report(struct run_record *rec, struct report_run *out, bool cut);
/* Tasks of rec whose /proc/PID/schedstat could not be read (their ready_s and
 * blocked_s are null for that reason, not by design). */
int record_schedstat_unread(const struct run_record *rec);

#endif
