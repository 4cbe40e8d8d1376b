/*
 * fuzz-json.c - request bodies under libFuzzer, read as the HTTP layer
 * reads them: json_body() (the server's decoder), then json_check()
 * against field tables of every kind and the accessors handlers use.
 *
 * Properties: a body that passes a table has every required field, of
 * its type and within its bounds; a body decoded once encodes and
 * decodes to an equal value.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/json.h"
#include "util/clock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct jfield tables[][4] = {
	{ { .name = "name", .type = JT_STRING, .required = true,
	    .max = 255, .min = 1 },
	  { .name = "quantity", .type = JT_INT, .max = 1000000000 },
	  { .name = "inspect_by", .type = JT_STRING, .max = 40 },
	  { .name = "notes", .type = JT_STRING, .max = 4000 } },
	{ { .name = "yaml", .type = JT_STRING, .required = true,
	    .max = 1024 * 1024, .min = 1 },
	  { .name = "file", .type = JT_STRING, .max = 255, .min = 1 },
	  { .name = "is_drill", .type = JT_BOOL },
	  { .name = "members", .type = JT_ARRAY } },
	{ { .name = "amount_cents", .type = JT_INT, .required = true,
	    .min = 1 },
	  { .name = "year", .type = JT_INT, .max = 2999, .min = 2000 },
	  { .name = "review", .type = JT_OBJECT },
	  { .name = "csv", .type = JT_STRING, .max = 1000000, .min = 1 } },
};

static void check_passed(const json_t *body, const struct jfield *f, size_t n)
{
	char small[8];
	int64_t ms;

	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(body, f[i].name);

		if (!v) {
			if (f[i].required)
				abort();
			continue;
		}
		if (f[i].type == JT_STRING) {
			size_t len = json_string_length(v);

			if (!json_is_string(v) || len < f[i].min ||
			    (f[i].max && len > f[i].max))
				abort();
			jcopy(small, sizeof(small), body, f[i].name);
			(void)time_parse(jstr(body, f[i].name, ""), &ms);
		} else if (f[i].type == JT_INT) {
			int64_t x = jint(body, f[i].name, 0);

			if (!json_is_integer(v) || x < (int64_t)f[i].min ||
			    (f[i].max && x > (int64_t)f[i].max))
				abort();
		} else if (f[i].type == JT_BOOL) {
			(void)jbool(body, f[i].name, false);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_error_t je;
	json_t *body = json_body((const char *)data, size, &je), *again;
	char *text;

	if (!body)
		return 0;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		struct errbuf e = { 0 };

		if (!json_check(body, tables[t], 4, &e))
			check_passed(body, tables[t], 4);
	}
	text = json_dumps(body, JSON_ENCODE_ANY);
	again = text ? json_body(text, strlen(text), &je) : NULL;
	if (!again || !json_equal(body, again)) {
		fprintf(stderr, "not read back: %s\n", text ? text : "(null)");
		abort();
	}
	free(text);
	json_decref(again);
	json_decref(body);
	return 0;
}
