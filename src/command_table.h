#ifndef TRIBENCH_COMMAND_TABLE_H
#define TRIBENCH_COMMAND_TABLE_H

#include <getopt.h>
#include <stdio.h>

#include "cli.h"

/* What completes after an option that takes a value. */
enum value_kind {
	VALUE_FREE,       /* a number, name or shell line: nothing to offer */
	VALUE_WORDS,      /* one of *words (split at ", " or " "); may be a prefix ending in ':' */
	VALUE_TASK_KINDS, /* "KIND:" for every task kind (src/tasks/task.h) */
	VALUE_FILE,       /* a file name */
	VALUE_DIR,        /* a directory name */
};

struct option_values {
	const char *option;        /* long name without "--" */
	enum value_kind kind;
	const char *const *words;  /* VALUE_WORDS: the parser's own list where it has one */
};

/* What completes for a command's operands (its non-option arguments). */
enum operand_kind { OPERANDS_NONE, OPERANDS_JSON_FILES, OPERANDS_COMMANDS, OPERANDS_WORDS };

/* One command: the single source of dispatch, help and completion. */
struct command_def {
	const char *name;
	const char *summary;               /* one line for `tribench --help` */
	enum command cmd;                  /* what cli_parse sets (fn == NULL) */
	int (*fn)(int argc, char **argv);  /* argv[0] is the command name; NULL: main's
	                                      cli_parse path (run, plan, topology, list) */
	void (*usage)(FILE *f);            /* its --help text */
	const struct option *options;      /* the getopt table its parser uses */
	const char *const *shortopts;      /* that parser's getopt optstring */
	const char *accepts;               /* option values (getopt's val) it accepts of
	                                      options; NULL: all; --help always */
	const struct option_values *values;/* per option that takes a value; ends with {0} */
	enum operand_kind operands;
	const char *operand_words;         /* OPERANDS_WORDS: space-separated */
};

extern const struct command_def command_table[];
extern const int command_count;

/*
 * The one error line for what getopt_long returned as c, '?' or ':', for
 * the option in argv[optind - 1] of `tribench cmd_name` parsed with
 * longopts: "option '--jobs' needs a value", "option '--dry-run' takes no
 * value" (--dry-run=x), "unknown option '--foo'", "unknown option '-x'".
 * Returns -1 (printed).
 */
int option_error(int c, char **argv, const struct option *longopts, const char *cmd_name);

/* The command named name, or NULL. */
const struct command_def *command_find(const char *name);

/* Does c accept the option whose getopt val is val? --help always. */
int command_accepts(const struct command_def *c, int val);

/* "run, plan, ...": every command's name, for error messages (a static buffer). */
const char *command_names(void);

/* `tribench --help`: every command with its summary, then run's options. */
void command_help_all(FILE *f);

/* `tribench help [CMD]`: CMD's help on stdout, exit 0; an unknown CMD exits 2. */
int cmd_help(int argc, char **argv);

/* `tribench completion bash`: the bash completion script, made from the table. */
int cmd_completion(int argc, char **argv);

/* The --help text of plan, topology and list (run's is cli_usage). */
void plan_usage(FILE *f);
void topology_usage(FILE *f);
void list_usage(FILE *f);

#endif
