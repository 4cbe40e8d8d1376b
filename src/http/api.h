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
#include "util/err.h"

/* The rules of locale, email and password fields present in body b. */
int check_profile(const json_t *b, struct errbuf *e);
/* Hash body.password, when present, into rq->ctx (Argon2id: slow). */
int hash_new_password(struct req *rq, struct errbuf *e);
/* Copy display_name, email, phone and locale present in b into u. */
void apply_profile(const json_t *b, struct user *u);

/*
 * A page of a list: rows are read with limit + 1 so that the extra row
 * tells whether there is a next page. In a row callback:
 *     if (page_full(p)) return 1;  ... append ...; p->last = id;
 */
struct page {
	json_t *items;
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

/* A paginated list route: the right, ?cursor= and ?limit=, the walk. */
void api_list(struct req *rq, struct resp *rs, enum action right,
	      page_walk *walk);

#endif
