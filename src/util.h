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

#endif
