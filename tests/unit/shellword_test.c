/* Unit tests of the direct-exec shortcut's parser (shellparse.c) and of
 * shell_quote read back by it. */
#include "config.h"
#include "shellparse.h"
#include "shellword.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* line must be exec'd directly as env (NULL-terminated) then argv. */
static void assert_direct(const char *line, const char *const *env, const char *const *argv)
{
	struct shell_words w;
	if (shell_parse(line, &w) != 0)
		fail_msg("'%s' went to sh", line);
	int i = 0;
	for (; env[i]; i++) {
		if (i >= w.nenv)
			fail_msg("'%s': env[%d] missing", line, i);
		assert_string_equal(w.env[i], env[i]);
	}
	assert_int_equal(w.nenv, i);
	assert_null(w.env[i]);
	for (i = 0; argv[i]; i++) {
		if (i >= w.argc)
			fail_msg("'%s': argv[%d] missing", line, i);
		assert_string_equal(w.argv[i], argv[i]);
	}
	assert_int_equal(w.argc, i);
	assert_null(w.argv[i]);
	shell_words_free(&w);
}

static void assert_shell(const char *line)
{
	struct shell_words w;
	if (shell_parse(line, &w) != 1)
		fail_msg("'%s' was not left to sh", line);
	assert_null(w.argv);
	assert_null(w.env);
}

#define NONE ((const char *const[]){NULL})
#define V(...) ((const char *const[]){__VA_ARGS__, NULL})

static void blanks_split_words(void **state)
{
	(void)state;
	assert_direct("ls", NONE, V("ls"));
	assert_direct("  ls\t-l  /tmp\t", NONE, V("ls", "-l", "/tmp"));
	assert_direct("a]b c%d e,f", NONE, V("a]b", "c%d", "e,f"));
	assert_direct("prog a#b x~", NONE, V("prog", "a#b", "x~"));
	assert_direct("prog h\xc3\xa9llo \xe2\x82\xac", NONE, V("prog", "h\xc3\xa9llo", "\xe2\x82\xac"));
}

static void quotes_and_backslashes_are_removed(void **state)
{
	(void)state;
	assert_direct("sha256sum 'big file'", NONE, V("sha256sum", "big file"));
	assert_direct("p \"a  b\" 'c\"d' \"e'f\"", NONE, V("p", "a  b", "c\"d", "e'f"));
	assert_direct("p '' \"\" x''y", NONE, V("p", "", "", "xy"));
	assert_direct("p a\\ b \\$x \\* \\'", NONE, V("p", "a b", "$x", "*", "'"));
	assert_direct("p 'a\tb' '$'", NONE, V("p", "a\tb", "$"));
	assert_direct("p 'x\\ny'", NONE, V("p", "x\\ny"));
	assert_direct("'my prog' 1", NONE, V("my prog", "1"));
}

static void leading_assignments_become_env(void **state)
{
	(void)state;
	assert_direct("A=1 B_2='x y' prog C=3", V("A=1", "B_2=x y"), V("prog", "C=3"));
	assert_direct("A= prog", V("A="), V("prog"));
	assert_direct("A==b prog", V("A==b"), V("prog"));
	/* not assignments: a quoted or bad name, or no name */
	assert_direct("'A'=1 x", NONE, V("A=1", "x"));
	assert_direct("1A=1 x", NONE, V("1A=1", "x"));
	assert_direct("=x y", NONE, V("=x", "y"));
	assert_direct("a-b=1 y", NONE, V("a-b=1", "y"));
}

static void shell_syntax_goes_to_sh(void **state)
{
	(void)state;
	const char *lines[] = {
		"echo $HOME", "p \"$x\"", "p `id`", "p \"a`b\"", "ls *.c", "ls a?", "ls [ab]",
		"a | b", "a && b", "a; b", "a > f", "a < f", "(a)", "a\nb", "p ~", "p ~/x",
		"p x=~/y", "A=~ p", "A=x:~ p", "p #comment", "# all", "p {a,b}", "p {}", "p }",
		"p \"a\\b\"", "p \"\\$\"", "p a\\", "p 'open", "p \"open", "A=1", "A=1 B=2", "",
		"   ", "PATH=/x prog", "'' x", "p a\\\nb",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_shell(lines[i]);
}

static void keywords_and_builtins_go_to_sh(void **state)
{
	(void)state;
	const char *lines[] = {
		"cd /tmp", "export A=1", "set -e", "exec ls", "! false", "{ ls; }", "if", "while x",
		"case", ". ./f", ": x", "command ls", "type ls", "alias a=b", "read x", "eval x",
		"exit 3", "umask", "ulimit -n", "wait", "trap x INT", "unset A", "echo hi",
		"pwd", "A=1 cd /", "'cd' /", "source f", "local x", "times", "hash",
	};
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_shell(lines[i]);
	/* sh's builtins that share a program's name but not all its behaviour
	 * (GNU true --version, printf %q, kill -L): sh runs them */
	assert_shell("true");
	assert_shell("false x");
	assert_shell("test -f x");
	assert_shell("[ a = a ]");
	assert_shell("'[' a = a ]");
	assert_shell("printf %s x");
	assert_shell("kill -0 1");
	assert_direct("cdx", NONE, V("cdx"));
	assert_true(shell_needs_builtin("cd"));
	assert_false(shell_needs_builtin("cdx"));
}

/* What shell_quote writes, the parser reads back as the same word. */
static void shell_quote_reads_back(void **state)
{
	(void)state;
	const char *words[] = {"plain", "a b", "it's", "$x", "*", "", "a\"b", "~", "#", "{}", "\t", "x\\y"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char *q = shell_quote(words[i]);
		size_t n = strlen(q) + 8;
		char *line = malloc(n);
		snprintf(line, n, "prog %s", q);
		assert_direct(line, NONE, V("prog", words[i]));
		free(line);
		free(q);
	}
}

static void env_overlay_puts_extra_first_and_shadows(void **state)
{
	(void)state;
	char b0[] = "A=0", b1[] = "PATH=/bin", b2[] = "AB=1", e0[] = "A=1", e1[] = "B=2", e2[] = "B=3";
	char *base[] = {b0, b1, b2, NULL};
	char *extra[] = {e0, e1, e2, NULL};
	char **v = shell_env_overlay(base, extra);
	assert_string_equal(v[0], "A=1");
	assert_string_equal(v[1], "B=3");
	assert_string_equal(v[2], "PATH=/bin");
	assert_string_equal(v[3], "AB=1");
	assert_null(v[4]);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blanks_split_words),
		cmocka_unit_test(quotes_and_backslashes_are_removed),
		cmocka_unit_test(leading_assignments_become_env),
		cmocka_unit_test(shell_syntax_goes_to_sh),
		cmocka_unit_test(keywords_and_builtins_go_to_sh),
		cmocka_unit_test(shell_quote_reads_back),
		cmocka_unit_test(env_overlay_puts_extra_first_and_shadows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
