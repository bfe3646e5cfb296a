#ifndef TRIBENCH_TEXTOUT_H
#define TRIBENCH_TEXTOUT_H

#include <stddef.h>
#include <stdio.h>

/* Text output shared by the report commands (compare, export). */

/* s as Markdown text: characters that would start markup are escaped, line
 * breaks become spaces, so a workload name cannot break a table; invalid UTF-8
 * is written as U+FFFD (utf8_sanitize), so the text is always valid UTF-8. */
void md_escaped(FILE *f, const char *s);
/* s as one CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break; invalid UTF-8 is written as U+FFFD, so pandas and csv readers that
 * decode UTF-8 strictly read the file. */
void csv_field(FILE *f, const char *s);
/* The shortest text that reads back as v (like JSON writers); "" for NaN. */
void number_text(char *buf, size_t size, double v);
/* Flush stdout: 0, or -1 with one error line; a reader that went away
 * (| head) is not an error. */
int stdout_finish(void);

/* Terminal output of names that users chose (workload names, commands). */

/* A malloc'd copy of s that is safe to print on a terminal (the caller frees
 * it): invalid UTF-8 becomes U+FFFD, and so does every control character (C0,
 * DEL, C1) and every invisible format character that could hide or reorder
 * text (U+200B..200F, U+2028..202E, U+2060..2069, U+FEFF). Dies on allocation
 * failure. */
char *term_text(const char *s);
/* The n names shortened for a table column: n malloc'd strings (free them with
 * fit_names_free), each term_text() of its name and at most width columns
 * (utf8_columns; width < 1 counts as 1). A name that fits is kept whole; a
 * longer one keeps its head and its tail around a middle ellipsis "…" (the
 * head gets the odd column), cut between characters, a wide character or a
 * combining mark never split from its base. Distinct names give distinct
 * results: where two collide, the split moves (less head, more tail, or the
 * other way), and failing that each gets an index, "head…~2tail" (or "name~2"
 * when it fits whole); a name shown exactly as given keeps its text. Equal
 * names give equal results. Distinctness needs room for the index: it holds
 * whenever width >= 3 + the number of digits of n. No padding (see
 * pad_columns). names and its strings must not be NULL; n >= 0. Dies on
 * allocation failure. */
char **fit_names(const char *const *names, int n, int width);
void fit_names_free(char **fitted, int n);
/* Write term_text(s) to f left-aligned in width columns (printf's %-12s counts
 * bytes, which misaligns UTF-8): s, then spaces up to width columns (none when
 * s is wider). Returns the columns written, max(utf8_columns, width); write
 * errors are left on f for ferror (stdout_finish). */
int pad_columns(FILE *f, const char *s, int width);

#endif
