/* The task-group handle: one way to signal, kill and end a task's tree,
 * whether a cgroup leaf or a process group holds it. */
#include "config.h"
#include "group.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

int containment_parse(const char *s, enum containment_kind *out)
{
	static const char *const names[] = {"auto", "cgroup", "pgroup"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i])) {
			*out = (enum containment_kind)i;
			return 0;
		}
	return -1;
}

const char *containment_name(enum containment_kind k)
{
	static const char *const names[] = {"auto", "cgroup", "pgroup"};
	return names[k];
}

int containment_init(struct containment *c, enum containment_kind asked, char **why, char **stale)
{
	memset(c, 0, sizeof(*c));
	*why = *stale = NULL;
	c->kind = CONTAIN_PGROUP;
	if (cgroup_discover(&c->where) < 0)
		c->where.version = 0;
	if (asked == CONTAIN_PGROUP)
		return 0;
	int err = ENOENT;
	if (c->where.version == 2 && c->where.self[0]) {
		/* a failure leaves the list of those that were removed */
		(void)cgroup_reap_stale(&c->where, stale);
		if (cgroup_run_create(&c->where, &c->run) == 0) {
			c->kind = CONTAIN_CGROUP;
			return 0;
		}
		err = errno;
	}
	const char *where = c->where.version == 2 ? c->where.self : "none (no cgroup2 mount)";
	if (asked == CONTAIN_CGROUP)
		return error("--containment cgroup: cannot make a cgroup under '%s': %s", where,
			     strerror(err));
	*why = xasprintf("containment is process groups: cannot make a cgroup under '%s' (%s); a "
			 "task's descendants that call setsid can escape it. For full containment "
			 "run as root or under 'systemd-run --user --scope -p Delegate=yes tribench ...'",
			 where, strerror(err));
	return 0;
}

void containment_fini(struct containment *c)
{
	if (c->kind == CONTAIN_CGROUP)
		cgroup_run_destroy(&c->run);
	c->kind = CONTAIN_PGROUP;
}

int containment_freeze(struct containment *c, bool frozen)
{
	if (c->kind != CONTAIN_CGROUP) {
		errno = ENOTSUP;
		return -1;
	}
	return cgroup_run_freeze(&c->run, frozen);
}

int group_open(struct containment *c, struct task_group *g)
{
	g->leader = 0;
	g->leaf = NULL;
	if (c->kind != CONTAIN_CGROUP)
		return 0;
	if (cgroup_leaf_get(&c->run, &g->leaf) < 0)
		return -1;
	struct cgroup_leaf *leaf = g->leaf;
	if (!leaf->have_base) {
		/* a fresh leaf, or one whose last reading failed: its counters now */
		leaf->have_base = cgroup_stats_read(leaf, &leaf->base) == 0;
		leaf->peak_absent = cgroup_memory_peak(leaf) < 0 && errno == ENOENT;
		leaf->tasks = 0;
	}
	leaf->tasks++;
	return 0;
}

void group_launched(struct task_group *g)
{
	if (g->leaf)
		cgroup_leaf_rest(g->leaf);
}

void group_kill(const struct task_group *g)
{
	if (g->leaf && cgroup_kill(g->leaf) == 0)
		return;
	if (g->leader > 0) {
		kill(-g->leader, SIGKILL);
		kill(g->leader, SIGKILL);
	}
}

void group_signal(const struct task_group *g, int sig)
{
	if (sig == SIGKILL) {
		group_kill(g);
		return;
	}
	if (g->leaf && cgroup_signal(g->leaf, sig) == 0)
		return;
	if (g->leader > 0) {
		kill(-g->leader, sig);
		kill(g->leader, sig);
	}
}

int group_end(const struct task_group *g, int left)
{
	if (!g->leaf) {
		/* what the task left in its group (a shell's background jobs) ends
		 * with it, while the zombie still holds the group's number */
		kill(-g->leader, SIGKILL);
		return -1;
	}
	if (left < 0)
		left = cgroup_count(g->leaf);
	if (left != 0)
		cgroup_kill(g->leaf);
	if (cgroup_wait_empty(g->leaf, 2000) < 0 && errno == ETIMEDOUT)
		error("task %d: its cgroup '%s' did not empty within 2 s", (int)g->leader, g->leaf->path);
	return left < 0 ? -1 : left;
}

void group_close(struct containment *c, struct task_group *g)
{
	if (g->leaf)
		cgroup_leaf_put(&c->run, g->leaf);
	g->leaf = NULL;
}

int group_stats(struct task_group *g, struct report_task_cgroup *out)
{
	struct cgroup_leaf *leaf = g->leaf;
	if (!leaf)
		return -1;
	struct cgroup_stats_raw now;
	int unread = cgroup_stats_read(leaf, &now);
	const struct cgroup_stats_raw *b = &leaf->base;
	bool based = leaf->have_base;
	/* NAN in either reading, or no baseline, gives NAN */
#define DELTA_S(field) (based ? (now.field - b->field) / 1e6 : NAN)
	out->cpu_s = DELTA_S(usage_us);
	out->user_s = DELTA_S(user_us);
	out->sys_s = DELTA_S(system_us);
	out->cpu_some_s = DELTA_S(some_us[CGROUP_PSI_CPU]);
	out->cpu_full_s = DELTA_S(full_us[CGROUP_PSI_CPU]);
	out->io_some_s = DELTA_S(some_us[CGROUP_PSI_IO]);
	out->io_full_s = DELTA_S(full_us[CGROUP_PSI_IO]);
	out->memory_some_s = DELTA_S(some_us[CGROUP_PSI_MEMORY]);
	out->memory_full_s = DELTA_S(full_us[CGROUP_PSI_MEMORY]);
#undef DELTA_S
	if (!based)
		unread++;
	out->memory_peak_kb = NAN;
	/* memory.peak is a high-water mark since the leaf was made: only the
	 * first task of a fresh leaf (no CPU used before it) owns it */
	if (!leaf->peak_absent && leaf->tasks == 1 && based && b->usage_us == 0) {
		long long peak = cgroup_memory_peak(leaf);
		if (peak >= 0)
			out->memory_peak_kb = (double)peak / 1024.0;
		else
			unread++;
	}
	out->extra = NULL;
	leaf->base = now;
	leaf->have_base = unread == 0;
	return unread;
}
