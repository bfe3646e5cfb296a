/*
 * Unit tests of topo.c: placement plans (DESIGN §1) on synthetic hwloc topologies.
 * Golden slot PUs are OS indexes, as `HWLOC_SYNTHETIC=... lstopo-no-graphics -p`
 * numbers them; each golden was derived from the topology and checked by running.
 */
#include "config.h"
#include "topo.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "synthetic.h"

/* Topologies under test, and where each PU sits in them. */
#define T_FLAT "core:2 pu:1"
#define T_2PKG "pack:2 core:8 pu:2"
/* PU OS indexes numbered across packages first: the siblings of core c are c and c+16 */
#define T_2PKG_CP "pack:2 core:8 pu:2(indexes=core:pack)"
#define T_NUMA "pack:1 numa:2 core:4 pu:2"

struct layout {
	const char *desc;
	int (*core)(int pu);       /* logical core of a PU */
	int (*package)(int pu);    /* logical package, -1 when none */
	int (*group)(int pu);      /* the widest level spread balances over */
};

static int flat_core(int pu) { return pu; }
static int flat_package(int pu) { (void)pu; return -1; }
static int flat_group(int pu) { (void)pu; return 0; }
static int pkg_core(int pu) { return pu / 2; }
static int pkg_package(int pu) { return pu / 16; }
static int cp_core(int pu) { return pu % 16; }
static int cp_package(int pu) { return (pu % 16) / 8; }
static int numa_core(int pu) { return pu / 2; }
static int numa_package(int pu) { (void)pu; return 0; }
static int numa_node(int pu) { return pu / 8; }

static const struct layout layouts[] = {
	{T_FLAT, flat_core, flat_package, flat_group},
	{T_2PKG, pkg_core, pkg_package, pkg_package},
	{T_2PKG_CP, cp_core, cp_package, cp_package},
	{T_NUMA, numa_core, numa_package, numa_node},
};

static const struct layout *layout_of(const char *desc)
{
	for (size_t i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++)
		if (!strcmp(layouts[i].desc, desc))
			return &layouts[i];
	fail_msg("no layout for '%s'", desc);
	return NULL;
}


/* plan_build for one mode with a policy given as text; returns its result. */
static int build(const struct topo *t, enum mode mode, const char *policy, int jobs, int cpu,
		 int ntasks, struct plan *p)
{
	struct plan_opts o = {.cpu = cpu, .jobs = jobs};
	assert_int_equal(policy_parse(policy, &o.policy), 0);
	int rc = plan_build(t, mode, &o, ntasks, p);
	policy_free(&o.policy);
	return rc;
}

static void parallel(const struct topo *t, const char *policy, int jobs, struct plan *p)
{
	if (build(t, MODE_PARALLEL, policy, jobs, -1, 0, p) < 0)
		fail_msg("parallel plan %s -j %d failed", policy, jobs);
}

static void assert_slot_pus(const struct plan *p, const int *want, int n)
{
	if (p->nslots != n)
		fail_msg("%d slots, expected %d", p->nslots, n);
	for (int i = 0; i < n; i++)
		if (p->slots[i].pu != want[i])
			fail_msg("slot %d on PU %d, expected PU %d", i, p->slots[i].pu, want[i]);
}

/* The parallel plan of policy/jobs on t has exactly these slot PUs. */
static void assert_parallel(const struct topo *t, const char *policy, int jobs, const int *want,
			    int n, bool oversubscribed)
{
	struct plan p;
	parallel(t, policy, jobs, &p);
	assert_int_equal(p.mode, MODE_PARALLEL);
	assert_slot_pus(&p, want, n);
	assert_int_equal(p.max_in_flight, n);
	if (p.oversubscribed != oversubscribed)
		fail_msg("%s -j %d: oversubscribed is %d", policy, jobs, p.oversubscribed);
	plan_free(&p);
}

#define PARALLEL(t, policy, jobs, over, ...)                                              \
	do {                                                                             \
		static const int want_[] = {__VA_ARGS__};                                \
		assert_parallel(t, policy, jobs, want_, (int)(sizeof(want_) / sizeof(int)), over); \
	} while (0)

/* The serial or concurrent PU for --cpu (-1: default). */
static int single(const struct topo *t, enum mode mode, int cpu)
{
	struct plan p;
	if (build(t, mode, "spread", 0, cpu, 3, &p) < 0)
		fail_msg("%s plan with --cpu %d failed", mode_name(mode), cpu);
	assert_int_equal(p.nslots, 1);
	assert_false(p.oversubscribed);
	int pu = p.slots[0].pu;
	plan_free(&p);
	return pu;
}

static void seq(int *v, int n, int first, int step)
{
	for (int i = 0; i < n; i++)
		v[i] = first + i * step;
}

/* ---- info -------------------------------------------------------------- */

static void assert_usable(const struct topo_info *i, const int *want, int n)
{
	assert_int_equal(i->usable.n, n);
	for (int k = 0; k < n; k++)
		assert_int_equal(i->usable.v[k], want[k]);
}

static void info_counts_flat_machine(void **state)
{
	(void)state;
	struct topo *t = load(T_FLAT);
	const struct topo_info *i = topo_get_info(t);
	assert_int_equal(i->packages, 0);
	assert_int_equal(i->numa_nodes, 1);
	assert_int_equal(i->cores, 2);
	assert_int_equal(i->pus, 2);
	assert_int_equal(i->usable_cores, 2);
	static const int usable[] = {0, 1};
	assert_usable(i, usable, 2);
	assert_string_equal(i->synthetic, T_FLAT);
	assert_false(i->is_this_system);
	topo_free(t);
}

static void info_counts_two_packages(void **state)
{
	(void)state;
	static const char *const descs[] = {T_2PKG, T_2PKG_CP};
	for (size_t d = 0; d < 2; d++) {
		struct topo *t = load(descs[d]);
		const struct topo_info *i = topo_get_info(t);
		assert_int_equal(i->packages, 2);
		assert_int_equal(i->numa_nodes, 1);
		assert_int_equal(i->cores, 16);
		assert_int_equal(i->pus, 32);
		assert_int_equal(i->usable_cores, 16);
		int usable[32];
		seq(usable, 32, 0, 1);	/* sorted OS indexes, whatever the logical order */
		assert_usable(i, usable, 32);
		assert_string_equal(i->synthetic, descs[d]);
		assert_false(i->is_this_system);
		topo_free(t);
	}
}

static void info_counts_numa_nodes(void **state)
{
	(void)state;
	struct topo *t = load(T_NUMA);
	const struct topo_info *i = topo_get_info(t);
	assert_int_equal(i->packages, 1);
	assert_int_equal(i->numa_nodes, 2);
	assert_int_equal(i->cores, 8);
	assert_int_equal(i->pus, 16);
	assert_int_equal(i->usable_cores, 8);
	assert_int_equal(i->usable.n, 16);
	topo_free(t);
}

static void info_follows_restriction(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	restrict_to(t, "16-31");
	const struct topo_info *i = topo_get_info(t);
	/* the machine is unchanged, only the usable set shrinks */
	assert_int_equal(i->packages, 2);
	assert_int_equal(i->cores, 16);
	assert_int_equal(i->pus, 32);
	assert_int_equal(i->usable_cores, 8);
	int usable[16];
	seq(usable, 16, 16, 1);
	assert_usable(i, usable, 16);
	restrict_to(t, "17,19,20");
	assert_int_equal(i->usable_cores, 3);
	restrict_to(t, "20,19");
	assert_int_equal(i->usable_cores, 2);
	static const int two[] = {19, 20};
	assert_usable(i, two, 2);
	topo_free(t);
}

static void invalid_synthetic_topology_fails(void **state)
{
	(void)state;
	struct topo *t = NULL;
	assert_int_equal(topo_load_synthetic(&t, "bogus:3"), -1);
	assert_int_equal(topo_load_synthetic(&t, "pack:0 pu:1"), -1);
	assert_int_equal(topo_load_synthetic(&t, ""), -1);
	assert_null(t);
}

static void restrict_refuses_unusable_or_empty_sets(void **state)
{
	(void)state;
	struct topo *t = load(T_FLAT);
	struct intlist l = {0};
	assert_int_equal(topo_restrict_usable(t, &l), -1);	/* empty */
	intlist_push(&l, 2);
	assert_int_equal(topo_restrict_usable(t, &l), -1);	/* not a PU */
	assert_int_equal(topo_get_info(t)->usable.n, 2);
	intlist_free(&l);
	restrict_to(t, "1");
	/* only narrowing: CPU 0 is no longer usable */
	intlist_push(&l, 0);
	assert_int_equal(topo_restrict_usable(t, &l), -1);
	intlist_free(&l);
	assert_int_equal(topo_get_info(t)->usable.n, 1);
	assert_int_equal(topo_get_info(t)->usable.v[0], 1);
	topo_free(t);
}

/* ---- policies, modes ---------------------------------------------------- */

static void policy_parse_and_describe(void **state)
{
	(void)state;
	static const char *const same[] = {"spread", "compact", "pus", "list:0", "list:0,2-3"};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct policy p;
		assert_int_equal(policy_parse(same[i], &p), 0);
		char *d = policy_describe(&p);
		assert_string_equal(d, same[i]);
		free(d);
		policy_free(&p);
	}
	struct policy p;
	assert_int_equal(policy_parse("spread", &p), 0);
	assert_int_equal(p.kind, POLICY_SPREAD);
	policy_free(&p);
	assert_int_equal(policy_parse("list:1-2,2,3", &p), 0);
	assert_int_equal(p.kind, POLICY_LIST);
	assert_int_equal(p.list.n, 3);
	char *d = policy_describe(&p);
	assert_string_equal(d, "list:1-3");
	free(d);
	policy_free(&p);
}

static void policy_parse_rejects_bad_text(void **state)
{
	(void)state;
	static const char *const bad[] = {"", "Spread", "spread ", "random", "list", "list:",
					  "list:a", "list:1-", "list:3-1", "list:1,,2", "list:-1",
					  "list:99999999999", "pus:1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct policy p;
		if (policy_parse(bad[i], &p) != -1)
			fail_msg("policy '%s' was accepted", bad[i]);
		policy_free(&p);
	}
}

static void mode_names_round_trip(void **state)
{
	(void)state;
	for (int m = 0; m < MODE_COUNT; m++) {
		enum mode back;
		assert_int_equal(mode_parse(mode_name((enum mode)m), &back), 0);
		assert_int_equal(back, m);
	}
	assert_string_equal(mode_name(MODE_SERIAL), "serial");
	assert_string_equal(mode_name(MODE_CONCURRENT), "concurrent");
	assert_string_equal(mode_name(MODE_PARALLEL), "parallel");
	enum mode m;
	assert_int_equal(mode_parse("Serial", &m), -1);
	assert_int_equal(mode_parse("", &m), -1);
	assert_int_equal(mode_parse("parallel,", &m), -1);
}

/* ---- serial and concurrent --------------------------------------------- */

static void serial_and_concurrent_share_the_first_usable_pu(void **state)
{
	(void)state;
	for (size_t l = 0; l < sizeof(layouts) / sizeof(layouts[0]); l++) {
		struct topo *t = load(layouts[l].desc);
		assert_int_equal(single(t, MODE_SERIAL, -1), 0);
		assert_int_equal(single(t, MODE_CONCURRENT, -1), 0);
		topo_free(t);
	}
	struct topo *t = load(T_2PKG);
	restrict_to(t, "5-9");
	assert_int_equal(single(t, MODE_SERIAL, -1), 5);
	assert_int_equal(single(t, MODE_CONCURRENT, -1), 5);
	topo_free(t);
}

static void serial_and_concurrent_use_the_given_cpu(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	struct plan p;
	for (int m = MODE_SERIAL; m <= MODE_CONCURRENT; m++) {
		assert_int_equal(build(t, (enum mode)m, "spread", 0, 17, 4, &p), 0);
		assert_int_equal(p.nslots, 1);
		assert_int_equal(p.slots[0].pu, 17);
		assert_int_equal(p.slots[0].core, 8);
		assert_int_equal(p.slots[0].package, 1);
		plan_free(&p);
	}
	assert_int_equal(single(t, MODE_SERIAL, 31), 31);
	topo_free(t);

	t = load(T_2PKG_CP);
	assert_int_equal(build(t, MODE_SERIAL, "spread", 0, 16, 1, &p), 0);
	assert_int_equal(p.slots[0].pu, 16);
	assert_int_equal(p.slots[0].core, 0);	/* the sibling of PU 0 */
	assert_int_equal(p.slots[0].package, 0);
	plan_free(&p);
	topo_free(t);
}

static void serial_admits_one_concurrent_all(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	struct plan p;
	assert_int_equal(build(t, MODE_SERIAL, "spread", 0, -1, 7, &p), 0);
	assert_int_equal(p.mode, MODE_SERIAL);
	assert_int_equal(p.max_in_flight, 1);
	plan_free(&p);
	assert_int_equal(build(t, MODE_SERIAL, "spread", 0, -1, 0, &p), 0);
	assert_int_equal(p.max_in_flight, 1);
	plan_free(&p);
	assert_int_equal(build(t, MODE_CONCURRENT, "spread", 0, -1, 7, &p), 0);
	assert_int_equal(p.mode, MODE_CONCURRENT);
	assert_int_equal(p.max_in_flight, 7);
	assert_int_equal(p.nslots, 1);
	assert_false(p.oversubscribed);	/* one slot: the tasks share it on purpose */
	plan_free(&p);
	assert_int_equal(build(t, MODE_CONCURRENT, "spread", 0, -1, 1, &p), 0);
	assert_int_equal(p.max_in_flight, 1);
	plan_free(&p);
	assert_int_equal(build(t, MODE_CONCURRENT, "spread", 0, -1, 0, &p), 0);
	assert_int_equal(p.max_in_flight, -1);	/* task count unknown: unbounded */
	plan_free(&p);
	topo_free(t);
}

static void serial_ignores_jobs_and_policy(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	struct plan p;
	assert_int_equal(build(t, MODE_SERIAL, "list:20-23", 4, 3, 2, &p), 0);
	assert_int_equal(p.nslots, 1);
	assert_int_equal(p.slots[0].pu, 3);
	plan_free(&p);
	topo_free(t);
}

static void cpu_outside_the_usable_set_fails(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	struct plan p;
	for (int m = MODE_SERIAL; m <= MODE_CONCURRENT; m++) {
		assert_int_equal(build(t, (enum mode)m, "spread", 0, 32, 1, &p), -1);
		plan_free(&p);
		assert_int_equal(build(t, (enum mode)m, "spread", 0, 1000000, 1, &p), -1);
		plan_free(&p);
	}
	restrict_to(t, "16-31");
	assert_int_equal(build(t, MODE_SERIAL, "spread", 0, 0, 1, &p), -1);
	plan_free(&p);
	assert_int_equal(build(t, MODE_CONCURRENT, "spread", 0, 15, 1, &p), -1);
	plan_free(&p);
	assert_int_equal(single(t, MODE_SERIAL, 16), 16);
	/* --cpu is for serial and concurrent only: parallel is not affected */
	assert_int_equal(build(t, MODE_PARALLEL, "spread", 2, 0, 1, &p), 0);
	plan_free(&p);
	topo_free(t);
}

/* ---- parallel: golden plans --------------------------------------------- */

static void flat_machine_plans(void **state)
{
	(void)state;
	struct topo *t = load(T_FLAT);
	static const char *const pols[] = {"spread", "compact", "pus"};
	for (size_t i = 0; i < 3; i++) {
		PARALLEL(t, pols[i], 0, false, 0, 1);
		PARALLEL(t, pols[i], 1, false, 0);
		PARALLEL(t, pols[i], 2, false, 0, 1);
		PARALLEL(t, pols[i], 3, true, 0, 1, 0);
		PARALLEL(t, pols[i], 5, true, 0, 1, 0, 1, 0);
	}
	struct plan p;
	parallel(t, "spread", 2, &p);
	assert_int_equal(p.slots[1].core, 1);
	assert_int_equal(p.slots[1].package, -1);	/* no package level */
	plan_free(&p);
	topo_free(t);
}

static void two_packages_spread(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	PARALLEL(t, "spread", 1, false, 0);
	PARALLEL(t, "spread", 2, false, 0, 16);
	PARALLEL(t, "spread", 3, false, 0, 8, 16);
	PARALLEL(t, "spread", 4, false, 0, 8, 16, 24);
	PARALLEL(t, "spread", 8, false, 0, 4, 8, 12, 16, 20, 24, 28);
	/* default jobs: one per usable core */
	PARALLEL(t, "spread", 0, false, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
	/* beyond the cores: SMT siblings, still no PU twice */
	PARALLEL(t, "spread", 17, false, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
		 1);
	PARALLEL(t, "spread", 20, false, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
		 1, 3, 5, 7);
	topo_free(t);
}

static void two_packages_compact(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	PARALLEL(t, "compact", 1, false, 0);
	PARALLEL(t, "compact", 2, false, 0, 2);
	PARALLEL(t, "compact", 4, false, 0, 2, 4, 6);
	PARALLEL(t, "compact", 8, false, 0, 2, 4, 6, 8, 10, 12, 14);
	PARALLEL(t, "compact", 9, false, 0, 2, 4, 6, 8, 10, 12, 14, 16);
	PARALLEL(t, "compact", 0, false, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28,
		 30);
	PARALLEL(t, "compact", 18, false, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28,
		 30, 1, 3);
	topo_free(t);
}

static void two_packages_pus(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	PARALLEL(t, "pus", 1, false, 0);
	PARALLEL(t, "pus", 2, false, 0, 1);
	PARALLEL(t, "pus", 4, false, 0, 1, 2, 3);
	/* default jobs: usable cores, even for pus */
	PARALLEL(t, "pus", 0, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	topo_free(t);
}

static void two_packages_all_pus_then_wrap(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	int want[34];
	/* spread and compact: the first PU of every core, then every second PU */
	for (int i = 0; i < 16; i++) {
		want[i] = 2 * i;
		want[16 + i] = 2 * i + 1;
	}
	want[32] = 0;
	want[33] = 2;
	assert_parallel(t, "spread", 32, want, 32, false);
	assert_parallel(t, "compact", 32, want, 32, false);
	assert_parallel(t, "spread", 33, want, 33, true);
	assert_parallel(t, "compact", 34, want, 34, true);
	/* pus: logical order, which is OS order here */
	seq(want, 32, 0, 1);
	want[32] = 0;
	want[33] = 1;
	assert_parallel(t, "pus", 32, want, 32, false);
	assert_parallel(t, "pus", 34, want, 34, true);
	topo_free(t);
}

static void core_major_indexes_spread(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG_CP);
	PARALLEL(t, "spread", 2, false, 0, 8);
	PARALLEL(t, "spread", 4, false, 0, 4, 8, 12);
	PARALLEL(t, "spread", 8, false, 0, 2, 4, 6, 8, 10, 12, 14);
	PARALLEL(t, "spread", 0, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	/* the sibling of core 0 is PU 16, not PU 1 */
	PARALLEL(t, "spread", 17, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
	topo_free(t);
}

static void core_major_indexes_compact(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG_CP);
	PARALLEL(t, "compact", 2, false, 0, 1);
	PARALLEL(t, "compact", 4, false, 0, 1, 2, 3);
	PARALLEL(t, "compact", 8, false, 0, 1, 2, 3, 4, 5, 6, 7);
	PARALLEL(t, "compact", 18, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		 16, 17);
	topo_free(t);
}

static void core_major_indexes_pus_follow_logical_order(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG_CP);
	PARALLEL(t, "pus", 4, false, 0, 16, 1, 17);
	int want[33];
	for (int c = 0; c < 16; c++) {
		want[2 * c] = c;
		want[2 * c + 1] = c + 16;
	}
	want[32] = 0;
	assert_parallel(t, "pus", 32, want, 32, false);
	assert_parallel(t, "pus", 33, want, 33, true);
	topo_free(t);
}

static void numa_nodes_spread(void **state)
{
	(void)state;
	struct topo *t = load(T_NUMA);
	/* one package: spread goes by NUMA node, then by core */
	PARALLEL(t, "spread", 2, false, 0, 8);
	PARALLEL(t, "spread", 4, false, 0, 4, 8, 12);
	PARALLEL(t, "spread", 0, false, 0, 2, 4, 6, 8, 10, 12, 14);
	PARALLEL(t, "spread", 9, false, 0, 2, 4, 6, 8, 10, 12, 14, 1);
	PARALLEL(t, "spread", 17, true, 0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15, 0);
	topo_free(t);
}

static void numa_nodes_compact_and_pus(void **state)
{
	(void)state;
	struct topo *t = load(T_NUMA);
	PARALLEL(t, "compact", 2, false, 0, 2);
	PARALLEL(t, "compact", 4, false, 0, 2, 4, 6);
	PARALLEL(t, "compact", 0, false, 0, 2, 4, 6, 8, 10, 12, 14);
	PARALLEL(t, "pus", 0, false, 0, 1, 2, 3, 4, 5, 6, 7);
	PARALLEL(t, "pus", 3, false, 0, 1, 2);
	topo_free(t);
}

static void slots_carry_core_and_package(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	struct plan p;
	parallel(t, "spread", 4, &p);
	static const int cores[] = {0, 4, 8, 12}, packages[] = {0, 0, 1, 1};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(p.slots[i].core, cores[i]);
		assert_int_equal(p.slots[i].package, packages[i]);
	}
	plan_free(&p);
	topo_free(t);

	t = load(T_2PKG_CP);
	parallel(t, "pus", 4, &p);
	static const int cp_cores[] = {0, 0, 1, 1};
	for (int i = 0; i < 4; i++) {
		assert_int_equal(p.slots[i].core, cp_cores[i]);
		assert_int_equal(p.slots[i].package, 0);
	}
	plan_free(&p);
	topo_free(t);
}

/* ---- list: -------------------------------------------------------------- */

static void list_policy_uses_exactly_those_cpus(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	PARALLEL(t, "list:0,2-3", 0, false, 0, 2, 3);
	PARALLEL(t, "list:0,2-3", 2, false, 0, 2);
	PARALLEL(t, "list:0,2-3", 3, false, 0, 2, 3);
	PARALLEL(t, "list:0,2-3", 5, true, 0, 2, 3, 0, 2);
	PARALLEL(t, "list:31", 0, false, 31);
	PARALLEL(t, "list:31", 2, true, 31, 31);
	PARALLEL(t, "list:1,1,1", 0, false, 1);
	PARALLEL(t, "list:16-17,30", 0, false, 16, 17, 30);
	struct plan p;
	parallel(t, "list:0,2-3", 0, &p);
	assert_int_equal(p.slots[1].core, 1);
	assert_int_equal(p.slots[2].core, 1);
	plan_free(&p);
	topo_free(t);

	/* a list is a set of OS CPUs: both siblings of core 0 here */
	t = load(T_2PKG_CP);
	parallel(t, "list:16,0", 0, &p);
	assert_int_equal(p.nslots, 2);
	assert_int_equal(p.slots[0].pu + p.slots[1].pu, 16);
	assert_int_not_equal(p.slots[0].pu, p.slots[1].pu);
	assert_int_equal(p.slots[0].core, 0);
	assert_int_equal(p.slots[1].core, 0);
	assert_false(p.oversubscribed);
	plan_free(&p);
	topo_free(t);
}

static void list_policy_with_unusable_cpu_fails(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	struct plan p;
	assert_int_equal(build(t, MODE_PARALLEL, "list:32", 0, -1, 0, &p), -1);
	plan_free(&p);
	assert_int_equal(build(t, MODE_PARALLEL, "list:0-40", 0, -1, 0, &p), -1);
	plan_free(&p);
	/* even when -j would only take the usable head of the list */
	assert_int_equal(build(t, MODE_PARALLEL, "list:0,99", 1, -1, 0, &p), -1);
	plan_free(&p);
	restrict_to(t, "0-15");
	assert_int_equal(build(t, MODE_PARALLEL, "list:15-16", 0, -1, 0, &p), -1);
	plan_free(&p);
	PARALLEL(t, "list:14-15", 0, false, 14, 15);
	topo_free(t);
}

/* ---- restricted usable sets --------------------------------------------- */

static void restricted_to_odd_pus(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	restrict_to(t, "1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31");
	/* one usable PU on every core: the odd one */
	assert_int_equal(topo_get_info(t)->usable_cores, 16);
	assert_int_equal(single(t, MODE_SERIAL, -1), 1);
	PARALLEL(t, "spread", 2, false, 1, 17);
	PARALLEL(t, "spread", 4, false, 1, 9, 17, 25);
	PARALLEL(t, "compact", 3, false, 1, 3, 5);
	int want[17];
	seq(want, 16, 1, 2);
	want[16] = 1;
	assert_parallel(t, "spread", 0, want, 16, false);
	assert_parallel(t, "compact", 16, want, 16, false);
	assert_parallel(t, "pus", 0, want, 16, false);
	/* no sibling is usable: beyond the cores is beyond the PUs */
	assert_parallel(t, "spread", 17, want, 17, true);
	assert_parallel(t, "compact", 17, want, 17, true);
	assert_parallel(t, "pus", 17, want, 17, true);
	topo_free(t);
}

static void restricted_to_odd_pus_of_core_major_indexes(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG_CP);
	restrict_to(t, "1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31");
	/* here the odd PUs are both siblings of the odd cores */
	assert_int_equal(topo_get_info(t)->usable_cores, 8);
	assert_int_equal(single(t, MODE_SERIAL, -1), 1);
	PARALLEL(t, "spread", 2, false, 1, 9);
	PARALLEL(t, "spread", 4, false, 1, 5, 9, 13);
	PARALLEL(t, "spread", 0, false, 1, 3, 5, 7, 9, 11, 13, 15);
	PARALLEL(t, "spread", 9, false, 1, 3, 5, 7, 9, 11, 13, 15, 17);
	PARALLEL(t, "compact", 2, false, 1, 3);
	PARALLEL(t, "compact", 10, false, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19);
	PARALLEL(t, "pus", 4, false, 1, 17, 3, 19);
	topo_free(t);
}

static void restricted_to_one_pu_per_core(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	restrict_to(t, "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30");
	assert_int_equal(topo_get_info(t)->usable_cores, 16);
	PARALLEL(t, "spread", 2, false, 0, 16);
	PARALLEL(t, "spread", 4, false, 0, 8, 16, 24);
	PARALLEL(t, "compact", 4, false, 0, 2, 4, 6);
	PARALLEL(t, "pus", 4, false, 0, 2, 4, 6);
	PARALLEL(t, "spread", 17, true, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30,
		 0);
	topo_free(t);

	t = load(T_2PKG_CP);
	restrict_to(t, "0-15");
	assert_int_equal(topo_get_info(t)->usable_cores, 16);
	PARALLEL(t, "spread", 2, false, 0, 8);
	PARALLEL(t, "pus", 0, false, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
	PARALLEL(t, "pus", 17, true, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0);
	topo_free(t);
}

static void restricted_to_package_one(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	restrict_to(t, "16-31");
	assert_int_equal(topo_get_info(t)->usable_cores, 8);
	assert_int_equal(single(t, MODE_SERIAL, -1), 16);
	assert_int_equal(single(t, MODE_CONCURRENT, -1), 16);
	PARALLEL(t, "spread", 2, false, 16, 24);
	PARALLEL(t, "spread", 4, false, 16, 20, 24, 28);
	PARALLEL(t, "spread", 0, false, 16, 18, 20, 22, 24, 26, 28, 30);
	PARALLEL(t, "spread", 9, false, 16, 18, 20, 22, 24, 26, 28, 30, 17);
	PARALLEL(t, "compact", 2, false, 16, 18);
	PARALLEL(t, "pus", 3, false, 16, 17, 18);
	PARALLEL(t, "pus", 17, true, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
		 16);
	struct plan p;
	parallel(t, "spread", 0, &p);
	for (int i = 0; i < p.nslots; i++)
		assert_int_equal(p.slots[i].package, 1);
	plan_free(&p);
	topo_free(t);
}

static void restricted_with_some_smt_siblings_offline(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	/* core 0 keeps both PUs, cores 1-3 one each: core 0 must not weigh double */
	restrict_to(t, "0,1,2,4,6");
	assert_int_equal(topo_get_info(t)->usable_cores, 4);
	PARALLEL(t, "spread", 2, false, 0, 4);
	PARALLEL(t, "spread", 3, false, 0, 2, 4);
	PARALLEL(t, "spread", 4, false, 0, 2, 4, 6);
	PARALLEL(t, "spread", 5, false, 0, 2, 4, 6, 1);
	PARALLEL(t, "spread", 6, true, 0, 2, 4, 6, 1, 0);
	PARALLEL(t, "compact", 5, false, 0, 2, 4, 6, 1);
	PARALLEL(t, "pus", 5, false, 0, 1, 2, 4, 6);
	topo_free(t);
}

static void restricted_to_a_single_pu(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	restrict_to(t, "21");
	static const char *const pols[] = {"spread", "compact", "pus", "list:21"};
	for (size_t i = 0; i < 4; i++) {
		PARALLEL(t, pols[i], 0, false, 21);
		PARALLEL(t, pols[i], 3, true, 21, 21, 21);
	}
	assert_int_equal(single(t, MODE_SERIAL, -1), 21);
	topo_free(t);
}

/* ---- invariants over every topology, restriction, policy and -j ---------- */

struct restriction {
	const char *desc;
	const char *usable;   /* NULL: the whole machine */
};

static const struct restriction restrictions[] = {
	{T_FLAT, NULL},
	{T_FLAT, "1"},
	{T_2PKG, NULL},
	{T_2PKG, "1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31"},
	{T_2PKG, "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30"},
	{T_2PKG, "16-31"},
	{T_2PKG, "0-3,16-19"},
	{T_2PKG, "0,1,2,4,6"},
	{T_2PKG, "3,5-6,28"},
	{T_2PKG_CP, NULL},
	{T_2PKG_CP, "1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31"},
	{T_2PKG_CP, "0-15"},
	{T_2PKG_CP, "8-15,24-31"},
	{T_2PKG_CP, "2,18,9"},
	{T_NUMA, NULL},
	{T_NUMA, "8-15"},
	{T_NUMA, "0,2,4,6,8,10,12,14"},
	{T_NUMA, "1-4,9-12"},
};

/* Does every group (package or NUMA node) hold the same number of usable cores? */
static bool groups_even(const struct layout *lay, const struct topo_info *info)
{
	int cores[64] = {0}, groups[64] = {0};
	bool seen_core[64] = {false};
	for (int i = 0; i < info->usable.n; i++) {
		int pu = info->usable.v[i], c = lay->core(pu);
		if (!seen_core[c]) {
			seen_core[c] = true;
			cores[lay->group(pu)]++;
		}
		groups[lay->group(pu)] = 1;
	}
	int want = -1;
	for (int g = 0; g < 64; g++)
		if (groups[g]) {
			if (want < 0)
				want = cores[g];
			else if (cores[g] != want)
				return false;
		}
	return true;
}

static void check_plan(const struct restriction *r, const struct layout *lay,
		       const struct topo_info *info, const char *policy, int jobs,
		       const struct plan *p)
{
	int ucores = info->usable_cores, upus = info->usable.n;
	int pu_count[64] = {0}, core_count[64] = {0}, group_count[64] = {0};
	bool by_cores = !strcmp(policy, "spread") || !strcmp(policy, "compact");
	const char *where = r->usable ? r->usable : "all";

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond))                                                             \
			fail_msg("%s usable %s %s -j %d: %s", r->desc, where, policy, jobs,  \
				 #cond);                                                 \
	} while (0)

	CHECK(p->mode == MODE_PARALLEL);
	CHECK(p->nslots == (jobs > 0 ? jobs : ucores));
	CHECK(p->max_in_flight == p->nslots);
	for (int i = 0; i < p->nslots; i++) {
		const struct plan_slot *s = &p->slots[i];
		CHECK(intlist_has(&info->usable, s->pu));	/* never outside the usable set */
		CHECK(s->core == lay->core(s->pu));
		CHECK(s->package == lay->package(s->pu));
		pu_count[s->pu]++;
		core_count[s->core]++;
		group_count[lay->group(s->pu)]++;
	}
	/* no PU twice until the usable PUs run out; then wrap round evenly */
	int most = 0, least = 1 << 30;
	for (int i = 0; i < upus; i++) {
		int c = pu_count[info->usable.v[i]];
		most = c > most ? c : most;
		least = c < least ? c : least;
	}
	if (p->nslots <= upus) {
		CHECK(most == 1);
		CHECK(!p->oversubscribed);
	} else {
		CHECK(least >= 1);
		CHECK(most - least <= 1);
		CHECK(p->oversubscribed);
	}
	if (!by_cores)
		return;
	/* spread/compact: distinct cores while jobs <= usable cores */
	if (p->nslots <= ucores) {
		for (int c = 0; c < 64; c++)
			CHECK(core_count[c] <= 1);
	} else {
		/* then every usable core has a slot */
		for (int i = 0; i < upus; i++)
			CHECK(core_count[lay->core(info->usable.v[i])] >= 1);
	}
	if (!strcmp(policy, "compact") && p->nslots <= ucores) {
		/* the first usable cores in logical order, in that order */
		bool usable_core[64] = {false};
		for (int i = 0; i < upus; i++)
			usable_core[lay->core(info->usable.v[i])] = true;
		int c = 0;
		for (int i = 0; i < p->nslots; i++, c++) {
			while (!usable_core[c])
				c++;
			CHECK(p->slots[i].core == c);
		}
	}
	if (!strcmp(policy, "spread") && p->nslots <= ucores && groups_even(lay, info)) {
		/* as far apart as possible: every package / NUMA node gets its share */
		int gmost = 0, gleast = 1 << 30;
		for (int i = 0; i < upus; i++) {
			int c = group_count[lay->group(info->usable.v[i])];
			gmost = c > gmost ? c : gmost;
			gleast = c < gleast ? c : gleast;
		}
		CHECK(gmost - gleast <= 1);
	}
#undef CHECK
}

static void every_plan_keeps_the_design_invariants(void **state)
{
	(void)state;
	static const char *const policies[] = {"spread", "compact", "pus"};
	for (size_t r = 0; r < sizeof(restrictions) / sizeof(restrictions[0]); r++) {
		const struct restriction *res = &restrictions[r];
		const struct layout *lay = layout_of(res->desc);
		struct topo *t = load(res->desc);
		if (res->usable)
			restrict_to(t, res->usable);
		const struct topo_info *info = topo_get_info(t);
		for (size_t k = 0; k < 3; k++)
			for (int jobs = 0; jobs <= info->usable.n + 3; jobs++) {
				struct plan p;
				parallel(t, policies[k], jobs, &p);
				check_plan(res, lay, info, policies[k], jobs, &p);
				plan_free(&p);
			}
		/* serial and concurrent stay on the first usable PU, or the given one */
		/* (logical and OS order agree on the first usable PU of these sets) */
		assert_int_equal(single(t, MODE_SERIAL, -1), info->usable.v[0]);
		for (int i = 0; i < info->usable.n; i++) {
			assert_int_equal(single(t, MODE_SERIAL, info->usable.v[i]), info->usable.v[i]);
			assert_int_equal(single(t, MODE_CONCURRENT, info->usable.v[i]),
					 info->usable.v[i]);
		}
		for (int cpu = 0; cpu < 40; cpu++)
			if (!intlist_has(&info->usable, cpu)) {
				struct plan p;
				assert_int_equal(build(t, MODE_SERIAL, "spread", 0, cpu, 1, &p), -1);
				plan_free(&p);
				char list[32];
				snprintf(list, sizeof(list), "list:%d", cpu);
				assert_int_equal(build(t, MODE_PARALLEL, list, 0, -1, 0, &p), -1);
				plan_free(&p);
			}
		topo_free(t);
	}
}

/* A package with fewer usable cores still gets its share: hwloc_distrib alone
 * would put both of -j 2 in package 0 here. */
static void spread_reaches_a_package_with_fewer_usable_cores(void **state)
{
	(void)state;
	struct topo *t = load("pack:2 core:4 pu:1");
	restrict_to(t, "0-4");
	assert_parallel(t, "spread", 2, (const int[]){0, 4}, 2, false);
	assert_parallel(t, "spread", 3, (const int[]){0, 2, 4}, 3, false);
	topo_free(t);
	t = load("pack:2 core:8 pu:2");
	restrict_to(t, "3,5-6,28");
	assert_parallel(t, "spread", 2, (const int[]){3, 28}, 2, false);
	topo_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(info_counts_flat_machine),
		cmocka_unit_test(info_counts_two_packages),
		cmocka_unit_test(info_counts_numa_nodes),
		cmocka_unit_test(info_follows_restriction),
		cmocka_unit_test(invalid_synthetic_topology_fails),
		cmocka_unit_test(restrict_refuses_unusable_or_empty_sets),
		cmocka_unit_test(policy_parse_and_describe),
		cmocka_unit_test(policy_parse_rejects_bad_text),
		cmocka_unit_test(mode_names_round_trip),
		cmocka_unit_test(serial_and_concurrent_share_the_first_usable_pu),
		cmocka_unit_test(serial_and_concurrent_use_the_given_cpu),
		cmocka_unit_test(serial_admits_one_concurrent_all),
		cmocka_unit_test(serial_ignores_jobs_and_policy),
		cmocka_unit_test(cpu_outside_the_usable_set_fails),
		cmocka_unit_test(flat_machine_plans),
		cmocka_unit_test(two_packages_spread),
		cmocka_unit_test(two_packages_compact),
		cmocka_unit_test(two_packages_pus),
		cmocka_unit_test(two_packages_all_pus_then_wrap),
		cmocka_unit_test(core_major_indexes_spread),
		cmocka_unit_test(core_major_indexes_compact),
		cmocka_unit_test(core_major_indexes_pus_follow_logical_order),
		cmocka_unit_test(numa_nodes_spread),
		cmocka_unit_test(numa_nodes_compact_and_pus),
		cmocka_unit_test(slots_carry_core_and_package),
		cmocka_unit_test(list_policy_uses_exactly_those_cpus),
		cmocka_unit_test(list_policy_with_unusable_cpu_fails),
		cmocka_unit_test(restricted_to_odd_pus),
		cmocka_unit_test(restricted_to_odd_pus_of_core_major_indexes),
		cmocka_unit_test(restricted_to_one_pu_per_core),
		cmocka_unit_test(restricted_to_package_one),
		cmocka_unit_test(restricted_with_some_smt_siblings_offline),
		cmocka_unit_test(spread_reaches_a_package_with_fewer_usable_cores),
		cmocka_unit_test(restricted_to_a_single_pu),
		cmocka_unit_test(every_plan_keeps_the_design_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
