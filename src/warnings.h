#ifndef TRIBENCH_WARNINGS_H
#define TRIBENCH_WARNINGS_H

#include <stdbool.h>

#include "probe.h"
#include "report_model.h"

/*
 * Say why these numbers may be noisy or incomplete, from what the kernel and
 * the runs said (the report is summarised): other runnable processes at the
 * start, a governor that is not "performance", host facts that could not be
 * read, per mode over its usable runs a wall stddev over 10% of the mean, a
 * slow first run, CPUs busy with work that was not the tasks' nor tribench's,
 * a superlinear parallel speedup, tasks whose tree was seen outside their
 * bound slot, cgroup values of a task's leaf that could not be read,
 * per-task values that could not be read, and tasks that failed only in
 * warmup. Each goes into r->warnings and, unless quiet, to stderr.
 */
void warnings_collect(struct report *r, const struct host_facts *h, bool quiet);

/*
 * One stderr line per workload x mode whose tasks failed (warmup included):
 * how many of how many, and the first error. Printed under --quiet too: it is
 * an error summary. Returns the number of failed tasks, warmups included.
 */
long failures_print(const struct report *r);

#endif
