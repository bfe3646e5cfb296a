/* The Mann-Whitney U test: is one set of run walls stochastically larger than
 * the other? Rank based, so one slow outlier run cannot fake a regression. */
#include "config.h"
#include "mannwhitney.h"

#include <math.h>
#include <stdlib.h>

#include "util.h"

struct ranked {
	double v;
	bool first;               /* from the first sample */
};

static int cmp_ranked(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->v, y = ((const struct ranked *)b)->v;
	return (x > y) - (x < y);
}

/* C(n, k) as a double: exact while it fits 53 bits, close enough beyond. */
static double binom(int n, int k)
{
	double c = 1;
	for (int i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / i;
	return c;
}

/* The lower tail of U's null distribution counts arrangements: the coefficients
 * of the Gaussian binomial [m+n choose m]_q = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i).
 * Built one factor pair at a time and truncated at the degree needed, it costs
 * O(m * k) instead of the O(m * n * k) of the textbook recurrence. */
double mw_exact_p(int n1, int n2, double u)
{
	int m = n1 < n2 ? n1 : n2, n = n1 < n2 ? n2 : n1;
	double mn = (double)m * n, k = fmin(u, mn - u);
	if (m < 1 || 2 * k >= mn)
		return 1;
	long kmax = k < 0 ? 0 : (long)floor(k);
	double *c = xcalloc((size_t)kmax + 1, sizeof(*c));
	c[0] = 1;
	for (int i = 1; i <= m; i++) {
		long a = (long)n + i;
		for (long j = kmax; j >= a; j--)
			c[j] -= c[j - a];
		for (long j = i; j <= kmax; j++)
			c[j] += c[j - i];
	}
	double ways = 0;
	for (long j = 0; j <= kmax; j++)
		ways += c[j];
	free(c);
	return fmin(1, 2 * ways / binom(m + n, m));
}

/* scipy's asymptotic method: z from U1 with the tie-corrected variance and a
 * continuity correction of 1/2 towards the mean. */
static double normal_p(double u1, int nx, int ny, double tie_term)
{
	double n = (double)nx + ny, mu = (double)nx * ny / 2;
	double s = sqrt((double)nx * ny / 12 * ((n + 1) - tie_term / (n * (n - 1))));
	double num = u1 - mu;
	if (num > 0)
		num -= 0.5;
	else if (num < 0)
		num += 0.5;
	if (!(s > 0))
		return 1;	/* every value equal: no evidence of a difference */
	return fmin(1, erfc(fabs(num / s) / sqrt(2)));
}

/* Ranks with ties sharing their average rank (scipy's rankdata), which gives U
 * of the first sample and the tie term of the variance in one pass. */
void mw_test_method(const double *x, int nx, const double *y, int ny, enum mw_method method,
		    struct mw_result *out)
{
	int n = nx + ny;
	struct ranked *all = xmalloc((size_t)n * sizeof(*all));
	for (int i = 0; i < nx; i++)
		all[i] = (struct ranked){x[i], true};
	for (int i = 0; i < ny; i++)
		all[nx + i] = (struct ranked){y[i], false};
	qsort(all, (size_t)n, sizeof(*all), cmp_ranked);
	double r1 = 0, tie_term = 0;
	bool ties = false;
	for (int i = 0; i < n;) {
		int j = i;
		while (j < n && all[j].v == all[i].v)
			j++;
		double t = j - i, rank = (i + 1 + j) / 2.0;	/* average of ranks i+1..j */
		for (int k = i; k < j; k++)
			if (all[k].first)
				r1 += rank;
		tie_term += t * t * t - t;
		ties |= t > 1;
		i = j;
	}
	free(all);
	out->u = r1 - (double)nx * (nx + 1) / 2;
	out->ties = ties;
	if (method == MW_AUTO)
		out->exact = !ties && (nx <= MW_EXACT_MAX || ny <= MW_EXACT_MAX);
	else
		out->exact = method == MW_EXACT;
	out->p = out->exact ? mw_exact_p(nx, ny, out->u) : normal_p(out->u, nx, ny, tie_term);
}

void mw_test(const double *x, int nx, const double *y, int ny, struct mw_result *out)
{
	mw_test_method(x, nx, y, ny, MW_AUTO, out);
}

double mw_min_p(int n1, int n2)
{
	if (n1 < 1 || n2 < 1)
		return 1;
	return fmin(1, 2 / binom(n1 + n2, n1));
}

int mw_runs_needed(double alpha)
{
	int r = 1;
	while (r < 10000 && !(mw_min_p(r, r) < alpha))
		r++;
	return r;
}
