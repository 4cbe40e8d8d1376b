/*
 * timeline.c - store.h's timeline of an incident and the event log
 * behind live updates (both append-only; event ids grow in commit order,
 * see backend.h's begin).
 */
#include "store/store.h"

#include "store/store-int.h"

/* One event row (texts borrowed). */
struct event_rec {
	int64_t id, at_ms;
	const char *kind;
	int64_t incident_id;
	const char *data;
};

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct timeline_entry
static const struct col timeline_cols[] = COL_TABLE(TIMELINE_COLS);
#undef COL_TYPE
#define COL_TYPE struct event_rec
static const struct col event_cols[] = COL_TABLE(EVENT_COLS);
#undef COL_TYPE

int store_timeline_add(struct store *st, struct timeline_entry *e)
{
	struct sval p[] = {
		SV_I(e->incident_id), SV_I(e->at_ms), SV_I(e->actor_id),
		SV_S(e->kind), SV_S(e->text), SV_S(e->data ? e->data : "{}"),
	};

	return st_int(st, Q_TL_INSERT, p, ARRAY_SIZE(p), &e->id);
}

struct tl_walk {
	store_tl_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_tl(void *ctx, const struct srow *r)
{
	struct tl_walk *w = ctx;
	struct timeline_entry e;

	DECODE(timeline_cols, r, 0, &e);
	return w->fn(w->ctx, &e);
}

int store_timeline_list(struct store *st, int64_t incident_id,
			int64_t after_id, store_tl_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(incident_id), SV_I(after_id) };
	struct tl_walk w = { fn, ctx };

	return st_query(st, Q_TL_LIST, p, 2, walk_tl, &w);
}

int store_event_add(struct store *st, int64_t at_ms, const char *kind,
		    int64_t incident_id, const char *data, int64_t *id)
{
	struct sval p[] = { SV_I(at_ms), SV_S(kind), SV_I(incident_id),
			    SV_S(data) };

	return st_int(st, Q_EVENT_INSERT, p, ARRAY_SIZE(p), id);
}

struct event_walk {
	store_event_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_event(void *ctx, const struct srow *r)
{
	struct event_walk *w = ctx;
	struct event_rec e;

	DECODE(event_cols, r, 0, &e);
	return w->fn(w->ctx, e.id, e.at_ms, e.kind, e.incident_id, e.data);
}

int store_event_list(struct store *st, int64_t after_id, int limit,
		     store_event_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(after_id), SV_I(limit) };
	struct event_walk w = { fn, ctx };

	return st_query(st, Q_EVENT_LIST, p, 2, walk_event, &w);
}

int store_event_last(struct store *st, int64_t *id)
{
	return st_int(st, Q_EVENT_LAST, NULL, 0, id);
}

int store_event_first(struct store *st, int64_t *id)
{
	return st_int(st, Q_EVENT_FIRST, NULL, 0, id);
}

int store_event_prune(struct store *st, int64_t before_ms, int64_t upto_id,
		      int limit, int64_t *deleted)
{
	struct sval p[] = { SV_I(before_ms), SV_I(upto_id), SV_I(limit) };

	return st_run(st, Q_EVENT_PRUNE, p, ARRAY_SIZE(p), deleted);
}
