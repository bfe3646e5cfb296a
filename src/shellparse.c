/* The direct-exec shortcut: a shell line split as sh would split it, or left
 * to sh when sh would do more than split it (expand, glob, redirect, run a
 * builtin). Not glibc's wordexp: it globs and expands at parse time. */
#include "config.h"
#include "shellparse.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Words sh runs itself, or runs otherwise than the program of that name. */
static const char *const sh_words[] = {
	/* keywords (POSIX, bash) */
	"!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if", "in",
	"then", "until", "while", "function", "select", "time", "coproc", "[[", "]]",
	/* POSIX special builtins */
	".", ":", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return",
	"set", "shift", "times", "trap", "unset",
	/* POSIX regular builtins that change or read the shell itself */
	"alias", "bg", "cd", "command", "fc", "fg", "getopts", "hash", "jobs", "newgrp", "read",
	"type", "ulimit", "umask", "unalias", "wait",
	/* /bin/sh's builtins that share a program's name but not its behaviour
	 * (so sh runs them, as the line says): dash's echo expands \n and has no
	 * -e; its pwd prints the logical $PWD, /bin/pwd the physical path;
	 * GNU's true/false answer --version, printf knows %q, kill -L, and
	 * test reports errors in its own words */
	"echo", "pwd", "true", "false", "printf", "test", "[", "kill",
	/* dash and bash builtins */
	"local", "source", "chdir", "declare", "typeset", "let", "shopt", "builtin", "enable",
	"help", "history", "logout", "mapfile", "readarray", "pushd", "popd", "dirs", "disown",
	"suspend", "caller", "compgen", "complete", "compopt", "bind",
};

bool shell_needs_builtin(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sh_words); i++)
		if (!strcmp(name, sh_words[i]))
			return true;
	return false;
}

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
}

/*
 * One word from *pp into buf, quotes and backslashes removed, *pp moved past
 * it: its length, or -1 when the word needs sh. *assign: the word is
 * NAME=value with NAME and = unquoted, as sh recognises an assignment.
 */
static long read_word(const char **pp, char *buf, bool *assign)
{
	const char *p = *pp;
	size_t o = 0;
	bool name = true;         /* all so far an unquoted NAME */
	bool tilde = true;        /* an unquoted ~ here would expand */
	*assign = false;
	if (*p == '#')
		return -1;
	while (*p && *p != ' ' && *p != '\t') {
		char c = *p;
		if (c == '\'') {
			const char *end = strchr(p + 1, '\'');
			if (!end)
				return -1;
			memcpy(buf + o, p + 1, (size_t)(end - p - 1));
			o += (size_t)(end - p - 1);
			p = end + 1;
		} else if (c == '"') {
			/* inside "...", $ ` \ are sh's to read: leave the line to it */
			for (p++; *p != '"'; p++) {
				if (!*p || *p == '$' || *p == '`' || *p == '\\')
					return -1;
				buf[o++] = *p;
			}
			p++;
		} else if (c == '\\') {
			if (!p[1] || p[1] == '\n')
				return -1;
			buf[o++] = p[1];
			p += 2;
		} else {
			if (strchr("$`*?[|&;<>(){}\n", c) || (c == '~' && tilde))
				return -1;
			if (c == '=' && name && o > 0 && !*assign)
				*assign = true;
			else if (!*assign && !name_char(c, o == 0))
				name = false;
			tilde = c == '=' || c == ':';
			buf[o++] = c;
			p++;
			continue;
		}
		name = false;
		tilde = false;
	}
	buf[o] = '\0';
	*pp = p;
	return (long)o;
}

int shell_parse(const char *line, struct shell_words *w)
{
	size_t len = strlen(line), max = len / 2 + 2;
	char *buf = xmalloc(len + 1);
	memset(w, 0, sizeof(*w));
	w->env = xcalloc(max, sizeof(char *));
	w->argv = xcalloc(max, sizeof(char *));
	const char *p = line;
	for (;;) {
		p += strspn(p, " \t");
		if (!*p)
			break;
		bool assign;
		if (read_word(&p, buf, &assign) < 0)
			goto shell;
		if (assign && !w->argc) {
			/* sh would look the command up in the new PATH */
			if (!strncmp(buf, "PATH=", 5))
				goto shell;
			w->env[w->nenv++] = xstrdup(buf);
		} else {
			w->argv[w->argc++] = xstrdup(buf);
		}
	}
	if (!w->argc || !w->argv[0][0] || shell_needs_builtin(w->argv[0]))
		goto shell;
	free(buf);
	return 0;
shell:
	free(buf);
	shell_words_free(w);
	return 1;
}

void shell_words_free(struct shell_words *w)
{
	for (int i = 0; i < w->nenv; i++)
		free(w->env[i]);
	for (int i = 0; i < w->argc; i++)
		free(w->argv[i]);
	free(w->env);
	free(w->argv);
	memset(w, 0, sizeof(*w));
}

/* Does entry set the variable named like other (both NAME=value)? */
static bool same_name(const char *entry, const char *other)
{
	size_t n = strcspn(other, "=");
	return !strncmp(entry, other, n) && entry[n] == '=';
}

char **shell_env_overlay(char *const *base, char *const *extra)
{
	int nb = 0, ne = 0, k = 0;
	while (base && base[nb])
		nb++;
	while (extra && extra[ne])
		ne++;
	char **v = xcalloc((size_t)nb + (size_t)ne + 1, sizeof(char *));
	for (int i = 0; i < ne; i++) {
		bool later = false;        /* A=1 A=2 cmd: sh gives A=2 */
		for (int j = i + 1; j < ne && !later; j++)
			later = same_name(extra[j], extra[i]);
		if (!later)
			v[k++] = extra[i];
	}
	for (int i = 0; i < nb; i++) {
		bool shadowed = false;
		for (int j = 0; j < ne && !shadowed; j++)
			shadowed = same_name(base[i], extra[j]);
		if (!shadowed)
			v[k++] = base[i];
	}
	return v;
}
