/* Unit tests of jsonutil.c: jstr() and jadd() write valid UTF-8, and
 * json_sanitize_tree() repairs any tree, keeping the original bytes in _raw
 * members, idempotently, and leaving valid trees alone. */
#include "config.h"
#include "json/jsonutil.h"
#include "util.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define FFFD "\xef\xbf\xbd"

/* cJSON straight, so the invalid bytes reach the tree (jstr would fix them). */
static cJSON *raw_str(const char *s)
{
	cJSON *item = cJSON_CreateString(s);
	assert_non_null(item);
	return item;
}

static char *print(const cJSON *root)
{
	char *text = cJSON_PrintUnformatted(root);
	assert_non_null(text);
	return text;
}

static void free_warnings(char **w, int n)
{
	for (int i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

/* Sanitize the tree parsed from `in` (cJSON keeps invalid bytes as they
 * are), expect `fixed` strings fixed and the compact text `want`. */
static void assert_sanitized(const char *in, int fixed, const char *want)
{
	cJSON *root = cJSON_Parse(in);
	assert_non_null(root);
	assert_int_equal(json_sanitize_tree(root, NULL, NULL), fixed);
	char *got = print(root);
	if (strcmp(got, want) != 0)
		fail_msg("sanitized %s\n  to %s\nexpected %s", in, got, want);
	assert_true(utf8_valid(got));
	cJSON_free(got);
	cJSON_Delete(root);
}

/* The report as the runner would build it from a command with a Latin-1
 * argument: argv in two tasks and a workload name. */
static cJSON *report_with_latin1(void)
{
	cJSON *root = jnew_object(), *wls = jadd(root, "workloads", jnew_array());
	cJSON *wl = jadd(wls, NULL, jnew_object()), *tasks;
	jadd(wl, "name", raw_str("caf\xe9"));
	jadd(wl, "runs", jint(3));
	tasks = jadd(wl, "tasks", jnew_array());
	for (int t = 0; t < 2; t++) {
		cJSON *task = jadd(tasks, NULL, jnew_object());
		cJSON *params = jadd(task, "params", jnew_object());
		cJSON *argv = jadd(params, "argv", jnew_array());
		jadd(argv, NULL, raw_str("echo"));
		jadd(argv, NULL, raw_str(t ? "\\back" : "caf\xe9"));
		if (t)
			jadd(argv, NULL, raw_str("x\xf0\x9f\x98 \xed\xa0\x80"));
		jadd(params, "cwd", raw_str("/tmp"));
	}
	return root;
}

static void sanitized_report_is_valid_utf8_with_raw_members(void **state)
{
	(void)state;
	cJSON *root = report_with_latin1();
	char **w = NULL;
	int nw = 0;
	assert_int_equal(json_sanitize_tree(root, &w, &nw), 3);
	assert_int_equal(nw, 2);
	assert_string_equal(w[0], "invalid UTF-8 in workloads[].name (1 string): replaced with U+FFFD, "
				  "the original bytes are in name_raw");
	assert_string_equal(w[1], "invalid UTF-8 in workloads[].tasks[].params.argv[] (2 strings): "
				  "replaced with U+FFFD, the original bytes are in argv_raw");
	free_warnings(w, nw);

	char *text = cJSON_Print(root);
	assert_non_null(text);
	assert_true(utf8_valid(text));
	cJSON_Delete(root);

	/* Read it back: values fixed, raw members beside them, indexes aligned. */
	root = cJSON_Parse(text);
	cJSON_free(text);
	assert_non_null(root);
	cJSON *wl = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "workloads"), 0);
	assert_string_equal(cJSON_GetObjectItem(wl, "name")->valuestring, "caf" FFFD);
	assert_string_equal(cJSON_GetObjectItem(wl, "name")->next->string, "name_raw");
	assert_string_equal(cJSON_GetObjectItem(wl, "name_raw")->valuestring, "caf\\xe9");
	cJSON *tasks = cJSON_GetObjectItem(wl, "tasks");
	cJSON *p0 = cJSON_GetObjectItem(cJSON_GetArrayItem(tasks, 0), "params");
	cJSON *p1 = cJSON_GetObjectItem(cJSON_GetArrayItem(tasks, 1), "params");
	char *a0 = print(cJSON_GetObjectItem(p0, "argv")), *r0 = print(cJSON_GetObjectItem(p0, "argv_raw"));
	char *a1 = print(cJSON_GetObjectItem(p1, "argv"));
	assert_string_equal(a0, "[\"echo\",\"caf" FFFD "\"]");
	assert_string_equal(r0, "[\"echo\",\"caf\\\\xe9\"]");
	assert_string_equal(a1, "[\"echo\",\"\\\\back\",\"x" FFFD " " FFFD FFFD FFFD "\"]");
	char *r1 = print(cJSON_GetObjectItem(p1, "argv_raw"));
	assert_string_equal(r1, "[\"echo\",\"\\\\x5cback\",\"x\\\\xf0\\\\x9f\\\\x98 \\\\xed\\\\xa0\\\\x80\"]");
	assert_string_equal(cJSON_GetObjectItem(p0, "argv")->next->string, "argv_raw");
	assert_null(cJSON_GetObjectItem(p0, "cwd_raw"));
	cJSON_free(a0);
	cJSON_free(r0);
	cJSON_free(a1);
	cJSON_free(r1);
	cJSON_Delete(root);
}

static void sanitize_is_idempotent(void **state)
{
	(void)state;
	cJSON *root = report_with_latin1();
	assert_int_equal(json_sanitize_tree(root, NULL, NULL), 3);
	char *once = cJSON_Print(root);
	char **w = NULL;
	int nw = 0;
	assert_int_equal(json_sanitize_tree(root, &w, &nw), 0);
	assert_int_equal(nw, 0);
	assert_null(w);
	char *twice = cJSON_Print(root);
	assert_string_equal(once, twice);
	cJSON_free(once);
	cJSON_free(twice);
	cJSON_Delete(root);
}

static void valid_tree_is_left_byte_for_byte(void **state)
{
	(void)state;
	const char *in = "{\"name\":\"caf\xc3\xa9 \xf0\x9f\x98\x80\",\"argv\":[\"a\",\"\\\\x\",1,null],"
			 "\"\xe4\xb8\xad\":{\"k\":[[\"x\"]]},\"n\":1.5,\"b\":true}";
	cJSON *root = cJSON_Parse(in);
	assert_non_null(root);
	char *before = cJSON_Print(root);
	char **w = NULL;
	int nw = 0;
	assert_int_equal(json_sanitize_tree(root, &w, &nw), 0);
	assert_int_equal(nw, 0);
	char *after = cJSON_Print(root);
	assert_string_equal(before, after);
	cJSON_free(before);
	cJSON_free(after);
	cJSON_Delete(root);
	assert_int_equal(json_sanitize_tree(NULL, &w, &nw), 0);
}

static void invalid_keys_are_renamed_with_raw(void **state)
{
	(void)state;
	assert_sanitized("{\"caf\xe9\":1,\"z\":2}", 1,
			 "{\"caf" FFFD "\":1,\"caf" FFFD "_raw\":\"caf\\\\xe9\",\"z\":2}");
	/* key and value both: the value keeps S_raw, the key moves to S_key_raw */
	assert_sanitized("{\"k\xff\":\"v\xfe\"}", 2,
			 "{\"k" FFFD "\":\"v" FFFD "\",\"k" FFFD "_raw\":\"v\\\\xfe\",\"k" FFFD
			 "_key_raw\":\"k\\\\xff\"}");
	/* a constant key is replaced, not freed */
	cJSON *root = jnew_object();
	assert_true(cJSON_AddItemToObjectCS(root, "const\xc0", jint(1)));
	assert_int_equal(json_sanitize_tree(root, NULL, NULL), 1);
	char *text = print(root);
	assert_string_equal(text, "{\"const" FFFD "\":1,\"const" FFFD "_raw\":\"const\\\\xc0\"}");
	cJSON_free(text);
	cJSON_Delete(root);
}

static void existing_raw_members_are_respected(void **state)
{
	(void)state;
	/* somebody else's a_raw stays; ours gets the next name */
	assert_sanitized("{\"a\":\"x\xff\",\"a_raw\":\"user\"}", 1,
			 "{\"a\":\"x" FFFD "\",\"a_raw2\":\"x\\\\xff\",\"a_raw\":\"user\"}");
	/* an equal one is not added twice */
	assert_sanitized("{\"a\":\"x\xff\",\"a_raw\":\"x\\\\xff\"}", 1,
			 "{\"a\":\"x" FFFD "\",\"a_raw\":\"x\\\\xff\"}");
	assert_sanitized("{\"a\":[\"x\xff\"],\"a_raw\":[\"x\\\\xff\"]}", 1,
			 "{\"a\":[\"x" FFFD "\"],\"a_raw\":[\"x\\\\xff\"]}");
}

static void arrays_keep_indexes_and_nested_strings(void **state)
{
	(void)state;
	/* non-strings in a member's array are null in its _raw; objects inside
	 * are walked with their own _raw members */
	assert_sanitized("{\"argv\":[\"a\xff\",3,{\"x\":\"y\xff\"},\"ok\"]}", 2,
			 "{\"argv\":[\"a" FFFD "\",3,{\"x\":\"y" FFFD "\",\"x_raw\":\"y\\\\xff\"},\"ok\"],"
			 "\"argv_raw\":[\"a\\\\xff\",null,null,\"ok\"]}");
	/* strings with no member beside them are only replaced */
	cJSON *root = cJSON_Parse("[\"ok\",\"\xff\",[\"\xfe\",\"\xfd\"]]");
	assert_non_null(root);
	char **w = NULL;
	int nw = 0;
	assert_int_equal(json_sanitize_tree(root, &w, &nw), 3);
	assert_int_equal(nw, 2);
	assert_string_equal(w[0], "invalid UTF-8 in [][] (2 strings): replaced with U+FFFD");
	assert_string_equal(w[1], "invalid UTF-8 in [] (1 string): replaced with U+FFFD");
	free_warnings(w, nw);
	char *text = print(root);
	assert_string_equal(text, "[\"ok\",\"" FFFD "\",[\"" FFFD "\",\"" FFFD "\"]]");
	cJSON_free(text);
	cJSON_Delete(root);
	/* the root itself */
	root = raw_str("\xc1");
	w = NULL;
	nw = 0;
	assert_int_equal(json_sanitize_tree(root, &w, &nw), 1);
	assert_string_equal(w[0], "invalid UTF-8 in the document (1 string): replaced with U+FFFD");
	assert_string_equal(root->valuestring, FFFD);
	free_warnings(w, nw);
	cJSON_Delete(root);
}

static void warnings_append_and_name_keys(void **state)
{
	(void)state;
	cJSON *root = cJSON_Parse("{\"p\":{\"k\xe9y\":1}}");
	assert_non_null(root);
	char **w = xmalloc(sizeof(*w));
	int nw = 1;
	w[0] = xstrdup("earlier");
	assert_int_equal(json_sanitize_tree(root, &w, &nw), 1);
	assert_int_equal(nw, 2);
	assert_string_equal(w[0], "earlier");
	assert_string_equal(w[1], "invalid UTF-8 in the key p.k" FFFD "y (1 key): replaced with U+FFFD, "
				  "the original bytes are in k" FFFD "y_raw");
	assert_true(utf8_valid(w[1]));
	free_warnings(w, nw);
	cJSON_Delete(root);
}

static void references_are_replaced_not_freed(void **state)
{
	(void)state;
	static const char text[] = "ref\xff";
	cJSON *root = jnew_object();
	cJSON *ref = cJSON_CreateStringReference(text);
	assert_non_null(ref);
	jadd(root, "r", ref);
	assert_int_equal(json_sanitize_tree(root, NULL, NULL), 1);
	char *out = print(root);
	assert_string_equal(out, "{\"r\":\"ref" FFFD "\",\"r_raw\":\"ref\\\\xff\"}");
	assert_string_equal(text, "ref\xff");	/* the referenced bytes are untouched */
	cJSON_free(out);
	cJSON_Delete(root);
}

static void jstr_and_jadd_write_valid_utf8(void **state)
{
	(void)state;
	cJSON *root = jnew_object();
	jadd(root, "name", jstr("caf\xe9"));
	jadd(root, "k\xff", jstr("ok"));
	jadd(root, "null", jstr(NULL));
	char *text = jprint(root);
	assert_string_equal(text, "{\n\t\"name\":\t\"caf" FFFD "\",\n\t\"k" FFFD "\":\t\"ok\",\n\t\"null\":\tnull\n}\n");
	free(text);
}

/* Every double reads back bit for bit from the text json_text writes, in
 * both layouts, nested at any depth; the tree is a number tree again after.
 * cJSON's own printer fails about one in nine of these (0.0788765853638186
 * for 0.078876585363818613). */
static void numbers_read_back_bit_for_bit(void **state)
{
	(void)state;
	uint64_t x = 88172645463325252u;	/* xorshift64: the same doubles every run */
	int longer = 0;
	for (int round = 0; round < 2000; round++) {
		cJSON *root = jnew_object(), *a = jadd(jadd(root, "in", jnew_object()), "a", jnew_array());
		double v[50];
		for (int i = 0; i < 50; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			uint64_t bits = x;
			memcpy(&v[i], &bits, sizeof(v[i]));
			if (!isfinite(v[i]) || i % 2)
				v[i] = (double)(x >> 11) / 9007199254740992.0 * (i % 3 ? 0.2 : 1e6);
			jadd(a, NULL, jnum(v[i]));
		}
		char *text = json_text(root, round % 2);
		cJSON *back = cJSON_Parse(text);
		assert_non_null(back);
		const cJSON *b = cJSON_GetObjectItem(cJSON_GetObjectItem(back, "in"), "a");
		for (int i = 0; i < 50; i++) {
			double got = cJSON_GetArrayItem(b, i)->valuedouble;
			assert_memory_equal(&got, &v[i], sizeof(got));
			/* the original tree is left as it was */
			const cJSON *orig = cJSON_GetArrayItem(a, i);
			assert_true(cJSON_IsNumber(orig));
			assert_null(orig->valuestring);
			char buf[JSON_NUMBER_MAX];
			longer += strlen(json_number_text(v[i], buf)) > 20;
		}
		cJSON_Delete(back);
		free(text);
		cJSON_Delete(root);
	}
	/* the shortest text that reads back: %.15g where that is enough */
	char buf[JSON_NUMBER_MAX];
	assert_string_equal(json_number_text(0.1, buf), "0.1");
	assert_string_equal(json_number_text(3, buf), "3");
	assert_string_equal(json_number_text(0.078876585363818613, buf), "0.07887658536381861");
	assert_string_equal(json_number_text(NAN, buf), "null");
	assert_string_equal(json_number_text(-INFINITY, buf), "null");
	assert_true(longer > 0);	/* some took %.17g, with exponents */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sanitized_report_is_valid_utf8_with_raw_members),
		cmocka_unit_test(sanitize_is_idempotent),
		cmocka_unit_test(valid_tree_is_left_byte_for_byte),
		cmocka_unit_test(invalid_keys_are_renamed_with_raw),
		cmocka_unit_test(existing_raw_members_are_respected),
		cmocka_unit_test(arrays_keep_indexes_and_nested_strings),
		cmocka_unit_test(warnings_append_and_name_keys),
		cmocka_unit_test(references_are_replaced_not_freed),
		cmocka_unit_test(jstr_and_jadd_write_valid_utf8),
		cmocka_unit_test(numbers_read_back_bit_for_bit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
