/* One task's tree, sampled: its threads' CPUs and their running time, per CPU,
 * within a budget of file reads per tick. */
#include "config.h"
#include "tree.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

void tree_free(struct tree *tr)
{
	intlist_free(&tr->pass);
	free(tr->known);
	free(tr->by_cpu);
	memset(tr, 0, sizeof(*tr));
}

/* The known entry of tid, inserted (running 0) when new: kept sorted so a
 * big tree costs log n per thread, not n. */
static struct tree_thread *known(struct tree *tr, int tid)
{
	int lo = 0, hi = tr->nknown;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (tr->known[mid].tid < tid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < tr->nknown && tr->known[lo].tid == tid)
		return &tr->known[lo];
	if (tr->nknown == tr->alloc) {
		tr->alloc = tr->alloc ? 2 * tr->alloc : 8;
		tr->known = xrealloc(tr->known, (size_t)tr->alloc * sizeof(*tr->known));
	}
	memmove(&tr->known[lo + 1], &tr->known[lo], (size_t)(tr->nknown - lo) * sizeof(*tr->known));
	tr->nknown++;
	tr->known[lo] = (struct tree_thread){tid, 0};
	return &tr->known[lo];
}

static void see(struct intlist *seen, int cpu)
{
	if (!intlist_has(seen, cpu)) {
		intlist_push(seen, cpu);
		intlist_sort_unique(seen);
	}
}

/* Charge tid's running time since its last reading to cpu. A counter that
 * went backwards is a new thread with a reused tid: all of it is new. */
static void charge(struct tree *tr, int tid, double running_s, int cpu, struct sampler *s)
{
	struct tree_thread *k = known(tr, tid);
	double delta = running_s >= k->running_s ? running_s - k->running_s : running_s;
	k->running_s = running_s;
	if (delta > 0) {
		sampler_charge(s, cpu, delta);
		tr->charged_s += delta;
		int i = 0;
		while (i < tr->nby && tr->by_cpu[i].cpu != cpu)
			i++;
		if (i == tr->nby) {
			if (tr->nby == tr->by_alloc) {
				tr->by_alloc = tr->by_alloc ? 2 * tr->by_alloc : 4;
				tr->by_cpu = xrealloc(tr->by_cpu, (size_t)tr->by_alloc * sizeof(*tr->by_cpu));
			}
			tr->by_cpu[tr->nby++] = (struct tree_cpu){cpu, 0};
		}
		tr->by_cpu[i].s += delta;
	}
}

/* One thread: 2 reads (stat, then schedstat). */
static void read_thread(struct tree *tr, int tid, pid_t leader, struct sampler *s, struct intlist *seen)
{
	int cpu;
	double running, ready;
	if (probe_last_cpu(tid, &cpu) < 0)
		return;
	see(seen, cpu);
	if (tid == leader) {
		tr->leader_cpu = cpu;
		tr->have_leader_cpu = true;
	}
	if (probe_schedstat(tid, &running, &ready) == 0)
		charge(tr, tid, running, cpu, s);
}

/* The pids of a /proc children file (space-separated) onto out, each once. */
static void push_children(const char *text, struct intlist *out)
{
	for (const char *p = text; *p;) {
		char *end;
		long pid = strtol(p, &end, 10);
		if (end == p)
			break;
		p = end;
		if (pid > 0 && pid <= INT_MAX && !intlist_has(out, (int)pid))
			intlist_push(out, (int)pid);
	}
}

/*
 * Without a leaf: the threads of the leader and of its descendants, found
 * from the leader down (each process's /proc/PID/task directory, then each
 * thread's children file), at most cap files. A descendant that setsid'd
 * is found too (it is still a child); one whose parent died is not (it went
 * to its subreaper). Returns the files read.
 */
static int walk_tree(pid_t leader, int cap, struct intlist *tids)
{
	struct intlist procs = {0};
	intlist_push(&procs, (int)leader);
	int reads = 0;
	for (int i = 0; i < procs.n && reads < cap; i++) {
		char path[64], buf[4096];
		snprintf(path, sizeof(path), "/proc/%d/task", procs.v[i]);
		reads++;
		DIR *d = opendir(path);
		if (!d)
			continue;
		int from = tids->n;
		struct dirent *e;
		while ((e = readdir(d))) {
			int tid = atoi(e->d_name);
			if (tid > 0)
				intlist_push(tids, tid);
		}
		closedir(d);
		for (int j = from; j < tids->n && reads < cap; j++) {
			snprintf(path, sizeof(path), "/proc/%d/task/%d/children", procs.v[i], tids->v[j]);
			reads++;
			if (probe_read_file(path, buf, sizeof(buf)) > 0)
				push_children(buf, &procs);
		}
	}
	if (!tids->n)	/* unreadable: the leader's own files still say something */
		intlist_push(tids, (int)leader);
	intlist_free(&procs);
	return reads;
}

/* Start a pass: the leaf's processes (procs_max; *nprocs, -1 unread) and
 * threads, or without a leaf the tree walked from the leader (cap: the most
 * files the walk may read). Returns the files read. */
static int pass_start(struct tree *tr, const struct cgroup_leaf *leaf, pid_t leader, int cap, int *nprocs)
{
	tr->pass.n = 0;
	tr->pos = 0;
	tr->in_pass = true;
	*nprocs = -1;
	if (!leaf)
		return walk_tree(leader, cap, &tr->pass);
	struct intlist procs = {0};
	int n = *nprocs = cgroup_pids(leaf, false, &procs);
	intlist_free(&procs);
	if (n > tr->procs_max)
		tr->procs_max = n;
	/* an empty leaf has no threads: spare the read */
	if (n != 0 && cgroup_pids(leaf, true, &tr->pass) < 0)
		tr->pass.n = 0;
	return n != 0 ? 2 : 1;
}

int tree_sample(struct tree *tr, const struct cgroup_leaf *leaf, pid_t leader, int budget,
		struct sampler *s, struct intlist *seen, bool *pass_done)
{
	int used = 0;
	*pass_done = false;
	if (!tr->in_pass) {
		if (budget < 2)
			return 0;
		int nprocs;
		used += pass_start(tr, leaf, leader, budget - 2, &nprocs);
	}
	while (tr->pos < tr->pass.n && budget - used >= 2) {
		read_thread(tr, tr->pass.v[tr->pos++], leader, s, seen);
		used += 2;
	}
	if (tr->pos >= tr->pass.n) {
		tr->in_pass = false;
		*pass_done = true;
	}
	return used;
}

int tree_leader_exit(struct tree *tr, const struct cgroup_leaf *leaf, pid_t leader,
		     double running_s, int cpu, struct sampler *s, struct intlist *seen)
{
	if (cpu >= 0) {
		tr->leader_cpu = cpu;
		tr->have_leader_cpu = true;
	}
	if (running_s >= 0 && cpu >= 0)
		charge(tr, (int)leader, running_s, cpu, s);
	if (!leaf)
		return -1;
	/* the zombie leader has left cgroup.procs: count it back */
	int nprocs;
	pass_start(tr, leaf, leader, 0, &nprocs);
	if (tr->procs_max < 1 + (nprocs > 0 ? nprocs : 0))
		tr->procs_max = 1 + (nprocs > 0 ? nprocs : 0);
	while (tr->pos < tr->pass.n)
		read_thread(tr, tr->pass.v[tr->pos++], leader, s, seen);
	tr->in_pass = false;
	return nprocs;
}

void tree_settle(struct tree *tr, double total_s, const struct intlist *fallback, struct sampler *s)
{
	double rest = total_s - tr->charged_s;
	if (isnan(rest) || rest <= 0)
		return;
	if (tr->charged_s > 0)
		for (int i = 0; i < tr->nby; i++)
			sampler_charge(s, tr->by_cpu[i].cpu, rest * tr->by_cpu[i].s / tr->charged_s);
	else if (tr->have_leader_cpu)
		sampler_charge(s, tr->leader_cpu, rest);
	else
		for (int i = 0; i < fallback->n; i++)
			sampler_charge(s, fallback->v[i], rest / fallback->n);
	tr->charged_s += rest;
}
