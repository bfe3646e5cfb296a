#ifndef TRIBENCH_COMMANDS_H
#define TRIBENCH_COMMANDS_H

#include <stdio.h>

/* Commands that read reports; each parses its own options and returns an exit code. */
int cmd_compare(int argc, char **argv);
int cmd_export(int argc, char **argv);

extern const char *const export_formats;   /* "csv, markdown, gab, bmf, trace" */

#endif
