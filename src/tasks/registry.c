/* The table of task kinds, and parameter handling they all share. */
#include "config.h"
#include "tasks/task.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

extern const struct task_kind task_cpu, task_sleep, task_disk, task_mix, task_mem, task_cmd;

const struct task_kind *const task_kinds[] = {&task_cpu, &task_sleep, &task_disk,
					      &task_mix, &task_mem, &task_cmd};
const int task_kind_count = ARRAY_SIZE(task_kinds);

const struct task_kind *task_kind_find(const char *name)
{
	for (int i = 0; i < task_kind_count; i++)
		if (!strcmp(task_kinds[i]->name, name))
			return task_kinds[i];
	return NULL;
}

int task_param_index(const struct task_kind *k, const char *name)
{
	for (int i = 0; i < k->nparams; i++)
		if (!k->params[i].derived && !strcmp(k->params[i].name, name))
			return i;
	return -1;
}

static int param_lookup(struct task_spec *s, const char *key, enum param_type type)
{
	int i = task_param_index(s->kind, key);
	if (i < 0)
		return error("%s: unknown parameter '%s' (see 'tribench list')", s->kind->name, key);
	if (spec_has(s, i))
		return error("%s: parameter '%s' given twice", s->kind->name, key);
	if (s->kind->params[i].type != type)
		return error("%s: parameter '%s' must be %s", s->kind->name, key,
			     s->kind->params[i].type == PARAM_U64 ? "a whole number" : "a string");
	return i;
}

int task_spec_set_u64(struct task_spec *s, const char *key, uint64_t v)
{
	int i = param_lookup(s, key, PARAM_U64);
	if (i < 0)
		return -1;
	const struct task_param *p = &s->kind->params[i];
	if (v < p->min || v > p->max)
		return error("%s: %s=%llu is out of range %llu..%llu", s->kind->name, key,
			     (unsigned long long)v, (unsigned long long)p->min, (unsigned long long)p->max);
	spec_set_num(s, i, v);
	return 0;
}

int task_spec_set_str(struct task_spec *s, const char *key, const char *v)
{
	int i = param_lookup(s, key, PARAM_STR);
	if (i < 0)
		return -1;
	if (!*v)
		return error("%s: %s= must not be empty", s->kind->name, key);
	s->str[i] = xstrdup(v);
	s->has |= 1u << i;
	return 0;
}

int task_spec_set_text(struct task_spec *s, const char *key, const char *value)
{
	int i = task_param_index(s->kind, key);
	if (i >= 0 && s->kind->params[i].type == PARAM_U64) {
		uint64_t v;
		if (parse_u64(value, &v) < 0)
			return error("%s: %s='%s' is not a whole number", s->kind->name, key, value);
		return task_spec_set_u64(s, key, v);
	}
	return task_spec_set_str(s, key, value);
}

static char **argv_copy(const char *const *argv, int argc)
{
	char **copy = xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 0; i < argc; i++)
		copy[i] = xstrdup(argv[i]);
	return copy;
}

static int argv_count(char *const *argv)
{
	int n = 0;
	while (argv && argv[n])
		n++;
	return n;
}

int task_spec_set_argv(struct task_spec *s, const char *const *argv, int argc)
{
	if (argc < 1 || !argv[0][0])
		return error("%s: the command is empty", s->kind->name);
	if (s->argv)
		return error("%s: the command is given twice", s->kind->name);
	s->argv = argv_copy(argv, argc);
	return 0;
}

void task_spec_copy(struct task_spec *dst, const struct task_spec *src)
{
	*dst = *src;
	for (int i = 0; i < TASK_MAX_PARAMS; i++)
		if (src->str[i])
			dst->str[i] = xstrdup(src->str[i]);
	if (src->argv)
		dst->argv = argv_copy((const char *const *)src->argv, argv_count(src->argv));
	if (src->path)
		dst->path = xstrdup(src->path);
	if (src->env)
		dst->env = argv_copy((const char *const *)src->env, argv_count(src->env));
	dst->sh_argv = NULL;	/* points into argv: cmd's prepare makes it */
}

void task_spec_free(struct task_spec *s)
{
	for (int i = 0; i < TASK_MAX_PARAMS; i++) {
		free(s->str[i]);
		s->str[i] = NULL;
	}
	for (int i = 0; s->argv && s->argv[i]; i++)
		free(s->argv[i]);
	free(s->argv);
	free(s->path);
	for (int i = 0; s->env && s->env[i]; i++)
		free(s->env[i]);
	free(s->env);
	free(s->sh_argv);
	s->env = s->sh_argv = NULL;
	s->argv = NULL;
	s->path = NULL;
}
