/*
 * csv.c - reading and writing CSV tables (RFC 4180).
 */
#include "util/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

#define CSV_WIDTH_MAX 64

struct rd {
	const char *p, *end;
	int line;		/* the line p is on */
	char *err;
	size_t errsz;
};

/* One field at r->p into b; 0, or -1 (reported) when malformed. */
static int field(struct rd *r, struct buf *b, int start)
{
	if (r->p < r->end && *r->p == '"') {
		for (r->p++;; r->p++) {
			if (r->p == r->end) {
				snprintf(r->err, r->errsz, "line %d: a quote "
					 "is not closed", start);
				return -1;
			}
			if (*r->p == '"' && r->p + 1 < r->end &&
			    r->p[1] == '"') {
				buf_add(b, r->p++, 1);
			} else if (*r->p == '"') {
				r->p++;
				break;
			} else {
				r->line += *r->p == '\n';
				if (!*r->p)
					goto nul;
				buf_add(b, r->p, 1);
			}
		}
		if (r->p < r->end && *r->p != ',' && *r->p != '\n' &&
		    *r->p != '\r') {
			snprintf(r->err, r->errsz, "line %d: text after a "
				 "closing quote", r->line);
			return -1;
		}
		return 0;
	}
	for (; r->p < r->end && *r->p != ',' && *r->p != '\n' &&
	       *r->p != '\r'; r->p++) {
		if (!*r->p || *r->p == '"')
			goto nul;
		buf_add(b, r->p, 1);
	}
	return 0;
nul:
	snprintf(r->err, r->errsz, "line %d: %s", r->line, *r->p
		 ? "a quote inside an unquoted field" : "a NUL byte");
	return -1;
}

/* The end of a record: LF, CRLF or the end of the text. */
static int record_end(struct rd *r)
{
	if (r->p < r->end && *r->p == '\r')
		r->p++;
	if (r->p < r->end && *r->p != '\n') {
		snprintf(r->err, r->errsz, "line %d: a lone carriage return",
			 r->line);
		return -1;
	}
	if (r->p < r->end) {
		r->p++;
		r->line++;
	}
	return 0;
}

/*
 * One record into f (owned strings, at most max kept); its field count
 * (which may exceed max) in *n. 0, or -1 when malformed.
 */
static int record(struct rd *r, char **f, int max, int *n)
{
	int start = r->line;

	*n = 0;
	for (;;) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "");
		if (field(r, &b, start)) {
			buf_release(&b);
			return -1;
		}
		if (*n < max)
			f[*n] = buf_detach(&b, NULL);
		else
			buf_release(&b);
		(*n)++;
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		return record_end(r);
	}
}

static void release(char **f, int n, int max)
{
	for (int i = 0; i < n && i < max; i++)
		free(f[i]);
}

int csv_parse(const char *text, size_t len, int width, csv_row_fn *fn,
	      void *ctx, char *err, size_t errsz)
{
	struct rd r = { text, text + len, 1, err, errsz };
	char *f[CSV_WIDTH_MAX];
	int n, rc = 0, header = 1;

	if (width < 1 || width > CSV_WIDTH_MAX) {
		snprintf(err, errsz, "a table of %d fields", width);
		return -1;
	}
	while (!rc && r.p < r.end) {
		int line = r.line;

		if (record(&r, f, width, &n)) {
			release(f, n, width);
			return -1;
		}
		if (n == 1 && !*f[0]) {
			release(f, n, width);
			continue;	/* a blank line */
		}
		if (n != width) {
			snprintf(err, errsz, "line %d: %d fields wanted, %d "
				 "found", line, width, n);
			rc = -1;
		} else if (!header) {
			rc = fn(ctx, f, line);
		}
		header = 0;
		release(f, n, width);
	}
	return rc;
}

void csv_put(struct buf *b, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		buf_adds(b, "\"");
		for (; *s; s++) {
			if (*s == '"')
				buf_adds(b, "\"");
			buf_add(b, s, 1);
		}
		buf_adds(b, "\"");
	} else {
		buf_adds(b, s);
	}
	buf_adds(b, last ? "\r\n" : ",");
}

void csv_put_text(struct buf *b, const char *s, bool last)
{
	char *t;

	if (!*s || !strchr("=+-@\t\r", *s)) {
		csv_put(b, s, last);
		return;
	}
	t = xasprintf("'%s", s);
	csv_put(b, t, last);
	free(t);
}
