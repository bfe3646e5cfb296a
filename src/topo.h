#ifndef TRIBENCH_TOPO_H
#define TRIBENCH_TOPO_H

#include <sched.h>
#include <stdbool.h>

#include "util.h"

/* The machine as hwloc sees it; the only hwloc user is topo.c. */
struct topo;

struct topo_info {
	int packages, numa_nodes, cores, pus;
	int usable_cores;         /* cores with at least one usable PU */
	struct intlist usable;    /* usable PUs, OS indexes, sorted */
	char *synthetic;          /* hwloc synthetic description, or NULL */
	bool is_this_system;      /* false for synthetic or XML topologies */
};

enum mode { MODE_SERIAL, MODE_CONCURRENT, MODE_PARALLEL, MODE_COUNT };
const char *mode_name(enum mode m);
int mode_parse(const char *s, enum mode *out);

enum policy_kind { POLICY_SPREAD, POLICY_COMPACT, POLICY_PUS, POLICY_LIST };

struct policy {
	enum policy_kind kind;
	struct intlist list;      /* POLICY_LIST: the OS CPUs, sorted, each once */
};
int policy_parse(const char *s, struct policy *out);
/* "spread", "compact", "pus" or "list:0,2-3"; caller frees. */
char *policy_describe(const struct policy *p);
void policy_free(struct policy *p);

struct plan_opts {
	int cpu;                  /* serial/concurrent PU (OS index), -1: the first
				   * usable PU in hwloc's logical order */
	int jobs;                 /* parallel slots, 0: usable cores / cpus_per_task
				   * (list: its length / cpus_per_task), at least 1 */
	int max_in_flight;        /* --max-in-flight: at most this many at once, 0: no cap */
	int cpus_per_task;        /* --cpus-per-task: PUs per slot (0 is taken as 1) */
	struct policy policy;
};

/* One slot is a set of cpus_per_task PUs (one, by default). */
struct plan_slot {
	int pu;                   /* OS index of its first PU in placement order (the
				   * start spread chose, the --cpu): hooks, names */
	int core;                 /* logical index of pu's core */
	int package;              /* logical index of pu's package, -1 when none */
	struct intlist pus;       /* all its PUs, OS indexes, sorted (owned by the plan) */
	cpu_set_t mask;           /* the same, prepared for sched_setaffinity in the
				   * child; empty for a topology not of this system */
};

struct plan {
	enum mode mode;
	int nslots;
	struct plan_slot *slots;
	int max_in_flight;        /* -1: unbounded (concurrent, task count unknown) */
	bool oversubscribed;      /* some PU belongs to more than one slot */
};

/* Load the machine's topology; HWLOC_SYNTHETIC / HWLOC_XMLFILE are honoured. */
int topo_load(struct topo **out);
/* Load a synthetic topology (tests, "what would it do on ..."). */
int topo_load_synthetic(struct topo **out, const char *desc);
void topo_free(struct topo *t);
const struct topo_info *topo_get_info(const struct topo *t);
/*
 * Share index of count equal shares of the usable cores (tribench-mpi's
 * ranks on one host): the usable PUs (OS indexes, sorted) of cores
 * [index * n / count, (index + 1) * n / count) of the n usable cores in
 * hwloc's logical order, so a share keeps neighbouring cores and SMT
 * siblings together. 0, or -1 with ERANGE when there are fewer cores than
 * shares (out is then empty). out is the caller's (intlist_free).
 */
int topo_share(const struct topo *t, int index, int count, struct intlist *out);
/* Narrow the usable set (tests of restricted machines); every CPU must be usable. */
int topo_restrict_usable(struct topo *t, const struct intlist *cpus);

/*
 * Build one mode's plan (DESIGN §1; out is the caller's, freed by plan_free).
 * ntasks sizes the concurrent admission (0: unknown). Each slot holds
 * o->cpus_per_task PUs: spread grows each slot around its start inside the
 * smallest cache/NUMA node/package holding that many free PUs, one per core
 * before SMT siblings; compact takes neighbouring cores, pus neighbouring PUs,
 * list:CPUS groups its CPUs in order; serial/concurrent grow one set around
 * --cpu as spread does. -1 with one error line: --cpu not usable, a list CPU
 * not usable, a list whose length is not a multiple of cpus_per_task, or
 * cpus_per_task above the usable PUs.
 */
int plan_build(const struct topo *t, enum mode mode, const struct plan_opts *o, int ntasks,
	       struct plan *out);
void plan_free(struct plan *p);

#endif
