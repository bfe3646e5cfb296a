/* tribench's side of the launcher tribench-spawn: start it, one request and
 * one reply per task, stop it. */
#include "config.h"
#include "spawner.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "placeholder.h"
#include "probe.h"
#include "spawn/proto.h"
#include "util.h"

#ifndef TRIBENCH_PKGLIBEXECDIR
#define TRIBENCH_PKGLIBEXECDIR "/usr/local/libexec/tribench"
#endif

extern char **environ;

/* $TRIBENCH_SPAWN, else beside our executable (a build tree), else installed. */
static char *helper_path(void)
{
	const char *env = getenv("TRIBENCH_SPAWN");
	if (env && *env)
		return xstrdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			char *p = xasprintf("%.*s/tribench-spawn", (int)(slash - exe), exe);
			if (access(p, X_OK) == 0)
				return p;
			free(p);
		}
	}
	return xstrdup(TRIBENCH_PKGLIBEXECDIR "/tribench-spawn");
}

/* posix_spawn the launcher with the socket on its descriptor 3, its signal
 * mask blocking what a terminal sends (only EOF or our death end it). */
static int spawn_helper(struct spawner *sp, const char *path, int their)
{
	char ppid[24];
	snprintf(ppid, sizeof(ppid), "%d", (int)getpid());
	char *argv[] = {(char *)path, ppid, NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t mask, def;
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, their, 3);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &mask);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int rc = posix_spawn(&sp->pid, path, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0)
		sp->pid = 0;
	return rc;
}

/* n bytes from fd within timeout_ms in all: n, or -1 with errno (ETIMEDOUT,
 * EPIPE on an early end, or the read's). */
static ssize_t read_within(int fd, void *buf, size_t n, int timeout_ms)
{
	double deadline = now_s() + timeout_ms / 1000.0;
	size_t got = 0;
	while (got < n) {
		int left = (int)((deadline - now_s()) * 1000);
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int r = poll(&p, 1, left);
		if (r < 0 && errno != EINTR)
			return -1;
		if (r <= 0)
			continue;
		ssize_t k = read(fd, (char *)buf + got, n - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EPIPE;
			return -1;
		}
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* Kill and reap the launcher we started (it misbehaved). */
static void kill_helper(struct spawner *sp)
{
	if (sp->pid > 0) {
		kill(sp->pid, SIGKILL);
		while (waitpid(sp->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	sp->pid = 0;
}

/* The launcher's hello, of this version: 0, or -1 with *what saying why not. */
static int hello(struct spawner *sp, const char **what)
{
	struct spawn_hello h;
	if (read_within(sp->sock, &h, sizeof(h), SPAWN_HELLO_MS) < 0) {
		*what = errno == ETIMEDOUT ? "it did not answer within 2 s" : "it exited without a word";
		return -1;
	}
	if (h.magic != SPAWN_MAGIC || h.version != SPAWN_VERSION ||
	    h.request_size != sizeof(struct spawn_request) || h.reply_size != sizeof(struct spawn_reply)) {
		*what = "it is not the tribench-spawn of this tribench (another build or program)";
		return -1;
	}
	return 0;
}

int spawner_start(struct spawner *sp, char **why)
{
	memset(sp, 0, sizeof(*sp));
	sp->sock = -1;
	*why = NULL;
	char *path = helper_path();
	sp->path = xstrdup(path);
	int sv[2];
	int err = 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		err = errno;
	else {
		if (sv[1] == 3) {	/* dup2 onto itself would keep close-on-exec */
			int fd = fcntl(sv[1], F_DUPFD_CLOEXEC, 4);
			close(sv[1]);
			sv[1] = fd;
		}
		err = sv[1] < 0 ? errno : spawn_helper(sp, path, sv[1]);
		if (sv[1] >= 0)
			close(sv[1]);
		if (err)
			close(sv[0]);
		else
			sp->sock = sv[0];
	}
	const char *what = NULL;
	if (!err && hello(sp, &what) < 0) {
		kill_helper(sp);
		close(sp->sock);
		sp->sock = -1;
	}
	if (err || what)
		*why = xasprintf("cannot start the launcher '%s': %s: tasks are launched by tribench "
				 "itself, and their max_rss_kb includes tribench's own RSS (rss_floor_kb)",
				 path, err ? strerror(err) : what);
	free(path);
	return err || what ? -1 : 0;
}

/* Room for n more bytes in the request buffer. */
static void reserve(struct spawner *sp, size_t used, size_t n)
{
	if (used + n > sp->cap) {
		sp->cap = (used + n) * 2;
		sp->buf = xrealloc(sp->buf, sp->cap);
	}
}

static size_t put_string(struct spawner *sp, size_t used, const char *s)
{
	size_t n = strlen(s) + 1;
	reserve(sp, used, n);
	memcpy(sp->buf + used, s, n);
	return used + n;
}

/* A command word, its {%} filled in with the slot number where the spec has one. */
static size_t put_word(struct spawner *sp, size_t used, const char *s, const struct task_spec *spec,
		       const struct launch *l)
{
	if (!spec->slot_placeholder)
		return put_string(sp, used, s);
	char *filled = placeholder_fill_slot(s, l->slot + 1);
	used = put_string(sp, used, filled);
	free(filled);
	return used;
}

/* The request for one task in sp->buf: its length in bytes. */
static size_t build_request(struct spawner *sp, const struct task_spec *spec, const struct launch *l)
{
	reserve(sp, 0, sizeof(struct spawn_request));
	struct spawn_request rq;
	memset(&rq, 0, sizeof(rq));
	rq.kind = -1;
	size_t used = sizeof(rq);
	if (spec->kind->run) {
		for (int i = 0; i < task_kind_count; i++)
			if (task_kinds[i] == spec->kind)
				rq.kind = i;
		rq.has = spec->has;
		memcpy(rq.num, spec->num, sizeof(rq.num));
		for (int i = 0; i < TASK_MAX_PARAMS; i++)
			if (spec->str[i]) {
				rq.strs |= 1u << i;
				used = put_string(sp, used, spec->str[i]);
			}
	} else {
		used = put_word(sp, used, spec->path ? spec->path : "", spec, l);
		for (; spec->argv[rq.argc]; rq.argc++)
			used = put_word(sp, used, spec->argv[rq.argc], spec, l);
		for (; l->envp && l->envp[rq.envc]; rq.envc++)
			used = put_string(sp, used, l->envp[rq.envc]);
	}
	if (l->mask) {
		rq.flags |= SPAWN_MASK;
		rq.mask = *l->mask;
	}
	rq.flags |= (l->fd_in >= 0 ? SPAWN_FD_IN : 0) | (l->fd_out >= 0 ? SPAWN_FD_OUT : 0) |
		    (l->fd_err >= 0 ? SPAWN_FD_ERR : 0) | (l->cgroup_fd >= 0 ? SPAWN_FD_CGROUP : 0);
	rq.len = (uint32_t)(used - sizeof(rq));
	memcpy(sp->buf, &rq, sizeof(rq));
	return used;
}

/* The whole request, descriptors on its first byte: 0 or -1. */
static int send_request(struct spawner *sp, size_t len, const struct launch *l)
{
	int fds[SPAWN_MAX_FDS], n = 0;
	const int want[] = {l->fd_in, l->fd_out, l->fd_err, l->cgroup_fd};
	for (int i = 0; i < SPAWN_MAX_FDS; i++)
		if (want[i] >= 0)
			fds[n++] = want[i];
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(SPAWN_MAX_FDS * sizeof(int))];
	} cm;
	memset(&cm, 0, sizeof(cm));
	struct iovec iov = {sp->buf, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	if (n > 0) {
		mh.msg_control = cm.buf;
		mh.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
		struct cmsghdr *h = CMSG_FIRSTHDR(&mh);
		h->cmsg_level = SOL_SOCKET;
		h->cmsg_type = SCM_RIGHTS;
		h->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
		memcpy(CMSG_DATA(h), fds, (size_t)n * sizeof(int));
	}
	ssize_t w;
	while ((w = sendmsg(sp->sock, &mh, MSG_NOSIGNAL)) < 0 && errno == EINTR)
		;
	for (size_t done = w < 0 ? 0 : (size_t)w; w >= 0 && done < len; done += (size_t)w)
		while ((w = send(sp->sock, sp->buf + done, len - done, MSG_NOSIGNAL)) < 0 && errno == EINTR)
			;
	return w < 0 ? -1 : 0;
}

void spawner_lost(struct spawner *sp, const char *why)
{
	if (sp->sock >= 0)
		close(sp->sock);
	sp->sock = -1;
	sp->pid = 0;
	sp->died = true;
	if (!sp->lost)
		sp->lost = xasprintf("the launcher '%s' %s: later tasks were launched by tribench "
				     "itself, and their max_rss_kb includes tribench's own RSS "
				     "(rss_floor_kb)", sp->path ? sp->path : "tribench-spawn", why);
}

/* It stopped answering or lied: make sure it is gone, reap it, launch without it. */
static pid_t gone(struct spawner *sp, const char *why)
{
	kill_helper(sp);
	spawner_lost(sp, why);
	return -2;
}

/* Is pid a child of ours that is not the launcher (a task it just made)? */
static bool our_child(const struct spawner *sp, pid_t pid)
{
	siginfo_t si;
	if (pid <= 1 || pid == sp->pid || pid == getpid())
		return false;
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0;
}

pid_t spawner_launch(struct spawner *sp, const struct task_spec *spec, const struct launch *l,
		     int *exec_errno)
{
	*exec_errno = 0;
	sp->join = NULL;
	if (sp->sock < 0)
		return -2;
	size_t len = build_request(sp, spec, l);
	struct spawn_reply rep;
	if (send_request(sp, len, l) < 0)
		return gone(sp, "died");
	if (read_within(sp->sock, &rep, sizeof(rep), SPAWN_REPLY_MS) < 0)
		return gone(sp, errno == ETIMEDOUT ? "gave no reply within 5 s (killed)" : "died");
	if (rep.pid < 0 && rep.pid > -4096) {
		errno = -rep.pid;
		return -1;
	}
	if (!our_child(sp, rep.pid))
		return gone(sp, "replied with a pid that is not a task of tribench's (killed)");
	*exec_errno = rep.exec_errno;
	sp->join = rep.join == SPAWN_JOIN_CLONE3 ? "clone3" : rep.join == SPAWN_JOIN_PROCS ? "procs" : NULL;
	return (pid_t)rep.pid;
}

long spawner_rss_floor_kb(const struct spawner *sp)
{
	if (sp->pid <= 0)
		return -1;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)sp->pid);
	char buf[4096];
	if (probe_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	const char *p = strstr(buf, "\nVmHWM:");
	char *end;
	long kb = p ? strtol(p + strlen("\nVmHWM:"), &end, 10) : -1;
	return p && end != p + strlen("\nVmHWM:") && kb >= 0 ? kb : -1;
}

bool spawner_is(const struct spawner *sp, pid_t pid)
{
	return sp->pid > 0 && pid == sp->pid;
}

void spawner_stop(struct spawner *sp)
{
	if (sp->sock >= 0) {
		close(sp->sock);
		sp->sock = -1;
	}
	if (sp->pid > 0)	/* it exits on EOF; it has nothing else to finish */
		while (waitpid(sp->pid, NULL, 0) < 0 && errno == EINTR)
			;
	sp->pid = 0;
	free(sp->buf);
	sp->buf = NULL;
	sp->cap = 0;
	free(sp->path);
	sp->path = NULL;
	free(sp->lost);
	sp->lost = NULL;
}
