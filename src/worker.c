/* The worker process: tasks as threads (worker.h), and the control pipe,
 * messages and per-thread readings the coroutine worker shares. */
#include "config.h"
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"
#include "util.h"

/* A task thread's stack: the kinds keep their buffers on the heap. */
#define WORKER_STACK (256 * 1024)

void worker_send(int fd, const struct worker_msg *m)
{
	ssize_t w;
	while ((w = write(fd, m, sizeof(*m))) < 0 && errno == EINTR)
		;
	(void)w;	/* tribench gone: the watchdog ends us */
}

int worker_fail(int fd, const char *fmt, ...)
{
	struct worker_msg m;
	memset(&m, 0, sizeof(m));
	m.type = WMSG_ERROR;
	m.id = -1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m.error, sizeof(m.error), fmt, ap);
	va_end(ap);
	worker_send(fd, &m);
	return 3;
}

void worker_ctl_stop(struct worker_ctl *c)
{
	if (c->stop)
		return;
	__atomic_store_n(&c->stop, 1, __ATOMIC_SEQ_CST);
	uint64_t one = 1;
	ssize_t w = write(c->stop_fd, &one, sizeof(one));
	(void)w;	/* an eventfd counter does not fill up from 0 */
}

int worker_ctl_read(struct worker_ctl *c)
{
	char buf[64];
	for (;;) {
		ssize_t n = read(c->ctl_fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {	/* EOF: tribench is gone or done with us */
			worker_ctl_stop(c);
			return n < 0 ? -1 : 0;
		}
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == WCTL_SOON)
				__atomic_store_n(&c->soon, 1, __ATOMIC_SEQ_CST);
			else if (buf[i] == WCTL_STOP)
				worker_ctl_stop(c);
		}
	}
}

int worker_wait(const struct worker_job *j, struct worker_ctl *c, int end_fd)
{
	struct pollfd fds[2] = {{.fd = end_fd, .events = POLLIN},
				/* after a stop (EOF included) nothing more to read */
				{.fd = c->stop ? -1 : j->ctl_fd, .events = POLLIN}};
	int rc = 0;
	if (poll(fds, 2, -1) < 0 && errno != EINTR) {
		worker_fail(j->res_fd, "worker: poll: %s", strerror(errno));
		worker_ctl_stop(c);
		rc = -1;
	}
	if (fds[1].revents)
		worker_ctl_read(c);
	return rc;
}

void worker_task_ended(const struct worker_job *j, struct worker_ctl *c, const struct worker_msg *m)
{
	static int failed;
	if (!j->halt_after || (m->code == 0 && !m->stopped && !m->error[0]))
		return;
	if (__atomic_add_fetch(&failed, 1, __ATOMIC_SEQ_CST) < j->halt_after)
		return;
	__atomic_store_n(&c->soon, 1, __ATOMIC_SEQ_CST);
	if (j->halt_now)
		worker_ctl_stop(c);
}

void worker_cpus_allowed(char *buf, size_t size)
{
	char status[4096];
	buf[0] = '\0';
	if (probe_read_file("/proc/thread-self/status", status, sizeof(status)) <= 0)
		return;
	const char *p = strstr(status, "\nCpus_allowed_list:");
	if (!p)
		return;
	p += strlen("\nCpus_allowed_list:");
	p += strspn(p, " \t");
	size_t n = strcspn(p, "\n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
}

void worker_see_cpu(uint64_t seen[16], int cpu)
{
	if (cpu >= 0 && cpu < 16 * 64)
		seen[cpu / 64] |= (uint64_t)1 << (cpu % 64);
}

/*
 * The calling thread's states so far, seconds: running from
 * CLOCK_THREAD_CPUTIME_ID (schedstat field 1's counter, brought up to this
 * moment: the file's lags by the current slice), ready from
 * /proc/thread-self/schedstat field 2 (current while the thread runs).
 */
static int thread_states(double *running, double *ready)
{
	char buf[128];
	unsigned long long run_ns, wait_ns;
	struct timespec ts;
	if (probe_read_file("/proc/thread-self/schedstat", buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%llu %llu", &run_ns, &wait_ns) != 2 ||
	    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) < 0)
		return -1;
	*running = (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
	*ready = (double)wait_ns * 1e-9;
	return 0;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

/* One task thread's slot in the pool (at most max in flight). */
struct wthread {
	pthread_t th;
	bool busy;
	int id, slot;
	struct wpool *pool;
};

struct wpool {
	const struct worker_job *j;
	struct worker_ctl ctl;
	int end_pipe[2];          /* a thread writes its pool index here at its end */
	struct wthread *t;
	int max, n;               /* pool size, busy threads */
	bool *slot_busy;          /* parallel: one thread per slot */
};

static void *task_thread(void *arg)
{
	struct wthread *w = arg;
	struct wpool *p = w->pool;
	const struct worker_job *j = p->j;
	struct worker_msg m;
	memset(&m, 0, sizeof(m));
	m.type = WMSG_STARTED;
	m.id = w->id;
	m.slot = w->slot;
	worker_see_cpu(m.cpus_seen, sched_getcpu());
	/* the counters read inside start..end, so the states never exceed the wall */
	m.start_s = now_s();
	double run0 = 0, ready0 = 0;
	bool have0 = thread_states(&run0, &ready0) == 0;
	struct rusage ru0, ru1;
	getrusage(RUSAGE_THREAD, &ru0);
	worker_send(j->res_fd, &m);
	struct task_ctx ctx = {.stop = &p->ctl.stop, .stop_fd = p->ctl.stop_fd,
			       .deadline = j->timeout_s > 0 ? m.start_s + j->timeout_s : 0,
			       .held_s = j->held_s};
	const struct task_spec *spec = workload_task(j->w, w->id);
	m.code = spec->kind->run(spec, &ctx);
	worker_see_cpu(m.cpus_seen, sched_getcpu());
	getrusage(RUSAGE_THREAD, &ru1);
	double run1, ready1;
	m.have_schedstat = have0 && thread_states(&run1, &ready1) == 0;
	m.end_s = now_s();
	m.type = WMSG_DONE;
	if (m.have_schedstat) {
		m.running_s = run1 - run0;
		m.ready_s = ready1 - ready0;
	}
	m.user_s = tv_s(ru1.ru_utime) - tv_s(ru0.ru_utime);
	m.sys_s = tv_s(ru1.ru_stime) - tv_s(ru0.ru_stime);
	m.voluntary = ru1.ru_nvcsw - ru0.ru_nvcsw;
	m.involuntary = ru1.ru_nivcsw - ru0.ru_nivcsw;
	worker_cpus_allowed(m.cpus_allowed, sizeof(m.cpus_allowed));
	m.stopped = ctx.stopped;
	m.timed_out = ctx.stopped && ctx.deadline > 0 && m.end_s >= task_deadline(&ctx);
	/* its own end first (tribench counts the failure before the others'
	 * stops arrive), then the halt, before the next task is admitted */
	worker_send(j->res_fd, &m);
	worker_task_ended(j, &p->ctl, &m);
	int idx = (int)(w - p->t);
	ssize_t wr = write(p->end_pipe[1], &idx, sizeof(idx));
	(void)wr;	/* a pipe of ints below its capacity: max * 4 bytes */
	return NULL;
}

/* The slot the next task takes: parallel, the first free one; else 0. */
static int free_slot(const struct wpool *p)
{
	if (p->j->plan->mode != MODE_PARALLEL)
		return 0;
	for (int s = 0; s < p->j->plan->nslots; s++)
		if (!p->slot_busy[s])
			return s;
	return -1;
}

/* Start task id on a thread: 0, 1 when the kernel said EAGAIN and others
 * are in flight (try again after one ends), -1 when it cannot start (sent
 * as a DONE with error[]). */
static int start_one(struct wpool *p, int id)
{
	const struct worker_job *j = p->j;
	int slot = free_slot(p), idx = -1;
	for (int i = 0; i < p->max; i++)
		if (!p->t[i].busy) {
			idx = i;
			break;
		}
	if (slot < 0 || idx < 0)
		return 1;
	struct wthread *w = &p->t[idx];
	w->id = id;
	w->slot = slot;
	w->pool = p;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, WORKER_STACK);
	if (j->bind)
		pthread_attr_setaffinity_np(&attr, sizeof(cpu_set_t), &j->plan->slots[slot].mask);
	int err = pthread_create(&w->th, &attr, task_thread, w);
	pthread_attr_destroy(&attr);
	if (err == EAGAIN && p->n > 0)
		return 1;
	if (err) {
		struct worker_msg m;
		memset(&m, 0, sizeof(m));
		m.type = WMSG_DONE;
		m.id = id;
		m.slot = slot;
		snprintf(m.error, sizeof(m.error), "cannot start it (pthread_create): %s", strerror(err));
		worker_send(j->res_fd, &m);
		return -1;
	}
	w->busy = true;
	p->n++;
	if (p->slot_busy)
		p->slot_busy[slot] = true;
	return 0;
}

/* Threads that have ended (their index on end_pipe): joined, slots freed. */
static void join_ended(struct wpool *p)
{
	int idx[64];
	ssize_t n;
	while ((n = read(p->end_pipe[0], idx, sizeof(idx))) > 0)
		for (ssize_t k = 0; k < n / (ssize_t)sizeof(int); k++) {
			struct wthread *w = &p->t[idx[k]];
			pthread_join(w->th, NULL);
			w->busy = false;
			p->n--;
			if (p->slot_busy)
				p->slot_busy[w->slot] = false;
		}
}

static int thread_main(const struct worker_job *j)
{
	struct wpool p = {.j = j, .ctl = {.ctl_fd = j->ctl_fd}};
	const struct plan *pl = j->plan;
	p.max = pl->mode == MODE_SERIAL ? 1 : j->max_in_flight;
	if (pl->mode == MODE_PARALLEL) {
		if (p.max > pl->nslots)
			p.max = pl->nslots;
		p.slot_busy = xcalloc((size_t)pl->nslots, sizeof(bool));
	}
	if (p.max < 1)
		p.max = 1;
	p.t = xcalloc((size_t)p.max, sizeof(*p.t));
	p.ctl.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (p.ctl.stop_fd < 0 || pipe2(p.end_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return worker_fail(j->res_fd, "worker: cannot make its eventfd or pipe: %s", strerror(errno));
	int next = 0, rc = 0;
	for (;;) {
		while (!p.ctl.stop && !p.ctl.soon && next < j->w->ntasks) {
			int r = start_one(&p, next);
			if (r > 0)
				break;
			next++;
		}
		if (p.n == 0 && (p.ctl.stop || p.ctl.soon || next >= j->w->ntasks))
			break;
		if (worker_wait(j, &p.ctl, p.end_pipe[0]) < 0)
			rc = 3;
		join_ended(&p);
	}
	free(p.t);
	free(p.slot_busy);
	return rc;
}

int worker_main(const struct worker_job *j)
{
	int fl = fcntl(j->ctl_fd, F_GETFL);
	if (fl < 0 || fcntl(j->ctl_fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return worker_fail(j->res_fd, "worker: cannot read its control pipe: %s", strerror(errno));
	if (j->executor == EXEC_COROUTINE)
		return worker_coro_main(j);
	return thread_main(j);
}
