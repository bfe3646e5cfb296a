/* The run order: warmups, then rounds with the mode order rotated, each run
 * turned into the report model as soon as it ends. */
#include "config.h"
#include "runner.h"

#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "json/jsonutil.h"
#include "record.h"
#include "spool.h"

/* The workload's task specs as groups of consecutive ids sharing one spec
 * (workload_task gives the same spec for a counted one): a million `true`s
 * cost one entry, not a million strings. */
static void spec_groups(struct report_workload *rw, const struct workload *w)
{
	const struct task_spec *prev = NULL;
	int alloc = 0;
	for (int k = 0; k < w->ntasks; k++) {
		const struct task_spec *spec = workload_task(w, k);
		if (spec == prev) {
			rw->specs[rw->nspecs - 1].count++;
			continue;
		}
		if (rw->nspecs == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			rw->specs = xrealloc(rw->specs, (size_t)alloc * sizeof(*rw->specs));
		}
		struct report_task_spec *ts = &rw->specs[rw->nspecs++];
		memset(ts, 0, sizeof(*ts));
		ts->id = k;
		ts->count = 1;
		ts->kind = xstrdup(spec->kind->name);
		ts->params = json_params_text(spec);
		prev = spec;
	}
	rw->ntasks = w->ntasks;
}

/* The report's workloads and modes, and the plans the scheduler needs. */
static int build(struct report *r, struct plan *plans, const struct topo *t,
		 const struct suite *suite, const struct options *o)
{
	r->workloads = xcalloc((size_t)suite->nworkloads, sizeof(*r->workloads));
	for (int i = 0; i < suite->nworkloads; i++) {
		const struct workload *w = &suite->workloads[i];
		struct report_workload *rw = &r->workloads[r->nworkloads++];
		rw->name = xstrdup(w->name);
		spec_groups(rw, w);
		rw->modes = xcalloc((size_t)o->nmodes, sizeof(*rw->modes));
		for (int m = 0; m < o->nmodes; m++) {
			struct plan *p = &plans[i * MODE_COUNT + m];
			if (plan_build(t, o->modes[m], &o->plan, w->ntasks, p) < 0)
				return -1;
			struct report_mode *rm = &rw->modes[rw->nmodes++];
			rm->mode = xstrdup(mode_name(o->modes[m]));
			rm->plan = json_plan_text(p);
			rm->nslots = p->nslots;
			rm->runs = xcalloc((size_t)o->runs, sizeof(struct report_run));
			rm->warmup_runs = xcalloc((size_t)o->warmup + 1, sizeof(struct report_run));
		}
	}
	return 0;
}

/*
 * One pass over every workload and mode. Every run is kept, a warmup in
 * warmup_runs; one cut short by a signal or --halt is marked partial and
 * nothing runs after it.
 */
static int run_round(struct report *r, const struct plan *plans, struct sched *s,
		     const struct suite *suite, const struct options *o, int round, bool measured)
{
	for (int i = 0; i < r->nworkloads; i++) {
		const struct workload *w = &suite->workloads[i];
		for (int j = 0; j < o->nmodes; j++) {
			int m = (j + round) % o->nmodes;
			struct report_mode *rm = &r->workloads[i].modes[m];
			struct run_label label = {w->name, rm->mode, measured ? round + 1 : 0, o->runs};
			struct task_collector collect;
			if (spool_run_begin(r->spool) < 0)
				return -1;
			collector_init(&collect, w->ntasks, r->spool, o->detail, r->fixes);
			struct run_record rec = {.collect = &collect};
			int rc = sched_run(s, &plans[i * MODE_COUNT + m], w, &label, &rec);
			bool cut = s->signal || s->halted || s->watchdog_died;
			struct report_run *out = measured ? &rm->runs[rm->nruns++] : &rm->warmup_runs[rm->nwarmup++];
			rm->schedstat_unread += collect.schedstat_unread;
			if (record_to_report(&rec, &collect, out, cut) < 0) {
				/* the spool failed: a runtime error, said once; the
				 * run lost its records, so it is no whole run */
				rc = -1;
				out->partial = true;
				out->in_summary = false;
				report_add_warning(r, xasprintf("%s/%s: the task spool could not be written, so "
								"this run's tasks and task_stats are null and it is "
								"marked partial", w->name, rm->mode));
			}
			run_record_free(&rec);
			collector_free(&collect);
			if (rc < 0 || cut)
				return rc;
		}
	}
	return 0;
}

int runner_run(struct report *r, struct sched *s, const struct topo *t, const struct suite *suite,
	       const struct options *o)
{
	r->fixes = xcalloc(1, sizeof(*r->fixes));
	struct plan *plans = xcalloc((size_t)suite->nworkloads * MODE_COUNT, sizeof(*plans));
	int rc = build(r, plans, t, suite, o);
	for (int k = 0; rc == 0 && !s->signal && !s->halted && k < o->warmup; k++)
		rc = run_round(r, plans, s, suite, o, k, false);
	for (int k = 0; rc == 0 && !s->signal && !s->halted && k < o->runs; k++)
		rc = run_round(r, plans, s, suite, o, k, true);
	r->interrupted = s->signal != 0 || s->watchdog_died;
	for (int i = 0; i < suite->nworkloads * MODE_COUNT; i++)
		plan_free(&plans[i]);
	free(plans);
	return rc;
}
