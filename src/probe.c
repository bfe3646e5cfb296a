/* /proc readers: every number here comes from the kernel, or is unknown. */
#include "config.h"
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

static int fatal_errno;
static char fatal_path[160];

int probe_fatal_errno(void)
{
	return fatal_errno;
}

const char *probe_fatal_path(void)
{
	return fatal_path;
}

/* No descriptor left is tribench's failure, not the machine's: remember the first. */
static void note_fatal(const char *path, int err)
{
	if ((err == EMFILE || err == ENFILE) && !fatal_errno) {
		fatal_errno = err;
		snprintf(fatal_path, sizeof(fatal_path), "%s", path);
	}
}

ssize_t probe_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		note_fatal(path, e);
		errno = e;
		return -1;
	}
	size_t used = 0;
	int err = 0;
	while (used + 1 < size) {
		ssize_t r = read(fd, buf + used, size - 1 - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			err = errno;
		if (r <= 0)
			break;
		used += (size_t)r;
	}
	close(fd);
	buf[used] = '\0';
	if (err) {
		errno = err;
		return -1;
	}
	return (ssize_t)used;
}

/* A file that must hold something: empty is ENODATA. */
static ssize_t read_text(const char *path, char *buf, size_t size)
{
	ssize_t n = probe_read_file(path, buf, size);
	if (n == 0)
		errno = ENODATA;
	return n > 0 ? n : -1;
}

static ssize_t read_pid_file(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return read_text(path, buf, size);
}

/* The value at p, blanks skipped, up to the end of its line, into out. */
static void copy_value(const char *p, char *out, size_t size)
{
	p += strspn(p, " \t");
	size_t n = strcspn(p, "\n");
	if (n + 1 > size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

static int invalid(void)
{
	errno = EINVAL;
	return -1;
}

int probe_schedstat(pid_t pid, double *running_s, double *ready_s)
{
	char buf[128];
	unsigned long long run, wait;
	if (read_pid_file(pid, "schedstat", buf, sizeof(buf)) < 0)
		return -1;
	if (sscanf(buf, "%llu %llu", &run, &wait) != 2)
		return invalid();
	*running_s = (double)run * 1e-9;
	*ready_s = (double)wait * 1e-9;
	return 0;
}

int probe_parse_stat_cpu(const char *line, int *cpu)
{
	const char *p = strrchr(line, ')');
	if (!p)
		return -1;
	p++;
	/* after the comm comes field 3; field 39 is 36 fields further */
	for (int field = 3; field < 39; field++) {
		while (*p == ' ')
			p++;
		while (*p && *p != ' ')
			p++;
		if (!*p)
			return -1;
	}
	char *end;
	long v = strtol(p, &end, 10);
	if (end == p || v < 0)
		return -1;
	*cpu = (int)v;
	return 0;
}

int probe_last_cpu(pid_t pid, int *cpu)
{
	/* task/PID/stat: the thread's own line. /proc/TID/stat sums the times
	 * of every thread of the group, a cost that grows with the threads:
	 * with 10,000 in a worker, the sampler's reads took seconds a tick */
	char buf[1024], name[32];
	snprintf(name, sizeof(name), "task/%d/stat", (int)pid);
	if (read_pid_file(pid, name, buf, sizeof(buf)) < 0)
		return -1;
	return probe_parse_stat_cpu(buf, cpu) < 0 ? invalid() : 0;
}

int probe_cpus_allowed(pid_t pid, char *buf, size_t size)
{
	char status[4096];
	if (read_pid_file(pid, "status", status, sizeof(status)) < 0)
		return -1;
	const char *p = strstr(status, "\nCpus_allowed_list:");
	if (!p)
		return invalid();
	copy_value(p + strlen("\nCpus_allowed_list:"), buf, size);
	return 0;
}

int probe_parse_cpu_line(const char *line, struct cpu_jiffies *out)
{
	unsigned long long v[10] = {0};
	int cpu;
	if (strncmp(line, "cpu", 3) || line[3] < '0' || line[3] > '9')
		return -1;	/* the all-CPU line "cpu  ..." is not a CPU */
	int n = sscanf(line, "cpu%d %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &cpu, &v[0],
		       &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	if (n < 5 || cpu < 0)
		return -1;
	/* user nice system idle iowait irq softirq steal guest guest_nice:
	 * guest time is already inside user and nice, so it is left out */
	out->busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	out->total = out->busy + v[3] + v[4];
	return cpu;
}

/*
 * /proc/stat whole, into one static buffer: its intr line grows with the
 * interrupts and comes before procs_running, so a cut-off copy would lose it.
 */
static const char *read_proc_stat(const char *path)
{
	static char buf[1 << 20];
	ssize_t n = read_text(path, buf, sizeof(buf));
	if (n < 0)
		return NULL;
	if ((size_t)n + 1 == sizeof(buf)) {
		errno = EFBIG;
		return NULL;
	}
	return buf;
}

static const char *next_line(const char *line)
{
	const char *nl = strchr(line, '\n');
	return nl ? nl + 1 : line + strlen(line);
}

int probe_cpu_jiffies(struct cpu_jiffies *out, int ncpu)
{
	const char *buf = read_proc_stat("/proc/stat");
	if (!buf)
		return -1;
	struct cpu_jiffies j;
	const char *line = buf;
	while (*line && probe_parse_cpu_line(line, &j) < 0)
		line = next_line(line);
	if (!*line)	/* not one cpuN line: not the file proc(5) describes */
		return invalid();
	memset(out, 0, (size_t)ncpu * sizeof(*out));
	for (; *line; line = next_line(line)) {
		int cpu = probe_parse_cpu_line(line, &j);
		if (cpu >= 0 && cpu < ncpu)
			out[cpu] = j;
	}
	return 0;
}

static int procs_running_at(const char *path)
{
	const char *buf = read_proc_stat(path);
	if (!buf)
		return -1;
	const char *p = strstr(buf, "\nprocs_running ");
	if (!p)
		return invalid();
	char *end;
	long n = strtol(p + strlen("\nprocs_running "), &end, 10);
	if (end == p + strlen("\nprocs_running ") || n < 0 || n > INT32_MAX)
		return invalid();
	return (int)n;
}

int probe_procs_running(void)
{
	return procs_running_at("/proc/stat");
}

long probe_self_rss_kb(void)
{
	char buf[4096];
	if (read_text("/proc/self/status", buf, sizeof(buf)) < 0)
		return -1;
	const char *p = strstr(buf, "\nVmRSS:");
	if (!p)
		return invalid();
	char *end;
	long kb = strtol(p + strlen("\nVmRSS:"), &end, 10);
	return end == p + strlen("\nVmRSS:") || kb < 0 ? invalid() : kb;
}

/* "key : value" of the first CPU in /proc/cpuinfo into out (empty if none). */
static void cpuinfo_field(const char *cpuinfo, const char *key, char *out, size_t size)
{
	out[0] = '\0';
	const char *p = strstr(cpuinfo, key);
	if (p && (p = strchr(p, ':')))
		copy_value(p + 1, out, size);
}

/* One line of a sysfs/procfs file, without its newline; -1 with errno when unreadable. */
static int read_line(const char *path, char *out, size_t size)
{
	if (read_text(path, out, size) < 0)
		return -1;
	out[strcspn(out, "\n")] = '\0';
	return 0;
}

/* A whole non-negative decimal number in a file; -1 with errno (EINVAL: not a number). */
static int read_int(const char *path)
{
	char buf[32], *end;
	if (read_line(path, buf, sizeof(buf)) < 0)
		return -1;
	long v = strtol(buf, &end, 10);
	if (end == buf || *end || v < 0 || v > INT32_MAX)
		return invalid();
	return (int)v;
}

/* The value of a kernel command line parameter (isolcpus=...), or empty. */
static void cmdline_param(const char *cmdline, const char *name, char *out, size_t size)
{
	out[0] = '\0';
	size_t len = strlen(name);
	for (const char *p = cmdline; *p; p += strcspn(p, " \n"), p += strspn(p, " \n")) {
		if (!strncmp(p, "-- ", 3))	/* what follows belongs to init */
			return;
		if (!strncmp(p, name, len) && p[len] == '=') {
			size_t n = strcspn(p + len + 1, " \n");
			snprintf(out, size, "%.*s", (int)n, p + len + 1);
			return;
		}
	}
}

/* One entry of h->unread: "host.FIELD is null: cannot read PATH: REASON". */
static void unread(struct host_facts *h, const char *field, const char *path, int err)
{
	if (h->nunread == PROBE_UNREAD_MAX)
		return;
	char *e = h->unread[h->nunread++];
	size_t size = sizeof(h->unread[0]);
	if (err == EINVAL)
		snprintf(e, size, "host.%.16s is null: cannot parse %.100s", field, path);
	else
		snprintf(e, size, "host.%.16s is null: cannot read %.72s: %.40s", field, path, strerror(err));
}

/* /proc/cpuinfo: model, clock and hypervisor flag of the first CPU. */
static void host_cpuinfo(struct host_facts *h, const char *root)
{
	static char buf[1 << 16];
	static char flags[8192];
	char path[4096], line[64];
	snprintf(path, sizeof(path), "%s/proc/cpuinfo", root);
	/* a long cpuinfo is cut: only the first CPU's lines are wanted */
	if (read_text(path, buf, sizeof(buf)) < 0) {
		int e = errno;
		unread(h, "cpu_model", path, e);
		unread(h, "cpu_mhz", path, e);
		unread(h, "virtualized", path, e);
		return;
	}
	/* x86 says "model name"; some arm64 kernels only "Model"; some neither */
	cpuinfo_field(buf, "model name", h->cpu_model, sizeof(h->cpu_model));
	if (!h->cpu_model[0])
		cpuinfo_field(buf, "Model", h->cpu_model, sizeof(h->cpu_model));
	cpuinfo_field(buf, "cpu MHz", line, sizeof(line));
	if (line[0]) {	/* arm64 has no "cpu MHz": absent by design */
		char *end;
		double mhz = strtod(line, &end);
		if (end == line || !(mhz > 0) || !isfinite(mhz))
			unread(h, "cpu_mhz", path, EINVAL);
		else
			h->cpu_mhz = mhz;
	}
	cpuinfo_field(buf, "flags", flags, sizeof(flags));
	if (flags[0])	/* "hypervisor" is set by every x86 hypervisor */
		h->virtualized = strstr(flags, " hypervisor") != NULL;
}

/* /proc/loadavg and procs_running of /proc/stat. */
static void host_load(struct host_facts *h, const char *root)
{
	char path[4096], buf[256];
	double la[3];
	snprintf(path, sizeof(path), "%s/proc/loadavg", root);
	if (read_text(path, buf, sizeof(buf)) < 0)
		unread(h, "load_avg", path, errno);
	else if (sscanf(buf, "%lf %lf %lf", &la[0], &la[1], &la[2]) != 3 || !(la[0] >= 0) ||
		 !(la[1] >= 0) || !(la[2] >= 0))
		unread(h, "load_avg", path, EINVAL);
	else
		memcpy(h->load_avg, la, sizeof(la));
	/* the fewest of three looks 10 ms apart: a kernel thread waking for a
	 * moment is not load, a process that keeps running is */
	snprintf(path, sizeof(path), "%s/proc/stat", root);
	h->procs_running = procs_running_at(path);
	if (h->procs_running < 0) {
		unread(h, "procs_running", path, errno);
		return;
	}
	for (int i = 0; i < 2 && h->procs_running > 1; i++) {
		usleep(10000);
		int n = procs_running_at(path);
		if (n >= 0 && n < h->procs_running)
			h->procs_running = n;
	}
}

/* A sysfs fact whose file may be absent by design (ENOENT): silent then. */
static void sys_string(struct host_facts *h, const char *field, const char *path, char *out, size_t size)
{
	if (read_line(path, out, size) < 0) {
		out[0] = '\0';
		if (errno != ENOENT)
			unread(h, field, path, errno);
	}
}

/* cpufreq governor and boost of cpu, SMT control: absent in most VMs. */
static void host_sys(struct host_facts *h, int cpu, const char *root)
{
	char path[4096];
	struct stat st;
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu", root);
	if (stat(path, &st) < 0) {	/* every Linux has it: /sys is not mounted */
		int e = errno;
		unread(h, "governor", path, e);
		unread(h, "smt", path, e);
		unread(h, "boost", path, e);
		return;
	}
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", root, cpu);
	sys_string(h, "governor", path, h->governor, sizeof(h->governor));
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/smt/control", root);
	sys_string(h, "smt", path, h->smt, sizeof(h->smt));
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpufreq/boost", root);
	int boost = read_int(path);
	if (boost < 0 && errno == ENOENT) {
		snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/intel_pstate/no_turbo", root);
		int no_turbo = read_int(path);
		boost = no_turbo < 0 ? -1 : !no_turbo;
	}
	if (boost < 0 && errno != ENOENT)
		unread(h, "boost", path, errno);
	h->boost = boost < 0 ? -1 : boost != 0;
}

void probe_host_at(struct host_facts *h, int cpu, const char *root)
{
	static char buf[1 << 16];
	char path[4096];
	struct utsname u;
	memset(h, 0, sizeof(*h));
	h->cpu_mhz = NAN;
	h->load_avg[0] = h->load_avg[1] = h->load_avg[2] = NAN;
	h->procs_running = h->boost = h->aslr = h->virtualized = -1;
	if (uname(&u) == 0) {
		snprintf(h->hostname, sizeof(h->hostname), "%s", u.nodename);
		snprintf(h->kernel, sizeof(h->kernel), "%s %s", u.sysname, u.release);
	} else {
		int e = errno;
		unread(h, "hostname", "uname", e);
		unread(h, "kernel", "uname", e);
	}
	host_cpuinfo(h, root);
	host_load(h, root);
	host_sys(h, cpu, root);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/randomize_va_space", root);
	h->aslr = read_int(path);
	if (h->aslr < 0)
		unread(h, "aslr", path, errno);
	snprintf(path, sizeof(path), "%s/proc/cmdline", root);
	if (read_text(path, buf, sizeof(buf)) < 0) {
		int e = errno;
		unread(h, "isolcpus", path, e);
		unread(h, "nohz_full", path, e);
	} else {	/* not on the command line: not set, by design */
		cmdline_param(buf, "isolcpus", h->isolcpus, sizeof(h->isolcpus));
		cmdline_param(buf, "nohz_full", h->nohz_full, sizeof(h->nohz_full));
	}
}

void probe_host(struct host_facts *h, int cpu)
{
	probe_host_at(h, cpu, "");
}
