/* Statistics over run walls and the speedup math. */
#include "config.h"
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double stats_median(const double *v, int n)
{
	if (n <= 0)
		return NAN;
	double *s = xmalloc((size_t)n * sizeof(double));
	memcpy(s, v, (size_t)n * sizeof(double));
	qsort(s, (size_t)n, sizeof(double), cmp_double);
	double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

void stats_summarise(const double *v, int n, struct summary_stats *out)
{
	memset(out, 0, sizeof(*out));
	out->n = n;
	if (n <= 0) {
		out->mean = out->median = out->stddev = out->min = out->max = out->mad = NAN;
		return;
	}
	double sum = 0;
	out->min = out->max = v[0];
	for (int i = 0; i < n; i++) {
		sum += v[i];
		if (v[i] < out->min)
			out->min = v[i];
		if (v[i] > out->max)
			out->max = v[i];
	}
	out->mean = sum / n;
	double ss = 0;
	for (int i = 0; i < n; i++)
		ss += (v[i] - out->mean) * (v[i] - out->mean);
	out->stddev = n > 1 ? sqrt(ss / (n - 1)) : 0;
	out->median = stats_median(v, n);
	double *dev = xmalloc((size_t)n * sizeof(double));
	for (int i = 0; i < n; i++)
		dev[i] = fabs(v[i] - out->median);
	out->mad = stats_median(dev, n);
	free(dev);
}

double stats_karp_flatt(double speedup, int p)
{
	if (p < 2 || !(speedup > 0))
		return NAN;
	return (1.0 / speedup - 1.0 / p) / (1.0 - 1.0 / p);
}

int stats_amdahl_fit(const int *jobs, const double *speedup, int n, double *f, double *se)
{
	double sxx = 0, sxy = 0;
	for (int i = 0; i < n; i++) {
		if (!(speedup[i] > 0) || jobs[i] < 1)
			return -1;
		double x = 1 - 1.0 / jobs[i], y = 1 / speedup[i] - 1.0 / jobs[i];
		sxx += x * x;
		sxy += x * y;
	}
	if (!(sxx > 0))
		return -1;
	*f = sxy / sxx;
	*se = NAN;
	if (n < 2)
		return 0;
	double rss = 0;
	for (int i = 0; i < n; i++) {
		double x = 1 - 1.0 / jobs[i], y = 1 / speedup[i] - 1.0 / jobs[i];
		rss += (y - *f * x) * (y - *f * x);
	}
	*se = sqrt(rss / (n - 1) / sxx);
	return 0;
}
