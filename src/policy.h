#ifndef TRIBENCH_POLICY_H
#define TRIBENCH_POLICY_H

/*
 * The scheduler's policy over tasks in flight: timeouts (SIGTERM due), the
 * grace (SIGKILL due after a SIGTERM), --halt, and the stop signals (TERM
 * all, a second one KILLs). Each in-flight task has at most one pending
 * deadline; the deadlines are a binary min-heap indexed by the task's pool
 * index, so the next one is O(1) and any change O(log n).
 */
#include <stdbool.h>

struct run_state;
struct task_record;

struct deadlines {
	int *heap, n;             /* pool indexes, earliest deadline first */
	int *hpos;                /* per pool index: its place in heap, -1 none */
	double *key;              /* per pool index: its deadline (run seconds) */
	int cap;                  /* pool indexes the arrays hold */
};

/* Room for pool indexes 0..cap-1 (the pool grew); new ones hold no deadline. */
void deadlines_reserve(struct deadlines *d, int cap);
void deadlines_free(struct deadlines *d);

/* Recompute pool index idx's pending deadline from its record (term_at while
 * no SIGTERM was sent, else kill_at; none when 0) and fix the heap. */
void policy_update(struct run_state *rs, int idx);
/* idx is leaving the pool: forget its deadline. */
void policy_forget(struct run_state *rs, int idx);

/* sig to the task's whole tree; SIGTERM sets its SIGKILL due after the grace. */
void policy_signal(struct run_state *rs, int idx, int sig);
/* TERM every in-flight task and KILL after the grace; now: KILL at once.
 * Nothing more is started. O(in flight). */
void policy_terminate_all(struct run_state *rs, bool now);
/* A task ended (out of the pool already); failed: its exit code, a signal
 * or a timeout. Counts failures for --halt, which may stop the run. */
void policy_task_ended(struct run_state *rs, bool failed);
/* Deliver every SIGTERM (timeout) and SIGKILL (grace over) now due:
 * O(k log n) for k due. */
void policy_enforce(struct run_state *rs);
/* Milliseconds until the next deadline, -1 when none: O(1). */
int policy_next_ms(const struct run_state *rs);
/* After a suspension of held_s seconds: every pending deadline moves by as
 * much (the heap's order is unchanged). O(in flight). */
void policy_shift(struct run_state *rs, double held_s);

#endif
