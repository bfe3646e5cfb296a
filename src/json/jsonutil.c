/* Checked cJSON builders, so no return value goes unchecked; and the repair
 * that makes any tree valid UTF-8. */
#include "config.h"
#include "json/jsonutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/report_json.h"
#include "util.h"

static cJSON *check(cJSON *item)
{
	if (!item)
		die("out of memory building JSON");
	return item;
}

cJSON *jnew_object(void)
{
	return check(cJSON_CreateObject());
}

cJSON *jnew_array(void)
{
	return check(cJSON_CreateArray());
}

cJSON *jadd_raw(cJSON *parent, const char *key, cJSON *item)
{
	cJSON_bool ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
	if (!ok) {
		cJSON_Delete(item);	/* cJSON does not free it on failure */
		die("out of memory building JSON");
	}
	return item;
}

cJSON *jadd(cJSON *parent, const char *key, cJSON *item)
{
	char *fixed = key && !utf8_valid(key) ? utf8_sanitize(key) : NULL;
	jadd_raw(parent, fixed ? fixed : key, item);
	free(fixed);
	return item;
}

cJSON *jnum(double v)
{
	return isfinite(v) ? check(cJSON_CreateNumber(v)) : jnull();
}

cJSON *jfloat(double v)
{
	if (!isfinite(v) || v != floor(v) || fabs(v) >= 1e15)
		return jnum(v);	/* cJSON's %.15g/%.17g text has a '.' or an exponent */
	char text[32];
	snprintf(text, sizeof(text), "%.1f", v);
	return check(cJSON_CreateRaw(text));
}

cJSON *jint(long long v)
{
	return check(cJSON_CreateNumber((double)v));
}

cJSON *jraw(const char *s)
{
	return s ? check(cJSON_CreateString(s)) : jnull();
}

cJSON *jstr(const char *s)
{
	if (!s)
		return jnull();
	if (utf8_valid(s))
		return check(cJSON_CreateString(s));
	char *fixed = utf8_sanitize(s);
	cJSON *item = check(cJSON_CreateString(fixed));
	free(fixed);
	return item;
}

cJSON *jbool(bool b)
{
	return check(cJSON_CreateBool(b));
}

cJSON *jnull(void)
{
	return check(cJSON_CreateNull());
}

const char *json_number_text(double v, char buf[JSON_NUMBER_MAX])
{
	if (!isfinite(v))
		return strcpy(buf, "null");
	for (int digits = 15; digits < 17; digits++) {
		snprintf(buf, JSON_NUMBER_MAX, "%.*g", digits, v);
		if (strtod(buf, NULL) == v)
			return buf;
	}
	snprintf(buf, JSON_NUMBER_MAX, "%.17g", v);
	return buf;
}

/* Every number node under item (item too), for json_text to turn into raw
 * text and back. */
static void collect_numbers(cJSON *item, cJSON ***v, int *n, int *cap)
{
	for (; item; item = item->next) {
		if ((item->type & 0xFF) == cJSON_Number) {
			if (*n == *cap) {
				*cap = *cap ? 2 * *cap : 64;
				*v = xrealloc(*v, (size_t)*cap * sizeof(**v));
			}
			(*v)[(*n)++] = item;
		}
		collect_numbers(item->child, v, n, cap);
	}
}

char *json_text(const cJSON *item, bool formatted)
{
	/* each number is printed as raw text, then made a number again: cJSON's
	 * own printer keeps its %.15g text when it reads back within an epsilon,
	 * which drops the last bit of one double in nine */
	cJSON *root = (cJSON *)item, *next = root->next, **nums = NULL;
	int n = 0, cap = 0;
	root->next = NULL;	/* item alone, not its siblings */
	collect_numbers(root, &nums, &n, &cap);
	root->next = next;
	for (int i = 0; i < n; i++) {
		char buf[JSON_NUMBER_MAX];
		nums[i]->valuestring = xstrdup(json_number_text(nums[i]->valuedouble, buf));
		nums[i]->type = (nums[i]->type & ~0xFF) | cJSON_Raw;
	}
	char *text = formatted ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
	for (int i = 0; i < n; i++) {
		free(nums[i]->valuestring);
		nums[i]->valuestring = NULL;
		nums[i]->type = (nums[i]->type & ~0xFF) | cJSON_Number;
	}
	free(nums);
	if (!text)
		die("out of memory printing JSON");
	char *copy = xstrdup(text);
	cJSON_free(text);
	return copy;
}

char *jprint(cJSON *root)
{
	char *text = json_text(root, true);
	cJSON_Delete(root);
	size_t n = strlen(text);
	text = xrealloc(text, n + 2);
	text[n] = '\n';
	text[n + 1] = '\0';
	return text;
}

/* ---- json_sanitize_tree ------------------------------------------------- */

/* One warning per path pattern: how many strings, where their bytes went. */
struct san_warning {
	char *pattern;
	const char *what;	/* "string" or "key" */
	char *raw_name;		/* NULL: the bytes are not kept */
	int count;
};

struct san {
	struct san_warning *w;
	int nw;
	int fixed;
};

static void san_note(struct san *st, const char *pattern, const char *what, const char *raw_name, int count)
{
	st->fixed += count;
	for (int i = 0; i < st->nw; i++)
		if (st->w[i].what == what && strcmp(st->w[i].pattern, pattern) == 0) {
			st->w[i].count += count;
			return;
		}
	st->w = xrealloc(st->w, (size_t)(st->nw + 1) * sizeof(*st->w));
	st->w[st->nw++] = (struct san_warning){xstrdup(pattern), what, raw_name ? xstrdup(raw_name) : NULL, count};
}

/* A copy of s in cJSON's allocator, which cJSON_Delete frees. */
static char *cjson_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = cJSON_malloc(n);
	if (!p)
		die("out of memory building JSON");
	memcpy(p, s, n);
	return p;
}

/* Replace the string of item by its sanitized form; returns the original
 * bytes, escaped (malloc'd). References and constant keys are not freed. */
static char *fix_value(cJSON *item)
{
	char *raw = utf8_escape_raw(item->valuestring), *fixed = utf8_sanitize(item->valuestring);
	if (!(item->type & cJSON_IsReference))
		cJSON_free(item->valuestring);
	item->valuestring = cjson_strdup(fixed);
	item->type &= ~cJSON_IsReference;
	free(fixed);
	return raw;
}

static char *fix_key(cJSON *item)
{
	char *raw = utf8_escape_raw(item->string), *fixed = utf8_sanitize(item->string);
	if (!(item->type & cJSON_StringIsConst))
		cJSON_free(item->string);
	item->string = cjson_strdup(fixed);
	item->type &= ~cJSON_StringIsConst;
	free(fixed);
	return raw;
}

static bool bad_string(const cJSON *item)
{
	return cJSON_IsString(item) && item->valuestring && !utf8_valid(item->valuestring);
}

static void walk(cJSON *node, const char *path, struct san *st);

/* The elements of arr, at path "<path>[]": walk the containers, fix the
 * invalid strings and return how many there were. With raw (a member's
 * array), *raw is then the array of every element's escaped bytes, NULL when
 * nothing was fixed. */
static int fix_array(cJSON *arr, const char *path, cJSON **raw, struct san *st)
{
	int bad = 0;
	char *elpath = xasprintf("%s[]", path);
	cJSON *el;
	cJSON_ArrayForEach(el, arr) {
		if (cJSON_IsArray(el) || cJSON_IsObject(el))
			walk(el, elpath, st);
		bad += bad_string(el);
	}
	free(elpath);
	if (raw)
		*raw = bad ? jnew_array() : NULL;
	if (!bad)
		return 0;
	cJSON_ArrayForEach(el, arr) {
		char *esc = NULL;
		if (bad_string(el))
			esc = fix_value(el);
		else if (cJSON_IsString(el) && el->valuestring)
			esc = utf8_escape_raw(el->valuestring);
		if (raw)
			jadd(*raw, NULL, esc ? jstr(esc) : jnull());
		free(esc);
	}
	return bad;
}

/* Link item into obj right after anchor. cJSON_InsertItemInArray of Debian
 * 12's cJSON (1.7.15-1+deb12u4) refuses to insert anywhere but at the end
 * (returns false), so the members after anchor are detached and appended
 * again, which keeps their keys. */
static void insert_after(cJSON *obj, cJSON *anchor, cJSON *item)
{
	int n = 0;
	for (cJSON *c = anchor->next; c; c = c->next)
		n++;
	cJSON **rest = xmalloc((size_t)(n + 1) * sizeof(*rest));
	n = 0;
	for (cJSON *c = anchor->next; c; c = c->next)
		rest[n++] = c;
	for (int i = 0; i < n; i++)
		cJSON_DetachItemViaPointer(obj, rest[i]);
	bool ok = cJSON_AddItemToArray(obj, item);
	for (int i = 0; i < n; i++)
		ok = cJSON_AddItemToArray(obj, rest[i]) && ok;
	free(rest);
	if (!ok)
		die("cannot insert into a JSON object");
}

/* Put value beside anchor in obj as name (or name2, name3, ... when name is
 * taken by something else); nothing when an equal one is already there.
 * Returns the name used (malloc'd). Takes value. */
static char *add_raw(cJSON *obj, cJSON *anchor, const char *name, cJSON *value)
{
	for (int k = 1;; k++) {
		char *cand = k == 1 ? xstrdup(name) : xasprintf("%s%d", name, k);
		cJSON *have = cJSON_GetObjectItemCaseSensitive(obj, cand);
		if (have && cJSON_Compare(have, value, true)) {
			cJSON_Delete(value);
			return cand;
		}
		if (!have) {
			value->string = cjson_strdup(cand);
			insert_after(obj, anchor, value);
			return cand;
		}
		free(cand);
	}
}

/* One member of obj: its key, then its value. */
static void walk_member(cJSON *obj, cJSON *m, const char *path, struct san *st)
{
	char *raw_key = m->string && !utf8_valid(m->string) ? fix_key(m) : NULL;
	const char *key = m->string ? m->string : "";
	char *mpath = *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
	cJSON *raw_value = NULL;
	int bad = 0;

	if (bad_string(m)) {
		char *esc = fix_value(m);
		raw_value = jstr(esc);
		free(esc);
		bad = 1;
	} else if (cJSON_IsArray(m)) {
		bad = fix_array(m, mpath, &raw_value, st);
	} else if (cJSON_IsObject(m)) {
		walk(m, mpath, st);
	}
	char *value_name = xasprintf("%s_raw", key);
	char *key_name = xasprintf(raw_value ? "%s_key_raw" : "%s_raw", key);
	if (raw_key) {
		/* after the value's raw, which goes first below, right after m */
		char *used = add_raw(obj, m, key_name, jstr(raw_key));
		san_note(st, mpath, "key", used, 1);
		free(used);
	}
	if (raw_value) {
		char *used = add_raw(obj, m, value_name, raw_value);
		char *pattern = cJSON_IsArray(m) ? xasprintf("%s[]", mpath) : xstrdup(mpath);
		san_note(st, pattern, "string", used, bad);
		free(pattern);
		free(used);
	}
	free(value_name);
	free(key_name);
	free(raw_key);
	free(mpath);
}

/* Members are walked from a snapshot taken first, so the _raw siblings
 * inserted meanwhile are neither walked nor able to break the walk. */
static void walk(cJSON *node, const char *path, struct san *st)
{
	if (cJSON_IsArray(node)) {
		int bad = fix_array(node, path, NULL, st);
		if (bad) {
			char *pattern = xasprintf("%s[]", path);
			san_note(st, pattern, "string", NULL, bad);
			free(pattern);
		}
		return;
	}
	if (!cJSON_IsObject(node))
		return;
	int n = cJSON_GetArraySize(node), i = 0;
	cJSON **members = xmalloc((size_t)(n + 1) * sizeof(*members));
	for (cJSON *c = node->child; c && i < n; c = c->next)
		members[i++] = c;
	for (i = 0; i < n; i++)
		walk_member(node, members[i], path, st);
	free(members);
}

int json_sanitize_tree(cJSON *root, char ***warnings, int *nwarnings)
{
	struct san st = {0};
	if (!root)
		return 0;
	if (bad_string(root)) {
		free(fix_value(root));
		san_note(&st, "", "string", NULL, 1);
	} else {
		walk(root, "", &st);
	}
	for (int i = 0; i < st.nw; i++) {
		struct san_warning *w = &st.w[i];
		if (warnings && nwarnings) {
			char *where = *w->pattern ? xasprintf("%s%s", w->what[0] == 'k' ? "the key " : "",
							     w->pattern)
						  : xstrdup("the document");
			char *kept = w->raw_name ? xasprintf(", the original bytes are in %s", w->raw_name)
						 : xstrdup("");
			*warnings = xrealloc(*warnings, (size_t)(*nwarnings + 1) * sizeof(**warnings));
			(*warnings)[(*nwarnings)++] =
				xasprintf("invalid UTF-8 in %s (%d %s%s): replaced with U+FFFD%s", where, w->count,
					  w->what, w->count == 1 ? "" : "s", kept);
			free(where);
			free(kept);
		}
		free(w->pattern);
		free(w->raw_name);
	}
	free(st.w);
	return st.fixed;
}

/* Split "invalid UTF-8 in WHERE (N string...)" at the count; WHERE gets the
 * part's prefix ("the key " stays first). A text not of that shape is kept
 * whole with no count. */
void json_fixes_add(struct json_fixes *f, const char *prefix, char *w, int times)
{
	static const char lead[] = "invalid UTF-8 in ";
	char *open = strstr(w, " (");
	int count = 0, used = 0;
	char *head, *tail;
	if (strncmp(w, lead, strlen(lead)) || !open || sscanf(open, " (%d%n", &count, &used) != 1) {
		head = xstrdup(w);
		tail = xstrdup("");
		count = -1;
	} else {
		const char *where = w + strlen(lead);
		bool key = !strncmp(where, "the key ", 8);
		if (key)
			where += 8;
		head = xasprintf("%s%s%s%s%.*s", lead, key ? "the key " : "", prefix, *prefix ? "." : "",
				 (int)(open - where), where);
		count *= times;
		tail = xstrdup(open + used);
	}
	free(w);
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->head[i], head) && f->count[i] >= 0 && count >= 0) {
			f->count[i] += count;
			free(head);
			free(tail);
			return;
		}
	f->head = xrealloc(f->head, (size_t)(f->n + 1) * sizeof(char *));
	f->tail = xrealloc(f->tail, (size_t)(f->n + 1) * sizeof(char *));
	f->count = xrealloc(f->count, (size_t)(f->n + 1) * sizeof(int));
	f->head[f->n] = head;
	f->tail[f->n] = tail;
	f->count[f->n++] = count;
}

void json_fixes_take(struct json_fixes *f, char ***out, int *nout)
{
	for (int i = 0; i < f->n; i++) {
		char *w;
		if (f->count[i] < 0) {
			w = f->head[i];
		} else {
			/* the tail starts with " string" or " strings": the plural follows the sum */
			const char *rest = f->tail[i];
			const char *word = !strncmp(rest, " strings", 8) ? " string" : !strncmp(rest, " keys", 5) ? " key" : NULL;
			if (word)
				rest += strlen(word) + 1;
			else if (!strncmp(rest, " string", 7) || !strncmp(rest, " key", 4))
				word = rest[1] == 's' ? " string" : " key", rest += strlen(word);
			w = xasprintf("%s (%d%s%s%s", f->head[i], f->count[i], word ? word : "",
				      word && f->count[i] != 1 ? "s" : "", rest);
			free(f->head[i]);
		}
		free(f->tail[i]);
		*out = xrealloc(*out, (size_t)(*nout + 1) * sizeof(char *));
		(*out)[(*nout)++] = w;
	}
	free(f->head);
	free(f->tail);
	free(f->count);
	memset(f, 0, sizeof(*f));
}

/* For the CSV export, which must not parse JSON itself: a workload's
 * parameters object ({"NAME": "value", ...}) as two arrays. */
int json_string_members(const char *text, char ***names, char ***values)
{
	*names = *values = NULL;
	cJSON *o = text ? cJSON_Parse(text) : NULL;
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return 0;
	}
	int n = 0, size = cJSON_GetArraySize(o);
	*names = xcalloc((size_t)size + 1, sizeof(char *));
	*values = xcalloc((size_t)size + 1, sizeof(char *));
	for (const cJSON *m = o->child; m; m = m->next) {
		if (!m->string)
			continue;
		(*names)[n] = xstrdup(m->string);
		(*values)[n++] = cJSON_IsString(m) ? xstrdup(m->valuestring) : NULL;
	}
	cJSON_Delete(o);
	return n;
}
