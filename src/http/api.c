/*
 * api.c - helpers shared by the api-*.c handlers.
 */
#include "http/api.h"

#include <stdlib.h>

#include "http/json.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/xalloc.h"

/* Hash body.password into rq->ctx (slow; on the I/O thread). */
int hash_new_password(struct req *rq, struct errbuf *e)
{
	const char *pw = jstr(rq->body, "password", NULL);
	char *h;
	int rc;

	if (!pw)
		return 0;
	if (pwgate_enter())
		return err_fail(e, ERMS_EBUSY, NULL, "too many password "
				"changes at once; try again in a moment");
	h = xmalloc(PWHASH_LEN);
	rc = password_hash(pw, h);
	pwgate_leave();
	if (rc) {
		free(h);
		return err_ret(e, ERMS_ESTORE, "unavailable",
			       "cannot hash the password");
	}
	rq->ctx = h;
	rq->ctx_free = free;
	return 0;
}

bool page_full(struct page *p)
{
	return p->n++ == p->limit;
}

/* ?cursor= (or ?after=: an id to start after) and ?limit= (1..500,
 * default 100). */
static int page_args(struct req *rq, int64_t *after, int *limit,
		     struct errbuf *e)
{
	const char *c = req_query(rq, "cursor");
	const char *l = req_query(rq, "limit");
	char *end;
	long long v;

	*after = 0;
	*limit = 100;
	if (!c)
		c = req_query(rq, "after");
	if (c && *c) {
		v = strtoll(c, &end, 10);
		if (*end || v < 0) {
			errbuf_field(e, "cursor");
			return err_ret(e, ERMS_EINVAL, "invalid",
				       "bad cursor '%s'", c);
		}
		*after = v;
	}
	if (l && *l) {
		v = strtoll(l, &end, 10);
		if (*end || v < 1 || v > 500) {
			errbuf_field(e, "limit");
			return err_ret(e, ERMS_EINVAL, "invalid",
				       "limit must be 1 to 500");
		}
		*limit = (int)v;
	}
	return 0;
}

/* The page p (rc 1: more follow), or the error rc. */
static void answer_page(struct req *rq, struct resp *rs, int rc,
			struct page *p, const struct errbuf *e)
{
	if (rc < 0) {
		json_decref(p->items);
		resp_err(rq, rs, rc, e);
		return;
	}
	resp_list(rs, p->items, rc == 1 ? p->last : 0);
}

void api_list(struct req *rq, struct resp *rs, enum action right,
	      page_walk *walk)
{
	struct errbuf e = { 0 };
	struct page p = { .items = json_array() };
	int64_t after;
	int rc = page_args(rq, &after, &p.limit, &e);

	if (!rc)
		rc = app_may(&rq->who, right, NULL, &e);
	if (!rc)
		rc = walk(rq, after, &p);
	answer_page(rq, rs, rc, &p, &e);
}

void api_page(struct req *rq, struct resp *rs, page_call *call)
{
	struct errbuf e = { 0 };
	struct page p = { .items = json_array() };
	int64_t after;
	int rc = page_args(rq, &after, &p.limit, &e);

	if (!rc)
		rc = call(rq, after, &p, &e);
	answer_page(rq, rs, rc, &p, &e);
}

void page_sep(struct page *p)
{
	if (p->n > 1)
		buf_add(p->rows, ",", 1);
}

void api_page_rows(struct req *rq, struct resp *rs, page_call *call)
{
	struct errbuf e = { 0 };
	struct buf b = BUF_INIT;
	struct page p = { .rows = &b };
	int64_t after;
	size_t len;
	int rc = page_args(rq, &after, &p.limit, &e);

	buf_adds(&b, "{\"items\":[");
	if (!rc)
		rc = call(rq, after, &p, &e);
	if (rc < 0) {
		buf_release(&b);
		resp_err(rq, rs, rc, &e);
		return;
	}
	if (rc == 1)
		buf_addf(&b, "],\"next_cursor\":\"%lld\"}",
			 (long long)p.last);
	else
		buf_adds(&b, "],\"next_cursor\":null}");
	char *body = buf_detach(&b, &len);

	resp_take(rs, 200, "application/json", body, len);
}

void api_answer_list(struct req *rq, struct resp *rs, int rc, json_t *items,
		     const struct errbuf *e)
{
	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, e);
		return;
	}
	resp_list(rs, items, 0);
}
