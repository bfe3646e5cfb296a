/* Report output: a file replaced atomically, or a descriptor written in place. */
#include "config.h"
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/*
 * A stop signal (SIGINT, SIGTERM, SIGHUP) that is blocked and pending, taken
 * off the queue, waiting up to wait_ms for one. The scheduler blocks them for
 * its signalfd, so a wait in here would otherwise never hear them. Signals
 * not blocked need no help: they act on their own. Returns it, or 0.
 */
static int stop_signal(int wait_ms)
{
	sigset_t blocked, set;
	sigprocmask(SIG_BLOCK, NULL, &blocked);
	sigemptyset(&set);
	static const int stops[] = {SIGINT, SIGTERM, SIGHUP};
	bool any = false;
	for (size_t i = 0; i < ARRAY_SIZE(stops); i++)
		if (sigismember(&blocked, stops[i])) {
			sigaddset(&set, stops[i]);
			any = true;
		}
	struct timespec ts = {.tv_sec = wait_ms / 1000, .tv_nsec = (long)(wait_ms % 1000) * 1000000L};
	if (!any) {
		if (wait_ms)
			nanosleep(&ts, NULL);
		return 0;
	}
	int sig = sigtimedwait(&set, NULL, &ts);
	return sig > 0 ? sig : 0;
}

static bool same_file(const struct stat *st, int fd)
{
	struct stat b;
	return fstat(fd, &b) == 0 && st->st_dev == b.st_dev && st->st_ino == b.st_ino;
}

/* N when arg names our descriptor N (/dev/stdout, /dev/fd/N, /proc/self/fd/N), else -1. */
static int named_descriptor(const char *arg)
{
	static const char *const std[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
	for (int i = 0; i < 3; i++)
		if (!strcmp(arg, std[i]))
			return i;
	char self[64];
	snprintf(self, sizeof(self), "/proc/%d/fd/", (int)getpid());
	static const char *const dirs[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/"};
	const char *num = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++)
		if (!strncmp(arg, dirs[i], strlen(dirs[i])))
			num = arg + strlen(dirs[i]);
	if (!strncmp(arg, self, strlen(self)))
		num = arg + strlen(self);
	uint64_t n;
	if (!num || parse_u64(num, &n) < 0 || n > INT_MAX)
		return -1;
	return (int)n;
}

/*
 * Write through descriptor n, never reopening its file: `>> log` keeps
 * O_APPEND and the shell's offset. Descriptors above 2 that are close-on-exec
 * are tribench's own (signalfd, watchdog pipe), not one the user handed us.
 */
static int open_descriptor(struct output *o, int n)
{
	int fl = fcntl(n, F_GETFL);
	if (fl < 0 || (n > 2 && (fcntl(n, F_GETFD) & FD_CLOEXEC)))
		return error("cannot write '%s': %s", o->arg, strerror(EBADF));
	if ((fl & O_ACCMODE) == O_RDONLY)
		return error("cannot write '%s': the descriptor is open for reading only", o->arg);
	o->fd = fcntl(n, F_DUPFD_CLOEXEC, 3);	/* no task may inherit it */
	if (o->fd < 0)
		return error("cannot write '%s': %s", o->arg, strerror(errno));
	o->special = true;
	struct stat st;
	o->to_stdout_too = fstat(o->fd, &st) == 0 && same_file(&st, STDOUT_FILENO);
	return 0;
}

/* A FIFO without a reader: wait for one, but not deafly (see stop_signal). */
static int open_fifo(struct output *o)
{
	for (;;) {
		o->fd = open(o->arg, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (o->fd >= 0)
			break;
		if (errno != ENXIO && errno != EINTR)
			return error("cannot write '%s': %s", o->arg, strerror(errno));
		if ((o->signal = stop_signal(50)))
			return -1;
	}
	o->special = true;
	return 0;
}

/* Devices are written in place, not replaced. */
static int open_special(struct output *o)
{
	o->fd = open(o->arg, O_WRONLY | O_CLOEXEC);
	if (o->fd < 0)
		return error("cannot write '%s': %s", o->arg, strerror(errno));
	o->special = true;
	struct stat st;
	o->to_stdout_too = fstat(o->fd, &st) == 0 && same_file(&st, STDOUT_FILENO);
	return 0;
}

static int open_temp(struct output *o, const char *target)
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
		return error("cannot write '%s': %s", o->arg, strerror(e));
	}
	mode_t mask = umask(0);	/* mkstemp makes 0600; a report is an ordinary file */
	umask(mask);
	fchmod(o->fd, 0666 & ~mask);
	return 0;
}

static int open_target(struct output *o, const char *arg, bool stdout_is_tty)
{
	if (!arg) {
		o->to_stdout = !stdout_is_tty;
		return 0;
	}
	if (!strcmp(arg, "-")) {
		o->to_stdout = true;
		return 0;
	}
	o->arg = xstrdup(arg);
	int n = named_descriptor(arg);
	if (n >= 0)
		return open_descriptor(o, n);
	struct stat st;
	if (stat(arg, &st) == 0) {
		/* the file our stdout or stderr already writes: through them */
		if (same_file(&st, STDOUT_FILENO))
			return open_descriptor(o, STDOUT_FILENO);
		if (same_file(&st, STDERR_FILENO))
			return open_descriptor(o, STDERR_FILENO);
		if (S_ISDIR(st.st_mode))
			return error("cannot write '%s': it is a directory", arg);
		if (S_ISFIFO(st.st_mode))
			return open_fifo(o);
		if (!S_ISREG(st.st_mode))
			return open_special(o);
	}
	/* through a symbolic link, replace the file it names, not the link */
	char *real = realpath(arg, NULL);
	int rc = open_temp(o, real ? real : arg);
	free(real);
	return rc;
}

/* On failure o holds nothing to free: callers need not call output_abort. */
int output_open(struct output *o, const char *arg, bool stdout_is_tty)
{
	memset(o, 0, sizeof(*o));
	o->fd = -1;
	if (open_target(o, arg, stdout_is_tty) == 0)
		return 0;
	int sig = o->signal;
	output_abort(o);
	o->signal = sig;
	return -1;
}

bool output_on_stdout(const struct output *o)
{
	return o->to_stdout || o->to_stdout_too;
}

/*
 * All of text[0..n) to fd. A pipe or socket is fed what poll() says it takes (at
 * most PIPE_BUF bytes once POLLOUT is seen never block), with a look for a
 * stop signal between pieces. 0, or -1 with errno set or o->signal set.
 */
static int write_out(struct output *o, int fd, const char *text, size_t n)
{
	size_t done = 0;
	struct stat st;
	bool sock = fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
	bool stream = sock || S_ISFIFO(st.st_mode);
	/* a stop signal already ended the run (o->signal set by the caller): a
	 * reader gets one second without progress, then the report is given up */
	int stopped = o->signal, idle_ms = 0;
	while (done < n) {
		if (stream) {
			if ((o->signal = stop_signal(0)) || (stopped && idle_ms >= 1000)) {
				o->signal = o->signal ? o->signal : stopped;
				return -1;
			}
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			int r = poll(&p, 1, 100);
			if (r < 0 && errno != EINTR)
				return -1;
			if (r <= 0) {
				idle_ms += 100;
				continue;
			}
			idle_ms = 0;
		}
		size_t len = n - done;
		if (stream && len > PIPE_BUF)
			len = PIPE_BUF;
		ssize_t w = sock ? send(fd, text + done, len, MSG_DONTWAIT | MSG_NOSIGNAL)
				 : write(fd, text + done, len);
		if (w < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		done += (size_t)w;
	}
	return 0;
}

int output_commit(struct output *o, const char *text)
{
	/* in place; a reader that left our stdout (| head) is no error */
	if (o->to_stdout || o->special) {
		int fd = o->to_stdout ? STDOUT_FILENO : o->fd;
		int rc = write_out(o, fd, text, strlen(text)), e = errno;
		if (o->special) {
			close(o->fd);
			o->fd = -1;
			o->special = false;
		}
		if (rc == 0 || (e == EPIPE && output_on_stdout(o)))
			return 0;
		if (o->signal)
			return -1;
		return error("cannot write the report to '%s': %s", o->arg ? o->arg : "stdout", strerror(e));
	}
	if (!o->path)
		return 0;
	if (write_out(o, o->fd, text, strlen(text)) < 0 || fsync(o->fd) < 0) {
		error("cannot write '%s': %s", o->arg, strerror(errno));
		output_abort(o);
		return -1;
	}
	close(o->fd);
	o->fd = -1;
	if (rename(o->tmp, o->path) < 0) {
		/* the message first: output_abort frees the names */
		error("cannot write '%s': %s", o->arg, strerror(errno));
		output_abort(o);
		return -1;
	}
	free(o->tmp);
	free(o->path);
	o->tmp = o->path = NULL;
	return 0;
}

/*
 * The stream's writes: a stop signal pending before a piece ends the report
 * (o->signal set, the write fails); then as write_out. A failure returns 0,
 * as fopencookie asks (never negative): the FILE gets its error flag. A reader gone from
 * our stdout (EPIPE) swallows the rest: no error, as output_commit.
 */
static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
	struct output *o = cookie;
	if (o->stream_error)
		return 0;
	if (o->stream_gone)
		return (ssize_t)n;
	int sig = stop_signal(0);
	if (sig) {
		o->signal = sig;
		o->stream_stopped = true;
		o->stream_error = EINTR;
		return 0;
	}
	int fd = o->to_stdout ? STDOUT_FILENO : o->fd;
	/* write_out clears o->signal as it looks for a new one: keep the stop
	 * that ended the run, so every piece gives a stalled reader one second */
	int had = o->signal, rc = write_out(o, fd, buf, n);
	if (!o->signal)
		o->signal = had;
	if (rc < 0) {
		if (o->signal && !errno)
			errno = EINTR;
		if (errno == EPIPE && output_on_stdout(o)) {
			o->stream_gone = true;
			return (ssize_t)n;
		}
		o->stream_error = errno ? errno : EIO;
		if (o->signal)
			o->stream_stopped = true;
		return 0;
	}
	return (ssize_t)n;
}

/* No output: every byte dropped, no descriptor spent. */
static ssize_t cookie_discard(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	(void)buf;
	return (ssize_t)n;
}

FILE *output_stream(struct output *o)
{
	bool sink = !o->to_stdout && !o->special && !o->path;
	cookie_io_functions_t io = {.write = sink ? cookie_discard : cookie_write};
	FILE *f = fopencookie(o, "w", io);
	if (!f)
		die("out of memory");
	setvbuf(f, NULL, _IOFBF, 65536);
	return f;
}

int output_finish(struct output *o, FILE *f)
{
	bool sink = !o->to_stdout && !o->special && !o->path;
	int rc = fflush(f) == 0 && !ferror(f) ? 0 : -1;
	fclose(f);
	if (sink)
		return 0;
	if (rc == 0 && o->stream_error)
		rc = -1;
	int e = o->stream_error ? o->stream_error : EIO;
	if (o->stream_stopped) {
		/* a stop signal during the write: no partial file replaces the target */
		error("stopped by %s while writing the report: %s", strsignal(o->signal),
		      o->path ? "the file was left as it was" : "the output is incomplete");
		output_abort(o);
		return -1;
	}
	if (rc < 0) {
		error("cannot write the report to '%s': %s", o->arg ? o->arg : "stdout", strerror(e));
		output_abort(o);
		return -1;
	}
	return output_commit(o, "");
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
	free(o->arg);
	o->tmp = o->path = o->arg = NULL;
	o->special = false;
}
