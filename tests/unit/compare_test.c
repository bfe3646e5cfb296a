/* Unit tests of mannwhitney.c and compare.c: p-values against scipy, the
 * verdict rule, and what makes two reports incomparable.
 *
 * Expected values come from scipy 1.10.1 (Debian's python3-scipy):
 *   scipy.stats.mannwhitneyu(x, y)                        (method='auto')
 *   scipy.stats.mannwhitneyu(x, y, method='asymptotic')
 *   2 * scipy.stats._mannwhitneyu._MWU().sf(max(u, n1*n2 - u), n1, n2) for mw_exact_p
 * The doc example (males/females) is the one in scipy's documentation, and the
 * small exact values were also checked by enumerating every arrangement of
 * ranks in Python (itertools.combinations). */
#include "config.h"
#include "compare.h"
#include "mannwhitney.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* Relative closeness for doubles (cmocka's float asserts work in float). */
#define assert_close(a, b, rel)                                                          \
	do {                                                                             \
		double got_ = (a), want_ = (b);                                          \
		if (!(fabs(got_ - want_) <= (rel) * fabs(want_) + 1e-300))               \
			fail_msg("%s = %.17g, expected %.17g", #a, got_, want_);         \
	} while (0)

#define REL 1e-10

static const double males[] = {19, 22, 16, 29, 24};
static const double females[] = {20, 11, 17, 12};

static void doc_example_is_exact_by_default(void **state)
{
	(void)state;
	struct mw_result r;
	mw_test(males, 5, females, 4, &r);
	assert_true(r.exact);
	assert_false(r.ties);
	assert_close(r.u, 17, 0);
	assert_close(r.p, 0.1111111111111111, REL);
}

static void doc_example_asymptotic_has_continuity_correction(void **state)
{
	(void)state;
	struct mw_result r;
	mw_test_method(males, 5, females, 4, MW_ASYMPTOTIC, &r);
	assert_false(r.exact);
	assert_close(r.u, 17, 0);
	assert_close(r.p, 0.11134688653314041, REL);
}

static void swapping_the_samples_keeps_p_and_mirrors_u(void **state)
{
	(void)state;
	struct mw_result a, b;
	mw_test(males, 5, females, 4, &a);
	mw_test(females, 4, males, 5, &b);
	assert_close(b.u, 5 * 4 - a.u, 0);
	assert_close(b.p, a.p, REL);
}

static void complete_separation_gives_the_smallest_p(void **state)
{
	(void)state;
	static const double x[] = {1, 2, 3, 4, 5}, y[] = {6, 7, 8, 9, 10};
	struct mw_result r;
	mw_test(x, 5, y, 5, &r);
	assert_true(r.exact);
	assert_close(r.u, 0, 0);
	assert_close(r.p, 0.007936507936507936, REL);	/* 2 / C(10, 5) */
	assert_close(mw_min_p(5, 5), r.p, REL);
}

static void three_runs_each_cannot_reach_five_percent(void **state)
{
	(void)state;
	static const double x[] = {1, 2, 3}, y[] = {4, 5, 6};
	struct mw_result r;
	mw_test(x, 3, y, 3, &r);
	assert_close(r.p, 0.1, REL);
	assert_close(mw_min_p(3, 3), 0.1, REL);
	assert_close(mw_min_p(3, 4), 2.0 / 35, REL);
	assert_close(mw_min_p(0, 4), 1, 0);
	assert_int_equal(mw_runs_needed(0.05), 4);	/* 2 / C(8, 4) = 0.029 */
	assert_int_equal(mw_runs_needed(0.01), 5);	/* 2 / C(10, 5) = 0.0079 */
	assert_int_equal(mw_runs_needed(1), 2);	/* 1 vs 1 always gives p = 1 */
}

static void ties_switch_to_the_normal_approximation(void **state)
{
	(void)state;
	static const double x[] = {1, 2, 2, 3, 4}, y[] = {2, 3, 5, 6, 6};
	struct mw_result r;
	mw_test(x, 5, y, 5, &r);
	assert_true(r.ties);
	assert_false(r.exact);
	assert_close(r.u, 4.5, 0);
	assert_close(r.p, 0.11049202405566802, REL);
}

static void large_samples_use_the_normal_approximation(void **state)
{
	(void)state;
	static const double x[] = {0.52, 0.31, 0.77, 0.12, 0.95, 0.44, 0.68, 0.21, 0.83};
	static const double y[] = {0.61, 0.99, 0.72, 0.88, 0.35, 0.91, 0.57, 0.79, 0.66, 0.93};
	struct mw_result r;
	mw_test(x, 9, y, 10, &r);
	assert_false(r.exact);
	assert_close(r.u, 26, 0);
	assert_close(r.p, 0.1309111278962908, REL);
}

/* scipy's 'auto' is exact when *either* sample has at most 8 values. */
static void one_small_sample_is_enough_for_exact(void **state)
{
	(void)state;
	static const double x[] = {0.625095, 0.897214, 0.775686, 0.225207,
				   0.300166, 0.873553, 0.005265, 0.821228};
	static const double y[] = {1.097069, 0.767935, 0.603032, 0.578426, 0.55487,
				   0.745076, 0.804548, 0.853497, 1.2955,   1.092662,
				   0.922179, 1.28896,  0.515309, 0.460212, 0.91254,
				   0.343942, 0.33568,  0.814889, 0.766206, 1.217168};
	struct mw_result r;
	mw_test(x, 8, y, 20, &r);
	assert_true(r.exact);
	assert_close(r.u, 55, 0);
	assert_close(r.p, 0.21769727856684382, REL);
	mw_test_method(x, 8, y, 20, MW_ASYMPTOTIC, &r);
	assert_close(r.p, 0.21278580386526713, REL);
	double y50[50];
	for (int i = 0; i < 50; i++)
		y50[i] = i;
	static const double x3[] = {0.5, 1.5, 2.5};
	mw_test(x3, 3, y50, 50, &r);
	assert_true(r.exact);
	assert_close(r.u, 6, 0);
	assert_close(r.p, 0.0019636301545291556, REL);
}

static void identical_values_are_no_evidence(void **state)
{
	(void)state;
	static const double x[] = {1, 1, 1};
	struct mw_result r;
	mw_test(x, 3, x, 3, &r);
	assert_close(r.p, 1, 0);
}

static void exact_distribution_matches_scipy(void **state)
{
	(void)state;
	assert_close(mw_exact_p(4, 4, 0), 0.02857142857142857, REL);
	assert_close(mw_exact_p(4, 4, 8), 1, 0);
	assert_close(mw_exact_p(7, 7, 10), 0.07284382284382285, REL);
	assert_close(mw_exact_p(3, 9, 5), 0.14545454545454545, REL);
	assert_close(mw_exact_p(8, 8, 31), 0.959129759129759, REL);
	assert_close(mw_exact_p(8, 8, 32), 1, 0);
	assert_close(mw_exact_p(5, 5, 13), 1, 0);
	/* one large side: the truncated product stays accurate in the far tail */
	assert_close(mw_exact_p(8, 1000, 100), 1.7979001751611235e-12, 1e-8);
	assert_close(mw_exact_p(1000, 8, 3000), 0.2276045281621226, REL);
	assert_close(mw_exact_p(2, 2000, 100), 0.0025971030468781593, REL);
}

static void verdict_needs_both_size_and_significance(void **state)
{
	(void)state;
	assert_int_equal(compare_verdict(10, 0.01, 5, 0.05), VERDICT_REGRESSION);
	assert_int_equal(compare_verdict(10, 0.05, 5, 0.05), VERDICT_UNCHANGED);	/* p = alpha */
	assert_int_equal(compare_verdict(10, 0.2, 5, 0.05), VERDICT_UNCHANGED);
	assert_int_equal(compare_verdict(5, 0.001, 5, 0.05), VERDICT_UNCHANGED);	/* not more */
	assert_int_equal(compare_verdict(3, 0.001, 5, 0.05), VERDICT_UNCHANGED);
	assert_int_equal(compare_verdict(-10, 0.01, 5, 0.05), VERDICT_IMPROVEMENT);
	assert_int_equal(compare_verdict(-5, 0.01, 5, 0.05), VERDICT_UNCHANGED);
	assert_int_equal(compare_verdict(0.5, 0.01, 0, 0.05), VERDICT_REGRESSION);
	assert_int_equal(compare_verdict(10, NAN, 5, 0.05), VERDICT_UNCHANGED);
	assert_string_equal(verdict_name(VERDICT_REGRESSION), "regression");
}

/* ---- compare_reports on reports built here ---- */

/* One workload "w" with one cpu task of `ops`, mode serial with these walls. */
static void build(struct report *r, const char *host, double ops, const double *walls, int n)
{
	memset(r, 0, sizeof(*r));
	r->source = xstrdup(host);
	r->version = xstrdup("test");
	r->started_at = xstrdup("2025-01-01T00:00:00Z");
	r->hostname = xstrdup(host);
	r->modes = xstrdup("serial");
	r->policy = xstrdup("spread");
	r->runs = n;
	r->jobs = 2;
	r->nworkloads = 1;
	r->workloads = xcalloc(1, sizeof(*r->workloads));
	struct report_workload *w = &r->workloads[0];
	w->name = xstrdup("w");
	w->ntasks = 1;
	w->nspecs = 1;
	w->specs = xcalloc(1, sizeof(*w->specs));
	w->specs[0].count = 1;
	w->specs[0].kind = xstrdup("cpu");
	w->specs[0].ops = ops;
	w->specs[0].params = xasprintf("{\"ops\":%.0f}", ops);
	w->nmodes = 1;
	w->modes = xcalloc(1, sizeof(*w->modes));
	struct report_mode *m = &w->modes[0];
	m->mode = xstrdup("serial");
	m->jobs = 1;
	m->executor = xstrdup("process");
	m->summary.speedup = 1;
	m->nruns = n;
	m->runs = xcalloc((size_t)n, sizeof(*m->runs));
	for (int i = 0; i < n; i++) {
		m->runs[i].wall_s = walls[i];
		m->runs[i].in_summary = true;	/* a complete run, as the reader gives it */
	}
}

static const double base[] = {1.00, 1.01, 0.99, 1.02, 0.98};
static const double slower[] = {1.20, 1.21, 1.19, 1.22, 1.18};
static const double close_by[] = {1.01, 1.02, 1.00, 1.03, 0.99};

static void slower_and_significant_is_a_regression(void **state)
{
	(void)state;
	struct report a, b;
	struct comparison c;
	build(&a, "h", 1000, base, 5);
	build(&b, "h", 1000, slower, 5);
	assert_int_equal(compare_reports(&a, &b, 5, 0.05, &c), 0);
	assert_int_equal(c.npairs, 1);
	assert_int_equal(c.nregressions, 1);
	assert_int_equal(c.nwarnings, 0);
	assert_string_equal(c.pairs[0].workload, "w");
	assert_string_equal(c.pairs[0].mode, "serial");
	assert_close(c.pairs[0].old.median_s, 1.00, REL);
	assert_close(c.pairs[0].new.median_s, 1.20, REL);
	assert_close(c.pairs[0].change_pct, 20, 1e-9);
	assert_close(c.pairs[0].speedup, 1 / 1.2, REL);
	assert_close(c.pairs[0].test.p, 0.007936507936507936, REL);
	assert_int_equal(c.pairs[0].verdict, VERDICT_REGRESSION);
	compare_free(&c);
	/* the same change under a 25% threshold is not one */
	assert_int_equal(compare_reports(&a, &b, 25, 0.05, &c), 0);
	assert_int_equal(c.nregressions, 0);
	compare_free(&c);
	/* and backwards it is an improvement */
	assert_int_equal(compare_reports(&b, &a, 5, 0.05, &c), 0);
	assert_int_equal(c.nregressions, 0);
	assert_int_equal(c.nimprovements, 1);
	compare_free(&c);
	report_free(&a);
	report_free(&b);
}

static void small_change_is_not_a_regression(void **state)
{
	(void)state;
	struct report a, b;
	struct comparison c;
	build(&a, "h", 1000, base, 5);
	build(&b, "h", 1000, close_by, 5);
	assert_int_equal(compare_reports(&a, &b, 5, 0.05, &c), 0);
	assert_int_equal(c.nregressions, 0);
	assert_int_equal(c.pairs[0].verdict, VERDICT_UNCHANGED);
	compare_free(&c);
	report_free(&a);
	report_free(&b);
}

static void different_work_and_hosts_warn(void **state)
{
	(void)state;
	struct report a, b;
	struct comparison c;
	build(&a, "alpha", 1000, base, 5);
	build(&b, "beta", 2000, base, 5);
	assert_int_equal(compare_reports(&a, &b, 5, 0.05, &c), 0);
	assert_int_equal(c.nwarnings, 2);
	assert_non_null(strstr(c.warnings[0], "different hosts"));
	assert_non_null(strstr(c.warnings[1], "cpu ops differ"));
	assert_non_null(strstr(c.warnings[1], "1000 vs 2000"));
	compare_free(&c);
	report_free(&a);
	report_free(&b);
}

/* A suspended run (Ctrl-Z) is left out like a failed one, and a warning says so. */
static void left_out_runs_are_counted_and_named(void **state)
{
	(void)state;
	struct report a, b;
	struct comparison c;
	build(&a, "h", 1000, base, 5);
	build(&b, "h", 1000, slower, 5);
	b.workloads[0].modes[0].runs[1].suspended_s = 2;
	b.workloads[0].modes[0].runs[1].in_summary = false;
	b.workloads[0].modes[0].runs[3].failed = true;
	b.workloads[0].modes[0].runs[3].in_summary = false;
	assert_int_equal(compare_reports(&a, &b, 5, 0.05, &c), 0);
	assert_int_equal(c.pairs[0].old.runs, 5);
	assert_int_equal(c.pairs[0].new.runs, 3);
	assert_int_equal(c.nwarnings, 1);
	assert_string_equal(c.warnings[0], "w/serial: 2 of 5 runs in 'h' left out (1 failed, 1 suspended): "
					   "compared over 3");
	compare_free(&c);
	report_free(&a);
	report_free(&b);
}

static void too_few_runs_or_nothing_in_common_is_unusable(void **state)
{
	(void)state;
	struct report a, b;
	struct comparison c;
	build(&a, "h", 1000, base, 3);
	build(&b, "h", 1000, slower, 3);
	assert_int_equal(compare_reports(&a, &b, 5, 0.05, &c), -1);
	assert_int_equal(c.npairs, 0);	/* freed and cleared */
	assert_int_equal(compare_reports(&a, &b, 5, 0.2, &c), 0);	/* 0.1 < 0.2 is reachable */
	compare_free(&c);
	report_free(&b);
	build(&b, "h", 1000, slower, 5);
	free(b.workloads[0].name);
	b.workloads[0].name = xstrdup("other");
	/* one workload on each side: paired whatever the names, and said */
	assert_int_equal(compare_reports(&a, &b, 5, 0.05, &c), 0);
	assert_int_equal(c.npairs, 1);
	assert_non_null(strstr(c.warnings[0], "compared as one"));
	compare_free(&c);
	/* two on one side: names decide, and none is in common */
	b.workloads = xrealloc(b.workloads, 2 * sizeof(*b.workloads));
	b.workloads[1] = b.workloads[0];
	b.workloads[1].name = xstrdup("second");
	b.workloads[1].modes = NULL;
	b.workloads[1].nmodes = 0;
	b.workloads[1].specs = NULL;
	b.workloads[1].nspecs = 0;
	b.workloads[1].extra = NULL;
	b.nworkloads = 2;
	assert_int_equal(compare_reports(&a, &b, 5, 0.05, &c), -1);
	report_free(&a);
	report_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(doc_example_is_exact_by_default),
		cmocka_unit_test(doc_example_asymptotic_has_continuity_correction),
		cmocka_unit_test(swapping_the_samples_keeps_p_and_mirrors_u),
		cmocka_unit_test(complete_separation_gives_the_smallest_p),
		cmocka_unit_test(three_runs_each_cannot_reach_five_percent),
		cmocka_unit_test(ties_switch_to_the_normal_approximation),
		cmocka_unit_test(large_samples_use_the_normal_approximation),
		cmocka_unit_test(one_small_sample_is_enough_for_exact),
		cmocka_unit_test(identical_values_are_no_evidence),
		cmocka_unit_test(exact_distribution_matches_scipy),
		cmocka_unit_test(verdict_needs_both_size_and_significance),
		cmocka_unit_test(slower_and_significant_is_a_regression),
		cmocka_unit_test(small_change_is_not_a_regression),
		cmocka_unit_test(different_work_and_hosts_warn),
		cmocka_unit_test(left_out_runs_are_counted_and_named),
		cmocka_unit_test(too_few_runs_or_nothing_in_common_is_unusable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
