#ifndef TRIBENCH_CLI_H
#define TRIBENCH_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "hooks.h"
#include "parameters.h"
#include "report_model.h"
#include "sched.h"
#include "topo.h"

enum command { CMD_RUN, CMD_PLAN, CMD_TOPOLOGY, CMD_LIST, CMD_HELP, CMD_VERSION };

struct options {
	enum command cmd;
	const char *cmd_name;     /* the command as given ("plan"); NULL: none (run) */
	char **specs;             /* -t SPEC, in order */
	int nspecs;
	const char *name;         /* --name for the -t workload */
	const char *taskfile;     /* -f FILE */
	enum mode modes[MODE_COUNT];
	int nmodes;
	struct plan_opts plan;    /* --cpu, --jobs (the first size), --policy, --cpus-per-task */
	struct intlist jobs_sweep;/* --jobs: every size in the order given (n 0: not given) */
	enum executor_kind executors[EXEC_COUNT]; /* --executor, in the order given */
	int nexecutors;
	struct parameters params; /* --parameter-scan/-step-size/-list */
	int runs, warmup, sample_ms;
	const char *output;       /* -o FILE, "-" for stdout, NULL: by terminal */
	const char *format;       /* --format: "json" or an export format */
	bool quiet;
	enum report_detail detail;/* --detail: what the report keeps per task */
	enum report_detail level; /* --level: a csv row per task, run or mode entry */
	bool level_set;           /* --level given (it needs --format csv) */
	bool sample_tasks;        /* --sample-tasks: each task's states per sampling tick */
	char **command;           /* after -- (up to a ':::'): one command, --count copies */
	int ncommand;
	char **cmdstrings;        /* run's positional shell command lines, one workload each */
	int ncmdstrings;
	const char **cmdnames;    /* -n/--command-name, in order: commands' workload names */
	int ncmdnames;
	char **inputs;            /* after ':::', one task per input (argv's strings) */
	int ninputs;
	const char *args_file;    /* --args-file FILE, one input per line, "-" for stdin */
	struct hook_list {
		const char **v;   /* shell lines, in the order given */
		int n;            /* 0: none; 1: every workload's; else one per workload */
	} hooks[HOOK_COUNT];      /* --setup, --prepare, --conclude, --cleanup (cli_hook) */
	bool runs_auto;           /* --runs auto: runs from --max-time, at least o->runs (5) */
	double max_time_s;        /* --max-time: budget per workload x mode, seconds (30) */
	bool max_time_set;        /* --max-time was given (it needs --runs auto) */
	int count;                /* 0: 2 x usable cores for --, 1 for command strings */
	const char *commands_file;/* --commands FILE, "-" for stdin */
	bool dry_run;             /* --dry-run: parse, check, print the plan; run nothing */
	struct sched_opts sched;  /* --timeout, --grace, --halt, --task-output, --results */
	struct meta {
		const char *key, *value;
	} *meta;                  /* --meta KEY=VALUE, in order */
	int nmeta;
};

/* A mode entry to run: a mode, and for parallel its --jobs size (0: the
 * default, usable cores). */
struct entry_opt {
	enum mode mode;
	int jobs;
	enum executor_kind executor;
};
/* The entries the options ask for, in order: per executor of --executor,
 * each mode of --modes, the parallel mode once per --jobs size. Returns a
 * new array (caller frees) and sets *n. */
struct entry_opt *cli_entries(const struct options *o, int *n);
/* o->plan with the entry's jobs: the plan options of that entry. */
struct plan_opts cli_entry_plan(const struct options *o, const struct entry_opt *e);

/* Parse argv; on bad input prints one line and returns -1 (never exits). */
int cli_parse(int argc, char **argv, struct options *o);
void cli_free(struct options *o);
/* Hook h of the workload at index `workload` (in suite order), as given:
 * the one line given once, or the workload's own when given once per
 * workload (hyperfine's habit); NULL when there is none. Owned by argv. */
const char *cli_hook(const struct options *o, enum hook h, int workload);
/* A hook given more than once must be given once per workload: 0, or -1
 * with one error line naming the hook and the counts. */
int cli_check_hooks(const struct options *o, int nworkloads);
/* run's --help text (the commands' list is command_help_all's). */
void cli_usage(FILE *f);

/* The run parser's getopt table and optstring, for the command table. */
extern const struct option cli_long_options[];
extern const char *const cli_shortopts;

#endif
