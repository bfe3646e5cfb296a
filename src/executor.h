#ifndef TRIBENCH_EXECUTOR_H
#define TRIBENCH_EXECUTOR_H

/*
 * The scheduler's executor: starts one task into its group (cgroup leaf or
 * process group) through the launcher or in-process, and finishes it when
 * its exit is seen: the zombie's numbers, the rest of its tree killed, the
 * record handed to the run's collector and its pool entry reused.
 */
#include <stdbool.h>
#include <sys/types.h>

struct run_state;

/* How a task runs (--executor): its own process (this file), a thread of a
 * worker process, or a coroutine on a worker's event loop (worker.c). */
enum executor_kind { EXEC_PROCESS, EXEC_THREAD, EXEC_COROUTINE, EXEC_COUNT };
/* "process", "thread", "coroutine": the report's entry key executor. */
const char *executor_name(enum executor_kind e);
/* The executor named name, or -1. */
int executor_parse(const char *name);

/*
 * The next task id to start, -1 when none is left: rs->next, or under
 * tribench-mpi on a rank other than 0 the next id rank 0 sent (-1: none
 * now). take: it is consumed (rs->next advances).
 */
int executor_next_id(struct run_state *rs, bool take);

/*
 * Start task executor_next_id on slot. 0: started (rs->next advanced, in flight).
 * 1: fork/clone said EAGAIN (a process limit): nothing was consumed, the
 * caller retries later, without sleeping. -1: the task cannot be started
 * (one error line; the task goes to the collector as not_started with
 * exit.error saying why and rs->next advances).
 */
int executor_start(struct run_state *rs, int slot);

/* Task id rs->next cannot be started: err_text (caller's) is why. It goes to
 * the collector as not_started with exit.error; rs->next advances. */
void executor_give_up(struct run_state *rs, const char *err_text);

/*
 * The leader pid of pool index idx has exited (a zombie, WNOWAIT): stamp its
 * end now (the time it was observed), read its /proc entries, end its tree,
 * reap it with its rusage, hand the record to the collector and free the
 * pool entry.
 */
void executor_finish(struct run_state *rs, int idx, pid_t pid);

struct task_record;
/* Bound tasks: was any of t's tree (or its thread) seen on a CPU outside its
 * slot's cpuset (t->cpus_seen against the plan's mask)? false unbound. */
bool executor_outside_slot(const struct run_state *rs, const struct task_record *t);

/* At the run's end: ids not taken (rs->next..ntasks-1, or a rank's ids
 * from rank 0 it never started) go to the collector as not_started,
 * through one reused record. */
void executor_put_unstarted(struct run_state *rs);

#endif
