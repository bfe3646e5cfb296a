/* The task-group handle: one way to signal, kill and end a task's tree,
 * whether a cgroup leaf or a process group holds it. */
#include "config.h"
#include "group.h"

#include <errno.h>
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
		if (cgroup_reap_stale(&c->where, stale) < 0)
			*stale = NULL;
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
	return cgroup_leaf_get(&c->run, &g->leaf);
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

int group_end(const struct task_group *g)
{
	if (!g->leaf) {
		/* what the task left in its group (a shell's background jobs) ends
		 * with it, while the zombie still holds the group's number */
		kill(-g->leader, SIGKILL);
		return -1;
	}
	int left = cgroup_count(g->leaf);
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
