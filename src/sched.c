/* The scheduler: slots, launch, sampling, reaping, signals. */
#include "config.h"
#include "sched.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"
#include "sampler.h"

int sched_init(struct sched *s, const struct intlist *usable, int sample_ms, bool bind)
{
	memset(s, 0, sizeof(*s));
	s->sample_ms = sample_ms;
	s->bind = bind;
	s->cpus = usable;
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	/* A shell starts background jobs with SIGINT ignored, and an ignored signal
	 * never reaches a signalfd: take SIGINT and SIGTERM back (SIGHUP stays as
	 * nohup left it). */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigprocmask(SIG_BLOCK, &mask, &s->old_mask);
	s->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	s->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	s->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (s->sigfd < 0 || s->timerfd < 0 || s->devnull < 0)
		return error("cannot set up the scheduler: %s", strerror(errno));
	return 0;
}

void sched_fini(struct sched *s)
{
	if (s->sigfd >= 0)
		close(s->sigfd);
	if (s->timerfd >= 0)
		close(s->timerfd);
	if (s->devnull >= 0)
		close(s->devnull);
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

/* In the child, before any work: a clean process the way a user's command expects. */
static void child_setup(const struct sched *s, const struct plan_slot *slot)
{
	sigset_t none;
	sigemptyset(&none);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setpgid(0, 0);
	dup2(s->devnull, STDIN_FILENO);
	if (s->bind && sched_setaffinity(0, sizeof(slot->mask), &slot->mask) < 0)
		_exit(126);
}

static void arm_timer(const struct sched *s, bool on)
{
	struct itimerspec its = {0};
	if (on) {
		its.it_interval.tv_sec = s->sample_ms / 1000;
		its.it_interval.tv_nsec = (long)(s->sample_ms % 1000) * 1000000L;
		its.it_value = its.it_interval;
	}
	timerfd_settime(s->timerfd, 0, &its, NULL);
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

static double self_cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
}

/* The state of one run in progress. */
struct run_state {
	struct sched *s;
	const struct plan *plan;
	const struct workload *w;
	struct run_record *out;
	struct sampler sampler;
	double t0;
	int *inflight;            /* task indexes running now, in_flight of them */
	bool *slot_busy;          /* parallel: a slot holds one task at a time */
	int in_flight, done, next;
};

static void see_cpu(struct task_record *t, pid_t pid)
{
	int cpu;
	if (probe_last_cpu(pid, &cpu) == 0 && !intlist_has(&t->cpus_seen, cpu)) {
		intlist_push(&t->cpus_seen, cpu);
		intlist_sort_unique(&t->cpus_seen);
	}
}

static int launch(struct run_state *rs, int slot)
{
	struct sched *s = rs->s;
	const struct plan_slot *ps = &rs->plan->slots[slot];
	int id = rs->next++;
	struct task_record *t = &rs->out->tasks[id];
	const struct task_spec *spec = &rs->w->tasks[id];
	t->id = id;
	t->slot = slot;
	t->pu = ps->pu;
	t->start_s = now_s() - rs->t0;
	pid_t pid = fork();
	if (pid < 0)
		return error("cannot start a task: fork: %s", strerror(errno));
	if (pid == 0) {
		child_setup(s, ps);
		_exit(spec->kind->run(spec));
	}
	setpgid(pid, pid);
	if (s->bind)
		sched_setaffinity(pid, sizeof(ps->mask), &ps->mask);
	t->pid = pid;
	see_cpu(t, pid);
	rs->inflight[rs->in_flight++] = id;
	rs->slot_busy[slot] = true;
	return 0;
}

/* Read the zombie's /proc entries, then reap it with its rusage. */
static void finish(struct run_state *rs, int k, pid_t pid)
{
	struct task_record *t = &rs->out->tasks[rs->inflight[k]];
	t->end_s = now_s() - rs->t0;
	t->wall_s = t->end_s - t->start_s;
	t->have_schedstat = probe_schedstat(pid, &t->running_s, &t->ready_s) == 0;
	see_cpu(t, pid);
	if (probe_cpus_allowed(pid, t->cpus_allowed, sizeof(t->cpus_allowed)) < 0)
		t->cpus_allowed[0] = '\0';
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	t->user_s = tv_s(ru.ru_utime);
	t->sys_s = tv_s(ru.ru_stime);
	t->voluntary_switches = ru.ru_nvcsw;
	t->involuntary_switches = ru.ru_nivcsw;
	t->max_rss_kb = ru.ru_maxrss;
	if (!t->have_schedstat)	/* no schedstat: running time from rusage, no ready time */
		t->running_s = t->user_s + t->sys_s;
	t->blocked_s = t->wall_s - t->running_s - t->ready_s;
	if (WIFSIGNALED(status)) {
		t->exit.status = EXIT_STATUS_SIGNALED;
		t->exit.signal = WTERMSIG(status);
	} else {
		t->exit.status = EXIT_STATUS_EXITED;
		t->exit.code = WEXITSTATUS(status);
	}
	sampler_charge(&rs->sampler, t->pu, t->running_s - t->sampled_running_s);
	t->sampled_running_s = t->running_s;
	rs->slot_busy[t->slot] = false;
	rs->inflight[k] = rs->inflight[--rs->in_flight];
	rs->done++;
}

static void reap(struct run_state *rs)
{
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
			return;
		int k = -1;
		for (int i = 0; i < rs->in_flight; i++)
			if (rs->out->tasks[rs->inflight[i]].pid == si.si_pid)
				k = i;
		if (k >= 0)
			finish(rs, k, si.si_pid);
		else	/* not a task of this run: reap it so it cannot linger */
			waitpid(si.si_pid, NULL, 0);
	}
}

static void sample(struct run_state *rs)
{
	for (int i = 0; i < rs->in_flight; i++) {
		struct task_record *t = &rs->out->tasks[rs->inflight[i]];
		double running, ready;
		if (probe_schedstat(t->pid, &running, &ready) == 0) {
			sampler_charge(&rs->sampler, t->pu, running - t->sampled_running_s);
			t->sampled_running_s = running;
		}
		see_cpu(t, t->pid);
	}
	sampler_tick(&rs->sampler, now_s() - rs->t0);
}

static void kill_running(struct run_state *rs)
{
	for (int i = 0; i < rs->in_flight; i++)
		kill(-rs->out->tasks[rs->inflight[i]].pid, SIGKILL);
}

/* Drain the signalfd: SIGCHLD reaps, the others ask us to stop. */
static void handle_signals(struct run_state *rs)
{
	struct signalfd_siginfo si;
	bool child = false;
	while (read(rs->s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			child = true;
		else if (!rs->s->signal) {
			rs->s->signal = (int)si.ssi_signo;
			kill_running(rs);
		}
	}
	if (child)
		reap(rs);
}

/* Parallel: the next free slot; serial and concurrent share their one slot. */
static int next_free_slot(const struct run_state *rs)
{
	if (rs->plan->mode != MODE_PARALLEL)
		return 0;
	for (int i = 0; i < rs->plan->nslots; i++)
		if (!rs->slot_busy[i])
			return i;
	return -1;
}

static void run_totals(struct run_state *rs)
{
	struct run_record *out = rs->out;
	for (int i = 0; i < out->ncpus; i++)
		out->cpus[i].task_busy = 0;
	for (int i = 0; i < out->ntasks; i++) {
		struct task_record *t = &out->tasks[i];
		if (t->exit.status == EXIT_STATUS_NOT_STARTED)
			continue;
		out->user_s += t->user_s;
		out->sys_s += t->sys_s;
		for (int c = 0; c < out->ncpus; c++)
			if (out->cpus[c].cpu == t->pu && out->wall_s > 0)
				out->cpus[c].task_busy += t->running_s / out->wall_s;
	}
}

int sched_run(struct sched *s, const struct plan *p, const struct workload *w,
	      struct run_record *out)
{
	struct run_state rs = {.s = s, .plan = p, .w = w, .out = out};
	int max = p->max_in_flight < 0 ? w->ntasks : p->max_in_flight;
	int rc = 0;
	memset(out, 0, sizeof(*out));
	out->ntasks = w->ntasks;
	out->tasks = xcalloc((size_t)w->ntasks, sizeof(*out->tasks));
	out->ncpus = s->cpus->n;
	out->cpus = xcalloc((size_t)s->cpus->n, sizeof(*out->cpus));
	for (int i = 0; i < w->ntasks; i++)
		out->tasks[i].exit.status = EXIT_STATUS_NOT_STARTED;
	rs.inflight = xcalloc((size_t)max, sizeof(int));
	rs.slot_busy = xcalloc((size_t)p->nslots, sizeof(bool));
	out->rss_floor_kb = probe_self_rss_kb();
	double cpu0 = self_cpu_s();
	sampler_begin(&rs.sampler, s->cpus, s->sample_ms / 1000.0, &out->samples);
	rs.t0 = now_s();
	arm_timer(s, true);
	while (rs.done < w->ntasks && !s->signal) {
		while (rc == 0 && rs.in_flight < max && rs.next < w->ntasks && !s->signal) {
			int slot = next_free_slot(&rs);
			if (slot < 0)
				break;
			rc = launch(&rs, slot);
		}
		if (rc < 0)
			break;
		struct pollfd fds[2] = {{.fd = s->sigfd, .events = POLLIN}, {.fd = s->timerfd, .events = POLLIN}};
		if (poll(fds, 2, -1) < 0 && errno != EINTR) {
			rc = error("poll: %s", strerror(errno));
			break;
		}
		if (fds[1].revents & POLLIN) {
			uint64_t ticks;
			if (read(s->timerfd, &ticks, sizeof(ticks)) > 0)
				sample(&rs);
		}
		if (fds[0].revents & POLLIN)
			handle_signals(&rs);
	}
	if (rc < 0 || s->signal) {
		kill_running(&rs);
		while (rs.in_flight > 0) {
			siginfo_t si;
			if (waitid(P_ALL, 0, &si, WEXITED | WNOWAIT) < 0)
				break;
			reap(&rs);
		}
	}
	arm_timer(s, false);
	out->wall_s = now_s() - rs.t0;
	sample(&rs);
	sampler_end(&rs.sampler, out->cpus);
	sampler_free(&rs.sampler);
	out->runner_cpu_s = self_cpu_s() - cpu0;
	run_totals(&rs);
	free(rs.inflight);
	free(rs.slot_busy);
	return rc;
}

/* Read exactly size bytes unless the writer closes first; returns bytes read. */
static size_t read_full(int fd, void *buf, size_t size)
{
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, (char *)buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

int sched_run_in_child(struct sched *s, const struct plan_slot *slot,
		       int (*fn)(void *arg, void *result), void *arg, void *result, size_t size)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		return error("pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error("fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(fds[0]);
		child_setup(s, slot);
		int rc = fn(arg, result);
		if (rc == 0 && write(fds[1], result, size) != (ssize_t)size)
			rc = 1;
		_exit(rc);
	}
	close(fds[1]);
	size_t got = read_full(fds[0], result, size);
	close(fds[0]);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != size || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return error("a helper child on CPU %d failed", slot->pu);
	return 0;
}
