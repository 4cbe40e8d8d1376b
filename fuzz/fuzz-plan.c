/*
 * fuzz-plan.c - the plan parser under libFuzzer.
 *
 * Property: a file that parses exports to a file that parses to the same
 * content, parse(export(parse(x))) == parse(x); anything else aborts.
 * Rendering, diffing and the Markdown of the raw input run too.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const json_t *content)
{
	json_t *errors = json_array(), *again = NULL, *diff, *r;
	size_t len;
	char *yaml = plan_export(content, &len);

	if (plan_parse("exported", yaml, len, &again, errors) ||
	    !json_equal(content, again)) {
		char *a = json_dumps(content, JSON_ENCODE_ANY);
		char *b = json_dumps(errors, 0);

		fprintf(stderr, "round trip broken\ncontent: %s\nexport:\n%s\n"
			"errors: %s\n", a, yaml, b);
		abort();
	}
	diff = plan_diff(content, again);
	if (json_array_size(diff)) {
		fprintf(stderr, "a plan differs from itself\n");
		abort();
	}
	r = plan_render(again, "en");
	json_decref(r);
	json_decref(diff);
	json_decref(again);
	json_decref(errors);
	free(yaml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *errors = json_array(), *content = NULL;
	char *html;

	if (!plan_parse("fuzz.yaml", (const char *)data, size, &content,
			errors))
		round_trip(content);
	else if (content || !json_array_size(errors))
		abort();	/* a refusal always says why */
	html = plan_markdown_html((const char *)data, size);
	free(html);
	json_decref(content);
	json_decref(errors);
	return 0;
}
