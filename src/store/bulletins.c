/*
 * bulletins.c - store.h's bulletins of incidents (texts borrowed in
 * callbacks).
 */
#include "store/store.h"

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct bulletin
static const struct col bulletin_cols[] = COL_TABLE(BULLETIN_COLS);
#undef COL_TYPE

int store_bulletin_insert(struct store *st, struct bulletin *b)
{
	struct sval p[] = {
		SV_I(b->incident_id), SV_S(b->public ? "public" : "internal"),
		SV_S(b->text), SV_I(b->author_id), SV_I(b->created_ms),
	};

	return st_int(st, Q_BUL_INSERT, p, ARRAY_SIZE(p), &b->id);
}

struct bul_walk {
	store_bulletin_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_bul(void *ctx, const struct srow *r)
{
	struct bul_walk *w = ctx;
	struct bulletin b;

	DECODE(bulletin_cols, r, 0, &b);
	return w->fn(w->ctx, &b);
}

int store_bulletin_list(struct store *st, int64_t incident_id,
			store_bulletin_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(incident_id) };
	struct bul_walk w = { fn, ctx };

	return st_query(st, Q_BUL_LIST, p, 1, walk_bul, &w);
}

int store_bulletin_public(struct store *st, int64_t since_ms, int limit,
			  store_bulletin_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(since_ms), SV_I(limit) };
	struct bul_walk w = { fn, ctx };

	return st_query(st, Q_BUL_PUBLIC, p, 2, walk_bul, &w);
}
