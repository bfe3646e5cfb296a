#ifndef TRIBENCH_JSON_H
#define TRIBENCH_JSON_H

#include "cli.h"
#include "probe.h"
#include "suite.h"
#include "topo.h"

/* src/json/ is the only cJSON user; everything leaves it as text. These are
 * the run's side: the parts of a report that do not come from task records
 * (as compact JSON text for the report model), and the JSON of `plan` and
 * `topology`. Every returned string is the caller's to free. */

/* `tribench topology`: the machine and the usable set. */
char *json_topology(const struct topo_info *ti);
/* `tribench plan`: {"topology", "modes": [{"mode", "plan"}]}. */
char *json_plans(const struct topo_info *ti, const struct plan *plans, int nplans);

/* A mode's plan, a task's params, the tool, the host (with the topology and
 * --meta), the config (every option that shapes the report, with the
 * effective parallel slot count and serial CPU) and the calibration (NULL:
 * none ran). */
char *json_plan_text(const struct plan *p);
char *json_params_text(const struct task_spec *s);
char *json_tool_text(void);
char *json_host_text(const struct host_facts *h, const struct topo_info *ti, const struct options *opt,
		     const struct containment *c);
/* loop: the coroutine executor's loop ("io_uring", "libuv"), NULL: no coroutines. */
char *json_config_text(const struct options *opt, int jobs, int cpu, const char *loop);
char *json_calibration_text(const struct calibration *cal);

/* Read a taskfile into s: 0, or -1 with one error line printed. */
int taskfile_load(const char *path, struct suite *s);
/* The same from memory: text[len] must be '\0'; name is for messages. */
int taskfile_parse(const char *text, size_t len, const char *name, struct suite *s);

#endif
