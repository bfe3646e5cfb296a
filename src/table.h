#ifndef TRIBENCH_TABLE_H
#define TRIBENCH_TABLE_H

#include <stdio.h>

#include "results.h"

/* The human summary: workloads x modes, then where each mode's task time went. */
void table_print(FILE *f, const struct results *r);
/* `tribench list`: kinds and their parameters. */
void table_list_kinds(FILE *f);

#endif
