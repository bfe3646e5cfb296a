#ifndef TRIBENCH_RESULTS_H
#define TRIBENCH_RESULTS_H

#include <stdbool.h>

#include "cli.h"
#include "probe.h"
#include "record.h"
#include "stats.h"
#include "suite.h"
#include "topo.h"

/* One mode of one workload: its plan, the measured runs and their summary. */
struct mode_result {
	struct plan plan;
	int nruns;
	struct run_record *runs;
	struct summary_stats wall;
	double speedup, efficiency, serial_fraction;  /* NaN: not applicable */
};

struct workload_result {
	const struct workload *w;
	struct mode_result modes[MODE_COUNT];  /* in the order of options.modes */
};

/* Everything a report says; owned by main, freed by results_free. */
struct results {
	char started_at[32];
	bool interrupted;
	struct host_facts host;
	const struct topo_info *topo;
	const struct options *opts;
	int cpu, jobs;            /* effective serial PU and parallel slot count */
	bool calibrated;
	struct calibration cal;
	int nworkloads;
	struct workload_result *workloads;
	char **warnings;          /* why these numbers may be noisy */
	int nwarnings;
};

void results_free(struct results *r);

#endif
