#ifndef TRIBENCH_REPORT_MODEL_H
#define TRIBENCH_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "stats.h"
#include "util.h"

/*
 * The one report model (schema version 1, docs/schema.json). `tribench run`
 * builds it from the runs, `compare` and `export` read it back from JSON, and
 * src/json/report.c writes it; the same structs either way. Each level (task,
 * exit, run, CPU, wall statistics, summary) has one field table (below) from
 * which the writer, the reader, the CSV export and the schema test are driven:
 * a field is added in one place, its table.
 *
 * Storage by field type: NUMBER and INTEGER are doubles, NAN for null (counts
 * stay exact below 2^53); COUNT is an int, never null; STRING a char *, NULL
 * for null; BOOL a bool; INTLIST a struct intlist. Opaque sub-objects (host,
 * config, a mode's plan, a task's params) and every key a level does not model
 * are kept as compact JSON text, so read -> write gives back the same JSON.
 * This header needs neither cJSON, hwloc nor the CLI.
 */

enum field_type { FIELD_NUMBER, FIELD_INTEGER, FIELD_COUNT, FIELD_STRING, FIELD_BOOL, FIELD_INTLIST };

struct field {
	const char *name;         /* the JSON key */
	enum field_type type;
	bool nullable;
	const char *unit;         /* "s", "KiB", "tasks", ...; NULL: none */
	size_t offset;            /* where the value lives in the level's struct */
	const char *csv;          /* the CSV column name; NULL: not a CSV column */
	bool added;               /* nullable, added after reports without it were
	                             written: absent reads as null */
};

struct field_table {
	const char *level;        /* "task", "exit", "run", ... (the schema's $defs name) */
	const struct field *fields;
	int n;
};

extern const struct field_table task_table, task_cgroup_table, exit_table, run_table, cpu_table, wall_table,
	summary_table, percentiles_table;

/* The value of field f in the struct at base. */
double *field_number(const struct field *f, void *base);
int *field_count(const struct field *f, void *base);
char **field_string(const struct field *f, void *base);
bool *field_bool(const struct field *f, void *base);
struct intlist *field_intlist(const struct field *f, void *base);
#define FIELD_CONST(fn, f, base) ((const void *)fn((f), (void *)(base)))

/* --detail: what a report keeps per task (the CSV export's level words). */
enum report_detail { DETAIL_TASK, DETAIL_RUN, DETAIL_MODE };
/* "task", "run" or "mode" */
const char *report_detail_name(enum report_detail d);
/* 0 and *out set, or -1 for any other word (no message). */
int report_detail_parse(const char *word, enum report_detail *out);

struct report_exit {
	char *status;             /* "exited", "signaled" or "not_started" */
	double code, signal;      /* the wait status; NAN: null */
	char *signal_name;
	double exitcode;          /* Python's: the code, or -N for signal N */
	bool timed_out;
	bool stopped;             /* tribench stopped it: not the task's failure */
	char *error;              /* why it could not start or failed inside tribench */
	char *extra;
};

/* The task's cgroup leaf: its whole tree, every descendant and thread. */
struct report_task_cgroup {
	double cpu_s, user_s, sys_s;          /* cpu.stat usage/user/system_usec */
	double cpu_some_s, cpu_full_s;        /* PSI stall totals (cpu.pressure) */
	double io_some_s, io_full_s;          /* io.pressure */
	double memory_some_s, memory_full_s;  /* memory.pressure */
	double procs_max;                     /* most processes seen in cgroup.procs */
	double memory_peak_kb;                /* memory.peak; NAN where it does not exist */
	char *extra;
};

/* --sample-tasks samples at most this many tasks in flight at once (one
 * schedstat read each per tick, ~9 us: 256 cost 2.4 ms, 5% of a 50 ms tick,
 * on the 2-core dev VM); the rest get state_samples null and a warning. */
#define SAMPLE_TASKS_MAX 256

struct report_task {
	double id, pid, slot;
	char *cpuset, *cpus_allowed;
	struct intlist cpus_seen;
	double start_s, end_s, wall_s, user_s, sys_s, running_s, ready_s, blocked_s;
	char *states_source;
	double voluntary_switches, involuntary_switches, max_rss_kb;
	double leftovers_killed;  /* processes of its tree alive when the leader was reaped */
	double zombie_s;          /* exit observed .. reaped: tribench's own latency */
	bool outside_slot;        /* cpus_seen holds a CPU outside the bound slot's cpuset */
	double rank;              /* the MPI rank that ran it (tribench-mpi); NAN: null (tribench) */
	struct report_task_cgroup *cgroup;  /* NULL: null (process-group containment, not started) */
	struct report_exit exit;
	bool has_state_samples;   /* the key is there (--sample-tasks); absent otherwise */
	char *state_samples;      /* its object as compact JSON text (json_state_samples
				   * made or checked it); NULL: null */
	char *extra;              /* unmodelled keys as a JSON object text, or NULL */
};

struct report_cpu {
	double cpu, busy, task_busy;
	char *extra;
};

/* The per-CPU series: busy[row * cpus.n + column]; t[row] ends the interval. */
struct report_samples {
	double period_s;
	struct intlist cpus;
	int n;
	double *t, *busy, *task_busy;
	char *extra;
};

/* Nearest-rank percentiles of one quantity over a run's started tasks that
 * have a value for it (seconds); NAN (null) when none has. */
struct report_percentiles {
	double p50, p90, p99, max;
};

/* runs[].task_stats: the per-task distributions, at every --detail. */
struct report_task_stats {
	struct report_percentiles wall_s, running_s, ready_s, blocked_s;
	bool present;             /* false: read from a report without task_stats (null) */
};

/*
 * What the table, the warnings and the summary need from a run's tasks,
 * summed as each task is seen (report_tally_task), so that none of them
 * walks the tasks: the collector keeps it for a live run, the reader for a
 * report read back. Memory: constant per run (used_cpus: at most the CPUs).
 */
struct report_run_tally {
	int tasks;                /* tasks added: 0 when none were seen (a report
				   * read back with null tasks: failed_tasks unknown) */
	int failed_tasks;         /* report_task_failed() */
	int first_failed_id;      /* the lowest failed id (when failed_tasks > 0) */
	char *first_failed_error; /* its error in a few words; owned */
	double share_sum[5];      /* running/ready/blocked share of wall, switches */
	int share_n[5];           /* tasks with that value (wall > 0) */
	bool has_trees;           /* a task's states came from its cgroup leaf */
	double tree_sum[3];       /* trees' cpu_s, cpu_some_s, io_some_s (seconds) */
	int tree_n[3];
	struct intlist used_cpus; /* CPUs of the tasks' cpusets, sorted */
	int outside;              /* tasks seen outside their slot */
	int outside_first_id, outside_first_cpu; /* the lowest such id (outside > 0) */
	int allowed_unread;       /* started tasks with cpus_allowed null */
	int tree_unread;          /* tasks whose cgroup numbers are partly null */
	const char *tree_unread_first; /* the first such file (a literal) */
	char *states_source;      /* the started tasks' states_source when all agree,
				   * "mixed" when not, NULL when none has one; owned */
};

struct spool;
struct json_fixes;

struct report_run {
	double wall_s, user_s, sys_s, runner_cpu_s, rss_floor_kb;
	double worker_cpu_s;      /* thread/coroutine: the worker's rusage user+sys; NAN: none */
	bool failed;              /* a task failed (exit code, signal, timeout) */
	bool partial;             /* stopped early (--halt, a signal): tasks not started */
	double suspended_s;       /* time its tasks were frozen by a Ctrl-Z (SIGTSTP) */
	bool in_summary;          /* neither failed, partial nor suspended: used in statistics */
	int ncpus;
	struct report_cpu *cpus;
	struct report_samples samples;
	bool samples_null;        /* --detail mode: "samples": null */
	struct report_task_stats task_stats;
	bool tasks_null;          /* --detail run or mode: "tasks": null (ntasks 0) */
	int ntasks;
	/* the tasks, in id order, come from one of: memory (a report read back),
	 * or the spool (a live run: spool_len bytes of lines at spool_off; tasks
	 * NULL). Walk them with report_run_foreach_task. */
	struct report_task *tasks;
	struct spool *spool;
	long long spool_off, spool_len;
	int (*spool_parse)(const char *line, struct report_task *out); /* a line -> a task (0/-1) */
	struct report_run_tally tally;
	char *extra;
};

struct report_summary {
	struct summary_stats wall;    /* over the usable runs: neither failed nor partial */
	double speedup, efficiency, serial_fraction;  /* NAN: null */
	int failed_runs;              /* measured runs with "failed": true */
	int failed_tasks;             /* failed tasks over the measured runs */
	char *wall_extra, *extra;
};

/*
 * A mode entry of a workload: one mode run with one slot count by one
 * executor. (mode, jobs, executor) identifies it: a --jobs sweep gives one
 * parallel entry per size. compare, export and the plots pair and name
 * entries on this key (report_entry_find, report_entry_label).
 */
struct report_mode {
	char *mode;
	int jobs;                 /* slots: 1 for serial and concurrent, the size for parallel */
	char *executor;           /* "process" (what runs each task) */
	char *plan;               /* the plan object as JSON text */
	int nslots;               /* the plan's slot count (efficiency) */
	int nwarmup;
	struct report_run *warmup_runs;
	int nruns;
	struct report_run *runs;
	struct report_summary summary;
	int schedstat_unread;     /* run time only, not in the JSON: tasks whose
				   * schedstat could not be read (a warning says so) */
	int unsampled, unsampled_runs; /* run time only: --sample-tasks left these
				   * started tasks unsampled (> 256 in flight), in so many runs */
	char *extra;
};

/* A run of task ids with the same spec: ids id .. id+count-1. */
struct report_task_spec {
	int id, count;
	char *kind;
	char *params;             /* the params object as compact JSON: the work it did */
	double ops;               /* params.ops of a cpu task, NAN when absent */
	char *extra;
};

/* workloads[].amdahl[]: Amdahl's law fitted to one executor's parallel
 * entries that have a speedup, when there are 2 sizes or more. */
struct report_amdahl {
	char *executor;
	struct intlist jobs;      /* the sizes fitted, in entry order */
	double serial_fraction;   /* f of 1/speedup = f + (1 - f)/jobs, least squares */
	double serial_fraction_se;/* its standard error; NAN (null) with too few sizes */
};

struct report_workload {
	char *name;
	char *parameters;         /* the parameters object as JSON text ({} when none) */
	int ntasks;               /* task ids: 0 .. ntasks-1 */
	int nspecs;               /* groups of consecutive ids sharing one spec */
	struct report_task_spec *specs;
	int nmodes;
	struct report_mode *modes;
	int namdahl;
	struct report_amdahl *amdahl;  /* made by report_summarise */
	char *extra;
};

struct report {
	char *source;             /* the file it came from, for messages (not written) */
	char *tool;               /* the tool object as JSON text */
	char *version;            /* tool.version */
	char *started_at;
	bool interrupted;
	char *containment;        /* "cgroup" or "pgroup" */
	int nwarnings;
	char **warnings;
	char *host;               /* the host object as JSON text */
	char *hostname;           /* host.hostname */
	char *config;             /* the config object as JSON text */
	char *modes;              /* config.modes joined with commas */
	char *policy;             /* config.policy */
	int runs, warmup, jobs;   /* config.runs, .warmup, .jobs (the first size) */
	struct intlist jobs_sweep;/* config.jobs_sweep: every parallel size, in order */
	double max_time_s;        /* config.max_time_s: --runs auto's budget, s; 0: --runs N */
	char *hook_failure;       /* the hook_failure object as JSON text; NULL: none */
	char *calibration;        /* JSON text */
	char *ranks;              /* tribench-mpi: the ranks array as JSON text; NULL: null */
	int nworkloads;
	struct report_workload *workloads;
	struct spool *spool;      /* a live run's task records (owned), or NULL */
	struct json_fixes *fixes; /* UTF-8 warnings of the spooled records (owned), or NULL */
	char *extra;
};

void report_free(struct report *r);
void report_run_free(struct report_run *run);
/* Append a warning (the report owns text). */
void report_add_warning(struct report *r, char *text);

/* Lookups by name; NULL when absent. */
const struct report_workload *report_workload_find(const struct report *r, const char *name);
/* w's entry with key's (mode, jobs, executor); NULL when absent. */
const struct report_mode *report_entry_find(const struct report_workload *w,
					    const struct report_mode *key);
/* Do two entries have the same (mode, jobs, executor)? */
bool report_entry_same(const struct report_mode *a, const struct report_mode *b);
/*
 * The entry's name: "mode", then "/jN" when r holds entries of that mode
 * with other jobs, then "/executor" when it holds entries of that mode with
 * other executors ("parallel/j4"); r2 (may be NULL) is a second report
 * whose variation counts too (compare names pairs alike). Caller frees.
 */
char *report_entry_label(const struct report *r, const struct report *r2, const struct report_mode *m);
const struct report_task_spec *report_task_spec_find(const struct report_workload *w, int id);

/* Did this task fail: a non-zero exit, a signal, a timeout? Not when it never
 * started or tribench stopped it (a stop signal, --halt now, a runtime
 * error): its run is partial, not failed. */
bool report_task_failed(const struct report_task *t);
/* Add task t to the tally (t stays the caller's). */
void report_tally_task(struct report_run_tally *tally, const struct report_task *t);
void report_tally_free(struct report_run_tally *tally);
/*
 * Each task of run in id order to fn, from memory or from the spool (parsed
 * one at a time: memory does not grow with the tasks); a run with null tasks
 * has none. Stops at fn's first non-zero result and returns it; -1 when the
 * spool cannot be read or a line not parsed (one line printed).
 */
int report_run_foreach_task(const struct report_run *run,
			    int (*fn)(const struct report_task *t, void *ctx), void *ctx);
/* A task's fields freed (not t itself). */
void report_task_free(struct report_task *t);
/* A run statistics may use: its in_summary (complete, no failed task, never
 * suspended). */
bool report_run_usable(const struct report_run *run);
/* The walls of the usable runs into walls (room for m->nruns); returns how many. */
int report_usable_walls(const struct report_mode *m, double *walls);
/*
 * Fill every entry's summary from its runs: wall statistics over the usable
 * runs only, failed_runs and failed_tasks over all measured runs, speedup
 * against the median of the serial entry of the same executor (else the
 * first serial entry; NAN when either has no usable run), efficiency per
 * slot, Karp-Flatt for parallel with 2 or more slots; then each workload's
 * amdahl fits (stats_amdahl_fit) over its parallel entries per executor.
 */
void report_summarise(struct report *r);
/* w's amdahl fits again from its entries' summary speedups (the reader's
 * way: the summaries are read as written). */
void report_fit_amdahl(struct report_workload *w);

#endif
