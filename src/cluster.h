#ifndef TRIBENCH_CLUSTER_H
#define TRIBENCH_CLUSTER_H

/*
 * The seam between one tribench and the MPI ranks around it (tribench-mpi).
 * The library never includes mpi.h: the MPI layer (src/mpi/) fills in these
 * function pointers, and tribench's own binary has none (app_cluster NULL).
 *
 * Rank 0 runs tribench's `run` as usual; serial and concurrent runs stay on
 * its host while the other ranks wait. A parallel run spans every rank: the
 * scheduler (sched_run) calls run_begin before its t0 (the ranks get the
 * workload and start the run behind a barrier, so every rank's start_s
 * counts from the same moment), run_pump on every turn of its loop (which
 * then waits 1 ms at most), and run_end after it. On rank 0 run_pump hands
 * out task ids (rs->next) to the ranks, a few ahead of each rank's free
 * slots, and puts the records that came back into the run (rank set); on
 * the other ranks it takes the ids that came, next_id gives them to the
 * loop, and their records go back to rank 0 (task_collector.forward).
 */
#include <stdbool.h>

struct run_state;
struct sched;
struct topo;
struct options;
struct calibration;
struct suite;

struct cluster {
	int rank, size;           /* in MPI_COMM_WORLD */
	void *impl;               /* the MPI layer's state (owned by it) */
	/*
	 * Rank 0, once, after its own calibration (cal, NULL: none ran) and
	 * before it prepares the suite: the workloads go to the ranks as given
	 * (each prepares them with its own calibration and PATH); every other
	 * rank calibrates on its own host when cal is not NULL, builds its
	 * plans and answers.
	 * 0; -1 with one error line when a rank cannot plan (bad input: its
	 * share of its host is empty, --cpu-list outside it); -2 with one
	 * error line when a rank cannot be reached or failed to calibrate.
	 */
	int (*setup)(struct cluster *c, struct sched *s, const struct topo *t, const struct options *o,
		     const struct suite *suite, const struct calibration *cal);
	/* Rank 0: the other ranks' parallel slots, together, for an entry of --jobs jobs (0: all). */
	int (*remote_slots)(const struct cluster *c, int jobs);
	/* Before a parallel run's t0: 0, or -1 (a runtime error, printed). */
	int (*run_begin)(struct cluster *c, struct run_state *rs);
	/* Each turn of the loop. Returns how many ranks are still in the run
	 * (rank 0: ranks that have not said they are done; another rank: 1
	 * while rank 0 may still send ids), 0 when the run is over on their side. */
	int (*run_pump)(struct cluster *c, struct run_state *rs);
	/* Another rank: the next task id rank 0 gave it, -1 none now; take:
	 * remove it. NULL on rank 0 (ids are rs->next there). */
	int (*next_id)(struct cluster *c, struct run_state *rs, bool take);
	/* After the loop: another rank says it is done (its wall, the ids it
	 * never started, forwarded as not started); rank 0 takes the run's wall
	 * as the longest of every rank's. 0 or -1. */
	int (*run_end)(struct cluster *c, struct run_state *rs);
	/*
	 * Rank 0, at the end of the benchmark: the ranks stop and answer with
	 * their last numbers. Returns the report's ranks[] as JSON text (caller
	 * frees; rank 0 first), or NULL when it cannot be built; *warning gets
	 * a line naming ranks that did not answer (caller frees), or NULL.
	 */
	char *(*finish)(struct cluster *c, struct sched *s, char **warning);
};

#endif
