#ifndef TRIBENCH_SPAWNER_H
#define TRIBENCH_SPAWNER_H

/* tribench's side of the launcher tribench-spawn (spawn/main.c): tasks
 * started from a ~1.5 MB process report their own max RSS, not tribench's. */
#include <stdbool.h>
#include <sys/types.h>

#include "launch.h"

struct spawner {
	pid_t pid;                /* the launcher, 0: none (not started, or gone) */
	int sock;                 /* our end of the socketpair, -1: none */
	char *buf;                /* the request being built, reused */
	size_t cap;
	const char *join;         /* the last launch's join method, or NULL */
	bool died;                /* it was running and is gone: launches fall back */
	char *path;               /* the program started as the launcher */
	char *lost;               /* why it is gone, a warning line; NULL while it serves */
};

/*
 * Start the launcher: $TRIBENCH_SPAWN if set, else tribench-spawn beside
 * /proc/self/exe (the build tree), else the installed one in pkglibexecdir,
 * and wait (SPAWN_HELLO_MS at most) for its hello of this protocol version.
 * 0, or -1 with *why set to a warning line (caller frees) when it cannot be
 * had: tasks are then launched by tribench itself (launch_task).
 */
int spawner_start(struct spawner *sp, char **why);

/*
 * Launch one task through the launcher, synchronously (its pid is known
 * before we look at SIGCHLD again). Returns the pid, or -1 with errno (the
 * launcher's clone error; EAGAIN may be retried). *exec_errno as launch_task.
 * -2 when there is no launcher, or it is gone: it died, gave no reply within
 * SPAWN_REPLY_MS, or replied with a pid that is not a child of ours (it is
 * then killed and reaped, sp->died set and sp->lost says why): the caller
 * launches in-process.
 */
pid_t spawner_launch(struct spawner *sp, const struct task_spec *spec, const struct launch *l,
		     int *exec_errno);

/* The launcher's peak RSS (VmHWM of /proc/PID/status) in KiB, the floor of
 * every task's max_rss_kb; -1 with no launcher. */
long spawner_rss_floor_kb(const struct spawner *sp);

/* Is pid the launcher (never a task, never an orphan to reap)? */
bool spawner_is(const struct spawner *sp, pid_t pid);

/* The launcher exited (pid was reaped as a child's exit): forget it, set
 * sp->died and sp->lost (why: one clause, e.g. "died"). */
void spawner_lost(struct spawner *sp, const char *why);

/* Close the socket (the launcher exits on EOF) and reap it; idempotent. */
void spawner_stop(struct spawner *sp);

#endif
