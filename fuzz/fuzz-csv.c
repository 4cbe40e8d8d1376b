/*
 * fuzz-csv.c - the CSV reader of the supplies import under libFuzzer.
 *
 * The first byte picks the table's width (1..12), the rest is the table.
 * Property: the rows read, written out again with every field quoted,
 * read back as the same rows. The supply fields are checked as the
 * import checks them (numbers, RFC 3339 times).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct out {
	struct buf b;
	int width;
};

static void field(struct buf *b, const char *s, int last)
{
	buf_adds(b, "\"");
	for (; *s; s++) {
		if (*s == '"')
			buf_adds(b, "\"\"");
		else
			buf_add(b, s, 1);
	}
	buf_adds(b, last ? "\"\r\n" : "\",");
}

static int row(void *ctx, char **f, int line)
{
	struct out *o = ctx;
	int64_t ms;
	char *end;

	if (line < 2)
		abort();	/* the header is line 1 at least */
	for (int i = 0; i < o->width; i++)
		field(&o->b, f[i], i == o->width - 1);
	(void)strtoll(f[0], &end, 10);
	(void)time_parse(f[o->width - 1], &ms);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct out a = { BUF_INIT, 0 }, b = { BUF_INIT, 0 };
	char err[160];
	int rc;

	if (!size)
		return 0;
	a.width = b.width = data[0] % 12 + 1;
	for (int i = 0; i < a.width; i++) {
		field(&a.b, "h", i == a.width - 1);
		field(&b.b, "h", i == b.width - 1);
	}
	rc = csv_parse((const char *)data + 1, size - 1, a.width, row, &a, err,
		       sizeof(err));
	if (!rc && (csv_parse(a.b.data, a.b.len, b.width, row, &b, err,
			      sizeof(err)) ||
		    a.b.len != b.b.len || memcmp(a.b.data, b.b.data, a.b.len))) {
		fprintf(stderr, "rows not read back: %s\n", err);
		abort();
	}
	buf_release(&a.b);
	buf_release(&b.b);
	return 0;
}
