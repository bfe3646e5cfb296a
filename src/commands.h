#ifndef TRIBENCH_COMMANDS_H
#define TRIBENCH_COMMANDS_H

#include <getopt.h>
#include <stdio.h>

/* Commands that read reports; each parses its own options and returns an exit code. */
int cmd_compare(int argc, char **argv);
int cmd_export(int argc, char **argv);

void compare_usage(FILE *f);
void export_usage(FILE *f);

/* Their parsers' getopt tables, for the command table (src/command_table.c). */
extern const struct option compare_long_options[], export_long_options[];
extern const char *const compare_shortopts, *const export_shortopts;

extern const char *const export_formats;   /* "json, csv, markdown, gab, bmf, trace" */
extern const char *const compare_formats;  /* "table, markdown, json" */

#endif
