#ifndef TRIBENCH_SUITE_H
#define TRIBENCH_SUITE_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "tasks/task.h"

#define SUITE_MAX_COUNT 1000000   /* count= of one spec, --count */
#define SUITE_MAX_TASKS 10000000  /* tasks in one workload */
/* One --commands line in bytes, newline excluded: MAX_ARG_STRLEN (128 KiB),
 * the kernel's limit on one argument (the line is /bin/sh -c's), counts the
 * terminating NUL; checked while reading. */
#define SUITE_COMMAND_LINE_MAX (128 * 1024 - 1)

/* Consecutive task ids that share one spec: a counted spec is stored once. */
struct spec_group {
	struct task_spec spec;
	int end;                  /* one past the group's last task id */
};

struct workload {
	char *name;
	int source;               /* which workload of the options before the parameters'
	                           * expansion (suite_load.h): its hooks' index */
	long combination;         /* its parameter values (parameters.h), -1: none */
	int ntasks;               /* task ids 0..ntasks-1 */
	int ngroups, capgroups;
	struct spec_group *groups;/* in id order; read them with workload_task() */
};

struct suite {
	int nworkloads, capworkloads;
	struct workload *workloads;
	int *index;               /* open addressing by name: workload index + 1, 0 empty */
	size_t index_size;        /* a power of two, at least twice nworkloads */
};

/* The workload of that name, created (empty) if new, in O(1) expected time.
 * The pointer is valid until the next call that creates one. */
struct workload *suite_workload(struct suite *s, const char *name);
/* The workload of that name, NULL when there is none; O(1) expected. */
struct workload *suite_find(const struct suite *s, const char *name);
/* Task id's spec (0 <= id < w->ntasks), owned by w, never NULL; O(log groups)
 * (binary search over the groups' cumulative counts). */
const struct task_spec *workload_task(const struct workload *w, int id);
/* Append count (1..SUITE_MAX_COUNT) tasks of one spec, validated by its kind;
 * the spec is copied (the caller keeps and frees its own) and stored once,
 * joined to the last group when equal to its spec. 0, or -1 with one error
 * line printed and w unchanged (bad count, invalid spec, or more than
 * SUITE_MAX_TASKS tasks in w). */
int workload_add(struct workload *w, const struct task_spec *spec, uint64_t count);
/* Parse "KIND[:key=value,...]" (count=N included) into workload w. */
int suite_add_spec_text(struct suite *s, const char *workload, const char *text);
/* count copies of one command (exec'd directly). */
int suite_add_command(struct suite *s, const char *workload, char *const *argv, int argc, int count);
/* count copies of one shell command line (a cmd task's "shell"). */
int suite_add_command_line(struct suite *s, const char *workload, const char *line, int count);
/*
 * The next line of f into buf (max + 1 bytes), newline dropped and NUL-
 * terminated: its length, -1 at the end of input, or -2 as soon as it holds
 * more than max bytes, so that a newline-free stream (/dev/zero) is refused
 * after max bytes instead of filling memory as getline would. *nul: a NUL
 * byte. Shared by --commands and --args-file.
 */
long suite_read_line(FILE *f, char *buf, size_t max, bool *nul);
/* One cmd task per non-empty line of path ("-": stdin), each a shell line.
 * Read in bounded memory: a line longer than SUITE_COMMAND_LINE_MAX, a NUL
 * byte or more than SUITE_MAX_TASKS tasks stops the reading with one error
 * line naming the file and the line number; 0 or -1. */
int suite_add_commands_file(struct suite *s, const char *workload, const char *path);
/* The built-in suite: workloads cpu, io and mixed sized from the usable cores. */
void suite_builtin(struct suite *s, int usable_cores);
/* These three visit each spec group once, not each task id. */
bool suite_needs_calibration(const struct suite *s);
int suite_prepare(struct suite *s, const struct calibration *cal);
void suite_free(struct suite *s);

#endif
