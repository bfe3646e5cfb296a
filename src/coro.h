#ifndef TRIBENCH_CORO_H
#define TRIBENCH_CORO_H

/*
 * Coroutines on an event loop, one loop per loop thread (the coroutine
 * executor, issue 14). A coroutine runs a task kind's run() on its own stack
 * (glibc ucontext); its waits and IO go through the loop (task_ctx ops), so
 * the loop runs the other coroutines meanwhile. Nothing preempts a
 * coroutine: a CPU-bound one runs to its end (or to its stop check).
 *
 * Two loops, the same measurements:
 *   - io_uring (liburing): timeouts, read, write, fsync, fadvise as SQEs;
 *   - libuv (epoll, its timers, its thread pool for file IO), where
 *     io_uring is refused (containers, seccomp) or TRIBENCH_NO_IO_URING=1.
 *
 * Per coroutine the loop measures, from clocks only:
 *   running  CLOCK_THREAD_CPUTIME_ID of the loop thread over its resumptions;
 *   ready    runnable and not running: from its spawn or wake-up (the
 *            completion seen by the loop) to its resumption, plus the wall
 *            time of its resumptions that was not CPU time (the kernel ran
 *            something else on the loop thread's PU);
 *   blocked  from a suspension on a timer or an IO to its wake-up;
 * so running + ready + blocked = end - start (CLOCK_MONOTONIC).
 */
#include <stdbool.h>
#include <stdint.h>

#include "tasks/ctx.h"

enum loop_kind { LOOP_URING, LOOP_UV };

/* "io_uring" or "libuv": the report's run.loop. */
const char *loop_kind_name(enum loop_kind k);

/* The loop this process uses: io_uring, unless TRIBENCH_NO_IO_URING=1 is set
 * or io_uring_queue_init is refused here (then *why, when why is not NULL,
 * is a malloc'd sentence saying which and with what errno; else NULL).
 * Probes once per process. */
enum loop_kind coro_loop_kind(char **why);

/* What one coroutine did, filled when it returns. */
struct coro_result {
	double start_s, end_s;    /* now_s(): spawned, returned */
	double running_s, ready_s, blocked_s;   /* seconds, as above */
	double user_s, sys_s;     /* getrusage(RUSAGE_THREAD) deltas over its resumptions */
	long yields;              /* its suspensions on a timer or an IO */
	uint64_t cpus_seen[16];   /* bit c: a resumption ran on OS CPU c (sched_getcpu) */
	int rc;                   /* fn's return */
	bool stopped;             /* its ctx saw a stop (flag or deadline) */
};

struct coro_loop;

/*
 * A loop for the calling thread (which runs it): kind as coro_loop_kind
 * chose, stop the worker's flag (NULL: none) and stop_fd the eventfd that
 * becomes readable when it is set (-1: none). NULL with one error line
 * when the loop cannot be made.
 */
struct coro_loop *coro_loop_new(enum loop_kind kind, const volatile int *stop, int stop_fd);

/*
 * Add a coroutine that runs fn(arg, ctx), ready at once (its ready time
 * starts now). deadline: the now_s() at which its ctx says stop (--timeout),
 * 0 none. done(arg, r) is called on the loop thread after fn returns; r is
 * valid during the call only. 0, or -1 with errno (no memory for a stack).
 * Only from the loop's thread (fn, done or admit may call it).
 */
int coro_spawn(struct coro_loop *l, int (*fn)(void *arg, struct task_ctx *ctx), void *arg,
	       double deadline, void (*done)(void *arg, const struct coro_result *r));

/*
 * Run the loop on the calling thread: admit(arg, l) is called first and
 * after each coroutine ends (it spawns what admission allows); returns when
 * no coroutine is left after an admit. When the stop flag is set, every
 * wait is cancelled: waiting coroutines resume with ECANCELED and end.
 * 0, or -1 with one error line when the loop itself failed (the coroutines
 * still in it were ended as stopped, their done called).
 */
int coro_loop_run(struct coro_loop *l, void (*admit)(void *arg, struct coro_loop *l), void *arg);

/* Coroutines alive in l (spawned, not yet done). */
int coro_loop_count(const struct coro_loop *l);

/* Free l (after coro_loop_run returned); NULL is ignored. */
void coro_loop_free(struct coro_loop *l);

#endif
