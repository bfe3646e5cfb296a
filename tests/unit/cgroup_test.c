/*
 * Unit tests of cgroup.c: discovery from fixed /proc texts, the refusals of
 * cgroup_run_create, and (as root on a writable cgroup2 hierarchy) live runs:
 * leaves, kill, signal, join, reap. Live tests skip visibly elsewhere.
 */
#include "config.h"
#include "cgroup.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

/* ---- discovery fixtures -------------------------------------------------- */

static void discover_pure_v2(void **state)
{
	(void)state;
	static const char mi[] =
		"24 30 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
		"25 30 0:23 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
		"30 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro\n"
		"35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 "
		"rw,nsdelegate,memory_recursiveprot\n";
	static const char cg[] = "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
				 "app-org.gnome.Terminal.slice/vte-spawn-1234.scope\n";
	struct cgroup_where w;
	assert_int_equal(cgroup_discover_text(mi, cg, &w), 0);
	assert_int_equal(w.version, 2);
	assert_false(w.hybrid);
	assert_string_equal(w.mount, "/sys/fs/cgroup");
	assert_string_equal(w.self, "/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/"
				    "app.slice/app-org.gnome.Terminal.slice/vte-spawn-1234.scope");
}

/* This machine's texts (cat /proc/self/mountinfo /proc/self/cgroup), cut down. */
static const char hybrid_mi[] =
	"22 1 0:21 / /sys rw,relatime - sysfs sysfs rw\n"
	"30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
	"31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
	"34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
	"38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
	"39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
	"40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";

static void discover_hybrid(void **state)
{
	(void)state;
	static const char cg[] = "9:name=systemd:/\n8:pids:/\n"
				 "4:memory:/process_api/48ecd8a7618259217d8b53dff2229b4b\n1:cpu:/\n0::/\n";
	struct cgroup_where w;
	assert_int_equal(cgroup_discover_text(hybrid_mi, cg, &w), 0);
	assert_int_equal(w.version, 2);
	assert_true(w.hybrid);
	assert_string_equal(w.mount, "/sys/fs/cgroup/unified");
	assert_string_equal(w.self, "/sys/fs/cgroup/unified");

	/* a systemd hybrid host puts us in a session scope */
	assert_int_equal(cgroup_discover_text(hybrid_mi, "1:cpu:/\n0::/user.slice/session-3.scope\n", &w), 0);
	assert_string_equal(w.self, "/sys/fs/cgroup/unified/user.slice/session-3.scope");
}

static void discover_v1_only(void **state)
{
	(void)state;
	static const char mi[] =
		"25 19 0:21 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:8 - tmpfs tmpfs ro,mode=755\n"
		"26 25 0:22 / /sys/fs/cgroup/systemd rw,nosuid shared:9 - cgroup cgroup "
		"rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd\n"
		"28 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpuacct,cpu\n";
	static const char cg[] = "11:cpuset:/\n2:cpuacct,cpu:/user.slice\n1:name=systemd:/user.slice/session-1.scope\n";
	struct cgroup_where w;
	memset(&w, 'x', sizeof(w));
	assert_int_equal(cgroup_discover_text(mi, cg, &w), 0);
	assert_int_equal(w.version, 1);
	assert_false(w.hybrid);
	assert_string_equal(w.mount, "");
	assert_string_equal(w.self, "");

	/* no cgroup mount at all (and no cgroup file): version 0 */
	assert_int_equal(cgroup_discover_text("30 1 8:1 / / rw - ext4 /dev/sda1 rw\n", "", &w), 0);
	assert_int_equal(w.version, 0);
	assert_string_equal(w.self, "");
}

static void discover_namespaced_container(void **state)
{
	(void)state;
	/* docker with a private cgroupns: a fresh mount, ROOT "/", and 0::/ */
	static const char mi[] =
		"590 580 0:51 / / rw,relatime master:300 - overlay overlay rw,lowerdir=/l,upperdir=/u\n"
		"680 590 0:27 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup ro,nsdelegate\n";
	struct cgroup_where w;
	assert_int_equal(cgroup_discover_text(mi, "0::/\n", &w), 0);
	assert_int_equal(w.version, 2);
	assert_false(w.hybrid);
	assert_string_equal(w.mount, "/sys/fs/cgroup");
	assert_string_equal(w.self, "/sys/fs/cgroup");

	/* a cgroupns whose mount came from outside: ROOT is not "/", we sit at its top */
	static const char mi2[] = "680 590 0:27 /docker/abc /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
	assert_int_equal(cgroup_discover_text(mi2, "0::/\n", &w), 0);
	assert_string_equal(w.self, "/sys/fs/cgroup");
}

static void discover_bind_mounted_container(void **state)
{
	(void)state;
	/* no cgroupns: the host's /docker/abc bind-mounted, and the full path in /proc/self/cgroup */
	static const char mi[] = "680 590 0:27 /docker/abc /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n";
	struct cgroup_where w;
	assert_int_equal(cgroup_discover_text(mi, "0::/docker/abc\n", &w), 0);
	assert_int_equal(w.version, 2);
	assert_string_equal(w.self, "/sys/fs/cgroup");
	assert_int_equal(cgroup_discover_text(mi, "0::/docker/abc/init.scope\n", &w), 0);
	assert_string_equal(w.self, "/sys/fs/cgroup/init.scope");
	/* "/docker/abcdef" is not beneath "/docker/abc": outside the mount, self unknown */
	assert_int_equal(cgroup_discover_text(mi, "0::/docker/abcdef\n", &w), 0);
	assert_int_equal(w.version, 2);
	assert_string_equal(w.self, "");

	/* two cgroup2 mounts: the one that shows our cgroup wins */
	static const char two[] = "60 1 0:27 /other /mnt/other rw - cgroup2 cgroup2 rw\n"
				  "61 1 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n";
	assert_int_equal(cgroup_discover_text(two, "0::/docker/abc\n", &w), 0);
	assert_string_equal(w.mount, "/sys/fs/cgroup");
	assert_string_equal(w.self, "/sys/fs/cgroup/docker/abc");
}

static void discover_escapes_and_optional_fields(void **state)
{
	(void)state;
	/* a space in the mount point is \040; any number of optional fields before "-" */
	static const char mi[] =
		"70 1 0:40 / /mnt/cg\\040two rw shared:5 master:2 propagate_from:1 - cgroup2 none rw\n";
	struct cgroup_where w;
	assert_int_equal(cgroup_discover_text(mi, "0::/a:b/c\n", &w), 0);
	assert_string_equal(w.mount, "/mnt/cg two");
	/* the path may hold ':' */
	assert_string_equal(w.self, "/mnt/cg two/a:b/c");
	/* a mount at "/" gives no double slash */
	assert_int_equal(cgroup_discover_text("70 1 0:40 / / rw - cgroup2 none rw\n", "0::/x\n", &w), 0);
	assert_string_equal(w.self, "/x");
}

static void discover_malformed(void **state)
{
	(void)state;
	static const char *const bad_mi[] = {
		"",                                                       /* no mounts at all */
		"\n\n",                                                   /* still none */
		"35 24 0:30 / /sys/fs/cgroup rw cgroup2 cgroup2 rw\n",    /* no "-" */
		"35 24 0:30 / /sys/fs/cgroup rw - cgroup2\n",             /* no source, no superopts */
		"hello world\n",                                          /* not mountinfo */
		"35 24 0:30 relative /sys/fs/cgroup rw - cgroup2 c rw\n", /* ROOT not absolute */
		"30 1 8:1 / / rw - ext4 /dev/sda1 rw\ngarbage line here and - more\n",
	};
	struct cgroup_where w;
	for (size_t i = 0; i < sizeof(bad_mi) / sizeof(bad_mi[0]); i++) {
		memset(&w, 'x', sizeof(w));
		errno = 0;
		assert_int_equal(cgroup_discover_text(bad_mi[i], "0::/\n", &w), -1);
		assert_int_equal(errno, EINVAL);
		assert_int_equal(w.version, 0);
		assert_string_equal(w.self, "");
	}
	static const char *const bad_cg[] = {"garbage\n", "0::relative\n", "x::/\n", "0:/\n", ":cpu:/\n",
					     "0::\n"};
	for (size_t i = 0; i < sizeof(bad_cg) / sizeof(bad_cg[0]); i++) {
		memset(&w, 'x', sizeof(w));
		assert_int_equal(cgroup_discover_text(hybrid_mi, bad_cg[i], &w), -1);
		assert_int_equal(w.version, 0);
	}
	assert_int_equal(cgroup_discover_text(NULL, "0::/\n", &w), -1);
	assert_int_equal(cgroup_discover_text(hybrid_mi, NULL, &w), -1);

	/* a path longer than PATH_MAX */
	char *longcg = malloc(PATH_MAX + 16);
	assert_non_null(longcg);
	strcpy(longcg, "0::/");
	memset(longcg + 4, 'a', PATH_MAX);
	longcg[PATH_MAX + 4] = '\0';
	assert_int_equal(cgroup_discover_text(hybrid_mi, longcg, &w), -1);
	free(longcg);
}

static void discover_this_process(void **state)
{
	(void)state;
	struct cgroup_where w;
	assert_int_equal(cgroup_discover(&w), 0);
	if (w.version == 2 && w.self[0]) {
		struct stat st;
		assert_int_equal(stat(w.self, &st), 0);
		assert_true(S_ISDIR(st.st_mode));
		char procs[PATH_MAX + 16];
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", w.self);
		assert_int_equal(access(procs, R_OK), 0);
	}
}

static void starttime_after_last_paren(void **state)
{
	(void)state;
	/* comm "a) (b c) 9" tries to fool a parser that stops at the first ')' */
	char line[1024];
	int n = snprintf(line, sizeof(line), "4242 (a) (b c) 9) S");
	for (int field = 4; field <= 52; field++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %d", field == 22 ? 987654 : field);
	snprintf(line + n, sizeof(line) - (size_t)n, "\n");
	unsigned long long t = 0;
	assert_int_equal(cgroup_parse_starttime(line, &t), 0);
	assert_int_equal(t, 987654);
	assert_int_equal(cgroup_parse_starttime("4242 (x) S 1 2 3\n", &t), -1);
	assert_int_equal(cgroup_parse_starttime("no paren", &t), -1);
}

/* ---- refusals: nothing made, nothing printed ----------------------------- */

/* Run create with stderr sent to a file; returns its result, *err its errno, *printed the bytes written. */
static int create_quietly(const struct cgroup_where *w, struct cgroup_run *run, int *err, long *printed)
{
	char tmpl[] = "/tmp/cgroup_test_stderr.XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	unlink(tmpl);
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	errno = 0;
	int rc = cgroup_run_create(w, run);
	*err = errno;
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	*printed = lseek(fd, 0, SEEK_END);
	close(fd);
	return rc;
}

static void create_refuses_where_not_cgroup2(void **state)
{
	(void)state;
	struct cgroup_where w = {.version = 2};
	struct cgroup_run run;
	int err;
	long printed;

	strcpy(w.self, "/nonexistent/cgroup_test/here");
	assert_int_equal(create_quietly(&w, &run, &err, &printed), -1);
	assert_int_equal(err, ENOENT);
	assert_int_equal(printed, 0);
	assert_string_equal(run.path, "");
	cgroup_run_destroy(&run); /* zeroed by the failed create: safe */

	/* a writable directory that is not cgroupfs: refused, nothing made in it */
	char dir[] = "/tmp/cgroup_test_dir.XXXXXX";
	assert_non_null(mkdtemp(dir));
	strcpy(w.self, dir);
	assert_int_equal(create_quietly(&w, &run, &err, &printed), -1);
	assert_int_equal(err, ENOTSUP);
	assert_int_equal(printed, 0);
	assert_int_equal(rmdir(dir), 0); /* still empty */

	strcpy(w.self, "/proc/self");
	assert_int_equal(create_quietly(&w, &run, &err, &printed), -1);
	assert_int_equal(err, ENOTSUP);

	/* no cgroup2, or self unknown */
	w.version = 1;
	assert_int_equal(create_quietly(&w, &run, &err, &printed), -1);
	assert_int_equal(err, ENOENT);
	w.version = 2;
	w.self[0] = '\0';
	assert_int_equal(create_quietly(&w, &run, &err, &printed), -1);
	assert_int_equal(err, ENOENT);
	assert_int_equal(printed, 0);
}

static void destroy_never_created(void **state)
{
	(void)state;
	struct cgroup_run run;
	memset(&run, 0, sizeof(run));
	cgroup_run_destroy(&run);
	cgroup_run_destroy(&run);
	struct cgroup_leaf *leaf = (void *)1;
	assert_int_equal(cgroup_leaf_get(&run, &leaf), -1);
	assert_null(leaf);
	char *names = (char *)1;
	struct cgroup_where none = {.version = 1};
	assert_int_equal(cgroup_reap_stale(&none, &names), 0);
	assert_null(names);
}

/* ---- live tests ------------------------------------------------------------ */

static struct cgroup_where live_where;
static struct cgroup_run live_run;
static char fake_dirs[5][PATH_MAX + 64];

/* Root on a cgroup2 hierarchy whose self cgroup is on cgroupfs; else skip, saying why. */
static void need_live(void)
{
	if (geteuid() != 0) {
		print_message("# not root: live cgroup tests skipped\n");
		skip();
	}
	if (cgroup_discover(&live_where) < 0 || live_where.version != 2 || !live_where.self[0]) {
		print_message("# no cgroup2 hierarchy with a known self cgroup: live tests skipped\n");
		skip();
	}
}

/* need_live, and a run cgroup in live_run, or skip when the hierarchy is read-only. */
static void need_live_run(void)
{
	need_live();
	if (cgroup_run_create(&live_where, &live_run) < 0) {
		if (errno == EACCES || errno == EROFS || errno == EPERM) {
			print_message("# %s not writable (%s): live tests skipped\n", live_where.self, strerror(errno));
			skip();
		}
		fail_msg("cgroup_run_create: %s", strerror(errno));
	}
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Fork a child that joins leaf and forks a grandchild in its own session
 * (setsid, so no process-group kill reaches it); both sleep. Returns the
 * child's pid once the grandchild is up; *grand gets its pid.
 */
static pid_t spawn_tree(const struct cgroup_leaf *leaf, pid_t *grand)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		close(fds[0]);
		if (cgroup_join(leaf, getpid()) < 0)
			_exit(100);
		pid_t g = fork();
		if (g == 0) {
			if (setsid() < 0)
				_exit(101);
			pid_t me = getpid();
			if (write(fds[1], &me, sizeof(me)) != (ssize_t)sizeof(me))
				_exit(102);
			for (;;)
				pause();
		}
		close(fds[1]);
		for (;;)
			pause();
	}
	close(fds[1]);
	*grand = 0;
	ssize_t n = read(fds[0], grand, sizeof(*grand));
	close(fds[0]);
	if (n != (ssize_t)sizeof(*grand)) {
		int status;
		waitpid(child, &status, 0);
		fail_msg("the tree did not start (child status %#x)", status);
	}
	return child;
}

/* Reap pid (our child, or an orphan of ours as subreaper) and give the signal that ended it. */
static int reaped_signal(pid_t pid)
{
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	return WTERMSIG(status);
}

static int teardown_live(void **state)
{
	(void)state;
	cgroup_run_destroy(&live_run);
	for (size_t i = 0; i < sizeof(fake_dirs) / sizeof(fake_dirs[0]); i++) {
		if (!fake_dirs[i][0])
			continue;
		char sub[PATH_MAX + 128];
		if (snprintf(sub, sizeof(sub), "%s/cgroup.kill", fake_dirs[i]) >= (int)sizeof(sub))
			continue;
		int fd = open(sub, O_WRONLY);
		if (fd >= 0) {
			(void)!write(fd, "1", 1);
			close(fd);
		}
		if (snprintf(sub, sizeof(sub), "%s/t0", fake_dirs[i]) >= (int)sizeof(sub))
			continue;
		for (int k = 0; k < 50 && (rmdir(sub) == 0 ? 0 : errno == EBUSY); k++)
			usleep(20000);
		for (int k = 0; k < 50 && (rmdir(fake_dirs[i]) == 0 ? 0 : errno == EBUSY); k++)
			usleep(20000);
		fake_dirs[i][0] = '\0';
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return 0;
}

static void live_kill_whole_tree(void **state)
{
	(void)state;
	need_live_run();
	char expect[PATH_MAX + 64];
	snprintf(expect, sizeof(expect), "%s/tribench-%d-", strcmp(live_where.self, "/") ? live_where.self : "",
		 (int)getpid());
	assert_memory_equal(live_run.path, expect, strlen(expect));

	struct cgroup_leaf *leaf;
	assert_int_equal(cgroup_leaf_get(&live_run, &leaf), 0);
	assert_int_equal(leaf->index, 0);
	assert_true(leaf->busy);
	assert_true(leaf->dirfd >= 0 && leaf->events_fd >= 0);
	assert_int_equal(cgroup_populated(leaf), 0);
	assert_int_equal(cgroup_count(leaf), 0);

	pid_t grand, child = spawn_tree(leaf, &grand);
	assert_int_equal(cgroup_count(leaf), 2);
	assert_int_equal(cgroup_populated(leaf), 1);
	/* not empty: the wait times out */
	assert_int_equal(cgroup_wait_empty(leaf, 50), -1);
	assert_int_equal(errno, ETIMEDOUT);

	long long t0 = now_ms();
	assert_int_equal(cgroup_kill(leaf), 0);
	assert_int_equal(cgroup_wait_empty(leaf, 1000), 0);
	long long waited = now_ms() - t0;
	print_message("# kill to empty: %lld ms\n", waited);
	assert_true(waited < 1000);
	assert_int_equal(reaped_signal(child), SIGKILL);
	assert_int_equal(reaped_signal(grand), SIGKILL);
	assert_int_equal(cgroup_count(leaf), 0);

	/* handed back empty: the next get reuses its place (a killed leaf is
	 * made anew under the same name: see cgroup_leaf_put); two at once make
	 * a second */
	cgroup_leaf_put(&live_run, leaf);
	struct cgroup_leaf *again, *second;
	assert_int_equal(cgroup_leaf_get(&live_run, &again), 0);
	assert_int_equal(again->index, 0);
	assert_false(again->killed);
	leaf = again;
	assert_int_equal(cgroup_leaf_get(&live_run, &second), 0);
	assert_ptr_not_equal(second, leaf);
	assert_int_equal(second->index, 1);
	assert_int_equal(live_run.nleaves, 2);
	cgroup_leaf_put(&live_run, again);
	cgroup_leaf_put(&live_run, second);
	for (int i = 0; i < 10; i++) {
		assert_int_equal(cgroup_leaf_get(&live_run, &again), 0);
		cgroup_leaf_put(&live_run, again);
	}
	assert_int_equal(live_run.nleaves, 2);

	/* destroy kills what is left and removes leaves and run */
	char runpath[PATH_MAX], leafpath[PATH_MAX];
	strcpy(runpath, live_run.path);
	strcpy(leafpath, second->path);
	assert_int_equal(cgroup_leaf_get(&live_run, &leaf), 0);
	child = spawn_tree(leaf, &grand);
	cgroup_run_destroy(&live_run);
	assert_int_equal(reaped_signal(child), SIGKILL);
	assert_int_equal(reaped_signal(grand), SIGKILL);
	assert_int_equal(access(leafpath, F_OK), -1);
	assert_int_equal(access(runpath, F_OK), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(live_run.path, "");
	assert_int_equal(live_run.nleaves, 0);
}

/* The frozen freezer state of a leaf, from cgroup.events. */
static int frozen(const struct cgroup_leaf *leaf)
{
	char path[PATH_MAX + 32], buf[256];
	snprintf(path, sizeof(path), "%s/cgroup.events", leaf->path);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strstr(buf, "frozen ");
	assert_non_null(p);
	return p[7] - '0';
}

static void live_signal_reaches_other_session(void **state)
{
	(void)state;
	need_live_run();
	struct cgroup_leaf *leaf;
	assert_int_equal(cgroup_leaf_get(&live_run, &leaf), 0);
	pid_t grand, child = spawn_tree(leaf, &grand);
	assert_int_equal(cgroup_count(leaf), 2);
	assert_int_equal(cgroup_signal(leaf, SIGTERM), 0);
	assert_int_equal(reaped_signal(child), SIGTERM);
	assert_int_equal(reaped_signal(grand), SIGTERM);
	assert_int_equal(cgroup_wait_empty(leaf, 1000), 0);
	assert_int_equal(frozen(leaf), 0); /* thawed again */

	/* SIGKILL through the freezer (the path of kernels without cgroup.kill) */
	child = spawn_tree(leaf, &grand);
	assert_int_equal(cgroup_signal(leaf, SIGKILL), 0);
	assert_int_equal(cgroup_wait_empty(leaf, 1000), 0);
	assert_int_equal(reaped_signal(child), SIGKILL);
	assert_int_equal(reaped_signal(grand), SIGKILL);
	assert_int_equal(frozen(leaf), 0);
	cgroup_leaf_put(&live_run, leaf);
}

/* mkdir <parent>/<name>, remembered for the teardown (slots in removal order). */
static const char *fake_run(int slot, const char *parent, const char *name)
{
	snprintf(fake_dirs[slot], sizeof(fake_dirs[slot]), "%s/%s", strcmp(parent, "/") ? parent : "", name);
	assert_int_equal(mkdir(fake_dirs[slot], 0755), 0);
	return fake_dirs[slot];
}

static void live_reap_stale(void **state)
{
	(void)state;
	need_live_run();

	/*
	 * The fake runs live in a private parent cgroup, not beside the real
	 * runs: any tribench that starts meanwhile (make check runs tests in
	 * parallel) reaps stale runs beside its own and would take ours first.
	 */
	char pname[64];
	snprintf(pname, sizeof(pname), "cgroup_test-%d", (int)getpid());
	struct cgroup_where priv = live_where;
	snprintf(priv.self, sizeof(priv.self), "%s", fake_run(4, live_where.self, pname));

	/* a dead owner: a pid that has just exited and been reaped */
	pid_t dead = fork();
	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	assert_int_equal(kill(dead, 0), -1);

	char name[64];
	snprintf(name, sizeof(name), "tribench-%d-1", (int)dead);
	const char *stale_dead = fake_run(0, priv.self, name);
	char t0[PATH_MAX + 64];
	snprintf(t0, sizeof(t0), "%s/t0", stale_dead);
	assert_int_equal(mkdir(t0, 0755), 0);
	struct cgroup_leaf fake = {.dirfd = open(t0, O_PATH | O_DIRECTORY | O_CLOEXEC), .events_fd = -1};
	assert_true(fake.dirfd >= 0);
	pid_t grand, child = spawn_tree(&fake, &grand);
	assert_int_equal(cgroup_count(&fake), 2);
	close(fake.dirfd);

	/* a live pid (ours) with another start time: the pid was reused */
	const char *slash = strrchr(live_run.path, '-');
	unsigned long long start = strtoull(slash + 1, NULL, 10);
	snprintf(name, sizeof(name), "tribench-%d-%llu", (int)getpid(), start + 1);
	const char *stale_reused = fake_run(1, priv.self, name);
	/* our pid with our start time: a live run, left alone */
	snprintf(name, sizeof(name), "tribench-%d-%llu", (int)getpid(), start);
	const char *live = fake_run(3, priv.self, name);
	/* not a run name: left alone */
	const char *other = fake_run(2, priv.self, "tribench-x-1");

	char *names = NULL;
	int n = cgroup_reap_stale(&priv, &names);
	assert_int_equal(n, 2);
	assert_non_null(names);
	print_message("# reaped: %s\n", names);
	assert_non_null(strstr(names, stale_dead));
	assert_non_null(strstr(names, stale_reused));
	assert_null(strstr(names, live));
	free(names);
	assert_int_equal(reaped_signal(child), SIGKILL);
	assert_int_equal(reaped_signal(grand), SIGKILL);
	assert_int_equal(access(stale_dead, F_OK), -1);
	assert_int_equal(access(stale_reused, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);

	/* nothing stale any more */
	names = NULL;
	assert_int_equal(cgroup_reap_stale(&priv, &names), 0);
	assert_null(names);
}

/* Exit codes of the refusal children beside an errno. */
enum { CHILD_NO_SETUP = 200, CHILD_PRINTED = 201 };

/* In a child: create a run, stderr into a pipe-less file; exit with errno, or CHILD_PRINTED. */
static void child_create(const struct cgroup_where *w)
{
	char tmpl[] = "/tmp/cgroup_test_child.XXXXXX";
	int fd = mkstemp(tmpl);
	if (fd < 0)
		_exit(CHILD_NO_SETUP);
	unlink(tmpl);
	dup2(fd, 2);
	struct cgroup_run run;
	int rc = cgroup_run_create(w, &run);
	int err = errno;
	if (rc == 0) {
		cgroup_run_destroy(&run);
		_exit(0);
	}
	if (lseek(fd, 0, SEEK_END) != 0)
		_exit(CHILD_PRINTED);
	_exit(err);
}

static void live_create_not_writable(void **state)
{
	(void)state;
	need_live();

	/* an unprivileged user on root's cgroup: EACCES, nothing printed */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0)
			_exit(CHILD_NO_SETUP);
		child_create(&live_where);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	struct stat st;
	assert_int_equal(stat(live_where.self, &st), 0);
	if (st.st_uid == 0 && (st.st_mode & 0002) == 0)
		assert_int_equal(WEXITSTATUS(status), EACCES);

	/* a read-only mount of the hierarchy (a private mount namespace): EROFS */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
		    mount(live_where.mount, live_where.mount, NULL, MS_BIND, NULL) < 0 ||
		    mount(NULL, live_where.mount, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0)
			_exit(CHILD_NO_SETUP);
		child_create(&live_where);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == CHILD_NO_SETUP) {
		print_message("# cannot make a read-only bind mount here: EROFS case skipped\n");
		skip();
	}
	assert_int_equal(WEXITSTATUS(status), EROFS);
}

/* ---- a leaf's numbers ----------------------------------------------------- */

static void cpu_stat_parse(void **state)
{
	(void)state;
	double usage = 0, user = 0, sys = 0;
	assert_int_equal(cgroup_parse_cpu_stat("usage_usec 964035\nuser_usec 760028\nsystem_usec 204007\n"
					       "nr_periods 0\nnr_throttled 0\n",
					       &usage, &user, &sys),
			 0);
	assert_true(usage == 964035 && user == 760028 && sys == 204007);
	/* a key that only begins like another is not it */
	assert_int_equal(cgroup_parse_cpu_stat("usage_usec_x 5\nusage_usec 7\nsystem_usec 2\n", &usage,
					       &user, &sys),
			 0);
	assert_true(usage == 7 && isnan(user) && sys == 2);
	usage = 42;
	assert_int_equal(cgroup_parse_cpu_stat("user_usec 1\nsystem_usec 2\n", &usage, &user, &sys), -1);
	assert_int_equal(cgroup_parse_cpu_stat("usage_usec \n", &usage, &user, &sys), -1);
	assert_int_equal(cgroup_parse_cpu_stat("", &usage, &user, &sys), -1);
	assert_true(usage == 42);	/* untouched on failure */
}

static void pressure_parse(void **state)
{
	(void)state;
	double some = 0, full = 0;
	assert_int_equal(cgroup_parse_pressure("some avg10=1.50 avg60=0.20 avg300=0.00 total=300684\n"
					       "full avg10=0.00 avg60=0.00 avg300=0.00 total=305\n",
					       &some, &full),
			 0);
	assert_true(some == 300684 && full == 305);
	/* a kernel before 5.13 has no "full" line in cpu.pressure */
	assert_int_equal(cgroup_parse_pressure("some avg10=0.00 avg60=0.00 avg300=0.00 total=12\n", &some,
					       &full),
			 0);
	assert_true(some == 12 && isnan(full));
	/* "full" first, and a full line without total */
	assert_int_equal(cgroup_parse_pressure("full avg10=0.00 total=\nsome avg10=0.00 total=9", &some, &full),
			 0);
	assert_true(some == 9 && isnan(full));
	some = 42;
	assert_int_equal(cgroup_parse_pressure("some avg10=0.00 avg60=0.00 avg300=0.00\n", &some, &full), -1);
	assert_int_equal(cgroup_parse_pressure("full avg10=0.00 total=5\n", &some, &full), -1);
	assert_int_equal(cgroup_parse_pressure("something total=5\n", &some, &full), -1);
	assert_true(some == 42);
}

/* A busy child in a leaf: its CPU shows in cpu.stat, its pid in both lists. */
static void live_leaf_stats(void **state)
{
	(void)state;
	need_live_run();
	struct cgroup_leaf *leaf;
	assert_int_equal(cgroup_leaf_get(&live_run, &leaf), 0);
	struct cgroup_stats_raw before, after;
	assert_int_equal(cgroup_stats_read(leaf, &before), 0);
	assert_true(before.usage_us >= 0);
	for (int i = 0; i < CGROUP_PSI_COUNT; i++)
		assert_true(before.some_us[i] >= 0);
	int pipefd[2];
	assert_int_equal(pipe(pipefd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char c;
		if (cgroup_join(leaf, getpid()) < 0 || read(pipefd[0], &c, 1) != 1)
			_exit(1);
		long long end = now_ms() + 100;
		while (now_ms() < end)
			;
		_exit(0);
	}
	close(pipefd[0]);
	/* joined once the child is listed */
	struct intlist procs = {0}, threads = {0};
	for (int k = 0; k < 200 && procs.n == 0; k++) {
		procs.n = 0;
		cgroup_pids(leaf, false, &procs);
		if (!procs.n)
			usleep(5000);
	}
	assert_int_equal(procs.n, 1);
	assert_int_equal(procs.v[0], pid);
	assert_int_equal(cgroup_pids(leaf, true, &threads), 1);
	assert_int_equal(threads.v[0], pid);
	intlist_free(&procs);
	intlist_free(&threads);
	assert_int_equal(write(pipefd[1], "x", 1), 1);
	close(pipefd[1]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(cgroup_stats_read(leaf, &after), 0);
	/* 100 ms of spinning, less whatever a shared machine took from it */
	assert_true(after.usage_us - before.usage_us >= 20000);
	assert_true(after.usage_us - before.usage_us < 5000000);
	long long peak = cgroup_memory_peak(leaf);
	assert_true(peak >= 0 || errno == ENOENT);
	cgroup_wait_empty(leaf, 2000);
	cgroup_leaf_put(&live_run, leaf);
}

int main(void)
{
	/* Orphaned grandchildren come to us, so their end can be checked. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(discover_pure_v2),
		cmocka_unit_test(discover_hybrid),
		cmocka_unit_test(discover_v1_only),
		cmocka_unit_test(discover_namespaced_container),
		cmocka_unit_test(discover_bind_mounted_container),
		cmocka_unit_test(discover_escapes_and_optional_fields),
		cmocka_unit_test(discover_malformed),
		cmocka_unit_test(discover_this_process),
		cmocka_unit_test(starttime_after_last_paren),
		cmocka_unit_test(create_refuses_where_not_cgroup2),
		cmocka_unit_test(destroy_never_created),
		cmocka_unit_test_teardown(live_kill_whole_tree, teardown_live),
		cmocka_unit_test_teardown(live_signal_reaches_other_session, teardown_live),
		cmocka_unit_test_teardown(live_reap_stale, teardown_live),
		cmocka_unit_test(live_create_not_writable),
		cmocka_unit_test(cpu_stat_parse),
		cmocka_unit_test(pressure_parse),
		cmocka_unit_test_teardown(live_leaf_stats, teardown_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
