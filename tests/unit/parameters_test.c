/* Unit tests of parameters.c: values, combinations in hyperfine's order, {NAME} substitution, names, JSON. */
#include "config.h"
#include "parameters.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

/* -L A 1,2 -L B x,yz: four combinations. */
static void two_lists(struct parameters *p)
{
	*p = (struct parameters){0};
	assert_int_equal(parameters_add_list(p, "A", "1,2"), 0);
	assert_int_equal(parameters_add_list(p, "B", "x,yz"), 0);
	assert_int_equal(parameters_finish(p), 0);
}

static void expect_subst(const struct parameters *p, long c, const char *text, const char *want)
{
	char *got = parameters_substitute(p, c, text);
	assert_string_equal(got, want);
	free(got);
}

/* hyperfine's order: the first parameter varies fastest. */
static void test_order(void **state)
{
	(void)state;
	struct parameters p;
	two_lists(&p);
	assert_int_equal(parameters_combinations(&p), 4);
	const char *want[4][2] = {{"1", "x"}, {"2", "x"}, {"1", "yz"}, {"2", "yz"}};
	for (long c = 0; c < 4; c++) {
		assert_string_equal(parameters_value(&p, c, 0), want[c][0]);
		assert_string_equal(parameters_value(&p, c, 1), want[c][1]);
	}
	parameters_free(&p);
}

/* Declared names only, in one pass; other braces stay. */
static void test_substitute(void **state)
{
	(void)state;
	struct parameters p;
	two_lists(&p);
	expect_subst(&p, 3, "echo {A}{B} {A}", "echo 2yz 2");
	expect_subst(&p, 0, "{} {#} {%} {C} {A {a} {{A}} A}", "{} {#} {%} {C} {A {a} {1} A}");
	expect_subst(&p, 0, "", "");
	expect_subst(&p, -1, "echo {A}", "echo {A}");
	parameters_free(&p);
	/* a value holding another's {NAME} is not read again (hyperfine's test) */
	assert_int_equal(parameters_add_list(&p, "foo", "{bar} baz"), 0);
	assert_int_equal(parameters_add_list(&p, "bar", "quux"), 0);
	assert_int_equal(parameters_finish(&p), 0);
	expect_subst(&p, 0, "echo {foo} {bar}", "echo {bar} baz quux");
	parameters_free(&p);
}

static void test_used(void **state)
{
	(void)state;
	struct parameters p;
	two_lists(&p);
	assert_true(parameters_used(&p, 0, "x{A}"));
	assert_false(parameters_used(&p, 1, "x{A} {b} {B"));
	assert_false(parameters_used(&p, 0, "{AB}"));
	parameters_free(&p);
}

static void test_name(void **state)
{
	(void)state;
	struct parameters p;
	two_lists(&p);
	char *n = parameters_name(&p, 2, "w{B}", "w{B}");
	assert_string_equal(n, "wyz (A = 1)");
	free(n);
	n = parameters_name(&p, 1, "custom", "custom");
	assert_string_equal(n, "custom (A = 2, B = x)");
	free(n);
	n = parameters_name(&p, 1, "{A}-{B}", "{A}-{B}");
	assert_string_equal(n, "2-x");
	free(n);
	n = parameters_name(&p, -1, "custom", "custom");
	assert_string_equal(n, "custom");
	free(n);
	parameters_free(&p);
}

static void test_json(void **state)
{
	(void)state;
	struct parameters p;
	p = (struct parameters){0};
	assert_int_equal(parameters_add_list(&p, "Z", "a\"b"), 0);
	assert_int_equal(parameters_add_list(&p, "A", "1"), 0);
	assert_int_equal(parameters_finish(&p), 0);
	char *j = parameters_json(&p, 0);
	assert_string_equal(j, "{\"Z\":\"a\\\"b\",\"A\":\"1\"}");
	free(j);
	j = parameters_json(&p, -1);
	assert_string_equal(j, "{}");
	free(j);
	parameters_free(&p);
}

/* A scan's values: integers, decimals at the most precise of the words. */
static void test_scan(void **state)
{
	(void)state;
	struct parameters p = {0};
	assert_int_equal(parameters_add_scan(&p, "X", "-0.2", "0"), 0);
	p.step = "0.1";
	assert_int_equal(parameters_finish(&p), 0);
	assert_int_equal(parameters_combinations(&p), 3);
	assert_string_equal(parameters_value(&p, 0, 0), "-0.2");
	assert_string_equal(parameters_value(&p, 2, 0), "0.0");
	parameters_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_substitute),
		cmocka_unit_test(test_used),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_scan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
