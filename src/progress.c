/* The progress line: where we are, and when we will be done. */
#include "config.h"
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util.h"

void progress_init(struct progress *p, bool on, long total_tasks)
{
	memset(p, 0, sizeof(*p));
	p->on = on;
	p->total = total_tasks;
	p->t0 = now_s();
	struct winsize ws;
	p->width = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 ? ws.ws_col : 80;
}

void progress_run(struct progress *p, const char *workload, const char *mode, int run, int runs,
		  int ntasks)
{
	p->workload = workload;
	p->mode = mode;
	p->run = run;
	p->runs = runs;
	p->run_done = 0;
	p->run_tasks = ntasks;
	progress_draw(p, true);
}

void progress_task_done(struct progress *p)
{
	p->done++;
	p->run_done++;
}

static void clock_text(char *buf, size_t size, double s)
{
	int t = (int)(s + 0.5);
	snprintf(buf, size, "%d:%02d", t / 60, t % 60);
}

void progress_draw(struct progress *p, bool force)
{
	if (!p->on || !p->workload)
		return;
	double now = now_s();
	if (!force && now - p->last_draw < 0.1)
		return;
	p->last_draw = now;
	double elapsed = now - p->t0;
	char el[16], eta[16] = "?";
	clock_text(el, sizeof(el), elapsed);
	if (p->done > 0)	/* from finished tasks only: nothing is guessed */
		clock_text(eta, sizeof(eta), elapsed / (double)p->done * (double)(p->total - p->done));
	char run[32];
	if (p->run)
		snprintf(run, sizeof(run), "run %d/%d", p->run, p->runs);
	else
		snprintf(run, sizeof(run), "warmup");
	char line[512];
	int n = snprintf(line, sizeof(line), "%s %s %s  tasks %d/%d  [%ld/%ld]  %s elapsed, ETA %s",
			 p->workload, p->mode, run, p->run_done, p->run_tasks, p->done, p->total, el, eta);
	if (n >= p->width)
		line[p->width - 1] = '\0';
	fprintf(stderr, "\r\033[K%s", line);
	fflush(stderr);
}

void progress_clear(struct progress *p)
{
	if (p->on && p->workload) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->workload = NULL;
}
