/* Suites: named workloads of task specs, from -t, a taskfile or the built-in set. */
#include "config.h"
#include "suite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* FNV-1a: the index only needs names spread over its slots. */
static uint64_t name_hash(const char *name)
{
	uint64_t h = UINT64_C(14695981039346656037);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	return h;
}

/* The index slot that holds name, or the empty one where it would go. */
static size_t index_slot(const struct suite *s, const char *name)
{
	size_t mask = s->index_size - 1, i = (size_t)name_hash(name) & mask;
	while (s->index[i] && strcmp(s->workloads[s->index[i] - 1].name, name))
		i = (i + 1) & mask;	/* linear probing; at most half full */
	return i;
}

/* Room for one more workload: the array doubles, the index stays at most half full. */
static void suite_grow(struct suite *s)
{
	if (s->nworkloads == s->capworkloads) {
		s->capworkloads = s->capworkloads ? 2 * s->capworkloads : 8;
		s->workloads = xrealloc(s->workloads, (size_t)s->capworkloads * sizeof(*s->workloads));
	}
	if (2 * ((size_t)s->nworkloads + 1) <= s->index_size)
		return;
	free(s->index);
	s->index_size = s->index_size ? 2 * s->index_size : 16;
	s->index = xcalloc(s->index_size, sizeof(*s->index));
	for (int k = 0; k < s->nworkloads; k++)
		s->index[index_slot(s, s->workloads[k].name)] = k + 1;
}

struct workload *suite_find(const struct suite *s, const char *name)
{
	if (!s->index_size)
		return NULL;
	int k = s->index[index_slot(s, name)];
	return k ? &s->workloads[k - 1] : NULL;
}

struct workload *suite_workload(struct suite *s, const char *name)
{
	struct workload *found = suite_find(s, name);
	if (found)
		return found;
	suite_grow(s);
	struct workload *w = &s->workloads[s->nworkloads++];
	memset(w, 0, sizeof(*w));
	w->name = xstrdup(name);
	s->index[index_slot(s, name)] = s->nworkloads;
	return w;
}

const struct task_spec *workload_task(const struct workload *w, int id)
{
	int lo = 0, hi = w->ngroups - 1;
	while (lo < hi) {	/* the first group that ends after id */
		int mid = lo + (hi - lo) / 2;
		if (w->groups[mid].end > id)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &w->groups[lo].spec;
}

static bool str_equal(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Two specs that would run the same task (before prepare() fills them). */
static bool spec_equal(const struct task_spec *a, const struct task_spec *b)
{
	if (a->kind != b->kind || a->has != b->has || !str_equal(a->path, b->path))
		return false;
	for (int i = 0; i < TASK_MAX_PARAMS; i++)
		if (a->num[i] != b->num[i] || !str_equal(a->str[i], b->str[i]))
			return false;
	if (!a->argv || !b->argv)
		return a->argv == b->argv;
	int i = 0;
	for (; a->argv[i] && b->argv[i]; i++)
		if (strcmp(a->argv[i], b->argv[i]))
			return false;
	return !a->argv[i] && !b->argv[i];
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
	w->ntasks += (int)count;
	if (w->ngroups && spec_equal(&w->groups[w->ngroups - 1].spec, spec)) {
		w->groups[w->ngroups - 1].end = w->ntasks;
		return 0;
	}
	if (w->ngroups == w->capgroups) {
		w->capgroups = w->capgroups ? 2 * w->capgroups : 1;
		w->groups = xrealloc(w->groups, (size_t)w->capgroups * sizeof(*w->groups));
	}
	struct spec_group *g = &w->groups[w->ngroups++];
	task_spec_copy(&g->spec, spec);
	g->end = w->ntasks;
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

/* count cmd tasks with line as their shell text. */
static int add_line(struct workload *w, const char *line, int count)
{
	struct task_spec spec = {.kind = task_kind_find("cmd")};
	int rc = task_spec_set_str(&spec, "shell", line);
	if (rc == 0)
		rc = workload_add(w, &spec, (uint64_t)count);
	task_spec_free(&spec);
	return rc;
}

int suite_add_command_line(struct suite *s, const char *workload, const char *line, int count)
{
	return add_line(suite_workload(s, workload), line, count);
}

/* One line of a --commands file: a cmd task with the line as its shell text. */
static int add_command_line(struct workload *w, const char *line, const char *path, long lineno)
{
	error_set_context("--commands '%s' line %ld", path, lineno);
	int rc = add_line(w, line, 1);
	error_clear_context();
	return rc;
}

long suite_read_line(FILE *f, char *buf, size_t max, bool *nul)
{
	size_t n = 0;
	int c;
	*nul = false;
	while ((c = getc_unlocked(f)) != EOF && c != '\n') {
		if (n == max)
			return -2;
		*nul |= c == '\0';
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return c == EOF && n == 0 ? -1 : (long)n;
}

int suite_add_commands_file(struct suite *s, const char *workload, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f)
		return error("cannot read --commands '%s': %s", path, strerror(errno));
	struct workload *w = suite_workload(s, workload);
	char *line = xmalloc(SUITE_COMMAND_LINE_MAX + 1);
	long len, lineno = 0;
	int rc = 0, added = 0;
	bool nul;
	while (rc == 0 && (len = suite_read_line(f, line, SUITE_COMMAND_LINE_MAX, &nul)) != -1) {
		lineno++;
		if (len == -2)
			rc = error("--commands '%s' line %ld: longer than the limit of %d bytes (the "
				   "kernel's 128 KiB for one argument, its NUL included)",
				   path, lineno, SUITE_COMMAND_LINE_MAX);
		else if (nul)
			rc = error("--commands '%s' line %ld: contains a NUL byte", path, lineno);
		else {
			if (len > 0 && line[len - 1] == '\r')	/* CRLF: only a trailing CR */
				line[len - 1] = '\0';
			/* blank lines and comments (first non-blank '#') are skipped */
			char first = line[strspn(line, " \t")];
			if (first && first != '#') {
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
		for (int g = 0; g < s->workloads[i].ngroups; g++) {
			const struct task_spec *spec = &s->workloads[i].groups[g].spec;
			if (spec->kind->needs_calibration && spec->kind->needs_calibration(spec))
				return true;
		}
	return false;
}

int suite_prepare(struct suite *s, const struct calibration *cal)
{
	for (int i = 0; i < s->nworkloads; i++)
		for (int g = 0; g < s->workloads[i].ngroups; g++) {
			struct task_spec *spec = &s->workloads[i].groups[g].spec;
			if (spec->kind->prepare(spec, cal) < 0)
				return -1;
		}
	return 0;
}

void suite_free(struct suite *s)
{
	for (int i = 0; i < s->nworkloads; i++) {
		struct workload *w = &s->workloads[i];
		for (int g = 0; g < w->ngroups; g++)
			task_spec_free(&w->groups[g].spec);
		free(w->groups);
		free(w->name);
	}
	free(s->workloads);
	free(s->index);
	memset(s, 0, sizeof(*s));
}
