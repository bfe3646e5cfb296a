#ifndef TRIBENCH_CGROUP_H
#define TRIBENCH_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

/*
 * cgroup v2 for containment: the only file that knows cgroupfs (as topo.c is
 * for hwloc). No controller is ever enabled: only core files are used
 * (cgroup.procs, cgroup.kill, cgroup.freeze, cgroup.events, cpu.stat, PSI),
 * so tribench never moves itself and never fights systemd.
 */

/* Where the v2 hierarchy is and where tribench sits in it. */
struct cgroup_where {
	int version;              /* 2: a cgroup2 mount exists (pure or hybrid); 1: v1 only; 0: none */
	bool hybrid;              /* v1 controllers mounted beside the cgroup2 mount */
	char mount[PATH_MAX];     /* the cgroup2 mount point, "" when none */
	char self[PATH_MAX];      /* tribench's own cgroup, absolute ("/sys/fs/cgroup/user.slice/..."), "" when unknown */
};

/* A pure function of the texts of /proc/self/mountinfo and /proc/self/cgroup:
 * 0, or -1 when they cannot be parsed (out->version is then 0). Handles pure
 * v2, hybrid (v2 at .../unified), v1-only and a namespaced container (mount
 * root not "/", "0::/" in the cgroup file). */
int cgroup_discover_text(const char *mountinfo, const char *self_cgroup, struct cgroup_where *out);
/* The same from this process's /proc files: 0, or -1 with errno (EINVAL:
 * the texts did not parse). A kernel without /proc/self/cgroup gives 0 with
 * version 0 or 1 and self "". */
int cgroup_discover(struct cgroup_where *out);
/* The start time of a /proc/PID/stat text (field 22, clock ticks since boot,
 * read after the last ')' since comm may hold one): 0, or -1 with EINVAL. */
int cgroup_parse_starttime(const char *stat, unsigned long long *out);

struct intlist;

/* A leaf's cumulative counters (microseconds since the leaf was made). */
struct cgroup_stats_raw {
	double usage_us, user_us, system_us;   /* cpu.stat; NAN unread */
	double some_us[3], full_us[3];         /* PSI totals, enum cgroup_psi order; NAN unread */
};

/*
 * Leaves t0 .. t<CGROUP_LEAF_KEEP - 1> (serial's one, parallel's slots) keep
 * their descriptors open between tasks, the counters read with pread: each
 * task then costs no open or close of a cgroup file. Leaves beyond (a
 * concurrent run's thousands) open what they need and close it at rest. Only
 * where RLIMIT_NOFILE leaves room (cgroup_run.keep): an optimisation never
 * makes a run need more descriptors.
 */
#define CGROUP_LEAF_KEEP 8
/* Descriptors a kept leaf holds: its directory, cgroup.events, cpu.stat and
 * the three pressure files. */
#define CGROUP_LEAF_KEPT_FDS 6

/* One leaf: the cgroup a task tree lives in, reused for the next task. */
struct cgroup_leaf {
	int index;
	char path[PATH_MAX];
	int dirfd;                /* O_PATH|O_DIRECTORY, for clone3 CLONE_INTO_CGROUP; -1 at rest */
	int events_fd;            /* cgroup.events: POLLPRI when populated changes; -1 at rest */
	bool keep;                /* a kept leaf: its descriptors stay open between tasks */
	int stat_fd[4];           /* kept leaves: cpu.stat, cpu/io/memory.pressure; else -1 */
	bool busy;                /* handed out by cgroup_leaf_get */
	bool killed;              /* cgroup.kill was written: not reused (see cgroup_leaf_put) */
	bool have_base;           /* base holds the counters before the next task */
	bool peak_absent;         /* memory.peak did not exist at the first look */
	int tasks;                /* tasks that ran in this leaf (memory.peak is for the first) */
	struct cgroup_stats_raw base;
};

/* The run cgroup beneath tribench's own, named tribench-PID-STARTTIME (the
 * owner's pid and its start time in clock ticks, field 22 of /proc/PID/stat),
 * and its pool of leaves. */
struct cgroup_run {
	char path[PATH_MAX];
	int keep;                 /* leaves below this index are kept (CGROUP_LEAF_KEEP at most) */
	int nleaves, alloc;
	struct cgroup_leaf **leaves;
};

/* Create the run cgroup: 0, or -1 with errno (EACCES/EROFS/ENOENT: not
 * writable here, or no cgroup2 mount or unknown self; ENOTSUP: w->self is not
 * on cgroup2, so nothing is made there; EEXIST: this process already has
 * one). The caller falls back to process groups. Prints nothing. *run is
 * zeroed first, so cgroup_run_destroy is safe after a failure. */
int cgroup_run_create(const struct cgroup_where *w, struct cgroup_run *run);
/* Kill everything in the run cgroup and its leaves, wait until they are
 * empty (2 s at most in all), close the leaves' fds, remove the directories,
 * free the pool and zero *run. Safe on a run that was never created (zeroed).
 * A directory that cannot be removed gets one warning line (a later
 * cgroup_reap_stale removes it). */
void cgroup_run_destroy(struct cgroup_run *run);
/*
 * Run cgroups beside ours (tribench-PID-STARTTIME under w->self) whose owner
 * is gone (no such pid, or another start time): killed (cgroup.kill on the
 * run dir covers its leaves) and removed, leaves first, waiting 2 s at most
 * for each to empty. Returns how many, -1 with errno when w->self cannot be
 * listed or one of them could not be removed (the others still are);
 * *names gets the removed ones' paths joined by ", " (caller frees; NULL
 * when none). 0 when there is no cgroup2 hierarchy. Prints nothing.
 */
int cgroup_reap_stale(const struct cgroup_where *w, char **names);

/* An empty leaf <run>/t<index> (made on first need, then reused; the pool
 * grows only to the most leaves busy at once; its 2 fds are open until
 * cgroup_leaf_rest, for good in a kept leaf): 0, or -1 with
 * errno (EINVAL: no run). The run owns the leaf. */
int cgroup_leaf_get(struct cgroup_run *run, struct cgroup_leaf **out);
/* Close the leaf's descriptors until it is handled again (after the launch):
 * each leaf function reopens what it needs. A kept leaf (index below
 * CGROUP_LEAF_KEEP) keeps them. */
void cgroup_leaf_rest(struct cgroup_leaf *leaf);
/* Hand a leaf back; it must be empty (cgroup_wait_empty). A leaf that was
 * killed is replaced by a fresh one of the same name. */
void cgroup_leaf_put(struct cgroup_run *run, struct cgroup_leaf *leaf);

/* 1 populated, 0 empty (cgroup.events "populated"), -1 with errno. */
int cgroup_populated(struct cgroup_leaf *leaf);
/* Wait until the leaf is empty, up to timeout_ms (-1: forever): 0, or -1
 * (ETIMEDOUT, or errno). Note the kernel says empty once the last member is
 * a zombie, before it is reaped. */
int cgroup_wait_empty(struct cgroup_leaf *leaf, int timeout_ms);
/* How many processes are in the leaf now (cgroup.procs), -1 with errno. */
int cgroup_count(struct cgroup_leaf *leaf);
/* SIGKILL every process in the leaf: cgroup.kill, or on kernels without it
 * freeze, SIGKILL each pid in cgroup.procs, thaw. 0, or -1 with errno. */
int cgroup_kill(struct cgroup_leaf *leaf);
/* Send sig to every process of the leaf, frozen meanwhile so that none forks
 * past it (the TERM phase of a stop keeps --grace meaningful; a freeze that
 * has not settled within 1 s is not waited for further). Always thaws.
 * 0, or -1 with errno. */
int cgroup_signal(struct cgroup_leaf *leaf, int sig);
/* Freeze (true) or thaw (false) the whole run cgroup, leaves included, with
 * one write of its cgroup.freeze (a Ctrl-Z of tribench). Freezing waits for
 * "frozen 1" in its cgroup.events, 1 s at most (a task in an uninterruptible
 * sleep can hold it up; not waited for further). 0, or -1 with errno
 * (ENOENT: a kernel before 5.2, without cgroup.freeze). */
int cgroup_run_freeze(const struct cgroup_run *run, bool frozen);
/* Move pid into the leaf by writing cgroup.procs (the fallback join when
 * clone3 CLONE_INTO_CGROUP is not available): 0, or -1 with errno.
 * Async-signal-safe (no allocation): a child may call it after fork. */
int cgroup_join(const struct cgroup_leaf *leaf, pid_t pid);

/* ---- a leaf's numbers: cpu.stat, PSI, memory.peak ----------------------- */

/* Which pressure file: the order of cgroup_stats_raw's some_us/full_us. */
enum cgroup_psi { CGROUP_PSI_CPU, CGROUP_PSI_IO, CGROUP_PSI_MEMORY, CGROUP_PSI_COUNT };

/*
 * usage_usec, user_usec and system_usec of a cpu.stat text (microseconds
 * since the cgroup was made). Pure: 0, or -1 when usage_usec is missing;
 * a missing user_usec or system_usec is NAN.
 */
int cgroup_parse_cpu_stat(const char *text, double *usage_us, double *user_us, double *system_us);
/*
 * The total= of the "some" and "full" lines of a *.pressure text
 * (microseconds of wall time with at least one task of the group stalled /
 * all of its non-idle tasks stalled). Pure: 0, or -1 when there is no "some"
 * line with a total; a missing "full" line gives *full_us NAN.
 */
int cgroup_parse_pressure(const char *text, double *some_us, double *full_us);

/*
 * Read the leaf's cumulative counters now (cpu.stat and the three pressure
 * files: 4 reads, a pread on a kept descriptor in a kept leaf) into *out; a
 * value that cannot be read is NAN. Returns how many of the four files could
 * not be read (0: all read).
 */
int cgroup_stats_read(struct cgroup_leaf *leaf, struct cgroup_stats_raw *out);
/*
 * memory.peak of the leaf in bytes, or -1 with errno (ENOENT: no memory
 * controller here, the usual case under a hybrid hierarchy). Note the value
 * is the high-water mark since the leaf was made, across every task it held.
 */
long long cgroup_memory_peak(const struct cgroup_leaf *leaf);
/*
 * The pids in the leaf's cgroup.procs (threads false) or cgroup.threads
 * (threads true), appended to *out (caller-owned). The count, or -1 with errno.
 */
int cgroup_pids(const struct cgroup_leaf *leaf, bool threads, struct intlist *out);

#endif
