/* `--format csv`: tidy rows for data frames at the level the user groups
 * by (--level): a row per task per run, per run, or per mode entry. Every
 * column comes from a field of the report model (its field tables drive the
 * columns), empty where the report has null: pandas reads NaN. */
#include "config.h"
#include "export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/report_json.h"
#include "textout.h"
#include "util.h"

/* Shortest text that reads back as the same double (%.15g, else %.17g). */
static void csv_number(FILE *f, double v)
{
	char buf[40];
	number_text(buf, sizeof(buf), v);
	fputs(buf, f);
}

/* A column of t: those with a csv name, or every one (every), a field
 * without a csv name then named prefix + its JSON key. */
static bool csv_column(const struct field *fd, bool every)
{
	return fd->csv || every;
}

static void csv_header(FILE *f, const struct field_table *t, const char *prefix, bool every)
{
	for (int i = 0; i < t->n; i++) {
		const struct field *fd = &t->fields[i];
		if (!csv_column(fd, every))
			continue;
		if (fd->csv)
			fprintf(f, ",%s", fd->csv);
		else
			fprintf(f, ",%s%s", prefix, fd->name);
	}
}

/* base NULL (a null object): every column empty. */
static void csv_values(FILE *f, const struct field_table *t, const void *base, bool every)
{
	for (int i = 0; i < t->n; i++) {
		const struct field *fd = &t->fields[i];
		if (!csv_column(fd, every))
			continue;
		fputc(',', f);
		if (!base)
			continue;
		switch (fd->type) {
		case FIELD_NUMBER:
		case FIELD_INTEGER:
			csv_number(f, *(const double *)FIELD_CONST(field_number, fd, base));
			break;
		case FIELD_COUNT:
			fprintf(f, "%d", *(const int *)FIELD_CONST(field_count, fd, base));
			break;
		case FIELD_STRING: {
			const char *v = *(char *const *)FIELD_CONST(field_string, fd, base);
			if (v)
				csv_field(f, v);
			break;
		}
		case FIELD_BOOL:
			fputs(*(const bool *)FIELD_CONST(field_bool, fd, base) ? "true" : "false", f);
			break;
		case FIELD_INTLIST: {
			const struct intlist *l = FIELD_CONST(field_intlist, fd, base);
			char *buf = xmalloc((size_t)l->n * 12 + 1);
			cpulist_format(l->v, l->n, buf, (size_t)l->n * 12 + 1);
			csv_field(f, buf);
			free(buf);
			break;
		}
		}
	}
}

/* The entry's key and, with phase, the run's place: the first columns of
 * the task and run levels. */
static void csv_key(FILE *f, const struct report_workload *w, const struct report_mode *m)
{
	csv_field(f, w->name);
	fputc(',', f);
	csv_field(f, m->mode);
	fprintf(f, ",%d,", m->jobs);
	csv_field(f, m->executor);
}

/*
 * The report-wide column sets of the run and mode levels: the parameter
 * names of every workload (first seen first) and the CPUs of every run
 * (sorted), so every row has the same columns.
 */
struct csv_columns {
	int nparams;
	char **params;
	struct intlist cpus;
};

/* A workload's parameter values in the order of cols->params (NULL where it
 * has none of that name); caller frees the array and its strings. */
static char **workload_params(const struct csv_columns *cols, const struct report_workload *w)
{
	char **names, **values;
	int n = json_string_members(w->parameters, &names, &values);
	char **out = xcalloc((size_t)cols->nparams + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		for (int p = 0; p < cols->nparams; p++)
			if (!strcmp(cols->params[p], names[i]) && !out[p]) {
				out[p] = values[i];
				values[i] = NULL;
			}
		free(names[i]);
		free(values[i]);
	}
	free(names);
	free(values);
	return out;
}

static void columns_runs(struct csv_columns *cols, const struct report_run *runs, int n)
{
	for (int k = 0; k < n; k++)
		for (int c = 0; c < runs[k].ncpus; c++) {
			int cpu = (int)runs[k].cpus[c].cpu;
			if (!intlist_has(&cols->cpus, cpu))
				intlist_push(&cols->cpus, cpu);
		}
}

static void columns_collect(struct csv_columns *cols, const struct report *r)
{
	memset(cols, 0, sizeof(*cols));
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		char **names, **values;
		int n = json_string_members(w->parameters, &names, &values);
		for (int k = 0; k < n; k++) {
			bool seen = false;
			for (int p = 0; p < cols->nparams && !seen; p++)
				seen = !strcmp(cols->params[p], names[k]);
			if (!seen) {
				cols->params = xrealloc(cols->params, (size_t)(cols->nparams + 1) * sizeof(char *));
				cols->params[cols->nparams++] = names[k];
				names[k] = NULL;
			}
			free(names[k]);
			free(values[k]);
		}
		free(names);
		free(values);
		for (int j = 0; j < w->nmodes; j++) {
			columns_runs(cols, w->modes[j].warmup_runs, w->modes[j].nwarmup);
			columns_runs(cols, w->modes[j].runs, w->modes[j].nruns);
		}
	}
	intlist_sort_unique(&cols->cpus);
}

static void columns_free(struct csv_columns *cols)
{
	for (int p = 0; p < cols->nparams; p++)
		free(cols->params[p]);
	free(cols->params);
	intlist_free(&cols->cpus);
}

static void params_header(FILE *f, const struct csv_columns *cols)
{
	for (int p = 0; p < cols->nparams; p++) {
		fputs(",", f);
		char *name = xasprintf("param_%s", cols->params[p]);
		csv_field(f, name);
		free(name);
	}
}

static void params_values(FILE *f, const struct csv_columns *cols, char **values)
{
	for (int p = 0; p < cols->nparams; p++) {
		fputc(',', f);
		if (values[p])
			csv_field(f, values[p]);
	}
}

static void params_free(const struct csv_columns *cols, char **values)
{
	for (int p = 0; p < cols->nparams; p++)
		free(values[p]);
	free(values);
}

/* ---- task level ---- */

struct csv_row {
	FILE *f;
	const struct report_workload *w;
	const struct report_mode *m;
	const char *phase;
	const struct report_run *run;   /* as shown: in_summary false for warmups */
	int k;
};

static int csv_task(const struct report_task *t, void *ctx)
{
	const struct csv_row *c = ctx;
	FILE *f = c->f;
	const struct report_task_spec *spec = report_task_spec_find(c->w, (int)t->id);
	csv_key(f, c->w, c->m);
	fprintf(f, ",%s,%d", c->phase, c->k);
	csv_values(f, &run_table, c->run, false);
	fputc(',', f);
	csv_field(f, spec ? spec->kind : "");
	csv_values(f, &task_table, t, false);
	csv_values(f, &task_cgroup_table, t->cgroup, false);
	csv_values(f, &exit_table, &t->exit, false);
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

/* A run as its rows show it: a warmup run is never in a statistic, so its
 * run_in_summary is false (reports written before issue 13 have true on
 * warmups that neither failed nor were cut short). Shallow: nothing to free. */
static struct report_run shown_run(const struct report_run *run, bool measured)
{
	struct report_run s = *run;
	s.in_summary = run->in_summary && measured;
	return s;
}

/* A row per task, a task at a time (a live run's from its spool). */
static int csv_task_runs(FILE *f, const struct report_workload *w, const struct report_mode *m,
			 const char *phase, const struct report_run *runs, int n)
{
	for (int k = 0; k < n; k++) {
		struct report_run shown = shown_run(&runs[k], !strcmp(phase, "measured"));
		struct csv_row c = {f, w, m, phase, &shown, k + 1};	/* runs count from 1 */
		if (report_run_foreach_task(&runs[k], csv_task, &c) < 0)
			return -1;
	}
	return 0;
}

/* Runs without task records (--detail run or mode): nothing for a task row. */
static bool has_null_tasks(const struct report *r)
{
	for (int i = 0; i < r->nworkloads; i++)
		for (int j = 0; j < r->workloads[i].nmodes; j++) {
			const struct report_mode *m = &r->workloads[i].modes[j];
			for (int k = 0; k < m->nruns; k++)
				if (m->runs[k].tasks_null)
					return true;
			for (int k = 0; k < m->nwarmup; k++)
				if (m->warmup_runs[k].tasks_null)
					return true;
		}
	return false;
}

static int write_tasks(FILE *f, const struct report *r)
{
	if (has_null_tasks(r))
		return error("cannot export csv --level task: the report has no task records (made with "
			     "--detail run or mode); use --level run or mode");
	fputs("workload,mode,jobs,executor,phase,run", f);
	csv_header(f, &run_table, "", false);
	fputs(",kind", f);
	csv_header(f, &task_table, "", false);
	csv_header(f, &task_cgroup_table, "", false);
	csv_header(f, &exit_table, "", false);
	fputc('\n', f);
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			if (csv_task_runs(f, w, m, "warmup", m->warmup_runs, m->nwarmup) < 0 ||
			    csv_task_runs(f, w, m, "measured", m->runs, m->nruns) < 0)
				return -1;
		}
	}
	return 0;
}

/* ---- run level ---- */

static const char *const stats_names[] = {"wall_s", "running_s", "ready_s", "blocked_s"};

static void run_header(FILE *f, const struct csv_columns *cols)
{
	fputs("workload,mode,jobs,executor,phase,run", f);
	csv_header(f, &run_table, "run_", true);
	fputs(",failed_tasks,ntasks,states_source", f);
	for (size_t q = 0; q < ARRAY_SIZE(stats_names); q++) {
		char *prefix = xasprintf("task_stats_%s_", stats_names[q]);
		csv_header(f, &percentiles_table, prefix, true);
		free(prefix);
	}
	params_header(f, cols);
	for (int c = 0; c < cols->cpus.n; c++)
		fprintf(f, ",cpu%d_busy,cpu%d_task_busy", cols->cpus.v[c], cols->cpus.v[c]);
	fputc('\n', f);
}

/* failed_tasks from the run's tally: known when its tasks were seen (a live
 * run at any --detail, a report read back with its tasks), else empty. */
static void run_row(FILE *f, const struct csv_columns *cols, char **params, const struct report_workload *w,
		    const struct report_mode *m, const char *phase, const struct report_run *run, int number)
{
	struct report_run shown = shown_run(run, !strcmp(phase, "measured"));
	csv_key(f, w, m);
	fprintf(f, ",%s,%d", phase, number);
	csv_values(f, &run_table, &shown, true);
	if (run->tally.tasks > 0)
		fprintf(f, ",%d", run->tally.failed_tasks);
	else
		fputc(',', f);
	fprintf(f, ",%d,", w->ntasks);
	if (run->tally.states_source)
		csv_field(f, run->tally.states_source);
	const struct report_task_stats *ts = &run->task_stats;
	const struct report_percentiles *p[] = {&ts->wall_s, &ts->running_s, &ts->ready_s, &ts->blocked_s};
	for (size_t q = 0; q < ARRAY_SIZE(p); q++)
		csv_values(f, &percentiles_table, ts->present ? p[q] : NULL, true);
	params_values(f, cols, params);
	for (int c = 0; c < cols->cpus.n; c++) {
		const struct report_cpu *cpu = NULL;
		for (int i = 0; i < run->ncpus && !cpu; i++)
			if (run->cpus[i].cpu == cols->cpus.v[c])
				cpu = &run->cpus[i];
		fputc(',', f);
		if (cpu)
			csv_number(f, cpu->busy);
		fputc(',', f);
		if (cpu)
			csv_number(f, cpu->task_busy);
	}
	fputc('\n', f);
}

static int write_runs(FILE *f, const struct report *r)
{
	struct csv_columns cols;
	columns_collect(&cols, r);
	run_header(f, &cols);
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		char **params = workload_params(&cols, w);
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			for (int k = 0; k < m->nwarmup; k++)
				run_row(f, &cols, params, w, m, "warmup", &m->warmup_runs[k], k + 1);
			for (int k = 0; k < m->nruns; k++)
				run_row(f, &cols, params, w, m, "measured", &m->runs[k], k + 1);
		}
		params_free(&cols, params);
	}
	columns_free(&cols);
	return ferror(f) ? -1 : 0;
}

/* ---- mode level ---- */

/* The summary as the report has it (read back: as written, nulls kept). */
static int write_modes(FILE *f, const struct report *r)
{
	struct csv_columns cols;
	columns_collect(&cols, r);
	fputs("workload,mode,jobs,executor,slots,runs,warmup_runs,ntasks", f);
	csv_header(f, &wall_table, "wall_s_", true);
	csv_header(f, &summary_table, "", true);
	params_header(f, &cols);
	fputc('\n', f);
	for (int i = 0; i < r->nworkloads; i++) {
		const struct report_workload *w = &r->workloads[i];
		char **params = workload_params(&cols, w);
		for (int j = 0; j < w->nmodes; j++) {
			const struct report_mode *m = &w->modes[j];
			csv_key(f, w, m);
			fprintf(f, ",%d,%d,%d,%d", m->nslots, m->nruns, m->nwarmup, w->ntasks);
			csv_values(f, &wall_table, &m->summary.wall, true);
			csv_values(f, &summary_table, &m->summary, true);
			params_values(f, &cols, params);
			fputc('\n', f);
		}
		params_free(&cols, params);
	}
	columns_free(&cols);
	return ferror(f) ? -1 : 0;
}

int export_csv(FILE *f, const struct report *r, enum report_detail level)
{
	if (level == DETAIL_RUN)
		return write_runs(f, r);
	if (level == DETAIL_MODE)
		return write_modes(f, r);
	return write_tasks(f, r);
}
