/* The JSON report writer (schema version 1, docs/schema.json): the report
 * model out, level by level through its field tables. */
#include "config.h"
#include "json/report_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/fields.h"
#include "json/jsonutil.h"

/* An object whose text the model keeps (host, config, plan, params), or null. */
static cJSON *own(const char *text)
{
	return text ? json_parse_own(text) : jnull();
}

static cJSON *matrix(const double *v, int rows, int cols)
{
	cJSON *a = jnew_array();
	for (int r = 0; r < rows; r++) {
		cJSON *row = jadd(a, NULL, jnew_array());
		for (int c = 0; c < cols; c++)
			jadd(row, NULL, jnum(v[r * cols + c]));
	}
	return a;
}

static cJSON *samples(const struct report_samples *s)
{
	cJSON *o = jnew_object();
	jadd(o, "period_s", jnum(s->period_s));
	cJSON *cpus = jadd(o, "cpus", jnew_array());
	for (int i = 0; i < s->cpus.n; i++)
		jadd(cpus, NULL, jint(s->cpus.v[i]));
	cJSON *t = jadd(o, "t", jnew_array());
	for (int i = 0; i < s->n; i++)
		jadd(t, NULL, jnum(s->t[i]));
	jadd(o, "busy", matrix(s->busy, s->n, s->cpus.n));
	jadd(o, "task_busy", matrix(s->task_busy, s->n, s->cpus.n));
	fields_add_extra(o, s->extra);
	return o;
}

static cJSON *task(const struct report_task *t)
{
	cJSON *o = jnew_object();
	fields_write(o, &task_table, t);
	if (t->cgroup) {
		cJSON *c = jadd(o, "cgroup", jnew_object());
		fields_write(c, &task_cgroup_table, t->cgroup);
		fields_add_extra(c, t->cgroup->extra);
	} else {
		jadd(o, "cgroup", cJSON_CreateNull());
	}
	cJSON *e = jadd(o, "exit", jnew_object());
	fields_write(e, &exit_table, &t->exit);
	fields_add_extra(e, t->exit.extra);
	fields_add_extra(o, t->extra);
	return o;
}

static cJSON *run(const struct report_run *r)
{
	cJSON *o = jnew_object();
	fields_write(o, &run_table, r);
	cJSON *cpus = jadd(o, "cpus", jnew_array());
	for (int i = 0; i < r->ncpus; i++) {
		cJSON *c = jadd(cpus, NULL, jnew_object());
		fields_write(c, &cpu_table, &r->cpus[i]);
		fields_add_extra(c, r->cpus[i].extra);
	}
	jadd(o, "samples", samples(&r->samples));
	cJSON *tasks = jadd(o, "tasks", jnew_array());
	for (int i = 0; i < r->ntasks; i++)
		jadd(tasks, NULL, task(&r->tasks[i]));
	fields_add_extra(o, r->extra);
	return o;
}

static cJSON *runs(const struct report_run *r, int n)
{
	cJSON *a = jnew_array();
	for (int k = 0; k < n; k++)
		jadd(a, NULL, run(&r[k]));
	return a;
}

static cJSON *mode(const struct report_mode *m)
{
	cJSON *o = jnew_object();
	jadd(o, "mode", jstr(m->mode));
	jadd(o, "plan", own(m->plan));
	jadd(o, "warmup_runs", runs(m->warmup_runs, m->nwarmup));
	jadd(o, "runs", runs(m->runs, m->nruns));
	cJSON *s = jadd(o, "summary", jnew_object());
	cJSON *w = jadd(s, "wall_s", jnew_object());
	fields_write(w, &wall_table, &m->summary.wall);
	fields_add_extra(w, m->summary.wall_extra);
	fields_write(s, &summary_table, &m->summary);
	fields_add_extra(s, m->summary.extra);
	fields_add_extra(o, m->extra);
	return o;
}

static cJSON *workload(const struct report_workload *w)
{
	cJSON *o = jnew_object();
	jadd(o, "name", jraw(w->name));
	cJSON *tasks = jadd(o, "tasks", jnew_array());
	for (int i = 0; i < w->ntasks; i++) {
		cJSON *t = jadd(tasks, NULL, jnew_object());
		jadd(t, "id", jint(w->tasks[i].id));
		jadd(t, "kind", jstr(w->tasks[i].kind));
		jadd(t, "params", own(w->tasks[i].params));
		fields_add_extra(t, w->tasks[i].extra);
	}
	cJSON *modes = jadd(o, "modes", jnew_array());
	for (int m = 0; m < w->nmodes; m++)
		jadd(modes, NULL, mode(&w->modes[m]));
	fields_add_extra(o, w->extra);
	return o;
}

int json_report(struct report *r, char **text)
{
	cJSON *root = jnew_object();
	jadd(root, "schema_version", jint(1));
	jadd(root, "tool", own(r->tool));
	jadd(root, "started_at", jstr(r->started_at));
	jadd(root, "interrupted", jbool(r->interrupted));
	jadd(root, "containment", jstr(r->containment));
	jadd(root, "host", own(r->host));
	jadd(root, "config", own(r->config));
	jadd(root, "calibration", own(r->calibration));
	cJSON *wls = jadd(root, "workloads", jnew_array());
	for (int i = 0; i < r->nworkloads; i++)
		jadd(wls, NULL, workload(&r->workloads[i]));
	fields_add_extra(root, r->extra);
	/* strings that are not UTF-8 are replaced, their bytes kept beside them,
	 * and each kind of field named once in the warnings */
	char **fixes = NULL;
	int nfixes = 0;
	json_sanitize_tree(root, &fixes, &nfixes);
	for (int i = 0; i < nfixes; i++)
		report_add_warning(r, fixes[i]);
	free(fixes);
	cJSON *warnings = jadd(root, "warnings", jnew_array());
	for (int i = 0; i < r->nwarnings; i++)
		jadd(warnings, NULL, jstr(r->warnings[i]));
	*text = jprint(root);
	return nfixes;
}
