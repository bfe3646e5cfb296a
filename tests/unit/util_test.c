/* Unit tests of util.c: CPU lists in taskset syntax, strict numbers, int lists,
 * UTF-8 validation, repair, escaping and columns. */
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

/* UTF-8 vectors: input, Python's decode('utf-8', 'replace').encode() of it,
 * and the escaping of the "_raw" fields, which equals Python's
 * s.replace(b'\\', b'\\x5c').decode('utf-8', 'backslashreplace').encode().
 * Generated and checked with Python 3.11.7; the long mixed one is the example
 * of Unicode 15 §3.9 (U+FFFD substitution of maximal subparts). */
static const struct utf8_vector {
	const char *in, *sanitized, *escaped;
	bool valid;
} utf8_vectors[] = {
	{"", "",
	 "", true},
	{"plain ascii", "plain ascii",
	 "plain ascii", true},
	{"caf\xc3\xa9", "caf\xc3\xa9",
	 "caf\xc3\xa9", true},
	{"caf\xe9", "caf\xef\xbf\xbd",
	 "caf\\xe9", false},
	{"\xf0\x9f\x98\x80 emoji", "\xf0\x9f\x98\x80 emoji",
	 "\xf0\x9f\x98\x80 emoji", true},
	{"\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87",
	 "\xe4\xb8\xad\xe6\x96\x87", true},
	{"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xc0\\xaf", false},
	{"\xc1\xbf", "\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xc1\\xbf", false},
	{"\xe0\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xe0\\x80\\xaf", false},
	{"\xe0\x9f\xbf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xe0\\x9f\\xbf", false},
	{"\xf0\x80\x80\xaf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xf0\\x80\\x80\\xaf", false},
	{"\xf0\x8f\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xf0\\x8f\\xbf\\xbf", false},
	{"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xed\\xa0\\x80", false},
	{"\xed\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xed\\xbf\\xbf", false},
	{"\xed\xa0\x80\xed\xb0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xed\\xa0\\x80\\xed\\xb0\\x80", false},
	{"\xed\x9f\xbf", "\xed\x9f\xbf",
	 "\xed\x9f\xbf", true},
	{"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xf4\\x90\\x80\\x80", false},
	{"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf",
	 "\xf4\x8f\xbf\xbf", true},
	{"\xf5\x80\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xf5\\x80\\x80\\x80", false},
	{"\xf7\xbf\xbf\xbf", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xf7\\xbf\\xbf\\xbf", false},
	{"\xf8\x88\x80\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xf8\\x88\\x80\\x80\\x80", false},
	{"\xfc\x84\x80\x80\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xfc\\x84\\x80\\x80\\x80\\x80", false},
	{"\xfe", "\xef\xbf\xbd",
	 "\\xfe", false},
	{"\xff", "\xef\xbf\xbd",
	 "\\xff", false},
	{"\xfe\xff", "\xef\xbf\xbd\xef\xbf\xbd",
	 "\\xfe\\xff", false},
	{"\x80", "\xef\xbf\xbd",
	 "\\x80", false},
	{"\xbf", "\xef\xbf\xbd",
	 "\\xbf", false},
	{"a\x80\x80""b", "a\xef\xbf\xbd\xef\xbf\xbd""b",
	 "a\\x80\\x80b", false},
	{"\x80\xbf\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd",
	 "\\x80\\xbf\\x80", false},
	{"ab\xc3", "ab\xef\xbf\xbd",
	 "ab\\xc3", false},
	{"ab\xe2\x82", "ab\xef\xbf\xbd",
	 "ab\\xe2\\x82", false},
	{"ab\xf0\x9f\x98", "ab\xef\xbf\xbd",
	 "ab\\xf0\\x9f\\x98", false},
	{"ab\xf0\x9f", "ab\xef\xbf\xbd",
	 "ab\\xf0\\x9f", false},
	{"ab\xf0", "ab\xef\xbf\xbd",
	 "ab\\xf0", false},
	{"\xe2\x82x", "\xef\xbf\xbdx",
	 "\\xe2\\x82x", false},
	{"\xf0\x9f\x98x", "\xef\xbf\xbdx",
	 "\\xf0\\x9f\\x98x", false},
	{"\xe2(\xa1", "\xef\xbf\xbd(\xef\xbf\xbd",
	 "\\xe2(\\xa1", false},
	{"\xc3(", "\xef\xbf\xbd(",
	 "\\xc3(", false},
	{"\xe1\x80\xe2\xf0\x91\x92\xf1\xbf""A", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd""A",
	 "\\xe1\\x80\\xe2\\xf0\\x91\\x92\\xf1\\xbfA", false},
	{"a\xf1\x80\x80\xe1\x80\xc2""b\x80""c\x80\xbf""d", "a\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd""b\xef\xbf\xbd""c\xef\xbf\xbd\xef\xbf\xbd""d",
	 "a\\xf1\\x80\\x80\\xe1\\x80\\xc2b\\x80c\\x80\\xbfd", false},
	{"back\\slash \\x41", "back\\slash \\x41",
	 "back\\x5cslash \\x5cx41", true},
	{"\x7f\x01""ctl", "\x7f\x01""ctl",
	 "\x7f\x01""ctl", true},
	{"\xc2\x80\xc2\x9f", "\xc2\x80\xc2\x9f",
	 "\xc2\x80\xc2\x9f", true},
	{"\xef\xbf\xbd", "\xef\xbf\xbd",
	 "\xef\xbf\xbd", true},
	{"\xef\xbb\xbf""bom", "\xef\xbb\xbf""bom",
	 "\xef\xbb\xbf""bom", true},
	{"\xf0\x90\x80\x80", "\xf0\x90\x80\x80",
	 "\xf0\x90\x80\x80", true},
	{"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf",
	 "\xf4\x8f\xbf\xbf", true},
	{"\xee\x80\x80", "\xee\x80\x80",
	 "\xee\x80\x80", true},
	{"\xc2", "\xef\xbf\xbd",
	 "\\xc2", false},
	{"\xe0\xa0", "\xef\xbf\xbd",
	 "\\xe0\\xa0", false},
	{"\xe0\xa0\x80", "\xe0\xa0\x80",
	 "\xe0\xa0\x80", true},
};

static void utf8_functions_match_python_on_hostile_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(utf8_vectors); i++) {
		const struct utf8_vector *v = &utf8_vectors[i];
		char *san = utf8_sanitize(v->in), *esc = utf8_escape_raw(v->in);
		if (utf8_valid(v->in) != v->valid)
			fail_msg("vector %zu: utf8_valid says %d", i, !v->valid);
		if (strcmp(san, v->sanitized) != 0)
			fail_msg("vector %zu: sanitized to '%s', expected '%s'", i, san, v->sanitized);
		if (strcmp(esc, v->escaped) != 0)
			fail_msg("vector %zu: escaped to '%s', expected '%s'", i, esc, v->escaped);
		assert_true(utf8_valid(san));
		assert_true(utf8_valid(esc));
		free(san);
		free(esc);
	}
}

/* Undo utf8_escape_raw: every \xNN back to its byte. */
static char *unescape_raw(const char *s)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;
	while (*s) {
		unsigned b;
		if (s[0] == '\\' && s[1] == 'x' && sscanf(s + 2, "%2x", &b) == 1) {
			*o++ = (char)b;
			s += 4;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static void utf8_escape_raw_is_reversible(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(utf8_vectors); i++) {
		char *esc = utf8_escape_raw(utf8_vectors[i].in), *back = unescape_raw(esc);
		if (strcmp(back, utf8_vectors[i].in) != 0)
			fail_msg("vector %zu does not round-trip", i);
		free(esc);
		free(back);
	}
	/* Text that already looks escaped stays distinguishable from the byte. */
	char *a = utf8_escape_raw("\\xe9"), *b = utf8_escape_raw("\xe9");
	assert_string_equal(a, "\\x5cxe9");
	assert_string_equal(b, "\\xe9");
	free(a);
	free(b);
}

static void utf8_decode_reports_lengths_and_code_points(void **state)
{
	(void)state;
	uint32_t cp = 1;
	assert_int_equal(utf8_decode("", &cp), 0);
	assert_int_equal(cp, 0);
	assert_int_equal(utf8_decode("A", &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xc3\xa9", &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("\xe2\x82\xac", &cp), 3);
	assert_int_equal(cp, 0x20AC);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", &cp), 4);
	assert_int_equal(cp, 0x10FFFF);
	/* Maximal subparts: the truncated prefix is one unit, the rest is left. */
	assert_int_equal(utf8_decode("\xf0\x9f\x98", &cp), -3);
	assert_int_equal(cp, 0xFFFD);
	assert_int_equal(utf8_decode("\xf0\x9f\x98x", &cp), -3);
	assert_int_equal(utf8_decode("\xe2\x82", &cp), -2);
	assert_int_equal(utf8_decode("\xc3", &cp), -1);
	assert_int_equal(utf8_decode("\xe0\x80\xaf", &cp), -1);	/* overlong */
	assert_int_equal(utf8_decode("\xed\xa0\x80", &cp), -1);	/* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", &cp), -1);	/* > U+10FFFF */
	assert_int_equal(utf8_decode("\xf5\x80\x80\x80", &cp), -1);
	assert_int_equal(utf8_decode("\xc0\x80", &cp), -1);	/* overlong NUL */
	assert_int_equal(utf8_decode("\x80", &cp), -1);
	assert_int_equal(utf8_decode("\xff", &cp), -1);
}

/* Encode cp the textbook way, for the exhaustive check below. */
static int encode_cp(uint32_t cp, char *b)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xC0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xE0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	b[0] = (char)(0xF0 | cp >> 18);
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	b[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Every code point in one go: each scalar value decodes to itself, each
 * surrogate is rejected, and so is every overlong form of it. */
static void utf8_decode_agrees_with_encoding_for_every_code_point(void **state)
{
	(void)state;
	for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
		char b[8] = {0};
		uint32_t got;
		int n = encode_cp(cp, b), r = utf8_decode(b, &got);
		if (cp >= 0xD800 && cp <= 0xDFFF) {
			if (r > 0 || utf8_valid(b))
				fail_msg("surrogate U+%04X accepted", cp);
			continue;
		}
		if (r != n || got != cp)
			fail_msg("U+%04X: length %d, code point U+%04X", cp, r, got);
		if (cp < 0x10000) {	/* the same value spelled one byte longer */
			char o[8] = {0};
			o[0] = (char)0xF0;
			o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
			o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			o[3] = (char)(0x80 | (cp & 0x3F));
			if (utf8_valid(o))
				fail_msg("overlong 4-byte U+%04X accepted", cp);
		}
	}
	char above[5] = {(char)0xF4, (char)0x90, (char)0x80, (char)0x80, 0};
	assert_false(utf8_valid(above));
}

static void utf8_columns_counts_wide_and_combining(void **state)
{
	(void)state;
	assert_int_equal(utf8_columns(""), 0);
	assert_int_equal(utf8_columns("abc"), 3);
	assert_int_equal(utf8_columns("caf\xc3\xa9"), 4);
	assert_int_equal(utf8_columns("cafe\xcc\x81"), 4);	/* e + U+0301 */
	assert_int_equal(utf8_columns("\xe4\xb8\xad\xe6\x96\x87"), 4);	/* 中文 */
	assert_int_equal(utf8_columns("\xed\x95\x9c"), 2);	/* 한 U+D55C */
	assert_int_equal(utf8_columns("\xef\xbc\xa1"), 2);	/* fullwidth A */
	assert_int_equal(utf8_columns("\xf0\x9f\x98\x80"), 2);	/* U+1F600 */
	assert_int_equal(utf8_columns("\xf0\xa0\x80\x80"), 2);	/* U+20000 */
	assert_int_equal(utf8_columns("\x01\x7f\xc2\x85"), 3);	/* controls: 1 each */
	/* invalid subparts count as the U+FFFD replacing each */
	assert_int_equal(utf8_columns("caf\xe9"), 4);
	assert_int_equal(utf8_columns("ab\xf0\x9f\x98"), 3);
	assert_int_equal(utf8_columns("\xe1\x80\xe2\xf0\x91\x92\xf1\xbf\x41"), 5);
	/* the edges of the table */
	assert_int_equal(utf8_cp_columns(0x10FF), 1);
	assert_int_equal(utf8_cp_columns(0x1100), 2);
	assert_int_equal(utf8_cp_columns(0x115F), 2);
	assert_int_equal(utf8_cp_columns(0x1160), 1);
	assert_int_equal(utf8_cp_columns(0x2E7F), 1);
	assert_int_equal(utf8_cp_columns(0xA4CF), 2);
	assert_int_equal(utf8_cp_columns(0xA4D0), 1);
	assert_int_equal(utf8_cp_columns(0xD7A4), 1);
	assert_int_equal(utf8_cp_columns(0xFF60), 2);
	assert_int_equal(utf8_cp_columns(0xFF61), 1);
	assert_int_equal(utf8_cp_columns(0x1F64F), 2);
	assert_int_equal(utf8_cp_columns(0x1F650), 1);
	assert_int_equal(utf8_cp_columns(0x3FFFD), 2);
	assert_int_equal(utf8_cp_columns(0x3FFFE), 1);
	assert_int_equal(utf8_cp_columns(0x2FF), 1);
	assert_int_equal(utf8_cp_columns(0x300), 0);
	assert_int_equal(utf8_cp_columns(0x36F), 0);
	assert_int_equal(utf8_cp_columns(0x370), 1);
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
		cmocka_unit_test(utf8_functions_match_python_on_hostile_vectors),
		cmocka_unit_test(utf8_escape_raw_is_reversible),
		cmocka_unit_test(utf8_decode_reports_lengths_and_code_points),
		cmocka_unit_test(utf8_decode_agrees_with_encoding_for_every_code_point),
		cmocka_unit_test(utf8_columns_counts_wide_and_combining),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
