/* mix: rounds of CPU work then a blocking wait, like a request handler. */
#include "config.h"
#include "tasks/task.h"
#include "tasks/ctx.h"

#include "util.h"

enum { MIX_CPU_MS, MIX_IO_MS, MIX_ROUNDS, MIX_CPU_OPS };

static const struct task_param mix_params[] = {
	[MIX_CPU_MS] = {.name = "cpu_ms", .type = PARAM_U64, .min = 1, .max = 3600000, .help = "CPU ms per round (calibrated; default 10)"},
	[MIX_IO_MS] = {.name = "io_ms", .type = PARAM_U64, .min = 1, .max = 3600000, .help = "blocked ms per round (default 10)"},
	[MIX_ROUNDS] = {.name = "rounds", .type = PARAM_U64, .min = 1, .max = 1000000, .help = "rounds (default 10)"},
	[MIX_CPU_OPS] = {.name = "cpu_ops", .type = PARAM_U64, .max = TASK_U64_MAX, .derived = true,
			 .help = "kernel rounds per round, from cpu_ms"},
};

static bool mix_needs_calibration(const struct task_spec *s)
{
	(void)s;
	return true;
}

static int mix_prepare(struct task_spec *s, const struct calibration *cal)
{
	if (!spec_has(s, MIX_CPU_MS))
		spec_set_num(s, MIX_CPU_MS, 10);
	if (!spec_has(s, MIX_IO_MS))
		spec_set_num(s, MIX_IO_MS, 10);
	if (!spec_has(s, MIX_ROUNDS))
		spec_set_num(s, MIX_ROUNDS, 10);
	spec_set_num(s, MIX_CPU_OPS, cpu_ops_for_ms(cal, s->num[MIX_CPU_MS]));
	return 0;
}

static int mix_run(const struct task_spec *s, struct task_ctx *c)
{
	for (uint64_t r = 0; r < s->num[MIX_ROUNDS] && !c->stopped; r++) {
		cpu_kernel_ctx(c, s->num[MIX_CPU_OPS]);
		if (!c->stopped)
			task_sleep_ms(c, s->num[MIX_IO_MS]);
	}
	return 0;
}

const struct task_kind task_mix = {
	.name = "mix",
	.summary = "mixed: rounds of CPU work, each followed by a blocking wait",
	.params = mix_params,
	.nparams = ARRAY_SIZE(mix_params),
	.needs_calibration = mix_needs_calibration,
	.prepare = mix_prepare,
	.run = mix_run,
};
