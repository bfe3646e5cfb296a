/* A task's child set-up between fork and work, one copy for tribench and
 * for tribench-spawn: libc only. */
#include "config.h"
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * In the child, async-signal-safe calls only: a clean process the way a
 * user's command expects it. tribench ignores SIGPIPE and blocks the
 * signals its signalfd reads, the launcher ignores the terminal's stop
 * signals; an ignored disposition would survive exec.
 */
int launch_child_setup(const struct launch *l)
{
	sigset_t none;
	sigemptyset(&none);
	if (l->close_fd >= 0)	/* the watchdog's pipe, the launcher's socket */
		close(l->close_fd);
	setpgid(0, 0);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTSTP, SIG_DFL);
	signal(SIGTTIN, SIG_DFL);
	signal(SIGTTOU, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if ((l->fd_in >= 0 && dup2(l->fd_in, STDIN_FILENO) < 0) ||
	    (l->fd_out >= 0 && dup2(l->fd_out, STDOUT_FILENO) < 0) ||
	    (l->fd_err >= 0 && dup2(l->fd_err, STDERR_FILENO) < 0))
		return -1;
	if (l->mask && sched_setaffinity(0, sizeof(*l->mask), l->mask) < 0)
		return -1;
	/* nothing beyond 0-2 reaches the task's program: not ours (they are all
	 * close-on-exec), nor what tribench itself inherited */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	return 0;
}

/* The pid in decimal without stdio (not async-signal-safe), then one write. */
void child_exec_failed(const char *name, int err)
{
	char buf[512];
	size_t n = 0;
	const char *desc = strerrordesc_np(err);
	const char *parts[] = {"tribench: cannot run ", name, ": ", desc ? desc : "unknown error", "\n"};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		for (const char *p = parts[i]; *p && n < sizeof(buf) - 1; p++)
			buf[n++] = *p;
	if (buf[n - 1] != '\n')
		buf[n - 1] = '\n';
	ssize_t w = write(STDERR_FILENO, buf, n);
	(void)w;	/* nothing to do about a stderr that refuses it */
}

int child_join_cgroup(int dirfd)
{
	char buf[24], digits[16];
	int n = 0;
	pid_t pid = (pid_t)syscall(SYS_getpid);
	do
		digits[n++] = (char)('0' + pid % 10);
	while ((pid /= 10) > 0);
	for (int i = 0; i < n; i++)
		buf[i] = digits[n - 1 - i];
	int fd = openat(dirfd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, buf, (size_t)n);
	int err = errno;
	close(fd);
	errno = err;
	return w == n ? 0 : -1;
}

#if CHILD_HAVE_CLONE3_VM
/*
 * glibc 2.36 has no clone3 wrapper, and a child on a stack of its own cannot
 * return through C: this stub calls fn(arg) on that stack and exits with its
 * result; the parent gets the pid or -errno. (x86-64 only: the syscall
 * number and the registers are that ABI's.)
 */
long tribench_clone3(struct clone_args *args, size_t size, int (*fn)(void *), void *arg);
__asm__(".text\n"
	".globl tribench_clone3\n"
	".type tribench_clone3, @function\n"
	"tribench_clone3:\n"
	"	mov %rdx, %r8\n"	/* fn: r8 and r9 survive the syscall */
	"	mov %rcx, %r9\n"	/* arg */
	"	mov $" "435" ", %eax\n"	/* SYS_clone3 */
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	xor %ebp, %ebp\n"	/* child: the new stack, 16-byte aligned */
	"	mov %r9, %rdi\n"
	"	call *%r8\n"
	"	mov %eax, %edi\n"
	"	mov $60, %eax\n"	/* SYS_exit */
	"	syscall\n"
	"	hlt\n"
	"1:	ret\n"
	".size tribench_clone3, .-tribench_clone3\n");

long child_clone3_vm(struct clone_args *args, int (*fn)(void *), void *arg)
{
	return tribench_clone3(args, sizeof(*args), fn, arg);
}
#endif
