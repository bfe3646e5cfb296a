/* Starting a task into its group and finishing it when its exit is seen. */
#include "config.h"
#include "executor.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launch.h"
#include "probe.h"
#include "resultsdir.h"
#include "run_state.h"
#include "shellparse.h"

static const char *const executor_names[EXEC_COUNT] = {"process", "thread", "coroutine"};

const char *executor_name(enum executor_kind e)
{
	return executor_names[e];
}

int executor_parse(const char *name)
{
	for (int e = 0; e < EXEC_COUNT; e++)
		if (!strcmp(name, executor_names[e]))
			return e;
	return -1;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec * 1e-6;
}

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

bool executor_outside_slot(const struct run_state *rs, const struct task_record *t)
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

static char *exec_error(const struct task_spec *spec, int err)
{
	if (err == ENOENT)
		return xasprintf("command not found: %s", spec->argv[0]);
	return xasprintf("cannot execute '%s': %s", spec->path ? spec->path : spec->argv[0], strerror(err));
}

/*
 * Through the launcher (a task's max RSS is then its own), or by ourselves
 * when there is none or it died: that is said once in the report. One try:
 * an EAGAIN goes back to the loop, which reaps and tries again later.
 */
static pid_t launch_once(struct run_state *rs, const struct task_spec *spec, const struct launch *l,
			 int *exec_errno)
{
	struct sched *s = rs->s;
	pid_t pid = spawner_launch(&s->spawn, spec, l, exec_errno);
	if (pid == -2) {
		if (s->spawn.died && !s->spawn_warning) {
			s->spawn_warning = xstrdup(s->spawn.lost);
			rs->out->rss_floor_kb = probe_self_rss_kb();
		}
		pid = launch_task(spec, l, exec_errno);
	}
	return pid;
}

int executor_next_id(struct run_state *rs, bool take)
{
	if (rs->cl && rs->cl->next_id)
		return rs->cl->next_id(rs->cl, rs, take);
	if (rs->next >= rs->w->ntasks)
		return -1;
	return take ? rs->next++ : rs->next;
}

void executor_give_up(struct run_state *rs, const char *err_text)
{
	struct task_record t;
	memset(&t, 0, sizeof(t));
	t.id = executor_next_id(rs, true);
	t.exit.status = EXIT_STATUS_NOT_STARTED;
	t.exit.error = (char *)err_text;
	collector_put(rs->out->collect, &t);
}

int executor_start(struct run_state *rs, int slot)
{
	struct sched *s = rs->s;
	const struct plan_slot *ps = &rs->plan->slots[slot];
	int id = executor_next_id(rs, false);
	const struct task_spec *spec = workload_task(rs->w, id);
	struct launch l = {
		.fd_in = s->devnull,
		.fd_out = sched_task_stdout(s),
		.fd_err = sched_task_stderr(s),
		.mask = s->bind ? &ps->mask : NULL,
		.envp = rs->envp,
		.close_fd = s->wd.fd,
		.cgroup_fd = -1,
		.slot = slot,
	};
	if (rs->results && ((l.fd_out = resultsdir_open(rs->results, id, "out")) < 0 ||
			    (l.fd_err = resultsdir_open(rs->results, id, "err")) < 0)) {
		if (l.fd_out >= 0)
			close(l.fd_out);
		executor_give_up(rs, "cannot open its --results files");
		return -1;
	}
	int idx = inflight_take(&rs->fl);
	struct task_record *t = &rs->fl.t[idx];
	if (group_open(&s->contain, &t->group) < 0) {
		int err = errno;
		if (rs->results) {
			close(l.fd_out);
			close(l.fd_err);
		}
		inflight_release(&rs->fl, idx);
		char *why = xasprintf("cannot make a cgroup for it: %s", strerror(err));
		error("cannot make a cgroup for task %d: %s", id, strerror(err));
		executor_give_up(rs, why);
		free(why);
		return -1;
	}
	if (t->group.leaf)
		l.cgroup_fd = t->group.leaf->dirfd;
	snprintf(rs->env_id, sizeof(rs->env_id), "TRIBENCH_TASK_ID=%d", id);
	snprintf(rs->env_slot, sizeof(rs->env_slot), "TRIBENCH_SLOT=%d", slot);
	t->id = id;
	t->slot = slot;
	t->pu = ps->pu;
	t->pus = &ps->pus;
	t->start_s = now_s() - rs->t0;
	int exec_errno;
	/* a line's NAME=value words: this task's environment over the run's */
	char **envp = spec->env ? shell_env_overlay(rs->envp, spec->env) : NULL;
	if (envp)
		l.envp = envp;
	pid_t pid = launch_once(rs, spec, &l, &exec_errno);
	int fork_errno = errno;
	free(envp);
	if (rs->results) {
		close(l.fd_out);
		close(l.fd_err);
	}
	if (pid < 0) {
		group_close(&s->contain, &t->group);
		inflight_release(&rs->fl, idx);
		if (fork_errno == EAGAIN)
			return 1;
		char *why = xasprintf("cannot start it (clone): %s", strerror(fork_errno));
		error("cannot start a task (clone): %s", strerror(fork_errno));
		executor_give_up(rs, why);
		free(why);
		return -1;
	}
	executor_next_id(rs, true);
	t->group.leader = pid;
	group_launched(&t->group);
	/* The child makes its own group and binds itself before it runs
	 * (child.c). An exec'd command's launch returns after its exec: that is
	 * done. A built-in kind's fork returns at once: binding it here too
	 * keeps it from running a first slice where its creator ran, and the
	 * group closes the window where we may signal it first. */
	if (spec->kind->run) {
		setpgid(pid, pid);
		if (s->bind)
			sched_setaffinity(pid, sizeof(ps->mask), &ps->mask);
	}
	/* With a leaf, the task is in the run cgroup, which the watchdog kills
	 * whole should tribench die; else the watchdog learns its group. */
	if (!t->group.leaf)
		watchdog_add(&s->wd, pid);
	if (exec_errno)
		t->exit.error = exec_error(spec, exec_errno);
	if (s->o.timeout_s > 0)
		t->term_at = t->start_s + s->o.timeout_s;
	/* --sample-tasks: while fewer than SAMPLE_TASKS_MAX are sampled */
	if (s->o.sample_tasks && rs->states_on < SAMPLE_TASKS_MAX) {
		t->states.on = true;
		rs->states_on++;
	}
	inflight_map(&rs->fl, idx, pid);
	policy_update(rs, idx);
	see_cpu(t, pid);
	rs->slot_busy[slot] = true;
	return 0;
}

void executor_finish(struct run_state *rs, int idx, pid_t pid)
{
	struct task_record *t = &rs->fl.t[idx];
	t->end_s = now_s() - rs->t0;
	t->wall_s = t->end_s - t->start_s;
	t->have_schedstat = probe_schedstat(pid, &t->running_s, &t->ready_s) == 0;
	t->schedstat_errno = t->have_schedstat ? 0 : errno;
	/* the state trace ends with this same reading: for a one-thread task
	 * its deltas add up to running_s and ready_s */
	if (t->states.on && t->have_schedstat)
		state_trace_add(&t->states, t->end_s, t->running_s, t->ready_s);
	int cpu = see_cpu(t, pid);
	if (probe_cpus_allowed(pid, t->cpus_allowed, sizeof(t->cpus_allowed)) < 0)
		t->cpus_allowed[0] = '\0';
	/* the leader's last slice, and where what it left still runs, before
	 * group_end kills it */
	struct tree *tr = &rs->fl.trees[idx];
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
	if (!t->group.leaf)
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
	tree_settle(tr, t->have_tree && isfinite(t->tree.cpu_s) ? t->tree.cpu_s : t->running_s, t->pus,
		    &rs->sampler);
	t->outside_slot = executor_outside_slot(rs, t);
	rs->slot_busy[t->slot] = false;
	collector_put(rs->out->collect, t);
	if (rs->s->progress)
		progress_task_done(rs->s->progress);
	bool failed = t->exit.status != EXIT_STATUS_EXITED || t->exit.code != 0 || t->exit.timed_out;
	policy_forget(rs, idx);
	rs->states_on -= t->states.on;
	inflight_release(&rs->fl, idx);
	policy_task_ended(rs, failed);	/* after: --halt now signals the others only */
}

void executor_put_unstarted(struct run_state *rs)
{
	struct task_record t;
	memset(&t, 0, sizeof(t));
	t.exit.status = EXIT_STATUS_NOT_STARTED;
	for (int id; (id = executor_next_id(rs, true)) >= 0;) {
		t.id = id;
		collector_put(rs->out->collect, &t);
	}
}
