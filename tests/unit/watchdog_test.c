/* Unit tests of watchdog.c: what it holds, what it ignores, its pidfd, and what
 * it does when tribench's end of the pipe closes (tribench died): the report's
 * temporary removed, the run cgroup killed and removed (cgroup.kill on a real
 * cgroup2 as root; the pid-by-pid fallback on a fake tree anywhere). */
#include "config.h"
#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000};
	nanosleep(&t, NULL);
}

/* What tribench's death looks like to the watchdog: its pipe end closes. The
 * watchdog's exit status. */
static int die_and_reap(struct watchdog *w)
{
	int st;
	close(w->fd);
	w->fd = -1;
	assert_int_equal(waitpid(w->pid, &st, 0), w->pid);
	w->pid = -1;
	return st;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

/* A child that waits to be killed. */
static pid_t sleeper(void)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void assert_killed(pid_t pid)
{
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
}

static bool is_alive(pid_t pid)
{
	int st;
	return waitpid(pid, &st, WNOHANG) == 0;
}

/* Its name, its descriptors (only the pipe, at 3, and /dev/null on 0-2: an
 * inherited descriptor without close-on-exec is not kept), and the terminal's
 * signals ignored. */
static void test_name_fds_signals(void **state)
{
	(void)state;
	int stray = open("/dev/null", O_RDONLY);	/* no O_CLOEXEC, as a caller might leave */
	assert_true(stray >= 0);
	struct watchdog w;
	assert_int_equal(watchdog_start(&w), 0);
	close(stray);
	char path[64], buf[256];
	int n = 0;
	/* the set-up runs after the fork: wait until only four are left */
	for (long end = now_ms() + 2000; now_ms() < end; sleep_ms(10)) {
		n = 0;
		for (int fd = 0; fd < 64; fd++) {
			snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)w.pid, fd);
			n += readlink(path, buf, sizeof(buf)) > 0;
		}
		if (n == 4)
			break;
	}
	assert_int_equal(n, 4);
	for (int fd = 0; fd < 4; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)w.pid, fd);
		ssize_t len = readlink(path, buf, sizeof(buf) - 1);
		assert_true(len > 0);
		buf[len] = '\0';
		if (fd < 3)
			assert_string_equal(buf, "/dev/null");
		else
			assert_true(!strncmp(buf, "pipe:", 5));
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)w.pid);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "tribench-wd\n");
	assert_int_equal(getpgid(w.pid), w.pid);	/* its own group: a Ctrl-C to ours misses it */
	kill(w.pid, SIGINT);
	kill(w.pid, SIGTERM);
	kill(w.pid, SIGHUP);
	kill(w.pid, SIGQUIT);
	sleep_ms(100);
	assert_true(is_alive(w.pid));
	int st = die_and_reap(&w);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	watchdog_stop(&w);
}

/* The pidfd: close-on-exec, silent while the watchdog lives, readable once it
 * died (SIGKILL here), closed by watchdog_stop. */
static void test_pidfd(void **state)
{
	(void)state;
	struct watchdog w;
	assert_int_equal(watchdog_start(&w), 0);
	int fd = watchdog_pidfd(&w);
	if (fd < 0) {
		watchdog_stop(&w);
		print_message("# no pidfd_open on this kernel\n");
		skip();
	}
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	assert_int_equal(poll(&p, 1, 100), 0);
	kill(w.pid, SIGKILL);
	assert_int_equal(poll(&p, 1, 2000), 1);
	assert_true(p.revents & POLLIN);
	watchdog_stop(&w);	/* reaps it, closes the pidfd */
	assert_int_equal(watchdog_pidfd(&w), -1);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(w.pid, -1);
}

/* A listed process group is killed, a removed one is not; the temporary goes. */
static void test_groups_and_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/wdtest.XXXXXX", file[64];
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/r.json.tmp", dir);
	write_file(file, "{}");
	pid_t a = sleeper(), b = sleeper();
	setpgid(a, a);
	setpgid(b, b);
	struct watchdog w;
	assert_int_equal(watchdog_start(&w), 0);
	watchdog_add(&w, a);
	watchdog_add(&w, b);
	watchdog_remove(&w, b);
	watchdog_set_file(&w, file);
	int st = die_and_reap(&w);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_killed(a);
	assert_true(is_alive(b));
	assert_int_equal(access(file, F_OK), -1);
	kill(b, SIGKILL);
	waitpid(b, NULL, 0);
	assert_int_equal(rmdir(dir), 0);
	watchdog_stop(&w);
}

/*
 * The fallback for kernels without cgroup.kill, on a fake tree: the pids in
 * the cgroup.procs of the run directory and of a cgroup two levels down are
 * killed, one of them split across two of the watchdog's read chunks. Nothing
 * there can be removed (plain directories hold plain files): left alone.
 */
static void test_cgroup_fallback_fake_tree(void **state)
{
	(void)state;
	char dir[] = "/tmp/wdtest.XXXXXX", path[PATH_MAX], text[1024];
	assert_non_null(mkdtemp(dir));
	pid_t a = sleeper(), b = sleeper(), c = sleeper();
	snprintf(path, sizeof(path), "%s/0", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/0/nested", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(text, sizeof(text), "%d\n", (int)a);
	write_file(path, text);
	/* c straddles offset 512 */
	snprintf(path, sizeof(path), "%s/0/nested/cgroup.procs", dir);
	memset(text, '\n', sizeof(text));
	int len = snprintf(text + 510, sizeof(text) - 510, "%d\n%d\n", (int)c, (int)b);
	write_file(path, text);
	assert_true(len > 4);
	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	write_file(path, "populated 0\nfrozen 0\n");
	struct watchdog w;
	assert_int_equal(watchdog_start(&w), 0);
	watchdog_set_cgroup(&w, dir);
	int st = die_and_reap(&w);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_killed(a);
	assert_killed(b);
	assert_killed(c);
	snprintf(path, sizeof(path), "%s/0/nested", dir);
	assert_int_equal(access(path, F_OK), 0);
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	watchdog_stop(&w);
}

/* The cgroup2 mount point (from /proc/self/mountinfo) joined with our own
 * cgroup (from /proc/self/cgroup): false when there is none. */
static bool own_cgroup(char *out, size_t size)
{
	char line[4096], mount[PATH_MAX] = "", self[PATH_MAX] = "";
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - cgroup2 ");
		char mp[PATH_MAX];
		if (sep && sscanf(line, "%*s %*s %*s %*s %4095s", mp) == 1) {
			snprintf(mount, sizeof(mount), "%s", mp);
			break;
		}
	}
	fclose(f);
	f = fopen("/proc/self/cgroup", "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(self, sizeof(self), "%s", line + 3);
		}
	fclose(f);
	if (!mount[0] || !self[0])
		return false;
	return snprintf(out, size, "%s%s", mount, strcmp(self, "/") ? self : "") < (int)size;
}

/*
 * The real thing, as root on a writable cgroup2: a run cgroup with two leaves,
 * one nested; a task and its child (which the test adopts as subreaper) in the
 * nested leaf, outside any group the watchdog knows. After the watchdog exits,
 * both were SIGKILLed and every directory is gone: it waited for "populated 0"
 * before removing them, within its bound.
 */
static void test_cgroup_kill_real(void **state)
{
	(void)state;
	char base[PATH_MAX], run[PATH_MAX], leaf[PATH_MAX + 32], procs[PATH_MAX + 64];
	if (geteuid() != 0) {
		print_message("# not root: no cgroup to create\n");
		skip();
	}
	if (!own_cgroup(base, sizeof(base)) ||
	    snprintf(run, sizeof(run), "%s/wdtest-%d", base, (int)getpid()) >= (int)sizeof(run) ||
	    mkdir(run, 0755) < 0) {
		print_message("# no writable cgroup2 here\n");
		skip();
	}
	snprintf(leaf, sizeof(leaf), "%s/0", run);
	assert_int_equal(mkdir(leaf, 0755), 0);
	snprintf(leaf, sizeof(leaf), "%s/1", run);
	assert_int_equal(mkdir(leaf, 0755), 0);
	snprintf(leaf, sizeof(leaf), "%s/1/nested", run);
	assert_int_equal(mkdir(leaf, 0755), 0);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", leaf);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t task = fork();
	assert_true(task >= 0);
	if (task == 0) {
		/* join the leaf, then fork: the child is born in it */
		char pid[16];
		int fd = open(procs, O_WRONLY);
		int len = snprintf(pid, sizeof(pid), "%d", (int)getpid());
		if (fd < 0 || write(fd, pid, (size_t)len) != len)
			_exit(1);
		pid_t child = fork();
		if (child == 0)
			for (;;)
				pause();
		if (write(ready[1], &child, sizeof(child)) != sizeof(child))
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	pid_t child = 0;
	assert_int_equal(read(ready[0], &child, sizeof(child)), sizeof(child));
	close(ready[0]);
	assert_true(child > 0);
	FILE *f = fopen(procs, "r");
	assert_non_null(f);
	int members = 0, pid;
	while (fscanf(f, "%d", &pid) == 1)
		members += pid == task || pid == child;
	fclose(f);
	assert_int_equal(members, 2);

	struct watchdog w;
	assert_int_equal(watchdog_start(&w), 0);
	watchdog_set_cgroup(&w, run);
	long start = now_ms();
	int st = die_and_reap(&w);
	long took = now_ms() - start;
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(access(run, F_OK), -1);
	assert_int_equal(errno, ENOENT);
	assert_true(took < WATCHDOG_DRAIN_MS);
	assert_killed(task);
	assert_killed(child);	/* adopted: we are the subreaper */
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	watchdog_stop(&w);
}

/* A run cgroup that tribench already destroyed: nothing to do, quickly. */
static void test_cgroup_gone(void **state)
{
	(void)state;
	struct watchdog w;
	assert_int_equal(watchdog_start(&w), 0);
	watchdog_set_cgroup(&w, "/nonexistent/tribench-1-2");
	long start = now_ms();
	int st = die_and_reap(&w);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(now_ms() - start < 500);
	watchdog_stop(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_fds_signals),
		cmocka_unit_test(test_pidfd),
		cmocka_unit_test(test_groups_and_file),
		cmocka_unit_test(test_cgroup_fallback_fake_tree),
		cmocka_unit_test(test_cgroup_kill_real),
		cmocka_unit_test(test_cgroup_gone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
