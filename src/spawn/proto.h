#ifndef TRIBENCH_SPAWN_PROTO_H
#define TRIBENCH_SPAWN_PROTO_H

/*
 * What tribench and its launcher tribench-spawn say over their socketpair
 * (AF_UNIX, SOCK_STREAM): one request, one reply per task. A request is this
 * header, with the descriptors of its fd bits attached (SCM_RIGHTS, in the
 * order in, out, err, cgroup), then len bytes of NUL-terminated strings:
 * exec'd kinds path (empty: not found), argc argv, envc envp; built-in kinds
 * str[i] for each bit i of strs. Both ends are built from the same sources.
 */
#include <sched.h>
#include <stdint.h>

#include "tasks/task.h"

#define SPAWN_FD_IN 1u
#define SPAWN_FD_OUT 2u
#define SPAWN_FD_ERR 4u
#define SPAWN_FD_CGROUP 8u
#define SPAWN_MASK 16u            /* bind to mask */
#define SPAWN_MAX_FDS 4
#define SPAWN_MAX_LEN (64u << 20) /* argv + envp, far above ARG_MAX */

struct spawn_request {
	uint32_t len;             /* bytes of strings after the header */
	uint32_t flags;           /* SPAWN_* */
	int32_t kind;             /* index in task_kinds[]; -1: exec path */
	uint32_t has, strs;       /* task_spec.has; which str[] follow */
	uint32_t argc, envc;
	uint64_t num[TASK_MAX_PARAMS];
	cpu_set_t mask;
};

/* The launcher's first words, before any request: who it is and which
 * protocol it speaks. tribench falls back to launching itself when they do
 * not come within SPAWN_HELLO_MS or do not match (another build installed,
 * a wrong TRIBENCH_SPAWN). */
#define SPAWN_MAGIC 0x50534254u   /* "TBSP" */
#define SPAWN_VERSION 1u
#define SPAWN_HELLO_MS 2000
/* How long a launch may take before the launcher counts as hung: a clone and
 * an exec (CLONE_VFORK waits for it), far above their milliseconds. */
#define SPAWN_REPLY_MS 5000

struct spawn_hello {
	uint32_t magic, version;
	uint32_t request_size, reply_size;  /* sizeof both ends agree on */
};

enum spawn_join { SPAWN_JOIN_NONE, SPAWN_JOIN_CLONE3, SPAWN_JOIN_PROCS };

struct spawn_reply {
	int32_t pid;              /* the task's pid (its parent is tribench), or -errno */
	int32_t exec_errno;       /* why its exec failed, 0: it did not */
	int32_t join;             /* enum spawn_join */
};

#endif
