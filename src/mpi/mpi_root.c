/*
 * tribench-mpi, rank 0: the cluster hooks of cluster.h. It sends the suite
 * out once, hands a parallel run's task ids to the ranks a few ahead of
 * their free slots, puts their records into the run as they come, stops
 * them with the run, and collects their last numbers into ranks[].
 */
#include "config.h"

#include <math.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "calibrate.h"
#include "cli.h"
#include "json/fields.h"
#include "json/jsonutil.h"
#include "mpi/mpi_comm.h"
#include "run_state.h"
#include "sched.h"

/* Ids a rank holds beyond its slots, AHEAD + a quarter of its slots: the
 * next starts as soon as one ends, without waiting for rank 0's next turn
 * (which its own launches can hold up for milliseconds). */
#define AHEAD 2
/* How long the ranks get to answer the setup (they calibrate: ~0.5 s each). */
#define SETUP_WAIT_S 120.0

static struct mpi_state *state(const struct cluster *c)
{
	return c->impl;
}

/*
 * How long rank 0 waits, after a run began to stop, for the other ranks'
 * last records: their grace plus a margin, but inside mpirun's window
 * between its SIGTERM and its SIGKILL (odls_base_sigkill_timeout, 1 s
 * unless OMPI_MCA_odls_base_sigkill_timeout says otherwise), less the time
 * the report takes to write.
 */
static double lost_after_s(const struct sched *s)
{
	const char *env = getenv("OMPI_MCA_odls_base_sigkill_timeout");
	double window = env && atof(env) > 0 ? atof(env) : 1.0;
	double wait = s->o.grace_s + 0.25;
	if (wait > window - 0.4)
		wait = window - 0.4;
	return wait < 0.2 ? 0.2 : wait;
}

static int setup(struct cluster *c, struct sched *s, const struct topo *t, const struct options *o,
		 const struct suite *suite, const struct calibration *cal)
{
	struct mpi_state *st = state(c);
	st->lost_after_s = lost_after_s(s);
	cJSON *self = mpi_rank_info(c->rank, s, t, o, cal, NULL);
	st->self_info = json_text(self, false);
	cJSON_Delete(self);
	/* every workload as given, one after another */
	size_t total = 0;
	char *all = NULL;
	for (int i = 0; i < suite->nworkloads; i++) {
		size_t len;
		char *one = wire_workload_pack(&suite->workloads[i], &len);
		all = xrealloc(all, total + len + 1);
		memcpy(all + total, one, len);
		total += len;
		free(one);
	}
	struct wire_head h = {.kind = WIRE_SETUP, .a = cal != NULL, .b = suite->nworkloads, .x = (double)total};
	for (int r = 1; r < c->size; r++)
		if (mpi_send(r, TAG_ROOT, &h, NULL, 0) < 0) {
			free(all);
			return -2;
		}
	int sent = mpi_bcast(all, total);
	free(all);
	if (sent < 0)
		return -2;
	int rc = 0;
	for (int got = 0, want = 2 * (c->size - 1); got < want;) {
		struct wire_head a;
		char *payload;
		size_t len;
		int src;
		int w = mpi_wait(MPI_ANY_SOURCE, TAG_RANK, &a, &payload, &len, &src, SETUP_WAIT_S);
		if (w <= 0) {
			if (w == 0 && mpi_stop_pending())
				error("stopped by a signal while the MPI ranks set up");
			else if (w == 0)
				error("the MPI ranks did not answer within %.0f s", SETUP_WAIT_S);
			return -2;
		}
		struct mpi_peer *p = &st->peers[src];
		if (a.kind == WIRE_INFO) {
			got++;
			if (a.a < 0) {
				error("rank %d: %s", src, payload ? payload : "cannot set up");
				if (rc == 0 || a.a == -1)
					rc = a.a;
			} else {
				p->info = payload;
				payload = NULL;
			}
		} else if (a.kind == WIRE_SLOTS) {
			got++;
			p->nslots = (int)(len / (2 * sizeof(int32_t)));
			p->slots = xcalloc((size_t)p->nslots * 2 + 1, sizeof(int));
			for (int k = 0; k < 2 * p->nslots; k++) {
				int32_t v;
				memcpy(&v, payload + k * sizeof(v), sizeof(v));
				p->slots[k] = v;
			}
		}
		free(payload);
	}
	return rc;
}

/* A rank's parallel slots for an entry of --jobs jobs; 0 when unknown. */
static int peer_slots(const struct mpi_peer *p, int jobs)
{
	for (int k = 0; k < p->nslots; k++)
		if (p->slots[2 * k] == jobs)
			return p->slots[2 * k + 1];
	return 0;
}

static int remote_slots(const struct cluster *c, int jobs)
{
	int n = 0;
	for (int r = 1; r < c->size; r++)
		n += peer_slots(&state(c)->peers[r], jobs);
	return n;
}

static int run_begin(struct cluster *c, struct run_state *rs)
{
	struct mpi_state *st = state(c);
	st->stop_sent = false;
	st->stop_at = 0;
	st->run_slots = remote_slots(c, rs->label->jobs);
	struct wire_head h = {.kind = WIRE_RUN, .a = rs->label->workload_index, .b = rs->label->jobs,
			      .c = rs->w->ntasks};
	for (int r = 1; r < c->size; r++)	/* all or none: the run begins behind a barrier */
		if (st->peers[r].lost || st->peers[r].left)
			return error("MPI rank %d %s in an earlier run: no parallel run can span it", r,
				     st->peers[r].lost ? "stopped answering" : "was stopped by a signal");
	for (int r = 1; r < c->size; r++) {
		struct mpi_peer *p = &st->peers[r];
		p->nout = 0;
		p->in_run = true;
		p->ended = false;
		p->wall_s = NAN;
		if (mpi_send(r, TAG_ROOT, &h, NULL, 0) < 0)
			return -1;
	}
	return mpi_barrier();
}

/* Take id off p's list of ids out; false when it was not there. */
static bool take_out(struct mpi_peer *p, int id)
{
	for (int k = 0; k < p->nout; k++)
		if (p->out[k] == id) {
			p->out[k] = p->out[--p->nout];
			return true;
		}
	return false;
}

/* Ids sent to rank r that it never reported: not started, saying why. */
static void put_lost(struct run_state *rs, int r, struct mpi_peer *p, const char *why)
{
	struct task_record t;
	memset(&t, 0, sizeof(t));
	t.remote = true;
	t.rank = r;
	t.exit.status = EXIT_STATUS_NOT_STARTED;
	t.exit.error = (char *)why;
	for (int k = 0; k < p->nout; k++) {
		t.id = p->out[k];
		collector_put(rs->out->collect, &t);
	}
	p->nout = 0;
}

/* One message from rank r in a run. */
static void take(struct run_state *rs, struct mpi_state *st, int r, const struct wire_head *h,
		 const char *payload, size_t len)
{
	struct mpi_peer *p = &st->peers[r];
	if (h->kind == WIRE_RECORD && p->in_run) {
		struct task_record t;
		struct intlist pus;
		if (wire_task_unpack(payload, len, &t, &pus) < 0) {
			error("rank %d sent a record that does not unpack (not the same tribench-mpi build?)", r);
			return;
		}
		if (!take_out(p, t.id)) {
			error("rank %d sent a record of task %d that was not its", r, t.id);
			wire_task_free(&t, &pus);
			return;
		}
		collector_put(rs->out->collect, &t);
		if (rs->s->progress)
			progress_task_done(rs->s->progress);
		bool failed = t.exit.status == EXIT_STATUS_SIGNALED ||
			      (t.exit.status == EXIT_STATUS_EXITED && t.exit.code != 0) || t.exit.timed_out;
		wire_task_free(&t, &pus);
		policy_task_ended(rs, failed);	/* --halt counts every rank's failures */
	} else if (h->kind == WIRE_FINAL) {	/* it stopped on its own signal */
		p->cpu_s = h->x;
		p->left = true;
	} else if (h->kind == WIRE_DONE && p->in_run) {
		p->in_run = false;
		p->wall_s = h->x;
		put_lost(rs, r, p, "sent to a rank that ended its run without it");
	}
}

/* How a run that stops stops the ranks' tasks (WIRE_STOP's a). */
static int stop_how(const struct sched *s)
{
	if (s->signal)
		return s->stop_signals > 1 ? 2 : 1;
	if (s->halted)
		return s->o.halt == HALT_NOW ? 1 : 0;
	return 2;	/* a runtime error */
}

static int run_pump(struct cluster *c, struct run_state *rs)
{
	struct mpi_state *st = state(c);
	struct wire_head h;
	char *payload;
	size_t len;
	int src;
	while (mpi_poll(MPI_ANY_SOURCE, TAG_RANK, &h, &payload, &len, &src) > 0) {
		take(rs, st, src, &h, payload, len);
		free(payload);
	}
	if (rs->stopping && !st->stop_sent) {
		struct wire_head stop = {.kind = WIRE_STOP, .a = stop_how(rs->s)};
		struct wire_head end = {.kind = WIRE_END};
		for (int r = 1; r < c->size; r++) {
			struct mpi_peer *p = &st->peers[r];
			if (!p->in_run)
				continue;
			mpi_send(r, TAG_ROOT, &stop, NULL, 0);
			if (!p->ended)
				mpi_send(r, TAG_ROOT, &end, NULL, 0);
			p->ended = true;
		}
		st->stop_sent = true;
		st->stop_at = now_s();
	}
	for (int r = 1; r < c->size && !rs->stopping; r++) {
		struct mpi_peer *p = &st->peers[r];
		if (!p->in_run || p->ended)
			continue;
		/* ids ahead of its slots only while many are left: near the end
		 * an id queued at one rank would wait while another rank idles */
		int slots = peer_slots(p, rs->label->jobs);
		int left = rs->w->ntasks - rs->next;
		int ahead = left > 4 * (rs->plan->nslots + st->run_slots) ? AHEAD + slots / 4 : 0;
		int room = slots ? slots + ahead - p->nout : 0;
		int32_t ids[64];
		int n = 0;
		while (n < room && n < (int)ARRAY_SIZE(ids) && rs->next < rs->w->ntasks)
			ids[n++] = rs->next++;
		if (n) {
			if (p->nout + n > p->capout) {
				p->capout = 2 * (p->nout + n);
				p->out = xrealloc(p->out, (size_t)p->capout * sizeof(int));
			}
			for (int k = 0; k < n; k++)
				p->out[p->nout++] = ids[k];
			struct wire_head idh = {.kind = WIRE_IDS};
			mpi_send(r, TAG_ROOT, &idh, ids, (size_t)n * sizeof(ids[0]));
		}
		if (rs->next == rs->w->ntasks) {
			struct wire_head end = {.kind = WIRE_END};
			mpi_send(r, TAG_ROOT, &end, NULL, 0);
			p->ended = true;
		}
	}
	int busy = 0;
	for (int r = 1; r < c->size; r++) {
		struct mpi_peer *p = &st->peers[r];
		if (p->in_run && st->stop_at > 0 && now_s() - st->stop_at > st->lost_after_s) {
			p->in_run = false;
			p->lost = true;
			st->lost_any = true;
			put_lost(rs, r, p, "sent to a rank that did not report it back (the rank died or was "
					   "killed): its outcome is unknown");
		}
		busy += p->in_run;
	}
	return busy;
}

static int run_end(struct cluster *c, struct run_state *rs)
{
	struct mpi_state *st = state(c);
	for (int r = 1; r < c->size; r++)
		if (isfinite(st->peers[r].wall_s) && st->peers[r].wall_s > rs->out->wall_s)
			rs->out->wall_s = st->peers[r].wall_s;	/* the run's wall: the longest rank's */
	return 0;
}

/* Tell every rank not lost to finish (once); one that stopped on its own
 * signal (its WIRE_FINAL came) waits for this to leave. */
static void send_finish(struct mpi_state *st)
{
	if (st->finished)
		return;
	st->finished = true;
	struct wire_head h = {.kind = WIRE_FINISH};
	for (int r = 1; r < st->c.size; r++)
		if (!st->peers[r].lost)
			mpi_send(r, TAG_ROOT, &h, NULL, 0);
}

/* info (a ranks[] object's text, NULL: none) with cpu_s, as cJSON. */
static cJSON *rank_object(int r, const char *info, double cpu_s, bool answered)
{
	cJSON *obj = info ? json_parse_own(info) : jnew_object();
	if (!info)
		jadd(obj, "rank", jint(r));
	jadd(obj, "cpu_s", jnum(cpu_s));
	jadd(obj, "answered", jbool(answered));
	return obj;
}

static char *finish(struct cluster *c, struct sched *s, char **warning)
{
	struct mpi_state *st = state(c);
	*warning = NULL;
	send_finish(st);
	int want = 0;
	for (int r = 1; r < c->size; r++)
		want += !st->peers[r].lost && isnan(st->peers[r].cpu_s);
	/* under a stop signal mpirun's SIGKILL is near: the report comes first */
	double wait = s->signal ? 0.2 : st->lost_after_s;
	for (int got = 0; got < want;) {
		struct wire_head h;
		char *payload;
		size_t len;
		int src;
		if (mpi_wait(MPI_ANY_SOURCE, TAG_RANK, &h, &payload, &len, &src, wait) <= 0)
			break;
		if (h.kind == WIRE_FINAL && isnan(st->peers[src].cpu_s)) {
			st->peers[src].cpu_s = h.x;
			got++;
		}
		free(payload);
	}
	cJSON *a = jnew_array();
	cJSON_AddItemToArray(a, rank_object(0, st->self_info, mpi_self_cpu_s(), true));
	char *silent = NULL, *left = NULL;
	for (int r = 1; r < c->size; r++) {
		struct mpi_peer *p = &st->peers[r];
		bool answered = !isnan(p->cpu_s);
		cJSON_AddItemToArray(a, rank_object(r, p->info, p->cpu_s, answered));
		char **list = !answered ? &silent : p->left ? &left : NULL;
		if (list) {
			char *more = xasprintf("%s%s%d", *list ? *list : "", *list ? ", " : "", r);
			free(*list);
			*list = more;
		}
	}
	char *said[2] = {
		silent ? xasprintf("MPI rank(s) %s did not answer at the end (died, killed, or stopped by "
				   "mpirun): their cpu_s is null and tasks they did not report are recorded "
				   "as not started", silent) : NULL,
		left ? xasprintf("MPI rank(s) %s stopped on a signal of their own: the tasks they held "
				 "were stopped, that run is partial and no parallel run followed", left) : NULL,
	};
	if (said[0] && said[1]) {
		*warning = xasprintf("%s; %s", said[0], said[1]);
		free(said[0]);
		free(said[1]);
	} else {
		*warning = said[0] ? said[0] : said[1];
	}
	free(silent);
	free(left);
	char *text = json_text(a, false);
	cJSON_Delete(a);
	return text;
}

void mpi_root_init(struct mpi_state *st)
{
	st->peers = xcalloc((size_t)st->c.size, sizeof(*st->peers));
	for (int r = 0; r < st->c.size; r++)
		st->peers[r].cpu_s = NAN;
	st->c.setup = setup;
	st->c.remote_slots = remote_slots;
	st->c.run_begin = run_begin;
	st->c.run_pump = run_pump;
	st->c.next_id = NULL;
	st->c.run_end = run_end;
	st->c.finish = finish;
}

void mpi_root_release(struct mpi_state *st)
{
	send_finish(st);
	for (int r = 1; r < st->c.size; r++) {
		free(st->peers[r].info);
		free(st->peers[r].slots);
		free(st->peers[r].out);
	}
	free(st->peers);
	free(st->self_info);
}
