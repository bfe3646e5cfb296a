/* Run records: owned by their run, freed in one place, and turned into the
 * report model's runs. */
#include "config.h"
#include "record.h"

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonutil.h"
#include "json/report_json.h"
#include "spool.h"

void run_record_free(struct run_record *r)
{
	free(r->cpus);
	free(r->samples.t);
	free(r->samples.busy);
	free(r->samples.task_busy);
	memset(r, 0, sizeof(*r));
}

void state_trace_add(struct state_trace *s, double t, double running, double ready)
{
	if (s->n > 0 && !(t > s->t[s->n - 1]))
		return;
	if (s->n == s->alloc) {
		s->alloc = s->alloc ? 2 * s->alloc : 32;
		s->t = xrealloc(s->t, (size_t)s->alloc * sizeof(double));
		s->running_s = xrealloc(s->running_s, (size_t)s->alloc * sizeof(double));
		s->ready_s = xrealloc(s->ready_s, (size_t)s->alloc * sizeof(double));
	}
	s->t[s->n] = t;
	s->running_s[s->n] = running - s->last_running;
	s->ready_s[s->n] = ready - s->last_ready;
	s->n++;
	s->last_running = running;
	s->last_ready = ready;
}

void state_trace_free(struct state_trace *s)
{
	free(s->t);
	free(s->running_s);
	free(s->ready_s);
	memset(s, 0, sizeof(*s));
}

void exit_to_report(const struct task_exit *e, struct report_exit *out)
{
	static const char *const names[] = {"exited", "signaled", "not_started"};
	bool exited = e->status == EXIT_STATUS_EXITED, signaled = e->status == EXIT_STATUS_SIGNALED;
	out->status = xstrdup(names[e->status]);
	out->code = exited ? e->code : NAN;
	out->signal = signaled ? e->signal : NAN;
	if (signaled) {
		const char *abbrev = sigabbrev_np(e->signal);
		out->signal_name = xasprintf("SIG%s", abbrev ? abbrev : "UNKNOWN");
	}
	out->exitcode = exited ? e->code : signaled ? -e->signal : NAN;
	out->timed_out = e->timed_out;
	out->stopped = e->stopped;
	out->error = e->error ? xstrdup(e->error) : NULL;
}

void task_to_report(const struct task_record *t, struct report_task *out)
{
	bool started = t->exit.status != EXIT_STATUS_NOT_STARTED;
	double nan = NAN;
	out->id = t->id;
	out->pid = started ? t->pid : nan;
	out->slot = started ? t->slot : nan;
	if (started && t->pus && t->pus->n) {
		char buf[8192];
		cpulist_format(t->pus->v, t->pus->n, buf, sizeof(buf));
		out->cpuset = xstrdup(buf);
	} else
		out->cpuset = started ? xasprintf("%d", t->pu) : NULL;
	out->cpus_allowed = started && t->cpus_allowed[0] ? xstrdup(t->cpus_allowed) : NULL;
	for (int i = 0; i < t->cpus_seen.n; i++)
		intlist_push(&out->cpus_seen, t->cpus_seen.v[i]);
	out->start_s = started ? t->start_s : nan;
	out->end_s = started ? t->end_s : nan;
	out->wall_s = started ? t->wall_s : nan;
	out->user_s = started ? t->user_s : nan;
	out->sys_s = started ? t->sys_s : nan;
	out->running_s = started ? t->running_s : nan;
	bool states = started && (t->have_schedstat || t->states_from_loop);
	out->ready_s = states ? t->ready_s : nan;
	out->blocked_s = states ? t->blocked_s : nan;
	/* schedstat: the leader alone did the work; cgroup: a tree, running is
	 * the leaf's cpu_s; rusage: a tree without a leaf (leader + waited-for) */
	out->states_source = !started || isnan(t->running_s) ? NULL
			     : t->states_from_loop	? xstrdup("loop")
			     : t->have_schedstat	? xstrdup("schedstat")
			     : t->states_from_tree ? xstrdup("cgroup")
						   : xstrdup("rusage");
	/* -1: unknown (a thread killed with its worker) */
	out->voluntary_switches = started && t->voluntary_switches >= 0 ? (double)t->voluntary_switches : nan;
	out->involuntary_switches = started && t->involuntary_switches >= 0 ? (double)t->involuntary_switches : nan;
	out->max_rss_kb = started && t->max_rss_kb >= 0 ? (double)t->max_rss_kb : nan;
	out->leftovers_killed = started && t->leftovers_killed >= 0 ? t->leftovers_killed : nan;
	out->zombie_s = started ? t->zombie_s : nan;
	out->outside_slot = started && t->outside_slot;
	if (started && t->have_tree) {
		out->cgroup = xmalloc(sizeof(*out->cgroup));
		*out->cgroup = t->tree;
		out->cgroup->extra = NULL;
	}
	/* sampled up to the reading at exit (its last entry is at end_s): scope
	 * task when that reading is the task's whole story (states_source
	 * schedstat), else its leader's */
	const struct state_trace *st = &t->states;
	if (started && st->on && st->n && st->t[st->n - 1] == t->end_s)
		out->state_samples = json_state_samples(!t->have_schedstat, st->n, st->t, st->running_s,
							st->ready_s);
	exit_to_report(&t->exit, &out->exit);
}

void collector_init(struct task_collector *c, int ntasks, struct spool *spool, enum report_detail detail,
		    struct json_fixes *fixes)
{
	memset(c, 0, sizeof(*c));
	c->ntasks = ntasks;
	c->spool = spool;
	c->detail = detail;
	c->fixes = fixes;
	c->seen = xcalloc((size_t)ntasks / 8 + 1, 1);
	c->rank = -1;
}

void collector_put(struct task_collector *c, const struct task_record *t)
{
	if (c->forward) {
		c->forward(c->forward_arg, t);
		return;
	}
	if (t->id < 0 || t->id >= c->ntasks || (c->seen[t->id / 8] & (1u << (t->id % 8))))
		abort();
	c->seen[t->id / 8] |= (unsigned char)(1u << (t->id % 8));
	struct report_task out = {0};
	task_to_report(t, &out);
	out.rank = t->remote ? t->rank : c->rank >= 0 ? c->rank : NAN;
	out.has_state_samples = c->sample_tasks;
	c->received++;
	c->failed |= report_task_failed(&out);
	c->partial |= t->exit.status == EXIT_STATUS_NOT_STARTED || t->exit.stopped;
	if (t->exit.status != EXIT_STATUS_NOT_STARTED) {
		c->schedstat_unread += t->schedstat_errno != 0;
		c->unsampled += c->sample_tasks && !t->states.on;
		if (isfinite(t->user_s) && isfinite(t->sys_s)) {	/* a killed thread's are not */
			c->user_s += t->user_s;
			c->sys_s += t->sys_s;
		}
	}
	report_tally_task(&c->tally, &out);
	if (!c->error) {
		char *line = c->detail == DETAIL_TASK ? json_task_line(&out, c->fixes) : NULL;
		const double v[4] = {out.wall_s, out.running_s, out.ready_s, out.blocked_s};
		c->error = spool_put(c->spool, t->id, line, v) < 0;
		free(line);
	}
	report_task_free(&out);
}

void collector_free(struct task_collector *c)
{
	free(c->seen);
	report_tally_free(&c->tally);
	memset(c, 0, sizeof(*c));
}

/* An id the scheduler never handed over: a task that never started (ctx:
 * the collector). */
static char *missing_line(int id, void *ctx)
{
	struct task_collector *c = ctx;
	struct task_record t = {.id = id, .exit = {.status = EXIT_STATUS_NOT_STARTED}};
	struct report_task out = {0};
	task_to_report(&t, &out);
	out.rank = c->rank >= 0 ? c->rank : NAN;
	out.has_state_samples = c->sample_tasks;
	char *line = json_task_line(&out, c->fixes);
	report_task_free(&out);
	return line;
}

static void percentiles(const struct spool_pctl *p, struct report_percentiles *out)
{
	*out = (struct report_percentiles){p->p50, p->p90, p->p99, p->max};
}

int record_to_report(struct run_record *rec, struct task_collector *c, struct report_run *out, bool cut)
{
	memset(out, 0, sizeof(*out));
	out->wall_s = rec->wall_s;
	/* a worker's run: its own rusage, every thread (a killed one's too) */
	bool worker = isfinite(rec->worker_cpu_s);
	out->user_s = worker ? rec->worker_user_s : c->user_s;
	out->sys_s = worker ? rec->worker_sys_s : c->sys_s;
	out->runner_cpu_s = rec->runner_cpu_s;
	out->worker_cpu_s = rec->worker_cpu_s;
	out->rss_floor_kb = rec->rss_floor_kb < 0 ? NAN : (double)rec->rss_floor_kb;
	out->partial = cut || c->partial || c->received < c->ntasks;
	out->failed = c->failed;
	out->suspended_s = rec->suspended_s;
	out->ncpus = rec->ncpus;
	out->cpus = xcalloc((size_t)rec->ncpus + 1, sizeof(*out->cpus));
	for (int i = 0; i < rec->ncpus; i++)
		out->cpus[i] = (struct report_cpu){rec->cpus[i].cpu, rec->cpus[i].busy,
						   rec->cpus[i].task_busy, NULL};
	struct sample_series *s = &rec->samples;
	out->samples.period_s = s->period_s;
	for (int i = 0; i < rec->ncpus; i++)
		intlist_push(&out->samples.cpus, rec->cpus[i].cpu);
	out->samples_null = c->detail == DETAIL_MODE;
	if (!out->samples_null) {
		out->samples.n = s->n;
		out->samples.t = s->t;
		out->samples.busy = s->busy;
		out->samples.task_busy = s->task_busy;
		s->t = s->busy = s->task_busy = NULL;
		s->n = 0;
	}
	out->in_summary = !out->failed && !out->partial && !(out->suspended_s > 0);
	out->tally = c->tally;
	memset(&c->tally, 0, sizeof(c->tally));
	out->tasks_null = c->detail != DETAIL_TASK;
	out->ntasks = out->tasks_null ? 0 : c->ntasks;
	out->spool = out->tasks_null ? NULL : c->spool;
	out->spool_parse = json_task_parse;
	struct spool_pctl p[4];
	if (c->error || spool_run_end(c->spool, c->ntasks, !out->tasks_null, p, missing_line, c,
				      &out->spool_off, &out->spool_len) < 0) {
		out->tasks_null = true;	/* the report says no more than it has */
		out->spool = NULL;
		out->ntasks = 0;
		return -1;
	}
	struct report_task_stats *ts = &out->task_stats;
	percentiles(&p[0], &ts->wall_s);
	percentiles(&p[1], &ts->running_s);
	percentiles(&p[2], &ts->ready_s);
	percentiles(&p[3], &ts->blocked_s);
	ts->present = true;
	return 0;
}
