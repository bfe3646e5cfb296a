/* The scheduler: slots, launch, sampling, timeouts, halting, signals, reaping. */
#include "config.h"
#include "sched.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "launch.h"
#include "probe.h"
#include "resultsdir.h"
#include "sampler.h"
#include "tree.h"

extern char **environ;

int sched_init(struct sched *s, const struct intlist *usable, const struct sched_opts *o, bool bind)
{
	memset(s, 0, sizeof(*s));
	s->o = *o;
	s->bind = bind;
	s->cpus = usable;
	s->sigfd = s->timerfd = s->devnull = -1;
	s->wd.fd = -1;
	s->spawn.sock = -1;
	/* orphaned grandchildren of a task come to us, not to init, and are reaped */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	if (containment_init(&s->contain, o->containment, &s->contain_warning, &s->contain_stale) < 0)
		return -2;
	if (watchdog_start(&s->wd) < 0)
		return -1;
	if (s->contain.kind == CONTAIN_CGROUP)
		watchdog_set_cgroup(&s->wd, s->contain.run.path);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	/* A signal ignored when we started (nohup's SIGHUP, a shell's background
	 * SIGINT) stays ignored: a blocked signal is queued to the signalfd even
	 * when its disposition is SIG_IGN, so it must stay out of the mask. */
	static const int asked[] = {SIGINT, SIGTERM, SIGHUP, SIGTSTP};
	for (size_t i = 0; i < ARRAY_SIZE(asked); i++) {
		struct sigaction old;
		if (sigaction(asked[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaddset(&mask, asked[i]);
	}
	sigprocmask(SIG_BLOCK, &mask, &s->old_mask);
	s->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	s->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	s->devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (s->sigfd < 0 || s->timerfd < 0 || s->devnull < 0)
		return error("cannot set up the scheduler: %s", strerror(errno));
	/* after the mask: the launcher inherits none of it (posix_spawn sets its own) */
	spawner_start(&s->spawn, &s->spawn_warning);
	return 0;
}

/*
 * Kill and reap every child that is not the watchdog: between runs these can
 * only be orphans of tasks that left their process group (setsid) and came to
 * us as their subreaper. The group kills cannot reach them; this does.
 */
static void kill_adopted(struct sched *s)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	for (int round = 0; round < 100 && probe_read_file(path, buf, sizeof(buf)) > 0; round++) {
		int killed = 0;
		for (char *p = buf; *p;) {
			char *end;
			long pid = strtol(p, &end, 10);
			if (end == p)
				break;
			p = end;
			if (pid > 0 && pid != s->wd.pid && !spawner_is(&s->spawn, (pid_t)pid)) {
				kill(-(pid_t)pid, SIGKILL);
				kill((pid_t)pid, SIGKILL);
				waitpid((pid_t)pid, NULL, 0);
				killed++;
			}
		}
		if (!killed)
			break;
	}
}

void sched_fini(struct sched *s)
{
	kill_adopted(s);
	spawner_stop(&s->spawn);
	free(s->spawn_warning);
	if (s->sigfd >= 0)
		close(s->sigfd);
	if (s->timerfd >= 0)
		close(s->timerfd);
	if (s->devnull >= 0)
		close(s->devnull);
	containment_fini(&s->contain);
	watchdog_stop(&s->wd);
	free(s->contain_warning);
	free(s->contain_stale);
	/* orphans of tasks that came to us (subreaper) and exited since the last reap */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
}

static void arm_timer(const struct sched *s, bool on)
{
	struct itimerspec its = {0};
	if (on) {
		its.it_interval.tv_sec = s->o.sample_ms / 1000;
		its.it_interval.tv_nsec = (long)(s->o.sample_ms % 1000) * 1000000L;
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
	const struct run_label *label;
	struct run_record *out;
	struct sampler sampler;
	double t0;
	int *inflight;            /* task indexes running now, in_flight of them */
	bool *slot_busy;          /* parallel: a slot holds one task at a time */
	int in_flight, next;
	bool stopping;            /* start nothing more (signal, halt, error) */
	char **envp;              /* environ + the three TRIBENCH_* variables */
	char env_id[40], env_slot[40], env_mode[40];
	char *results;            /* this run's results directory, or NULL */
	struct tree *trees;       /* per task id: its tree as sampled (zeroed: nothing yet) */
	int sample_next;          /* index into inflight where the next tick's reads begin */
};

/* Files a tick may read for the tasks' trees, all in-flight tasks together:
 * ~5 us each, so a tick costs well under 1 ms however many tasks run. */
#define SAMPLE_READS_PER_TICK 64

/* Add pid's last CPU to the task's cpus_seen: that CPU, or -1 when unread. */
static int see_cpu(struct task_record *t, pid_t pid)
{
	int cpu;
	if (probe_last_cpu(pid, &cpu) < 0)
		return -1;
	if (!intlist_has(&t->cpus_seen, cpu)) {
		intlist_push(&t->cpus_seen, cpu);
		intlist_sort_unique(&t->cpus_seen);
	}
	return cpu;
}

/* Bound tasks: was any of the tree seen on a CPU outside its slot's cpuset? */
static bool outside_slot(const struct run_state *rs, const struct task_record *t)
{
	if (!rs->s->bind)
		return false;
	const cpu_set_t *mask = &rs->plan->slots[t->slot].mask;
	for (int i = 0; i < t->cpus_seen.n; i++) {
		int c = t->cpus_seen.v[i];
		if (c < 0 || c >= CPU_SETSIZE || !CPU_ISSET(c, mask))
			return true;
	}
	return false;
}

/*
 * Where the task's running time came from: its leader's schedstat when the
 * leader did all the work (one thread, one process), else the leaf's cpu.stat
 * for a tree under a cgroup (ready and blocked unknown), else rusage user+sys
 * (the leader and the children it waited for).
 */
static void task_states(struct task_record *t)
{
	/* schedstat covers the leader thread alone; rusage also counts its other
	 * threads and the children it waited for, the leaf everything in it */
	double cpu = t->user_s + t->sys_s;
	double tree = t->have_tree ? t->tree.cpu_s : NAN;
	if (t->have_schedstat && (cpu > 1.05 * t->running_s + 0.005 || tree > 1.05 * t->running_s + 0.005))
		t->have_schedstat = false;
	t->states_from_tree = !t->have_schedstat && isfinite(tree);
	if (!t->have_schedstat) {
		t->running_s = t->states_from_tree ? tree : cpu;
		t->ready_s = 0;
	}
	t->blocked_s = t->wall_s - t->running_s - t->ready_s;
}

/* environ without our own variables, then TRIBENCH_TASK_ID, _SLOT, _MODE. */
static void build_env(struct run_state *rs)
{
	int n = 0;
	while (environ[n])
		n++;
	rs->envp = xcalloc((size_t)n + 4, sizeof(char *));
	int k = 0;
	for (int i = 0; i < n; i++)
		if (strncmp(environ[i], "TRIBENCH_TASK_ID=", 17) && strncmp(environ[i], "TRIBENCH_SLOT=", 14) &&
		    strncmp(environ[i], "TRIBENCH_MODE=", 14))
			rs->envp[k++] = environ[i];
	rs->envp[k++] = rs->env_id;
	rs->envp[k++] = rs->env_slot;
	rs->envp[k++] = rs->env_mode;
	snprintf(rs->env_mode, sizeof(rs->env_mode), "TRIBENCH_MODE=%s", mode_name(rs->plan->mode));
}

/* --results DIR/<workload>/<mode>/<run>/ for measured runs. */
static int results_dir(struct run_state *rs)
{
	if (!rs->s->o.results_dir || rs->label->run < 1)
		return 0;
	rs->results = resultsdir_run(rs->s->o.results_dir, rs->label->workload, rs->label->mode, rs->label->run);
	return rs->results ? 0 : -1;
}

/*
 * Through the launcher (a task's max RSS is then its own), or by ourselves
 * when there is none or it died: that is said once in the report. fork
 * failing with EAGAIN (a process limit) is retried with back-off.
 */
static pid_t launch_retrying(struct run_state *rs, const struct task_spec *spec,
			     const struct launch *l, int *exec_errno)
{
	struct sched *s = rs->s;
	for (long delay_us = 1000;; delay_us *= 2) {
		pid_t pid = spawner_launch(&s->spawn, spec, l, exec_errno);
		if (pid == -2) {
			if (s->spawn.died && !s->spawn_warning) {
				s->spawn_warning = xstrdup(s->spawn.lost);
				rs->out->rss_floor_kb = probe_self_rss_kb();
			}
			pid = launch_task(spec, l, exec_errno);
		}
		if (pid >= 0 || errno != EAGAIN || delay_us > 512000)
			return pid;
		usleep((useconds_t)delay_us);
	}
}

static char *exec_error(const struct task_spec *spec, int err)
{
	if (err == ENOENT)
		return xasprintf("command not found: %s", spec->argv[0]);
	return xasprintf("cannot execute '%s': %s", spec->path ? spec->path : spec->argv[0], strerror(err));
}

static int launch(struct run_state *rs, int slot)
{
	struct sched *s = rs->s;
	const struct plan_slot *ps = &rs->plan->slots[slot];
	int id = rs->next++;
	struct task_record *t = &rs->out->tasks[id];
	const struct task_spec *spec = workload_task(rs->w, id);
	/* inherit: never into a JSON report on our stdout; stderr takes it then */
	int inherit_out = s->o.report_on_stdout ? STDERR_FILENO : -1;
	struct launch l = {
		.fd_in = s->devnull,
		.fd_out = s->o.output == OUTPUT_INHERIT ? inherit_out : s->devnull,
		.fd_err = s->o.output == OUTPUT_INHERIT ? -1 : s->devnull,
		.mask = s->bind ? &ps->mask : NULL,
		.envp = rs->envp,
		.close_fd = s->wd.fd,
		.cgroup_fd = -1,
	};
	if (rs->results && ((l.fd_out = resultsdir_open(rs->results, id, "out")) < 0 ||
			    (l.fd_err = resultsdir_open(rs->results, id, "err")) < 0)) {
		if (l.fd_out >= 0)
			close(l.fd_out);
		return -1;
	}
	if (group_open(&s->contain, &t->group) < 0) {
		if (rs->results) {
			close(l.fd_out);
			close(l.fd_err);
		}
		return error("cannot make a cgroup for task %d: %s", id, strerror(errno));
	}
	if (t->group.leaf)
		l.cgroup_fd = t->group.leaf->dirfd;
	snprintf(rs->env_id, sizeof(rs->env_id), "TRIBENCH_TASK_ID=%d", id);
	snprintf(rs->env_slot, sizeof(rs->env_slot), "TRIBENCH_SLOT=%d", slot);
	t->id = id;
	t->slot = slot;
	t->pu = ps->pu;
	t->start_s = now_s() - rs->t0;
	int exec_errno;
	pid_t pid = launch_retrying(rs, spec, &l, &exec_errno);
	int fork_errno = errno;
	if (rs->results) {
		close(l.fd_out);
		close(l.fd_err);
	}
	if (pid < 0) {
		group_close(&s->contain, &t->group);
		return error("cannot start a task (clone): %s", strerror(fork_errno));
	}
	t->group.leader = pid;
	group_launched(&t->group);
	setpgid(pid, pid);
	watchdog_add(&s->wd, pid);
	if (s->bind)
		sched_setaffinity(pid, sizeof(ps->mask), &ps->mask);
	if (exec_errno)
		t->exit.error = exec_error(spec, exec_errno);
	if (s->o.timeout_s > 0)
		t->term_at = t->start_s + s->o.timeout_s;
	t->pid = pid;
	see_cpu(t, pid);
	rs->inflight[rs->in_flight++] = id;
	rs->slot_busy[slot] = true;
	return 0;
}

static void signal_task(struct run_state *rs, struct task_record *t, int sig)
{
	group_signal(&t->group, sig);
	t->term_sent = true;	/* SIGKILL too: the deadline is spent either way */
	t->kill_at = sig == SIGTERM ? now_s() - rs->t0 + rs->s->o.grace_s : 0;
}

/* TERM every running task and KILL after the grace; a second stop signal KILLs now. */
static void terminate_all(struct run_state *rs, bool now)
{
	rs->stopping = true;
	for (int i = 0; i < rs->in_flight; i++) {
		struct task_record *t = &rs->out->tasks[rs->inflight[i]];
		t->exit.stopped = !t->exit.timed_out;
		if (now || rs->s->o.grace_s <= 0)
			signal_task(rs, t, SIGKILL);
		else if (!t->term_sent)
			signal_task(rs, t, SIGTERM);
	}
}

static bool task_failed(const struct task_record *t)
{
	return t->exit.status != EXIT_STATUS_EXITED || t->exit.code != 0 || t->exit.timed_out;
}

/* Read the zombie's /proc entries, then reap it with its rusage. */
static void finish(struct run_state *rs, int k, pid_t pid)
{
	struct task_record *t = &rs->out->tasks[rs->inflight[k]];
	t->end_s = now_s() - rs->t0;
	t->wall_s = t->end_s - t->start_s;
	t->have_schedstat = probe_schedstat(pid, &t->running_s, &t->ready_s) == 0;
	t->schedstat_errno = t->have_schedstat ? 0 : errno;
	int cpu = see_cpu(t, pid);
	if (probe_cpus_allowed(pid, t->cpus_allowed, sizeof(t->cpus_allowed)) < 0)
		t->cpus_allowed[0] = '\0';
	/* the leader's last slice, and where what it left still runs, before
	 * group_end kills it */
	struct tree *tr = &rs->trees[t->id];
	int left = tree_leader_exit(tr, t->group.leaf, pid, t->have_schedstat ? t->running_s : -1,
				    cpu, &rs->sampler, &t->cpus_seen);
	/* what the task left of its tree (a shell's background jobs, setsid'd
	 * daemons) ends with it, before the slot takes the next task */
	t->leftovers_killed = group_end(&t->group, left);
	/* the leaf is empty now: its counters are final */
	int unread = group_stats(&t->group, &t->tree);
	t->have_tree = unread >= 0;	/* what was unread is NAN: warnings.c counts it */
	if (t->have_tree)
		t->tree.procs_max = tr->procs_max;
	watchdog_remove(&rs->s->wd, pid);
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	t->zombie_s = now_s() - rs->t0 - t->end_s;
	group_close(&rs->s->contain, &t->group);
	t->user_s = tv_s(ru.ru_utime);
	t->sys_s = tv_s(ru.ru_stime);
	t->voluntary_switches = ru.ru_nvcsw;
	t->involuntary_switches = ru.ru_nivcsw;
	t->max_rss_kb = ru.ru_maxrss;
	task_states(t);
	if (WIFSIGNALED(status)) {
		t->exit.status = EXIT_STATUS_SIGNALED;
		t->exit.signal = WTERMSIG(status);
	} else {
		t->exit.status = EXIT_STATUS_EXITED;
		t->exit.code = WEXITSTATUS(status);
	}
	/* the CPU time no sample saw goes where the leader last ran */
	tree_settle(tr, t->have_tree && isfinite(t->tree.cpu_s) ? t->tree.cpu_s : t->running_s, t->pu,
		    &rs->sampler);
	tree_free(tr);
	t->outside_slot = outside_slot(rs, t);
	rs->slot_busy[t->slot] = false;
	rs->inflight[k] = rs->inflight[--rs->in_flight];
	collector_put(rs->out->collect, t);
	if (rs->s->progress)
		progress_task_done(rs->s->progress);
	const struct sched_opts *o = &rs->s->o;
	if (task_failed(t) && ++rs->s->failed >= o->halt_fail && o->halt != HALT_NEVER && !rs->s->halted) {
		rs->s->halted = true;
		rs->stopping = true;
		if (o->halt == HALT_NOW)
			terminate_all(rs, false);
	}
}

/*
 * A leader stopped by the terminal would wait forever for a foreground that
 * never comes: SIGTTOU (it wrote to the terminal under `stty tostop`, or
 * changed its settings, from its background process group) or SIGTTIN (it
 * read from it). Kill its tree through the one kill path, saying why. Any
 * other stop (someone's SIGSTOP, our own Ctrl-Z fallback) is left alone.
 * WSTOPPED without WNOWAIT: each stop is reported once.
 */
static void reap_stopped(struct run_state *rs)
{
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WSTOPPED | WNOHANG) < 0 || si.si_pid == 0)
			return;
		if (si.si_code != CLD_STOPPED || (si.si_status != SIGTTOU && si.si_status != SIGTTIN))
			continue;
		for (int i = 0; i < rs->in_flight; i++) {
			struct task_record *t = &rs->out->tasks[rs->inflight[i]];
			if (t->pid != si.si_pid)
				continue;
			if (!t->exit.error)
				t->exit.error = si.si_status == SIGTTOU
					? xstrdup("stopped by SIGTTOU: it wrote to the terminal (stty tostop) "
						  "or changed its settings from a background process group; "
						  "tribench killed it - use --task-output null or --results DIR")
					: xstrdup("stopped by SIGTTIN: it read from the terminal from a "
						  "background process group; tribench killed it - a task's "
						  "stdin is /dev/null, give it input another way");
			signal_task(rs, t, SIGKILL);
		}
	}
}

static void reap(struct run_state *rs)
{
	reap_stopped(rs);
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
		else if (spawner_is(&rs->s->spawn, si.si_pid)) {	/* the launcher died */
			waitpid(si.si_pid, NULL, 0);
			spawner_lost(&rs->s->spawn, "died");
		}
		else	/* an orphaned grandchild (we are its subreaper): reap it */
			waitpid(si.si_pid, NULL, 0);
	}
}

/*
 * One tick: the in-flight tasks' trees within a fixed budget of file reads,
 * round-robin from where the last tick stopped (a task that finished meanwhile
 * reorders inflight, so one task may be skipped or read twice in a round).
 */
static void sample(struct run_state *rs)
{
	int budget = SAMPLE_READS_PER_TICK;
	for (int n = 0; n < rs->in_flight && budget >= 2; n++) {
		int k = rs->sample_next % rs->in_flight;
		struct task_record *t = &rs->out->tasks[rs->inflight[k]];
		bool done;
		budget -= tree_sample(&rs->trees[t->id], t->group.leaf, t->pid, budget, &rs->sampler,
				      &t->cpus_seen, &done);
		if (!done)
			break;
		rs->sample_next = k + 1;
	}
	sampler_tick(&rs->sampler, now_s() - rs->t0);
	if (rs->s->progress)
		progress_draw(rs->s->progress, false);
}

/* SIGSTOP or SIGCONT to each in-flight task's tree, where the run cgroup
 * cannot be frozen: its process group and leader (a leaf's every process
 * where a leaf holds it). A descendant that left its process group runs on. */
static void signal_inflight(struct run_state *rs, int sig)
{
	for (int i = 0; i < rs->in_flight; i++)
		group_signal(&rs->out->tasks[rs->inflight[i]].group, sig);
}

/*
 * Ctrl-Z: freeze every in-flight task tree (one write of the run cgroup's
 * cgroup.freeze, else SIGSTOP to each group), stop tribench itself so that
 * the shell sees a stopped job (SIGSTOP: a SIGTSTP would be discarded in an
 * orphaned process group), and on SIGCONT thaw them. Returns how long the
 * tasks were held, seconds on the monotonic clock.
 */
static double suspend(struct run_state *rs)
{
	struct sched *s = rs->s;
	double t = now_s();
	bool frozen = false;
	if (rs->in_flight > 0 && !(frozen = containment_freeze(&s->contain, true) == 0))
		signal_inflight(rs, SIGSTOP);
	raise(SIGSTOP);		/* returns once a SIGCONT came */
	if (frozen)
		containment_freeze(&s->contain, false);
	else if (rs->in_flight > 0)
		signal_inflight(rs, SIGCONT);
	return now_s() - t;
}

/*
 * After a suspension of held_s: the run records it (suspended_s keeps it out
 * of the statistics) and every due SIGTERM and SIGKILL moves by as much, so
 * no task is timed out for time it spent frozen. A Ctrl-Z read before the
 * run started (during calibration or between runs: handle_signals at the
 * start of sched_run) held no task and is not the run's.
 */
static void resume(struct run_state *rs, double held_s)
{
	if (rs->t0 <= 0)
		return;
	rs->out->suspended_s += held_s;
	for (int i = 0; i < rs->in_flight; i++) {
		struct task_record *t = &rs->out->tasks[rs->inflight[i]];
		if (t->term_at > 0 && !t->term_sent)
			t->term_at += held_s;
		if (t->kill_at > 0)
			t->kill_at += held_s;
	}
}

/* Drain the signalfd: SIGCHLD reaps, SIGTSTP suspends, the others stop the run. */
static void handle_signals(struct run_state *rs)
{
	struct signalfd_siginfo si;
	bool child = false;
	while (read(rs->s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			child = true;
			continue;
		}
		if (si.ssi_signo == SIGTSTP) {
			resume(rs, suspend(rs));
			continue;
		}
		if (!rs->s->signal)
			rs->s->signal = (int)si.ssi_signo;
		terminate_all(rs, ++rs->s->stop_signals > 1);
	}
	if (child)
		reap(rs);
}

/* Deliver due SIGTERMs (timeouts) and SIGKILLs (grace over). */
static void enforce_deadlines(struct run_state *rs)
{
	double now = now_s() - rs->t0;
	for (int i = 0; i < rs->in_flight; i++) {
		struct task_record *t = &rs->out->tasks[rs->inflight[i]];
		if (t->term_at > 0 && !t->term_sent && now >= t->term_at) {
			t->exit.timed_out = true;
			signal_task(rs, t, rs->s->o.grace_s > 0 ? SIGTERM : SIGKILL);
		}
		if (t->term_sent && t->kill_at > 0 && now >= t->kill_at) {
			signal_task(rs, t, SIGKILL);
			t->kill_at = 0;
		}
	}
}

/* Milliseconds until the next deadline, -1 when none. */
static int next_deadline_ms(const struct run_state *rs)
{
	double next = INFINITY, now = now_s() - rs->t0;
	for (int i = 0; i < rs->in_flight; i++) {
		const struct task_record *t = &rs->out->tasks[rs->inflight[i]];
		if (t->term_at > 0 && !t->term_sent && t->term_at < next)
			next = t->term_at;
		if (t->term_sent && t->kill_at > 0 && t->kill_at < next)
			next = t->kill_at;
	}
	if (isinf(next))
		return -1;
	if (next <= now)
		return 0;
	return next - now > 86400 ? 86400000 : (int)ceil((next - now) * 1000);
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

/* Tasks never started (a signal, --halt or an error stopped the run) go to
 * the collector as such. */
static void put_not_started(struct run_state *rs)
{
	for (int i = 0; i < rs->out->ntasks; i++)
		if (rs->out->tasks[i].exit.status == EXIT_STATUS_NOT_STARTED)
			collector_put(rs->out->collect, &rs->out->tasks[i]);
}

static void run_state_init(struct run_state *rs, int max)
{
	struct run_record *out = rs->out;
	const struct workload *w = rs->w;
	struct task_collector *collect = out->collect;
	memset(out, 0, sizeof(*out));
	out->collect = collect;
	out->ntasks = w->ntasks;
	out->tasks = xcalloc((size_t)w->ntasks, sizeof(*out->tasks));
	for (int i = 0; i < w->ntasks; i++) {
		out->tasks[i].id = i;
		out->tasks[i].exit.status = EXIT_STATUS_NOT_STARTED;
	}
	out->ncpus = rs->s->cpus->n;
	out->cpus = xcalloc((size_t)rs->s->cpus->n, sizeof(*out->cpus));
	rs->inflight = xcalloc((size_t)max, sizeof(int));
	rs->slot_busy = xcalloc((size_t)rs->plan->nslots, sizeof(bool));
	rs->trees = xcalloc((size_t)w->ntasks + 1, sizeof(*rs->trees));
	build_env(rs);
}

/* A probe found no descriptor left: the run has holes, a runtime error. */
static int fatal_probe(void)
{
	if (!probe_fatal_errno())
		return 0;
	return error("cannot open '%s': %s", probe_fatal_path(), strerror(probe_fatal_errno()));
}

int sched_run(struct sched *s, const struct plan *p, const struct workload *w,
	      const struct run_label *label, struct run_record *out)
{
	struct run_state rs = {.s = s, .plan = p, .w = w, .label = label, .out = out};
	int max = p->max_in_flight < 0 ? w->ntasks : p->max_in_flight;
	int rc = 0;
	run_state_init(&rs, max);
	handle_signals(&rs);	/* a Ctrl-C during calibration or between runs */
	if (results_dir(&rs) < 0)
		rc = -1;
	if (s->progress)
		progress_run(s->progress, label->workload, label->mode, label->run, label->runs, w->ntasks);
	out->rss_floor_kb = s->spawn.pid > 0 ? spawner_rss_floor_kb(&s->spawn) : probe_self_rss_kb();
	double cpu0 = self_cpu_s();
	sampler_begin(&rs.sampler, s->cpus, s->o.sample_ms / 1000.0, &out->samples);
	rs.t0 = now_s();
	arm_timer(s, true);
	rs.stopping = rc < 0 || s->signal || s->halted;
	for (;;) {
		while (!rs.stopping && rs.in_flight < max && rs.next < w->ntasks) {
			int slot = next_free_slot(&rs);
			if (slot < 0)
				break;
			if (launch(&rs, slot) < 0) {
				rc = -1;
				terminate_all(&rs, true);
			}
		}
		if (rs.in_flight == 0 && (rs.stopping || rs.next == w->ntasks))
			break;
		struct pollfd fds[3] = {{.fd = s->sigfd, .events = POLLIN},
					{.fd = s->timerfd, .events = POLLIN},
					{.fd = watchdog_pidfd(&s->wd), .events = POLLIN}};
		if (poll(fds, 3, next_deadline_ms(&rs)) < 0 && errno != EINTR) {
			rc = error("poll: %s", strerror(errno));
			terminate_all(&rs, true);
		}
		if (fds[1].revents & POLLIN) {
			uint64_t ticks;
			if (read(s->timerfd, &ticks, sizeof(ticks)) > 0)
				sample(&rs);
		}
		if (fds[0].revents & POLLIN)
			handle_signals(&rs);
		enforce_deadlines(&rs);
		if (rc == 0 && (rc = fatal_probe()) < 0)
			terminate_all(&rs, true);
		/* without the watchdog nothing would clean up if we died: stop */
		if ((fds[2].revents & POLLIN) && !s->watchdog_died) {
			s->watchdog_died = true;
			rc = error("the watchdog (pid %d) died: stopping the run", (int)s->wd.pid);
			terminate_all(&rs, true);
		}
	}
	arm_timer(s, false);
	out->wall_s = now_s() - rs.t0;
	kill_adopted(s);
	sample(&rs);
	if (rc == 0)
		rc = fatal_probe();
	sampler_end(&rs.sampler, out->cpus);
	sampler_free(&rs.sampler);
	out->runner_cpu_s = self_cpu_s() - cpu0;
	put_not_started(&rs);
	free(rs.inflight);
	free(rs.slot_busy);
	free(rs.trees);
	free(rs.envp);
	free(rs.results);
	return rc;
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
		struct launch l = {.fd_in = s->devnull, .fd_out = -1, .fd_err = -1, .cgroup_fd = -1,
				   .mask = s->bind ? &slot->mask : NULL, .close_fd = s->wd.fd};
		close(fds[0]);
		int rc = launch_child_setup(&l) < 0 ? 1 : fn(arg, result);
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
