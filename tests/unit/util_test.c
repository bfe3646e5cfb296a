/* Unit tests of util.c: CPU lists in taskset syntax, strict numbers, int lists. */
#include "config.h"
#include "util.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* cmocka's assert_float_equal works in float; these are doubles. */
#define assert_near(a, b, eps)                                                           \
	do {                                                                             \
		double got_ = (a), want_ = (b);                                          \
		if (!(fabs(got_ - want_) <= (eps)))                                      \
			fail_msg("%s = %.17g, expected %.17g", #a, got_, want_);         \
	} while (0)

/* Parse s, expect success and exactly the n CPUs in want (sorted). */
static void assert_cpulist(const char *s, const int *want, int n)
{
	struct intlist l = {0};
	assert_int_equal(cpulist_parse(s, &l), 0);
	assert_int_equal(l.n, n);
	for (int i = 0; i < n; i++)
		assert_int_equal(l.v[i], want[i]);
	intlist_free(&l);
}

static void assert_cpulist_bad(const char *s)
{
	struct intlist l = {0};
	assert_int_equal(cpulist_parse(s, &l), -1);
	intlist_free(&l);
}

static void cpulist_parses_single_cpu(void **state)
{
	(void)state;
	static const int want0[] = {0}, want7[] = {7};
	assert_cpulist("0", want0, 1);
	assert_cpulist("7", want7, 1);
}

static void cpulist_parses_taskset_syntax(void **state)
{
	(void)state;
	static const int want[] = {0, 2, 3};
	assert_cpulist("0,2-3", want, 3);
}

static void cpulist_expands_ranges(void **state)
{
	(void)state;
	static const int want[] = {0, 1, 2, 3, 8, 9, 10};
	assert_cpulist("0-3,8-10", want, 7);
	static const int one[] = {5};
	assert_cpulist("5-5", one, 1);
}

static void cpulist_sorts_and_drops_duplicates(void **state)
{
	(void)state;
	static const int want[] = {1, 2, 3, 4, 6};
	assert_cpulist("3,1,2", want, 3);
	assert_cpulist("4,2-4,1,3,2,6,6", want, 5);
	static const int overlap[] = {0, 1, 2, 3};
	assert_cpulist("0-2,1-3", overlap, 4);
}

static void cpulist_accepts_the_largest_cpu_number(void **state)
{
	(void)state;
	static const int want[] = {65535};
	assert_cpulist("65535", want, 1);
}

static void cpulist_rejects_empty_and_incomplete_input(void **state)
{
	(void)state;
	assert_cpulist_bad("");
	assert_cpulist_bad("1-");
	assert_cpulist_bad("-1");
	assert_cpulist_bad(",");
	assert_cpulist_bad("1,");
	assert_cpulist_bad(",1");
	assert_cpulist_bad("1,,2");
	assert_cpulist_bad("1--2");
}

static void cpulist_rejects_descending_range(void **state)
{
	(void)state;
	assert_cpulist_bad("3-1");
	assert_cpulist_bad("0,5-4");
}

static void cpulist_rejects_non_numbers(void **state)
{
	(void)state;
	assert_cpulist_bad("a");
	assert_cpulist_bad("1a");
	assert_cpulist_bad("0-a");
	assert_cpulist_bad(" 1");
	assert_cpulist_bad("1 ");
	assert_cpulist_bad("1, 2");
	assert_cpulist_bad("+1");
	assert_cpulist_bad("0x1");
	assert_cpulist_bad("1.5");
	assert_cpulist_bad("0-3:2");
}

static void cpulist_rejects_huge_numbers(void **state)
{
	(void)state;
	assert_cpulist_bad("65536");
	assert_cpulist_bad("0-65536");
	assert_cpulist_bad("0-999999999");
	assert_cpulist_bad("99999999999999999999999");
	assert_cpulist_bad("4294967297");
}

static void cpulist_parse_resets_the_output_list(void **state)
{
	(void)state;
	struct intlist l = {0};
	assert_int_equal(cpulist_parse("0-7", &l), 0);
	assert_int_equal(l.n, 8);
	assert_int_equal(cpulist_parse("4", &l), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0], 4);
	intlist_free(&l);
}

static void assert_format(const int *cpus, int n, const char *want)
{
	char buf[256];
	memset(buf, 'x', sizeof(buf));
	cpulist_format(cpus, n, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void cpulist_format_writes_taskset_syntax(void **state)
{
	(void)state;
	static const int a[] = {0, 2, 3};
	assert_format(a, 3, "0,2-3");
	static const int b[] = {5};
	assert_format(b, 1, "5");
	static const int c[] = {0, 1, 2, 3, 4, 5, 6, 7};
	assert_format(c, 8, "0-7");
	static const int d[] = {1, 3, 5, 6, 7, 10, 11};
	assert_format(d, 7, "1,3,5-7,10-11");
	static const int e[] = {0, 1};
	assert_format(e, 2, "0-1");
}

static void cpulist_format_of_nothing_is_empty(void **state)
{
	(void)state;
	assert_format(NULL, 0, "");
}

static void cpulist_format_truncates_with_a_terminator(void **state)
{
	(void)state;
	static const int cpus[] = {0, 2, 3, 10, 12, 14};
	char full[64];
	cpulist_format(cpus, 6, full, sizeof(full));
	assert_string_equal(full, "0,2-3,10,12,14");
	for (size_t size = 1; size <= 8; size++) {
		char buf[16];
		memset(buf, 'x', sizeof(buf));
		cpulist_format(cpus, 6, buf, size);
		assert_true(memchr(buf, '\0', size) != NULL);
		assert_true(strlen(buf) < size);
		/* whatever fits is a prefix of the full text */
		assert_memory_equal(buf, full, strlen(buf));
		/* and nothing beyond size was touched */
		for (size_t i = size; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 'x');
	}
}

static void cpulist_format_round_trips_through_parse(void **state)
{
	(void)state;
	static const char *const texts[] = {"0", "0,2-3", "1-4,7,9-12", "0-63", "3,5,7,65535"};
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		struct intlist l = {0};
		char buf[256];
		assert_int_equal(cpulist_parse(texts[i], &l), 0);
		cpulist_format(l.v, l.n, buf, sizeof(buf));
		assert_string_equal(buf, texts[i]);
		intlist_free(&l);
	}
}

static void parse_u64_accepts_whole_numbers(void **state)
{
	(void)state;
	uint64_t v = 99;
	assert_int_equal(parse_u64("0", &v), 0);
	assert_true(v == 0);
	assert_int_equal(parse_u64("42", &v), 0);
	assert_true(v == 42);
	assert_int_equal(parse_u64("007", &v), 0);
	assert_true(v == 7);
	assert_int_equal(parse_u64("18446744073709551615", &v), 0);
	assert_true(v == UINT64_MAX);
}

static void parse_u64_rejects_everything_else(void **state)
{
	(void)state;
	static const char *const bad[] = {"", "-1", "+1", " 1", "1 ", "1x", "0x10", "1.0", "1e3",
					  "abc", "-", "18446744073709551616",
					  "99999999999999999999999999"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t v = 12345;
		assert_int_equal(parse_u64(bad[i], &v), -1);
		assert_true(v == 12345);	/* untouched on failure */
	}
	uint64_t v = 1;
	assert_int_equal(parse_u64(NULL, &v), -1);
}

static void parse_double_accepts_decimal_numbers(void **state)
{
	(void)state;
	double v = 0;
	assert_int_equal(parse_double("1.5", &v), 0);
	assert_near(v, 1.5, 0);
	assert_int_equal(parse_double(".25", &v), 0);
	assert_near(v, 0.25, 0);
	assert_int_equal(parse_double("-2", &v), 0);
	assert_near(v, -2.0, 0);
	assert_int_equal(parse_double("0", &v), 0);
	assert_near(v, 0.0, 0);
	assert_int_equal(parse_double("1e3", &v), 0);
	assert_near(v, 1000.0, 0);
}

static void parse_double_rejects_non_finite_and_junk(void **state)
{
	(void)state;
	static const char *const bad[] = {"", "abc", "1.5x", " 1", "1 ", "+1", "-", ".", "inf",
					  "-inf", "nan", "-nan", "infinity", "1e999", "-1e999"};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		double v = 7.0;
		assert_int_equal(parse_double(bad[i], &v), -1);
		assert_near(v, 7.0, 0);
	}
	double v = 1;
	assert_int_equal(parse_double(NULL, &v), -1);
}

static void intlist_push_grows_and_keeps_order(void **state)
{
	(void)state;
	struct intlist l = {0};
	for (int i = 0; i < 1000; i++)
		intlist_push(&l, 1000 - i);
	assert_int_equal(l.n, 1000);
	assert_true(l.alloc >= l.n);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(l.v[i], 1000 - i);
	intlist_free(&l);
}

static void intlist_has_finds_members_only(void **state)
{
	(void)state;
	struct intlist l = {0};
	assert_false(intlist_has(&l, 0));
	intlist_push(&l, 3);
	intlist_push(&l, -1);
	intlist_push(&l, 7);
	assert_true(intlist_has(&l, 3));
	assert_true(intlist_has(&l, -1));
	assert_true(intlist_has(&l, 7));
	assert_false(intlist_has(&l, 0));
	assert_false(intlist_has(&l, 4));
	intlist_free(&l);
}

static void intlist_sort_unique_sorts_and_dedups(void **state)
{
	(void)state;
	static const int in[] = {5, 1, 5, 3, -2, 1, 1, 9, 3};
	static const int want[] = {-2, 1, 3, 5, 9};
	struct intlist l = {0};
	for (size_t i = 0; i < ARRAY_SIZE(in); i++)
		intlist_push(&l, in[i]);
	intlist_sort_unique(&l);
	assert_int_equal(l.n, (int)ARRAY_SIZE(want));
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		assert_int_equal(l.v[i], want[i]);
	intlist_free(&l);
}

static void intlist_sort_unique_handles_small_lists(void **state)
{
	(void)state;
	struct intlist l = {0};
	intlist_sort_unique(&l);
	assert_int_equal(l.n, 0);
	intlist_push(&l, 4);
	intlist_sort_unique(&l);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0], 4);
	intlist_push(&l, 4);
	intlist_sort_unique(&l);
	assert_int_equal(l.n, 1);
	intlist_free(&l);
}

static void intlist_free_resets_and_allows_reuse(void **state)
{
	(void)state;
	struct intlist l = {0};
	intlist_push(&l, 1);
	intlist_free(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	assert_int_equal(l.alloc, 0);
	intlist_free(&l);	/* twice is harmless */
	intlist_push(&l, 2);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0], 2);
	intlist_free(&l);
}

static void xasprintf_formats(void **state)
{
	(void)state;
	char *s = xasprintf("%s:%d", "list", 3);
	assert_string_equal(s, "list:3");
	free(s);
}

static void error_returns_minus_one(void **state)
{
	(void)state;
	assert_int_equal(error("expected message from %s", "util_test"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpulist_parses_single_cpu),
		cmocka_unit_test(cpulist_parses_taskset_syntax),
		cmocka_unit_test(cpulist_expands_ranges),
		cmocka_unit_test(cpulist_sorts_and_drops_duplicates),
		cmocka_unit_test(cpulist_accepts_the_largest_cpu_number),
		cmocka_unit_test(cpulist_rejects_empty_and_incomplete_input),
		cmocka_unit_test(cpulist_rejects_descending_range),
		cmocka_unit_test(cpulist_rejects_non_numbers),
		cmocka_unit_test(cpulist_rejects_huge_numbers),
		cmocka_unit_test(cpulist_parse_resets_the_output_list),
		cmocka_unit_test(cpulist_format_writes_taskset_syntax),
		cmocka_unit_test(cpulist_format_of_nothing_is_empty),
		cmocka_unit_test(cpulist_format_truncates_with_a_terminator),
		cmocka_unit_test(cpulist_format_round_trips_through_parse),
		cmocka_unit_test(parse_u64_accepts_whole_numbers),
		cmocka_unit_test(parse_u64_rejects_everything_else),
		cmocka_unit_test(parse_double_accepts_decimal_numbers),
		cmocka_unit_test(parse_double_rejects_non_finite_and_junk),
		cmocka_unit_test(intlist_push_grows_and_keeps_order),
		cmocka_unit_test(intlist_has_finds_members_only),
		cmocka_unit_test(intlist_sort_unique_sorts_and_dedups),
		cmocka_unit_test(intlist_sort_unique_handles_small_lists),
		cmocka_unit_test(intlist_free_resets_and_allows_reuse),
		cmocka_unit_test(xasprintf_formats),
		cmocka_unit_test(error_returns_minus_one),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
