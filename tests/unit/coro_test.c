/* Unit tests of the coroutine loop (coro.c), each under both loops (io_uring,
 * libuv): sleeps overlap, CPU-bound coroutines run one after another with
 * the time accounted, disk IO through the loop, the stop flag and the
 * deadline cut waits short, 10,000 coroutines through admission, and the
 * loop choice. Costs go to the log as TAP comments (no timing asserted). */
#include "config.h"
#include "coro.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tasks/task.h"
#include "util.h"

static const enum loop_kind kind_uring = LOOP_URING, kind_uv = LOOP_UV;

/* The loop under test; skips io_uring where this machine refuses it. */
static struct coro_loop *new_loop(void **state, const volatile int *stop, int stop_fd)
{
	enum loop_kind k = *(const enum loop_kind *)*state;
	if (k == LOOP_URING) {
		char *why;
		if (coro_loop_kind(&why) != LOOP_URING) {
			printf("# io_uring not used here: %s\n", why ? why : "TRIBENCH_NO_IO_URING is set");
			free(why);
			skip();
		}
	}
	struct coro_loop *l = coro_loop_new(k, stop, stop_fd, NULL);
	assert_non_null(l);
	return l;
}

/* A batch of coroutines and their results, in the order they ended. */
struct batch {
	int (*fn)(void *arg, struct task_ctx *ctx);
	int total, max_alive, spawned, ended;
	double deadline;
	uint64_t ops;             /* cpu: kernel rounds */
	int order[64];            /* the index of each ended coroutine */
	struct coro_result r[64]; /* results by index (the first 64) */
	int ids[64];
};

static void record(void *arg, const struct coro_result *r)
{
	int *id = arg;
	struct batch *b = (struct batch *)((char *)(id - *id) - offsetof(struct batch, ids));
	if (*id < 64)
		b->r[*id] = *r;
	if (b->ended < 64)
		b->order[b->ended] = *id;
	b->ended++;
}

static void admit(void *arg, struct coro_loop *l)
{
	struct batch *b = arg;
	while (b->spawned < b->total && coro_loop_count(l) < b->max_alive) {
		int i = b->spawned++;
		int *id = &b->ids[i < 63 ? i : 63];	/* from the 64th on, all in the last */
		*id = (int)(id - b->ids);
		assert_int_equal(coro_spawn(l, b->fn, id, b->deadline, record), 0);
	}
}

static void assert_near(double got, double want, double tol, const char *what)
{
	if (fabs(got - want) > tol)
		fail_msg("%s: %.6f, expected %.6f +- %.6f", what, got, want, tol);
}

/* running + ready + blocked = end - start, up to the clock reads. */
static void assert_accounted(const struct coro_result *r)
{
	double wall = r->end_s - r->start_s;
	assert_near(r->running_s + r->ready_s + r->blocked_s, wall, 0.05 * wall + 0.005,
		    "running + ready + blocked against end - start");
	assert_true(r->running_s >= 0 && r->ready_s >= -1e-6 && r->blocked_s >= 0);
}

static int sleep_100ms(void *arg, struct task_ctx *ctx)
{
	(void)arg;
	return task_sleep_ms(ctx, 100);
}

/* 100 sleeps of 100 ms overlap: well under 100 x 100 ms in all. */
static void test_sleeps_overlap(void **state)
{
	struct coro_loop *l = new_loop(state, NULL, -1);
	static struct batch b;
	memset(&b, 0, sizeof(b));
	b.fn = sleep_100ms;
	/* 63 recorded in full, then 37 more that share the last slot */
	b.total = 100;
	b.max_alive = 100;
	double t0 = now_s();
	assert_int_equal(coro_loop_run(l, admit, &b), 0);
	double wall = now_s() - t0;
	printf("# %s: 100 sleeps of 100 ms in %.3f s\n", loop_kind_name(*(enum loop_kind *)*state), wall);
	assert_int_equal(b.ended, 100);
	assert_true(wall < 1.0);
	for (int i = 0; i < 64; i++) {
		const struct coro_result *r = &b.r[i];
		assert_int_equal(r->rc, 0);
		assert_false(r->stopped);
		assert_int_equal(r->yields, 1);
		assert_near(r->blocked_s, 0.1, 0.02 + 0.2 * 0.1, "blocked_s of a 100 ms sleep");
		assert_true(r->end_s - r->start_s >= 0.1);
		assert_true(r->running_s < 0.01);
		assert_accounted(r);
	}
	coro_loop_free(l);
}

static int cpu_fn(void *arg, struct task_ctx *ctx)
{
	int *id = arg;
	struct batch *b = (struct batch *)((char *)(id - *id) - offsetof(struct batch, ids));
	cpu_kernel_ctx(ctx, b->ops);
	return 0;
}

/* The loop thread's time waiting for a CPU so far (schedstat field 2), s;
 * -1 when unreadable. */
static double run_delay_s(void)
{
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	unsigned long long run, delay;
	int n = f ? fscanf(f, "%llu %llu", &run, &delay) : 0;
	if (f)
		fclose(f);
	return n == 2 ? (double)delay * 1e-9 : -1;
}

/* Kernel rounds for about ms of CPU here. */
static uint64_t ops_for_ms(double ms)
{
	uint64_t n = 20000;
	for (;;) {
		struct timespec a, z;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
		cpu_kernel(n);
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &z);
		double s = (double)(z.tv_sec - a.tv_sec) + (double)(z.tv_nsec - a.tv_nsec) * 1e-9;
		if (s > 0.01)
			return (uint64_t)((double)n * ms / 1e3 / s);
		n *= 4;
	}
}

/* 4 CPU-bound coroutines run one after another, never preempted by the
 * loop: k's ready time is the running time of those before it, plus at
 * most the time the kernel kept the loop thread off a CPU. */
static void test_cpu_bound_in_turn(void **state)
{
	struct coro_loop *l = new_loop(state, NULL, -1);
	static struct batch b;
	memset(&b, 0, sizeof(b));
	b.fn = cpu_fn;
	b.total = b.max_alive = 4;
	b.ops = ops_for_ms(50);
	double d0 = run_delay_s();
	assert_int_equal(coro_loop_run(l, admit, &b), 0);
	double d1 = run_delay_s();
	double preempted = d0 >= 0 && d1 >= 0 ? d1 - d0 : 0;
	assert_int_equal(b.ended, 4);
	double before = 0;
	for (int k = 0; k < 4; k++) {
		const struct coro_result *r = &b.r[k];
		assert_int_equal(b.order[k], k);
		assert_int_equal(r->yields, 0);
		assert_false(r->stopped);
		assert_true(r->blocked_s < 1e-6);
		printf("# %s: coroutine %d running %.4f ready %.4f (before it: %.4f; off-CPU %.4f)\n",
		       loop_kind_name(*(enum loop_kind *)*state), k, r->running_s, r->ready_s, before,
		       preempted);
		assert_true(r->running_s > 0.02);
		double tol = 0.05 * before + 0.005;
		assert_true(r->ready_s >= before - tol);
		assert_true(r->ready_s <= before + preempted + tol);
		assert_accounted(r);
		assert_true(r->user_s + r->sys_s > 0.5 * r->running_s);
		before += r->running_s;
	}
	coro_loop_free(l);
}

#define DISK_BYTES (1024 * 1024)
#define DISK_CHUNK (64 * 1024)

/* In the coroutine: 0, or the failed step's number (cmocka's asserts would
 * longjmp off the coroutine's stack). */
static int disk_fn(void *arg, struct task_ctx *ctx)
{
	int fd = *(int *)arg, rc = 0;
	unsigned char *w = malloc(DISK_BYTES), *r = malloc(DISK_BYTES);
	if (!w || !r)
		return 1;
	for (size_t i = 0; i < DISK_BYTES; i++)
		w[i] = (unsigned char)(i * 2654435761u >> 13);
	for (size_t off = 0; off < DISK_BYTES && !rc;) {
		ssize_t n = task_pwrite(ctx, fd, w + off, DISK_CHUNK, (off_t)off);
		if (n <= 0)
			rc = 2;
		off += n > 0 ? (size_t)n : 0;
	}
	if (!rc && task_fsync(ctx, fd) != 0)
		rc = 3;
	if (!rc && task_fadvise(ctx, fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
		rc = 4;
	memset(r, 0, DISK_BYTES);
	size_t got = 0;
	while (!rc) {
		ssize_t n = task_pread(ctx, fd, r + got, DISK_CHUNK, (off_t)got);
		if (n < 0)
			rc = 5;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (!rc && (got != DISK_BYTES || memcmp(r, w, DISK_BYTES) != 0))
		rc = 6;
	/* an error comes back as the system call's */
	errno = 0;
	if (!rc && (task_pread(ctx, -1, r, 1, 0) != -1 || errno != EBADF))
		rc = 7;
	free(w);
	free(r);
	return rc;
}

static struct coro_result disk_result;

static void keep_result(void *arg, const struct coro_result *r)
{
	(void)arg;
	disk_result = *r;
}

/* Write 1 MiB, fsync, drop it from the cache, read it back: the same bytes. */
static void test_disk_io(void **state)
{
	struct coro_loop *l = new_loop(state, NULL, -1);
	const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[4096];
	snprintf(path, sizeof(path), "%s/coro_test-XXXXXX", dir);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	memset(&disk_result, 0, sizeof(disk_result));
	assert_int_equal(coro_spawn(l, disk_fn, &fd, 0, keep_result), 0);
	assert_int_equal(coro_loop_count(l), 1);
	assert_int_equal(coro_loop_run(l, NULL, NULL), 0);
	assert_int_equal(coro_loop_count(l), 0);
	close(fd);
	assert_int_equal(disk_result.rc, 0);
	assert_false(disk_result.stopped);
	/* 16 writes, fsync, fadvise, 17 reads, the bad read */
	assert_int_equal(disk_result.yields, 16 + 1 + 1 + 17 + 1);
	assert_accounted(&disk_result);
	coro_loop_free(l);
}

struct stopper {
	volatile int *flag;
	int fd;
	long ms;
};

static void *stop_later(void *arg)
{
	struct stopper *s = arg;
	struct timespec t = {s->ms / 1000, (s->ms % 1000) * 1000000};
	nanosleep(&t, NULL);
	*s->flag = 1;
	uint64_t one = 1;
	assert_int_equal(write(s->fd, &one, sizeof(one)), (ssize_t)sizeof(one));
	return NULL;
}

static int sleep_5s(void *arg, struct task_ctx *ctx)
{
	(void)arg;
	int rc = task_sleep_ms(ctx, 5000);
	return rc < 0 && errno == ECANCELED ? 3 : 0;
}

/* The stop flag set from another thread ends every sleep at once. */
static void test_stop_flag(void **state)
{
	static volatile int flag;
	flag = 0;
	int efd = eventfd(0, EFD_CLOEXEC);
	assert_true(efd >= 0);
	struct coro_loop *l = new_loop(state, &flag, efd);
	static struct batch b;
	memset(&b, 0, sizeof(b));
	b.fn = sleep_5s;
	b.total = b.max_alive = 10;
	struct stopper s = {&flag, efd, 50};
	pthread_t th;
	double t0 = now_s();
	assert_int_equal(pthread_create(&th, NULL, stop_later, &s), 0);
	assert_int_equal(coro_loop_run(l, admit, &b), 0);
	double wall = now_s() - t0;
	pthread_join(th, NULL);
	printf("# %s: a stop after 50 ms ended 10 sleeps of 5 s in %.3f s\n",
	       loop_kind_name(*(enum loop_kind *)*state), wall);
	assert_true(wall < 1.0);
	assert_int_equal(b.ended, 10);
	for (int i = 0; i < 10; i++) {
		assert_true(b.r[i].stopped);
		assert_int_equal(b.r[i].rc, 3);
		assert_accounted(&b.r[i]);
	}
	/* a wait after the stop does not wait */
	memset(&b, 0, sizeof(b));
	b.fn = sleep_5s;
	b.total = b.max_alive = 2;
	t0 = now_s();
	assert_int_equal(coro_loop_run(l, admit, &b), 0);
	assert_true(now_s() - t0 < 0.5);
	assert_true(b.r[0].stopped && b.r[1].stopped);
	assert_int_equal(b.r[0].yields, 0);
	coro_loop_free(l);
	close(efd);
}

/* A 5 s sleep with a deadline 0.1 s away ends at the deadline, stopped. */
static void test_deadline(void **state)
{
	struct coro_loop *l = new_loop(state, NULL, -1);
	static struct batch b;
	memset(&b, 0, sizeof(b));
	b.fn = sleep_5s;
	b.total = b.max_alive = 1;
	double t0 = now_s();
	b.deadline = t0 + 0.1;
	assert_int_equal(coro_loop_run(l, admit, &b), 0);
	double wall = now_s() - t0;
	assert_true(wall < 0.5);
	assert_true(b.r[0].stopped);
	assert_int_equal(b.r[0].rc, 3);
	assert_true(b.r[0].end_s >= b.deadline);
	assert_near(b.r[0].blocked_s, 0.1, 0.02 + 0.2 * 0.1, "blocked_s until the deadline");
	coro_loop_free(l);
}

static int trivial(void *arg, struct task_ctx *ctx)
{
	(void)arg, (void)ctx;
	return 0;
}

/* 10,000 trivial coroutines through admission (64 alive at most): all end. */
static void test_many_trivial(void **state)
{
	struct coro_loop *l = new_loop(state, NULL, -1);
	static struct batch b;
	memset(&b, 0, sizeof(b));
	b.fn = trivial;
	b.total = 10000;
	b.max_alive = 64;
	double t0 = now_s();
	assert_int_equal(coro_loop_run(l, admit, &b), 0);
	double wall = now_s() - t0;
	assert_int_equal(b.ended, 10000);
	assert_int_equal(coro_loop_count(l), 0);
	printf("# %s: 10000 trivial coroutines, %.2f us each (spawn, run, done)\n",
	       loop_kind_name(*(enum loop_kind *)*state), wall / 10000 * 1e6);
	coro_loop_free(l);
}

static int sleep_round_trips(void *arg, struct task_ctx *ctx)
{
	double *per = arg;
	double t0 = now_s();
	for (int i = 0; i < 1000; i++)
		if (ctx->ops->sleep_ns(ctx, 1) != 0)
			return 1;
	per[0] = (now_s() - t0) / 1000;
	t0 = now_s();
	for (int i = 0; i < 100; i++)
		if (task_sleep_ms(ctx, 1) != 0)
			return 1;
	per[1] = (now_s() - t0) / 100;
	return per[1] >= 0.001 ? 0 : 2;
}

/* The cost of a wait through the loop: 1000 sleeps of 1 ns; 100 of 1 ms
 * (never shorter than asked). */
static void test_sleep_round_trip(void **state)
{
	struct coro_loop *l = new_loop(state, NULL, -1);
	double per[2] = {0, 0};
	memset(&disk_result, 0, sizeof(disk_result));
	assert_int_equal(coro_spawn(l, sleep_round_trips, per, 0, keep_result), 0);
	assert_int_equal(coro_loop_run(l, NULL, NULL), 0);
	assert_int_equal(disk_result.rc, 0);
	assert_int_equal(disk_result.yields, 1000 + 100);
	printf("# %s: a sleep's round trip through the loop: %.2f us (1 ns asked); "
	       "a 1 ms sleep took %.3f ms\n",
	       loop_kind_name(*(enum loop_kind *)*state), per[0] * 1e6, per[1] * 1e3);
	assert_true(per[0] > 0);
	coro_loop_free(l);
}

/* TRIBENCH_NO_IO_URING=1 asks for libuv, and says no why (it was asked).
 * The choice is probed once per process: a fresh one (this test, exec'd
 * with --kind) answers. */
static void test_kind_env(void **state)
{
	(void)state;
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("TRIBENCH_NO_IO_URING", "1", 1);
		execl("/proc/self/exe", "coro_test", "--kind", (char *)NULL);
		_exit(99);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 10 + LOOP_UV);
	assert_string_equal(loop_kind_name(LOOP_URING), "io_uring");
	assert_string_equal(loop_kind_name(LOOP_UV), "libuv");
}

/* --kind: exit 10 + the loop kind, 1 when a why came with it asked for. */
static int print_kind(void)
{
	char *why = NULL;
	enum loop_kind k = coro_loop_kind(&why);
	printf("# %s%s%s\n", loop_kind_name(k), why ? ": " : "", why ? why : "");
	return why && getenv("TRIBENCH_NO_IO_URING") ? 1 : 10 + (int)k;
}

/* Each test twice, named by its loop. */
/* A sleep that is already due when the loop next waits: a coroutine
 * sleeps 1 ms while another burns 20 ms of CPU. With the stop fd watched
 * (an active handle) libuv's uv_run(UV_RUN_ONCE) ran the due timer and then
 * polled for IO with no timeout, the woken coroutine ready and never run.
 * In a child, so that a hang is an alarm, not a stuck test. */
static int sleep_1ms_twice(void *arg, struct task_ctx *ctx)
{
	(void)arg;
	return task_sleep_ms(ctx, 1) | task_sleep_ms(ctx, 1);
}

static int burn_20ms(void *arg, struct task_ctx *ctx)
{
	(void)arg, (void)ctx;
	for (double end = now_s() + 0.02; now_s() < end;)
		;
	return 0;
}

static void spawn_pair(void *arg, struct coro_loop *l)
{
	int *spawned = arg;
	if (*spawned)
		return;
	*spawned = 1;
	assert_int_equal(coro_spawn(l, sleep_1ms_twice, NULL, 0, NULL), 0);
	assert_int_equal(coro_spawn(l, burn_20ms, NULL, 0, NULL), 0);
}

static void test_due_timer_runs(void **state)
{
	static volatile int stop;
	int efd = eventfd(0, EFD_CLOEXEC);
	assert_true(efd >= 0);
	struct coro_loop *l = new_loop(state, &stop, efd);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(5);
		int spawned = 0;
		_exit(coro_loop_run(l, spawn_pair, &spawned) == 0 ? 0 : 1);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	if (WIFSIGNALED(st))
		fail_msg("the loop hung with a due sleep (killed by signal %d)", WTERMSIG(st));
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	coro_loop_free(l);
	close(efd);
}

#define BOTH(f) {#f " (io_uring)", f, NULL, NULL, (void *)&kind_uring}, \
		{#f " (libuv)", f, NULL, NULL, (void *)&kind_uv}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--kind") == 0)
		return print_kind();
	const struct CMUnitTest tests[] = {
		BOTH(test_sleeps_overlap),
		BOTH(test_cpu_bound_in_turn),
		BOTH(test_disk_io),
		BOTH(test_stop_flag),
		BOTH(test_deadline),
		BOTH(test_many_trivial),
		BOTH(test_sleep_round_trip),
		BOTH(test_due_timer_runs),
		cmocka_unit_test(test_kind_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
