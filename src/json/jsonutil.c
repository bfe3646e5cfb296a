/* Checked cJSON builders, so no return value goes unchecked. */
#include "config.h"
#include "json/jsonutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

cJSON *jadd(cJSON *parent, const char *key, cJSON *item)
{
	cJSON_bool ok = key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item);
	if (!ok) {
		cJSON_Delete(item);	/* cJSON does not free it on failure */
		die("out of memory building JSON");
	}
	return item;
}

cJSON *jnum(double v)
{
	return isfinite(v) ? check(cJSON_CreateNumber(v)) : jnull();
}

cJSON *jint(long long v)
{
	return check(cJSON_CreateNumber((double)v));
}

cJSON *jstr(const char *s)
{
	return s ? check(cJSON_CreateString(s)) : jnull();
}

cJSON *jbool(bool b)
{
	return check(cJSON_CreateBool(b));
}

cJSON *jnull(void)
{
	return check(cJSON_CreateNull());
}

char *jprint(cJSON *root)
{
	char *text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		die("out of memory printing JSON");
	size_t n = strlen(text);
	char *out = xmalloc(n + 2);
	memcpy(out, text, n);
	out[n] = '\n';
	out[n + 1] = '\0';
	cJSON_free(text);
	return out;
}
