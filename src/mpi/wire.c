/* tribench-mpi's messages as bytes: task records and workloads (wire.h). */
#include "config.h"
#include "mpi/wire.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The scalars a record and its wire form share: (wire_task's, task_record's). */
#define WIRE_FIELDS(X) \
	X(id, id) X(pid, pid) X(slot, slot) X(pu, pu) X(exit_code, exit.code) \
	X(exit_signal, exit.signal) X(timed_out, exit.timed_out) X(stopped, exit.stopped) \
	X(schedstat_errno, schedstat_errno) X(leftovers_killed, leftovers_killed) \
	X(have_schedstat, have_schedstat) X(have_tree, have_tree) X(states_from_tree, states_from_tree) \
	X(states_from_loop, states_from_loop) X(outside_slot, outside_slot) \
	X(voluntary_switches, voluntary_switches) X(involuntary_switches, involuntary_switches) \
	X(max_rss_kb, max_rss_kb) X(start_s, start_s) X(end_s, end_s) X(wall_s, wall_s) \
	X(user_s, user_s) X(sys_s, sys_s) X(running_s, running_s) X(ready_s, ready_s) \
	X(blocked_s, blocked_s) X(zombie_s, zombie_s)

char *wire_task_pack(const struct task_record *t, int rank, size_t *len)
{
	struct wire_task w;
	memset(&w, 0, sizeof(w));
#define TO_WIRE(wf, tf) w.wf = t->tf;
	WIRE_FIELDS(TO_WIRE)
#undef TO_WIRE
	w.rank = rank;
	w.exit_status = (int32_t)t->exit.status;
	const struct report_task_cgroup *g = &t->tree;
	double tree[11] = {g->cpu_s, g->user_s, g->sys_s, g->cpu_some_s, g->cpu_full_s, g->io_some_s,
			   g->io_full_s, g->memory_some_s, g->memory_full_s, g->procs_max, g->memory_peak_kb};
	memcpy(w.tree, tree, sizeof(tree));
	w.npus = t->pus ? t->pus->n : 0;
	w.nseen = t->cpus_seen.n;
	w.allowed_len = (int32_t)strnlen(t->cpus_allowed, sizeof(t->cpus_allowed));
	w.error_len = t->exit.error ? (int32_t)strlen(t->exit.error) : 0;
	*len = sizeof(w) + (size_t)(w.npus + w.nseen) * sizeof(int32_t) + (size_t)w.allowed_len +
	       (size_t)w.error_len;
	char *buf = xmalloc(*len), *p = buf;
	memcpy(p, &w, sizeof(w));
	p += sizeof(w);
	for (int k = 0; k < w.npus; k++, p += sizeof(int32_t)) {
		int32_t v = t->pus->v[k];
		memcpy(p, &v, sizeof(v));
	}
	for (int k = 0; k < w.nseen; k++, p += sizeof(int32_t)) {
		int32_t v = t->cpus_seen.v[k];
		memcpy(p, &v, sizeof(v));
	}
	memcpy(p, t->cpus_allowed, (size_t)w.allowed_len);
	p += w.allowed_len;
	if (w.error_len)
		memcpy(p, t->exit.error, (size_t)w.error_len);
	return buf;
}

int wire_task_unpack(const char *buf, size_t len, struct task_record *t, struct intlist *pus)
{
	memset(t, 0, sizeof(*t));
	memset(pus, 0, sizeof(*pus));
	struct wire_task w;
	if (len < sizeof(w)) {
		errno = EINVAL;
		return -1;
	}
	memcpy(&w, buf, sizeof(w));
	if (w.npus < 0 || w.nseen < 0 || w.allowed_len < 0 || w.error_len < 0 ||
	    w.allowed_len >= (int32_t)sizeof(t->cpus_allowed) ||
	    (uint64_t)w.npus + (uint64_t)w.nseen > len / sizeof(int32_t) ||
	    sizeof(w) + ((uint64_t)w.npus + (uint64_t)w.nseen) * sizeof(int32_t) + (uint64_t)w.allowed_len +
			    (uint64_t)w.error_len != len) {
		errno = EINVAL;
		return -1;
	}
	t->remote = true;
	t->rank = w.rank;
#define FROM_WIRE(wf, tf) t->tf = w.wf;
	WIRE_FIELDS(FROM_WIRE)
#undef FROM_WIRE
	t->exit.status = (enum exit_status)w.exit_status;
	struct report_task_cgroup *g = &t->tree;
	double *tree[11] = {&g->cpu_s, &g->user_s, &g->sys_s, &g->cpu_some_s, &g->cpu_full_s, &g->io_some_s,
			    &g->io_full_s, &g->memory_some_s, &g->memory_full_s, &g->procs_max, &g->memory_peak_kb};
	for (int i = 0; i < 11; i++)
		*tree[i] = w.tree[i];
	const char *p = buf + sizeof(w);
	for (int k = 0; k < w.npus; k++, p += sizeof(int32_t)) {
		int32_t v;
		memcpy(&v, p, sizeof(v));
		intlist_push(pus, v);
	}
	t->pus = pus;
	for (int k = 0; k < w.nseen; k++, p += sizeof(int32_t)) {
		int32_t v;
		memcpy(&v, p, sizeof(v));
		intlist_push(&t->cpus_seen, v);
	}
	memcpy(t->cpus_allowed, p, (size_t)w.allowed_len);
	t->cpus_allowed[w.allowed_len] = '\0';
	p += w.allowed_len;
	if (w.error_len) {
		t->exit.error = xmalloc((size_t)w.error_len + 1);
		memcpy(t->exit.error, p, (size_t)w.error_len);
		t->exit.error[w.error_len] = '\0';
	}
	return 0;
}

void wire_task_free(struct task_record *t, struct intlist *pus)
{
	intlist_free(pus);
	intlist_free(&t->cpus_seen);
	free(t->exit.error);
	t->exit.error = NULL;
}

/* ---- workloads: a byte stream of tagged fields ----------------------------- */

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *v, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 256;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, v, n);
	b->n += n;
}

static void put_u64(struct buf *b, uint64_t v)
{
	put(b, &v, sizeof(v));
}

/* A string: its length + 1 (0: NULL), then its bytes without the NUL. */
static void put_str(struct buf *b, const char *s)
{
	put_u64(b, s ? strlen(s) + 1 : 0);
	if (s)
		put(b, s, strlen(s));
}

static void put_strv(struct buf *b, char *const *v)
{
	uint64_t n = 0;
	while (v && v[n])
		n++;
	put_u64(b, v ? n + 1 : 0);
	for (uint64_t i = 0; i < n; i++)
		put_str(b, v[i]);
}

char *wire_workload_pack(const struct workload *w, size_t *len)
{
	struct buf b = {0};
	put_str(&b, w->name);
	put_u64(&b, (uint64_t)w->ntasks);
	put_u64(&b, (uint64_t)w->ngroups);
	for (int g = 0; g < w->ngroups; g++) {
		const struct task_spec *s = &w->groups[g].spec;
		put_u64(&b, (uint64_t)w->groups[g].end);
		put_str(&b, s->kind->name);
		unsigned has = s->has;
		for (int i = 0; i < s->kind->nparams; i++)
			if (s->kind->params[i].derived)
				has &= ~(1u << i);
		put_u64(&b, has);
		for (int i = 0; i < TASK_MAX_PARAMS; i++) {
			put_u64(&b, s->num[i]);
			put_str(&b, (has & (1u << i)) ? s->str[i] : NULL);
		}
		put_u64(&b, s->slot_placeholder);
		put_strv(&b, s->argv);
		put_strv(&b, s->env);
	}
	*len = b.n;
	return b.p;
}

struct reader {
	const char *p;
	size_t n, at;
	bool bad;
};

static uint64_t get_u64(struct reader *r)
{
	uint64_t v = 0;
	if (r->bad || r->n - r->at < sizeof(v)) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p + r->at, sizeof(v));
	r->at += sizeof(v);
	return v;
}

static char *get_str(struct reader *r)
{
	uint64_t n = get_u64(r);
	if (r->bad || n == 0)
		return NULL;
	if (n - 1 > r->n - r->at) {
		r->bad = true;
		return NULL;
	}
	char *s = xmalloc(n);
	memcpy(s, r->p + r->at, n - 1);
	s[n - 1] = '\0';
	r->at += n - 1;
	return s;
}

static char **get_strv(struct reader *r)
{
	uint64_t n = get_u64(r);
	if (r->bad || n == 0)
		return NULL;
	if (n - 1 > (r->n - r->at) / sizeof(uint64_t)) {	/* each string has its length at least */
		r->bad = true;
		return NULL;
	}
	char **v = xcalloc(n, sizeof(char *));
	for (uint64_t i = 0; i + 1 < n; i++) {
		v[i] = get_str(r);
		if (!v[i])
			v[i] = xstrdup("");
	}
	return v;
}

long wire_workload_unpack(const char *buf, size_t len, struct workload *out)
{
	struct reader r = {buf, len, 0, false};
	memset(out, 0, sizeof(*out));
	out->name = get_str(&r);
	uint64_t ntasks = get_u64(&r), ngroups = get_u64(&r);
	if (!r.bad && (ntasks > SUITE_MAX_TASKS || ngroups > ntasks || ngroups > len))
		r.bad = true;
	out->ntasks = r.bad ? 0 : (int)ntasks;
	out->source = -1;
	out->combination = -1;
	for (uint64_t g = 0; !r.bad && g < ngroups; g++) {
		if (out->ngroups == out->capgroups) {
			out->capgroups = out->capgroups ? 2 * out->capgroups : 4;
			out->groups = xrealloc(out->groups, (size_t)out->capgroups * sizeof(*out->groups));
		}
		struct spec_group *sg = &out->groups[out->ngroups];
		memset(sg, 0, sizeof(*sg));
		uint64_t end = get_u64(&r);
		char *kind = get_str(&r);
		sg->spec.kind = kind ? task_kind_find(kind) : NULL;
		free(kind);
		if (r.bad || !sg->spec.kind || end > ntasks || (out->ngroups && (int)end <= out->groups[out->ngroups - 1].end)) {
			r.bad = true;
			break;
		}
		out->ngroups++;
		sg->end = (int)end;
		struct task_spec *s = &sg->spec;
		s->has = (unsigned)get_u64(&r);
		for (int i = 0; i < TASK_MAX_PARAMS; i++) {
			s->num[i] = get_u64(&r);
			s->str[i] = get_str(&r);
		}
		s->slot_placeholder = get_u64(&r) != 0;
		s->argv = get_strv(&r);
		s->env = get_strv(&r);
	}
	if (!r.bad && out->ngroups && out->groups[out->ngroups - 1].end != out->ntasks)
		r.bad = true;
	if (r.bad) {
		wire_workload_free(out);
		errno = EINVAL;
		return -1;
	}
	return (long)r.at;
}

void wire_workload_free(struct workload *w)
{
	for (int g = 0; g < w->ngroups; g++)
		task_spec_free(&w->groups[g].spec);
	free(w->groups);
	free(w->name);
	memset(w, 0, sizeof(*w));
}
