#ifndef TRIBENCH_MPI_WIRE_H
#define TRIBENCH_MPI_WIRE_H

/*
 * What tribench-mpi's ranks say to each other, as bytes: a message is a
 * wire_head, then for some kinds a payload. Rank 0 sends on one tag and the
 * others answer on another, so MPI keeps each stream's order (a run's ids,
 * its STOP and its END arrive in the order sent). The layout is this
 * build's: every rank must run the same tribench-mpi binary (mpirun starts
 * one program). No MPI here, so the unit tests can check it.
 */
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "suite.h"

enum wire_kind {
	/* rank 0 -> a rank */
	WIRE_SETUP = 1,           /* a: calibrate (0/1), b: workloads, x: their packed bytes,
	                             which follow by mpi_bcast (every workload, in order) */
	WIRE_RUN,                 /* a: workload index, b: the entry's --jobs, c: the task count */
	WIRE_IDS,                 /* payload: int32 task ids to start */
	WIRE_STOP,                /* a: 1 TERM the tasks in flight (grace, then KILL), 2 KILL them now,
	                             0 start nothing more (--halt soon) */
	WIRE_END,                 /* the run's last message: no more ids */
	WIRE_FINISH,              /* the benchmark is over: answer WIRE_FINAL and exit */
	/* a rank -> rank 0 */
	WIRE_INFO = 100,          /* after SETUP; a: 0 ok, -1 bad input, -2 runtime; payload: its ranks[] object (JSON text), or the error line */
	WIRE_SLOTS,               /* after INFO: payload: int32 (jobs, slots) pairs per parallel entry */
	WIRE_RECORD,              /* payload: one wire_task */
	WIRE_DONE,                /* the run is over here; x: its wall (s) */
	WIRE_FINAL,               /* x: the rank's own CPU time (s, getrusage RUSAGE_SELF) */
};

struct wire_head {
	int32_t kind;
	int32_t a, b, c;
	double x;
};

/*
 * One task's record, flattened (the state trace of --sample-tasks stays
 * behind): this fixed part, then npus and nseen int32 OS CPU numbers, then
 * allowed_len bytes of cpus_allowed and error_len bytes of exit.error
 * (no NULs; error_len 0: none). About 250 bytes for a one-PU task.
 */
struct wire_task {
	int32_t id, pid, slot, pu, rank;
	int32_t exit_status, exit_code, exit_signal;
	int32_t schedstat_errno, leftovers_killed;
	uint8_t timed_out, stopped, have_schedstat, have_tree, states_from_tree, states_from_loop,
		outside_slot, pad;
	int64_t voluntary_switches, involuntary_switches, max_rss_kb;
	double start_s, end_s, wall_s, user_s, sys_s, running_s, ready_s, blocked_s, zombie_s;
	double tree[11];          /* report_task_cgroup's numbers, in its order */
	int32_t npus, nseen;      /* the slot's PUs, the CPUs seen */
	int32_t allowed_len, error_len;
};

/* t as sent by rank: a new buffer of *len bytes (caller frees). */
char *wire_task_pack(const struct task_record *t, int rank, size_t *len);
/*
 * buf[0..len) back as a record marked remote with its rank: *t is zeroed
 * first; its pus point at *pus, its cpus_seen and exit.error are its own.
 * Free them with wire_task_free(t, pus). 0, or -1 with EINVAL when the
 * lengths do not add up to len (nothing to free then).
 */
int wire_task_unpack(const char *buf, size_t len, struct task_record *t, struct intlist *pus);
void wire_task_free(struct task_record *t, struct intlist *pus);

/* Workload w's specs as given (before prepare; a cmd's PATH lookup and
 * derived values are each rank's own), in a new buffer (caller frees). */
char *wire_workload_pack(const struct workload *w, size_t *len);
/*
 * The workload packed in buf[0..len): *out (zeroed first) gets its name,
 * its task count and its specs, unprepared; free it with wire_workload_free.
 * Returns the bytes read (a packed stream holds several workloads one after
 * another), or -1 with EINVAL when buf is cut short or names an unknown kind.
 */
long wire_workload_unpack(const char *buf, size_t len, struct workload *out);
void wire_workload_free(struct workload *w);

#endif
