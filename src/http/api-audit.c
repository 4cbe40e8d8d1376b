/*
 * api-audit.c - reading the audit log (administrators).
 */
#include "http/routes.h"

#include "app/audit.h"
#include "http/api.h"
#include "http/json.h"
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

static int audit_page(struct req *rq, int64_t after, struct page *p,
		      struct errbuf *e)
{
	return app_audit_list(rq->st, &rq->who, after, p->limit + 1, add_row,
			      p, e);
}

void api_audit_list(struct req *rq, struct resp *rs)
{
	api_page(rq, rs, audit_page);
}
