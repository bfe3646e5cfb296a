#ifndef TRIBENCH_TASKS_CTX_H
#define TRIBENCH_TASKS_CTX_H

/*
 * The run context a built-in kind's run() does its waiting, its IO and its
 * stop checks through, so that one kernel runs under every executor:
 *   - process: ops NULL, no stop flag, no deadline: blocking calls, and the
 *     task is stopped by a signal like any process;
 *   - thread: ops NULL, the worker's stop flag and stop_fd, the task's
 *     --timeout deadline: blocking calls that return early on a stop;
 *   - coroutine: the loop's ops (coro.c): a wait or an IO suspends the
 *     coroutine and the loop runs others meanwhile.
 * Kernels (cpu, mem) call task_stop_requested() at least every 1 ms of work.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct task_ctx;

/* An executor's own waits and IO; each returns as the blocking call would
 * (-1 and errno on failure), and a wait cut short by a stop returns -1 with
 * errno ECANCELED and sets ctx->stopped. */
struct task_ctx_ops {
	int (*sleep_ns)(struct task_ctx *c, uint64_t ns);
	ssize_t (*pwrite)(struct task_ctx *c, int fd, const void *buf, size_t n, off_t off);
	ssize_t (*pread)(struct task_ctx *c, int fd, void *buf, size_t n, off_t off);
	int (*fsync)(struct task_ctx *c, int fd);
	int (*fadvise)(struct task_ctx *c, int fd, off_t off, off_t len, int advice);
};

struct task_ctx {
	const struct task_ctx_ops *ops;   /* NULL: blocking system calls */
	const volatile int *stop;         /* nonzero: stop now (the worker's flag); NULL: none */
	int stop_fd;                      /* readable once *stop is set (an eventfd), -1: none */
	double deadline;                  /* now_s() at which --timeout stops the task; 0: none */
	const volatile double *held_s;    /* seconds the task was held by Ctrl-Z so far, which
	                                     move the deadline (tribench writes it); NULL: none */
	bool stopped;                     /* set when a check or a wait saw a stop */
	void *exec;                       /* the executor's own (the coroutine), NULL: none */
};

/* A context for a task that is its own process: no flag, no deadline. */
#define TASK_CTX_PROCESS ((struct task_ctx){.stop_fd = -1})

/* The deadline as it stands: deadline + *held_s; 0 when there is none. */
double task_deadline(const struct task_ctx *c);

/* Has a stop been asked for (the flag set, or the deadline passed on
 * CLOCK_MONOTONIC)? Sets c->stopped when so. Costs one vDSO clock read when
 * there is a deadline; cheap enough for every 1 ms of a kernel. */
bool task_stop_requested(struct task_ctx *c);

/* Wait ms milliseconds on CLOCK_MONOTONIC: 0, or -1 (errno ECANCELED) when a
 * stop cut it short (the flag, or the deadline, whichever comes first). */
int task_sleep_ms(struct task_ctx *c, uint64_t ms);
/* pwrite/pread/fsync/posix_fadvise through the executor: as the system
 * calls return (fadvise: 0 or an error number, as posix_fadvise). */
ssize_t task_pwrite(struct task_ctx *c, int fd, const void *buf, size_t n, off_t off);
ssize_t task_pread(struct task_ctx *c, int fd, void *buf, size_t n, off_t off);
int task_fsync(struct task_ctx *c, int fd);
int task_fadvise(struct task_ctx *c, int fd, off_t off, off_t len, int advice);

#endif
