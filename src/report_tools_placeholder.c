/* Placeholder while compare/export are written (replaced before landing). */
#include "config.h"
#include "commands.h"

#include "util.h"

const char *const export_formats = "csv, markdown, gab, bmf, trace";

int cmd_compare(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error("compare: not built yet"), EXIT_RUNTIME;
}

int cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return error("export: not built yet"), EXIT_RUNTIME;
}

int export_report_text(const char *report_text, const char *format, FILE *out)
{
	(void)report_text;
	(void)out;
	return error("export: unknown format '%s'", format);
}
