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
 * so running + ready + blocked = end - start (CLOCK_MONOTONIC), exactly up
 * to the clock reads (each resumption's wall reads enclose its CPU reads).
 * Ready coroutines run in the order they became ready (spawn order first);
 * the loop sees completions when no coroutine is ready, and (io_uring) after
 * each resumption too, where seeing them costs no system call.
 *
 * Waits: a sleep is a timer at min(its end, the deadline) (libuv: 1 ms
 * granularity, never shorter than asked); disk IO goes to the kernel
 * (io_uring SQEs) or libuv's thread pool, fadvise too. On a stop, sleeps end
 * at once with ECANCELED; IO in flight is left to finish (it is short, and a
 * kind reads a failed write as a failure), the task sees the stop after it.
 *
 * Cost here (2 vCPUs, about 1.1 us per system call): a trivial coroutine's
 * spawn, run and done take about 6.5 us (a sigprocmask in each of the two
 * switches, two thread CPU clock reads and a getrusage); a stack is mapped
 * only when none is free (64 KiB and a guard page, MAP_NORESERVE).
 */
#include <stdbool.h>
#include <stdint.h>

#include "tasks/ctx.h"

enum loop_kind { LOOP_URING, LOOP_UV };

/* "io_uring" or "libuv": the report's run.loop. */
const char *loop_kind_name(enum loop_kind k);

/* The loop this process uses: io_uring, unless TRIBENCH_NO_IO_URING is set
 * (to anything but "" or "0") or io_uring_queue_init is refused here, or the
 * kernel's io_uring lacks an opcode the loop uses (then *why, when why is not
 * NULL, is a malloc'd sentence saying which and with what errno; else NULL).
 * Probes once per process (pthread_once), so the environment is read once. */
enum loop_kind coro_loop_kind(char **why);

/* What one coroutine did, filled when it returns. */
struct coro_result {
	double start_s, end_s;    /* now_s(): spawned, returned */
	double running_s, ready_s, blocked_s;   /* seconds, as above */
	double user_s, sys_s;     /* getrusage(RUSAGE_THREAD) deltas over its resumptions
	                             (tick-granular: the kernel moves them at ticks
	                             and switches; back-to-back resumptions share a
	                             read) */
	long yields;              /* its suspensions on a timer or an IO */
	uint64_t cpus_seen[16];   /* bit c: a resumption ran on OS CPU c (sched_getcpu) */
	int rc;                   /* fn's return */
	bool stopped;             /* its ctx saw a stop (flag or deadline) */
};

struct coro_loop;

/*
 * A loop for the calling thread (which runs it): kind as coro_loop_kind
 * chose, stop the worker's flag (NULL: none) and stop_fd the eventfd that
 * becomes readable when it is set (-1: none; then a waiting loop sees the
 * flag only at its next completion). Set the flag before writing the fd.
 * The fd is only watched, never read (one eventfd may serve every loop of
 * a worker); libuv makes it non-blocking. NULL with one error line when
 * the loop cannot be made (io_uring_queue_init, uv_loop_init refused).
 */
struct coro_loop *coro_loop_new(enum loop_kind kind, const volatile int *stop, int stop_fd,
				const volatile double *held_s);

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
 * 0, or -1 with one error line when the loop itself failed (a submit or a
 * wait for completions): then admit is called no more, every coroutine in
 * it is marked stopped, its sleeps are cancelled and the loop drains its
 * waits so that each resumes, sees its stop and unwinds its own stack
 * (done called with stopped true). Should even that wait fail, a
 * coroutine whose IO is still in flight is not resumed (the kernel may yet
 * write to its buffer): its done is called with rc -1 and stopped, and its
 * stack is left mapped for good.
 */
int coro_loop_run(struct coro_loop *l, void (*admit)(void *arg, struct coro_loop *l), void *arg);

/* Coroutines alive in l (spawned, not yet done). */
int coro_loop_count(const struct coro_loop *l);

/* Free l (after coro_loop_run returned); NULL is ignored. */
void coro_loop_free(struct coro_loop *l);

#endif
