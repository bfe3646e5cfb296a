#ifndef TRIBENCH_RUNNER_H
#define TRIBENCH_RUNNER_H

#include "cli.h"
#include "report_model.h"
#include "sched.h"

/*
 * Plan every workload's modes (the suite is prepared) and run them workload
 * by workload, hyperfine's order: its --setup (after which its argv
 * commands' programs are looked up through PATH again and checked:
 * suite_check_programs), its warmups into each mode's
 * warmup_runs (each mode once per warmup round), its measured rounds into
 * each mode's runs (each mode once per round, the mode order rotated per
 * round; o->runs of them, or with --runs auto as many as o->max_time_s holds
 * at the mode's last warmup wall, else its first run's, from o->runs to
 * 10,000), its --cleanup; --prepare and --conclude around every run. Hooks
 * run on the serial PU (hooks.h). After the warmups (without any, after the
 * first round) one line on stderr estimates the rest, not under o->quiet.
 * Returns 0; -1 on a runtime error (printed); -2 when a program is not in
 * PATH after --setup (printed: bad input). A signal, --halt or a failing
 * hook stops it early (the run it cut is kept, marked partial; nothing runs
 * after it, no hook either); r->interrupted says whether a signal, a failed
 * hook (r->hook_failure, its line printed) or a missing program did. The
 * caller summarises (report_summarise). Each run's tasks go to r->spool
 * (made here; an error to create or write it is a runtime error), at
 * o->detail.
 */
int runner_run(struct report *r, struct sched *s, const struct topo *t, struct suite *suite,
	       const struct options *o);

#endif
