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

struct host_facts {
	char hostname[256];
	char kernel[256];
	char cpu_model[256];      /* empty when unknown */
	double load_avg[3];
	int procs_running;
};
void probe_host(struct host_facts *h);

#endif
