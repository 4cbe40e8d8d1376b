/*
 * api-supplies.c - emergency supplies and funds, CSV in and out.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/supplies.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/xalloc.h"

static json_t *supply_json(const struct supply *s)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:I, s:b, s:o, s:s,"
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

/* The fields of b into s; inspect_by an RFC 3339 time. */
static int fill(const json_t *b, struct supply *s, struct errbuf *e)
{
	const char *t = jstr(b, "inspect_by", NULL);

	jcopy(s->name, sizeof(s->name), b, "name");
	jcopy(s->kind, sizeof(s->kind), b, "kind");
	jcopy(s->location, sizeof(s->location), b, "location");
	jcopy(s->unit, sizeof(s->unit), b, "unit");
	s->min_quantity = jint(b, "min_quantity", s->min_quantity);
	if (jhas(b, "notes")) {
		free(s->notes);
		s->notes = xstrdup(jstr(b, "notes", ""));
	}
	if (t && *t && time_parse(t, &s->inspect_by_ms)) {
		errbuf_set(e, "invalid", "inspect_by is an RFC 3339 time");
		errbuf_field(e, "inspect_by");
		return ERMS_EINVAL;
	}
	if (t && !*t)
		s->inspect_by_ms = 0;
	return 0;
}

static int add_supply(void *ctx, const struct supply *s)
{
	json_array_append_new(ctx, supply_json(s));
	return 0;
}

void api_supply_list(struct req *rq, struct resp *rs)
{
	json_t *items = json_array();
	int rc = store_supply_list(rq->st, add_supply, items);

	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_list(rs, items, 0);
}

void api_supply_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct supply s = { 0 };
	int rc = json_check(rq->body, supply_body.f, supply_body.n,
			    &e);

	if (!rc)
		rc = fill(rq->body, &s, &e);
	if (!rc) {
		s.quantity = jint(rq->body, "quantity", 0);
		rc = app_supply_create(rq->st, &rq->who, &s, rq->now_ms, &e);
	}
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, supply_json(&s));
	supply_release(&s);
}

static int add_movement(void *ctx, const struct movement *m)
{
	json_array_append_new(ctx, movement_json(m));
	return 0;
}

static void answer_supply(struct req *rq, struct resp *rs, int64_t id,
			  int status)
{
	struct supply s = { 0 };
	json_t *moves = json_array();
	int rc = store_supply_get(rq->st, id, &s);

	if (!rc)
		rc = store_movements(rq->st, id, add_movement, moves);
	if (rc) {
		json_decref(moves);
		resp_err(rq, rs, rc, NULL);
	} else {
		json_t *o = supply_json(&s);

		json_object_set_new(o, "movements", moves);
		resp_json(rs, status, o);
	}
	supply_release(&s);
}

void api_supply_get(struct req *rq, struct resp *rs)
{
	answer_supply(rq, rs, req_param_id(rq, 0), 200);
}

void api_supply_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct supply s = { 0 };
	int rc = json_check(rq->body, supply_update_body.f,
			    supply_update_body.n, &e);

	if (!rc)
		rc = store_supply_get(rq->st, req_param_id(rq, 0), &s);
	if (!rc)
		rc = fill(rq->body, &s, &e);
	if (!rc)
		rc = app_supply_update(rq->st, &rq->who, &s, rq->now_ms, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, supply_json(&s));
	supply_release(&s);
}

void api_supply_move(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct supply s = { 0 };
	int kind = -1;
	char ref[24];
	int rc = json_check(rq->body, move_body.f, move_body.n, &e);

	if (!rc && (kind = move_kind_parse(jstr(rq->body, "kind", ""))) < 0) {
		errbuf_set(&e, "invalid", "kind is in, out, allocate or return");
		errbuf_field(&e, "kind");
		rc = ERMS_EINVAL;
	}
	if (!rc)
		rc = app_supply_move(rq->st, &rq->who, req_param_id(rq, 0),
				     (enum move_kind)kind,
				     jint(rq->body, "quantity", 0),
				     jref(rq->body, "incident", ref),
				     jstr(rq->body, "note", ""), rq->now_ms,
				     &s, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, supply_json(&s));
	supply_release(&s);
}

void api_incident_supplies(struct req *rq, struct resp *rs)
{
	struct incident_row r = { 0 };
	json_t *items = json_array();
	int rc = store_incident_get(rq->st, rq->param[0], &r);

	if (!rc)
		rc = store_movements_of_incident(rq->st, r.inc.id, add_movement,
						 items);
	incident_row_release(&r);
	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_list(rs, items, 0);
}

/* One CSV field (RFC 4180): quoted when it needs to be. */
static void csv_field(struct buf *b, const char *s, bool last)
{
	if (strpbrk(s, ",\"\r\n")) {
		buf_adds(b, "\"");
		for (; *s; s++) {
			if (*s == '"')
				buf_adds(b, "\"");
			buf_add(b, s, 1);
		}
		buf_adds(b, "\"");
	} else {
		buf_adds(b, s);
	}
	buf_adds(b, last ? "\r\n" : ",");
}

static int csv_supply(void *ctx, const struct supply *s)
{
	struct buf *b = ctx;
	char n[24], q[24], m[24], t[32] = "";

	snprintf(n, sizeof(n), "%lld", (long long)s->id);
	snprintf(q, sizeof(q), "%lld", (long long)s->quantity);
	snprintf(m, sizeof(m), "%lld", (long long)s->min_quantity);
	if (s->inspect_by_ms)
		time_fmt(s->inspect_by_ms, t);
	csv_field(b, n, false);
	csv_field(b, s->name, false);
	csv_field(b, s->kind, false);
	csv_field(b, s->location, false);
	csv_field(b, q, false);
	csv_field(b, s->unit, false);
	csv_field(b, m, false);
	csv_field(b, t, false);
	csv_field(b, s->notes ? s->notes : "", true);
	return 0;
}

static const char CSV_HEAD[] =
	"id,name,kind,location,quantity,unit,min_quantity,inspect_by,notes\r\n";

void api_supply_csv(struct req *rq, struct resp *rs)
{
	struct buf b = BUF_INIT;
	int rc;

	buf_adds(&b, CSV_HEAD);
	rc = store_supply_list(rq->st, csv_supply, &b);
	if (rc)
		resp_err(rq, rs, rc, NULL);
	else
		resp_bytes(rs, 200, "text/csv; charset=utf-8", b.data, b.len);
	buf_release(&b);
}

struct import {
	struct req *rq;
	struct errbuf *e;
	int created;
};

/* One CSV row (id,name,kind,location,quantity,unit,min_quantity,
 * inspect_by,notes; the id is ignored) as a new supply. */
static int import_row(void *ctx, char **f, int line)
{
	struct import *im = ctx;
	struct supply s = { 0 };
	char *end;
	int rc = 0;

	snprintf(s.name, sizeof(s.name), "%s", f[1]);
	snprintf(s.kind, sizeof(s.kind), "%s", f[2]);
	snprintf(s.location, sizeof(s.location), "%s", f[3]);
	snprintf(s.unit, sizeof(s.unit), "%s", f[5]);
	s.quantity = strtoll(f[4], &end, 10);
	if (*end || !*f[4] || s.quantity < 0 || !*f[1])
		rc = err_ret(im->e, ERMS_EINVAL, "invalid", "line %d: a name "
			     "and a quantity >= 0", line);
	s.min_quantity = strtoll(f[6], &end, 10);
	if (!rc && (*end || s.min_quantity < 0))
		rc = err_ret(im->e, ERMS_EINVAL, "invalid", "line %d: "
			     "min_quantity >= 0", line);
	if (!rc && *f[7] && time_parse(f[7], &s.inspect_by_ms))
		rc = err_ret(im->e, ERMS_EINVAL, "invalid", "line %d: "
			     "inspect_by is RFC 3339", line);
	s.notes = xstrdup(f[8]);
	if (!rc)
		rc = app_supply_create(im->rq->st, &im->rq->who, &s,
				       im->rq->now_ms, im->e);
	im->created += !rc;
	supply_release(&s);
	return rc;
}

/* POST /api/v1/supplies/import {csv}: every row a new supply, or nothing
 * (the first bad row answers 400 naming its line; the handler runs in one
 * savepoint, so rows added before it are rolled back). Rights come
 * first: who may not manage supplies hears 403 whatever the body. */
void api_supply_import(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct import im = { rq, &e, 0 };
	const json_t *csv;
	char msg[160];
	int rc = app_supply_may(rq->st, &rq->who, A_SUPPLY_MANAGE, &e);

	if (!rc)
		rc = json_check(rq->body, supply_import_body.f,
				supply_import_body.n, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	csv = json_object_get(rq->body, "csv");
	msg[0] = '\0';
	rc = csv_parse(json_string_value(csv), json_string_length(csv), 9,
		       import_row, &im, msg, sizeof(msg));
	if (*msg)	/* malformed (else fn's answer, already in e) */
		rc = err_ret(&e, ERMS_EINVAL, "invalid", "%s", msg);
	if (rc) {
		errbuf_field(&e, "csv");
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 201, json_pack("{s:i}", "created", im.created));
	}
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
	int rc = app_supply_may(rq->st, &rq->who, A_FUNDS_READ, &e);

	if (!rc) {
		rc = store_budget_get(rq->st, year, &budget, note, sizeof(note));
		rc = rc == ERMS_ENOTFOUND ? 0 : rc;
	}
	if (!rc)
		rc = store_expense_sum(rq->st, year, &spent);
	if (!rc)
		rc = store_expenses(rq->st, year, add_expense, items);
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
				     jref(rq->body, "incident", ref),
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
	struct buf *b = ctx;
	char t[32];

	time_fmt(x->at_ms, t);
	buf_addf(b, "%lld,%d,%lld.%02lld,", (long long)x->id, x->year,
		 (long long)(x->amount_cents / 100),
		 (long long)(x->amount_cents % 100));
	csv_field(b, x->purpose, false);
	buf_addf(b, "%lld,%lld,%lld,%s\r\n", (long long)x->incident_id,
		 (long long)x->drill_id, (long long)x->supply_id, t);
	return 0;
}

void api_expense_csv(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	const char *y = req_query(rq, "year");
	struct buf b = BUF_INIT;
	int rc = app_supply_may(rq->st, &rq->who, A_FUNDS_READ, &e);

	buf_adds(&b, "id,year,amount,purpose,incident_id,drill_id,supply_id,"
		     "at\r\n");
	if (!rc)
		rc = store_expenses(rq->st, y ? (int)strtol(y, NULL, 10)
					      : year_now(rq->now_ms),
				    csv_expense, &b);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_bytes(rs, 200, "text/csv; charset=utf-8", b.data, b.len);
	buf_release(&b);
}
