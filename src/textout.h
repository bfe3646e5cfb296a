#ifndef TRIBENCH_TEXTOUT_H
#define TRIBENCH_TEXTOUT_H

#include <stddef.h>
#include <stdio.h>

/* Text output shared by the report commands (compare, export). */

/* s as Markdown text: characters that would start markup are escaped, line
 * breaks become spaces, so a workload name cannot break a table. */
void md_escaped(FILE *f, const char *s);
/* s as one CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
void csv_field(FILE *f, const char *s);
/* The shortest text that reads back as v (like JSON writers); "" for NaN. */
void number_text(char *buf, size_t size, double v);
/* Flush stdout: 0, or -1 with one error line; a reader that went away
 * (| head) is not an error. */
int stdout_finish(void);

#endif
