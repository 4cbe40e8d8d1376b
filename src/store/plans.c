/*
 * plans.c - store.h's plans, their versions, editors and
 * acknowledgements (texts in struct plan_version are owned).
 */
#include "store/store.h"

#include "core/planflow.h"
#include "store/store-int.h"

/* One editor or acknowledgement row (texts borrowed). */
struct editor_rec {
	int64_t user_id;
	const char *login, *display_name;
	int64_t first_ms, last_ms;
};

struct ack_rec {
	int64_t user_id;
	const char *login, *display_name;
	int64_t at_ms;
};

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct plan_row
static const struct col plan_cols[] = COL_TABLE(PLAN_COLS);
#undef COL_TYPE
#define COL_TYPE struct plan_version
static const struct col pv_cols[] = COL_TABLE(PV_COLS);
static const struct col pv_text_cols[] = COL_TABLE(PV_TEXT_COLS);
#undef COL_TYPE
#define COL_TYPE struct editor_rec
static const struct col editor_cols[] = COL_TABLE(EDITOR_COLS);
#undef COL_TYPE
#define COL_TYPE struct ack_rec
static const struct col ack_cols[] = COL_TABLE(ACK_COLS);
#undef COL_TYPE

int store_plan_by_key(struct store *st, const char *key, int64_t *id)
{
	struct sval p[] = { SV_S(key) };

	return st_int(st, Q_PLAN_BY_KEY, p, 1, id);
}

int store_plan_insert(struct store *st, const char *key, int64_t now_ms,
		      int64_t *id)
{
	struct sval p[] = { SV_S(key), SV_I(now_ms) };

	return st_int(st, Q_PLAN_INSERT, p, 2, id);
}

struct plan_walk {
	store_plan_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_plan(void *ctx, const struct srow *r)
{
	struct plan_walk *w = ctx;
	struct plan_row p;

	DECODE(plan_cols, r, 0, &p);
	return w->fn(w->ctx, &p);
}

int store_plan_list(struct store *st, store_plan_fn *fn, void *ctx)
{
	struct plan_walk w = { fn, ctx };

	return st_query(st, Q_PLAN_LIST, NULL, 0, walk_plan, &w);
}

/* A version's columns, then its texts when the query has them (NULL
 * otherwise). */
static void pv_of(const struct srow *r, struct plan_version *v)
{
	DECODE(pv_cols, r, 0, v);
	DECODE(pv_text_cols, r, (int)ARRAY_SIZE(pv_cols), v);
}

struct one_pv {
	struct plan_version *v;
	bool found;
};

/* srow_fn: read the one row into the caller's struct; mark it found. */
static int got_pv(void *ctx, const struct srow *r)
{
	struct one_pv *o = ctx;

	pv_of(r, o->v);
	o->found = true;
	return 0;
}

/* Run q (one version, with texts) into out. */
static int pv_one(struct store *st, enum q q, const struct sval *p, int np,
		  struct plan_version *out)
{
	struct one_pv o = { out, false };
	int rc = st_query(st, q, p, np, got_pv, &o);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}

int store_pv_insert(struct store *st, struct plan_version *v)
{
	struct sval n[] = { SV_I(v->plan_id) };
	int64_t next;
	int rc = st_int(st, Q_PV_NEXT_N, n, 1, &next);

	if (rc)
		return rc;
	v->n = (int)next;
	v->updated_ms = v->created_ms;
	struct sval p[] = {
		SV_I(v->plan_id), SV_I(v->n), SV_S(pv_status_name(v->status)),
		SV_S(v->name_json), SV_S(v->source_name),
		SV_S(v->source ? v->source : ""),
		SV_S(v->content ? v->content : "{}"), SV_I(v->author_id),
		SV_I(v->created_ms), sv_opt(v->stamp.by),
	};
	v->stamp.version = 1;
	return st_int(st, Q_PV_INSERT, p, ARRAY_SIZE(p), &v->id);
}

int store_pv_get(struct store *st, int64_t plan_id, int n,
		 struct plan_version *out)
{
	struct sval p[] = { SV_I(plan_id), SV_I(n) };

	return pv_one(st, Q_PV_GET, p, 2, out);
}

int store_pv_get_id(struct store *st, int64_t id, struct plan_version *out)
{
	struct sval p[] = { SV_I(id) };

	return pv_one(st, Q_PV_BY_ID, p, 1, out);
}

int store_pv_current(struct store *st, struct plan_version *out)
{
	return pv_one(st, Q_PV_CURRENT, NULL, 0, out);
}

int store_pv_current_id(struct store *st, int64_t *id)
{
	return st_int(st, Q_PV_CURRENT_ID, NULL, 0, id);
}

struct pv_walk {
	store_pv_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_pv(void *ctx, const struct srow *r)
{
	struct pv_walk *w = ctx;
	struct plan_version v = { 0 };
	int rc;

	pv_of(r, &v);
	rc = w->fn(w->ctx, &v);
	plan_version_release(&v);
	return rc;
}

int store_pv_list(struct store *st, int64_t plan_id, store_pv_fn *fn,
		  void *ctx)
{
	struct sval p[] = { SV_I(plan_id) };
	struct pv_walk w = { fn, ctx };

	return st_query(st, Q_PV_LIST, p, 1, walk_pv, &w);
}

int store_pv_update(struct store *st, struct plan_version *v)
{
	struct sval p[] = {
		SV_I(v->id), SV_S(pv_status_name(v->status)),
		SV_S(v->name_json), SV_S(v->source_name),
		SV_S(v->source ? v->source : ""),
		SV_S(v->content ? v->content : "{}"), SV_I(v->updated_ms),
		sv_opt(v->submitted_ms), sv_opt(v->reviewer_id),
		sv_opt(v->reviewed_ms),
		SV_S(v->review_comment ? v->review_comment : ""),
		sv_opt(v->publisher_id), sv_opt(v->published_ms),
		sv_opt(v->superseded_ms), sv_opt(v->stamp.by),
	};

	return st_int(st, Q_PV_UPDATE, p, ARRAY_SIZE(p), &v->stamp.version);
}

int store_pv_published_n(struct store *st, int64_t plan_id, int *n)
{
	struct sval p[] = { SV_I(plan_id) };
	int64_t v = 0;
	int rc = st_int(st, Q_PV_PUBLISHED_OF_PLAN, p, 1, &v);

	*n = (int)v;
	return rc == ERMS_ENOTFOUND ? 0 : rc;
}

int store_pv_editor_put(struct store *st, int64_t version_id,
			int64_t user_id, int64_t now_ms)
{
	struct sval p[] = { SV_I(version_id), SV_I(user_id), SV_I(now_ms) };

	return st_run(st, Q_PV_EDITOR_PUT, p, 3, NULL);
}

struct editor_walk {
	store_editor_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_editor(void *ctx, const struct srow *r)
{
	struct editor_walk *w = ctx;
	struct editor_rec e;

	DECODE(editor_cols, r, 0, &e);
	return w->fn(w->ctx, e.user_id, e.login, e.display_name, e.first_ms,
		     e.last_ms);
}

int store_pv_editors(struct store *st, int64_t version_id,
		     store_editor_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(version_id) };
	struct editor_walk w = { fn, ctx };

	return st_query(st, Q_PV_EDITORS, p, 1, walk_editor, &w);
}

int store_ack_put(struct store *st, int64_t version_id, int64_t user_id,
		  int64_t now_ms)
{
	struct sval p[] = { SV_I(version_id), SV_I(user_id), SV_I(now_ms) };

	return st_run(st, Q_ACK_PUT, p, 3, NULL);
}

struct ack_walk {
	store_ack_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_ack(void *ctx, const struct srow *r)
{
	struct ack_walk *w = ctx;
	struct ack_rec a;

	DECODE(ack_cols, r, 0, &a);
	return w->fn(w->ctx, a.user_id, a.login, a.display_name, a.at_ms);
}

int store_ack_list(struct store *st, int64_t version_id,
		   const char *group_key, store_ack_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(version_id), SV_S(group_key ? group_key : "") };
	struct ack_walk w = { fn, ctx };

	return st_query(st, group_key ? Q_ACK_LIST_GROUP : Q_ACK_LIST, p,
			group_key ? 2 : 1, walk_ack, &w);
}

int store_pv_basis_put(struct store *st, int64_t version_id, int from_n,
		       int64_t incident_id, const char *findings)
{
	struct sval p[] = { SV_I(version_id), SV_I(from_n),
			    sv_opt(incident_id), SV_S(findings) };

	return st_run(st, Q_PV_BASIS_PUT, p, 4, NULL);
}

struct basis {
	int *from_n;
	int64_t *incident_id;
	char **findings;
	bool found;
};

static int walk_basis(void *ctx, const struct srow *r)
{
	struct basis *b = ctx;

	*b->from_n = (int)sv_int(&r->col[0]);
	*b->incident_id = sv_int(&r->col[1]);
	*b->findings = sv_dup(&r->col[2]);
	b->found = true;
	return 0;
}

int store_pv_basis_get(struct store *st, int64_t version_id, int *from_n,
		       int64_t *incident_id, char **findings)
{
	struct sval p[] = { SV_I(version_id) };
	struct basis b = { from_n, incident_id, findings, false };
	int rc;

	*from_n = 0;
	*incident_id = 0;
	*findings = NULL;
	rc = st_query(st, Q_PV_BASIS_GET, p, 1, walk_basis, &b);
	if (!rc && !b.found)
		rc = ERMS_ENOTFOUND;
	return rc;
}

struct remind_walk {
	store_id_fn *fn;
	void *ctx;
};

static int walk_remind(void *ctx, const struct srow *r)
{
	struct remind_walk *w = ctx;

	return w->fn(w->ctx, sv_int(&r->col[0]));
}

int store_ack_remind_due(struct store *st, int64_t version_id,
			 int64_t published_ms, int64_t before_ms, int limit,
			 store_id_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(version_id), SV_I(published_ms),
			    SV_I(before_ms), SV_I(limit) };
	struct remind_walk w = { fn, ctx };

	return st_query(st, Q_ACK_REMIND_DUE, p, 4, walk_remind, &w);
}

int store_ack_remind_put(struct store *st, int64_t version_id,
			 int64_t user_id, int64_t now_ms)
{
	struct sval p[] = { SV_I(version_id), SV_I(user_id), SV_I(now_ms) };

	return st_run(st, Q_ACK_REMIND_PUT, p, 3, NULL);
}
