#ifndef TRIBENCH_OUTPUT_H
#define TRIBENCH_OUTPUT_H

#include <stdbool.h>

/*
 * Where the JSON goes: a regular file replaced atomically (temporary + rename),
 * stdout, a descriptor written in place (a device, a FIFO, /dev/fd/N, the file
 * our stderr is), or nowhere.
 */
struct output {
	char *arg;                /* -o as given, for messages; NULL without -o */
	char *path;               /* the regular file replaced at commit, or NULL */
	char *tmp;                /* its temporary sibling until commit */
	int fd;                   /* ours (close-on-exec): the temporary or the
	                             descriptor written in place; -1: none */
	bool to_stdout;           /* no -o (stdout not a terminal) or -o - */
	bool to_stdout_too;       /* -o names our stdout (/dev/stdout, /dev/fd/1, the
	                             file stdout is): written through fd 1 */
	bool special;             /* fd is written in place, never renamed over */
	int signal;               /* SIGINT/SIGTERM/SIGHUP that cut a wait short, or 0 */
	int stream_error;         /* output_stream: the errno of a failed write, or 0 */
	bool stream_stopped;      /* output_stream: a stop signal ended the write */
	bool stream_gone;         /* output_stream: our stdout's reader left (EPIPE) */
};

#include <stdio.h>

/*
 * Decide by DESIGN §3 and, for a regular file, create the temporary now (fail
 * early). A path naming an open descriptor (/dev/stdout, /dev/stderr,
 * /dev/fd/N, /proc/self/fd/N) or the very file stdout or stderr is (same
 * st_dev and st_ino) is written through that descriptor, so O_APPEND and the
 * offset are kept. A FIFO is opened without blocking: while it has no reader,
 * a pending SIGINT/SIGTERM/SIGHUP (blocked by the caller, as sched_init does)
 * ends the wait; the signal is consumed and stored in o->signal.
 * Returns 0, or -1: after one error line, or silently with o->signal set;
 * on -1 nothing is left to free or remove.
 */
int output_open(struct output *o, const char *arg, bool stdout_is_tty);

/* True when the report goes to our stdout (the table and tasks' output must not). */
bool output_on_stdout(const struct output *o);

/*
 * Write text and publish it (rename over the path for a regular file). Pipes
 * and FIFOs are written in pieces as poll() says they take them, so a reader
 * that stops reading cannot make tribench deaf to a stop signal (o->signal).
 * Returns 0, or -1 (error line, or o->signal set); a temporary is removed.
 */
int output_commit(struct output *o, const char *text);

/*
 * The report written as a stream: a buffered FILE (64 KiB pieces) whose
 * writes go where output_commit's would, through the temporary for a regular
 * file. Before each piece a pending stop signal (SIGINT, SIGTERM, SIGHUP;
 * blocked, as sched_init leaves them) is taken: the write fails, o->signal
 * says which, and output_finish abandons the report, so a second Ctrl-C
 * during a huge write is honoured and never leaves a partial file in the
 * target's place. Without an output (no -o, stdout a terminal) it
 * discards, spending no descriptor. Never NULL (allocation dies).
 */
FILE *output_stream(struct output *o);
/*
 * Close f and publish what went through it as output_commit does (fsync,
 * rename). 0; or -1 after one error line ("stopped by SIGNAL while writing
 * the report: ...", or "cannot write the report to ...: ..."), the temporary
 * removed and o->signal set when a signal stopped it.
 */
int output_finish(struct output *o, FILE *f);

/* Remove the temporary and free o: no partial file pretends to be complete. */
void output_abort(struct output *o);

#endif
