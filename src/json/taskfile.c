/* The taskfile reader: strict, so a typo is an error and not a silent default. */
#include "config.h"
#include "json/json.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonutil.h"

#define TASKFILE_MAX_BYTES (16 << 20)

/* Read the whole file, NUL-terminated. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		error("cannot read taskfile '%s': %s", path, strerror(errno));
		return NULL;
	}
	char *text = read_stream(f, TASKFILE_MAX_BYTES, len);
	if (!text && errno == EFBIG)
		error("taskfile '%s' is larger than %d MiB", path, TASKFILE_MAX_BYTES >> 20);
	else if (!text)
		error("cannot read taskfile '%s': %s", path, strerror(errno));
	fclose(f);
	return text;
}

struct key_at {
	const char *name;
	int pos;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key_at *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/*
 * Every key of o must be in allowed (NULL-terminated; NULL: any) and appear
 * once. The first offending key in document order is named. Duplicates are
 * found by sorting, not by comparing each key with those before it: an object
 * of 10^6 keys fits the taskfile limit, and pairs of them would take hours.
 */
static int check_keys(const cJSON *o, const char *const *allowed)
{
	int n = 0, first_unknown = -1, first_dup = -1;
	for (const cJSON *c = o->child; c; c = c->next, n++) {
		const char *const *a = allowed;
		while (a && *a && strcmp(*a, c->string))
			a++;
		if (a && !*a && first_unknown < 0)
			first_unknown = n;
	}
	if (n < 2 && first_unknown < 0)
		return 0;
	struct key_at *keys = xcalloc((size_t)n, sizeof(*keys));
	int i = 0;
	for (const cJSON *c = o->child; c; c = c->next, i++)
		keys[i] = (struct key_at){c->string, i};
	qsort(keys, (size_t)n, sizeof(*keys), key_cmp);
	/* the second of two equal neighbours is a key seen before */
	for (i = 1; i < n; i++)
		if (!strcmp(keys[i - 1].name, keys[i].name) && (first_dup < 0 || keys[i].pos < first_dup))
			first_dup = keys[i].pos;
	int rc = 0;
	for (i = 0; i < n && !rc; i++) {
		if (keys[i].pos == first_unknown && (first_dup < 0 || first_unknown <= first_dup))
			rc = error("unknown key '%s'", keys[i].name);
		else if (keys[i].pos == first_dup && (first_unknown < 0 || first_dup < first_unknown))
			rc = error("duplicate key '%s'", keys[i].name);
	}
	free(keys);
	return rc;
}

static int whole_number(const cJSON *v, const char *key, uint64_t *out)
{
	double d = v->valuedouble;
	if (!cJSON_IsNumber(v) || !isfinite(d) || d != floor(d))
		return error("'%s' must be a whole number", key);
	if (d < 0 || d > (double)TASK_U64_MAX)
		return error("'%s' is out of range", key);
	*out = (uint64_t)d;
	return 0;
}

/* cmd's "argv": a non-empty array of strings. */
static int load_argv(struct task_spec *spec, const cJSON *a)
{
	int n = cJSON_GetArraySize(a);
	if (!cJSON_IsArray(a) || n < 1)
		return error("\"argv\" must be a non-empty array of strings");
	const char **argv = xcalloc((size_t)n, sizeof(char *));
	int i = 0;
	for (const cJSON *c = a->child; c; c = c->next) {
		if (!cJSON_IsString(c)) {
			free(argv);
			return error("\"argv\" must be a non-empty array of strings");
		}
		argv[i++] = c->valuestring;
	}
	int rc = task_spec_set_argv(spec, argv, n);
	free(argv);
	return rc;
}

static int load_task(struct workload *w, const cJSON *t)
{
	if (!cJSON_IsObject(t))
		return error("a task must be an object");
	if (check_keys(t, NULL) < 0)
		return -1;
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(t, "kind");
	if (!cJSON_IsString(kind))
		return error("a task needs \"kind\" as a string");
	struct task_spec spec = {.kind = task_kind_find(kind->valuestring)};
	if (!spec.kind)
		return error("unknown task kind '%s' (see 'tribench list')", kind->valuestring);
	uint64_t count = 1;
	int rc = 0;
	for (const cJSON *c = t->child; rc == 0 && c; c = c->next) {
		uint64_t v;
		if (!strcmp(c->string, "kind"))
			continue;
		if (!strcmp(c->string, "count"))
			rc = whole_number(c, "count", &count);
		else if (!strcmp(c->string, "argv") && spec.kind->run == NULL)
			rc = load_argv(&spec, c);
		else if (cJSON_IsString(c))
			rc = task_spec_set_str(&spec, c->string, c->valuestring);
		else if (cJSON_IsNumber(c))
			rc = whole_number(c, c->string, &v) < 0 ? -1 : task_spec_set_u64(&spec, c->string, v);
		else if (task_param_index(spec.kind, c->string) < 0)
			rc = error("%s: unknown parameter '%s' (see 'tribench list')", spec.kind->name, c->string);
		else
			rc = error("'%s' must be a number or a string", c->string);
	}
	if (rc == 0)
		rc = workload_add(w, &spec, count);
	task_spec_free(&spec);
	return rc;
}

static int load_workloads(struct suite *s, const cJSON *root, const char *path)
{
	static const char *const top_keys[] = {"workloads", NULL};
	static const char *const wl_keys[] = {"name", "tasks", NULL};
	if (!cJSON_IsObject(root))
		return error("the top level must be an object with \"workloads\"");
	if (check_keys(root, top_keys) < 0)
		return -1;
	const cJSON *wls = cJSON_GetObjectItemCaseSensitive(root, "workloads");
	if (!cJSON_IsArray(wls) || !cJSON_GetArraySize(wls))
		return error("\"workloads\" must be a non-empty array");
	int i = 0;
	for (const cJSON *wl = wls->child; wl; wl = wl->next, i++) {
		if (!cJSON_IsObject(wl))
			return error("workloads[%d] must be an object", i);
		if (check_keys(wl, wl_keys) < 0)
			return -1;
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(wl, "name");
		const cJSON *tasks = cJSON_GetObjectItemCaseSensitive(wl, "tasks");
		if (!cJSON_IsString(name) || !*name->valuestring)
			return error("workloads[%d] needs \"name\" as a non-empty string", i);
		if (!cJSON_IsArray(tasks) || !cJSON_GetArraySize(tasks))
			return error("workload '%s' needs \"tasks\" as a non-empty array", name->valuestring);
		if (suite_find(s, name->valuestring))
			return error("duplicate workload name '%s'", name->valuestring);
		struct workload *w = suite_workload(s, name->valuestring);
		int j = 0;
		for (const cJSON *t = tasks->child; t; t = t->next, j++) {
			error_set_context("taskfile '%s': workload '%s', task %d", path, name->valuestring, j);
			if (load_task(w, t) < 0)
				return -1;
		}
		error_set_context("taskfile '%s'", path);
	}
	return 0;
}

int taskfile_parse(const char *text, size_t len, const char *name, struct suite *s)
{
	/* cJSON stops at a NUL byte, and decodes \u0000 into one that would
	 * silently cut a string short: neither belongs in a taskfile */
	if (memchr(text, '\0', len))
		return error("taskfile '%s' contains a NUL byte", name);
	if (strstr(text, "\\u0000"))
		return error("taskfile '%s' contains an escaped NUL (\\u0000)", name);
	const char *end = NULL;
	/* the length includes the final NUL, which "require null-terminated" checks */
	cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
	if (!root)
		return error("taskfile '%s': malformed JSON near byte %zu", name,
			     end ? (size_t)(end - text) : (size_t)0);
	error_set_context("taskfile '%s'", name);
	int rc = load_workloads(s, root, name);
	error_clear_context();
	cJSON_Delete(root);
	return rc;
}

int taskfile_load(const char *path, struct suite *s)
{
	size_t len;
	char *text = slurp(path, &len);
	if (!text)
		return -1;
	int rc = taskfile_parse(text, len, path, s);
	free(text);
	return rc;
}
