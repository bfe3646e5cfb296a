/* Warnings about noisy results, from what the kernel and the runs said. */
#include "config.h"
#include "warnings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

__attribute__((format(printf, 2, 3)))
static void add(struct results *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text;
	if (vasprintf(&text, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	r->warnings = xrealloc(r->warnings, (size_t)(r->nwarnings + 1) * sizeof(char *));
	r->warnings[r->nwarnings++] = text;
	if (!r->opts->quiet)
		warning("%s", text);
}

/* Per workload and mode: spread of the walls and a slow first run. */
static void check_runs(struct results *r, const struct workload_result *wr, int m)
{
	const struct mode_result *mr = &wr->modes[m];
	const char *mode = mode_name(r->opts->modes[m]);
	if (mr->wall.n >= 2 && mr->wall.mean > 0 && mr->wall.stddev > 0.1 * mr->wall.mean)
		add(r, "%s/%s: wall stddev is %.0f%% of the mean over %d runs: results are noisy",
		    wr->w->name, mode, 100 * mr->wall.stddev / mr->wall.mean, mr->wall.n);
	if (mr->nruns >= 3) {
		double *rest = xcalloc((size_t)mr->nruns - 1, sizeof(double));
		for (int k = 1; k < mr->nruns; k++)
			rest[k - 1] = mr->runs[k].wall_s;
		double median = stats_median(rest, mr->nruns - 1);
		free(rest);
		if (median > 0 && mr->runs[0].wall_s > 1.3 * median)
			add(r, "%s/%s: the first run took %.2fx the median of the others: try --warmup %d",
			    wr->w->name, mode, mr->runs[0].wall_s / median, r->opts->warmup + 1);
	}
}

void warnings_collect(struct results *r)
{
	/* procs_running counts tribench itself */
	if (r->host.procs_running > 1)
		add(r, "%d other runnable process%s at the start (procs_running in /proc/stat): "
		       "results may be noisy", r->host.procs_running - 1,
		    r->host.procs_running > 2 ? "es" : "");
	if (r->host.governor[0] && strcmp(r->host.governor, "performance"))
		add(r, "CPU frequency governor is '%s', not 'performance': clock speed may vary",
		    r->host.governor);
	for (int i = 0; i < r->nworkloads; i++)
		for (int m = 0; m < r->opts->nmodes; m++)
			check_runs(r, &r->workloads[i], m);
}

void warnings_free(struct results *r)
{
	for (int i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	r->warnings = NULL;
	r->nwarnings = 0;
}
