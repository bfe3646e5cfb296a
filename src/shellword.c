/* POSIX shell words: quoting for names and for inputs put into shell lines. */
#include "config.h"
#include "shellword.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Characters that never need quoting in any position of a word. */
static const char plain[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "_-+./,:@%";

char *shell_quote(const char *word)
{
	if (*word && word[strspn(word, plain)] == '\0')
		return xstrdup(word);
	size_t n = 2;
	for (const char *p = word; *p; p++)
		n += *p == '\'' ? 4 : 1;
	char *out = xmalloc(n + 1), *q = out;
	*q++ = '\'';
	for (const char *p = word; *p; p++) {
		if (*p == '\'') {
			memcpy(q, "'\\''", 4);
			q += 4;
		} else {
			*q++ = *p;
		}
	}
	*q++ = '\'';
	*q = '\0';
	return out;
}

char *shell_join(char *const *argv, int argc)
{
	size_t len = 0, cap = 64;
	char *out = xmalloc(cap);
	out[0] = '\0';
	for (int i = 0; i < argc; i++) {
		char *w = shell_quote(argv[i]);
		size_t wl = strlen(w);
		while (len + wl + 2 > cap)
			out = xrealloc(out, cap *= 2);
		if (i)
			out[len++] = ' ';
		memcpy(out + len, w, wl + 1);
		len += wl;
		free(w);
	}
	return out;
}
