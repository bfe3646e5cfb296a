#ifndef TRIBENCH_MANNWHITNEY_H
#define TRIBENCH_MANNWHITNEY_H

#include <stdbool.h>

/* The two-sided Mann-Whitney U test as scipy.stats.mannwhitneyu computes it by
 * default (method='auto', use_continuity=True): the exact null distribution
 * when either sample has at most MW_EXACT_MAX values and there are no ties,
 * else the normal approximation with tie and continuity correction. */

#define MW_EXACT_MAX 8

struct mw_result {
	double u;                 /* U of the first sample (scipy's statistic) */
	double p;                 /* two-sided p-value, in [0, 1] */
	bool exact;               /* exact distribution, else normal approximation */
	bool ties;                /* some values are equal (in either sample or across) */
};

enum mw_method { MW_AUTO, MW_EXACT, MW_ASYMPTOTIC };

/* nx, ny >= 1; MW_AUTO chooses as described above. */
void mw_test_method(const double *x, int nx, const double *y, int ny, enum mw_method method,
		    struct mw_result *out);
/* mw_test_method with MW_AUTO. */
void mw_test(const double *x, int nx, const double *y, int ny, struct mw_result *out);
/* Two-sided exact p of U = u (a whole number) for samples of n1 and n2 values. */
double mw_exact_p(int n1, int n2, double u);
/* The smallest two-sided p-value n1 against n2 values can give: 2 / C(n1+n2, n1)
 * (complete separation), at most 1. */
double mw_min_p(int n1, int n2);
/* Values per sample needed, both samples alike, for mw_min_p to fall below alpha. */
int mw_runs_needed(double alpha);

#endif
