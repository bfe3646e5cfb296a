/* The report model's field tables against docs/schema.json: every field of
 * every level is in the schema, required, of the same type and nullability,
 * and every key the schema lists at that level is a field or one of the
 * level's structural keys. A field added in one place and not the other fails. */
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
	static const char *const structure[] = {"exit", "cgroup", NULL};
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(task_fields_match_the_schema),
		cmocka_unit_test(exit_fields_match_the_schema),
		cmocka_unit_test(run_fields_match_the_schema),
		cmocka_unit_test(summary_fields_match_the_schema),
		cmocka_unit_test(csv_columns_are_distinct),
		cmocka_unit_test(summary_uses_only_runs_in_summary),
	};
	return cmocka_run_group_tests(tests, load_schema, free_schema);
}
