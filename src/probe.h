#ifndef TRIBENCH_PROBE_H
#define TRIBENCH_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util.h"

/*
 * Every number here comes from the kernel, never from a default. A reader that
 * cannot get its number returns -1 with errno set, so that a caller can tell
 * "unreadable" from "the kernel disagrees with what I expected":
 *   ENOENT, EACCES, ESRCH, ...  the file could not be opened or read (open(2), read(2));
 *   ENODATA                     the file was read and was empty;
 *   EINVAL                      the file was read but did not hold what proc(5) says;
 *   EFBIG                       the file was larger than the reader's buffer.
 * Outputs are left untouched on failure.
 *
 * EMFILE and ENFILE (no file descriptor left) are different: they mean tribench
 * itself is broken, not the machine. Every reader records the first of them,
 * see probe_fatal_errno(); a run must stop on it (exit 3).
 */

/* /proc/PID/schedstat of pid (a live task or a zombie not yet reaped): seconds
 * on a CPU and seconds waiting on a runqueue, from the kernel's nanoseconds.
 * 0, or -1 with errno set (above); the outputs are then untouched. */
int probe_schedstat(pid_t pid, double *running_s, double *ready_s);
/* Field 39 ("processor") of /proc/PID/task/PID/stat: the OS index of the CPU
 * the task (any thread id) last ran on; the thread's own line, read at a cost
 * that does not grow with its group's threads. 0, or -1 with errno set;
 * *cpu untouched on failure. */
int probe_last_cpu(pid_t pid, int *cpu);
/* The same from one stat line (a comm may hold spaces and parentheses).
 * Pure: 0, or -1 when the line has no field 39 (errno is not set). */
int probe_parse_stat_cpu(const char *line, int *cpu);
/* Cpus_allowed_list of /proc/PID/status, e.g. "1" or "0-3", into buf (size
 * bytes, always NUL-terminated, truncated to fit; owned by the caller).
 * 0, or -1 with errno set: a caller comparing it with the slot's cpuset must
 * treat -1 as "unknown", never as "disagrees". */
int probe_cpus_allowed(pid_t pid, char *buf, size_t size);

/* Per-CPU jiffies (USER_HZ ticks since boot) from /proc/stat. */
struct cpu_jiffies {
	uint64_t busy, total;     /* both 0: the kernel listed no line for this CPU */
};
/* out[0..ncpu) (caller-owned), indexed by OS CPU number; CPUs without a line
 * (offline) are zeroed. 0, or -1 with errno set and out untouched. */
int probe_cpu_jiffies(struct cpu_jiffies *out, int ncpu);
/* Parse one "cpuN ..." line of /proc/stat; returns N, or -1 for any other line. Pure. */
int probe_parse_cpu_line(const char *line, struct cpu_jiffies *out);
/* procs_running of /proc/stat: tasks runnable right now, this one included.
 * The count, or -1 with errno set (EINVAL: no procs_running line). */
int probe_procs_running(void);

/* VmRSS of this process in KiB (/proc/self/status), -1 with errno set when unknown. */
long probe_self_rss_kb(void);

/*
 * Facts about the host at the start of a run. A field the kernel did not give
 * is "unknown": NAN for doubles, -1 for ints, "" for strings; the report
 * writes them as null. Two kinds of unknown:
 *
 *  - absent by design, silent: this kind of machine does not have the fact.
 *    No cpufreq for the CPU (governor, boost: most VMs), no
 *    /sys/devices/system/cpu/smt (smt), isolcpus= or nohz_full= not on the
 *    kernel command line, no "model name"/"Model", "cpu MHz" or "flags" line
 *    in /proc/cpuinfo (cpu_model, cpu_mhz, virtualized: non-x86 kernels).
 *  - unread: the fact exists on every Linux tribench runs on, or its file is
 *    there, but it could not be read (ENOENT or EACCES on /proc/loadavg,
 *    /proc/cpuinfo, /proc/stat, /proc/cmdline, randomize_va_space, a cpufreq
 *    file that exists but refuses, /sys not mounted, uname failing, ...).
 *    Each such field gets one entry in unread[], a complete warning text:
 *    "host.load_avg is null: cannot read /proc/loadavg: Permission denied".
 */
#define PROBE_UNREAD_MAX 16
struct host_facts {
	char hostname[256];       /* uname nodename */
	char kernel[256];         /* uname sysname and release, "Linux 6.8.0" */
	char cpu_model[256];      /* "model name" (or "Model") of /proc/cpuinfo */
	double cpu_mhz;           /* "cpu MHz" of the first CPU in /proc/cpuinfo */
	double load_avg[3];       /* /proc/loadavg: 1, 5 and 15 minute averages */
	int procs_running;        /* /proc/stat, the fewest of three looks 10 ms apart */
	char governor[64];        /* cpufreq scaling_governor of the CPU given to probe_host */
	char smt[32];             /* /sys/devices/system/cpu/smt/control */
	int boost;                /* 1 on, 0 off (cpufreq boost or intel_pstate no_turbo) */
	int aslr;                 /* /proc/sys/kernel/randomize_va_space */
	char isolcpus[128];       /* from the kernel command line */
	char nohz_full[128];
	int virtualized;          /* 1: the CPU flags say "hypervisor", 0: they do not */
	int nunread;              /* entries in unread[] */
	char unread[PROBE_UNREAD_MAX][160];
};
/* Fill *h (caller-owned) with everything above; cpu is the OS CPU whose
 * cpufreq settings are read. Never fails: what cannot be read is unknown and,
 * unless absent by design, listed in h->unread. Sleeps up to 20 ms. */
void probe_host(struct host_facts *h, int cpu);
/* The same with every /proc and /sys path under root ("" for the real ones):
 * for tests on a fake tree. uname is not redirected. */
void probe_host_at(struct host_facts *h, int cpu, const char *root);

/* Read a small file into buf (size bytes, caller-owned), NUL-terminated.
 * Returns its length (0: empty), or -1 with errno set when it cannot be
 * opened or read; EMFILE/ENFILE are also recorded for probe_fatal_errno(). */
ssize_t probe_read_file(const char *path, char *buf, size_t size);

/* The first EMFILE or ENFILE any probe met since the process started, or 0.
 * Sticky: a run that saw it has holes nobody can fill, and must stop. */
int probe_fatal_errno(void);
/* The file that probe failed to open (static storage), or "" when none. */
const char *probe_fatal_path(void);

#endif
