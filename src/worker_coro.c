/* The worker process: tasks as coroutines, one loop thread per slot (worker.h).
 * Stub: the worker helper builds it. */
#include "config.h"
#include "worker.h"

int worker_coro_main(const struct worker_job *j)
{
	(void)j;
	return 3;
}
