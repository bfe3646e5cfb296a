#ifndef TRIBENCH_CHILD_H
#define TRIBENCH_CHILD_H

/* A task's child set-up, shared by tribench's own launch (launch.c) and the
 * small launcher tribench-spawn (spawn/main.c): libc only, no allocation. */
#include <linux/sched.h>
#include <sched.h>
#include <sys/syscall.h>

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
	int slot;                 /* the task's slot: {%} is slot + 1 */
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
/* In a child whose exec of name failed with err: one line on its stderr,
 * "tribench: cannot run NAME: DESCRIPTION" (glibc's untranslated
 * strerrordesc_np), as a shell says why, so a task's .err or inherited
 * stderr tells; no allocation, one write(2), cut at 512 bytes. */
void child_exec_failed(const char *name, int err);

#if defined(__x86_64__) && defined(SYS_clone3) && defined(CLONE_INTO_CGROUP)
#define CHILD_HAVE_CLONE3_VM 1
/*
 * clone3 for a child that shares our memory until it execs (args->flags with
 * CLONE_VM|CLONE_VFORK, args->stack a stack of its own): it runs fn(arg) on
 * that stack and exits with its result, so nothing returns through our
 * frames. No page tables are copied, which is most of what a fork costs (on
 * a paravirtualised VM most of all). Returns the pid, or -errno. A sanitizer
 * cannot follow such a child: sanitized builds must not call it.
 */
long child_clone3_vm(struct clone_args *args, int (*fn)(void *), void *arg);
#else
#define CHILD_HAVE_CLONE3_VM 0
#endif

#endif
