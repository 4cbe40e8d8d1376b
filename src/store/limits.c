/*
 * limits.c - store.h's sign-in limit rows, shared by the nodes of one
 * database.
 */
#include "store/store.h"

#include <stdio.h>

#include "store/store-int.h"

struct got {
	struct limit_row *row;
	bool found;
};

/* srow_fn: the one row into the caller's struct, marked found. */
static int got_row(void *ctx, const struct srow *r)
{
	struct got *g = ctx;

	g->row->tokens_u = r->col[0].i;
	g->row->updated_ms = r->col[1].i;
	g->row->fails = (int)r->col[2].i;
	g->row->decay_ms = r->col[3].i;
	g->row->next_ms = r->col[4].i;
	g->row->used_ms = r->col[5].i;
	g->found = true;
	return 0;
}

int store_limit_get(struct store *st, int kind, const char *key,
		    struct limit_row *out)
{
	struct sval p[] = { SV_I(kind), SV_S(key) };
	struct got g = { out, false };
	int rc;

	*out = (struct limit_row){ .kind = kind };
	snprintf(out->key, sizeof(out->key), "%s", key);
	rc = st_query(st, Q_LIMIT_GET, p, ARRAY_SIZE(p), got_row, &g);
	return rc ? rc : g.found ? 0 : ERMS_ENOTFOUND;
}

int store_limit_put(struct store *st, const struct limit_row *r)
{
	struct sval p[] = {
		SV_I(r->kind), SV_S(r->key), SV_I(r->tokens_u),
		SV_I(r->updated_ms), SV_I(r->fails), SV_I(r->decay_ms),
		SV_I(r->next_ms), SV_I(r->used_ms),
	};

	return st_run(st, Q_LIMIT_PUT, p, ARRAY_SIZE(p), NULL);
}

int store_limit_prune(struct store *st, int64_t before_ms, int64_t *deleted)
{
	struct sval p[] = { SV_I(before_ms) };
	int64_t n = 0;
	int rc = st_run(st, Q_LIMIT_PRUNE, p, ARRAY_SIZE(p), &n);

	if (deleted)
		*deleted = rc ? 0 : n;
	return rc;
}
