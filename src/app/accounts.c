/*
 * accounts.c - users, sessions and tokens: the use cases (groups are in
 * groups.c).
 *
 * Each write checks rights with may(), changes the rows and appends its
 * audit row, all in the caller's transaction. There is always a
 * principal: principal_system for what erms and the operator's local
 * commands do. Secrets handed out (cookie,
 * token) are kept only as their SHA-256.
 */
#define LOG_MOD "accounts"
#include "app/app.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/version.h"
#include "core/account.h"
#include "core/calendar.h"
#include "core/planflow.h"
#include "store/store.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/xalloc.h"

const struct principal principal_system = {
	.actor = { .system = true },
	.user = { .login = "system", .display_name = "system" },
};

int app_may(const struct principal *p, enum action act,
	    const struct object *o, struct errbuf *err)
{
	if (may(&p->actor, act, o))
		return 0;
	return err_ret(err, ERMS_EPERM, "forbidden",
		       "not allowed to %s", action_name(act));
}

struct actor_at {
	struct actor *a;
	int64_t now_ms;
};

static int flag_kind(void *ctx, const struct membership *m,
		     const struct user *u)
{
	struct actor_at *x = ctx;
	struct actor *a = x->a;

	(void)u;
	if (m->kind == GK_LEADERSHIP) {
		a->in_leadership = true;
		if (pv_review_settled(m->review_from_ms, x->now_ms))
			a->reviewer = true;
	} else if (m->kind == GK_COMMAND) {
		a->in_command = true;
	} else {
		a->in_team = true;
	}
	return 0;
}

int app_load_actor(struct store *st, struct principal *p, int64_t now_ms)
{
	struct actor_at x = { &p->actor, now_ms };

	p->actor = (struct actor){
		.user_id = p->user.id,
		.is_admin = p->user.is_admin,
	};
	return store_groups_of_user(st, p->user.id, flag_kind, &x);
}

static int load_user(struct store *st, int64_t user_id, int64_t now_ms,
		     struct principal *out)
{
	int rc = store_user_get(st, user_id, &out->user);

	if (rc == ERMS_ENOTFOUND || (!rc && out->user.disabled))
		return ERMS_EAUTH;
	return rc ? rc : app_load_actor(st, out, now_ms);
}

/* Whether session s still works at now_ms (idle counted unless
 * `in_use`); sets *until to its absolute end. */
static bool session_good(const struct app *app, const struct session *s,
			 int64_t now_ms, bool in_use, int64_t *until)
{
	*until = s->created_ms + app->cfg.session_max_ms;
	if (s->revoked || now_ms >= *until)
		return false;
	return in_use || now_ms - s->last_seen_ms <= app->cfg.session_idle_ms;
}

int app_auth_session(struct app *app, struct store *st, const char *secret,
		     int64_t now_ms, struct principal *out)
{
	char h[SHA256_HEX_LEN];
	struct session s;
	int rc;

	memset(out, 0, sizeof(*out));
	sha256_hex(secret, strlen(secret), h);
	rc = store_session_get(st, h, &s);
	if (rc == ERMS_ENOTFOUND)
		return ERMS_EAUTH;
	if (rc)
		return rc;
	if (!session_good(app, &s, now_ms, false, &out->valid_until_ms))
		return ERMS_EAUTH;
	out->session_id = s.id;
	out->last_seen_ms = s.last_seen_ms;
	memcpy(out->csrf, s.csrf, sizeof(out->csrf));
	return load_user(st, s.user_id, now_ms, out);
}

/* Whether token t works at now_ms as the kind wanted. */
static bool token_good(const struct token_info *t, bool feed, int64_t now_ms)
{
	return !t->revoked && t->feed == feed &&
	       (!t->expires_ms || now_ms < t->expires_ms);
}

/* Resolve a token secret of the kind wanted (an API token, or a feed
 * token) into out; ERMS_EAUTH unless it is known, current and that kind. */
static int auth_token(struct store *st, const char *secret, bool feed,
		      int64_t now_ms, struct principal *out)
{
	const char *prefix = feed ? "ermsf_" : "erms_";
	char h[SHA256_HEX_LEN];
	struct token_info t;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strncmp(secret, prefix, strlen(prefix)))
		return ERMS_EAUTH;
	sha256_hex(secret, strlen(secret), h);
	rc = store_token_by_hash(st, h, &t);
	if (rc == ERMS_ENOTFOUND)
		return ERMS_EAUTH;
	if (rc)
		return rc;
	if (!token_good(&t, feed, now_ms))
		return ERMS_EAUTH;
	out->token_id = t.id;
	out->last_seen_ms = t.last_used_ms;
	out->valid_until_ms = t.expires_ms;
	return load_user(st, t.user_id, now_ms, out);
}

int app_auth_token(struct store *st, const char *secret, int64_t now_ms,
		   struct principal *out)
{
	return auth_token(st, secret, false, now_ms, out);
}

int app_auth_feed_token(struct store *st, const char *secret, int64_t now_ms,
			struct principal *out)
{
	return auth_token(st, secret, true, now_ms, out);
}

bool app_auth_refresh(struct app *app, struct store *st)
{
	int64_t gen;

	if (store_auth_epoch(st, &gen))
		return false;
	return atomic_exchange(&app->auth_gen, gen) != gen;
}

int64_t app_auth_gen(struct app *app)
{
	return atomic_load(&app->auth_gen);
}

int app_recheck(struct app *app, struct store *st, struct principal *p,
		int64_t now_ms)
{
	struct principal fresh = *p;
	int rc;

	if (p->session_id) {
		struct session s;

		rc = store_session_by_id(st, p->session_id, &s);
		if (!rc && !session_good(app, &s, now_ms, true,
					 &fresh.valid_until_ms))
			rc = ERMS_EAUTH;
	} else {
		struct token_info t;

		rc = store_token_get(st, p->token_id, &t);
		if (!rc && !token_good(&t, false, now_ms))
			rc = ERMS_EAUTH;
		if (!rc)
			fresh.valid_until_ms = t.expires_ms;
	}
	if (rc == ERMS_ENOTFOUND)
		rc = ERMS_EAUTH;
	if (!rc)
		rc = load_user(st, p->user.id, now_ms, &fresh);
	if (!rc)
		*p = fresh;
	return rc;
}

/*
 * Unknown logins are checked against the hash of a random password, so
 * that they cost the same time as known ones and timing does not tell
 * which logins exist.
 */
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PWHASH_LEN];

static void make_dummy(void)
{
	char pw[TOKEN_LEN];

	token_new("", pw);
	if (password_hash(pw, dummy_hash))
		dummy_hash[0] = '\0';
}

/* A sign-in attempt's reservation or its return, on the writer. */
struct limit_call {
	struct app *app;
	const char *login, *addr;
	int64_t now_ms, wait_s;
	bool reserve;
};

static int limit_run(struct store *st, void *ctx)
{
	struct limit_call *c = ctx;

	if (c->reserve)
		return limits_reserve_in(&c->app->limits, st, c->login,
					 c->addr, c->now_ms, &c->wait_s);
	return limits_release_in(&c->app->limits, st, c->login, c->addr,
				 c->now_ms);
}

/*
 * Reserve an attempt: in memory for one node, in the database when
 * several nodes share it (app/limits.h). A database that cannot be
 * written refuses the attempt for a second rather than not count it.
 */
static int64_t reserve(struct app *app, const char *login, const char *addr,
		       int64_t now_ms)
{
	struct limit_call c = { app, login, addr, now_ms, 0, true };

	if (!store_shared(app->wst))
		return limits_reserve(&app->limits, login, addr, now_ms);
	if (writer_call(&app->writer, limit_run, &c))
		return 1;
	return c.wait_s;
}

static void give_back(struct app *app, const char *login, const char *addr,
		      int64_t now_ms)
{
	struct limit_call c = { app, login, addr, now_ms, 0, false };

	if (!store_shared(app->wst))
		limits_release_attempt(&app->limits, login, addr, now_ms);
	else if (writer_call(&app->writer, limit_run, &c))
		log_warn("cannot give back a sign-in attempt login=\"%s\"",
			 login);
}

int app_signin_begin(struct app *app, struct store *st, const char *login,
		     const char *addr, int64_t now_ms, struct signin *s,
		     int64_t *retry_after_s, struct errbuf *err)
{
	int rc;

	_Static_assert(sizeof(s->pwhash) >= PWHASH_LEN, "pwhash size");
	s->now_ms = now_ms;
	/* Reserved before the slow hash: parallel guesses each take one. */
	*retry_after_s = reserve(app, login, addr, now_ms);
	if (*retry_after_s)
		return err_ret(err, ERMS_ELIMIT, "rate_limited",
			       "too many failed sign-ins; try again in "
			       "%" PRId64 " s", *retry_after_s);
	rc = store_user_by_login(st, login, &s->user, s->pwhash,
				 sizeof(s->pwhash));
	if (rc && rc != ERMS_ENOTFOUND) {
		give_back(app, login, addr, now_ms);
		return rc;
	}
	s->known = !rc;
	return 0;
}

int app_signin_finish(struct app *app, const struct signin *s,
		      const char *login, const char *password,
		      const char *addr, bool late, struct errbuf *err)
{
	bool ok;

	/* No slot in time: no attempt was made, nothing counts, the client
	 * tries again (a queue that answers, not 64 MiB per sign-in). */
	if (late) {
		give_back(app, login, addr, s->now_ms);
		return err_fail(err, ERMS_EBUSY, NULL, "too many sign-ins at "
				"once; try again in a moment");
	}
	if (!s->known)
		pthread_once(&dummy_once, make_dummy);
	ok = password_verify(s->known ? s->pwhash : dummy_hash, password);
	if (!ok || !s->known || s->user.disabled) {
		/* The reservation stays: it was a failure. */
		log_info("sign-in refused login=\"%s\" addr=%s", login, addr);
		return err_ret(err, ERMS_EAUTH, "bad_credentials",
			       "wrong login or password");
	}
	give_back(app, login, addr, s->now_ms);
	return 0;
}

int app_session_create(struct store *st, const struct user *u, int64_t now_ms,
		       char secret[64], char csrf[64])
{
	char h[SHA256_HEX_LEN];
	char obj[32];
	int64_t id;
	int rc;

	token_new("", secret);
	token_new("", csrf);
	sha256_hex(secret, strlen(secret), h);
	rc = store_session_insert(st, h, csrf, u->id, now_ms, &id);
	if (rc)
		return rc;
	snprintf(obj, sizeof(obj), "session:%" PRId64, id);
	return audit_append(st, u->id, "session.create", obj, u->login,
			    now_ms);
}

int app_session_revoke(struct store *st, const struct principal *p,
		       int64_t now_ms)
{
	char obj[32];
	int rc = store_session_revoke(st, p->session_id, now_ms);

	if (rc)
		return rc;
	snprintf(obj, sizeof(obj), "session:%" PRId64, p->session_id);
	return audit_append(st, p->user.id, "session.revoke", obj,
			    p->user.login, now_ms);
}

/* "login=x admin=0 disabled=0 name=..." and what changed. */
static int user_audit(struct store *st, const struct principal *p,
		      const char *action, const struct user *u,
		      const char *extra, int64_t now_ms)
{
	char obj[32];
	char *summary;
	int rc;

	snprintf(obj, sizeof(obj), "user:%" PRId64, u->id);
	summary = xasprintf("login=%s admin=%d disabled=%d locale=%s name=%s%s",
			    u->login, u->is_admin, u->disabled, u->locale,
			    u->display_name, extra);
	rc = audit_append(st, p->user.id, action, obj, summary,
			  now_ms);
	free(summary);
	return rc;
}

/*
 * A new password ends every other sign-in of the user: all of them when
 * someone else (an administrator) set it, all but the session or token
 * that made the change when the user did.
 */
static int revoke_after_password(struct store *st, const struct principal *p,
				 int64_t user_id, int64_t now_ms)
{
	bool own = p->user.id == user_id;
	int rc = store_session_revoke_others(st, user_id,
					     own ? p->session_id : 0, now_ms);

	if (!rc)
		rc = store_token_revoke_others(st, user_id,
					       own ? p->token_id : 0, now_ms);
	return rc;
}

/* p is principal_system for a local command (erms init, erms demo). */
int app_user_create(struct store *st, const struct principal *p,
		    struct user *u, const char *pwhash, int64_t now_ms,
		    struct errbuf *err)
{
	int rc;

	if ((rc = app_may(p, A_USER_CREATE, NULL, err)))
		return rc;
	u->created_ms = now_ms;
	app_stamp(&u->stamp, p);
	rc = store_user_insert(st, u, pwhash);
	if (rc == ERMS_ECONFLICT)
		return err_ret(err, rc, "conflict", "login '%s' is taken",
			       u->login);
	if (rc)
		return rc;
	return user_audit(st, p, "user.create", u, "", now_ms);
}

int app_user_update(struct store *st, const struct principal *p,
		    struct user *u, const char *pwhash, int64_t now_ms,
		    struct errbuf *err)
{
	struct object o = { .owner_id = u->id };
	int rc;

	if (p->user.id != u->id &&
	    (rc = app_may(p, A_USER_UPDATE, &o, err)))
		return rc;
	if (p->user.id == u->id && p->user.is_admin != u->is_admin)
		return err_ret(err, ERMS_EPERM, "forbidden",
			       "you cannot change your own administrator "
			       "right; ask another administrator");
	if (p->user.id == u->id && u->disabled)
		return err_ret(err, ERMS_EPERM, "forbidden",
			       "you cannot disable your own account");
	u->updated_ms = now_ms;
	app_stamp(&u->stamp, p);
	rc = store_user_update(st, u);
	if (!rc && pwhash)
		rc = store_user_set_password(st, u->id, pwhash, now_ms);
	if (!rc && pwhash && !u->disabled)
		rc = revoke_after_password(st, p, u->id, now_ms);
	if (!rc && u->disabled) {
		rc = store_session_revoke_user(st, u->id, now_ms);
		if (!rc)
			rc = store_token_revoke_user(st, u->id, now_ms);
	}
	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no user %" PRId64, u->id);
	if (rc)
		return rc;
	return user_audit(st, p, "user.update", u,
			  pwhash ? " password=changed" : "", now_ms);
}

int app_user_disable(struct store *st, const struct principal *p, int64_t id,
		     int64_t now_ms, struct errbuf *err)
{
	struct object o = { .owner_id = id };
	struct user u;
	int rc;

	if ((rc = app_may(p, A_USER_DELETE, &o, err)))
		return rc;
	rc = store_user_get(st, id, &u);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no user %" PRId64, id);
	if (rc)
		return rc;
	u.disabled = true;
	u.updated_ms = now_ms;
	app_stamp(&u.stamp, p);
	rc = store_user_update(st, &u);
	if (!rc)
		rc = store_session_revoke_user(st, id, now_ms);
	if (!rc)
		rc = store_token_revoke_user(st, id, now_ms);
	if (rc)
		return rc;
	return user_audit(st, p, "user.delete", &u, "", now_ms);
}

int app_token_create(struct store *st, const struct principal *p,
		     struct token_info *t, char secret[64], int64_t now_ms,
		     struct errbuf *err)
{
	char h[SHA256_HEX_LEN];
	char obj[32];
	int rc;

	if ((rc = app_may(p, A_TOKEN_CREATE, NULL, err)))
		return rc;
	if (t->expires_ms && t->expires_ms <= now_ms)
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "expires_at must be in the future");
	if (!t->expires_ms)
		t->expires_ms = now_ms + TOKEN_DAYS_DEFAULT * DAY_MS;
	token_new(t->feed ? "ermsf_" : "erms_", secret);
	sha256_hex(secret, strlen(secret), h);
	t->user_id = p->user.id;
	t->created_ms = now_ms;
	rc = store_token_insert(st, h, t);
	if (rc)
		return rc;
	snprintf(obj, sizeof(obj), "token:%" PRId64, t->id);
	return audit_append(st, p->user.id, "token.create", obj, t->name,
			    now_ms);
}

int app_token_revoke(struct store *st, const struct principal *p, int64_t id,
		     int64_t now_ms, struct errbuf *err)
{
	struct token_info t;
	struct object o;
	char obj[32];
	int rc = store_token_get(st, id, &t);

	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no token %" PRId64, id);
	if (rc)
		return rc;
	o = (struct object){ .owner_id = t.user_id };
	if (!may(&p->actor, A_TOKEN_REVOKE, &o))
		/* Someone else's token: do not reveal that it exists. */
		return err_ret(err, ERMS_ENOTFOUND, "not_found",
			       "no token %" PRId64, id);
	if (t.revoked)
		return err_ret(err, ERMS_ECONFLICT, "conflict",
			       "token %" PRId64 " is already revoked", id);
	if ((rc = store_token_revoke(st, id, now_ms)))
		return rc;
	snprintf(obj, sizeof(obj), "token:%" PRId64, id);
	return audit_append(st, p->user.id, "token.revoke", obj, t.name,
			    now_ms);
}

int app_feed_token_create(struct store *st, const struct principal *p,
			  struct token_info *t, char secret[64],
			  int64_t now_ms, struct errbuf *err)
{
	int64_t n;
	int rc = app_may(p, A_TOKEN_CREATE, NULL, err);

	if (rc)
		return rc;
	if ((rc = store_token_revoke_feeds(st, p->user.id, now_ms, &n)))
		return rc;
	*t = (struct token_info){ .feed = true,
				  .expires_ms = now_ms + FEED_TOKEN_DAYS *
							 DAY_MS };
	snprintf(t->name, sizeof(t->name), "calendar feeds");
	return app_token_create(st, p, t, secret, now_ms, err);
}

int app_feed_token_revoke(struct store *st, const struct principal *p,
			  int64_t now_ms, struct errbuf *err)
{
	char obj[32];
	int64_t n;
	int rc = store_token_revoke_feeds(st, p->user.id, now_ms, &n);

	if (rc)
		return rc;
	if (!n)
		return err_ret(err, ERMS_ENOTFOUND, "not_found",
			       "you have no calendar feed token");
	snprintf(obj, sizeof(obj), "user:%" PRId64, p->user.id);
	return audit_append(st, p->user.id, "feed_token.revoke", obj,
			    "calendar feeds", now_ms);
}

int app_touch(struct store *st, int64_t session_id, int64_t token_id,
	      int64_t now_ms)
{
	if (session_id)
		return store_session_touch(st, session_id, now_ms);
	if (token_id)
		return store_token_touch(st, token_id, now_ms);
	return 0;
}
