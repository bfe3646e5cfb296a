/*
 * Unit tests of topo.c's multi-PU slots (--cpus-per-task K) on synthetic hwloc
 * topologies. Golden PUs are OS indexes as `HWLOC_SYNTHETIC=... lstopo-no-graphics
 * -p` numbers them; each golden was derived from the topology and checked with
 * `tribench plan`.
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

#define T_FLAT "core:2 pu:1"
#define T_2PKG "pack:2 core:8 pu:2"            /* core c: PUs 2c, 2c+1; package: pu / 16 */
#define T_2PKG_CP "pack:2 core:8 pu:2(indexes=core:pack)" /* core c: PUs c, c+16 */
#define T_L2 "pack:2 l2:2 core:2 pu:2"         /* core c: PUs 2c, 2c+1; L2: pu / 4 */
#define T_NUMA "pack:1 numa:2 core:4 pu:2"     /* core c: PUs 2c, 2c+1; node: pu / 8 */

static int build(const struct topo *t, enum mode mode, const char *policy, int jobs, int k, int cpu,
		 struct plan *p)
{
	struct plan_opts o = {.cpu = cpu, .jobs = jobs, .cpus_per_task = k};
	assert_int_equal(policy_parse(policy, &o.policy), 0);
	int rc = plan_build(t, mode, &o, 0, p);
	policy_free(&o.policy);
	return rc;
}

/* "0,2,4" of a slot's pus (sorted by the plan). */
static void slot_text(const struct plan_slot *s, char *buf, size_t size)
{
	cpulist_format(s->pus.v, s->pus.n, buf, size);
}

/* The plan of mode/policy/jobs/k has exactly these slot cpusets (taskset
 * syntax, one string per slot), its first PUs first[] when given. */
static void assert_slots(const struct topo *t, enum mode mode, const char *policy, int jobs, int k,
			 int cpu, const char *const *want, int n, const int *first, bool over)
{
	struct plan p;
	if (build(t, mode, policy, jobs, k, cpu, &p) < 0)
		fail_msg("%s %s -j %d -K %d failed", mode_name(mode), policy, jobs, k);
	if (p.nslots != n)
		fail_msg("%s -j %d -K %d: %d slots, expected %d", policy, jobs, k, p.nslots, n);
	for (int i = 0; i < n; i++) {
		char got[256];
		slot_text(&p.slots[i], got, sizeof(got));
		if (strcmp(got, want[i]))
			fail_msg("%s -j %d -K %d: slot %d is %s, expected %s", policy, jobs, k, i, got, want[i]);
		if (first && p.slots[i].pu != first[i])
			fail_msg("%s -j %d -K %d: slot %d starts at %d, expected %d", policy, jobs, k, i,
				 p.slots[i].pu, first[i]);
	}
	if (p.oversubscribed != over)
		fail_msg("%s -j %d -K %d: oversubscribed is %d", policy, jobs, k, p.oversubscribed);
	plan_free(&p);
}

#define SLOTS(t, mode, policy, jobs, k, cpu, over, ...)                                       \
	do {                                                                                 \
		static const char *const want_[] = {__VA_ARGS__};                            \
		assert_slots(t, mode, policy, jobs, k, cpu, want_,                           \
			     (int)(sizeof(want_) / sizeof(want_[0])), NULL, over);           \
	} while (0)
#define PAR(t, policy, jobs, k, over, ...) SLOTS(t, MODE_PARALLEL, policy, jobs, k, -1, over, __VA_ARGS__)

/* The acceptance case of the issue: each slot's 4 PUs in one package, the two
 * slots in different packages, on distinct cores. */
static void spread_two_slots_of_four_in_two_packages(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	struct plan p;
	assert_int_equal(build(t, MODE_PARALLEL, "spread", 2, 4, -1, &p), 0);
	assert_int_equal(p.nslots, 2);
	assert_false(p.oversubscribed);
	int pkg[2];
	for (int i = 0; i < 2; i++) {
		const struct plan_slot *s = &p.slots[i];
		assert_int_equal(s->pus.n, 4);
		pkg[i] = s->pus.v[0] / 16;
		for (int j = 0; j < 4; j++) {
			assert_int_equal(s->pus.v[j] / 16, pkg[i]);
			for (int m = 0; m < j; m++)
				assert_int_not_equal(s->pus.v[j] / 2, s->pus.v[m] / 2);	/* distinct cores */
		}
		assert_true(intlist_has(&s->pus, s->pu));
		assert_int_equal(s->package, pkg[i]);
		assert_int_equal(CPU_COUNT(&s->mask), 0);	/* not this system: nothing to bind */
	}
	assert_int_not_equal(pkg[0], pkg[1]);
	plan_free(&p);
	PAR(t, "spread", 2, 4, false, "0,2,4,6", "16,18,20,22");
	topo_free(t);
}

/* Slots stay inside the smallest cache that holds them. */
static void spread_keeps_a_slot_inside_one_cache(void **state)
{
	(void)state;
	struct topo *t = load(T_L2);
	PAR(t, "spread", 4, 2, false, "0,2", "4,6", "8,10", "12,14");
	PAR(t, "spread", 2, 3, false, "0,2,4", "8,10,12");
	/* 8 x 2 needs the SMT siblings: still one L2 per slot, no PU twice */
	struct plan p;
	assert_int_equal(build(t, MODE_PARALLEL, "spread", 8, 2, -1, &p), 0);
	assert_false(p.oversubscribed);
	for (int i = 0; i < p.nslots; i++)
		assert_int_equal(p.slots[i].pus.v[0] / 4, p.slots[i].pus.v[1] / 4);
	plan_free(&p);
	topo_free(t);
	t = load(T_NUMA);
	PAR(t, "spread", 2, 4, false, "0,2,4,6", "8,10,12,14");
	topo_free(t);
}

/* One PU per core while jobs x K cores are usable; beyond, SMT siblings of the
 * slot's own cores, nearest first, inside its package. */
static void spread_takes_smt_siblings_only_when_needed(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	PAR(t, "spread", 5, 3, false, "0,2,4", "6,8,10", "12,14,16", "18,20,22", "24,26,28");
	PAR(t, "spread", 2, 12, false, "0-8,10,12,14", "16-24,26,28,30");
	PAR(t, "spread", 2, 16, false, "0-15", "16-31");
	topo_free(t);
}

static void compact_takes_neighbouring_cores(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	PAR(t, "compact", 2, 3, false, "0,2,4", "6,8,10");
	/* past the cores: their siblings, in the same order */
	PAR(t, "compact", 6, 3, false, "0,2,4", "6,8,10", "12,14,16", "18,20,22", "24,26,28", "1,3,30");
	/* past the PUs: round again, oversubscribed */
	PAR(t, "compact", 11, 3, true, "0,2,4", "6,8,10", "12,14,16", "18,20,22", "24,26,28", "1,3,30",
	    "5,7,9", "11,13,15", "17,19,21", "23,25,27", "0,29,31");
	topo_free(t);
}

static void pus_takes_neighbouring_pus_in_logical_order(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	PAR(t, "pus", 2, 3, false, "0-2", "3-5");
	topo_free(t);
	t = load(T_2PKG_CP);	/* logical neighbours are OS c and c + 16 */
	PAR(t, "pus", 2, 2, false, "0,16", "1,17");
	PAR(t, "pus", 17, 2, true, "0,16", "1,17", "2,18", "3,19", "4,20", "5,21", "6,22", "7,23", "8,24",
	    "9,25", "10,26", "11,27", "12,28", "13,29", "14,30", "15,31", "0,16");
	topo_free(t);
}

static void list_groups_its_cpus_by_k(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	PAR(t, "list:0-5", 0, 2, false, "0-1", "2-3", "4-5");	/* jobs default: 6 / 2 */
	PAR(t, "list:20,7,3,9", 0, 2, false, "3,7", "9,20");	/* the list, sorted */
	PAR(t, "list:0-5", 4, 2, true, "0-1", "2-3", "4-5", "0-1");
	struct plan p;
	assert_int_equal(build(t, MODE_PARALLEL, "list:0-4", 0, 2, -1, &p), -1);	/* 5 is not 2 x N */
	plan_free(&p);
	assert_int_equal(build(t, MODE_PARALLEL, "list:0-4", 2, 2, -1, &p), -1);
	plan_free(&p);
	topo_free(t);
}

/* Serial and concurrent: one K-PU set around --cpu (or the first usable PU),
 * grown as spread grows a slot. */
static void serial_and_concurrent_use_one_set(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	static const int zero[] = {0}, seventeen[] = {17};
	static const char *const four[] = {"0,2,4,6"}, *const pair[] = {"17-18"};
	for (enum mode m = MODE_SERIAL; m <= MODE_CONCURRENT; m++) {
		assert_slots(t, m, "spread", 0, 4, -1, four, 1, zero, false);
		/* a sibling PU as --cpu: it starts the set, the next whole core joins it */
		assert_slots(t, m, "spread", 0, 2, 17, pair, 1, seventeen, false);
	}
	/* the policy and jobs do not touch them */
	assert_slots(t, MODE_SERIAL, "compact", 5, 4, -1, four, 1, zero, false);
	topo_free(t);
	t = load(T_FLAT);
	SLOTS(t, MODE_SERIAL, "spread", 0, 2, -1, false, "0-1");
	topo_free(t);
	t = load(T_L2);
	SLOTS(t, MODE_SERIAL, "spread", 0, 2, 5, false, "5-6");	/* core 2's sibling, then core 3 in its L2 */
	topo_free(t);
}

/* jobs x K over the usable PUs: wrap round, marked; within them: never. */
static void oversubscription_is_marked(void **state)
{
	(void)state;
	struct topo *t = load(T_FLAT);
	PAR(t, "spread", 2, 2, true, "0-1", "0-1");
	PAR(t, "spread", 1, 2, false, "0-1");
	topo_free(t);
	t = load("pack:1 core:4 pu:1");
	PAR(t, "spread", 3, 2, true, "0-1", "2-3", "0-1");
	topo_free(t);
}

/* K above the usable PUs is bad input in every mode; K equal to them is one slot. */
static void k_above_the_usable_pus_fails(void **state)
{
	(void)state;
	struct topo *t = load(T_FLAT);
	struct plan p;
	for (enum mode m = 0; m < MODE_COUNT; m++) {
		assert_int_equal(build(t, m, "spread", 0, 3, -1, &p), -1);
		plan_free(&p);
	}
	topo_free(t);
	t = load(T_2PKG);
	restrict_to(t, "0-3");
	assert_int_equal(build(t, MODE_PARALLEL, "compact", 1, 5, -1, &p), -1);
	plan_free(&p);
	PAR(t, "spread", 0, 4, false, "0-3");	/* jobs default: 2 usable cores / 4, at least 1 */
	topo_free(t);
}

/* Default jobs: usable cores / K. */
static void default_jobs_divide_the_cores(void **state)
{
	(void)state;
	struct topo *t = load(T_2PKG);
	struct plan p;
	assert_int_equal(build(t, MODE_PARALLEL, "spread", 0, 4, -1, &p), 0);
	assert_int_equal(p.nslots, 4);
	assert_int_equal(p.max_in_flight, 4);
	plan_free(&p);
	topo_free(t);
}

/*
 * Over topologies, restrictions, policies, K and jobs: every slot has K
 * distinct usable PUs, sorted, its first PU among them; oversubscribed exactly
 * when jobs x K exceeds the usable PUs; spread's slots hold one PU per core
 * and share no core while jobs x K cores are usable.
 */
static int core_flat(int pu) { return pu; }
static int core_pairs(int pu) { return pu / 2; }
static int core_cp(int pu) { return pu % 16; }

static void every_k_plan_keeps_its_invariants(void **state)
{
	(void)state;
	static const struct {
		const char *desc, *usable;
		int (*core)(int pu);
	} cases[] = {{T_FLAT, NULL, core_flat},   {T_2PKG, NULL, core_pairs},
		     {T_2PKG_CP, NULL, core_cp},  {T_L2, NULL, core_pairs},
		     {T_NUMA, NULL, core_pairs},  {T_2PKG, "1,3,5-9,20-31", core_pairs},
		     {T_2PKG_CP, "0-7,16-19", core_cp}};
	static const char *const policies[] = {"spread", "compact", "pus"};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct topo *t = load(cases[c].desc);
		if (cases[c].usable)
			restrict_to(t, cases[c].usable);
		const struct topo_info *info = topo_get_info(t);
		for (int k = 1; k <= 5 && k <= info->usable.n; k++)
			for (size_t pol = 0; pol < 3; pol++)
				for (int jobs = 1; jobs <= info->usable.n / k + 2; jobs++) {
					struct plan p;
					if (build(t, MODE_PARALLEL, policies[pol], jobs, k, -1, &p) < 0)
						fail_msg("%s %s -j %d -K %d failed", cases[c].desc,
							 policies[pol], jobs, k);
					assert_int_equal(p.nslots, jobs);
					int owner[32];	/* per core: the slot holding it, -1 */
					bool shared_core = false;
					for (int m = 0; m < 32; m++)
						owner[m] = -1;
					for (int i = 0; i < p.nslots; i++) {
						const struct plan_slot *s = &p.slots[i];
						assert_int_equal(s->pus.n, k);
						assert_true(intlist_has(&s->pus, s->pu));
						for (int j = 0; j < k; j++) {
							assert_true(intlist_has(&info->usable, s->pus.v[j]));
							if (j)
								assert_true(s->pus.v[j] > s->pus.v[j - 1]);
							int core = cases[c].core(s->pus.v[j]);
							assert_true(core >= 0 && core < 32);
							shared_core |= owner[core] >= 0;	/* another slot's, or its own twice */
							owner[core] = i;
						}
						assert_int_equal(s->core, cases[c].core(s->pu));
					}
					if (p.oversubscribed != (jobs * k > info->usable.n))
						fail_msg("%s %s -j %d -K %d: oversubscribed %d", cases[c].desc,
							 policies[pol], jobs, k, p.oversubscribed);
					if (pol == 0 && jobs * k <= info->usable_cores && shared_core)
						fail_msg("%s spread -j %d -K %d: a core holds two PUs of slots",
							 cases[c].desc, jobs, k);
					plan_free(&p);
				}
		topo_free(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(spread_two_slots_of_four_in_two_packages),
		cmocka_unit_test(spread_keeps_a_slot_inside_one_cache),
		cmocka_unit_test(spread_takes_smt_siblings_only_when_needed),
		cmocka_unit_test(compact_takes_neighbouring_cores),
		cmocka_unit_test(pus_takes_neighbouring_pus_in_logical_order),
		cmocka_unit_test(list_groups_its_cpus_by_k),
		cmocka_unit_test(serial_and_concurrent_use_one_set),
		cmocka_unit_test(oversubscription_is_marked),
		cmocka_unit_test(k_above_the_usable_pus_fails),
		cmocka_unit_test(default_jobs_divide_the_cores),
		cmocka_unit_test(every_k_plan_keeps_its_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
