/*
 * api-audit.c - reading the audit log (administrators).
 */
#include "http/routes.h"

#include "http/api.h"
#include "http/json.h"
#include "store/store.h"
#include "util/xalloc.h"

static int add_row(void *ctx, const struct audit_row *r)
{
	struct page *p = ctx;

	if (page_full(p))
		return 1;
	json_array_append_new(p->items, json_audit(r));
	p->last = r->id;
	return 0;
}

void api_audit_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct page p = { .items = json_array() };
	int64_t after;
	int rc;

	if (!req_page(rq, rs, &after, &p.limit))
		goto fail;
	rc = app_may(&rq->who, A_AUDIT_READ, NULL, &e);
	if (!rc)
		rc = store_audit_list(rq->st, after, p.limit + 1, add_row, &p);
	if (rc < 0) {
		resp_err(rq, rs, rc, &e);
		goto fail;
	}
	resp_list(rs, p.items, rc == 1 ? p.last : 0);
	return;
fail:
	json_decref(p.items);
}
