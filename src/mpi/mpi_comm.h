#ifndef TRIBENCH_MPI_COMM_H
#define TRIBENCH_MPI_COMM_H

/*
 * tribench-mpi's state and its few MPI calls, shared by its main
 * (mpi_main.c), rank 0's side (mpi_root.c) and the other ranks' (mpi_rank.c).
 * Nothing here blocks in MPI but MPI_Init, the start-up exchange and
 * MPI_Finalize: sends are buffered (MPI_Bsend), receives are MPI_Iprobe
 * first, and waits are MPI_Test + a 1 ms sleep, since a blocking MPI call
 * spins a whole core on this Open MPI.
 */
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "cluster.h"
#include "mpi/wire.h"
#include "util.h"

enum { TAG_ROOT = 1, TAG_RANK = 2 };    /* rank 0 -> the others; the others -> rank 0 */

/* What rank 0 knows of each other rank. */
struct mpi_peer {
	char *info;               /* its ranks[] object (JSON text), or NULL */
	int nslots;               /* (jobs, slots) pairs of its parallel entries */
	int *slots;
	int *out;                 /* ids sent in this run and not yet reported */
	int nout, capout;
	bool in_run;              /* it has not said DONE in this run */
	bool ended;               /* END sent in this run */
	bool lost;                /* it stopped answering: nothing more goes to it */
	bool left;                /* it stopped on its own signal (its WIRE_FINAL came) */
	double wall_s;            /* its last run's wall */
	double cpu_s;             /* its own CPU time (WIRE_FINAL); NAN: none */
};

struct mpi_state {
	struct cluster c;         /* c.impl points back here */
	char *bsend;              /* MPI_Buffer_attach's buffer */
	int bsend_size;
	/* rank 0 */
	struct mpi_peer *peers;   /* [size], peers[0] unused */
	int run_slots;            /* the other ranks' slots in this run, together */
	bool stop_sent;
	double stop_at;           /* when the run began to stop (now_s), 0: not */
	double lost_after_s;      /* how long after a stop rank 0 waits for the others */
	bool finished;            /* WIRE_FINISH sent */
	bool lost_any;            /* a rank stopped answering: MPI_Finalize would wait for it */
	char *self_info;          /* rank 0's own ranks[] object */
};

/* Send a head and payload to rank `to` on tag, buffered: 0, or -1 (printed). */
int mpi_send(int to, int tag, const struct wire_head *h, const void *payload, size_t len);
/*
 * A message waiting on tag from `from` (MPI_ANY_SOURCE: anyone), without
 * blocking: 1 and *h, *payload (malloc'd, caller frees, NULL when none),
 * *len, *src; 0 when none waits; -1 on an MPI error (printed).
 */
int mpi_poll(int from, int tag, struct wire_head *h, char **payload, size_t *len, int *src);
/* The same, waiting (1 ms sleeps) at most timeout_s and not past a pending
 * stop signal (mpi_stop_pending); 0 when it ran out or stopped. */
int mpi_wait(int from, int tag, struct wire_head *h, char **payload, size_t *len, int *src,
	     double timeout_s);
/* Is a SIGINT, SIGTERM or SIGHUP pending (blocked, not yet read)? A wait
 * outside the scheduler's loop stops for it; the loop then reads it. */
bool mpi_stop_pending(void);
/* MPI_Ibarrier + MPI_Test with 50 µs sleeps: every rank is here. 0, or -1
 * (printed) past a stop signal or 60 s. */
int mpi_barrier(void);
/* Rank 0's buf[0..len) to every rank's buf (MPI_Ibcast in pieces of at
 * most 1 GiB, MPI_Test with 50 µs sleeps), every rank calling it with the
 * same len: the suite, whatever its size, without a send buffer. 0 or -1. */
int mpi_bcast(void *buf, size_t len);

/* Seconds of CPU this process used, from getrusage(RUSAGE_SELF). */
double mpi_self_cpu_s(void);
/*
 * This rank's ranks[] object: rank, host (json_host_text over t's usable
 * PUs, probed at the first), containment, calibration (cal NULL: none ran),
 * and plans when not NULL (taken: the object owns it). A new cJSON tree
 * (caller frees).
 */
cJSON *mpi_rank_info(int rank, struct sched *s, const struct topo *t, const struct options *o,
		     const struct calibration *cal, cJSON *plans);

/* Rank 0's hooks (mpi_root.c) into st->c. */
void mpi_root_init(struct mpi_state *st);
/* Rank 0, tribench_main over: the ranks that were never told to finish are
 * told now (a bad-input exit, a run that never began). */
void mpi_root_release(struct mpi_state *st);
/*
 * Another rank's whole life (mpi_rank.c): wait for rank 0's messages,
 * without spinning, and run what they say on this rank's share of its host
 * (the topology it loads sees only that). Returns the process's exit code.
 */
int mpi_rank_serve(struct mpi_state *st, int argc, char **argv);

#endif
