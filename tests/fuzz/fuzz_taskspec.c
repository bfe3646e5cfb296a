/* libFuzzer target: the -t task-spec parser and the other small text parsers. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "suite.h"
#include "topo.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	error_set_quiet(true);
	struct suite s = {0};
	suite_add_spec_text(&s, "fuzz", text);
	suite_free(&s);
	struct intlist l = {0};
	cpulist_parse(text, &l);
	intlist_free(&l);
	struct policy p;
	if (policy_parse(text, &p) == 0)
		free(policy_describe(&p));
	policy_free(&p);
	double d;
	parse_duration(text, &d);
	free(text);
	return 0;
}
