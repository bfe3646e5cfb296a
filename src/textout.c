/* Escaping and number formatting for the Markdown and CSV the report commands write. */
#include "config.h"
#include "textout.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void md_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			fputc(' ', f);
			continue;
		}
		if (strchr("\\`*_[]<>|~", *s))
			fputc('\\', f);
		fputc(*s, f);
	}
}

void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* 15 significant digits first: 0.1 stays "0.1", not 0.10000000000000001. */
void number_text(char *buf, size_t size, double v)
{
	if (isnan(v)) {
		snprintf(buf, size, "%s", "");
		return;
	}
	snprintf(buf, size, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, size, "%.17g", v);
}

int stdout_finish(void)
{
	if ((fflush(stdout) == 0 && !ferror(stdout)) || errno == EPIPE)
		return 0;
	return error("cannot write to stdout: %s", strerror(errno));
}
