/* The JSON report, schema version 1 (docs/schema.json). */
#include "config.h"
#include "json/json.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "gitcommit.h"
#include "json/jsonutil.h"

static cJSON *int_array(const int *v, int n)
{
	cJSON *a = jnew_array();
	for (int i = 0; i < n; i++)
		jadd(a, NULL, jint(v[i]));
	return a;
}

static cJSON *topology(const struct topo_info *ti)
{
	cJSON *o = jnew_object();
	jadd(o, "packages", jint(ti->packages));
	jadd(o, "numa_nodes", jint(ti->numa_nodes));
	jadd(o, "cores", jint(ti->cores));
	jadd(o, "pus", jint(ti->pus));
	jadd(o, "usable_pus", int_array(ti->usable.v, ti->usable.n));
	jadd(o, "usable_cores", jint(ti->usable_cores));
	jadd(o, "synthetic", jstr(ti->synthetic));
	jadd(o, "is_this_system", jbool(ti->is_this_system));
	jadd(o, "binding", jstr(ti->is_this_system ? "real" : "simulated"));
	return o;
}

static cJSON *plan(const struct plan *p)
{
	cJSON *o = jnew_object();
	jadd(o, "max_in_flight", p->max_in_flight < 0 ? jnull() : jint(p->max_in_flight));
	jadd(o, "oversubscribed", jbool(p->oversubscribed));
	cJSON *slots = jadd(o, "slots", jnew_array());
	for (int i = 0; i < p->nslots; i++) {
		const struct plan_slot *s = &p->slots[i];
		cJSON *so = jadd(slots, NULL, jnew_object());
		char cpuset[16];
		snprintf(cpuset, sizeof(cpuset), "%d", s->pu);
		jadd(so, "slot", jint(i));
		jadd(so, "cpuset", jstr(cpuset));
		jadd(so, "pu", jint(s->pu));
		jadd(so, "core", jint(s->core));
		jadd(so, "package", s->package < 0 ? jnull() : jint(s->package));
	}
	return o;
}

char *json_topology(const struct topo_info *ti)
{
	return jprint(topology(ti));
}

char *json_plans(const struct topo_info *ti, const struct plan *plans, int nplans)
{
	cJSON *root = jnew_object();
	jadd(root, "topology", topology(ti));
	cJSON *modes = jadd(root, "modes", jnew_array());
	for (int i = 0; i < nplans; i++) {
		cJSON *m = jadd(modes, NULL, jnew_object());
		jadd(m, "mode", jstr(mode_name(plans[i].mode)));
		jadd(m, "plan", plan(&plans[i]));
	}
	return jprint(root);
}

static cJSON *params(const struct task_spec *s)
{
	cJSON *o = jnew_object();
	for (int i = 0; i < s->kind->nparams; i++) {
		if (!spec_has(s, i))
			continue;
		const struct task_param *p = &s->kind->params[i];
		jadd(o, p->name, p->type == PARAM_U64 ? jint((long long)s->num[i]) : jstr(s->str[i]));
	}
	if (s->argv) {
		cJSON *argv = jadd(o, "argv", jnew_array());
		for (int i = 0; s->argv[i]; i++)
			jadd(argv, NULL, jstr(s->argv[i]));
		jadd(o, "path", jstr(s->path));
	}
	return o;
}

static cJSON *task_exit(const struct task_exit *e)
{
	static const char *const names[] = {"exited", "signaled", "not_started"};
	cJSON *o = jnew_object();
	bool exited = e->status == EXIT_STATUS_EXITED, signaled = e->status == EXIT_STATUS_SIGNALED;
	char signame[32] = "";
	if (signaled) {
		const char *abbrev = sigabbrev_np(e->signal);
		snprintf(signame, sizeof(signame), "SIG%s", abbrev ? abbrev : "UNKNOWN");
	}
	jadd(o, "status", jstr(names[e->status]));
	jadd(o, "code", exited ? jint(e->code) : jnull());
	jadd(o, "signal", signaled ? jint(e->signal) : jnull());
	jadd(o, "signal_name", signaled ? jstr(signame) : jnull());
	jadd(o, "exitcode", exited ? jint(e->code) : signaled ? jint(-e->signal) : jnull());
	jadd(o, "timed_out", jbool(e->timed_out));
	jadd(o, "error", jstr(e->error));
	return o;
}

static cJSON *task(const struct task_record *t)
{
	bool started = t->exit.status != EXIT_STATUS_NOT_STARTED;
	cJSON *o = jnew_object();
	jadd(o, "id", jint(t->id));
	jadd(o, "pid", started ? jint(t->pid) : jnull());
	char cpuset[16];
	snprintf(cpuset, sizeof(cpuset), "%d", t->pu);
	jadd(o, "slot", started ? jint(t->slot) : jnull());
	jadd(o, "cpuset", started ? jstr(cpuset) : jnull());
	jadd(o, "cpus_allowed", started && t->cpus_allowed[0] ? jstr(t->cpus_allowed) : jnull());
	jadd(o, "cpus_seen", int_array(t->cpus_seen.v, t->cpus_seen.n));
	double nan = NAN;
	jadd(o, "start_s", jnum(started ? t->start_s : nan));
	jadd(o, "end_s", jnum(started ? t->end_s : nan));
	jadd(o, "wall_s", jnum(started ? t->wall_s : nan));
	jadd(o, "user_s", jnum(started ? t->user_s : nan));
	jadd(o, "sys_s", jnum(started ? t->sys_s : nan));
	jadd(o, "running_s", jnum(started ? t->running_s : nan));
	jadd(o, "ready_s", jnum(started && t->have_schedstat ? t->ready_s : nan));
	jadd(o, "blocked_s", jnum(started && t->have_schedstat ? t->blocked_s : nan));
	jadd(o, "states_source", started ? jstr(t->have_schedstat ? "schedstat" : "rusage") : jnull());
	jadd(o, "voluntary_switches", started ? jint(t->voluntary_switches) : jnull());
	jadd(o, "involuntary_switches", started ? jint(t->involuntary_switches) : jnull());
	jadd(o, "max_rss_kb", started ? jint(t->max_rss_kb) : jnull());
	jadd(o, "exit", task_exit(&t->exit));
	return o;
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

static cJSON *run(const struct run_record *r, const struct intlist *cpus)
{
	cJSON *o = jnew_object();
	jadd(o, "wall_s", jnum(r->wall_s));
	jadd(o, "user_s", jnum(r->user_s));
	jadd(o, "sys_s", jnum(r->sys_s));
	jadd(o, "runner_cpu_s", jnum(r->runner_cpu_s));
	jadd(o, "rss_floor_kb", r->rss_floor_kb < 0 ? jnull() : jint(r->rss_floor_kb));
	cJSON *ca = jadd(o, "cpus", jnew_array());
	for (int i = 0; i < r->ncpus; i++) {
		cJSON *c = jadd(ca, NULL, jnew_object());
		jadd(c, "cpu", jint(r->cpus[i].cpu));
		jadd(c, "busy", jnum(r->cpus[i].busy));
		jadd(c, "task_busy", jnum(r->cpus[i].task_busy));
	}
	const struct sample_series *s = &r->samples;
	cJSON *so = jadd(o, "samples", jnew_object());
	jadd(so, "period_s", jnum(s->period_s));
	jadd(so, "cpus", int_array(cpus->v, cpus->n));
	cJSON *t = jadd(so, "t", jnew_array());
	for (int i = 0; i < s->n; i++)
		jadd(t, NULL, jnum(s->t[i]));
	jadd(so, "busy", matrix(s->busy, s->n, s->ncpus));
	jadd(so, "task_busy", matrix(s->task_busy, s->n, s->ncpus));
	cJSON *tasks = jadd(o, "tasks", jnew_array());
	for (int i = 0; i < r->ntasks; i++)
		jadd(tasks, NULL, task(&r->tasks[i]));
	return o;
}

static cJSON *mode_result(const struct mode_result *mr, enum mode m, const struct intlist *cpus)
{
	cJSON *o = jnew_object();
	jadd(o, "mode", jstr(mode_name(m)));
	jadd(o, "plan", plan(&mr->plan));
	cJSON *runs = jadd(o, "runs", jnew_array());
	for (int k = 0; k < mr->nruns; k++)
		jadd(runs, NULL, run(&mr->runs[k], cpus));
	cJSON *sum = jadd(o, "summary", jnew_object());
	cJSON *w = jadd(sum, "wall_s", jnew_object());
	jadd(w, "mean", jnum(mr->wall.mean));
	jadd(w, "median", jnum(mr->wall.median));
	jadd(w, "stddev", jnum(mr->wall.stddev));
	jadd(w, "min", jnum(mr->wall.min));
	jadd(w, "max", jnum(mr->wall.max));
	jadd(w, "mad", jnum(mr->wall.mad));
	jadd(w, "n", jint(mr->wall.n));
	jadd(sum, "speedup", jnum(mr->speedup));
	jadd(sum, "efficiency", jnum(mr->efficiency));
	jadd(sum, "serial_fraction", jnum(mr->serial_fraction));
	return o;
}

static cJSON *host(const struct results *r)
{
	cJSON *o = jnew_object();
	jadd(o, "hostname", jstr(r->host.hostname));
	jadd(o, "kernel", jstr(r->host.kernel));
	jadd(o, "cpu_model", jstr(r->host.cpu_model[0] ? r->host.cpu_model : NULL));
	cJSON *la = jadd(o, "load_avg", jnew_array());
	for (int i = 0; i < 3; i++)
		jadd(la, NULL, jnum(r->host.load_avg[i]));
	jadd(o, "procs_running", r->host.procs_running < 0 ? jnull() : jint(r->host.procs_running));
	const struct host_facts *h = &r->host;
	jadd(o, "cpu_mhz", h->cpu_mhz < 0 ? jnull() : jnum(h->cpu_mhz));
	jadd(o, "governor", jstr(h->governor[0] ? h->governor : NULL));
	jadd(o, "smt", jstr(h->smt[0] ? h->smt : NULL));
	jadd(o, "boost", h->boost < 0 ? jnull() : jbool(h->boost));
	jadd(o, "aslr", h->aslr < 0 ? jnull() : jint(h->aslr));
	jadd(o, "isolcpus", jstr(h->isolcpus[0] ? h->isolcpus : NULL));
	jadd(o, "nohz_full", jstr(h->nohz_full[0] ? h->nohz_full : NULL));
	jadd(o, "virtualized", h->virtualized < 0 ? jnull() : jbool(h->virtualized));
	cJSON *meta = jadd(o, "meta", jnew_object());
	for (int i = 0; i < r->opts->nmeta; i++)
		jadd(meta, r->opts->meta[i].key, jstr(r->opts->meta[i].value));
	jadd(o, "topology", topology(r->topo));
	return o;
}

static cJSON *config(const struct results *r)
{
	const struct options *opt = r->opts;
	cJSON *o = jnew_object();
	cJSON *modes = jadd(o, "modes", jnew_array());
	for (int m = 0; m < opt->nmodes; m++)
		jadd(modes, NULL, jstr(mode_name(opt->modes[m])));
	jadd(o, "runs", jint(opt->runs));
	jadd(o, "warmup", jint(opt->warmup));
	jadd(o, "jobs", jint(r->jobs));
	char *policy = policy_describe(&opt->plan.policy);
	jadd(o, "policy", jstr(policy));
	free(policy);
	jadd(o, "cpu", jint(r->cpu));
	jadd(o, "sample_ms", jint(opt->sample_ms));
	return o;
}

static cJSON *calibration(const struct results *r)
{
	cJSON *o = jnew_object();
	if (!r->calibrated) {
		jadd(o, "cpu", jnull());
		return o;
	}
	cJSON *c = jadd(o, "cpu", jnew_object());
	jadd(c, "ops_per_ms", jnum(r->cal.ops_per_ms));
	jadd(c, "pu", jint(r->cal.pu));
	cJSON *runs = jadd(c, "runs_ops_per_ms", jnew_array());
	for (int i = 0; i < 3; i++)
		jadd(runs, NULL, jnum(r->cal.runs[i]));
	return o;
}

char *json_report(const struct results *r)
{
	cJSON *root = jnew_object();
	jadd(root, "schema_version", jint(1));
	cJSON *tool = jadd(root, "tool", jnew_object());
	jadd(tool, "name", jstr(PACKAGE_NAME));
	jadd(tool, "version", jstr(PACKAGE_VERSION));
	jadd(tool, "commit", jstr(TRIBENCH_GIT_COMMIT[0] ? TRIBENCH_GIT_COMMIT : NULL));
	jadd(root, "started_at", jstr(r->started_at));
	jadd(root, "interrupted", jbool(r->interrupted));
	cJSON *warnings = jadd(root, "warnings", jnew_array());
	for (int i = 0; i < r->nwarnings; i++)
		jadd(warnings, NULL, jstr(r->warnings[i]));
	jadd(root, "host", host(r));
	jadd(root, "config", config(r));
	jadd(root, "calibration", calibration(r));
	cJSON *wls = jadd(root, "workloads", jnew_array());
	for (int i = 0; i < r->nworkloads; i++) {
		const struct workload_result *wr = &r->workloads[i];
		cJSON *w = jadd(wls, NULL, jnew_object());
		jadd(w, "name", jstr(wr->w->name));
		cJSON *tasks = jadd(w, "tasks", jnew_array());
		for (int t = 0; t < wr->w->ntasks; t++) {
			cJSON *to = jadd(tasks, NULL, jnew_object());
			jadd(to, "id", jint(t));
			jadd(to, "kind", jstr(wr->w->tasks[t].kind->name));
			jadd(to, "params", params(&wr->w->tasks[t]));
		}
		cJSON *modes = jadd(w, "modes", jnew_array());
		for (int m = 0; m < r->opts->nmodes; m++)
			jadd(modes, NULL, mode_result(&wr->modes[m], r->opts->modes[m], &r->topo->usable));
	}
	return jprint(root);
}
