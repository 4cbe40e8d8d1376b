/*
 * audit.c - store.h's audit log: append-only rows, hash-chained by
 * app/audit.c, which relies on the write serialisation of backend.h.
 */
#include "store/store.h"

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct audit_row
static const struct col audit_cols[] = COL_TABLE(AUDIT_COLS);
#undef COL_TYPE

struct audit_head {
	int64_t id;
	char *hash;
};

/* srow_fn: read the one row into the caller's struct; mark it found. */
static int got_head(void *ctx, const struct srow *r)
{
	struct audit_head *h = ctx;

	h->id = sv_int(&r->col[0]);
	sv_copy(h->hash, 65, &r->col[1]);
	return 0;
}

int store_audit_head(struct store *st, int64_t *id, char hash[65])
{
	struct audit_head h = { 0, hash };
	int rc;

	hash[0] = '\0';
	rc = st_query(st, Q_AUDIT_HEAD, NULL, 0, got_head, &h);
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

	return st_run(st, Q_AUDIT_INSERT, p, ARRAY_SIZE(p), NULL);
}

struct audit_walk {
	store_audit_fn *fn;
	void *ctx;
};

/* The row's texts are borrowed from the backend for the callback. */
static int walk_audit(void *ctx, const struct srow *r)
{
	struct audit_walk *w = ctx;
	struct audit_row a;

	DECODE(audit_cols, r, 0, &a);
	return w->fn(w->ctx, &a);
}

int store_audit_list(struct store *st, int64_t after_id, int limit,
		     store_audit_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(after_id), SV_I(limit) };
	struct audit_walk w = { fn, ctx };

	return st_query(st, Q_AUDIT_LIST, p, 2, walk_audit, &w);
}

struct audit_key {
	char *fp;
	int64_t plain_until;
	bool found;
};

/* srow_fn: read the one row into the caller's struct; mark it found. */
static int got_key(void *ctx, const struct srow *r)
{
	struct audit_key *k = ctx;

	sv_copy(k->fp, 65, &r->col[0]);
	k->plain_until = sv_int(&r->col[1]);
	k->found = true;
	return 0;
}

int store_audit_key(struct store *st, char fp[65], int64_t *plain_until)
{
	struct audit_key k = { fp, 0, false };
	int rc;

	fp[0] = '\0';
	rc = st_query(st, Q_AUDIT_KEY_GET, NULL, 0, got_key, &k);
	*plain_until = k.plain_until;
	return rc ? rc : k.found ? 0 : ERMS_ENOTFOUND;
}

int store_audit_key_bind(struct store *st, const char *fp, int64_t now_ms)
{
	struct sval p[] = { SV_S(fp), SV_I(now_ms) };

	return st_run(st, Q_AUDIT_KEY_PUT, p, ARRAY_SIZE(p), NULL);
}
