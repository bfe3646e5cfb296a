/* Suites: named workloads of task specs, from -t, a taskfile or the built-in set. */
#include "config.h"
#include "suite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct workload *suite_workload(struct suite *s, const char *name)
{
	for (int i = 0; i < s->nworkloads; i++)
		if (!strcmp(s->workloads[i].name, name))
			return &s->workloads[i];
	s->workloads = xrealloc(s->workloads, (size_t)(s->nworkloads + 1) * sizeof(*s->workloads));
	struct workload *w = &s->workloads[s->nworkloads++];
	memset(w, 0, sizeof(*w));
	w->name = xstrdup(name);
	return w;
}

const struct task_spec *workload_task(const struct workload *w, int id)
{
	return &w->tasks[id];
}

int workload_add(struct workload *w, const struct task_spec *spec, uint64_t count)
{
	if (count < 1 || count > SUITE_MAX_COUNT)
		return error("%s: count=%llu is out of range 1..%d", spec->kind->name,
			     (unsigned long long)count, SUITE_MAX_COUNT);
	if (spec->kind->validate && spec->kind->validate(spec) < 0)
		return -1;
	if ((uint64_t)w->ntasks + count > SUITE_MAX_TASKS)
		return error("workload '%s' has more than %d tasks", w->name, SUITE_MAX_TASKS);
	w->tasks = xrealloc(w->tasks, (size_t)(w->ntasks + (int)count) * sizeof(*w->tasks));
	for (uint64_t i = 0; i < count; i++)
		task_spec_copy(&w->tasks[w->ntasks++], spec);
	return 0;
}

/* One "key=value" of a -t spec; count is the suite's, the rest the kind's. */
static int spec_pair(struct task_spec *spec, char *pair, uint64_t *count, bool *count_seen)
{
	char *eq = strchr(pair, '=');
	if (!eq || eq == pair)
		return error("%s: expected key=value, got '%s'", spec->kind->name, pair);
	*eq = '\0';
	const char *key = pair, *value = eq + 1;
	if (strcmp(key, "count"))
		return task_spec_set_text(spec, key, value);
	if (*count_seen)
		return error("%s: parameter 'count' given twice", spec->kind->name);
	*count_seen = true;
	if (parse_u64(value, count) < 0)
		return error("%s: count='%s' is not a whole number", spec->kind->name, value);
	return 0;
}

int suite_add_spec_text(struct suite *s, const char *workload, const char *text)
{
	char *copy = xstrdup(text), *params = strchr(copy, ':');
	struct task_spec spec = {0};
	uint64_t count = 1;
	bool count_seen = false;
	int rc = 0;
	if (params)
		*params++ = '\0';
	spec.kind = task_kind_find(copy);
	if (!spec.kind) {
		rc = error("unknown task kind '%s' in '%s' (see 'tribench list')", copy, text);
		goto out;
	}
	if (params) {
		if (!*params) {
			rc = error("%s: empty parameter list in '%s'", copy, text);
			goto out;
		}
		char *save = NULL;
		for (char *tok = params;; tok = NULL) {
			char *pair = strtok_r(tok, ",", &save);
			if (!pair)
				break;
			if ((rc = spec_pair(&spec, pair, &count, &count_seen)) < 0)
				goto out;
		}
		/* strtok_r skips empty fields; "a=1,,b=2" and a trailing comma are typos */
		if (strstr(text, ",,") || text[strlen(text) - 1] == ',' || strstr(text, ":,")) {
			rc = error("%s: empty parameter in '%s'", copy, text);
			goto out;
		}
	}
	rc = workload_add(suite_workload(s, workload), &spec, count);
out:
	task_spec_free(&spec);
	free(copy);
	return rc;
}

int suite_add_command(struct suite *s, const char *workload, char *const *argv, int argc, int count)
{
	struct task_spec spec = {.kind = task_kind_find("cmd")};
	int rc = task_spec_set_argv(&spec, (const char *const *)argv, argc);
	if (rc == 0)
		rc = workload_add(suite_workload(s, workload), &spec, (uint64_t)count);
	task_spec_free(&spec);
	return rc;
}

#define COMMAND_LINE_MAX (128 * 1024)

/* One line of a --commands file: a cmd task with the line as its shell text. */
static int add_command_line(struct workload *w, const char *line, const char *path, long lineno)
{
	struct task_spec spec = {.kind = task_kind_find("cmd")};
	error_set_context("--commands '%s' line %ld", path, lineno);
	int rc = task_spec_set_str(&spec, "shell", line);
	if (rc == 0)
		rc = workload_add(w, &spec, 1);
	error_clear_context();
	task_spec_free(&spec);
	return rc;
}

int suite_add_commands_file(struct suite *s, const char *workload, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return error("cannot read --commands '%s': %s", path, strerror(errno));
	struct workload *w = suite_workload(s, workload);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = 0, added = 0;
	while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (memchr(line, '\0', (size_t)len))
			rc = error("--commands '%s' line %ld: contains a NUL byte", path, lineno);
		else if (len > COMMAND_LINE_MAX)
			rc = error("--commands '%s' line %ld: longer than %d KiB", path, lineno,
				   COMMAND_LINE_MAX / 1024);
		else {
			line[strcspn(line, "\r\n")] = '\0';
			if (line[strspn(line, " \t")]) {
				rc = add_command_line(w, line, path, lineno);
				added++;
			}
		}
	}
	if (rc == 0 && ferror(f))
		rc = error("cannot read --commands '%s': %s", path, strerror(errno));
	if (rc == 0 && !added)
		rc = error("--commands '%s' has no command", path);
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

static void builtin_add(struct suite *s, const char *workload, const char *text)
{
	if (suite_add_spec_text(s, workload, text) < 0)
		die("built-in suite: bad spec '%s'", text);
}

/*
 * The lesson on the first screen: CPU-bound work gains only from parallelism,
 * IO-bound work from concurrency too, mixed work from both. Sized so the whole
 * suite takes 10-15 s with 5 runs on 2 cores and no longer on bigger machines.
 */
void suite_builtin(struct suite *s, int usable_cores)
{
	int c = usable_cores < 1 ? 1 : usable_cores;
	int cpu_ms = 160 / c > 10 ? 160 / c : 10;
	int io_ms = 60 / c > 5 ? 60 / c : 5;
	int rounds = 8 / c > 1 ? 8 / c : 1;
	char text[128];
	snprintf(text, sizeof(text), "cpu:ms=%d,count=%d", cpu_ms, 2 * c);
	builtin_add(s, "cpu", text);
	snprintf(text, sizeof(text), "sleep:ms=%d,count=%d", io_ms, 4 * c);
	builtin_add(s, "io", text);
	snprintf(text, sizeof(text), "mix:cpu_ms=10,io_ms=10,rounds=%d,count=%d", rounds, 2 * c);
	builtin_add(s, "mixed", text);
}

bool suite_needs_calibration(const struct suite *s)
{
	for (int i = 0; i < s->nworkloads; i++)
		for (int t = 0; t < s->workloads[i].ntasks; t++) {
			const struct task_spec *spec = &s->workloads[i].tasks[t];
			if (spec->kind->needs_calibration && spec->kind->needs_calibration(spec))
				return true;
		}
	return false;
}

int suite_prepare(struct suite *s, const struct calibration *cal)
{
	for (int i = 0; i < s->nworkloads; i++)
		for (int t = 0; t < s->workloads[i].ntasks; t++) {
			struct task_spec *spec = &s->workloads[i].tasks[t];
			if (spec->kind->prepare(spec, cal) < 0)
				return -1;
		}
	return 0;
}

void suite_free(struct suite *s)
{
	for (int i = 0; i < s->nworkloads; i++) {
		struct workload *w = &s->workloads[i];
		for (int t = 0; t < w->ntasks; t++)
			task_spec_free(&w->tasks[t]);
		free(w->tasks);
		free(w->name);
	}
	free(s->workloads);
	memset(s, 0, sizeof(*s));
}
