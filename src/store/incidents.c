/*
 * incidents.c - store.h's incidents: numbering, the row, lists, the
 * timers' pre-filters, search (through the backend's search operations)
 * and statistics.
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store-int.h"

/* One row of the statistics (texts borrowed). */
/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct incident_row
static const struct col incident_cols[] = COL_TABLE(INCIDENT_COLS);
#undef COL_TYPE
COL_TABLE_FITS(incident_cols);
#define COL_TYPE struct incident_stat
static const struct col stat_cols[] = COL_TABLE(STAT_COLS);
#undef COL_TYPE

/* st_one's reset: free what obj holds before a row is read in. */
static void incident_reset(void *r)
{
	incident_row_release(r);
}

/*
 * The number of a new incident reported at reported_ms: INC-<year>-<n>,
 * n counting per year (UTC) without gaps, from the backend's counter.
 */
static int number_of(struct store *st, int64_t reported_ms, char *out,
		     size_t len)
{
	time_t secs = (time_t)(reported_ms / 1000);
	struct tm tm;
	int64_t n;
	int rc;

	gmtime_r(&secs, &tm);
	rc = st->ops->incident_counter(st, tm.tm_year + 1900, &n);
	if (rc)
		return rc;
	snprintf(out, len, "INC-%04d-%04lld", (tm.tm_year + 1900) % 10000,
		 (long long)n);
	return 0;
}

int store_incident_insert(struct store *st, struct incident_row *r)
{
	struct incident *inc = &r->inc;
	int rc = number_of(st, inc->reported_ms, r->number, sizeof(r->number));

	if (rc)
		return rc;
	if (!r->source[0])
		snprintf(r->source, sizeof(r->source), "manual");
	struct sval p[] = {
		SV_S(r->number), SV_S(r->title), SV_S(r->description),
		SV_S(r->impact), SV_S(r->category),
		SV_S(incident_state_name(inc->state)), SV_I(inc->level),
		SV_S(r->level_key), SV_S(r->proposed_level),
		SV_B(inc->is_drill), SV_I(r->reporter_id),
		r->commander_id ? SV_I(r->commander_id) : SV_NUL,
		SV_I(r->plan_version_id), SV_I(inc->detected_ms),
		SV_I(inc->reported_ms), SV_I(inc->ack_min),
		SV_I(inc->activate_min), SV_I(inc->resolve_min),
		SV_B(r->public), SV_S(r->public_summary ? r->public_summary : ""),
		SV_I(r->esc_tiers), SV_S(r->source),
		sv_opt(r->integration_id), sv_opt(r->stamp.by),
	};
	if ((rc = st_int(st, Q_INC_INSERT, p, ARRAY_SIZE(p), &inc->id)))
		return rc;
	r->updated_ms = inc->reported_ms;
	r->stamp.version = 1;
	return st->ops->search_new(st, inc->id, r->title, r->description);
}

int store_incident_get_id(struct store *st, int64_t id,
			  struct incident_row *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_INC_GET, p, 1, incident_cols, incident_reset, out);
}

int store_incident_get(struct store *st, const char *key,
		       struct incident_row *out)
{
	struct sval p[] = { SV_S(key) };
	char *end;
	long long id = strtoll(key, &end, 10);

	if (*key >= '0' && *key <= '9' && !*end)
		return store_incident_get_id(st, id, out);
	return ST_ONE(st, Q_INC_BY_NUMBER, p, 1, incident_cols,
		      incident_reset, out);
}

int store_incident_update(struct store *st, struct incident_row *r)
{
	const struct incident *inc = &r->inc;
	struct sval p[] = {
		SV_I(inc->id), SV_S(r->title), SV_S(r->description),
		SV_S(r->impact), SV_S(r->category),
		SV_S(incident_state_name(inc->state)), SV_I(inc->level),
		SV_S(r->level_key),
		r->commander_id ? SV_I(r->commander_id) : SV_NUL,
		SV_I(inc->acked_ms), SV_I(inc->activated_ms),
		SV_I(inc->resolved_ms), SV_I(inc->closed_ms),
		SV_I(inc->reviewed_ms), SV_I(inc->dismissed_ms),
		SV_I(inc->ack_min), SV_I(inc->activate_min),
		SV_I(inc->resolve_min), SV_I(inc->breaches), SV_B(r->public),
		SV_S(r->public_summary ? r->public_summary : ""),
		SV_S(r->summary ? r->summary : ""),
		SV_S(r->review_json ? r->review_json : ""),
		SV_I(r->updated_ms), SV_I(r->esc_tiers), SV_I(r->esc_acked_ms),
		sv_opt(r->stamp.by),
		SV_S(r->public_title ? r->public_title : ""),
		SV_S(r->public_message ? r->public_message : ""),
		SV_S(r->regulatory ? r->regulatory : ""), SV_I(r->reg_next_ms),
		SV_I(r->reg_opened_ms),
	};

	return st_int(st, Q_INC_UPDATE, p, ARRAY_SIZE(p), &r->stamp.version);
}


int store_incident_assess(struct store *st, const struct incident_row *r)
{
	struct sval p[] = {
		SV_I(r->inc.id), SV_S(r->assessment ? r->assessment : ""),
		SV_S(r->proposed_level),
	};

	return st_run1(st, Q_INC_ASSESS, p, ARRAY_SIZE(p));
}

struct inc_walk {
	store_incident_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_inc(void *ctx, const struct srow *r)
{
	struct inc_walk *w = ctx;
	struct incident_row x = { 0 };
	int rc;

	DECODE(incident_cols, r, 0, &x);
	rc = w->fn(w->ctx, &x);
	incident_row_release(&x);
	return rc;
}

/* built_query's helpers (backend.h) live with their one user. */
void built_query_add(struct built_query *bq, struct sval v, char *own)
{
	if (own) {
		bq->own[bq->nown++] = own;
		v = SV_S(own);
	}
	bq->p[bq->np++] = v;
}

void built_query_release(struct built_query *bq)
{
	for (int i = 0; i < bq->nown; i++)
		free(bq->own[i]);
	bq->nown = 0;
}

/* A filter's text as given: NULL and "" are no filter. */
static bool given(const char *s)
{
	return s && *s;
}

void inc_list_query(struct store *st, const struct incident_filter *f,
		    struct built_query *bq)
{
	*bq = (struct built_query){ .text = inc_list_sql };
	if (given(f->status)) {
		bq->key |= INC_F_STATUS;
		built_query_add(bq, SV_S(f->status), NULL);
	}
	if (given(f->level)) {
		bq->key |= INC_F_LEVEL;
		built_query_add(bq, SV_S(f->level), NULL);
	}
	if (given(f->category)) {
		bq->key |= INC_F_CATEGORY;
		built_query_add(bq, SV_S(f->category), NULL);
	}
	if (f->is_drill >= 0) {
		bq->key |= INC_F_DRILL;
		built_query_add(bq, SV_B(f->is_drill), NULL);
	}
	if (f->from_ms) {
		bq->key |= INC_F_FROM;
		built_query_add(bq, SV_I(f->from_ms), NULL);
	}
	if (f->to_ms) {
		bq->key |= INC_F_TO;
		built_query_add(bq, SV_I(f->to_ms), NULL);
	}
	if (f->before_id) {
		bq->key |= INC_F_BEFORE;
		built_query_add(bq, SV_I(f->before_id), NULL);
	}
	built_query_add(bq, SV_I(f->limit), NULL);
	if (given(f->q))
		st->ops->search_query(bq, f->q);
}

int store_incident_list(struct store *st, const struct incident_filter *f,
			store_incident_fn *fn, void *ctx)
{
	struct inc_walk w = { fn, ctx };
	struct built_query bq;
	int rc;

	inc_list_query(st, f, &bq);
	rc = st->ops->query_built(st, &bq, walk_inc, &w);
	built_query_release(&bq);
	return rc;
}

int store_incident_due(struct store *st, int64_t now_ms, int limit,
		       store_incident_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(now_ms), SV_I(limit) };
	struct inc_walk w = { fn, ctx };

	return st_query(st, Q_INC_DUE, p, 2, walk_inc, &w);
}

int store_incident_unacked(struct store *st, int limit, store_incident_fn *fn,
			   void *ctx)
{
	struct sval p[] = { SV_I(limit) };
	struct inc_walk w = { fn, ctx };

	return st_query(st, Q_INC_UNACKED, p, 1, walk_inc, &w);
}

int store_incident_index(struct store *st, int64_t id, const char *text)
{
	return st->ops->search_add(st, id, text);
}

struct stat_walk {
	store_stat_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_stat(void *ctx, const struct srow *r)
{
	struct stat_walk *w = ctx;
	struct incident_stat s;

	DECODE(stat_cols, r, 0, &s);
	return w->fn(w->ctx, &s);
}

int store_incident_stats(struct store *st, int64_t from_ms, int64_t to_ms,
			 store_stat_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(from_ms), SV_I(to_ms) };
	struct stat_walk w = { fn, ctx };

	return st_query(st, Q_INC_STATS, p, 2, walk_stat, &w);
}

int store_incident_set_regulatory(struct store *st,
				  const struct incident_row *r)
{
	struct sval p[] = {
		SV_I(r->inc.id), SV_S(r->regulatory ? r->regulatory : ""),
		SV_I(r->reg_next_ms), SV_I(r->reg_opened_ms),
	};

	return st_run1(st, Q_INC_REG_SET, p, ARRAY_SIZE(p));
}

int store_incident_reg_due(struct store *st, int64_t now_ms, int limit,
			   store_incident_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(now_ms), SV_I(limit) };
	struct inc_walk w = { fn, ctx };

	return st_query(st, Q_INC_REG_DUE, p, 2, walk_inc, &w);
}

int store_incident_reg_next(struct store *st, int64_t *next_ms)
{
	return st_int(st, Q_INC_REG_NEXT, NULL, 0, next_ms);
}

int store_incident_reg_year(struct store *st, int64_t from_ms, int64_t to_ms,
			    store_incident_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(from_ms), SV_I(to_ms) };
	struct inc_walk w = { fn, ctx };

	return st_query(st, Q_INC_REG_YEAR, p, 2, walk_inc, &w);
}

/* Decoder table of store-int.h's column list. */
#define COL_TYPE struct reg_report
static const struct col reg_report_cols[] = COL_TABLE(REG_REPORT_COLS);
#undef COL_TYPE

int store_reg_report_insert(struct store *st, struct reg_report *x)
{
	struct sval p[] = {
		SV_I(x->incident_id), SV_I(x->n), SV_S(x->kind),
		SV_S(x->recipient), SV_S(x->via), SV_I(x->sent_ms),
		SV_S(x->content), SV_S(x->changes ? x->changes : "[]"),
		x->on_time < 0 ? SV_NUL : SV_I(x->on_time),
		SV_I(x->recorded_by), SV_I(x->recorded_ms),
	};

	return st_int(st, Q_REG_INSERT, p, ARRAY_SIZE(p), &x->id);
}

struct reg_walk {
	store_reg_report_fn *fn;
	void *ctx;
};

static int walk_reg(void *ctx, const struct srow *r)
{
	struct reg_walk *w = ctx;
	struct reg_report x;

	DECODE(reg_report_cols, r, 0, &x);
	return w->fn(w->ctx, &x);
}

int store_reg_report_list(struct store *st, int64_t incident_id, int n,
			  store_reg_report_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(incident_id), SV_I(n) };
	struct reg_walk w = { fn, ctx };

	return st_query(st, n ? Q_REG_GET : Q_REG_LIST, p, n ? 2 : 1,
			walk_reg, &w);
}
