#ifndef TRIBENCH_COMPARE_H
#define TRIBENCH_COMPARE_H

#include "mannwhitney.h"
#include "report_model.h"

/* `tribench compare`: the workload x mode pairs of two reports, each with the
 * change of its median wall and a Mann-Whitney U test on the run walls. */

enum verdict { VERDICT_UNCHANGED, VERDICT_REGRESSION, VERDICT_IMPROVEMENT };

struct compare_side {
	int runs;                     /* usable runs (in_summary): neither failed,
	                                 partial nor suspended by a Ctrl-Z */
	double median_s;              /* of the usable runs; NAN: none */
	double speedup_vs_serial;     /* the report's summary.speedup; NAN: null */
	int failed_runs, failed_tasks;/* the report's summary */
};

struct compare_pair {
	const char *workload;         /* borrowed from the old report */
	char *mode;                   /* the entry's label in both reports ("parallel/j2"); owned */
	const struct report_mode *entry; /* the old report's entry: its key (mode, jobs, executor) */
	struct compare_side old, new;
	double change_pct;            /* new median against old, in percent: + is slower */
	double speedup;               /* old median / new median: above 1 is faster */
	struct mw_result test;        /* p NAN: not tested (a side had no usable run) */
	bool new_failures;            /* tasks failed in NEW and none in OLD: a regression */
	enum verdict verdict;
};

struct comparison {
	const char *old_source, *new_source;  /* borrowed */
	double threshold_pct, alpha;
	int npairs;
	struct compare_pair *pairs;
	int nregressions, nimprovements;
	int nwarnings;
	char **warnings;              /* one line each: the reports ran different work */
};

const char *verdict_name(enum verdict v);
/* Slower by more than threshold_pct and p < alpha: a regression; faster by as
 * much with p < alpha: an improvement; anything else is unchanged. */
enum verdict compare_verdict(double change_pct, double p, double threshold_pct, double alpha);
/* Pair and test old against new over the usable runs. Failed tasks in NEW
 * where OLD had none make a regression whatever the times; the same failures
 * on both sides are reported, not judged; a pair where a side has no usable
 * run is not tested. -1 with one error line when the input cannot answer the
 * question: no common pair, or too few usable runs for p < alpha ever. */
int compare_reports(const struct report *old, const struct report *new, double threshold_pct,
		    double alpha, struct comparison *out);
void compare_free(struct comparison *c);

#endif
