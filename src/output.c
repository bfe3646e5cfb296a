/* Atomic report output: a temporary beside the target, renamed when complete. */
#include "config.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int output_open(struct output *o, const char *arg, bool stdout_is_tty)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (!arg) {
		o->to_stdout = !stdout_is_tty;
		return 0;
	}
	if (!strcmp(arg, "-")) {
		o->to_stdout = true;
		return 0;
	}
	struct stat st;
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
		return error("cannot write '%s': it is a directory", arg);
	o->path = xstrdup(arg);
	const char *slash = strrchr(arg, '/');
	int dirlen = slash ? (int)(slash - arg + 1) : 0;
	o->tmp = xasprintf("%.*s.%s.tmp.XXXXXX", dirlen, arg, slash ? slash + 1 : arg);
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0) {
		int e = errno;
		free(o->tmp);
		free(o->path);
		o->tmp = o->path = NULL;
		return error("cannot write '%s': %s", arg, strerror(e));
	}
	mode_t mask = umask(0);	/* mkstemp makes 0600; a report is an ordinary file */
	umask(mask);
	fchmod(o->fd, 0666 & ~mask);
	return 0;
}

bool output_active(const struct output *o)
{
	return o->to_stdout || o->path;
}

static int write_all(int fd, const char *text)
{
	size_t n = strlen(text), done = 0;
	while (done < n) {
		ssize_t w = write(fd, text + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return 0;
}

int output_commit(struct output *o, const char *text)
{
	if (o->to_stdout) {
		if (write_all(STDOUT_FILENO, text) < 0 && errno != EPIPE)
			return error("cannot write the report to stdout: %s", strerror(errno));
		return 0;
	}
	if (!o->path)
		return 0;
	if (write_all(o->fd, text) < 0 || fsync(o->fd) < 0) {
		int e = errno;
		output_abort(o);
		return error("cannot write the report: %s", strerror(e));
	}
	close(o->fd);
	o->fd = -1;
	if (rename(o->tmp, o->path) < 0) {
		int e = errno;
		output_abort(o);
		return error("cannot write '%s': %s", o->path, strerror(e));
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return 0;
}

void output_abort(struct output *o)
{
	if (o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
}
