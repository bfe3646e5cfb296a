/* tribench's commands: argv -> command -> exit code (main.c, and rank 0 of
 * tribench-mpi: mpi/mpi_main.c). */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calibrate.h"
#include "cluster.h"
#include "admit.h"
#include "app.h"
#include "cli.h"
#include "command_table.h"
#include "commands.h"
#include "export.h"
#include "json/json.h"
#include "json/report_json.h"
#include "output.h"
#include "preflight.h"
#include "resultsdir.h"
#include "runner.h"
#include "spool.h"
#include "suite_load.h"
#include "coro.h"
#include "sched.h"
#include "table.h"
#include "topo.h"
#include "warnings.h"

struct cluster *app_cluster;

/* Flush stdout; a reader that went away (| head) is not an error. */
static int finish_stdout(void)
{
	if (fflush(stdout) == 0 || errno == EPIPE)
		return EXIT_OK;
	error("cannot write to stdout: %s", strerror(errno));
	return EXIT_RUNTIME;
}

static int print_text(char *text)
{
	fputs(text, stdout);
	free(text);
	return finish_stdout();
}

static int cmd_topology(const struct topo *t)
{
	return print_text(json_topology(topo_get_info(t)));
}

static int cmd_plan(const struct topo *t, const struct options *o)
{
	int nentries, n = 0, rc = EXIT_OK;
	struct entry_opt *entries = cli_entries(o, &nentries);
	struct plan *plans = xcalloc((size_t)nentries, sizeof(*plans));
	for (; n < nentries; n++) {
		struct plan_opts po = cli_entry_plan(o, &entries[n]);
		if (plan_build(t, entries[n].mode, &po, 0, &plans[n]) < 0) {
			rc = EXIT_BAD_INPUT;
			break;
		}
	}
	if (rc == EXIT_OK)
		rc = print_text(json_plans(topo_get_info(t), plans, n));
	while (n-- > 0)
		plan_free(&plans[n]);
	free(plans);
	free(entries);
	return rc;
}

static void utc_now(char *buf, size_t size)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The serial PU and the parallel slot count the plans will really use. */
static int effective_settings(const struct topo *t, const struct options *o, int *cpu, int *jobs)
{
	struct plan serial, parallel;
	if (plan_build(t, MODE_SERIAL, &o->plan, 1, &serial) < 0)
		return -1;
	*cpu = serial.slots[0].pu;
	plan_free(&serial);
	if (plan_build(t, MODE_PARALLEL, &o->plan, 1, &parallel) < 0)
		return -1;
	*jobs = parallel.nslots;
	plan_free(&parallel);
	return 0;
}

/* The report in the chosen format (--format), streamed to out (atomic for
 * -o FILE: output_finish renames a whole file only); the JSON writer's UTF-8
 * warnings go to stderr too. 0, or -1 (printed; out->signal when stopped). */
static int report_write(struct report *r, const struct options *o, struct output *out)
{
	FILE *f = output_stream(out);
	int rc = 0;
	if (!o->format || !strcmp(o->format, "json")) {
		int fixes = json_report_write(r, f);
		for (int i = r->nwarnings - (fixes > 0 ? fixes : 0); !o->quiet && i < r->nwarnings; i++)
			warning("%s", r->warnings[i]);
	} else {
		rc = export_write(r, o->format, o->level, f);
	}
	if (rc < 0) {
		fclose(f);
		output_abort(out);
		return -1;
	}
	return output_finish(out, f);
}

/* Tasks over the whole benchmark, for the progress line's ETA. */
static long total_tasks(const struct suite *s, const struct options *o)
{
	long n = 0;
	for (int i = 0; i < s->nworkloads; i++)
		n += s->workloads[i].ntasks;
	int entries;
	free(cli_entries(o, &entries));
	return n * entries * (o->runs + o->warmup);
}

/* The report's parts that do not come from the runs. */
static void report_begin(struct report *r, const struct options *o, const struct topo_info *ti,
			 const struct host_facts *h, const struct sched *s, int cpu, int jobs)
{
	char started[32];
	utc_now(started, sizeof(started));
	r->started_at = xstrdup(started);
	r->tool = json_tool_text();
	r->host = json_host_text(h, ti, o, &s->contain);
	r->containment = xstrdup(containment_name(s->contain.kind));
	/* the one warning of process-group containment, and what a dead
	 * tribench left behind */
	char *said[2] = {s->contain_warning ? xstrdup(s->contain_warning) : NULL,
			 s->contain_stale ? xasprintf("killed the run cgroups of a tribench that died "
						      "with its watchdog: %s", s->contain_stale)
					  : NULL};
	for (int i = 0; i < 2; i++)
		if (said[i]) {
			if (!o->quiet)
				warning("%s", said[i]);
			report_add_warning(r, said[i]);
		}
	/* the coroutine executor's loop, and why not io_uring when it is not */
	const char *loop = NULL;
	bool workers = false;
	for (int x = 0; x < o->nexecutors; x++) {
		workers |= o->executors[x] != EXEC_PROCESS;
		if (o->executors[x] == EXEC_COROUTINE) {
			char *why;
			loop = loop_kind_name(coro_loop_kind(&why));
			if (why) {
				if (!o->quiet)
					warning("%s", why);
				report_add_warning(r, why);
			}
		}
	}
	if (workers)
		report_add_warning(r, xstrdup("thread and coroutine tasks share one worker process per run: "
					      "their max_rss_kb, zombie_s, leftovers_killed and cgroup are "
					      "null, having none of their own"));
	r->config = json_config_text(o, jobs, cpu, loop);
	r->runs = o->runs;
	r->max_time_s = o->runs_auto ? o->max_time_s : 0;
	r->warmup = o->warmup;
	r->jobs = jobs;
}

/* A workload name on one line of the dry run: control bytes as '?'. */
static void put_name(const char *name)
{
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		putchar(*p < 0x20 || *p == 0x7f ? '?' : *p);
}

/*
 * run --dry-run: the suite and plans exactly as a run builds them, as
 * "workload TAB tasks TAB per mode: N on CPUS" lines, where N is the plan's
 * max_in_flight, capped as a run would cap it now by the process limits
 * (admit_bound, said in a warning), and CPUS its slots' PUs; nothing starts,
 * no file is made.
 */
static int cmd_dry_run(const struct topo *t, const struct options *o)
{
	const struct topo_info *ti = topo_get_info(t);
	struct suite suite = {0};
	int cpu, jobs, rc = EXIT_OK;
	if (suite_load(&suite, o, ti->usable_cores) < 0 || effective_settings(t, o, &cpu, &jobs) < 0) {
		suite_free(&suite);
		return EXIT_BAD_INPUT;
	}
	int nentries;
	struct entry_opt *entries = cli_entries(o, &nentries);
	fputs("workload\ttasks", stdout);
	for (int m = 0; m < nentries; m++) {
		printf("\t%s", mode_name(entries[m].mode));
		if (entries[m].mode == MODE_PARALLEL && o->jobs_sweep.n > 1)
			printf("/j%d", entries[m].jobs);
		if (o->nexecutors > 1)	/* named as the report names entries */
			printf("/%s", executor_name(entries[m].executor));
	}
	putchar('\n');
	/* a plan is a pure function of the task count: workloads of the same
	 * size (160,000 one-task workloads) share the line's mode cells */
	char (*cells)[8192 + 32] = xcalloc((size_t)nentries, sizeof(*cells));
	int cells_for = -1;
	char *source = NULL;	/* the limit that capped a cell, or NULL */
	long bound = 0;
	for (int i = 0; i < suite.nworkloads && rc == EXIT_OK; i++) {
		const struct workload *w = &suite.workloads[i];
		for (int m = 0; m < nentries && w->ntasks != cells_for; m++) {
			struct plan p;
			struct plan_opts po = cli_entry_plan(o, &entries[m]);
			if (plan_build(t, entries[m].mode, &po, w->ntasks, &p) < 0) {
				rc = EXIT_BAD_INPUT;
				break;
			}
			struct intlist pus = {0};
			for (int k = 0; k < p.nslots; k++)
				for (int j = 0; j < p.slots[k].pus.n; j++)
					intlist_push(&pus, p.slots[k].pus.v[j]);
			intlist_sort_unique(&pus);
			char cpus[8192];
			cpulist_format(pus.v, pus.n, cpus, sizeof(cpus));
			char *why;
			long n = admit_cap(p.max_in_flight, &why);
			if (why) {
				free(source);
				source = why;
				bound = n;
			}
			snprintf(cells[m], sizeof(cells[m]), "%ld on %s", n, cpus);
			intlist_free(&pus);
			plan_free(&p);
		}
		if (rc != EXIT_OK)
			break;
		cells_for = w->ntasks;
		put_name(w->name);
		printf("\t%d", w->ntasks);
		for (int m = 0; m < nentries; m++)
			printf("\t%s", cells[m]);
		putchar('\n');
	}
	if (rc == EXIT_OK && source)
		warning("at most %ld tasks would be in flight at once: the room left by %s, less a margin "
			"(--max-in-flight N chooses fewer)", bound, source);
	free(source);
	free(cells);
	free(entries);
	suite_free(&suite);
	return rc == EXIT_OK ? finish_stdout() : rc;
}

static int cmd_run(const struct topo *t, const struct options *o)
{
	if (o->dry_run)
		return cmd_dry_run(t, o);
	const struct topo_info *ti = topo_get_info(t);
	if (!ti->is_this_system)
		return error("cannot run on a simulated topology (HWLOC_SYNTHETIC or HWLOC_XMLFILE is "
			     "set): use 'tribench plan'"),
		       EXIT_BAD_INPUT;
	/* what other ranks would not carry back to rank 0, or cannot place */
	if (app_cluster && (o->sched.results_dir || o->sample_tasks))
		return error("%s is not supported by tribench-mpi (the other ranks' %s would not reach "
			     "the report)", o->sched.results_dir ? "--results" : "--sample-tasks",
			     o->sched.results_dir ? "task output" : "state traces"),
		       EXIT_BAD_INPUT;
	if (app_cluster && o->plan.policy.kind == POLICY_LIST)
		return error("--policy list: is not supported by tribench-mpi (each rank places its own "
			     "slots on its share of its host: use --jobs, --cpus-per-task and spread, "
			     "compact or pus)"),
		       EXIT_BAD_INPUT;
	/* under mpirun a rank's stdout is a pty whatever mpirun's own is: the
	 * "report to stdout unless it is a terminal" rule would drop it */
	if (app_cluster && !o->output)
		return error("tribench-mpi needs -o FILE (or -o - for stdout): under mpirun every "
			     "rank's stdout looks like a terminal"),
		       EXIT_BAD_INPUT;
	if (preflight_run(o) < 0)
		return EXIT_RUNTIME;
	struct suite suite = {0};
	struct report r = {0};
	struct output out = {.fd = -1};
	struct sched s;
	struct host_facts host;
	int rc = EXIT_BAD_INPUT, cpu, jobs;
	if (suite_load(&suite, o, ti->usable_cores) < 0 || effective_settings(t, o, &cpu, &jobs) < 0) {
		suite_free(&suite);
		return EXIT_BAD_INPUT;
	}
	/* the task records go to the spool: without one nothing can run */
	r.spool = xmalloc(sizeof(*r.spool));
	if (spool_open(r.spool) < 0) {
		free(r.spool);
		suite_free(&suite);
		return EXIT_RUNTIME;
	}
	/* signals are ours and the watchdog runs before the temporary exists:
	 * however tribench ends from here on, it does not stay behind */
	struct sched_opts so = o->sched;
	so.sample_ms = o->sample_ms;
	so.sample_tasks = o->sample_tasks;
	int init = sched_init(&s, &ti->usable, &so, true);
	if (init < 0 || output_open(&out, o->output, isatty(STDOUT_FILENO)) < 0) {
		rc = init == -2 ? EXIT_BAD_INPUT : out.signal ? EXIT_SIGNAL_BASE + out.signal : EXIT_RUNTIME;
		goto out;
	}
	s.o.report_on_stdout = output_on_stdout(&out);
	watchdog_set_file(&s.wd, out.tmp);
	if (app_cluster)
		s.rank = app_cluster->rank;
	struct progress progress;
	progress_init(&progress, !o->quiet && isatty(STDERR_FILENO), total_tasks(&suite, o));
	s.progress = &progress;
	probe_host(&host, cpu);
	report_begin(&r, o, ti, &host, &s, cpu, jobs);
	struct calibration cal = {0};
	bool calibrated = false;
	if (suite_needs_calibration(&suite)) {
		struct plan serial;
		plan_build(t, MODE_SERIAL, &o->plan, 1, &serial);
		int c = calibrate_cpu(&s, &serial.slots[0], &cal);
		plan_free(&serial);
		if (c < 0) {
			rc = EXIT_RUNTIME;
			goto out;
		}
		calibrated = true;
	}
	r.calibration = json_calibration_text(calibrated ? &cal : NULL);
	/* tribench-mpi: the other ranks get the suite as given, then calibrate
	 * and plan on their own hosts */
	if (app_cluster) {
		int c = app_cluster->setup(app_cluster, &s, t, o, &suite, calibrated ? &cal : NULL);
		if (c < 0) {
			rc = c == -1 ? EXIT_BAD_INPUT : EXIT_RUNTIME;
			goto out;
		}
		s.cluster = app_cluster;
	}
	if (suite_prepare(&suite, &cal) < 0 ||
	    (o->sched.results_dir && resultsdir_create(o->sched.results_dir) < 0)) {
		rc = EXIT_BAD_INPUT;	/* --results last: a rejected run creates nothing */
		goto out;
	}

	/* a runtime error mid-run still leaves a valid report of what ran */
	int ran = runner_run(&r, &s, t, &suite, o);
	if (ran == -1) {	/* the report says it was cut short, and why */
		r.interrupted = true;
		report_add_warning(&r, xasprintf("the benchmark stopped at a runtime error (exit 3): %s",
						 error_last()));
	}
	progress_clear(&progress);
	if (app_cluster) {	/* the ranks' own numbers, and who did not answer */
		char *lost = NULL;
		r.ranks = app_cluster->finish(app_cluster, &s, &lost);
		if (lost) {
			if (!o->quiet)
				warning("%s", lost);
			report_add_warning(&r, lost);
		}
	}
	if (s.spawn_warning) {	/* set at start or when the launcher died mid-run */
		if (!o->quiet)
			warning("%s", s.spawn_warning);
		report_add_warning(&r, xstrdup(s.spawn_warning));
	}
	char *eagain = s.eagain_retries ? xasprintf("%ld task launches were refused by the kernel "
		"(clone: EAGAIN, a process limit: RLIMIT_NPROC, pids.max or pid_max) and tried again "
		"later: fewer tasks were in flight than the plan admits", s.eagain_retries) : NULL;
	const char *said[] = {
		s.admit_warning,	/* a process limit capped the tasks in flight */
		s.runner_warning,	/* a helper's CPU time could not be read */
		eagain,			/* a process limit refused launches */
	};
	for (size_t i = 0; i < ARRAY_SIZE(said); i++)
		if (said[i]) {
			if (!o->quiet)
				warning("%s", said[i]);
			report_add_warning(&r, xstrdup(said[i]));
		}
	free(eagain);
	report_summarise(&r);
	warnings_collect(&r, &host, o->quiet);
	rc = failures_print(&r) || r.hook_failure ? EXIT_TASK_FAILED : EXIT_OK;
	if (ran < 0)	/* -2: a program not in PATH after --setup */
		rc = ran == -2 ? EXIT_BAD_INPUT : EXIT_RUNTIME;
	if (!o->quiet)
		table_print(out.to_stdout || out.to_stdout_too ? stderr : stdout, &r);
	out.signal = r.interrupted ? s.signal : 0;	/* no endless wait on a reader then */
	if (report_write(&r, o, &out) < 0)
		rc = out.stream_stopped || out.signal ? EXIT_SIGNAL_BASE + out.signal : EXIT_RUNTIME;
	watchdog_set_file(&s.wd, NULL);
	if (r.interrupted && s.signal && rc != EXIT_RUNTIME)
		rc = EXIT_SIGNAL_BASE + s.signal;
out:
	output_abort(&out);
	sched_fini(&s);
	report_free(&r);
	suite_free(&suite);
	return rc;
}

int tribench_main(int argc, char **argv)
{
	struct options o;
	int rc;
	signal(SIGPIPE, SIG_IGN);	/* a closed stdout is an EPIPE we can handle */
	/* a command with its own parser (compare, export, help, completion) gets
	 * argv from its name on; run, plan, topology and list share cli_parse */
	const struct command_def *c = argc > 1 ? command_find(argv[1]) : NULL;
	if (c && c->fn)
		return c->fn(argc - 1, argv + 1);
	if (cli_parse(argc, argv, &o) < 0) {
		cli_free(&o);
		return EXIT_BAD_INPUT;
	}
	if (o.cmd == CMD_HELP || o.cmd == CMD_VERSION || o.cmd == CMD_LIST) {
		if (o.cmd == CMD_HELP && o.cmd_name)
			command_find(o.cmd_name)->usage(stdout);
		else if (o.cmd == CMD_HELP)
			command_help_all(stdout);
		else if (o.cmd == CMD_VERSION)
			printf("tribench %s\n", PACKAGE_VERSION);
		else
			table_list_kinds(stdout);
		cli_free(&o);
		return finish_stdout();
	}
	struct topo *t;
	if (topo_load(&t) < 0) {
		cli_free(&o);
		return EXIT_RUNTIME;
	}
	if (o.cmd == CMD_TOPOLOGY)
		rc = cmd_topology(t);
	else if (o.cmd == CMD_PLAN)
		rc = cmd_plan(t, &o);
	else
		rc = cmd_run(t, &o);
	topo_free(t);
	cli_free(&o);
	return rc;
}
