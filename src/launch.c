/* Starting a task from tribench itself: the fallback when the launcher
 * tribench-spawn cannot be had (the child's set-up is in child.c). */
#include "config.h"
#include "launch.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "placeholder.h"
#include "tasks/ctx.h"
#include "util.h"

/* What the exec'd child needs, on the parent's memory (CLONE_VM). */
struct exec_child {
	const struct task_spec *spec;
	const struct launch *l;
	int *exec_errno;
	bool join;                /* write cgroup.procs first */
};

static int exec_child(void *arg)
{
	struct exec_child *c = arg;
	/* bound first, then joined: nothing of the child runs off its CPU longer than needed */
	if (launch_child_setup(c->l) < 0 || (c->join && child_join_cgroup(c->l->cgroup_fd) < 0)) {
		*c->exec_errno = errno;
		_exit(126);
	}
	if (c->spec->path) {
		execve(c->spec->path, c->spec->argv, c->l->envp);
		/* no #!, not ELF: sh runs it, as execvp does (vector made by prepare) */
		if (errno == ENOEXEC && c->spec->sh_argv)
			execve(c->spec->sh_argv[0], c->spec->sh_argv, c->l->envp);
	}
	*c->exec_errno = c->spec->path ? errno : ENOENT;
	child_exec_failed(c->spec->path ? c->spec->path : c->spec->argv[0], *c->exec_errno);
	_exit(*c->exec_errno == ENOENT ? 127 : 126);
}

/* Sanitizers cannot follow a child onto a stack of its own: they get the
 * vfork path, joining through cgroup.procs. */
#if CHILD_HAVE_CLONE3_VM && !defined(__SANITIZE_ADDRESS__)
#define CHILD_STACK (64 * 1024)
static char *child_stack;	/* one, reused: the parent waits (CLONE_VFORK) */

/* -1 with errno ENOSYS when clone3 or CLONE_INTO_CGROUP is unavailable. */
static pid_t clone_into(int cgroup_fd, struct exec_child *c)
{
	static bool unavailable;
	if (unavailable) {
		errno = ENOSYS;
		return -1;
	}
	if (!child_stack) {
		child_stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (child_stack == MAP_FAILED) {
			child_stack = NULL;
			return -1;
		}
	}
	struct clone_args args;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_VM | CLONE_VFORK | CLONE_INTO_CGROUP;
	args.exit_signal = SIGCHLD;
	args.stack = (uint64_t)(uintptr_t)child_stack;
	args.stack_size = CHILD_STACK;
	args.cgroup = (uint64_t)cgroup_fd;
	long r = child_clone3_vm(&args, exec_child, c);
	if (r < 0) {
		errno = (int)-r;
		if (errno == ENOSYS || errno == E2BIG || errno == EINVAL)
			unavailable = errno == ENOSYS || errno == E2BIG;
		return -1;
	}
	return (pid_t)r;
}
#else
static pid_t clone_into(int cgroup_fd, struct exec_child *c)
{
	(void)cgroup_fd;
	(void)c;
	errno = ENOSYS;
	return -1;
}
#endif

static const char *join_method;

const char *launch_join_method(void)
{
	return join_method;
}

/* spec's command with {%} filled in for l's slot, in *copy: argv and path
 * allocated here, before the child exists (it may not allocate). */
static const struct task_spec *fill_slot(const struct task_spec *spec, const struct launch *l,
					 struct task_spec *copy)
{
	if (!spec->slot_placeholder || !spec->argv)
		return spec;
	*copy = *spec;
	int argc = 0;
	while (spec->argv[argc])
		argc++;
	copy->argv = xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 0; i < argc; i++)
		copy->argv[i] = placeholder_fill_slot(spec->argv[i], l->slot + 1);
	copy->path = spec->path ? placeholder_fill_slot(spec->path, l->slot + 1) : NULL;
	copy->sh_argv = NULL;	/* the ENOEXEC vector, over the filled words */
	if (spec->sh_argv && copy->path) {
		copy->sh_argv = xcalloc((size_t)argc + 2, sizeof(char *));
		copy->sh_argv[0] = (char *)"/bin/sh";
		copy->sh_argv[1] = copy->path;
		for (int i = 1; i < argc; i++)
			copy->sh_argv[i + 1] = copy->argv[i];
	}
	return copy;
}

static void free_slot(const struct task_spec *filled, struct task_spec *copy)
{
	if (filled != copy)
		return;
	for (int i = 0; copy->argv[i]; i++)
		free(copy->argv[i]);
	free(copy->argv);
	free(copy->path);
	free(copy->sh_argv);
}

/* An exec'd kind: clone3 into the cgroup, else vfork (the parent waits
 * until the exec, so spec and *exec_errno may live in its frames). */
static pid_t launch_exec(const struct task_spec *spec, const struct launch *l, int *exec_errno)
{
	struct exec_child c = {spec, l, exec_errno, false};
	if (l->cgroup_fd >= 0) {
		pid_t pid = clone_into(l->cgroup_fd, &c);
		if (pid >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL)) {
			join_method = pid >= 0 ? "clone3" : NULL;
			return pid;
		}
	}
	/* vfork: the parent waits until exec, and *exec_errno is its memory */
	c.join = l->cgroup_fd >= 0;
	pid_t pid = vfork();
	if (pid == 0)
		exec_child(&c);
	if (pid > 0 && c.join)
		join_method = "procs";
	return pid;
}

pid_t launch_task(const struct task_spec *spec, const struct launch *l, int *exec_errno)
{
	*exec_errno = 0;
	join_method = NULL;
	if (spec->kind->run) {
		pid_t pid = fork();
		if (pid == 0) {
			if (launch_child_setup(l) < 0 ||
			    (l->cgroup_fd >= 0 && child_join_cgroup(l->cgroup_fd) < 0))
				_exit(126);
			_exit(spec->kind->run(spec, &TASK_CTX_PROCESS));
		}
		if (pid > 0 && l->cgroup_fd >= 0)
			join_method = "procs";
		return pid;
	}
	struct task_spec copy;
	const struct task_spec *filled = fill_slot(spec, l, &copy);
	pid_t pid = launch_exec(filled, l, exec_errno);
	int err = errno;
	free_slot(filled, &copy);
	errno = err;
	return pid;
}
