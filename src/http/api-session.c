/*
 * api-session.c - signing in and out, and the signed-in user's own view.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/users.h"
#include "app/zone.h"
#include "core/account.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/crypto.h"
#include "util/xalloc.h"

/*
 * In a slot of the password gate: the slow check itself (64 MiB of
 * Argon2id), off the I/O thread, so that the other requests of that
 * thread are not held up behind it. Late (no slot in time, or the queue
 * full): 503 busy with Retry-After, the attempt given back.
 */
static void session_check(struct req *rq, struct resp *rs, bool late)
{
	struct errbuf e = { 0 };
	int rc = app_signin_finish(rq->app, rq->ctx,
				   jstr(rq->body, "login", ""),
				   jstr(rq->body, "password", ""), rq->addr,
				   late, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
}

/* On the I/O thread: the attempt limits and the login's hash; the check
 * follows in the gate (session_check()). */
void api_session_prep(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct signin *s = xcalloc(1, sizeof(*s));
	int64_t retry = 0;
	int rc;

	rq->ctx = s;
	rq->ctx_free = free;
	rc = json_check(rq->body, signin_body.f, signin_body.n, &e);
	if (!rc)
		rc = app_signin_begin(rq->app, rq->st,
				      jstr(rq->body, "login", ""), rq->addr,
				      rq->now_ms, s, &retry, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		if (retry)
			resp_header(rs, "Retry-After", "%lld",
				    (long long)retry);
		return;
	}
	req_defer(rq, session_check);
}

static json_t *session_json(const struct user *u, const char *csrf)
{
	return json_pack("{s:o, s:s}", "user", json_user(u), "csrf_token",
			 csrf);
}

void api_session_create(struct req *rq, struct resp *rs)
{
	const struct signin *s = rq->ctx;
	const struct user *u = &s->user;
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

/* ERMS_ENOTFOUND unless rq is signed in with a session (a cookie). */
static int session_of(const struct req *rq, struct errbuf *e)
{
	if (rq->who.session_id)
		return 0;
	return err_fail(e, ERMS_ENOTFOUND, NULL,
			"signed in with a token, not a session");
}

void api_session_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = session_of(rq, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, session_json(&rq->who.user, rq->who.csrf));
}

void api_session_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = session_of(rq, &e);

	if (!rc)
		rc = app_session_revoke(rq->st, &rq->who, rq->now_ms);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_status(rs, 204);
	resp_header(rs, "Set-Cookie",
		    "erms_session=; Path=/; HttpOnly; SameSite=Strict; "
		    "Max-Age=0%s", rq->app->cfg.https ? "; Secure" : "");
}

/* The rights of the signed-in user, a team's rights included. */
void api_me_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *groups, *rights;
	char zone[64];
	int rc = app_me_view(rq->st, &rq->who, &groups, &rights, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	app_zone_for(rq->st, &rq->who, zone);
	resp_json(rs, 200, json_pack("{s:o, s:o, s:o, s:s}", "user",
				     json_user(&rq->who.user), "groups",
				     groups, "rights", rights,
				     "effective_time_zone", zone));
	resp_etag(rs, rq->who.user.stamp.version);
}

void api_me_prep(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = json_check(rq->body, me_body.f, me_body.n, &e);

	if (!rc)
		rc = app_me_vet(rq->st, &rq->who, rq->body, &e);
	if (!rc)
		rc = hash_new_password(rq, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
}

void api_me_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct user u;
	int rc = app_me_edit(rq->st, &rq->who, rq->body, rq->ctx, rq->now_ms,
			     &u, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, json_user(&u));
		resp_etag(rs, u.stamp.version);
	}
}
