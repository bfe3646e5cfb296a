/* A run's suite from its options: which workloads, named how, how many tasks. */
#include "config.h"
#include "suite_load.h"

#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "shellword.h"
#include "util.h"

int suite_check_programs(const struct workload *w)
{
	for (int g = 0; g < w->ngroups; g++) {
		const char *missing = cmd_missing_program(&w->groups[g].spec);
		if (missing)
			return error("command not found: %s (not in PATH)", missing);
	}
	return 0;
}

/* The name of command i (command strings first, then the -- command). */
static const char *command_name(const struct options *o, int i, const char *fallback)
{
	return i < o->ncmdnames ? o->cmdnames[i] : fallback;
}

int suite_load(struct suite *s, const struct options *o, int usable_cores)
{
	const char *name = o->name ? o->name : "custom";
	for (int i = 0; i < o->nspecs; i++)
		if (suite_add_spec_text(s, name, o->specs[i]) < 0)
			return -1;
	if (o->taskfile && taskfile_load(o->taskfile, s) < 0)
		return -1;
	for (int i = 0; i < o->ncmdstrings; i++)
		if (suite_add_command_line(s, command_name(o, i, o->cmdstrings[i]), o->cmdstrings[i],
					   o->count ? o->count : 1) < 0)
			return -1;
	if (o->ncommand) {
		char *line = shell_join(o->command, o->ncommand);
		const char *wname = command_name(o, o->ncmdstrings, o->name ? o->name : line);
		int rc = suite_add_command(s, wname, o->command, o->ncommand,
					   o->count ? o->count : 2 * usable_cores);
		free(line);
		if (rc < 0)
			return -1;
	}
	if (o->commands_file && suite_add_commands_file(s, name, o->commands_file) < 0)
		return -1;
	if (!s->nworkloads)
		suite_builtin(s, usable_cores);
	for (int i = 0; !o->hooks[HOOK_SETUP] && i < s->nworkloads; i++)
		if (suite_check_programs(&s->workloads[i]) < 0)
			return -1;
	return 0;
}
