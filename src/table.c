/* The human summary table. */
#include "config.h"
#include "table.h"

#include <math.h>

static void cell(FILE *f, const struct mode_result *mr)
{
	char buf[64];
	if (isfinite(mr->speedup))
		snprintf(buf, sizeof(buf), "%8.3fs x%-5.2f %3.0f%%", mr->wall.median, mr->speedup,
			 100 * mr->efficiency);
	else
		snprintf(buf, sizeof(buf), "%8.3fs", mr->wall.median);
	fprintf(f, "  %-22s", buf);
}

/* Mean share of each task's wall spent running, ready and blocked, and switches. */
struct state_shares {
	double running, ready, blocked, voluntary, involuntary;
	int n;
};

static void shares(const struct mode_result *mr, struct state_shares *s)
{
	*s = (struct state_shares){0};
	for (int k = 0; k < mr->nruns; k++)
		for (int i = 0; i < mr->runs[k].ntasks; i++) {
			const struct task_record *t = &mr->runs[k].tasks[i];
			if (t->exit.status == EXIT_STATUS_NOT_STARTED || t->wall_s <= 0)
				continue;
			s->running += t->running_s / t->wall_s;
			s->ready += t->ready_s / t->wall_s;
			s->blocked += t->blocked_s / t->wall_s;
			s->voluntary += (double)t->voluntary_switches;
			s->involuntary += (double)t->involuntary_switches;
			s->n++;
		}
	if (s->n) {
		s->running /= s->n;
		s->ready /= s->n;
		s->blocked /= s->n;
		s->voluntary /= s->n;
		s->involuntary /= s->n;
	}
}

void table_print(FILE *f, const struct results *r)
{
	const struct options *o = r->opts;
	fprintf(f, "%-12s", "workload");
	for (int m = 0; m < o->nmodes; m++)
		fprintf(f, "  %-22s", mode_name(o->modes[m]));
	fputs("\n", f);
	fprintf(f, "%-12s", "");
	for (int m = 0; m < o->nmodes; m++)
		fprintf(f, "  %-22s", "median   speedup eff");
	fputs("\n", f);
	for (int i = 0; i < r->nworkloads; i++) {
		fprintf(f, "%-12.12s", r->workloads[i].w->name);
		for (int m = 0; m < o->nmodes; m++)
			cell(f, &r->workloads[i].modes[m]);
		fputs("\n", f);
	}
	fprintf(f, "\n%-12s  %-10s  %7s %7s %7s  %9s %9s\n", "workload", "mode", "running", "ready",
		"blocked", "vol.sw", "invol.sw");
	for (int i = 0; i < r->nworkloads; i++)
		for (int m = 0; m < o->nmodes; m++) {
			struct state_shares s;
			shares(&r->workloads[i].modes[m], &s);
			fprintf(f, "%-12.12s  %-10s  %6.0f%% %6.0f%% %6.0f%%  %9.1f %9.1f\n",
				m ? "" : r->workloads[i].w->name, mode_name(o->modes[m]), 100 * s.running,
				100 * s.ready, 100 * s.blocked, s.voluntary, s.involuntary);
		}
	fprintf(f, "\n%d measured run(s) per mode, medians; speedup vs serial; eff = speedup / slots.\n"
		   "States are shares of each task's wall time (schedstat), switches per task (rusage).\n",
		o->runs);
	if (r->interrupted)
		fputs("interrupted: only the runs that completed are shown.\n", f);
}

void table_list_kinds(FILE *f)
{
	for (int k = 0; k < task_kind_count; k++) {
		const struct task_kind *kind = task_kinds[k];
		fprintf(f, "%s\n    %s\n", kind->name, kind->summary);
		for (int i = 0; i < kind->nparams; i++) {
			const struct task_param *p = &kind->params[i];
			if (p->derived)
				continue;
			if (p->type == PARAM_U64)
				fprintf(f, "    %-8s %llu..%llu  %s\n", p->name, (unsigned long long)p->min,
					(unsigned long long)p->max, p->help);
			else
				fprintf(f, "    %-8s %-12s  %s\n", p->name, p->metavar ? p->metavar : "TEXT", p->help);
		}
		fprintf(f, "    %-8s 1..%d  copies of this task (every kind)\n", "count", SUITE_MAX_COUNT);
	}
}
