/* `tribench compare --format json`: the pairs, the verdict and the warnings. */
#include "config.h"
#include "json/report_json.h"

#include <math.h>
#include <stdlib.h>

#include "json/jsonutil.h"

static cJSON *side(const struct compare_side *s)
{
	cJSON *o = jnew_object();
	jadd(o, "runs", jint(s->runs));
	jadd(o, "median_s", jnum(s->median_s));
	jadd(o, "speedup_vs_serial", jnum(s->speedup_vs_serial));
	jadd(o, "failed_runs", jint(s->failed_runs));
	jadd(o, "failed_tasks", jint(s->failed_tasks));
	return o;
}

static cJSON *pair(const struct compare_pair *p)
{
	cJSON *o = jnew_object();
	jadd(o, "workload", jstr(p->workload));
	/* the entry: its key, and its name as the text output and the
	 * regressions list give it ("workload/parallel/j2") */
	char *name = xasprintf("%s/%s", p->workload, p->mode);
	jadd(o, "name", jstr(name));
	free(name);
	jadd(o, "mode", jstr(p->entry->mode));
	jadd(o, "jobs", jint(p->entry->jobs));
	jadd(o, "executor", jstr(p->entry->executor));
	jadd(o, "old", side(&p->old));
	jadd(o, "new", side(&p->new));
	jadd(o, "change_pct", jnum(p->change_pct));
	jadd(o, "speedup", jnum(p->speedup));
	jadd(o, "u", jnum(p->test.u));
	jadd(o, "p_value", jnum(p->test.p));
	jadd(o, "method", isnan(p->test.p) ? jnull() : jstr(p->test.exact ? "exact" : "asymptotic"));
	jadd(o, "new_failures", jbool(p->new_failures));
	jadd(o, "verdict", jstr(verdict_name(p->verdict)));
	return o;
}

/* The names "workload/mode[/jN][/executor]" of the pairs with verdict v. */
static cJSON *names(const struct comparison *c, enum verdict v)
{
	cJSON *a = jnew_array();
	for (int i = 0; i < c->npairs; i++)
		if (c->pairs[i].verdict == v) {
			char *name = xasprintf("%s/%s", c->pairs[i].workload, c->pairs[i].mode);
			jadd(a, NULL, jstr(name));
			free(name);
		}
	return a;
}

/* The whole comparison, so a CI script needs no text parsing: verdict, names
 * of the regressed pairs, and the warnings stderr also carried. */
char *compare_json(const struct comparison *c)
{
	cJSON *root = jnew_object();
	jadd(root, "old", jstr(c->old_source));
	jadd(root, "new", jstr(c->new_source));
	jadd(root, "test", jstr("mann-whitney-u two-sided"));
	jadd(root, "threshold_pct", jnum(c->threshold_pct));
	jadd(root, "alpha", jnum(c->alpha));
	cJSON *pairs = jadd(root, "pairs", jnew_array());
	for (int i = 0; i < c->npairs; i++)
		jadd(pairs, NULL, pair(&c->pairs[i]));
	jadd(root, "regressions", names(c, VERDICT_REGRESSION));
	jadd(root, "improvements", names(c, VERDICT_IMPROVEMENT));
	cJSON *warnings = jadd(root, "warnings", jnew_array());
	for (int i = 0; i < c->nwarnings; i++)
		jadd(warnings, NULL, jstr(c->warnings[i]));
	jadd(root, "verdict", jstr(c->nregressions ? "regression" : "ok"));
	return jprint(root);
}
