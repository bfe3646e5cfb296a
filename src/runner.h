#ifndef TRIBENCH_RUNNER_H
#define TRIBENCH_RUNNER_H

#include "results.h"
#include "sched.h"

/*
 * Plan every workload's modes (the suite is prepared), run the warmups and the
 * measured rounds, and summarise. 0, or -1 on a runtime error (printed).
 * A signal stops it early with r->interrupted set and the completed runs kept.
 */
int runner_run(struct results *r, struct sched *s, const struct topo *t, const struct suite *suite);

#endif
