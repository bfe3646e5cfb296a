/* The worker process: tasks as coroutines, one loop thread per slot
 * (worker.h, coro.h). Serial and concurrent: one loop thread on slot 0,
 * one coroutine at a time or up to the admission bound; parallel: one loop
 * thread per slot, bound to it, one coroutine at a time each. The loops
 * take task ids from one shared counter, so ids start in order. */
#include "config.h"
#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "util.h"

struct cshared {
	const struct worker_job *j;
	struct worker_ctl ctl;
	int next;                 /* the next task id to take (atomic) */
	int end_fd;               /* an eventfd: +1 per loop thread that ended */
};

/* One loop thread. */
struct cloop {
	pthread_t th;
	struct cshared *sh;
	int slot, max;            /* its slot; coroutines at once */
	bool failed;              /* its loop could not be made or failed */
	char allowed[256];        /* its Cpus_allowed_list */
};

/* One coroutine's task. */
struct ctask {
	struct cloop *lp;
	int id;
	double deadline;          /* now_s() of its --timeout, 0: none */
};

static int ctask_run(void *arg, struct task_ctx *ctx)
{
	struct ctask *t = arg;
	const struct task_spec *spec = workload_task(t->lp->sh->j->w, t->id);
	return spec->kind->run(spec, ctx);
}

static void ctask_done(void *arg, const struct coro_result *r)
{
	struct ctask *t = arg;
	struct worker_msg m;
	memset(&m, 0, sizeof(m));
	m.type = WMSG_DONE;
	m.id = t->id;
	m.slot = t->lp->slot;
	m.start_s = r->start_s;
	m.end_s = r->end_s;
	m.running_s = r->running_s;
	m.ready_s = r->ready_s;
	m.blocked_s = r->blocked_s;
	m.user_s = r->user_s;
	m.sys_s = r->sys_s;
	m.voluntary = r->yields;
	m.involuntary = 0;	/* nothing preempts a coroutine */
	m.code = r->rc;
	m.stopped = r->stopped;
	m.timed_out = r->stopped && t->deadline > 0 &&
		      r->end_s >= t->deadline + *t->lp->sh->j->held_s;
	memcpy(m.cpus_seen, r->cpus_seen, sizeof(m.cpus_seen));
	snprintf(m.cpus_allowed, sizeof(m.cpus_allowed), "%s", t->lp->allowed);
	worker_send(t->lp->sh->j->res_fd, &m);
	worker_task_ended(t->lp->sh->j, &t->lp->sh->ctl, &m);	/* before admit runs */
	free(t);
}

/* After each end (and first): spawn up to the loop's bound from the shared ids. */
static void admit(void *arg, struct coro_loop *l)
{
	struct cloop *lp = arg;
	struct cshared *sh = lp->sh;
	const struct worker_job *j = sh->j;
	while (!sh->ctl.stop && !sh->ctl.soon && coro_loop_count(l) < lp->max) {
		int id = __atomic_fetch_add(&sh->next, 1, __ATOMIC_SEQ_CST);
		if (id >= j->w->ntasks)
			return;
		struct ctask *t = xmalloc(sizeof(*t));
		t->lp = lp;
		t->id = id;
		double start = now_s();
		t->deadline = j->timeout_s > 0 ? start + j->timeout_s : 0;
		struct worker_msg m;
		memset(&m, 0, sizeof(m));
		m.id = id;
		m.slot = lp->slot;
		m.start_s = start;
		if (coro_spawn(l, ctask_run, t, t->deadline, ctask_done) < 0) {
			m.type = WMSG_DONE;
			snprintf(m.error, sizeof(m.error), "cannot start it (a coroutine stack): %s",
				 strerror(errno));
			worker_send(j->res_fd, &m);
			free(t);
			return;
		}
		m.type = WMSG_STARTED;
		worker_send(j->res_fd, &m);
	}
}

static void *loop_thread(void *arg)
{
	struct cloop *lp = arg;
	struct cshared *sh = lp->sh;
	worker_cpus_allowed(lp->allowed, sizeof(lp->allowed));
	struct coro_loop *l = coro_loop_new(sh->j->loop, &sh->ctl.stop, sh->ctl.stop_fd, sh->j->held_s);
	if (!l) {
		lp->failed = true;
		worker_fail(sh->j->res_fd, "worker: cannot make the %s loop of slot %d",
			    loop_kind_name(sh->j->loop), lp->slot);
	} else {
		if (coro_loop_run(l, admit, lp) < 0) {
			lp->failed = true;
			worker_fail(sh->j->res_fd, "worker: the %s loop of slot %d failed",
				    loop_kind_name(sh->j->loop), lp->slot);
		}
		coro_loop_free(l);
	}
	uint64_t one = 1;
	ssize_t w = write(sh->end_fd, &one, sizeof(one));
	(void)w;
	return NULL;
}

int worker_coro_main(const struct worker_job *j)
{
	struct cshared sh = {.j = j, .ctl = {.ctl_fd = j->ctl_fd}};
	const struct plan *pl = j->plan;
	int nloops = 1, per_loop = pl->mode == MODE_SERIAL ? 1 : j->max_in_flight;
	if (pl->mode == MODE_PARALLEL) {
		nloops = pl->nslots < j->max_in_flight ? pl->nslots : j->max_in_flight;
		per_loop = 1;
	}
	if (nloops < 1)
		nloops = 1;
	if (per_loop < 1)
		per_loop = 1;
	sh.ctl.stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	sh.end_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (sh.ctl.stop_fd < 0 || sh.end_fd < 0)
		return worker_fail(j->res_fd, "worker: cannot make its eventfds: %s", strerror(errno));
	struct cloop *loops = xcalloc((size_t)nloops, sizeof(*loops));
	int started = 0, rc = 0;
	for (int i = 0; i < nloops; i++) {
		struct cloop *lp = &loops[i];
		lp->sh = &sh;
		lp->slot = i;
		lp->max = per_loop;
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		if (j->bind)
			pthread_attr_setaffinity_np(&attr, sizeof(cpu_set_t), &pl->slots[i].mask);
		int err = pthread_create(&lp->th, &attr, loop_thread, lp);
		pthread_attr_destroy(&attr);
		if (err) {
			rc = worker_fail(j->res_fd, "worker: cannot start the loop thread of slot %d: %s", i,
					 strerror(err));
			worker_ctl_stop(&sh.ctl);
			break;
		}
		started++;
	}
	for (uint64_t ended = 0; ended < (uint64_t)started;) {
		if (worker_wait(j, &sh.ctl, sh.end_fd) < 0)
			rc = 3;
		uint64_t n;
		if (read(sh.end_fd, &n, sizeof(n)) == sizeof(n))
			ended += n;
	}
	for (int i = 0; i < started; i++) {
		pthread_join(loops[i].th, NULL);
		if (loops[i].failed)
			rc = 3;
	}
	free(loops);
	return rc;
}
