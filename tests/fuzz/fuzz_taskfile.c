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
	suite_free(&s);
	free(text);
	return 0;
}
