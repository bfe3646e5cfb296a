/*
 * tribench-mpi, every rank but 0: serve rank 0. Wait for its messages
 * without spinning (MPI_Iprobe, then 1 ms sleeps; SIGINT, SIGTERM and
 * SIGHUP end the wait); on SETUP take the suite, calibrate on this host and
 * plan; on RUN run its share of a parallel run through the one scheduler
 * (sched_run), with the ids rank 0 sends and each record sent back as it
 * ends; on FINISH say how much CPU this rank used and leave.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <mpi.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "calibrate.h"
#include "cli.h"
#include "json/fields.h"
#include "json/json.h"
#include "json/jsonutil.h"
#include "mpi/mpi_comm.h"
#include "run_state.h"
#include "sched.h"
#include "topo.h"

/* After our own stop signal: how long we wait for rank 0 to finish. */
#define FINISH_WAIT_S 10.0

/* This rank's side of one parallel run: the ids rank 0 sent, not yet taken. */
struct rank_run {
	int *ids;
	int head, n, cap;
	bool ended;               /* WIRE_END came: no more ids */
};

struct rank {
	struct mpi_state *st;
	struct options o;
	struct topo *t;
	struct sched s;
	bool sched_on;
	struct calibration cal;
	struct workload *workloads;
	int nworkloads;
	struct rank_run run;
};

/* The worker's hooks reach their state through c->impl. */
static struct rank *me(const struct cluster *c)
{
	return c->impl;
}

static void queue_push(struct rank_run *q, int id)
{
	if (q->n == q->cap) {
		int cap = q->cap ? 2 * q->cap : 64;
		int *ids = xcalloc((size_t)cap, sizeof(int));
		for (int k = 0; k < q->n; k++)
			ids[k] = q->ids[(q->head + k) % q->cap];
		free(q->ids);
		q->ids = ids;
		q->head = 0;
		q->cap = cap;
	}
	q->ids[(q->head + q->n++) % q->cap] = id;
}

/* ---- the scheduler's hooks in a parallel run (cluster.h) ----------------- */

static int run_begin(struct cluster *c, struct run_state *rs)
{
	(void)c;
	(void)rs;
	return mpi_barrier();	/* rank 0's t0 and ours are the same moment */
}

/* One message of the run from rank 0. */
static void take(struct rank *rk, struct run_state *rs, const struct wire_head *h, const char *payload,
		 size_t len)
{
	if (h->kind == WIRE_IDS) {
		for (size_t k = 0; k + sizeof(int32_t) <= len; k += sizeof(int32_t)) {
			int32_t id;
			memcpy(&id, payload + k, sizeof(id));
			if (id >= 0 && id < rs->w->ntasks)
				queue_push(&rk->run, id);
		}
	} else if (h->kind == WIRE_STOP) {
		rs->stopping = true;
		if (h->a > 0)
			policy_terminate_all(rs, h->a == 2);
	} else if (h->kind == WIRE_END) {
		rk->run.ended = true;
	}
}

static int run_pump(struct cluster *c, struct run_state *rs)
{
	struct rank *rk = me(c);
	struct wire_head h;
	char *payload;
	size_t len;
	while (!rk->run.ended && mpi_poll(0, TAG_ROOT, &h, &payload, &len, NULL) > 0) {
		take(rk, rs, &h, payload, len);
		free(payload);
	}
	/* our own stop (mpirun's SIGTERM): rank 0 may be gone, do not wait for it */
	if (rs->s->signal)
		return 0;
	return !rk->run.ended;
}

static int next_id(struct cluster *c, struct run_state *rs, bool take_it)
{
	(void)rs;
	struct rank_run *q = &me(c)->run;
	if (q->n == 0)
		return -1;
	int id = q->ids[q->head];
	if (take_it) {
		q->head = (q->head + 1) % q->cap;
		q->n--;
	}
	return id;
}

static int run_end(struct cluster *c, struct run_state *rs)
{
	(void)c;
	struct wire_head h = {.kind = WIRE_DONE, .x = rs->out->wall_s};
	return mpi_send(0, TAG_RANK, &h, NULL, 0);
}

/* Each record goes to rank 0 as it ends (task_collector.forward). */
static void forward(void *arg, const struct task_record *t)
{
	struct rank *rk = arg;
	size_t len;
	char *w = wire_task_pack(t, rk->st->c.rank, &len);
	struct wire_head h = {.kind = WIRE_RECORD};
	mpi_send(0, TAG_RANK, &h, w, len);
	free(w);
}

/* ---- rank 0's requests ----------------------------------------------------- */

/* Answer SETUP: the workloads, a calibration, the plans; INFO and SLOTS. */
static void setup(struct rank *rk, const struct wire_head *h, const char *payload, size_t len)
{
	int rc = 0;
	char *line = NULL;
	rk->workloads = xcalloc((size_t)(h->b > 0 ? h->b : 1), sizeof(*rk->workloads));
	size_t at = 0;
	for (int i = 0; i < h->b && rc == 0; i++) {
		long used = wire_workload_unpack(payload + at, len - at, &rk->workloads[i]);
		if (used < 0) {
			rc = -2;
			line = xstrdup("rank 0's suite did not unpack (not the same tribench-mpi build?)");
			break;
		}
		rk->nworkloads++;
		at += (size_t)used;
	}
	struct plan serial;
	bool calibrated = false;
	if (rc == 0 && h->a) {
		/* --cpu names rank 0's PU (serial and concurrent run there): here the
		 * calibration takes this rank's first */
		struct plan_opts po = rk->o.plan;
		po.cpu = -1;
		if (plan_build(rk->t, MODE_SERIAL, &po, 1, &serial) < 0) {
			rc = -1;
		} else {
			if (calibrate_cpu(&rk->s, &serial.slots[0], &rk->cal) < 0)
				rc = -2;
			calibrated = rc == 0;
			plan_free(&serial);
		}
		if (rc && !line)
			line = xstrdup(error_last());
	}
	for (int i = 0; rc == 0 && i < rk->nworkloads; i++)
		for (int g = 0; g < rk->workloads[i].ngroups; g++)
		{
			struct task_spec *spec = &rk->workloads[i].groups[g].spec;
			const char *missing = NULL;
			if (spec->kind->prepare(spec, &rk->cal) < 0 || (missing = cmd_missing_program(spec))) {
				rc = -1;
				line = missing ? xasprintf("command not found on this rank's host: %s (not in "
							   "PATH)", missing)
					       : xstrdup(error_last());
				break;
			}
		}
	/* the plans of every parallel entry, as (jobs, slots) pairs and JSON */
	int nentries;
	struct entry_opt *entries = cli_entries(&rk->o, &nentries);
	int32_t *pairs = xcalloc((size_t)nentries * 2 + 1, sizeof(int32_t));
	int npairs = 0;
	cJSON *plans = jnew_array();
	for (int m = 0; rc == 0 && m < nentries; m++) {
		if (entries[m].mode != MODE_PARALLEL || entries[m].executor != EXEC_PROCESS)
			continue;
		struct plan p;
		struct plan_opts po = cli_entry_plan(&rk->o, &entries[m]);
		if (plan_build(rk->t, MODE_PARALLEL, &po, 0, &p) < 0) {
			rc = -1;
			line = xstrdup(error_last());
			break;
		}
		pairs[2 * npairs] = entries[m].jobs;
		pairs[2 * npairs + 1] = p.nslots;
		npairs++;
		cJSON *one = jnew_object();
		jadd(one, "jobs", jint(entries[m].jobs));
		char *pt = json_plan_text(&p);
		jadd(one, "plan", json_parse_own(pt));
		free(pt);
		cJSON_AddItemToArray(plans, one);
		plan_free(&p);
	}
	free(entries);
	struct wire_head a = {.kind = WIRE_INFO, .a = rc};
	if (rc == 0) {
		cJSON *obj = mpi_rank_info(rk->st->c.rank, &rk->s, rk->t, &rk->o, calibrated ? &rk->cal : NULL,
					   plans);
		plans = NULL;
		char *text = json_text(obj, false);
		cJSON_Delete(obj);
		mpi_send(0, TAG_RANK, &a, text, strlen(text));
		free(text);
	} else {
		const char *say = line ? line : "cannot set up";
		mpi_send(0, TAG_RANK, &a, say, strlen(say));
	}
	cJSON_Delete(plans);
	free(line);
	struct wire_head sl = {.kind = WIRE_SLOTS};
	mpi_send(0, TAG_RANK, &sl, pairs, (size_t)npairs * 2 * sizeof(int32_t));
	free(pairs);
}

/* Run this rank's share of a parallel run (RUN: a workload, b jobs, c tasks). */
static void run(struct rank *rk, const struct wire_head *h)
{
	struct wire_head done = {.kind = WIRE_DONE, .x = 0};
	if (h->a < 0 || h->a >= rk->nworkloads || rk->workloads[h->a].ntasks != h->c) {
		error("rank %d: rank 0 asked for a workload it does not have", rk->st->c.rank);
		mpi_barrier();
		mpi_send(0, TAG_RANK, &done, NULL, 0);
		return;
	}
	const struct workload *w = &rk->workloads[h->a];
	struct entry_opt e = {MODE_PARALLEL, h->b, EXEC_PROCESS};
	struct plan_opts po = cli_entry_plan(&rk->o, &e);
	struct plan p;
	if (plan_build(rk->t, MODE_PARALLEL, &po, w->ntasks, &p) < 0) {
		mpi_barrier();
		mpi_send(0, TAG_RANK, &done, NULL, 0);
		return;
	}
	free(rk->run.ids);
	memset(&rk->run, 0, sizeof(rk->run));
	struct task_collector collect;
	memset(&collect, 0, sizeof(collect));
	collect.ntasks = w->ntasks;
	collect.rank = rk->st->c.rank;
	collect.forward = forward;
	collect.forward_arg = rk;
	struct run_record rec = {.collect = &collect};
	struct run_label label = {w->name, "parallel", 1, 1, h->a, h->b};
	sched_run(&rk->s, &p, w, EXEC_PROCESS, &label, &rec);	/* run_end says DONE */
	run_record_free(&rec);
	plan_free(&p);
	/* messages of the run that came after we stopped: through its END */
	struct wire_head m;
	char *payload;
	size_t len;
	while (!rk->run.ended && !rk->s.signal &&
	       mpi_wait(0, TAG_ROOT, &m, &payload, &len, NULL, 2.0) > 0) {
		rk->run.ended = m.kind == WIRE_END;
		free(payload);
	}
}

/* Is one of SIGINT, SIGTERM, SIGHUP waiting on the scheduler's signalfd? */
static bool stop_signal(struct rank *rk)
{
	struct signalfd_siginfo si;
	while (read(rk->s.sigfd, &si, sizeof(si)) == sizeof(si))
		if (si.ssi_signo != SIGCHLD && si.ssi_signo != SIGTSTP) {
			rk->s.signal = (int)si.ssi_signo;
			return true;
		}
	return false;
}

/* stderr to /dev/null until quiet_end(returned): rank 0 says what is wrong. */
static int quiet_begin(void)
{
	int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
	return saved;
}

static void quiet_end(int saved)
{
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
}

/* cli_parse, quietly: rank 0 says what is wrong with the command line. */
static int parse_quietly(int argc, char **argv, struct options *o)
{
	int saved = quiet_begin();
	int rc = cli_parse(argc, argv, o);
	quiet_end(saved);
	return rc;
}

int mpi_rank_serve(struct mpi_state *st, int argc, char **argv)
{
	struct rank rk;
	memset(&rk, 0, sizeof(rk));
	rk.st = st;
	st->c.impl = &rk;
	st->c.run_begin = run_begin;
	st->c.run_pump = run_pump;
	st->c.next_id = next_id;
	st->c.run_end = run_end;
	bool runnable = parse_quietly(argc, argv, &rk.o) == 0 && rk.o.cmd == CMD_RUN && topo_load(&rk.t) == 0;
	if (runnable) {
		struct sched_opts so = rk.o.sched;
		so.sample_ms = rk.o.sample_ms;
		so.sample_tasks = false;	/* a trace stays on its rank: not sent */
		so.results_dir = NULL;		/* --results lives on rank 0's host */
		rk.sched_on = sched_init(&rk.s, &topo_get_info(rk.t)->usable, &so, true) == 0;
		rk.s.rank = st->c.rank;
		rk.s.cluster = &st->c;
	}
	int rc = EXIT_OK;
	for (;;) {
		struct wire_head h;
		char *payload;
		size_t len;
		int got = mpi_poll(0, TAG_ROOT, &h, &payload, &len, NULL);
		if (got < 0) {
			rc = EXIT_RUNTIME;
			break;
		}
		if (got == 0) {
			if (rk.sched_on && stop_signal(&rk)) {
				rc = EXIT_SIGNAL_BASE + rk.s.signal;
				break;
			}
			struct timespec ts = {0, 1000000};
			nanosleep(&ts, NULL);
			continue;
		}
		if (h.kind == WIRE_FINISH) {
			free(payload);
			struct wire_head f = {.kind = WIRE_FINAL, .x = mpi_self_cpu_s()};
			mpi_send(0, TAG_RANK, &f, NULL, 0);
			break;
		}
		if (h.kind == WIRE_SETUP) {
			/* the suite follows, to every rank at once */
			free(payload);
			len = (size_t)h.x;
			payload = xmalloc(len + 1);
			if (mpi_bcast(payload, len) < 0) {
				free(payload);
				rc = EXIT_RUNTIME;
				break;
			}
			if (rk.sched_on) {
				int saved = quiet_begin();	/* errors go to rank 0, which says them */
				setup(&rk, &h, payload, len);
				quiet_end(saved);
			} else {
				struct wire_head a = {.kind = WIRE_INFO, .a = -2};
				const char *say = runnable ? error_last() : "cannot load the topology";
				mpi_send(0, TAG_RANK, &a, say, strlen(say));
				struct wire_head sl = {.kind = WIRE_SLOTS};
				mpi_send(0, TAG_RANK, &sl, NULL, 0);
			}
		} else if (h.kind == WIRE_RUN && rk.sched_on) {
			run(&rk, &h);
			if (rk.s.signal) {
				rc = EXIT_SIGNAL_BASE + rk.s.signal;
				free(payload);
				break;
			}
		}
		free(payload);	/* stale ids, STOPs and ENDs of a run that ended here */
	}
	if (rk.sched_on)
		sched_fini(&rk.s);	/* every task of ours is dead from here */
	/*
	 * Stopped by our own signal (mpirun's SIGTERM): rank 0 has it too and
	 * is writing its report. Our number goes to it, and we wait for its
	 * FINISH (or mpirun's SIGKILL): a rank that exits non-zero first makes
	 * mpirun tear the job down again, and its second SIGTERM would cut
	 * rank 0's report short.
	 */
	if (rc >= EXIT_SIGNAL_BASE) {
		struct wire_head f = {.kind = WIRE_FINAL, .x = mpi_self_cpu_s()};
		mpi_send(0, TAG_RANK, &f, NULL, 0);
		for (double end = now_s() + FINISH_WAIT_S; now_s() < end;) {
			struct wire_head h;
			char *payload;
			size_t len;
			if (mpi_wait(0, TAG_ROOT, &h, &payload, &len, NULL, end - now_s()) <= 0)
				break;
			free(payload);
			if (h.kind == WIRE_FINISH) {
				/* an orderly end: a non-zero exit would make mpirun
				 * kill rank 0 before its report is out; rank 0's exit
				 * code says how the benchmark ended */
				rc = EXIT_OK;
				break;
			}
		}
	}
	for (int i = 0; i < rk.nworkloads; i++)
		wire_workload_free(&rk.workloads[i]);
	free(rk.workloads);
	free(rk.run.ids);
	if (rk.t)
		topo_free(rk.t);
	cli_free(&rk.o);
	return rc;
}
