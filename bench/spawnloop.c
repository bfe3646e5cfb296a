/* The floor for launching commands: posix_spawn with N in flight, nothing else.
 * Usage: spawnloop TASKS INFLIGHT COMMAND [ARG...] */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 4) {
		fputs("usage: spawnloop TASKS INFLIGHT COMMAND [ARG...]\n", stderr);
		return 2;
	}
	long tasks = atol(argv[1]), inflight = atol(argv[2]), started = 0, running = 0;
	/* look the command up in PATH once, as tribench does, not on every spawn */
	static char path[4096];
	char *dirs = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin"), *save = NULL;
	snprintf(path, sizeof(path), "%s", argv[3]);
	for (char *d = strtok_r(dirs, ":", &save); d && !strchr(argv[3], '/'); d = strtok_r(NULL, ":", &save)) {
		snprintf(path, sizeof(path), "%s/%s", d, argv[3]);
		if (access(path, X_OK) == 0)
			break;
	}
	free(dirs);
	int failed = 0;
	while (started < tasks || running > 0) {
		while (running < inflight && started < tasks) {
			pid_t pid;
			if (posix_spawn(&pid, path, NULL, NULL, &argv[3], environ) != 0) {
				perror("posix_spawn");
				return 1;
			}
			started++;
			running++;
		}
		int status;
		if (wait(&status) > 0) {
			running--;
			failed += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
		}
	}
	return failed ? 1 : 0;
}
