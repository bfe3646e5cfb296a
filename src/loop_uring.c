/*
 * The coroutine loop on io_uring (liburing): one ring per loop. A sleep is an
 * IORING_OP_TIMEOUT at its absolute end on CLOCK_MONOTONIC (so the time the
 * SQE waits to be submitted is not added to it); the disk ops are READ,
 * WRITE, FSYNC and FADVISE (buffered writes and fsync run on the kernel's
 * io-wq threads). A POLL_ADD on stop_fd wakes the loop when the worker sets
 * its stop flag; then every sleep is cancelled (ASYNC_CANCEL by its
 * user_data, the coroutine). SQEs are submitted after each resumption
 * (run_ready), so an IO starts when the coroutine asks for it.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "loop.h"
#include "util.h"

/* user_data that are not coroutines (never a pointer's value) */
#define TAG_STOP 1u
#define TAG_CANCEL 2u
#define RING_ENTRIES 256

static int uring_init(struct coro_loop *l)
{
	struct io_uring_params p = {0};
	/* A large completion ring: every waiting coroutine may complete at once. */
	p.flags = IORING_SETUP_CQSIZE;
	p.cq_entries = 4096;
	int ret = io_uring_queue_init_params(RING_ENTRIES, &l->ring, &p);
	if (ret < 0)
		return error("coroutine loop: io_uring_queue_init: %s", strerror(-ret));
	l->ring_ready = true;
	return 0;
}

static void uring_fini(struct coro_loop *l)
{
	if (l->ring_ready)
		io_uring_queue_exit(&l->ring);
	l->ring_ready = false;
}

static int submit_now(struct coro_loop *l)
{
	if (!l->unsubmitted)
		return 0;
	int ret;
	do
		ret = io_uring_submit(&l->ring);
	while (ret == -EINTR);
	if (ret < 0 && ret != -EBUSY && ret != -EAGAIN)
		return error("coroutine loop: io_uring_submit: %s", strerror(-ret));
	if (ret > 0)
		l->unsubmitted -= (unsigned)ret < l->unsubmitted ? (unsigned)ret : l->unsubmitted;
	return 0;
}

/* An SQE, submitting what is queued when the ring is full; NULL after an
 * error line. */
static struct io_uring_sqe *sqe_get(struct coro_loop *l)
{
	struct io_uring_sqe *s = io_uring_get_sqe(&l->ring);
	if (!s) {
		if (submit_now(l) < 0)
			return NULL;
		s = io_uring_get_sqe(&l->ring);
		if (!s) {
			error("coroutine loop: the io_uring submission queue stays full");
			return NULL;
		}
	}
	l->unsubmitted++;
	return s;
}

static int arm_stop(struct coro_loop *l)
{
	struct io_uring_sqe *s = sqe_get(l);
	if (!s)
		return -1;
	io_uring_prep_poll_add(s, l->stop_fd, POLLIN);
	io_uring_sqe_set_data64(s, TAG_STOP);
	l->stop_armed = true;
	return 0;
}

static int uring_submit(struct coro_loop *l, struct coro *c)
{
	if (l->stop_fd >= 0 && l->stop && !l->stop_armed && !*l->stop && arm_stop(l) < 0)
		return -1;
	struct io_uring_sqe *s = sqe_get(l);
	if (!s)
		return -1;
	switch (c->op) {
	case OP_SLEEP:
		c->ts.tv_sec = (long long)(c->end_ns / 1000000000u);
		c->ts.tv_nsec = (long long)(c->end_ns % 1000000000u);
		io_uring_prep_timeout(s, &c->ts, 0, IORING_TIMEOUT_ABS);
		break;
	case OP_WRITE:
		io_uring_prep_write(s, c->fd, c->buf, (unsigned)c->n, (uint64_t)c->off);
		break;
	case OP_READ:
		io_uring_prep_read(s, c->fd, c->buf, (unsigned)c->n, (uint64_t)c->off);
		break;
	case OP_FSYNC:
		io_uring_prep_fsync(s, c->fd, 0);
		break;
	case OP_FADVISE:
		io_uring_prep_fadvise(s, c->fd, (uint64_t)c->off, (off_t)c->len, c->advice);
		break;
	case OP_NONE:
		io_uring_prep_nop(s);
		break;
	}
	io_uring_sqe_set_data(s, c);
	return 0;
}

/* Hand every completion in the ring to its coroutine. */
static void reap(struct coro_loop *l)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;
	double now = 0;
	io_uring_for_each_cqe(&l->ring, head, cqe) {
		n++;
		uint64_t tag = io_uring_cqe_get_data64(cqe);
		if (tag == TAG_CANCEL)
			continue;
		if (tag == TAG_STOP) {
			/* readable: the flag is set (it is set before the fd is
			 * written); anything else re-arms it */
			l->stop_armed = false;
			continue;
		}
		if (!now)
			now = now_s();
		coro_complete(l, io_uring_cqe_get_data(cqe), cqe->res, now);
	}
	io_uring_cq_advance(&l->ring, n);
}

static int uring_poll(struct coro_loop *l, bool block)
{
	if (block) {
		if (l->stop_fd >= 0 && l->stop && !l->stop_armed && !*l->stop && arm_stop(l) < 0)
			return -1;
		int ret = io_uring_submit_and_wait(&l->ring, 1);
		if (ret < 0 && ret != -EINTR && ret != -ETIME && ret != -EBUSY && ret != -EAGAIN)
			return error("coroutine loop: io_uring_submit_and_wait: %s", strerror(-ret));
		if (ret >= 0)
			l->unsubmitted = 0;
	} else if (submit_now(l) < 0) {
		return -1;
	}
	reap(l);
	return 0;
}

/* Cancel every sleep in flight (the coroutines suspended on OP_SLEEP). */
static int uring_cancel(struct coro_loop *l)
{
	for (struct coro *c = l->all; c; c = c->all_next) {
		if (c->state != CORO_WAITING || c->op != OP_SLEEP)
			continue;
		struct io_uring_sqe *s = sqe_get(l);
		if (!s)
			return -1;
		io_uring_prep_cancel(s, c, 0);
		io_uring_sqe_set_data64(s, TAG_CANCEL);
	}
	return submit_now(l);
}

const struct loop_backend loop_uring_backend = {
	.init = uring_init,
	.fini = uring_fini,
	.submit = uring_submit,
	.poll = uring_poll,
	.cancel = uring_cancel,
};
