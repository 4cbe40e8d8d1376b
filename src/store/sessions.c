/*
 * sessions.c - store.h's sign-ins: cookie sessions, API and feed tokens,
 * and the revocation generation. Only the SHA-256 of a secret is stored.
 */
#include "store/store.h"

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct session
static const struct col session_cols[] = COL_TABLE(SESSION_COLS);
#undef COL_TYPE
#define COL_TYPE struct token_info
static const struct col token_cols[] = COL_TABLE(TOKEN_COLS);
#undef COL_TYPE

int store_session_insert(struct store *st, const char *secret_hash,
			 const char *csrf, int64_t user_id, int64_t now_ms,
			 int64_t *id)
{
	struct sval p[] = { SV_S(secret_hash), SV_S(csrf), SV_I(user_id),
			    SV_I(now_ms) };

	return st_int(st, Q_SESSION_INSERT, p, ARRAY_SIZE(p), id);
}

int store_session_get(struct store *st, const char *secret_hash,
		      struct session *out)
{
	struct sval p[] = { SV_S(secret_hash) };

	return ST_ONE(st, Q_SESSION_GET, p, 1, session_cols, NULL, out);
}

int store_session_touch(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return st_run(st, Q_SESSION_TOUCH, p, 2, NULL);
}

int store_session_revoke(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return st_run1(st, Q_SESSION_REVOKE, p, 2);
}

int store_session_revoke_user(struct store *st, int64_t user_id,
			      int64_t now_ms)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms) };

	return st_run(st, Q_SESSION_REVOKE_USER, p, 2, NULL);
}

int store_session_by_id(struct store *st, int64_t id, struct session *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_SESSION_BY_ID, p, 1, session_cols, NULL, out);
}

int store_session_revoke_others(struct store *st, int64_t user_id,
				int64_t keep_id, int64_t now_ms)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms), SV_I(keep_id) };

	return st_run(st, Q_SESSION_REVOKE_OTHERS, p, 3, NULL);
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

	return st_int(st, Q_TOKEN_INSERT, p, ARRAY_SIZE(p), &t->id);
}

int store_token_by_hash(struct store *st, const char *secret_hash,
			struct token_info *out)
{
	struct sval p[] = { SV_S(secret_hash) };

	return ST_ONE(st, Q_TOKEN_BY_HASH, p, 1, token_cols, NULL, out);
}

int store_token_get(struct store *st, int64_t id, struct token_info *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_TOKEN_GET, p, 1, token_cols, NULL, out);
}

int store_token_touch(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return st_run(st, Q_TOKEN_TOUCH, p, 2, NULL);
}

int store_token_revoke(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return st_run1(st, Q_TOKEN_REVOKE, p, 2);
}

int store_token_revoke_user(struct store *st, int64_t user_id,
			    int64_t now_ms)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms) };

	return st_run(st, Q_TOKEN_REVOKE_USER, p, 2, NULL);
}

struct token_walk {
	store_token_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_token(void *ctx, const struct srow *r)
{
	struct token_walk *w = ctx;
	struct token_info t;

	DECODE(token_cols, r, 0, &t);
	return w->fn(w->ctx, &t);
}

int store_token_list(struct store *st, int64_t user_id, store_token_fn *fn,
		     void *ctx)
{
	struct sval p[] = { SV_I(user_id) };
	struct token_walk w = { fn, ctx };

	return st_query(st, Q_TOKEN_LIST, p, 1, walk_token, &w);
}

int store_token_revoke_others(struct store *st, int64_t user_id,
			      int64_t keep_id, int64_t now_ms)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms), SV_I(keep_id) };

	return st_run(st, Q_TOKEN_REVOKE_OTHERS, p, 3, NULL);
}

int store_token_revoke_feeds(struct store *st, int64_t user_id,
			     int64_t now_ms, int64_t *n)
{
	struct sval p[] = { SV_I(user_id), SV_I(now_ms) };

	*n = 0;
	return st_run(st, Q_TOKEN_REVOKE_FEEDS, p, 2, n);
}

int store_auth_epoch(struct store *st, int64_t *gen)
{
	return st_int(st, Q_AUTH_EPOCH, NULL, 0, gen);
}
