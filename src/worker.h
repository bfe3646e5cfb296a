#ifndef TRIBENCH_WORKER_H
#define TRIBENCH_WORKER_H

/*
 * The thread and coroutine executors (issue 14): one worker process per run,
 * in its own cgroup leaf (or process group), hosts the run's tasks as
 * pthreads bound to their slots, or as coroutines on one loop thread per
 * slot; admission is the plan's (serial one at a time, concurrent all at
 * once on the one slot, parallel one per slot). The worker reports each
 * task's start and end to tribench over a pipe; tribench's loop keeps the
 * signals, the sampler, --halt and the last resort (past --grace, the
 * worker's leaf is killed and its unfinished tasks recorded as killed).
 *
 * Parent side: worker_run.c. Worker side: worker.c (threads), worker_coro.c
 * (coroutines).
 */
#include <stdbool.h>
#include <stdint.h>

#include "coro.h"
#include "executor.h"
#include "suite.h"
#include "topo.h"

/* Worker -> tribench, one write each (below PIPE_BUF, so atomic among
 * threads). Times are now_s() (CLOCK_MONOTONIC, the same clock as tribench). */
enum worker_msg_type {
	WMSG_STARTED = 1,         /* task id began on slot at start_s */
	WMSG_DONE,                /* task id ended (or, error[] set, never started) */
	WMSG_ERROR,               /* the worker's runtime error: error[] says it (its
	                             stderr may be /dev/null under --task-output null) */
};
struct worker_msg {
	int type;                 /* enum worker_msg_type */
	int id, slot;
	double start_s, end_s;    /* now_s(): started; ended (WMSG_DONE) */
	/* WMSG_DONE: */
	double running_s, ready_s;/* thread: /proc/thread-self/schedstat fields 1, 2;
	                             coroutine: the loop's (coro.h) */
	double blocked_s;         /* coroutine: the loop's; thread: unused (a remainder) */
	double user_s, sys_s;     /* getrusage(RUSAGE_THREAD) (coroutine: over its resumptions) */
	long voluntary, involuntary; /* thread: RUSAGE_THREAD ru_nvcsw, ru_nivcsw;
	                                coroutine: yields, preemptions (0) */
	int code;                 /* run()'s return */
	bool have_schedstat;      /* thread: the schedstat read worked */
	bool stopped;             /* ended by a stop: its deadline (timed_out) or the run's stop */
	bool timed_out;           /* its --timeout deadline passed */
	uint64_t cpus_seen[16];   /* bit c: seen on OS CPU c (/proc/thread-self/stat field 39) */
	char cpus_allowed[256];   /* thread: Cpus_allowed_list of /proc/thread-self/status, "" unread */
	char error[160];          /* could not start it (pthread_create, a stack): why; "" none */
};
_Static_assert(sizeof(struct worker_msg) <= 4096 /* PIPE_BUF on Linux */,
	       "a worker message must be one atomic pipe write");

/* tribench -> worker, one byte each on the control pipe; EOF = STOP. */
#define WCTL_SOON 'S'         /* start nothing more (--halt soon) */
#define WCTL_STOP 'T'         /* set the stop flag: every task stops now */

/* What the worker needs, set before it is forked (it shares the memory). */
struct worker_job {
	enum executor_kind executor;  /* EXEC_THREAD or EXEC_COROUTINE */
	enum loop_kind loop;          /* coroutine: which loop */
	const struct plan *plan;
	const struct workload *w;
	int max_in_flight;            /* the admission bound, >= 1 */
	double timeout_s;             /* per task, 0: none */
	bool bind;                    /* false on a simulated topology */
	int res_fd, ctl_fd;           /* the pipes' ends the worker keeps */
	volatile double *held_s;      /* a page shared with tribench: the seconds a Ctrl-Z
	                                 held the run, which move the tasks' deadlines */
	int halt_after;               /* --halt: the failures left before it fires (>= 1),
	                                 0: never; counted here too, so that the worker
	                                 starts nothing more before tribench hears of it */
	bool halt_now;                /* --halt now: then stop the others as well */
};

/* Worker internals shared by worker.c and worker_coro.c (in the worker). */
struct worker_ctl {
	volatile int stop;        /* the tasks' ctx->stop: set on WCTL_STOP or EOF */
	volatile int soon;        /* WCTL_SOON: start nothing more */
	int stop_fd;              /* an eventfd, written once when stop is set */
	int ctl_fd;               /* the job's control end */
};
/* The control pipe's bytes available now (ctl_fd is non-blocking): SOON,
 * STOP or EOF (= STOP) applied to c. 0, or -1 on a read error (STOP applied). */
int worker_ctl_read(struct worker_ctl *c);
/* Set the stop flag and wake every wait on stop_fd. */
void worker_ctl_stop(struct worker_ctl *c);
/* Wait until end_fd (a task ended) or the control pipe is readable, and
 * apply the control bytes to c. 0, or -1 when poll failed (said to
 * tribench; the stop is set). */
int worker_wait(const struct worker_job *j, struct worker_ctl *c, int end_fd);
/* A task of j ended as m says: when it failed (as tribench counts a
 * failure: not exit 0, or stopped) and that reaches j->halt_after, start
 * nothing more (soon), and with halt_now stop the others. Any thread. */
void worker_task_ended(const struct worker_job *j, struct worker_ctl *c, const struct worker_msg *m);
/* One message to tribench (one write; a message is below PIPE_BUF). A failed
 * write (tribench gone) is ignored: the watchdog ends the worker. */
void worker_send(int fd, const struct worker_msg *m);
/* A WMSG_ERROR with printf text: the worker's runtime error, returns 3. */
int worker_fail(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The calling thread's Cpus_allowed_list (/proc/thread-self/status) into buf,
 * "" when unread. */
void worker_cpus_allowed(char *buf, size_t size);
/* Mark OS CPU cpu (sched_getcpu; < 0: unread, ignored) in a cpus_seen bitmap. */
void worker_see_cpu(uint64_t seen[16], int cpu);

/* In the worker process: run every task of j, reporting on j->res_fd.
 * Returns the worker's exit code (0; 3 on a runtime error, said on stderr). */
int worker_main(const struct worker_job *j);
/* The same for coroutines (worker_coro.c), called by worker_main. */
int worker_coro_main(const struct worker_job *j);

struct run_state;
/*
 * tribench's side of one run under executor ex (thread or coroutine), in
 * place of the process loop: start the worker into its group, admit and
 * stop through its control pipe, turn its messages into task records for
 * the collector, keep sampling and signals as the process loop does.
 * 0, or -1 on a runtime error (one line; the run's records stay whole:
 * unfinished tasks are recorded as killed, unstarted as not_started).
 */
int worker_run(struct run_state *rs, enum executor_kind ex);

#endif
