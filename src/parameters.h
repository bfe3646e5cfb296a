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
void parameters_free(struct parameters *p);

#endif
