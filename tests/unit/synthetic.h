/* Synthetic hwloc topologies for the placement unit tests (after cmocka.h). */
#ifndef TRIBENCH_TESTS_SYNTHETIC_H
#define TRIBENCH_TESTS_SYNTHETIC_H

#include "topo.h"
#include "util.h"

/* The topology of an hwloc synthetic description; fails the test otherwise. */
static inline struct topo *load(const char *desc)
{
	struct topo *t = NULL;
	if (topo_load_synthetic(&t, desc) < 0)
		fail_msg("cannot load synthetic topology '%s'", desc);
	return t;
}

/* Narrow the usable set to a taskset-syntax list. */
static inline void restrict_to(struct topo *t, const char *cpus)
{
	struct intlist l = {0};
	assert_int_equal(cpulist_parse(cpus, &l), 0);
	assert_int_equal(topo_restrict_usable(t, &l), 0);
	intlist_free(&l);
}

#endif
