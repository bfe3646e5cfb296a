/* mem: streaming copies through a buffer larger than the caches. */
#include "config.h"
#include "tasks/task.h"
#include "tasks/ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

enum { MEM_MB, MEM_PASSES };

static const struct task_param mem_params[] = {
	[MEM_MB] = {.name = "mb", .type = PARAM_U64, .min = 1, .max = 65536,
		    .help = "MiB of buffer, split in two halves (default 64)"},
	[MEM_PASSES] = {.name = "passes", .type = PARAM_U64, .min = 1, .max = 1000000, .help = "copies between the halves (default 8)"},
};

static int mem_prepare(struct task_spec *s, const struct calibration *cal)
{
	(void)cal;
	if (!spec_has(s, MEM_MB))
		spec_set_num(s, MEM_MB, 64);
	if (!spec_has(s, MEM_PASSES))
		spec_set_num(s, MEM_PASSES, 8);
	return 0;
}

/* Copy n bytes from src to dst in MEM_CHUNK pieces, checking for a stop
 * between them (a piece is tens of microseconds): false when stopped. */
#define MEM_CHUNK (256 * 1024)
static bool copy_checked(struct task_ctx *c, unsigned char *dst, const unsigned char *src, size_t n)
{
	for (size_t off = 0; off < n; off += MEM_CHUNK) {
		memcpy(dst + off, src + off, n - off < MEM_CHUNK ? n - off : MEM_CHUNK);
		if (task_stop_requested(c))
			return false;
	}
	return true;
}

/* memset in MEM_CHUNK pieces with the same stop checks. */
static bool fill_checked(struct task_ctx *c, unsigned char *dst, int byte, size_t n)
{
	for (size_t off = 0; off < n; off += MEM_CHUNK) {
		memset(dst + off, byte, n - off < MEM_CHUNK ? n - off : MEM_CHUNK);
		if (task_stop_requested(c))
			return false;
	}
	return true;
}

static int mem_run(const struct task_spec *s, struct task_ctx *c)
{
	size_t half = (size_t)(s->num[MEM_MB] * 1024 * 1024 / 2);
	unsigned char *a = malloc(half), *b = malloc(half);
	if (!a || !b) {
		free(a);
		free(b);
		fputs("tribench: mem task: out of memory\n", stderr);
		return 1;
	}
	/* the first touch of every page is work too: checked like the copies */
	if (!fill_checked(c, a, 0x5a, half) || !fill_checked(c, b, 0xa5, half))
		goto out;
	for (uint64_t p = 0; p < s->num[MEM_PASSES]; p++) {
		if (!(p & 1 ? copy_checked(c, a, b, half) : copy_checked(c, b, a, half)))
			break;
		a[p % half] ^= (unsigned char)p;
	}
	volatile unsigned char sink = a[half / 2] ^ b[half / 3];
	(void)sink;
out:
	free(a);
	free(b);
	return 0;
}

const struct task_kind task_mem = {
	.name = "mem",
	.summary = "memory-bound: streaming copies between two large buffers",
	.params = mem_params,
	.nparams = ARRAY_SIZE(mem_params),
	.prepare = mem_prepare,
	.run = mem_run,
};
