#ifndef TRIBENCH_REPORT_JSON_H
#define TRIBENCH_REPORT_JSON_H

#include "compare.h"
#include "report_model.h"

/* Reading reports back, and the JSON the report commands write (src/json/ is the
 * only cJSON user: everything leaves it as text or as struct report). */

/* The report as JSON text (*text: the caller's). Strings that are not valid
 * UTF-8 are replaced (U+FFFD, the bytes kept in a "<key>_raw" sibling) and
 * each kind named in a warning appended to r->warnings; returns how many
 * such warnings were added (the last ones of r->warnings). */
int json_report(struct report *r, char **text);

/* The whole file ("-": stdin) as a string; NULL with one error line printed. */
char *report_read_file(const char *path);
/* Parse a schema v1 report; source names it in messages (NULL: "report").
 * 0, or -1 with one error line printed and *out left empty. */
int report_parse(const char *text, const char *source, struct report *out);
/* report_read_file + report_parse. */
int report_load(const char *path, struct report *out);

/* Exports; caller frees. gab: github-action-benchmark customSmallerIsBetter;
 * bmf: Bencher Metric Format; trace: Chrome Trace Event Format. */
char *export_gab(const struct report *r);
char *export_bmf(const struct report *r);
char *export_trace(const struct report *r);

/* `tribench compare --format json`; caller frees. */
char *compare_json(const struct comparison *c);

#endif
