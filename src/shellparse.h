#ifndef TRIBENCH_SHELLPARSE_H
#define TRIBENCH_SHELLPARSE_H

#include <stdbool.h>

/* The direct-exec shortcut: reading a shell line as a POSIX shell would
 * split it, when that needs no shell at all. */

/* A shell line read as a plain simple command: the words a shell would pass. */
struct shell_words {
	char **env;               /* leading NAME=value words, quotes removed; NULL-terminated */
	int nenv;
	char **argv;              /* the command and its arguments, quotes removed; NULL-terminated */
	int argc;                 /* >= 1 */
};

/*
 * line split as /bin/sh would split it, when sh would do nothing more than
 * split it on unquoted blanks and remove quotes ('...', "...") and
 * backslashes: 0 and *w filled (owned by the caller: shell_words_free).
 * 1 and nothing allocated when the line needs the shell itself: it holds `$`
 * or a backquote, an unquoted *?[ | & ; < > ( ) { } or newline, an unquoted ~
 * at a word start or after an unquoted = or :, a word starting with an
 * unquoted #, a backslash inside "...", a trailing backslash, an unterminated
 * quote, only NAME=value words (or none), an assignment to PATH, or its
 * command word is a shell keyword or a builtin whose exec'd program differs
 * (shell_needs_builtin). Pure: no I/O, no environment read.
 */
int shell_parse(const char *line, struct shell_words *w);
void shell_words_free(struct shell_words *w);

/* Is name (quotes removed) a word that sh runs itself, or runs differently
 * from the program of that name: a POSIX keyword or special or regular
 * builtin, or a dash/bash builtin (echo, pwd, source, local, ...)? true,
 * false, test, [, printf and kill are not: their programs behave the same
 * for POSIX uses, and exec'd they keep their own process. */
bool shell_needs_builtin(const char *name);

/* base (NULL-terminated) with extra's NAME=value entries in front and base's
 * entries of the same names left out: the environment of a command run as
 * `NAME=value ... cmd`. A new pointer vector (free() it alone); its strings
 * are base's and extra's. */
char **shell_env_overlay(char *const *base, char *const *extra);

#endif
