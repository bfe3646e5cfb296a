/*
 * tribench-mpi: `mpirun -n K tribench-mpi run [OPTIONS]`. Rank 0 runs
 * tribench's run (app.c) and owns the report; parallel runs span every
 * rank (cluster.h); the other ranks serve rank 0 (mpi_rank.c). Ranks that
 * share a host split its usable cores between them before anything loads
 * the topology, so their slots never overlap.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <mpi.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "json/fields.h"
#include "json/json.h"
#include "json/jsonutil.h"
#include "probe.h"
#include "sched.h"
#include "mpi/mpi_comm.h"
#include "topo.h"

/* Room for buffered sends: a run's ids and records in flight. */
#define BSEND_MIN (16 << 20)
/* The longest wait for a collective (a run's barrier, the suite's broadcast):
 * every rank is idle in its loop when rank 0 starts one, so this is a dead rank. */
#define COLLECTIVE_WAIT_S 60.0

int mpi_send(int to, int tag, const struct wire_head *h, const void *payload, size_t len)
{
	size_t n = sizeof(*h) + len;
	if (n > (size_t)1 << 30)
		return error("MPI: a message of %zu bytes is too large", n);
	char *buf = xmalloc(n);
	memcpy(buf, h, sizeof(*h));
	if (len)
		memcpy(buf + sizeof(*h), payload, len);
	int rc = MPI_Bsend(buf, (int)n, MPI_BYTE, to, tag, MPI_COMM_WORLD);
	free(buf);
	if (rc != MPI_SUCCESS) {
		char text[MPI_MAX_ERROR_STRING];
		int tlen = 0;
		MPI_Error_string(rc, text, &tlen);
		return error("MPI: cannot send to rank %d: %s", to, text);
	}
	return 0;
}

int mpi_poll(int from, int tag, struct wire_head *h, char **payload, size_t *len, int *src)
{
	int flag = 0;
	MPI_Status st;
	if (MPI_Iprobe(from, tag, MPI_COMM_WORLD, &flag, &st) != MPI_SUCCESS)
		return error("MPI: MPI_Iprobe failed");
	if (!flag)
		return 0;
	int n = 0;
	MPI_Get_count(&st, MPI_BYTE, &n);
	char *buf = xmalloc(n > 0 ? (size_t)n : 1);
	if (MPI_Recv(buf, n, MPI_BYTE, st.MPI_SOURCE, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE) != MPI_SUCCESS) {
		free(buf);
		return error("MPI: cannot receive from rank %d", st.MPI_SOURCE);
	}
	if ((size_t)n < sizeof(*h)) {
		free(buf);
		return error("MPI: a message of %d bytes from rank %d is too short", n, st.MPI_SOURCE);
	}
	memcpy(h, buf, sizeof(*h));
	*len = (size_t)n - sizeof(*h);
	*payload = NULL;
	if (*len) {
		*payload = xmalloc(*len + 1);
		memcpy(*payload, buf + sizeof(*h), *len);
		(*payload)[*len] = '\0';	/* a JSON text payload reads as a string */
	}
	free(buf);
	if (src)
		*src = st.MPI_SOURCE;
	return 1;
}

static void sleep_us(long us)
{
	struct timespec ts = {0, us * 1000};
	nanosleep(&ts, NULL);
}

bool mpi_stop_pending(void)
{
	sigset_t set;
	if (sigpending(&set) < 0)
		return false;
	return sigismember(&set, SIGINT) == 1 || sigismember(&set, SIGTERM) == 1 ||
	       sigismember(&set, SIGHUP) == 1;
}

int mpi_wait(int from, int tag, struct wire_head *h, char **payload, size_t *len, int *src,
	     double timeout_s)
{
	double end = now_s() + timeout_s;
	for (;;) {
		int r = mpi_poll(from, tag, h, payload, len, src);
		if (r != 0)
			return r;
		if (now_s() >= end || mpi_stop_pending())
			return 0;
		sleep_us(1000);
	}
}

double mpi_self_cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

cJSON *mpi_rank_info(int rank, struct sched *s, const struct topo *t, const struct options *o,
		     const struct calibration *cal, cJSON *plans)
{
	const struct topo_info *ti = topo_get_info(t);
	struct host_facts h;
	probe_host(&h, ti->usable.n ? ti->usable.v[0] : 0);
	cJSON *obj = jnew_object();
	jadd(obj, "rank", jint(rank));
	char *text = json_host_text(&h, ti, o, &s->contain);
	jadd(obj, "host", json_parse_own(text));
	free(text);
	jadd(obj, "containment", jstr(containment_name(s->contain.kind)));
	text = json_calibration_text(cal);
	jadd(obj, "calibration", json_parse_own(text));
	free(text);
	if (plans)
		jadd(obj, "plans", plans);
	return obj;
}

/* Wait for req without spinning, at most COLLECTIVE_WAIT_S and not past a
 * stop signal (a rank that is gone never arrives). 0 or -1 (printed). */
static int test_wait(MPI_Request *req, const char *what)
{
	double end = now_s() + COLLECTIVE_WAIT_S;
	for (int done = 0;;) {
		if (MPI_Test(req, &done, MPI_STATUS_IGNORE) != MPI_SUCCESS)
			return error("MPI: %s failed", what);
		if (done)
			return 0;
		if (mpi_stop_pending())
			return error("MPI: %s: stopped by a signal while waiting for the other ranks", what);
		if (now_s() > end)
			return error("MPI: %s: the other ranks did not arrive within %.0f s (one is gone?)",
				     what, COLLECTIVE_WAIT_S);
		sleep_us(50);
	}
}

int mpi_bcast(void *buf, size_t len)
{
	for (size_t at = 0; at < len;) {
		int n = len - at > (1u << 30) ? 1 << 30 : (int)(len - at);
		MPI_Request req;
		if (MPI_Ibcast((char *)buf + at, n, MPI_BYTE, 0, MPI_COMM_WORLD, &req) != MPI_SUCCESS ||
		    test_wait(&req, "MPI_Ibcast") < 0)
			return error("MPI: cannot broadcast the suite");
		at += (size_t)n;
	}
	return 0;
}

int mpi_barrier(void)
{
	MPI_Request req;
	if (MPI_Ibarrier(MPI_COMM_WORLD, &req) != MPI_SUCCESS)
		return error("MPI: MPI_Ibarrier failed");
	return test_wait(&req, "MPI_Ibarrier");
}

/* Bind every thread of this process (MPI_Init started some) to set, so that
 * hwloc's process binding, the union of its threads', is set: 0 or -1. */
static int bind_process(const cpu_set_t *set)
{
	DIR *d = opendir("/proc/self/task");
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid > 0 && sched_setaffinity(tid, sizeof(*set), set) < 0 && errno != ESRCH)
			rc = -1;
	}
	closedir(d);
	return rc;
}

/*
 * This rank's share of its host: the ranks on it (MPI_COMM_TYPE_SHARED)
 * keep their own CPU sets when mpirun bound them apart; when they all have
 * the same set (--bind-to none), they split its cores in equal shares
 * (topo_share), and this process binds itself to its share, so that the
 * topology tribench then loads sees only it. Other overlaps are refused.
 * 0; -1 with one error line (bad input).
 */
static int host_share(int *local_rank, int *local_size)
{
	MPI_Comm local;
	MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local);
	MPI_Comm_rank(local, local_rank);
	MPI_Comm_size(local, local_size);
	cpu_set_t mine, *all = xcalloc((size_t)*local_size, sizeof(cpu_set_t));
	CPU_ZERO(&mine);
	sched_getaffinity(0, sizeof(mine), &mine);
	MPI_Allgather(&mine, sizeof(mine), MPI_BYTE, all, sizeof(mine), MPI_BYTE, local);
	MPI_Comm_free(&local);
	bool same = true, disjoint = true;
	for (int i = 0; i < *local_size; i++)
		for (int j = i + 1; j < *local_size; j++) {
			cpu_set_t both;
			CPU_AND(&both, &all[i], &all[j]);
			disjoint &= CPU_COUNT(&both) == 0;
			same &= CPU_EQUAL(&all[i], &all[j]);
		}
	free(all);
	if (disjoint || *local_size == 1)
		return 0;
	char host[256] = "";
	gethostname(host, sizeof(host) - 1);
	/* the host's first rank says why, once */
	if (!same && *local_rank != 0)
		return -1;
	if (!same)
		return error("the %d ranks on host '%s' have overlapping but different CPU sets: launch "
			     "them with 'mpirun --bind-to none' (they split the host) or bound apart",
			     *local_size, host);
	struct topo *t;
	if (topo_load(&t) < 0)
		return -1;
	struct intlist share;
	int rc = topo_share(t, *local_rank, *local_size, &share);
	int cores = topo_get_info(t)->usable_cores;
	topo_free(t);
	if (rc < 0 && *local_rank != 0)
		return -1;
	if (rc < 0)
		return error("%d ranks on host '%s' but %d usable core%s: each rank needs a core "
			     "(use fewer ranks per host)", *local_size, host, cores, cores == 1 ? "" : "s");
	cpu_set_t set;
	CPU_ZERO(&set);
	for (int i = 0; i < share.n; i++)
		CPU_SET(share.v[i], &set);
	intlist_free(&share);
	if (bind_process(&set) < 0)
		return error("cannot bind rank to its share of host '%s': %s", host, strerror(errno));
	return 0;
}

int main(int argc, char **argv)
{
	/* tribench's signals are blocked before MPI_Init so that MPI's own
	 * threads inherit the mask and the signalfd of sched.c gets them */
	sigset_t mask;
	sigemptyset(&mask);
	static const int sigs[] = {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGTSTP};
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++) {
		struct sigaction old;
		if (sigs[i] != SIGCHLD && sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaddset(&mask, sigs[i]);
	}
	sigset_t old_mask;
	sigprocmask(SIG_BLOCK, &mask, &old_mask);
	if (MPI_Init(&argc, &argv) != MPI_SUCCESS) {
		fprintf(stderr, "tribench-mpi: MPI_Init failed\n");
		return EXIT_RUNTIME;
	}
	struct mpi_state st;
	memset(&st, 0, sizeof(st));
	st.c.impl = &st;
	MPI_Comm_rank(MPI_COMM_WORLD, &st.c.rank);
	MPI_Comm_size(MPI_COMM_WORLD, &st.c.size);
	MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
	st.bsend_size = BSEND_MIN;
	st.bsend = xmalloc((size_t)st.bsend_size);
	MPI_Buffer_attach(st.bsend, st.bsend_size);
	int local_rank = 0, local_size = 1, rc;
	/* every rank learns whether every rank could take its share */
	int ok = host_share(&local_rank, &local_size) == 0, all_ok = 0;
	MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	if (!all_ok) {
		rc = EXIT_BAD_INPUT;
	} else if (st.c.rank == 0) {
		/* sched_init blocks the same signals again: it keeps our mask as its old one */
		app_cluster = &st.c;	/* `run` spans the ranks; other commands ignore it */
		mpi_root_init(&st);
		rc = tribench_main(argc, argv);
		mpi_root_release(&st);
	} else {
		rc = mpi_rank_serve(&st, argc, argv);
	}
	/*
	 * A job being torn down: MPI_Finalize waits for every rank, and would
	 * wait for a lost one (rank 0 saw a rank stop answering) or for rank 0
	 * (a rank stopped by mpirun's signal that rank 0 never told to finish)
	 * until mpirun's SIGKILL. Every task is dead by now (sched_fini), rank
	 * 0's report is written: leave, and mpirun exits non-zero.
	 */
	if (st.lost_any || (st.c.rank != 0 && rc >= EXIT_SIGNAL_BASE)) {
		fflush(NULL);
		_exit(rc);
	}
	void *buf;
	int size;
	MPI_Buffer_detach(&buf, &size);
	free(st.bsend);
	MPI_Finalize();
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	return rc;
}
