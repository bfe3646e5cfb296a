/* Coroutines on an event loop (coro.h). Stub: the coroutine helper builds it. */
#include "config.h"
#include "coro.h"

#include <errno.h>
#include <stdlib.h>

#include "util.h"

const char *loop_kind_name(enum loop_kind k)
{
	return k == LOOP_URING ? "io_uring" : "libuv";
}

enum loop_kind coro_loop_kind(char **why)
{
	if (why)
		*why = NULL;
	return LOOP_URING;
}

struct coro_loop *coro_loop_new(enum loop_kind kind, const volatile int *stop, int stop_fd)
{
	(void)kind, (void)stop, (void)stop_fd;
	error("coroutines: not built yet");
	return NULL;
}

int coro_spawn(struct coro_loop *l, int (*fn)(void *arg, struct task_ctx *ctx), void *arg,
	       double deadline, void (*done)(void *arg, const struct coro_result *r))
{
	(void)l, (void)fn, (void)arg, (void)deadline, (void)done;
	errno = ENOSYS;
	return -1;
}

int coro_loop_run(struct coro_loop *l, void (*admit)(void *arg, struct coro_loop *l), void *arg)
{
	(void)l, (void)admit, (void)arg;
	return -1;
}

int coro_loop_count(const struct coro_loop *l)
{
	(void)l;
	return 0;
}

void coro_loop_free(struct coro_loop *l)
{
	(void)l;
}
