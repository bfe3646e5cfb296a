/* disk: write, fsync, drop the cached pages, read back: real device IO. */
#include "config.h"
#include "tasks/task.h"
#include "tasks/ctx.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util.h"

enum { DISK_KB, DISK_DIR, DISK_FS };
#define DISK_CHUNK (64 * 1024)

static const struct task_param disk_params[] = {
	[DISK_KB] = {.name = "kb", .type = PARAM_U64, .min = 1, .max = 64ULL * 1024 * 1024, .help = "KiB to write and read back (default 4096)"},
	[DISK_DIR] = {.name = "dir", .type = PARAM_STR, .help = "directory for the scratch file (default $TMPDIR or /var/tmp)", .metavar = "PATH"},
	[DISK_FS] = {.name = "fs", .type = PARAM_STR, .help = "file system type of dir (from statfs)", .derived = true},
};

/* statfs magic numbers of the file systems people run benchmarks on. */
static const char *fs_name(long magic)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} names[] = {
		{0xEF53, "ext4"}, {0x9123683E, "btrfs"}, {0x58465342, "xfs"}, {0x01021994, "tmpfs"},
		{0x794C7630, "overlay"}, {0x6969, "nfs"}, {0x2FC12FC1, "zfs"}, {0xF2F52010, "f2fs"},
		{0x4D44, "vfat"}, {0x65735546, "fuse"}, {0xFF534D42, "cifs"}, {0x858458F6, "ramfs"},
		{0x01021997, "9p"}, {0x5346544E, "ntfs"},
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].magic == (unsigned long)magic)
			return names[i].name;
	return NULL;
}

static int disk_prepare(struct task_spec *s, const struct calibration *cal)
{
	(void)cal;
	if (!spec_has(s, DISK_KB))
		spec_set_num(s, DISK_KB, 4096);
	if (!s->str[DISK_DIR]) {
		const char *tmp = getenv("TMPDIR");
		s->str[DISK_DIR] = xstrdup(tmp && *tmp ? tmp : "/var/tmp");
		s->has |= 1u << DISK_DIR;
	}
	struct stat st;
	struct statfs sf;
	const char *dir = s->str[DISK_DIR];
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return error("disk: dir '%s' is not a directory", dir);
	if (access(dir, W_OK) < 0)
		return error("disk: dir '%s' is not writable", dir);
	if (statfs(dir, &sf) < 0)
		return error("disk: cannot statfs '%s': %s", dir, strerror(errno));
	const char *name = fs_name((long)sf.f_type);
	free(s->str[DISK_FS]);
	s->str[DISK_FS] = name ? xstrdup(name) : xasprintf("0x%lx", (unsigned long)sf.f_type);
	s->has |= 1u << DISK_FS;
	return 0;
}

static int disk_fail(const char *what, int fd, void *buf)
{
	fprintf(stderr, "tribench: disk task: %s: %s\n", what, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(buf);
	return 1;
}

static int disk_run(const struct task_spec *s, struct task_ctx *c)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/tribench-disk-XXXXXX", s->str[DISK_DIR]);
	unsigned char *buf = malloc(DISK_CHUNK);	/* one per task: threads share statics */
	if (!buf) {
		fputs("tribench: disk task: out of memory\n", stderr);
		return 1;
	}
	int fd = mkstemp(path);
	if (fd < 0)
		return disk_fail("cannot create a scratch file", -1, buf);
	unlink(path);	/* nothing is left behind, however the task ends */
	uint64_t total = s->num[DISK_KB] * 1024, sum_w = 0, sum_r = 0;
	for (uint64_t off = 0; off < total && !c->stopped;) {
		size_t n = total - off < DISK_CHUNK ? (size_t)(total - off) : DISK_CHUNK;
		for (size_t i = 0; i < n; i++) {
			buf[i] = (unsigned char)((off + i) * 2654435761u >> 13);
			sum_w += buf[i];
		}
		ssize_t w = task_pwrite(c, fd, buf, n, (off_t)off);
		if (w <= 0)
			return disk_fail("write", fd, buf);
		off += (uint64_t)w;
		task_stop_requested(c);
	}
	if (!c->stopped && task_fsync(c, fd) < 0)
		return disk_fail("fsync", fd, buf);
	if (!c->stopped)
		task_fadvise(c, fd, 0, 0, POSIX_FADV_DONTNEED);
	for (uint64_t off = 0; !c->stopped;) {
		ssize_t r = task_pread(c, fd, buf, DISK_CHUNK, (off_t)off);
		if (r < 0)
			return disk_fail("read", fd, buf);
		if (r == 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			sum_r += buf[i];
		off += (uint64_t)r;
		task_stop_requested(c);
	}
	close(fd);
	free(buf);
	if (!c->stopped && sum_r != sum_w) {
		fputs("tribench: disk task: data read back differs from data written\n", stderr);
		return 1;
	}
	return 0;
}

const struct task_kind task_disk = {
	.name = "disk",
	.summary = "IO-bound: write, fsync, drop cached pages, read back",
	.params = disk_params,
	.nparams = ARRAY_SIZE(disk_params),
	.prepare = disk_prepare,
	.run = disk_run,
};
