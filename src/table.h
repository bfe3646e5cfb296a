#ifndef TRIBENCH_TABLE_H
#define TRIBENCH_TABLE_H

#include <stdio.h>

#include "report_model.h"

/* The human summary from the report model: workloads x modes (median wall,
 * speedup, efficiency; failed runs marked), then where each mode's task time
 * went; "-" wherever the report has null, the measured runs really used, and
 * whether the run was interrupted. */
void table_print(FILE *f, const struct report *r);
/* `tribench list`: kinds and their parameters. */
void table_list_kinds(FILE *f);

#endif
