/*
 * store.c - the storage interface: backend choice, transactions, and the
 * entity functions, written once over the backends' query primitive.
 *
 * Decoders here turn a struct srow into a domain struct; they read columns
 * in the order of the SELECT lists in sql.c. Text is copied into the
 * fixed-size fields of core/types.h, whose limits the API enforces on the
 * way in.
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/planflow.h"
#include "store/backend.h"
#include "util/buf.h"
#include "util/xalloc.h"

static const struct store_ops *const backends[] = {
	&store_sqlite_ops,
};

static const struct store_ops *backend_for(const char *url)
{
	const char *colon = strchr(url, ':');

	if (!strncmp(url, "postgres://", 11) ||
	    !strncmp(url, "postgresql://", 13))
		return NULL;	/* a later backend; not built yet */
	for (size_t i = 0; colon && i < ARRAY_SIZE(backends); i++) {
		size_t n = strlen(backends[i]->scheme);

		if ((size_t)(colon - url) == n &&
		    !strncmp(url, backends[i]->scheme, n))
			return backends[i];
	}
	return &store_sqlite_ops;	/* a plain path */
}

int store_open(struct store **out, const char *url, unsigned flags,
	       struct errbuf *err)
{
	const struct store_ops *ops = backend_for(url);

	if (!ops)
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "no storage backend for '%s' in this build",
			       url);
	return ops->open(out, url, flags, err);
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

const char *store_kind(const struct store *st)
{
	return st->ops->scheme;
}

int store_schema(struct store *st, int *have, int *want)
{
	return st->ops->schema(st, have, want);
}

int store_migrate(struct store *st, int *from, int *to, struct errbuf *err)
{
	return st->ops->migrate(st, from, to, err);
}

int store_backup(struct store *st, const char *path, struct errbuf *err)
{
	return st->ops->backup(st, path, err);
}

int store_begin(struct store *st)
{
	return st->ops->begin(st);
}

int store_commit(struct store *st)
{
	return st->ops->commit(st);
}

int store_rollback(struct store *st)
{
	return st->ops->rollback(st);
}

int store_savepoint(struct store *st)
{
	return st->ops->savepoint(st);
}

int store_release(struct store *st)
{
	return st->ops->release(st);
}

int store_rollback_to(struct store *st)
{
	return st->ops->rollback_to(st);
}

/* Run q; no rows wanted. */
static int run(struct store *st, enum q q, const struct sval *p, int np,
	       int64_t *changes)
{
	return st->ops->query(st, q, p, np, NULL, NULL, changes);
}

/* Run q, which must write exactly one row, else ERMS_ENOTFOUND. */
static int run1(struct store *st, enum q q, const struct sval *p, int np)
{
	int64_t n = 0;
	int rc = run(st, q, p, np, &n);

	if (rc)
		return rc;
	return n == 1 ? 0 : ERMS_ENOTFOUND;
}

static int got_int(void *ctx, const struct srow *r)
{
	*(int64_t *)ctx = r->col[0].i;
	return 0;
}

/* Run q and read the integer of its first column, ERMS_ENOTFOUND if none. */
static int run_int(struct store *st, enum q q, const struct sval *p, int np,
		   int64_t *out)
{
	int64_t v = INT64_MIN;
	int rc = st->ops->query(st, q, p, np, got_int, &v, NULL);

	if (rc)
		return rc;
	if (v == INT64_MIN)
		return ERMS_ENOTFOUND;
	*out = v;
	return 0;
}

static void copy(char *dst, size_t n, const struct sval *v)
{
	const char *s = v->t == SV_TEXT && v->s ? v->s : "";
	size_t len = strlen(s);

	if (len >= n) {
		/* Only a row edited outside erms gets here: cut it cleanly. */
		len = n - 1;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static int64_t ival(const struct sval *v)
{
	return v->t == SV_INT ? v->i : 0;
}

#define COPY(dst, v) copy((dst), sizeof(dst), (v))

static void user_of(const struct srow *r, struct user *u)
{
	const struct sval *c = r->col;

	u->id = ival(&c[0]);
	COPY(u->login, &c[1]);
	COPY(u->display_name, &c[2]);
	COPY(u->email, &c[3]);
	COPY(u->phone, &c[4]);
	COPY(u->locale, &c[5]);
	u->is_admin = ival(&c[6]);
	u->disabled = ival(&c[7]);
	u->created_ms = ival(&c[8]);
	u->updated_ms = ival(&c[9]);
}

struct one_user {
	struct user *u;
	char *pwhash;
	size_t pwlen;
	bool found;
};

static int got_user(void *ctx, const struct srow *r)
{
	struct one_user *o = ctx;

	user_of(r, o->u);
	if (o->pwhash && r->n > 10)
		snprintf(o->pwhash, o->pwlen, "%s",
			 r->col[10].s ? r->col[10].s : "");
	o->found = true;
	return 0;
}

int store_ping(struct store *st)
{
	int64_t one;

	return run_int(st, Q_PING, NULL, 0, &one);
}

int store_health_probe(struct store *st, int64_t now_ms)
{
	struct sval p[] = { SV_I(now_ms) };

	return run1(st, Q_HEALTH_PROBE, p, ARRAY_SIZE(p));
}

int store_user_insert(struct store *st, struct user *u, const char *pwhash)
{
	struct sval p[] = {
		SV_S(u->login), SV_S(u->display_name), SV_S(u->email),
		SV_S(u->phone), SV_S(u->locale), SV_B(u->is_admin),
		SV_B(u->disabled), SV_S(pwhash), SV_I(u->created_ms),
	};

	u->updated_ms = u->created_ms;
	return run_int(st, Q_USER_INSERT, p, ARRAY_SIZE(p), &u->id);
}

int store_user_get(struct store *st, int64_t id, struct user *out)
{
	struct sval p[] = { SV_I(id) };
	struct one_user o = { .u = out };
	int rc = st->ops->query(st, Q_USER_GET, p, 1, got_user, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_user_by_login(struct store *st, const char *login, struct user *out,
			char *pwhash, size_t pwhash_len)
{
	struct sval p[] = { SV_S(login) };
	struct one_user o = { .u = out, .pwhash = pwhash, .pwlen = pwhash_len };
	int rc = st->ops->query(st, Q_USER_BY_LOGIN, p, 1, got_user, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

struct text_out {
	char *s;
	size_t n;
	bool found;
};

static int got_text(void *ctx, const struct srow *r)
{
	struct text_out *t = ctx;

	snprintf(t->s, t->n, "%s", r->col[0].s ? r->col[0].s : "");
	t->found = true;
	return 0;
}

int store_user_pwhash(struct store *st, int64_t id, char *pwhash, size_t len)
{
	struct sval p[] = { SV_I(id) };
	struct text_out t = { pwhash, len, false };
	int rc = st->ops->query(st, Q_USER_PWHASH, p, 1, got_text, &t, NULL);

	return rc ? rc : t.found ? 0 : ERMS_ENOTFOUND;
}

int store_user_update(struct store *st, const struct user *u)
{
	struct sval p[] = {
		SV_I(u->id), SV_S(u->display_name), SV_S(u->email),
		SV_S(u->phone), SV_S(u->locale), SV_B(u->is_admin),
		SV_B(u->disabled), SV_I(u->updated_ms),
	};

	return run1(st, Q_USER_UPDATE, p, ARRAY_SIZE(p));
}

int store_user_set_password(struct store *st, int64_t id, const char *pwhash,
			    int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_S(pwhash), SV_I(now_ms) };

	return run1(st, Q_USER_SET_PASSWORD, p, ARRAY_SIZE(p));
}

int store_user_count(struct store *st, int64_t *n)
{
	return run_int(st, Q_USER_COUNT, NULL, 0, n);
}

struct user_walk {
	store_user_fn *fn;
	void *ctx;
};

static int walk_user(void *ctx, const struct srow *r)
{
	struct user_walk *w = ctx;
	struct user u;

	user_of(r, &u);
	return w->fn(w->ctx, &u);
}

int store_user_list(struct store *st, int64_t after_id, int limit,
		    store_user_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(after_id), SV_I(limit) };
	struct user_walk w = { fn, ctx };

	return st->ops->query(st, Q_USER_LIST, p, 2, walk_user, &w, NULL);
}

/* Groups. */

static void group_of(const struct srow *r, struct group *g)
{
	const struct sval *c = r->col;

	g->id = ival(&c[0]);
	COPY(g->key, &c[1]);
	COPY(g->name, &c[2]);
	g->kind = group_kind_parse(c[3].s ? c[3].s : "");
	g->duties_json = xstrdup(c[4].s ? c[4].s : "[]");
	g->created_ms = ival(&c[5]);
	g->updated_ms = ival(&c[6]);
}

struct one_group {
	struct group *g;
	bool found;
};

static int got_group(void *ctx, const struct srow *r)
{
	struct one_group *o = ctx;

	group_of(r, o->g);
	o->found = true;
	return 0;
}

int store_group_insert(struct store *st, struct group *g)
{
	struct sval p[] = {
		SV_S(g->key), SV_S(g->name), SV_S(group_kind_name(g->kind)),
		SV_S(g->duties_json ? g->duties_json : "[]"),
		SV_I(g->created_ms),
	};

	g->updated_ms = g->created_ms;
	return run_int(st, Q_GROUP_INSERT, p, ARRAY_SIZE(p), &g->id);
}

int store_group_get(struct store *st, const char *key, struct group *out)
{
	struct sval p[] = { SV_S(key) };
	struct one_group o = { out, false };
	int rc = st->ops->query(st, Q_GROUP_GET, p, 1, got_group, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_group_update(struct store *st, const struct group *g)
{
	struct sval p[] = {
		SV_I(g->id), SV_S(g->name),
		SV_S(g->duties_json ? g->duties_json : "[]"),
		SV_I(g->updated_ms), SV_S(group_kind_name(g->kind)),
	};

	return run1(st, Q_GROUP_UPDATE, p, ARRAY_SIZE(p));
}

struct group_walk {
	store_group_fn *fn;
	void *ctx;
};

static int walk_group(void *ctx, const struct srow *r)
{
	struct group_walk *w = ctx;
	struct group g;
	int rc;

	group_of(r, &g);
	rc = w->fn(w->ctx, &g);
	free(g.duties_json);
	return rc;
}

int store_group_list(struct store *st, store_group_fn *fn, void *ctx)
{
	struct group_walk w = { fn, ctx };

	return st->ops->query(st, Q_GROUP_LIST, NULL, 0, walk_group, &w, NULL);
}

int store_member_put(struct store *st, int64_t group_id, int64_t user_id,
		     enum member_role role, int64_t now_ms,
		     int64_t review_from_ms)
{
	struct sval p[] = { SV_I(group_id), SV_I(user_id),
			    SV_S(member_role_name(role)), SV_I(now_ms),
			    SV_I(review_from_ms) };

	return run(st, Q_MEMBER_PUT, p, ARRAY_SIZE(p), NULL);
}

int store_member_delete(struct store *st, int64_t group_id, int64_t user_id)
{
	struct sval p[] = { SV_I(group_id), SV_I(user_id) };

	return run1(st, Q_MEMBER_DELETE, p, ARRAY_SIZE(p));
}

struct member_walk {
	store_member_fn *fn;
	void *ctx;
};

static int walk_member(void *ctx, const struct srow *r)
{
	struct member_walk *w = ctx;
	const struct sval *c = r->col;
	struct membership m = { 0 };
	struct user u = { 0 };

	m.group_id = ival(&c[0]);
	COPY(m.group_key, &c[1]);
	m.kind = group_kind_parse(c[2].s ? c[2].s : "");
	m.role = member_role_parse(c[3].s ? c[3].s : "");
	u.id = m.user_id = ival(&c[4]);
	COPY(u.login, &c[5]);
	COPY(u.display_name, &c[6]);
	COPY(u.email, &c[7]);
	COPY(u.locale, &c[8]);
	u.disabled = ival(&c[9]);
	m.review_from_ms = r->n > 10 ? ival(&c[10]) : 0;
	return w->fn(w->ctx, &m, &u);
}

int store_members_of_group(struct store *st, int64_t group_id,
			   store_member_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(group_id) };
	struct member_walk w = { fn, ctx };

	return st->ops->query(st, Q_MEMBERS_OF_GROUP, p, 1, walk_member, &w,
			      NULL);
}

int store_groups_of_user(struct store *st, int64_t user_id,
			 store_member_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(user_id) };
	struct member_walk w = { fn, ctx };

	return st->ops->query(st, Q_GROUPS_OF_USER, p, 1, walk_member, &w,
			      NULL);
}

/* Sessions. */

int store_session_insert(struct store *st, const char *secret_hash,
			 const char *csrf, int64_t user_id, int64_t now_ms,
			 int64_t *id)
{
	struct sval p[] = { SV_S(secret_hash), SV_S(csrf), SV_I(user_id),
			    SV_I(now_ms) };

	return run_int(st, Q_SESSION_INSERT, p, ARRAY_SIZE(p), id);
}

struct one_session {
	struct session *s;
	bool found;
};

static int got_session(void *ctx, const struct srow *r)
{
	struct one_session *o = ctx;
	const struct sval *c = r->col;

	o->s->id = ival(&c[0]);
	o->s->user_id = ival(&c[1]);
	COPY(o->s->csrf, &c[2]);
	o->s->created_ms = ival(&c[3]);
	o->s->last_seen_ms = ival(&c[4]);
	o->s->revoked = c[5].t != SV_NULL;
	o->found = true;
	return 0;
}

int store_session_get(struct store *st, const char *secret_hash,
		      struct session *out)
{
	struct sval p[] = { SV_S(secret_hash) };
	struct one_session o = { out, false };
	int rc = st->ops->query(st, Q_SESSION_GET, p, 1, got_session, &o,
				NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_session_touch(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return run(st, Q_SESSION_TOUCH, p, 2, NULL);
}

int store_session_revoke(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return run1(st, Q_SESSION_REVOKE, p, 2);
}

int store_session_revoke_user(struct store *st, int64_t user_id,
			      int64_t now_ms)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms) };

	return run(st, Q_SESSION_REVOKE_USER, p, 2, NULL);
}

int store_session_by_id(struct store *st, int64_t id, struct session *out)
{
	struct sval p[] = { SV_I(id) };
	struct one_session o = { out, false };
	int rc = st->ops->query(st, Q_SESSION_BY_ID, p, 1, got_session, &o,
				NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_session_revoke_others(struct store *st, int64_t user_id,
				int64_t keep_id, int64_t now_ms)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms), SV_I(keep_id) };

	return run(st, Q_SESSION_REVOKE_OTHERS, p, 3, NULL);
}

/* Tokens. */

static void token_of(const struct srow *r, struct token_info *t)
{
	const struct sval *c = r->col;

	t->id = ival(&c[0]);
	t->user_id = ival(&c[1]);
	COPY(t->name, &c[2]);
	t->created_ms = ival(&c[3]);
	t->last_used_ms = ival(&c[4]);
	t->expires_ms = ival(&c[5]);
	t->revoked = c[6].t != SV_NULL;
	t->feed = c[7].s && !strcmp(c[7].s, "feed");
}

struct one_token {
	struct token_info *t;
	bool found;
};

static int got_token(void *ctx, const struct srow *r)
{
	struct one_token *o = ctx;

	token_of(r, o->t);
	o->found = true;
	return 0;
}

int store_token_insert(struct store *st, const char *secret_hash,
		       struct token_info *t)
{
	struct sval p[] = {
		SV_S(secret_hash), SV_I(t->user_id), SV_S(t->name),
		SV_I(t->created_ms),
		t->expires_ms ? SV_I(t->expires_ms) : SV_NUL,
		SV_S(t->feed ? "feed" : "api"),
	};

	return run_int(st, Q_TOKEN_INSERT, p, ARRAY_SIZE(p), &t->id);
}

static int token_one(struct store *st, enum q q, struct sval key,
		     struct token_info *out)
{
	struct one_token o = { out, false };
	int rc = st->ops->query(st, q, &key, 1, got_token, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_token_by_hash(struct store *st, const char *secret_hash,
			struct token_info *out)
{
	return token_one(st, Q_TOKEN_BY_HASH, SV_S(secret_hash), out);
}

int store_token_get(struct store *st, int64_t id, struct token_info *out)
{
	return token_one(st, Q_TOKEN_GET, SV_I(id), out);
}

int store_token_touch(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return run(st, Q_TOKEN_TOUCH, p, 2, NULL);
}

int store_token_revoke(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return run1(st, Q_TOKEN_REVOKE, p, 2);
}

int store_token_revoke_user(struct store *st, int64_t user_id,
			    int64_t now_ms)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms) };

	return run(st, Q_TOKEN_REVOKE_USER, p, 2, NULL);
}

struct token_walk {
	store_token_fn *fn;
	void *ctx;
};

static int walk_token(void *ctx, const struct srow *r)
{
	struct token_walk *w = ctx;
	struct token_info t;

	token_of(r, &t);
	return w->fn(w->ctx, &t);
}

int store_token_list(struct store *st, int64_t user_id, store_token_fn *fn,
		     void *ctx)
{
	struct sval p[] = { SV_I(user_id) };
	struct token_walk w = { fn, ctx };

	return st->ops->query(st, Q_TOKEN_LIST, p, 1, walk_token, &w, NULL);
}

int store_token_revoke_others(struct store *st, int64_t user_id,
			      int64_t keep_id, int64_t now_ms)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms), SV_I(keep_id) };

	return run(st, Q_TOKEN_REVOKE_OTHERS, p, 3, NULL);
}

int store_token_revoke_feeds(struct store *st, int64_t user_id,
			     int64_t now_ms, int64_t *n)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms) };

	*n = 0;
	return run(st, Q_TOKEN_REVOKE_FEEDS, p, 2, n);
}

int store_auth_epoch(struct store *st, int64_t *gen)
{
	return run_int(st, Q_AUTH_EPOCH, NULL, 0, gen);
}

/* Audit. */

struct audit_head {
	int64_t id;
	char *hash;
};

static int got_head(void *ctx, const struct srow *r)
{
	struct audit_head *h = ctx;

	h->id = ival(&r->col[0]);
	copy(h->hash, 65, &r->col[1]);
	return 0;
}

int store_audit_head(struct store *st, int64_t *id, char hash[65])
{
	struct audit_head h = { 0, hash };
	int rc;

	hash[0] = '\0';
	rc = st->ops->query(st, Q_AUDIT_HEAD, NULL, 0, got_head, &h, NULL);
	*id = h.id;
	return rc;
}

int store_audit_insert(struct store *st, const struct audit_row *r)
{
	struct sval p[] = {
		SV_I(r->id), SV_I(r->at_ms), SV_I(r->actor_id),
		SV_S(r->action), SV_S(r->object), SV_S(r->summary),
		SV_S(r->prev_hash), SV_S(r->hash),
	};

	return run(st, Q_AUDIT_INSERT, p, ARRAY_SIZE(p), NULL);
}

struct audit_walk {
	store_audit_fn *fn;
	void *ctx;
};

static int walk_audit(void *ctx, const struct srow *r)
{
	struct audit_walk *w = ctx;
	const struct sval *c = r->col;
	struct audit_row a = {
		.id = ival(&c[0]),
		.at_ms = ival(&c[1]),
		.actor_id = ival(&c[2]),
		.action = (char *)(c[3].s ? c[3].s : ""),
		.object = (char *)(c[4].s ? c[4].s : ""),
		.summary = (char *)(c[5].s ? c[5].s : ""),
	};

	/* Hashes are copied loosely: a tampered row must still be shown. */
	snprintf(a.prev_hash, sizeof(a.prev_hash), "%s", c[6].s ? c[6].s : "");
	snprintf(a.hash, sizeof(a.hash), "%s", c[7].s ? c[7].s : "");
	return w->fn(w->ctx, &a);
}

int store_audit_list(struct store *st, int64_t after_id, int limit,
		     store_audit_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(after_id), SV_I(limit) };
	struct audit_walk w = { fn, ctx };

	return st->ops->query(st, Q_AUDIT_LIST, p, 2, walk_audit, &w, NULL);
}

struct audit_key {
	char *fp;
	int64_t plain_until;
	bool found;
};

static int got_key(void *ctx, const struct srow *r)
{
	struct audit_key *k = ctx;

	copy(k->fp, 65, &r->col[0]);
	k->plain_until = ival(&r->col[1]);
	k->found = true;
	return 0;
}

int store_audit_key(struct store *st, char fp[65], int64_t *plain_until)
{
	struct audit_key k = { fp, 0, false };
	int rc;

	fp[0] = '\0';
	rc = st->ops->query(st, Q_AUDIT_KEY_GET, NULL, 0, got_key, &k, NULL);
	*plain_until = k.plain_until;
	return rc ? rc : k.found ? 0 : ERMS_ENOTFOUND;
}

int store_audit_key_bind(struct store *st, const char *fp, int64_t now_ms)
{
	struct sval p[] = { SV_S(fp), SV_I(now_ms) };

	return run(st, Q_AUDIT_KEY_PUT, p, ARRAY_SIZE(p), NULL);
}

/* Plans. */

int store_plan_by_key(struct store *st, const char *key, int64_t *id)
{
	struct sval p[] = { SV_S(key) };

	return run_int(st, Q_PLAN_BY_KEY, p, 1, id);
}

int store_plan_insert(struct store *st, const char *key, int64_t now_ms,
		      int64_t *id)
{
	struct sval p[] = { SV_S(key), SV_I(now_ms) };

	return run_int(st, Q_PLAN_INSERT, p, 2, id);
}

struct plan_walk {
	store_plan_fn *fn;
	void *ctx;
};

static int walk_plan(void *ctx, const struct srow *r)
{
	struct plan_walk *w = ctx;
	struct plan_row p = {
		.id = ival(&r->col[0]),
		.created_ms = ival(&r->col[2]),
		.latest_n = (int)ival(&r->col[3]),
		.published_n = (int)ival(&r->col[4]),
	};

	COPY(p.key, &r->col[1]);
	return w->fn(w->ctx, &p);
}

int store_plan_list(struct store *st, store_plan_fn *fn, void *ctx)
{
	struct plan_walk w = { fn, ctx };

	return st->ops->query(st, Q_PLAN_LIST, NULL, 0, walk_plan, &w, NULL);
}

static char *dup_text(const struct sval *v)
{
	return v->t == SV_TEXT && v->s ? xstrdup(v->s) : NULL;
}

/* Columns of PV_COLS, then optionally source and content. */
static void pv_of(const struct srow *r, struct plan_version *v)
{
	const struct sval *c = r->col;

	v->id = ival(&c[0]);
	v->plan_id = ival(&c[1]);
	COPY(v->plan_key, &c[2]);
	v->n = (int)ival(&c[3]);
	v->status = pv_status_parse(c[4].s ? c[4].s : "");
	v->name_json = dup_text(&c[5]);
	v->source_name = dup_text(&c[6]);
	v->author_id = ival(&c[7]);
	v->created_ms = ival(&c[8]);
	v->updated_ms = ival(&c[9]);
	v->submitted_ms = ival(&c[10]);
	v->reviewer_id = ival(&c[11]);
	v->reviewed_ms = ival(&c[12]);
	v->review_comment = dup_text(&c[13]);
	v->publisher_id = ival(&c[14]);
	v->published_ms = ival(&c[15]);
	v->superseded_ms = ival(&c[16]);
	v->source = r->n > 17 ? dup_text(&c[17]) : NULL;
	v->content = r->n > 18 ? dup_text(&c[18]) : NULL;
}

struct one_pv {
	struct plan_version *v;
	bool found;
};

static int got_pv(void *ctx, const struct srow *r)
{
	struct one_pv *o = ctx;

	pv_of(r, o->v);
	o->found = true;
	return 0;
}

int store_pv_insert(struct store *st, struct plan_version *v)
{
	struct sval n[] = { SV_I(v->plan_id) };
	int64_t next;
	int rc = run_int(st, Q_PV_NEXT_N, n, 1, &next);

	if (rc)
		return rc;
	v->n = (int)next;
	v->updated_ms = v->created_ms;
	struct sval p[] = {
		SV_I(v->plan_id), SV_I(v->n), SV_S(pv_status_name(v->status)),
		SV_S(v->name_json), SV_S(v->source_name),
		SV_S(v->source ? v->source : ""),
		SV_S(v->content ? v->content : "{}"), SV_I(v->author_id),
		SV_I(v->created_ms),
	};
	return run_int(st, Q_PV_INSERT, p, ARRAY_SIZE(p), &v->id);
}

int store_pv_get(struct store *st, int64_t plan_id, int n,
		 struct plan_version *out)
{
	struct sval p[] = { SV_I(plan_id), SV_I(n) };
	struct one_pv o = { out, false };
	int rc = st->ops->query(st, Q_PV_GET, p, 2, got_pv, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_pv_get_id(struct store *st, int64_t id, struct plan_version *out)
{
	struct sval p[] = { SV_I(id) };
	struct one_pv o = { out, false };
	int rc = st->ops->query(st, Q_PV_BY_ID, p, 1, got_pv, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_pv_current(struct store *st, struct plan_version *out)
{
	struct one_pv o = { out, false };
	int rc = st->ops->query(st, Q_PV_CURRENT, NULL, 0, got_pv, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

struct pv_walk {
	store_pv_fn *fn;
	void *ctx;
};

static int walk_pv(void *ctx, const struct srow *r)
{
	struct pv_walk *w = ctx;
	struct plan_version v = { 0 };
	int rc;

	pv_of(r, &v);
	rc = w->fn(w->ctx, &v);
	plan_version_release(&v);
	return rc;
}

int store_pv_list(struct store *st, int64_t plan_id, store_pv_fn *fn,
		  void *ctx)
{
	struct sval p[] = { SV_I(plan_id) };
	struct pv_walk w = { fn, ctx };

	return st->ops->query(st, Q_PV_LIST, p, 1, walk_pv, &w, NULL);
}

static struct sval opt_i(int64_t v)
{
	return v ? SV_I(v) : SV_NUL;
}

int store_pv_update(struct store *st, const struct plan_version *v)
{
	struct sval p[] = {
		SV_I(v->id), SV_S(pv_status_name(v->status)),
		SV_S(v->name_json), SV_S(v->source_name),
		SV_S(v->source ? v->source : ""),
		SV_S(v->content ? v->content : "{}"), SV_I(v->updated_ms),
		opt_i(v->submitted_ms), opt_i(v->reviewer_id),
		opt_i(v->reviewed_ms),
		SV_S(v->review_comment ? v->review_comment : ""),
		opt_i(v->publisher_id), opt_i(v->published_ms),
		opt_i(v->superseded_ms),
	};

	return run1(st, Q_PV_UPDATE, p, ARRAY_SIZE(p));
}

int store_pv_published_n(struct store *st, int64_t plan_id, int *n)
{
	struct sval p[] = { SV_I(plan_id) };
	int64_t v = 0;
	int rc = run_int(st, Q_PV_PUBLISHED_OF_PLAN, p, 1, &v);

	*n = (int)v;
	return rc == ERMS_ENOTFOUND ? 0 : rc;
}

int store_pv_editor_put(struct store *st, int64_t version_id,
			int64_t user_id, int64_t now_ms)
{
	struct sval p[] = { SV_I(version_id), SV_I(user_id), SV_I(now_ms) };

	return run(st, Q_PV_EDITOR_PUT, p, 3, NULL);
}

struct editor_walk {
	store_editor_fn *fn;
	void *ctx;
};

static int walk_editor(void *ctx, const struct srow *r)
{
	struct editor_walk *w = ctx;
	const struct sval *c = r->col;

	return w->fn(w->ctx, ival(&c[0]), c[1].s ? c[1].s : "",
		     c[2].s ? c[2].s : "", ival(&c[3]), ival(&c[4]));
}

int store_pv_editors(struct store *st, int64_t version_id,
		     store_editor_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(version_id) };
	struct editor_walk w = { fn, ctx };

	return st->ops->query(st, Q_PV_EDITORS, p, 1, walk_editor, &w, NULL);
}

int store_ack_put(struct store *st, int64_t version_id, int64_t user_id,
		  int64_t now_ms)
{
	struct sval p[] = { SV_I(version_id), SV_I(user_id), SV_I(now_ms) };

	return run(st, Q_ACK_PUT, p, 3, NULL);
}

struct ack_walk {
	store_ack_fn *fn;
	void *ctx;
};

static int walk_ack(void *ctx, const struct srow *r)
{
	struct ack_walk *w = ctx;

	return w->fn(w->ctx, ival(&r->col[0]), r->col[1].s ? r->col[1].s : "",
		     r->col[2].s ? r->col[2].s : "", ival(&r->col[3]));
}

int store_ack_list(struct store *st, int64_t version_id,
		   const char *group_key, store_ack_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(version_id), SV_S(group_key ? group_key : "") };
	struct ack_walk w = { fn, ctx };

	return st->ops->query(st, group_key ? Q_ACK_LIST_GROUP : Q_ACK_LIST, p,
			      group_key ? 2 : 1, walk_ack, &w, NULL);
}

/* Incidents. */

/* The length in bytes of the UTF-8 character at s. */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

static bool separator(const char *s)
{
	return (unsigned char)*s < 0x80 && !((*s >= 'a' && *s <= 'z') ||
					     (*s >= 'A' && *s <= 'Z') ||
					     (*s >= '0' && *s <= '9'));
}

/*
 * Text cut into overlapping two-character tokens for the pair index:
 * "主库宕机 db" -> "主库 库宕 宕机 db". Runs are split at ASCII spaces and
 * punctuation. Returns a new string; free() it.
 */
static char *pairs_of(const char *s)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "");
	while (*s) {
		size_t a, c;

		if (separator(s)) {
			s++;
			continue;
		}
		a = char_len(s);
		if (!s[a] || separator(s + a)) {
			s += a;
			continue;
		}
		c = char_len(s + a);
		if (b.len)
			buf_adds(&b, " ");
		buf_add(&b, s, a + c);
		s += a;
	}
	return buf_detach(&b, NULL);
}

/* Characters (not bytes) in UTF-8 text. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}


static void incident_of(const struct srow *r, struct incident_row *x)
{
	const struct sval *c = r->col;
	struct incident *inc = &x->inc;

	inc->id = ival(&c[0]);
	COPY(x->number, &c[1]);
	x->title = dup_text(&c[2]);
	x->description = dup_text(&c[3]);
	x->impact = dup_text(&c[4]);
	COPY(x->category, &c[5]);
	inc->state = incident_state_parse(c[6].s ? c[6].s : "");
	inc->level = (int)ival(&c[7]);
	COPY(x->level_key, &c[8]);
	COPY(x->proposed_level, &c[9]);
	inc->is_drill = ival(&c[10]);
	x->reporter_id = ival(&c[11]);
	x->commander_id = ival(&c[12]);
	x->plan_version_id = ival(&c[13]);
	inc->detected_ms = ival(&c[14]);
	inc->reported_ms = ival(&c[15]);
	inc->acked_ms = ival(&c[16]);
	inc->activated_ms = ival(&c[17]);
	inc->resolved_ms = ival(&c[18]);
	inc->closed_ms = ival(&c[19]);
	inc->reviewed_ms = ival(&c[20]);
	inc->dismissed_ms = ival(&c[21]);
	inc->ack_min = (int)ival(&c[22]);
	inc->activate_min = (int)ival(&c[23]);
	inc->resolve_min = (int)ival(&c[24]);
	inc->breaches = (unsigned)ival(&c[25]);
	x->public = ival(&c[26]);
	x->public_summary = dup_text(&c[27]);
	x->summary = dup_text(&c[28]);
	x->review_json = dup_text(&c[29]);
	x->updated_ms = ival(&c[30]);
	x->esc_tiers = (unsigned)ival(&c[31]);
	x->esc_acked_ms = ival(&c[32]);
}

struct one_inc {
	struct incident_row *r;
	bool found;
};

static int got_inc(void *ctx, const struct srow *r)
{
	struct one_inc *o = ctx;

	incident_row_release(o->r);
	incident_of(r, o->r);
	o->found = true;
	return 0;
}

/* A new incident in both search indexes. */
static int index_new(struct store *st, const struct incident_row *r)
{
	char *text = xasprintf("%s %s", r->title, r->description);
	char *pairs = pairs_of(text);
	struct sval f[] = { SV_I(r->inc.id), SV_S(r->title),
			    SV_S(r->description) };
	struct sval g[] = { SV_I(r->inc.id), SV_S(pairs) };
	int rc = run(st, Q_FTS_INSERT, f, 3, NULL);

	if (!rc)
		rc = run(st, Q_FTS2_INSERT, g, 2, NULL);
	free(pairs);
	free(text);
	return rc;
}

int store_incident_insert(struct store *st, struct incident_row *r)
{
	struct incident *inc = &r->inc;
	time_t secs = (time_t)(inc->reported_ms / 1000);
	struct tm tm;
	struct sval y[1];
	int64_t n;
	int rc;

	gmtime_r(&secs, &tm);
	y[0] = SV_I(tm.tm_year + 1900);
	if ((rc = run_int(st, Q_INC_NEXT_NUMBER, y, 1, &n)))
		return rc;
	snprintf(r->number, sizeof(r->number), "INC-%04d-%04lld",
		 (tm.tm_year + 1900) % 10000, (long long)n);
	struct sval p[] = {
		SV_S(r->number), SV_S(r->title), SV_S(r->description),
		SV_S(r->impact), SV_S(r->category),
		SV_S(incident_state_name(inc->state)), SV_I(inc->level),
		SV_S(r->level_key), SV_S(r->proposed_level),
		SV_B(inc->is_drill), SV_I(r->reporter_id),
		r->commander_id ? SV_I(r->commander_id) : SV_NUL,
		SV_I(r->plan_version_id), SV_I(inc->detected_ms),
		SV_I(inc->reported_ms), SV_I(inc->ack_min),
		SV_I(inc->activate_min), SV_I(inc->resolve_min),
		SV_B(r->public), SV_S(r->public_summary ? r->public_summary : ""),
	};
	if ((rc = run_int(st, Q_INC_INSERT, p, ARRAY_SIZE(p), &inc->id)))
		return rc;
	r->updated_ms = inc->reported_ms;
	return index_new(st, r);
}

int store_incident_get_id(struct store *st, int64_t id,
			  struct incident_row *out)
{
	struct sval p[] = { SV_I(id) };
	struct one_inc o = { out, false };
	int rc = st->ops->query(st, Q_INC_GET, p, 1, got_inc, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_incident_get(struct store *st, const char *key,
		       struct incident_row *out)
{
	struct sval p[] = { SV_S(key) };
	struct one_inc o = { out, false };
	char *end;
	long long id = strtoll(key, &end, 10);
	int rc;

	if (*key >= '0' && *key <= '9' && !*end)
		return store_incident_get_id(st, id, out);
	rc = st->ops->query(st, Q_INC_BY_NUMBER, p, 1, got_inc, &o, NULL);
	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_incident_update(struct store *st, const struct incident_row *r)
{
	const struct incident *inc = &r->inc;
	struct sval p[] = {
		SV_I(inc->id), SV_S(r->title), SV_S(r->description),
		SV_S(r->impact), SV_S(r->category),
		SV_S(incident_state_name(inc->state)), SV_I(inc->level),
		SV_S(r->level_key),
		r->commander_id ? SV_I(r->commander_id) : SV_NUL,
		SV_I(inc->acked_ms), SV_I(inc->activated_ms),
		SV_I(inc->resolved_ms), SV_I(inc->closed_ms),
		SV_I(inc->reviewed_ms), SV_I(inc->dismissed_ms),
		SV_I(inc->ack_min), SV_I(inc->activate_min),
		SV_I(inc->resolve_min), SV_I(inc->breaches), SV_B(r->public),
		SV_S(r->public_summary ? r->public_summary : ""),
		SV_S(r->summary ? r->summary : ""),
		SV_S(r->review_json ? r->review_json : ""),
		SV_I(r->updated_ms), SV_I(r->esc_tiers), SV_I(r->esc_acked_ms),
	};

	return run1(st, Q_INC_UPDATE, p, ARRAY_SIZE(p));
}

struct inc_walk {
	store_incident_fn *fn;
	void *ctx;
};

static int walk_inc(void *ctx, const struct srow *r)
{
	struct inc_walk *w = ctx;
	struct incident_row x = { 0 };
	int rc;

	incident_of(r, &x);
	rc = w->fn(w->ctx, &x);
	incident_row_release(&x);
	return rc;
}

int store_incident_list(struct store *st, const struct incident_filter *f,
			store_incident_fn *fn, void *ctx)
{
	const char *q = f->q ? f->q : "";
	struct inc_walk w = { fn, ctx };
	char *match = NULL, *like = NULL, *pair = NULL;
	int rc;

	/* Three characters or more: a trigram phrase query, quotes doubled.
	 * Two: the token of the pair index. One: LIKE, % and _ escaped. */
	if (*q && utf8_chars(q) == 2 && !separator(q) &&
	    !separator(q + char_len(q))) {
		char *p = pairs_of(q);

		pair = xasprintf("\"%s\"", p);
		free(p);
	} else if (*q && utf8_chars(q) >= 3) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "\"");
		for (const char *p = q; *p; p++) {
			if (*p == '"')
				buf_adds(&b, "\"\"");
			else
				buf_add(&b, p, 1);
		}
		buf_adds(&b, "\"");
		match = buf_detach(&b, NULL);
	} else if (*q) {
		struct buf b = BUF_INIT;

		buf_adds(&b, "%");
		for (const char *p = q; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				buf_adds(&b, "\\");
			buf_add(&b, p, 1);
		}
		buf_adds(&b, "%");
		like = buf_detach(&b, NULL);
	}
	struct sval p[] = {
		SV_S(f->status ? f->status : ""), SV_S(f->level ? f->level : ""),
		SV_S(f->category ? f->category : ""), SV_I(f->is_drill),
		SV_I(f->from_ms), SV_I(f->to_ms), SV_S(match ? match : ""),
		SV_S(like ? like : ""), SV_I(f->limit),
		SV_I(f->before_id ? f->before_id : INT64_MAX),
		SV_S(pair ? pair : ""),
	};
	rc = st->ops->query(st, Q_INC_LIST, p, ARRAY_SIZE(p), walk_inc, &w,
			    NULL);
	free(match);
	free(like);
	free(pair);
	return rc;
}

int store_incident_due(struct store *st, int64_t now_ms, int limit,
		       store_incident_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(now_ms), SV_I(limit) };
	struct inc_walk w = { fn, ctx };

	return st->ops->query(st, Q_INC_DUE, p, 2, walk_inc, &w, NULL);
}

int store_incident_unacked(struct store *st, int limit, store_incident_fn *fn,
			   void *ctx)
{
	struct sval p[] = { SV_I(limit) };
	struct inc_walk w = { fn, ctx };

	return st->ops->query(st, Q_INC_UNACKED, p, 1, walk_inc, &w, NULL);
}

int store_incident_index(struct store *st, int64_t id, const char *text)
{
	struct sval p[] = { SV_I(id), SV_S(text) };
	char *pairs = pairs_of(text);
	struct sval q[] = { SV_I(id), SV_S(pairs) };
	int rc = run(st, Q_FTS_APPEND, p, 2, NULL);

	if (!rc)
		rc = run(st, Q_FTS2_APPEND, q, 2, NULL);
	free(pairs);
	return rc;
}

/* Tasks. */

static void task_of(const struct srow *r, struct task *t)
{
	const struct sval *c = r->col;

	t->id = ival(&c[0]);
	t->incident_id = ival(&c[1]);
	t->title = dup_text(&c[2]);
	COPY(t->group_key, &c[3]);
	t->assignee_id = ival(&c[4]);
	t->status = task_status_parse(c[5].s ? c[5].s : "");
	t->due_ms = ival(&c[6]);
	t->notes = dup_text(&c[7]);
	COPY(t->origin, &c[8]);
	t->created_by = ival(&c[9]);
	t->created_ms = ival(&c[10]);
	t->updated_ms = ival(&c[11]);
}

int store_task_insert(struct store *st, struct task *t)
{
	struct sval p[] = {
		SV_I(t->incident_id), SV_S(t->title), SV_S(t->group_key),
		t->assignee_id ? SV_I(t->assignee_id) : SV_NUL,
		SV_S(task_status_name(t->status)), SV_I(t->due_ms),
		SV_S(t->notes ? t->notes : ""), SV_S(t->origin),
		SV_I(t->created_by), SV_I(t->created_ms),
	};

	t->updated_ms = t->created_ms;
	return run_int(st, Q_TASK_INSERT, p, ARRAY_SIZE(p), &t->id);
}

struct one_task {
	struct task *t;
	bool found;
};

static int got_task(void *ctx, const struct srow *r)
{
	struct one_task *o = ctx;

	task_of(r, o->t);
	o->found = true;
	return 0;
}

int store_task_get(struct store *st, int64_t id, struct task *out)
{
	struct sval p[] = { SV_I(id) };
	struct one_task o = { out, false };
	int rc = st->ops->query(st, Q_TASK_GET, p, 1, got_task, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

struct task_walk {
	store_task_fn *fn;
	void *ctx;
};

static int walk_task(void *ctx, const struct srow *r)
{
	struct task_walk *w = ctx;
	struct task t = { 0 };
	int rc;

	task_of(r, &t);
	rc = w->fn(w->ctx, &t);
	task_release(&t);
	return rc;
}

int store_task_list(struct store *st, int64_t incident_id, store_task_fn *fn,
		    void *ctx)
{
	struct sval p[] = { SV_I(incident_id) };
	struct task_walk w = { fn, ctx };

	return st->ops->query(st, Q_TASK_LIST, p, 1, walk_task, &w, NULL);
}

int store_task_update(struct store *st, const struct task *t)
{
	struct sval p[] = {
		SV_I(t->id), SV_S(t->title),
		t->assignee_id ? SV_I(t->assignee_id) : SV_NUL,
		SV_S(task_status_name(t->status)), SV_I(t->due_ms),
		SV_S(t->notes ? t->notes : ""), SV_I(t->updated_ms),
	};

	return run1(st, Q_TASK_UPDATE, p, ARRAY_SIZE(p));
}

/* Timeline and events. */

int store_timeline_add(struct store *st, struct timeline_entry *e)
{
	struct sval p[] = {
		SV_I(e->incident_id), SV_I(e->at_ms), SV_I(e->actor_id),
		SV_S(e->kind), SV_S(e->text), SV_S(e->data ? e->data : "{}"),
	};

	return run_int(st, Q_TL_INSERT, p, ARRAY_SIZE(p), &e->id);
}

struct tl_walk {
	store_tl_fn *fn;
	void *ctx;
};

static int walk_tl(void *ctx, const struct srow *r)
{
	struct tl_walk *w = ctx;
	const struct sval *c = r->col;
	struct timeline_entry e = {
		.id = ival(&c[0]), .incident_id = ival(&c[1]),
		.at_ms = ival(&c[2]), .actor_id = ival(&c[3]),
		.kind = c[4].s ? c[4].s : "", .text = c[5].s ? c[5].s : "",
		.data = c[6].s ? c[6].s : "{}",
	};

	return w->fn(w->ctx, &e);
}

int store_timeline_list(struct store *st, int64_t incident_id,
			int64_t after_id, store_tl_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(incident_id), SV_I(after_id) };
	struct tl_walk w = { fn, ctx };

	return st->ops->query(st, Q_TL_LIST, p, 2, walk_tl, &w, NULL);
}

int store_event_add(struct store *st, int64_t at_ms, const char *kind,
		    int64_t incident_id, const char *data, int64_t *id)
{
	struct sval p[] = { SV_I(at_ms), SV_S(kind), SV_I(incident_id),
			    SV_S(data) };

	return run_int(st, Q_EVENT_INSERT, p, ARRAY_SIZE(p), id);
}

struct event_walk {
	store_event_fn *fn;
	void *ctx;
};

static int walk_event(void *ctx, const struct srow *r)
{
	struct event_walk *w = ctx;
	const struct sval *c = r->col;

	return w->fn(w->ctx, ival(&c[0]), ival(&c[1]), c[2].s ? c[2].s : "",
		     ival(&c[3]), c[4].s ? c[4].s : "{}");
}

int store_event_list(struct store *st, int64_t after_id, int limit,
		     store_event_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(after_id), SV_I(limit) };
	struct event_walk w = { fn, ctx };

	return st->ops->query(st, Q_EVENT_LIST, p, 2, walk_event, &w, NULL);
}

int store_event_last(struct store *st, int64_t *id)
{
	return run_int(st, Q_EVENT_LAST, NULL, 0, id);
}

/* Channels. */

static void channel_of(const struct srow *r, struct channel *c)
{
	const struct sval *v = r->col;

	c->id = ival(&v[0]);
	COPY(c->name, &v[1]);
	c->kind = channel_kind_parse(v[2].s ? v[2].s : "");
	c->config = dup_text(&v[3]);
	c->rate_burst = (int)ival(&v[4]);
	c->rate_period_ms = ival(&v[5]);
	c->enabled = ival(&v[6]);
	c->created_ms = ival(&v[7]);
	c->updated_ms = ival(&v[8]);
}

struct one_channel {
	struct channel *c;
	bool found;
};

static int got_channel(void *ctx, const struct srow *r)
{
	struct one_channel *o = ctx;

	channel_release(o->c);
	channel_of(r, o->c);
	o->found = true;
	return 0;
}

int store_channel_insert(struct store *st, struct channel *c)
{
	struct sval p[] = {
		SV_S(c->name), SV_S(channel_kind_name(c->kind)), SV_S(c->config),
		SV_I(c->rate_burst), SV_I(c->rate_period_ms), SV_B(c->enabled),
		SV_I(c->created_ms),
	};

	c->updated_ms = c->created_ms;
	return run_int(st, Q_CH_INSERT, p, ARRAY_SIZE(p), &c->id);
}

int store_channel_get(struct store *st, int64_t id, struct channel *out)
{
	struct sval p[] = { SV_I(id) };
	struct one_channel o = { out, false };
	int rc = st->ops->query(st, Q_CH_GET, p, 1, got_channel, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_channel_update(struct store *st, const struct channel *c)
{
	struct sval p[] = {
		SV_I(c->id), SV_S(c->name), SV_S(c->config),
		SV_I(c->rate_burst), SV_I(c->rate_period_ms), SV_B(c->enabled),
		SV_I(c->updated_ms),
	};

	return run1(st, Q_CH_UPDATE, p, ARRAY_SIZE(p));
}

struct channel_walk {
	store_channel_fn *fn;
	void *ctx;
};

static int walk_channel(void *ctx, const struct srow *r)
{
	struct channel_walk *w = ctx;
	struct channel c = { 0 };
	int rc;

	channel_of(r, &c);
	rc = w->fn(w->ctx, &c);
	channel_release(&c);
	return rc;
}

int store_channel_list(struct store *st, store_channel_fn *fn, void *ctx)
{
	struct channel_walk w = { fn, ctx };

	return st->ops->query(st, Q_CH_LIST, NULL, 0, walk_channel, &w, NULL);
}

int store_channel_delete(struct store *st, int64_t id, bool *disabled)
{
	struct sval p[] = { SV_I(id) };
	struct channel c = { 0 };
	int64_t used;
	int rc = store_channel_get(st, id, &c);

	*disabled = false;
	if (!rc)
		rc = run(st, Q_GCH_CLEAR_CHANNEL, p, 1, NULL);
	if (!rc)
		rc = run_int(st, Q_CH_USED, p, 1, &used);
	if (!rc && used) {
		/* The delivery log keeps its channel: only disable it. */
		c.enabled = false;
		rc = store_channel_update(st, &c);
		*disabled = true;
	} else if (!rc) {
		rc = run1(st, Q_CH_DELETE, p, 1);
	}
	channel_release(&c);
	return rc;
}

int store_group_channels_set(struct store *st, int64_t group_id,
			     const int64_t *ids, int n)
{
	struct sval p[] = { SV_I(group_id) };
	int rc = run(st, Q_GCH_CLEAR, p, 1, NULL);

	for (int i = 0; !rc && i < n; i++) {
		struct sval q[] = { SV_I(group_id), SV_I(ids[i]) };

		rc = run(st, Q_GCH_ADD, q, 2, NULL);
	}
	return rc;
}

int store_group_channels(struct store *st, int64_t group_id,
			 store_channel_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(group_id) };
	struct channel_walk w = { fn, ctx };

	return st->ops->query(st, Q_GCH_LIST, p, 1, walk_channel, &w, NULL);
}

/* The outbox. */

static void notification_of(const struct srow *r, struct notification *n)
{
	const struct sval *c = r->col;

	n->id = ival(&c[0]);
	n->incident_id = ival(&c[1]);
	COPY(n->event, &c[2]);
	n->tier = (int)ival(&c[3]);
	n->channel_id = ival(&c[4]);
	n->user_id = ival(&c[5]);
	n->recipient = dup_text(&c[6]);
	COPY(n->locale, &c[7]);
	n->subject = dup_text(&c[8]);
	n->text = dup_text(&c[9]);
	n->markdown = dup_text(&c[10]);
	n->link = dup_text(&c[11]);
	n->ack_link = dup_text(&c[12]);
	COPY(n->idem_key, &c[13]);
	COPY(n->ack_hash, &c[14]);
	n->ack_expires_ms = ival(&c[15]);
	n->acked_ms = ival(&c[16]);
	COPY(n->acked_by, &c[17]);
	n->state = notif_state_parse(c[18].s ? c[18].s : "");
	n->attempts = (int)ival(&c[19]);
	n->next_ms = ival(&c[20]);
	n->last_error = dup_text(&c[21]);
	n->created_ms = ival(&c[22]);
	n->sent_ms = ival(&c[23]);
}

struct one_nt {
	struct notification *n;
	bool found;
};

static int got_nt(void *ctx, const struct srow *r)
{
	struct one_nt *o = ctx;

	notification_release(o->n);
	notification_of(r, o->n);
	o->found = true;
	return 0;
}

int store_notification_insert(struct store *st, struct notification *n)
{
	struct sval p[] = {
		SV_I(n->incident_id), SV_S(n->event), SV_I(n->tier),
		SV_I(n->channel_id), n->user_id ? SV_I(n->user_id) : SV_NUL,
		SV_S(n->recipient), SV_S(n->locale), SV_S(n->subject),
		SV_S(n->text), SV_S(n->markdown), SV_S(n->link),
		SV_S(n->ack_link ? n->ack_link : ""), SV_S(n->idem_key),
		n->ack_hash[0] ? SV_S(n->ack_hash) : SV_NUL,
		SV_I(n->ack_expires_ms), SV_I(n->created_ms),
		SV_I(n->next_ms ? n->next_ms : n->created_ms),
	};

	n->state = NS_PENDING;
	return run_int(st, Q_NT_INSERT, p, ARRAY_SIZE(p), &n->id);
}

static int nt_one(struct store *st, enum q q, struct sval key,
		  struct notification *out)
{
	struct one_nt o = { out, false };
	int rc = st->ops->query(st, q, &key, 1, got_nt, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_notification_get(struct store *st, int64_t id,
			   struct notification *out)
{
	return nt_one(st, Q_NT_GET, SV_I(id), out);
}

int store_notification_by_ack(struct store *st, const char *ack_hash,
			      struct notification *out)
{
	return nt_one(st, Q_NT_BY_ACK, SV_S(ack_hash), out);
}

struct nt_walk {
	store_notification_fn *fn;
	void *ctx;
};

static int walk_nt(void *ctx, const struct srow *r)
{
	struct nt_walk *w = ctx;
	struct notification n = { 0 };
	int rc;

	notification_of(r, &n);
	rc = w->fn(w->ctx, &n);
	notification_release(&n);
	return rc;
}

int store_notification_due(struct store *st, int64_t now_ms, int limit,
			   store_notification_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(now_ms), SV_I(limit) };
	struct nt_walk w = { fn, ctx };

	return st->ops->query(st, Q_NT_DUE, p, 2, walk_nt, &w, NULL);
}

int store_notification_update(struct store *st, const struct notification *n)
{
	struct sval p[] = {
		SV_I(n->id), SV_S(notif_state_name(n->state)),
		SV_I(n->attempts), SV_I(n->next_ms),
		SV_S(n->last_error ? n->last_error : ""), SV_I(n->sent_ms),
		SV_I(n->acked_ms), SV_S(n->acked_by),
	};

	return run1(st, Q_NT_UPDATE, p, ARRAY_SIZE(p));
}

int store_notification_set_ack(struct store *st, int64_t id,
			       const char *ack_link, const char *ack_hash)
{
	struct sval p[] = { SV_I(id), SV_S(ack_link), SV_S(ack_hash) };

	return run1(st, Q_NT_SET_ACK, p, ARRAY_SIZE(p));
}

int store_notification_list(struct store *st,
			    const struct notification_filter *f,
			    store_notification_fn *fn, void *ctx)
{
	struct sval p[] = {
		SV_I(f->incident_id), SV_S(f->state ? f->state : ""),
		SV_I(f->channel_id), SV_I(f->limit),
		SV_I(f->before_id ? f->before_id : INT64_MAX),
	};
	struct nt_walk w = { fn, ctx };

	return st->ops->query(st, Q_NT_LIST, p, ARRAY_SIZE(p), walk_nt, &w,
			      NULL);
}

/* Duty rosters. */

int store_rotation_insert(struct store *st, struct rotation_row *r,
			  int64_t now_ms)
{
	struct sval p[] = {
		SV_I(r->group_id), SV_S(r->name), SV_I(r->start_ms),
		SV_I(r->shift_minutes), SV_S(r->time_zone), SV_S(r->members),
		SV_I(now_ms),
	};

	return run_int(st, Q_ROT_INSERT, p, ARRAY_SIZE(p), &r->id);
}

struct rot_walk {
	store_rotation_fn *fn;
	void *ctx;
};

static int walk_rot(void *ctx, const struct srow *r)
{
	struct rot_walk *w = ctx;
	const struct sval *c = r->col;
	struct rotation_row x = {
		.id = ival(&c[0]), .group_id = ival(&c[1]),
		.start_ms = ival(&c[4]), .shift_minutes = (int)ival(&c[5]),
		.members = c[7].s ? c[7].s : "[]",
	};

	COPY(x.group_key, &c[2]);
	COPY(x.name, &c[3]);
	COPY(x.time_zone, &c[6]);
	return w->fn(w->ctx, &x);
}

int store_rotation_list(struct store *st, int64_t group_id,
			store_rotation_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(group_id) };
	struct rot_walk w = { fn, ctx };

	return st->ops->query(st, Q_ROT_LIST, p, 1, walk_rot, &w, NULL);
}

int store_override_insert(struct store *st, int64_t rotation_id,
			  int64_t user_id, int64_t start_ms, int64_t end_ms,
			  int64_t now_ms, int64_t *id)
{
	struct sval p[] = { SV_I(rotation_id), SV_I(user_id), SV_I(start_ms),
			    SV_I(end_ms), SV_I(now_ms) };

	return run_int(st, Q_OV_INSERT, p, ARRAY_SIZE(p), id);
}

struct ov_walk {
	store_override_fn *fn;
	void *ctx;
};

static int walk_ov(void *ctx, const struct srow *r)
{
	struct ov_walk *w = ctx;
	const struct sval *c = r->col;

	return w->fn(w->ctx, ival(&c[0]), ival(&c[2]), ival(&c[3]),
		     ival(&c[4]));
}

int store_override_list(struct store *st, int64_t rotation_id,
			store_override_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(rotation_id) };
	struct ov_walk w = { fn, ctx };

	return st->ops->query(st, Q_OV_LIST, p, 1, walk_ov, &w, NULL);
}

/* Bulletins. */

int store_bulletin_insert(struct store *st, struct bulletin *b)
{
	struct sval p[] = {
		SV_I(b->incident_id), SV_S(b->public ? "public" : "internal"),
		SV_S(b->text), SV_I(b->author_id), SV_I(b->created_ms),
	};

	return run_int(st, Q_BUL_INSERT, p, ARRAY_SIZE(p), &b->id);
}

struct bul_walk {
	store_bulletin_fn *fn;
	void *ctx;
};

static int walk_bul(void *ctx, const struct srow *r)
{
	struct bul_walk *w = ctx;
	const struct sval *c = r->col;
	struct bulletin b = {
		.id = ival(&c[0]), .incident_id = ival(&c[1]),
		.public = c[2].s && !strcmp(c[2].s, "public"),
		.text = c[3].s ? c[3].s : "", .author_id = ival(&c[4]),
		.created_ms = ival(&c[5]),
	};

	return w->fn(w->ctx, &b);
}

int store_bulletin_list(struct store *st, int64_t incident_id,
			store_bulletin_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(incident_id) };
	struct bul_walk w = { fn, ctx };

	return st->ops->query(st, Q_BUL_LIST, p, 1, walk_bul, &w, NULL);
}

int store_bulletin_public(struct store *st, int64_t since_ms, int limit,
			  store_bulletin_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(since_ms), SV_I(limit) };
	struct bul_walk w = { fn, ctx };

	return st->ops->query(st, Q_BUL_PUBLIC, p, 2, walk_bul, &w, NULL);
}

/* Supplies and funds. */

void supply_release(struct supply *s)
{
	free(s->notes);
	s->notes = NULL;
}

static void supply_of(const struct srow *r, struct supply *s)
{
	const struct sval *c = r->col;

	s->id = ival(&c[0]);
	COPY(s->name, &c[1]);
	COPY(s->kind, &c[2]);
	COPY(s->location, &c[3]);
	s->quantity = ival(&c[4]);
	COPY(s->unit, &c[5]);
	s->min_quantity = ival(&c[6]);
	s->inspect_by_ms = ival(&c[7]);
	s->notes = dup_text(&c[8]);
	s->low_notice_ms = ival(&c[9]);
	s->inspect_notice_ms = ival(&c[10]);
	s->created_ms = ival(&c[11]);
	s->updated_ms = ival(&c[12]);
}

struct one_supply {
	struct supply *s;
	bool found;
};

static int got_supply(void *ctx, const struct srow *r)
{
	struct one_supply *o = ctx;

	supply_release(o->s);
	supply_of(r, o->s);
	o->found = true;
	return 0;
}

int store_supply_insert(struct store *st, struct supply *s)
{
	struct sval p[] = {
		SV_S(s->name), SV_S(s->kind), SV_S(s->location),
		SV_I(s->quantity), SV_S(s->unit), SV_I(s->min_quantity),
		SV_I(s->inspect_by_ms), SV_S(s->notes ? s->notes : ""),
		SV_I(s->created_ms),
	};

	s->updated_ms = s->created_ms;
	return run_int(st, Q_SUP_INSERT, p, ARRAY_SIZE(p), &s->id);
}

int store_supply_get(struct store *st, int64_t id, struct supply *out)
{
	struct sval p[] = { SV_I(id) };
	struct one_supply o = { out, false };
	int rc = st->ops->query(st, Q_SUP_GET, p, 1, got_supply, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_supply_update(struct store *st, const struct supply *s)
{
	struct sval p[] = {
		SV_I(s->id), SV_S(s->name), SV_S(s->kind), SV_S(s->location),
		SV_S(s->unit), SV_I(s->min_quantity), SV_I(s->inspect_by_ms),
		SV_S(s->notes ? s->notes : ""), SV_I(s->updated_ms),
	};

	return run1(st, Q_SUP_UPDATE, p, ARRAY_SIZE(p));
}

struct supply_walk {
	store_supply_fn *fn;
	void *ctx;
};

static int walk_supply(void *ctx, const struct srow *r)
{
	struct supply_walk *w = ctx;
	struct supply s = { 0 };
	int rc;

	supply_of(r, &s);
	rc = w->fn(w->ctx, &s);
	supply_release(&s);
	return rc;
}

int store_supply_list(struct store *st, store_supply_fn *fn, void *ctx)
{
	struct supply_walk w = { fn, ctx };

	return st->ops->query(st, Q_SUP_LIST, NULL, 0, walk_supply, &w, NULL);
}

int store_supply_take(struct store *st, int64_t id, int64_t n, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(n), SV_I(now_ms) };
	int rc = run1(st, Q_SUP_TAKE, p, 3);

	return rc == ERMS_ENOTFOUND ? ERMS_ECONFLICT : rc;
}

int store_supply_add(struct store *st, int64_t id, int64_t n, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(n), SV_I(now_ms) };

	return run1(st, Q_SUP_ADD, p, 3);
}

int store_supply_notice(struct store *st, int64_t id, int64_t low_ms,
			int64_t inspect_ms)
{
	struct sval p[] = { SV_I(id), SV_I(low_ms), SV_I(inspect_ms) };

	return run1(st, Q_SUP_NOTICE, p, 3);
}

int store_movement_insert(struct store *st, const struct movement *m,
			  int64_t *id)
{
	struct sval p[] = {
		SV_I(m->supply_id), SV_S(m->kind), SV_I(m->quantity),
		m->incident_id ? SV_I(m->incident_id) : SV_NUL,
		SV_S(m->note ? m->note : ""), SV_I(m->actor_id),
		SV_I(m->at_ms),
	};

	return run_int(st, Q_MOV_INSERT, p, ARRAY_SIZE(p), id);
}

struct mov_walk {
	store_movement_fn *fn;
	void *ctx;
};

static int walk_mov(void *ctx, const struct srow *r)
{
	struct mov_walk *w = ctx;
	const struct sval *c = r->col;
	struct movement m = {
		.id = ival(&c[0]), .supply_id = ival(&c[1]),
		.kind = c[2].s ? c[2].s : "", .quantity = ival(&c[3]),
		.incident_id = ival(&c[4]), .note = c[5].s ? c[5].s : "",
		.actor_id = ival(&c[6]), .at_ms = ival(&c[7]),
		.supply_name = c[8].s ? c[8].s : "", .unit = c[9].s ? c[9].s : "",
	};

	return w->fn(w->ctx, &m);
}

int store_movements(struct store *st, int64_t supply_id, store_movement_fn *fn,
		    void *ctx)
{
	struct sval p[] = { SV_I(supply_id) };
	struct mov_walk w = { fn, ctx };

	return st->ops->query(st, Q_MOV_LIST, p, 1, walk_mov, &w, NULL);
}

int store_movements_of_incident(struct store *st, int64_t incident_id,
				store_movement_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(incident_id) };
	struct mov_walk w = { fn, ctx };

	return st->ops->query(st, Q_MOV_INCIDENT, p, 1, walk_mov, &w, NULL);
}

int store_budget_put(struct store *st, int year, int64_t cents,
		     const char *note, int64_t now_ms)
{
	struct sval p[] = { SV_I(year), SV_I(cents), SV_S(note), SV_I(now_ms) };

	return run(st, Q_BUDGET_PUT, p, 4, NULL);
}

struct budget_out {
	int64_t *cents;
	char *note;
	size_t len;
	bool found;
};

static int got_budget(void *ctx, const struct srow *r)
{
	struct budget_out *b = ctx;

	*b->cents = ival(&r->col[0]);
	snprintf(b->note, b->len, "%s", r->col[1].s ? r->col[1].s : "");
	b->found = true;
	return 0;
}

int store_budget_get(struct store *st, int year, int64_t *cents, char *note,
		     size_t notelen)
{
	struct sval p[] = { SV_I(year) };
	struct budget_out b = { cents, note, notelen, false };
	int rc = st->ops->query(st, Q_BUDGET_GET, p, 1, got_budget, &b, NULL);

	return rc ? rc : b.found ? 0 : ERMS_ENOTFOUND;
}

int store_expense_insert(struct store *st, const struct expense *e,
			 int64_t *id)
{
	struct sval p[] = {
		SV_I(e->year), SV_I(e->amount_cents), SV_S(e->purpose),
		e->incident_id ? SV_I(e->incident_id) : SV_NUL,
		SV_I(e->drill_id), e->supply_id ? SV_I(e->supply_id) : SV_NUL,
		SV_I(e->actor_id), SV_I(e->at_ms),
	};

	return run_int(st, Q_EXP_INSERT, p, ARRAY_SIZE(p), id);
}

struct exp_walk {
	store_expense_fn *fn;
	void *ctx;
};

static int walk_exp(void *ctx, const struct srow *r)
{
	struct exp_walk *w = ctx;
	const struct sval *c = r->col;
	struct expense e = {
		.id = ival(&c[0]), .year = (int)ival(&c[1]),
		.amount_cents = ival(&c[2]), .purpose = c[3].s ? c[3].s : "",
		.incident_id = ival(&c[4]), .drill_id = ival(&c[5]),
		.supply_id = ival(&c[6]), .actor_id = ival(&c[7]),
		.at_ms = ival(&c[8]),
	};

	return w->fn(w->ctx, &e);
}

int store_expenses(struct store *st, int year, store_expense_fn *fn,
		   void *ctx)
{
	struct sval p[] = { SV_I(year) };
	struct exp_walk w = { fn, ctx };

	return st->ops->query(st, Q_EXP_LIST, p, 1, walk_exp, &w, NULL);
}

int store_expense_sum(struct store *st, int year, int64_t *cents)
{
	struct sval p[] = { SV_I(year) };

	return run_int(st, Q_EXP_SUM, p, 1, cents);
}

/* Drills. */

void drill_row_release(struct drill_row *d)
{
	free(d->detail);
	free(d->evaluation);
	d->detail = d->evaluation = NULL;
}

static void drill_of(const struct srow *r, struct drill_row *d)
{
	const struct sval *c = r->col;

	d->id = ival(&c[0]);
	COPY(d->title, &c[1]);
	COPY(d->kind, &c[2]);
	COPY(d->category, &c[3]);
	COPY(d->level, &c[4]);
	d->scheduled_ms = ival(&c[5]);
	d->minutes = (int)ival(&c[6]);
	COPY(d->location, &c[7]);
	COPY(d->status, &c[8]);
	d->detail = dup_text(&c[9]);
	d->evaluation = dup_text(&c[10]);
	d->incident_id = ival(&c[11]);
	d->created_by = ival(&c[12]);
	d->created_ms = ival(&c[13]);
	d->started_ms = ival(&c[14]);
	d->completed_ms = ival(&c[15]);
	d->evaluated_ms = ival(&c[16]);
	d->updated_ms = ival(&c[17]);
}

struct one_drill {
	struct drill_row *d;
	bool found;
};

static int got_drill(void *ctx, const struct srow *r)
{
	struct one_drill *o = ctx;

	drill_row_release(o->d);
	drill_of(r, o->d);
	o->found = true;
	return 0;
}

int store_drill_insert(struct store *st, struct drill_row *d)
{
	struct sval p[] = {
		SV_S(d->title), SV_S(d->kind), SV_S(d->category),
		SV_S(d->level), SV_I(d->scheduled_ms), SV_I(d->minutes),
		SV_S(d->location), SV_S(d->detail ? d->detail : "{}"),
		SV_I(d->created_by), SV_I(d->created_ms),
	};

	d->updated_ms = d->created_ms;
	snprintf(d->status, sizeof(d->status), "planned");
	return run_int(st, Q_DRILL_INSERT, p, ARRAY_SIZE(p), &d->id);
}

int store_drill_get(struct store *st, int64_t id, struct drill_row *out)
{
	struct sval p[] = { SV_I(id) };
	struct one_drill o = { out, false };
	int rc = st->ops->query(st, Q_DRILL_GET, p, 1, got_drill, &o, NULL);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_drill_update(struct store *st, const struct drill_row *d,
		       const char *was)
{
	struct sval p[] = {
		SV_I(d->id), SV_S(d->status), SV_S(d->detail ? d->detail : "{}"),
		SV_S(d->evaluation ? d->evaluation : ""), SV_I(d->incident_id),
		SV_I(d->started_ms), SV_I(d->completed_ms),
		SV_I(d->evaluated_ms), SV_I(d->updated_ms), SV_S(d->title),
		SV_I(d->scheduled_ms), SV_S(d->location), SV_S(was),
	};
	int rc = run1(st, Q_DRILL_UPDATE, p, ARRAY_SIZE(p));

	return rc == ERMS_ENOTFOUND ? ERMS_ECONFLICT : rc;
}

struct drill_walk {
	store_drill_fn *fn;
	void *ctx;
};

static int walk_drill(void *ctx, const struct srow *r)
{
	struct drill_walk *w = ctx;
	struct drill_row d = { 0 };
	int rc;

	drill_of(r, &d);
	rc = w->fn(w->ctx, &d);
	drill_row_release(&d);
	return rc;
}

int store_drill_list(struct store *st, int64_t from_ms, int64_t to_ms,
		     store_drill_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(from_ms), SV_I(to_ms) };
	struct drill_walk w = { fn, ctx };

	return st->ops->query(st, Q_DRILL_LIST, p, 2, walk_drill, &w, NULL);
}

int store_drill_notice(struct store *st, int year, int64_t now_ms)
{
	struct sval p[] = { SV_I(year), SV_I(now_ms) };
	int64_t n = 0;
	int rc = st->ops->query(st, Q_DRILL_NOTICE, p, 2, NULL, NULL, &n);

	return rc ? rc : n > 0;
}

struct stat_walk {
	store_stat_fn *fn;
	void *ctx;
};

static int walk_stat(void *ctx, const struct srow *r)
{
	struct stat_walk *w = ctx;
	const struct sval *c = r->col;

	return w->fn(w->ctx, c[0].s ? c[0].s : "", c[1].s ? c[1].s : "",
		     c[2].s ? c[2].s : "", ival(&c[3]));
}

int store_incident_stats(struct store *st, int64_t from_ms, int64_t to_ms,
			 store_stat_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(from_ms), SV_I(to_ms) };
	struct stat_walk w = { fn, ctx };

	return st->ops->query(st, Q_INC_STATS, p, 2, walk_stat, &w, NULL);
}
