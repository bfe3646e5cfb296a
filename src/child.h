#ifndef TRIBENCH_CHILD_H
#define TRIBENCH_CHILD_H

/* A task's child set-up, shared by tribench's own launch (launch.c) and the
 * small launcher tribench-spawn (spawn/main.c): libc only, no allocation. */
#include <sched.h>

/* What a child gets: descriptors for 0, 1, 2 (-1 keeps ours), a CPU mask
 * (NULL: no binding), an environment, and descriptors to close. */
struct launch {
	int fd_in, fd_out, fd_err;
	const cpu_set_t *mask;
	char **envp;              /* exec'd kinds only */
	int close_fd;             /* closed in every child (-1: none) */
	int cgroup_fd;            /* the leaf to start in (O_PATH dir), -1: none;
				   * joined through its cgroup.procs when clone3
				   * CLONE_INTO_CGROUP is not available */
};

/*
 * In the child, before any work: own process group, SIGPIPE default, empty
 * signal mask, 0-2 from l, bound to l->mask, every descriptor from 3 up
 * close-on-exec. Async-signal-safe calls only. 0, or -1 with errno.
 */
int launch_child_setup(const struct launch *l);

/* In the child, after the set-up (bound first, so the join's writes run on
 * the task's CPU): write our pid into cgroup.procs under the leaf dirfd
 * (O_PATH is enough for openat). 0, or -1 with errno. */
int child_join_cgroup(int dirfd);

#endif
