/* hyperfine's hooks: a shell line around a workload or a run, unmeasured,
 * in a process group of its own that is emptied when it exits. */
#include "config.h"
#include "hooks.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "child.h"
#include "record.h"
#include "sched.h"
#include "util.h"

extern char **environ;

static const char *const names[HOOK_COUNT] = {"setup", "prepare", "conclude", "cleanup"};

const char *hook_name(enum hook h)
{
	return names[h];
}

/* The variables tribench sets for tasks and hooks: not inherited by a hook
 * from our own environment (a tribench run from a hook, say). */
static bool ours(const char *entry)
{
	static const char *const vars[] = {"TRIBENCH_WORKLOAD=", "TRIBENCH_MODE=", "TRIBENCH_RUN=",
					   "TRIBENCH_JOBS=", "TRIBENCH_TASK_ID=", "TRIBENCH_SLOT="};
	for (size_t i = 0; i < ARRAY_SIZE(vars); i++)
		if (!strncmp(entry, vars[i], strlen(vars[i])))
			return true;
	return false;
}

/* environ without ours, then the hook's own; built before the fork. The
 * strings of vars[] are the caller's to free. */
static char **hook_env(const struct hook_where *where, char *vars[4])
{
	int n = 0;
	while (environ[n])
		n++;
	char **envp = xcalloc((size_t)n + 5, sizeof(char *));
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!ours(environ[i]))
			envp[k++] = environ[i];
	vars[0] = xasprintf("TRIBENCH_WORKLOAD=%s", where->workload);
	vars[1] = where->mode ? xasprintf("TRIBENCH_MODE=%s", where->mode) : NULL;
	vars[2] = where->mode ? xasprintf("TRIBENCH_RUN=%d", where->run) : NULL;
	vars[3] = where->mode ? xasprintf("TRIBENCH_JOBS=%d", where->jobs) : NULL;
	for (int i = 0; i < 4 && vars[i]; i++)
		envp[k++] = vars[i];
	return envp;
}

/*
 * The hook's leader is reaped: kill what is left of its process group (a
 * `sleep 100 &`) and reap those of them that come to us (we are the
 * subreaper of orphans). The group's number cannot be reused while any
 * member, zombie or not, is alive. Bounded at 2 s: an unkillable process
 * (D state) is left to the kill of adopted children after the next run.
 */
static void empty_group(pid_t pgid)
{
	for (int i = 0; i < 2000; i++) {
		if (kill(-pgid, SIGKILL) < 0 && errno == ESRCH)
			return;
		while (waitpid(-pgid, NULL, WNOHANG) > 0)
			;
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
}

/* The child: bound, in its own group, 0-2 set; then the shell. */
static void hook_child(const char *cmd, const struct launch *l)
{
	if (launch_child_setup(l) < 0)
		_exit(126);
	static char sh[] = "sh", c[] = "-c";
	char *argv[] = {sh, c, (char *)cmd, NULL};
	execve("/bin/sh", argv, l->envp);
	_exit(errno == ENOENT ? 127 : 126);
}

/* Drain the signal descriptor: a stop signal starts (or with a second,
 * hurries) the hook's end; Ctrl-Z stops it with us. */
static void hook_signals(struct sched *s, pid_t pgid, double *term_at, double *kill_at)
{
	struct signalfd_siginfo si;
	while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			continue;
		if (si.ssi_signo == SIGTSTP) {
			kill(-pgid, SIGSTOP);
			raise(SIGSTOP);	/* returns once a SIGCONT came */
			kill(-pgid, SIGCONT);
			continue;
		}
		if (!s->signal)
			s->signal = (int)si.ssi_signo;
		if (++s->stop_signals > 1)
			*kill_at = now_s();
		else if (*term_at == 0)
			*term_at = now_s();
	}
}

enum hook_result hook_run(struct sched *s, const char *cmd, const cpu_set_t *mask,
			  const struct hook_where *where, struct report_exit *exit)
{
	char *vars[4];
	char **envp = hook_env(where, vars);
	struct launch l = {
		.fd_in = s->devnull,
		.fd_out = sched_task_stdout(s),
		.fd_err = sched_task_stderr(s),
		.mask = mask,
		.envp = envp,
		.close_fd = s->wd.fd,
		.cgroup_fd = -1,
	};
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		hook_child(cmd, &l);
	for (int i = 0; i < 4; i++)
		free(vars[i]);
	free(envp);
	if (pid < 0)
		return error("cannot start a hook (fork): %s", strerror(errno)), HOOK_ERROR;
	setpgid(pid, pid);	/* before any kill of ours: the child does it too */
	watchdog_add(&s->wd, pid);
	double term_at = 0, kill_at = 0;
	bool term_sent = false, killed = false;
	enum hook_result res = HOOK_OK;
	int status = 0;
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		double now = now_s();
		if (term_at > 0 && !term_sent) {
			kill(-pid, SIGTERM);
			term_sent = true;
			kill_at = kill_at > 0 ? kill_at : now + s->o.grace_s;
		}
		if (kill_at > 0 && now >= kill_at && !killed) {
			kill(-pid, SIGKILL);
			killed = true;
		}
		struct pollfd fds[2] = {{.fd = s->sigfd, .events = POLLIN},
					{.fd = watchdog_pidfd(&s->wd), .events = POLLIN}};
		int ms = kill_at > 0 && !killed ? (int)((kill_at - now) * 1000) + 1 : -1;
		if (poll(fds, 2, ms) < 0 && errno != EINTR)
			kill_at = now;	/* cannot wait for signals: end it */
		if (fds[0].revents & POLLIN)
			hook_signals(s, pid, &term_at, &kill_at);
		if ((fds[1].revents & POLLIN) && !s->watchdog_died) {
			s->watchdog_died = true;
			error("the watchdog (pid %d) died: stopping the run", (int)s->wd.pid);
			res = HOOK_ERROR;
			kill_at = now;
		}
	}
	empty_group(pid);
	watchdog_remove(&s->wd, pid);
	if (res == HOOK_ERROR)
		return res;
	if (s->signal)
		return HOOK_STOPPED;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return HOOK_OK;
	struct task_exit e = {0};
	if (WIFEXITED(status)) {
		e.status = EXIT_STATUS_EXITED;
		e.code = WEXITSTATUS(status);
	} else {
		e.status = EXIT_STATUS_SIGNALED;
		e.signal = WTERMSIG(status);
	}
	exit_to_report(&e, exit);
	return HOOK_FAILED;
}
