/* The only hwloc user: the topology, the usable set and the placement plans. */
#include "config.h"
#include "topo.h"

#include <errno.h>
#include <hwloc.h>
#include <hwloc/glibc-sched.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct topo {
	hwloc_topology_t h;
	hwloc_bitmap_t usable;
	struct topo_info info;
};

/* A usable core and its usable PUs in logical order. */
struct core_pus {
	hwloc_obj_t core;
	hwloc_obj_t pus[64];
	int npus;
};

static const char *const mode_names[MODE_COUNT] = {"serial", "concurrent", "parallel"};

const char *mode_name(enum mode m)
{
	return mode_names[m];
}

int mode_parse(const char *s, enum mode *out)
{
	for (int m = 0; m < MODE_COUNT; m++)
		if (!strcmp(s, mode_names[m])) {
			*out = (enum mode)m;
			return 0;
		}
	return -1;
}

int policy_parse(const char *s, struct policy *out)
{
	memset(out, 0, sizeof(*out));
	if (!strcmp(s, "spread"))
		out->kind = POLICY_SPREAD;
	else if (!strcmp(s, "compact"))
		out->kind = POLICY_COMPACT;
	else if (!strcmp(s, "pus"))
		out->kind = POLICY_PUS;
	else if (!strncmp(s, "list:", 5)) {
		out->kind = POLICY_LIST;
		if (cpulist_parse(s + 5, &out->list) < 0) {
			intlist_free(&out->list);
			return error("invalid --policy '%s': expected list:CPUS in taskset syntax, e.g. list:0,2-3", s);
		}
	} else
		return error("invalid --policy '%s': expected spread, compact, pus or list:CPUS", s);
	return 0;
}

char *policy_describe(const struct policy *p)
{
	static const char *const names[] = {"spread", "compact", "pus", "list"};
	if (p->kind != POLICY_LIST)
		return xstrdup(names[p->kind]);
	char buf[1024];
	cpulist_format(p->list.v, p->list.n, buf, sizeof(buf));
	return xasprintf("list:%s", buf);
}

void policy_free(struct policy *p)
{
	intlist_free(&p->list);
}

static int count_type(hwloc_topology_t h, hwloc_obj_type_t type)
{
	int n = hwloc_get_nbobjs_by_type(h, type);
	return n < 0 ? 0 : n;
}

/* The core a PU belongs to; a PU with no core above it is its own core. */
static hwloc_obj_t core_of(hwloc_topology_t h, hwloc_obj_t pu)
{
	hwloc_obj_t core = hwloc_get_ancestor_obj_by_type(h, HWLOC_OBJ_CORE, pu);
	return core ? core : pu;
}

/* Usable PUs in logical order (not always OS order); returns the count. */
static int usable_pus(const struct topo *t, hwloc_obj_t **out)
{
	int npu = count_type(t->h, HWLOC_OBJ_PU), n = 0;
	hwloc_obj_t *pus = xcalloc((size_t)npu, sizeof(*pus));
	for (hwloc_obj_t pu = hwloc_get_next_obj_by_type(t->h, HWLOC_OBJ_PU, NULL); pu;
	     pu = hwloc_get_next_obj_by_type(t->h, HWLOC_OBJ_PU, pu))
		if (n < npu && hwloc_bitmap_isset(t->usable, pu->os_index))
			pus[n++] = pu;
	*out = pus;
	return n;
}

/* Usable cores in logical order, each with its usable PUs; returns the count. */
static int usable_cores(const struct topo *t, struct core_pus **out)
{
	hwloc_obj_t *pus;
	int npu = usable_pus(t, &pus);
	struct core_pus *cores = xcalloc((size_t)npu, sizeof(*cores));
	int n = 0;
	for (int i = 0; i < npu; i++) {
		hwloc_obj_t pu = pus[i];
		hwloc_obj_t core = core_of(t->h, pu);
		int c = 0;
		while (c < n && cores[c].core != core)
			c++;
		if (c == n)
			cores[n++].core = core;
		if (cores[c].npus < (int)ARRAY_SIZE(cores[c].pus))
			cores[c].pus[cores[c].npus++] = pu;
	}
	free(pus);
	*out = cores;
	return n;
}

static void refresh_info(struct topo *t)
{
	struct core_pus *cores;
	intlist_free(&t->info.usable);
	unsigned idx;
	hwloc_bitmap_foreach_begin(idx, t->usable)
		intlist_push(&t->info.usable, (int)idx);
	hwloc_bitmap_foreach_end();
	t->info.usable_cores = usable_cores(t, &cores);
	free(cores);
}

static int topo_finish_load(struct topo *t, const char *synthetic)
{
	if (hwloc_topology_load(t->h) < 0)
		return error("cannot load the hwloc topology");
	hwloc_topology_t h = t->h;
	t->info.is_this_system = hwloc_topology_is_thissystem(h);
	t->info.packages = count_type(h, HWLOC_OBJ_PACKAGE);
	t->info.numa_nodes = count_type(h, HWLOC_OBJ_NUMANODE);
	t->info.pus = count_type(h, HWLOC_OBJ_PU);
	t->info.cores = count_type(h, HWLOC_OBJ_CORE);
	if (!t->info.cores)
		t->info.cores = t->info.pus;
	t->info.synthetic = synthetic ? xstrdup(synthetic) : NULL;

	/* Usable = allowed (cgroups) ∩ the affinity we started with (taskset). */
	t->usable = hwloc_bitmap_dup(hwloc_topology_get_allowed_cpuset(h));
	hwloc_bitmap_t bound = hwloc_bitmap_alloc();
	if (t->info.is_this_system && hwloc_get_cpubind(h, bound, HWLOC_CPUBIND_PROCESS) == 0)
		hwloc_bitmap_and(t->usable, t->usable, bound);
	hwloc_bitmap_free(bound);
	if (hwloc_bitmap_iszero(t->usable))
		return error("no usable CPU: the allowed set and this process's affinity do not meet");
	refresh_info(t);
	return 0;
}

static struct topo *topo_new(void)
{
	struct topo *t = xcalloc(1, sizeof(*t));
	if (hwloc_topology_init(&t->h) < 0)
		die("cannot initialise hwloc");
	return t;
}

int topo_load(struct topo **out)
{
	struct topo *t = topo_new();
	const char *synthetic = getenv("HWLOC_SYNTHETIC");
	if (synthetic && !*synthetic)
		synthetic = NULL;
	if (synthetic && hwloc_topology_set_synthetic(t->h, synthetic) < 0) {
		topo_free(t);
		return error("invalid HWLOC_SYNTHETIC '%s'", synthetic);
	}
	if (topo_finish_load(t, synthetic) < 0) {
		topo_free(t);
		return -1;
	}
	*out = t;
	return 0;
}

int topo_load_synthetic(struct topo **out, const char *desc)
{
	struct topo *t = topo_new();
	if (hwloc_topology_set_synthetic(t->h, desc) < 0 || topo_finish_load(t, desc) < 0) {
		topo_free(t);
		return error("invalid synthetic topology '%s'", desc);
	}
	*out = t;
	return 0;
}

void topo_free(struct topo *t)
{
	if (!t)
		return;
	if (t->usable)
		hwloc_bitmap_free(t->usable);
	hwloc_topology_destroy(t->h);
	intlist_free(&t->info.usable);
	free(t->info.synthetic);
	free(t);
}

const struct topo_info *topo_get_info(const struct topo *t)
{
	return &t->info;
}

int topo_restrict_usable(struct topo *t, const struct intlist *cpus)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	for (int i = 0; i < cpus->n; i++) {
		if (!hwloc_bitmap_isset(t->usable, (unsigned)cpus->v[i])) {
			hwloc_bitmap_free(set);
			return error("CPU %d is not usable", cpus->v[i]);
		}
		hwloc_bitmap_set(set, (unsigned)cpus->v[i]);
	}
	if (hwloc_bitmap_iszero(set)) {
		hwloc_bitmap_free(set);
		return error("empty CPU set");
	}
	hwloc_bitmap_free(t->usable);
	t->usable = set;
	refresh_info(t);
	return 0;
}

int topo_share(const struct topo *t, int index, int count, struct intlist *out)
{
	memset(out, 0, sizeof(*out));
	struct core_pus *cores;
	int n = usable_cores(t, &cores);
	if (count < 1 || index < 0 || index >= count || n < count) {
		free(cores);
		errno = ERANGE;
		return -1;
	}
	/* cores [index * n / count, (index + 1) * n / count): neighbours stay together */
	for (int c = (int)((long)index * n / count); c < (int)((long)(index + 1) * n / count); c++)
		for (int k = 0; k < cores[c].npus; k++)
			intlist_push(out, (int)cores[c].pus[k]->os_index);
	free(cores);
	intlist_sort_unique(out);
	return 0;
}

static hwloc_obj_t usable_pu_by_os(const struct topo *t, int os)
{
	if (os < 0 || !hwloc_bitmap_isset(t->usable, (unsigned)os))
		return NULL;
	return hwloc_get_pu_obj_by_os_index(t->h, (unsigned)os);
}

/* A slot from its PUs (k of them, in placement order: the first is its start). */
static void slot_fill(const struct topo *t, hwloc_obj_t *pus, int k, struct plan_slot *s)
{
	hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(t->h, HWLOC_OBJ_PACKAGE, pus[0]);
	s->pu = (int)pus[0]->os_index;
	s->core = (int)core_of(t->h, pus[0])->logical_index;
	s->package = pkg ? (int)pkg->logical_index : -1;
	memset(&s->pus, 0, sizeof(s->pus));
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	for (int i = 0; i < k; i++) {
		intlist_push(&s->pus, (int)pus[i]->os_index);
		hwloc_bitmap_set(set, pus[i]->os_index);
	}
	intlist_sort_unique(&s->pus);
	CPU_ZERO(&s->mask);
	if (t->info.is_this_system)
		hwloc_cpuset_to_glibc_sched_affinity(t->h, set, &s->mask, sizeof(s->mask));
	hwloc_bitmap_free(set);
}

/*
 * hwloc_distrib, with one repair. Each subtree gets a share of the n slots in
 * proportion to its PUs (cumulative rounding up, as hwloc does); a subtree that
 * gets nothing is folded into the previous set. The repair: while a subtree with
 * free PUs gets nothing and another gets two or more, move one slot over. On
 * regular machines shares never differ by more than one, so this is exactly
 * `hwloc-distrib --single`; on irregular ones (pack:2 core:4 restricted to 0-4)
 * hwloc_distrib would put -j 2 both in package 0, this puts one in each.
 */
static void distrib(hwloc_obj_t *roots, unsigned nroots, hwloc_bitmap_t *sets, unsigned n)
{
	unsigned *chunk = xcalloc(nroots, sizeof(unsigned)), *weight = xcalloc(nroots, sizeof(unsigned));
	unsigned total = 0, given_weight = 0, given = 0;
	for (unsigned i = 0; i < nroots; i++)
		total += weight[i] = (unsigned)hwloc_bitmap_weight(roots[i]->cpuset);
	for (unsigned i = 0; i < nroots && total; i++) {
		chunk[i] = ((given_weight + weight[i]) * n + total - 1) / total -
			   (given_weight * n + total - 1) / total;
		given_weight += weight[i];
	}
	for (;;) {
		unsigned idle = nroots, most = nroots;
		for (unsigned i = 0; i < nroots; i++) {
			if (idle == nroots && weight[i] && !chunk[i])
				idle = i;
			if (chunk[i] >= 2 && (most == nroots || chunk[i] > chunk[most]))
				most = i;
		}
		if (idle == nroots || most == nroots)
			break;
		chunk[most]--;
		chunk[idle]++;
	}
	for (unsigned i = 0; i < nroots; i++) {
		if (!weight[i])
			continue;
		if (roots[i]->arity && chunk[i] > 1)
			distrib(roots[i]->children, roots[i]->arity, sets + given, chunk[i]);
		else if (chunk[i])
			for (unsigned j = 0; j < chunk[i]; j++)
				hwloc_bitmap_copy(sets[given + j], roots[i]->cpuset);
		else if (given)
			hwloc_bitmap_or(sets[given - 1], sets[given - 1], roots[i]->cpuset);
		given += chunk[i];
	}
	free(chunk);
	free(weight);
}

/* Order the first n usable cores as spread places them (indexes into cores). */
static int spread_order(const struct topo *t, const struct core_pus *cores, int ncores, int n,
			int *order)
{
	hwloc_topology_t dup;
	if (hwloc_topology_dup(&dup, t->h) < 0)
		return error("cannot copy the hwloc topology");
	hwloc_bitmap_t firsts = hwloc_bitmap_alloc();
	for (int c = 0; c < ncores; c++)
		hwloc_bitmap_set(firsts, cores[c].pus[0]->os_index);
	int rc = 0;
	hwloc_bitmap_t *sets = xcalloc((size_t)n, sizeof(*sets));
	for (int i = 0; i < n; i++)
		sets[i] = hwloc_bitmap_alloc();
	if (hwloc_topology_restrict(dup, firsts, 0) < 0) {
		rc = error("cannot restrict the hwloc topology to the usable cores");
		goto out;
	}
	hwloc_obj_t root = hwloc_get_root_obj(dup);
	distrib(&root, 1, sets, (unsigned)n);
	for (int i = 0; i < n; i++) {
		hwloc_bitmap_singlify(sets[i]);
		int os = hwloc_bitmap_first(sets[i]);
		order[i] = -1;
		for (int c = 0; c < ncores; c++)
			if ((int)cores[c].pus[0]->os_index == os)
				order[i] = c;
		if (order[i] < 0) {
			rc = error("spread placed a slot outside the usable set");
			goto out;
		}
	}
out:
	for (int i = 0; i < n; i++)
		hwloc_bitmap_free(sets[i]);
	free(sets);
	hwloc_bitmap_free(firsts);
	hwloc_topology_destroy(dup);
	return rc;
}

/* The first usable PU of a core in logical order, not taken (taken NULL:
 * any usable one); NULL when none. */
static hwloc_obj_t first_free_pu(const struct topo *t, hwloc_obj_t core, hwloc_const_bitmap_t taken)
{
	for (hwloc_obj_t pu = hwloc_get_next_obj_inside_cpuset_by_type(t->h, core->cpuset, HWLOC_OBJ_PU, NULL);
	     pu; pu = hwloc_get_next_obj_inside_cpuset_by_type(t->h, core->cpuset, HWLOC_OBJ_PU, pu))
		if (hwloc_bitmap_isset(t->usable, pu->os_index) &&
		    !(taken && hwloc_bitmap_isset(taken, pu->os_index)))
			return pu;
	return NULL;
}

/* A PU that could join a slot grown from start, and how near it is. */
struct candidate {
	hwloc_obj_t pu;
	int smt;                  /* 0: the first PU of a core no slot holds; 1: any other */
	int depth;                /* depth of its common ancestor with start: deeper is nearer */
	unsigned dist;            /* logical PU index after start's, round the machine */
};

static int candidate_cmp(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;
	if (x->smt != y->smt)
		return x->smt - y->smt;
	if (x->depth != y->depth)
		return y->depth - x->depth;
	return x->dist < y->dist ? -1 : x->dist > y->dist;
}

/* The free usable PUs of obj but start that could join start's slot (only
 * the first PU of each core no slot holds when whole_cores), into c; returns
 * how many. Free: usable and not in taken. */
static int candidates(const struct topo *t, hwloc_obj_t obj, hwloc_obj_t start, hwloc_const_bitmap_t taken,
		      bool whole_cores, struct candidate *c)
{
	hwloc_obj_t core = core_of(t->h, start);
	unsigned npu = (unsigned)count_type(t->h, HWLOC_OBJ_PU), os;
	int n = 0;
	hwloc_bitmap_t in = hwloc_bitmap_dup(t->usable);
	hwloc_bitmap_andnot(in, in, taken);
	hwloc_bitmap_and(in, in, obj->cpuset);
	hwloc_bitmap_foreach_begin(os, in)
		hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(t->h, os);
		if (!pu || pu == start || n == (int)npu)
			continue;
		hwloc_obj_t pc = core_of(t->h, pu);
		bool whole = pc != core && !hwloc_bitmap_intersects(pc->cpuset, taken) &&
			     first_free_pu(t, pc, NULL) == pu;
		if (whole_cores && !whole)
			continue;
		c[n++] = (struct candidate){pu, whole ? 0 : 1,
					    hwloc_get_common_ancestor_obj(t->h, pu, start)->depth,
					    (pu->logical_index + npu - start->logical_index) % npu};
	hwloc_bitmap_foreach_end();
	hwloc_bitmap_free(in);
	return n;
}

/*
 * The k PUs of a slot that starts at start (a free usable PU; out[0]): the
 * smallest object above start's core (a cache, NUMA node, package or the
 * machine; objects no wider than the core are passed over, so that SMT
 * siblings are not nearest by default) that holds enough candidates, nearest
 * first (deepest common ancestor with start, then logical order from start
 * round). whole_cores: the candidates are the first PUs of cores no slot
 * holds a PU of (one PU per core); else every free PU, those first, then the
 * others (SMT siblings). Returns 0, or -1 when the machine has too few.
 */
static int grow(const struct topo *t, hwloc_obj_t start, int k, hwloc_const_bitmap_t taken, bool whole_cores,
		hwloc_obj_t *out)
{
	out[0] = start;
	if (k <= 1)
		return 0;
	hwloc_obj_t core = core_of(t->h, start), obj = core;
	struct candidate *c = xcalloc((size_t)count_type(t->h, HWLOC_OBJ_PU), sizeof(*c));
	int n = 0;
	for (; obj; obj = obj->parent) {
		if (obj->parent && hwloc_bitmap_isincluded(obj->cpuset, core->cpuset))
			continue;
		if ((n = candidates(t, obj, start, taken, whole_cores, c)) >= k - 1)
			break;
	}
	if (obj) {
		qsort(c, (size_t)n, sizeof(*c), candidate_cmp);
		for (int i = 1; i < k; i++)
			out[i] = c[i - 1].pu;
	}
	free(c);
	return obj ? 0 : -1;
}

/*
 * Where spread's slot pos (its place in the order of this round) starts: the
 * spread core itself when no slot holds a PU of it, else the next such core in
 * logical order; else the first free PU of a core in the spread order from
 * pos round; else of any core from the spread core on. NULL: every usable PU
 * has a slot.
 */
static hwloc_obj_t spread_start(const struct topo *t, const struct core_pus *cores, int ncores,
				const int *order, int first, int pos, hwloc_const_bitmap_t taken)
{
	int c0 = order[pos];
	for (int i = 0; i < ncores; i++) {
		const struct core_pus *cp = &cores[(c0 + i) % ncores];
		if (!hwloc_bitmap_intersects(cp->core->cpuset, taken))
			return first_free_pu(t, cp->core, taken);
	}
	for (int i = 0; i < first; i++) {
		hwloc_obj_t pu = first_free_pu(t, cores[order[(pos + i) % first]].core, taken);
		if (pu)
			return pu;
	}
	for (int i = 0; i < ncores; i++) {
		hwloc_obj_t pu = first_free_pu(t, cores[(c0 + i) % ncores].core, taken);
		if (pu)
			return pu;
	}
	return NULL;
}

/*
 * spread: slot starts as far apart as the topology allows (hwloc_distrib over
 * one PU per usable core, for min(jobs, cores) slots), each slot grown to k
 * PUs around its start (grow): one PU per core while jobs * k cores are
 * usable, else SMT siblings too. Beyond the cores the starts go round the same
 * order again, onto the PUs the slots left (SMT siblings); when too few PUs
 * are left for a slot, every PU has one: wrap round (a new round, as from the
 * first slot). out: jobs * k PUs.
 */
static int plan_spread(const struct topo *t, int jobs, int k, hwloc_obj_t *out)
{
	struct core_pus *cores;
	int ncores = usable_cores(t, &cores);
	int first = jobs < ncores ? jobs : ncores;
	int *order = xcalloc((size_t)ncores, sizeof(*order));
	int rc = spread_order(t, cores, ncores, first, order);
	hwloc_bitmap_t taken = hwloc_bitmap_alloc();
	bool whole = (long)jobs * k <= ncores;
	for (int i = 0, base = 0; rc == 0 && i < jobs; i++) {
		hwloc_obj_t *slot = out + (size_t)i * (size_t)k;
		hwloc_obj_t start = spread_start(t, cores, ncores, order, first, (i - base) % first, taken);
		if (!start || grow(t, start, k, taken, whole, slot) < 0) {
			hwloc_bitmap_zero(taken);
			base = i;
			start = spread_start(t, cores, ncores, order, first, 0, taken);
			if (!start || grow(t, start, k, taken, whole, slot) < 0)
				rc = error("spread cannot place %d PUs per slot", k);
		}
		for (int j = 0; rc == 0 && j < k; j++)
			hwloc_bitmap_set(taken, slot[j]->os_index);
	}
	hwloc_bitmap_free(taken);
	free(order);
	free(cores);
	return rc;
}

/* Slot i takes the k entries of seq (n long) from i * k on, round. */
static void plan_from_sequence(hwloc_obj_t *seq, int n, int jobs, int k, hwloc_obj_t *out)
{
	for (long i = 0; i < (long)jobs * k; i++)
		out[i] = seq[i % n];
}

/* compact: the first PU of each usable core in logical order, then their
 * second PUs (SMT siblings) in the same order, and so on; slots take k of
 * this sequence each in turn (k neighbouring cores), then wrap round. */
static void plan_compact(const struct topo *t, int jobs, int k, hwloc_obj_t *out)
{
	struct core_pus *cores;
	int ncores = usable_cores(t, &cores);
	hwloc_obj_t *seq = xcalloc((size_t)t->info.usable.n, sizeof(*seq));
	int n = 0;
	for (int round = 0, placed = 1; placed; round++) {
		placed = 0;
		for (int c = 0; c < ncores; c++)
			if (round < cores[c].npus && n < t->info.usable.n) {
				seq[n++] = cores[c].pus[round];
				placed++;
			}
	}
	plan_from_sequence(seq, n, jobs, k, out);
	free(seq);
	free(cores);
}

/* pus: k consecutive usable PUs in logical order (not always OS order) per
 * slot, then wrap round. */
static void plan_pus(const struct topo *t, int jobs, int k, hwloc_obj_t *out)
{
	hwloc_obj_t *all;
	int n = usable_pus(t, &all);
	plan_from_sequence(all, n, jobs, k, out);
	free(all);
}

/* list:CPUS: the CPUs in groups of k, in the list's order, then wrap round. */
static int plan_list(const struct topo *t, const struct policy *p, int jobs, int k, hwloc_obj_t *out)
{
	hwloc_obj_t *seq = xcalloc((size_t)p->list.n, sizeof(*seq));
	int rc = 0;
	for (int i = 0; i < p->list.n && rc == 0; i++)
		if (!(seq[i] = usable_pu_by_os(t, p->list.v[i])))
			rc = error("--policy list: CPU %d is not usable (see 'tribench topology')", p->list.v[i]);
	if (rc == 0)
		plan_from_sequence(seq, p->list.n, jobs, k, out);
	free(seq);
	return rc;
}

/* The parallel slots' PUs (*nout slots of k each, caller frees *out). */
static int plan_parallel(const struct topo *t, const struct plan_opts *o, int k, hwloc_obj_t **out,
			 int *nout)
{
	const struct policy *p = &o->policy;
	if (p->kind == POLICY_LIST && p->list.n % k) {
		char *d = policy_describe(p);
		error("--policy %s has %d CPU%s, not a multiple of --cpus-per-task %d", d, p->list.n,
		      p->list.n == 1 ? "" : "s", k);
		free(d);
		return -1;
	}
	int jobs = o->jobs;
	if (jobs <= 0)
		jobs = p->kind == POLICY_LIST ? p->list.n / k : t->info.usable_cores / k;
	if (jobs <= 0)
		jobs = 1;
	hwloc_obj_t *pus = xcalloc((size_t)jobs * (size_t)k, sizeof(*pus));
	int rc = 0;
	switch (p->kind) {
	case POLICY_SPREAD:
		rc = plan_spread(t, jobs, k, pus);
		break;
	case POLICY_COMPACT:
		plan_compact(t, jobs, k, pus);
		break;
	case POLICY_PUS:
		plan_pus(t, jobs, k, pus);
		break;
	case POLICY_LIST:
		rc = plan_list(t, p, jobs, k, pus);
		break;
	}
	if (rc < 0) {
		free(pus);
		return -1;
	}
	*out = pus;
	*nout = jobs;
	return 0;
}

/* The serial/concurrent PU: --cpu, or the first usable PU in logical order. */
static hwloc_obj_t single_pu(const struct topo *t, int cpu)
{
	if (cpu >= 0)
		return usable_pu_by_os(t, cpu);
	hwloc_obj_t *all, first = NULL;
	if (usable_pus(t, &all) > 0)
		first = all[0];
	free(all);
	return first;
}

/* Does some PU belong to more than one slot? */
static bool any_pu_shared(const struct plan *p)
{
	hwloc_bitmap_t seen = hwloc_bitmap_alloc();
	bool shared = false;
	for (int i = 0; i < p->nslots && !shared; i++)
		for (int j = 0; j < p->slots[i].pus.n && !shared; j++) {
			unsigned pu = (unsigned)p->slots[i].pus.v[j];
			shared = hwloc_bitmap_isset(seen, pu);
			hwloc_bitmap_set(seen, pu);
		}
	hwloc_bitmap_free(seen);
	return shared;
}

int plan_build(const struct topo *t, enum mode mode, const struct plan_opts *o, int ntasks,
	       struct plan *out)
{
	hwloc_obj_t *pus;
	int n, k = o->cpus_per_task > 0 ? o->cpus_per_task : 1;
	memset(out, 0, sizeof(*out));
	out->mode = mode;
	if (k > t->info.usable.n)
		return error("--cpus-per-task %d is more than the %d usable CPU%s (see 'tribench topology')", k,
			     t->info.usable.n, t->info.usable.n == 1 ? "" : "s");
	if (mode == MODE_PARALLEL) {
		if (plan_parallel(t, o, k, &pus, &n) < 0)
			return -1;
		out->max_in_flight = n;
	} else {
		hwloc_obj_t pu = single_pu(t, o->cpu);
		if (!pu) {
			char buf[256];
			cpulist_format(t->info.usable.v, t->info.usable.n, buf, sizeof(buf));
			return error("--cpu %d is not a usable CPU (usable: %s)", o->cpu, buf);
		}
		pus = xcalloc((size_t)k, sizeof(*pus));
		hwloc_bitmap_t none = hwloc_bitmap_alloc();
		int rc = grow(t, pu, k, none, k <= t->info.usable_cores, pus);
		hwloc_bitmap_free(none);
		if (rc < 0) {
			free(pus);
			return error("cannot place %d PUs around CPU %d", k, (int)pu->os_index);
		}
		n = 1;
		out->max_in_flight = mode == MODE_SERIAL ? 1 : (ntasks > 0 ? ntasks : -1);
	}
	if (o->max_in_flight > 0 && (out->max_in_flight < 0 || out->max_in_flight > o->max_in_flight))
		out->max_in_flight = o->max_in_flight;
	out->nslots = n;
	out->slots = xcalloc((size_t)n, sizeof(*out->slots));
	for (int i = 0; i < n; i++)
		slot_fill(t, pus + (size_t)i * (size_t)k, k, &out->slots[i]);
	out->oversubscribed = any_pu_shared(out);
	free(pus);
	return 0;
}

void plan_free(struct plan *p)
{
	for (int i = 0; i < p->nslots; i++)
		intlist_free(&p->slots[i].pus);
	free(p->slots);
	p->slots = NULL;
	p->nslots = 0;
}
