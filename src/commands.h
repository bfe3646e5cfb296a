#ifndef TRIBENCH_COMMANDS_H
#define TRIBENCH_COMMANDS_H

#include <stdio.h>

/* Commands that read reports; each parses its own options and returns an exit code. */
int cmd_compare(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Write report text (a schema v1 report) in an export format to out; 0, or -1
 * with one error line printed (unknown format: see export_formats). */
int export_report_text(const char *report_text, const char *format, FILE *out);
extern const char *const export_formats;   /* "csv, markdown, gab, bmf, trace" */

#endif
