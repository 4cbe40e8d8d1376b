/*
 * api-supplies.c - emergency supplies and funds, CSV in and out.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/codec.h"
#include "app/reads.h"
#include "app/safeguards.h"
#include "app/zone.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/tz.h"
#include "util/xalloc.h"

static json_t *supply_json(const struct supply *s)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:b, s:o, s:s,"
			 " s:o, s:o}",
			 "id", (json_int_t)s->id, "name", s->name, "kind",
			 s->kind, "location", s->location, "quantity",
			 (json_int_t)s->quantity, "unit", s->unit,
			 "min_quantity", (json_int_t)s->min_quantity, "low",
			 s->quantity < s->min_quantity, "inspect_by",
			 json_time(s->inspect_by_ms), "notes",
			 s->notes ? s->notes : "", "created_at",
			 json_time(s->created_ms), "updated_at",
			 json_time(s->updated_ms));

	json_add_stamp(o, &s->stamp);
	return o;
}

static json_t *movement_json(const struct movement *m)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:o, s:s, s:I, s:o}",
			 "id", (json_int_t)m->id, "supply_id",
			 (json_int_t)m->supply_id, "supply", m->supply_name,
			 "kind", m->kind, "quantity", (json_int_t)m->quantity,
			 "unit", m->unit, "incident_id", m->incident_id
				 ? json_integer(m->incident_id) : json_null(),
			 "note", m->note, "actor_id", (json_int_t)m->actor_id,
			 "at", json_time(m->at_ms));
}

static int add_supply(void *ctx, const struct supply *s)
{
	json_array_append_new(ctx, supply_json(s));
	return 0;
}

void api_supply_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *items = json_array();
	int rc = app_supply_list(rq->st, &rq->who, add_supply, items, &e);

	api_answer_list(rq, rs, rc, items, &e);
}

/* Answer the supply s with status, or the error rc. */
static void answer(struct req *rq, struct resp *rs, int rc, int status,
		   struct supply *s, const struct errbuf *e)
{
	if (rc) {
		resp_err(rq, rs, rc, e);
	} else {
		resp_json(rs, status, supply_json(s));
		resp_etag(rs, s->stamp.version);
	}
	supply_release(s);
}

void api_supply_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct supply s = { 0 };
	int rc = json_check(rq->body, supply_body.f, supply_body.n,
			    &e);

	if (!rc)
		rc = app_supply_add(rq->st, &rq->who, rq->body, rq->now_ms, &s,
				    &e);
	answer(rq, rs, rc, 201, &s, &e);
}

static int add_movement(void *ctx, const struct movement *m)
{
	json_array_append_new(ctx, movement_json(m));
	return 0;
}

void api_supply_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct supply s = { 0 };
	json_t *moves = json_array();
	int rc = app_supply_read(rq->st, &rq->who, req_param_id(rq, 0), &s,
				 add_movement, moves, &e);

	if (rc) {
		json_decref(moves);
		resp_err(rq, rs, rc, &e);
	} else {
		json_t *o = supply_json(&s);

		json_object_set_new(o, "movements", moves);
		resp_json(rs, 200, o);
		resp_etag(rs, s.stamp.version);
	}
	supply_release(&s);
}

void api_supply_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct supply s = { 0 };
	int rc = json_check(rq->body, supply_update_body.f,
			    supply_update_body.n, &e);

	if (!rc)
		rc = app_supply_edit(rq->st, &rq->who, req_param_id(rq, 0),
				     rq->body, rq->now_ms, &s, &e);
	answer(rq, rs, rc, 200, &s, &e);
}

void api_supply_move(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct supply s = { 0 };
	int rc = json_check(rq->body, move_body.f, move_body.n, &e);

	if (!rc)
		rc = app_supply_move_body(rq->st, &rq->who, req_param_id(rq, 0),
					  rq->body, rq->now_ms, &s, &e);
	answer(rq, rs, rc, 201, &s, &e);
}

void api_incident_supplies(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *items = json_array();
	int rc = app_incident_movements(rq->st, &rq->who, rq->param[0],
					add_movement, items, &e);

	api_answer_list(rq, rs, rc, items, &e);
}

/* A CSV being written, its times in the reader's zone (tz_local()). */
struct csv_out {
	struct buf b;
	char zone[64];
};

static int csv_supply(void *ctx, const struct supply *s)
{
	struct csv_out *o = ctx;
	struct buf *b = &o->b;
	char n[24], q[24], m[24], t[32] = "";

	snprintf(n, sizeof(n), "%lld", (long long)s->id);
	snprintf(q, sizeof(q), "%lld", (long long)s->quantity);
	snprintf(m, sizeof(m), "%lld", (long long)s->min_quantity);
	if (s->inspect_by_ms)
		tz_local(s->inspect_by_ms, o->zone, t);
	csv_put(b, n, false);
	csv_put(b, s->name, false);
	csv_put(b, s->kind, false);
	csv_put(b, s->location, false);
	csv_put(b, q, false);
	csv_put(b, s->unit, false);
	csv_put(b, m, false);
	csv_put(b, t, false);
	csv_put(b, s->notes ? s->notes : "", true);
	return 0;
}

static const char CSV_HEAD[] =
	"id,name,kind,location,quantity,unit,min_quantity,inspect_by,notes\r\n";

void api_supply_csv(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct csv_out o = { .b = BUF_INIT };
	int rc;

	app_zone_for(rq->st, &rq->who, o.zone);
	buf_adds(&o.b, CSV_HEAD);
	rc = app_supply_list(rq->st, &rq->who, csv_supply, &o, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_bytes(rs, 200, "text/csv; charset=utf-8", o.b.data,
			   o.b.len);
	buf_release(&o.b);
}

static int import_shape(const json_t *body, struct errbuf *e)
{
	return json_check(body, supply_import_body.f, supply_import_body.n, e);
}

/* POST /api/v1/supplies/import {csv}: every row a new supply, or nothing
 * (the first bad row answers 400 naming its line; the handler runs in one
 * savepoint, so rows added before it are rolled back). Rights come
 * first: who may not manage supplies hears 403 whatever the body. */
void api_supply_import(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int created = 0;
	int rc = app_supply_import(rq->st, &rq->who, rq->body, import_shape,
				   rq->now_ms, &created, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, json_pack("{s:i}", "created", created));
}

/* Funds. */

static int year_now(int64_t ms)
{
	char t[32];

	time_fmt(ms, t);
	return (int)strtol(t, NULL, 10);
}

void api_budget_put(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int year = (int)req_param_id(rq, 0);
	int rc = json_check(rq->body, budget_body.f, budget_body.n,
			    &e);

	if (!rc)
		rc = app_budget_put(rq->st, &rq->who, year,
				    jint(rq->body, "amount_cents", -1),
				    jstr(rq->body, "note", ""), rq->now_ms, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		api_budget_get(rq, rs);
}

static int add_expense(void *ctx, const struct expense *x)
{
	json_array_append_new(ctx, json_pack(
		"{s:I, s:i, s:I, s:s, s:o, s:o, s:o, s:I, s:o}",
		"id", (json_int_t)x->id, "year", x->year, "amount_cents",
		(json_int_t)x->amount_cents, "purpose", x->purpose,
		"incident_id", x->incident_id ? json_integer(x->incident_id)
					      : json_null(),
		"drill_id", x->drill_id ? json_integer(x->drill_id)
					: json_null(),
		"supply_id", x->supply_id ? json_integer(x->supply_id)
					  : json_null(),
		"actor_id", (json_int_t)x->actor_id, "at", json_time(x->at_ms)));
	return 0;
}

void api_budget_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int year = (int)req_param_id(rq, 0);
	int64_t budget = 0, spent = 0;
	json_t *items = json_array();
	char note[1024] = "";
	int rc = app_budget_read(rq->st, &rq->who, year, &budget, note,
				 sizeof(note), &spent, add_expense, items, &e);

	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_json(rs, 200, json_pack("{s:i, s:I, s:s, s:I, s:I, s:o}", "year",
				     year, "budget_cents", (json_int_t)budget,
				     "note", note, "spent_cents",
				     (json_int_t)spent, "remaining_cents",
				     (json_int_t)(budget - spent), "expenses",
				     items));
}

void api_expense_add(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct expense x = { 0 };
	char ref[24];
	int rc = json_check(rq->body, expense_body.f,
			    expense_body.n, &e);

	if (!rc) {
		x.year = (int)jint(rq->body, "year", year_now(rq->now_ms));
		x.amount_cents = jint(rq->body, "amount_cents", 0);
		x.purpose = jstr(rq->body, "purpose", "");
		x.drill_id = jint(rq->body, "drill_id", 0);
		x.supply_id = jint(rq->body, "supply_id", 0);
		rc = app_expense_add(rq->st, &rq->who, &x,
				     json_ref(rq->body, "incident", ref),
				     rq->now_ms, &e);
	}
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	{
		json_t *a = json_array();

		add_expense(a, &x);
		resp_json(rs, 201, json_incref(json_array_get(a, 0)));
		json_decref(a);
	}
}

static int csv_expense(void *ctx, const struct expense *x)
{
	struct csv_out *o = ctx;
	struct buf *b = &o->b;
	char t[32];

	tz_local(x->at_ms, o->zone, t);
	buf_addf(b, "%lld,%d,%lld.%02lld,", (long long)x->id, x->year,
		 (long long)(x->amount_cents / 100),
		 (long long)(x->amount_cents % 100));
	csv_put(b, x->purpose, false);
	buf_addf(b, "%lld,%lld,%lld,%s\r\n", (long long)x->incident_id,
		 (long long)x->drill_id, (long long)x->supply_id, t);
	return 0;
}

void api_expense_csv(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	const char *y = req_query(rq, "year");
	struct csv_out o = { .b = BUF_INIT };
	int rc;

	app_zone_for(rq->st, &rq->who, o.zone);
	buf_adds(&o.b, "id,year,amount,purpose,incident_id,drill_id,supply_id,"
		       "at\r\n");
	rc = app_expense_list(rq->st, &rq->who,
			      y ? (int)strtol(y, NULL, 10)
				: year_now(rq->now_ms),
			      csv_expense, &o, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_bytes(rs, 200, "text/csv; charset=utf-8", o.b.data,
			   o.b.len);
	buf_release(&o.b);
}
