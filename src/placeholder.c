/* GNU parallel's replacement strings ({}, {#}, {%}, {.}, {/}, {//}, {/.}) in commands. */
#include "config.h"
#include "placeholder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shellword.h"
#include "util.h"

enum { PH_NONE = -1, PH_SEQ = 10, PH_SLOT };

static const struct {
	const char *text;
	int what;
} placeholders[] = {
	{"{}", PLACEHOLDER_INPUT},       {"{.}", PLACEHOLDER_NOEXT},
	{"{/}", PLACEHOLDER_BASENAME},   {"{//}", PLACEHOLDER_DIRNAME},
	{"{/.}", PLACEHOLDER_BASE_NOEXT}, {"{#}", PH_SEQ},
	{"{%}", PH_SLOT},
};

/* Which replacement string starts at p (a '{'), and its length in *len. */
static int match_at(const char *p, size_t *len)
{
	for (size_t i = 0; i < ARRAY_SIZE(placeholders); i++) {
		size_t n = strlen(placeholders[i].text);
		if (!strncmp(p, placeholders[i].text, n)) {
			*len = n;
			return placeholders[i].what;
		}
	}
	return PH_NONE;
}

bool placeholder_any(const char *text)
{
	size_t len;
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{'))
		if (match_at(p, &len) != PH_NONE)
			return true;
	return false;
}

bool placeholder_has_slot(const char *text)
{
	return strstr(text, "{%}") != NULL;
}

/* A copy of s[0..n). */
static char *dup_n(const char *s, size_t n)
{
	char *out = xmalloc(n + 1);
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/* GNU parallel's s:\.[^/.]+$:: on input[0..len): the length it leaves. */
static size_t noext_len(const char *s, size_t len)
{
	size_t dot = len;
	while (dot > 0 && s[dot - 1] != '.' && s[dot - 1] != '/')
		dot--;
	/* s[dot-1] is the last '.' or '/' before the end; a '.' with something after it goes */
	return dot > 0 && s[dot - 1] == '.' && dot < len ? dot - 1 : len;
}

/* Perl's File::Basename dirname (GNU parallel's {//}) of input: its length in s,
 * or -1 for ".". Trailing slashes do not count; "/" stays "/". */
static long dirname_len(const char *s)
{
	size_t len = strlen(s);
	while (len > 1 && s[len - 1] == '/')
		len--;
	size_t slash = len;
	while (slash > 0 && s[slash - 1] != '/')
		slash--;
	if (slash == 0)
		return -1;
	while (slash > 1 && s[slash - 1] == '/')
		slash--;
	return (long)slash;
}

char *placeholder_part(const char *input, enum placeholder_part part)
{
	const char *slash = strrchr(input, '/'), *base = slash ? slash + 1 : input;
	switch (part) {
	case PLACEHOLDER_INPUT:
		return xstrdup(input);
	case PLACEHOLDER_NOEXT:
		return dup_n(input, noext_len(input, strlen(input)));
	case PLACEHOLDER_BASENAME:
		return xstrdup(base);
	case PLACEHOLDER_BASE_NOEXT:
		return dup_n(base, noext_len(base, strlen(base)));
	case PLACEHOLDER_DIRNAME: {
		long n = dirname_len(input);
		return n < 0 ? xstrdup(".") : dup_n(input, (size_t)n);
	}
	}
	return xstrdup(input);
}

/* A growing string: out, its length and its room. */
struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = 2 * (b->len + n + 1);
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

char *placeholder_expand(const char *text, const char *input, long task_no, bool quote)
{
	struct buf b = {NULL, 0, 0};
	buf_add(&b, "", 0);
	const char *p = text;
	for (const char *brace; (brace = strchr(p, '{'));) {
		size_t len;
		int what = match_at(brace, &len);
		if (what == PH_NONE || what == PH_SLOT) {
			buf_add(&b, p, (size_t)(brace - p) + (what == PH_SLOT ? len : 1));
			p = brace + (what == PH_SLOT ? len : 1);
			continue;
		}
		buf_add(&b, p, (size_t)(brace - p));
		if (what == PH_SEQ) {
			char num[24];
			buf_add(&b, num, (size_t)snprintf(num, sizeof(num), "%ld", task_no));
		} else {
			char *part = placeholder_part(input, (enum placeholder_part)what);
			char *q = quote ? shell_quote(part) : part;
			buf_add(&b, q, strlen(q));
			if (q != part)
				free(q);
			free(part);
		}
		p = brace + len;
	}
	buf_add(&b, p, strlen(p));
	return b.s;
}

char *placeholder_fill_slot(const char *text, int slot_no)
{
	struct buf b = {NULL, 0, 0};
	char num[16];
	size_t numlen = (size_t)snprintf(num, sizeof(num), "%d", slot_no);
	buf_add(&b, "", 0);
	const char *p = text;
	for (const char *at; (at = strstr(p, "{%}")); p = at + 3) {
		buf_add(&b, p, (size_t)(at - p));
		buf_add(&b, num, numlen);
	}
	buf_add(&b, p, strlen(p));
	return b.s;
}
