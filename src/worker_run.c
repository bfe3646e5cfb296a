/* tribench's side of a thread or coroutine run (worker.h). Stub: the worker
 * helper builds it. */
#include "config.h"
#include "worker.h"

#include "run_state.h"
#include "util.h"

int worker_run(struct run_state *rs, enum executor_kind ex)
{
	(void)rs;
	return error("--executor %s: not built yet", executor_name(ex));
}
