#ifndef TRIBENCH_EXPORT_H
#define TRIBENCH_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "report_model.h"

/* Is format one of export_formats (commands.h)? For checking `--format` before
 * a run rather than after it. */
bool export_format_known(const char *format);
/* The report in a known export format to out (write errors show in
 * ferror(out)), a task at a time. level: csv's rows, one per task, run or
 * mode entry (other formats ignore it). "json" may add warnings to r
 * (strings that were not valid UTF-8). 0, or -1 with one error line: csv at
 * task level of a report whose runs have null tasks (--detail run or mode),
 * or a spool unread. */
int export_write(struct report *r, const char *format, enum report_detail level, FILE *out);
/* --format csv (src/export_csv.c): a header, then a row per task per run
 * (level task), per run, or per mode entry; the columns are in the man
 * page. 0, or -1: a write error (ferror(f)), or one error line printed (a
 * task level of a report with null tasks, a spool unread). */
int export_csv(FILE *f, const struct report *r, enum report_detail level);

#endif
