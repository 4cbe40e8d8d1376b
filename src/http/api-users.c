/*
 * api-users.c - user accounts (administrators manage them).
 */
#include "http/routes.h"

#include <string.h>

#include "core/account.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "store/store.h"
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

static int users_page(struct req *rq, int64_t after, struct page *p)
{
	return store_user_list(rq->st, after, p->limit + 1, add_user, p);
}

void api_user_list(struct req *rq, struct resp *rs)
{
	api_list(rq, rs, A_USER_LIST, users_page);
}

void api_user_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t id = req_param_id(rq, 0);
	struct object o = { .owner_id = id };
	struct user u;
	int rc = app_may(&rq->who, A_USER_READ, &o, &e);

	if (!rc)
		rc = store_user_get(rq->st, id, &u);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, json_user(&u));
}

/* On the I/O thread: rights, checks and the slow password hash. */
void api_user_prep(struct req *rq, struct resp *rs)
{
	bool create = !strcmp(rq->method, "POST");
	struct object o = { .owner_id = create ? 0 : req_param_id(rq, 0) };
	struct errbuf e = { 0 };
	const char *login = jstr(rq->body, "login", NULL);
	int rc = app_may(&rq->who, create ? A_USER_CREATE : A_USER_UPDATE, &o,
			 &e);

	if (!rc)
		rc = create ? json_check(rq->body, user_create_body.f,
					 user_create_body.n, &e)
			    : json_check(rq->body, user_update_body.f,
					 user_update_body.n, &e);
	if (!rc && login && !login_valid(login)) {
		errbuf_set(&e, "invalid",
			   "a login is 1 to 64 of a-z, 0-9, '.', '_', '-'");
		errbuf_field(&e, "login");
		rc = ERMS_EINVAL;
	}
	if (!rc)
		rc = check_profile(rq->body, &e);
	if (!rc)
		rc = hash_new_password(rq, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
}

void api_user_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct user u = { .locale = "zh-CN" };
	int rc;

	jcopy(u.login, sizeof(u.login), rq->body, "login");
	apply_profile(rq->body, &u);
	u.is_admin = jbool(rq->body, "is_admin", false);
	rc = app_user_create(rq->st, &rq->who, &u, rq->ctx, rq->now_ms, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, json_user(&u));
}

void api_user_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t id = req_param_id(rq, 0);
	struct user u;
	int rc = store_user_get(rq->st, id, &u);

	if (!rc) {
		apply_profile(rq->body, &u);
		u.is_admin = jbool(rq->body, "is_admin", u.is_admin);
		u.disabled = jbool(rq->body, "disabled", u.disabled);
		rc = app_user_update(rq->st, &rq->who, &u, rq->ctx, rq->now_ms,
				     &e);
	}
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, json_user(&u));
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
