#ifndef TRIBENCH_LAUNCH_H
#define TRIBENCH_LAUNCH_H

#include <sched.h>
#include <stdbool.h>
#include <sys/types.h>

#include "tasks/task.h"

/* What a child gets: descriptors for 0, 1, 2 (-1 keeps ours), a CPU mask
 * (NULL: no binding), an environment, and descriptors to close. */
struct launch {
	int fd_in, fd_out, fd_err;
	const cpu_set_t *mask;
	char **envp;              /* exec'd kinds only */
	int close_fd;             /* closed in every child (-1: none) */
	int cgroup_fd;            /* the leaf to start in (O_PATH dir), -1: none */
	const char *cgroup_procs; /* its cgroup.procs, joined by the child when
				   * clone3 CLONE_INTO_CGROUP is not available */
};

/*
 * Start one task in its own process group, bound before it runs its first
 * instruction of work. Built-in kinds fork and run their kernel; cmd vforks
 * and execs, so the parent's memory is never copied. Returns the pid, or -1
 * with errno set (fork failed). *exec_errno receives why an exec failed (0 if
 * it did not): the child then exits 127 (not found) or 126 (not executable).
 */
/* The set-up alone, for other children (calibration): 0 or -1. */
int launch_child_setup(const struct launch *l);

pid_t launch_task(const struct task_spec *spec, const struct launch *l, int *exec_errno);
/* How the last launch_task joined its cgroup: "clone3" (CLONE_INTO_CGROUP,
 * before the child ran), "procs" (the child wrote cgroup.procs before its
 * work), or NULL (no cgroup). */
const char *launch_join_method(void);

#endif
