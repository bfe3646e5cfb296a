/* Unit tests of textout.c: names made terminal-safe and fitted to a column,
 * alignment by columns, and CSV / Markdown that stay valid UTF-8 whatever
 * bytes a name holds. */
#include "config.h"
#include "textout.h"
#include "util.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define FFFD "\xef\xbf\xbd"
#define ELL "\xe2\x80\xa6"

/* What fn writes to a stream, as a malloc'd string. */
#define CAPTURE(out, call)                                                               \
	do {                                                                             \
		size_t len_;                                                             \
		FILE *f = open_memstream(&(out), &len_);                                 \
		assert_non_null(f);                                                      \
		call;                                                                    \
		fclose(f);                                                               \
	} while (0)

static void assert_fit(const char *const *names, int n, int width, const char *const *want)
{
	char **got = fit_names(names, n, width);
	for (int i = 0; i < n; i++)
		if (strcmp(got[i], want[i]) != 0)
			fail_msg("name %d at width %d: got '%s', expected '%s'", i, width, got[i], want[i]);
	fit_names_free(got, n);
}

static void term_text_replaces_controls_and_invalid_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"", ""},
		{"plain", "plain"},
		{"caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80"},
		{"caf\xe9", "caf" FFFD},
		{"a\tb\nc\x1b[31m", "a" FFFD "b" FFFD "c" FFFD "[31m"},
		{"del\x7f", "del" FFFD},
		{"c1\xc2\x9b", "c1" FFFD},		/* U+009B, the 8-bit CSI */
		{"rtl\xe2\x80\xae" "abc", "rtl" FFFD "abc"},	/* U+202E */
		{"zw\xe2\x80\x8bsp", "zw" FFFD "sp"},	/* U+200B */
		{"\xef\xbb\xbf" "bom", FFFD "bom"},
		{"ab\xf0\x9f\x98", "ab" FFFD},
		{"e\xcc\x81", "e\xcc\x81"},		/* combining marks are kept */
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *t = term_text(cases[i].in);
		if (strcmp(t, cases[i].want) != 0)
			fail_msg("case %zu: got '%s', expected '%s'", i, t, cases[i].want);
		free(t);
	}
}

static void pad_columns_aligns_by_columns_not_bytes(void **state)
{
	(void)state;
	char *out;
	int cols;
	CAPTURE(out, cols = pad_columns(f, "\xe4\xb8\xad\xe6\x96\x87", 6));
	assert_string_equal(out, "\xe4\xb8\xad\xe6\x96\x87  ");
	assert_int_equal(cols, 6);
	free(out);
	CAPTURE(out, cols = pad_columns(f, "caf\xc3\xa9", 6));
	assert_string_equal(out, "caf\xc3\xa9  ");
	free(out);
	CAPTURE(out, cols = pad_columns(f, "caf\xe9\x01", 6));
	assert_string_equal(out, "caf" FFFD FFFD " ");
	free(out);
	CAPTURE(out, cols = pad_columns(f, "toolong", 3));
	assert_string_equal(out, "toolong");
	assert_int_equal(cols, 7);
	free(out);
}

static void csv_and_markdown_write_valid_utf8(void **state)
{
	(void)state;
	char *out;
	CAPTURE(out, csv_field(f, "caf\xe9"));
	assert_string_equal(out, "caf" FFFD);
	free(out);
	CAPTURE(out, csv_field(f, "a,\xff\"b"));
	assert_string_equal(out, "\"a," FFFD "\"\"b\"");
	free(out);
	CAPTURE(out, csv_field(f, "caf\xc3\xa9,x"));
	assert_string_equal(out, "\"caf\xc3\xa9,x\"");
	free(out);
	CAPTURE(out, md_escaped(f, "a_\xe9|b\xf0\x9f"));
	assert_string_equal(out, "a\\_" FFFD "\\|b" FFFD);
	assert_true(utf8_valid(out));
	free(out);
}

static void fit_names_keeps_names_that_fit(void **state)
{
	(void)state;
	static const char *const names[] = {"", "cpu", "12345678", "\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6"};
	assert_fit(names, 4, 8, names);
}

static void fit_names_cuts_the_middle(void **state)
{
	(void)state;
	static const char *const names[] = {"abcdefghij"};
	static const char *const w7[] = {"abc" ELL "hij"}, *const w6[] = {"abc" ELL "ij"},
				 *const w2[] = {"a" ELL}, *const w1[] = {ELL};
	assert_fit(names, 1, 7, w7);
	assert_fit(names, 1, 6, w6);	/* the head gets the odd column */
	assert_fit(names, 1, 2, w2);
	assert_fit(names, 1, 1, w1);
	assert_fit(names, 1, 0, w1);	/* width < 1 counts as 1 */
	assert_fit(names, 1, -5, w1);
}

static void fit_names_never_splits_wide_characters_or_clusters(void **state)
{
	(void)state;
	/* 中文字符测试: six wide characters, 12 columns. At width 7 the head has 3
	 * columns, room for one wide character; the spare column goes to the tail. */
	static const char *const wide[] = {"\xe4\xb8\xad\xe6\x96\x87\xe5\xad\x97\xe7\xac\xa6\xe6\xb5\x8b\xe8\xaf\x95"};
	static const char *const w7[] = {"\xe4\xb8\xad" ELL "\xe6\xb5\x8b\xe8\xaf\x95"};
	assert_fit(wide, 1, 7, w7);
	/* é as e + U+0301, ten times: the mark stays with its e on both sides. */
	static const char *const marks[] = {"e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"
					    "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81"};
	static const char *const m5[] = {"e\xcc\x81" "e\xcc\x81" ELL "e\xcc\x81" "e\xcc\x81"};
	assert_fit(marks, 1, 5, m5);
	/* emoji and an invalid byte in the middle */
	static const char *const emoji[] = {"\xf0\x9f\x98\x80\xf0\x9f\x98\x80x\xffy\xf0\x9f\x98\x80"};
	static const char *const e4[] = {"\xf0\x9f\x98\x80" ELL};
	static const char *const e6[] = {"\xf0\x9f\x98\x80" ELL "y" "\xf0\x9f\x98\x80"};
	assert_fit(emoji, 1, 4, e4);
	assert_fit(emoji, 1, 6, e6);
}

static void fit_names_moves_the_split_to_tell_names_apart(void **state)
{
	(void)state;
	static const char *const names[] = {"build-release-x86-fast", "build-debug-x86-fast", "other"};
	char **got = fit_names(names, 3, 10);
	assert_string_not_equal(got[0], got[1]);
	assert_string_equal(got[2], "other");
	for (int i = 0; i < 2; i++) {
		assert_true(utf8_columns(got[i]) <= 10);
		assert_non_null(strstr(got[i], ELL));
		assert_null(strchr(got[i], '~'));	/* the split did it, no index */
	}
	assert_string_equal(got[0], "build-r" ELL "st");
	assert_string_equal(got[1], "build-d" ELL "st");
	fit_names_free(got, 3);
}

static void fit_names_indexes_what_no_split_tells_apart(void **state)
{
	(void)state;
	static const char *const mid[] = {"aaaa1aaaa", "aaaa2aaaa"};
	static const char *const w5[] = {"a" ELL "~1a", "a" ELL "~2a"};
	assert_fit(mid, 2, 5, w5);
	/* Different bytes that show the same: each gets an index. */
	static const char *const ctl[] = {"a\x01", "a\x02", "a\xff"};
	static const char *const w10[] = {"a" FFFD "~1", "a" FFFD "~2", "a" FFFD "~3"};
	assert_fit(ctl, 3, 10, w10);
	/* ... and at a width where the index does not fit beside the whole name */
	static const char *const w3[] = {ELL "~1", ELL "~2", ELL "~3"};
	assert_fit(ctl, 3, 3, w3);
}

static void fit_names_keeps_a_name_shown_exactly(void **state)
{
	(void)state;
	/* The literal "ab…yz" is what "abcdefghyz" is cut to at width 5. */
	static const char *const names[] = {"abcdefghyz", "ab" ELL "yz"};
	static const char *const want[] = {"a" ELL "hyz", "ab" ELL "yz"};
	assert_fit(names, 2, 5, want);
	/* Its index must not take the text of another name either. */
	static const char *const names2[] = {"a\x01", "a\x02", "a" FFFD "~1"};
	static const char *const want2[] = {"a" FFFD "~2", "a" FFFD "~3", "a" FFFD "~1"};
	assert_fit(names2, 3, 10, want2);
}

static void fit_names_gives_equal_names_equal_results(void **state)
{
	(void)state;
	static const char *const names[] = {"x\x01", "y", "x\x01"};
	static const char *const want[] = {"x" FFFD, "y", "x" FFFD};
	assert_fit(names, 3, 10, want);
	char **none = fit_names(NULL, 0, 10);
	assert_non_null(none);
	fit_names_free(none, 0);
}

/* A fixed pseudo-random sequence (the tests must be reproducible). */
static uint32_t lcg(uint32_t *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* Random names from pieces chosen to collide: shared heads and tails, wide
 * characters, marks, controls, invalid bytes; then the whole contract. */
static void fit_names_holds_its_contract_on_random_names(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"a", "b", "-", "1", "2", "\xc3\xa9", "e\xcc\x81", "\xe4\xb8\xad", "\xf0\x9f\x98\x80",
		"\x01", "\xff", "\xe2\x80\xae", ELL, "~1", FFFD, "\xf0\x9f\x98", "\\",
	};
	uint32_t seed = 42;
	for (int round = 0; round < 400; round++) {
		int n = 1 + (int)(lcg(&seed) % 30), width = 5 + (int)(lcg(&seed) % 16);
		char **names = xcalloc((size_t)n, sizeof(*names));
		for (int i = 0; i < n; i++) {
			char buf[256] = "";
			int len = (int)(lcg(&seed) % 24);
			if (lcg(&seed) % 2)
				strcat(buf, "workload-");
			for (int k = 0; k < len; k++)
				strcat(buf, pieces[lcg(&seed) % ARRAY_SIZE(pieces)]);
			if (lcg(&seed) % 2)
				strcat(buf, "-suffix");
			names[i] = xstrdup(buf);
		}
		char **got = fit_names((const char *const *)names, n, width);
		for (int i = 0; i < n; i++) {
			if (!utf8_valid(got[i]) || utf8_columns(got[i]) > width)
				fail_msg("round %d: '%s' invalid or over %d columns", round, got[i], width);
			char *safe = term_text(got[i]);
			if (strcmp(safe, got[i]) != 0)
				fail_msg("round %d: '%s' is not terminal-safe", round, got[i]);
			free(safe);
			safe = term_text(names[i]);
			if (strcmp(safe, names[i]) == 0 && utf8_columns(names[i]) <= width &&
			    strcmp(got[i], names[i]) != 0)
				fail_msg("round %d: '%s' fits but became '%s'", round, names[i], got[i]);
			free(safe);
			for (int j = 0; j < i; j++)
				if ((strcmp(names[i], names[j]) == 0) != (strcmp(got[i], got[j]) == 0))
					fail_msg("round %d: names %d and %d: '%s' '%s' -> '%s' '%s'", round, j,
						 i, names[j], names[i], got[j], got[i]);
		}
		fit_names_free(got, n);
		for (int i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(term_text_replaces_controls_and_invalid_bytes),
		cmocka_unit_test(pad_columns_aligns_by_columns_not_bytes),
		cmocka_unit_test(csv_and_markdown_write_valid_utf8),
		cmocka_unit_test(fit_names_keeps_names_that_fit),
		cmocka_unit_test(fit_names_cuts_the_middle),
		cmocka_unit_test(fit_names_never_splits_wide_characters_or_clusters),
		cmocka_unit_test(fit_names_moves_the_split_to_tell_names_apart),
		cmocka_unit_test(fit_names_indexes_what_no_split_tells_apart),
		cmocka_unit_test(fit_names_keeps_a_name_shown_exactly),
		cmocka_unit_test(fit_names_gives_equal_names_equal_results),
		cmocka_unit_test(fit_names_holds_its_contract_on_random_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
