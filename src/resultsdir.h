#ifndef TRIBENCH_RESULTSDIR_H
#define TRIBENCH_RESULTSDIR_H

/*
 * The --results folder: DIR/WORKLOAD/MODE/RUN/TASK.{out,err}. WORKLOAD is the
 * workload's name encoded into one path component, so that distinct names
 * never share a folder and no name can climb out of DIR.
 */

/*
 * The check before anything is created or run (cli.c): DIR must be a
 * directory or not exist yet. An existing non-directory, a dangling symbolic
 * link or a path that cannot be looked up (a file in the middle, no search
 * permission) is bad input. Returns 0, or -1 after one error line.
 */
int resultsdir_check(const char *dir);

/*
 * Create DIR (mkdir -p) once everything else was accepted. Returns 0, or -1
 * after one error line ("cannot create --results ..."), with nothing new left
 * but the components that could be made.
 */
int resultsdir_create(const char *dir);

/*
 * name as one path component: bytes outside [A-Za-z0-9._-], '%' itself and a
 * leading '.' become %XX (two upper-case hex digits); "" becomes "%". The
 * encoding is injective and never yields "", "." or "..". Caller frees.
 */
char *resultsdir_component(const char *name);

/*
 * DIR/<encoded workload>/MODE/RUN, created (mkdir -p). Returns the path
 * (caller frees), or NULL after one error line.
 */
char *resultsdir_run(const char *dir, const char *workload, const char *mode, int run);

/*
 * Create (truncating) RUNDIR/ID.EXT, close-on-exec, for a task's stdout or
 * stderr. Returns the descriptor (caller closes), or -1 after one error line.
 */
int resultsdir_open(const char *rundir, int id, const char *ext);

#endif
