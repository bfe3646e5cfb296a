#ifndef TRIBENCH_EXPORT_H
#define TRIBENCH_EXPORT_H

#include <stdbool.h>

/* Is format one of export_formats (commands.h)? For checking `--format` before
 * a run rather than after it. */
bool export_format_known(const char *format);

#endif
