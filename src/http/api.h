/*
 * api.h - helpers shared by the api-*.c handlers (accounts).
 */
#ifndef ERMS_HTTP_API_H
#define ERMS_HTTP_API_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"
#include "http/req.h"
#include "util/buf.h"
#include "util/err.h"

/* Hash body.password, when present, into rq->ctx (Argon2id: slow). */
int hash_new_password(struct req *rq, struct errbuf *e);

/*
 * A page of a list: rows are read with limit + 1 so that the extra row
 * tells whether there is a next page. In a row callback:
 *     if (page_full(p)) return 1;  ... append ...; p->last = id;
 * Rows are appended to items, or written as JSON into rows in pages of
 * api_page_rows() (page_sep() before each).
 */
struct page {
	json_t *items;
	struct buf *rows;
	int64_t last;
	int n, limit;
};

/* Counts the row; true when it is the extra one past the page. */
bool page_full(struct page *p);

/*
 * Walk one page of rows after the id `after` (p->limit + 1 of them) into
 * p; returns 1 when there are more, 0 at the end, or an ERMS_E* code.
 */
typedef int page_walk(struct req *rq, int64_t after, struct page *p);

/* A paginated list route: the right, ?cursor= and ?limit=, the walk.
 * For walks that call the store themselves; new code uses api_page(). */
void api_list(struct req *rq, struct resp *rs, enum action right,
	      page_walk *walk);

/*
 * The same through one app call that asks the right itself: returns 1
 * when there are more, 0 at the end, or an ERMS_E* code with e filled.
 */
typedef int page_call(struct req *rq, int64_t after, struct page *p,
		      struct errbuf *e);

/* The answer of a whole-list route: {items} (the items stolen), or the
 * error rc (the items freed). */
void api_answer_list(struct req *rq, struct resp *rs, int rc, json_t *items,
		     const struct errbuf *e);

/* A paginated list route: ?cursor= and ?limit=, then the app call. */
void api_page(struct req *rq, struct resp *rs, page_call *call);
/*
 * The same for a call that writes each row as JSON into p->rows (no
 * tree per row): the answer, {"items": [...], "next_cursor": ...}, is
 * built around them in the same buffer.
 */
void api_page_rows(struct req *rq, struct resp *rs, page_call *call);
/* In a row callback of api_page_rows(), after page_full(): the comma
 * before every row but the first. */
void page_sep(struct page *p);

/* The incident list's filter (status, level, category, is_drill, from,
 * to, q) from the query string into f: 0, or ERMS_EINVAL with e naming
 * the argument. Strings are borrowed from the request. */
struct incident_filter;
int api_incident_filter(struct req *rq, struct incident_filter *f,
			struct errbuf *e);

#endif
