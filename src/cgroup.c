/* cgroup v2 containment: discovery, the run cgroup, its leaves, kill and reap. */
#include "config.h"
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

/* How long a freeze may take before we act anyway, and the destroy's bound. */
#define FREEZE_WAIT_MS 1000
#define DESTROY_WAIT_MS 2000

/* pid's start time in clock ticks: 0, or -1 with errno (ENOENT: no such pid). */
static int proc_starttime(pid_t pid, unsigned long long *out)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = read_full(fd, buf, sizeof(buf) - 1);
	int saved = errno;
	close(fd);
	if (n == 0) {
		/* A process that died between open and read. */
		errno = saved ? saved : ENOENT;
		return -1;
	}
	buf[n] = '\0';
	return cgroup_parse_starttime(buf, out);
}

/* ---- small cgroupfs file helpers ---------------------------------------- */

/*
 * Write text to the file name under dirfd. Only open/write/close, no
 * allocation: async-signal-safe, so cgroup_join may run after fork.
 */
static int write_at(int dirfd, const char *name, const char *text, size_t len)
{
	int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, text, len);
	int saved = errno;
	close(fd);
	if (w < 0) {
		errno = saved;
		return -1;
	}
	if ((size_t)w != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* The value of "key N" in a cgroup.events text, -1 when absent. */
static int events_field(const char *text, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ' && (p[klen + 1] == '0' || p[klen + 1] == '1'))
			return p[klen + 1] - '0';
	}
	return -1;
}

/* Read cgroup.events from offset 0 (which also re-arms POLLPRI) and give key's value. */
static int events_read(int events_fd, const char *key)
{
	char buf[256];
	ssize_t n = pread(events_fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	int v = events_field(buf, key);
	if (v < 0)
		errno = EPROTO;
	return v;
}

/* Milliseconds on the monotonic clock. */
static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait until key reads want in cgroup.events, up to timeout_ms (-1: forever):
 * read, then poll for the kernel's POLLPRI, so a change between the two is
 * never missed. 0, or -1 (ETIMEDOUT, or errno).
 */
static int events_wait(int events_fd, const char *key, int want, int timeout_ms)
{
	long long deadline = timeout_ms < 0 ? -1 : mono_ms() + timeout_ms;
	for (;;) {
		int v = events_read(events_fd, key);
		if (v < 0)
			return -1;
		if (v == want)
			return 0;
		int left = -1;
		if (deadline >= 0) {
			long long l = deadline - mono_ms();
			if (l <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			left = l > 1000000 ? 1000000 : (int)l;
		}
		struct pollfd pfd = {.fd = events_fd, .events = POLLPRI};
		if (poll(&pfd, 1, left) < 0 && errno != EINTR)
			return -1;
	}
}

/*
 * Call fn for each pid listed in file (cgroup.procs) under dirfd, parsing
 * in chunks so that a big group needs no big buffer. fn returning -1 stops
 * the walk. The number of pids, or -1 with errno.
 */
static int for_each_pid(int dirfd, const char *file, int (*fn)(pid_t, void *), void *arg)
{
	int fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[4096];
	long long cur = -1;
	int count = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		/* A last number without its newline ends at EOF (n == 0). */
		for (ssize_t i = 0; i < (n ? n : 1); i++) {
			char c = n ? buf[i] : '\n';
			if (c >= '0' && c <= '9') {
				cur = (cur < 0 ? 0 : cur * 10) + (c - '0');
				if (cur > INT_MAX)
					cur = INT_MAX;
				continue;
			}
			if (cur < 0)
				continue;
			count++;
			if (fn && fn((pid_t)cur, arg) < 0) {
				int saved = errno;
				close(fd);
				errno = saved;
				return -1;
			}
			cur = -1;
		}
		if (n == 0)
			break;
	}
	close(fd);
	return count;
}

/* kill(pid, *sig), ignoring a pid that is already gone. */
static int signal_one(pid_t pid, void *arg)
{
	if (kill(pid, *(int *)arg) < 0 && errno != ESRCH)
		return -1;
	return 0;
}

/*
 * Freeze the group, send sig to each of its processes, thaw. Frozen, none
 * can fork a child that escapes the list; a frozen process still dies of
 * SIGKILL. A freeze that does not settle within FREEZE_WAIT_MS is not
 * waited for further: signalling late beats not signalling. 0, or -1 with errno.
 */
static int signal_frozen(int dirfd, int events_fd, int sig)
{
	/* Kernels before 5.2 have no cgroup.freeze: signal unfrozen, best effort. */
	bool frozen = write_at(dirfd, "cgroup.freeze", "1", 1) == 0;
	if (!frozen && errno != ENOENT)
		return -1;
	if (frozen && events_fd >= 0)
		events_wait(events_fd, "frozen", 1, FREEZE_WAIT_MS);
	int rc = for_each_pid(dirfd, "cgroup.procs", signal_one, &sig) < 0 ? -1 : 0;
	int saved = errno;
	if (frozen && write_at(dirfd, "cgroup.freeze", "0", 1) < 0 && rc == 0)
		return -1;
	errno = saved;
	return rc;
}

/* cgroup.kill (the whole subtree), or the freeze-and-kill fallback. */
static int kill_at(int dirfd, int events_fd)
{
	if (write_at(dirfd, "cgroup.kill", "1", 1) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	return signal_frozen(dirfd, events_fd, SIGKILL);
}

/* rmdir, retried for a moment while the kernel still holds the group busy. */
static int rmdir_settled(const char *path)
{
	for (int i = 0; i < 100; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -1;
		struct timespec ts = {0, 10 * 1000000};
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* ---- leaves ------------------------------------------------------------- */

/*
 * A leaf's descriptors are open only while it is being launched into or
 * handled (a concurrent run of thousands of tasks would otherwise hold two
 * per task): opened here on demand, closed by cgroup_leaf_rest. 0 or -1.
 */
static int leaf_open(struct cgroup_leaf *leaf)
{
	if (leaf->dirfd < 0 && (leaf->dirfd = open(leaf->path, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if (leaf->events_fd < 0 &&
	    (leaf->events_fd = openat(leaf->dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	return 0;
}

/* Close every descriptor of the leaf, kept or not. */
static void leaf_close(struct cgroup_leaf *leaf)
{
	int *fds[] = {&leaf->events_fd, &leaf->dirfd, &leaf->stat_fd[0], &leaf->stat_fd[1],
		      &leaf->stat_fd[2], &leaf->stat_fd[3]};
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

void cgroup_leaf_rest(struct cgroup_leaf *leaf)
{
	if (!leaf->keep)
		leaf_close(leaf);
}

int cgroup_populated(struct cgroup_leaf *leaf)
{
	return leaf_open(leaf) < 0 ? -1 : events_read(leaf->events_fd, "populated");
}

int cgroup_wait_empty(struct cgroup_leaf *leaf, int timeout_ms)
{
	return leaf_open(leaf) < 0 ? -1 : events_wait(leaf->events_fd, "populated", 0, timeout_ms);
}

int cgroup_count(struct cgroup_leaf *leaf)
{
	return leaf_open(leaf) < 0 ? -1 : for_each_pid(leaf->dirfd, "cgroup.procs", NULL, NULL);
}

int cgroup_kill(struct cgroup_leaf *leaf)
{
	if (leaf_open(leaf) < 0)
		return -1;
	leaf->killed = true;
	return kill_at(leaf->dirfd, leaf->events_fd);
}

int cgroup_signal(struct cgroup_leaf *leaf, int sig)
{
	return leaf_open(leaf) < 0 ? -1 : signal_frozen(leaf->dirfd, leaf->events_fd, sig);
}

int cgroup_run_freeze(const struct cgroup_run *run, bool frozen)
{
	int dir = open(run->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return -1;
	int rc = write_at(dir, "cgroup.freeze", frozen ? "1" : "0", 1);
	int saved = errno;
	if (rc == 0 && frozen) {
		int events = openat(dir, "cgroup.events", O_RDONLY | O_CLOEXEC);
		if (events >= 0) {
			events_wait(events, "frozen", 1, FREEZE_WAIT_MS);
			close(events);
		}
	}
	close(dir);
	errno = saved;
	return rc;
}

int cgroup_join(const struct cgroup_leaf *leaf, pid_t pid)
{
	/* Formatted by hand: snprintf is not async-signal-safe. */
	char buf[24], *p = buf + sizeof(buf);
	unsigned long v = pid > 0 ? (unsigned long)pid : 0;
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return write_at(leaf->dirfd, "cgroup.procs", p, (size_t)(buf + sizeof(buf) - p));
}

/* Make leaf t<index> under the run (or take the one a crash left) and open its fds. */
static struct cgroup_leaf *leaf_new(const struct cgroup_run *run, int index)
{
	struct cgroup_leaf *leaf = xcalloc(1, sizeof(*leaf));
	leaf->index = index;
	leaf->keep = index < run->keep;
	leaf->dirfd = leaf->events_fd = -1;
	for (size_t i = 0; i < ARRAY_SIZE(leaf->stat_fd); i++)
		leaf->stat_fd[i] = -1;
	int n = snprintf(leaf->path, sizeof(leaf->path), "%s/t%d", run->path, index);
	if (n < 0 || (size_t)n >= sizeof(leaf->path)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	if (mkdir(leaf->path, 0755) < 0 && errno != EEXIST)
		goto fail;
	if (leaf_open(leaf) < 0)
		goto fail;
	return leaf;
fail:;
	int saved = errno;
	if (leaf->dirfd >= 0) {
		leaf_close(leaf);
		rmdir(leaf->path);
	}
	free(leaf);
	errno = saved;
	return NULL;
}

int cgroup_leaf_get(struct cgroup_run *run, struct cgroup_leaf **out)
{
	*out = NULL;
	if (run->path[0] == '\0') {
		errno = EINVAL;
		return -1;
	}
	/* Reuse first: the pool grows only to the most leaves busy at once. */
	for (int i = 0; i < run->nleaves; i++) {
		struct cgroup_leaf *leaf = run->leaves[i];
		if (leaf->busy)
			continue;
		if (cgroup_populated(leaf) == 0) {
			leaf->busy = true;
			*out = leaf;
			return 0;
		}
		cgroup_leaf_rest(leaf);
	}
	struct cgroup_leaf *leaf = leaf_new(run, run->nleaves);
	if (!leaf)
		return -1;
	if (run->nleaves == run->alloc) {
		run->alloc = run->alloc ? 2 * run->alloc : 8;
		run->leaves = xrealloc(run->leaves, (size_t)run->alloc * sizeof(*run->leaves));
	}
	run->leaves[run->nleaves++] = leaf;
	leaf->busy = true;
	*out = leaf;
	return 0;
}

/*
 * A leaf that cgroup.kill was written to is not reused: on this kernel
 * (6.18) a child cloned with CLONE_INTO_CGROUP into a cgroup whose kill
 * count moved since is killed at birth. It is removed once empty and its
 * place in the pool is made anew on the next need (the index is kept).
 */
void cgroup_leaf_put(struct cgroup_run *run, struct cgroup_leaf *leaf)
{
	leaf->busy = false;
	if (!leaf->killed) {
		cgroup_leaf_rest(leaf);
		return;
	}
	for (int i = 0; i < run->nleaves; i++)
		if (run->leaves[i] == leaf) {
			struct cgroup_leaf *fresh;
			leaf_close(leaf);
			if (rmdir_settled(leaf->path) < 0) {
				leaf->killed = false;	/* still there: keep using the path */
				return;
			}
			fresh = leaf_new(run, leaf->index);
			if (fresh) {
				run->leaves[i] = fresh;
				cgroup_leaf_rest(fresh);
				free(leaf);
			} else
				leaf->killed = false;
			return;
		}
}

/* ---- the run cgroup ------------------------------------------------------ */

/* How many leaves may keep their descriptors: CGROUP_LEAF_KEEP where the
 * soft RLIMIT_NOFILE (after preflight raised it) leaves 64 descriptors for
 * everything else beyond them, fewer or none where it is tighter. */
static int leaves_to_keep(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	long room = rl.rlim_cur == RLIM_INFINITY ? 1L << 20 : (long)rl.rlim_cur;
	long keep = (room - 64) / CGROUP_LEAF_KEPT_FDS;
	return keep < 0 ? 0 : keep > CGROUP_LEAF_KEEP ? CGROUP_LEAF_KEEP : (int)keep;
}

int cgroup_run_create(const struct cgroup_where *w, struct cgroup_run *run)
{
	memset(run, 0, sizeof(*run));
	if (w->version != 2 || w->self[0] == '\0') {
		errno = ENOENT;
		return -1;
	}
	/* Never mkdir into something that is not cgroupfs (a stale or wrong self). */
	struct statfs sfs;
	if (statfs(w->self, &sfs) < 0)
		return -1;
	if ((unsigned long)sfs.f_type != (unsigned long)CGROUP2_SUPER_MAGIC) {
		errno = ENOTSUP;
		return -1;
	}
	unsigned long long start;
	if (proc_starttime(getpid(), &start) < 0)
		return -1;
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/tribench-%d-%llu",
			 strcmp(w->self, "/") == 0 ? "" : w->self, (int)getpid(), start);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(path, 0755) < 0)
		return -1;
	strcpy(run->path, path);
	run->keep = leaves_to_keep();
	return 0;
}


void cgroup_run_destroy(struct cgroup_run *run)
{
	long long deadline = mono_ms() + DESTROY_WAIT_MS;
	for (int i = 0; i < run->nleaves; i++) {
		struct cgroup_leaf *leaf = run->leaves[i];
		if (leaf_open(leaf) == 0) {
			kill_at(leaf->dirfd, leaf->events_fd);
			long long left = deadline - mono_ms();
			events_wait(leaf->events_fd, "populated", 0, left > 0 ? (int)left : 0);
		}
		leaf_close(leaf);
		if (rmdir_settled(leaf->path) < 0)
			warning("cannot remove cgroup '%s': %s", leaf->path, strerror(errno));
		free(leaf);
	}
	free(run->leaves);
	if (run->path[0] && rmdir_settled(run->path) < 0)
		warning("cannot remove cgroup '%s': %s", run->path, strerror(errno));
	memset(run, 0, sizeof(*run));
}

/* ---- stale runs ---------------------------------------------------------- */

/* "tribench-PID-STARTTIME", both numbers plain decimal: 0, or -1 for any other name. */
static int parse_run_name(const char *name, pid_t *pid, unsigned long long *start)
{
	static const char prefix[] = "tribench-";
	if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
		return -1;
	const char *p = name + sizeof(prefix) - 1;
	if (*p < '0' || *p > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long pv = strtoul(p, &end, 10);
	if (errno || *end != '-' || pv == 0 || pv > INT_MAX)
		return -1;
	p = end + 1;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	unsigned long long sv = strtoull(p, &end, 10);
	if (errno || *end != '\0')
		return -1;
	*pid = (pid_t)pv;
	*start = sv;
	return 0;
}

/*
 * Remove a cgroup directory and every cgroup beneath it, deepest first,
 * waiting (within deadline) for each to empty. Its processes must already
 * have been killed. 0, or -1 with errno.
 */
static int remove_tree(const char *path, long long deadline, int depth)
{
	if (depth > 16) {
		errno = ELOOP;
		return -1;
	}
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -1;
	int rc = 0, saved = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_type != DT_DIR || strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char *sub = xasprintf("%s/%s", path, e->d_name);
		if (remove_tree(sub, deadline, depth + 1) < 0 && rc == 0) {
			rc = -1;
			saved = errno;
		}
		free(sub);
	}
	closedir(d);
	int dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		int efd = openat(dfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
		if (efd >= 0) {
			long long left = deadline - mono_ms();
			events_wait(efd, "populated", 0, left > 0 ? (int)left : 0);
			close(efd);
		}
		close(dfd);
	}
	if (rmdir_settled(path) < 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	errno = saved;
	return rc;
}

/*
 * Kill everything in a stale run cgroup: cgroup.kill on the run covers its
 * subtree; without it, the freeze-and-kill fallback on the run and each leaf.
 */
static int kill_tree(const char *path)
{
	int dfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	int rc = write_at(dfd, "cgroup.kill", "1", 1);
	if (rc < 0 && errno == ENOENT) {
		int efd = openat(dfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
		rc = signal_frozen(dfd, efd, SIGKILL);
		if (efd >= 0)
			close(efd);
		DIR *d = opendir(path);
		struct dirent *e;
		while (d && (e = readdir(d)) != NULL) {
			if (e->d_type != DT_DIR || e->d_name[0] == '.')
				continue;
			char *sub = xasprintf("%s/%s", path, e->d_name);
			if (kill_tree(sub) < 0)
				rc = -1;
			free(sub);
		}
		if (d)
			closedir(d);
	}
	int saved = errno;
	close(dfd);
	errno = saved;
	return rc;
}

int cgroup_reap_stale(const struct cgroup_where *w, char **names)
{
	*names = NULL;
	if (w->version != 2 || w->self[0] == '\0')
		return 0;
	DIR *d = opendir(w->self);
	if (!d)
		return -1;
	const char *base = strcmp(w->self, "/") == 0 ? "" : w->self;
	int count = 0, failed = 0;
	size_t len = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		pid_t pid;
		unsigned long long start, now;
		if (e->d_type != DT_DIR || parse_run_name(e->d_name, &pid, &start) < 0)
			continue;
		if (proc_starttime(pid, &now) == 0 && now == start)
			continue;
		char *path = xasprintf("%s/%s", base, e->d_name);
		if (kill_tree(path) < 0 || remove_tree(path, mono_ms() + DESTROY_WAIT_MS, 0) < 0) {
			if (!failed)
				failed = errno;
			free(path);
			continue;
		}
		size_t plen = strlen(path);
		*names = xrealloc(*names, len + plen + 3);
		if (len)
			memcpy(*names + len, ", ", 2), len += 2;
		memcpy(*names + len, path, plen + 1);
		len += plen;
		count++;
		free(path);
	}
	closedir(d);
	if (failed) {
		errno = failed;
		return -1;
	}
	return count;
}

/* ---- a leaf's numbers: cpu.stat, PSI, memory.peak ----------------------- */

/* The number after "key " at the start of a line of text, NAN when absent. */
static double keyed_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) || p[klen] != ' ')
			continue;
		if (p[klen + 1] < '0' || p[klen + 1] > '9')
			return NAN;
		return strtod(p + klen + 1, NULL);
	}
	return NAN;
}

int cgroup_parse_cpu_stat(const char *text, double *usage_us, double *user_us, double *system_us)
{
	double usage = keyed_value(text, "usage_usec");
	if (isnan(usage))
		return -1;
	*usage_us = usage;
	*user_us = keyed_value(text, "user_usec");
	*system_us = keyed_value(text, "system_usec");
	return 0;
}

/* total= of the line starting with kind ("some" or "full"), NAN when absent. */
static double pressure_total(const char *text, const char *kind)
{
	size_t klen = strlen(kind);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, kind, klen) || p[klen] != ' ')
			continue;
		const char *eol = strchr(p, '\n');
		for (const char *q = p + klen; *q && (!eol || q < eol); q++)
			if (q[-1] == ' ' && !strncmp(q, "total=", 6))
				return q[6] >= '0' && q[6] <= '9' ? strtod(q + 6, NULL) : NAN;
		return NAN;
	}
	return NAN;
}

int cgroup_parse_pressure(const char *text, double *some_us, double *full_us)
{
	double some = pressure_total(text, "some");
	if (isnan(some))
		return -1;
	*some_us = some;
	*full_us = pressure_total(text, "full");
	return 0;
}

/* A small file under the leaf into buf (NUL-terminated): its length, or -1 with errno. */
static ssize_t leaf_read(const struct cgroup_leaf *leaf, const char *name, char *buf, size_t size)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", leaf->path, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t n = read_full(fd, buf, size - 1);
	int saved = errno;
	close(fd);
	if (n == 0 && saved) {
		errno = saved;
		return -1;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

/* A counter file of the leaf: through its kept descriptor (stat_fd[k],
 * opened on first use, read with pread from offset 0, which makes the kernel
 * print it anew) in a kept leaf, else opened and closed. As leaf_read. */
static ssize_t leaf_counters(struct cgroup_leaf *leaf, int k, const char *name, char *buf, size_t size)
{
	if (!leaf->keep)
		return leaf_read(leaf, name, buf, size);
	if (leaf->stat_fd[k] < 0) {
		if (leaf_open(leaf) < 0)
			return -1;
		if ((leaf->stat_fd[k] = openat(leaf->dirfd, name, O_RDONLY | O_CLOEXEC)) < 0)
			return -1;
	}
	size_t n = 0;
	for (;;) {
		ssize_t r = pread(leaf->stat_fd[k], buf + n, size - 1 - n, (off_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		n += (size_t)r;
		if (r == 0 || n == size - 1)
			break;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

int cgroup_stats_read(struct cgroup_leaf *leaf, struct cgroup_stats_raw *out)
{
	static const char *const files[] = {"cpu.pressure", "io.pressure", "memory.pressure"};
	char buf[1024];
	int unread = 0;
	out->usage_us = out->user_us = out->system_us = NAN;
	if (leaf_counters(leaf, 0, "cpu.stat", buf, sizeof(buf)) < 0 ||
	    cgroup_parse_cpu_stat(buf, &out->usage_us, &out->user_us, &out->system_us) < 0)
		unread++;
	for (int i = 0; i < CGROUP_PSI_COUNT; i++) {
		out->some_us[i] = out->full_us[i] = NAN;
		if (leaf_counters(leaf, 1 + i, files[i], buf, sizeof(buf)) < 0 ||
		    cgroup_parse_pressure(buf, &out->some_us[i], &out->full_us[i]) < 0)
			unread++;
	}
	return unread;
}

long long cgroup_memory_peak(const struct cgroup_leaf *leaf)
{
	char buf[64];
	if (leaf_read(leaf, "memory.peak", buf, sizeof(buf)) < 0)
		return -1;
	char *end;
	long long v = strtoll(buf, &end, 10);
	if (end == buf || v < 0) {
		errno = EINVAL;
		return -1;
	}
	return v;
}

static int push_pid(pid_t pid, void *arg)
{
	intlist_push(arg, (int)pid);
	return 0;
}

int cgroup_pids(const struct cgroup_leaf *leaf, bool threads, struct intlist *out)
{
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/%s", leaf->path, threads ? "cgroup.threads" : "cgroup.procs");
	return for_each_pid(AT_FDCWD, path, push_pid, out);
}
