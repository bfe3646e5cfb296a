#ifndef TRIBENCH_PROBE_H
#define TRIBENCH_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/* /proc/PID/schedstat: time on a CPU and time waiting on a runqueue. */
int probe_schedstat(pid_t pid, double *running_s, double *ready_s);
/* Field 39 of /proc/PID/stat: the CPU the task last ran on. */
int probe_last_cpu(pid_t pid, int *cpu);
/* The same from a stat line (a comm may hold spaces and parentheses). */
int probe_parse_stat_cpu(const char *line, int *cpu);
/* Cpus_allowed_list of /proc/PID/status, e.g. "1" or "0-3". */
int probe_cpus_allowed(pid_t pid, char *buf, size_t size);

/* Per-CPU jiffies from /proc/stat, indexed by OS CPU number (< ncpu). */
struct cpu_jiffies {
	uint64_t busy, total;
};
int probe_cpu_jiffies(struct cpu_jiffies *out, int ncpu);
/* Parse one "cpuN ..." line; returns N or -1. */
int probe_parse_cpu_line(const char *line, struct cpu_jiffies *out);
/* Runnable tasks right now (procs_running of /proc/stat), -1 when unknown. */
int probe_procs_running(void);

/* VmRSS of this process in KiB, -1 when unknown. */
long probe_self_rss_kb(void);

/* Strings are empty and numbers negative when the kernel does not say. */
struct host_facts {
	char hostname[256];
	char kernel[256];
	char cpu_model[256];
	double cpu_mhz;           /* "cpu MHz" of the first CPU in /proc/cpuinfo */
	double load_avg[3];
	int procs_running;
	char governor[64];        /* cpufreq scaling_governor of the first usable CPU */
	char smt[32];             /* /sys/devices/system/cpu/smt/control */
	int boost;                /* 1 on, 0 off (cpufreq boost or intel_pstate no_turbo) */
	int aslr;                 /* /proc/sys/kernel/randomize_va_space */
	char isolcpus[128];       /* from the kernel command line */
	char nohz_full[128];
	int virtualized;          /* 1: the CPU flags say "hypervisor", 0: they do not */
};
/* Everything above; cpu is the CPU whose cpufreq settings are read. */
void probe_host(struct host_facts *h, int cpu);
/* Read a small file into buf, NUL-terminated; returns its length or -1. */
ssize_t probe_read_file(const char *path, char *buf, size_t size);

#endif
