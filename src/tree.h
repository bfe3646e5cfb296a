#ifndef TRIBENCH_TREE_H
#define TRIBENCH_TREE_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "sampler.h"
#include "util.h"

/*
 * The sampled state of one task's tree while it runs: which CPUs its threads
 * were seen on (field 39 of /proc/TID/stat) and the running time of each
 * thread (field 1 of /proc/TID/schedstat) charged to the CPU it was last
 * seen on. The tree is the task's cgroup leaf (cgroup.threads), or, under
 * process groups, the threads of the leader and its descendants (walked from
 * the leader through /proc/PID/task and each thread's children file). Reading
 * is budgeted: a pass over the tree's threads may span several ticks,
 * resuming where it stopped.
 */
struct tree_thread {
	int tid;
	double running_s;         /* schedstat running time at its last reading */
};

/* Running time the samples charged to one CPU, for this tree. */
struct tree_cpu {
	int cpu;
	double s;
};

struct tree {
	struct intlist pass;      /* the tids of the pass in progress */
	int pos;                  /* next index into pass */
	bool in_pass;             /* a pass is in progress */
	struct tree_thread *known;/* sorted by tid: last readings, never shrunk */
	int nknown, alloc;
	int procs_max;            /* most processes seen in cgroup.procs (0: none seen) */
	double charged_s;         /* running time charged to CPUs so far */
	struct tree_cpu *by_cpu;  /* the same per CPU (a few entries: linear) */
	int nby, by_alloc;
	int leader_cpu;           /* the leader's last CPU (OS index), when known */
	bool have_leader_cpu;
};

/* A zeroed struct tree is an empty tree state (nothing read yet). */
/* Free what the tree state holds; it is left empty. */
void tree_free(struct tree *tr);

/*
 * Read at most budget files of the tree (leaf: cgroup.procs and
 * cgroup.threads at the start of a pass; leaf NULL: the walk, one task
 * directory per process and one children file per thread, at most budget - 2;
 * then 2 per thread), continuing the pass in progress. Each thread read charges its
 * running time since its last reading to the CPU it was last seen on
 * (sampler_charge on s) and adds that CPU to *seen (kept sorted). Returns the
 * files read; *pass_done is true when the pass reached its end (the next call
 * starts a new one). A thread that has gone costs its reads and is skipped.
 */
int tree_sample(struct tree *tr, const struct cgroup_leaf *leaf, pid_t leader, int budget,
		struct sampler *s, struct intlist *seen, bool *pass_done);
/*
 * The leader has exited (a zombie): charge its last schedstat running time
 * running_s (seconds) to cpu (its last CPU), then one full pass, unbudgeted,
 * over what is left in the leaf (cgroup.procs: 1 read; when not empty,
 * cgroup.threads and 2 per thread). Call before the leftovers are killed.
 * running_s < 0: the leader's schedstat was unread (nothing charged for it).
 * Returns how many processes were left in the leaf (cgroup.procs, the zombie
 * leader not among them), -1 when unread or without a leaf: group_end's count.
 */
int tree_leader_exit(struct tree *tr, const struct cgroup_leaf *leaf, pid_t leader,
		     double running_s, int cpu, struct sampler *s, struct intlist *seen);
/*
 * At the end of the task: charge what of its total CPU time total_s
 * (seconds: the leaf's cpu_s, or the leader's running time without a leaf)
 * was not charged by the samples (threads that ended between two readings)
 * to the CPUs the samples saw, in proportion to what each was charged; when
 * nothing was, to the leader's last CPU, or, when that is unknown too, in
 * equal shares to the CPUs of fallback (the slot's PUs, borrowed; never one
 * PU of a K-PU slot for all of it). Nothing when total_s is NAN or all was
 * charged.
 */
void tree_settle(struct tree *tr, double total_s, const struct intlist *fallback, struct sampler *s);

#endif
