#ifndef TRIBENCH_JSONUTIL_H
#define TRIBENCH_JSONUTIL_H

#include <cjson/cJSON.h>
#include <stdbool.h>

/* Checked builders: cJSON fails only on allocation, which dies like xmalloc. */
cJSON *jnew_object(void);
cJSON *jnew_array(void);
cJSON *jadd(cJSON *parent, const char *key, cJSON *item);  /* key NULL: append */
cJSON *jnum(double v);          /* NaN and infinities become null */
cJSON *jint(long long v);
cJSON *jstr(const char *s);     /* NULL becomes null */
cJSON *jbool(bool b);
cJSON *jnull(void);
char *jprint(cJSON *root);      /* pretty text with a final newline; frees root */

#endif
