#ifndef TRIBENCH_PREFLIGHT_H
#define TRIBENCH_PREFLIGHT_H

#include "cli.h"

/*
 * File descriptors `tribench run` holds at its peak beyond those it inherited
 * (stdin, stdout, stderr and whatever else its caller left open: those are
 * counted as found, see preflight_fd_limit()). Read from the code, confirmed
 * with strace (the highest descriptor number is 3 + this - 1):
 *   1  the watchdog pipe's write end, for the whole run (watchdog.c; the read
 *      end is closed in tribench right after the fork)
 *   1  the watchdog's pidfd, for the whole run (watchdog_pidfd)
 *   1  the signalfd (sched.c)
 *   1  the timerfd (sched.c)
 *   1  /dev/null, every task's stdin (sched.c)
 *   1  the report: -o FILE's temporary, or the device or FIFO given to -o
 *      (output.c); none for -o - or a report on stdout
 *   2  the transient ones at their peak, each kind closed before another opens:
 *      the watchdog's pipe while it starts, the calibration child's pipe
 *      (sched_run_in_child), the .out/.err pair of --results while one task
 *      is launched (closed before the next one), and a /proc or /sys file
 *      being read (probe.c: one at a time)
 *   3  the task spool's temporary files (spool.c), for the whole run
 * hwloc opens files only while the topology loads, before `run` starts; the
 * taskfile is read and closed before the watchdog starts; a forked or
 * vforked child gets its own table, so launching costs the parent none.
 */
#define PREFLIGHT_RUN_FDS 11
/* With cgroup containment (not --containment pgroup), at the peak: the leaf
 * being launched into (its directory and cgroup.events, cgroup.c) and one
 * transient cgroup file (cgroup.procs, cgroup.kill) or the child's own
 * cgroup.procs when it joins by writing it. Kept leaves (cgroup.h) use only
 * what the limit leaves beyond this. */
#define PREFLIGHT_CGROUP_FDS 3

/* Descriptors `run` needs with these options (-o decides the report's one,
 * --containment the cgroup ones): PREFLIGHT_RUN_FDS or one less, plus
 * PREFLIGHT_CGROUP_FDS unless pgroup. Pure. */
int preflight_fds_needed(const struct options *o);

/* The smallest RLIMIT_NOFILE soft limit that leaves `needed` descriptor
 * numbers free below it, given what this process has open now (open(2) takes
 * the lowest free number and fails with EMFILE at or above the limit).
 * Probes with fcntl(F_GETFD), so it needs no descriptor itself; -1 when
 * none below 2^20 would do. */
long preflight_fd_limit(int needed);

/*
 * Before `run` starts anything: fail with one error line (and -1) when /proc
 * is not a mounted procfs, /proc/stat or /proc/self/stat cannot be read and
 * parsed, or RLIMIT_NOFILE cannot cover preflight_fds_needed(o) descriptors.
 * A soft limit too low is raised to what is needed when the hard limit allows
 * (the tasks inherit it). 0 when the run may go on. Touches no file.
 */
int preflight_run(const struct options *o);

#endif
