/* Comparing two reports: pairing, the significance test, the verdict, and the
 * warnings that say the two reports did not measure the same thing. */
#include "config.h"
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

const char *verdict_name(enum verdict v)
{
	static const char *const names[] = {"unchanged", "regression", "improvement"};
	return names[v];
}

enum verdict compare_verdict(double change_pct, double p, double threshold_pct, double alpha)
{
	if (!(p < alpha))
		return VERDICT_UNCHANGED;
	if (change_pct > threshold_pct)
		return VERDICT_REGRESSION;
	if (change_pct < -threshold_pct)
		return VERDICT_IMPROVEMENT;
	return VERDICT_UNCHANGED;
}

static void add_warning(struct comparison *c, char *line)
{
	c->warnings = xrealloc(c->warnings, (size_t)(c->nwarnings + 1) * sizeof(*c->warnings));
	c->warnings[c->nwarnings++] = line;
}

/* One line per workload whose tasks differ: a comparison of different work is
 * not a regression. cpu tasks given as ms= get their ops from a per-run
 * calibration, so they differ between machines and runs: say so. */
static void warn_tasks(struct comparison *c, const struct report_workload *a,
		       const struct report_workload *b)
{
	if (a->ntasks != b->ntasks) {
		add_warning(c, xasprintf("workload '%s' has %d tasks in '%s' but %d in '%s'", a->name,
					 a->ntasks, c->old_source, b->ntasks, c->new_source));
		return;
	}
	int ndiff = 0;
	int first_id = 0;
	const struct report_task_spec *first_a = NULL, *first_b = NULL;
	for (int i = 0; i < a->ntasks; i++) {
		const struct report_task_spec *ta = report_task_spec_find(a, i), *tb = report_task_spec_find(b, i);
		if (!ta || !tb || (!strcmp(ta->kind, tb->kind) && !strcmp(ta->params, tb->params)))
			continue;
		if (!ndiff++) {
			first_id = i;
			first_a = ta;
			first_b = tb;
		}
	}
	if (!ndiff)
		return;
	if (!strcmp(first_a->kind, "cpu") && !strcmp(first_b->kind, "cpu") &&
	    first_a->ops != first_b->ops && !isnan(first_a->ops) && !isnan(first_b->ops))
		add_warning(c, xasprintf("workload '%s': cpu ops differ in %d of %d tasks (task %d: %.0f vs "
					 "%.0f ops); give ops= rather than ms= to run the same work",
					 a->name, ndiff, a->ntasks, first_id, first_a->ops, first_b->ops));
	else
		add_warning(c, xasprintf("workload '%s': %d of %d tasks ran different work (task %d: %s %s "
					 "vs %s %s)",
					 a->name, ndiff, a->ntasks, first_id, first_a->kind,
					 first_a->params, first_b->kind, first_b->params));
}

/*
 * w's partner in other: the workload of the same name, else, when each
 * report holds a single workload, that one (a stored baseline named
 * "custom" from before command lines named the -- command still pairs;
 * compare_reports says so in a warning); NULL when there is none.
 */
static const struct report_workload *partner(const struct report *from, const struct report_workload *w,
					      const struct report *other)
{
	const struct report_workload *found = report_workload_find(other, w->name);
	if (!found && from->nworkloads == 1 && other->nworkloads == 1)
		found = &other->workloads[0];
	return found;
}

/* Did the two reports sweep the same parallel sizes, in the same order? */
static bool same_sweep(const struct intlist *a, const struct intlist *b)
{
	if (a->n != b->n)
		return false;
	for (int i = 0; i < a->n; i++)
		if (a->v[i] != b->v[i])
			return false;
	return true;
}

/* config.jobs_sweep as --jobs takes it: "1,2,4". Caller frees. */
static char *sweep_text(const struct intlist *l)
{
	char *text = xstrdup("");
	for (int i = 0; i < l->n; i++) {
		char *more = xasprintf("%s%s%d", text, i ? "," : "", l->v[i]);
		free(text);
		text = more;
	}
	return text;
}

/* The host and the settings that change what a mode measures; then the tasks
 * of every workload both reports ran. */
static void warn_setup(struct comparison *c, const struct report *a, const struct report *b)
{
	if (strcmp(a->hostname, b->hostname))
		add_warning(c, xasprintf("the reports come from different hosts ('%s' and '%s')",
					 a->hostname, b->hostname));
	if (strcmp(a->modes, b->modes))
		add_warning(c, xasprintf("the reports ran different modes ('%s' and '%s')", a->modes,
					 b->modes));
	if (!same_sweep(&a->jobs_sweep, &b->jobs_sweep)) {
		char *sa = sweep_text(&a->jobs_sweep), *sb = sweep_text(&b->jobs_sweep);
		add_warning(c, xasprintf("the reports ran different --jobs (%s and %s)", sa, sb));
		free(sa);
		free(sb);
	}
	if (strcmp(a->policy, b->policy))
		add_warning(c, xasprintf("the reports ran different --policy ('%s' and '%s')", a->policy,
					 b->policy));
	for (int i = 0; i < a->nworkloads; i++) {
		const struct report_workload *wb = partner(a, &a->workloads[i], b);
		if (wb)
			warn_tasks(c, &a->workloads[i], wb);
	}
}

/* The entries of w with m's mode and executor; *only set to the last. */
static int same_mode(const struct report_workload *w, const struct report_mode *m,
		     const struct report_mode **only)
{
	int n = 0;
	for (int k = 0; k < w->nmodes; k++)
		if (!strcmp(w->modes[k].mode, m->mode) && !strcmp(w->modes[k].executor, m->executor)) {
			*only = &w->modes[k];
			n++;
		}
	return n;
}

/*
 * The entry of other paired with m of w: the one with m's key; else, when
 * each side holds a single entry of m's mode and executor (two reports
 * without a sweep whose --jobs differ: another machine's core count), that
 * one, *loose set (the pair is then named in a warning). NULL: none.
 */
static const struct report_mode *partner_entry(const struct report_workload *w, const struct report_mode *m,
					       const struct report_workload *other, bool *loose)
{
	const struct report_mode *found = report_entry_find(other, m), *mine, *theirs;
	*loose = false;
	if (found || same_mode(w, m, &mine) != 1 || same_mode(other, m, &theirs) != 1)
		return found;
	*loose = true;
	return theirs;
}

/* One line naming the workload/mode pairs of `from` that `other` lacks. */
static void warn_unmatched(struct comparison *c, const struct report *from, const struct report *other)
{
	char *list = NULL;
	int n = 0;
	for (int i = 0; i < from->nworkloads; i++) {
		const struct report_workload *w = &from->workloads[i];
		const struct report_workload *ow = partner(from, w, other);
		for (int m = 0; m < w->nmodes; m++) {
			bool loose;
			if (ow && partner_entry(w, &w->modes[m], ow, &loose))
				continue;
			char *label = report_entry_label(from, other, &w->modes[m]);
			char *more = xasprintf("%s%s%s/%s", list ? list : "", n ? ", " : "", w->name, label);
			free(label);
			free(list);
			list = more;
			n++;
		}
	}
	if (n)
		add_warning(c, xasprintf("not compared, only in '%s': %s", from->source, list));
	free(list);
}

/* One line when a side's statistics leave runs out (failed, partial or
 * suspended by a Ctrl-Z: not in_summary), so fewer runs are compared than
 * were measured, and why. */
static void warn_left_out(struct comparison *c, const struct compare_pair *p, const char *source,
			  const struct report_mode *m, int used)
{
	if (used >= m->nruns)
		return;
	static const char *const why_names[] = {"failed", "partial", "suspended"};
	int counts[3] = {0};
	for (int k = 0; k < m->nruns; k++) {
		const struct report_run *r = &m->runs[k];
		if (report_run_usable(r))
			continue;
		if (r->failed || r->partial || r->suspended_s > 0)
			counts[r->failed ? 0 : r->partial ? 1 : 2]++;
	}
	char why[128] = "";
	size_t len = 0;
	for (int i = 0; i < 3; i++)
		if (counts[i] && len < sizeof(why))
			len += (size_t)snprintf(why + len, sizeof(why) - len, "%s%d %s", len ? ", " : "",
						counts[i], why_names[i]);
	add_warning(c, xasprintf("%s/%s: %d of %d runs in '%s' left out (%s): compared over %d",
				 p->workload, p->mode, m->nruns - used, m->nruns, source,
				 why[0] ? why : "not in the summary", used));
}

static void side(struct compare_side *s, const struct report_mode *m, const double *walls, int n)
{
	*s = (struct compare_side){n, stats_median(walls, n), m->summary.speedup,
				   m->summary.failed_runs, m->summary.failed_tasks};
}

/* Test one pair; -1 when its usable runs can never reach significance and
 * no new failure decides it. */
static int test_pair(struct comparison *c, struct compare_pair *p, const struct report_mode *a,
		     const struct report_mode *b)
{
	double *wa = xcalloc((size_t)a->nruns + 1, sizeof(double));
	double *wb = xcalloc((size_t)b->nruns + 1, sizeof(double));
	int na = report_usable_walls(a, wa), nb = report_usable_walls(b, wb), rc = 0;
	side(&p->old, a, wa, na);
	side(&p->new, b, wb, nb);
	warn_left_out(c, p, c->old_source, a, na);
	warn_left_out(c, p, c->new_source, b, nb);
	p->new_failures = p->new.failed_tasks > 0 && p->old.failed_tasks == 0;
	p->change_pct = 100 * (p->new.median_s - p->old.median_s) / p->old.median_s;
	p->speedup = p->old.median_s / p->new.median_s;
	p->test = (struct mw_result){.u = NAN, .p = NAN};
	double min_p = na && nb ? mw_min_p(na, nb) : NAN;
	if (na && nb && min_p < c->alpha) {
		mw_test(wa, na, wb, nb, &p->test);
		p->verdict = compare_verdict(p->change_pct, p->test.p, c->threshold_pct, c->alpha);
	} else if (na && nb && !p->new_failures)
		rc = error("%s/%s: %d vs %d runs can never reach p < %g (the smallest possible p is %.3g): "
			   "measure more runs, e.g. --runs %d in both reports",
			   p->workload, p->mode, na, nb, c->alpha, min_p, mw_runs_needed(c->alpha));
	else
		p->verdict = VERDICT_UNCHANGED;
	if (p->new_failures)
		p->verdict = VERDICT_REGRESSION;
	c->nregressions += p->verdict == VERDICT_REGRESSION;
	c->nimprovements += p->verdict == VERDICT_IMPROVEMENT;
	free(wa);
	free(wb);
	return rc;
}

/* Pairs follow the old report's order; warnings are gathered, not printed, so
 * that an unusable input is one error line and nothing else. */
int compare_reports(const struct report *old, const struct report *new, double threshold_pct,
		    double alpha, struct comparison *out)
{
	memset(out, 0, sizeof(*out));
	out->old_source = old->source;
	out->new_source = new->source;
	out->threshold_pct = threshold_pct;
	out->alpha = alpha;
	int cap = 0;
	for (int i = 0; i < old->nworkloads; i++)
		cap += old->workloads[i].nmodes;
	out->pairs = xcalloc((size_t)cap, sizeof(*out->pairs));
	for (int i = 0; i < old->nworkloads; i++) {
		const struct report_workload *wa = &old->workloads[i];
		const struct report_workload *wb = partner(old, wa, new);
		if (wb && strcmp(wb->name, wa->name))
			add_warning(out, xasprintf("workload '%s' in '%s' and '%s' in '%s' compared as one: "
						   "each report holds a single workload", wa->name,
						   old->source, wb->name, new->source));
		for (int m = 0; wb && m < wa->nmodes; m++) {
			bool loose;
			const struct report_mode *mb = partner_entry(wa, &wa->modes[m], wb, &loose);
			if (!mb)
				continue;
			struct compare_pair *p = &out->pairs[out->npairs++];
			p->workload = wa->name;
			p->mode = report_entry_label(old, new, &wa->modes[m]);
			if (loose)
				add_warning(out, xasprintf("%s/%s with %d jobs in '%s' and %d jobs in '%s' compared as "
							   "one: each report holds a single %s entry", wa->name,
							   wa->modes[m].mode, wa->modes[m].jobs, old->source,
							   mb->jobs, new->source, wa->modes[m].mode));
			p->entry = &wa->modes[m];
			if (test_pair(out, p, &wa->modes[m], mb) < 0)
				goto fail;
		}
	}
	if (!out->npairs) {
		error("'%s' and '%s' have no workload and mode in common", old->source, new->source);
		goto fail;
	}
	warn_setup(out, old, new);
	warn_unmatched(out, old, new);
	warn_unmatched(out, new, old);
	return 0;
fail:
	compare_free(out);
	return -1;
}

void compare_free(struct comparison *c)
{
	for (int i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	for (int i = 0; i < c->npairs; i++)
		free(c->pairs[i].mode);
	free(c->pairs);
	memset(c, 0, sizeof(*c));
}
