/* The report read back from JSON: its one free function and name lookups. */
#include "config.h"
#include "report_model.h"

#include <stdlib.h>
#include <string.h>

static void run_free(struct report_run *run)
{
	for (int i = 0; i < run->ntasks; i++) {
		free(run->tasks[i].cpuset);
		free(run->tasks[i].exit_status);
		intlist_free(&run->tasks[i].cpus_seen);
	}
	free(run->tasks);
	intlist_free(&run->samples.cpus);
	free(run->samples.t);
	free(run->samples.busy);
}

static void workload_free(struct report_workload *w)
{
	for (int i = 0; i < w->ntasks; i++) {
		free(w->tasks[i].kind);
		free(w->tasks[i].params);
	}
	free(w->tasks);
	for (int m = 0; m < w->nmodes; m++) {
		struct report_mode *mode = &w->modes[m];
		for (int k = 0; k < mode->nruns; k++)
			run_free(&mode->runs[k]);
		free(mode->runs);
		free(mode->mode);
	}
	free(w->modes);
	free(w->name);
}

void report_free(struct report *r)
{
	for (int i = 0; i < r->nworkloads; i++)
		workload_free(&r->workloads[i]);
	free(r->workloads);
	free(r->source);
	free(r->version);
	free(r->started_at);
	free(r->hostname);
	free(r->modes);
	free(r->policy);
	memset(r, 0, sizeof(*r));
}

const struct report_workload *report_workload_find(const struct report *r, const char *name)
{
	for (int i = 0; i < r->nworkloads; i++)
		if (!strcmp(r->workloads[i].name, name))
			return &r->workloads[i];
	return NULL;
}

const struct report_mode *report_mode_find(const struct report_workload *w, const char *mode)
{
	for (int i = 0; i < w->nmodes; i++)
		if (!strcmp(w->modes[i].mode, mode))
			return &w->modes[i];
	return NULL;
}

/* Ids are indexes in tribench's reports; the scan covers a hand-edited one. */
const struct report_task_spec *report_task_spec_find(const struct report_workload *w, int id)
{
	if (id >= 0 && id < w->ntasks && w->tasks[id].id == id)
		return &w->tasks[id];
	for (int i = 0; i < w->ntasks; i++)
		if (w->tasks[i].id == id)
			return &w->tasks[i];
	return NULL;
}
