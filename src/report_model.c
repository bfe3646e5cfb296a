/* The report model: its field tables, its one free function, lookups and the
 * summary statistics (which use only runs in_summary: never a failed, partial
 * or suspended one). */
#include "config.h"
#include "report_model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonutil.h"
#include "spool.h"

#define F(type, field, kind, nullable, unit, csv) \
	{#field, FIELD_##kind, nullable, unit, offsetof(type, field), csv, false}
/* A nullable number added later: a report written before it reads as null. */
#define F_ADDED(type, field, unit, csv) {#field, FIELD_NUMBER, true, unit, offsetof(type, field), csv, true}
#define F_ADDED_INT(type, field, unit, csv) {#field, FIELD_INTEGER, true, unit, offsetof(type, field), csv, true}

static const struct field task_fields[] = {
	F(struct report_task, id, INTEGER, false, NULL, "task_id"),
	F(struct report_task, pid, INTEGER, true, NULL, "pid"),
	F(struct report_task, slot, INTEGER, true, NULL, "slot"),
	F(struct report_task, cpuset, STRING, true, NULL, "cpuset"),
	F(struct report_task, cpus_allowed, STRING, true, NULL, "cpus_allowed"),
	F(struct report_task, cpus_seen, INTLIST, false, NULL, "cpus_seen"),
	F(struct report_task, start_s, NUMBER, true, "s", "start_s"),
	F(struct report_task, end_s, NUMBER, true, "s", "end_s"),
	F(struct report_task, wall_s, NUMBER, true, "s", "wall_s"),
	F(struct report_task, user_s, NUMBER, true, "s", "user_s"),
	F(struct report_task, sys_s, NUMBER, true, "s", "sys_s"),
	F(struct report_task, running_s, NUMBER, true, "s", "running_s"),
	F(struct report_task, ready_s, NUMBER, true, "s", "ready_s"),
	F(struct report_task, blocked_s, NUMBER, true, "s", "blocked_s"),
	F(struct report_task, states_source, STRING, true, NULL, "states_source"),
	F(struct report_task, voluntary_switches, INTEGER, true, "switches", "voluntary_switches"),
	F(struct report_task, involuntary_switches, INTEGER, true, "switches", "involuntary_switches"),
	F(struct report_task, max_rss_kb, INTEGER, true, "KiB", "max_rss_kb"),
	F(struct report_task, leftovers_killed, INTEGER, true, "processes", "leftovers_killed"),
	F(struct report_task, zombie_s, NUMBER, true, "s", "zombie_s"),
	F(struct report_task, outside_slot, BOOL, false, NULL, "outside_slot"),
	F_ADDED_INT(struct report_task, rank, NULL, "rank"),
};

static const struct field task_cgroup_fields[] = {
	F(struct report_task_cgroup, cpu_s, NUMBER, true, "s", "cgroup_cpu_s"),
	F(struct report_task_cgroup, user_s, NUMBER, true, "s", "cgroup_user_s"),
	F(struct report_task_cgroup, sys_s, NUMBER, true, "s", "cgroup_sys_s"),
	F(struct report_task_cgroup, cpu_some_s, NUMBER, true, "s", "cpu_some_s"),
	F(struct report_task_cgroup, cpu_full_s, NUMBER, true, "s", "cpu_full_s"),
	F(struct report_task_cgroup, io_some_s, NUMBER, true, "s", "io_some_s"),
	F(struct report_task_cgroup, io_full_s, NUMBER, true, "s", "io_full_s"),
	F(struct report_task_cgroup, memory_some_s, NUMBER, true, "s", "memory_some_s"),
	F(struct report_task_cgroup, memory_full_s, NUMBER, true, "s", "memory_full_s"),
	F(struct report_task_cgroup, procs_max, INTEGER, true, "processes", "procs_max"),
	F(struct report_task_cgroup, memory_peak_kb, INTEGER, true, "KiB", "memory_peak_kb"),
};

static const struct field exit_fields[] = {
	F(struct report_exit, status, STRING, false, NULL, "exit_status"),
	F(struct report_exit, code, INTEGER, true, NULL, "exit_code"),
	F(struct report_exit, signal, INTEGER, true, NULL, "signal"),
	F(struct report_exit, signal_name, STRING, true, NULL, "signal_name"),
	F(struct report_exit, exitcode, INTEGER, true, NULL, "exitcode"),
	F(struct report_exit, timed_out, BOOL, false, NULL, "timed_out"),
	F(struct report_exit, stopped, BOOL, false, NULL, "stopped"),
	F(struct report_exit, error, STRING, true, NULL, "error"),
};

static const struct field run_fields[] = {
	F(struct report_run, wall_s, NUMBER, false, "s", "run_wall_s"),
	F(struct report_run, user_s, NUMBER, false, "s", NULL),
	F(struct report_run, sys_s, NUMBER, false, "s", NULL),
	F(struct report_run, runner_cpu_s, NUMBER, false, "s", NULL),
	F_ADDED(struct report_run, worker_cpu_s, "s", "run_worker_cpu_s"),
	F(struct report_run, rss_floor_kb, INTEGER, true, "KiB", NULL),
	F(struct report_run, failed, BOOL, false, NULL, "run_failed"),
	F(struct report_run, partial, BOOL, false, NULL, "run_partial"),
	F(struct report_run, suspended_s, NUMBER, false, "s", "run_suspended_s"),
	F(struct report_run, in_summary, BOOL, false, NULL, "run_in_summary"),
};

static const struct field cpu_fields[] = {
	F(struct report_cpu, cpu, INTEGER, false, NULL, NULL),
	F(struct report_cpu, busy, NUMBER, true, "share", NULL),
	F(struct report_cpu, task_busy, NUMBER, false, "share", NULL),
};

static const struct field wall_fields[] = {
	F(struct summary_stats, mean, NUMBER, true, "s", NULL),
	F(struct summary_stats, median, NUMBER, true, "s", NULL),
	F(struct summary_stats, stddev, NUMBER, true, "s", NULL),
	F(struct summary_stats, min, NUMBER, true, "s", NULL),
	F(struct summary_stats, max, NUMBER, true, "s", NULL),
	F(struct summary_stats, mad, NUMBER, true, "s", NULL),
	F(struct summary_stats, n, COUNT, false, "runs", NULL),
};

static const struct field summary_fields[] = {
	F(struct report_summary, speedup, NUMBER, true, NULL, NULL),
	F(struct report_summary, efficiency, NUMBER, true, NULL, NULL),
	F(struct report_summary, serial_fraction, NUMBER, true, NULL, NULL),
	F(struct report_summary, failed_runs, COUNT, false, "runs", NULL),
	F(struct report_summary, failed_tasks, COUNT, false, "tasks", NULL),
};

static const struct field percentiles_fields[] = {
	F(struct report_percentiles, p50, NUMBER, true, "s", NULL),
	F(struct report_percentiles, p90, NUMBER, true, "s", NULL),
	F(struct report_percentiles, p99, NUMBER, true, "s", NULL),
	F(struct report_percentiles, max, NUMBER, true, "s", NULL),
};

#define TABLE(name, level, fields) \
	const struct field_table name = {level, fields, (int)ARRAY_SIZE(fields)}
TABLE(task_table, "task_record", task_fields);
TABLE(task_cgroup_table, "task_cgroup", task_cgroup_fields);
TABLE(exit_table, "exit", exit_fields);
TABLE(run_table, "run", run_fields);
TABLE(cpu_table, "cpu_usage", cpu_fields);
TABLE(wall_table, "wall_stats", wall_fields);
TABLE(summary_table, "summary", summary_fields);
TABLE(percentiles_table, "percentiles", percentiles_fields);

double *field_number(const struct field *f, void *base)
{
	return (double *)(void *)((char *)base + f->offset);
}

int *field_count(const struct field *f, void *base)
{
	return (int *)(void *)((char *)base + f->offset);
}

char **field_string(const struct field *f, void *base)
{
	return (char **)(void *)((char *)base + f->offset);
}

bool *field_bool(const struct field *f, void *base)
{
	return (bool *)(void *)((char *)base + f->offset);
}

struct intlist *field_intlist(const struct field *f, void *base)
{
	return (struct intlist *)(void *)((char *)base + f->offset);
}

/* Strings and lists of a level, by its table: a field added there is freed too. */
static void fields_free(const struct field_table *t, void *base)
{
	for (int i = 0; i < t->n; i++) {
		if (t->fields[i].type == FIELD_STRING)
			free(*field_string(&t->fields[i], base));
		else if (t->fields[i].type == FIELD_INTLIST)
			intlist_free(field_intlist(&t->fields[i], base));
	}
}

void report_task_free(struct report_task *t)
{
	fields_free(&exit_table, &t->exit);
	free(t->exit.extra);
	fields_free(&task_table, t);
	free(t->state_samples);
	free(t->extra);
	if (t->cgroup)
		free(t->cgroup->extra);
	free(t->cgroup);
	memset(t, 0, sizeof(*t));
}

void report_run_free(struct report_run *run)
{
	for (int i = 0; run->tasks && i < run->ntasks; i++)
		report_task_free(&run->tasks[i]);
	free(run->tasks);
	report_tally_free(&run->tally);
	for (int i = 0; i < run->ncpus; i++)
		free(run->cpus[i].extra);
	free(run->cpus);
	intlist_free(&run->samples.cpus);
	free(run->samples.t);
	free(run->samples.busy);
	free(run->samples.task_busy);
	free(run->samples.extra);
	free(run->extra);
	memset(run, 0, sizeof(*run));
}

static void mode_free(struct report_mode *m)
{
	for (int k = 0; k < m->nwarmup; k++)
		report_run_free(&m->warmup_runs[k]);
	free(m->warmup_runs);
	for (int k = 0; k < m->nruns; k++)
		report_run_free(&m->runs[k]);
	free(m->runs);
	free(m->mode);
	free(m->executor);
	free(m->plan);
	free(m->summary.wall_extra);
	free(m->summary.extra);
	free(m->extra);
}

static void workload_free(struct report_workload *w)
{
	for (int i = 0; i < w->nspecs; i++) {
		free(w->specs[i].kind);
		free(w->specs[i].params);
		free(w->specs[i].extra);
	}
	free(w->specs);
	for (int m = 0; m < w->nmodes; m++)
		mode_free(&w->modes[m]);
	free(w->modes);
	for (int k = 0; k < w->namdahl; k++) {
		free(w->amdahl[k].executor);
		intlist_free(&w->amdahl[k].jobs);
	}
	free(w->amdahl);
	free(w->parameters);
	free(w->name);
	free(w->extra);
}

void report_free(struct report *r)
{
	for (int i = 0; i < r->nworkloads; i++)
		workload_free(&r->workloads[i]);
	free(r->workloads);
	for (int i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	if (r->spool)
		spool_close(r->spool);
	free(r->spool);
	if (r->fixes) {
		char **w = NULL;
		int n = 0;
		json_fixes_take(r->fixes, &w, &n);
		for (int i = 0; i < n; i++)
			free(w[i]);
		free(w);
	}
	free(r->fixes);
	intlist_free(&r->jobs_sweep);
	char *strings[] = {r->source, r->tool, r->version, r->started_at, r->containment, r->host, r->hostname,
			   r->config, r->modes, r->policy, r->calibration, r->ranks, r->hook_failure, r->extra};
	for (size_t i = 0; i < ARRAY_SIZE(strings); i++)
		free(strings[i]);
	memset(r, 0, sizeof(*r));
}

void report_add_warning(struct report *r, char *text)
{
	r->warnings = xrealloc(r->warnings, (size_t)(r->nwarnings + 1) * sizeof(char *));
	r->warnings[r->nwarnings++] = text;
}

const struct report_workload *report_workload_find(const struct report *r, const char *name)
{
	for (int i = 0; i < r->nworkloads; i++)
		if (!strcmp(r->workloads[i].name, name))
			return &r->workloads[i];
	return NULL;
}

bool report_entry_same(const struct report_mode *a, const struct report_mode *b)
{
	return !strcmp(a->mode, b->mode) && a->jobs == b->jobs && !strcmp(a->executor, b->executor);
}

const struct report_mode *report_entry_find(const struct report_workload *w,
					    const struct report_mode *key)
{
	for (int i = 0; i < w->nmodes; i++)
		if (report_entry_same(&w->modes[i], key))
			return &w->modes[i];
	return NULL;
}

/* Does r hold an entry of m's mode with other jobs (what 0) or another
 * executor (what 1)? */
static bool varies(const struct report *r, const struct report_mode *m, int what)
{
	for (int i = 0; r && i < r->nworkloads; i++)
		for (int k = 0; k < r->workloads[i].nmodes; k++) {
			const struct report_mode *e = &r->workloads[i].modes[k];
			if (strcmp(e->mode, m->mode))
				continue;
			if (what ? strcmp(e->executor, m->executor) != 0 : e->jobs != m->jobs)
				return true;
		}
	return false;
}

char *report_entry_label(const struct report *r, const struct report *r2, const struct report_mode *m)
{
	char jobs[16] = "";
	if (varies(r, m, 0) || varies(r2, m, 0))
		snprintf(jobs, sizeof(jobs), "/j%d", m->jobs);
	bool executor = varies(r, m, 1) || varies(r2, m, 1);
	return xasprintf("%s%s%s%s", m->mode, jobs, executor ? "/" : "", executor ? m->executor : "");
}

/* Groups are in id order in tribench's reports: a binary search; the scan
 * covers a hand-edited report. */
const struct report_task_spec *report_task_spec_find(const struct report_workload *w, int id)
{
	int lo = 0, hi = w->nspecs - 1;
	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		const struct report_task_spec *s = &w->specs[mid];
		if (id < s->id)
			hi = mid - 1;
		else if (id >= s->id + s->count)
			lo = mid + 1;
		else
			return s;
	}
	for (int i = 0; i < w->nspecs; i++)
		if (id >= w->specs[i].id && id < w->specs[i].id + w->specs[i].count)
			return &w->specs[i];
	return NULL;
}

bool report_task_failed(const struct report_task *t)
{
	const struct report_exit *e = &t->exit;
	if (!e->status || !strcmp(e->status, "not_started") || e->stopped)
		return false;
	return strcmp(e->status, "exited") || e->code != 0 || e->timed_out;
}

bool report_run_usable(const struct report_run *run)
{
	return run->in_summary;
}

int report_usable_walls(const struct report_mode *m, double *walls)
{
	int n = 0;
	for (int k = 0; k < m->nruns; k++)
		if (report_run_usable(&m->runs[k]))
			walls[n++] = m->runs[k].wall_s;
	return n;
}

static void summarise_mode(struct report_mode *m)
{
	struct report_summary *s = &m->summary;
	double *walls = xcalloc((size_t)m->nruns + 1, sizeof(double));
	stats_summarise(walls, report_usable_walls(m, walls), &s->wall);
	free(walls);
	s->failed_runs = s->failed_tasks = 0;
	for (int k = 0; k < m->nruns; k++) {
		s->failed_runs += m->runs[k].failed;
		s->failed_tasks += m->runs[k].tally.failed_tasks;
	}
}

/* The serial entry m's speedup is against: the same executor's, else the
 * first; NULL when there is none. */
static const struct report_mode *serial_of(const struct report_workload *w, const struct report_mode *m)
{
	const struct report_mode *first = NULL;
	for (int k = 0; k < w->nmodes; k++)
		if (!strcmp(w->modes[k].mode, "serial")) {
			if (!strcmp(w->modes[k].executor, m->executor))
				return &w->modes[k];
			if (!first)
				first = &w->modes[k];
		}
	return first;
}

/* One fit per executor with 2 or more parallel entries that have a speedup. */
void report_fit_amdahl(struct report_workload *w)
{
	for (int k = 0; k < w->namdahl; k++) {
		free(w->amdahl[k].executor);
		intlist_free(&w->amdahl[k].jobs);
	}
	free(w->amdahl);
	w->amdahl = NULL;
	w->namdahl = 0;
	int *jobs = xcalloc((size_t)w->nmodes + 1, sizeof(int));
	double *speedup = xcalloc((size_t)w->nmodes + 1, sizeof(double));
	for (int k = 0; k < w->nmodes; k++) {
		const struct report_mode *m = &w->modes[k];
		bool seen = false;
		for (int e = 0; e < k && !seen; e++)
			seen = !strcmp(w->modes[e].mode, "parallel") && !strcmp(w->modes[e].executor, m->executor);
		if (strcmp(m->mode, "parallel") || seen)
			continue;	/* each executor once, at its first parallel entry */
		int n = 0;
		for (int e = k; e < w->nmodes; e++) {
			const struct report_mode *q = &w->modes[e];
			if (!strcmp(q->mode, "parallel") && !strcmp(q->executor, m->executor) &&
			    q->summary.speedup > 0) {
				jobs[n] = q->jobs;
				speedup[n++] = q->summary.speedup;
			}
		}
		double f, se;
		if (n < 2 || stats_amdahl_fit(jobs, speedup, n, &f, &se) < 0)
			continue;
		w->amdahl = xrealloc(w->amdahl, (size_t)(w->namdahl + 1) * sizeof(*w->amdahl));
		struct report_amdahl *a = &w->amdahl[w->namdahl++];
		memset(a, 0, sizeof(*a));
		a->executor = xstrdup(m->executor);
		for (int i = 0; i < n; i++)
			intlist_push(&a->jobs, jobs[i]);
		a->serial_fraction = f;
		a->serial_fraction_se = se;
	}
	free(jobs);
	free(speedup);
}

void report_summarise(struct report *r)
{
	for (int i = 0; i < r->nworkloads; i++) {
		struct report_workload *w = &r->workloads[i];
		for (int m = 0; m < w->nmodes; m++)
			summarise_mode(&w->modes[m]);
		for (int m = 0; m < w->nmodes; m++) {
			struct report_summary *s = &w->modes[m].summary;
			const struct report_mode *serial = serial_of(w, &w->modes[m]);
			int slots = w->modes[m].nslots;
			/* NaN without a usable side */
			s->speedup = serial ? serial->summary.wall.median / s->wall.median : NAN;
			s->efficiency = slots > 0 ? s->speedup / slots : NAN;
			s->serial_fraction = !strcmp(w->modes[m].mode, "parallel")
						     ? stats_karp_flatt(s->speedup, slots)
						     : NAN;
		}
		report_fit_amdahl(w);
	}
}

static const char *const detail_names[] = {"task", "run", "mode"};

const char *report_detail_name(enum report_detail d)
{
	return detail_names[d];
}

int report_detail_parse(const char *word, enum report_detail *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(detail_names); i++)
		if (!strcmp(word, detail_names[i])) {
			*out = (enum report_detail)i;
			return 0;
		}
	return -1;
}

/* What went wrong with one task, in a few words. */
static char *task_error(const struct report_task *t)
{
	const struct report_exit *e = &t->exit;
	if (e->error)
		return xstrdup(e->error);
	if (e->timed_out)
		return xstrdup("timed out");
	if (!strcmp(e->status, "signaled"))
		return xasprintf("killed by %s", e->signal_name ? e->signal_name : "a signal");
	return xasprintf("exit code %.0f", e->code);
}

/* The first CPU of cpus_seen outside the task's cpuset, or -1. */
static int outside_cpu(const struct report_task *t)
{
	struct intlist l = {0};
	int cpu = -1;
	if (t->outside_slot && t->cpuset && cpulist_parse(t->cpuset, &l) == 0)
		for (int j = 0; cpu < 0 && j < t->cpus_seen.n; j++)
			if (!intlist_has(&l, t->cpus_seen.v[j]))
				cpu = t->cpus_seen.v[j];
	intlist_free(&l);
	return cpu;
}

void report_tally_task(struct report_run_tally *y, const struct report_task *t)
{
	y->tasks++;
	if (t->states_source && !y->states_source)
		y->states_source = xstrdup(t->states_source);
	else if (t->states_source && strcmp(y->states_source, t->states_source) && strcmp(y->states_source, "mixed")) {
		free(y->states_source);
		y->states_source = xstrdup("mixed");
	}
	if (report_task_failed(t)) {
		if (!y->failed_tasks++ || t->id < y->first_failed_id) {
			free(y->first_failed_error);
			y->first_failed_error = task_error(t);
			y->first_failed_id = (int)t->id;
		}
	}
	if (t->wall_s > 0) {
		const double v[5] = {t->running_s / t->wall_s, t->ready_s / t->wall_s, t->blocked_s / t->wall_s,
				     t->voluntary_switches, t->involuntary_switches};
		for (int c = 0; c < 5; c++)
			if (isfinite(v[c])) {
				y->share_sum[c] += v[c];
				y->share_n[c]++;
			}
	}
	bool tree = t->cgroup && t->states_source && !strcmp(t->states_source, "cgroup");
	y->has_trees |= tree;
	if (tree) {
		const double v[3] = {t->cgroup->cpu_s, t->cgroup->cpu_some_s, t->cgroup->io_some_s};
		for (int c = 0; c < 3; c++)
			if (isfinite(v[c])) {
				y->tree_sum[c] += v[c];
				y->tree_n[c]++;
			}
	}
	struct intlist l = {0};
	if (t->cpuset && cpulist_parse(t->cpuset, &l) == 0)
		for (int j = 0; j < l.n; j++)
			if (!intlist_has(&y->used_cpus, l.v[j])) {
				intlist_push(&y->used_cpus, l.v[j]);
				intlist_sort_unique(&y->used_cpus);
			}
	intlist_free(&l);
	int cpu = outside_cpu(t);
	if (cpu >= 0 && (!y->outside++ || t->id < y->outside_first_id)) {
		y->outside_first_id = (int)t->id;
		y->outside_first_cpu = cpu;
	}
	y->allowed_unread += !isnan(t->pid) && !t->cpus_allowed;
	const struct report_task_cgroup *g = t->cgroup;
	const char *file = !g ? NULL
			   : isnan(g->cpu_s) || isnan(g->user_s) || isnan(g->sys_s) ? "cpu.stat"
			   : isnan(g->cpu_some_s)				? "cpu.pressure"
			   : isnan(g->io_some_s)				? "io.pressure"
			   : isnan(g->memory_some_s)				? "memory.pressure"
										: NULL;
	if (file && !y->tree_unread++)
		y->tree_unread_first = file;
}

void report_tally_free(struct report_run_tally *y)
{
	free(y->first_failed_error);
	free(y->states_source);
	intlist_free(&y->used_cpus);
	memset(y, 0, sizeof(*y));
}

struct foreach_line {
	const struct report_run *run;
	int (*fn)(const struct report_task *t, void *ctx);
	void *ctx;
};

static int foreach_line(char *line, void *ctx)
{
	struct foreach_line *c = ctx;
	struct report_task t = {0};
	if (c->run->spool_parse(line, &t) < 0) {
		report_task_free(&t);
		return error("cannot read the task spool: a record is not a task");
	}
	int rc = c->fn(&t, c->ctx);
	report_task_free(&t);
	return rc;
}

int report_run_foreach_task(const struct report_run *run,
			    int (*fn)(const struct report_task *t, void *ctx), void *ctx)
{
	if (run->tasks_null)
		return 0;
	if (run->spool) {
		struct foreach_line c = {run, fn, ctx};
		return spool_foreach_line(run->spool, run->spool_off, run->spool_len, foreach_line, &c);
	}
	for (int i = 0; run->tasks && i < run->ntasks; i++) {
		int rc = fn(&run->tasks[i], ctx);
		if (rc)
			return rc;
	}
	return 0;
}
