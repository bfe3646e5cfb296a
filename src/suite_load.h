#ifndef TRIBENCH_SUITE_LOAD_H
#define TRIBENCH_SUITE_LOAD_H

#include "cli.h"
#include "suite.h"

/*
 * The suite run's options describe, in this order of workloads: -t specs
 * (workload --name, default "custom"), the taskfile, each command string
 * (named by its -n or its text; --count copies, default 1), the -- command
 * (named by its -n, else --name, else its shell-quoted command line; --count
 * copies, default 2 x usable_cores), the --commands lines (--name); the
 * built-in suite when none is given. With inputs (::: or --args-file, read
 * here: one per line, at most SUITE_MAX_TASKS, lines up to
 * SUITE_COMMAND_LINE_MAX) each command has one task per input instead, in
 * order, its placeholders filled in (placeholder.h; {%} at launch), the
 * input appended where it has none. A command's workload name already taken
 * is an error. Unless a --setup hook may still install them, argv commands'
 * programs must be in PATH now (suite_check_programs). 0, or -1 with one
 * error line printed (s holds what was added; the caller frees it).
 */
int suite_load(struct suite *s, const struct options *o, int usable_cores);
/* Workload w's argv tasks whose bare program name is not in PATH now: the
 * first is named in one error line ("command not found: NAME (not in
 * PATH)"); 0 when there is none, else -1. Looks once per run of groups
 * whose argv[0] is the same (an input list makes a group per input). */
int suite_check_programs(const struct workload *w);

#endif
