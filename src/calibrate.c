/* Calibration of the cpu kernel, so ms= means milliseconds on this machine. */
#include "config.h"
#include "calibrate.h"

#include <time.h>

#include "stats.h"

static double thread_cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static double kernel_ms(uint64_t ops)
{
	double t = thread_cpu_ms();
	cpu_kernel(ops);
	return thread_cpu_ms() - t;
}

/* In the bound child: CPU time, not wall time, so other load does not skew it. */
static int calibrate_child(void *arg, void *result)
{
	(void)arg;
	double *runs = result, ms;
	uint64_t ops = 256;
	while ((ms = kernel_ms(ops)) < 10 && ops < TASK_U64_MAX / 2)
		ops *= 2;
	uint64_t target = (uint64_t)((double)ops * 100.0 / (ms > 0 ? ms : 1));
	for (int i = 0; i < 3; i++) {
		ms = kernel_ms(target);
		runs[i] = (double)target / (ms > 0 ? ms : 1e-3);
	}
	return 0;
}

int calibrate_cpu(struct sched *s, const struct plan_slot *slot, struct calibration *out)
{
	/* one PU, the slot's first, whatever --cpus-per-task made of the slot:
	 * the kernel is one thread, and ops/ms is one CPU's rate */
	struct plan_slot one = *slot;
	if (CPU_COUNT(&slot->mask) > 0) {
		CPU_ZERO(&one.mask);
		CPU_SET(slot->pu, &one.mask);
	}
	if (sched_run_in_child(s, &one, calibrate_child, NULL, out->runs, sizeof(out->runs)) < 0)
		return error("cannot calibrate the cpu kernel");
	out->pu = slot->pu;
	out->ops_per_ms = stats_median(out->runs, 3);
	return 0;
}
