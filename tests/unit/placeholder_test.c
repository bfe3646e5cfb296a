/* Unit tests of placeholder.c: GNU parallel's replacement strings, filled in as it does. */
#include "config.h"
#include "placeholder.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>

/* expand(text, input, task_no, quote) equals want; frees the result. */
static void expect_expand(const char *text, const char *input, long task_no, bool quote, const char *want)
{
	char *got = placeholder_expand(text, input, task_no, quote);
	assert_string_equal(got, want);
	free(got);
}

static void expect_part(const char *input, enum placeholder_part part, const char *want)
{
	char *got = placeholder_part(input, part);
	assert_string_equal(got, want);
	free(got);
}

/* {.}: s:\.[^/.]+$:: -- the last component's last dot, with something after it. */
static void test_noext(void **state)
{
	(void)state;
	expect_part("dir/file.txt", PLACEHOLDER_NOEXT, "dir/file");
	expect_part("file.tar.gz", PLACEHOLDER_NOEXT, "file.tar");
	expect_part("a.b/c", PLACEHOLDER_NOEXT, "a.b/c");
	expect_part("file.", PLACEHOLDER_NOEXT, "file.");
	expect_part("a..b", PLACEHOLDER_NOEXT, "a.");
	expect_part(".bashrc", PLACEHOLDER_NOEXT, "");
	expect_part("plain", PLACEHOLDER_NOEXT, "plain");
	expect_part("", PLACEHOLDER_NOEXT, "");
}

/* {/}: s:.*\/::, and {/.}: that without its extension. */
static void test_basename(void **state)
{
	(void)state;
	expect_part("dir/file.txt", PLACEHOLDER_BASENAME, "file.txt");
	expect_part("/a/b.c", PLACEHOLDER_BASENAME, "b.c");
	expect_part("b", PLACEHOLDER_BASENAME, "b");
	expect_part("dir/", PLACEHOLDER_BASENAME, "");
	expect_part("dir/file.txt", PLACEHOLDER_BASE_NOEXT, "file");
	expect_part("a.b/c", PLACEHOLDER_BASE_NOEXT, "c");
	expect_part("/a/b.c.d", PLACEHOLDER_BASE_NOEXT, "b.c");
}

/* {//}: Perl's dirname, as GNU parallel's own tests (test57) show it. */
static void test_dirname(void **state)
{
	(void)state;
	expect_part("a", PLACEHOLDER_DIRNAME, ".");
	expect_part("a/b", PLACEHOLDER_DIRNAME, "a");
	expect_part("a/b/c", PLACEHOLDER_DIRNAME, "a/b");
	expect_part("/a", PLACEHOLDER_DIRNAME, "/");
	expect_part("/a/b", PLACEHOLDER_DIRNAME, "/a");
	expect_part("./a", PLACEHOLDER_DIRNAME, ".");
	expect_part("a/b/", PLACEHOLDER_DIRNAME, "a");
	expect_part("a//b", PLACEHOLDER_DIRNAME, "a");
	expect_part("/", PLACEHOLDER_DIRNAME, "/");
	expect_part("//", PLACEHOLDER_DIRNAME, "/");
	expect_part("", PLACEHOLDER_DIRNAME, ".");
}

static void test_detect(void **state)
{
	(void)state;
	assert_true(placeholder_any("echo {}"));
	assert_true(placeholder_any("x{#}y"));
	assert_true(placeholder_any("{/.}"));
	assert_true(placeholder_any("{//}"));
	assert_true(placeholder_any("{%}"));
	assert_false(placeholder_any("echo { } {x} {/x} {.. } {"));
	assert_false(placeholder_any(""));
	assert_true(placeholder_has_slot("out.{%}"));
	assert_false(placeholder_has_slot("out.{#} {} {%x}"));
}

/* Text as written: every placeholder filled in once, {%} kept for the launch. */
static void test_expand_text(void **state)
{
	(void)state;
	expect_expand("{} {#} {%} {.}|{/}|{//}|{/.}", "dir/file.txt", 7, false,
		      "dir/file.txt 7 {%} dir/file|file.txt|dir|file");
	expect_expand("out.{#}", "x", 100000, false, "out.100000");
	expect_expand("{x} { } {", "in", 1, false, "{x} { } {");
	expect_expand("{}{}", "my file", 1, false, "my filemy file");
	/* the input's own braces are not read again */
	expect_expand("<{}>", "{#}{/}", 3, false, "<{#}{/}>");
	expect_expand("{}", "", 1, false, "");
}

/* A shell line: the input's parts quoted with shell_quote, numbers bare. */
static void test_expand_shell(void **state)
{
	(void)state;
	expect_expand("gzip -k {}", "my file", 1, true, "gzip -k 'my file'");
	expect_expand("echo {} {#}", "it's", 2, true, "echo 'it'\\''s' 2");
	expect_expand("cp {} {/.}.bak", "d/a b.txt", 1, true, "cp 'd/a b.txt' 'a b'.bak");
	expect_expand("echo {}", "plain-name.txt", 1, true, "echo plain-name.txt");
	expect_expand("echo {}", "", 1, true, "echo ''");
	expect_expand("echo {} {%}", "$HOME", 1, true, "echo '$HOME' {%}");
}

static void test_fill_slot(void **state)
{
	(void)state;
	char *got = placeholder_fill_slot("out.{%} {%}{%} {#}", 12);
	assert_string_equal(got, "out.12 1212 {#}");
	free(got);
	got = placeholder_fill_slot("none", 1);
	assert_string_equal(got, "none");
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_noext),       cmocka_unit_test(test_basename),
		cmocka_unit_test(test_dirname),     cmocka_unit_test(test_detect),
		cmocka_unit_test(test_expand_text), cmocka_unit_test(test_expand_shell),
		cmocka_unit_test(test_fill_slot),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
