/* The watchdog: no task process group outlives tribench. */
#include "config.h"
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

/* Read exactly n bytes; false at EOF or error. */
static bool read_exact(int fd, void *buf, size_t n)
{
	return read_full(fd, buf, n) == n;
}

/*
 * In the watchdog process: track groups (+pgid, -pgid) and the report's
 * temporary file (0, length, path) until EOF, then kill and remove what is left.
 */
static void watch(int fd)
{
	pid_t *groups = NULL;
	size_t n = 0, alloc = 0;
	char path[4096] = "";
	int32_t msg;
	while (read_exact(fd, &msg, sizeof(msg))) {
		if (msg == 0) {
			int32_t len;
			if (!read_exact(fd, &len, sizeof(len)) || len < 0 || len >= (int32_t)sizeof(path) ||
			    !read_exact(fd, path, (size_t)len))
				break;
			path[len] = '\0';
		} else if (msg > 0) {
			if (n == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				groups = realloc(groups, alloc * sizeof(*groups));
				if (!groups)
					_exit(1);
			}
			groups[n++] = msg;
		} else
			for (size_t i = 0; i < n; i++)
				if (groups[i] == -msg) {
					groups[i] = groups[--n];
					break;
				}
	}
	for (size_t i = 0; i < n; i++)
		kill(-groups[i], SIGKILL);
	if (path[0])
		unlink(path);
	_exit(0);
}

int watchdog_start(struct watchdog *w)
{
	int fds[2];
	w->fd = -1;
	w->pid = -1;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return error("cannot start the watchdog: pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error("cannot start the watchdog: fork: %s", strerror(errno));
	}
	if (pid == 0) {
		/* out of the terminal's signals: it must live until the pipe closes */
		sigset_t all;
		sigfillset(&all);
		sigprocmask(SIG_SETMASK, &all, NULL);
		setpgid(0, 0);
		close(fds[1]);
		for (int fd = 3; fd < 1024; fd++)
			if (fd != fds[0])
				close(fd);
		watch(fds[0]);
	}
	close(fds[0]);
	w->pid = pid;
	w->fd = fds[1];
	return 0;
}

static void tell(struct watchdog *w, const void *msg, size_t n)
{
	/* one write of at most PIPE_BUF bytes is atomic: no half messages */
	if (w->fd >= 0 && write(w->fd, msg, n) != (ssize_t)n) {
		close(w->fd);	/* the watchdog is gone; nothing more to tell it */
		w->fd = -1;
	}
}

void watchdog_set_file(struct watchdog *w, const char *path)
{
	struct {
		int32_t zero, len;
		char path[PIPE_BUF - 8];
	} m = {0, 0, ""};
	size_t len = path ? strlen(path) : 0;
	if (len >= sizeof(m.path))
		return;	/* too long to guard; the temporary may then outlive a SIGKILL */
	m.len = (int32_t)len;
	memcpy(m.path, path ? path : "", len);
	tell(w, &m, 8 + len);
}

void watchdog_add(struct watchdog *w, pid_t pgid)
{
	int32_t msg = (int32_t)pgid;
	tell(w, &msg, sizeof(msg));
}

void watchdog_remove(struct watchdog *w, pid_t pgid)
{
	int32_t msg = -(int32_t)pgid;
	tell(w, &msg, sizeof(msg));
}

void watchdog_stop(struct watchdog *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->pid > 0)
		while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
			;
	w->pid = -1;
}
