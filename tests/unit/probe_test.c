/* Unit tests of probe.c: /proc line parsers, and the readers on this very process. */
#include "config.h"
#include "probe.h"

#include <limits.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tasks/task.h"

/*
 * A /proc/PID/stat line: pid, (comm), then fields 3..52 of a 6.x kernel with
 * field 39 (processor) set to cpu. Fields are numbered from 1 as in proc(5).
 */
static void make_stat_line(char *buf, size_t size, const char *comm, int cpu)
{
	int n = snprintf(buf, size, "4242 (%s) S", comm);
	for (int field = 4; field <= 52; field++) {
		long v = field == 39 ? cpu : (field == 5 || field == 6) ? 4242 : field * 11;
		n += snprintf(buf + n, size - (size_t)n, " %ld", v);
	}
	snprintf(buf + n, size - (size_t)n, "\n");
}

static void stat_cpu_from_a_real_line(void **state)
{
	(void)state;
	/* captured from /proc/self/stat of cat(1) on a 2-CPU machine: processor is 1 */
	static const char line[] =
		"12187 (cat) R 12181 12181 7670 0 -1 4194304 100 0 0 0 0 0 0 0 20 0 1 0 206769 "
		"3133440 401 18446744073709551615 94572102684672 94572102704553 140729206962192 0 "
		"0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94572102720560 94572102722176 94572204208128 "
		"140729206970813 140729206970833 140729206970833 140729206972395 0\n";
	int cpu = -1;
	assert_int_equal(probe_parse_stat_cpu(line, &cpu), 0);
	assert_int_equal(cpu, 1);
}

static void stat_cpu_from_synthetic_lines(void **state)
{
	(void)state;
	static const int cpus[] = {0, 3, 17, 255, 4095};
	for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++) {
		char line[1024];
		int cpu = -1;
		make_stat_line(line, sizeof(line), "tribench", cpus[i]);
		assert_int_equal(probe_parse_stat_cpu(line, &cpu), 0);
		assert_int_equal(cpu, cpus[i]);
	}
}

static void stat_cpu_with_spaces_and_parens_in_comm(void **state)
{
	(void)state;
	/* a comm is any 15 bytes: spaces and ')' included, so parse from the last ')' */
	static const char *const comms[] = {"a b c", "x) 1 2 3 (y", "))", "(", ") R 1 2 3",
					    "Web Content", ""};
	for (size_t i = 0; i < sizeof(comms) / sizeof(comms[0]); i++) {
		char line[1024];
		int cpu = -1;
		make_stat_line(line, sizeof(line), comms[i], 5);
		assert_int_equal(probe_parse_stat_cpu(line, &cpu), 0);
		assert_int_equal(cpu, 5);
	}
}

static void stat_cpu_without_trailing_newline(void **state)
{
	(void)state;
	char line[1024];
	int cpu = -1;
	make_stat_line(line, sizeof(line), "sh", 7);
	line[strlen(line) - 1] = '\0';
	assert_int_equal(probe_parse_stat_cpu(line, &cpu), 0);
	assert_int_equal(cpu, 7);
}

static void stat_cpu_of_truncated_lines_fails(void **state)
{
	(void)state;
	char line[1024];
	make_stat_line(line, sizeof(line), "a) b", 6);
	/* cut the line at every point before field 39 has a digit */
	const char *p = strrchr(line, ')');
	int spaces = 0;
	size_t cut39 = 0;
	for (const char *c = p; *c; c++)
		if (*c == ' ' && ++spaces == 37) {	/* the space before field 39 */
			cut39 = (size_t)(c - line) + 1;
			break;
		}
	assert_true(cut39 > 0);
	assert_int_equal(line[cut39], '6');
	for (size_t len = 0; len <= cut39; len++) {
		char part[1024];
		int cpu = -99;
		memcpy(part, line, len);
		part[len] = '\0';
		assert_int_equal(probe_parse_stat_cpu(part, &cpu), -1);
		assert_int_equal(cpu, -99);	/* untouched */
	}
	/* the digit of field 39 and nothing after it is enough */
	char part[1024];
	int cpu = -1;
	memcpy(part, line, cut39 + 1);
	part[cut39 + 1] = '\0';
	assert_int_equal(probe_parse_stat_cpu(part, &cpu), 0);
	assert_int_equal(cpu, 6);
}

static void stat_cpu_of_junk_fails(void **state)
{
	(void)state;
	int cpu = -99;
	assert_int_equal(probe_parse_stat_cpu("", &cpu), -1);
	assert_int_equal(probe_parse_stat_cpu("no parenthesis at all 1 2 3", &cpu), -1);
	assert_int_equal(probe_parse_stat_cpu("1 (x)", &cpu), -1);
	assert_int_equal(cpu, -99);
}

static void cpu_line_busy_excludes_idle_iowait_and_guest(void **state)
{
	(void)state;
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	struct cpu_jiffies j;
	assert_int_equal(probe_parse_cpu_line("cpu3 10 20 30 40 50 60 70 80 90 100", &j), 3);
	assert_true(j.busy == 10 + 20 + 30 + 60 + 70 + 80);
	assert_true(j.total == j.busy + 40 + 50);
}

static void cpu_line_from_a_real_proc_stat(void **state)
{
	(void)state;
	struct cpu_jiffies j;
	assert_int_equal(probe_parse_cpu_line("cpu0 1393280 32966 572056 13343292 6130 0 17875 0 0 0\n",
					      &j), 0);
	assert_true(j.busy == 1393280ULL + 32966 + 572056 + 0 + 17875 + 0);
	assert_true(j.total == j.busy + 13343292ULL + 6130);
}

static void cpu_line_guest_time_changes_nothing(void **state)
{
	(void)state;
	/* guest is already counted inside user: adding it must not change busy */
	struct cpu_jiffies a, b;
	assert_int_equal(probe_parse_cpu_line("cpu1 500 0 100 1000 0 0 0 0 0 0", &a), 1);
	assert_int_equal(probe_parse_cpu_line("cpu1 500 0 100 1000 0 0 0 0 400 77", &b), 1);
	assert_true(a.busy == b.busy);
	assert_true(a.total == b.total);
	assert_true(a.busy == 600);
	assert_true(a.total == 1600);
}

static void cpu_line_of_old_kernels_with_four_fields(void **state)
{
	(void)state;
	struct cpu_jiffies j;
	assert_int_equal(probe_parse_cpu_line("cpu12 5 6 7 100", &j), 12);
	assert_true(j.busy == 18);
	assert_true(j.total == 118);
}

static void cpu_line_with_large_counters(void **state)
{
	(void)state;
	struct cpu_jiffies j;
	assert_int_equal(probe_parse_cpu_line("cpu0 4294967296 0 4294967296 1 0 0 0 0 0 0", &j), 0);
	assert_true(j.busy == 2 * 4294967296ULL);
	assert_true(j.total == j.busy + 1);
}

static void cpu_line_rejects_other_lines(void **state)
{
	(void)state;
	struct cpu_jiffies j;
	assert_int_equal(probe_parse_cpu_line("intr 12345 0 0", &j), -1);
	assert_int_equal(probe_parse_cpu_line("ctxt 999", &j), -1);
	assert_int_equal(probe_parse_cpu_line("cpu0 1 2 3", &j), -1);
	assert_int_equal(probe_parse_cpu_line("cpu-1 1 2 3 4 5 6 7", &j), -1);
	assert_int_equal(probe_parse_cpu_line("", &j), -1);
}

static void schedstat_of_self_is_sane(void **state)
{
	(void)state;
	double run0, wait0, run1, wait1;
	assert_int_equal(probe_schedstat(getpid(), &run0, &wait0), 0);
	assert_true(run0 >= 0);
	assert_true(wait0 >= 0);
	cpu_kernel(200000);	/* burn a few ms */
	assert_int_equal(probe_schedstat(getpid(), &run1, &wait1), 0);
	assert_true(run1 > 0);
	assert_true(run1 >= run0);
	assert_true(wait1 >= wait0);
}

static void last_cpu_of_self_is_in_the_affinity(void **state)
{
	(void)state;
	cpu_set_t set;
	int cpu = -1;
	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	assert_int_equal(probe_last_cpu(getpid(), &cpu), 0);
	assert_true(cpu >= 0);
	assert_true(cpu < CPU_SETSIZE);
	assert_true(CPU_ISSET(cpu, &set));
}

static void cpus_allowed_of_self_matches_the_affinity(void **state)
{
	(void)state;
	cpu_set_t set;
	char buf[4096];
	struct intlist l = {0};
	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	assert_int_equal(probe_cpus_allowed(getpid(), buf, sizeof(buf)), 0);
	assert_int_equal(cpulist_parse(buf, &l), 0);
	assert_int_equal(l.n, CPU_COUNT(&set));
	for (int i = 0; i < l.n; i++)
		assert_true(CPU_ISSET(l.v[i], &set));
	intlist_free(&l);
}

static void cpus_allowed_truncates_to_the_buffer(void **state)
{
	(void)state;
	char full[4096], small[2];
	assert_int_equal(probe_cpus_allowed(getpid(), full, sizeof(full)), 0);
	memset(small, 'x', sizeof(small));
	assert_int_equal(probe_cpus_allowed(getpid(), small, sizeof(small)), 0);
	assert_int_equal(small[1], '\0');
	assert_int_equal(small[0], full[0]);
}

static void probes_of_a_missing_process_fail(void **state)
{
	(void)state;
	/* above the kernel's PID_MAX_LIMIT (4M): never a live process */
	pid_t pid = INT_MAX;
	double run = -1, wait = -1;
	int cpu = -1;
	char buf[64];
	assert_int_equal(probe_schedstat(pid, &run, &wait), -1);
	assert_int_equal(probe_last_cpu(pid, &cpu), -1);
	assert_int_equal(probe_cpus_allowed(pid, buf, sizeof(buf)), -1);
}

static void cpu_jiffies_of_this_machine(void **state)
{
	(void)state;
	long n = sysconf(_SC_NPROCESSORS_CONF);
	assert_true(n > 0);
	struct cpu_jiffies j[1024];
	int ncpu = n < 1024 ? (int)n : 1024;
	assert_int_equal(probe_cpu_jiffies(j, ncpu), 0);
	/* every CPU we may run on is online and has counted something */
	cpu_set_t set;
	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	for (int c = 0; c < ncpu; c++) {
		assert_true(j[c].busy <= j[c].total);
		if (CPU_ISSET(c, &set))
			assert_true(j[c].total > 0);
	}
}

static void self_rss_is_positive(void **state)
{
	(void)state;
	assert_true(probe_self_rss_kb() > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stat_cpu_from_a_real_line),
		cmocka_unit_test(stat_cpu_from_synthetic_lines),
		cmocka_unit_test(stat_cpu_with_spaces_and_parens_in_comm),
		cmocka_unit_test(stat_cpu_without_trailing_newline),
		cmocka_unit_test(stat_cpu_of_truncated_lines_fails),
		cmocka_unit_test(stat_cpu_of_junk_fails),
		cmocka_unit_test(cpu_line_busy_excludes_idle_iowait_and_guest),
		cmocka_unit_test(cpu_line_from_a_real_proc_stat),
		cmocka_unit_test(cpu_line_guest_time_changes_nothing),
		cmocka_unit_test(cpu_line_of_old_kernels_with_four_fields),
		cmocka_unit_test(cpu_line_with_large_counters),
		cmocka_unit_test(cpu_line_rejects_other_lines),
		cmocka_unit_test(schedstat_of_self_is_sane),
		cmocka_unit_test(last_cpu_of_self_is_in_the_affinity),
		cmocka_unit_test(cpus_allowed_of_self_matches_the_affinity),
		cmocka_unit_test(cpus_allowed_truncates_to_the_buffer),
		cmocka_unit_test(probes_of_a_missing_process_fail),
		cmocka_unit_test(cpu_jiffies_of_this_machine),
		cmocka_unit_test(self_rss_is_positive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
