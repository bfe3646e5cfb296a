/* The report model's field tables applied to JSON: one writer, one reader. */
#include "config.h"
#include "json/fields.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json/jsonutil.h"

static const char *sep(const char *at)
{
	return *at ? ": " : "";
}

const cJSON *jget_member(const cJSON *o, const char *key, const char *at)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v)
		error("%s%s\"%s\" is missing", at, sep(at), key);
	return v;
}

const cJSON *jget_object(const cJSON *o, const char *key, const char *at)
{
	const cJSON *v = jget_member(o, key, at);
	if (v && !cJSON_IsObject(v)) {
		error("%s%s\"%s\" must be an object", at, sep(at), key);
		return NULL;
	}
	return v;
}

const cJSON *jget_array(const cJSON *o, const char *key, const char *at)
{
	const cJSON *v = jget_member(o, key, at);
	if (v && !cJSON_IsArray(v)) {
		error("%s%s\"%s\" must be an array", at, sep(at), key);
		return NULL;
	}
	return v;
}

static int string_value(const cJSON *v, bool nullable, const char *key, const char *at, char **out)
{
	if (nullable && cJSON_IsNull(v)) {
		*out = NULL;
		return 0;
	}
	if (!cJSON_IsString(v))
		return error("%s%s\"%s\" must be a string%s", at, sep(at), key, nullable ? " or null" : "");
	*out = xstrdup(v->valuestring);
	return 0;
}

int jget_string(const cJSON *o, const char *key, const char *at, char **out)
{
	const cJSON *v = jget_member(o, key, at);
	return v ? string_value(v, false, key, at, out) : -1;
}

/* Infinities are not numbers here: JSON has none, and no statistic may see one. */
int jnumber_value(const cJSON *v, bool nullable, const char *key, const char *at, double *out)
{
	if (nullable && cJSON_IsNull(v)) {
		*out = NAN;
		return 0;
	}
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return error("%s%s\"%s\" must be a number%s", at, sep(at), key, nullable ? " or null" : "");
	*out = v->valuedouble;
	return 0;
}

int jget_number(const cJSON *o, const char *key, const char *at, bool nullable, double *out)
{
	const cJSON *v = jget_member(o, key, at);
	return v ? jnumber_value(v, nullable, key, at, out) : -1;
}

static bool whole(double d)
{
	return isfinite(d) && d == floor(d) && fabs(d) <= 9007199254740992.0;
}

/* An integer kept as a double (null: NAN); whole, never a silent cast. */
static int integer_value(const cJSON *v, bool nullable, const char *key, const char *at, double *out)
{
	if (nullable && cJSON_IsNull(v)) {
		*out = NAN;
		return 0;
	}
	if (!cJSON_IsNumber(v) || !whole(v->valuedouble))
		return error("%s%s\"%s\" must be a whole number%s", at, sep(at), key,
			     nullable ? " or null" : "");
	*out = v->valuedouble;
	return 0;
}

/* Ids and counts that become ints: whole, in range, or an error (not a cast). */
static int int_value(const cJSON *v, int min, const char *key, const char *at, int *out)
{
	if (!cJSON_IsNumber(v) || !whole(v->valuedouble) || v->valuedouble < min ||
	    v->valuedouble > INT_MAX)
		return error("%s%s\"%s\" must be a whole number of at least %d", at, sep(at), key, min);
	*out = (int)v->valuedouble;
	return 0;
}

int jget_int(const cJSON *o, const char *key, const char *at, int min, int *out)
{
	const cJSON *v = jget_member(o, key, at);
	return v ? int_value(v, min, key, at, out) : -1;
}

static int bool_value(const cJSON *v, const char *key, const char *at, bool *out)
{
	if (!cJSON_IsBool(v))
		return error("%s%s\"%s\" must be true or false", at, sep(at), key);
	*out = cJSON_IsTrue(v);
	return 0;
}

int jget_bool(const cJSON *o, const char *key, const char *at, bool *out)
{
	const cJSON *v = jget_member(o, key, at);
	return v ? bool_value(v, key, at, out) : -1;
}

static int int_list_value(const cJSON *a, const char *key, const char *at, struct intlist *out)
{
	if (!cJSON_IsArray(a))
		return error("%s%s\"%s\" must be an array", at, sep(at), key);
	for (const cJSON *c = a->child; c; c = c->next) {
		int x;
		if (int_value(c, 0, key, at, &x) < 0)
			return -1;
		intlist_push(out, x);
	}
	return 0;
}

int jget_int_list(const cJSON *o, const char *key, const char *at, struct intlist *out)
{
	const cJSON *a = jget_member(o, key, at);
	return a ? int_list_value(a, key, at, out) : -1;
}

char *jsubpath(const char *at, const char *member, int index)
{
	const char *dot = *at ? "." : "";
	return index < 0 ? xasprintf("%s%s%s", at, dot, member)
			 : xasprintf("%s%s%s[%d]", at, dot, member, index);
}

static cJSON *int_array(const struct intlist *l)
{
	cJSON *a = jnew_array();
	for (int i = 0; i < l->n; i++)
		jadd(a, NULL, jint(l->v[i]));
	return a;
}

void fields_write(cJSON *obj, const struct field_table *t, const void *base)
{
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		cJSON *v;
		switch (f->type) {
		case FIELD_NUMBER:
		case FIELD_INTEGER:
			v = jnum(*(const double *)FIELD_CONST(field_number, f, base));
			break;
		case FIELD_COUNT:
			v = jint(*(const int *)FIELD_CONST(field_count, f, base));
			break;
		case FIELD_STRING:
			v = jraw(*(char *const *)FIELD_CONST(field_string, f, base));
			break;
		case FIELD_BOOL:
			v = jbool(*(const bool *)FIELD_CONST(field_bool, f, base));
			break;
		default:
			v = int_array(FIELD_CONST(field_intlist, f, base));
			break;
		}
		jadd(obj, f->name, v);
	}
}

int fields_read(const cJSON *obj, const struct field_table *t, void *base, const char *at)
{
	if (!cJSON_IsObject(obj))
		return error("%s must be an object", *at ? at : "the report");
	for (int i = 0; i < t->n; i++) {
		const struct field *f = &t->fields[i];
		if (f->added && !cJSON_GetObjectItemCaseSensitive(obj, f->name)) {
			*field_number(f, base) = NAN;
			continue;
		}
		const cJSON *v = jget_member(obj, f->name, at);
		int rc;
		if (!v)
			return -1;
		switch (f->type) {
		case FIELD_NUMBER:
			rc = jnumber_value(v, f->nullable, f->name, at, field_number(f, base));
			break;
		case FIELD_INTEGER:
			rc = integer_value(v, f->nullable, f->name, at, field_number(f, base));
			break;
		case FIELD_COUNT:
			rc = int_value(v, 0, f->name, at, field_count(f, base));
			break;
		case FIELD_STRING:
			rc = string_value(v, f->nullable, f->name, at, field_string(f, base));
			break;
		case FIELD_BOOL:
			rc = bool_value(v, f->name, at, field_bool(f, base));
			break;
		default:
			rc = int_list_value(v, f->name, at, field_intlist(f, base));
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

static bool known(const char *key, const struct field_table *t, const char *const *also)
{
	for (int i = 0; t && i < t->n; i++)
		if (!strcmp(key, t->fields[i].name))
			return true;
	for (; also && *also; also++)
		if (!strcmp(key, *also))
			return true;
	return false;
}

char *fields_extra(const cJSON *obj, const struct field_table *t, const char *const *also)
{
	cJSON *extra = NULL;
	for (const cJSON *c = obj->child; c; c = c->next) {
		if (!c->string || known(c->string, t, also))
			continue;
		if (!extra)
			extra = jnew_object();
		cJSON *copy = cJSON_Duplicate(c, 1);
		if (!copy)
			die("out of memory copying JSON");
		jadd_raw(extra, c->string, copy);
	}
	if (!extra)
		return NULL;
	char *text = json_text(extra, false);
	cJSON_Delete(extra);
	return text;
}

void fields_add_extra(cJSON *obj, const char *extra)
{
	if (!extra)
		return;
	cJSON *e = json_parse_own(extra);
	while (e->child) {
		cJSON *c = cJSON_DetachItemViaPointer(e, e->child);
		char *key = xstrdup(c->string);
		jadd_raw(obj, key, c);
		free(key);
	}
	cJSON_Delete(e);
}

cJSON *json_parse_own(const char *text)
{
	cJSON *v = cJSON_Parse(text);
	if (!v)
		die("out of memory parsing JSON");
	return v;
}
