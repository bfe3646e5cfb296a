#ifndef TRIBENCH_WATCHDOG_H
#define TRIBENCH_WATCHDOG_H

#include <sys/types.h>

/*
 * A small process that outlives tribench by a moment: it learns every task's
 * process group through a pipe, and when tribench's end of the pipe closes
 * (however tribench ended, SIGKILL included) it kills the groups still listed.
 * PR_SET_PDEATHSIG would reach only direct children; a shell line's
 * grandchildren are in the task's group, so the group kill reaches them.
 */
struct watchdog {
	pid_t pid;
	int fd;                   /* our write end; -1 when not running */
};

int watchdog_start(struct watchdog *w);
void watchdog_add(struct watchdog *w, pid_t pgid);
void watchdog_remove(struct watchdog *w, pid_t pgid);
/* The file to remove if tribench dies (the report's temporary); NULL: none. */
void watchdog_set_file(struct watchdog *w, const char *path);
/* Close the pipe and reap the watchdog (every group was removed by then). */
void watchdog_stop(struct watchdog *w);

#endif
