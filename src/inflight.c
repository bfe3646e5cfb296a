/* The in-flight tasks: a reused pool of records and a pid -> record map. */
#include "config.h"
#include "inflight.h"

#include <stdlib.h>
#include <string.h>

void inflight_init(struct inflight *f, int max)
{
	memset(f, 0, sizeof(*f));
	f->max = max < 1 ? 1 : max;
}

void inflight_free(struct inflight *f)
{
	for (int i = 0; i < f->cap; i++)
		if (f->pos[i] >= 0)
			inflight_release(f, i);
	free(f->t);
	free(f->trees);
	free(f->pos);
	free(f->active);
	free(f->freelist);
	free(f->map);
	memset(f, 0, sizeof(*f));
}

static unsigned slot_of(const struct inflight *f, pid_t pid)
{
	/* Fibonacci hashing: consecutive pids spread over the table */
	return ((unsigned)pid * 2654435769u) & (unsigned)(f->mapcap - 1);
}

static void map_put(struct inflight *f, pid_t pid, int idx)
{
	unsigned i = slot_of(f, pid);
	while (f->map[i] >= 0)
		i = (i + 1) & (unsigned)(f->mapcap - 1);
	f->map[i] = idx;
}

/* A map twice the pool at least (load <= 1/2), refilled from the pool. */
static void map_rebuild(struct inflight *f)
{
	int want = 16;
	while (want < 2 * f->cap)
		want *= 2;
	free(f->map);
	f->mapcap = want;
	f->map = xmalloc((size_t)want * sizeof(int));
	memset(f->map, 0xff, (size_t)want * sizeof(int));
	for (int k = 0; k < f->n; k++)
		if (f->t[f->active[k]].pid > 0)
			map_put(f, f->t[f->active[k]].pid, f->active[k]);
}

/* Double the pool (up to max): the new indexes go to the free list. */
static void grow(struct inflight *f)
{
	int cap = f->cap ? 2 * f->cap : 16;
	if (cap > f->max)
		cap = f->max;
	f->t = xrealloc(f->t, (size_t)cap * sizeof(*f->t));
	f->trees = xrealloc(f->trees, (size_t)cap * sizeof(*f->trees));
	f->pos = xrealloc(f->pos, (size_t)cap * sizeof(int));
	f->active = xrealloc(f->active, (size_t)cap * sizeof(int));
	f->freelist = xrealloc(f->freelist, (size_t)cap * sizeof(int));
	memset(f->t + f->cap, 0, (size_t)(cap - f->cap) * sizeof(*f->t));
	memset(f->trees + f->cap, 0, (size_t)(cap - f->cap) * sizeof(*f->trees));
	/* lowest index on top of the free list: a small run touches few records */
	for (int i = cap - 1; i >= f->cap; i--) {
		f->pos[i] = -1;
		f->freelist[f->nfree++] = i;
	}
	f->cap = cap;
	map_rebuild(f);
	if (f->grown)
		f->grown(f->grown_arg, cap);
}

int inflight_take(struct inflight *f)
{
	if (f->n >= f->max)
		return -1;
	if (f->nfree == 0)
		grow(f);
	int idx = f->freelist[--f->nfree];
	f->pos[idx] = f->n;
	f->active[f->n++] = idx;
	return idx;
}

void inflight_map(struct inflight *f, int idx, pid_t pid)
{
	f->t[idx].pid = pid;
	map_put(f, pid, idx);
}

int inflight_find(const struct inflight *f, pid_t pid)
{
	if (!f->mapcap || pid <= 0)
		return -1;
	for (unsigned i = slot_of(f, pid); f->map[i] >= 0; i = (i + 1) & (unsigned)(f->mapcap - 1))
		if (f->t[f->map[i]].pid == pid)
			return f->map[i];
	return -1;
}

/* Remove pid from the linear-probing map, shifting later entries of its
 * cluster back so that no lookup ever stops early (no tombstones). */
static void map_remove(struct inflight *f, pid_t pid)
{
	unsigned m = (unsigned)(f->mapcap - 1), i = slot_of(f, pid);
	while (f->map[i] >= 0 && f->t[f->map[i]].pid != pid)
		i = (i + 1) & m;
	if (f->map[i] < 0)
		return;
	f->map[i] = -1;
	for (unsigned j = (i + 1) & m; f->map[j] >= 0; j = (j + 1) & m) {
		unsigned home = slot_of(f, f->t[f->map[j]].pid);
		/* j's entry may fill the hole at i when its home is no later than i
		 * on the way round to j */
		if (((j - home) & m) >= ((j - i) & m)) {
			f->map[i] = f->map[j];
			f->map[j] = -1;
			i = j;
		}
	}
}

void inflight_release(struct inflight *f, int idx)
{
	struct task_record *t = &f->t[idx];
	if (t->pid > 0)
		map_remove(f, t->pid);
	int p = f->pos[idx];
	f->active[p] = f->active[--f->n];
	f->pos[f->active[p]] = p;
	f->pos[idx] = -1;
	f->freelist[f->nfree++] = idx;
	intlist_free(&t->cpus_seen);
	free(t->exit.error);
	tree_free(&f->trees[idx]);
	state_trace_free(&t->states);
	memset(t, 0, sizeof(*t));
}
