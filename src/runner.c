/* The run order, hyperfine's: workload by workload, its --setup, its warmups,
 * its measured rounds (the mode order rotated per round), its --cleanup;
 * --prepare and --conclude around every run; each run turned into the report
 * model as soon as it ends. */
#include "config.h"
#include "runner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hooks.h"
#include "json/fields.h"
#include "json/json.h"
#include "json/jsonutil.h"
#include "record.h"
#include "shellword.h"
#include "spool.h"
#include "suite_load.h"

/* The most runs --runs auto picks per workload and mode (hyperfine's cap). */
#define AUTO_RUNS_MAX 10000

/* What one step of the order says: go on, stop (a signal, --halt, a failed
 * hook: nothing more runs, no hook either), or an error (-1 runtime, -2 a
 * program not in PATH after --setup). */
enum { STEP_ON = 0, STEP_STOP = 1 };

/* The state of a whole benchmark. */
struct runner {
	struct report *r;
	struct sched *s;
	struct suite *suite;
	const struct options *o;
	struct entry_opt *entries;/* the mode entries of every workload, in order */
	int nentries;
	char **labels;            /* per entry: its report_entry_label ("parallel/j2") */
	struct plan *plans;       /* [workload * nentries + entry] */
	const cpu_set_t *hook_mask; /* the serial PU: where hooks run */
	int *target;              /* measured runs per entry of the current workload */
	double *cost_s;           /* per entry: the last run's seconds, hooks included */
};

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

/* The report's workloads and mode entries, and the plans the scheduler
 * needs. Room for o->runs measured runs per entry; --runs auto makes more. */
static int build(struct runner *rn, const struct topo *t)
{
	struct report *r = rn->r;
	const struct suite *suite = rn->suite;
	const struct options *o = rn->o;
	r->workloads = xcalloc((size_t)suite->nworkloads, sizeof(*r->workloads));
	for (int i = 0; i < suite->nworkloads; i++) {
		const struct workload *w = &suite->workloads[i];
		struct report_workload *rw = &r->workloads[r->nworkloads++];
		rw->name = xstrdup(w->name);
		spec_groups(rw, w);
		rw->parameters = parameters_json(&o->params, w->combination);
		rw->modes = xcalloc((size_t)rn->nentries, sizeof(*rw->modes));
		for (int m = 0; m < rn->nentries; m++) {
			struct plan *p = &rn->plans[i * rn->nentries + m];
			struct plan_opts po = cli_entry_plan(o, &rn->entries[m]);
			if (plan_build(t, rn->entries[m].mode, &po, w->ntasks, p) < 0)
				return -1;
			struct report_mode *rm = &rw->modes[rw->nmodes++];
			rm->mode = xstrdup(mode_name(rn->entries[m].mode));
			rm->jobs = rn->entries[m].mode == MODE_PARALLEL ? p->nslots : 1;
			rm->executor = xstrdup(executor_name(rn->entries[m].executor));
			rm->plan = json_plan_text(p);
			rm->nslots = p->nslots;
			/* tribench-mpi: parallel processes span every rank's slots
			 * (threads and coroutines stay on rank 0) */
			if (rn->entries[m].mode == MODE_PARALLEL && rn->entries[m].executor == EXEC_PROCESS &&
			    rn->s->cluster) {
				int more = rn->s->cluster->remote_slots(rn->s->cluster, rn->entries[m].jobs);
				rm->jobs += more;
				rm->nslots += more;
			}
			rm->runs = xcalloc((size_t)o->runs, sizeof(struct report_run));
			rm->warmup_runs = xcalloc((size_t)o->warmup + 1, sizeof(struct report_run));
		}
	}
	return 0;
}

/* "exit code 3" or "killed by SIGKILL": how a hook ended, for its line. */
static char *ended(const struct report_exit *e)
{
	if (!strcmp(e->status, "exited"))
		return xasprintf("exit code %d", (int)e->code);
	return xasprintf("killed by %s", e->signal_name);
}

/* hook()'s run of cmd, the line of hook h for workload i. */
static int hook_step(struct runner *rn, enum hook h, int i, int m, int run, const char *cmd)
{
	struct report_workload *rw = &rn->r->workloads[i];
	const char *mode = m >= 0 ? rw->modes[m].mode : NULL;
	struct hook_where where = {rw->name, mode, run, m >= 0 ? rw->modes[m].jobs : 0};
	struct report_exit e;
	memset(&e, 0, sizeof(e));
	enum hook_result res = hook_run(rn->s, cmd, rn->hook_mask, &where, &e);
	if (res == HOOK_OK)
		return STEP_ON;
	if (res == HOOK_ERROR)
		return -1;
	if (res == HOOK_STOPPED)
		return STEP_STOP;
	char *quoted = shell_quote(cmd), *how = ended(&e), *at;
	if (!mode)
		at = xasprintf("%s the runs of %s", h == HOOK_SETUP ? "before" : "after", rw->name);
	else
		at = xasprintf("%s %s%d of %s/%s", h == HOOK_PREPARE ? "before" : "after",
			       run ? "run " : "warmup run ", run ? run : rw->modes[m].nwarmup + 1 -
			       (h == HOOK_CONCLUDE), rw->name, rn->labels[m]);
	error("--%s %s failed (%s) %s", hook_name(h), quoted, how, at);
	cJSON *o = jnew_object();
	jadd(o, "hook", jstr(hook_name(h)));
	jadd(o, "command", jstr(cmd));
	jadd(o, "workload", jstr(rw->name));
	jadd(o, "mode", mode ? jstr(mode) : jnull());
	jadd(o, "jobs", mode ? jint(rw->modes[m].jobs) : jnull());
	jadd(o, "executor", mode ? jstr(rw->modes[m].executor) : jnull());
	jadd(o, "run", mode ? jint(run) : jnull());
	cJSON *x = jadd(o, "exit", jnew_object());
	fields_write(x, &exit_table, &e);
	rn->r->hook_failure = json_text(o, false);
	cJSON_Delete(o);
	free(e.status);
	free(e.signal_name);
	free(e.error);
	free(quoted);
	free(how);
	free(at);
	return STEP_STOP;
}

/*
 * Run hook h of workload i (mode m and run `run` for --prepare/--conclude, m
 * -1 for --setup/--cleanup). A failure is said in one line naming the hook
 * and where, and kept as the report's hook_failure; it, a stop signal or an
 * error ends the benchmark. The line is suite_hook's: {NAME} replaced by
 * the workload's parameter values.
 */
static int hook(struct runner *rn, enum hook h, int i, int m, int run)
{
	char *cmd = suite_hook(rn->o, rn->suite, h, i);
	if (!cmd)
		return STEP_ON;
	int step = hook_step(rn, h, i, m, run, cmd);
	free(cmd);
	return step;
}

/*
 * One run of workload i in mode m between its --prepare and --conclude: a
 * warmup (run 0) into warmup_runs, else measured run `run` into runs. Every
 * run is kept; one cut short by a signal or --halt is marked partial and
 * nothing runs after it. rn->cost_s[m] gets its seconds, hooks included.
 */
static int one_run(struct runner *rn, int i, int m, int run)
{
	struct report *r = rn->r;
	struct sched *s = rn->s;
	const struct workload *w = &rn->suite->workloads[i];
	struct report_mode *rm = &r->workloads[i].modes[m];
	double t0 = now_s();
	int step = hook(rn, HOOK_PREPARE, i, m, run);
	if (step != STEP_ON)
		return step;
	struct run_label label = {w->name, rn->labels[m], run, rn->target[m], i, rn->entries[m].jobs};
	struct task_collector collect;
	if (spool_run_begin(r->spool) < 0)
		return -1;
	collector_init(&collect, w->ntasks, r->spool, rn->o->detail, r->fixes);
	collect.sample_tasks = rn->o->sample_tasks;
	collect.rank = s->rank;
	struct run_record rec = {.collect = &collect};
	int rc = sched_run(s, &rn->plans[i * rn->nentries + m], w, rn->entries[m].executor, &label, &rec);
	bool cut = s->signal || s->halted || s->watchdog_died;
	struct report_run *out = run ? &rm->runs[rm->nruns++] : &rm->warmup_runs[rm->nwarmup++];
	rm->schedstat_unread += collect.schedstat_unread;
	rm->unsampled += collect.unsampled;
	rm->unsampled_runs += collect.unsampled > 0;
	if (record_to_report(&rec, &collect, out, cut) < 0) {
		/* the spool failed: a runtime error, said once; the run lost
		 * its records, so it is no whole run */
		rc = -1;
		out->partial = true;
		out->in_summary = false;
		report_add_warning(r, xasprintf("%s/%s: the task spool could not be written, so "
						"this run's tasks and task_stats are null and it is "
						"marked partial", w->name, rn->labels[m]));
	}
	if (!run)	/* a warmup is never in a statistic */
		out->in_summary = false;
	run_record_free(&rec);
	collector_free(&collect);
	if (rc < 0)
		return -1;
	if (cut)
		return STEP_STOP;
	step = hook(rn, HOOK_CONCLUDE, i, m, run);
	rn->cost_s[m] = now_s() - t0;
	return step;
}

/* --runs auto, hyperfine's rule: as many runs of mode m as fit in
 * --max-time at the wall of the run just made, at least o->runs (5), at
 * most AUTO_RUNS_MAX. The runs array and the progress total follow. */
static void auto_target(struct runner *rn, int i, int m, double wall_s)
{
	double n = wall_s > 0 ? floor(rn->o->max_time_s / wall_s) : AUTO_RUNS_MAX;
	int target = n < rn->o->runs ? rn->o->runs : n > AUTO_RUNS_MAX ? AUTO_RUNS_MAX : (int)n;
	struct report_mode *rm = &rn->r->workloads[i].modes[m];
	rm->runs = xrealloc(rm->runs, (size_t)target * sizeof(*rm->runs));
	memset(rm->runs + rm->nruns, 0, (size_t)(target - rm->nruns) * sizeof(*rm->runs));
	if (rn->s->progress)
		rn->s->progress->total += (long)rn->suite->workloads[i].ntasks * (target - rn->target[m]);
	rn->target[m] = target;
}

/* The ETA line (not under -q): how long workload i's measured runs still
 * to make should take at each mode's last run's seconds, hooks included;
 * an estimate by a clock, labelled so. */
static void eta_line(struct runner *rn, int i, const char *what)
{
	if (rn->o->quiet)
		return;
	const struct report_workload *rw = &rn->r->workloads[i];
	int left = 0;
	double secs = 0;
	for (int m = 0; m < rw->nmodes; m++) {
		left += rn->target[m] - rw->modes[m].nruns;
		secs += (rn->target[m] - rw->modes[m].nruns) * rn->cost_s[m];
	}
	if (left <= 0)
		return;
	time_t done = time(NULL) + (time_t)ceil(secs);
	struct tm tm;
	char clock[16];
	localtime_r(&done, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	if (rn->s->progress)
		progress_clear(rn->s->progress);
	/* error() prints the one sanitised "tribench: " line; nothing failed */
	error("%s: %s; %d%s measured run%s, about %.1f s (done ~%s)", rw->name, what, left,
	      *what == 'f' ? " more" : "", left == 1 ? "" : "s", secs, clock);
}

/* After --setup: each argv command's program is looked up through PATH
 * again (the setup may have installed or replaced it), then checked. */
static int programs_after_setup(struct workload *w)
{
	const struct task_kind *cmd = task_kind_find("cmd");
	for (int g = 0; g < w->ngroups; g++) {
		struct task_spec *spec = &w->groups[g].spec;
		if (spec->kind != cmd)
			continue;
		free(spec->path);
		spec->path = NULL;
		spec->kind->prepare(spec, NULL);
	}
	return suite_check_programs(w);
}

/*
 * Workload i from its --setup to its --cleanup: then the PATH check of its
 * argv commands when a --setup may have installed them; its warmups, each
 * mode once per warmup round; its measured rounds, each mode once per
 * round until it has its runs (--runs auto: modes may need different
 * counts; a round skips a mode that has all of its).
 */
static int workload(struct runner *rn, int i)
{
	const struct options *o = rn->o;
	int nmodes = rn->r->workloads[i].nmodes;
	int step = hook(rn, HOOK_SETUP, i, -1, 0);
	if (step != STEP_ON)
		return step;
	if (o->hooks[HOOK_SETUP].n && programs_after_setup(&rn->suite->workloads[i]) < 0)
		return -2;
	for (int m = 0; m < nmodes; m++)
		rn->target[m] = o->runs;
	for (int k = 0; k < o->warmup; k++)
		for (int j = 0; j < nmodes; j++) {
			int m = (j + k) % nmodes;
			if ((step = one_run(rn, i, m, 0)) != STEP_ON)
				return step;
			if (o->runs_auto && k == o->warmup - 1)
				auto_target(rn, i, m, rn->r->workloads[i].modes[m].warmup_runs[k].wall_s);
		}
	if (o->warmup > 0)
		eta_line(rn, i, "warmup done");
	for (int k = 0, more = 1; more; k++) {
		more = 0;
		for (int j = 0; j < nmodes; j++) {
			int m = (j + k) % nmodes;
			struct report_mode *rm = &rn->r->workloads[i].modes[m];
			if (rm->nruns >= rn->target[m])
				continue;
			if ((step = one_run(rn, i, m, rm->nruns + 1)) != STEP_ON)
				return step;
			if (o->runs_auto && o->warmup == 0 && rm->nruns == 1)
				auto_target(rn, i, m, rm->runs[0].wall_s);
			more |= rm->nruns < rn->target[m];
		}
		if (k == 0 && o->warmup == 0)
			eta_line(rn, i, "first round done");
	}
	return hook(rn, HOOK_CLEANUP, i, -1, 0);
}

int runner_run(struct report *r, struct sched *s, const struct topo *t, struct suite *suite,
	       const struct options *o)
{
	r->fixes = xcalloc(1, sizeof(*r->fixes));
	struct plan serial = {0};
	struct runner rn = {.r = r, .s = s, .suite = suite, .o = o};
	rn.entries = cli_entries(o, &rn.nentries);
	rn.plans = xcalloc((size_t)suite->nworkloads * rn.nentries, sizeof(*rn.plans));
	rn.target = xcalloc((size_t)rn.nentries, sizeof(int));
	rn.cost_s = xcalloc((size_t)rn.nentries, sizeof(double));
	int rc = build(&rn, t);
	rn.labels = xcalloc((size_t)rn.nentries, sizeof(char *));
	for (int m = 0; rc == 0 && m < rn.nentries; m++)
		rn.labels[m] = report_entry_label(r, NULL, &r->workloads[0].modes[m]);
	if (rc == 0 && (rc = plan_build(t, MODE_SERIAL, &o->plan, 1, &serial)) == 0 && s->bind)
		rn.hook_mask = &serial.slots[0].mask;
	for (int i = 0; rc == 0 && !s->signal && !s->halted && i < suite->nworkloads; i++)
		if ((rc = workload(&rn, i)) == STEP_STOP)
			break;
	r->interrupted = s->signal != 0 || s->watchdog_died || r->hook_failure || rc == -2;
	plan_free(&serial);
	for (int i = 0; i < suite->nworkloads * rn.nentries; i++)
		plan_free(&rn.plans[i]);
	free(rn.plans);
	free(rn.entries);
	for (int m = 0; rn.labels && m < rn.nentries; m++)
		free(rn.labels[m]);
	free(rn.labels);
	free(rn.target);
	free(rn.cost_s);
	return rc == STEP_STOP ? 0 : rc;
}
