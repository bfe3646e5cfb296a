#ifndef TRIBENCH_HOOKS_H
#define TRIBENCH_HOOKS_H

#include <sched.h>
#include <stdbool.h>

/* hyperfine's four hooks, in the order a workload meets them: --setup once
 * before its runs, --prepare before and --conclude after each run (warmups
 * too), --cleanup once after its runs (hyperfine 1.6's --cleanup, 1.18's
 * --conclude). */
enum hook { HOOK_SETUP, HOOK_PREPARE, HOOK_CONCLUDE, HOOK_CLEANUP, HOOK_COUNT };

struct sched;
struct report_exit;

/* "setup", "prepare", "conclude", "cleanup": the option without its dashes
 * and the report's hook_failure.hook. */
const char *hook_name(enum hook h);

/* Where a hook runs: TRIBENCH_WORKLOAD always; TRIBENCH_MODE, TRIBENCH_JOBS
 * (the entry's slots: 1 for serial and concurrent, the --jobs size for
 * parallel) and TRIBENCH_RUN (the measured run from 1, 0 for a warmup) for
 * --prepare and --conclude only (mode NULL: none of them is set). */
struct hook_where {
	const char *workload;
	const char *mode;
	int run;
	int jobs;
};

/* How a hook ended (the result of hook_run). */
enum hook_result {
	HOOK_OK,                  /* exit code 0 */
	HOOK_FAILED,              /* a non-zero exit or a signal: *exit says which */
	HOOK_STOPPED,             /* our SIGINT/SIGTERM/SIGHUP (s->signal) stopped it */
	HOOK_ERROR,               /* fork failed or the watchdog died: one line printed */
};

/*
 * Run cmd through `/bin/sh -c` and wait for it, unmeasured: on the CPUs of
 * mask (NULL: unbound), in a process group of its own, stdin /dev/null and
 * stdout/stderr as the tasks' (--task-output: /dev/null, or ours; our stderr
 * when the JSON report is on our stdout), with the environment of where.
 * When it exits, whatever is left in its process group is killed and
 * reaped. A stop signal read from s->sigfd meanwhile sets s->signal and
 * sends the group SIGTERM, then SIGKILL after s->o.grace_s (at once on a
 * second signal); Ctrl-Z stops the group with tribench. On HOOK_FAILED
 * *exit (the caller frees its strings) holds the kernel's wait status in a
 * task's exit shape; otherwise it is untouched.
 */
enum hook_result hook_run(struct sched *s, const char *cmd, const cpu_set_t *mask,
			  const struct hook_where *where, struct report_exit *exit);

#endif
