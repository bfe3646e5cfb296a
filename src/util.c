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

static char last_error[1024];

const char *error_last(void)
{
	return last_error;
}

__attribute__((format(printf, 2, 0)))
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = snprintf(buf, sizeof(buf), "%s", error_context);
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	/* One line, always, and safe for a terminal: a newline in user input must
	 * not split the message, nor an escape sequence or invalid byte reach it */
	for (char *c = buf; *c; c++)
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = ' ';
		else if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	char *text = utf8_valid(buf) ? NULL : utf8_sanitize(buf);
	if (!*prefix)
		snprintf(last_error, sizeof(last_error), "%s", text ? text : buf);
	if (!quiet)
		fprintf(stderr, "tribench: %s%s\n", prefix, text ? text : buf);
	free(text);
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

/* Table 3-7 of the Unicode standard, one lead byte at a time: the range the
 * second byte must fall in is narrowed for E0 (no overlongs), ED (no
 * surrogates), F0 (no overlongs) and F4 (nothing above U+10FFFF); every later
 * byte is 80..BF. Stopping at the first byte outside the range gives the
 * maximal subpart, and the NUL terminator is never in range. */
int utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char c = u[0], lo = 0x80, hi = 0xBF;
	int need;
	uint32_t v;

	*cp = c;
	if (c < 0x80)
		return c ? 1 : 0;
	*cp = 0xFFFD;
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return -1;	/* 80..C1 (continuation, overlong lead), F5..FF */
	}
	for (int i = 1; i <= need; i++) {
		if (u[i] < lo || u[i] > hi)
			return -i;
		v = (v << 6) | (u[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

bool utf8_valid(const char *s)
{
	uint32_t cp;
	int n;
	while ((n = utf8_decode(s, &cp)) > 0)
		s += n;
	return n == 0;
}

char *utf8_sanitize(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(len * 3 + 1), *o = out;	/* one byte -> EF BF BD at worst */
	uint32_t cp;
	int n;
	while ((n = utf8_decode(s, &cp)) != 0) {
		if (n > 0) {
			memcpy(o, s, (size_t)n);
			o += n;
			s += n;
		} else {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			s += -n;
		}
	}
	*o = '\0';
	return out;
}

char *utf8_escape_raw(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = strlen(s);
	char *out = xmalloc(len * 4 + 1), *o = out;	/* one byte -> \xNN at worst */
	uint32_t cp;
	int n;
	while ((n = utf8_decode(s, &cp)) != 0) {
		int bytes = n > 0 ? n : -n;
		if (n > 0 && *s != '\\') {
			memcpy(o, s, (size_t)bytes);
			o += bytes;
		} else {
			for (int i = 0; i < bytes; i++) {
				unsigned char b = (unsigned char)s[i];
				*o++ = '\\';
				*o++ = 'x';
				*o++ = hex[b >> 4];
				*o++ = hex[b & 0xF];
			}
		}
		s += bytes;
	}
	*o = '\0';
	return out;
}

/* Ranges of code points two columns wide (East Asian Wide and Fullwidth,
 * emoji), after the compact table of Markus Kuhn's wcwidth.c; sorted. */
static const uint32_t wide_ranges[][2] = {
	{0x1100, 0x115F},   {0x2E80, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
	{0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
	{0x1F900, 0x1F9FF}, {0x20000, 0x3FFFD},
};

int utf8_cp_columns(uint32_t cp)
{
	if (cp == 0 || (cp >= 0x300 && cp <= 0x36F))
		return 0;
	if (cp < 0x1100)
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(wide_ranges); i++)
		if (cp >= wide_ranges[i][0] && cp <= wide_ranges[i][1])
			return 2;
	return 1;
}

int utf8_columns(const char *s)
{
	long long cols = 0;
	uint32_t cp;
	int n;
	while ((n = utf8_decode(s, &cp)) != 0) {
		cols += utf8_cp_columns(cp);
		s += n > 0 ? n : -n;
	}
	return cols > INT_MAX ? INT_MAX : (int)cols;
}
