/* Starting a task: the child's set-up between fork and work. */
#include "config.h"
#include "launch.h"

#include <errno.h>
#include <linux/close_range.h>
#include <signal.h>
#include <unistd.h>

/*
 * In the child, async-signal-safe calls only: a clean process the way a
 * user's command expects it. The parent ignores SIGPIPE and blocks the
 * signals its signalfd reads; an ignored disposition would survive exec.
 */
int launch_child_setup(const struct launch *l)
{
	sigset_t none;
	sigemptyset(&none);
	if (l->close_fd >= 0)	/* the watchdog's pipe: only tribench may hold it */
		close(l->close_fd);
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((l->fd_in >= 0 && dup2(l->fd_in, STDIN_FILENO) < 0) ||
	    (l->fd_out >= 0 && dup2(l->fd_out, STDOUT_FILENO) < 0) ||
	    (l->fd_err >= 0 && dup2(l->fd_err, STDERR_FILENO) < 0))
		return -1;
	if (l->mask && sched_setaffinity(0, sizeof(*l->mask), l->mask) < 0)
		return -1;
	/* nothing beyond 0-2 reaches the task's program: not ours (they are all
	 * close-on-exec), nor what tribench itself inherited */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	return 0;
}

pid_t launch_task(const struct task_spec *spec, const struct launch *l, int *exec_errno)
{
	*exec_errno = 0;
	if (spec->kind->run) {
		pid_t pid = fork();
		if (pid == 0) {
			if (launch_child_setup(l) < 0)
				_exit(126);
			_exit(spec->kind->run(spec));
		}
		return pid;
	}
	/* vfork: the parent waits until exec, and *exec_errno is its memory */
	pid_t pid = vfork();
	if (pid == 0) {
		if (launch_child_setup(l) < 0) {
			*exec_errno = errno;
			_exit(126);
		}
		if (spec->path)
			execve(spec->path, spec->argv, l->envp);
		*exec_errno = spec->path ? errno : ENOENT;
		_exit(*exec_errno == ENOENT ? 127 : 126);
	}
	return pid;
}
