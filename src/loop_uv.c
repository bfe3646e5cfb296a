/*
 * The coroutine loop on libuv (where io_uring is refused, or
 * TRIBENCH_NO_IO_URING=1): one uv_loop_t per loop, run UV_RUN_ONCE when
 * every coroutine waits. A sleep is a uv_timer (libuv counts milliseconds
 * on a clock that may be CLOCK_MONOTONIC_COARSE, so a timer that fires
 * before the sleep's end on CLOCK_MONOTONIC is started again for the rest);
 * read, write and fsync are uv_fs requests on libuv's thread pool, and so is
 * posix_fadvise (uv_queue_work: a DONTNEED may start writeback, so it is
 * not done inline on the loop thread). A uv_poll on stop_fd wakes the loop
 * when the worker sets its stop flag (libuv makes that fd non-blocking).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "loop.h"
#include "util.h"

static int uv_init_loop(struct coro_loop *l)
{
	int ret = uv_loop_init(&l->uv);
	if (ret < 0)
		return error("coroutine loop: uv_loop_init: %s", uv_strerror(ret));
	l->uv_ready = true;
	l->uv.data = l;
	if (l->stop_fd >= 0 && l->stop) {
		ret = uv_poll_init(&l->uv, &l->stop_poll, l->stop_fd);
		if (ret < 0) {
			uv_loop_close(&l->uv);
			l->uv_ready = false;
			return error("coroutine loop: uv_poll_init on the stop fd: %s", uv_strerror(ret));
		}
		l->stop_poll_ready = true;
	}
	return 0;
}

static void close_timers(struct coro *c)
{
	for (; c; c = c->next)
		if (c->uv_timer_ready) {
			uv_close((uv_handle_t *)&c->timer, NULL);
			c->uv_timer_ready = false;
		}
}

static void uv_fini_loop(struct coro_loop *l)
{
	if (!l->uv_ready)
		return;
	if (l->stop_poll_ready)
		uv_close((uv_handle_t *)&l->stop_poll, NULL);
	close_timers(l->free);
	for (struct coro *c = l->all; c; c = c->all_next)
		if (c->uv_timer_ready) {
			uv_close((uv_handle_t *)&c->timer, NULL);
			c->uv_timer_ready = false;
		}
	uv_run(&l->uv, UV_RUN_DEFAULT);	/* the close callbacks */
	uv_loop_close(&l->uv);
	l->uv_ready = false;
}

/* Milliseconds from now to end_ns, rounded up, at least 1. */
static uint64_t ms_until(uint64_t end_ns)
{
	uint64_t now = mono_ns();
	if (end_ns <= now)
		return 1;
	uint64_t ms = (end_ns - now + 999999) / 1000000;
	return ms ? ms : 1;
}

/*
 * Each callback that makes a coroutine ready also calls uv_stop: uv_run
 * (UV_RUN_ONCE) runs the due timers first and then polls for IO with a
 * timeout of "forever" while a handle (the stop fd's poll) is active, so a
 * coroutine a timer woke would wait, ready, until some IO came. A stopped
 * loop polls with timeout 0 and returns.
 */
static void timer_cb(uv_timer_t *t)
{
	struct coro *c = t->data;
	if (mono_ns() < c->end_ns) {
		uv_update_time(t->loop);
		uv_timer_start(t, timer_cb, ms_until(c->end_ns), 0);
		return;
	}
	coro_complete(c->loop, c, -ETIME, now_s());
	uv_stop(t->loop);	/* see woken() */
}

static void fs_cb(uv_fs_t *req)
{
	struct coro *c = req->data;
	long long res = req->result;
	uv_fs_req_cleanup(req);
	coro_complete(c->loop, c, res, now_s());
	uv_stop(req->loop);
}

static void fadvise_work(uv_work_t *w)
{
	struct coro *c = w->data;
	c->res = -posix_fadvise(c->fd, c->off, c->len, c->advice);
}

static void fadvise_done(uv_work_t *w, int status)
{
	struct coro *c = w->data;
	coro_complete(c->loop, c, status == UV_ECANCELED ? -ECANCELED : c->res, now_s());
	uv_stop(w->loop);
}

static int uv_submit(struct coro_loop *l, struct coro *c)
{
	int ret = 0;
	uv_buf_t b = uv_buf_init(c->buf, (unsigned)c->n);	/* copied into the request */
	c->req.fs.data = c;
	switch (c->op) {
	case OP_SLEEP:
		if (!c->uv_timer_ready) {
			uv_timer_init(&l->uv, &c->timer);
			c->timer.data = c;
			c->uv_timer_ready = true;
		}
		uv_update_time(&l->uv);
		ret = uv_timer_start(&c->timer, timer_cb, ms_until(c->end_ns), 0);
		break;
	case OP_WRITE:
		ret = uv_fs_write(&l->uv, &c->req.fs, c->fd, &b, 1, c->off, fs_cb);
		break;
	case OP_READ:
		ret = uv_fs_read(&l->uv, &c->req.fs, c->fd, &b, 1, c->off, fs_cb);
		break;
	case OP_FSYNC:
		ret = uv_fs_fsync(&l->uv, &c->req.fs, c->fd, fs_cb);
		break;
	case OP_FADVISE:
		c->req.work.data = c;
		ret = uv_queue_work(&l->uv, &c->req.work, fadvise_work, fadvise_done);
		break;
	case OP_NONE:
		ret = UV_EINVAL;
		break;
	}
	if (ret < 0)
		return error("coroutine loop: libuv refused a wait: %s", uv_strerror(ret));
	return 0;
}

static void stop_cb(uv_poll_t *p, int status, int events)
{
	(void)status, (void)events;
	struct coro_loop *l = p->loop->data;
	/* level-triggered: once the flag is set, stop watching (the loop has
	 * seen it); before that, readable is a race with the flag's store */
	if (*l->stop)
		uv_poll_stop(p);
	uv_stop(p->loop);
}

static int uv_poll_loop(struct coro_loop *l, bool block)
{
	if (!block)
		return 0;	/* requests start at submit; completions are seen when blocking */
	if (l->stop_poll_ready && !*l->stop && !uv_is_active((uv_handle_t *)&l->stop_poll)) {
		int ret = uv_poll_start(&l->stop_poll, UV_READABLE, stop_cb);
		if (ret < 0)
			return error("coroutine loop: uv_poll_start on the stop fd: %s", uv_strerror(ret));
	}
	uv_run(&l->uv, UV_RUN_ONCE);
	return 0;
}

/* End every sleep now; a request already on the pool finishes (uv_cancel
 * takes only those not started). */
static int uv_cancel_loop(struct coro_loop *l)
{
	double now = now_s();
	for (struct coro *c = l->all; c; c = c->all_next) {
		if (c->state != CORO_WAITING)
			continue;
		if (c->op == OP_SLEEP) {
			uv_timer_stop(&c->timer);
			coro_complete(l, c, -ECANCELED, now);
		}
	}
	if (l->stop_poll_ready)
		uv_poll_stop(&l->stop_poll);
	return 0;
}

const struct loop_backend loop_uv_backend = {
	.init = uv_init_loop,
	.fini = uv_fini_loop,
	.submit = uv_submit,
	.poll = uv_poll_loop,
	.cancel = uv_cancel_loop,
};
