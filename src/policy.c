/* Timeouts, grace, --halt and stop signals over the tasks in flight, with
 * the deadlines in a heap. */
#include "config.h"
#include "policy.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "run_state.h"

void deadlines_reserve(struct deadlines *d, int cap)
{
	if (cap <= d->cap)
		return;
	d->heap = xrealloc(d->heap, (size_t)cap * sizeof(int));
	d->hpos = xrealloc(d->hpos, (size_t)cap * sizeof(int));
	d->key = xrealloc(d->key, (size_t)cap * sizeof(double));
	for (int i = d->cap; i < cap; i++)
		d->hpos[i] = -1;
	d->cap = cap;
}

void deadlines_free(struct deadlines *d)
{
	free(d->heap);
	free(d->hpos);
	free(d->key);
	memset(d, 0, sizeof(*d));
}

static void place(struct deadlines *d, int at, int idx)
{
	d->heap[at] = idx;
	d->hpos[idx] = at;
}

static void sift_up(struct deadlines *d, int at)
{
	int idx = d->heap[at];
	while (at > 0 && d->key[d->heap[(at - 1) / 2]] > d->key[idx]) {
		place(d, at, d->heap[(at - 1) / 2]);
		at = (at - 1) / 2;
	}
	place(d, at, idx);
}

static void sift_down(struct deadlines *d, int at)
{
	int idx = d->heap[at];
	for (;;) {
		int c = 2 * at + 1;
		if (c >= d->n)
			break;
		if (c + 1 < d->n && d->key[d->heap[c + 1]] < d->key[d->heap[c]])
			c++;
		if (d->key[d->heap[c]] >= d->key[idx])
			break;
		place(d, at, d->heap[c]);
		at = c;
	}
	place(d, at, idx);
}

static void heap_remove(struct deadlines *d, int idx)
{
	int at = d->hpos[idx];
	if (at < 0)
		return;
	d->hpos[idx] = -1;
	int last = d->heap[--d->n];
	if (at == d->n)
		return;
	place(d, at, last);
	sift_up(d, at);
	sift_down(d, d->hpos[last]);
}

/* The one deadline idx waits for: term_at before its SIGTERM, kill_at after. */
static double pending(const struct task_record *t)
{
	if (!t->term_sent)
		return t->term_at > 0 ? t->term_at : 0;
	return t->kill_at > 0 ? t->kill_at : 0;
}

void policy_update(struct run_state *rs, int idx)
{
	struct deadlines *d = &rs->dl;
	double when = pending(&rs->fl.t[idx]);
	if (when <= 0) {
		heap_remove(d, idx);
		return;
	}
	d->key[idx] = when;
	if (d->hpos[idx] < 0) {
		d->hpos[idx] = d->n;
		d->heap[d->n++] = idx;
	}
	sift_up(d, d->hpos[idx]);
	sift_down(d, d->hpos[idx]);
}

void policy_forget(struct run_state *rs, int idx)
{
	heap_remove(&rs->dl, idx);
}

void policy_signal(struct run_state *rs, int idx, int sig)
{
	struct task_record *t = &rs->fl.t[idx];
	group_signal(&t->group, sig);
	t->term_sent = true;	/* SIGKILL too: the deadline is spent either way */
	t->kill_at = sig == SIGTERM ? now_s() - rs->t0 + rs->s->o.grace_s : 0;
	policy_update(rs, idx);
}

/*
 * SIGTERM to every in-flight tree in one freeze of the run cgroup, not one
 * freeze (and wait for it) per leaf: with thousands in flight that wait made
 * a stop take seconds. A frozen tree cannot fork past the signal; it is
 * delivered at the thaw. false when the run cgroup cannot be frozen.
 */
static bool term_all_frozen(struct run_state *rs)
{
	struct containment *c = &rs->s->contain;
	if (c->kind != CONTAIN_CGROUP || containment_freeze(c, true) < 0)
		return false;
	struct intlist pids = {0};
	double kill_at = now_s() - rs->t0 + rs->s->o.grace_s;
	for (int k = 0; k < rs->fl.n; k++) {
		int idx = rs->fl.active[k];
		struct task_record *t = &rs->fl.t[idx];
		if (t->pid <= 0 || t->term_sent)
			continue;
		t->exit.stopped = !t->exit.timed_out;
		pids.n = 0;
		if (t->group.leaf && cgroup_pids(t->group.leaf, false, &pids) >= 0)
			for (int i = 0; i < pids.n; i++)
				kill((pid_t)pids.v[i], SIGTERM);
		else
			group_signal(&t->group, SIGTERM);
		t->term_sent = true;
		t->kill_at = kill_at;
		policy_update(rs, idx);
	}
	intlist_free(&pids);
	containment_freeze(c, false);
	return true;
}

void policy_terminate_all(struct run_state *rs, bool now)
{
	rs->stopping = true;
	if (!now && rs->s->o.grace_s > 0 && rs->fl.n > 1 && term_all_frozen(rs))
		return;
	for (int k = 0; k < rs->fl.n; k++) {
		int idx = rs->fl.active[k];
		struct task_record *t = &rs->fl.t[idx];
		if (t->pid <= 0)
			continue;
		t->exit.stopped = !t->exit.timed_out;
		if (now || rs->s->o.grace_s <= 0)
			policy_signal(rs, idx, SIGKILL);
		else if (!t->term_sent)
			policy_signal(rs, idx, SIGTERM);
	}
}

void policy_task_ended(struct run_state *rs, bool failed)
{
	struct sched *s = rs->s;
	const struct sched_opts *o = &s->o;
	if (failed && ++s->failed >= o->halt_fail && o->halt != HALT_NEVER && !s->halted) {
		s->halted = true;
		rs->stopping = true;
		if (o->halt == HALT_NOW)
			policy_terminate_all(rs, false);
	}
}

void policy_enforce(struct run_state *rs)
{
	struct deadlines *d = &rs->dl;
	double now = now_s() - rs->t0;
	while (d->n > 0 && d->key[d->heap[0]] <= now) {
		int idx = d->heap[0];
		struct task_record *t = &rs->fl.t[idx];
		if (!t->term_sent) {
			t->exit.timed_out = true;
			policy_signal(rs, idx, rs->s->o.grace_s > 0 ? SIGTERM : SIGKILL);
		} else {
			policy_signal(rs, idx, SIGKILL);	/* leaves no deadline */
		}
	}
}

int policy_next_ms(const struct run_state *rs)
{
	const struct deadlines *d = &rs->dl;
	if (d->n == 0)
		return -1;
	double next = d->key[d->heap[0]], now = now_s() - rs->t0;
	if (next <= now)
		return 0;
	return next - now > 86400 ? 86400000 : (int)ceil((next - now) * 1000);
}

void policy_shift(struct run_state *rs, double held_s)
{
	for (int k = 0; k < rs->fl.n; k++) {
		int idx = rs->fl.active[k];
		struct task_record *t = &rs->fl.t[idx];
		if (t->term_at > 0 && !t->term_sent)
			t->term_at += held_s;
		if (t->kill_at > 0)
			t->kill_at += held_s;
		if (rs->dl.hpos[idx] >= 0)
			rs->dl.key[idx] += held_s;
	}
}
