#ifndef TRIBENCH_INFLIGHT_H
#define TRIBENCH_INFLIGHT_H

/*
 * The tasks in flight: a pool of task records (and their sampled trees),
 * reused as tasks end, so a run holds as many records as it ever had in
 * flight at once, never one per task id; a pid -> pool index map (open
 * addressing), and the dense list of busy pool indexes. Every operation is
 * O(1) (amortised: the pool doubles up to its bound).
 */
#include <sys/types.h>

#include "record.h"
#include "tree.h"

struct inflight {
	struct task_record *t;    /* the pool, cap entries; busy where pos[i] >= 0 */
	struct tree *trees;       /* per pool index: the tree as sampled */
	int *pos;                 /* per pool index: its place in active, -1 free */
	int *active;              /* busy pool indexes, n of them, in no order */
	int *freelist, nfree;     /* free pool indexes */
	int n, cap, max;          /* busy, allocated, the most ever allowed */
	int *map;                 /* pid -> pool index (-1: empty), mapcap entries */
	int mapcap;               /* a power of two, >= 2 * cap */
	void (*grown)(void *arg, int cap); /* told the new cap when the pool grows */
	void *grown_arg;
};

/* Empty, for at most max tasks in flight (max >= 1); nothing allocated yet. */
void inflight_init(struct inflight *f, int max);
/* Free the pool; every record must have been released. */
void inflight_free(struct inflight *f);
/* A zeroed record's pool index, busy from now on (not yet in the map): the
 * pool grows when none is free. -1 when max are busy. */
int inflight_take(struct inflight *f);
/* Index idx runs pid: findable by inflight_find from now on. */
void inflight_map(struct inflight *f, int idx, pid_t pid);
/* The pool index of the task whose leader is pid, or -1. */
int inflight_find(const struct inflight *f, pid_t pid);
/* Give idx back: out of the map (when mapped) and the active list; its
 * record's strings, lists and state trace are freed and it is zeroed. */
void inflight_release(struct inflight *f, int idx);

#endif
