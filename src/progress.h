#ifndef TRIBENCH_PROGRESS_H
#define TRIBENCH_PROGRESS_H

#include <stdbool.h>

/* A one-line progress bar on stderr, drawn only when stderr is a terminal. */
struct progress {
	bool on;
	double t0, last_draw;
	long total, done;         /* tasks over the whole benchmark */
	const char *workload, *mode;
	int run, runs;            /* run 0: a warmup */
	int run_done, run_tasks;
	int width;
};

void progress_init(struct progress *p, bool on, long total_tasks);
void progress_run(struct progress *p, const char *workload, const char *mode, int run, int runs,
		  int ntasks);
void progress_task_done(struct progress *p);
/* Redraw if the last drawing is older than 100 ms (or force). */
void progress_draw(struct progress *p, bool force);
void progress_clear(struct progress *p);

#endif
