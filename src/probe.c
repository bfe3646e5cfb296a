/* /proc readers: every number here comes from the kernel. */
#include "config.h"
#include "probe.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

ssize_t probe_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t used = 0;
	while (used + 1 < size) {
		ssize_t r = read(fd, buf + used, size - 1 - used);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		used += (size_t)r;
	}
	close(fd);
	buf[used] = '\0';
	return (ssize_t)used;
}

static ssize_t read_pid_file(pid_t pid, const char *name, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return probe_read_file(path, buf, size);
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

int probe_schedstat(pid_t pid, double *running_s, double *ready_s)
{
	char buf[128];
	unsigned long long run, wait;
	if (read_pid_file(pid, "schedstat", buf, sizeof(buf)) <= 0 ||
	    sscanf(buf, "%llu %llu", &run, &wait) != 2)
		return -1;
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
	char buf[1024];
	if (read_pid_file(pid, "stat", buf, sizeof(buf)) <= 0)
		return -1;
	return probe_parse_stat_cpu(buf, cpu);
}

int probe_cpus_allowed(pid_t pid, char *buf, size_t size)
{
	char status[4096];
	if (read_pid_file(pid, "status", status, sizeof(status)) <= 0)
		return -1;
	const char *p = strstr(status, "\nCpus_allowed_list:");
	if (!p)
		return -1;
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

int probe_cpu_jiffies(struct cpu_jiffies *out, int ncpu)
{
	static char buf[1 << 16];
	if (probe_read_file("/proc/stat", buf, sizeof(buf)) <= 0)
		return -1;
	memset(out, 0, (size_t)ncpu * sizeof(*out));
	for (char *line = buf; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		struct cpu_jiffies j;
		int cpu = probe_parse_cpu_line(line, &j);
		if (cpu >= 0 && cpu < ncpu)
			out[cpu] = j;
	}
	return 0;
}

int probe_procs_running(void)
{
	static char buf[1 << 16];
	if (probe_read_file("/proc/stat", buf, sizeof(buf)) <= 0)
		return -1;
	const char *p = strstr(buf, "\nprocs_running ");
	return p ? atoi(p + strlen("\nprocs_running ")) : -1;
}

long probe_self_rss_kb(void)
{
	char buf[4096];
	if (probe_read_file("/proc/self/status", buf, sizeof(buf)) <= 0)
		return -1;
	const char *p = strstr(buf, "\nVmRSS:");
	return p ? atol(p + strlen("\nVmRSS:")) : -1;
}

/* "key : value" of the first CPU in /proc/cpuinfo into out (empty if none). */
static void cpuinfo_field(const char *cpuinfo, const char *key, char *out, size_t size)
{
	out[0] = '\0';
	const char *p = strstr(cpuinfo, key);
	if (p && (p = strchr(p, ':')))
		copy_value(p + 1, out, size);
}

/* One line of a sysfs/procfs file, without its newline; false when unreadable. */
static bool read_line(const char *path, char *out, size_t size)
{
	if (probe_read_file(path, out, size) <= 0)
		return false;
	out[strcspn(out, "\n")] = '\0';
	return true;
}

static int read_int(const char *path)
{
	char buf[32];
	return read_line(path, buf, sizeof(buf)) ? atoi(buf) : -1;
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

void probe_host(struct host_facts *h, int cpu)
{
	static char buf[1 << 16];
	struct utsname u;
	char path[128], line[64];
	memset(h, 0, sizeof(*h));
	if (uname(&u) == 0) {
		snprintf(h->hostname, sizeof(h->hostname), "%s", u.nodename);
		snprintf(h->kernel, sizeof(h->kernel), "%s %s", u.sysname, u.release);
	}
	h->cpu_mhz = -1;
	h->virtualized = -1;
	if (probe_read_file("/proc/cpuinfo", buf, sizeof(buf)) > 0) {
		/* x86 says "model name"; some arm64 kernels only "Model" */
		cpuinfo_field(buf, "model name", h->cpu_model, sizeof(h->cpu_model));
		if (!h->cpu_model[0])
			cpuinfo_field(buf, "Model", h->cpu_model, sizeof(h->cpu_model));
		cpuinfo_field(buf, "cpu MHz", line, sizeof(line));
		if (line[0])
			h->cpu_mhz = atof(line);
		static char flags[8192];
		cpuinfo_field(buf, "flags", flags, sizeof(flags));
		if (flags[0])	/* "hypervisor" is set by every x86 hypervisor */
			h->virtualized = strstr(flags, " hypervisor") != NULL;
	}
	if (probe_read_file("/proc/loadavg", buf, sizeof(buf)) > 0)
		sscanf(buf, "%lf %lf %lf", &h->load_avg[0], &h->load_avg[1], &h->load_avg[2]);
	/* the fewest of three looks 10 ms apart: a kernel thread waking for a
	 * moment is not load, a process that keeps running is */
	h->procs_running = probe_procs_running();
	for (int i = 0; i < 2 && h->procs_running > 1; i++) {
		usleep(10000);
		int n = probe_procs_running();
		if (n >= 0 && n < h->procs_running)
			h->procs_running = n;
	}
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor", cpu);
	if (!read_line(path, h->governor, sizeof(h->governor)))
		h->governor[0] = '\0';
	if (!read_line("/sys/devices/system/cpu/smt/control", h->smt, sizeof(h->smt)))
		h->smt[0] = '\0';
	h->boost = read_int("/sys/devices/system/cpu/cpufreq/boost");
	if (h->boost < 0) {
		int no_turbo = read_int("/sys/devices/system/cpu/intel_pstate/no_turbo");
		h->boost = no_turbo < 0 ? -1 : !no_turbo;
	}
	h->aslr = read_int("/proc/sys/kernel/randomize_va_space");
	if (probe_read_file("/proc/cmdline", buf, sizeof(buf)) > 0) {
		cmdline_param(buf, "isolcpus", h->isolcpus, sizeof(h->isolcpus));
		cmdline_param(buf, "nohz_full", h->nohz_full, sizeof(h->nohz_full));
	}
}
