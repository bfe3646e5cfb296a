#ifndef TRIBENCH_JSON_H
#define TRIBENCH_JSON_H

#include "results.h"
#include "suite.h"
#include "topo.h"

/* src/json/ is the only cJSON user; everything leaves it as text. */

/* The report (schema version 1); caller frees. */
char *json_report(const struct results *r);
/* `tribench topology`: the machine and the usable set. */
char *json_topology(const struct topo_info *ti);
/* `tribench plan`: {"topology", "modes": [{"mode", "plan"}]}. */
char *json_plans(const struct topo_info *ti, const struct plan *plans, int nplans);

/* Read a taskfile into s: 0, or -1 with one error line printed. */
int taskfile_load(const char *path, struct suite *s);
/* The same from memory: text[len] must be '\0'; name is for messages. */
int taskfile_parse(const char *text, size_t len, const char *name, struct suite *s);

#endif
