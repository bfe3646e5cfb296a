/* sleep: a blocking wait, the purest IO latency. */
#include "config.h"
#include "tasks/task.h"
#include "tasks/ctx.h"

#include "util.h"

enum { SLEEP_MS };

static const struct task_param sleep_params[] = {
	[SLEEP_MS] = {.name = "ms", .type = PARAM_U64, .min = 1, .max = 3600000, .help = "blocked time in ms (default 100)"},
};

static int sleep_prepare(struct task_spec *s, const struct calibration *cal)
{
	(void)cal;
	if (!spec_has(s, SLEEP_MS))
		spec_set_num(s, SLEEP_MS, 100);
	return 0;
}

static int sleep_run(const struct task_spec *s, struct task_ctx *c)
{
	task_sleep_ms(c, s->num[SLEEP_MS]);
	return 0;
}

const struct task_kind task_sleep = {
	.name = "sleep",
	.summary = "IO-bound: a blocking wait (pure latency, no CPU)",
	.params = sleep_params,
	.nparams = ARRAY_SIZE(sleep_params),
	.prepare = sleep_prepare,
	.run = sleep_run,
};
