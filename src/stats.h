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

#endif
