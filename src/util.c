#include "config.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
	fputs("tribench: out of memory\n", stderr);
	exit(EXIT_RUNTIME);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		oom();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		oom();
	return s;
}

static char error_context[512];

void error_set_context(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(error_context, sizeof(error_context) - 2, fmt, ap);
	va_end(ap);
	strcat(error_context, ": ");
}

void error_clear_context(void)
{
	error_context[0] = '\0';
}

static bool quiet;

void error_set_quiet(bool on)
{
	quiet = on;
}

__attribute__((format(printf, 2, 0)))
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	if (quiet)
		return;
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%s", error_context);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	/* One line, always: a newline in user input must not split the message. */
	for (char *c = buf; *c; c++)
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	fprintf(stderr, "tribench: %s%s\n", prefix, buf);
}

int error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	return -1;
}

void warning(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	exit(EXIT_RUNTIME);
}

double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

int parse_double(const char *s, double *out)
{
	char *end;
	if (!s || !(isdigit((unsigned char)*s) || *s == '.' || *s == '-'))
		return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

int parse_duration(const char *s, double *out)
{
	static const struct {
		const char *suffix;
		double scale;
	} units[] = {{"ms", 1e-3}, {"s", 1}, {"m", 60}, {"", 1}};
	if (!s || !(isdigit((unsigned char)*s) || *s == '.') || strpbrk(s, "xXpP"))
		return -1;	/* decimal only: strtod would take 0x10 and "inf" */
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || !isfinite(v) || v < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(end, units[i].suffix)) {
			*out = v * units[i].scale;
			return isfinite(*out) && *out <= 1e9 ? 0 : -1;
		}
	return -1;
}

size_t read_full(int fd, void *buf, size_t size)
{
	size_t got = 0;
	while (got < size) {
		ssize_t r = read(fd, (char *)buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

char *read_stream(FILE *f, size_t max, size_t *len)
{
	size_t cap = 1 << 12, n = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		size_t r = fread(buf + n, 1, cap - 1 - n, f);
		if (r == 0)
			break;
		n += r;
	}
	if (ferror(f)) {
		int e = errno;
		free(buf);
		errno = e ? e : EIO;
		return NULL;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

int mkdir_p(const char *path)
{
	char *copy = xstrdup(path);
	int rc = 0;
	for (char *p = copy + 1; *p && rc == 0; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(copy, 0777) < 0 && errno != EEXIST)
				rc = -1;
			*p = '/';
		}
	if (rc == 0 && mkdir(copy, 0777) < 0 && errno != EEXIST)
		rc = -1;
	int e = errno;
	free(copy);
	errno = e;
	return rc;
}

void intlist_push(struct intlist *l, int x)
{
	if (l->n == l->alloc) {
		l->alloc = l->alloc ? 2 * l->alloc : 8;
		l->v = xrealloc(l->v, (size_t)l->alloc * sizeof(*l->v));
	}
	l->v[l->n++] = x;
}

bool intlist_has(const struct intlist *l, int x)
{
	for (int i = 0; i < l->n; i++)
		if (l->v[i] == x)
			return true;
	return false;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

void intlist_sort_unique(struct intlist *l)
{
	if (l->n < 2)
		return;
	qsort(l->v, (size_t)l->n, sizeof(int), cmp_int);
	int w = 1;
	for (int r = 1; r < l->n; r++)
		if (l->v[r] != l->v[w - 1])
			l->v[w++] = l->v[r];
	l->n = w;
}

void intlist_free(struct intlist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

/* The largest CPU number accepted in a list: guards against "0-999999999". */
#define CPULIST_MAX 65535

static int cpulist_number(const char **p, int *out)
{
	const char *s = *p;
	long v = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s++ - '0');
		if (v > CPULIST_MAX)
			return -1;
	}
	*p = s;
	*out = (int)v;
	return 0;
}

int cpulist_parse(const char *s, struct intlist *out)
{
	const char *p = s;
	out->n = 0;
	if (!*p)
		return -1;
	for (;;) {
		int lo, hi;
		if (cpulist_number(&p, &lo) < 0)
			return -1;
		hi = lo;
		if (*p == '-') {
			p++;
			if (cpulist_number(&p, &hi) < 0 || hi < lo)
				return -1;
		}
		for (int c = lo; c <= hi; c++)
			intlist_push(out, c);
		if (!*p)
			break;
		if (*p++ != ',')
			return -1;
	}
	intlist_sort_unique(out);
	return 0;
}

void cpulist_format(const int *cpus, int n, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && used < size; i++) {
		int j = i;
		while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
			j++;
		int w;
		if (j > i)
			w = snprintf(buf + used, size - used, "%s%d-%d", used ? "," : "", cpus[i], cpus[j]);
		else
			w = snprintf(buf + used, size - used, "%s%d", used ? "," : "", cpus[i]);
		if (w < 0)
			break;
		used += (size_t)w;
		i = j;
	}
}
