/* Two parties pass a token back and forth ROUNDS times; prints the median
 * round trip of 5 trials in nanoseconds (CLOCK_MONOTONIC). The cost of one
 * switch pair under each executor's way of handing over:
 *   process-pipe   two processes, a pipe each way
 *   thread-pipe    two threads of one process, a pipe each way
 *   thread-futex   two threads, a futex word each way (no pipe buffer)
 *   coroutine      two ucontext coroutines of one thread, swapcontext
 *                  (glibc: a sigprocmask system call per switch)
 * CPUS: "0" puts both parties on CPU 0, "0,1" one on each (a coroutine pair
 * is one thread: it always runs on the first).
 * Usage: pingpong MODE CPUS ROUNDS */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static long rounds;
static int cpu_a, cpu_b;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void bind_to(int cpu)
{
	cpu_set_t s;
	CPU_ZERO(&s);
	CPU_SET(cpu, &s);
	if (sched_setaffinity(0, sizeof(s), &s) < 0) {
		perror("sched_setaffinity");
		exit(1);
	}
}

static void xwrite(int fd)
{
	char c = 1;
	if (write(fd, &c, 1) != 1)
		exit(1);
}

static void xread(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		exit(1);
}

/* ---- pipes: between processes or threads ---- */
static int ab[2], ba[2];

static void *pipe_echo(void *arg)
{
	(void)arg;
	bind_to(cpu_b);
	for (long i = 0; i < rounds; i++) {
		xread(ab[0]);
		xwrite(ba[1]);
	}
	return NULL;
}

static double pipes(int processes)
{
	if (pipe(ab) < 0 || pipe(ba) < 0)
		exit(1);
	pid_t pid = 0;
	pthread_t t;
	if (processes) {
		pid = fork();
		if (pid == 0) {
			pipe_echo(NULL);
			_exit(0);
		}
	} else {
		pthread_create(&t, NULL, pipe_echo, NULL);
	}
	double t0 = now();
	for (long i = 0; i < rounds; i++) {
		xwrite(ab[1]);
		xread(ba[0]);
	}
	double dt = now() - t0;
	if (processes)
		waitpid(pid, NULL, 0);
	else
		pthread_join(t, NULL);
	close(ab[0]), close(ab[1]), close(ba[0]), close(ba[1]);
	return dt;
}

/* ---- futexes: a word each way, 0 = wait, 1 = go ---- */
static _Atomic uint32_t fa, fb;

static void fwait(_Atomic uint32_t *w)
{
	while (atomic_exchange(w, 0) == 0)
		syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void fwake(_Atomic uint32_t *w)
{
	atomic_store(w, 1);
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_echo(void *arg)
{
	(void)arg;
	bind_to(cpu_b);
	for (long i = 0; i < rounds; i++) {
		fwait(&fa);
		fwake(&fb);
	}
	return NULL;
}

static double futexes(void)
{
	fa = fb = 0;
	pthread_t t;
	pthread_create(&t, NULL, futex_echo, NULL);
	double t0 = now();
	for (long i = 0; i < rounds; i++) {
		fwake(&fa);
		fwait(&fb);
	}
	double dt = now() - t0;
	pthread_join(t, NULL);
	return dt;
}

/* ---- coroutines: swapcontext there and back ---- */
static ucontext_t main_ctx, echo_ctx;

static void coro_echo(void)
{
	for (;;)
		swapcontext(&echo_ctx, &main_ctx);
}

static double coroutines(void)
{
	static char stack[64 * 1024];
	getcontext(&echo_ctx);
	echo_ctx.uc_stack.ss_sp = stack;
	echo_ctx.uc_stack.ss_size = sizeof(stack);
	echo_ctx.uc_link = NULL;
	makecontext(&echo_ctx, coro_echo, 0);
	double t0 = now();
	for (long i = 0; i < rounds; i++)
		swapcontext(&main_ctx, &echo_ctx);
	return now() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 4 || sscanf(argv[2], "%d,%d", &cpu_a, &cpu_b) < 1 || (rounds = atol(argv[3])) < 1) {
		fputs("usage: pingpong process-pipe|thread-pipe|thread-futex|coroutine CPUS ROUNDS\n", stderr);
		return 2;
	}
	if (!strchr(argv[2], ','))
		cpu_b = cpu_a;
	bind_to(cpu_a);
	double trial[5];
	for (int k = 0; k < 5; k++) {
		if (!strcmp(argv[1], "process-pipe"))
			trial[k] = pipes(1);
		else if (!strcmp(argv[1], "thread-pipe"))
			trial[k] = pipes(0);
		else if (!strcmp(argv[1], "thread-futex"))
			trial[k] = futexes();
		else if (!strcmp(argv[1], "coroutine"))
			trial[k] = coroutines();
		else
			return 2;
	}
	qsort(trial, 5, sizeof(double), cmp);
	printf("%.0f\n", trial[2] / (double)rounds * 1e9);
	return 0;
}
