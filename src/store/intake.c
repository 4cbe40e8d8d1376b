/*
 * intake.c - store.h's monitoring intake: integrations, alerts and the
 * groups of alerts one incident takes.
 */
#include "store/store.h"

#include <stdlib.h>

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct integration_row
static const struct col integration_cols[] = COL_TABLE(INTEGRATION_COLS);
#undef COL_TYPE
COL_TABLE_FITS(integration_cols);
#define COL_TYPE struct alert_row
static const struct col alert_cols[] = COL_TABLE(ALERT_COLS);
#undef COL_TYPE
COL_TABLE_FITS(alert_cols);
#define COL_TYPE struct alert_group_row
static const struct col alert_group_cols[] = COL_TABLE(ALERT_GROUP_COLS);
#undef COL_TYPE

void integration_row_release(struct integration_row *r)
{
	free(r->title_template);
	free(r->group_by);
	free(r->rules);
	free(r->maintenance);
	r->title_template = r->group_by = r->rules = r->maintenance = NULL;
}

void alert_row_release(struct alert_row *a)
{
	free(a->summary);
	free(a->labels);
	free(a->annotations);
	free(a->source);
	free(a->source_url);
	free(a->details);
	free(a->group_key);
	a->summary = a->labels = a->annotations = a->source = NULL;
	a->source_url = a->details = a->group_key = NULL;
}

void alert_group_row_release(struct alert_group_row *g)
{
	free(g->group_key);
	free(g->pending_json);
	g->group_key = g->pending_json = NULL;
}

/* st_one's resets: free what the row holds before one is read in. */
static void integration_reset(void *r)
{
	integration_row_release(r);
}

static void alert_reset(void *a)
{
	alert_row_release(a);
}

static void alert_group_reset(void *g)
{
	alert_group_row_release(g);
}

/* A text or "" as a parameter. */
static struct sval sv_text(const char *s)
{
	return SV_S(s ? s : "");
}

/* A text or NULL. */
static struct sval sv_null(const char *s)
{
	return s ? SV_S(s) : SV_NUL;
}

int store_integration_insert(struct store *st, struct integration_row *r,
			     const char *key_hash)
{
	struct sval p[] = {
		SV_S(r->name), SV_S(r->kind), SV_S(key_hash),
		SV_S(r->key_prefix), SV_B(r->enabled), SV_I(r->created_by),
		SV_S(r->category), SV_S(r->level), sv_text(r->title_template),
		SV_S(r->group_by ? r->group_by : "[]"),
		SV_I(r->group_window_s), SV_B(r->auto_dismiss),
		SV_I(r->interval_s), SV_I(r->rate_limit_per_min),
		SV_S(r->rules ? r->rules : "[]"),
		SV_S(r->maintenance ? r->maintenance : "[]"),
		SV_I(r->created_ms),
	};

	r->updated_ms = r->created_ms;
	r->stamp.version = 1;
	r->stamp.by = r->created_by;
	return st_int(st, Q_INTG_INSERT, p, ARRAY_SIZE(p), &r->id);
}

int store_integration_get(struct store *st, int64_t id,
			  struct integration_row *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_INTG_GET, p, 1, integration_cols,
		      integration_reset, out);
}

int store_integration_by_hash(struct store *st, const char *key_hash,
			      struct integration_row *out)
{
	struct sval p[] = { SV_S(key_hash) };

	return ST_ONE(st, Q_INTG_BY_HASH, p, 1, integration_cols,
		      integration_reset, out);
}

int store_integration_update(struct store *st, struct integration_row *r)
{
	struct sval p[] = {
		SV_I(r->id), SV_S(r->name), SV_B(r->enabled),
		SV_S(r->category), SV_S(r->level), sv_text(r->title_template),
		SV_S(r->group_by ? r->group_by : "[]"),
		SV_I(r->group_window_s), SV_B(r->auto_dismiss),
		SV_I(r->interval_s), SV_I(r->rate_limit_per_min),
		SV_S(r->rules ? r->rules : "[]"),
		SV_S(r->maintenance ? r->maintenance : "[]"),
		SV_I(r->updated_ms), sv_opt(r->stamp.by),
	};

	return st_int(st, Q_INTG_UPDATE, p, ARRAY_SIZE(p), &r->stamp.version);
}

int store_integration_rekey(struct store *st, int64_t id,
			    const char *key_hash, const char *key_prefix,
			    int64_t now_ms, int64_t by)
{
	struct sval p[] = { SV_I(id), SV_S(key_hash), SV_S(key_prefix),
			    SV_I(now_ms), sv_opt(by) };

	return st_run1(st, Q_INTG_REKEY, p, ARRAY_SIZE(p));
}

int store_integration_delete(struct store *st, int64_t id, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_I(now_ms) };

	return st_run1(st, Q_INTG_DELETE, p, ARRAY_SIZE(p));
}

struct intg_walk {
	store_integration_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_intg(void *ctx, const struct srow *r)
{
	struct intg_walk *w = ctx;
	struct integration_row x = { 0 };
	int rc;

	DECODE(integration_cols, r, 0, &x);
	rc = w->fn(w->ctx, &x);
	integration_row_release(&x);
	return rc;
}

int store_integration_list(struct store *st, store_integration_fn *fn,
			   void *ctx)
{
	struct intg_walk w = { fn, ctx };

	return st_query(st, Q_INTG_LIST, NULL, 0, walk_intg, &w);
}

int store_integration_count(struct store *st, int64_t id, bool received,
			    int64_t total_add, int64_t firing_add,
			    bool hb_missed, int64_t now_ms)
{
	struct sval p[] = { SV_I(id), SV_B(received), SV_I(total_add),
			    SV_I(firing_add), SV_B(hb_missed), SV_I(now_ms) };

	return st_run1(st, Q_INTG_COUNT, p, ARRAY_SIZE(p));
}

int store_integration_hb_due(struct store *st, int64_t now_ms, int limit,
			     store_integration_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(now_ms), SV_I(limit) };
	struct intg_walk w = { fn, ctx };

	return st_query(st, Q_INTG_HB_DUE, p, 2, walk_intg, &w);
}

int store_alert_insert(struct store *st, struct alert_row *a)
{
	struct sval p[] = {
		SV_I(a->integration_id), sv_opt(a->incident_id),
		sv_opt(a->group_id), SV_S(a->fingerprint),
		SV_S(a->firing ? "firing" : "resolved"), SV_S(a->severity),
		sv_text(a->summary), SV_S(a->labels ? a->labels : "{}"),
		SV_S(a->annotations ? a->annotations : "{}"),
		sv_null(a->source), sv_null(a->source_url),
		sv_null(a->details), sv_text(a->group_key), SV_I(a->count),
		SV_B(a->suppressed), SV_I(a->starts_ms), SV_I(a->ends_ms),
		SV_I(a->first_seen_ms), SV_I(a->last_seen_ms),
		SV_I(a->resolved_ms),
	};

	return st_int(st, Q_ALERT_INSERT, p, ARRAY_SIZE(p), &a->id);
}

int store_alert_get(struct store *st, int64_t id, struct alert_row *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_ALERT_GET, p, 1, alert_cols, alert_reset, out);
}

int store_alert_last(struct store *st, int64_t integration_id,
		     const char *fingerprint, struct alert_row *out)
{
	struct sval p[] = { SV_I(integration_id), SV_S(fingerprint) };

	return ST_ONE(st, Q_ALERT_LAST, p, 2, alert_cols, alert_reset, out);
}

int store_alert_update(struct store *st, const struct alert_row *a)
{
	struct sval p[] = {
		SV_I(a->id), sv_opt(a->incident_id), sv_opt(a->group_id),
		SV_S(a->firing ? "firing" : "resolved"), SV_S(a->severity),
		sv_text(a->summary), SV_S(a->labels ? a->labels : "{}"),
		SV_S(a->annotations ? a->annotations : "{}"),
		sv_null(a->source), sv_null(a->source_url),
		sv_null(a->details), sv_text(a->group_key), SV_I(a->count),
		SV_B(a->suppressed), SV_I(a->starts_ms), SV_I(a->ends_ms),
		SV_I(a->last_seen_ms), SV_I(a->resolved_ms),
	};

	return st_run1(st, Q_ALERT_UPDATE, p, ARRAY_SIZE(p));
}

struct alert_walk {
	store_alert_fn *fn;
	void *ctx;
};

/* srow_fn: as walk_intg. */
static int walk_alert(void *ctx, const struct srow *r)
{
	struct alert_walk *w = ctx;
	struct alert_row x = { 0 };
	int rc;

	DECODE(alert_cols, r, 0, &x);
	rc = w->fn(w->ctx, &x);
	alert_row_release(&x);
	return rc;
}

int store_alert_list(struct store *st, int64_t incident_id, int64_t after,
		     int limit, store_alert_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(incident_id), SV_I(after), SV_I(limit) };
	struct alert_walk w = { fn, ctx };

	return st_query(st, Q_ALERT_LIST, p, 3, walk_alert, &w);
}

int store_alert_group_insert(struct store *st, struct alert_group_row *g)
{
	struct sval p[] = {
		SV_I(g->integration_id), sv_text(g->group_key),
		SV_I(g->incident_id), SV_I(g->first_ms), SV_I(g->alerts),
		SV_I(g->firing), SV_I(g->pending),
		SV_S(g->pending_json ? g->pending_json : "{}"),
		SV_I(g->flushed_ms),
	};

	return st_int(st, Q_AGROUP_INSERT, p, ARRAY_SIZE(p), &g->id);
}

int store_alert_group_get(struct store *st, int64_t id,
			  struct alert_group_row *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_AGROUP_GET, p, 1, alert_group_cols,
		      alert_group_reset, out);
}

int store_alert_group_last(struct store *st, int64_t integration_id,
			   const char *group_key,
			   struct alert_group_row *out)
{
	struct sval p[] = { SV_I(integration_id), SV_S(group_key) };

	return ST_ONE(st, Q_AGROUP_LAST, p, 2, alert_group_cols,
		      alert_group_reset, out);
}

int store_alert_group_update(struct store *st,
			     const struct alert_group_row *g)
{
	struct sval p[] = {
		SV_I(g->id), SV_I(g->alerts), SV_I(g->firing),
		SV_I(g->pending),
		SV_S(g->pending_json ? g->pending_json : "{}"),
		SV_I(g->flushed_ms),
	};

	return st_run1(st, Q_AGROUP_UPDATE, p, ARRAY_SIZE(p));
}

struct agroup_walk {
	store_alert_group_fn *fn;
	void *ctx;
};

/* srow_fn: as walk_intg. */
static int walk_agroup(void *ctx, const struct srow *r)
{
	struct agroup_walk *w = ctx;
	struct alert_group_row x = { 0 };
	int rc;

	DECODE(alert_group_cols, r, 0, &x);
	rc = w->fn(w->ctx, &x);
	alert_group_row_release(&x);
	return rc;
}

int store_alert_group_pending(struct store *st, int64_t before_ms, int limit,
			      store_alert_group_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(before_ms), SV_I(limit) };
	struct agroup_walk w = { fn, ctx };

	return st_query(st, Q_AGROUP_PENDING, p, 2, walk_agroup, &w);
}
