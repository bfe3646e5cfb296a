#ifndef TRIBENCH_UTIL_H
#define TRIBENCH_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes: the contract of DESIGN §3, the same for every command. */
enum exit_code {
	EXIT_OK = 0,
	EXIT_TASK_FAILED = 1,
	EXIT_BAD_INPUT = 2,
	EXIT_RUNTIME = 3,
	EXIT_SIGNAL_BASE = 128,
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation failure is not recoverable in a benchmark tool: these die. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "tribench: <message>" on stderr and return -1 (git's error()). */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last error()'s message as printed, without "tribench: " (owned
 * here, overwritten by the next); "" when there was none. */
const char *error_last(void);
/* Prefix every following message with "<context>: ", until cleared. */
void error_set_context(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void error_clear_context(void);
/* Silence error() and warning() (fuzzing: thousands of inputs a second). */
void error_set_quiet(bool on);
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Seconds on CLOCK_MONOTONIC. */
double now_s(void);

/* Strict number parsing: the whole string, no sign surprises. 0 or -1. */
int parse_u64(const char *s, uint64_t *out);
int parse_double(const char *s, double *out);
/* "1.5", "500ms", "2s", "1m" -> seconds (>= 0, finite). 0 or -1. */
int parse_duration(const char *s, double *out);

/* Read exactly size bytes unless EOF or an error comes first; returns the bytes read. */
size_t read_full(int fd, void *buf, size_t size);
/* All of f (at most max bytes), NUL-terminated, in *len bytes. NULL with errno
 * set on a read error, or EFBIG when f holds more than max bytes. */
char *read_stream(FILE *f, size_t max, size_t *len);

/* mkdir -p: 0, or -1 with errno set. */
int mkdir_p(const char *path);

/* A growable array of ints (CPU lists, ids). */
struct intlist {
	int *v;
	int n, alloc;
};
void intlist_push(struct intlist *l, int x);
bool intlist_has(const struct intlist *l, int x);
void intlist_sort_unique(struct intlist *l);
void intlist_free(struct intlist *l);

/* taskset list syntax "0,2-3" -> sorted unique list; 0, or -1 (out is then
 * partly filled: free it either way). */
int cpulist_parse(const char *s, struct intlist *out);
/* Sorted list -> "0,2-3" into buf (always NUL-terminated). */
void cpulist_format(const int *cpus, int n, char *buf, size_t size);

/* UTF-8 (RFC 3629: no overlong forms, no surrogates U+D800..DFFF, nothing
 * above U+10FFFF). Names, argv and host facts come from users and the system,
 * which promise no encoding; JSON and CSV readers demand valid UTF-8. All of
 * these take a NUL-terminated s that must not be NULL. */

/* The code point at s: returns the length in bytes (1..4) of the well-formed
 * sequence at s and sets *cp; or -n when the n bytes at s (1..3) are one
 * maximal invalid subpart (Unicode ch. 3 "U+FFFD substitution of maximal
 * subparts", as Python's decode('utf-8', 'replace')), *cp then U+FFFD; or 0 at
 * the terminating NUL (*cp 0). Never reads past the NUL. */
int utf8_decode(const char *s, uint32_t *cp);
/* Whether all of s is well-formed UTF-8 ("" is). */
bool utf8_valid(const char *s);
/* A malloc'd copy of s (the caller frees it) with each maximal invalid
 * subpart replaced by U+FFFD, byte for byte what Python's
 * s.decode('utf-8', 'replace').encode() gives. Valid input comes back equal.
 * Dies on allocation failure. */
char *utf8_sanitize(const char *s);
/* A malloc'd, valid UTF-8 copy of s (the caller frees it) for the "_raw"
 * fields: every byte that is not part of a well-formed sequence becomes the
 * four characters \xNN (lower-case hex), a backslash becomes \x5c, all else is
 * kept, so the original bytes can always be recovered (replace every \xNN).
 * Dies on allocation failure. */
char *utf8_escape_raw(const char *s);
/* Terminal columns of code point cp: 2 for East Asian wide and fullwidth
 * characters and the common emoji blocks (a compact range table, not all of
 * wcwidth), 0 for combining marks U+0300..036F and U+0000, 1 for all else
 * (control characters too: displays show them as U+FFFD). */
int utf8_cp_columns(uint32_t cp);
/* Terminal columns of s by utf8_cp_columns(), each invalid subpart counted as
 * the one U+FFFD that replaces it; saturates at INT_MAX. */
int utf8_columns(const char *s);

#endif
