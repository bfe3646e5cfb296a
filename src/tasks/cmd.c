/* cmd: a user's command, exec'd directly or through /bin/sh -c. */
#include "config.h"
#include "tasks/task.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

extern const struct task_kind task_cmd;

enum { CMD_SHELL };

static const struct task_param cmd_params[] = {
	[CMD_SHELL] = {.name = "shell", .type = PARAM_STR, .metavar = "TEXT",
		       .help = "a shell line, run by /bin/sh -c (taskfile: or \"argv\": [...])"},
};

/*
 * A line with shell syntax, or starting with a shell builtin or keyword, goes
 * to /bin/sh -c; any other is split on blanks and exec'd directly, as GNU
 * make's fast path does.
 */
static bool needs_shell(const char *line)
{
	static const char *const builtins[] = {
		".", ":", "alias", "break", "case", "cd", "command", "continue", "do", "done",
		"elif", "else", "esac", "eval", "exec", "exit", "export", "fi", "for", "function",
		"getopts", "hash", "if", "local", "read", "readonly", "return", "set", "shift",
		"source", "then", "times", "trap", "type", "ulimit", "umask", "unalias", "unset",
		"until", "wait", "while",
	};
	if (strpbrk(line, "\"'`$\\|&;<>()*?[]{}~#=%!\n"))
		return true;
	size_t n = strcspn(line, " \t");
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
		if (strlen(builtins[i]) == n && !strncmp(line, builtins[i], n))
			return true;
	return false;
}

static void line_to_argv(struct task_spec *s, const char *line)
{
	if (needs_shell(line)) {
		const char *argv[] = {"/bin/sh", "-c", line};
		task_spec_set_argv(s, argv, 3);
		return;
	}
	char *copy = xstrdup(line), *save = NULL;
	const char **argv = xcalloc(strlen(line) / 2 + 2, sizeof(char *));
	int argc = 0;
	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
		argv[argc++] = w;
	task_spec_set_argv(s, argv, argc);
	free(argv);
	free(copy);
}

/* Where execve will find argv[0]: resolved once here, not in the child. */
static char *find_in_path(const char *name)
{
	if (strchr(name, '/'))
		return xstrdup(name);
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	char *dirs = xstrdup(path), *save = NULL, *found = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *candidate = xasprintf("%s/%s", *d ? d : ".", name);
		struct stat st;
		if (stat(candidate, &st) == 0 && S_ISREG(st.st_mode) && access(candidate, X_OK) == 0)
			found = candidate;
		else
			free(candidate);
	}
	free(dirs);
	return found;
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
	if (s->kind != &task_cmd || !s->argv || strchr(s->argv[0], '/'))
		return NULL;
	char *found = find_in_path(s->argv[0]);
	free(found);
	return found ? NULL : s->argv[0];
}

static int cmd_prepare(struct task_spec *s, const struct calibration *cal)
{
	(void)cal;
	if (s->str[CMD_SHELL] && !s->argv)
		line_to_argv(s, s->str[CMD_SHELL] + strspn(s->str[CMD_SHELL], " \t"));
	if (!s->path)
		s->path = find_in_path(s->argv[0]);
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
