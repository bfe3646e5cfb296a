/* The --results folder: checked up front, created late, one folder per name. */
#include "config.h"
#include "resultsdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* A mistyped --results must fail before a single task runs, not after. */
int resultsdir_check(const char *dir)
{
	struct stat st;
	if (lstat(dir, &st) < 0) {
		if (errno == ENOENT)	/* made later, when the run starts */
			return 0;
		return error("invalid --results '%s': %s", dir, strerror(errno));
	}
	if (S_ISLNK(st.st_mode) && stat(dir, &st) < 0)
		return error("invalid --results '%s': a symbolic link to nothing (%s)", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error("invalid --results '%s': not a directory", dir);
	return 0;
}

int resultsdir_create(const char *dir)
{
	struct stat st;
	if (mkdir_p(dir) < 0)
		return error("cannot create --results '%s': %s", dir, strerror(errno));
	/* mkdir_p accepts any existing name; something may have taken it since the check */
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return error("cannot create --results '%s': not a directory", dir);
	return 0;
}

static bool plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

/* Percent-encoding, so "a/b", "a_b" and "a b" keep apart (a_b, a%2Fb, a%20b). */
char *resultsdir_component(const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!*name)
		return xstrdup("%");	/* no encoded name is a lone '%' */
	char *c = xmalloc(3 * strlen(name) + 1), *p = c;
	for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
		if (plain_byte(*s) && !(s == (const unsigned char *)name && *s == '.')) {
			*p++ = (char)*s;
			continue;
		}
		*p++ = '%';
		*p++ = hex[*s >> 4];
		*p++ = hex[*s & 15];
	}
	*p = '\0';
	return c;
}

char *resultsdir_run(const char *dir, const char *workload, const char *mode, int run)
{
	char *w = resultsdir_component(workload);
	char *path = xasprintf("%s/%s/%s/%d", dir, w, mode, run);
	free(w);
	if (mkdir_p(path) < 0) {
		error("cannot create '%s': %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	return path;
}

int resultsdir_open(const char *rundir, int id, const char *ext)
{
	char *path = xasprintf("%s/%d.%s", rundir, id, ext);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		error("cannot create '%s': %s", path, strerror(errno));
	free(path);
	return fd;
}
