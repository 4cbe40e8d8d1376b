/*
 * users.c - store.h's users (the password hash is kept apart from struct
 * user and read only on its own).
 */
#include "store/store.h"

#include <stdio.h>

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct user
static const struct col user_cols[] = COL_TABLE(USER_COLS);
#undef COL_TYPE

int store_user_insert(struct store *st, struct user *u, const char *pwhash)
{
	struct sval p[] = {
		SV_S(u->login), SV_S(u->display_name), SV_S(u->email),
		SV_S(u->phone), SV_S(u->locale), SV_B(u->is_admin),
		SV_B(u->disabled), SV_S(pwhash), SV_I(u->created_ms),
		SV_S(u->time_zone),
	};

	u->updated_ms = u->created_ms;
	return st_int(st, Q_USER_INSERT, p, ARRAY_SIZE(p), &u->id);
}

int store_user_get(struct store *st, int64_t id, struct user *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_USER_GET, p, 1, user_cols, NULL, out);
}

struct one_user {
	struct user *u;
	char *pwhash;
	size_t pwlen;
	bool found;
};

/* A user and, after its columns, the password hash. */
static int got_user(void *ctx, const struct srow *r)
{
	struct one_user *o = ctx;
	int at = (int)ARRAY_SIZE(user_cols);

	DECODE(user_cols, r, 0, o->u);
	if (o->pwhash && r->n > at)
		snprintf(o->pwhash, o->pwlen, "%s",
			 r->col[at].s ? r->col[at].s : "");
	o->found = true;
	return 0;
}

int store_user_by_login(struct store *st, const char *login, struct user *out,
			char *pwhash, size_t pwhash_len)
{
	struct sval p[] = { SV_S(login) };
	struct one_user o = { .u = out, .pwhash = pwhash, .pwlen = pwhash_len };
	int rc = st_query(st, Q_USER_BY_LOGIN, p, 1, got_user, &o);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

struct text_out {
	char *s;
	size_t n;
	bool found;
};

/* srow_fn: read the one row into the caller's struct; mark it found. */
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
	int rc = st_query(st, Q_USER_PWHASH, p, 1, got_text, &t);

	return rc ? rc : t.found ? 0 : ERMS_ENOTFOUND;
}

int store_user_update(struct store *st, const struct user *u)
{
	struct sval p[] = {
		SV_I(u->id), SV_S(u->display_name), SV_S(u->email),
		SV_S(u->phone), SV_S(u->locale), SV_B(u->is_admin),
		SV_B(u->disabled), SV_I(u->updated_ms), SV_S(u->time_zone),
	};

	return st_run1(st, Q_USER_UPDATE, p, ARRAY_SIZE(p));
}

int store_user_set_password(struct store *st, int64_t id, const char *pwhash,
			    int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_S(pwhash), SV_I(now_ms) };

	return st_run1(st, Q_USER_SET_PASSWORD, p, ARRAY_SIZE(p));
}

int store_user_count(struct store *st, int64_t *n)
{
	return st_int(st, Q_USER_COUNT, NULL, 0, n);
}

struct user_walk {
	store_user_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_user(void *ctx, const struct srow *r)
{
	struct user_walk *w = ctx;
	struct user u;

	DECODE(user_cols, r, 0, &u);
	return w->fn(w->ctx, &u);
}

int store_user_list(struct store *st, int64_t after_id, int limit,
		    store_user_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(after_id), SV_I(limit) };
	struct user_walk w = { fn, ctx };

	return st_query(st, Q_USER_LIST, p, 2, walk_user, &w);
}
