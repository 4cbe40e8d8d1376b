/*
 * duty.c - store.h's duty rosters: rotations and their overrides.
 */
#include "store/store.h"

#include "store/store-int.h"

/* One override row. */
struct override_rec {
	int64_t id, user_id, start_ms, end_ms;
};

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct rotation_row
static const struct col rotation_cols[] = COL_TABLE(ROTATION_COLS);
#undef COL_TYPE
#define COL_TYPE struct override_rec
static const struct col override_cols[] = COL_TABLE(OVERRIDE_COLS);
#undef COL_TYPE

int store_rotation_insert(struct store *st, struct rotation_row *r,
			  int64_t now_ms)
{
	struct sval p[] = {
		SV_I(r->group_id), SV_S(r->name), SV_I(r->start_ms),
		SV_I(r->shift_minutes), SV_S(r->time_zone), SV_S(r->members),
		SV_I(now_ms), sv_opt(r->stamp.by),
	};

	r->stamp.version = 1;
	return st_int(st, Q_ROT_INSERT, p, ARRAY_SIZE(p), &r->id);
}

struct rot_walk {
	store_rotation_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_rot(void *ctx, const struct srow *r)
{
	struct rot_walk *w = ctx;
	struct rotation_row x;

	DECODE(rotation_cols, r, 0, &x);
	return w->fn(w->ctx, &x);
}

int store_rotation_list(struct store *st, int64_t group_id,
			store_rotation_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(group_id) };
	struct rot_walk w = { fn, ctx };

	return st_query(st, Q_ROT_LIST, p, 1, walk_rot, &w);
}

int store_override_insert(struct store *st, int64_t rotation_id,
			  int64_t user_id, int64_t start_ms, int64_t end_ms,
			  int64_t now_ms, int64_t *id)
{
	struct sval p[] = { SV_I(rotation_id), SV_I(user_id), SV_I(start_ms),
			    SV_I(end_ms), SV_I(now_ms) };

	return st_int(st, Q_OV_INSERT, p, ARRAY_SIZE(p), id);
}

int store_rotation_update(struct store *st, struct rotation_row *r,
			  int64_t now_ms)
{
	struct sval p[] = {
		SV_I(r->id), SV_S(r->name), SV_I(r->start_ms),
		SV_I(r->shift_minutes), SV_S(r->time_zone), SV_S(r->members),
		SV_I(now_ms), sv_opt(r->stamp.by),
	};

	return st_int(st, Q_ROT_UPDATE, p, ARRAY_SIZE(p), &r->stamp.version);
}

int store_rotation_delete(struct store *st, int64_t id)
{
	struct sval p[] = { SV_I(id) };
	int rc = st_run(st, Q_OV_DELETE_ALL, p, 1, NULL);

	return rc ? rc : st_run1(st, Q_ROT_DELETE, p, 1);
}

int store_override_delete(struct store *st, int64_t rotation_id, int64_t id)
{
	struct sval p[] = { SV_I(id), SV_I(rotation_id) };

	return st_run1(st, Q_OV_DELETE, p, ARRAY_SIZE(p));
}

struct ov_walk {
	store_override_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_ov(void *ctx, const struct srow *r)
{
	struct ov_walk *w = ctx;
	struct override_rec o;

	DECODE(override_cols, r, 0, &o);
	return w->fn(w->ctx, o.id, o.user_id, o.start_ms, o.end_ms);
}

int store_override_list(struct store *st, int64_t rotation_id,
			store_override_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(rotation_id) };
	struct ov_walk w = { fn, ctx };

	return st_query(st, Q_OV_LIST, p, 1, walk_ov, &w);
}
