/* The process limits a concurrent run must stay under: pid_max, the pids
 * cgroup controller, RLIMIT_NPROC. */
#include "config.h"
#include "admit.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probe.h"
#include "util.h"

/* The least room seen so far and what gave it. */
struct room {
	long room;                /* -1: no limit read yet */
	char *source;
};

static void consider(struct room *r, long limit, long used, char *what)
{
	long room = limit - used;
	if (room < 0)
		room = 0;
	if (r->room < 0 || room < r->room) {
		r->room = room;
		free(r->source);
		r->source = what;
	} else {
		free(what);
	}
}

static long read_long(const char *path, bool *is_max)
{
	char buf[64];
	if (is_max)
		*is_max = false;
	if (probe_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	if (is_max && strncmp(buf, "max", 3) == 0) {
		*is_max = true;
		return -1;
	}
	char *end;
	long v = strtol(buf, &end, 10);
	return end == buf ? -1 : v;
}

/* kernel.pid_max less every thread now (/proc/loadavg: running/total). */
static void pid_max_room(struct room *r)
{
	long max = read_long("/proc/sys/kernel/pid_max", NULL);
	char buf[128];
	const char *slash;
	if (max <= 0 || probe_read_file("/proc/loadavg", buf, sizeof(buf)) <= 0 || !(slash = strchr(buf, '/')))
		return;
	long now = strtol(slash + 1, NULL, 10);
	consider(r, max, now, xasprintf("kernel.pid_max %ld less %ld threads now", max, now));
}

/* Does the comma-separated list hold word? */
static bool has_word(const char *list, size_t len, const char *word)
{
	size_t w = strlen(word);
	for (const char *p = list; p < list + len;) {
		const char *comma = memchr(p, ',', (size_t)(list + len - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(list + len - p);
		if (n == w && memcmp(p, word, w) == 0)
			return true;
		p += n + 1;
	}
	return false;
}

/* Our cgroup path in the hierarchy with the pids controller (v1: its line in
 * /proc/self/cgroup; else v2's "0::"), and whether it is v2. NULL: none. */
static char *own_cgroup(bool *v2)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return NULL;
	char line[4096], *v1 = NULL, *unified = NULL;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		if (!v1 && has_word(c1 + 1, (size_t)(c2 - c1 - 1), "pids"))
			v1 = xstrdup(c2 + 1);
		else if (c2 == c1 + 1 && strncmp(line, "0:", 2) == 0 && !unified)
			unified = xstrdup(c2 + 1);
	}
	fclose(f);
	*v2 = !v1;
	if (v1) {
		free(unified);
		return v1;
	}
	return unified;
}

/* The mount of the pids hierarchy (v1: a cgroup mount with "pids" in its
 * super options; v2: the cgroup2 mount) as mount point and root. */
static bool pids_mount(bool v2, char **point, char **root)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return false;
	char line[4096];
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		char mroot[PATH_MAX], mpoint[PATH_MAX], fstype[64], opts[1024];
		const char *dash = strstr(line, " - ");
		if (!dash || sscanf(line, "%*s %*s %*s %4095s %4095s", mroot, mpoint) != 2 ||
		    sscanf(dash + 3, "%63s %*s %1023s", fstype, opts) != 2)
			continue;
		if (v2 ? strcmp(fstype, "cgroup2") == 0
		       : strcmp(fstype, "cgroup") == 0 && has_word(opts, strlen(opts), "pids")) {
			*point = xstrdup(mpoint);
			*root = xstrdup(mroot);
			found = true;
		}
	}
	fclose(f);
	return found;
}

/* pids.max less pids.current of our cgroup and every ancestor below the mount. */
static void pids_room(struct room *r)
{
	bool v2;
	char *cg = own_cgroup(&v2), *point = NULL, *root = NULL;
	if (!cg || !pids_mount(v2, &point, &root)) {
		free(cg);
		return;
	}
	/* our path as the mount shows it: less the mount's root ("/" mostly) */
	const char *rel = cg;
	size_t rl = strlen(root);
	if (strcmp(root, "/") != 0 && strncmp(cg, root, rl) == 0 && (cg[rl] == '/' || !cg[rl]))
		rel = cg + rl;
	char *dir = xasprintf("%s%s", point, strcmp(rel, "/") == 0 ? "" : rel);
	size_t floor = strlen(point);
	for (;;) {
		char *pm = xasprintf("%s/pids.max", dir), *pc = xasprintf("%s/pids.current", dir);
		bool unlimited;
		long max = read_long(pm, &unlimited), cur = read_long(pc, NULL);
		if (max >= 0 && cur >= 0)
			consider(r, max, cur, xasprintf("pids.max %ld less pids.current %ld of %s", max, cur, dir));
		free(pm);
		free(pc);
		char *slash = strrchr(dir, '/');
		if (!slash || (size_t)(slash - dir) < floor)
			break;
		*slash = '\0';
	}
	free(dir);
	free(cg);
	free(point);
	free(root);
}

/* RLIMIT_NPROC less the threads of our user (the owner of /proc/PID). */
static void nproc_room(struct room *r)
{
	struct rlimit rl;
	if (geteuid() == 0 || getrlimit(RLIMIT_NPROC, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return;
	DIR *d = opendir("/proc");
	if (!d)
		return;
	uid_t uid = getuid();
	long used = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		char path[300], buf[4096];
		struct stat st;
		snprintf(path, sizeof(path), "/proc/%s", e->d_name);
		if (stat(path, &st) < 0 || st.st_uid != uid)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		const char *th = probe_read_file(path, buf, sizeof(buf)) > 0 ? strstr(buf, "\nThreads:") : NULL;
		used += th ? strtol(th + 9, NULL, 10) : 1;
	}
	closedir(d);
	consider(r, (long)rl.rlim_cur, used,
		 xasprintf("RLIMIT_NPROC %ld less %ld threads of uid %d", (long)rl.rlim_cur, used, (int)uid));
}

long admit_bound(char **source)
{
	struct room r = {-1, NULL};
	pid_max_room(&r);
	pids_room(&r);
	nproc_room(&r);
	*source = r.source;
	if (r.room < 0)
		return -1;
	long margin = r.room / 8 < 8 ? 8 : r.room / 8;
	return r.room - margin < 1 ? 1 : r.room - margin;
}

long admit_cap(long planned, char **source)
{
	*source = NULL;
	if (planned <= 1)
		return planned;
	char *why;
	long bound = admit_bound(&why);
	if (bound >= 1 && bound < planned) {
		*source = why;
		return bound;
	}
	free(why);
	return planned;
}
