/* Unit tests of stats.c: median, summaries of run walls, Karp-Flatt. */
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
