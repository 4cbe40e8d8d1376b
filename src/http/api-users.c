/*
 * api-users.c - user accounts (administrators manage them).
 */
#include "http/routes.h"

#include <string.h>

#include "app/users.h"
#include "core/account.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/xalloc.h"

static int add_user(void *ctx, const struct user *u)
{
	struct page *p = ctx;

	if (page_full(p))
		return 1;
	json_array_append_new(p->items, json_user(u));
	p->last = u->id;
	return 0;
}

static int users_page(struct req *rq, int64_t after, struct page *p,
		      struct errbuf *e)
{
	return app_user_list(rq->st, &rq->who, after, p->limit + 1, add_user,
			     p, e);
}

void api_user_list(struct req *rq, struct resp *rs)
{
	api_page(rq, rs, users_page);
}

void api_user_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct user u;
	int rc = app_user_read(rq->st, &rq->who, req_param_id(rq, 0), &u, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, json_user(&u));
		resp_etag(rs, u.stamp.version);
	}
}

/* On the I/O thread: rights, checks and the slow password hash. */
void api_user_prep(struct req *rq, struct resp *rs)
{
	bool create = !strcmp(rq->method, "POST");
	struct errbuf e = { 0 };
	int rc = create ? json_check(rq->body, user_create_body.f,
				     user_create_body.n, &e)
			: json_check(rq->body, user_update_body.f,
				     user_update_body.n, &e);

	if (!rc)
		rc = app_user_vet(&rq->who, create ? 0 : req_param_id(rq, 0),
				  rq->body, &e);
	if (!rc)
		rc = hash_new_password(rq, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
}

/* Answer the user u with status, or the error rc. */
static void answer_user(struct req *rq, struct resp *rs, int rc, int status,
			const struct user *u, const struct errbuf *e)
{
	if (rc) {
		resp_err(rq, rs, rc, e);
	} else {
		resp_json(rs, status, json_user(u));
		resp_etag(rs, u->stamp.version);
	}
}

void api_user_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct user u;
	int rc = app_user_add(rq->st, &rq->who, rq->body, rq->ctx, rq->now_ms,
			      &u, &e);

	answer_user(rq, rs, rc, 201, &u, &e);
}

void api_user_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct user u;
	int rc = app_user_edit(rq->st, &rq->who, req_param_id(rq, 0),
			       rq->body, rq->ctx, rq->now_ms, &u, &e);

	answer_user(rq, rs, rc, 200, &u, &e);
}

void api_user_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = app_user_disable(rq->st, &rq->who, req_param_id(rq, 0),
				  rq->now_ms, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_status(rs, 204);
}
