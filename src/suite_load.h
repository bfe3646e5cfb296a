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
 * built-in suite when none is given. Unless a --setup hook may still install
 * them, argv commands' programs must be in PATH now (suite_check_programs).
 * 0, or -1 with one error line printed (s holds what was added; the caller
 * frees it).
 */
int suite_load(struct suite *s, const struct options *o, int usable_cores);
/* Workload w's argv tasks whose bare program name is not in PATH now: the
 * first is named in one error line ("command not found: NAME (not in
 * PATH)"); 0 when there is none, else -1. Visits each spec group once. */
int suite_check_programs(const struct workload *w);

#endif
