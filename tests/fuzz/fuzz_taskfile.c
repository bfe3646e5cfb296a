/* libFuzzer target: the taskfile reader (JSON, then the suite it describes). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "suite.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	error_set_quiet(true);
	struct suite s = {0};
	taskfile_parse(text, size, "fuzz", &s);
	/* every group's first and last id find a spec of its group */
	for (int i = 0; i < s.nworkloads; i++) {
		const struct workload *w = &s.workloads[i];
		for (int g = 0, first = 0; g < w->ngroups; first = w->groups[g++].end)
			if (workload_task(w, first) != &w->groups[g].spec ||
			    workload_task(w, w->groups[g].end - 1) != &w->groups[g].spec)
				abort();
		if (suite_find(&s, w->name) != w)
			abort();
	}
	suite_free(&s);
	free(text);
	return 0;
}
