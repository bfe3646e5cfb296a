/* A run's suite from its options: which workloads, named how, how many tasks. */
#include "config.h"
#include "suite_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "placeholder.h"
#include "shellword.h"
#include "util.h"

int suite_check_programs(const struct workload *w)
{
	for (int g = 0; g < w->ngroups; g++) {
		const struct task_spec *spec = &w->groups[g].spec, *prev = g ? &w->groups[g - 1].spec : NULL;
		/* one look per program: an input list makes many groups of one command */
		if (prev && spec->argv && prev->argv && !strcmp(spec->argv[0], prev->argv[0]))
			continue;
		const char *missing = cmd_missing_program(spec);
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

/* A run's inputs: borrowed from ::: or read from --args-file (owned). */
struct inputs {
	char **v;
	int n;
	bool owned;
};

static void inputs_free(struct inputs *in)
{
	for (int i = 0; in->owned && i < in->n; i++)
		free(in->v[i]);
	if (in->owned)
		free(in->v);
	memset(in, 0, sizeof(*in));
}

/*
 * --args-file: one input per line, as GNU parallel reads them: an empty line
 * is an empty input, a trailing \r is dropped; the limits of --commands.
 */
static int inputs_read(struct inputs *in, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return error("cannot read --args-file '%s': %s", path, strerror(errno));
	char *line = xmalloc(SUITE_COMMAND_LINE_MAX + 1);
	int cap = 0, rc = 0;
	long len;
	bool nul;
	in->owned = true;
	while (rc == 0 && (len = suite_read_line(f, line, SUITE_COMMAND_LINE_MAX, &nul)) != -1) {
		if (len == -2)
			rc = error("--args-file '%s' line %d: longer than the limit of %d bytes (the "
				   "kernel's 128 KiB for one argument, its NUL included)",
				   path, in->n + 1, SUITE_COMMAND_LINE_MAX);
		else if (nul)
			rc = error("--args-file '%s' line %d: contains a NUL byte", path, in->n + 1);
		else if (in->n == SUITE_MAX_TASKS)
			rc = error("--args-file '%s': more than %d inputs", path, SUITE_MAX_TASKS);
		else {
			if (len > 0 && line[len - 1] == '\r')
				line[len - 1] = '\0';
			if (in->n == cap) {
				cap = cap ? 2 * cap : 64;
				in->v = xrealloc(in->v, (size_t)cap * sizeof(char *));
			}
			in->v[in->n++] = xstrdup(line);
		}
	}
	if (rc == 0 && ferror(f))
		rc = error("cannot read --args-file '%s': %s", path, strerror(errno));
	if (rc == 0 && !in->n)
		rc = error("--args-file '%s' has no input", path);
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

/* A new workload for a command: a name already taken would merge two. */
static struct workload *command_workload(struct suite *s, const char *name)
{
	if (suite_find(s, name)) {
		error("two workloads are named '%s': name the commands apart with -n NAME", name);
		return NULL;
	}
	return suite_workload(s, name);
}

/* One cmd task per input of shell line text, the input parts shell-quoted
 * ({%} left for the launch); without a placeholder the input is appended. */
static int add_line_tasks(struct workload *w, const char *text, const struct inputs *in)
{
	bool any = placeholder_any(text), slot = placeholder_has_slot(text);
	int rc = 0;
	for (int i = 0; rc == 0 && i < in->n; i++) {
		char *line;
		if (any) {
			line = placeholder_expand(text, in->v[i], (long)i + 1, true);
		} else {
			char *q = shell_quote(in->v[i]);
			line = xasprintf("%s %s", text, q);
			free(q);
		}
		struct task_spec spec = {.kind = task_kind_find("cmd"), .slot_placeholder = slot};
		rc = task_spec_set_str(&spec, "shell", line);
		if (rc == 0)
			rc = workload_add(w, &spec, 1);
		task_spec_free(&spec);
		free(line);
	}
	return rc;
}

/* One cmd task per input of the -- command, each word substituted as text
 * (no shell reads it); without a placeholder the input is a last argument. */
static int add_argv_tasks(struct workload *w, char *const *cmd, int argc, const struct inputs *in)
{
	bool any = false, slot = false;
	for (int j = 0; j < argc; j++) {
		any |= placeholder_any(cmd[j]);
		slot |= placeholder_has_slot(cmd[j]);
	}
	char **argv = xcalloc((size_t)argc + 2, sizeof(char *));
	int rc = 0;
	for (int i = 0; rc == 0 && i < in->n; i++) {
		int n = 0;
		for (; n < argc; n++)
			argv[n] = any ? placeholder_expand(cmd[n], in->v[i], (long)i + 1, false) : cmd[n];
		if (!any)
			argv[n++] = in->v[i];
		struct task_spec spec = {.kind = task_kind_find("cmd"), .slot_placeholder = slot};
		rc = task_spec_set_argv(&spec, (const char *const *)argv, n);
		if (rc == 0)
			rc = workload_add(w, &spec, 1);
		task_spec_free(&spec);
		for (int j = 0; any && j < argc; j++)
			free(argv[j]);
	}
	free(argv);
	return rc;
}

/* The command strings and the -- command, one workload each, named apart. */
static int add_commands(struct suite *s, const struct options *o, const struct inputs *in,
			int usable_cores)
{
	for (int i = 0; i < o->ncmdstrings; i++) {
		const char *text = o->cmdstrings[i];
		struct workload *w = command_workload(s, command_name(o, i, text));
		if (!w)
			return -1;
		if (in->n ? add_line_tasks(w, text, in) < 0
			  : suite_add_command_line(s, w->name, text, o->count ? o->count : 1) < 0)
			return -1;
	}
	if (!o->ncommand)
		return 0;
	char *line = shell_join(o->command, o->ncommand);
	struct workload *w = command_workload(s, command_name(o, o->ncmdstrings, o->name ? o->name : line));
	free(line);
	if (!w)
		return -1;
	if (in->n)
		return add_argv_tasks(w, o->command, o->ncommand, in);
	return suite_add_command(s, w->name, o->command, o->ncommand,
				 o->count ? o->count : 2 * usable_cores);
}

int suite_load(struct suite *s, const struct options *o, int usable_cores)
{
	/* --name names the -t tasks, the --commands lines, or the -- command
	 * when no -n does: given for none of them, it would be ignored */
	if (o->name && !o->nspecs && !o->commands_file && !(o->ncommand && o->ncmdnames <= o->ncmdstrings))
		return error("--name names the -t tasks, the --commands lines, or the -- command when no -n "
			     "names it: here it names nothing%s",
			     o->ncmdstrings ? " (command strings take -n)" : "");
	const char *name = o->name ? o->name : "custom";
	for (int i = 0; i < o->nspecs; i++)
		if (suite_add_spec_text(s, name, o->specs[i]) < 0)
			return -1;
	if (o->taskfile && taskfile_load(o->taskfile, s) < 0)
		return -1;
	struct inputs in = {o->inputs, o->ninputs, false};
	if (o->args_file && inputs_read(&in, o->args_file) < 0) {
		inputs_free(&in);
		return -1;
	}
	int first = s->nworkloads, rc = add_commands(s, o, &in, usable_cores);
	inputs_free(&in);
	if (rc < 0)
		return -1;
	if (o->commands_file) {
		struct workload *w = suite_find(s, name);
		if (w && w - s->workloads >= first)
			return error("two workloads are named '%s': name the commands apart with -n NAME",
				     name);
		if (suite_add_commands_file(s, name, o->commands_file) < 0)
			return -1;
	}
	if (!s->nworkloads)
		suite_builtin(s, usable_cores);
	if (cli_check_hooks(o, s->nworkloads) < 0)
		return -1;
	for (int i = 0; i < s->nworkloads; i++)
		if (!cli_hook(o, HOOK_SETUP, i) && suite_check_programs(&s->workloads[i]) < 0)
			return -1;
	return 0;
}
