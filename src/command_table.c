/* The command table: every command's name, summary, function, help and
 * options in one place, so that dispatch, `--help`, `help CMD` and the bash
 * completion (`tribench completion bash`) cannot disagree. The option names
 * are the parsers' own getopt tables; the value sets name the parsers' own
 * lists where they have one (tests/e2e/help.bats checks the rest). */
#include "config.h"
#include "command_table.h"

#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "tasks/task.h"
#include "textout.h"
#include "util.h"

static const char *const modes_words = "serial concurrent parallel";
static const char *const policy_words = "spread compact pus list:";
static const char *const runs_words = "auto";
static const char *const task_output_words = "null inherit";
static const char *const halt_words = "soon now soon,fail=1 now,fail=1";
static const char *const containment_words = "auto cgroup pgroup";
static const char *const detail_words = "task run mode";

/* `tribench plan`'s options are run's, filtered by the accepts string. */
static const struct option_values run_values[] = {
	{"task", VALUE_TASK_KINDS, NULL},
	{"name", VALUE_FREE, NULL},
	{"taskfile", VALUE_FILE, NULL},
	{"modes", VALUE_WORDS, &modes_words},
	{"jobs", VALUE_FREE, NULL},
	{"policy", VALUE_WORDS, &policy_words},
	{"cpu", VALUE_FREE, NULL},
	{"runs", VALUE_WORDS, &runs_words},
	{"warmup", VALUE_FREE, NULL},
	{"sample-ms", VALUE_FREE, NULL},
	{"count", VALUE_FREE, NULL},
	{"commands", VALUE_FILE, NULL},
	{"task-output", VALUE_WORDS, &task_output_words},
	{"results", VALUE_DIR, NULL},
	{"timeout", VALUE_FREE, NULL},
	{"grace", VALUE_FREE, NULL},
	{"halt", VALUE_WORDS, &halt_words},
	{"meta", VALUE_FREE, NULL},
	{"format", VALUE_WORDS, &export_formats},
	{"containment", VALUE_WORDS, &containment_words},
	{"max-in-flight", VALUE_FREE, NULL},
	{"detail", VALUE_WORDS, &detail_words},
	{"command-name", VALUE_FREE, NULL},
	{"args-file", VALUE_FILE, NULL},
	{"setup", VALUE_FREE, NULL},
	{"prepare", VALUE_FREE, NULL},
	{"cleanup", VALUE_FREE, NULL},
	{"conclude", VALUE_FREE, NULL},
	{"max-time", VALUE_FREE, NULL},
	{"level", VALUE_WORDS, &detail_words},
	{"output", VALUE_FILE, NULL},
	{0},
};

static const struct option_values compare_values[] = {
	{"threshold", VALUE_FREE, NULL},
	{"alpha", VALUE_FREE, NULL},
	{"format", VALUE_WORDS, &compare_formats},
	{0},
};

static const struct option_values export_values[] = {
	{"format", VALUE_WORDS, &export_formats},
	{"level", VALUE_WORDS, &detail_words},
	{"output", VALUE_FILE, NULL},
	{0},
};

static const struct option_values no_values[] = {{0}};

/* help and completion take --help alone. */
static const struct option help_only_options[] = {
	{"help", no_argument, NULL, 'h'},
	{0},
};
static const char *const help_only_shortopts = ":h";

static void help_usage(FILE *f);
static void completion_usage(FILE *f);

const struct command_def command_table[] = {
	{"run", "run a suite three ways (the default command) and report JSON", CMD_RUN, NULL,
	 cli_usage, cli_long_options, &cli_shortopts, NULL, run_values, OPERANDS_NONE, NULL},
	{"plan", "print the placement plans as JSON, run nothing", CMD_PLAN, NULL, plan_usage,
	 cli_long_options, &cli_shortopts, "mjpCIU", run_values, OPERANDS_NONE, NULL},
	{"topology", "what hwloc sees and the usable CPUs, as JSON", CMD_TOPOLOGY, NULL,
	 topology_usage, cli_long_options, &cli_shortopts, "", no_values, OPERANDS_NONE, NULL},
	{"list", "the task kinds and their parameters", CMD_LIST, NULL, list_usage,
	 cli_long_options, &cli_shortopts, "", no_values, OPERANDS_NONE, NULL},
	{"compare", "compare two reports: median walls, speedup, Mann-Whitney U", CMD_RUN,
	 cmd_compare, compare_usage, compare_long_options, &compare_shortopts, NULL, compare_values,
	 OPERANDS_JSON_FILES, NULL},
	{"export", "a report as csv, markdown, gab, bmf, trace or hyperfine JSON", CMD_RUN, cmd_export, export_usage,
	 export_long_options, &export_shortopts, NULL, export_values, OPERANDS_JSON_FILES, NULL},
	{"help", "a command's help: tribench help COMMAND", CMD_HELP, cmd_help, help_usage,
	 help_only_options, &help_only_shortopts, NULL, no_values, OPERANDS_COMMANDS, NULL},
	{"completion", "print the bash completion script", CMD_RUN, cmd_completion,
	 completion_usage, help_only_options, &help_only_shortopts, NULL, no_values, OPERANDS_WORDS,
	 "bash"},
};
const int command_count = (int)ARRAY_SIZE(command_table);

const struct command_def *command_find(const char *name)
{
	for (int i = 0; i < command_count; i++)
		if (!strcmp(name, command_table[i].name))
			return &command_table[i];
	return NULL;
}

int command_accepts(const struct command_def *c, int val)
{
	return !c->accepts || val == 'h' || (val > 0 && val < 256 && strchr(c->accepts, val));
}

const char *command_names(void)
{
	static char names[256];
	if (!names[0])
		for (int i = 0; i < command_count; i++) {
			if (i)
				strcat(names, ", ");
			strcat(names, command_table[i].name);
		}
	return names;
}

void plan_usage(FILE *f)
{
	fputs("Usage: tribench plan [OPTIONS]\n"
	      "\n"
	      "Print the placement plan of each mode entry as JSON ({\"topology\", \"modes\":\n"
	      "[{\"mode\", \"jobs\", \"plan\"}]}) without running anything; with HWLOC_SYNTHETIC\n"
	      "set, for a machine you do not have. To check a suite and see its workloads'\n"
	      "plans: run --dry-run.\n"
	      "\n"
	      "  -m, --modes LIST      serial,concurrent,parallel (default: all three)\n"
	      "  -j, --jobs N|LIST     parallel slots (default: usable cores / --cpus-per-task,\n"
	      "                        at least 1); a sweep such as 1,2,4 or 1..4 shows\n"
	      "                        one parallel plan per size\n"
	      "      --cpus-per-task K each slot a set of K PUs placed by the policy\n"
	      "  -p, --policy P        parallel placement: spread (default), compact, pus,\n"
	      "                        or list:CPUS in taskset syntax, e.g. list:0,2-3\n"
	      "      --cpu N           OS CPU for serial and concurrent (default: first usable)\n"
	      "      --max-in-flight N at most N tasks at once, any mode\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "Exit status: 0 success, 2 bad input, 3 runtime error.\n",
	      f);
}

void topology_usage(FILE *f)
{
	fputs("Usage: tribench topology\n"
	      "\n"
	      "Print what hwloc sees (packages, NUMA nodes, cores, PUs) and the usable PUs\n"
	      "as JSON.\n"
	      "\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "Exit status: 0 success, 2 bad input, 3 runtime error.\n",
	      f);
}

void list_usage(FILE *f)
{
	fputs("Usage: tribench list\n"
	      "\n"
	      "List the task kinds of -t KIND[:key=value,...] and their parameters.\n"
	      "\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "Exit status: 0 success, 2 bad input.\n",
	      f);
}

static void help_usage(FILE *f)
{
	fputs("Usage: tribench help [COMMAND]\n"
	      "\n"
	      "Print COMMAND's help (as tribench COMMAND --help does), or without one the\n"
	      "list of commands and run's options (as tribench --help does).\n"
	      "\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "Exit status: 0 success, 2 an unknown command.\n",
	      f);
}

static void completion_usage(FILE *f)
{
	fputs("Usage: tribench completion bash\n"
	      "\n"
	      "Print the bash completion script, made from tribench's own command table:\n"
	      "commands, each command's options and the values they accept. make install\n"
	      "installs it; to try it in a shell: source <(tribench completion bash)\n"
	      "\n"
	      "  -h, --help            this help\n"
	      "\n"
	      "Exit status: 0 success, 2 bad input.\n",
	      f);
}

void command_help_all(FILE *f)
{
	fputs("Usage: tribench [COMMAND] [OPTIONS]\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (int i = 0; i < command_count; i++)
		fprintf(f, "  %-12s%s\n", command_table[i].name, command_table[i].summary);
	fputs("\n'tribench COMMAND --help' or 'tribench help COMMAND': a command's options.\n"
	      "\n",
	      f);
	cli_usage(f);
}

/* Options of a help-only command (help, completion): --help, then operands. */
int option_error(int c, char **argv, const struct option *longopts, const char *cmd_name)
{
	const char *arg = argv[optind - 1];
	if (strncmp(arg, "--", 2)) {	/* a short option, maybe in a cluster: getopt names it */
		if (c == ':')
			return error("option '-%c' needs a value", optopt);
		return error("unknown option '-%c' for 'tribench %s' (see tribench %s --help)", optopt,
			     cmd_name, cmd_name);
	}
	size_t len = strcspn(arg + 2, "=");
	const struct option *lo = longopts;
	while (lo->name && (strlen(lo->name) != len || strncmp(lo->name, arg + 2, len)))
		lo++;
	if (c == ':')
		return error("option '--%.*s' needs a value", (int)len, arg + 2);
	if (lo->name && lo->has_arg == no_argument && arg[2 + len] == '=')
		return error("option '--%s' takes no value (see tribench %s --help)", lo->name, cmd_name);
	return error("unknown option '--%.*s' for 'tribench %s' (see tribench %s --help)", (int)len,
		     arg + 2, cmd_name, cmd_name);
}

static int parse_help_only(int argc, char **argv, const char *name, int *help)
{
	optind = 1;
	opterr = 0;
	*help = 0;
	int c;
	while ((c = getopt_long(argc, argv, help_only_shortopts, help_only_options, NULL)) != -1) {
		if (c != 'h')
			return option_error(c, argv, help_only_options, name);
		*help = 1;
	}
	return 0;
}

int cmd_help(int argc, char **argv)
{
	int help;
	if (parse_help_only(argc, argv, "help", &help) < 0)
		return EXIT_BAD_INPUT;
	if (help) {
		help_usage(stdout);
		return stdout_finish() < 0 ? EXIT_RUNTIME : EXIT_OK;
	}
	if (argc - optind > 1)
		return error("help takes one command: tribench help COMMAND"), EXIT_BAD_INPUT;
	if (argc - optind == 0) {
		command_help_all(stdout);
		return stdout_finish() < 0 ? EXIT_RUNTIME : EXIT_OK;
	}
	const struct command_def *c = command_find(argv[optind]);
	if (!c)
		return error("unknown command '%s' (%s)", argv[optind], command_names()), EXIT_BAD_INPUT;
	c->usage(stdout);
	return stdout_finish() < 0 ? EXIT_RUNTIME : EXIT_OK;
}

/* The words of a value list, "a, b" and "a b" alike (a comma without a space
 * after it is part of a word: soon,fail=1), space-separated into f. */
static void put_words(FILE *f, const char *words)
{
	const char *sep = "";
	for (const char *p = words; *p;) {
		size_t n = 0;
		while (p[n] && p[n] != ' ' && !(p[n] == ',' && p[n + 1] == ' '))
			n++;
		if (n)
			fprintf(f, "%s%.*s", sep, (int)n, p);
		sep = n ? " " : sep;
		p += n;
		p += strspn(p, ", ");
	}
}

/* The short form of lo in c's parser ("-m"), or NULL. */
static int short_form(const struct command_def *c, const struct option *lo)
{
	const char *s = *c->shortopts;
	return lo->val > 0 && lo->val < 128 && lo->val != ':' && lo->val != '+' && strchr(s, lo->val)
		       ? lo->val
		       : 0;
}

static const struct option_values *values_of(const struct command_def *c, const char *option)
{
	for (const struct option_values *v = c->values; v->option; v++)
		if (!strcmp(v->option, option))
			return v;
	return NULL;
}

/* "-m | --modes" into f: the option's spellings in c's parser. */
static void put_option(FILE *f, const struct command_def *c, const struct option *lo)
{
	int s = short_form(c, lo);
	if (s)
		fprintf(f, "-%c | ", s);
	fprintf(f, "--%s", lo->name);
}

/* One command's `case $cmd` branch: what follows each option, then its options. */
static void completion_command(FILE *f, const struct command_def *c)
{
	fprintf(f, "\t%s)\n\t\tcase $prev in\n", c->name);
	int nfree = 0;
	for (const struct option *lo = c->options; lo->name; lo++) {
		if (lo->has_arg == no_argument || !command_accepts(c, lo->val))
			continue;
		const struct option_values *v = values_of(c, lo->name);
		if (!v || v->kind == VALUE_FREE) {
			nfree++;
			continue;
		}
		fputs("\t\t", f);
		put_option(f, c, lo);
		fputs(")\n\t\t\t", f);
		switch (v->kind) {
		case VALUE_FREE:
			break;
		case VALUE_WORDS:
			fputs("COMPREPLY=($(compgen -W \"", f);
			put_words(f, *v->words);
			fputs("\" -- \"$cur\"))", f);
			if (strpbrk(*v->words, ":="))
				fputs("\n\t\t\t[[ $COMPREPLY == *[:=] ]] && compopt -o nospace", f);
			break;
		case VALUE_TASK_KINDS:
			fputs("COMPREPLY=($(compgen -W \"", f);
			for (int k = 0; k < task_kind_count; k++)
				fprintf(f, "%s%s:", k ? " " : "", task_kinds[k]->name);
			fputs("\" -- \"$cur\"))\n\t\t\tcompopt -o nospace", f);
			break;
		case VALUE_FILE:
			fputs("_filedir", f);
			break;
		case VALUE_DIR:
			fputs("_filedir -d", f);
			break;
		}
		fputs("\n\t\t\treturn ;;\n", f);
	}
	if (nfree) {	/* a number, a name, a shell line: nothing to offer */
		fputs("\t\t", f);
		int first = 1;
		for (const struct option *lo = c->options; lo->name; lo++) {
			const struct option_values *v = values_of(c, lo->name);
			if (lo->has_arg == no_argument || !command_accepts(c, lo->val) ||
			    (v && v->kind != VALUE_FREE))
				continue;
			fputs(first ? "" : " | ", f);
			put_option(f, c, lo);
			first = 0;
		}
		fputs(")\n\t\t\treturn ;;\n", f);
	}
	fputs("\t\tesac\n\t\topts=\"", f);
	int first = 1;
	for (const struct option *lo = c->options; lo->name; lo++)
		if (command_accepts(c, lo->val)) {
			fprintf(f, "%s--%s", first ? "" : " ", lo->name);
			first = 0;
		}
	fputs("\"\n\t\t;;\n", f);
}

/* Operands: what a word that is no option completes to. */
static void completion_operands(FILE *f)
{
	fputs("\tcase $cmd in\n", f);
	for (int i = 0; i < command_count; i++) {
		const struct command_def *c = &command_table[i];
		switch (c->operands) {
		case OPERANDS_NONE:
			break;
		case OPERANDS_JSON_FILES:
			fprintf(f, "\t%s) _filedir json ;;\n", c->name);
			break;
		case OPERANDS_COMMANDS:
			fprintf(f, "\t%s) COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\")) ;;\n", c->name);
			break;
		case OPERANDS_WORDS:
			fprintf(f, "\t%s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")) ;;\n", c->name,
				c->operand_words);
			break;
		}
	}
	fputs("\tesac\n", f);
}

static void completion_bash(FILE *f)
{
	fputs("# bash completion for tribench, printed by `tribench completion bash` from its\n"
	      "# command table (src/command_table.c); installed as\n"
	      "# $datadir/bash-completion/completions/tribench. Generated: do not edit.\n"
	      "_tribench() {\n"
	      "\tlocal cur prev words cword cmd=run i opts\n"
	      "\t_init_completion || return\n"
	      "\tlocal commands=\"",
	      f);
	for (int i = 0; i < command_count; i++)
		fprintf(f, "%s%s", i ? " " : "", command_table[i].name);
	fputs("\"\n"
	      "\t# the command is the first word; without one it is run\n"
	      "\tif ((cword > 1)) && [[ \" $commands \" == *\" ${words[1]} \"* ]]; then\n"
	      "\t\tcmd=${words[1]}\n"
	      "\tfi\n"
	      "\tfor ((i = 1; i < cword; i++)); do\n"
	      "\t\t# a command line or its inputs follow: bash's own completion is better\n"
	      "\t\t[[ ${words[i]} == -- || ${words[i]} == ::: ]] && return\n"
	      "\tdone\n"
	      "\tcase $cmd in\n",
	      f);
	for (int i = 0; i < command_count; i++)
		completion_command(f, &command_table[i]);
	fputs("\tesac\n"
	      "\tif [[ $cur == -* ]]; then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tif ((cword == 1)); then\n"
	      "\t\tCOMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
	      "\t\treturn\n"
	      "\tfi\n",
	      f);
	completion_operands(f);
	fputs("}\ncomplete -F _tribench tribench\n", f);
}

int cmd_completion(int argc, char **argv)
{
	int help;
	if (parse_help_only(argc, argv, "completion", &help) < 0)
		return EXIT_BAD_INPUT;
	if (help) {
		completion_usage(stdout);
		return stdout_finish() < 0 ? EXIT_RUNTIME : EXIT_OK;
	}
	if (argc - optind != 1 || strcmp(argv[optind], "bash"))
		return error("completion needs a shell: tribench completion bash (the only one)"),
		       EXIT_BAD_INPUT;
	completion_bash(stdout);
	return stdout_finish() < 0 ? EXIT_RUNTIME : EXIT_OK;
}
