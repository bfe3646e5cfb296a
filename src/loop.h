#ifndef TRIBENCH_LOOP_H
#define TRIBENCH_LOOP_H

/*
 * The coroutine loop's inside (coro.c), shared with its two backends
 * (loop_uring.c, loop_uv.c); nothing outside these three files includes it.
 *
 * A coroutine lives at the top of its own mapping: a guard page, its stack,
 * then struct coro. Finished coroutines go to the loop's free list whole
 * (mapping, stack and the backend's handles), so a spawn costs no mmap once
 * the loop has made as many as were ever alive at once.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <ucontext.h>

#include <liburing.h>
#include <uv.h>

#include "coro.h"

/* What a suspended coroutine waits for. */
enum coro_op { OP_NONE, OP_SLEEP, OP_WRITE, OP_READ, OP_FSYNC, OP_FADVISE };
enum coro_state { CORO_READY, CORO_RUNNING, CORO_WAITING, CORO_DONE };

struct coro {
	struct coro_loop *loop;
	ucontext_t uc;
	void *map;                /* the mapping: guard page, stack, this */
	size_t map_size;
	void *stack;              /* the stack's lowest byte (above the guard) */
	size_t stack_size;
	void *asan_fake;          /* ASan's fake stack while switched away */

	int (*fn)(void *arg, struct task_ctx *ctx);
	void *arg;
	void (*done)(void *arg, const struct coro_result *r);
	struct task_ctx ctx;      /* .exec = this */
	struct coro_result r;
	enum coro_state state;
	double wake_s;            /* now_s(): spawned, or its completion seen */
	double susp_s;            /* now_s(): its last suspension */
	bool stranded;            /* the loop failed with its IO in flight:
	                             never resumed, its mapping never reused */

	struct coro *next;        /* ready FIFO, or the free list */
	struct coro *all_prev, *all_next;   /* alive (spawned, not done) */

	/* The wait it is suspended on: set by coro.c, read by the backend. */
	enum coro_op op;
	int fd, advice;
	void *buf;
	size_t n;
	off_t off, len;
	uint64_t end_ns;          /* OP_SLEEP: CLOCK_MONOTONIC ns */
	long long res;            /* the completion: >= 0, or -errno
	                             (OP_SLEEP: -ETIME at its end) */

	/* The backends' own. */
	struct __kernel_timespec ts;   /* io_uring: the timeout's end */
	bool uv_timer_ready;           /* libuv: timer initialised (closed at free) */
	uv_timer_t timer;
	union {
		uv_fs_t fs;
		uv_work_t work;
	} req;
};

struct loop_backend {
	/* 0, or -1 with one error line. */
	int (*init)(struct coro_loop *l);
	void (*fini)(struct coro_loop *l);
	/* Start c's wait (c->op and its fields): 0, or -1 with one error line
	 * (the loop has failed). */
	int (*submit)(struct coro_loop *l, struct coro *c);
	/* Pass what was submitted to the kernel and hand every completion seen
	 * to coro_complete(); block == true: wait for at least one event (a
	 * completion, the stop fd) first. 0, or -1 with one error line. */
	int (*poll)(struct coro_loop *l, bool block);
	/* The stop flag is set: end every sleep now (its completion with
	 * -ECANCELED); IO in flight is left to finish (it is short, and a
	 * task reads a failed write as a failure). 0 or -1 (error line). */
	int (*cancel)(struct coro_loop *l);
};

extern const struct loop_backend loop_uring_backend, loop_uv_backend;

struct coro_loop {
	enum loop_kind kind;
	const struct loop_backend *be;
	const volatile int *stop;
	int stop_fd;
	const volatile double *held_s;  /* the coroutines' ctx->held_s */
	ucontext_t main;          /* the loop thread's context while a coroutine runs */
	const void *main_bottom;  /* ASan: the loop thread's stack */
	size_t main_size;
	void *asan_fake;
	struct coro *current;
	struct coro *ready_head, *ready_tail;
	struct coro *free;
	struct coro *all;         /* alive, doubly linked */
	int alive, waiting;       /* spawned and not done; suspended on a wait */
	bool failed;              /* a submit or a poll failed: everything stops */
	bool cancelled;           /* the stop was seen and the sleeps cancelled */
	long stranded;            /* coroutines left behind by a failure (leaked) */
	/* getrusage(RUSAGE_THREAD) at the end of the last resumption, which is
	 * the next one's start unless the loop blocked since: with tick-based
	 * accounting (the usual) the kernel moves the thread's user and system
	 * times only at ticks and switches, so a second read would say the same. */
	struct rusage ru_last;
	bool ru_valid;

	/* io_uring */
	struct io_uring ring;
	bool ring_ready;
	bool stop_armed;          /* a POLL_ADD on stop_fd is in flight */
	unsigned unsubmitted;     /* SQEs taken since the last submit */
	/* libuv */
	uv_loop_t uv;
	bool uv_ready;
	uv_poll_t stop_poll;
	bool stop_poll_ready;
};

/* The backend saw c's wait complete with res (>= 0, or -errno): c becomes
 * ready at now (now_s(), one read per batch of completions). */
void coro_complete(struct coro_loop *l, struct coro *c, long long res, double now);

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t mono_ns(void);

#endif
