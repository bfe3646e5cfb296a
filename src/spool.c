/* The task spool: a live run's task records on disk, not in memory, until the
 * report is written (spool.h). */
#include "config.h"
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

#define CHUNK 65536

static int spool_error(int e)
{
	return error("cannot write the task spool: %s", strerror(e));
}

/* Where the spool's files go: $TMPDIR, else /tmp. */
static const char *spool_dir(void)
{
	const char *dir = getenv("TMPDIR");
	return dir && *dir ? dir : "/tmp";
}

/* An unlinked file in $TMPDIR or /tmp: O_TMPFILE, or mkstemp + unlink. */
static int tmpfile_fd(void)
{
	const char *dir = spool_dir();
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	char *path = xasprintf("%s/tribench-spool.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

int spool_open(struct spool *s)
{
	memset(s, 0, sizeof(*s));
	s->out = tmpfile_fd();
	s->scratch = s->out < 0 ? -1 : tmpfile_fd();
	s->index = s->scratch < 0 ? -1 : tmpfile_fd();
	if (s->index < 0) {
		int e = errno;
		spool_close(s);
		return error("cannot make the task spool in '%s' ($TMPDIR, else /tmp): %s", spool_dir(),
			     strerror(e));
	}
	return 0;
}

void spool_close(struct spool *s)
{
	int *fds[] = {&s->out, &s->scratch, &s->index};
	for (size_t i = 0; i < ARRAY_SIZE(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int spool_run_begin(struct spool *s)
{
	s->scratch_end = 0;
	if (ftruncate(s->scratch, 0) < 0 || ftruncate(s->index, 0) < 0)
		return spool_error(errno);
	return 0;
}

static int pwrite_all(int fd, const void *buf, size_t n, long long off)
{
	for (size_t done = 0; done < n;) {
		ssize_t w = pwrite(fd, (const char *)buf + done, n - done, (off_t)(off + (long long)done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return spool_error(w < 0 ? errno : EIO);
		done += (size_t)w;
	}
	return 0;
}

static int pread_all(int fd, void *buf, size_t n, long long off)
{
	for (size_t done = 0; done < n;) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(off + (long long)done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return error("cannot read the task spool: %s", r < 0 ? strerror(errno) : "short file");
		done += (size_t)r;
	}
	return 0;
}

int spool_put(struct spool *s, int id, const char *line, const double v[4])
{
	struct spool_rec rec = {.put = 1, .off = s->scratch_end};
	memcpy(rec.v, v, sizeof(rec.v));
	if (line) {
		rec.len = (long long)strlen(line);
		if (pwrite_all(s->scratch, line, (size_t)rec.len, rec.off) < 0)
			return -1;
		s->scratch_end += rec.len;
	}
	return pwrite_all(s->index, &rec, sizeof(rec), (long long)id * (long long)sizeof(rec));
}

/* The index in id order, a chunk at a time; ids past the file's end (never
 * put, after the last one that was) read as zeros. fn gets each record. */
static int index_scan(struct spool *s, int ntasks, int (*fn)(int id, const struct spool_rec *r, void *ctx),
		      void *ctx)
{
	enum { N = CHUNK / sizeof(struct spool_rec) };
	struct spool_rec *buf = xmalloc(N * sizeof(*buf));
	int rc = 0;
	for (int base = 0; rc == 0 && base < ntasks; base += N) {
		int n = ntasks - base < N ? ntasks - base : N;
		memset(buf, 0, (size_t)n * sizeof(*buf));
		ssize_t r = pread(s->index, buf, (size_t)n * sizeof(*buf), (off_t)base * (off_t)sizeof(*buf));
		if (r < 0)
			rc = error("cannot read the task spool: %s", strerror(errno));
		for (int i = 0; rc == 0 && i < n; i++)
			rc = fn(base + i, &buf[i], ctx);
	}
	free(buf);
	return rc;
}

struct collect_values {
	int metric, n;
	double *v;
};

static int collect_value(int id, const struct spool_rec *r, void *ctx)
{
	(void)id;
	struct collect_values *c = ctx;
	if (r->put && !isnan(r->v[c->metric]))
		c->v[c->n++] = r->v[c->metric];
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest rank: the smallest value with at least p% of the values at or below it. */
static double rank(const double *v, int n, double p)
{
	long k = (long)ceil(p / 100.0 * n);
	return v[k < 1 ? 0 : k - 1];
}

/* Appends to out through a buffer, pwrite at out_end: no descriptor more. */
struct copy_lines {
	struct spool *s;
	char *buf;                /* one line read back from scratch */
	size_t cap;
	char *(*missing)(int id, void *ctx);
	void *ctx;
	char *obuf;               /* CHUNK bytes waiting for out */
	size_t on;
};

static int out_flush(struct copy_lines *c)
{
	if (c->on && pwrite_all(c->s->out, c->obuf, c->on, c->s->out_end) < 0)
		return -1;
	c->s->out_end += (long long)c->on;
	c->on = 0;
	return 0;
}

static int out_put(struct copy_lines *c, const char *p, size_t n)
{
	while (n) {
		size_t k = CHUNK - c->on < n ? CHUNK - c->on : n;
		memcpy(c->obuf + c->on, p, k);
		c->on += k;
		p += k;
		n -= k;
		if (c->on == CHUNK && out_flush(c) < 0)
			return -1;
	}
	return 0;
}

static int copy_line(int id, const struct spool_rec *r, void *ctx)
{
	struct copy_lines *c = ctx;
	char *made = NULL;
	const char *line;
	size_t len;
	if (r->put && r->len > 0) {
		if ((size_t)r->len + 1 > c->cap) {
			c->cap = (size_t)r->len + 1;
			c->buf = xrealloc(c->buf, c->cap);
		}
		if (pread_all(c->s->scratch, c->buf, (size_t)r->len, r->off) < 0)
			return -1;
		line = c->buf;
		len = (size_t)r->len;
	} else {
		line = made = c->missing(id, c->ctx);
		len = strlen(made);
	}
	int rc = (id > 0 ? out_put(c, ",\n", 2) : 0) < 0 ? -1 : out_put(c, line, len);
	free(made);
	return rc;
}

/* The lines in id order appended to out. */
static int reorder(struct spool *s, int ntasks, char *(*missing)(int, void *), void *ctx, long long *off,
		   long long *len)
{
	struct copy_lines c = {s, NULL, 0, missing, ctx, xmalloc(CHUNK), 0};
	*off = s->out_end;
	int rc = index_scan(s, ntasks, copy_line, &c);
	if (rc == 0)
		rc = out_flush(&c);
	free(c.buf);
	free(c.obuf);
	*len = s->out_end - *off;
	return rc;
}

int spool_run_end(struct spool *s, int ntasks, bool lines, struct spool_pctl stats[4],
		  char *(*missing)(int id, void *ctx), void *ctx, long long *off, long long *len)
{
	struct collect_values c = {.v = xcalloc((size_t)ntasks + 1, sizeof(double))};
	int rc = 0;
	for (c.metric = 0; rc == 0 && c.metric < 4; c.metric++) {
		c.n = 0;
		rc = index_scan(s, ntasks, collect_value, &c);
		qsort(c.v, (size_t)c.n, sizeof(double), cmp_double);
		struct spool_pctl *p = &stats[c.metric];
		*p = c.n ? (struct spool_pctl){rank(c.v, c.n, 50), rank(c.v, c.n, 90), rank(c.v, c.n, 99),
					       c.v[c.n - 1]}
			 : (struct spool_pctl){NAN, NAN, NAN, NAN};
	}
	free(c.v);
	*off = *len = 0;
	if (rc == 0 && lines)
		rc = reorder(s, ntasks, missing, ctx, off, len);
	if (rc == 0)
		rc = spool_run_begin(s);	/* the scratch's disk space back now */
	return rc;
}

int spool_copy(const struct spool *s, long long off, long long len, FILE *f)
{
	char *buf = xmalloc(CHUNK);
	int rc = 0;
	for (long long done = 0; rc == 0 && done < len;) {
		size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		rc = pread_all(s->out, buf, n, off + done);
		if (rc == 0 && (fwrite(buf, 1, n, f) != n || ferror(f)))
			rc = -1;
		done += (long long)n;
	}
	free(buf);
	return rc;
}

int spool_foreach_line(const struct spool *s, long long off, long long len,
		       int (*fn)(char *line, void *ctx), void *ctx)
{
	size_t cap = CHUNK, have = 0;
	char *buf = xmalloc(cap + 1);
	long long done = 0;
	int rc = 0;
	while (rc == 0 && (done < len || have > 0)) {
		if (done < len && have < cap) {
			size_t n = cap - have;
			if ((long long)n > len - done)
				n = (size_t)(len - done);
			if ((rc = pread_all(s->out, buf + have, n, off + done)) < 0)
				break;
			have += n;
			done += (long long)n;
		}
		buf[have] = '\0';
		char *nl = memchr(buf, '\n', have);
		if (!nl && done < len) {	/* a line longer than the buffer */
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
			continue;
		}
		size_t n = nl ? (size_t)(nl - buf) : have;
		buf[n] = '\0';
		if (n > 0 && buf[n - 1] == ',')
			buf[n - 1] = '\0';
		rc = fn(buf, ctx);
		size_t used = nl ? n + 1 : n;
		memmove(buf, buf + used, have - used);
		have -= used;
	}
	free(buf);
	return rc;
}
