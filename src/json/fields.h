#ifndef TRIBENCH_JSON_FIELDS_H
#define TRIBENCH_JSON_FIELDS_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "report_model.h"

/* The field tables of the report model applied to JSON: one writer and one
 * reader for every level, and the typed getters behind them. Every getter
 * prints "AT: \"key\" what is wrong" and returns -1 or NULL. */

/* Add every field of table t, read from base, to obj. */
void fields_write(cJSON *obj, const struct field_table *t, const void *base);
/* Read every field of t from obj into base: present, of its type, null only
 * where nullable. 0, or -1 with one error line naming at and the key. */
int fields_read(const cJSON *obj, const struct field_table *t, void *base, const char *at);
/* The members of obj that are neither fields of t (NULL: none) nor named in
 * also (NULL-terminated), as compact JSON object text; NULL when there are
 * none. Caller frees. */
char *fields_extra(const cJSON *obj, const struct field_table *t, const char *const *also);
/* Add the members of extra (a JSON object's text, NULL: none) to obj. */
void fields_add_extra(cJSON *obj, const char *extra);

/* Text -> cJSON for text tribench wrote itself; malformed text dies. */
cJSON *json_parse_own(const char *text);

const cJSON *jget_member(const cJSON *o, const char *key, const char *at);
const cJSON *jget_object(const cJSON *o, const char *key, const char *at);
const cJSON *jget_array(const cJSON *o, const char *key, const char *at);
int jget_string(const cJSON *o, const char *key, const char *at, char **out);
int jget_number(const cJSON *o, const char *key, const char *at, bool nullable, double *out);
int jget_int(const cJSON *o, const char *key, const char *at, int min, int *out);
int jget_bool(const cJSON *o, const char *key, const char *at, bool *out);
int jget_int_list(const cJSON *o, const char *key, const char *at, struct intlist *out);
/* A number (or with nullable a null: NAN); v names key at at in messages. */
int jnumber_value(const cJSON *v, bool nullable, const char *key, const char *at, double *out);
/* at.member, or at.member[index] (index >= 0): where a message points. Caller frees. */
char *jsubpath(const char *at, const char *member, int index);

#endif
