#ifndef TRIBENCH_TASK_H
#define TRIBENCH_TASK_H

#include <stdbool.h>
#include <stdint.h>

#define TASK_MAX_PARAMS 6
/* Counts and integer parameters stay below 2^53: JSON numbers are doubles. */
#define TASK_U64_MAX ((uint64_t)1 << 53)

enum param_type { PARAM_U64, PARAM_STR };

struct task_param {
	const char *name;
	enum param_type type;
	uint64_t min, max;        /* PARAM_U64 range, inclusive */
	const char *help;
	bool derived;             /* filled in by prepare(); not settable */
	const char *metavar;      /* PARAM_STR: what the value is, for `tribench list` */
};

struct calibration {
	double ops_per_ms;        /* 0: not calibrated */
	int pu;
	double runs[3];
};

struct task_spec;
struct task_ctx;

/* A task kind: one file in src/tasks/, listed in registry.c. */
struct task_kind {
	const char *name;
	const char *summary;
	const struct task_param *params;
	int nparams;
	/* Does prepare() need the calibrated cpu kernel speed? */
	bool (*needs_calibration)(const struct task_spec *s);
	/* Check a spec as given (combinations of parameters), before anything runs;
	 * 0 or -1 (error printed). NULL: nothing to check. */
	int (*validate)(const struct task_spec *s);
	/* Fill defaults and derived values; 0 or -1 (error printed). */
	int (*prepare)(struct task_spec *s, const struct calibration *cal);
	/* Runs the task, bound, under an executor: in its own child process, a
	 * thread of a worker or a coroutine on a loop (tasks/ctx.h); waits and
	 * IO go through ctx, and kernels check task_stop_requested(ctx) at least
	 * every 1 ms of work. Returns its exit code. NULL for kinds that exec
	 * spec->argv instead (launched without copying memory): those run as
	 * processes only. */
	int (*run)(const struct task_spec *s, struct task_ctx *ctx);
};

struct task_spec {
	const struct task_kind *kind;
	unsigned has;             /* bit i: params[i] has a value */
	uint64_t num[TASK_MAX_PARAMS];
	char *str[TASK_MAX_PARAMS];
	char **argv;              /* cmd: what to exec, NULL-terminated */
	char *path;               /* cmd: argv[0] found through PATH, NULL: not found */
	bool slot_placeholder;    /* cmd: argv and path hold {%}, filled in at each launch */
	char **env;               /* cmd: a line's leading NAME=value words, NULL-terminated, or NULL */
	char **sh_argv;           /* cmd: {"/bin/sh", path, argv[1..]} for an ENOEXEC file (set by prepare) */
};

static inline bool spec_has(const struct task_spec *s, int i)
{
	return s->has & (1u << i);
}

static inline void spec_set_num(struct task_spec *s, int i, uint64_t v)
{
	s->num[i] = v;
	s->has |= 1u << i;
}

extern const struct task_kind *const task_kinds[];
extern const int task_kind_count;
const struct task_kind *task_kind_find(const char *name);

/* Parameter handling shared by the -t parser and the taskfile reader. */
int task_param_index(const struct task_kind *k, const char *name);
int task_spec_set_text(struct task_spec *s, const char *key, const char *value);
int task_spec_set_u64(struct task_spec *s, const char *key, uint64_t v);
int task_spec_set_str(struct task_spec *s, const char *key, const char *v);
/* cmd: the argument vector, copied (argc >= 1, no empty argv[0]). */
int task_spec_set_argv(struct task_spec *s, const char *const *argv, int argc);
void task_spec_copy(struct task_spec *dst, const struct task_spec *src);
void task_spec_free(struct task_spec *s);
/* cmd: an argv task's bare program name (no '/') that PATH does not hold
 * now, owned by s (a shell line's that the shortcut execs directly: valid
 * until the next call); NULL when found, or when s is not such a task (a
 * name with '/' and a line for sh are left to exec). Reads the file system. */
const char *cmd_missing_program(const struct task_spec *s);

/* The deterministic integer kernel: ops rounds of xorshift mixing, returns a checksum. */
uint64_t cpu_kernel(uint64_t ops);
/* The same kernel, checking task_stop_requested(c) every CPU_CHUNK_OPS
 * rounds (about 0.1 ms here; c NULL: never): stops early when asked, with
 * the checksum of the rounds done. */
#define CPU_CHUNK_OPS 4096
uint64_t cpu_kernel_ctx(struct task_ctx *c, uint64_t ops);
/* ms of kernel work, in ops, at the calibrated speed (at least 1). */
uint64_t cpu_ops_for_ms(const struct calibration *cal, uint64_t ms);

#endif
