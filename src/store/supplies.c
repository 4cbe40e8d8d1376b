/*
 * supplies.c - store.h's supplies (应急物资) and their movements.
 */
#include "store/store.h"

#include <stdlib.h>

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct supply
static const struct col supply_cols[] = COL_TABLE(SUPPLY_COLS);
#undef COL_TYPE
#define COL_TYPE struct movement
static const struct col movement_cols[] = COL_TABLE(MOVEMENT_COLS);
#undef COL_TYPE

void supply_release(struct supply *s)
{
	free(s->notes);
	s->notes = NULL;
}

/* st_one's reset: free what obj holds before a row is read in. */
static void supply_reset(void *s)
{
	supply_release(s);
}

int store_supply_insert(struct store *st, struct supply *s)
{
	struct sval p[] = {
		SV_S(s->name), SV_S(s->kind), SV_S(s->location),
		SV_I(s->quantity), SV_S(s->unit), SV_I(s->min_quantity),
		SV_I(s->inspect_by_ms), SV_S(s->notes ? s->notes : ""),
		SV_I(s->created_ms), sv_opt(s->stamp.by),
	};

	s->updated_ms = s->created_ms;
	s->stamp.version = 1;
	return st_int(st, Q_SUP_INSERT, p, ARRAY_SIZE(p), &s->id);
}

int store_supply_get(struct store *st, int64_t id, struct supply *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_SUP_GET, p, 1, supply_cols, supply_reset, out);
}

int store_supply_update(struct store *st, struct supply *s)
{
	struct sval p[] = {
		SV_I(s->id), SV_S(s->name), SV_S(s->kind), SV_S(s->location),
		SV_S(s->unit), SV_I(s->min_quantity), SV_I(s->inspect_by_ms),
		SV_S(s->notes ? s->notes : ""), SV_I(s->updated_ms),
		sv_opt(s->stamp.by),
	};

	return st_int(st, Q_SUP_UPDATE, p, ARRAY_SIZE(p), &s->stamp.version);
}

struct supply_walk {
	store_supply_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_supply(void *ctx, const struct srow *r)
{
	struct supply_walk *w = ctx;
	struct supply s = { 0 };
	int rc;

	DECODE(supply_cols, r, 0, &s);
	rc = w->fn(w->ctx, &s);
	supply_release(&s);
	return rc;
}

int store_supply_list(struct store *st, store_supply_fn *fn, void *ctx)
{
	struct supply_walk w = { fn, ctx };

	return st_query(st, Q_SUP_LIST, NULL, 0, walk_supply, &w);
}

int store_supply_take(struct store *st, int64_t id, int64_t n, int64_t now_ms,
		      int64_t by)
{
	struct sval p[] = { SV_I(id), SV_I(n), SV_I(now_ms), sv_opt(by) };
	int rc = st_run1(st, Q_SUP_TAKE, p, 4);

	return rc == ERMS_ENOTFOUND ? ERMS_ECONFLICT : rc;
}

int store_supply_add(struct store *st, int64_t id, int64_t n, int64_t now_ms,
		     int64_t by)
{
	struct sval p[] = { SV_I(id), SV_I(n), SV_I(now_ms), sv_opt(by) };

	return st_run1(st, Q_SUP_ADD, p, 4);
}

int store_supply_notice(struct store *st, int64_t id, int64_t low_ms,
			int64_t inspect_ms)
{
	struct sval p[] = { SV_I(id), SV_I(low_ms), SV_I(inspect_ms) };

	return st_run1(st, Q_SUP_NOTICE, p, 3);
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

	return st_int(st, Q_MOV_INSERT, p, ARRAY_SIZE(p), id);
}

struct mov_walk {
	store_movement_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_mov(void *ctx, const struct srow *r)
{
	struct mov_walk *w = ctx;
	struct movement m;

	DECODE(movement_cols, r, 0, &m);
	return w->fn(w->ctx, &m);
}

int store_movements(struct store *st, int64_t supply_id, store_movement_fn *fn,
		    void *ctx)
{
	struct sval p[] = { SV_I(supply_id) };
	struct mov_walk w = { fn, ctx };

	return st_query(st, Q_MOV_LIST, p, 1, walk_mov, &w);
}

int store_movements_of_incident(struct store *st, int64_t incident_id,
				store_movement_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(incident_id) };
	struct mov_walk w = { fn, ctx };

	return st_query(st, Q_MOV_INCIDENT, p, 1, walk_mov, &w);
}
