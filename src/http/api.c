/*
 * api.c - helpers shared by the api-*.c handlers.
 */
#include "http/api.h"

#include <stdlib.h>

#include "http/json.h"
#include "util/crypto.h"
#include "util/xalloc.h"

/* Hash body.password into rq->ctx (slow; on the I/O thread). */
int hash_new_password(struct req *rq, struct errbuf *e)
{
	const char *pw = jstr(rq->body, "password", NULL);
	char *h;

	if (!pw)
		return 0;
	h = xmalloc(PWHASH_LEN);
	if (password_hash(pw, h)) {
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

void api_list(struct req *rq, struct resp *rs, enum action right,
	      page_walk *walk)
{
	struct errbuf e = { 0 };
	struct page p = { .items = json_array() };
	int64_t after;
	int rc;

	if (!req_page(rq, rs, &after, &p.limit))
		goto fail;
	rc = app_may(&rq->who, right, NULL, &e);
	if (!rc)
		rc = walk(rq, after, &p);
	if (rc < 0) {
		resp_err(rq, rs, rc, &e);
		goto fail;
	}
	resp_list(rs, p.items, rc == 1 ? p.last : 0);
	return;
fail:
	json_decref(p.items);
}

void api_page(struct req *rq, struct resp *rs, page_call *call)
{
	struct errbuf e = { 0 };
	struct page p = { .items = json_array() };
	int64_t after;
	int rc;

	if (!req_page(rq, rs, &after, &p.limit)) {
		json_decref(p.items);
		return;
	}
	rc = call(rq, after, &p, &e);
	if (rc < 0) {
		json_decref(p.items);
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_list(rs, p.items, rc == 1 ? p.last : 0);
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
