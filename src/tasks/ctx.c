/* The run context's blocking side (process and thread executors) and the
 * dispatch to an executor's own ops (coroutines). */
#include "config.h"
#include "tasks/ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

double task_deadline(const struct task_ctx *c)
{
	return c->deadline > 0 && c->held_s ? c->deadline + *c->held_s : c->deadline;
}

bool task_stop_requested(struct task_ctx *c)
{
	double deadline = task_deadline(c);
	if ((c->stop && *c->stop) || (deadline > 0 && now_s() >= deadline))
		c->stopped = true;
	return c->stopped;
}

/* Wait until the monotonic time end_s, or until the deadline, which a Ctrl-Z
 * may move meanwhile (it is read again at every wake-up), waking early when
 * stop_fd becomes readable: 0 at end_s, -1 (ECANCELED) on a stop. A sleep's
 * own end does not move: a process's clock_nanosleep does not either. */
int task_sleep_ms(struct task_ctx *c, uint64_t ms)
{
	if (c->ops)
		return c->ops->sleep_ns(c, ms * 1000000u);
	double end = now_s() + (double)ms / 1000;
	for (;;) {
		if (task_stop_requested(c)) {
			errno = ECANCELED;
			return -1;
		}
		double deadline = task_deadline(c), until = deadline > 0 && deadline < end ? deadline : end;
		double left = until - now_s();
		if (left <= 0) {
			if (until == end)
				return 0;
			continue;	/* the deadline: task_stop_requested says so */
		}
		struct timespec ts = {(time_t)left, (long)((left - floor(left)) * 1e9)};
		if (c->stop_fd < 0) {
			nanosleep(&ts, NULL);	/* EINTR: the loop measures what is left */
			continue;
		}
		struct pollfd p = {.fd = c->stop_fd, .events = POLLIN};
		ppoll(&p, 1, &ts, NULL);
	}
}

ssize_t task_pwrite(struct task_ctx *c, int fd, const void *buf, size_t n, off_t off)
{
	return c->ops ? c->ops->pwrite(c, fd, buf, n, off) : pwrite(fd, buf, n, off);
}

ssize_t task_pread(struct task_ctx *c, int fd, void *buf, size_t n, off_t off)
{
	return c->ops ? c->ops->pread(c, fd, buf, n, off) : pread(fd, buf, n, off);
}

int task_fsync(struct task_ctx *c, int fd)
{
	return c->ops ? c->ops->fsync(c, fd) : fsync(fd);
}

int task_fadvise(struct task_ctx *c, int fd, off_t off, off_t len, int advice)
{
	return c->ops ? c->ops->fadvise(c, fd, off, len, advice) : posix_fadvise(fd, off, len, advice);
}
