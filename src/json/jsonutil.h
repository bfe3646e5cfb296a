#ifndef TRIBENCH_JSONUTIL_H
#define TRIBENCH_JSONUTIL_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* Checked builders: cJSON fails only on allocation, which dies like xmalloc. */
cJSON *jnew_object(void);
cJSON *jnew_array(void);
/* key NULL: append. A key that is not valid UTF-8 is added utf8_sanitize()d. */
cJSON *jadd(cJSON *parent, const char *key, cJSON *item);
cJSON *jnum(double v);          /* NaN and infinities become null */
/* As jnum, but a whole number is written with a fraction (0.0, 3.0), so
 * that readers that type by the text (Python, serde) see a float. */
cJSON *jfloat(double v);
cJSON *jint(long long v);
/* A string item of s, utf8_sanitize()d when s is not valid UTF-8 (every
 * invalid subpart becomes U+FFFD), so every JSON the tool writes is valid
 * UTF-8 whatever bytes names, argv or the system gave; NULL becomes null.
 * Where the original bytes matter, keep them with json_sanitize_tree(). */
cJSON *jstr(const char *s);
/* The report's own builders: the bytes as given, valid or not, for
 * json_sanitize_tree to repair with a _raw sibling and a warning. */
cJSON *jraw(const char *s);
cJSON *jadd_raw(cJSON *parent, const char *key, cJSON *item);
cJSON *jbool(bool b);
cJSON *jnull(void);
char *jprint(cJSON *root);      /* pretty text with a final newline; frees root */

/* The text of v that strtod reads back bit for bit: the shortest of %.15g,
 * %.16g and %.17g that does, "null" when v is not finite. Returns buf. */
#define JSON_NUMBER_MAX 32
const char *json_number_text(double v, char buf[JSON_NUMBER_MAX]);
/* cJSON's text of item (not its siblings), compact or indented, with every
 * number as json_number_text writes it: cJSON 1.7 keeps its %.15g text when
 * that reads back within an epsilon, which loses the last bit of about one
 * double in nine. item is left as it was. malloc'd; out of memory dies. */
char *json_text(const cJSON *item, bool formatted);

/* Make every string in the tree rooted at root valid UTF-8, keeping the
 * original bytes beside it. Each string value and each object key that is not
 * valid UTF-8 is replaced by its utf8_sanitize()d form, and its bytes,
 * utf8_escape_raw()d (\xNN per invalid byte, reversible), go into a new sibling
 * inserted after the member:
 *   - member K with a string value: "K_raw", a string;
 *   - member K whose value is an array holding such strings: "K_raw", an array
 *     as long as K holding utf8_escape_raw() of every string element (valid
 *     ones too, so the indexes line up) and null for other elements;
 *   - an invalid key: renamed to its sanitized form S, the raw key in "S_raw"
 *     (in "S_key_raw" when the value needs "S_raw" too).
 * Strings with no member to sit beside (the root, arrays inside arrays) are
 * only replaced. A _raw member that already exists with the same content is
 * not added again; one with other content is kept and the new one is named
 * K_raw2, K_raw3, ... So a tree that is all valid UTF-8 is left untouched,
 * and a second run changes nothing.
 * Appends one malloc'd warning per path pattern (array indexes stripped) to
 * *warnings (xrealloc'd; the caller frees the strings and the array), e.g.
 *   invalid UTF-8 in workloads[].tasks[].params.argv[] (3 strings): replaced
 *   with U+FFFD, the original bytes are in argv_raw
 * warnings NULL: none are made. Returns the number of strings (values and
 * keys) replaced; allocation failure dies. root NULL: returns 0. */
int json_sanitize_tree(cJSON *root, char ***warnings, int *nwarnings);

/* json_sanitize_tree's warnings over many parts of one report (each task
 * record on its own), merged: one warning per path, counts summed. */
struct json_fixes {
	int n;
	char **head;              /* "invalid UTF-8 in PREFIX.PATH" */
	char **tail;              /* " string...: replaced ..." (after the count) */
	int *count;
};
/* Add warning w (from json_sanitize_tree on a part found at prefix, e.g.
 * "workloads[].modes[].runs[].tasks[]", "" at the root; w is freed), its
 * count multiplied by times (a part written for several task ids). */
void json_fixes_add(struct json_fixes *f, const char *prefix, char *w, int times);
/* The merged warnings appended to *out (malloc'd strings); f is emptied. */
void json_fixes_take(struct json_fixes *f, char ***out, int *nout);

#endif
