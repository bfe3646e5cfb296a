/*
 * Coroutines on an event loop (coro.h): stacks, switches, the measurements,
 * the run loop and the task_ctx ops; the waits themselves are the backend's
 * (loop_uring.c, loop_uv.c through loop.h).
 *
 * Switches are glibc's swapcontext (it saves and restores the signal mask:
 * one rt_sigprocmask per switch, about 1 us here). Under AddressSanitizer
 * every switch is announced to it (__sanitizer_*_switch_fiber), or it would
 * take a coroutine's stack for a stack overflow of the loop thread's.
 */
#include "config.h"
#include "coro.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "util.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN 1
#endif

#ifdef CORO_ASAN
#include <sanitizer/common_interface_defs.h>
/* ASan's frames are larger (redzones): more room, still only touched pages. */
#define CORO_STACK (512 * 1024)
#else
#define CORO_STACK (64 * 1024)
#define __sanitizer_start_switch_fiber(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#define __sanitizer_finish_switch_fiber(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#endif

uint64_t mono_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static double ts_s(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec * 1e-9;
}

static double tv_s(const struct timeval *t)
{
	return (double)t->tv_sec + (double)t->tv_usec * 1e-6;
}

const char *loop_kind_name(enum loop_kind k)
{
	return k == LOOP_URING ? "io_uring" : "libuv";
}

/* ---- which loop ---------------------------------------------------------- */

static pthread_once_t probe_once = PTHREAD_ONCE_INIT;
static enum loop_kind probed_kind;
static char *probed_why;

/* The opcodes the io_uring backend submits. */
static const struct {
	int op;
	const char *name;
} uring_ops[] = {
	{IORING_OP_TIMEOUT, "IORING_OP_TIMEOUT"},
	{IORING_OP_READ, "IORING_OP_READ"},
	{IORING_OP_WRITE, "IORING_OP_WRITE"},
	{IORING_OP_FSYNC, "IORING_OP_FSYNC"},
	{IORING_OP_FADVISE, "IORING_OP_FADVISE"},
	{IORING_OP_POLL_ADD, "IORING_OP_POLL_ADD"},
	{IORING_OP_ASYNC_CANCEL, "IORING_OP_ASYNC_CANCEL"},
};

/* io_uring unless asked not to, refused, or short of an opcode we use. */
static void probe_kind(void)
{
	const char *no = getenv("TRIBENCH_NO_IO_URING");
	probed_kind = LOOP_UV;
	if (no && !strcmp(no, "1"))	/* only "1" asks: as the docs say */
		return;
	struct io_uring r;
	int ret = io_uring_queue_init(8, &r, 0);
	if (ret < 0) {
		probed_why = xasprintf("io_uring is refused here (io_uring_setup: %s): "
				       "coroutines run on libuv (epoll and its thread pool)", strerror(-ret));
		return;
	}
	struct io_uring_probe *p = io_uring_get_probe_ring(&r);
	for (size_t i = 0; i < ARRAY_SIZE(uring_ops) && !probed_why; i++)
		if (!p || !io_uring_opcode_supported(p, uring_ops[i].op))
			probed_why = xasprintf("io_uring here lacks %s: coroutines run on libuv "
					       "(epoll and its thread pool)", uring_ops[i].name);
	if (p)
		io_uring_free_probe(p);
	io_uring_queue_exit(&r);
	if (!probed_why)
		probed_kind = LOOP_URING;
}

enum loop_kind coro_loop_kind(char **why)
{
	pthread_once(&probe_once, probe_kind);
	if (why)
		*why = probed_why ? xstrdup(probed_why) : NULL;
	return probed_kind;
}

/* ---- the loop ------------------------------------------------------------ */

struct coro_loop *coro_loop_new(enum loop_kind kind, const volatile int *stop, int stop_fd,
				const volatile double *held_s)
{
	struct coro_loop *l = calloc(1, sizeof(*l));
	if (!l) {
		error("coroutine loop: out of memory");
		return NULL;
	}
	l->kind = kind;
	l->be = kind == LOOP_URING ? &loop_uring_backend : &loop_uv_backend;
	l->stop = stop;
	l->stop_fd = stop_fd;
	l->held_s = held_s;
	if (l->be->init(l) < 0) {
		free(l);
		return NULL;
	}
	return l;
}

static void all_remove(struct coro_loop *l, struct coro *c)
{
	if (c->all_prev)
		c->all_prev->all_next = c->all_next;
	else
		l->all = c->all_next;
	if (c->all_next)
		c->all_next->all_prev = c->all_prev;
	c->all_prev = c->all_next = NULL;
}

static void ready_push(struct coro_loop *l, struct coro *c)
{
	c->state = CORO_READY;
	c->next = NULL;
	if (l->ready_tail)
		l->ready_tail->next = c;
	else
		l->ready_head = c;
	l->ready_tail = c;
}

static struct coro *ready_pop(struct coro_loop *l)
{
	struct coro *c = l->ready_head;
	if (c) {
		l->ready_head = c->next;
		if (!l->ready_head)
			l->ready_tail = NULL;
	}
	return c;
}

void coro_complete(struct coro_loop *l, struct coro *c, long long res, double now)
{
	c->res = res;
	c->op = OP_NONE;
	c->wake_s = now;
	c->r.blocked_s += now - c->susp_s;
	l->waiting--;
	ready_push(l, c);
}

void coro_loop_free(struct coro_loop *l)
{
	if (!l)
		return;
	l->be->fini(l);	/* closes the coroutines' handles: they are still mapped */
	while (l->free) {
		struct coro *c = l->free;
		l->free = c->next;
		munmap(c->map, c->map_size);
	}
	/* Alive ones only after a failure, or a run never run: stranded
	 * coroutines' IO may still write to their mappings, so they stay. */
	for (struct coro *c = l->all, *n; c; c = n) {
		n = c->all_next;
		if (!c->stranded)
			munmap(c->map, c->map_size);
	}
	free(l);
}

int coro_loop_count(const struct coro_loop *l)
{
	return l->alive;
}

/* ---- coroutines ---------------------------------------------------------- */

static const struct task_ctx_ops coro_ops;

/* getcontext returns twice in general (not here: the context it saves is
 * only ever the base of a makecontext), so it is kept out of its caller,
 * whose locals the compiler would otherwise have to assume clobbered. */
static __attribute__((noinline)) int context_init(ucontext_t *uc)
{
	return getcontext(uc);
}

/* A fresh coroutine: one mapping, guard page lowest. NULL with errno. */
static struct coro *coro_map(struct coro_loop *l)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t head = (sizeof(struct coro) + page - 1) / page * page;
	size_t size = page + CORO_STACK + head;
	char *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	if (mprotect(m, page, PROT_NONE) < 0) {
		int e = errno;
		munmap(m, size);
		errno = e;
		return NULL;
	}
	struct coro *c = (struct coro *)(void *)(m + page + CORO_STACK);	/* page-aligned */
	/* Once per mapping: a spawn makes its context on the one its
	 * predecessor left (glibc's makecontext sets the registers, the stack
	 * and the link; the signal mask and FPU state stay the loop
	 * thread's), saving getcontext's system call per spawn. */
	if (context_init(&c->uc) < 0) {
		int e = errno;
		munmap(m, size);
		errno = e;
		return NULL;
	}
	c->loop = l;
	c->map = m;
	c->map_size = size;
	c->stack = m + page;
	c->stack_size = CORO_STACK;
	return c;
}

/* Back to the loop thread; returns when the loop resumes c. */
static void suspend(struct coro *c)
{
	struct coro_loop *l = c->loop;
	__sanitizer_start_switch_fiber(&c->asan_fake, l->main_bottom, l->main_size);
	swapcontext(&c->uc, &l->main);
	__sanitizer_finish_switch_fiber(c->asan_fake, &l->main_bottom, &l->main_size);
}

/* A coroutine's first frame: makecontext passes ints, so c comes in halves. */
static void trampoline(unsigned hi, unsigned lo)
{
	struct coro *c = (struct coro *)(uintptr_t)(((uint64_t)hi << 32) | lo);
	struct coro_loop *l = c->loop;
	__sanitizer_finish_switch_fiber(NULL, &l->main_bottom, &l->main_size);
	c->r.rc = c->fn(c->arg, &c->ctx);
	c->state = CORO_DONE;
	__sanitizer_start_switch_fiber(NULL, l->main_bottom, l->main_size);
	setcontext(&l->main);
}

int coro_spawn(struct coro_loop *l, int (*fn)(void *arg, struct task_ctx *ctx), void *arg,
	       double deadline, void (*done)(void *arg, const struct coro_result *r))
{
	struct coro *c = l->free;
	if (c)
		l->free = c->next;
	else if (!(c = coro_map(l)))
		return -1;
	c->uc.uc_stack.ss_sp = c->stack;
	c->uc.uc_stack.ss_size = c->stack_size;
	c->uc.uc_link = NULL;
	uint64_t p = (uint64_t)(uintptr_t)c;
	makecontext(&c->uc, (void (*)(void))trampoline, 2, (unsigned)(p >> 32), (unsigned)p);
	c->fn = fn;
	c->arg = arg;
	c->done = done;
	c->ctx = (struct task_ctx){.ops = &coro_ops, .stop = l->stop, .stop_fd = l->stop_fd,
				   .deadline = deadline, .held_s = l->held_s, .exec = c};
	memset(&c->r, 0, sizeof(c->r));
	c->op = OP_NONE;
	c->stranded = false;
	c->r.start_s = c->wake_s = now_s();
	c->all_prev = NULL;
	c->all_next = l->all;
	if (l->all)
		l->all->all_prev = c;
	l->all = c;
	l->alive++;
	ready_push(l, c);
	return 0;
}

static void see_cpu(struct coro_result *r)
{
	int cpu = sched_getcpu();
	if (cpu >= 0 && cpu < 64 * (int)ARRAY_SIZE(r->cpus_seen))
		r->cpus_seen[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}

/*
 * Run c until it suspends or returns, measuring the resumption: the wall
 * clock is read outside the thread CPU clock, so running <= the wall time
 * and the rest of the wall time (the kernel ran something else) is ready.
 */
static void resume(struct coro_loop *l, struct coro *c)
{
	struct rusage u0, u1;
	struct timespec w0, c0, c1, w1;
	if (l->ru_valid)
		u0 = l->ru_last;
	else
		getrusage(RUSAGE_THREAD, &u0);
	see_cpu(&c->r);
	clock_gettime(CLOCK_MONOTONIC, &w0);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
	c->state = CORO_RUNNING;
	l->current = c;
	__sanitizer_start_switch_fiber(&l->asan_fake, c->stack, c->stack_size);
	swapcontext(&l->main, &c->uc);
	__sanitizer_finish_switch_fiber(l->asan_fake, NULL, NULL);
	l->current = NULL;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
	clock_gettime(CLOCK_MONOTONIC, &w1);
	see_cpu(&c->r);
	getrusage(RUSAGE_THREAD, &u1);
	l->ru_last = u1;
	l->ru_valid = true;
	double wall = ts_s(&w1) - ts_s(&w0), cpu = ts_s(&c1) - ts_s(&c0);
	c->r.ready_s += ts_s(&w0) - c->wake_s + wall - cpu;
	c->r.running_s += cpu;
	c->r.user_s += tv_s(&u1.ru_utime) - tv_s(&u0.ru_utime);
	c->r.sys_s += tv_s(&u1.ru_stime) - tv_s(&u0.ru_stime);
	if (c->state == CORO_WAITING)
		c->susp_s = ts_s(&w1);
	else
		c->r.end_s = ts_s(&w1);
}

/* c returned: report it, then its mapping is free for the next spawn. */
static void finish(struct coro_loop *l, struct coro *c)
{
	c->r.stopped = c->ctx.stopped;
	all_remove(l, c);
	l->alive--;
	if (c->done)
		c->done(c->arg, &c->r);
	c->next = l->free;
	l->free = c;
}

static bool stop_set(const struct coro_loop *l)
{
	return l->stop && *l->stop;
}

/* Once: say it, and stop every coroutine (their ctx reads stopped). */
static void loop_fail(struct coro_loop *l)
{
	if (l->failed)
		return;
	l->failed = true;
	for (struct coro *c = l->all; c; c = c->all_next)
		c->ctx.stopped = true;
}

/* Run every ready coroutine, in the order they became ready, each to its
 * next suspension or its end; admission after each end. */
static void run_ready(struct coro_loop *l, void (*admit)(void *arg, struct coro_loop *l), void *arg)
{
	struct coro *c;
	while ((c = ready_pop(l))) {
		resume(l, c);
		if (c->state == CORO_DONE) {
			finish(l, c);
			if (admit && !l->failed)
				admit(arg, l);
		}
		/* io_uring: what c submitted goes to the kernel now, and
		 * completions already there are seen (no system call when
		 * there is nothing to submit) */
		if (!l->failed && l->be->poll(l, false) < 0)
			loop_fail(l);
	}
}

/*
 * After a failure: every coroutine is marked stopped; sleeps are cancelled
 * (when the backend still can) and the waits drained, so that every
 * coroutine resumes (with ECANCELED or its result), sees its stop and
 * unwinds its own stack. When even a poll fails, a coroutine whose IO is
 * still in flight cannot be resumed (the kernel may yet write to its
 * buffer): its done is called with rc -1 and stopped, and its mapping is
 * left to the process (counted in l->stranded).
 */
static void drain_failed(struct coro_loop *l)
{
	if (!l->cancelled) {
		l->cancelled = true;
		l->be->cancel(l);
	}
	bool poll_ok = true;
	while (l->alive > 0) {
		run_ready(l, NULL, NULL);
		if (l->waiting == 0 || !poll_ok)
			break;
		l->ru_valid = false;
		if (l->be->poll(l, true) < 0)
			poll_ok = false;
	}
	for (struct coro *c = l->all, *n; c; c = n) {
		n = c->all_next;
		c->stranded = true;
		c->r.rc = -1;
		c->r.stopped = true;
		c->r.end_s = now_s();
		all_remove(l, c);
		l->alive--;
		l->stranded++;
		if (c->done)
			c->done(c->arg, &c->r);
	}
}

int coro_loop_run(struct coro_loop *l, void (*admit)(void *arg, struct coro_loop *l), void *arg)
{
	l->ru_valid = false;
	if (admit)
		admit(arg, l);
	while (l->alive > 0 && !l->failed) {
		run_ready(l, admit, arg);
		if (l->failed || l->alive == 0)
			break;
		if (stop_set(l) && !l->cancelled) {
			l->cancelled = true;
			if (l->be->cancel(l) < 0) {
				loop_fail(l);
				break;
			}
		}
		if (l->ready_head)
			continue;
		l->ru_valid = false;
		if (l->be->poll(l, true) < 0)
			loop_fail(l);
	}
	if (l->failed) {
		drain_failed(l);
		return -1;
	}
	return 0;
}

/* ---- the task_ctx ops (on a coroutine's stack) --------------------------- */

/* Start c's wait and suspend until it completes: the completion's result,
 * or -ECANCELED when the loop has failed (nothing submitted). */
static long long wait_op(struct coro *c)
{
	struct coro_loop *l = c->loop;
	if (l->failed || l->be->submit(l, c) < 0) {
		loop_fail(l);
		c->op = OP_NONE;
		return -ECANCELED;
	}
	l->waiting++;
	c->state = CORO_WAITING;
	c->r.yields++;
	suspend(c);
	return c->res;
}

static int cancelled(struct task_ctx *t)
{
	t->stopped = true;
	errno = ECANCELED;
	return -1;
}

static int op_sleep_ns(struct task_ctx *t, uint64_t ns)
{
	struct coro *c = t->exec;
	if ((t->stop && *t->stop) || c->loop->failed)
		return cancelled(t);
	uint64_t now = mono_ns(), end_ns = now + ns;
	/* the deadline is read again after each wait: a Ctrl-Z may have moved it */
	for (;; now = mono_ns()) {
		uint64_t end = end_ns;
		double deadline = task_deadline(t);
		bool by_deadline = false;
		if (deadline > 0) {
			uint64_t d = (uint64_t)(deadline * 1e9);
			if (d <= end) {
				end = d;
				by_deadline = true;
			}
		}
		if (end <= now) {
			if (!by_deadline)
				return 0;
			if (task_stop_requested(t))
				return cancelled(t);
			continue;
		}
		c->op = OP_SLEEP;
		c->end_ns = end;
		long long r = wait_op(c);
		if (r == -ECANCELED)
			return cancelled(t);
		if (r != -ETIME && r != 0) {
			errno = (int)-r;
			return -1;
		}
		if ((t->stop && *t->stop) || c->loop->failed)
			return cancelled(t);
	}
}

/* An IO's result as the system call returns it. */
static ssize_t io_result(struct task_ctx *t, long long r)
{
	if (r >= 0)
		return (ssize_t)r;
	if (r == -ECANCELED)
		t->stopped = true;
	errno = (int)-r;
	return -1;
}

static ssize_t op_pwrite(struct task_ctx *t, int fd, const void *buf, size_t n, off_t off)
{
	struct coro *c = t->exec;
	c->op = OP_WRITE;
	c->fd = fd;
	c->buf = (void *)buf;
	c->n = n;
	c->off = off;
	return io_result(t, wait_op(c));
}

static ssize_t op_pread(struct task_ctx *t, int fd, void *buf, size_t n, off_t off)
{
	struct coro *c = t->exec;
	c->op = OP_READ;
	c->fd = fd;
	c->buf = buf;
	c->n = n;
	c->off = off;
	return io_result(t, wait_op(c));
}

static int op_fsync(struct task_ctx *t, int fd)
{
	struct coro *c = t->exec;
	c->op = OP_FSYNC;
	c->fd = fd;
	return (int)io_result(t, wait_op(c));
}

/* As posix_fadvise: 0 or an error number. */
static int op_fadvise(struct task_ctx *t, int fd, off_t off, off_t len, int advice)
{
	struct coro *c = t->exec;
	c->op = OP_FADVISE;
	c->fd = fd;
	c->off = off;
	c->len = len;
	c->advice = advice;
	long long r = wait_op(c);
	if (r == -ECANCELED)
		t->stopped = true;
	return r < 0 ? (int)-r : 0;
}

static const struct task_ctx_ops coro_ops = {
	.sleep_ns = op_sleep_ns,
	.pwrite = op_pwrite,
	.pread = op_pread,
	.fsync = op_fsync,
	.fadvise = op_fadvise,
};
