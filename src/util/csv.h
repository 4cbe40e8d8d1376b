/*
 * csv.h - reading and writing CSV (RFC 4180) tables, with no I/O: pure,
 * so that it can be fuzzed alone.
 */
#ifndef ERMS_UTIL_CSV_H
#define ERMS_UTIL_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

/* Called for each data row: its `width` fields (NUL-terminated, borrowed
 * for the call) and the line it starts on. Non-zero stops the walk. */
typedef int csv_row_fn(void *ctx, char **fields, int line);

/*
 * Walk the table in text[0..len): a header row, then data rows, each of
 * exactly `width` fields (at most 64). Fields are separated by commas,
 * may be quoted ("a, ""b""" is a, "b"), a quoted one may span lines;
 * records end with LF or CRLF; blank lines are skipped. Returns 0 when
 * every row was handed to fn, fn's non-zero result (err untouched), or
 * -1 with a message in err ("line 3: 9 fields wanted, 10 found", "line 2: a quote is not
 * closed") at the first malformed row: a short or long row, a quote left
 * open, text after a closing quote, a NUL byte.
 */
int csv_parse(const char *text, size_t len, int width, csv_row_fn *fn,
	      void *ctx, char *err, size_t errsz);

/*
 * Append field s to b, quoted when it holds a comma, a quote or a line
 * break (quotes doubled), then a comma, or CRLF when it is the last of
 * its row.
 */
void csv_put(struct buf *b, const char *s, bool last);

/*
 * The same for text someone typed: a field that a spreadsheet would take
 * for a formula (it starts with = + - @, a tab or a CR) is written with
 * an apostrophe first, so that it opens as the text it is.
 */
void csv_put_text(struct buf *b, const char *s, bool last);

#endif
