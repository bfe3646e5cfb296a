/* cmd: a user's command, exec'd directly or through /bin/sh -c. */
#include "config.h"
#include "tasks/task.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "shellparse.h"
#include "util.h"

extern const struct task_kind task_cmd;

enum { CMD_SHELL };

static const struct task_param cmd_params[] = {
	[CMD_SHELL] = {.name = "shell", .type = PARAM_STR, .metavar = "TEXT",
		       .help = "a shell line, run by /bin/sh -c (taskfile: or \"argv\": [...])"},
};

/*
 * A line that sh would only split (shell_parse) is exec'd directly, keeping
 * its own process and per-process states; its NAME=value words become the
 * task's environment entries. Any other goes to /bin/sh -c unchanged.
 */
static void line_to_argv(struct task_spec *s, const char *line)
{
	struct shell_words w;
	if (shell_parse(line, &w)) {
		const char *argv[] = {"/bin/sh", "-c", line};
		task_spec_set_argv(s, argv, 3);
		return;
	}
	task_spec_set_argv(s, (const char *const *)w.argv, w.argc);
	if (w.nenv) {
		s->env = w.env;
		w.env = NULL;
		w.nenv = 0;
	}
	shell_words_free(&w);
}

/*
 * Where execve will find argv[0]: resolved once here, not in the child. An
 * empty PATH entry (leading or trailing ':', '::') is the current directory,
 * as in sh and execvp.
 */
static char *find_in_path(const char *name)
{
	if (strchr(name, '/'))
		return xstrdup(name);
	const char *path = getenv("PATH");
	if (!path)	/* unset; set but empty is one empty entry: "." */
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *d = path;; d++) {
		size_t n = strcspn(d, ":");
		char *candidate = n ? xasprintf("%.*s/%s", (int)n, d, name) : xasprintf("./%s", name);
		struct stat st;
		if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode) && access(candidate, X_OK) == 0)
			return candidate;
		free(candidate);
		d += n;
		if (!*d)
			return NULL;
	}
}

static int cmd_validate(const struct task_spec *s)
{
	if (s->str[CMD_SHELL] && s->argv)
		return error("cmd: give \"argv\" or \"shell\", not both");
	if (s->str[CMD_SHELL] && !s->str[CMD_SHELL][strspn(s->str[CMD_SHELL], " \t")])
		return error("cmd: the shell line is empty");
	if (!s->str[CMD_SHELL] && !s->argv)
		return error("cmd: no command given (\"argv\" or \"shell\")");
	return 0;
}

const char *cmd_missing_program(const struct task_spec *s)
{
	static char *parsed;	/* a shell line's program name, until the next call */
	if (s->kind != &task_cmd)
		return NULL;
	const char *name = s->argv ? s->argv[0] : NULL;
	if (!s->argv && s->str[CMD_SHELL]) {
		struct shell_words w;
		if (shell_parse(s->str[CMD_SHELL], &w))
			return NULL;
		free(parsed);
		parsed = xstrdup(w.argv[0]);
		shell_words_free(&w);
		name = parsed;
	}
	if (!name || strchr(name, '/'))
		return NULL;
	char *found = find_in_path(name);
	free(found);
	return found ? NULL : name;
}

static int cmd_prepare(struct task_spec *s, const struct calibration *cal)
{
	(void)cal;
	if (s->str[CMD_SHELL] && !s->argv)
		line_to_argv(s, s->str[CMD_SHELL] + strspn(s->str[CMD_SHELL], " \t"));
	if (!s->path)
		s->path = find_in_path(s->argv[0]);
	/* ENOEXEC (no #!, not ELF): sh runs the file, as execvp does; the
	 * child cannot allocate, so the vector is made here, anew each time:
	 * it points at the path, which a prepare after --setup replaces */
	free(s->sh_argv);
	s->sh_argv = NULL;
	if (s->path) {
		int argc = 0;
		while (s->argv[argc])
			argc++;
		s->sh_argv = xcalloc((size_t)argc + 2, sizeof(char *));
		s->sh_argv[0] = (char *)"/bin/sh";
		s->sh_argv[1] = s->path;
		for (int i = 1; i < argc; i++)
			s->sh_argv[i + 1] = s->argv[i];
	}
	return 0;
}

const struct task_kind task_cmd = {
	.name = "cmd",
	.summary = "a command: tribench run -- CMD ARGS, --commands FILE, or a taskfile's argv/shell",
	.params = cmd_params,
	.nparams = ARRAY_SIZE(cmd_params),
	.validate = cmd_validate,
	.prepare = cmd_prepare,
};
