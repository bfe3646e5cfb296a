#ifndef TRIBENCH_GROUP_H
#define TRIBENCH_GROUP_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "report_model.h"

/*
 * Containment: what holds a task's whole process tree so that nothing of it
 * outlives the task. A cgroup v2 leaf where tribench can make one (every
 * process that does not move itself out of the hierarchy is held), else the
 * task's process group (a descendant that calls setsid or setpgid escapes it;
 * tribench's subreaper sweep after each run catches those).
 */
enum containment_kind { CONTAIN_AUTO, CONTAIN_CGROUP, CONTAIN_PGROUP };

struct containment {
	enum containment_kind kind;   /* CGROUP or PGROUP once set up */
	struct cgroup_where where;    /* what discovery found (version 0: none) */
	struct cgroup_run run;        /* the run cgroup, when kind is CGROUP */
};

/* "auto", "cgroup" or "pgroup" -> kind: 0, or -1 (no message). */
int containment_parse(const char *s, enum containment_kind *out);
const char *containment_name(enum containment_kind k);

/*
 * Set up what was asked: AUTO tries a run cgroup and falls back to process
 * groups, setting *why (caller frees) to the one warning that says how to get
 * full containment; CGROUP fails (-1, one error line) when no writable v2
 * hierarchy exists; PGROUP uses process groups. Run cgroups left by a
 * tribench that died with its watchdog are killed first (*stale: their
 * names, caller frees, NULL when none).
 */
int containment_init(struct containment *c, enum containment_kind asked, char **why, char **stale);
/* Kill what is left in the run cgroup and remove it. */
void containment_fini(struct containment *c);
/*
 * Freeze (true) or thaw (false) every task tree of the run at once, for a
 * Ctrl-Z: one write of the run cgroup's cgroup.freeze (its leaves follow);
 * see cgroup_run_freeze. 0, or -1 with errno: ENOTSUP under process groups,
 * or the kernel's (no cgroup.freeze before 5.2): the caller then stops each
 * task's group itself.
 */
int containment_freeze(struct containment *c, bool frozen);

/* One task's tree: a cgroup leaf, or its process group (leader = pgid). */
struct task_group {
	pid_t leader;
	struct cgroup_leaf *leaf;     /* NULL: process group */
};

/* Take a leaf for the next task (cgroup) or nothing (pgroup): 0, or -1 with
 * errno. A leaf's first use reads its counters (4 small files) as the
 * baseline group_stats subtracts. */
int group_open(struct containment *c, struct task_group *g);
/* The task has been started in the group: the leaf's descriptors can close. */
void group_launched(struct task_group *g);
/* SIGKILL the whole tree. */
void group_kill(const struct task_group *g);
/* sig to the whole tree: cgroup, frozen meanwhile so none forks past it;
 * pgroup, the group and the leader itself (one that left its group too). */
void group_signal(const struct task_group *g, int sig);
/*
 * The leader has exited (a zombie, not yet reaped): kill what is left of its
 * tree and, for a cgroup, wait until the leaf is empty, so the next task of
 * the slot starts alone. left: how many processes the caller just read in
 * the leaf (cgroup.procs), or -1 to have them counted here. Returns how many
 * were still alive (the tutorial's orphans), or -1 where that cannot be
 * counted (pgroup, or unreadable).
 */
int group_end(const struct task_group *g, int left);
/* Hand the leaf back (after group_end). */
void group_close(struct containment *c, struct task_group *g);

/*
 * The tree's numbers over the task, from its cgroup leaf: cpu.stat
 * (cpu_s, user_s, sys_s) and the PSI totals of cpu/io/memory.pressure
 * (some/full, seconds of wall time), each the leaf's counter now less its
 * value before the task (the leaf is empty between tasks, so its counters
 * do not move then); memory_peak_kb from memory.peak only where the file
 * exists and the leaf was fresh for this task (a reused leaf's peak could be
 * an earlier task's), else NAN. procs_max is left to the caller. Call after
 * group_end (the leaf is empty, its counters final), before group_close: 4
 * reads (5 where memory.peak exists). Returns -1 for a process group (out
 * untouched), else how many of the leaf's files could not be read (their
 * values NAN; a missing "full" line is NAN but not counted).
 */
int group_stats(struct task_group *g, struct report_task_cgroup *out);

#endif
