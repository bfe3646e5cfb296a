/* Unit tests of suite.c and the task kinds' parameters: -t specs, the built-in suite. */
#include "config.h"
#include "suite.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util.h"

/* The value of a kind's numeric parameter in a spec; fails the test when unset. */
static uint64_t num_param(const struct task_spec *s, const char *name)
{
	int i = -1;
	for (int k = 0; k < s->kind->nparams; k++)
		if (!strcmp(s->kind->params[k].name, name))
			i = k;
	if (i < 0)
		fail_msg("kind %s has no parameter %s", s->kind->name, name);
	if (!spec_has(s, i))
		fail_msg("%s: parameter %s is not set", s->kind->name, name);
	return s->num[i];
}

static bool has_param(const struct task_spec *s, const char *name)
{
	for (int k = 0; k < s->kind->nparams; k++)
		if (!strcmp(s->kind->params[k].name, name))
			return spec_has(s, k);
	return false;
}

/* The value of a kind's string parameter in a spec, NULL when unset. */
static const char *str_param(const struct task_spec *s, const char *name)
{
	for (int k = 0; k < s->kind->nparams; k++)
		if (!strcmp(s->kind->params[k].name, name))
			return spec_has(s, k) ? s->str[k] : NULL;
	fail_msg("kind %s has no parameter %s", s->kind->name, name);
	return NULL;
}

static int total_tasks(const struct suite *s)
{
	int n = 0;
	for (int i = 0; i < s->nworkloads; i++)
		n += s->workloads[i].ntasks;
	return n;
}

/* A spec that must be refused, leaving the suite as it was. */
static void assert_spec_bad(const char *text)
{
	struct suite s = {0};
	assert_int_equal(suite_add_spec_text(&s, "custom", "sleep:ms=5,count=2"), 0);
	if (suite_add_spec_text(&s, "custom", text) != -1)
		fail_msg("spec '%s' was accepted", text);
	assert_int_equal(total_tasks(&s), 2);
	/* and into a fresh workload: no tasks appear anywhere */
	assert_int_equal(suite_add_spec_text(&s, "other", text), -1);
	assert_int_equal(total_tasks(&s), 2);
	suite_free(&s);
}

static void spec_expands_count_copies(void **state)
{
	(void)state;
	struct suite s = {0};
	assert_int_equal(suite_add_spec_text(&s, "custom", "cpu:ms=200,count=4"), 0);
	assert_int_equal(s.nworkloads, 1);
	assert_string_equal(s.workloads[0].name, "custom");
	assert_int_equal(s.workloads[0].ntasks, 4);
	for (int i = 0; i < 4; i++) {
		const struct task_spec *t = workload_task(&s.workloads[0], i);
		assert_string_equal(t->kind->name, "cpu");
		assert_true(num_param(t, "ms") == 200);
		assert_false(has_param(t, "ops"));
	}
	suite_free(&s);
}

static void spec_without_params_is_one_task_with_defaults_unset(void **state)
{
	(void)state;
	struct suite s = {0};
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep"), 0);
	assert_int_equal(s.workloads[0].ntasks, 1);
	assert_string_equal(workload_task(&s.workloads[0], 0)->kind->name, "sleep");
	assert_int_equal(workload_task(&s.workloads[0], 0)->has, 0);
	suite_free(&s);
}

static void specs_append_in_order_of_task_ids(void **state)
{
	(void)state;
	struct suite s = {0};
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ops=5,count=2"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep:ms=10,count=3"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "mix:count=1,cpu_ms=3,io_ms=4,rounds=2"), 0);
	assert_int_equal(s.nworkloads, 1);
	const struct workload *w = &s.workloads[0];
	assert_int_equal(w->ntasks, 6);
	static const char *const kinds[] = {"cpu", "cpu", "sleep", "sleep", "sleep", "mix"};
	for (int id = 0; id < 6; id++)
		assert_string_equal(workload_task(w, id)->kind->name, kinds[id]);
	assert_true(num_param(workload_task(w, 0), "ops") == 5);
	assert_true(num_param(workload_task(w, 4), "ms") == 10);
	assert_true(num_param(workload_task(w, 5), "cpu_ms") == 3);
	assert_true(num_param(workload_task(w, 5), "io_ms") == 4);
	assert_true(num_param(workload_task(w, 5), "rounds") == 2);
	suite_free(&s);
}

static void specs_go_to_their_named_workloads(void **state)
{
	(void)state;
	struct suite s = {0};
	assert_int_equal(suite_add_spec_text(&s, "a", "cpu:ops=1"), 0);
	assert_int_equal(suite_add_spec_text(&s, "b", "sleep:ms=1,count=2"), 0);
	assert_int_equal(suite_add_spec_text(&s, "a", "sleep:ms=2"), 0);
	assert_int_equal(s.nworkloads, 2);
	assert_string_equal(s.workloads[0].name, "a");
	assert_string_equal(s.workloads[1].name, "b");
	assert_int_equal(s.workloads[0].ntasks, 2);
	assert_int_equal(s.workloads[1].ntasks, 2);
	assert_true(suite_workload(&s, "b") == &s.workloads[1]);
	suite_free(&s);
	assert_int_equal(s.nworkloads, 0);
}

static void spec_string_params_are_copied(void **state)
{
	(void)state;
	struct suite s = {0};
	char text[] = "disk:kb=8,dir=/nowhere,count=2";
	assert_int_equal(suite_add_spec_text(&s, "w", text), 0);
	memset(text, 'z', sizeof(text) - 1);
	const struct workload *w = &s.workloads[0];
	assert_int_equal(w->ntasks, 2);
	assert_string_equal(str_param(workload_task(w, 0), "dir"), "/nowhere");
	assert_string_equal(str_param(workload_task(w, 1), "dir"), "/nowhere");
	/* a counted spec is stored once */
	assert_int_equal(w->ngroups, 1);
	assert_ptr_equal(workload_task(w, 0), workload_task(w, 1));
	assert_true(num_param(workload_task(w, 1), "kb") == 8);
	suite_free(&s);
}

static void spec_accepts_range_limits(void **state)
{
	(void)state;
	struct suite s = {0};
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ms=1"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ms=3600000"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ops=9007199254740992"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep:count=10000"), 0);
	assert_int_equal(s.workloads[0].ntasks, 10003);
	assert_true(num_param(workload_task(&s.workloads[0], 2), "ops") == (UINT64_C(1) << 53));
	suite_free(&s);
}

static void spec_with_unknown_kind_fails(void **state)
{
	(void)state;
	assert_spec_bad("nosuch");
	assert_spec_bad("nosuch:ms=1");
	assert_spec_bad("CPU:ms=1");
	assert_spec_bad("");
	assert_spec_bad(":ms=1");
}

static void spec_with_unknown_key_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:foo=1");
	assert_spec_bad("cpu:MS=1");
	assert_spec_bad("sleep:dir=/tmp");
	/* derived parameters are not settable */
	assert_spec_bad("mix:cpu_ops=5");
	assert_spec_bad("disk:fs=ext4");
}

static void spec_with_non_numeric_value_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:ms=abc");
	assert_spec_bad("cpu:ms=1.5");
	assert_spec_bad("cpu:ms=10ms");
	assert_spec_bad("cpu:ms=");
	assert_spec_bad("cpu:ms= 5");
	assert_spec_bad("cpu:ms=0x10");
	assert_spec_bad("cpu:count=two");
	assert_spec_bad("cpu:count=");
}

static void spec_with_negative_value_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:ms=-1");
	assert_spec_bad("sleep:ms=-100");
	assert_spec_bad("cpu:count=-1");
	assert_spec_bad("cpu:ms=+1");
}

static void spec_with_zero_value_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:ms=0");
	assert_spec_bad("cpu:ops=0");
	assert_spec_bad("sleep:ms=0");
	assert_spec_bad("mix:rounds=0");
	assert_spec_bad("disk:kb=0");
}

static void spec_with_out_of_range_value_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:ms=3600001");
	assert_spec_bad("cpu:ops=9007199254740993");
	assert_spec_bad("cpu:ops=18446744073709551615");
	assert_spec_bad("cpu:ops=18446744073709551616");
	assert_spec_bad("cpu:ms=99999999999999999999999");
	assert_spec_bad("mem:mb=65537");
}

static void spec_with_bad_count_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:count=0");
	assert_spec_bad("cpu:ms=1,count=0");
	assert_spec_bad("cpu:count=1000001");
	assert_spec_bad("cpu:count=18446744073709551615");
	assert_spec_bad("cpu:count=99999999999999999999999");
}

static void workload_refuses_more_than_max_tasks(void **state)
{
	(void)state;
	struct suite s = {0};
	char max[64];
	snprintf(max, sizeof(max), "sleep:count=%d", SUITE_MAX_COUNT);
	for (int i = 0; i < SUITE_MAX_TASKS / SUITE_MAX_COUNT; i++)
		assert_int_equal(suite_add_spec_text(&s, "big", max), 0);
	assert_int_equal(s.workloads[0].ntasks, SUITE_MAX_TASKS);
	assert_int_equal(suite_add_spec_text(&s, "big", "sleep"), -1);
	assert_int_equal(s.workloads[0].ntasks, SUITE_MAX_TASKS);
	/* the limit is per workload */
	assert_int_equal(suite_add_spec_text(&s, "small", "sleep"), 0);
	suite_free(&s);
}

/* Group g of the test below: its count and its ops, both from g. */
static int group_count(int g)
{
	return 1 + (g * 7919) % 13;
}

static void workload_task_finds_every_id_across_groups(void **state)
{
	(void)state;
	struct suite s = {0};
	char text[64];
	int ngroups = 1000, n = 0;
	for (int g = 0; g < ngroups; g++) {
		snprintf(text, sizeof(text), "cpu:ops=%d,count=%d", g + 1, group_count(g));
		assert_int_equal(suite_add_spec_text(&s, "w", text), 0);
		n += group_count(g);
	}
	const struct workload *w = &s.workloads[0];
	assert_int_equal(w->ntasks, n);
	assert_int_equal(w->ngroups, ngroups);
	/* every id, walked here without the search, including each group's ends */
	int id = 0;
	for (int g = 0; g < ngroups; g++)
		for (int k = 0; k < group_count(g); k++, id++)
			if (num_param(workload_task(w, id), "ops") != (uint64_t)g + 1)
				fail_msg("task %d: not in group %d", id, g);
	suite_free(&s);
}

static void equal_consecutive_specs_share_one_group(void **state)
{
	(void)state;
	struct suite s = {0};
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep:ms=5"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep:ms=5,count=3"), 0);
	assert_int_equal(s.workloads[0].ngroups, 1);
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep:ms=6"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep:ms=5"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep"), 0);
	const struct workload *w = &s.workloads[0];
	assert_int_equal(w->ngroups, 4);
	assert_int_equal(w->ntasks, 7);
	assert_true(num_param(workload_task(w, 3), "ms") == 5);
	assert_true(num_param(workload_task(w, 4), "ms") == 6);
	assert_true(num_param(workload_task(w, 5), "ms") == 5);
	assert_false(has_param(workload_task(w, 6), "ms"));
	/* the same argv joins; another argv does not */
	char t[] = "/bin/true", x[] = "x", y[] = "y";
	char *const a[] = {t, x}, *const b[] = {t, y};
	assert_int_equal(suite_add_command(&s, "c", a, 2, 2), 0);
	assert_int_equal(suite_add_command(&s, "c", a, 2, 1), 0);
	assert_int_equal(suite_add_command(&s, "c", b, 2, 1), 0);
	assert_int_equal(s.workloads[1].ngroups, 2);
	assert_string_equal(workload_task(&s.workloads[1], 3)->argv[1], "y");
	suite_free(&s);
}

static void many_workloads_are_found_by_name(void **state)
{
	(void)state;
	struct suite s = {0};
	char name[32];
	int n = 50000;
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "w%d", i);
		assert_int_equal(suite_add_spec_text(&s, name, "sleep"), 0);
	}
	assert_int_equal(s.nworkloads, n);
	for (int i = 0; i < n; i += 7) {
		snprintf(name, sizeof(name), "w%d", i);
		struct workload *w = suite_find(&s, name);
		assert_non_null(w);
		assert_string_equal(w->name, name);
		assert_ptr_equal(w, &s.workloads[i]);
		assert_ptr_equal(suite_workload(&s, name), w);
	}
	assert_null(suite_find(&s, "w-1"));
	assert_null(suite_find(&s, ""));
	assert_int_equal(s.nworkloads, n);
	suite_free(&s);
	assert_null(suite_find(&s, "w0"));
}

/* A --commands file with this content: the suite_add_commands_file result. */
static int commands_from(const char *content, size_t len, struct suite *s)
{
	char path[] = "/tmp/tribench-suite-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, content, len) == (ssize_t)len);
	close(fd);
	int rc = suite_add_commands_file(s, "c", path);
	unlink(path);
	return rc;
}

static void commands_file_lines_and_limits(void **state)
{
	(void)state;
	struct suite s = {0};
	const char ok[] = "true\n\n  \ntrue\r\necho a | cat\nfalse";
	assert_int_equal(commands_from(ok, sizeof(ok) - 1, &s), 0);
	const struct workload *w = &s.workloads[0];
	assert_int_equal(w->ntasks, 4);
	assert_int_equal(w->ngroups, 3);	/* the two "true" lines share a spec */
	assert_string_equal(workload_task(w, 3)->str[0], "false");
	suite_free(&s);

	/* a line of exactly the limit is taken; one byte more is refused */
	size_t max = SUITE_COMMAND_LINE_MAX;
	char *big = xmalloc(max + 3);
	memset(big, 'a', max + 2);
	memcpy(big, ": ", 2);
	big[max] = '\n';
	assert_int_equal(commands_from(big, max + 1, &s), 0);
	suite_free(&s);
	big[max] = 'a';
	big[max + 1] = '\n';
	assert_int_equal(commands_from(big, max + 2, &s), -1);
	suite_free(&s);
	free(big);

	assert_int_equal(commands_from("true\n\0\n", 7, &s), -1);
	suite_free(&s);
	assert_int_equal(commands_from("\n \n", 3, &s), -1);
	suite_free(&s);
	/* endless input without a newline is refused after the limit */
	assert_int_equal(suite_add_commands_file(&s, "c", "/dev/zero"), -1);
	suite_free(&s);
}

static void spec_with_duplicate_key_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:ms=1,ms=2");
	assert_spec_bad("cpu:ms=1,ms=1");
	assert_spec_bad("cpu:count=1,count=2");
	assert_spec_bad("cpu:count=2,ms=5,count=2");
	assert_spec_bad("disk:dir=/a,dir=/b");
}

static void spec_with_empty_params_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:");
	assert_spec_bad("cpu:ms=1,,count=2");
	assert_spec_bad("cpu:ms=1,");
	assert_spec_bad("cpu:,ms=1");
	assert_spec_bad("cpu:,");
	assert_spec_bad("cpu:,,");
	assert_spec_bad("disk:dir=");
}

static void spec_without_equals_fails(void **state)
{
	(void)state;
	assert_spec_bad("cpu:ms");
	assert_spec_bad("cpu:ms=1,count");
	assert_spec_bad("cpu:=5");
	assert_spec_bad("cpu:count");
}

static void builtin_suite_has_cpu_io_mixed(void **state)
{
	(void)state;
	static const char *const names[] = {"cpu", "io", "mixed"};
	static const char *const kinds[] = {"cpu", "sleep", "mix"};
	static const int per_core[] = {2, 4, 2};
	static const int cores[] = {0, 1, 2, 4, 16, 64};
	for (size_t c = 0; c < ARRAY_SIZE(cores); c++) {
		int n = cores[c] < 1 ? 1 : cores[c];
		struct suite s = {0};
		suite_builtin(&s, cores[c]);
		assert_int_equal(s.nworkloads, 3);
		for (int i = 0; i < 3; i++) {
			const struct workload *w = &s.workloads[i];
			assert_string_equal(w->name, names[i]);
			assert_int_equal(w->ntasks, per_core[i] * n);
			for (int t = 0; t < w->ntasks; t++)
				assert_string_equal(workload_task(w, t)->kind->name, kinds[i]);
		}
		assert_true(suite_needs_calibration(&s));
		suite_free(&s);
	}
}

static void builtin_suite_is_sized_from_cores(void **state)
{
	(void)state;
	struct suite s = {0};
	suite_builtin(&s, 2);
	assert_true(num_param(workload_task(&s.workloads[0], 0), "ms") == 80);
	assert_true(num_param(workload_task(&s.workloads[1], 0), "ms") == 30);
	assert_true(num_param(workload_task(&s.workloads[2], 0), "rounds") == 4);
	suite_free(&s);
	/* many cores: per-task sizes hit their floors */
	suite_builtin(&s, 64);
	assert_true(num_param(workload_task(&s.workloads[0], 0), "ms") == 10);
	assert_true(num_param(workload_task(&s.workloads[1], 0), "ms") == 5);
	assert_true(num_param(workload_task(&s.workloads[2], 0), "rounds") == 1);
	suite_free(&s);
}

static void needs_calibration_follows_the_specs(void **state)
{
	(void)state;
	struct suite s = {0};
	assert_false(suite_needs_calibration(&s));
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ops=100"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep:ms=1"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "mem:mb=1"), 0);
	assert_false(suite_needs_calibration(&s));
	assert_int_equal(suite_add_spec_text(&s, "x", "cpu:ms=100"), 0);
	assert_true(suite_needs_calibration(&s));
	suite_free(&s);

	assert_int_equal(suite_add_spec_text(&s, "w", "cpu"), 0);
	assert_true(suite_needs_calibration(&s));
	suite_free(&s);

	assert_int_equal(suite_add_spec_text(&s, "w", "mix:rounds=1"), 0);
	assert_true(suite_needs_calibration(&s));
	suite_free(&s);
}

static void prepare_turns_cpu_ms_into_ops(void **state)
{
	(void)state;
	struct suite s = {0};
	const struct calibration cal = {.ops_per_ms = 1000.0, .pu = 0};
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ms=5,count=2"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ops=7"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "sleep"), 0);
	assert_int_equal(suite_add_spec_text(&s, "w", "mix:cpu_ms=3,rounds=2"), 0);
	assert_int_equal(suite_prepare(&s, &cal), 0);
	const struct task_spec *t[6];
	for (int i = 0; i < 6; i++)
		t[i] = workload_task(&s.workloads[0], i);
	assert_true(num_param(t[0], "ops") == 5000);
	assert_true(num_param(t[1], "ops") == 5000);
	/* cpu without params: ms defaults to 100 */
	assert_true(num_param(t[2], "ms") == 100);
	assert_true(num_param(t[2], "ops") == 100000);
	/* fixed ops stay as given, no ms invented */
	assert_true(num_param(t[3], "ops") == 7);
	assert_false(has_param(t[3], "ms"));
	/* sleep defaults */
	assert_true(num_param(t[4], "ms") == 100);
	/* mix: derived cpu_ops per round, defaults for the rest */
	assert_true(num_param(t[5], "cpu_ops") == 3000);
	assert_true(num_param(t[5], "io_ms") == 10);
	assert_true(num_param(t[5], "rounds") == 2);
	suite_free(&s);
}

static void prepare_rounds_ops_and_gives_at_least_one(void **state)
{
	(void)state;
	struct suite s = {0};
	const struct calibration slow = {.ops_per_ms = 0.0001};
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ms=1"), 0);
	assert_int_equal(suite_prepare(&s, &slow), 0);
	assert_true(num_param(workload_task(&s.workloads[0], 0), "ops") == 1);
	suite_free(&s);

	const struct calibration odd = {.ops_per_ms = 2.5};
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ms=3"), 0);
	assert_int_equal(suite_prepare(&s, &odd), 0);
	assert_true(num_param(workload_task(&s.workloads[0], 0), "ops") == 8);	/* 7.5 rounds up */
	suite_free(&s);
}

static void spec_refuses_cpu_ops_and_ms_together(void **state)
{
	(void)state;
	struct suite s = {0};
	/* each key parses; the combination is refused before anything runs */
	assert_int_equal(suite_add_spec_text(&s, "w", "cpu:ops=10,ms=5"), -1);
	suite_free(&s);
}

static void cpu_kernel_is_deterministic(void **state)
{
	(void)state;
	assert_true(cpu_kernel(1000) == cpu_kernel(1000));
	assert_true(cpu_kernel(1) == cpu_kernel(1));
	assert_true(cpu_kernel(1000) != cpu_kernel(1001));
	assert_true(cpu_kernel(0) != cpu_kernel(1));
	assert_true(cpu_kernel(1) != cpu_kernel(2));
	/* no work: the checksum is the seed itself */
	assert_true(cpu_kernel(0) == UINT64_C(0x2545F4914F6CDD1D));
}

static void cpu_kernel_checksum_is_pinned(void **state)
{
	(void)state;
	/* ops= results compare across reports only while the kernel stays the same */
	uint64_t x = UINT64_C(0x2545F4914F6CDD1D), sum = 0;
	for (int i = 0; i < 3 * 16; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sum += x * UINT64_C(0x9E3779B97F4A7C15);
	}
	assert_true(cpu_kernel(3) == (sum ^ x));
}

static void cpu_ops_for_ms_scales_with_calibration(void **state)
{
	(void)state;
	const struct calibration cal = {.ops_per_ms = 123.4};
	assert_true(cpu_ops_for_ms(&cal, 10) == 1234);
	assert_true(cpu_ops_for_ms(&cal, 1000) == 123400);
	const struct calibration none = {.ops_per_ms = 0};
	assert_true(cpu_ops_for_ms(&none, 100) == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spec_expands_count_copies),
		cmocka_unit_test(spec_without_params_is_one_task_with_defaults_unset),
		cmocka_unit_test(specs_append_in_order_of_task_ids),
		cmocka_unit_test(specs_go_to_their_named_workloads),
		cmocka_unit_test(spec_string_params_are_copied),
		cmocka_unit_test(spec_accepts_range_limits),
		cmocka_unit_test(spec_with_unknown_kind_fails),
		cmocka_unit_test(spec_with_unknown_key_fails),
		cmocka_unit_test(spec_with_non_numeric_value_fails),
		cmocka_unit_test(spec_with_negative_value_fails),
		cmocka_unit_test(spec_with_zero_value_fails),
		cmocka_unit_test(spec_with_out_of_range_value_fails),
		cmocka_unit_test(spec_with_bad_count_fails),
		cmocka_unit_test(workload_refuses_more_than_max_tasks),
		cmocka_unit_test(workload_task_finds_every_id_across_groups),
		cmocka_unit_test(equal_consecutive_specs_share_one_group),
		cmocka_unit_test(many_workloads_are_found_by_name),
		cmocka_unit_test(commands_file_lines_and_limits),
		cmocka_unit_test(spec_with_duplicate_key_fails),
		cmocka_unit_test(spec_with_empty_params_fails),
		cmocka_unit_test(spec_without_equals_fails),
		cmocka_unit_test(builtin_suite_has_cpu_io_mixed),
		cmocka_unit_test(builtin_suite_is_sized_from_cores),
		cmocka_unit_test(needs_calibration_follows_the_specs),
		cmocka_unit_test(prepare_turns_cpu_ms_into_ops),
		cmocka_unit_test(prepare_rounds_ops_and_gives_at_least_one),
		cmocka_unit_test(spec_refuses_cpu_ops_and_ms_together),
		cmocka_unit_test(cpu_kernel_is_deterministic),
		cmocka_unit_test(cpu_kernel_checksum_is_pinned),
		cmocka_unit_test(cpu_ops_for_ms_scales_with_calibration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
