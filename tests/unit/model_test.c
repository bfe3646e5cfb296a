/* The report model's field tables against docs/schema.json: every field of
 * every level is in the schema, required, of the same type and nullability,
 * and every key the schema lists at that level is a field or one of the
 * level's structural keys. A field added in one place and not the other fails.
 * Then the summaries: usable runs only, entries keyed by (mode, jobs,
 * executor), their labels, speedup per executor and the Amdahl fit. */
#include "config.h"
#include "report_model.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static cJSON *schema;

#define assert_near_model(a, b)                                                          \
	do {                                                                             \
		double got_ = (a), want_ = (b);                                          \
		if (!(fabs(got_ - want_) <= 1e-12))                                      \
			fail_msg("%s = %.17g, expected %.17g", #a, got_, want_);         \
	} while (0)

static int load_schema(void **state)
{
	(void)state;
	const char *top = getenv("TOP_SRCDIR");
	char *path = xasprintf("%s/docs/schema.json", top ? top : ".");
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return -1;
	size_t n;
	char *text = read_stream(f, 1 << 24, &n);
	fclose(f);
	schema = text ? cJSON_Parse(text) : NULL;
	free(text);
	return schema ? 0 : -1;
}

static int free_schema(void **state)
{
	(void)state;
	cJSON_Delete(schema);
	return 0;
}

/* A property's schema with one level of "$ref" followed. */
static const cJSON *resolve(const cJSON *p)
{
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(p, "$ref");
	if (!cJSON_IsString(ref))
		return p;
	const char *prefix = "#/$defs/";
	assert_true(!strncmp(ref->valuestring, prefix, strlen(prefix)));
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(schema, "$defs");
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(defs, ref->valuestring + strlen(prefix));
	assert_non_null(def);
	return def;
}

/* Does schema p allow JSON type name (its "type", an enum's values, oneOf's)? */
static bool allows(const cJSON *p, const char *name)
{
	p = resolve(p);
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(p, "type");
	if (cJSON_IsString(type) && !strcmp(type->valuestring, name))
		return true;
	const cJSON *t;
	cJSON_ArrayForEach(t, type)
		if (cJSON_IsString(t) && !strcmp(t->valuestring, name))
			return true;
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(p, "enum");
	cJSON_ArrayForEach(t, e) {
		if (!strcmp(name, "null") && cJSON_IsNull(t))
			return true;
		if (!strcmp(name, "string") && cJSON_IsString(t))
			return true;
	}
	const cJSON *one = cJSON_GetObjectItemCaseSensitive(p, "oneOf");
	cJSON_ArrayForEach(t, one)
		if (allows(t, name))
			return true;
	return false;
}

static const char *json_type(enum field_type t)
{
	static const char *const names[] = {"number", "integer", "integer", "string", "boolean", "array"};
	return names[t];
}

static void check_level(const struct field_table *t, const char *const *structure)
{
	const cJSON *defs = cJSON_GetObjectItemCaseSensitive(schema, "$defs");
	const cJSON *def = cJSON_GetObjectItemCaseSensitive(defs, t->level);
	if (!def)
		fail_msg("docs/schema.json has no $defs/%s", t->level);
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(def, "properties");
	const cJSON *required = cJSON_GetObjectItemCaseSensitive(def, "required");
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(props, f->name);
		if (!p)
			fail_msg("%s.%s is a field but not in the schema", t->level, f->name);
		bool req = false;
		const cJSON *r;
		cJSON_ArrayForEach(r, required)
			req |= cJSON_IsString(r) && !strcmp(r->valuestring, f->name);
		if (!req)
			fail_msg("%s.%s is not required by the schema", t->level, f->name);
		if (!allows(p, json_type(f->type)))
			fail_msg("%s.%s: the schema does not allow %s", t->level, f->name, json_type(f->type));
		if (allows(p, "null") != f->nullable)
			fail_msg("%s.%s: nullable is %d in the table but not in the schema", t->level,
				 f->name, f->nullable);
	}
	const cJSON *p;
	cJSON_ArrayForEach(p, props) {
		bool found = false;
		for (int i = 0; i < t->n; i++)
			found |= !strcmp(t->fields[i].name, p->string);
		for (const char *const *s = structure; s && *s; s++)
			found |= !strcmp(*s, p->string);
		if (!found)
			fail_msg("the schema's %s.%s is not a field of the table", t->level, p->string);
	}
}

static void task_fields_match_the_schema(void **state)
{
	(void)state;
	static const char *const structure[] = {"exit", "cgroup", "state_samples", NULL};
	check_level(&task_table, structure);
	check_level(&task_cgroup_table, NULL);
}

static void exit_fields_match_the_schema(void **state)
{
	(void)state;
	check_level(&exit_table, NULL);
}

static void run_fields_match_the_schema(void **state)
{
	(void)state;
	static const char *const structure[] = {"cpus", "samples", "task_stats", "tasks", NULL};
	check_level(&run_table, structure);
	check_level(&cpu_table, NULL);
	/* task_stats: four percentile objects, each by its table */
	static const char *const stats[] = {"wall_s", "running_s", "ready_s", "blocked_s", NULL};
	static const struct field_table none = {"task_stats", NULL, 0};
	check_level(&none, stats);
	check_level(&percentiles_table, NULL);
}

static void summary_fields_match_the_schema(void **state)
{
	(void)state;
	static const char *const structure[] = {"wall_s", NULL};
	check_level(&summary_table, structure);
	check_level(&wall_table, NULL);
}

/* The CSV columns come from the tables: each named once. */
static void csv_columns_are_distinct(void **state)
{
	(void)state;
	const struct field_table *tables[] = {&run_table, &task_table, &task_cgroup_table, &exit_table};
	const char *seen[128];
	int n = 0;
	for (size_t k = 0; k < ARRAY_SIZE(tables); k++)
		for (int i = 0; i < tables[k]->n; i++) {
			const char *c = tables[k]->fields[i].csv;
			if (!c)
				continue;
			for (int j = 0; j < n; j++)
				if (!strcmp(seen[j], c))
					fail_msg("CSV column '%s' appears twice", c);
			seen[n++] = c;
		}
	assert_true(n > 20);
}

/* Summaries use usable runs only; failures are counted over all of them. */
static void summary_uses_only_runs_in_summary(void **state)
{
	(void)state;
	char exited[] = "exited", serial_name[] = "serial", parallel_name[] = "parallel", w_name[] = "w",
	     process[] = "process";
	struct report_task ok = {.exit = {.status = exited, .code = 0}};
	struct report_task bad = {.exit = {.status = exited, .code = 1}};
	struct report_run runs[5] = {
		{.wall_s = 1.0, .in_summary = true, .ntasks = 1, .tasks = &ok},
		{.wall_s = 9.0, .failed = true, .ntasks = 1, .tasks = &bad},
		{.wall_s = 3.0, .in_summary = true, .ntasks = 1, .tasks = &ok},
		{.wall_s = 0.1, .partial = true, .ntasks = 1, .tasks = &ok},
		{.wall_s = 7.0, .suspended_s = 5.0, .ntasks = 1, .tasks = &ok},
	};
	struct report_mode serial = {.mode = serial_name, .jobs = 1, .executor = process, .nslots = 1, .nruns = 5, .runs = runs};
	struct report_mode parallel = {.mode = parallel_name, .jobs = 2, .executor = process, .nslots = 2, .nruns = 1,
				       .runs = &runs[1]};
	struct report_mode modes[2] = {serial, parallel};
	struct report_workload w = {.name = w_name, .nmodes = 2, .modes = modes};
	struct report r = {.nworkloads = 1, .workloads = &w};
	/* failures are counted from the tally each run keeps of its tasks */
	for (int k = 0; k < 5; k++)
		report_tally_task(&runs[k].tally, runs[k].tasks);
	assert_int_equal(runs[1].tally.failed_tasks, 1);
	assert_string_equal(runs[1].tally.first_failed_error, "exit code 1");
	report_summarise(&r);
	assert_int_equal(modes[0].summary.wall.n, 2);
	assert_true(modes[0].summary.wall.median == 2.0);
	assert_int_equal(modes[0].summary.failed_runs, 1);
	assert_int_equal(modes[0].summary.failed_tasks, 1);
	assert_true(modes[0].summary.speedup == 1.0);
	/* parallel's only run failed: no statistic, and no speedup */
	assert_int_equal(modes[1].summary.wall.n, 0);
	assert_true(isnan(modes[1].summary.speedup));
	assert_true(isnan(modes[1].summary.efficiency));
	assert_int_equal(modes[1].summary.failed_runs, 1);
	for (int k = 0; k < 5; k++)
		report_tally_free(&runs[k].tally);
}

/* An entry of one usable run of wall_s seconds (runs[k] is its run). */
static struct report_mode entry(char *mode, int jobs, char *executor, struct report_run *run, double wall_s)
{
	memset(run, 0, sizeof(*run));
	run->wall_s = wall_s;
	run->in_summary = true;
	return (struct report_mode){.mode = mode, .jobs = jobs, .executor = executor, .nslots = jobs,
				    .nruns = 1, .runs = run};
}

/* The key is (mode, jobs, executor): the strings compared, not pointers. */
static void entries_are_keyed_by_mode_jobs_and_executor(void **state)
{
	(void)state;
	char serial[] = "serial", parallel[] = "parallel", process[] = "process", other[] = "thread";
	char parallel2[] = "parallel", process2[] = "process";
	struct report_run runs[4];
	struct report_mode modes[4] = {
		entry(serial, 1, process, &runs[0], 1),
		entry(parallel, 2, process, &runs[1], 1),
		entry(parallel, 4, process, &runs[2], 1),
		entry(parallel, 2, other, &runs[3], 1),
	};
	struct report_workload w = {.nmodes = 4, .modes = modes};
	struct report_mode key = {.mode = parallel2, .jobs = 4, .executor = process2};
	assert_true(report_entry_same(&key, &modes[2]));
	assert_false(report_entry_same(&key, &modes[1]));	/* other jobs */
	assert_ptr_equal(report_entry_find(&w, &key), &modes[2]);
	key.jobs = 2;
	assert_ptr_equal(report_entry_find(&w, &key), &modes[1]);
	key.executor = other;
	assert_false(report_entry_same(&key, &modes[1]));	/* other executor */
	assert_ptr_equal(report_entry_find(&w, &key), &modes[3]);
	key.jobs = 8;
	assert_null(report_entry_find(&w, &key));
	key.jobs = 1;
	key.mode = serial;
	key.executor = process2;
	assert_ptr_equal(report_entry_find(&w, &key), &modes[0]);
}

static void check_label(const struct report *r, const struct report *r2, const struct report_mode *m,
			const char *want)
{
	char *got = report_entry_label(r, r2, m);
	assert_string_equal(got, want);
	free(got);
}

/* "/jN" only where the mode comes with other jobs, "/executor" only where
 * with other executors, in this report or the one it is compared with. */
static void labels_name_only_what_varies(void **state)
{
	(void)state;
	char serial[] = "serial", parallel[] = "parallel", process[] = "process", other[] = "thread";
	struct report_run runs[4];
	struct report_mode plain[2] = {entry(serial, 1, process, &runs[0], 1),
				       entry(parallel, 2, process, &runs[1], 1)};
	struct report_workload wp = {.nmodes = 2, .modes = plain};
	struct report rp = {.nworkloads = 1, .workloads = &wp};
	check_label(&rp, NULL, &plain[0], "serial");
	check_label(&rp, NULL, &plain[1], "parallel");

	struct report_mode sweep[2] = {entry(parallel, 1, process, &runs[2], 1),
				       entry(parallel, 4, other, &runs[3], 1)};
	struct report_workload ws = {.nmodes = 2, .modes = sweep};
	struct report rs = {.nworkloads = 1, .workloads = &ws};
	check_label(&rs, NULL, &sweep[0], "parallel/j1/process");
	check_label(&rs, NULL, &sweep[1], "parallel/j4/thread");
	/* compared with a report of another size: the jobs are named on both sides */
	check_label(&rp, &rs, &plain[1], "parallel/j2/process");
	check_label(&rp, &rs, &plain[0], "serial");
}

/* Speedup of each entry against the serial entry of its own executor;
 * efficiency per slot; Karp-Flatt from 2 slots; one Amdahl fit per
 * executor with 2 or more parallel entries that have a speedup, over
 * those, in entry order. */
static void summarise_fits_amdahl_per_executor(void **state)
{
	(void)state;
	char serial[] = "serial", parallel[] = "parallel", process[] = "process", other[] = "thread";
	struct report_run runs[7];
	struct report_mode modes[7] = {
		entry(serial, 1, process, &runs[0], 4.0),
		entry(parallel, 4, process, &runs[1], 1.25),
		entry(parallel, 1, process, &runs[2], 4.0),
		entry(parallel, 2, process, &runs[3], 2.2),
		entry(serial, 1, other, &runs[4], 8.0),
		entry(parallel, 2, other, &runs[5], 2.0),
		entry(parallel, 8, process, &runs[6], 1.0),
	};
	runs[6].in_summary = false;	/* j8 has no usable run: left out of the fit */
	runs[6].failed = true;
	struct report_workload w = {.nmodes = 7, .modes = modes};
	struct report r = {.nworkloads = 1, .workloads = &w};
	report_summarise(&r);
	assert_near_model(modes[1].summary.speedup, 3.2);
	assert_near_model(modes[1].summary.efficiency, 0.8);
	assert_near_model(modes[1].summary.serial_fraction, stats_karp_flatt(3.2, 4));
	assert_near_model(modes[2].summary.speedup, 1.0);
	assert_true(isnan(modes[2].summary.serial_fraction));	/* one slot: undefined */
	/* thread's parallel against thread's serial (8 s), not process's (4 s) */
	assert_near_model(modes[5].summary.speedup, 4.0);
	assert_near_model(modes[5].summary.efficiency, 2.0);
	assert_true(isnan(modes[6].summary.speedup));
	/* thread has one parallel entry: no fit; process has j4, j1, j2 */
	assert_int_equal(w.namdahl, 1);
	assert_string_equal(w.amdahl[0].executor, "process");
	assert_int_equal(w.amdahl[0].jobs.n, 3);
	assert_int_equal(w.amdahl[0].jobs.v[0], 4);
	assert_int_equal(w.amdahl[0].jobs.v[1], 1);
	assert_int_equal(w.amdahl[0].jobs.v[2], 2);
	const int jobs[] = {4, 1, 2};
	const double speedup[] = {3.2, 1.0, 4.0 / 2.2};
	double f, se;
	assert_int_equal(stats_amdahl_fit(jobs, speedup, 3, &f, &se), 0);
	assert_near_model(w.amdahl[0].serial_fraction, f);
	assert_near_model(w.amdahl[0].serial_fraction_se, se);
	/* between the sizes' Karp-Flatt values (0.0833 at j4, 0.1 at j2) */
	assert_true(f > stats_karp_flatt(3.2, 4) && f < stats_karp_flatt(4.0 / 2.2, 2));
	for (int k = 0; k < w.namdahl; k++) {
		free(w.amdahl[k].executor);
		intlist_free(&w.amdahl[k].jobs);
	}
	free(w.amdahl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(task_fields_match_the_schema),
		cmocka_unit_test(exit_fields_match_the_schema),
		cmocka_unit_test(run_fields_match_the_schema),
		cmocka_unit_test(summary_fields_match_the_schema),
		cmocka_unit_test(csv_columns_are_distinct),
		cmocka_unit_test(summary_uses_only_runs_in_summary),
		cmocka_unit_test(entries_are_keyed_by_mode_jobs_and_executor),
		cmocka_unit_test(labels_name_only_what_varies),
		cmocka_unit_test(summarise_fits_amdahl_per_executor),
	};
	return cmocka_run_group_tests(tests, load_schema, free_schema);
}
