#ifndef TRIBENCH_LAUNCH_H
#define TRIBENCH_LAUNCH_H

#include <sched.h>
#include <stdbool.h>
#include <sys/types.h>

#include "child.h"
#include "tasks/task.h"

/*
 * Start one task in its own process group, bound before it runs its first
 * instruction of work. Built-in kinds fork and run their kernel; cmd vforks
 * and execs, so the parent's memory is never copied. Returns the pid, or -1
 * with errno set (fork failed). *exec_errno receives why an exec failed (0 if
 * it did not): the child then exits 127 (not found) or 126 (not executable).
 */
pid_t launch_task(const struct task_spec *spec, const struct launch *l, int *exec_errno);
/* How the last launch_task joined its cgroup: "clone3" (CLONE_INTO_CGROUP,
 * before the child ran), "procs" (the child wrote cgroup.procs before its
 * work), or NULL (no cgroup). */
const char *launch_join_method(void);

#endif
