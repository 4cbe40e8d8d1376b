/*
 * api-tokens.c - API tokens for the CLI and integrations, and the
 * calendar feed token.
 *
 * app/tokens.h decides.
 */
#include "http/routes.h"

#include <string.h>

#include "app/tokens.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/crypto.h"
#include "util/xalloc.h"

static int add_token(void *ctx, const struct token_info *t)
{
	json_array_append_new(ctx, json_token(t));
	return 0;
}

void api_token_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	const char *all = req_query(rq, "all");
	json_t *items = json_array();
	int rc = app_token_list(rq->st, &rq->who, all && !strcmp(all, "1"),
				add_token, items, &e);

	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_list(rs, items, 0);
}

void api_token_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct token_info t = { 0 };
	char secret[TOKEN_LEN];
	int rc = json_check(rq->body, token_create_body.f, token_create_body.n,
			    &e);
	json_t *o;

	if (!rc)
		rc = app_token_issue(rq->st, &rq->who, rq->body, rq->now_ms,
				     &t, secret, &e);
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

/* POST /api/v1/me/feed-token: a new feed token (the old one revoked) and
 * the feed URLs that carry it, shown once. */
void api_feed_token_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct token_info t;
	char secret[TOKEN_LEN];
	json_t *feeds, *o;
	int rc = app_feed_token_issue(rq->st, &rq->who, rq->now_ms, &t,
				      secret, &feeds, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	o = json_token(&t);
	json_object_set_new(o, "token", json_string(secret));
	json_object_set_new(o, "feeds", feeds);
	resp_json(rs, 201, o);
}

void api_feed_token_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = app_feed_token_revoke(rq->st, &rq->who, rq->now_ms, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_status(rs, 204);
}
