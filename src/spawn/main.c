/*
 * tribench-spawn: the small launcher tribench starts its tasks from. A child
 * inherits its creator's RSS high-water mark (fork copies the page tables,
 * exec records the old mm's peak into the process's maxrss), so a task
 * launched by tribench reported tribench's own RSS as its max_rss_kb. This
 * program stays about 1.5 MB and creates each task with clone3 CLONE_PARENT:
 * tribench is still the task's parent, gets its SIGCHLD and reaps it with
 * wait4 as before. libc only (no hwloc, no cJSON, never sanitized).
 *
 * Usage (by tribench only): tribench-spawn PPID, the socket on descriptor 3.
 * The wire format is spawn/proto.h. Exits on EOF, or when tribench dies
 * (PR_SET_PDEATHSIG SIGKILL).
 */
#include "config.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "child.h"
#include "spawn/proto.h"
#include "tasks/ctx.h"

#define SOCK 3

static volatile int32_t *exec_err;    /* one MAP_SHARED page: the child's exec errno */
static char *strings;                 /* the request's strings, grown, reused */
static size_t strings_cap;
static char **vec;                    /* a free slot, argv, then envp; grown, reused */
static size_t vec_cap;
static bool no_clone3;                /* clone3 or CLONE_INTO_CGROUP refused for good */

/* n bytes from the socket: 0, or -1 on EOF or error. */
static int read_all(void *p, size_t n)
{
	char *c = p;
	while (n > 0) {
		ssize_t r = read(SOCK, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

/* One request with its descriptors: 1, 0 on a clean EOF, -1 on error. */
static int recv_request(struct spawn_request *rq, int *fds, int *nfds)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(SPAWN_MAX_FDS * sizeof(int))];
	} cm;
	struct iovec iov = {rq, sizeof(*rq)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf,
			    .msg_controllen = sizeof(cm.buf)};
	ssize_t r;
	while ((r = recvmsg(SOCK, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
		;
	if (r <= 0)
		return r == 0 ? 0 : -1;
	*nfds = 0;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&mh); h; h = CMSG_NXTHDR(&mh, h))
		if (h->cmsg_level == SOL_SOCKET && h->cmsg_type == SCM_RIGHTS) {
			int n = (int)((h->cmsg_len - CMSG_LEN(0)) / sizeof(int));
			memcpy(fds + *nfds, CMSG_DATA(h), (size_t)n * sizeof(int));
			*nfds += n;
		}
	if ((size_t)r < sizeof(*rq) && read_all((char *)rq + r, sizeof(*rq) - (size_t)r) < 0)
		return -1;
	if (rq->len > SPAWN_MAX_LEN)
		return -1;
	if (rq->len + 1 > strings_cap) {
		free(strings);
		strings_cap = rq->len + 1;
		if (!(strings = malloc(strings_cap)))
			return -1;
	}
	strings[rq->len] = '\0';
	return read_all(strings, rq->len) < 0 ? -1 : 1;
}

/* The next NUL-terminated string at *p (the buffer ends with a NUL). */
static char *next_string(char **p)
{
	char *s = *p;
	*p += strlen(s) + 1;
	return s;
}

/* How the child was made, set before the clone so the child's copy knows. */
static enum spawn_join via;

/*
 * A child whose parent is our parent (CLONE_PARENT), started inside its
 * cgroup when clone3 CLONE_INTO_CGROUP can (no CLONE_VM: a copy of our small
 * memory, so it returns here like fork). Returns as fork does: the pid, 0 in
 * the child, -1 with errno.
 */
static long clone_task(uint64_t flags, int cgroup_fd)
{
	if (cgroup_fd >= 0 && !no_clone3) {
		struct clone_args a;
		memset(&a, 0, sizeof(a));
		a.flags = flags | CLONE_PARENT | CLONE_INTO_CGROUP;
		/* 0: clone3 refuses one with CLONE_PARENT, the child gets ours (SIGCHLD) */
		a.cgroup = (uint64_t)cgroup_fd;
		via = SPAWN_JOIN_CLONE3;
		long r = syscall(SYS_clone3, &a, sizeof(a));
		if (r >= 0 || (errno != ENOSYS && errno != E2BIG && errno != EINVAL))
			return r;
		no_clone3 = errno != EINVAL;	/* EINVAL may be this cgroup's alone */
	}
	via = cgroup_fd >= 0 ? SPAWN_JOIN_PROCS : SPAWN_JOIN_NONE;
	return syscall(SYS_clone, (unsigned long)(flags | CLONE_PARENT | SIGCHLD), 0, NULL, NULL, 0UL);
}

static void child(const struct launch *l, const struct spawn_request *rq, char *p);

/* What the child of clone_exec needs: it runs on our memory (CLONE_VM). */
struct exec_arg {
	const struct launch *l;
	const struct spawn_request *rq;
	char *p;
};

static int exec_trampoline(void *arg)
{
	struct exec_arg *a = arg;
	child(a->l, a->rq, a->p);	/* never returns */
	return 126;
}

/*
 * An exec'd task: clone3 CLONE_VM|CLONE_VFORK|CLONE_PARENT(|CLONE_INTO_CGROUP)
 * on a stack of its own, sharing our memory until it execs, so no page table
 * is copied (a fork's cost; on this kind of VM a large one). We are suspended
 * until it has exec'd or exited. The pid, or -1 with errno (ENOSYS: not
 * available here; the caller forks instead).
 */
static long clone_exec(struct exec_arg *a, int cgroup_fd)
{
#if CHILD_HAVE_CLONE3_VM
	static char *stack;
	enum { STACK = 64 * 1024 };
	if (!no_clone3 && !stack) {
		stack = mmap(NULL, STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (stack == MAP_FAILED)
			stack = NULL;
	}
	if (!no_clone3 && stack) {
		struct clone_args args;
		memset(&args, 0, sizeof(args));
		args.flags = CLONE_VM | CLONE_VFORK | CLONE_PARENT | (cgroup_fd >= 0 ? CLONE_INTO_CGROUP : 0);
		args.stack = (uint64_t)(uintptr_t)stack;
		args.stack_size = STACK;
		args.cgroup = cgroup_fd >= 0 ? (uint64_t)cgroup_fd : 0;
		via = cgroup_fd >= 0 ? SPAWN_JOIN_CLONE3 : SPAWN_JOIN_NONE;
		long r = child_clone3_vm(&args, exec_trampoline, a);
		if (r >= 0)
			return r;
		if (r != -ENOSYS && r != -E2BIG && r != -EINVAL) {
			errno = (int)-r;
			return -1;
		}
		no_clone3 = r != -EINVAL;
	}
#else
	(void)a;
	(void)cgroup_fd;
#endif
	errno = ENOSYS;
	return -1;
}

/* In the child: set up, join, then exec or run the kernel; never returns. */
static void child(const struct launch *l, const struct spawn_request *rq, char *p)
{
	bool ok = launch_child_setup(l) == 0 &&
		  (via != SPAWN_JOIN_PROCS || child_join_cgroup(l->cgroup_fd) == 0);
	if (rq->kind >= 0) {
		struct task_spec spec;
		memset(&spec, 0, sizeof(spec));
		spec.kind = task_kinds[rq->kind];
		spec.has = rq->has;
		memcpy(spec.num, rq->num, sizeof(spec.num));
		for (int i = 0; i < TASK_MAX_PARAMS; i++)
			if (rq->strs & (1u << i))
				spec.str[i] = next_string(&p);
		_exit(ok ? spec.kind->run(&spec, &TASK_CTX_PROCESS) : 126);
	}
	if (!ok) {
		*exec_err = errno;
		_exit(126);
	}
	char *path = next_string(&p);
	if (*path) {
		execve(path, vec + 1, l->envp);
		/* no #!, not ELF: sh runs it, as execvp does, in the slot kept free
		 * in front of argv (no allocation here) */
		if (errno == ENOEXEC) {
			vec[0] = (char *)"/bin/sh";
			vec[1] = path;
			execve(vec[0], vec, l->envp);
		}
	}
	*exec_err = *path ? errno : ENOENT;
	child_exec_failed(*path ? path : vec[1], *exec_err);
	_exit(*exec_err == ENOENT ? 127 : 126);
}

/* The argv and envp vectors of an exec'd kind, pointing into strings. */
static int split_vectors(const struct spawn_request *rq, char *p, struct launch *l)
{
	size_t need = (size_t)rq->argc + rq->envc + 3;	/* vec[0]: for ENOEXEC */
	if (need > vec_cap) {
		free(vec);
		vec_cap = need;
		if (!(vec = malloc(vec_cap * sizeof(char *))))
			return -1;
	}
	next_string(&p);	/* path */
	for (uint32_t i = 0; i < rq->argc; i++)
		vec[i + 1] = next_string(&p);
	vec[rq->argc + 1] = NULL;
	l->envp = vec + rq->argc + 2;
	for (uint32_t i = 0; i < rq->envc; i++)
		l->envp[i] = next_string(&p);
	l->envp[rq->envc] = NULL;
	return 0;
}

/* Launch one task: the reply for it. */
static struct spawn_reply launch(const struct spawn_request *rq, const int *fds, int nfds)
{
	struct spawn_reply rep = {0, 0, SPAWN_JOIN_NONE};
	int want = __builtin_popcount(rq->flags & (SPAWN_FD_IN | SPAWN_FD_OUT | SPAWN_FD_ERR | SPAWN_FD_CGROUP));
	if (nfds != want || rq->kind >= task_kind_count || (rq->kind >= 0 && !task_kinds[rq->kind]->run)) {
		rep.pid = -EPROTO;
		return rep;
	}
	int k = 0;
	struct launch l = {.fd_in = -1, .fd_out = -1, .fd_err = -1, .cgroup_fd = -1, .close_fd = SOCK,
			   .mask = rq->flags & SPAWN_MASK ? &rq->mask : NULL};
	if (rq->flags & SPAWN_FD_IN)
		l.fd_in = fds[k++];
	if (rq->flags & SPAWN_FD_OUT)
		l.fd_out = fds[k++];
	if (rq->flags & SPAWN_FD_ERR)
		l.fd_err = fds[k++];
	if (rq->flags & SPAWN_FD_CGROUP)
		l.cgroup_fd = fds[k++];
	if (rq->kind < 0 && split_vectors(rq, strings, &l) < 0) {
		rep.pid = -ENOMEM;
		return rep;
	}
	*exec_err = 0;
	/* exec'd kinds: CLONE_VFORK, we wait until it has exec'd or exited, so
	 * its exec errno is in the shared page when we reply */
	struct exec_arg a = {&l, rq, strings};
	long pid = rq->kind < 0 ? clone_exec(&a, l.cgroup_fd) : -1;
	if (pid < 0 && (rq->kind >= 0 || errno == ENOSYS))
		pid = clone_task(rq->kind < 0 ? CLONE_VFORK : 0, l.cgroup_fd);
	if (pid == 0)
		child(&l, rq, strings);
	rep.pid = pid < 0 ? -errno : (int32_t)pid;
	rep.exec_errno = pid < 0 ? 0 : *exec_err;
	rep.join = pid < 0 ? SPAWN_JOIN_NONE : (int32_t)via;
	return rep;
}

int main(int argc, char **argv)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* in tribench's process group, it gets the terminal's Ctrl-Z too: tribench
	 * alone stops and continues (its tasks frozen meanwhile), never this
	 * launcher, which a SIGCONT to tribench's pid alone would leave stopped */
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	/* tribench may have died before the line above: then nobody is listening */
	if (argc != 2 || getppid() != (pid_t)strtol(argv[1], NULL, 10)) {
		fprintf(stderr, "tribench-spawn: for tribench's own use only\n");
		return 2;
	}
	exec_err = mmap(NULL, sizeof(*exec_err), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (exec_err == MAP_FAILED)
		return 3;
	struct spawn_hello hello = {SPAWN_MAGIC, SPAWN_VERSION, sizeof(struct spawn_request),
				    sizeof(struct spawn_reply)};
	if (write(SOCK, &hello, sizeof(hello)) != (ssize_t)sizeof(hello))
		return 3;
	for (;;) {
		struct spawn_request rq;
		int fds[SPAWN_MAX_FDS], nfds = 0;
		int got = recv_request(&rq, fds, &nfds);
		if (got <= 0)
			return got == 0 ? 0 : 3;
		struct spawn_reply rep = launch(&rq, fds, nfds);
		for (int i = 0; i < nfds; i++)
			close(fds[i]);
		if (write(SOCK, &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
			return 3;
	}
}
