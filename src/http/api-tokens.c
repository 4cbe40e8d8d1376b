/*
 * api-tokens.c - API tokens for the CLI and integrations, and the
 * calendar feed token.
 *
 * An API token expires: after expires_in_days or at expires_at, else 90
 * days after it is made. A feed token (one per user) works only as
 * ?token= on the .ics feeds, and an API token never does there.
 */
#include "http/routes.h"

#include <string.h>

#include "app/notify.h"
#include "http/fields.h"
#include "http/json.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/xalloc.h"
#include "util/crypto.h"

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

/* The expiry asked for in the body into *ms (0: the default). */
static int token_expiry(struct req *rq, int64_t *ms, struct errbuf *e)
{
	const char *at = jstr(rq->body, "expires_at", NULL);
	int64_t days = jint(rq->body, "expires_in_days", 0);

	*ms = days ? rq->now_ms + days * 86400000LL : 0;
	if (at && days) {
		errbuf_set(e, "invalid",
			   "give expires_at or expires_in_days, not both");
		errbuf_field(e, "expires_at");
		return ERMS_EINVAL;
	}
	if (at && (time_parse(at, ms) || *ms <= rq->now_ms ||
		   *ms > rq->now_ms + TOKEN_DAYS_MAX * 86400000LL)) {
		errbuf_set(e, "invalid", "expires_at must be an RFC 3339 time "
			   "in the future, at most %d days ahead",
			   TOKEN_DAYS_MAX);
		errbuf_field(e, "expires_at");
		return ERMS_EINVAL;
	}
	return 0;
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
		rc = token_expiry(rq, &t.expires_ms, &e);
	if (!rc) {
		jcopy(t.name, sizeof(t.name), rq->body, "name");
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

/* POST /api/v1/me/feed-token: a new feed token (the old one revoked) and
 * the feed URLs that carry it, shown once. */
void api_feed_token_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct token_info t;
	char secret[TOKEN_LEN];
	const char *base = notify_base_url();
	size_t bl = strlen(base);
	int rc = app_feed_token_create(rq->st, &rq->who, &t, secret,
				       rq->now_ms, &e);
	json_t *o;

	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	if (bl && base[bl - 1] == '/')
		bl--;
	o = json_token(&t);
	json_object_set_new(o, "token", json_string(secret));
	json_object_set_new(o, "feeds", json_pack(
		"{s:o, s:o}",
		"shifts", json_sprintf("%.*s/api/v1/users/%lld/shifts.ics"
				       "?token=%s", (int)bl, base,
				       (long long)rq->who.user.id, secret),
		"drills", json_sprintf("%.*s/api/v1/drills.ics?token=%s",
				       (int)bl, base, secret)));
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
