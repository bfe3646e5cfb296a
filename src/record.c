/* Run records: owned by their run, freed in one place. */
#include "config.h"
#include "record.h"

#include <stdlib.h>
#include <string.h>

void run_record_free(struct run_record *r)
{
	for (int i = 0; i < r->ntasks; i++) {
		intlist_free(&r->tasks[i].cpus_seen);
		free(r->tasks[i].exit.error);
	}
	free(r->tasks);
	free(r->cpus);
	free(r->samples.t);
	free(r->samples.busy);
	free(r->samples.task_busy);
	memset(r, 0, sizeof(*r));
}

bool run_record_failed(const struct run_record *r)
{
	for (int i = 0; i < r->ntasks; i++) {
		const struct task_exit *e = &r->tasks[i].exit;
		if (e->status != EXIT_STATUS_EXITED || e->code != 0 || e->timed_out)
			return true;
	}
	return false;
}
