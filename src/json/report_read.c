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

#include "json/fields.h"
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

/* ---- the report, level by level: the field tables do the fields; this
 * file does the structure, and keeps every key it does not model ---- */

static const char *const task_structure[] = {"exit", "cgroup", "state_samples", NULL};
static const char *const run_structure[] = {"run", "cpus", "samples", "tasks", "task_stats", NULL};
static const char *const samples_keys[] = {"period_s", "cpus", "t", "busy", "task_busy", NULL};
static const char *const summary_structure[] = {"wall_s", NULL};
static const char *const mode_keys[] = {"mode", "jobs", "executor", "plan", "warmup_runs", "runs", "summary",
					NULL};
static const char *const spec_keys[] = {"id", "kind", "params", NULL};
static const char *const workload_keys[] = {"name", "parameters", "tasks", "modes", "amdahl", NULL};
static const char *const report_keys[] = {"schema_version", "tool", "started_at", "interrupted",
					  "containment", "hook_failure",
					  "warnings", "host", "config", "calibration", "ranks", "workloads",
					  NULL};

/* A level's fields, then what it holds beyond them. */
static int read_level(const cJSON *o, const struct field_table *t, const char *const *also,
		      void *base, char **extra, const char *at)
{
	if (fields_read(o, t, base, at) < 0)
		return -1;
	*extra = fields_extra(o, t, also);
	return 0;
}

/*
 * A state_samples object as docs/schema.json's $defs/state_samples has it:
 * exactly its four keys, scope "task" or "leader", three arrays of the same
 * length of seconds (numbers >= 0), t strictly rising.
 */
static int check_state_samples(const cJSON *s, const char *at)
{
	static const char *const keys[] = {"t", "running_s", "ready_s"};
	if (!cJSON_IsObject(s))
		return error("%s: must be an object or null", at);
	for (const cJSON *c = s->child; c; c = c->next)
		if (strcmp(c->string, "scope") && strcmp(c->string, keys[0]) && strcmp(c->string, keys[1]) &&
		    strcmp(c->string, keys[2]))
			return error("%s: unknown key \"%s\"", at, c->string);
	char *scope;
	if (jget_string(s, "scope", at, &scope) < 0)
		return -1;
	bool known = !strcmp(scope, "task") || !strcmp(scope, "leader");
	free(scope);
	if (!known)
		return error("%s: \"scope\" must be \"task\" or \"leader\"", at);
	int n = -1;
	for (int i = 0; i < 3; i++) {
		const cJSON *a = jget_array(s, keys[i], at);
		if (!a)
			return -1;
		if (n >= 0 && cJSON_GetArraySize(a) != n)
			return error("%s: \"%s\" must have one entry per entry of \"t\"", at, keys[i]);
		n = cJSON_GetArraySize(a);
		double prev = -1;
		for (const cJSON *v = a->child; v; v = v->next) {
			double x;
			if (jnumber_value(v, false, keys[i], at, &x) < 0)
				return -1;
			if (x < 0)
				return error("%s: \"%s\" must hold seconds (at least 0)", at, keys[i]);
			if (i == 0 && x <= prev)
				return error("%s: \"t\" must rise", at);
			prev = x;
		}
	}
	return 0;
}

/* state_samples (--sample-tasks): absent, null, or an object kept as text. */
static int read_state_samples(const cJSON *o, const char *at, struct report_task *task)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "state_samples");
	if (!s)
		return 0;
	task->has_state_samples = true;
	if (cJSON_IsNull(s))
		return 0;
	char *where = jsubpath(at, "state_samples", -1);
	int rc = check_state_samples(s, where);
	free(where);
	if (rc == 0)
		task->state_samples = json_text(s, false);
	return rc;
}

static int read_task(const cJSON *o, const char *at, struct report_task *task)
{
	if (read_level(o, &task_table, task_structure, task, &task->extra, at) < 0)
		return -1;
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(o, "cgroup");
	if (!c)
		return error("%s: \"cgroup\" is missing", at);
	if (!cJSON_IsNull(c)) {
		char *where = jsubpath(at, "cgroup", -1);
		task->cgroup = xcalloc(1, sizeof(*task->cgroup));
		int rc = cJSON_IsObject(c) ? read_level(c, &task_cgroup_table, NULL, task->cgroup,
							 &task->cgroup->extra, where)
					   : error("%s: must be an object or null", where);
		free(where);
		if (rc < 0)
			return -1;
	}
	const cJSON *e = jget_object(o, "exit", at);
	if (!e)
		return -1;
	char *where = jsubpath(at, "exit", -1);
	int rc = read_level(e, &exit_table, NULL, &task->exit, &task->exit.extra, where);
	free(where);
	return rc < 0 ? -1 : read_state_samples(o, at, task);
}

/* A matrix of rows x ncpus numbers (null where nullable), every row whole. */
static int read_matrix(const cJSON *o, const char *key, const char *where, int rows, int ncpus,
		       bool nullable, double **out)
{
	const cJSON *m = jget_array(o, key, where);
	if (!m)
		return -1;
	if (cJSON_GetArraySize(m) != rows)
		return error("%s: \"%s\" must have a row per entry of \"t\"", where, key);
	*out = xcalloc((size_t)rows * (size_t)(ncpus ? ncpus : 1), sizeof(double));
	int r = 0;
	for (const cJSON *row = m->child; row; row = row->next, r++) {
		if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != ncpus)
			return error("%s: each row of \"%s\" must be an array with one number per CPU",
				     where, key);
		int c = 0;
		for (const cJSON *v = row->child; v; v = v->next, c++)
			if (jnumber_value(v, nullable, key, where, &(*out)[r * ncpus + c]) < 0)
				return -1;
	}
	return 0;
}

static int read_samples(const cJSON *run, const char *at, struct report_samples *s)
{
	const cJSON *o = jget_object(run, "samples", at), *t;
	if (!o)
		return -1;
	char *where = jsubpath(at, "samples", -1);
	int rc = -1;
	if (jget_number(o, "period_s", where, false, &s->period_s) < 0 ||
	    jget_int_list(o, "cpus", where, &s->cpus) < 0 || !(t = jget_array(o, "t", where)))
		goto out;
	int n = cJSON_GetArraySize(t);
	s->t = xcalloc((size_t)n + 1, sizeof(double));
	for (const cJSON *v = t->child; v; v = v->next, s->n++)
		if (jnumber_value(v, false, "t", where, &s->t[s->n]) < 0)
			goto out;
	if (read_matrix(o, "busy", where, n, s->cpus.n, true, &s->busy) < 0 ||
	    read_matrix(o, "task_busy", where, n, s->cpus.n, false, &s->task_busy) < 0)
		goto out;
	s->extra = fields_extra(o, NULL, samples_keys);
	rc = 0;
out:
	free(where);
	return rc;
}

/* runs[].task_stats: absent (a report from before it) or null read as not
 * present; else four percentile objects. */
static int read_task_stats(const cJSON *run, const char *at, struct report_task_stats *ts)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(run, "task_stats");
	if (!o || cJSON_IsNull(o))
		return 0;
	char *where = jsubpath(at, "task_stats", -1);
	static const char *const keys[] = {"wall_s", "running_s", "ready_s", "blocked_s"};
	struct report_percentiles *p[] = {&ts->wall_s, &ts->running_s, &ts->ready_s, &ts->blocked_s};
	int rc = 0;
	for (int i = 0; rc == 0 && i < 4; i++) {
		const cJSON *q = jget_object(o, keys[i], where);
		char *qat = jsubpath(where, keys[i], -1);
		rc = q ? fields_read(q, &percentiles_table, p[i], qat) : -1;
		free(qat);
	}
	free(where);
	ts->present = rc == 0;
	return rc;
}

/* "tasks" and "samples" may be null (--detail run, mode). "run", its
 * number from 1, is absent from reports written before it, and otherwise
 * must be its place in the list. */
static int read_run(const cJSON *o, const char *at, int number, struct report_run *run)
{
	const cJSON *cpus, *tasks = cJSON_GetObjectItemCaseSensitive(o, "tasks"),
			   *samples = cJSON_GetObjectItemCaseSensitive(o, "samples"),
			   *n = cJSON_GetObjectItemCaseSensitive(o, "run");
	if (n && (!cJSON_IsNumber(n) || n->valuedouble != number))
		return error("%s: \"run\" must be %d, its place in the list counted from 1", at, number);
	run->tasks_null = cJSON_IsNull(tasks);
	run->samples_null = cJSON_IsNull(samples);
	if (read_level(o, &run_table, run_structure, run, &run->extra, at) < 0 ||
	    !(cpus = jget_array(o, "cpus", at)) || (!run->tasks_null && !(tasks = jget_array(o, "tasks", at))) ||
	    (!run->samples_null && read_samples(o, at, &run->samples) < 0) || read_task_stats(o, at, &run->task_stats) < 0)
		return -1;
	run->cpus = xcalloc((size_t)cJSON_GetArraySize(cpus) + 1, sizeof(*run->cpus));
	for (const cJSON *c = cpus->child; c; c = c->next) {
		char *where = jsubpath(at, "cpus", run->ncpus);
		struct report_cpu *cpu = &run->cpus[run->ncpus++];
		int rc = read_level(c, &cpu_table, NULL, cpu, &cpu->extra, where);
		free(where);
		if (rc < 0)
			return -1;
	}
	if (run->tasks_null)
		return 0;
	run->tasks = xcalloc((size_t)cJSON_GetArraySize(tasks) + 1, sizeof(*run->tasks));
	for (const cJSON *t = tasks->child; t; t = t->next) {
		char *where = jsubpath(at, "tasks", run->ntasks);
		int rc = read_task(t, where, &run->tasks[run->ntasks++]);
		free(where);
		if (rc < 0)
			return -1;
		report_tally_task(&run->tally, &run->tasks[run->ntasks - 1]);
	}
	return 0;
}

int json_task_parse(const char *line, struct report_task *out)
{
	cJSON *o = cJSON_Parse(line);
	int rc = o ? read_task(o, "task", out) : error("a task record is not JSON");
	cJSON_Delete(o);
	return rc;
}

static int read_runs(const cJSON *o, const char *key, const char *at, struct report_run **out, int *n)
{
	const cJSON *a = jget_array(o, key, at);
	if (!a)
		return -1;
	*out = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(**out));
	for (const cJSON *r = a->child; r; r = r->next) {
		char *where = jsubpath(at, key, *n);
		int rc = read_run(r, where, *n + 1, &(*out)[*n]);
		(*n)++;
		free(where);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The summary as written, nulls included: exports show what the report says. */
static int read_summary(const cJSON *o, const char *at, struct report_summary *s)
{
	const cJSON *so = jget_object(o, "summary", at), *w;
	if (!so)
		return -1;
	char *where = jsubpath(at, "summary", -1), *wall_where = jsubpath(where, "wall_s", -1);
	int rc = -1;
	if (read_level(so, &summary_table, summary_structure, s, &s->extra, where) == 0 &&
	    (w = jget_object(so, "wall_s", where)) &&
	    read_level(w, &wall_table, NULL, &s->wall, &s->wall_extra, wall_where) == 0)
		rc = 0;
	free(where);
	free(wall_where);
	return rc;
}

/* A mode: its plan (kept whole), its warmup and measured runs, its summary. */
static int read_mode(const cJSON *o, const char *at, struct report_mode *m)
{
	if (!cJSON_IsObject(o))
		return error("%s must be an object", at);
	const cJSON *plan, *slots;
	if (jget_string(o, "mode", at, &m->mode) < 0 || !(plan = jget_object(o, "plan", at)))
		return -1;
	char *plan_at = jsubpath(at, "plan", -1);
	slots = jget_array(plan, "slots", plan_at);
	free(plan_at);
	if (!slots)
		return -1;
	m->nslots = cJSON_GetArraySize(slots);
	m->plan = json_text(plan, false);
	/* the entry's key; reports before --jobs sweeps have neither: one
	 * entry per mode, its slots and the one executor there was */
	const cJSON *jobs = cJSON_GetObjectItemCaseSensitive(o, "jobs");
	const cJSON *executor = cJSON_GetObjectItemCaseSensitive(o, "executor");
	if (jobs && jget_int(o, "jobs", at, 1, &m->jobs) < 0)
		return -1;
	if (!jobs)
		m->jobs = m->nslots;
	if (executor && jget_string(o, "executor", at, &m->executor) < 0)
		return -1;
	if (!executor)
		m->executor = xstrdup("process");
	if (read_runs(o, "warmup_runs", at, &m->warmup_runs, &m->nwarmup) < 0 ||
	    read_runs(o, "runs", at, &m->runs, &m->nruns) < 0 || read_summary(o, at, &m->summary) < 0)
		return -1;
	m->extra = fields_extra(o, NULL, mode_keys);
	return 0;
}

/* params are kept as compact JSON text: compare only asks whether two tasks did
 * the same work, and equal objects print alike (both written by tribench). */
static int read_task_spec(const cJSON *o, const char *at, struct report_task_spec *t)
{
	if (!cJSON_IsObject(o))
		return error("%s must be an object", at);
	const cJSON *params;
	if (jget_int(o, "id", at, 0, &t->id) < 0 || jget_string(o, "kind", at, &t->kind) < 0 ||
	    !(params = jget_object(o, "params", at)))
		return -1;
	t->params = json_text(params, false);
	const cJSON *ops = cJSON_GetObjectItemCaseSensitive(params, "ops");
	t->ops = cJSON_IsNumber(ops) ? ops->valuedouble : NAN;
	t->extra = fields_extra(o, NULL, spec_keys);
	return 0;
}

/* workloads[].amdahl as written (numbers printed and read back may differ
 * in the last bit, so a fit made again would not give the same report);
 * a report from before sweeps has none: fitted from its summaries. */
static int read_amdahl(const cJSON *o, const char *at, struct report_workload *w)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "amdahl");
	if (!a) {
		report_fit_amdahl(w);
		return 0;
	}
	if (!cJSON_IsArray(a))
		return error("%s: \"amdahl\" must be an array", at);
	w->amdahl = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*w->amdahl));
	for (const cJSON *f = a->child; f; f = f->next) {
		char *where = jsubpath(at, "amdahl", w->namdahl);
		struct report_amdahl *fit = &w->amdahl[w->namdahl++];
		int rc = !cJSON_IsObject(f) ? error("%s must be an object", where)
			 : jget_string(f, "executor", where, &fit->executor) < 0 ||
					   jget_int_list(f, "jobs", where, &fit->jobs) < 0 ||
					   jget_number(f, "serial_fraction", where, false, &fit->serial_fraction) < 0 ||
					   jget_number(f, "serial_fraction_se", where, true,
						       &fit->serial_fraction_se) < 0
				 ? -1
				 : 0;
		free(where);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Entries' keys (mode, jobs, executor) must be unique within a workload:
 * pairs are matched by them. */
static int read_workload(const cJSON *o, const char *at, struct report_workload *w)
{
	if (!cJSON_IsObject(o))
		return error("%s must be an object", at);
	const cJSON *tasks, *modes;
	if (jget_string(o, "name", at, &w->name) < 0 || !(tasks = jget_array(o, "tasks", at)) ||
	    !(modes = jget_array(o, "modes", at)))
		return -1;
	/* consecutive ids with the same spec become one group */
	w->specs = xcalloc((size_t)cJSON_GetArraySize(tasks) + 1, sizeof(*w->specs));
	for (const cJSON *t = tasks->child; t; t = t->next) {
		char *where = jsubpath(at, "tasks", w->ntasks);
		struct report_task_spec *s = &w->specs[w->nspecs], *prev = w->nspecs ? s - 1 : NULL;
		int rc = read_task_spec(t, where, s);
		free(where);
		w->nspecs++;
		w->ntasks++;
		if (rc < 0)
			return -1;
		s->count = 1;
		if (prev && s->id == prev->id + prev->count && !strcmp(s->kind, prev->kind) &&
		    !strcmp(s->params, prev->params) && !s->extra && !prev->extra) {
			prev->count++;
			free(s->kind);
			free(s->params);
			memset(s, 0, sizeof(*s));
			w->nspecs--;
		}
	}
	w->modes = xcalloc((size_t)cJSON_GetArraySize(modes) + 1, sizeof(*w->modes));
	for (const cJSON *m = modes->child; m; m = m->next) {
		char *where = jsubpath(at, "modes", w->nmodes);
		int rc = read_mode(m, where, &w->modes[w->nmodes++]);
		free(where);
		if (rc < 0)
			return -1;
		const struct report_mode *e = &w->modes[w->nmodes - 1];
		for (int i = 0; i < w->nmodes - 1; i++)
			if (report_entry_same(&w->modes[i], e))
				return error("workload '%s': mode '%s' with jobs %d and executor '%s' appears "
					     "twice", w->name, e->mode, e->jobs, e->executor);
	}
	const cJSON *params = cJSON_GetObjectItemCaseSensitive(o, "parameters");
	if (params && !cJSON_IsObject(params))
		return error("%s: \"parameters\" must be an object", at);
	w->parameters = params ? json_text(params, false) : xstrdup("{}");
	if (read_amdahl(o, at, w) < 0)
		return -1;
	w->extra = fields_extra(o, NULL, workload_keys);
	return 0;
}

/* config is kept whole; modes (joined with commas: the column order of
 * exports), runs, warmup, jobs and policy are what compare and export ask. */
static int read_config(const cJSON *root, struct report *r)
{
	const cJSON *config = jget_object(root, "config", ""), *modes;
	if (!config || !(modes = jget_array(config, "modes", "config")) ||
	    jget_int(config, "runs", "config", 1, &r->runs) < 0 ||
	    jget_int(config, "warmup", "config", 0, &r->warmup) < 0 ||
	    jget_int(config, "jobs", "config", 1, &r->jobs) < 0 ||
	    jget_string(config, "policy", "config", &r->policy) < 0)
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
	/* absent from reports before --runs auto and hooks: as null */
	/* absent from reports before --jobs sweeps: the one size */
	const cJSON *sweep = cJSON_GetObjectItemCaseSensitive(config, "jobs_sweep");
	if (sweep && !cJSON_IsArray(sweep))
		return error("config: \"jobs_sweep\" must be an array");
	for (const cJSON *j = sweep ? sweep->child : NULL; j; j = j->next) {
		if (!cJSON_IsNumber(j) || j->valuedouble < 1 || j->valuedouble != (int)j->valuedouble)
			return error("config: \"jobs_sweep\" must hold whole numbers from 1");
		intlist_push(&r->jobs_sweep, (int)j->valuedouble);
	}
	if (!r->jobs_sweep.n)
		intlist_push(&r->jobs_sweep, r->jobs);
	const cJSON *budget = cJSON_GetObjectItemCaseSensitive(config, "max_time_s");
	r->max_time_s = cJSON_IsNumber(budget) ? budget->valuedouble : 0;
	r->config = json_text(config, false);
	return 0;
}

/* host and tool are kept whole; hostname (null when unreadable) and version
 * are what compare and the exports name. */
static int read_host_tool(const cJSON *root, struct report *r)
{
	const cJSON *tool = jget_object(root, "tool", ""), *host, *calibration, *name;
	if (!tool || jget_string(tool, "version", "tool", &r->version) < 0 ||
	    !(host = jget_object(root, "host", "")) || !(name = jget_member(host, "hostname", "host")) ||
	    !(calibration = jget_object(root, "calibration", "")))
		return -1;
	if (!cJSON_IsString(name) && !cJSON_IsNull(name))
		return error("host: \"hostname\" must be a string or null");
	r->hostname = xstrdup(cJSON_IsString(name) ? name->valuestring : "(unknown)");
	r->tool = json_text(tool, false);
	r->host = json_text(host, false);
	r->calibration = json_text(calibration, false);
	return 0;
}

static int read_warnings(const cJSON *root, struct report *r)
{
	const cJSON *a = jget_array(root, "warnings", "");
	if (!a)
		return -1;
	for (const cJSON *w = a->child; w; w = w->next) {
		if (!cJSON_IsString(w))
			return error("\"warnings\" must hold strings");
		report_add_warning(r, xstrdup(w->valuestring));
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
	const cJSON *workloads;
	if (read_host_tool(root, r) < 0 || jget_string(root, "started_at", "", &r->started_at) < 0 ||
	    jget_bool(root, "interrupted", "", &r->interrupted) < 0 ||
	    jget_string(root, "containment", "", &r->containment) < 0 || read_warnings(root, r) < 0 ||
	    read_config(root, r) < 0 || !(workloads = jget_array(root, "workloads", "")))
		return -1;
	r->workloads = xcalloc((size_t)cJSON_GetArraySize(workloads) + 1, sizeof(*r->workloads));
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
	const cJSON *hook = cJSON_GetObjectItemCaseSensitive(root, "hook_failure");
	if (hook && !cJSON_IsNull(hook) && !cJSON_IsObject(hook))
		return error("\"hook_failure\" must be an object or null");
	r->hook_failure = cJSON_IsObject(hook) ? json_text(hook, false) : NULL;
	/* tribench-mpi's ranks: absent (older reports) or null reads as none */
	const cJSON *ranks = cJSON_GetObjectItemCaseSensitive(root, "ranks");
	if (ranks && !cJSON_IsNull(ranks) && !cJSON_IsArray(ranks))
		return error("\"ranks\" must be an array or null");
	r->ranks = cJSON_IsArray(ranks) ? json_text(ranks, false) : NULL;
	r->extra = fields_extra(root, NULL, report_keys);
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
