/* The scheduler's loop: signals, the sampling timer and exits, with admission
 * in bounded batches between them; the executor (executor.c) starts and
 * finishes tasks, the policy (policy.c) times them out and stops them. */
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

#include "admit.h"
#include "executor.h"
#include "worker.h"
#include "launch.h"
#include "probe.h"
#include "resultsdir.h"
#include "run_state.h"

extern char **environ;

/* Our children now (/proc/self/task/PID/children of the main thread) into out. */
static void children_now(struct intlist *out)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)getpid());
	if (probe_read_file(path, buf, sizeof(buf)) <= 0)
		return;
	for (char *p = buf, *end;; p = end) {
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		intlist_push(out, (int)pid);
	}
}

int sched_init(struct sched *s, const struct intlist *usable, const struct sched_opts *o, bool bind)
{
	memset(s, 0, sizeof(*s));
	s->o = *o;
	s->bind = bind;
	s->cpus = usable;
	s->sigfd = s->timerfd = s->devnull = -1;
	s->wd.fd = -1;
	s->spawn.sock = -1;
	s->rank = -1;
	children_now(&s->before);
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
 * Kill and reap every child that is not the watchdog, the launcher or one
 * that was there before sched_init (an embedding program's: MPI's own
 * daemon in a tribench-mpi started without mpirun): between runs these can
 * only be orphans of tasks that left their process group (setsid) and came
 * to us as their subreaper. The group kills cannot reach them; this does.
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
			if (pid > 0 && pid != s->wd.pid && !spawner_is(&s->spawn, (pid_t)pid) &&
			    !intlist_has(&s->before, (int)pid)) {
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
	free(s->admit_warning);
	free(s->runner_warning);
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
	intlist_free(&s->before);
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

/* Who runner_cpu_s counts: tribench, its launcher, its watchdog. */
enum { RUNNER_SELF, RUNNER_LAUNCHER, RUNNER_WATCHDOG, RUNNER_N };

/*
 * Seconds of CPU time so far of tribench (getrusage RUSAGE_SELF, user + sys)
 * and of its two helpers, the launcher and the watchdog (each one thread:
 * /proc/PID/schedstat field 1), with the pid read (0 for tribench); NAN for
 * a helper that is not running or cannot be read.
 */
static void runner_cpu(const struct sched *s, double cpu[RUNNER_N], pid_t pid[RUNNER_N])
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	cpu[RUNNER_SELF] = tv_s(ru.ru_utime) + tv_s(ru.ru_stime);
	pid[RUNNER_SELF] = 0;
	pid[RUNNER_LAUNCHER] = s->spawn.pid;
	pid[RUNNER_WATCHDOG] = s->wd.pid;
	for (int i = RUNNER_LAUNCHER; i < RUNNER_N; i++) {
		double ready;
		if (pid[i] <= 0 || probe_schedstat(pid[i], &cpu[i], &ready) < 0)
			cpu[i] = NAN;
	}
}

/*
 * runner_cpu_s of a run: what each of the three used between two readings.
 * A helper not running at the end (no launcher: tribench launches itself; or
 * one lost mid-run, which its own warning says) is left out; one running but
 * unreadable at either end is left out and named once in s->runner_warning.
 */
static double runner_cpu_delta(struct sched *s, const double c0[RUNNER_N], const pid_t p0[RUNNER_N])
{
	static const char *const names[RUNNER_N] = {"tribench", "launcher", "watchdog"};
	double c1[RUNNER_N];
	pid_t p1[RUNNER_N];
	runner_cpu(s, c1, p1);
	double sum = 0;
	for (int i = 0; i < RUNNER_N; i++) {
		if (isfinite(c0[i]) && isfinite(c1[i]) && p0[i] == p1[i]) {
			sum += c1[i] - c0[i];
			continue;
		}
		if (p1[i] <= 0)
			continue;
		if (!s->runner_warning)
			s->runner_warning = xasprintf("runner_cpu_s leaves out the %s's CPU time in a run: its "
						      "/proc/PID/schedstat could not be read at both ends",
						      names[i]);
	}
	return sum;
}

/* Files a tick may read for the tasks' trees, all in-flight tasks together:
 * ~5 us each, so a tick costs well under 1 ms however many tasks run. */
#define SAMPLE_READS_PER_TICK 64
/* Launches per turn of the loop (git's parallel runner starts 4), fewer when
 * a signal, an exit or a tick is already waiting: a launch costs ~3 ms here,
 * so an exit is stamped at most one launch late. */
#define ADMIT_BATCH 4
/* After an EAGAIN from fork: the next try, and how many tries with nothing
 * in flight (nothing of ours to wait for) before the task is given up. */
#define EAGAIN_RETRY_S 0.01
#define EAGAIN_ALONE_TRIES 20

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
		int idx = inflight_find(&rs->fl, si.si_pid);
		if (idx < 0)
			continue;
		struct task_record *t = &rs->fl.t[idx];
		if (!t->exit.error)
			t->exit.error = si.si_status == SIGTTOU
				? xstrdup("stopped by SIGTTOU: it wrote to the terminal (stty tostop) "
					  "or changed its settings from a background process group; "
					  "tribench killed it - use --task-output null or --results DIR")
				: xstrdup("stopped by SIGTTIN: it read from the terminal from a "
					  "background process group; tribench killed it - a task's "
					  "stdin is /dev/null, give it input another way");
		policy_signal(rs, idx, SIGKILL);
	}
}

/* Every child that has exited: a task (O(1) through the pid map), the
 * launcher, or an orphan that came to us as its subreaper. */
static void reap(struct run_state *rs)
{
	reap_stopped(rs);
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
			return;
		int idx = inflight_find(&rs->fl, si.si_pid);
		if (idx >= 0)
			executor_finish(rs, idx, si.si_pid);
		else if (spawner_is(&rs->s->spawn, si.si_pid)) {	/* the launcher died */
			waitpid(si.si_pid, NULL, 0);
			spawner_lost(&rs->s->spawn, "died");
		}
		else	/* an orphaned grandchild (we are its subreaper): reap it */
			waitpid(si.si_pid, NULL, 0);
	}
}

/*
 * --sample-tasks: each sampled task's leader schedstat, one read each, its
 * reading stamped just before it. A read that fails (nothing should: the
 * task is ours until reaped) leaves the tick out of that task's trace: its
 * next interval is longer, never a guess.
 */
static void sample_states(struct run_state *rs)
{
	for (int k = 0; k < rs->fl.n; k++) {
		struct task_record *t = &rs->fl.t[rs->fl.active[k]];
		double running, ready, at = now_s() - rs->t0;
		if (t->states.on && t->pid > 0 && probe_schedstat(t->pid, &running, &ready) == 0)
			state_trace_add(&t->states, at, running, ready);
	}
}

/*
 * One tick: the in-flight tasks' trees within a fixed budget of file reads,
 * round-robin from where the last tick stopped (a task that finished meanwhile
 * reorders the active list, so one task may be skipped or read twice in a
 * round).
 */
static void sample(struct run_state *rs)
{
	if (rs->s->o.sample_tasks)
		sample_states(rs);
	int budget = SAMPLE_READS_PER_TICK;
	for (int n = 0; n < rs->fl.n && budget >= 2; n++) {
		int k = rs->sample_next % rs->fl.n;
		int idx = rs->fl.active[k];
		struct task_record *t = &rs->fl.t[idx];
		bool done;
		budget -= tree_sample(&rs->fl.trees[idx], t->group.leaf, t->pid, budget, &rs->sampler,
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
	for (int k = 0; k < rs->fl.n; k++)
		group_signal(&rs->fl.t[rs->fl.active[k]].group, sig);
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
	if (rs->fl.n > 0 && !(frozen = containment_freeze(&s->contain, true) == 0))
		signal_inflight(rs, SIGSTOP);
	raise(SIGSTOP);		/* returns once a SIGCONT came */
	if (frozen)
		containment_freeze(&s->contain, false);
	else if (rs->fl.n > 0)
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
	policy_shift(rs, held_s);
	if (rs->retry_at > 0)
		rs->retry_at += held_s;
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
		policy_terminate_all(rs, ++rs->s->stop_signals > 1);
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

/* Is a signal (SIGCHLD: an exit), a sampling tick or the watchdog's end
 * waiting for the loop? One poll(2) that does not wait. */
static bool events_waiting(const struct sched *s)
{
	struct pollfd fds[3] = {{.fd = s->sigfd, .events = POLLIN},
				{.fd = s->timerfd, .events = POLLIN},
				{.fd = watchdog_pidfd(&s->wd), .events = POLLIN}};
	return poll(fds, 3, 0) > 0;
}

/*
 * At most ADMIT_BATCH launches, fewer when an event waits (events_waiting).
 * An EAGAIN (a process limit, perhaps filled
 * by our own zombies) leaves the task pending and sets retry_at: the loop
 * reaps meanwhile and never sleeps here. With nothing of ours in flight the
 * limit is someone else's: after EAGAIN_ALONE_TRIES the task is given up as
 * not started (exit.error says why) and the run stops with a runtime error.
 * Returns -1 on that or another launch error, 1 when more could start now.
 */
static int admit(struct run_state *rs, int max)
{
	if (rs->retry_at > 0 && now_s() - rs->t0 < rs->retry_at)
		return 0;
	rs->retry_at = 0;
	for (int n = 0; !rs->stopping && rs->fl.n < max && executor_next_id(rs, false) >= 0; n++) {
		int slot = next_free_slot(rs);
		if (slot < 0)
			return 0;
		if (n == ADMIT_BATCH || (n > 0 && events_waiting(rs->s)))
			return 1;
		int r = executor_start(rs, slot);
		if (r < 0)
			return -1;
		if (r == 0) {
			rs->eagain_alone = 0;
			continue;
		}
		if (rs->fl.n == 0 && ++rs->eagain_alone >= EAGAIN_ALONE_TRIES) {
			error("cannot start task %d (clone): %s, with no task of this run in flight",
			      executor_next_id(rs, false), strerror(EAGAIN));
			executor_give_up(rs, "cannot start it (clone): Resource temporarily unavailable "
					     "(a process limit: RLIMIT_NPROC, pids.max or pid_max), with no "
					     "other task of the run in flight");
			return -1;
		}
		rs->s->eagain_retries++;
		rs->retry_at = now_s() - rs->t0 + EAGAIN_RETRY_S;
		return 0;
	}
	return 0;
}

/* poll's timeout: 0 when more can start now, else the next deadline or retry. */
static int wait_ms(const struct run_state *rs, bool more)
{
	if (more)
		return 0;
	int ms = policy_next_ms(rs);
	if (rs->retry_at > 0) {
		double left = rs->retry_at - (now_s() - rs->t0);
		int r = left <= 0 ? 0 : (int)ceil(left * 1000);
		if (ms < 0 || r < ms)
			ms = r;
	}
	return ms;
}

/* The pool grew: the deadline heap follows. */
static void pool_grown(void *arg, int cap)
{
	deadlines_reserve(&((struct run_state *)arg)->dl, cap);
}

/*
 * The run's bound on tasks in flight: the plan's, capped by what the
 * process limits leave (admit_bound) when that is less; said once per
 * tribench in s->admit_warning.
 */
static int admission_bound(struct run_state *rs)
{
	int max = rs->plan->max_in_flight < 0 ? rs->w->ntasks : rs->plan->max_in_flight;
	if (max <= 1)
		return 1;
	char *source;
	long bound = admit_cap(max, &source);
	if (source && !rs->s->admit_warning)
		rs->s->admit_warning = xasprintf(
			"at most %ld %s in flight at once, not %d: the room left by %s, "
			"less a margin (--max-in-flight N chooses fewer)",
			bound, bound == 1 ? "task was" : "tasks were", max, source);
	free(source);
	return (int)bound;
}

static void run_state_init(struct run_state *rs)
{
	struct run_record *out = rs->out;
	struct task_collector *collect = out->collect;
	memset(out, 0, sizeof(*out));
	out->collect = collect;
	out->ntasks = rs->w->ntasks;
	out->ncpus = rs->s->cpus->n;
	out->cpus = xcalloc((size_t)rs->s->cpus->n, sizeof(*out->cpus));
	out->worker_cpu_s = NAN;	/* worker_run sets it when it reaps the worker */
	rs->slot_busy = xcalloc((size_t)rs->plan->nslots, sizeof(bool));
	inflight_init(&rs->fl, admission_bound(rs));
	rs->fl.grown = pool_grown;
	rs->fl.grown_arg = rs;
	build_env(rs);
}

/* A probe found no descriptor left: the run has holes, a runtime error. */
static int fatal_probe(void)
{
	if (!probe_fatal_errno())
		return 0;
	return error("cannot open '%s': %s", probe_fatal_path(), strerror(probe_fatal_errno()));
}

int sched_run(struct sched *s, const struct plan *p, const struct workload *w, enum executor_kind ex,
	      const struct run_label *label, struct run_record *out)
{
	struct run_state rs = {.s = s, .plan = p, .w = w, .label = label, .out = out};
	int rc = 0;
	run_state_init(&rs);
	int max = rs.fl.max;
	handle_signals(&rs);	/* a Ctrl-C during calibration or between runs */
	if (results_dir(&rs) < 0)
		rc = -1;
	if (s->progress)
		progress_run(s->progress, label->workload, label->mode, label->run, label->runs, w->ntasks);
	out->rss_floor_kb = s->spawn.pid > 0 ? spawner_rss_floor_kb(&s->spawn) : probe_self_rss_kb();
	double cpu0[RUNNER_N];
	pid_t cpu_pid[RUNNER_N];
	runner_cpu(s, cpu0, cpu_pid);
	sampler_begin(&rs.sampler, s->cpus, s->o.sample_ms / 1000.0, &out->samples);
	rs.stopping = rc < 0 || s->signal || s->halted;
	if (s->cluster && p->mode == MODE_PARALLEL && ex == EXEC_PROCESS)
		rs.cl = s->cluster;
	if (rs.cl && rs.cl->run_begin(rs.cl, &rs) < 0) {	/* its barrier aligns t0 */
		rc = -1;
		rs.stopping = true;
	}
	rs.t0 = now_s();
	arm_timer(s, true);
	if (ex != EXEC_PROCESS && !rs.stopping && worker_run(&rs, ex) < 0)
		rc = -1;
	for (; ex == EXEC_PROCESS;) {
		/* the ranks: ids out, records in (cluster.h) */
		int ranks = rs.cl ? rs.cl->run_pump(rs.cl, &rs) : 0;
		int more = admit(&rs, max);
		if (more < 0) {
			rc = -1;
			policy_terminate_all(&rs, true);
			more = 0;
		}
		if (rs.fl.n == 0 && ranks == 0 && (rs.stopping || executor_next_id(&rs, false) < 0))
			break;
		struct pollfd fds[3] = {{.fd = s->sigfd, .events = POLLIN},
					{.fd = s->timerfd, .events = POLLIN},
					{.fd = watchdog_pidfd(&s->wd), .events = POLLIN}};
		int ms = wait_ms(&rs, more > 0);
		if (ranks && (ms < 0 || ms > 1))	/* MPI has no descriptor to poll: 1 ms turns */
			ms = 1;
		if (poll(fds, 3, ms) < 0 && errno != EINTR) {
			rc = error("poll: %s", strerror(errno));
			policy_terminate_all(&rs, true);
		}
		if (fds[1].revents & POLLIN) {
			uint64_t ticks;
			if (read(s->timerfd, &ticks, sizeof(ticks)) > 0)
				sample(&rs);
		}
		if (fds[0].revents & POLLIN)
			handle_signals(&rs);
		policy_enforce(&rs);
		if (rc == 0 && (rc = fatal_probe()) < 0)
			policy_terminate_all(&rs, true);
		/* without the watchdog nothing would clean up if we died: stop */
		if ((fds[2].revents & POLLIN) && !s->watchdog_died) {
			s->watchdog_died = true;
			rc = error("the watchdog (pid %d) died: stopping the run", (int)s->wd.pid);
			policy_terminate_all(&rs, true);
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
	out->runner_cpu_s = runner_cpu_delta(s, cpu0, cpu_pid);
	executor_put_unstarted(&rs);
	if (rs.cl && rs.cl->run_end(rs.cl, &rs) < 0 && rc == 0)
		rc = -1;
	inflight_free(&rs.fl);
	deadlines_free(&rs.dl);
	free(rs.slot_busy);
	free(rs.envp);
	free(rs.results);
	return rc;
}

int sched_task_stdout(const struct sched *s)
{
	if (s->o.output != OUTPUT_INHERIT)
		return s->devnull;
	return s->o.report_on_stdout ? STDERR_FILENO : -1;
}

int sched_task_stderr(const struct sched *s)
{
	return s->o.output == OUTPUT_INHERIT ? -1 : s->devnull;
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
