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

static int open_temp(struct output *o, const char *target, const char *arg);

/* Devices and FIFOs (-o /dev/stdout) are written in place. */
static int open_special(struct output *o, const char *arg)
{
	o->fd = open(arg, O_WRONLY | O_CLOEXEC);
	if (o->fd < 0)
		return error("cannot write '%s': %s", arg, strerror(errno));
	o->special = true;
	/* -o /dev/stdout: the JSON is on stdout, so the table must not be */
	struct stat a, b;
	o->to_stdout_too = fstat(o->fd, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 &&
			   a.st_dev == b.st_dev && a.st_ino == b.st_ino;
	return 0;
}

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
	if (stat(arg, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return error("cannot write '%s': it is a directory", arg);
		if (!S_ISREG(st.st_mode))	/* a device or a FIFO: write to it, do not replace it */
			return open_special(o, arg);
	}
	/* through a symbolic link, replace the file it names, not the link */
	char *real = realpath(arg, NULL);
	if (real) {
		int rc = open_temp(o, real, arg);
		free(real);
		return rc;
	}
	return open_temp(o, arg, arg);
}

static int open_temp(struct output *o, const char *target, const char *arg)
{
	o->path = xstrdup(target);
	const char *slash = strrchr(target, '/');
	int dirlen = slash ? (int)(slash - target + 1) : 0;
	o->tmp = xasprintf("%.*s.%s.tmp.XXXXXX", dirlen, target, slash ? slash + 1 : target);
	o->fd = mkostemp(o->tmp, O_CLOEXEC);	/* no task may inherit it */
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
	if (o->special) {
		int rc = write_all(o->fd, text);
		int e = errno;
		close(o->fd);
		o->fd = -1;
		o->special = false;
		return rc < 0 ? error("cannot write the report: %s", strerror(e)) : 0;
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
