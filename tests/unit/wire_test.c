/* Unit tests of tribench-mpi's byte layout (src/mpi/wire.c), which needs no
 * MPI: a task record and workloads go through and come back equal, derived
 * values stay behind (each rank prepares its own), and a message cut short
 * or naming an unknown kind is refused at every length. */
#include "config.h"
#include "mpi/wire.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "suite.h"
#include "util.h"

static void record_round_trip(void **state)
{
	(void)state;
	struct intlist pus = {0};
	intlist_push(&pus, 2);
	intlist_push(&pus, 3);
	struct task_record t;
	memset(&t, 0, sizeof(t));
	t.id = 41;
	t.pid = 12345;
	t.slot = 1;
	t.pu = 2;
	t.pus = &pus;
	snprintf(t.cpus_allowed, sizeof(t.cpus_allowed), "2-3");
	intlist_push(&t.cpus_seen, 2);
	intlist_push(&t.cpus_seen, 5);
	t.start_s = 0.125;
	t.end_s = 1.0 / 3;
	t.wall_s = t.end_s - t.start_s;
	t.user_s = 0.1;
	t.sys_s = 0.01;
	t.running_s = 0.109;
	t.ready_s = 0.002;
	t.blocked_s = NAN;
	t.have_schedstat = true;
	t.voluntary_switches = 7;
	t.involuntary_switches = -1;
	t.max_rss_kb = 2048;
	t.exit.status = EXIT_STATUS_SIGNALED;
	t.exit.signal = 15;
	t.exit.timed_out = true;
	t.exit.error = (char *)"why it ended";
	t.leftovers_killed = 2;
	t.zombie_s = 1e-5;
	t.outside_slot = true;
	t.have_tree = true;
	t.tree.cpu_s = 0.11;
	t.tree.memory_peak_kb = NAN;
	t.tree.procs_max = 3;

	size_t len;
	char *w = wire_task_pack(&t, 3, &len);
	struct task_record back;
	struct intlist bpus;
	assert_int_equal(wire_task_unpack(w, len, &back, &bpus), 0);
	assert_true(back.remote);
	assert_int_equal(back.rank, 3);
	assert_int_equal(back.id, 41);
	assert_int_equal(back.pid, 12345);
	assert_int_equal(back.slot, 1);
	assert_int_equal(back.pu, 2);
	assert_int_equal(back.pus->n, 2);
	assert_int_equal(back.pus->v[1], 3);
	assert_string_equal(back.cpus_allowed, "2-3");
	assert_int_equal(back.cpus_seen.n, 2);
	assert_int_equal(back.cpus_seen.v[1], 5);
	/* doubles bit for bit, NaN stays NaN */
	assert_memory_equal(&back.end_s, &t.end_s, sizeof(double));
	assert_memory_equal(&back.wall_s, &t.wall_s, sizeof(double));
	assert_true(isnan(back.blocked_s));
	assert_true(isnan(back.tree.memory_peak_kb));
	assert_true(back.tree.procs_max == 3 && back.tree.cpu_s == 0.11);
	assert_true(back.have_schedstat && back.have_tree && back.outside_slot);
	assert_int_equal(back.voluntary_switches, 7);
	assert_int_equal(back.involuntary_switches, -1);
	assert_int_equal(back.max_rss_kb, 2048);
	assert_int_equal(back.exit.status, EXIT_STATUS_SIGNALED);
	assert_int_equal(back.exit.signal, 15);
	assert_true(back.exit.timed_out);
	assert_string_equal(back.exit.error, "why it ended");
	assert_int_equal(back.leftovers_killed, 2);
	wire_task_free(&back, &bpus);
	/* every shorter or longer length is refused */
	for (size_t cut = 0; cut < len; cut++)
		assert_int_equal(wire_task_unpack(w, cut, &back, &bpus), -1);
	char *longer = xmalloc(len + 1);
	memcpy(longer, w, len);
	assert_int_equal(wire_task_unpack(longer, len + 1, &back, &bpus), -1);
	free(longer);
	free(w);
	intlist_free(&t.cpus_seen);
	intlist_free(&pus);

	/* a record with no error, no PUs (never started): the fixed part alone */
	struct task_record n;
	memset(&n, 0, sizeof(n));
	n.id = 0;
	n.exit.status = EXIT_STATUS_NOT_STARTED;
	w = wire_task_pack(&n, 1, &len);
	assert_int_equal(wire_task_unpack(w, len, &back, &bpus), 0);
	free(w);
	assert_null(back.exit.error);
	assert_int_equal(back.pus->n, 0);
	assert_int_equal(back.exit.status, EXIT_STATUS_NOT_STARTED);
	wire_task_free(&back, &bpus);
}

/* A suite as rank 0 sends it, before prepare: a counted cpu spec (ms
 * given; prepare turns it into ops with a calibration), a sleep and a
 * command with arguments and NAME=value words. */
static void make_suite(struct suite *s)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(suite_add_spec_text(s, "w", "cpu:ms=20,count=3"), 0);
	assert_int_equal(suite_add_spec_text(s, "w", "sleep:ms=5"), 0);
	assert_int_equal(suite_add_command_line(s, "w", "LANG=C printf '%s\\n' 'a b' c", 2), 0);
}

static void workload_round_trip(void **state)
{
	(void)state;
	struct suite s;
	make_suite(&s);
	const struct workload *w = &s.workloads[0];
	size_t len;
	char *buf = wire_workload_pack(w, &len);
	struct workload back;
	assert_int_equal(wire_workload_unpack(buf, len, &back), (long)len);
	assert_string_equal(back.name, "w");
	assert_int_equal(back.ntasks, w->ntasks);
	assert_int_equal(back.ngroups, w->ngroups);
	for (int id = 0; id < w->ntasks; id++) {
		const struct task_spec *a = workload_task(w, id), *b = workload_task(&back, id);
		assert_ptr_equal(a->kind, b->kind);
		for (int i = 0; i < a->kind->nparams; i++) {
			if (!(b->has & (1u << i)))
				continue;
			assert_true(a->has & (1u << i));
			if (a->kind->params[i].type == PARAM_STR)
				assert_string_equal(a->str[i], b->str[i]);
			else
				assert_true(a->num[i] == b->num[i]);
		}
		if (a->argv) {
			int k = 0;
			for (; a->argv[k]; k++)
				assert_string_equal(a->argv[k], b->argv[k]);
			assert_null(b->argv[k]);
			assert_null(b->path);	/* each rank looks it up in its own PATH */
		}
		if (a->env)
			assert_string_equal(a->env[0], b->env[0]);
	}
	/* each rank prepares with its own calibration: ms=20 becomes its ops */
	int ops = task_param_index(workload_task(&back, 0)->kind, "ops");
	struct calibration here = {.ops_per_ms = 10}, there = {.ops_per_ms = 1000};
	struct spec_group *g = &back.groups[0];
	assert_false(g->spec.has & (1u << ops));
	assert_int_equal(g->spec.kind->prepare(&g->spec, &here), 0);
	assert_int_equal(w->groups[0].spec.kind->prepare(&w->groups[0].spec, &there), 0);
	assert_true(g->spec.num[ops] * 100 == w->groups[0].spec.num[ops]);
	wire_workload_free(&back);
	free(buf);
	suite_free(&s);
}

static void workload_cut_short_refused(void **state)
{
	(void)state;
	struct suite s;
	make_suite(&s);
	size_t len;
	char *buf = wire_workload_pack(&s.workloads[0], &len);
	for (size_t cut = 0; cut < len; cut++) {
		struct workload back;
		char *part = xmalloc(cut ? cut : 1);
		memcpy(part, buf, cut);
		assert_int_equal(wire_workload_unpack(part, cut, &back), -1);
		assert_null(back.groups);
		free(part);
	}
	/* an unknown kind name: the same length, one byte changed */
	char *bad = xmalloc(len);
	memcpy(bad, buf, len);
	char *k = memmem(bad, len, "cpu", 3);
	assert_non_null(k);
	k[0] = 'x';
	struct workload back;
	assert_int_equal(wire_workload_unpack(bad, len, &back), -1);
	free(bad);
	free(buf);
	suite_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(record_round_trip),
		cmocka_unit_test(workload_round_trip),
		cmocka_unit_test(workload_cut_short_refused),
	};
	return cmocka_run_group_tests_name("tests", tests, NULL, NULL);
}
