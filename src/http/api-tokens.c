/*
 * api-tokens.c - API tokens for the CLI and integrations.
 */
#include "http/routes.h"

#include <string.h>

#include "http/json.h"
#include "store/store.h"
#include "util/xalloc.h"
#include "util/crypto.h"

static const struct jfield create_fields[] = {
	{ "name", JT_STRING, true, NAME_MAX_, 1 },
	{ "expires_in_days", JT_INT, false, 3650, 1 },
};

static int add_token(void *ctx, const struct token_info *t)
{
	json_array_append_new(ctx, json_token(t));
	return 0;
}

void api_token_list(struct req *rq, struct resp *rs)
{
	const char *all = req_query(rq, "all");
	json_t *items = json_array();
	int64_t uid = rq->who.user.id;
	int rc;

	if (all && !strcmp(all, "1") && rq->who.actor.is_admin)
		uid = 0;
	rc = store_token_list(rq->st, uid, add_token, items);
	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_list(rs, items, 0);
}

void api_token_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct token_info t = { 0 };
	char secret[TOKEN_LEN];
	int64_t days;
	int rc = json_check(rq->body, create_fields, ARRAY_SIZE(create_fields),
			    &e);
	json_t *o;

	if (!rc) {
		jcopy(t.name, sizeof(t.name), rq->body, "name");
		days = jint(rq->body, "expires_in_days", 0);
		t.expires_ms = days ? rq->now_ms + days * 86400000LL : 0;
		rc = app_token_create(rq->st, &rq->who, &t, secret, rq->now_ms,
				      &e);
	}
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	o = json_token(&t);
	json_object_set_new(o, "token", json_string(secret));
	resp_json(rs, 201, o);
}

void api_token_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = app_token_revoke(rq->st, &rq->who, req_param_id(rq, 0),
				  rq->now_ms, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_status(rs, 204);
}
