/* cpu: a deterministic integer kernel, the pure CPU-bound task. */
#include "config.h"
#include "tasks/task.h"
#include "tasks/ctx.h"

#include <math.h>

#include "util.h"

enum { CPU_OPS, CPU_MS };
#define CPU_DEFAULT_MS 100

/* Read by nobody, written always: the checksum must not be optimised away. */
volatile uint64_t cpu_kernel_sink;

/* ops rounds on from the state (x, sum). */
static void kernel_step(uint64_t *x, uint64_t *sum, uint64_t ops)
{
	for (uint64_t i = 0; i < ops; i++)
		for (int k = 0; k < 16; k++) {
			*x ^= *x << 13;
			*x ^= *x >> 7;
			*x ^= *x << 17;
			*sum += *x * 0x9E3779B97F4A7C15ULL;
		}
}

uint64_t cpu_kernel_ctx(struct task_ctx *c, uint64_t ops)
{
	uint64_t x = 0x2545F4914F6CDD1DULL, sum = 0;
	for (uint64_t done = 0; done < ops;) {
		uint64_t n = ops - done < CPU_CHUNK_OPS ? ops - done : CPU_CHUNK_OPS;
		kernel_step(&x, &sum, n);
		done += n;
		if (c && done < ops && task_stop_requested(c))
			break;
	}
	cpu_kernel_sink = sum ^ x;
	return sum ^ x;
}

uint64_t cpu_kernel(uint64_t ops)
{
	return cpu_kernel_ctx(NULL, ops);
}

uint64_t cpu_ops_for_ms(const struct calibration *cal, uint64_t ms)
{
	double ops = round(cal->ops_per_ms * (double)ms);
	return ops < 1 ? 1 : (uint64_t)ops;
}

static const struct task_param cpu_params[] = {
	[CPU_OPS] = {.name = "ops", .type = PARAM_U64, .min = 1, .max = TASK_U64_MAX, .help = "kernel rounds (fixed work: use in CI)"},
	[CPU_MS] = {.name = "ms", .type = PARAM_U64, .min = 1, .max = 3600000, .help = "run for about this many ms of CPU (calibrated; default 100)"},
};

static bool cpu_needs_calibration(const struct task_spec *s)
{
	return !spec_has(s, CPU_OPS);
}

static int cpu_validate(const struct task_spec *s)
{
	if (spec_has(s, CPU_OPS) && spec_has(s, CPU_MS))
		return error("cpu: give ops= or ms=, not both");
	return 0;
}

static int cpu_prepare(struct task_spec *s, const struct calibration *cal)
{
	if (spec_has(s, CPU_OPS))
		return 0;
	if (!spec_has(s, CPU_MS))
		spec_set_num(s, CPU_MS, CPU_DEFAULT_MS);
	spec_set_num(s, CPU_OPS, cpu_ops_for_ms(cal, s->num[CPU_MS]));
	return 0;
}

static int cpu_run(const struct task_spec *s, struct task_ctx *c)
{
	cpu_kernel_ctx(c, s->num[CPU_OPS]);
	return 0;
}

const struct task_kind task_cpu = {
	.name = "cpu",
	.summary = "CPU-bound: a deterministic integer kernel with a checksum",
	.params = cpu_params,
	.nparams = ARRAY_SIZE(cpu_params),
	.needs_calibration = cpu_needs_calibration,
	.validate = cpu_validate,
	.prepare = cpu_prepare,
	.run = cpu_run,
};
