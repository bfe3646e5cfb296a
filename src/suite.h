#ifndef TRIBENCH_SUITE_H
#define TRIBENCH_SUITE_H

#include <stdbool.h>
#include <stdint.h>

#include "tasks/task.h"

#define SUITE_MAX_COUNT 10000     /* count= of one spec */
#define SUITE_MAX_TASKS 100000    /* tasks in one workload */

struct workload {
	char *name;
	int ntasks;
	struct task_spec *tasks;  /* expanded: task id = index */
};

struct suite {
	int nworkloads;
	struct workload *workloads;
};

/* The workload of that name, created if new. */
struct workload *suite_workload(struct suite *s, const char *name);
/* Task id's spec (0 <= id < w->ntasks): the workload's, never NULL. */
const struct task_spec *workload_task(const struct workload *w, int id);
/* Append count copies of a spec (the spec's strings are copied). */
int workload_add(struct workload *w, const struct task_spec *spec, uint64_t count);
/* Parse "KIND[:key=value,...]" (count=N included) into workload w. */
int suite_add_spec_text(struct suite *s, const char *workload, const char *text);
/* count copies of one command (exec'd directly). */
int suite_add_command(struct suite *s, const char *workload, char *const *argv, int argc, int count);
/* One cmd task per non-empty line of path ("-": stdin), each a shell line. */
int suite_add_commands_file(struct suite *s, const char *workload, const char *path);
/* The built-in suite: workloads cpu, io and mixed sized from the usable cores. */
void suite_builtin(struct suite *s, int usable_cores);
bool suite_needs_calibration(const struct suite *s);
int suite_prepare(struct suite *s, const struct calibration *cal);
void suite_free(struct suite *s);

#endif
