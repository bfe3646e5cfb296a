/*
 * tribench's side of a thread or coroutine run (worker.h): the worker
 * process in its own group, its messages turned into task records, and
 * the process loop's duties kept: sampling ticks, signals, Ctrl-Z, --halt,
 * and the last resort (the worker's group killed past the grace).
 */
#include "config.h"
#include "worker.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "probe.h"
#include "run_state.h"
#include "tree.h"
#include "util.h"

/* After a stop (or a task's deadline) and the grace: how long the flag gets
 * beyond it before the worker's group is killed. A stop check comes every
 * ~0.1 ms of a kernel; this covers a wait in the kernel's IO path. */
#define WORKER_KILL_MARGIN_S 0.1
/* Files a sampling tick may read for the worker's threads (as sched.c's). */
#define WORKER_READS_PER_TICK 64

struct wrun {
	struct run_state *rs;
	struct sched *s;
	enum executor_kind ex;
	pid_t pid;
	struct task_group g;
	int res, ctl;             /* our ends: read messages, write control bytes */
	struct tree tree;         /* the worker's threads as sampled */
	struct intlist seen;      /* the CPUs its threads were seen on (tree API) */
	char buf[sizeof(struct worker_msg)];
	size_t have;              /* bytes of a message in buf */
	bool res_eof;
	double kill_at;           /* run seconds: kill the worker's group then, 0: none */
	bool stop_sent, soon_sent, killed, halt_seen;
	bool error;               /* the worker said it failed (WMSG_ERROR) */
	volatile double *held_s;  /* shared with the worker (mmap): Ctrl-Z's held seconds */
	int max_id;               /* the highest task id it reported, -1 none */
};

/* The control byte c to the worker; a dead worker is noticed by its exit. */
static void send_ctl(struct wrun *wr, char c)
{
	ssize_t w = write(wr->ctl, &c, 1);
	(void)w;	/* EPIPE: the worker is gone (SIGPIPE is ignored here) */
}

static double run_now(const struct wrun *wr)
{
	return now_s() - wr->rs->t0;
}

/* Kill the worker's whole group now (its tasks end as killed). */
static void kill_worker(struct wrun *wr)
{
	if (wr->pid <= 0 || wr->killed)
		return;
	group_kill(&wr->g);
	wr->killed = true;
}

/* The flag first: WCTL_STOP, and the group killed past the grace; now:
 * killed at once as well. Nothing more is started. */
static void stop_worker(struct wrun *wr, bool now)
{
	wr->rs->stopping = true;
	if (!wr->stop_sent) {
		send_ctl(wr, WCTL_STOP);
		wr->stop_sent = true;
		wr->kill_at = run_now(wr) + wr->s->o.grace_s + WORKER_KILL_MARGIN_S;
	}
	if (now)
		kill_worker(wr);
}

/* Record t (in the pool at idx, or idx -1: the caller's) to the collector,
 * then --halt as the process loop does: soon starts nothing more, now stops
 * the others through the flag. */
static void put_task(struct wrun *wr, int idx, struct task_record *t)
{
	struct run_state *rs = wr->rs;
	pid_t key = t->pid;
	t->pid = wr->pid;
	t->outside_slot = t->exit.status != EXIT_STATUS_NOT_STARTED && executor_outside_slot(rs, t);
	collector_put(rs->out->collect, t);
	if (rs->s->progress)
		progress_task_done(rs->s->progress);
	bool failed = t->exit.status != EXIT_STATUS_EXITED || t->exit.code != 0 || t->exit.timed_out;
	if (idx >= 0) {
		t->pid = key;
		policy_forget(rs, idx);
		inflight_release(&rs->fl, idx);
	} else {
		free(t->exit.error);
		intlist_free(&t->cpus_seen);
	}
	policy_task_ended(rs, failed);
	if (rs->s->halted && !wr->halt_seen) {
		wr->halt_seen = true;
		if (rs->s->o.halt == HALT_NOW)
			stop_worker(wr, false);
		else if (!wr->soon_sent) {
			send_ctl(wr, WCTL_SOON);
			wr->soon_sent = true;
		}
	}
}

static void seen_from_bits(struct task_record *t, const uint64_t bits[16])
{
	for (int c = 0; c < 16 * 64; c++)
		if (bits[c / 64] & ((uint64_t)1 << (c % 64)))
			intlist_push(&t->cpus_seen, c);
}

static void on_started(struct wrun *wr, const struct worker_msg *m)
{
	struct run_state *rs = wr->rs;
	int idx = inflight_take(&rs->fl);
	if (idx < 0) {	/* more than the bound it was given: a worker bug */
		error("the worker started task %d past its bound of %d", m->id, rs->fl.max);
		wr->error = true;
		stop_worker(wr, true);
		return;
	}
	struct task_record *t = &rs->fl.t[idx];
	t->id = m->id;
	t->slot = m->slot;
	t->start_s = m->start_s - rs->t0;
	/* the last resort: the worker's own deadline, the grace, a margin */
	if (wr->s->o.timeout_s > 0)
		t->term_at = t->start_s + wr->s->o.timeout_s + wr->s->o.grace_s + WORKER_KILL_MARGIN_S;
	inflight_map(&rs->fl, idx, (pid_t)m->id + 1);
	policy_update(rs, idx);
}

static void on_done(struct wrun *wr, const struct worker_msg *m)
{
	struct run_state *rs = wr->rs;
	int idx = inflight_find(&rs->fl, (pid_t)m->id + 1);
	struct task_record own, *t = idx >= 0 ? &rs->fl.t[idx] : &own;
	if (idx < 0)
		memset(&own, 0, sizeof(own));
	const struct plan_slot *ps = &rs->plan->slots[m->slot];
	t->id = m->id;
	t->slot = m->slot;
	t->pu = ps->pu;
	t->pus = &ps->pus;
	if (m->error[0]) {
		t->exit.status = EXIT_STATUS_NOT_STARTED;
		t->exit.error = xstrdup(m->error);
		put_task(wr, idx, t);
		return;
	}
	t->start_s = m->start_s - rs->t0;
	t->end_s = m->end_s - rs->t0;
	t->wall_s = t->end_s - t->start_s;
	t->user_s = m->user_s;
	t->sys_s = m->sys_s;
	t->voluntary_switches = m->voluntary;
	t->involuntary_switches = m->involuntary;
	if (wr->ex == EXEC_COROUTINE) {
		t->states_from_loop = true;
		t->running_s = m->running_s;
		t->ready_s = m->ready_s;
		t->blocked_s = m->blocked_s;
	} else {
		t->have_schedstat = m->have_schedstat;
		t->schedstat_errno = m->have_schedstat ? 0 : EIO;
		t->running_s = m->have_schedstat ? m->running_s : m->user_s + m->sys_s;
		t->ready_s = m->have_schedstat ? m->ready_s : 0;
		t->blocked_s = t->wall_s - t->running_s - t->ready_s;
	}
	t->max_rss_kb = -1;
	t->zombie_s = NAN;
	t->leftovers_killed = -1;
	seen_from_bits(t, m->cpus_seen);
	size_t n = strnlen(m->cpus_allowed, sizeof(t->cpus_allowed) - 1);
	memcpy(t->cpus_allowed, m->cpus_allowed, n);	/* cut to fit, as probe_cpus_allowed */
	t->cpus_allowed[n] = '\0';
	if (m->stopped) {	/* as a process its SIGTERM ended */
		t->exit.status = EXIT_STATUS_SIGNALED;
		t->exit.signal = SIGTERM;
		t->exit.timed_out = m->timed_out;
		t->exit.stopped = !m->timed_out;
	} else {
		t->exit.status = EXIT_STATUS_EXITED;
		t->exit.code = m->code;
	}
	put_task(wr, idx, t);
}

static void on_msg(struct wrun *wr, const struct worker_msg *m)
{
	if (m->type == WMSG_ERROR) {
		error("%s", m->error);
		wr->error = true;
		stop_worker(wr, false);
		return;
	}
	if (m->id < 0 || m->id >= wr->rs->w->ntasks || m->slot < 0 || m->slot >= wr->rs->plan->nslots) {
		error("the worker sent a message for task %d on slot %d", m->id, m->slot);
		wr->error = true;
		stop_worker(wr, true);
		return;
	}
	if (m->id > wr->max_id)
		wr->max_id = m->id;
	if (m->type == WMSG_STARTED)
		on_started(wr, m);
	else if (m->type == WMSG_DONE)
		on_done(wr, m);
}

/* The messages waiting on the pipe (all of them until EOF when block). */
static void read_msgs(struct wrun *wr, bool block)
{
	while (!wr->res_eof) {
		if (block) {
			struct pollfd p = {.fd = wr->res, .events = POLLIN};
			poll(&p, 1, -1);
		}
		ssize_t n = read(wr->res, wr->buf + wr->have, sizeof(wr->buf) - wr->have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (block)
				continue;
			return;
		}
		if (n <= 0) {
			wr->res_eof = true;
			return;
		}
		wr->have += (size_t)n;
		if (wr->have == sizeof(wr->buf)) {
			struct worker_msg m;
			memcpy(&m, wr->buf, sizeof(m));
			wr->have = 0;
			on_msg(wr, &m);
		}
	}
}

/* A sampling tick: the worker's threads within the read budget, as sched.c's. */
static void tick(struct wrun *wr)
{
	struct run_state *rs = wr->rs;
	if (wr->pid > 0) {
		bool done;
		tree_sample(&wr->tree, wr->g.leaf, wr->pid, WORKER_READS_PER_TICK, &rs->sampler, &wr->seen, &done);
	}
	sampler_tick(&rs->sampler, run_now(wr));
	if (rs->s->progress)
		progress_draw(rs->s->progress, false);
}

/*
 * Ctrl-Z: freeze the run cgroup (the worker's leaf in it), else SIGSTOP the
 * worker's group; stop ourselves; thaw on SIGCONT. The held time is the
 * run's suspended_s and moves our deadlines, and the worker's: it is added
 * to the page the tasks' contexts read (task_deadline) before the thaw.
 */
static void suspend(struct wrun *wr)
{
	struct run_state *rs = wr->rs;
	double t = now_s();
	bool frozen = containment_freeze(&rs->s->contain, true) == 0;
	if (!frozen)
		group_signal(&wr->g, SIGSTOP);
	raise(SIGSTOP);
	*wr->held_s += now_s() - t;	/* before the worker runs again */
	if (frozen)
		containment_freeze(&rs->s->contain, false);
	else
		group_signal(&wr->g, SIGCONT);
	double held = now_s() - t;
	rs->out->suspended_s += held;
	policy_shift(rs, held);
	if (wr->kill_at > 0)
		wr->kill_at += held;
}

static bool handle_signals(struct wrun *wr)
{
	struct signalfd_siginfo si;
	bool child = false;
	while (read(wr->s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			child = true;
			continue;
		}
		if (si.ssi_signo == SIGTSTP) {
			suspend(wr);
			continue;
		}
		if (!wr->s->signal)
			wr->s->signal = (int)si.ssi_signo;
		stop_worker(wr, ++wr->s->stop_signals > 1);
	}
	return child;
}

/* The launcher died (a SIGCHLD that is not the worker's): reap it. */
static void reap_launcher(struct wrun *wr)
{
	struct spawner *sp = &wr->s->spawn;
	if (sp->pid > 0 && waitpid(sp->pid, NULL, WNOHANG) == sp->pid)
		spawner_lost(sp, "died");
}

/* Has the worker exited (a zombie, not reaped)? */
static bool worker_exited(const struct wrun *wr)
{
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	return waitid(P_PID, (id_t)wr->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == wr->pid;
}

/* In the child: the worker. Its descriptors: 0-2 as a task's, the two pipe
 * ends; nothing else of tribench's. Never returns. */
static void worker_child(struct wrun *wr, struct worker_job *job, int res_w, int ctl_r,
			 const cpu_set_t *mask)
{
	struct sched *s = wr->s;
	struct launch l = {
		.fd_in = s->devnull,
		.fd_out = sched_task_stdout(s),
		.fd_err = sched_task_stderr(s),
		.mask = mask,
		.close_fd = s->wd.fd,
		.cgroup_fd = -1,
	};
	if (launch_child_setup(&l) < 0 || (wr->g.leaf && child_join_cgroup(wr->g.leaf->dirfd) < 0))
		_exit(worker_fail(res_w, "worker: cannot set itself up: %s", strerror(errno)));
	/* every other descriptor closed: 3.. up to the pipes, between, after */
	int lo = res_w < ctl_r ? res_w : ctl_r, hi = res_w < ctl_r ? ctl_r : res_w;
	if (lo > 3)
		close_range(3, (unsigned)lo - 1, 0);
	if (hi > lo + 1)
		close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)hi + 1, ~0U, 0);
	job->res_fd = res_w;
	job->ctl_fd = ctl_r;
	/* `pgrep -x tribench-worker` finds it (15 characters: comm's limit) */
	prctl(PR_SET_NAME, "tribench-worker");
	_exit(worker_main(job));
}

/* Start the worker into its group: 0, or -1 (one error line, nothing left). */
static int start_worker(struct wrun *wr, struct worker_job *job)
{
	struct run_state *rs = wr->rs;
	struct sched *s = wr->s;
	int res[2], ctl[2];
	if (pipe2(res, O_CLOEXEC) < 0)
		return error("cannot make the worker's pipe: %s", strerror(errno));
	if (pipe2(ctl, O_CLOEXEC) < 0) {
		int err = errno;
		close(res[0]);
		close(res[1]);
		return error("cannot make the worker's pipe: %s", strerror(err));
	}
	if (group_open(&s->contain, &wr->g) < 0) {
		error("cannot make a cgroup for the worker: %s", strerror(errno));
		goto fail;
	}
	/* the worker itself may run on any PU of the plan; it binds its threads */
	cpu_set_t mask;
	CPU_ZERO(&mask);
	for (int i = 0; i < rs->plan->nslots; i++)
		CPU_OR(&mask, &mask, &rs->plan->slots[i].mask);
	pid_t pid = fork();
	if (pid < 0) {
		error("cannot start the worker (fork): %s", strerror(errno));
		group_close(&s->contain, &wr->g);
		goto fail;
	}
	if (pid == 0) {
		close(res[0]);
		close(ctl[1]);
		worker_child(wr, job, res[1], ctl[0], s->bind ? &mask : NULL);
	}
	close(res[1]);
	close(ctl[0]);
	wr->pid = pid;
	wr->res = res[0];
	wr->ctl = ctl[1];
	fcntl(wr->res, F_SETFL, fcntl(wr->res, F_GETFL) | O_NONBLOCK);
	setpgid(pid, pid);	/* the child does too: whichever comes first */
	wr->g.leader = pid;
	group_launched(&wr->g);
	/* with a leaf the watchdog kills the run cgroup whole; else it learns the group */
	if (!wr->g.leaf)
		watchdog_add(&s->wd, pid);
	return 0;
fail:
	close(res[0]);
	close(res[1]);
	close(ctl[0]);
	close(ctl[1]);
	return -1;
}

/*
 * The worker has exited: its last thread's slice and what was left in its
 * leaf charged, the leaf emptied, the worker reaped, its whole CPU time
 * (rusage: io-wq threads included; or the leaf's cpu.stat) settled over the
 * CPUs the samples saw. Returns its wait status.
 */
static int finish_worker(struct wrun *wr)
{
	struct run_state *rs = wr->rs;
	double running, ready;
	int cpu = -1;
	bool have = probe_schedstat(wr->pid, &running, &ready) == 0;
	probe_last_cpu(wr->pid, &cpu);
	int left = tree_leader_exit(&wr->tree, wr->g.leaf, wr->pid, have ? running : -1, cpu, &rs->sampler,
				    &wr->seen);
	group_end(&wr->g, left);
	struct report_task_cgroup leaf;
	bool have_leaf = group_stats(&wr->g, &leaf) >= 0 && isfinite(leaf.cpu_s);
	if (!wr->g.leaf)
		watchdog_remove(&wr->s->wd, wr->pid);
	int status;
	struct rusage ru;
	while (wait4(wr->pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	group_close(&wr->s->contain, &wr->g);
	rs->out->worker_user_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6;
	rs->out->worker_sys_s = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
	rs->out->worker_cpu_s = rs->out->worker_user_s + rs->out->worker_sys_s;
	double total = have_leaf ? leaf.cpu_s : rs->out->worker_cpu_s;
	tree_settle(&wr->tree, total, &rs->plan->slots[0].pus, &rs->sampler);
	return status;
}

/* Tasks the worker started and never ended: killed with it. */
static void put_unfinished(struct wrun *wr, int status)
{
	struct run_state *rs = wr->rs;
	double now = run_now(wr);
	while (rs->fl.n > 0) {
		int idx = rs->fl.active[0];
		struct task_record *t = &rs->fl.t[idx];
		const struct plan_slot *ps = &rs->plan->slots[t->slot];
		t->pu = ps->pu;
		t->pus = &ps->pus;
		t->end_s = now;
		t->wall_s = now - t->start_s;
		t->running_s = NAN;	/* its thread's counters went with the worker */
		t->user_s = t->sys_s = NAN;
		t->voluntary_switches = t->involuntary_switches = -1;
		t->max_rss_kb = -1;
		t->zombie_s = NAN;
		t->leftovers_killed = -1;
		t->schedstat_errno = ESRCH;
		t->exit.status = EXIT_STATUS_SIGNALED;
		t->exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : SIGKILL;
		t->exit.timed_out = wr->s->o.timeout_s > 0 && now >= t->start_s + wr->s->o.timeout_s;
		t->exit.stopped = !t->exit.timed_out && wr->stop_sent;
		if (!wr->killed)
			t->exit.error = xasprintf("its worker process (pid %d) ended before it did",
						  (int)wr->pid);
		put_task(wr, idx, t);
	}
}

/* Ids below rs->next the worker took but never reported: not started. */
static void put_skipped(struct wrun *wr)
{
	struct run_state *rs = wr->rs;
	const struct task_collector *c = rs->out->collect;
	rs->next = wr->max_id + 1;
	for (int id = 0; id < rs->next; id++)
		if (!(c->seen[id / 8] & (1u << (id % 8)))) {
			struct task_record t;
			memset(&t, 0, sizeof(t));
			t.id = id;
			t.exit.status = EXIT_STATUS_NOT_STARTED;
			t.exit.error = (char *)"its worker ended before starting it";
			collector_put(rs->out->collect, &t);
		}
}

/* poll's timeout: the next last resort (a task's, or the stop's). */
static int wait_ms(const struct wrun *wr)
{
	int ms = policy_next_ms(wr->rs);
	if (wr->kill_at > 0 && !wr->killed) {
		double left = wr->kill_at - run_now(wr);
		int k = left <= 0 ? 0 : (int)ceil(left * 1000);
		if (ms < 0 || k < ms)
			ms = k;
	}
	return ms;
}

int worker_run(struct run_state *rs, enum executor_kind ex)
{
	struct sched *s = rs->s;
	struct wrun wr = {.rs = rs, .s = s, .ex = ex, .res = -1, .ctl = -1, .max_id = -1};
	struct worker_job job = {
		.executor = ex,
		.loop = ex == EXEC_COROUTINE ? coro_loop_kind(NULL) : LOOP_URING,
		.plan = rs->plan,
		.w = rs->w,
		.max_in_flight = rs->fl.max,
		.timeout_s = s->o.timeout_s,
		.bind = s->bind,
		.res_fd = -1,
		.ctl_fd = -1,
		.halt_after = s->o.halt == HALT_NEVER || s->halted ? 0 : s->o.halt_fail - s->failed,
		.halt_now = s->o.halt == HALT_NOW,
	};
	void *page = mmap(NULL, sizeof(double), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return error("mmap: %s", strerror(errno));
	job.held_s = wr.held_s = page;
	if (start_worker(&wr, &job) < 0) {
		munmap(page, sizeof(double));
		return -1;
	}
	int rc = 0;
	for (;;) {
		struct pollfd fds[4] = {{.fd = s->sigfd, .events = POLLIN},
					{.fd = s->timerfd, .events = POLLIN},
					{.fd = watchdog_pidfd(&s->wd), .events = POLLIN},
					{.fd = wr.res_eof ? -1 : wr.res, .events = POLLIN}};
		if (poll(fds, 4, wait_ms(&wr)) < 0 && errno != EINTR) {
			rc = error("poll: %s", strerror(errno));
			stop_worker(&wr, true);
		}
		if (fds[1].revents & POLLIN) {
			uint64_t ticks;
			if (read(s->timerfd, &ticks, sizeof(ticks)) > 0)
				tick(&wr);
		}
		if (fds[3].revents)
			read_msgs(&wr, false);
		bool child = (fds[0].revents & POLLIN) && handle_signals(&wr);
		/* the last resort: a task past its deadline and grace, or a stop's grace */
		if (!wr.killed && (policy_next_ms(rs) == 0 || (wr.kill_at > 0 && run_now(&wr) >= wr.kill_at)))
			kill_worker(&wr);
		if ((fds[2].revents & POLLIN) && !s->watchdog_died) {
			s->watchdog_died = true;
			rc = error("the watchdog (pid %d) died: stopping the run", (int)s->wd.pid);
			stop_worker(&wr, true);
		}
		if (child)
			reap_launcher(&wr);
		if ((child || wr.res_eof) && worker_exited(&wr))
			break;
		if (wr.res_eof) {	/* closed, not yet a zombie: a moment */
			struct pollfd p = {.fd = s->sigfd, .events = POLLIN};
			poll(&p, 1, 10);
		}
	}
	int status = finish_worker(&wr);
	read_msgs(&wr, true);	/* every writer is gone: up to EOF */
	close(wr.res);
	close(wr.ctl);
	put_unfinished(&wr, status);
	put_skipped(&wr);
	tree_free(&wr.tree);
	intlist_free(&wr.seen);
	munmap(page, sizeof(double));
	if (rc == 0 && wr.error)
		rc = -1;
	if (rc == 0 && !wr.killed && WIFEXITED(status) && WEXITSTATUS(status) != 0)
		rc = error("the worker (pid %d) exited with %d", (int)wr.pid, WEXITSTATUS(status));
	if (rc == 0 && !wr.killed && WIFSIGNALED(status))
		rc = error("the worker (pid %d) was killed by signal %d (%s)", (int)wr.pid, WTERMSIG(status),
			   strsignal(WTERMSIG(status)));
	return rc;
}
