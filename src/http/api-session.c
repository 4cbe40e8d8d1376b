/*
 * api-session.c - signing in and out, and the signed-in user's own view.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/xalloc.h"

/* On the I/O thread: the slow password check, and the attempt limits. */
void api_session_prep(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct user *u = xcalloc(1, sizeof(*u));
	int64_t retry = 0;
	int rc;

	rq->ctx = u;
	rq->ctx_free = free;
	rc = json_check(rq->body, signin_body.f, signin_body.n, &e);
	if (!rc)
		rc = app_check_password(rq->app, rq->st,
					jstr(rq->body, "login", ""),
					jstr(rq->body, "password", ""),
					rq->addr, rq->now_ms, u, &retry, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		if (retry)
			resp_header(rs, "Retry-After", "%lld",
				    (long long)retry);
	}
}

static json_t *session_json(const struct user *u, const char *csrf)
{
	return json_pack("{s:o, s:s}", "user", json_user(u), "csrf_token",
			 csrf);
}

void api_session_create(struct req *rq, struct resp *rs)
{
	const struct user *u = rq->ctx;
	char secret[TOKEN_LEN], csrf[TOKEN_LEN];
	int rc = app_session_create(rq->st, u, rq->now_ms, secret, csrf);

	if (rc) {
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_json(rs, 200, session_json(u, csrf));
	resp_header(rs, "Set-Cookie",
		    "erms_session=%s; Path=/; HttpOnly; SameSite=Strict%s",
		    secret, rq->app->cfg.https ? "; Secure" : "");
}

void api_session_get(struct req *rq, struct resp *rs)
{
	if (!rq->who.session_id) {
		resp_fail(rq, rs, 404, "not_found", NULL,
			  "signed in with a token, not a session");
		return;
	}
	resp_json(rs, 200, session_json(&rq->who.user, rq->who.csrf));
}

void api_session_delete(struct req *rq, struct resp *rs)
{
	int rc;

	if (!rq->who.session_id) {
		resp_fail(rq, rs, 404, "not_found", NULL,
			  "signed in with a token, not a session");
		return;
	}
	rc = app_session_revoke(rq->st, &rq->who, rq->now_ms);
	if (rc) {
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_status(rs, 204);
	resp_header(rs, "Set-Cookie",
		    "erms_session=; Path=/; HttpOnly; SameSite=Strict; "
		    "Max-Age=0%s", rq->app->cfg.https ? "; Secure" : "");
}

static int add_group(void *ctx, const struct membership *m,
		     const struct user *u)
{
	(void)u;
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "key",
					     m->group_key, "kind",
					     group_kind_name(m->kind), "role",
					     member_role_name(m->role)));
	return 0;
}

static bool in_group(const json_t *groups, const char *key)
{
	const json_t *g;
	size_t i;

	json_array_foreach(groups, i, g)
		if (!strcmp(json_string_value(json_object_get(g, "key")), key))
			return true;
	return false;
}

/* The rights of the signed-in user, a team's rights included. */
void api_me_get(struct req *rq, struct resp *rs)
{
	json_t *groups = json_array(), *rights = json_array();
	int rc = store_groups_of_user(rq->st, rq->who.user.id, add_group,
				      groups);

	if (rc) {
		json_decref(groups);
		json_decref(rights);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	for (int a = 0; a < A__COUNT; a++) {
		const char *team = action_team((enum action)a);
		struct object o = { .actor_in_group = team &&
				    in_group(groups, team) };

		if (may(&rq->who.actor, (enum action)a, team ? &o : NULL))
			json_array_append_new(rights,
					      json_string(action_name(a)));
	}
	resp_json(rs, 200, json_pack("{s:o, s:o, s:o}", "user",
				     json_user(&rq->who.user), "groups",
				     groups, "rights", rights));
}

void api_me_prep(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	char cur[PWHASH_LEN];
	int rc = json_check(rq->body, me_body.f, me_body.n, &e);

	if (!rc)
		rc = check_profile(rq->body, &e);
	if (!rc && jhas(rq->body, "password")) {
		rc = store_user_pwhash(rq->st, rq->who.user.id, cur,
				       sizeof(cur));
		if (!rc && !password_verify(cur, jstr(rq->body,
						      "current_password", ""))) {
			errbuf_set(&e, "invalid",
				   "current_password is wrong or missing");
			errbuf_field(&e, "current_password");
			rc = ERMS_EINVAL;
		}
		if (!rc)
			rc = hash_new_password(rq, &e);
	}
	if (rc)
		resp_err(rq, rs, rc, &e);
}

void api_me_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct user u;
	int rc = store_user_get(rq->st, rq->who.user.id, &u);

	if (!rc) {
		apply_profile(rq->body, &u);
		rc = app_user_update(rq->st, &rq->who, &u, rq->ctx, rq->now_ms,
				     &e);
	}
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, json_user(&u));
}
