#ifndef TRIBENCH_PARAMETERS_H
#define TRIBENCH_PARAMETERS_H

/*
 * hyperfine's parameter sweeps: --parameter-scan NAME MIN MAX
 * [--parameter-step-size S] or one or more --parameter-list NAME A,B,C
 * (their combinations). Each combination of values is one workload per
 * command or task spec, {NAME} replaced by the value. This file owns the
 * names and values; parsing is by hand (each option takes several words).
 */
#include <stdbool.h>

/* The most values of one parameter, and of all combinations together. */
#define PARAMETERS_MAX_VALUES 100000

struct parameter {
	const char *name;         /* argv's: [A-Za-z_][A-Za-z0-9_]* */
	char **values;            /* owned, in order; each non-empty */
	int n;
};

struct parameters {
	struct parameter *v;      /* the lists in the order given; the scan is one */
	int n;
	const char *scan_min, *scan_max; /* --parameter-scan's words (argv's), NULL: none */
	const char *step;         /* --parameter-step-size S (argv's), NULL: none */
	bool scan;                /* v[0] is the scan (its values made by parameters_finish) */
};

/* --parameter-list NAME A,B,C: 0, or -1 with one error line (a bad or
 * repeated name, an empty value, a value given twice, too many). */
int parameters_add_list(struct parameters *p, const char *name, const char *list);
/* --parameter-scan NAME MIN MAX (values made later: the step may follow). */
int parameters_add_scan(struct parameters *p, const char *name, const char *min, const char *max);
/*
 * After all options: the scan's values MIN, MIN+S, ... up to MAX (S: the
 * step, default 1; MIN, MAX and S decimal numbers, integers without a step,
 * printed with as many decimals as the most precise of them). 0, or -1 with
 * one error line: a step without a scan, a scan together with lists
 * (hyperfine's rule), MIN above MAX, a step not above 0, too many values.
 */
int parameters_finish(struct parameters *p);
/* The number of combinations (1 when there is no parameter). */
long parameters_combinations(const struct parameters *p);
/*
 * Combinations are numbered 0 .. parameters_combinations() - 1 in
 * hyperfine's order: the first parameter varies fastest, the last slowest
 * (-L A 1,2 -L B x,y: A=1 B=x, A=2 B=x, A=1 B=y, A=2 B=y); c -1 stands for
 * "no parameters" in the functions below.
 */
/* Parameter i's value in combination c (0 <= c < combinations): p's. */
const char *parameters_value(const struct parameters *p, long c, int i);
/* Does text hold {NAME} of parameter i? Pure, O(length). */
bool parameters_used(const struct parameters *p, int i, const char *text);
/*
 * text with every {NAME} of a declared parameter replaced by its value in
 * combination c, in one pass (a value's own text is never read again, as
 * hyperfine does); any other braces ({}, {#}, {%}, {unknown}) stay as
 * written, for placeholder.h. Values go in as they are, unquoted
 * (hyperfine's habit). Newly allocated, never NULL; c -1: a copy.
 */
char *parameters_substitute(const struct parameters *p, long c, const char *text);
/*
 * The name of a workload of combination c named by `name`: its {NAME}s
 * replaced, then " (A = 1, B = x)" for the parameters that `used_in` does
 * not hold (hyperfine's "command with unused parameters"), so that every
 * combination's name differs. used_in NULL: name. Newly allocated.
 */
char *parameters_name(const struct parameters *p, long c, const char *name, const char *used_in);
/* The report's workloads[].parameters: {"NAME": "value", ...} of
 * combination c in declaration order, compact JSON text; "{}" for c -1.
 * Newly allocated. */
char *parameters_json(const struct parameters *p, long c);
void parameters_free(struct parameters *p);

#endif
