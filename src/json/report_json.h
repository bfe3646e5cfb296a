#ifndef TRIBENCH_REPORT_JSON_H
#define TRIBENCH_REPORT_JSON_H

#include "compare.h"
#include "report_model.h"

/* Reading reports back, and the JSON the report commands write (src/json/ is the
 * only cJSON user: everything leaves it as text or as struct report). */

#include <stdio.h>

struct json_fixes;

/*
 * The report as JSON to f, a part at a time: the top-level objects through
 * cJSON, each run's tasks copied from its spool (a live run) or written one
 * by one (read back); memory does not grow with the tasks. Strings that are
 * not valid UTF-8 are replaced (U+FFFD, the bytes kept in a "<key>_raw"
 * sibling) and each kind named in a warning appended to r->warnings (merged
 * with those r->fixes gathered from the task records). Returns how many such
 * warnings were added (the last ones of r->warnings), or -1 when f got an
 * error (a failed or stopped write; nothing printed) or the spool could not
 * be read (printed); f then holds a partial report.
 */
int json_report_write(struct report *r, FILE *f);
/* json_report_write into a string (*text: the caller's); for small reports. */
int json_report(struct report *r, char **text);
/* One task record as one line of compact JSON (UTF-8 repaired, the warnings
 * merged into fixes); caller frees. */
char *json_task_line(const struct report_task *t, struct json_fixes *fixes);
/* A line json_task_line made, back into a task: 0, or -1 (one line printed). */
int json_task_parse(const char *line, struct report_task *out);
/*
 * A task's state_samples object (docs/schema.json $defs/state_samples) as
 * compact JSON text for report_task.state_samples: scope "leader" when leader
 * (a tree: the samples cover its leader thread only), else "task"; n
 * intervals ending at t[i] (seconds from the run start) with the leader's
 * running and ready seconds in each. Caller frees.
 */
char *json_state_samples(bool leader, int n, const double *t, const double *running_s,
			 const double *ready_s);

/* The whole file ("-": stdin) as a string; NULL with one error line printed. */
char *report_read_file(const char *path);
/* Parse a schema v1 report; source names it in messages (NULL: "report").
 * 0, or -1 with one error line printed and *out left empty. */
int report_parse(const char *text, const char *source, struct report *out);
/* report_read_file + report_parse. */
int report_load(const char *path, struct report *out);
/* The members of a JSON object text (a workload's parameters) into two
 * arrays the caller frees, each string and the arrays: names, and values
 * (NULL for a value that is not a string). Returns how many; 0 with both
 * arrays NULL when text is NULL or not an object. */
int json_string_members(const char *text, char ***names, char ***values);

/* Exports as JSON text; caller frees. Each function's comment in
 * export_json.c / export_trace.c lists its fields, their units and sources.
 * gab: github-action-benchmark customSmallerIsBetter, numbers to 4
 * significant digits, range the MAD of the usable walls. */
char *export_gab(const struct report *r);
/* bmf: Bencher Metric Format, measures latency, cpu-time-ns, max-rss-kib,
 * speedup, efficiency, failures (one left out where it has no value). NULL
 * when a live run's task records could not be read from the spool (one line
 * printed): export_write should then fail. */
char *export_bmf(const struct report *r);
/* trace: Chrome Trace Event Format, task tracks, per-CPU machine and
 * tribench-tasks busy counters. */
char *export_trace(const struct report *r);
/* hyperfine: hyperfine's --export-json (1.15), a result per mode entry with
 * a usable run. */
char *export_hyperfine(const struct report *r);

/* `tribench compare --format json`; caller frees. */
char *compare_json(const struct comparison *c);

#endif
