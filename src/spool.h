#ifndef TRIBENCH_SPOOL_H
#define TRIBENCH_SPOOL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

/*
 * Where a live run's task records wait for the report: unlinked temporary
 * files (O_TMPFILE in $TMPDIR or /tmp; mkstemp + unlink where that is not
 * supported), so nothing is left behind however tribench ends. One spool per
 * report, shared by its runs:
 *   - out: every run's "tasks" array text, run after run, each record one
 *     line of compact JSON in id order, lines joined by ",\n";
 *   - scratch: the current run's records as the tasks ended, in any order;
 *   - index: the current run's struct spool_rec by task id (pwrite at
 *     id * sizeof): where its line is in scratch and the four numbers the
 *     run's task_stats need.
 * Memory: a few kB of buffers, nothing per task while a run goes; at a run's
 * end 8 bytes per task for one sorted distribution at a time. Every error
 * prints one line ("cannot write the task spool: ...") and returns -1.
 */
struct spool_rec {
	long long put;            /* 1 once the id was put; 0: a hole, never put */
	long long off, len;       /* the line in scratch (len 0: none) */
	double v[4];              /* wall_s, running_s, ready_s, blocked_s; NAN: null */
};

struct spool {
	int out, scratch, index;  /* descriptors, -1 when closed */
	long long out_end, scratch_end;
};

/* Percentiles (nearest rank) of one distribution; NAN when it has no value. */
struct spool_pctl {
	double p50, p90, p99, max;
};

int spool_open(struct spool *s);
void spool_close(struct spool *s);
/* Forget the previous run's scratch and index. */
int spool_run_begin(struct spool *s);
/* Task id's record: line (NULL: only the numbers) without a newline. */
int spool_put(struct spool *s, int id, const char *line, const double v[4]);
/*
 * The run's end: the four distributions over the ids 0..ntasks-1 that have a
 * value into stats[0..3]; with lines, copy the lines into out in id order
 * (an id never put gets missing(id, ctx), a malloc'd line) and set *off and
 * *len to the tasks' text there.
 */
int spool_run_end(struct spool *s, int ntasks, bool lines, struct spool_pctl stats[4],
		  char *(*missing)(int id, void *ctx), void *ctx, long long *off, long long *len);
/* Copy out's [off, off+len) to f; -1 on a read error (printed) or when f has
 * an error (a failed or stopped write: nothing printed). */
int spool_copy(const struct spool *s, long long off, long long len, FILE *f);
/* Each line of out's [off, off+len) to fn (without its ",\n"); stops at the
 * first non-zero fn result and returns it; -1 on a read error (printed). */
int spool_foreach_line(const struct spool *s, long long off, long long len,
		       int (*fn)(char *line, void *ctx), void *ctx);

#endif
