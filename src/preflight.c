/* What `run` checks before it starts anything: it must never invent a number. */
#include "config.h"
#include "preflight.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "probe.h"
#include "util.h"

int preflight_fds_needed(const struct options *o)
{
	bool report_fd = o->output && strcmp(o->output, "-");
	int cgroup = o->sched.containment == CONTAIN_PGROUP ? 0 : PREFLIGHT_CGROUP_FDS;
	return PREFLIGHT_RUN_FDS - (report_fd ? 0 : 1) + cgroup;
}

long preflight_fd_limit(int needed)
{
	int free_fds = 0;
	if (needed <= 0)
		return 0;
	for (long fd = 0; fd < (1L << 20); fd++)
		if (fcntl((int)fd, F_GETFD) < 0 && errno == EBADF && ++free_fds == needed)
			return fd + 1;
	return -1;
}

/* Enough descriptors, raising the soft limit when the hard one allows. */
static int check_fds(int needed)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return error("cannot read RLIMIT_NOFILE: %s", strerror(errno));
	long want = preflight_fd_limit(needed);
	if (want >= 0 && (rl.rlim_cur == RLIM_INFINITY || (rlim_t)want <= rl.rlim_cur))
		return 0;
	if (want >= 0 && (rl.rlim_max == RLIM_INFINITY || (rlim_t)want <= rl.rlim_max)) {
		rl.rlim_cur = (rlim_t)want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
			return 0;
	}
	return error("cannot run with RLIMIT_NOFILE (ulimit -n) %llu: tribench needs %d more file "
		     "descriptors, a limit of %ld: %s", (unsigned long long)rl.rlim_max, needed, want,
		     strerror(EMFILE));
}

/* One line naming the file: read errors with their errno text. */
static int proc_error(const char *path, int err)
{
	if (err == EINVAL)
		return error("cannot parse '%s': not what proc(5) describes", path);
	return error("cannot read '%s': %s", path, strerror(err));
}

/* /proc is procfs, and the two files every run reads answer. */
static int check_proc(void)
{
	struct statfs fs;
	if (statfs("/proc", &fs) < 0)
		return proc_error("/proc", errno);
	if (fs.f_type != PROC_SUPER_MAGIC)
		return error("cannot read '/proc': no procfs is mounted there");
	struct cpu_jiffies j;
	if (probe_cpu_jiffies(&j, 1) < 0)
		return proc_error("/proc/stat", errno);
	char buf[1024];
	int cpu;
	if (probe_read_file("/proc/self/stat", buf, sizeof(buf)) < 0)
		return proc_error("/proc/self/stat", errno);
	if (probe_parse_stat_cpu(buf, &cpu) < 0)
		return proc_error("/proc/self/stat", buf[0] ? EINVAL : ENODATA);
	return 0;
}

int preflight_run(const struct options *o)
{
	if (check_fds(preflight_fds_needed(o)) < 0 || check_proc() < 0)
		return -1;
	return 0;
}
