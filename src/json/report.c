/* The JSON report writer (schema version 1, docs/schema.json): the report
 * model out as a stream, level by level through its field tables. Each part
 * is a small cJSON tree printed on its own, but a run's samples are written
 * number by number and a live run's tasks array is copied
 * from the spool, so memory does not grow with the tasks. */
#include "config.h"
#include "json/report_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/fields.h"
#include "json/jsonutil.h"
#include "spool.h"

/* An object whose text the model keeps (host, config, plan, params), or null. */
static cJSON *own(const char *text)
{
	return text ? json_parse_own(text) : jnull();
}

/* One number as every JSON the tool writes has it (json_number_text). */
static void put_num(FILE *f, double v)
{
	char buf[JSON_NUMBER_MAX];
	fputs(json_number_text(v, buf), f);
}

static void put_rows(FILE *f, const char *key, const double *v, int rows, int cols)
{
	fprintf(f, ",\"%s\":[", key);
	for (int r = 0; r < rows; r++) {
		fputs(r ? ",[" : "[", f);
		for (int c = 0; c < cols; c++) {
			if (c)
				fputc(',', f);
			put_num(f, v[r * cols + c]);
		}
		fputc(']', f);
	}
	fputc(']', f);
}

static void members(FILE *f, cJSON *o, struct json_fixes *fixes, const char *prefix, bool first);

/*
 * ,"samples":{...} written number by number: the series grows with the run's
 * wall time (a row per --sample-ms), and a cJSON tree of it took ~0.6 kB a row
 * (65 MB at the end of a 90-minute run), where the model holds 8 bytes a value.
 */
static void samples(FILE *f, const struct report_samples *s, struct json_fixes *fixes, const char *prefix)
{
	fputs(",\"samples\":{\"period_s\":", f);
	put_num(f, s->period_s);
	fputs(",\"cpus\":[", f);
	for (int i = 0; i < s->cpus.n; i++)
		fprintf(f, "%s%d", i ? "," : "", s->cpus.v[i]);
	fputs("],\"t\":[", f);
	for (int i = 0; i < s->n; i++) {
		if (i)
			fputc(',', f);
		put_num(f, s->t[i]);
	}
	fputc(']', f);
	put_rows(f, "busy", s->busy, s->n, s->cpus.n);
	put_rows(f, "task_busy", s->task_busy, s->n, s->cpus.n);
	cJSON *extra = jnew_object();
	fields_add_extra(extra, s->extra);
	members(f, extra, fixes, prefix, false);
	fputc('}', f);
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
	if (t->has_state_samples)
		jadd(o, "state_samples", own(t->state_samples));
	fields_add_extra(o, t->extra);
	return o;
}

static cJSON *num_array(const double *v, int n)
{
	cJSON *a = jnew_array();
	for (int i = 0; i < n; i++)
		jadd(a, NULL, jnum(v[i]));
	return a;
}

char *json_state_samples(bool leader, int n, const double *t, const double *running_s,
			 const double *ready_s)
{
	cJSON *o = jnew_object();
	jadd(o, "scope", jstr(leader ? "leader" : "task"));
	jadd(o, "t", num_array(t, n));
	jadd(o, "running_s", num_array(running_s, n));
	jadd(o, "ready_s", num_array(ready_s, n));
	char *text = json_text(o, false);
	cJSON_Delete(o);
	return text;
}

/* Compact text of o after its strings are made UTF-8 (warnings into fixes
 * under prefix, counted times); frees o. */
static char *clean_text(cJSON *o, struct json_fixes *fixes, const char *prefix, int times)
{
	char **w = NULL;
	int nw = 0;
	json_sanitize_tree(o, &w, &nw);
	for (int i = 0; i < nw; i++)
		json_fixes_add(fixes, prefix, w[i], times);
	free(w);
	char *text = json_text(o, false);
	cJSON_Delete(o);
	return text;
}

char *json_task_line(const struct report_task *t, struct json_fixes *fixes)
{
	return clean_text(task(t), fixes, "workloads[].modes[].runs[].tasks[]", 1);
}

/* The members of o (repaired like clean_text) without its braces, after a
 * comma unless first; frees o. */
static void members(FILE *f, cJSON *o, struct json_fixes *fixes, const char *prefix, bool first)
{
	char *text = clean_text(o, fixes, prefix, 1);
	size_t n = strlen(text);
	if (n > 2)
		fprintf(f, "%s%.*s", first ? "" : ",", (int)(n - 2), text + 1);
	free(text);
}

static cJSON *percentiles(const struct report_percentiles *p)
{
	cJSON *o = jnew_object();
	fields_write(o, &percentiles_table, p);
	return o;
}

static cJSON *task_stats(const struct report_task_stats *s)
{
	if (!s->present)
		return jnull();
	cJSON *o = jnew_object();
	jadd(o, "wall_s", percentiles(&s->wall_s));
	jadd(o, "running_s", percentiles(&s->running_s));
	jadd(o, "ready_s", percentiles(&s->ready_s));
	jadd(o, "blocked_s", percentiles(&s->blocked_s));
	return o;
}

static int write_task(const struct report_task *t, void *ctx)
{
	void **c = ctx;
	FILE *f = c[0];
	char *line = json_task_line(t, c[1]);
	fprintf(f, "%s%s", *(int *)c[2] ? ",\n" : "", line);
	free(line);
	++*(int *)c[2];
	return ferror(f) ? -1 : 0;
}

/* A run, numbered from 1 in its list (warmup_runs, runs) as --results and
 * tribench-plot -r count; its tasks from the spool verbatim, or one by one
 * from memory. */
static int run(FILE *f, const struct report_run *r, int number, struct json_fixes *fixes, const char *prefix)
{
	cJSON *o = jnew_object();
	jadd(o, "run", jint(number));
	fields_write(o, &run_table, r);
	cJSON *cpus = jadd(o, "cpus", jnew_array());
	for (int i = 0; i < r->ncpus; i++) {
		cJSON *c = jadd(cpus, NULL, jnew_object());
		fields_write(c, &cpu_table, &r->cpus[i]);
		fields_add_extra(c, r->cpus[i].extra);
	}
	fputc('{', f);
	members(f, o, fixes, prefix, true);
	if (r->samples_null)
		fputs(",\"samples\":null", f);
	else
		samples(f, &r->samples, fixes, prefix);
	o = jnew_object();
	jadd(o, "task_stats", task_stats(&r->task_stats));
	fields_add_extra(o, r->extra);
	members(f, o, fixes, prefix, false);
	if (r->tasks_null) {
		fputs(",\"tasks\":null}", f);
		return ferror(f) ? -1 : 0;
	}
	fputs(",\"tasks\":[\n", f);
	int rc, n = 0;
	if (r->spool) {
		rc = spool_copy(r->spool, r->spool_off, r->spool_len, f);
	} else {
		void *c[3] = {f, fixes, &n};
		rc = report_run_foreach_task(r, write_task, c);
	}
	fputs("]}", f);
	return rc < 0 || ferror(f) ? -1 : 0;
}

static int runs(FILE *f, const char *key, const struct report_run *r, int n, struct json_fixes *fixes)
{
	char *prefix = xasprintf("workloads[].modes[].%s[]", key);
	fprintf(f, ",\"%s\":[", key);
	int rc = 0;
	for (int k = 0; rc == 0 && k < n; k++) {
		fputs(k ? ",\n" : "\n", f);
		rc = run(f, &r[k], k + 1, fixes, prefix);
	}
	fputc(']', f);
	free(prefix);
	return rc < 0 || ferror(f) ? -1 : 0;
}

static int mode(FILE *f, const struct report_mode *m, struct json_fixes *fixes)
{
	cJSON *o = jnew_object();
	jadd(o, "mode", jstr(m->mode));
	jadd(o, "jobs", jint(m->jobs));
	jadd(o, "executor", jstr(m->executor));
	jadd(o, "plan", own(m->plan));
	fputc('{', f);
	members(f, o, fixes, "workloads[].modes[]", true);
	if (runs(f, "warmup_runs", m->warmup_runs, m->nwarmup, fixes) < 0 ||
	    runs(f, "runs", m->runs, m->nruns, fixes) < 0)
		return -1;
	o = jnew_object();
	cJSON *s = jadd(o, "summary", jnew_object());
	cJSON *w = jadd(s, "wall_s", jnew_object());
	fields_write(w, &wall_table, &m->summary.wall);
	fields_add_extra(w, m->summary.wall_extra);
	fields_write(s, &summary_table, &m->summary);
	fields_add_extra(s, m->summary.extra);
	fields_add_extra(o, m->extra);
	members(f, o, fixes, "workloads[].modes[]", false);
	fputc('}', f);
	return ferror(f) ? -1 : 0;
}

/* The task specs, one entry per task id, each group's text made once. */
static int specs(FILE *f, const struct report_workload *w, struct json_fixes *fixes)
{
	fputs(",\"tasks\":[", f);
	bool first = true;
	for (int i = 0; i < w->nspecs; i++) {
		const struct report_task_spec *s = &w->specs[i];
		cJSON *o = jnew_object();
		jadd(o, "kind", jstr(s->kind));
		jadd(o, "params", own(s->params));
		fields_add_extra(o, s->extra);
		char *text = clean_text(o, fixes, "workloads[].tasks[]", s->count);
		for (int id = s->id; id < s->id + s->count; id++, first = false)
			fprintf(f, "%s{\"id\":%d,%s", first ? "\n" : ",\n", id, text + 1);
		free(text);
		if (ferror(f))
			return -1;
	}
	fputc(']', f);
	return 0;
}

static int workload(FILE *f, const struct report_workload *w, struct json_fixes *fixes)
{
	cJSON *o = jnew_object();
	jadd(o, "name", jraw(w->name));
	jadd(o, "parameters", own(w->parameters ? w->parameters : "{}"));
	fputc('{', f);
	members(f, o, fixes, "workloads[]", true);
	if (specs(f, w, fixes) < 0)
		return -1;
	fputs(",\"modes\":[", f);
	for (int m = 0; m < w->nmodes; m++) {
		fputs(m ? ",\n" : "\n", f);
		if (mode(f, &w->modes[m], fixes) < 0)
			return -1;
	}
	fputc(']', f);
	o = jnew_object();
	cJSON *fits = jadd(o, "amdahl", jnew_array());
	for (int k = 0; k < w->namdahl; k++) {
		const struct report_amdahl *a = &w->amdahl[k];
		cJSON *fit = jadd(fits, NULL, jnew_object());
		jadd(fit, "executor", jstr(a->executor));
		cJSON *jobs = jadd(fit, "jobs", jnew_array());
		for (int i = 0; i < a->jobs.n; i++)
			jadd(jobs, NULL, jint(a->jobs.v[i]));
		jadd(fit, "serial_fraction", jnum(a->serial_fraction));
		jadd(fit, "serial_fraction_se", jnum(a->serial_fraction_se));
	}
	fields_add_extra(o, w->extra);
	members(f, o, fixes, "workloads[]", false);
	fputc('}', f);
	return ferror(f) ? -1 : 0;
}

int json_report_write(struct report *r, FILE *f)
{
	struct json_fixes local = {0}, *fixes = r->fixes ? r->fixes : &local;
	int before = r->nwarnings;
	cJSON *o = jnew_object();
	jadd(o, "schema_version", jint(1));
	jadd(o, "tool", own(r->tool));
	jadd(o, "started_at", jstr(r->started_at));
	jadd(o, "interrupted", jbool(r->interrupted));
	jadd(o, "containment", jstr(r->containment));
	jadd(o, "hook_failure", own(r->hook_failure));
	jadd(o, "host", own(r->host));
	jadd(o, "config", own(r->config));
	jadd(o, "calibration", own(r->calibration));
	jadd(o, "ranks", own(r->ranks));
	fputc('{', f);
	members(f, o, fixes, "", true);
	fputs(",\n\"workloads\":[", f);
	for (int i = 0; i < r->nworkloads; i++) {
		fputs(i ? ",\n" : "\n", f);
		if (workload(f, &r->workloads[i], fixes) < 0) {
			json_fixes_take(fixes, &r->warnings, &r->nwarnings);
			return -1;
		}
	}
	fputs("]", f);
	o = jnew_object();
	fields_add_extra(o, r->extra);
	members(f, o, fixes, "", false);
	/* strings that were not UTF-8 were replaced, their bytes kept beside
	 * them; each kind of field is named once in the warnings */
	json_fixes_take(fixes, &r->warnings, &r->nwarnings);
	o = jnew_object();
	cJSON *warnings = jadd(o, "warnings", jnew_array());
	for (int i = 0; i < r->nwarnings; i++)
		jadd(warnings, NULL, jstr(r->warnings[i]));
	char *text = json_text(o, false);
	cJSON_Delete(o);
	fprintf(f, ",\n%.*s}\n", (int)strlen(text) - 2, text + 1);
	free(text);
	return ferror(f) ? -1 : r->nwarnings - before;
}

int json_report(struct report *r, char **text)
{
	size_t len = 0;
	FILE *f = open_memstream(text, &len);
	if (!f)
		die("out of memory");
	int n = json_report_write(r, f);
	if (fclose(f) != 0)
		die("out of memory");
	return n;
}
