/*
 * drills.c - store.h's drills (应急演练); the state machine is
 * core/drill.h's.
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct drill_row
static const struct col drill_cols[] = COL_TABLE(DRILL_COLS);
#undef COL_TYPE
COL_TABLE_FITS(drill_cols);

void drill_row_release(struct drill_row *d)
{
	free(d->detail);
	free(d->evaluation);
	d->detail = d->evaluation = NULL;
}

/* st_one's reset: free what obj holds before a row is read in. */
static void drill_reset(void *d)
{
	drill_row_release(d);
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
	d->stamp.version = 1;
	d->stamp.by = d->created_by;
	snprintf(d->status, sizeof(d->status), "planned");
	return st_int(st, Q_DRILL_INSERT, p, ARRAY_SIZE(p), &d->id);
}

int store_drill_get(struct store *st, int64_t id, struct drill_row *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_DRILL_GET, p, 1, drill_cols, drill_reset, out);
}

int store_drill_update(struct store *st, struct drill_row *d,
		       const char *was)
{
	struct sval p[] = {
		SV_I(d->id), SV_S(d->status), SV_S(d->detail ? d->detail : "{}"),
		SV_S(d->evaluation ? d->evaluation : ""), SV_I(d->incident_id),
		SV_I(d->started_ms), SV_I(d->completed_ms),
		SV_I(d->evaluated_ms), SV_I(d->updated_ms), SV_S(d->title),
		SV_I(d->scheduled_ms), SV_S(d->location), SV_S(was),
		sv_opt(d->stamp.by),
	};
	int rc = st_int(st, Q_DRILL_UPDATE, p, ARRAY_SIZE(p),
			&d->stamp.version);

	return rc == ERMS_ENOTFOUND ? ERMS_ECONFLICT : rc;
}

struct drill_walk {
	store_drill_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_drill(void *ctx, const struct srow *r)
{
	struct drill_walk *w = ctx;
	struct drill_row d = { 0 };
	int rc;

	DECODE(drill_cols, r, 0, &d);
	rc = w->fn(w->ctx, &d);
	drill_row_release(&d);
	return rc;
}

int store_drill_list(struct store *st, int64_t from_ms, int64_t to_ms,
		     store_drill_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(from_ms), SV_I(to_ms) };
	struct drill_walk w = { fn, ctx };

	return st_query(st, Q_DRILL_LIST, p, 2, walk_drill, &w);
}

int store_drill_notice(struct store *st, int year, int64_t now_ms)
{
	struct sval p[] = { SV_I(year), SV_I(now_ms) };
	int64_t n = 0;
	int rc = st_run(st, Q_DRILL_NOTICE, p, 2, &n);

	return rc ? rc : n > 0;
}

int store_drill_notice_forget(struct store *st, int year)
{
	struct sval p[] = { SV_I(year) };

	return st_run(st, Q_DRILL_NOTICE_FORGET, p, 1, NULL);
}
