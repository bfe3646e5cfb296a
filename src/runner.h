#ifndef TRIBENCH_RUNNER_H
#define TRIBENCH_RUNNER_H

#include "cli.h"
#include "report_model.h"
#include "sched.h"

/*
 * Plan every workload's modes (the suite is prepared), run the warmups into
 * each mode's warmup_runs and the measured rounds into its runs, rotating the
 * mode order per round. 0, or -1 on a runtime error (printed). A signal or
 * --halt stops it early: the run it cut is kept, marked partial, nothing runs
 * after it, and r->interrupted says whether a signal did it. The caller
 * summarises (report_summarise). Each run's tasks go to r->spool (made
 * here; an error to create or write it is a runtime error), at o->detail.
 */
int runner_run(struct report *r, struct sched *s, const struct topo *t, const struct suite *suite,
	       const struct options *o);

#endif
