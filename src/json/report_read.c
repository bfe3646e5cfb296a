/* The report reader: a schema v1 report back into struct report, checking the
 * type of everything it keeps, so a hand-edited or truncated file is one error
 * line naming where it went wrong, never a crash or a silent zero. */
#include "config.h"
#include "json/report_json.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonutil.h"

#define REPORT_MAX_BYTES ((size_t)1 << 30)

/* Read all of f; rejects NUL bytes, at which cJSON would silently stop. */
static char *slurp(FILE *f, const char *path)
{
	size_t n;
	char *buf = read_stream(f, REPORT_MAX_BYTES, &n);
	if (!buf) {
		if (errno == EFBIG)
			error("'%s' is larger than %zu MiB", path, REPORT_MAX_BYTES >> 20);
		else
			error("cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (memchr(buf, '\0', n)) {
		error("'%s' is not a tribench report: it contains a NUL byte", path);
		free(buf);
		return NULL;
	}
	return buf;
}

char *report_read_file(const char *path)
{
	if (!strcmp(path, "-"))
		return slurp(stdin, "-");
	FILE *f = fopen(path, "rb");
	if (!f) {
		error("cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	char *text = slurp(f, path);
	fclose(f);
	return text;
}

/* ---- typed getters: each prints "AT: what is wrong" and returns -1/NULL ---- */

static const char *sep(const char *at)
{
	return *at ? ": " : "";
}

static const cJSON *member(const cJSON *o, const char *key, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v)
		error("%s%s\"%s\" is missing", at, sep(at), key);
	return v;
}

static const cJSON *get_object(const cJSON *o, const char *key, const char *at)
{
	const cJSON *v = member(o, key, at);
	if (v && !cJSON_IsObject(v)) {
		error("%s%s\"%s\" must be an object", at, sep(at), key);
		return NULL;
	}
	return v;
}

static const cJSON *get_array(const cJSON *o, const char *key, const char *at)
{
	const cJSON *v = member(o, key, at);
	if (v && !cJSON_IsArray(v)) {
		error("%s%s\"%s\" must be an array", at, sep(at), key);
		return NULL;
	}
	return v;
}

static int get_string(const cJSON *o, const char *key, const char *at, char **out)
{
	const cJSON *v = member(o, key, at);
	if (!v)
		return -1;
	if (!cJSON_IsString(v))
		return error("%s%s\"%s\" must be a string", at, sep(at), key);
	*out = xstrdup(v->valuestring);
	return 0;
}

/* A number, or with nullable a null (NAN). Infinities are not numbers here. */
static int number_value(const cJSON *v, bool nullable, const char *key, const char *at, double *out)
{
	if (nullable && cJSON_IsNull(v)) {
		*out = NAN;
		return 0;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return error("%s%s\"%s\" must be a number%s", at, sep(at), key, nullable ? " or null" : "");
	*out = v->valuedouble;
	return 0;
}

static int get_number(const cJSON *o, const char *key, const char *at, bool nullable, double *out)
{
	const cJSON *v = member(o, key, at);
	return v ? number_value(v, nullable, key, at, out) : -1;
}

/* Ids, slots and counts become ints: whole, in range, or an error (not a cast). */
static int int_value(const cJSON *v, int min, const char *key, const char *at, int *out)
{
	double d = v->valuedouble;
	if (!cJSON_IsNumber(v) || !isfinite(d) || d != floor(d) || d < min || d > INT_MAX)
		return error("%s%s\"%s\" must be a whole number of at least %d", at, sep(at), key, min);
	*out = (int)d;
	return 0;
}

static int get_int(const cJSON *o, const char *key, const char *at, int min, int *out)
{
	const cJSON *v = member(o, key, at);
	return v ? int_value(v, min, key, at, out) : -1;
}

static int get_bool(const cJSON *o, const char *key, const char *at, bool *out)
{
	const cJSON *v = member(o, key, at);
	if (!v)
		return -1;
	if (!cJSON_IsBool(v))
		return error("%s%s\"%s\" must be true or false", at, sep(at), key);
	*out = cJSON_IsTrue(v);
	return 0;
}

static int get_int_list(const cJSON *o, const char *key, const char *at, struct intlist *out)
{
	const cJSON *a = get_array(o, key, at);
	if (!a)
		return -1;
	for (const cJSON *c = a->child; c; c = c->next) {
		int x;
		if (int_value(c, 0, key, at, &x) < 0)
			return -1;
		intlist_push(out, x);
	}
	return 0;
}

/* ---- the report, level by level ---- */

/* at.member, or at.member[index] (index >= 0): where a message points. */
static char *subpath(const char *at, const char *member, int index)
{
	return index < 0 ? xasprintf("%s.%s", at, member) : xasprintf("%s.%s[%d]", at, member, index);
}

/* Only what the exports show of exit: status, exitcode and timed_out. */
static int read_exit(const cJSON *t, const char *at, struct report_task *task)
{
	const cJSON *e = get_object(t, "exit", at);
	if (!e)
		return -1;
	char *where = subpath(at, "exit", -1);
	int rc = 0;
	if (get_string(e, "status", where, &task->exit_status) < 0 ||
	    get_number(e, "exitcode", where, true, &task->exitcode) < 0 ||
	    get_bool(e, "timed_out", where, &task->timed_out) < 0)
		rc = -1;
	free(where);
	return rc;
}

/* Every measurement may be null: a task that never started has none. */
static int read_task(const cJSON *t, const char *at, struct report_task *task)
{
	const struct {
		const char *key;
		double *out;
	} numbers[] = {
		{"pid", &task->pid},
		{"start_s", &task->start_s},
		{"end_s", &task->end_s},
		{"wall_s", &task->wall_s},
		{"user_s", &task->user_s},
		{"sys_s", &task->sys_s},
		{"running_s", &task->running_s},
		{"ready_s", &task->ready_s},
		{"blocked_s", &task->blocked_s},
		{"voluntary_switches", &task->voluntary_switches},
		{"involuntary_switches", &task->involuntary_switches},
		{"max_rss_kb", &task->max_rss_kb},
	};
	if (!cJSON_IsObject(t))
		return error("%s must be an object", at);
	if (get_int(t, "id", at, 0, &task->id) < 0 || get_int(t, "slot", at, 0, &task->slot) < 0 ||
	    get_string(t, "cpuset", at, &task->cpuset) < 0 ||
	    get_int_list(t, "cpus_seen", at, &task->cpus_seen) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(numbers); i++)
		if (get_number(t, numbers[i].key, at, true, numbers[i].out) < 0)
			return -1;
	return read_exit(t, at, task);
}

/* The busy matrix is indexed by row and CPU later, so every row must be whole. */
static int read_series(const cJSON *o, const char *where, struct report_samples *s)
{
	const cJSON *t, *busy;
	if (get_number(o, "period_s", where, false, &s->period_s) < 0 ||
	    get_int_list(o, "cpus", where, &s->cpus) < 0 || !(t = get_array(o, "t", where)) ||
	    !(busy = get_array(o, "busy", where)))
		return -1;
	int n = cJSON_GetArraySize(t), ncpus = s->cpus.n;
	if (cJSON_GetArraySize(busy) != n)
		return error("%s: \"busy\" must have a row per entry of \"t\"", where);
	s->t = xcalloc((size_t)n, sizeof(double));
	s->busy = xcalloc((size_t)n * (size_t)(ncpus ? ncpus : 1), sizeof(double));
	const cJSON *tv = t->child, *row = busy->child;
	for (; tv && row; tv = tv->next, row = row->next, s->n++) {
		if (number_value(tv, false, "t", where, &s->t[s->n]) < 0)
			return -1;
		if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != ncpus)
			return error("%s: each row of \"busy\" must be an array with one number per CPU",
				     where);
		int c = 0;
		for (const cJSON *v = row->child; v; v = v->next, c++)
			if (number_value(v, true, "busy", where, &s->busy[s->n * ncpus + c]) < 0)
				return -1;
	}
	return 0;
}

static int read_samples(const cJSON *run, const char *at, struct report_samples *s)
{
	const cJSON *o = get_object(run, "samples", at);
	if (!o)
		return -1;
	char *where = subpath(at, "samples", -1);
	int rc = read_series(o, where, s);
	free(where);
	return rc;
}

/* A run: its wall (what compare tests), its tasks and its sampled series. */
static int read_run(const cJSON *o, const char *at, struct report_run *run)
{
	if (!cJSON_IsObject(o))
		return error("%s must be an object", at);
	const cJSON *tasks;
	if (get_number(o, "wall_s", at, false, &run->wall_s) < 0 || !(tasks = get_array(o, "tasks", at)) ||
	    read_samples(o, at, &run->samples) < 0)
		return -1;
	run->tasks = xcalloc((size_t)cJSON_GetArraySize(tasks), sizeof(*run->tasks));
	for (const cJSON *t = tasks->child; t; t = t->next) {
		char *where = subpath(at, "tasks", run->ntasks);
		int rc = read_task(t, where, &run->tasks[run->ntasks++]);
		free(where);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int read_wall_stats(const cJSON *w, const char *where, struct summary_stats *st)
{
	if (get_number(w, "mean", where, true, &st->mean) < 0 ||
	    get_number(w, "median", where, true, &st->median) < 0 ||
	    get_number(w, "stddev", where, true, &st->stddev) < 0 ||
	    get_number(w, "min", where, true, &st->min) < 0 ||
	    get_number(w, "max", where, true, &st->max) < 0 ||
	    get_number(w, "mad", where, true, &st->mad) < 0 || get_int(w, "n", where, 0, &st->n) < 0)
		return -1;
	return 0;
}

/* The summary as written, nulls included: exports show what the report says. */
static int read_summary(const cJSON *o, const char *at, struct report_mode *m)
{
	const cJSON *s = get_object(o, "summary", at), *w;
	if (!s)
		return -1;
	char *where = subpath(at, "summary", -1), *wall_where = subpath(at, "summary.wall_s", -1);
	int rc = 0;
	if (!(w = get_object(s, "wall_s", where)) || read_wall_stats(w, wall_where, &m->wall) < 0 ||
	    get_number(s, "speedup", where, true, &m->speedup) < 0 ||
	    get_number(s, "efficiency", where, true, &m->efficiency) < 0)
		rc = -1;
	free(where);
	free(wall_where);
	return rc;
}

/* A mode: its runs and the summary the report computed over them. */
static int read_mode(const cJSON *o, const char *at, struct report_mode *m)
{
	if (!cJSON_IsObject(o))
		return error("%s must be an object", at);
	const cJSON *runs;
	if (get_string(o, "mode", at, &m->mode) < 0 || !(runs = get_array(o, "runs", at)) ||
	    read_summary(o, at, m) < 0)
		return -1;
	m->runs = xcalloc((size_t)cJSON_GetArraySize(runs), sizeof(*m->runs));
	for (const cJSON *r = runs->child; r; r = r->next) {
		char *where = subpath(at, "runs", m->nruns);
		int rc = read_run(r, where, &m->runs[m->nruns++]);
		free(where);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* params are kept as compact JSON text: compare only asks whether two tasks did
 * the same work, and equal objects print alike (both written by tribench). */
static int read_task_spec(const cJSON *o, const char *at, struct report_task_spec *t)
{
	if (!cJSON_IsObject(o))
		return error("%s must be an object", at);
	const cJSON *params;
	if (get_int(o, "id", at, 0, &t->id) < 0 || get_string(o, "kind", at, &t->kind) < 0 ||
	    !(params = get_object(o, "params", at)))
		return -1;
	char *text = cJSON_PrintUnformatted(params);
	if (!text)
		die("out of memory printing JSON");
	t->params = xstrdup(text);
	cJSON_free(text);
	const cJSON *ops = cJSON_GetObjectItemCaseSensitive(params, "ops");
	t->ops = cJSON_IsNumber(ops) ? ops->valuedouble : NAN;
	return 0;
}

/* Mode names must be unique within a workload: pairs are matched by them. */
static int read_workload(const cJSON *o, const char *at, struct report_workload *w)
{
	if (!cJSON_IsObject(o))
		return error("%s must be an object", at);
	const cJSON *tasks, *modes;
	if (get_string(o, "name", at, &w->name) < 0 || !(tasks = get_array(o, "tasks", at)) ||
	    !(modes = get_array(o, "modes", at)))
		return -1;
	w->tasks = xcalloc((size_t)cJSON_GetArraySize(tasks), sizeof(*w->tasks));
	for (const cJSON *t = tasks->child; t; t = t->next) {
		char *where = subpath(at, "tasks", w->ntasks);
		int rc = read_task_spec(t, where, &w->tasks[w->ntasks++]);
		free(where);
		if (rc < 0)
			return -1;
	}
	w->modes = xcalloc((size_t)cJSON_GetArraySize(modes), sizeof(*w->modes));
	for (const cJSON *m = modes->child; m; m = m->next) {
		char *where = subpath(at, "modes", w->nmodes);
		int rc = read_mode(m, where, &w->modes[w->nmodes++]);
		free(where);
		if (rc < 0)
			return -1;
		const char *name = w->modes[w->nmodes - 1].mode;
		for (int i = 0; i < w->nmodes - 1; i++)
			if (!strcmp(w->modes[i].mode, name))
				return error("workload '%s': mode '%s' appears twice", w->name, name);
	}
	return 0;
}

/* config.modes joined into one string: the column order of exports and a
 * single comparison for compare's "different modes" warning. */
static int read_config(const cJSON *root, struct report *r)
{
	const cJSON *config = get_object(root, "config", ""), *modes;
	if (!config || !(modes = get_array(config, "modes", "config")) ||
	    get_int(config, "runs", "config", 1, &r->runs) < 0 ||
	    get_int(config, "jobs", "config", 1, &r->jobs) < 0 ||
	    get_string(config, "policy", "config", &r->policy) < 0)
		return -1;
	size_t len = 1;
	for (const cJSON *m = modes->child; m; m = m->next) {
		if (!cJSON_IsString(m))
			return error("config: \"modes\" must hold strings");
		len += strlen(m->valuestring) + 1;
	}
	r->modes = xcalloc(1, len);
	for (const cJSON *m = modes->child; m; m = m->next) {
		if (m != modes->child)
			strcat(r->modes, ",");
		strcat(r->modes, m->valuestring);
	}
	return 0;
}

/* schema_version is checked before anything else, so a report of another
 * version is named as such rather than as a missing key. */
static int read_report(const cJSON *root, struct report *r)
{
	if (!cJSON_IsObject(root))
		return error("not a tribench report: the top level is not an object");
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(root, "schema_version");
	if (!cJSON_IsNumber(version))
		return error("not a tribench report: no \"schema_version\" number");
	if (version->valuedouble != 1)
		return error("schema_version %g is not supported (this tribench reads version 1)",
			     version->valuedouble);
	const cJSON *tool = get_object(root, "tool", ""), *host, *workloads;
	if (!tool || get_string(tool, "version", "tool", &r->version) < 0 ||
	    get_string(root, "started_at", "", &r->started_at) < 0 ||
	    !(host = get_object(root, "host", "")) ||
	    get_string(host, "hostname", "host", &r->hostname) < 0 || read_config(root, r) < 0 ||
	    !(workloads = get_array(root, "workloads", "")))
		return -1;
	r->workloads = xcalloc((size_t)cJSON_GetArraySize(workloads), sizeof(*r->workloads));
	for (const cJSON *w = workloads->child; w; w = w->next) {
		char where[64];
		snprintf(where, sizeof(where), "workloads[%d]", r->nworkloads);
		if (read_workload(w, where, &r->workloads[r->nworkloads++]) < 0)
			return -1;
		const char *name = r->workloads[r->nworkloads - 1].name;
		for (int i = 0; i < r->nworkloads - 1; i++)
			if (!strcmp(r->workloads[i].name, name))
				return error("workload '%s' appears twice", name);
	}
	if (!r->nworkloads)
		return error("\"workloads\" is empty");
	return 0;
}

/* Errors carry "report 'FILE': " in front, so the line names the file. */
int report_parse(const char *text, const char *source, struct report *out)
{
	memset(out, 0, sizeof(*out));
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
	if (!root) {
		size_t off = end ? (size_t)(end - text) : 0;
		if (source)
			return error("'%s' is not a tribench report: malformed JSON near byte %zu", source,
				     off);
		return error("the report is malformed JSON near byte %zu", off);
	}
	if (source)
		error_set_context("report '%s'", source);
	else
		error_set_context("report");
	out->source = xstrdup(source ? source : "report");
	int rc = read_report(root, out);
	error_clear_context();
	cJSON_Delete(root);
	if (rc < 0)
		report_free(out);
	return rc;
}

int report_load(const char *path, struct report *out)
{
	memset(out, 0, sizeof(*out));
	char *text = report_read_file(path);
	if (!text)
		return -1;
	int rc = report_parse(text, path, out);
	free(text);
	return rc;
}
