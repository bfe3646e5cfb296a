#ifndef TRIBENCH_STATS_H
#define TRIBENCH_STATS_H

struct summary_stats {
	double mean, median, stddev, min, max, mad;
	int n;
};

double stats_median(const double *v, int n);
/* All of them over n values; stddev is the sample one (n-1), 0 for n < 2. */
void stats_summarise(const double *v, int n, struct summary_stats *out);
/* Karp-Flatt serial fraction for speedup s on p slots; NaN when undefined. */
double stats_karp_flatt(double speedup, int p);
/*
 * Amdahl's law fitted over n points (jobs[i], speedup[i]): the serial
 * fraction f of 1/S = f + (1 - f)/p by least squares in that linear form
 * (y = 1/S - 1/p against x = 1 - 1/p, a line through the origin: each
 * point's y/x is its Karp-Flatt value), and f's standard error from the
 * residuals (n - 1 degrees of freedom). Returns 0 with *f and *se (NAN
 * below 2 points); -1 when no point has p >= 2 or a speedup is not > 0.
 * Dimensionless; inputs are the caller's.
 */
int stats_amdahl_fit(const int *jobs, const double *speedup, int n, double *f, double *se);

#endif
