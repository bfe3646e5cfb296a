/* Escaping and number formatting for the Markdown and CSV the report commands
 * write; names made safe and short for the terminal. */
#include "config.h"
#include "textout.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void md_escaped(FILE *f, const char *s)
{
	char *fixed = utf8_valid(s) ? NULL : utf8_sanitize(s);
	const char *start = fixed ? fixed : s;
	for (s = start; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			fputc(' ', f);
			continue;
		}
		if (strchr("\\`*_[]<>|~", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
	free(fixed);
}

void csv_field(FILE *f, const char *s)
{
	char *fixed = utf8_valid(s) ? NULL : utf8_sanitize(s);
	if (fixed)
		s = fixed;
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
	} else {
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	free(fixed);
}

/* 15 significant digits first: 0.1 stays "0.1", not 0.10000000000000001. */
void number_text(char *buf, size_t size, double v)
{
	if (isnan(v)) {
		snprintf(buf, size, "%s", "");
		return;
	}
	snprintf(buf, size, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, size, "%.17g", v);
}

int stdout_finish(void)
{
	if ((fflush(stdout) == 0 && !ferror(stdout)) || errno == EPIPE)
		return 0;
	return error("cannot write to stdout: %s", strerror(errno));
}

/* Characters a terminal would act on rather than show, or that show nothing
 * and so make two different names look alike. */
static bool unsafe_on_terminal(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

#define REPLACEMENT "\xEF\xBF\xBD"	/* U+FFFD */
#define ELLIPSIS "\xE2\x80\xA6"		/* U+2026 */

char *term_text(const char *s)
{
	char *out = xmalloc(strlen(s) * 3 + 1), *o = out;	/* 1 byte -> 3 at worst */
	uint32_t cp;
	int n;
	while ((n = utf8_decode(s, &cp)) != 0) {
		int bytes = n > 0 ? n : -n;
		if (n < 0 || unsafe_on_terminal(cp)) {
			memcpy(o, REPLACEMENT, 3);
			o += 3;
		} else {
			memcpy(o, s, (size_t)bytes);
			o += bytes;
		}
		s += bytes;
	}
	*o = '\0';
	return out;
}

int pad_columns(FILE *f, const char *s, int width)
{
	char *t = term_text(s);
	int cols = utf8_columns(t);
	fputs(t, f);
	for (int c = cols; c < width; c++)
		fputc(' ', f);
	free(t);
	return cols > width ? cols : width;
}

/* A name cut into clusters: a character with the zero-width marks after it,
 * the smallest pieces a cut may keep or drop. */
struct cluster {
	int off, len, cols;
};

struct fit_name {
	char *text;	/* term_text() of the name */
	struct cluster *c;
	int nc, cols;
	bool exact;	/* text is the name itself, whole */
};

static void fit_name_init(struct fit_name *fn, const char *name, int width)
{
	fn->text = term_text(name);
	fn->c = xmalloc((strlen(fn->text) + 1) * sizeof(*fn->c));
	fn->nc = 0;
	fn->cols = 0;
	uint32_t cp;
	int n;
	for (const char *p = fn->text; (n = utf8_decode(p, &cp)) > 0; p += n) {
		int w = utf8_cp_columns(cp);
		if (w == 0 && fn->nc > 0) {
			fn->c[fn->nc - 1].len += n;
		} else {
			fn->c[fn->nc++] = (struct cluster){(int)(p - fn->text), n, w};
		}
		fn->cols += w;
	}
	fn->exact = fn->cols <= width && strcmp(fn->text, name) == 0;
}

/* head + mid + tail of fn: the head takes whole clusters up to head_cols,
 * the tail whole clusters from the end up to what is left of budget. */
static char *cut(const struct fit_name *fn, int head_cols, int budget, const char *mid)
{
	int h = 0, used = 0;
	while (h < fn->nc && used + fn->c[h].cols <= head_cols)
		used += fn->c[h++].cols;
	int t = fn->nc;
	while (t > h && used + fn->c[t - 1].cols <= budget)
		used += fn->c[--t].cols;
	size_t head_len = h ? (size_t)(fn->c[h - 1].off + fn->c[h - 1].len) : 0;
	const char *tail = t < fn->nc ? fn->text + fn->c[t].off : "";
	return xasprintf("%.*s%s%s", (int)head_len, fn->text, mid, tail);
}

/* The usual result: whole when it fits, else the middle goes. */
static char *fit_plain(const struct fit_name *fn, int width)
{
	if (fn->cols <= width)
		return xstrdup(fn->text);
	int budget = width - 1;
	return cut(fn, (budget + 1) / 2, budget, ELLIPSIS);
}

/* With the index N: "name~N" when that fits, else "head…~Ntail"; NULL when
 * not even "…~N" fits. */
static char *fit_indexed(const struct fit_name *fn, int width, int index)
{
	char mid[32];
	int taglen = snprintf(mid, sizeof(mid), "~%d", index);
	if (fn->cols + taglen <= width)
		return xasprintf("%s%s", fn->text, mid);
	int budget = width - 1 - taglen;
	if (budget < 0)
		return NULL;
	snprintf(mid, sizeof(mid), ELLIPSIS "~%d", index);
	return cut(fn, (budget + 1) / 2, budget, mid);
}

/* Whether s equals out[j] of some j that is set and not pending. */
static bool taken(char *const *out, const bool *pending, int n, const char *s)
{
	for (int j = 0; j < n; j++)
		if (out[j] && !pending[j] && strcmp(out[j], s) == 0)
			return true;
	return false;
}

/* Move the split of every pending (all shortened) name by the same amount,
 * nearest first, until their results differ from each other and from the
 * rest. Returns whether it found such a split. */
static bool resolve_by_split(const struct fit_name *fn, char **out, bool *pending, int n, int width)
{
	int budget = width - 1, base = (budget + 1) / 2;
	char **cand = xcalloc((size_t)n, sizeof(*cand));
	bool ok = false;
	for (int d = 1; d <= budget && !ok; d++) {
		for (int sign = -1; sign <= 1 && !ok; sign += 2) {
			int head = base + sign * d;
			if (head < 0 || head > budget)
				continue;
			ok = true;
			for (int i = 0; i < n; i++) {
				if (!pending[i])
					continue;
				cand[i] = cut(&fn[i], head, budget, ELLIPSIS);
				if (taken(out, pending, n, cand[i]))
					ok = false;
				for (int j = 0; j < i; j++)
					if (pending[j] && strcmp(cand[j], cand[i]) == 0)
						ok = false;
			}
			for (int i = 0; i < n; i++) {
				if (pending[i] && ok) {
					free(out[i]);
					out[i] = cand[i];
					pending[i] = false;
				} else {
					free(cand[i]);
				}
				cand[i] = NULL;
			}
		}
	}
	free(cand);
	return ok;
}

/* Give each pending name the first index whose result nobody has. */
static void resolve_by_index(const struct fit_name *fn, char **out, bool *pending, int n, int width)
{
	int index = 1, limit = 10 * n + 9;
	for (int i = 0; i < n; i++) {
		if (!pending[i])
			continue;
		for (; index <= limit; index++) {
			char *s = fit_indexed(&fn[i], width, index);
			if (!s)
				break;	/* no room for this many digits */
			if (!taken(out, pending, n, s)) {
				free(out[i]);
				out[i] = s;
				index++;
				break;
			}
			free(s);
		}
		pending[i] = false;	/* unresolved (too narrow) keeps its plain result */
	}
}

char **fit_names(const char *const *names, int n, int width)
{
	if (width < 1)
		width = 1;
	char **out = xcalloc((size_t)n + 1, sizeof(*out));
	struct fit_name *fn = xcalloc((size_t)n + 1, sizeof(*fn));
	bool *pending = xcalloc((size_t)n + 1, sizeof(*pending));
	int *same_as = xmalloc(((size_t)n + 1) * sizeof(*same_as));

	for (int i = 0; i < n; i++) {
		same_as[i] = i;
		for (int j = 0; j < i; j++)
			if (strcmp(names[i], names[j]) == 0) {
				same_as[i] = j;
				break;
			}
		if (same_as[i] != i)
			continue;	/* out[i] stays NULL: a copy is made at the end */
		fit_name_init(&fn[i], names[i], width);
		out[i] = fit_plain(&fn[i], width);
	}
	/* Once name i has been through here its result is unique, and every
	 * later change only produces results nobody has. */
	for (int i = 0; i < n; i++) {
		if (!out[i])
			continue;
		int count = 0;
		bool all_cut = true;
		for (int j = 0; j < n; j++) {
			pending[j] = out[j] && strcmp(out[j], out[i]) == 0 && !fn[j].exact;
			count += out[j] && strcmp(out[j], out[i]) == 0;
			if (pending[j] && fn[j].cols <= width)
				all_cut = false;
		}
		if (count < 2) {
			memset(pending, 0, (size_t)n * sizeof(*pending));
			continue;
		}
		if (!all_cut || !resolve_by_split(fn, out, pending, n, width))
			resolve_by_index(fn, out, pending, n, width);
	}
	for (int i = 0; i < n; i++) {
		if (same_as[i] != i)
			out[i] = xstrdup(out[same_as[i]]);
		free(fn[i].text);
		free(fn[i].c);
	}
	free(fn);
	free(pending);
	free(same_as);
	return out;
}

void fit_names_free(char **fitted, int n)
{
	if (!fitted)
		return;
	for (int i = 0; i < n; i++)
		free(fitted[i]);
	free(fitted);
}
