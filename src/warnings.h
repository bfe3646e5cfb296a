#ifndef TRIBENCH_WARNINGS_H
#define TRIBENCH_WARNINGS_H

#include "results.h"

/*
 * Say why these numbers may be noisy: other runnable processes at the start,
 * a wall stddev over 10% of the mean, a first run much slower than the rest,
 * a frequency governor that is not "performance". Each goes into r->warnings
 * and, unless --quiet, to stderr. Nothing that could not be read is warned about.
 */
void warnings_collect(struct results *r);
void warnings_free(struct results *r);

#endif
