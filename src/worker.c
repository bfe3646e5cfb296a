/* The worker process: tasks as threads (worker.h). Stub: the worker helper builds it. */
#include "config.h"
#include "worker.h"

int worker_main(const struct worker_job *j)
{
	if (j->executor == EXEC_COROUTINE)
		return worker_coro_main(j);
	return 3;
}
