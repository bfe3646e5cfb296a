/* Unit tests of probe.c: /proc line parsers, and the readers on this very process. */
#include "config.h"
#include "probe.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "preflight.h"
#include "sampler.h"
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


static void per_task_readers_say_why_they_failed(void **state)
{
	(void)state;
	/* above the kernel's PID_MAX_LIMIT: the /proc directory does not exist */
	double run = -1, wait = -1;
	int cpu = -1;
	char buf[64] = "untouched";
	errno = 0;
	assert_int_equal(probe_schedstat(INT_MAX, &run, &wait), -1);
	assert_int_equal(errno, ENOENT);
	assert_true(run == -1 && wait == -1);
	errno = 0;
	assert_int_equal(probe_cpus_allowed(INT_MAX, buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(buf, "untouched");
	errno = 0;
	assert_int_equal(probe_last_cpu(INT_MAX, &cpu), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(cpu, -1);
}

static void read_file_reports_empty_and_missing(void **state)
{
	(void)state;
	char buf[16];
	errno = 0;
	assert_int_equal(probe_read_file("/nonexistent/tribench", buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(probe_read_file("/dev/null", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* no descriptor shortage so far in this process */
	assert_int_equal(probe_fatal_errno(), 0);
	assert_string_equal(probe_fatal_path(), "");
}

/* A fake /proc and /sys under a temporary root, for probe_host_at(). */
static char fake_root[64];

static void fake_file(const char *rel, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	assert_int_equal(mkdir_p(path), 0);
	*slash = '/';
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void fake_remove(const char *rel)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", fake_root, rel);
	assert_int_equal(remove(path), 0);
}

/* A tree as an x86 VM without cpufreq or SMT control shows it. */
static int fake_vm_setup(void **state)
{
	(void)state;
	snprintf(fake_root, sizeof(fake_root), "/tmp/pt.XXXXXX");
	if (!mkdtemp(fake_root))
		return -1;
	fake_file("proc/cpuinfo", "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n"
				  "cpu MHz\t\t: 2450.000\nflags\t\t: fpu vme hypervisor lahf_lm\n\n"
				  "processor\t: 1\nmodel name\t: other\ncpu MHz\t\t: 1.0\n");
	fake_file("proc/loadavg", "0.52 0.58 0.59 1/467 12345\n");
	fake_file("proc/stat", "cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n"
			       "intr 1 2 3\nctxt 7\nprocs_running 1\nprocs_blocked 0\n");
	fake_file("proc/sys/kernel/randomize_va_space", "2\n");
	fake_file("proc/cmdline", "root=/dev/vda quiet -- isolcpus=3\n");
	fake_file("sys/devices/system/cpu/online", "0\n");
	return 0;
}

static int fake_teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fake_root);
	return system(cmd) == 0 ? 0 : -1;
}

static void host_facts_of_a_vm_have_silent_nulls(void **state)
{
	(void)state;
	struct host_facts h;
	probe_host_at(&h, 0, fake_root);
	for (int i = 0; i < h.nunread; i++)
		print_error("unread: %s\n", h.unread[i]);
	assert_int_equal(h.nunread, 0);
	assert_string_equal(h.cpu_model, "AMD EPYC 7B13");
	assert_true(h.cpu_mhz == 2450.0);
	assert_int_equal(h.virtualized, 1);
	assert_true(h.load_avg[0] == 0.52 && h.load_avg[1] == 0.58 && h.load_avg[2] == 0.59);
	assert_int_equal(h.procs_running, 1);
	assert_int_equal(h.aslr, 2);
	/* absent by design: no cpufreq, no smt directory, isolcpus only after "--" */
	assert_string_equal(h.governor, "");
	assert_int_equal(h.boost, -1);
	assert_string_equal(h.smt, "");
	assert_string_equal(h.isolcpus, "");
	assert_string_equal(h.nohz_full, "");
}

static void host_facts_from_cpufreq_and_smt(void **state)
{
	(void)state;
	fake_file("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave\n");
	fake_file("sys/devices/system/cpu/intel_pstate/no_turbo", "1\n");
	fake_file("sys/devices/system/cpu/smt/control", "on\n");
	fake_file("proc/cmdline", "BOOT_IMAGE=/vmlinuz isolcpus=2-3 nohz_full=2-3 quiet\n");
	struct host_facts h;
	probe_host_at(&h, 1, fake_root);
	assert_int_equal(h.nunread, 0);
	assert_string_equal(h.governor, "powersave");
	assert_int_equal(h.boost, 0);
	assert_string_equal(h.smt, "on");
	assert_string_equal(h.isolcpus, "2-3");
	assert_string_equal(h.nohz_full, "2-3");
	/* cpufreq/boost wins over intel_pstate when both are there */
	fake_file("sys/devices/system/cpu/cpufreq/boost", "1\n");
	probe_host_at(&h, 1, fake_root);
	assert_int_equal(h.boost, 1);
	/* the governor of another CPU, without cpufreq: absent, silent */
	probe_host_at(&h, 0, fake_root);
	assert_string_equal(h.governor, "");
	assert_int_equal(h.nunread, 0);
}

static void host_facts_of_an_arm_cpuinfo_are_silent_nulls(void **state)
{
	(void)state;
	fake_file("proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n"
				  "CPU implementer\t: 0x41\n\n");
	struct host_facts h;
	probe_host_at(&h, 0, fake_root);
	assert_int_equal(h.nunread, 0);
	assert_string_equal(h.cpu_model, "");
	assert_true(isnan(h.cpu_mhz));
	assert_int_equal(h.virtualized, -1);
}

static void host_facts_unread_are_listed_with_the_reason(void **state)
{
	(void)state;
	char want[4][200];
	fake_remove("proc/loadavg");
	fake_file("proc/cmdline", "");
	fake_file("proc/sys/kernel/randomize_va_space", "two\n");
	struct host_facts h;
	probe_host_at(&h, 0, fake_root);
	assert_true(isnan(h.load_avg[0]) && isnan(h.load_avg[1]) && isnan(h.load_avg[2]));
	assert_int_equal(h.aslr, -1);
	assert_int_equal(h.procs_running, 1);	/* the rest still read */
	snprintf(want[0], sizeof(want[0]),
		 "host.load_avg is null: cannot read %s/proc/loadavg: No such file or directory", fake_root);
	snprintf(want[1], sizeof(want[1]), "host.aslr is null: cannot parse %s/proc/sys/kernel/randomize_va_space",
		 fake_root);
	snprintf(want[2], sizeof(want[2]), "host.isolcpus is null: cannot read %s/proc/cmdline: No data available",
		 fake_root);
	snprintf(want[3], sizeof(want[3]), "host.nohz_full is null: cannot read %s/proc/cmdline: No data available",
		 fake_root);
	assert_int_equal(h.nunread, 4);
	for (int i = 0; i < 4; i++)
		assert_string_equal(h.unread[i], want[i]);
	/* garbage in loadavg is not a zero load */
	fake_file("proc/loadavg", "n/a\n");
	fake_file("proc/stat", "cpu0 1 2 3 4 5 6 7 8 0 0\n");
	probe_host_at(&h, 0, fake_root);
	assert_true(isnan(h.load_avg[0]));
	assert_int_equal(h.procs_running, -1);
	assert_true(h.nunread >= 2);
	snprintf(want[0], sizeof(want[0]), "host.load_avg is null: cannot parse %s/proc/loadavg", fake_root);
	snprintf(want[1], sizeof(want[1]), "host.procs_running is null: cannot parse %s/proc/stat", fake_root);
	assert_string_equal(h.unread[0], want[0]);
	assert_string_equal(h.unread[1], want[1]);
}

static void host_facts_without_proc_or_sys(void **state)
{
	(void)state;
	struct host_facts h;
	probe_host_at(&h, 0, "/nonexistent");
	static const char *const fields[] = {"cpu_model", "cpu_mhz", "virtualized", "load_avg",
					     "procs_running", "governor", "smt", "boost", "aslr",
					     "isolcpus", "nohz_full"};
	assert_int_equal(h.nunread, (int)ARRAY_SIZE(fields));
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "host.%s is null: cannot read /nonexistent/", fields[i]);
		assert_true(!strncmp(h.unread[i], prefix, strlen(prefix)));
		assert_non_null(strstr(h.unread[i], ": No such file or directory"));
	}
	assert_true(isnan(h.cpu_mhz) && isnan(h.load_avg[2]));
	assert_int_equal(h.procs_running, -1);
	assert_int_equal(h.boost, -1);
	assert_int_equal(h.aslr, -1);
	assert_int_equal(h.virtualized, -1);
	assert_string_not_equal(h.hostname, "");	/* uname is not under the root */
}

static void host_facts_of_this_machine_are_all_read(void **state)
{
	(void)state;
	/* a machine that runs the tests has /proc and /sys: nothing to warn about */
	struct host_facts h;
	probe_host(&h, 0);
	for (int i = 0; i < h.nunread; i++)
		print_error("unread: %s\n", h.unread[i]);
	assert_int_equal(h.nunread, 0);
	assert_true(h.load_avg[0] >= 0);
	assert_true(h.procs_running >= 1);
	assert_true(h.aslr >= 0);
}

/* Make the next open(2) of this process fail with EMFILE. */
static void exhaust_fds(void)
{
	long lowest_free = preflight_fd_limit(1) - 1;
	struct rlimit rl;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	rl.rlim_cur = (rlim_t)lowest_free;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
}

/* Run fn in a child, so that a lowered limit and the sticky errno stay there. */
static void in_child(void (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

#define CHILD_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
			_exit(1); \
		} \
	} while (0)

static void emfile_child(void)
{
	char path[64];
	double run = -1, wait = -1;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)getpid());
	exhaust_fds();
	CHILD_CHECK(probe_fatal_errno() == 0);
	CHILD_CHECK(probe_schedstat(getpid(), &run, &wait) == -1);
	CHILD_CHECK(errno == EMFILE);
	CHILD_CHECK(run == -1);
	CHILD_CHECK(probe_fatal_errno() == EMFILE);
	CHILD_CHECK(!strcmp(probe_fatal_path(), path));
	/* the first one is kept */
	CHILD_CHECK(probe_procs_running() == -1);
	CHILD_CHECK(!strcmp(probe_fatal_path(), path));
}

static void emfile_is_recorded_as_fatal(void **state)
{
	(void)state;
	in_child(emfile_child);
}

static void sampler_child(void)
{
	struct intlist cpus = {0};
	struct sample_series ser = {0};
	struct sampler s;
	struct cpu_usage usage;
	intlist_push(&cpus, 0);
	/* /proc/stat readable at the start, not at the end */
	sampler_begin(&s, &cpus, 0.01, &ser);
	usleep(20000);
	sampler_tick(&s, 0.02);
	CHILD_CHECK(ser.n == 1 && !isnan(ser.busy[0]));
	exhaust_fds();
	usleep(20000);
	sampler_tick(&s, 0.04);
	CHILD_CHECK(ser.n == 2 && isnan(ser.busy[1]));
	CHILD_CHECK(ser.task_busy[1] == 0);
	sampler_end(&s, &usage);
	CHILD_CHECK(usage.cpu == 0 && isnan(usage.busy));
	sampler_free(&s);
	/* and unreadable at the start */
	sampler_begin(&s, &cpus, 0.01, &ser);
	sampler_tick(&s, 0.05);
	sampler_end(&s, &usage);
	CHILD_CHECK(isnan(usage.busy));
	sampler_free(&s);
}

static void sampler_without_proc_stat_gives_nan(void **state)
{
	(void)state;
	in_child(sampler_child);
}

static void sampler_busy_of_a_normal_run(void **state)
{
	(void)state;
	struct intlist cpus = {0};
	struct sample_series ser = {0};
	struct sampler s;
	struct cpu_usage usage;
	cpu_set_t set;
	assert_int_equal(sched_getaffinity(0, sizeof(set), &set), 0);
	for (int c = 0; c < CPU_SETSIZE && !cpus.n; c++)
		if (CPU_ISSET(c, &set))
			intlist_push(&cpus, c);
	sampler_begin(&s, &cpus, 0.05, &ser);
	usleep(60000);	/* at least one 10 ms tick passes */
	sampler_tick(&s, 0.06);
	sampler_end(&s, &usage);
	assert_int_equal(ser.n, 1);
	assert_true(ser.busy[0] >= 0 && ser.busy[0] <= 1);
	assert_true(usage.busy >= 0 && usage.busy <= 1);
	sampler_free(&s);
	free(ser.t);
	free(ser.busy);
	free(ser.task_busy);
	intlist_free(&cpus);
}

static void preflight_counts_the_report_descriptor(void **state)
{
	(void)state;
	struct options o;
	memset(&o, 0, sizeof(o));
	/* cgroup containment (auto) holds a few more */
	assert_int_equal(preflight_fds_needed(&o), PREFLIGHT_RUN_FDS - 1 + PREFLIGHT_CGROUP_FDS);
	o.sched.containment = CONTAIN_PGROUP;
	assert_int_equal(preflight_fds_needed(&o), PREFLIGHT_RUN_FDS - 1);	/* stdout or nothing */
	o.output = "-";
	assert_int_equal(preflight_fds_needed(&o), PREFLIGHT_RUN_FDS - 1);
	o.output = "r.json";
	assert_int_equal(preflight_fds_needed(&o), PREFLIGHT_RUN_FDS);
	o.output = "/dev/stdout";	/* opened in place: one descriptor all the same */
	assert_int_equal(preflight_fds_needed(&o), PREFLIGHT_RUN_FDS);
	o.sched.results_dir = "res";	/* its pair is transient, within the count */
	assert_int_equal(preflight_fds_needed(&o), PREFLIGHT_RUN_FDS);
}

static void preflight_fd_limit_counts_holes(void **state)
{
	(void)state;
	int a = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int b = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int c = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_true(a >= 0 && a < b && b < c);
	close(a);
	close(c);
	/* free: a, then c (b is taken); the limit must lie above the needed ones */
	assert_int_equal(preflight_fd_limit(0), 0);
	assert_int_equal(preflight_fd_limit(1), a + 1);
	assert_int_equal(preflight_fd_limit(2), c + 1);
	close(b);
	assert_int_equal(preflight_fd_limit(2), b + 1);
}

static void preflight_passes_on_this_machine(void **state)
{
	(void)state;
	struct options o;
	memset(&o, 0, sizeof(o));
	o.output = "r.json";
	assert_int_equal(preflight_run(&o), 0);
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
		cmocka_unit_test(per_task_readers_say_why_they_failed),
		cmocka_unit_test(read_file_reports_empty_and_missing),
		cmocka_unit_test_setup(host_facts_of_a_vm_have_silent_nulls, fake_vm_setup),
		cmocka_unit_test(host_facts_from_cpufreq_and_smt),
		cmocka_unit_test(host_facts_of_an_arm_cpuinfo_are_silent_nulls),
		cmocka_unit_test_teardown(host_facts_unread_are_listed_with_the_reason, fake_teardown),
		cmocka_unit_test(host_facts_without_proc_or_sys),
		cmocka_unit_test(host_facts_of_this_machine_are_all_read),
		cmocka_unit_test(emfile_is_recorded_as_fatal),
		cmocka_unit_test(sampler_without_proc_stat_gives_nan),
		cmocka_unit_test(sampler_busy_of_a_normal_run),
		cmocka_unit_test(preflight_counts_the_report_descriptor),
		cmocka_unit_test(preflight_fd_limit_counts_holes),
		cmocka_unit_test(preflight_passes_on_this_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
