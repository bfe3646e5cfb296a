/* hyperfine's --parameter-scan / --parameter-list: names and values. */
#include "config.h"
#include "parameters.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/fields.h"
#include "json/jsonutil.h"
#include "util.h"

static int check_name(const char *opt, const char *name, const struct parameters *p)
{
	bool ok = *name && (isalpha((unsigned char)*name) || *name == '_');
	for (const char *c = name; ok && *c; c++)
		ok = isalnum((unsigned char)*c) || *c == '_';
	if (!ok)
		return error("invalid %s name '%s': expected letters, digits and _, not starting with a "
			     "digit (it is written {%s} in the commands)", opt, name, name);
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->v[i].name, name))
			return error("parameter '%s' given twice", name);
	return 0;
}

static struct parameter *add(struct parameters *p, const char *name)
{
	p->v = xrealloc(p->v, (size_t)(p->n + 1) * sizeof(*p->v));
	struct parameter *q = &p->v[p->n++];
	*q = (struct parameter){name, NULL, 0};
	return q;
}

static void push(struct parameter *q, char *value)
{
	q->values = xrealloc(q->values, (size_t)(q->n + 1) * sizeof(char *));
	q->values[q->n++] = value;
}

int parameters_add_list(struct parameters *p, const char *name, const char *list)
{
	if (check_name("--parameter-list", name, p) < 0)
		return -1;
	struct parameter *q = add(p, name);
	for (const char *s = list;; s++) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (!len)
			return error("invalid --parameter-list %s '%s': an empty value", name, list);
		char *v = xasprintf("%.*s", (int)len, s);
		for (int i = 0; i < q->n; i++)
			if (!strcmp(q->values[i], v)) {
				error("invalid --parameter-list %s '%s': '%s' given twice", name, list, v);
				free(v);
				return -1;
			}
		if (q->n >= PARAMETERS_MAX_VALUES) {
			free(v);
			return error("--parameter-list %s: more than %d values", name, PARAMETERS_MAX_VALUES);
		}
		push(q, v);
		if (!e)
			break;
		s = e;
	}
	return 0;
}

int parameters_add_scan(struct parameters *p, const char *name, const char *min, const char *max)
{
	if (p->scan)
		return error("--parameter-scan given twice: hyperfine's rule, one scan");
	if (check_name("--parameter-scan", name, p) < 0)
		return -1;
	/* the scan is v[0]: it comes first in the workload names */
	p->v = xrealloc(p->v, (size_t)(p->n + 1) * sizeof(*p->v));
	memmove(p->v + 1, p->v, (size_t)p->n * sizeof(*p->v));
	p->v[0] = (struct parameter){name, NULL, 0};
	p->n++;
	p->scan = true;
	p->scan_min = min;
	p->scan_max = max;
	return 0;
}

/* Digits after the decimal point of a number as written. */
static int decimals(const char *s)
{
	const char *dot = strchr(s, '.');
	return dot ? (int)strlen(dot + 1) : 0;
}

static int number(const char *what, const char *s, double *out)
{
	if (parse_double(s, out) < 0 || strpbrk(s, "eExXpPnN"))
		return error("invalid %s '%s': expected a decimal number such as 10 or 0.25", what, s);
	return 0;
}

int parameters_finish(struct parameters *p)
{
	if (p->step && !p->scan)
		return error("--parameter-step-size applies to --parameter-scan");
	if (!p->scan)
		goto combinations;
	if (p->n > 1)
		return error("--parameter-scan and --parameter-list cannot be combined (hyperfine's rule): "
			     "give the scan's values as a list");
	double lo, hi, step = 1;
	if (number("--parameter-scan minimum", p->scan_min, &lo) < 0 ||
	    number("--parameter-scan maximum", p->scan_max, &hi) < 0 ||
	    (p->step && number("--parameter-step-size", p->step, &step) < 0))
		return -1;
	/* every value printed exactly: doubles hold integers to 2^53 */
	if (fabs(lo) > 1e15 || fabs(hi) > 1e15)
		return error("invalid --parameter-scan %s %s %s: the bounds must lie within -1e15..1e15",
			     p->v[0].name, p->scan_min, p->scan_max);
	if (!(step > 0))
		return error("invalid --parameter-step-size '%s': it must be above 0", p->step);
	if (lo > hi)
		return error("invalid --parameter-scan %s %s %s: the minimum is above the maximum",
			     p->v[0].name, p->scan_min, p->scan_max);
	int dec = decimals(p->scan_min);
	if (decimals(p->scan_max) > dec)
		dec = decimals(p->scan_max);
	if (p->step && decimals(p->step) > dec)
		dec = decimals(p->step);
	if (!p->step && dec)
		return error("invalid --parameter-scan %s %s %s: without --parameter-step-size the bounds "
			     "are whole numbers (the step is 1)", p->v[0].name, p->scan_min, p->scan_max);
	/* counted, not summed: k * step does not drift as repeated sums do;
	 * the bound is compared at the printed precision */
	double count = floor((hi - lo) / step + 1e-9) + 1;
	if (count > PARAMETERS_MAX_VALUES)
		return error("--parameter-scan %s %s %s gives %.0f values: at most %d", p->v[0].name,
			     p->scan_min, p->scan_max, count, PARAMETERS_MAX_VALUES);
	for (int k = 0; k < (int)count; k++) {
		double v = lo + k * step;
		if (fabs(v) < 0.5 * pow(10, -dec))
			v = 0;	/* not "-0.00" */
		push(&p->v[0], xasprintf("%.*f", dec, v));
	}
combinations:
	if (parameters_combinations(p) > PARAMETERS_MAX_VALUES)
		return error("the parameters give %ld combinations: at most %d", parameters_combinations(p),
			     PARAMETERS_MAX_VALUES);
	return 0;
}

long parameters_combinations(const struct parameters *p)
{
	long n = 1;
	for (int i = 0; i < p->n; i++)	/* each at most PARAMETERS_MAX_VALUES: capped, no overflow */
		n = n * p->v[i].n > 2L * PARAMETERS_MAX_VALUES ? 2L * PARAMETERS_MAX_VALUES : n * p->v[i].n;
	return n;
}

const char *parameters_value(const struct parameters *p, long c, int i)
{
	for (int j = 0; j < i; j++)
		c /= p->v[j].n;
	return p->v[i].values[c % p->v[i].n];
}

/* The parameter whose {NAME} starts at t (a '{'), its length in *len; -1: none. */
static int match_at(const struct parameters *p, const char *t, size_t *len)
{
	for (int i = 0; i < p->n; i++) {
		size_t n = strlen(p->v[i].name);
		if (!strncmp(t + 1, p->v[i].name, n) && t[n + 1] == '}') {
			*len = n + 2;
			return i;
		}
	}
	return -1;
}

bool parameters_used(const struct parameters *p, int i, const char *text)
{
	size_t len;
	for (const char *t = strchr(text, '{'); t; t = strchr(t + 1, '{'))
		if (match_at(p, t, &len) == i)
			return true;
	return false;
}

char *parameters_substitute(const struct parameters *p, long c, const char *text)
{
	if (c < 0 || !p->n)
		return xstrdup(text);
	size_t cap = strlen(text) + 1, n = 0, len;
	char *out = xmalloc(cap);
	for (const char *t = text; *t;) {
		int i = *t == '{' ? match_at(p, t, &len) : -1;
		const char *put = i >= 0 ? parameters_value(p, c, i) : t;
		size_t k = i >= 0 ? strlen(put) : 1;
		if (n + k + 1 > cap) {
			cap = 2 * (n + k + 1);
			out = xrealloc(out, cap);
		}
		memcpy(out + n, put, k);
		n += k;
		t += i >= 0 ? len : 1;
	}
	out[n] = '\0';
	return out;
}

char *parameters_name(const struct parameters *p, long c, const char *name, const char *used_in)
{
	char *out = parameters_substitute(p, c, name);
	if (c < 0 || !p->n || !used_in)
		return out;
	bool first = true;
	for (int i = 0; i < p->n; i++) {
		if (parameters_used(p, i, used_in))
			continue;
		char *more = xasprintf("%s%s%s = %s", out, first ? " (" : ", ", p->v[i].name,
				       parameters_value(p, c, i));
		free(out);
		out = more;
		first = false;
	}
	if (!first) {
		char *more = xasprintf("%s)", out);
		free(out);
		out = more;
	}
	return out;
}

char *parameters_json(const struct parameters *p, long c)
{
	if (c < 0 || !p->n)
		return xstrdup("{}");
	cJSON *o = jnew_object();
	for (int i = 0; i < p->n; i++)
		jadd(o, p->v[i].name, jstr(parameters_value(p, c, i)));
	char *text = json_text(o, false);
	cJSON_Delete(o);
	return text;
}

void parameters_free(struct parameters *p)
{
	for (int i = 0; i < p->n; i++) {
		for (int k = 0; k < p->v[i].n; k++)
			free(p->v[i].values[k]);
		free(p->v[i].values);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}
