#ifndef TRIBENCH_OUTPUT_H
#define TRIBENCH_OUTPUT_H

#include <stdbool.h>

/* Where the JSON goes: a file written atomically, stdout, or nowhere. */
struct output {
	char *path;               /* -o FILE */
	char *tmp;                /* its temporary sibling until commit */
	int fd;
	bool to_stdout;
	bool special;             /* a device or FIFO, written in place */
	bool to_stdout_too;       /* ... and it is our stdout (-o /dev/stdout) */
};

/* Decide by DESIGN §3 and, for a file, create the temporary now (fail early: -1). */
int output_open(struct output *o, const char *arg, bool stdout_is_tty);
/* Write text and publish it (rename over the path); -1 on failure, nothing left. */
int output_commit(struct output *o, const char *text);
/* Remove the temporary: no partial file pretends to be complete. */
void output_abort(struct output *o);

#endif
