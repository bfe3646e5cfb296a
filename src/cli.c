/* Command-line parsing and validation: returns errors, never exits. */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "command_table.h"
#include "commands.h"
#include "export.h"
#include "parameters.h"
#include "resultsdir.h"
#include "suite.h"
#include "util.h"

/* Long-only options get letters outside the short set, so every option has one. */
enum {
	OPT_NAME = 'N',
	OPT_CPU = 'C',
	OPT_WARMUP = 'W',
	OPT_SAMPLE_MS = 'S',
	OPT_COUNT = 'K',
	OPT_COMMANDS = 'B',
	OPT_TASK_OUTPUT = 'O',
	OPT_RESULTS = 'R',
	OPT_TIMEOUT = 'T',
	OPT_GRACE = 'G',
	OPT_HALT = 'H',
	OPT_META = 'M',
	OPT_FORMAT = 'X',
	OPT_CONTAINMENT = 'Z',
	OPT_MAX_IN_FLIGHT = 'I',
	OPT_DETAIL = 'E',
	OPT_CPUS_PER_TASK = 'U',
	OPT_PARAMETER_SCAN = 'P',	/* hyperfine's -P, -D and -L */
	OPT_PARAMETER_STEP = 'D',
	OPT_PARAMETER_LIST = 'L',
	OPT_DRY_RUN = 'Y',
	/* run-only options past the byte range: no short form, none in a
	 * command's accepts list (-c is not --cleanup's: hyperfine's -p and -c
	 * would clash with --policy) */
	OPT_ARGS_FILE = 256,
	OPT_SETUP,	/* in enum hook's order */
	OPT_PREPARE,
	OPT_CONCLUDE,
	OPT_CLEANUP,
	OPT_MAX_TIME,
	OPT_LEVEL,
	OPT_SAMPLE_TASKS,
	OPT_EXECUTOR,
};

const struct option cli_long_options[] = {
	{"task", required_argument, NULL, 't'},
	{"name", required_argument, NULL, OPT_NAME},
	{"taskfile", required_argument, NULL, 'f'},
	{"modes", required_argument, NULL, 'm'},
	{"jobs", required_argument, NULL, 'j'},
	{"executor", required_argument, NULL, OPT_EXECUTOR},
	{"policy", required_argument, NULL, 'p'},
	{"cpu", required_argument, NULL, OPT_CPU},
	{"runs", required_argument, NULL, 'r'},
	{"warmup", required_argument, NULL, OPT_WARMUP},
	{"sample-ms", required_argument, NULL, OPT_SAMPLE_MS},
	{"count", required_argument, NULL, OPT_COUNT},
	{"commands", required_argument, NULL, OPT_COMMANDS},
	{"task-output", required_argument, NULL, OPT_TASK_OUTPUT},
	{"results", required_argument, NULL, OPT_RESULTS},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"grace", required_argument, NULL, OPT_GRACE},
	{"halt", required_argument, NULL, OPT_HALT},
	{"meta", required_argument, NULL, OPT_META},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"containment", required_argument, NULL, OPT_CONTAINMENT},
	{"max-in-flight", required_argument, NULL, OPT_MAX_IN_FLIGHT},
	{"detail", required_argument, NULL, OPT_DETAIL},
	{"dry-run", no_argument, NULL, OPT_DRY_RUN},
	{"command-name", required_argument, NULL, 'n'},
	{"args-file", required_argument, NULL, OPT_ARGS_FILE},
	{"setup", required_argument, NULL, OPT_SETUP},
	{"prepare", required_argument, NULL, OPT_PREPARE},
	{"cleanup", required_argument, NULL, OPT_CLEANUP},
	{"conclude", required_argument, NULL, OPT_CONCLUDE},
	{"max-time", required_argument, NULL, OPT_MAX_TIME},
	{"level", required_argument, NULL, OPT_LEVEL},
	{"sample-tasks", no_argument, NULL, OPT_SAMPLE_TASKS},
	{"cpus-per-task", required_argument, NULL, OPT_CPUS_PER_TASK},
	{"parameter-scan", required_argument, NULL, OPT_PARAMETER_SCAN},
	{"parameter-step-size", required_argument, NULL, OPT_PARAMETER_STEP},
	{"parameter-list", required_argument, NULL, OPT_PARAMETER_LIST},
	{"output", required_argument, NULL, 'o'},
	{"quiet", no_argument, NULL, 'q'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{0},
};

const char *const cli_shortopts = "+:t:f:m:j:p:r:o:n:P:D:L:qhV";

void cli_usage(FILE *f)
{
	fputs("Usage: tribench [run] [OPTIONS]      run a suite three ways and report JSON\n"
	      "       tribench run [OPTIONS] 'CMD LINE' ['CMD LINE'...]   commands, ranked\n"
	      "       tribench [run] [OPTIONS] -- COMMAND [ARG...] [::: INPUT...]   a command\n"
	      "\n"
	      "Modes: serial (one task at a time on one CPU), concurrent (all tasks at once\n"
	      "on that same CPU, time-sliced by the kernel), parallel (a pool of --jobs\n"
	      "slots, each pinned to its own CPU).\n"
	      "\n"
	      "What to run (default: the built-in suite, workloads cpu, io and mixed):\n"
	      "  -t, --task SPEC       KIND[:key=value,...]; count=N repeats it; repeatable,\n"
	      "                        e.g. -t cpu:ms=200,count=4 -t sleep:ms=100,count=8\n"
	      "      --name NAME       workload name for the -t tasks and --commands lines\n"
	      "                        (default \"custom\"), and the -- command without -n\n"
	      "  -f, --taskfile FILE   JSON suite (docs/taskfile.schema.json)\n"
	      "  'CMD LINE'            a shell command line, one workload each (named by it\n"
	      "                        or -n), run once per run (--count N: N copies)\n"
	      "  -n, --command-name NAME  name the command strings, then the -- command, in\n"
	      "                        order (repeatable); two workloads of one name are\n"
	      "                        an error\n"
	      "  -- COMMAND [ARG...]   run this command (exec'd, no shell) --count times;\n"
	      "                        the workload is named by its command line\n"
	      "  ::: INPUT...          one task per input and command (after the command,\n"
	      "                        to the end), as in GNU parallel\n"
	      "      --args-file FILE  one task per line of FILE (- = stdin; an empty line\n"
	      "                        is an empty input); in the command {} is the input,\n"
	      "                        {#} the task number from 1 (TRIBENCH_TASK_ID + 1),\n"
	      "                        {%} the slot from 1, {.} without extension, {/} the\n"
	      "                        basename, {//} the dirname, {/.} the basename\n"
	      "                        without extension; with none the input is appended;\n"
	      "                        a command string gets them shell-quoted, the --\n"
	      "                        command word by word (without inputs they stay as\n"
	      "                        written)\n"
	      "      --count N         copies of the command, 1 to 1000000 (default: 2 x\n"
	      "                        usable cores); count=N of a spec has the same range,\n"
	      "                        and a workload holds at most 10000000 tasks\n"
	      "      --commands FILE   one task per non-empty line, run by /bin/sh -c\n"
	      "                        (a line without shell syntax is exec'd directly);\n"
	      "                        - reads standard input; a line may hold 131071 bytes\n"
	      "  -P, --parameter-scan NAME MIN MAX  one workload per value MIN, MIN+S, ..\n"
	      "                        MAX, {NAME} replaced in the commands, -- words, -t\n"
	      "                        specs, --commands lines, names and hooks\n"
	      "  -D, --parameter-step-size S  the scan's step (default 1; decimals allowed)\n"
	      "  -L, --parameter-list NAME A,B,C  one workload per value (repeatable: every\n"
	      "                        combination); the values are in the report's\n"
	      "                        workloads[].parameters\n"
	      "      --dry-run         parse and check the suite and every option, build the\n"
	      "                        plans and print a line per workload (name, tasks,\n"
	      "                        and per mode the tasks at once and their CPUs); run\n"
	      "                        nothing, write no file (-o and --results unused)\n"
	      "\n"
	      "How to run it:\n"
	      "  -m, --modes LIST      serial,concurrent,parallel (default: all three)\n"
	      "  -j, --jobs N|LIST     parallel slots (default: usable cores / --cpus-per-task,\n"
	      "                        at least 1); a sweep such as 1,2,4,8 or 1..4 runs\n"
	      "                        parallel once per size, with speedup, efficiency\n"
	      "                        and Karp-Flatt each and an Amdahl serial fraction\n"
	      "                        fitted over the sizes\n"
	      "      --executor LIST   process,thread,coroutine: each task its own process\n"
	      "                        (default), a pthread of one worker process per run,\n"
	      "                        or a coroutine on a worker's event loop (io_uring;\n"
	      "                        libuv where refused or TRIBENCH_NO_IO_URING=1); a\n"
	      "                        list runs each, speedup against its own serial;\n"
	      "                        commands run as processes only\n"
	      "      --cpus-per-task K each slot is a set of K PUs placed by the policy\n"
	      "                        (serial and concurrent: one K-PU set; default 1);\n"
	      "                        K above the usable PUs is an error\n"
	      "  -p, --policy P        parallel placement: spread (default), compact, pus,\n"
	      "                        or list:CPUS in taskset syntax, e.g. list:0,2-3\n"
	      "      --cpu N           OS CPU for serial and concurrent (default: first usable)\n"
	      "      --max-in-flight N at most N tasks of a run at once, any mode (default:\n"
	      "                        concurrent admits all up to a safe process bound)\n"
	      "  -r, --runs N|auto     measured rounds (default 5); auto: as many as fit in\n"
	      "                        --max-time per workload and mode, at least 5\n"
	      "      --max-time DUR    the budget of --runs auto (default 30s)\n"
	      "      --warmup N        unmeasured rounds first (default 1)\n"
	      "      --sample-ms N     utilisation series period in ms (default 50)\n"
	      "      --sample-tasks    also record each task's running/ready time per tick\n"
	      "                        (state_samples; at most 256 tasks in flight sampled)\n"
	      "      --timeout DUR     per task: SIGTERM its process group after DUR (e.g. 1.5,\n"
	      "                        500ms, 2s, 1m), SIGKILL after the grace (threads and\n"
	      "                        coroutines: their stop flag, then their worker's)\n"
	      "      --grace DUR       SIGTERM to SIGKILL (default 1s); also on SIGINT/SIGTERM\n"
	      "      --halt soon|now,fail=N  after N failed tasks start no more (now: also\n"
	      "                        terminate the running ones) and stop the benchmark\n"
	      "      --setup CMD       shell line run once before a workload's runs\n"
	      "      --prepare CMD     shell line run before every run (warmups too)\n"
	      "      --conclude CMD    shell line run after every run (warmups too)\n"
	      "      --cleanup CMD     shell line run once after a workload's runs; each hook\n"
	      "                        is given once, or once per workload in order (with\n"
	      "                        -P/-L also once per command); hooks are\n"
	      "                        unmeasured, on the serial CPU; one that fails ends\n"
	      "                        the benchmark with exit 1; --prepare/--conclude see\n"
	      "                        TRIBENCH_MODE, TRIBENCH_JOBS (slots) and TRIBENCH_RUN\n"
	      "      --task-output null|inherit  tasks' stdout/stderr (default null)\n"
	      "      --results DIR     keep DIR/WORKLOAD/ENTRY/RUN/TASK.{out,err} (ENTRY: the\n"
	      "                        mode, parallel/jN in a --jobs sweep)\n"
	      "      --containment auto|cgroup|pgroup  what holds each task's process tree:\n"
	      "                        a cgroup v2 leaf (auto: when one can be made) or its\n"
	      "                        process group; cgroup = required (exit 2 without)\n"
	      "\n"
	      "Output:\n"
	      "  -o, --output FILE     write the JSON report to FILE (atomically); - = stdout.\n"
	      "                        Without -o the report goes to stdout when it is not a\n"
	      "                        terminal; the table goes wherever the report does not.\n"
	      "      --format F        the report as json (default), csv, markdown, gab, bmf,\n"
	      "                        trace or hyperfine (see tribench export --help)\n"
	      "      --level task|run|mode  --format csv's rows: one per task (default; needs\n"
	      "                        --detail task), per run, or per mode entry\n"
	      "      --detail task|run|mode  task (default): every task's record; run: per-\n"
	      "                        task arrays null, per-run distributions kept; mode:\n"
	      "                        as run, and no utilisation series\n"
	      "      --meta KEY=VALUE  record this in the report's host.meta (repeatable)\n"
	      "  -q, --quiet           no table, no progress line, no warnings on stderr\n"
	      "                        (the report still lists them)\n"
	      "  -h, --help            this help\n"
	      "  -V, --version         the version\n"
	      "\n"
	      "Exit status: 0 success, 1 a task or a hook failed, 2 bad input, 3 runtime error,\n"
	      "128+N interrupted by signal N.\n"
	      "\n"
	      "On a cluster: mpirun -n K tribench-mpi run [OPTIONS] (built where configure\n"
	      "finds MPI). Rank 0 reads the suite and writes the report; serial and\n"
	      "concurrent run on its host; parallel spans every rank, each placing its own\n"
	      "slots (-j, --cpus-per-task, --policy per rank; ranks on one host split its\n"
	      "cores); tasks gain \"rank\", the report \"ranks\". It needs -o FILE (or -o -);\n"
	      "--results, --sample-tasks and --policy list: are refused there.\n"
	      "\n"
	      "See tribench(1) for the JSON report and examples.\n",
	      f);
}

static int parse_int(const char *opt, const char *value, int min, int max, int *out)
{
	uint64_t v;
	if (parse_u64(value, &v) < 0 || v < (uint64_t)min || v > (uint64_t)max)
		return error("invalid %s '%s': expected a whole number from %d to %d", opt, value, min,
			     max);
	*out = (int)v;
	return 0;
}

static int parse_modes(const char *value, struct options *o)
{
	char *copy = xstrdup(value), *save = NULL;
	int rc = 0;
	o->nmodes = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum mode m;
		if (mode_parse(tok, &m) < 0) {
			rc = error("invalid --modes '%s': unknown mode '%s' (serial, concurrent, parallel)",
				   value, tok);
			break;
		}
		for (int i = 0; i < o->nmodes; i++)
			if (o->modes[i] == m)
				rc = error("invalid --modes '%s': '%s' given twice", value, tok);
		if (rc)
			break;
		o->modes[o->nmodes++] = m;
	}
	if (!rc && o->nmodes == 0)
		rc = error("invalid --modes '%s': no mode given", value);
	free(copy);
	return rc;
}

/* --executor LIST: process, thread, coroutine, each once, in order. */
static int parse_executors(const char *value, struct options *o)
{
	char *copy = xstrdup(value), *save = NULL;
	int rc = 0;
	o->nexecutors = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		int e = executor_parse(tok);
		if (e < 0) {
			rc = error("invalid --executor '%s': unknown executor '%s' (process, thread, coroutine)",
				   value, tok);
			break;
		}
		for (int i = 0; i < o->nexecutors; i++)
			if (o->executors[i] == (enum executor_kind)e)
				rc = error("invalid --executor '%s': '%s' given twice", value, tok);
		if (!rc)
			o->executors[o->nexecutors++] = (enum executor_kind)e;
	}
	if (!rc && o->nexecutors == 0)
		rc = error("invalid --executor '%s': no executor given", value);
	free(copy);
	return rc;
}

static void defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->cmd = CMD_RUN;
	o->executors[o->nexecutors++] = EXEC_PROCESS;
	for (int m = 0; m < MODE_COUNT; m++)
		o->modes[o->nmodes++] = (enum mode)m;
	o->plan.cpu = -1;
	o->plan.cpus_per_task = 1;
	o->runs = 5;
	o->max_time_s = 30;
	o->warmup = 1;
	o->sample_ms = 50;
	o->sched.grace_s = 1;
	o->sched.halt_fail = 1;
	/* the default can come from the environment (the tests run the runner
	 * files under both containments); a bad value is ignored here and
	 * caught by --containment's own check when given */
	const char *c = getenv("TRIBENCH_CONTAINMENT");
	if (c && containment_parse(c, &o->sched.containment) < 0)
		o->sched.containment = CONTAIN_AUTO;
}

/* "soon,fail=N" or "now,fail=N" (fail=N may be left out: 1). */
static int parse_halt(const char *value, struct sched_opts *so)
{
	const char *rest;
	if (!strncmp(value, "soon", 4))
		so->halt = HALT_SOON, rest = value + 4;
	else if (!strncmp(value, "now", 3))
		so->halt = HALT_NOW, rest = value + 3;
	else
		return error("invalid --halt '%s': expected soon|now[,fail=N]", value);
	if (!*rest)
		return 0;
	uint64_t n;
	if (strncmp(rest, ",fail=", 6) || parse_u64(rest + 6, &n) < 0 || n < 1 || n > 1000000)
		return error("invalid --halt '%s': expected soon|now[,fail=N], N from 1 to 1000000", value);
	so->halt_fail = (int)n;
	return 0;
}

/* --meta KEY=VALUE: a non-empty key, given once. */
static int add_meta(struct options *o, char *arg)
{
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg)
		return error("invalid --meta '%s': expected KEY=VALUE", arg);
	/* a key is a name in the report's JSON: two keys that differ only in
	 * invalid bytes would become one after U+FFFD repair (values may hold any
	 * bytes: they are repaired with a _raw sibling) */
	*eq = '\0';
	bool valid = utf8_valid(arg);
	*eq = '=';
	if (!valid)
		return error("invalid --meta key: it is not valid UTF-8");
	for (int i = 0; i < o->nmeta; i++)
		if (strlen(o->meta[i].key) == (size_t)(eq - arg) && !strncmp(o->meta[i].key, arg, (size_t)(eq - arg)))
			return error("invalid --meta '%s': key '%.*s' given twice", arg, (int)(eq - arg), arg);
	o->meta = xrealloc(o->meta, (size_t)(o->nmeta + 1) * sizeof(*o->meta));
	*eq = '\0';	/* argv is ours to split */
	o->meta[o->nmeta].key = arg;
	o->meta[o->nmeta++].value = eq + 1;
	return 0;
}

static int parse_dur(const char *opt, const char *value, bool positive, double *out)
{
	if (parse_duration(value, out) < 0 || (positive && *out <= 0))
		return error("invalid %s '%s': expected a %sduration such as 1.5, 500ms, 2s or 1m", opt,
			     value, positive ? "positive " : "");
	return 0;
}

/* "--jobs" for 'j': how the user spells it, whatever form they used. */
static const char *option_name(int c)
{
	for (const struct option *lo = cli_long_options; lo->name; lo++)
		if (lo->val == c)
			return lo->name;
	return "?";	/* not reached: getopt returns only listed options */
}

/* The most slots a --jobs sweep may add up to: 1..180, or 1,2,4,...,4096. */
#define JOBS_SWEEP_MAX_SLOTS 16384

/*
 * --jobs N, or a sweep: sizes and ranges A..B joined by commas ("1,2,4",
 * "1..8", "1..4,8"), each 1..4096, none twice, in the order given. The
 * first is plan.jobs; jobs_sweep holds them all.
 */
static int parse_jobs(struct options *o, const char *value)
{
	intlist_free(&o->jobs_sweep);
	for (const char *p = value;; p++) {
		const char *comma = strchr(p, ','), *end = comma ? comma : p + strlen(p);
		char item[32];
		uint64_t a, b;
		if ((size_t)(end - p) >= sizeof(item))
			goto bad;
		snprintf(item, sizeof(item), "%.*s", (int)(end - p), p);
		char *dots = strstr(item, "..");
		if (dots)
			*dots = '\0';
		if (parse_u64(item, &a) < 0 || (dots ? parse_u64(dots + 2, &b) : (b = a, 0)) < 0 ||
		    a < 1 || b > 4096 || a > b)
			goto bad;
		for (uint64_t j = a; j <= b; j++) {
			if (intlist_has(&o->jobs_sweep, (int)j))
				return error("invalid --jobs '%s': %d given twice", value, (int)j);
			intlist_push(&o->jobs_sweep, (int)j);
		}
		if (!comma)
			break;
		p = comma;
	}
	long slots = 0;
	for (int k = 0; k < o->jobs_sweep.n; k++)
		slots += o->jobs_sweep.v[k];
	if (slots > JOBS_SWEEP_MAX_SLOTS)	/* each entry's plan (in the report) lists its slots */
		return error("invalid --jobs '%s': its sizes add up to %ld slots, at most %d (each entry's plan "
			     "lists its slots): sweep fewer sizes, such as 1,2,4,8,16", value, slots,
			     JOBS_SWEEP_MAX_SLOTS);
	o->plan.jobs = o->jobs_sweep.v[0];
	return 0;
bad:
	return error("invalid --jobs '%s': expected a whole number from 1 to 4096, or sizes and ranges "
		     "for a sweep such as 1,2,4 or 1..8", value);
}

/* A file name option: any name but the empty one. */
static int set_file(const char *opt, const char *arg, const char **dst)
{
	if (!*arg)
		return error("invalid %s: empty file name", opt);
	*dst = arg;
	return 0;
}

static int apply_option(struct options *o, int c, char *arg)
{
	struct hook_list *hook;
	switch (c) {
	case 't':
		o->specs = xrealloc(o->specs, (size_t)(o->nspecs + 1) * sizeof(char *));
		o->specs[o->nspecs++] = xstrdup(arg);
		return 0;
	case OPT_NAME:
		if (!*arg)
			return error("invalid --name: empty");
		o->name = arg;
		return 0;
	case 'f':
		o->taskfile = arg;
		return 0;
	case 'm':
		return parse_modes(arg, o);
	case OPT_EXECUTOR:
		return parse_executors(arg, o);
	case 'j':
		return parse_jobs(o, arg);
	case OPT_CPUS_PER_TASK:
		return parse_int("--cpus-per-task", arg, 1, 4096, &o->plan.cpus_per_task);
	case OPT_PARAMETER_STEP:
		if (o->params.step)
			return error("--parameter-step-size given twice");
		o->params.step = arg;
		return 0;
	case 'p':
		policy_free(&o->plan.policy);
		return policy_parse(arg, &o->plan.policy);
	case OPT_CPU:
		return parse_int("--cpu", arg, 0, 65535, &o->plan.cpu);
	case 'r':
		if (!strcmp(arg, "auto")) {
			o->runs_auto = true;
			o->runs = 5;	/* the fewest auto picks: compare needs 5 */
			return 0;
		}
		o->runs_auto = false;
		uint64_t runs;
		if (parse_u64(arg, &runs) < 0 || runs < 1 || runs > 10000)
			return error("invalid --runs '%s': expected auto or a whole number from 1 to 10000",
				     arg);
		o->runs = (int)runs;
		return 0;
	case OPT_MAX_TIME:
		o->max_time_set = true;
		return parse_dur("--max-time", arg, true, &o->max_time_s);
	case 'n':
		if (!*arg)
			return error("invalid --command-name: empty");
		o->cmdnames = xrealloc(o->cmdnames, (size_t)(o->ncmdnames + 1) * sizeof(char *));
		o->cmdnames[o->ncmdnames++] = arg;
		return 0;
	case OPT_ARGS_FILE:
		return set_file("--args-file", arg, &o->args_file);
	case OPT_SETUP:
	case OPT_PREPARE:
	case OPT_CLEANUP:
	case OPT_CONCLUDE:
		if (!arg[strspn(arg, " \t\n")])
			return error("invalid --%s: empty command", option_name(c));
		hook = &o->hooks[c - OPT_SETUP];
		hook->v = xrealloc(hook->v, (size_t)(hook->n + 1) * sizeof(char *));
		hook->v[hook->n++] = arg;
		return 0;
	case OPT_WARMUP:
		return parse_int("--warmup", arg, 0, 1000, &o->warmup);
	case OPT_SAMPLE_MS:
		return parse_int("--sample-ms", arg, 1, 60000, &o->sample_ms);
	case 'o':
		return set_file("--output", arg, &o->output);
	case 'q':
		o->quiet = true;
		return 0;
	case OPT_COUNT:
		return parse_int("--count", arg, 1, SUITE_MAX_COUNT, &o->count);
	case OPT_DRY_RUN:
		o->dry_run = true;
		return 0;
	case OPT_COMMANDS:
		return set_file("--commands", arg, &o->commands_file);
	case OPT_CONTAINMENT:
		if (containment_parse(arg, &o->sched.containment) < 0)
			return error("invalid --containment '%s': expected auto, cgroup or pgroup", arg);
		return 0;
	case OPT_MAX_IN_FLIGHT:
		return parse_int("--max-in-flight", arg, 1, 10000000, &o->plan.max_in_flight);
	case OPT_DETAIL:
		if (report_detail_parse(arg, &o->detail) < 0)
			return error("invalid --detail '%s': expected task, run or mode", arg);
		return 0;
	case OPT_LEVEL:
		if (report_detail_parse(arg, &o->level) < 0)
			return error("invalid --level '%s': expected task, run or mode", arg);
		o->level_set = true;
		return 0;
	case OPT_SAMPLE_TASKS:
		o->sample_tasks = true;
		return 0;
	case OPT_TASK_OUTPUT:
		if (!strcmp(arg, "null"))
			o->sched.output = OUTPUT_NULL;
		else if (!strcmp(arg, "inherit"))
			o->sched.output = OUTPUT_INHERIT;
		else
			return error("invalid --task-output '%s': expected null or inherit", arg);
		return 0;
	case OPT_RESULTS:
		if (!*arg)
			return error("invalid --results: empty directory name");
		o->sched.results_dir = arg;
		return resultsdir_check(arg);	/* a directory or nothing yet; made last */
	case OPT_TIMEOUT:
		return parse_dur("--timeout", arg, true, &o->sched.timeout_s);
	case OPT_GRACE:
		return parse_dur("--grace", arg, false, &o->sched.grace_s);
	case OPT_HALT:
		return parse_halt(arg, &o->sched);
	case OPT_META:
		return add_meta(o, arg);
	case OPT_FORMAT:
		if (strcmp(arg, "json") && !export_format_known(arg))
			return error("invalid --format '%s': expected %s", arg, export_formats);
		o->format = arg;
		return 0;
	case 'h':
		o->cmd = CMD_HELP;
		return 0;
	case 'V':
		o->cmd = CMD_VERSION;
		return 0;
	}
	return -1;
}

struct entry_opt *cli_entries(const struct options *o, int *n)
{
	int sizes = o->jobs_sweep.n ? o->jobs_sweep.n : 1;
	struct entry_opt *e = xcalloc((size_t)((o->nmodes + sizes) * o->nexecutors), sizeof(*e));
	*n = 0;
	for (int x = 0; x < o->nexecutors; x++)
		for (int m = 0; m < o->nmodes; m++) {
			if (o->modes[m] != MODE_PARALLEL) {
				e[(*n)++] = (struct entry_opt){o->modes[m], 1, o->executors[x]};
				continue;
			}
			for (int k = 0; k < sizes; k++)
				e[(*n)++] = (struct entry_opt){MODE_PARALLEL,
							       o->jobs_sweep.n ? o->jobs_sweep.v[k] : o->plan.jobs,
							       o->executors[x]};
		}
	return e;
}

struct plan_opts cli_entry_plan(const struct options *o, const struct entry_opt *e)
{
	struct plan_opts p = o->plan;
	if (e->mode == MODE_PARALLEL)
		p.jobs = e->jobs;
	return p;
}

const char *cli_hook(const struct options *o, enum hook h, int workload)
{
	const struct hook_list *l = &o->hooks[h];
	return !l->n ? NULL : l->n == 1 ? l->v[0] : workload < l->n ? l->v[workload] : NULL;
}

int cli_check_hooks(const struct options *o, int nworkloads)
{
	for (int h = 0; h < HOOK_COUNT; h++)
		if (o->hooks[h].n > 1 && o->hooks[h].n != nworkloads)
			return error("--%s given %d times for %d workload%s: give it once for all, or once "
				     "per workload in their order", hook_name(h), o->hooks[h].n, nworkloads,
				     nworkloads == 1 ? "" : "s");
	return 0;
}

/* The rules between run's options, after all are read. */
static int check_run_options(struct options *o)
{
	int ncommands = o->ncmdstrings + (o->ncommand ? 1 : 0);
	bool inputs = o->ninputs || o->args_file;
	if (o->ninputs && o->args_file)
		return error("give the inputs after ':::' or in --args-file, not both");
	if (inputs && !ncommands)
		return error("inputs (::: or --args-file) need a command: after -- or as a command string");
	if (inputs && o->count)
		return error("--count and inputs (::: or --args-file) both set the number of tasks: give one");
	if (o->count && !ncommands)
		return error("--count applies to a command: after -- or as a command string");
	if (o->args_file && o->commands_file && !strcmp(o->args_file, "-") && !strcmp(o->commands_file, "-"))
		return error("--args-file - and --commands - cannot both read standard input");
	if (o->ncmdnames > ncommands)
		return error("%d --command-name given for %d command%s", o->ncmdnames, ncommands,
			     ncommands == 1 ? "" : "s");
	if (o->max_time_set && !o->runs_auto)
		return error("--max-time applies to --runs auto");
	bool parallel = false;
	for (int m = 0; m < o->nmodes; m++)
		parallel |= o->modes[m] == MODE_PARALLEL;
	if (o->jobs_sweep.n > 1 && !parallel)
		return error("--jobs with several sizes sweeps the parallel mode: add parallel to --modes");
	if (o->level_set && (!o->format || strcmp(o->format, "csv")))
		return error("--level chooses the rows of --format csv: add --format csv");
	if (o->format && !strcmp(o->format, "csv") && o->level == DETAIL_TASK && o->detail != DETAIL_TASK)
		return error("--format csv writes a row per task: it needs --detail task, not --detail %s "
			     "(or --level run or mode)", report_detail_name(o->detail));
	bool workers = o->nexecutors > 1 || o->executors[0] != EXEC_PROCESS;
	if (workers && ncommands)
		return error("commands run as processes only: --executor thread and coroutine run the "
			     "built-in kinds (-t, --taskfile); give --executor process");
	if (workers && o->sample_tasks)
		return error("--sample-tasks samples each task process's schedstat: it works with "
			     "--executor process only");
	if (workers && o->sched.results_dir)
		return error("--results keeps each task process's output: it works with --executor "
			     "process only (thread and coroutine tasks share their worker's)");
	if (o->sample_tasks && o->detail != DETAIL_TASK)
		return error("--sample-tasks records each task's states per tick in its task record: it needs "
			     "--detail task, not --detail %s", report_detail_name(o->detail));
	return parameters_finish(&o->params);
}

int cli_parse(int argc, char **argv, struct options *o)
{
	defaults(o);
	int first = 1;
	const struct command_def *cmd = command_find("run");
	const char *cmd_name = "run";
	if (argc > 1 && argv[1][0] != '-') {
		const struct command_def *c = command_find(argv[1]);
		if (!c || c->fn)	/* compare, export, help...: dispatched before */
			return error("unknown command '%s' (%s; a command string follows run: "
				     "tribench run '%s')", argv[1], command_names(), argv[1]);
		o->cmd = c->cmd;
		o->cmd_name = cmd_name = c->name;
		cmd = c;
		first = 2;
	}
	optind = first;
	opterr = 0;
	/* getopt stops at each non-option ("+"): a run's command string is
	 * kept in order and the scan goes on after it; "--" starts the command,
	 * ":::" the inputs, and everything after either is theirs */
	bool dashdash = false;
	for (;;) {
		int at = optind;
		int c = getopt_long(argc, argv, cli_shortopts, cli_long_options, NULL);
		if (c == -1) {
			if (optind == at + 1 && !strcmp(argv[at], "--")) {
				dashdash = true;	/* the command follows */
				break;
			}
			if (optind >= argc || !strcmp(argv[optind], ":::"))
				break;
			if (o->cmd != CMD_RUN)
				return error("unexpected argument '%s' (see tribench %s --help)", argv[optind],
					     cmd_name);
			if (!argv[optind][strspn(argv[optind], " \t\n")])
				return error("empty command string (argument %d)", optind);
			o->cmdstrings = xrealloc(o->cmdstrings, (size_t)(o->ncmdstrings + 1) * sizeof(char *));
			o->cmdstrings[o->ncmdstrings++] = argv[optind++];
			continue;
		}
		if (c == '?' || c == ':')
			return option_error(c, argv, cli_long_options, cmd_name);
		if (!command_accepts(cmd, c))
			return error("option '--%s' does not apply to 'tribench %s'", option_name(c), cmd_name);
		if (c == OPT_PARAMETER_SCAN || c == OPT_PARAMETER_LIST) {
			/* several words: taken by hand, as ::: is */
			int words = c == OPT_PARAMETER_SCAN ? 2 : 1;
			if (argc - optind < words)
				return error("%s needs %s", c == OPT_PARAMETER_SCAN ? "--parameter-scan" :
					     "--parameter-list", c == OPT_PARAMETER_SCAN ? "NAME MIN MAX" :
					     "NAME VALUES (comma-separated)");
			for (int k = 0; k < words; k++)
				if (!strncmp(argv[optind + k], "--", 2))
					return error("%s %s: expected %s, not the option '%s'",
						     c == OPT_PARAMETER_SCAN ? "--parameter-scan" : "--parameter-list",
						     optarg, c == OPT_PARAMETER_SCAN ? "MIN MAX" : "VALUES (A,B,C)",
						     argv[optind + k]);
			int rc = c == OPT_PARAMETER_SCAN
					 ? parameters_add_scan(&o->params, optarg, argv[optind], argv[optind + 1])
					 : parameters_add_list(&o->params, optarg, argv[optind]);
			if (rc < 0)
				return -1;
			optind += words;
			continue;
		}
		if (apply_option(o, c, optarg) < 0)
			return -1;
	}
	if (dashdash && o->cmd != CMD_RUN)
		return error("unexpected argument '--' (see tribench %s --help)", cmd_name);
	if (dashdash) {
		int end = optind;
		while (end < argc && strcmp(argv[end], ":::"))
			end++;
		if (end == optind)
			return error("no command after --");
		if (!argv[optind][0])
			return error("the command after -- is empty");
		o->command = &argv[optind];
		o->ncommand = end - optind;
		optind = end;
	}
	if (optind < argc) {	/* argv[optind] is ":::" */
		if (o->cmd != CMD_RUN)
			return error("unexpected argument ':::' (see tribench %s --help)", cmd_name);
		o->inputs = &argv[optind + 1];
		o->ninputs = argc - optind - 1;
		for (int i = 0; i < o->ninputs; i++)
			if (!strcmp(o->inputs[i], ":::"))
				return error("a second ':::': tribench takes one input list (GNU parallel's "
					     "combinations of lists are not supported)");
		if (!o->ninputs)
			return error("no input after ':::'");
	}
	return check_run_options(o);
}

void cli_free(struct options *o)
{
	for (int i = 0; i < o->nspecs; i++)
		free(o->specs[i]);
	free(o->specs);
	free(o->meta);
	free(o->cmdstrings);
	for (int h = 0; h < HOOK_COUNT; h++)
		free(o->hooks[h].v);
	free(o->cmdnames);
	policy_free(&o->plan.policy);
	intlist_free(&o->jobs_sweep);
	parameters_free(&o->params);
}
