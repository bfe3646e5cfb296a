/* The run order: calibration, warmups, then rounds with the mode order rotated. */
#include "config.h"
#include "runner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


void results_free(struct results *r)
{
	for (int i = 0; i < r->nworkloads; i++)
		for (int m = 0; m < r->opts->nmodes; m++) {
			struct mode_result *mr = &r->workloads[i].modes[m];
			for (int k = 0; k < mr->nruns; k++)
				run_record_free(&mr->runs[k]);
			free(mr->runs);
			plan_free(&mr->plan);
		}
	free(r->workloads);
	r->workloads = NULL;
	r->nworkloads = 0;
}

static int build_plans(struct results *r, const struct topo *t, const struct suite *suite)
{
	const struct options *o = r->opts;
	r->workloads = xcalloc((size_t)suite->nworkloads, sizeof(*r->workloads));
	r->nworkloads = suite->nworkloads;
	for (int i = 0; i < suite->nworkloads; i++) {
		struct workload_result *wr = &r->workloads[i];
		wr->w = &suite->workloads[i];
		for (int m = 0; m < o->nmodes; m++) {
			wr->modes[m].runs = xcalloc((size_t)o->runs, sizeof(struct run_record));
			if (plan_build(t, o->modes[m], &o->plan, wr->w->ntasks, &wr->modes[m].plan) < 0)
				return -1;
		}
	}
	return 0;
}

/* Speedup against serial, efficiency per slot, Karp-Flatt for real parallelism. */
static void summarise(struct results *r)
{
	const struct options *o = r->opts;
	for (int i = 0; i < r->nworkloads; i++) {
		struct workload_result *wr = &r->workloads[i];
		double serial = NAN;
		for (int m = 0; m < o->nmodes; m++) {
			struct mode_result *mr = &wr->modes[m];
			double *walls = xcalloc((size_t)mr->nruns + 1, sizeof(double));
			for (int k = 0; k < mr->nruns; k++)
				walls[k] = mr->runs[k].wall_s;
			stats_summarise(walls, mr->nruns, &mr->wall);
			free(walls);
			if (o->modes[m] == MODE_SERIAL)
				serial = mr->wall.median;
		}
		for (int m = 0; m < o->nmodes; m++) {
			struct mode_result *mr = &wr->modes[m];
			mr->speedup = serial / mr->wall.median;	/* NaN without serial */
			mr->efficiency = mr->speedup / mr->plan.nslots;
			mr->serial_fraction = o->modes[m] == MODE_PARALLEL
						      ? stats_karp_flatt(mr->speedup, mr->plan.nslots)
						      : NAN;
		}
	}
}

/*
 * One pass over every workload and mode; measured passes keep their records.
 * A run cut short by a signal is dropped; one stopped by --halt is kept, with
 * its tasks never started, and nothing runs after it.
 */
static int run_round(struct results *r, struct sched *s, int round, bool measured)
{
	const struct options *o = r->opts;
	for (int i = 0; i < r->nworkloads; i++) {
		struct workload_result *wr = &r->workloads[i];
		for (int j = 0; j < o->nmodes; j++) {
			int m = (j + round) % o->nmodes;
			struct mode_result *mr = &wr->modes[m];
			struct run_label label = {wr->w->name, mode_name(o->modes[m]),
						  measured ? round + 1 : 0, o->runs};
			struct run_record rec;
			int rc = sched_run(s, &mr->plan, wr->w, &label, &rec);
			if (rc == 0 && !s->signal && (measured || s->halted))
				mr->runs[mr->nruns++] = rec;
			else
				run_record_free(&rec);
			if (rc < 0 || s->signal || s->halted)
				return rc;
		}
	}
	return 0;
}

int runner_run(struct results *r, struct sched *s, const struct topo *t, const struct suite *suite)
{
	const struct options *o = r->opts;
	if (build_plans(r, t, suite) < 0)
		return -1;
	int rc = 0;
	for (int k = 0; rc == 0 && !s->signal && !s->halted && k < o->warmup; k++)
		rc = run_round(r, s, k, false);
	for (int k = 0; rc == 0 && !s->signal && !s->halted && k < o->runs; k++)
		rc = run_round(r, s, k, true);
	r->interrupted = s->signal != 0;
	summarise(r);
	return rc;
}
