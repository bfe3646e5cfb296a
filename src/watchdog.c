/* The watchdog: no task process group, nor the run cgroup, outlives tribench. */
#include "config.h"
#include "watchdog.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

/* Messages, each one write(2) of at most PIPE_BUF bytes (atomic): a positive
 * int32 adds a process group, its negation removes it; a tag below, then an
 * int32 length and the bytes, sets a path. */
#define MSG_FILE 0
#define MSG_CGROUP INT32_MIN
#define MSG_PATH_MAX (PIPE_BUF - 8)
/* No more process groups than pids can exist at once (PID_MAX_LIMIT on 64-bit
 * Linux): a mapping this size never overflows, and only touched pages cost. */
#define MAX_GROUPS (4u << 20)
/* How deep the watchdog looks beneath the run cgroup (a task may nest its own). */
#define TREE_DEPTH 16

/* Read exactly n bytes; false at EOF or error. */
static bool read_exact(int fd, void *buf, size_t n)
{
	return read_full(fd, buf, n) == n;
}

/* A path message's length and bytes into buf (MSG_PATH_MAX + 1 bytes): false
 * on a torn or oversized message. */
static bool read_path(int fd, char *buf)
{
	int32_t len;
	if (!read_exact(fd, &len, sizeof(len)) || len < 0 || len >= MSG_PATH_MAX ||
	    !read_exact(fd, buf, (size_t)len))
		return false;
	buf[len] = '\0';
	return true;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* SIGKILL every pid listed in DIR/cgroup.procs, read in fixed chunks (a pid
 * may straddle two). Kernels without cgroup.kill only. */
static void kill_procs(int dirfd)
{
	int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	char buf[512];
	long pid = 0;
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				if (pid < INT_MAX / 10)
					pid = pid * 10 + (buf[i] - '0');
				continue;
			}
			if (pid > 1 && pid != getpid())
				kill((pid_t)pid, SIGKILL);
			pid = 0;
		}
	if (pid > 1 && pid != getpid())
		kill((pid_t)pid, SIGKILL);
	close(fd);
}

/*
 * Every cgroup beneath dirfd, deepest first: with kill, SIGKILL its members;
 * without, remove it. getdents64 into a stack buffer, as opendir would
 * allocate; depth bounded so the stack is too.
 */
static void walk(int dirfd, int depth, bool kill)
{
	union {
		struct dirent64 align;
		char b[2048];
	} u;
	long n;
	if (depth >= TREE_DEPTH || lseek(dirfd, 0, SEEK_SET) < 0)
		return;
	while ((n = getdents64(dirfd, u.b, sizeof(u.b))) > 0)
		for (long off = 0; off < n;) {
			const struct dirent64 *d = (const struct dirent64 *)(void *)(u.b + off);
			off += d->d_reclen;
			if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			int sub = openat(dirfd, d->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0) {
				if (kill)
					kill_procs(sub);
				walk(sub, depth + 1, kill);
				close(sub);
			}
			if (!kill)
				unlinkat(dirfd, d->d_name, AT_REMOVEDIR);
		}
}

/* Write a short value into DIR/name: true when the kernel took it. */
static bool put(int dirfd, const char *name, const char *value)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t len = strlen(value);
	bool ok = write(fd, value, len) == (ssize_t)len;
	close(fd);
	return ok;
}

/* 1 populated, 0 empty, -1 unknown, from cgroup.events ("populated N"). */
static int populated(int events)
{
	char buf[256];
	ssize_t n = events < 0 ? -1 : pread(events, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (char *p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "populated ", 10))
			return p[10] == '1';
	return -1;
}

/*
 * Empty the run cgroup and remove it with its leaves. cgroup.kill is one
 * atomic kill of the whole subtree, forks in flight included; without it
 * (before 5.14) the subtree is frozen so that nothing forks past the pid
 * lists, killed pid by pid, pass after pass until empty. rmdir needs the
 * cgroup empty, hence the bounded wait on cgroup.events.
 */
static void drain_cgroup(const char *path)
{
	int dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return;	/* destroyed by tribench already */
	bool fallback = !put(dir, "cgroup.kill", "1");
	if (fallback)
		put(dir, "cgroup.freeze", "1");
	int events = openat(dir, "cgroup.events", O_RDONLY | O_CLOEXEC);
	long deadline = now_ms() + WATCHDOG_DRAIN_MS;
	for (;;) {
		if (fallback) {
			kill_procs(dir);
			walk(dir, 0, true);
		}
		long left = deadline - now_ms();
		if (populated(events) != 1 || left <= 0)
			break;
		/* POLLPRI when populated changes; re-read at least every 100 ms */
		struct pollfd p = {.fd = events, .events = POLLPRI};
		poll(&p, 1, left < 100 ? (int)left : 100);
	}
	if (fallback)
		put(dir, "cgroup.freeze", "0");
	if (events >= 0)
		close(events);
	/* removing entries while reading the directory: a second pass finds any missed */
	for (int pass = 0; pass < 3; pass++) {
		walk(dir, 0, false);
		if (rmdir(path) == 0 || errno == ENOENT)
			break;
	}
	close(dir);
}

/*
 * In the watchdog process: track groups (+pgid, -pgid), the report's
 * temporary and the run cgroup until EOF, then kill and remove what is left.
 */
static void watch(int fd)
{
	pid_t *groups = mmap(NULL, MAX_GROUPS * sizeof(pid_t), PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	size_t n = 0;
	char file[MSG_PATH_MAX + 1] = "", cgroup[MSG_PATH_MAX + 1] = "";
	int32_t msg;
	if (groups == MAP_FAILED)
		groups = NULL;
	while (read_exact(fd, &msg, sizeof(msg))) {
		if (msg == MSG_FILE || msg == MSG_CGROUP) {
			if (!read_path(fd, msg == MSG_FILE ? file : cgroup))
				break;
		} else if (msg > 0) {
			if (groups && n < MAX_GROUPS)
				groups[n++] = msg;
		} else
			for (size_t i = 0; i < n; i++)
				if (groups[i] == -msg) {
					groups[i] = groups[--n];
					break;
				}
	}
	for (size_t i = 0; i < n; i++)
		kill(-groups[i], SIGKILL);
	if (file[0])
		unlink(file);
	if (cgroup[0])
		drain_cgroup(cgroup);
	_exit(0);
}

/* Close every descriptor from lo up, close_range(2) or one by one. */
static void close_from(int lo, int hi)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lo, (unsigned)hi, 0u) == 0)
		return;
#endif
	struct rlimit r;
	int top = getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < (1u << 20) ? (int)r.rlim_cur : 1 << 20;
	for (int fd = lo; fd <= hi && fd < top; fd++)
		close(fd);
}

/*
 * The watchdog's set-up: out of the terminal's signals (its own group, stop
 * signals ignored, every catchable signal blocked: it must live until the
 * pipe closes), a name of its own, and no descriptor but the pipe, which
 * moves to 3; 0-2 are /dev/null so that a `$(tribench ...)` or
 * `tribench | jq` is not kept waiting by it.
 */
static int become_watchdog(int pipe_rd)
{
	/* a Ctrl-Z stops tribench, never its guard: the watchdog keeps watching
	 * while tribench is stopped (and ignores the terminal's stops outright) */
	static const int stops[] = {SIGTSTP, SIGTTIN, SIGTTOU};
	for (size_t i = 0; i < ARRAY_SIZE(stops); i++)
		signal(stops[i], SIG_IGN);
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setpgid(0, 0);
	prctl(PR_SET_NAME, "tribench-wd", 0, 0, 0);
	int fd = pipe_rd < 3 ? fcntl(pipe_rd, F_DUPFD_CLOEXEC, 3) : pipe_rd;
	if (fd < 0)
		_exit(1);
	if (fd > 3)
		close_from(3, fd - 1);
	close_from(fd + 1, INT_MAX);
	if (fd != 3 && dup2(fd, 3) == 3) {
		close(fd);
		fd = 3;
	}
	for (int i = 0; i < 3; i++)
		close(i);
	int null = open("/dev/null", O_RDWR);	/* lands on 0 */
	if (null == 0) {
		dup2(0, 1);
		dup2(0, 2);
	}
	return fd;
}

int watchdog_start(struct watchdog *w)
{
	int fds[2];
	w->fd = w->pidfd = -1;
	w->pid = -1;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return error("cannot start the watchdog: pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return error("cannot start the watchdog: fork: %s", strerror(errno));
	}
	if (pid == 0)
		watch(become_watchdog(fds[0]));
	close(fds[0]);
	w->pid = pid;
	w->fd = fds[1];
#ifdef SYS_pidfd_open
	w->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);	/* close-on-exec by definition */
	if (w->pidfd < 0)
		w->pidfd = -1;
#endif
	return 0;
}

int watchdog_pidfd(const struct watchdog *w)
{
	return w->pidfd;
}

static void tell(struct watchdog *w, const void *msg, size_t n)
{
	/* one write of at most PIPE_BUF bytes is atomic: no half messages */
	if (w->fd >= 0 && write(w->fd, msg, n) != (ssize_t)n) {
		close(w->fd);	/* the watchdog is gone; nothing more to tell it */
		w->fd = -1;
	}
}

/* A path message: tag, length, bytes; "" clears it. */
static void tell_path(struct watchdog *w, int32_t tag, const char *path)
{
	struct {
		int32_t tag, len;
		char path[MSG_PATH_MAX];
	} m = {tag, 0, ""};
	size_t len = path ? strlen(path) : 0;
	if (len >= sizeof(m.path))
		return;	/* too long to guard; it may then outlive a SIGKILL */
	m.len = (int32_t)len;
	memcpy(m.path, path ? path : "", len);
	tell(w, &m, 8 + len);
}

void watchdog_set_file(struct watchdog *w, const char *path)
{
	tell_path(w, MSG_FILE, path);
}

void watchdog_set_cgroup(struct watchdog *w, const char *run_cgroup_path)
{
	tell_path(w, MSG_CGROUP, run_cgroup_path);
}

void watchdog_add(struct watchdog *w, pid_t pgid)
{
	int32_t msg = (int32_t)pgid;
	tell(w, &msg, sizeof(msg));
}

void watchdog_remove(struct watchdog *w, pid_t pgid)
{
	int32_t msg = -(int32_t)pgid;
	tell(w, &msg, sizeof(msg));
}

void watchdog_stop(struct watchdog *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->pid > 0)
		while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
			;
	w->pid = -1;
	if (w->pidfd >= 0)
		close(w->pidfd);
	w->pidfd = -1;
}
