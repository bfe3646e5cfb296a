/* The parts of a report that come from the run rather than from its records:
 * tool, host, config, calibration, plans and task params, each as JSON text
 * for the report model; and the `plan` and `topology` commands' JSON. */
#include "config.h"
#include "json/json.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "gitcommit.h"
#include "json/fields.h"
#include "json/jsonutil.h"

static char *text_of(cJSON *o)
{
	char *text = json_text(o, false);
	cJSON_Delete(o);
	return text;
}

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
		char cpuset[8192];
		cpulist_format(s->pus.v, s->pus.n, cpuset, sizeof(cpuset));
		jadd(so, "slot", jint(i));
		jadd(so, "cpuset", jstr(cpuset));
		jadd(so, "pus", int_array(s->pus.v, s->pus.n));
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
		jadd(m, "jobs", jint(plans[i].mode == MODE_PARALLEL ? plans[i].nslots : 1));
		jadd(m, "plan", plan(&plans[i]));
	}
	return jprint(root);
}

char *json_plan_text(const struct plan *p)
{
	return text_of(plan(p));
}

char *json_params_text(const struct task_spec *s)
{
	cJSON *o = jnew_object();
	for (int i = 0; i < s->kind->nparams; i++) {
		if (!spec_has(s, i))
			continue;
		const struct task_param *p = &s->kind->params[i];
		jadd(o, p->name, p->type == PARAM_U64 ? jint((long long)s->num[i]) : jraw(s->str[i]));
	}
	if (s->argv) {
		cJSON *argv = jadd(o, "argv", jnew_array());
		for (int i = 0; s->argv[i]; i++)
			jadd(argv, NULL, jraw(s->argv[i]));
		jadd(o, "path", jraw(s->path));
	}
	return text_of(o);
}

char *json_tool_text(void)
{
	cJSON *tool = jnew_object();
	jadd(tool, "name", jraw(PACKAGE_NAME));
	jadd(tool, "version", jraw(PACKAGE_VERSION));
	jadd(tool, "commit", jraw(TRIBENCH_GIT_COMMIT[0] ? TRIBENCH_GIT_COMMIT : NULL));
	return text_of(tool);
}

char *json_host_text(const struct host_facts *h, const struct topo_info *ti, const struct options *opt,
		     const struct containment *c)
{
	cJSON *o = jnew_object();
	jadd(o, "hostname", jraw(h->hostname[0] ? h->hostname : NULL));
	jadd(o, "kernel", jraw(h->kernel[0] ? h->kernel : NULL));
	jadd(o, "cpu_model", jraw(h->cpu_model[0] ? h->cpu_model : NULL));
	cJSON *la = jadd(o, "load_avg", jnew_array());
	for (int i = 0; i < 3; i++)
		jadd(la, NULL, jnum(h->load_avg[i]));
	jadd(o, "procs_running", h->procs_running < 0 ? jnull() : jint(h->procs_running));
	jadd(o, "cpu_mhz", h->cpu_mhz < 0 ? jnull() : jnum(h->cpu_mhz));
	jadd(o, "governor", jraw(h->governor[0] ? h->governor : NULL));
	jadd(o, "smt", jraw(h->smt[0] ? h->smt : NULL));
	jadd(o, "boost", h->boost < 0 ? jnull() : jbool(h->boost));
	jadd(o, "aslr", h->aslr < 0 ? jnull() : jint(h->aslr));
	jadd(o, "isolcpus", jraw(h->isolcpus[0] ? h->isolcpus : NULL));
	jadd(o, "nohz_full", jraw(h->nohz_full[0] ? h->nohz_full : NULL));
	jadd(o, "virtualized", h->virtualized < 0 ? jnull() : jbool(h->virtualized));
	cJSON *meta = jadd(o, "meta", jnew_object());
	for (int i = 0; i < opt->nmeta; i++)
		jadd_raw(meta, opt->meta[i].key, jraw(opt->meta[i].value));
	cJSON *cg = jadd(o, "cgroup", jnew_object());
	jadd(cg, "version", c->where.version ? jint(c->where.version) : jnull());
	jadd(cg, "hybrid", jbool(c->where.hybrid));
	jadd(cg, "mount", jraw(c->where.mount[0] ? c->where.mount : NULL));
	jadd(cg, "self", jraw(c->where.self[0] ? c->where.self : NULL));
	jadd(cg, "run", jraw(c->kind == CONTAIN_CGROUP ? c->run.path : NULL));
	jadd(o, "topology", topology(ti));
	return text_of(o);
}

/* Every option that shapes what the report holds, as the run used it. */
char *json_config_text(const struct options *opt, int jobs, int cpu, const char *loop)
{
	static const char *const halts[] = {"never", "soon", "now"};
	cJSON *o = jnew_object();
	cJSON *modes = jadd(o, "modes", jnew_array());
	for (int m = 0; m < opt->nmodes; m++)
		jadd(modes, NULL, jstr(mode_name(opt->modes[m])));
	jadd(o, "runs", jint(opt->runs));
	jadd(o, "max_time_s", opt->runs_auto ? jnum(opt->max_time_s) : jnull());
	jadd(o, "warmup", jint(opt->warmup));
	jadd(o, "jobs", jint(jobs));
	cJSON *sweep = jadd(o, "jobs_sweep", jnew_array());
	for (int i = 0; i < (opt->jobs_sweep.n ? opt->jobs_sweep.n : 1); i++)
		jadd(sweep, NULL, jint(opt->jobs_sweep.n ? opt->jobs_sweep.v[i] : jobs));
	jadd(o, "cpus_per_task", jint(opt->plan.cpus_per_task));
	cJSON *executors = jadd(o, "executors", jnew_array());
	for (int x = 0; x < opt->nexecutors; x++)
		jadd(executors, NULL, jstr(executor_name(opt->executors[x])));
	jadd(o, "loop", jstr(loop));
	char *policy = policy_describe(&opt->plan.policy);
	jadd(o, "policy", jstr(policy));
	free(policy);
	jadd(o, "cpu", jint(cpu));
	jadd(o, "sample_ms", jint(opt->sample_ms));
	jadd(o, "sample_tasks", jbool(opt->sample_tasks));
	const struct sched_opts *so = &opt->sched;
	jadd(o, "timeout_s", so->timeout_s > 0 ? jnum(so->timeout_s) : jnull());
	jadd(o, "grace_s", jnum(so->grace_s));
	jadd(o, "halt", jstr(halts[so->halt]));
	jadd(o, "halt_fail", so->halt == HALT_NEVER ? jnull() : jint(so->halt_fail));
	jadd(o, "task_output", jstr(so->output == OUTPUT_INHERIT ? "inherit" : "null"));
	jadd(o, "results", jraw(so->results_dir));
	jadd(o, "format", jstr(opt->format ? opt->format : "json"));
	jadd(o, "containment", jstr(containment_name(so->containment)));
	jadd(o, "max_in_flight", opt->plan.max_in_flight > 0 ? jint(opt->plan.max_in_flight) : jnull());
	jadd(o, "detail", jstr(report_detail_name(opt->detail)));
	return text_of(o);
}

char *json_calibration_text(const struct calibration *cal)
{
	cJSON *o = jnew_object();
	if (!cal) {
		jadd(o, "cpu", jnull());
		return text_of(o);
	}
	cJSON *c = jadd(o, "cpu", jnew_object());
	jadd(c, "ops_per_ms", jnum(cal->ops_per_ms));
	jadd(c, "pu", jint(cal->pu));
	cJSON *runs = jadd(c, "runs_ops_per_ms", jnew_array());
	for (int i = 0; i < 3; i++)
		jadd(runs, NULL, jnum(cal->runs[i]));
	return text_of(o);
}
