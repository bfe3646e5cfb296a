/* Finding cgroup v2: where the hierarchy is mounted and where this process
 * sits in it, from the texts of /proc/self/mountinfo and /proc/self/cgroup
 * (pure parsing, unit-tested on fixtures), and a /proc/PID/stat start time.
 * The cgroupfs files themselves are cgroup.c's. */
#include "config.h"
#include "cgroup.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* ---- discovery: pure text parsing --------------------------------------- */

/*
 * Copy one space-separated mountinfo field, undoing the kernel's octal
 * escapes (\040 space, \011 tab, \012 newline, \134 backslash): 0, or -1 when
 * it does not fit.
 */
static int unescape_field(const char *s, size_t len, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c == '\\' && i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			c = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= size)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* The next line of text: its start and length, advancing *p; false at the end. */
static bool next_line(const char **p, const char **line, size_t *len)
{
	if (**p == '\0')
		return false;
	const char *nl = strchr(*p, '\n');
	*line = *p;
	*len = nl ? (size_t)(nl - *p) : strlen(*p);
	*p = nl ? nl + 1 : *p + *len;
	return true;
}

enum { MI_MAXFIELDS = 64 };

/*
 * Split one mountinfo line into fields; the separator "-" ends the optional
 * fields, so fstype is the field after it. 0 with root, mountpoint and fstype
 * filled, or -1 when the line is not a mountinfo line.
 */
static int parse_mountinfo_line(const char *line, size_t len, char *root, char *mnt, size_t size,
				char *fstype, size_t fsize)
{
	const char *f[MI_MAXFIELDS];
	size_t flen[MI_MAXFIELDS];
	int n = 0;
	for (size_t i = 0; i < len;) {
		while (i < len && line[i] == ' ')
			i++;
		if (i >= len)
			break;
		if (n == MI_MAXFIELDS)
			return -1;
		f[n] = line + i;
		while (i < len && line[i] != ' ')
			i++;
		flen[n] = (size_t)(line + i - f[n]);
		n++;
	}
	int dash = -1;
	for (int i = 6; i < n; i++) {
		if (flen[i] == 1 && f[i][0] == '-') {
			dash = i;
			break;
		}
	}
	/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS */
	if (dash < 0 || dash + 3 >= n)
		return -1;
	if (f[3][0] != '/' || f[4][0] != '/' || strchr("0123456789", f[0][0]) == NULL)
		return -1;
	if (unescape_field(f[3], flen[3], root, size) < 0 ||
	    unescape_field(f[4], flen[4], mnt, size) < 0 ||
	    unescape_field(f[dash + 1], flen[dash + 1], fstype, fsize) < 0)
		return -1;
	return 0;
}

/* Is prefix a path prefix of path ("/a" of "/a" and "/a/b", not of "/ab")? */
static bool path_has_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);
	if (n == 1 && prefix[0] == '/')
		return true;
	return strncmp(path, prefix, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * The path of the "0::" line of a /proc/PID/cgroup text into path ("" when
 * there is none, as on v1-only): 0, or -1 when a line is not
 * hierarchy-ID:controllers:/path (the path may itself hold ':').
 */
static int parse_self_cgroup(const char *text, char *path, size_t size)
{
	const char *p = text, *line;
	size_t len;
	path[0] = '\0';
	while (next_line(&p, &line, &len)) {
		if (len == 0)
			continue;
		const char *c1 = memchr(line, ':', len);
		const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line)) : NULL;
		if (!c1 || !c2 || c1 == line || c2 + 1 >= line + len || c2[1] != '/')
			return -1;
		for (const char *d = line; d < c1; d++)
			if (*d < '0' || *d > '9')
				return -1;
		if (c1 - line == 1 && line[0] == '0' && c2 == c1 + 1) {
			size_t n = len - (size_t)(c2 + 1 - line);
			if (n >= size)
				return -1;
			memcpy(path, c2 + 1, n);
			path[n] = '\0';
		}
	}
	return 0;
}

int cgroup_discover_text(const char *mountinfo, const char *self_cgroup, struct cgroup_where *out)
{
	memset(out, 0, sizeof(*out));
	if (!mountinfo || !self_cgroup) {
		errno = EINVAL;
		return -1;
	}
	char path[PATH_MAX], root[PATH_MAX], mnt[PATH_MAX], fstype[64], v2root[PATH_MAX];
	if (parse_self_cgroup(self_cgroup, path, sizeof(path)) < 0)
		goto bad;

	bool has_v1 = false, has_v2 = false, v2_holds_us = false;
	int lines = 0;
	const char *p = mountinfo, *line;
	size_t len;
	while (next_line(&p, &line, &len)) {
		if (len == 0)
			continue;
		if (parse_mountinfo_line(line, len, root, mnt, sizeof(root), fstype, sizeof(fstype)) < 0)
			goto bad;
		lines++;
		if (strcmp(fstype, "cgroup") == 0)
			has_v1 = true;
		if (strcmp(fstype, "cgroup2") != 0)
			continue;
		/* The first cgroup2 mount, unless a later one shows our cgroup and it does not. */
		bool holds = path[0] && path_has_prefix(path, root);
		if (!has_v2 || (holds && !v2_holds_us)) {
			has_v2 = true;
			v2_holds_us = holds;
			strcpy(out->mount, mnt);
			strcpy(v2root, root);
		}
	}
	if (lines == 0)
		goto bad;

	out->version = has_v2 ? 2 : has_v1 ? 1 : 0;
	out->hybrid = has_v2 && has_v1;
	if (!has_v2 || path[0] == '\0')
		return 0;
	/*
	 * The mount shows the hierarchy from its ROOT down: strip that prefix. In
	 * a cgroup namespace whose mount came from outside it, the path is "/" and
	 * the ROOT is not: we sit at the mount's top. Anything else is outside
	 * what the mount shows, so self stays unknown.
	 */
	const char *rest;
	if (path_has_prefix(path, v2root))
		rest = strcmp(v2root, "/") == 0 ? path : path + strlen(v2root);
	else if (strcmp(path, "/") == 0)
		rest = "";
	else
		return 0;
	if (strcmp(rest, "/") == 0)
		rest = "";
	const char *mount = strcmp(out->mount, "/") == 0 ? "" : out->mount;
	int n = snprintf(out->self, sizeof(out->self), "%s%s", mount, rest);
	if (n < 0 || (size_t)n >= sizeof(out->self))
		goto bad;
	if (out->self[0] == '\0')
		strcpy(out->self, "/");
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	errno = EINVAL;
	return -1;
}

/* All of a /proc file, NUL-terminated (caller frees): NULL with errno. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	size_t len;
	char *text = read_stream(f, 16u << 20, &len);
	int saved = errno;
	fclose(f);
	errno = saved;
	return text;
}

int cgroup_discover(struct cgroup_where *out)
{
	memset(out, 0, sizeof(*out));
	char *mi = slurp("/proc/self/mountinfo");
	/* No /proc/self/cgroup: a kernel without cgroups. */
	char *cg = mi ? slurp("/proc/self/cgroup") : NULL;
	int rc = -1;
	if (mi && (cg || errno == ENOENT))
		rc = cgroup_discover_text(mi, cg ? cg : "", out);
	int saved = errno;
	free(mi);
	free(cg);
	errno = saved;
	return rc;
}

int cgroup_parse_starttime(const char *stat, unsigned long long *out)
{
	/* comm may hold ") ", so the fields start after the last ')'. */
	const char *p = strrchr(stat, ')');
	if (!p) {
		errno = EINVAL;
		return -1;
	}
	p++;
	for (int field = 3; field < 22; field++) {
		while (*p == ' ')
			p++;
		if (*p == '\0' || *p == '\n') {
			errno = EINVAL;
			return -1;
		}
		while (*p && *p != ' ' && *p != '\n')
			p++;
	}
	while (*p == ' ')
		p++;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(p, &end, 10);
	if (end == p || errno || (*end != ' ' && *end != '\n' && *end != '\0')) {
		errno = EINVAL;
		return -1;
	}
	*out = v;
	return 0;
}

