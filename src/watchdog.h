#ifndef TRIBENCH_WATCHDOG_H
#define TRIBENCH_WATCHDOG_H

#include <sys/types.h>

/*
 * A small process that outlives tribench by a moment: it learns the run
 * cgroup, the process group of every task not in a cgroup leaf of it
 * (--containment pgroup) and the report's temporary through a pipe,
 * and when tribench's end of the pipe closes (however tribench ended, SIGKILL
 * included) it kills the groups still listed, kills and removes the run
 * cgroup, and removes the temporary. PR_SET_PDEATHSIG would reach only direct
 * children; a shell line's grandchildren are in the task's group (and a
 * setsid one is still in the task's cgroup), so the watchdog reaches them.
 *
 * The process calls itself "tribench-wd" (comm, PR_SET_NAME): `pkill -x
 * tribench` does not hit it, `pgrep -x tribench-wd` finds it. It sits in its
 * own process group with every signal blocked, so a terminal's SIGINT, SIGTERM
 * or SIGHUP (or a `kill` of tribench's group) leaves it be; only SIGKILL ends
 * it early. It holds no descriptor but its end of the pipe (0, 1 and 2 are
 * /dev/null), so it keeps no pipe of tribench's caller open. It allocates
 * nothing from the heap: one fixed anonymous mapping for the groups, the rest
 * on its stack.
 */
struct watchdog {
	pid_t pid;
	int fd;                   /* our write end; -1 when not running */
	int pidfd;                /* see watchdog_pidfd() */
};

/* Fork the watchdog: 0, or -1 after an error line (pipe or fork failed).
 * Holds two descriptors in tribench until watchdog_stop: the pipe's write end
 * and the pidfd. */
int watchdog_start(struct watchdog *w);
/* Tell the watchdog a task's process group (a positive pgid) to kill should
 * tribench die; watchdog_remove once the group is gone. A write of 4 bytes,
 * atomic; a dead watchdog is noticed here (w->fd becomes -1) and ignored. */
void watchdog_add(struct watchdog *w, pid_t pgid);
void watchdog_remove(struct watchdog *w, pid_t pgid);
/* The file to remove if tribench dies (the report's temporary; relative to
 * tribench's working directory, which the watchdog shares); NULL: none.
 * A path of PIPE_BUF - 8 bytes or more is not guarded. */
void watchdog_set_file(struct watchdog *w, const char *path);
/*
 * The run cgroup (cgroup_run.path, absolute, in the cgroup2 mount) to empty
 * and remove if tribench dies; NULL: none. On EOF the watchdog writes "1" to
 * PATH/cgroup.kill (the whole subtree, leaves included; on kernels before
 * 5.14, without it: freezes PATH, SIGKILLs every pid in the cgroup.procs of
 * PATH and of every cgroup beneath it, again until empty, thaws), waits up to
 * WATCHDOG_DRAIN_MS until PATH/cgroup.events says "populated 0" (POLLPRI),
 * then removes the cgroups beneath PATH, deepest first, and PATH itself. A
 * path that no longer exists (tribench destroyed the run cgroup before it
 * died) costs nothing; what cannot be removed in time is left for the next
 * run's cgroup_reap_stale. Same length limit as watchdog_set_file.
 */
void watchdog_set_cgroup(struct watchdog *w, const char *run_cgroup_path);
#define WATCHDOG_DRAIN_MS 2000
/*
 * A pidfd for the watchdog process (pidfd_open(2), close-on-exec), opened by
 * watchdog_start, closed by watchdog_stop; owned by the watchdog struct, the
 * caller must not close it. It polls readable (POLLIN) once the watchdog has
 * exited, killed included: tribench has then lost its guard (its tasks would
 * outlive a SIGKILL of tribench) and can say so or stop. Readable does not
 * reap it: watchdog_stop still does. -1 when unavailable: the kernel has no
 * pidfd_open (before 5.3, ENOSYS), the descriptor limit was reached, or the
 * watchdog is not running.
 */
int watchdog_pidfd(const struct watchdog *w);
/* Close the pipe and reap the watchdog (every group was removed by then),
 * close the pidfd. Safe on a watchdog that never started or already died. */
void watchdog_stop(struct watchdog *w);

#endif
