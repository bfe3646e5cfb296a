#ifndef TRIBENCH_ADMIT_H
#define TRIBENCH_ADMIT_H

/*
 * How many tasks may be in flight at once before the kernel refuses to make
 * processes: the least room left (limit less processes counted now) of
 *   kernel.pid_max less the threads now (/proc/loadavg's 4th field),
 *   pids.max less pids.current of our cgroup and each ancestor, in whichever
 *     hierarchy has the pids controller (v1 or v2; found through
 *     /proc/self/cgroup and /proc/self/mountinfo),
 *   RLIMIT_NPROC less our user's threads (not for root, which it does not bind),
 * less a margin (1/8 of the room, at least 8) for what tasks fork themselves.
 * Returns the bound (>= 1), or -1 when no limit could be read (none binds);
 * *source (caller frees) names the limit that gave it, with its numbers.
 */
long admit_bound(char **source);
/*
 * planned tasks at once (a plan's max_in_flight) capped by admit_bound, the
 * one rule for a run and its dry run: the smaller of the two; planned <= 1
 * as it is, nothing read. *source (caller frees) names the limit when it
 * capped, else NULL.
 */
long admit_cap(long planned, char **source);

#endif
