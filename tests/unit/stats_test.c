/* Unit tests of stats.c: median, summaries of run walls, Karp-Flatt, the
 * Amdahl fit. */
#include "config.h"
#include "stats.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* cmocka's assert_float_equal works in float; these are doubles. */
#define assert_near(a, b, eps)                                                           \
	do {                                                                             \
		double got_ = (a), want_ = (b);                                          \
		if (!(fabs(got_ - want_) <= (eps)))                                      \
			fail_msg("%s = %.17g, expected %.17g", #a, got_, want_);         \
	} while (0)

#define EPS 1e-12

static void median_of_odd_count_is_the_middle_value(void **state)
{
	(void)state;
	static const double v[] = {3.0, 1.0, 2.0};
	assert_near(stats_median(v, 3), 2.0, EPS);
	static const double w[] = {9.5, -1.0, 4.0, 100.0, 0.5};
	assert_near(stats_median(w, 5), 4.0, EPS);
}

static void median_of_even_count_averages_the_middle_two(void **state)
{
	(void)state;
	static const double v[] = {4.0, 1.0, 3.0, 2.0};
	assert_near(stats_median(v, 4), 2.5, EPS);
	static const double w[] = {10.0, 0.0};
	assert_near(stats_median(w, 2), 5.0, EPS);
}

static void median_of_one_value_is_that_value(void **state)
{
	(void)state;
	static const double v[] = {0.125};
	assert_near(stats_median(v, 1), 0.125, EPS);
}

static void median_of_nothing_is_nan(void **state)
{
	(void)state;
	assert_true(isnan(stats_median(NULL, 0)));
}

static void median_leaves_its_input_unsorted(void **state)
{
	(void)state;
	double v[] = {3.0, 1.0, 2.0, 0.0};
	stats_median(v, 4);
	assert_near(v[0], 3.0, 0);
	assert_near(v[1], 1.0, 0);
	assert_near(v[2], 2.0, 0);
	assert_near(v[3], 0.0, 0);
}

static void summarise_computes_every_statistic(void **state)
{
	(void)state;
	/* the textbook set: mean 5, population sd 2, sample sd sqrt(32/7) */
	static const double v[] = {2, 4, 4, 4, 5, 5, 7, 9};
	struct summary_stats s;
	stats_summarise(v, 8, &s);
	assert_int_equal(s.n, 8);
	assert_near(s.mean, 5.0, EPS);
	assert_near(s.stddev, sqrt(32.0 / 7.0), EPS);
	assert_near(s.min, 2.0, 0);
	assert_near(s.max, 9.0, 0);
	assert_near(s.median, 4.5, EPS);
	/* |v - 4.5| = 2.5 .5 .5 .5 .5 .5 2.5 4.5 -> median 0.5 */
	assert_near(s.mad, 0.5, EPS);
}

static void summarise_of_odd_count(void **state)
{
	(void)state;
	static const double v[] = {1.0, 2.0, 3.0, 4.0, 100.0};
	struct summary_stats s;
	stats_summarise(v, 5, &s);
	assert_int_equal(s.n, 5);
	assert_near(s.mean, 22.0, EPS);
	/* deviations -21 -20 -19 -18 78: squares sum 7610, / 4 */
	assert_near(s.stddev, sqrt(7610.0 / 4.0), 1e-9);
	assert_near(s.min, 1.0, 0);
	assert_near(s.max, 100.0, 0);
	assert_near(s.median, 3.0, EPS);
	/* |v - 3| = 2 1 0 1 97 -> median 1: robust to the outlier */
	assert_near(s.mad, 1.0, EPS);
}

static void summarise_of_equal_values_has_no_spread(void **state)
{
	(void)state;
	static const double v[] = {0.7, 0.7, 0.7};
	struct summary_stats s;
	stats_summarise(v, 3, &s);
	assert_near(s.mean, 0.7, EPS);
	assert_near(s.stddev, 0.0, EPS);
	assert_near(s.mad, 0.0, 0);
	assert_near(s.min, 0.7, 0);
	assert_near(s.max, 0.7, 0);
}

static void summarise_of_one_value_has_zero_stddev(void **state)
{
	(void)state;
	static const double v[] = {1.25};
	struct summary_stats s;
	stats_summarise(v, 1, &s);
	assert_int_equal(s.n, 1);
	assert_near(s.mean, 1.25, 0);
	assert_near(s.median, 1.25, 0);
	assert_near(s.min, 1.25, 0);
	assert_near(s.max, 1.25, 0);
	assert_near(s.stddev, 0.0, 0);
	assert_near(s.mad, 0.0, 0);
}

static void summarise_of_nothing_is_all_nan(void **state)
{
	(void)state;
	struct summary_stats s;
	stats_summarise(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(s.mean));
	assert_true(isnan(s.median));
	assert_true(isnan(s.stddev));
	assert_true(isnan(s.min));
	assert_true(isnan(s.max));
	assert_true(isnan(s.mad));
}

static void karp_flatt_of_perfect_speedup_is_zero(void **state)
{
	(void)state;
	assert_near(stats_karp_flatt(2.0, 2), 0.0, EPS);
	assert_near(stats_karp_flatt(4.0, 4), 0.0, EPS);
	assert_near(stats_karp_flatt(16.0, 16), 0.0, EPS);
}

static void karp_flatt_of_no_speedup_is_one(void **state)
{
	(void)state;
	assert_near(stats_karp_flatt(1.0, 2), 1.0, EPS);
	assert_near(stats_karp_flatt(1.0, 8), 1.0, EPS);
}

static void karp_flatt_known_values(void **state)
{
	(void)state;
	/* e = (1/s - 1/p) / (1 - 1/p) */
	assert_near(stats_karp_flatt(2.0, 4), 1.0 / 3.0, EPS);
	assert_near(stats_karp_flatt(3.0, 4), 1.0 / 9.0, EPS);
	assert_near(stats_karp_flatt(1.5, 2), 1.0 / 3.0, EPS);
	/* superlinear speedup gives a negative fraction, not NaN */
	assert_near(stats_karp_flatt(8.0, 4), -1.0 / 6.0, EPS);
}

static void karp_flatt_is_nan_when_undefined(void **state)
{
	(void)state;
	assert_true(isnan(stats_karp_flatt(1.0, 1)));
	assert_true(isnan(stats_karp_flatt(2.0, 1)));
	assert_true(isnan(stats_karp_flatt(2.0, 0)));
	assert_true(isnan(stats_karp_flatt(2.0, -3)));
	assert_true(isnan(stats_karp_flatt(0.0, 4)));
	assert_true(isnan(stats_karp_flatt(-1.0, 4)));
	assert_true(isnan(stats_karp_flatt(NAN, 4)));
}

/* Speedups that follow Amdahl's law exactly give its f back, with no
 * residual: se 0. */
static void amdahl_fit_of_exact_data_gives_f_back(void **state)
{
	(void)state;
	static const double fs[] = {0.0, 0.052, 0.25, 1.0};
	static const int jobs[] = {1, 2, 4, 8, 16};
	for (size_t k = 0; k < sizeof(fs) / sizeof(fs[0]); k++) {
		double speedup[5], f = -1, se = -1;
		for (int i = 0; i < 5; i++)
			speedup[i] = 1 / (fs[k] + (1 - fs[k]) / jobs[i]);
		assert_int_equal(stats_amdahl_fit(jobs, speedup, 5, &f, &se), 0);
		assert_near(f, fs[k], 1e-12);
		assert_near(se, 0.0, 1e-9);
	}
}

/* Karp-Flatt 0.1 at 2 jobs and 0.2 at 4: y = 1/S - 1/p against x = 1 - 1/p
 * is (0.5, 0.05), (0.75, 0.15); through the origin f = sum xy / sum xx =
 * 11/65, residuals -2.25/65 and 1.5/65, se = sqrt(rss / (n-1) / sum xx) =
 * 3/65. f lies between the two Karp-Flatt values, nearer the larger x. */
static void amdahl_fit_of_noisy_data_is_least_squares(void **state)
{
	(void)state;
	const int jobs[] = {2, 4};
	const double speedup[] = {1 / 0.55, 2.5};
	double f, se;
	assert_int_equal(stats_amdahl_fit(jobs, speedup, 2, &f, &se), 0);
	assert_near(f, 11.0 / 65, 1e-12);
	assert_near(se, 3.0 / 65, 1e-12);
	assert_true(f > stats_karp_flatt(speedup[0], 2) && f < stats_karp_flatt(speedup[1], 4));
	/* the order of the points does not matter */
	const int jobs2[] = {4, 2};
	const double speedup2[] = {2.5, 1 / 0.55};
	double f2, se2;
	assert_int_equal(stats_amdahl_fit(jobs2, speedup2, 2, &f2, &se2), 0);
	assert_near(f2, f, 1e-15);
	assert_near(se2, se, 1e-15);
}

/* A jobs-1 point has x = 0: it does not move f, but its distance from
 * speedup 1 is a residual (n-1 = 1 degree of freedom here). */
static void amdahl_fit_counts_one_job_in_the_residuals(void **state)
{
	(void)state;
	const int jobs[] = {1, 4};
	const double speedup[] = {0.9, 2.5};
	double f, se;
	assert_int_equal(stats_amdahl_fit(jobs, speedup, 2, &f, &se), 0);
	assert_near(f, stats_karp_flatt(2.5, 4), 1e-12);
	/* rss = (1/0.9 - 1)^2, sum xx = 0.75^2 */
	assert_near(se, (1 / 0.9 - 1) / 0.75, 1e-12);
}

/* One point: f is its Karp-Flatt value, and no spread to estimate. */
static void amdahl_fit_of_one_point_has_no_se(void **state)
{
	(void)state;
	const int jobs[] = {4};
	const double speedup[] = {2.5};
	double f, se;
	assert_int_equal(stats_amdahl_fit(jobs, speedup, 1, &f, &se), 0);
	assert_near(f, 0.2, 1e-12);
	assert_true(isnan(se));
}

static void amdahl_fit_is_refused_without_a_usable_point(void **state)
{
	(void)state;
	double f = 7, se = 7;
	/* jobs 1 only: x = 0 everywhere, f is not determined */
	const int ones[] = {1, 1};
	const double s1[] = {1.0, 0.9};
	assert_int_equal(stats_amdahl_fit(ones, s1, 2, &f, &se), -1);
	assert_int_equal(stats_amdahl_fit(ones, s1, 0, &f, &se), -1);
	/* a speedup that is not > 0 (zero, negative, NaN) */
	const int jobs[] = {2, 4};
	const double zero[] = {1.5, 0.0}, negative[] = {-1.0, 2.0}, nan[] = {1.5, NAN};
	assert_int_equal(stats_amdahl_fit(jobs, zero, 2, &f, &se), -1);
	assert_int_equal(stats_amdahl_fit(jobs, negative, 2, &f, &se), -1);
	assert_int_equal(stats_amdahl_fit(jobs, nan, 2, &f, &se), -1);
	/* jobs below 1 */
	const int bad[] = {0, 2};
	const double s2[] = {1.0, 1.5};
	assert_int_equal(stats_amdahl_fit(bad, s2, 2, &f, &se), -1);
	/* refused fits leave the outputs alone */
	assert_near(f, 7, 0);
	assert_near(se, 7, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(median_of_odd_count_is_the_middle_value),
		cmocka_unit_test(median_of_even_count_averages_the_middle_two),
		cmocka_unit_test(median_of_one_value_is_that_value),
		cmocka_unit_test(median_of_nothing_is_nan),
		cmocka_unit_test(median_leaves_its_input_unsorted),
		cmocka_unit_test(summarise_computes_every_statistic),
		cmocka_unit_test(summarise_of_odd_count),
		cmocka_unit_test(summarise_of_equal_values_has_no_spread),
		cmocka_unit_test(summarise_of_one_value_has_zero_stddev),
		cmocka_unit_test(summarise_of_nothing_is_all_nan),
		cmocka_unit_test(karp_flatt_of_perfect_speedup_is_zero),
		cmocka_unit_test(karp_flatt_of_no_speedup_is_one),
		cmocka_unit_test(karp_flatt_known_values),
		cmocka_unit_test(karp_flatt_is_nan_when_undefined),
		cmocka_unit_test(amdahl_fit_of_exact_data_gives_f_back),
		cmocka_unit_test(amdahl_fit_of_noisy_data_is_least_squares),
		cmocka_unit_test(amdahl_fit_counts_one_job_in_the_residuals),
		cmocka_unit_test(amdahl_fit_of_one_point_has_no_se),
		cmocka_unit_test(amdahl_fit_is_refused_without_a_usable_point),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
