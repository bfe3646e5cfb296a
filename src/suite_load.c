/* A run's suite from its options: which workloads, named how, how many tasks. */
#include "config.h"
#include "suite_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "parameters.h"
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

/* The command strings and the -- command of combination c (-1: no
 * parameters), one workload each, named apart, {NAME} replaced. */
static int add_commands(struct suite *s, const struct options *o, long c, const struct inputs *in,
			int usable_cores)
{
	const struct parameters *p = &o->params;
	for (int i = 0; i < o->ncmdstrings; i++) {
		const char *named = command_name(o, i, o->cmdstrings[i]);
		char *text = parameters_substitute(p, c, o->cmdstrings[i]);
		char *name = parameters_name(p, c, named, named);
		struct workload *w = command_workload(s, name);
		int rc = !w ? -1 : in->n ? add_line_tasks(w, text, in)
			 : suite_add_command_line(s, name, text, o->count ? o->count : 1);
		free(text);
		free(name);
		if (rc < 0)
			return -1;
	}
	if (!o->ncommand)
		return 0;
	char **argv = xcalloc((size_t)o->ncommand, sizeof(char *));
	for (int j = 0; j < o->ncommand; j++)
		argv[j] = parameters_substitute(p, c, o->command[j]);
	char *line = shell_join(o->command, o->ncommand), *done = shell_join(argv, o->ncommand);
	const char *named = command_name(o, o->ncmdstrings, o->name);
	char *name;
	if (named) {
		name = parameters_name(p, c, named, named);
	} else {	/* by its text: the words run, then the parameters it lacks */
		char *lacks = parameters_name(p, c, "", line);
		name = xasprintf("%s%s", done, lacks);
		free(lacks);
	}
	struct workload *w = command_workload(s, name);
	int rc = !w ? -1 : in->n ? add_argv_tasks(w, argv, o->ncommand, in)
		 : suite_add_command(s, name, argv, o->ncommand, o->count ? o->count : 2 * usable_cores);
	for (int j = 0; j < o->ncommand; j++)
		free(argv[j]);
	free(argv);
	free(line);
	free(done);
	free(name);
	return rc;
}

/* With parameters, the --commands lines are read once (a pipe cannot be
 * read again) into a scratch suite's only workload, their tasks each a
 * shell line, to be copied for each combination. */
static int commands_read(struct suite *lines, const struct options *o)
{
	if (!o->commands_file || !o->params.n)
		return 0;
	return suite_add_commands_file(lines, "", o->commands_file);
}

/* The shell text of a --commands line's task (a cmd spec's "shell"). */
static const char *line_text(const struct task_spec *spec)
{
	return spec->str[task_param_index(spec->kind, "shell")];
}

/*
 * The workload --name names (default "custom") for combination c: the -t
 * specs, then the --commands lines. A name already taken is an error, but
 * for a workload made before `first` without parameters (a taskfile's: the
 * lines join it, as they always have).
 */
static int add_named(struct suite *s, const struct options *o, long c, const struct suite *lines,
		     int first)
{
	const struct parameters *p = &o->params;
	const char *named = o->name ? o->name : "custom";
	char *name = parameters_name(p, c, named, named);
	int rc = 0;
	struct workload *w = suite_find(s, name);
	if (w && (c >= 0 || w - s->workloads >= first))
		rc = error("two workloads are named '%s': name the commands apart with -n NAME", name);
	for (int i = 0; rc == 0 && i < o->nspecs; i++) {
		char *spec = parameters_substitute(p, c, o->specs[i]);
		rc = suite_add_spec_text(s, name, spec);
		free(spec);
	}
	if (rc == 0 && c < 0 && o->commands_file)
		rc = suite_add_commands_file(s, name, o->commands_file);
	const struct workload *l = lines->nworkloads ? &lines->workloads[0] : NULL;
	for (int g = 0; rc == 0 && l && g < l->ngroups; g++) {
		char *text = parameters_substitute(p, c, line_text(&l->groups[g].spec));
		int count = l->groups[g].end - (g ? l->groups[g - 1].end : 0);
		rc = suite_add_command_line(s, name, text, count);
		free(text);
	}
	free(name);
	return rc;
}

/*
 * With parameters: what they cannot apply to, and a parameter whose {NAME}
 * appears nowhere (its workloads would differ in name only).
 */
static int check_parameters(const struct options *o, const struct suite *lines)
{
	const struct parameters *p = &o->params;
	if (!p->n)
		return 0;
	if (o->taskfile)
		return error("parameters (-P, -L) apply to command strings, the -- command, -t specs and "
			     "--commands lines, not to a taskfile (-f)");
	if (!o->nspecs && !o->ncmdstrings && !o->ncommand && !o->commands_file)
		return error("parameters (-P, -L) need a command or a -t spec holding {%s}: the built-in "
			     "suite has none", p->v[0].name);
	for (int i = 0; i < p->n; i++) {
		bool used = o->name && parameters_used(p, i, o->name);
		for (int k = 0; !used && k < o->nspecs; k++)
			used = parameters_used(p, i, o->specs[k]);
		for (int k = 0; !used && k < o->ncmdstrings; k++)
			used = parameters_used(p, i, o->cmdstrings[k]);
		for (int k = 0; !used && k < o->ncommand; k++)
			used = parameters_used(p, i, o->command[k]);
		for (int k = 0; !used && k < o->ncmdnames; k++)
			used = parameters_used(p, i, o->cmdnames[k]);
		for (int h = 0; h < HOOK_COUNT; h++)
			for (int k = 0; !used && k < o->hooks[h].n; k++)
				used = parameters_used(p, i, o->hooks[h].v[k]);
		const struct workload *l = lines->nworkloads ? &lines->workloads[0] : NULL;
		for (int g = 0; !used && l && g < l->ngroups; g++)
			used = parameters_used(p, i, line_text(&l->groups[g].spec));
		if (!used)
			return error("parameter '%s': {%s} appears in no command, task spec, name or hook",
				     p->v[i].name, p->v[i].name);
	}
	return 0;
}

/* Thread and coroutine executors run built-in kinds: a command (an argv or
 * a shell line, from a taskfile too) is a process. */
static int check_executors(const struct options *o, const struct suite *s)
{
	const char *other = NULL;
	for (int x = 0; x < o->nexecutors; x++)
		if (o->executors[x] != EXEC_PROCESS)
			other = executor_name(o->executors[x]);
	for (int i = 0; other && i < s->nworkloads; i++) {
		const struct workload *w = &s->workloads[i];
		for (int g = 0; g < w->ngroups; g++)
			if (!w->groups[g].spec.kind->run)
				return error("workload '%s': its %s tasks are commands, which run as processes "
					     "only: --executor %s runs the built-in kinds", w->name,
					     w->groups[g].spec.kind->name, other);
	}
	return 0;
}

/* Each hook given once, once per workload as the options give them
 * (nsources, before the parameters' expansion) or once per workload run
 * (hyperfine's count): 0, or -1 with one error line. */
static int check_hooks(const struct options *o, int nsources, int nworkloads)
{
	if (nsources == nworkloads)
		return cli_check_hooks(o, nworkloads);
	for (int h = 0; h < HOOK_COUNT; h++) {
		int n = o->hooks[h].n;
		if (n > 1 && n != nsources && n != nworkloads)
			return error("--%s given %d times for %d commands and specs, %d workloads with the "
				     "parameters: give it once for all, once per command or once per workload",
				     hook_name(h), n, nsources, nworkloads);
	}
	return 0;
}

char *suite_hook(const struct options *o, const struct suite *s, enum hook h, int i)
{
	const struct hook_list *l = &o->hooks[h];
	const struct workload *w = &s->workloads[i];
	int k = l->n == 1 ? 0 : l->n == s->nworkloads ? i : w->source;
	if (!l->n || k >= l->n)
		return NULL;
	return parameters_substitute(&o->params, o->params.n ? w->combination : -1, l->v[k]);
}

int suite_load(struct suite *s, const struct options *o, int usable_cores)
{
	/* --name names the -t tasks, the --commands lines, or the -- command
	 * when no -n does: given for none of them, it would be ignored */
	if (o->name && !o->nspecs && !o->commands_file && !(o->ncommand && o->ncmdnames <= o->ncmdstrings))
		return error("--name names the -t tasks, the --commands lines, or the -- command when no -n "
			     "names it: here it names nothing%s",
			     o->ncmdstrings ? " (command strings take -n)" : "");
	const struct parameters *p = &o->params;
	struct suite lines = {0};
	if (commands_read(&lines, o) < 0 || check_parameters(o, &lines) < 0) {
		suite_free(&lines);
		return -1;
	}
	struct inputs in = {o->inputs, o->ninputs, false};
	int rc = o->args_file ? inputs_read(&in, o->args_file) : 0;
	long ncomb = p->n ? parameters_combinations(p) : 1;
	for (long k = 0; rc == 0 && k < ncomb; k++) {
		long c = p->n ? k : -1;
		if (o->nspecs)
			rc = add_named(s, o, c, &lines, s->nworkloads);
		if (rc == 0 && c < 0 && o->taskfile)
			rc = taskfile_load(o->taskfile, s);
		int first = s->nworkloads;
		if (rc == 0)
			rc = add_commands(s, o, c, &in, usable_cores);
		if (rc == 0 && !o->nspecs && o->commands_file)
			rc = add_named(s, o, c, &lines, first);
	}
	inputs_free(&in);
	suite_free(&lines);
	if (rc < 0)
		return -1;
	if (!s->nworkloads)
		suite_builtin(s, usable_cores);
	int nsources = (int)(s->nworkloads / ncomb);
	for (int i = 0; i < s->nworkloads; i++) {
		s->workloads[i].source = i % nsources;
		s->workloads[i].combination = p->n ? i / nsources : -1;
	}
	if (check_hooks(o, nsources, s->nworkloads) < 0 || check_executors(o, s) < 0)
		return -1;
	for (int i = 0; i < s->nworkloads; i++)
		if (!o->hooks[HOOK_SETUP].n && suite_check_programs(&s->workloads[i]) < 0)
			return -1;
	return 0;
}
