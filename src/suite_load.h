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
 * programs must be in PATH now (suite_check_programs).
 *
 * With parameters (-P or -L, parameters.h) each of these but a taskfile
 * (refused) is one workload per combination, {NAME} replaced in its command
 * text, -- words, -t spec text and --commands lines, in hyperfine's order:
 * for each combination (the first parameter varying fastest), every
 * workload above in order. A workload named by its command text gets the
 * text run; one named by -n or --name gets {NAME} replaced in its name; the
 * parameters a name does not hold are appended, " (A = 1, B = x)". Each
 * workload's source (its index before the expansion) and combination are
 * set. Refused: a parameter used nowhere, parameters without a command or
 * spec (the built-in suite), a hook given neither once, once per command nor
 * once per workload. 0, or -1 with one error line printed (s holds what was
 * added; the caller frees it).
 */
int suite_load(struct suite *s, const struct options *o, int usable_cores);
/*
 * The shell line of hook h for workload i of s (as suite_load made it): the
 * line given once, else the one given for i's source (once per command or
 * spec) or for i itself (once per workload, hyperfine's count), with {NAME}
 * replaced by i's parameter values. Newly allocated; NULL: no hook.
 */
char *suite_hook(const struct options *o, const struct suite *s, enum hook h, int i);
/* Workload w's argv tasks whose bare program name is not in PATH now: the
 * first is named in one error line ("command not found: NAME (not in
 * PATH)"); 0 when there is none, else -1. Looks once per run of groups
 * whose argv[0] is the same (an input list makes a group per input). */
int suite_check_programs(const struct workload *w);

#endif
