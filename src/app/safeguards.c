/*
 * safeguards.c - supplies and funds from API requests.
 */
#include "app/safeguards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/codec.h"
#include "app/version.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/tz.h"
#include "util/xalloc.h"

#define CSV_COLUMNS 9

int app_supply_list(struct store *st, const struct principal *p,
		    app_supply_fn *fn, void *ctx, struct errbuf *e)
{
	(void)p;
	(void)e;
	return store_supply_list(st, fn, ctx);
}

int app_supply_read(struct store *st, const struct principal *p, int64_t id,
		    struct supply *out, app_movement_fn *fn, void *ctx,
		    struct errbuf *e)
{
	int rc = store_supply_get(st, id, out);

	(void)p;
	(void)e;
	return rc ? rc : store_movements(st, id, fn, ctx);
}

/* The text field `name` of body, or dflt. */
static const char *text(const json_t *body, const char *name,
			const char *dflt)
{
	const char *s = json_string_value(json_object_get(body, name));

	return s ? s : dflt;
}

static void text_into(char *dst, size_t n, const json_t *body,
		      const char *name)
{
	const char *s = text(body, name, NULL);

	if (s)
		snprintf(dst, n, "%s", s);
}

/* The fields of body into s; inspect_by an RFC 3339 time ("": none). */
static int fill(const json_t *body, struct supply *s, struct errbuf *e)
{
	const char *t = text(body, "inspect_by", NULL);
	json_t *min = json_object_get(body, "min_quantity");

	text_into(s->name, sizeof(s->name), body, "name");
	text_into(s->kind, sizeof(s->kind), body, "kind");
	text_into(s->location, sizeof(s->location), body, "location");
	text_into(s->unit, sizeof(s->unit), body, "unit");
	if (json_is_integer(min))
		s->min_quantity = json_integer_value(min);
	if (json_object_get(body, "notes")) {
		free(s->notes);
		s->notes = xstrdup(text(body, "notes", ""));
	}
	if (t && *t && time_parse(t, &s->inspect_by_ms)) {
		return err_fail(e, ERMS_EINVAL, "inspect_by",
				"inspect_by is an RFC 3339 time");
	}
	if (t && !*t)
		s->inspect_by_ms = 0;
	return 0;
}

int app_supply_add(struct store *st, const struct principal *p,
		   const json_t *body, int64_t now_ms, struct supply *out,
		   struct errbuf *e)
{
	int rc = fill(body, out, e);

	if (rc)
		return rc;
	out->quantity = json_integer_value(json_object_get(body, "quantity"));
	return app_supply_create(st, p, out, now_ms, e);
}

int app_supply_edit(struct store *st, const struct principal *p, int64_t id,
		    const json_t *body, int64_t now_ms, struct supply *out,
		    struct errbuf *e)
{
	int rc = store_supply_get(st, id, out);

	if (!rc)
		rc = app_supply_may(st, p, A_SUPPLY_MANAGE, e);
	if (!rc)
		rc = app_version_check(st, p, app_body_version(body), &out->stamp,
				       out->updated_ms, VK_SUPPLY, out->name,
				       e);
	if (!rc)
		rc = fill(body, out, e);
	if (!rc)
		rc = app_supply_update(st, p, out, now_ms, e);
	return rc;
}

int app_supply_move_body(struct store *st, const struct principal *p,
			 int64_t id, const json_t *body, int64_t now_ms,
			 struct supply *out, struct errbuf *e)
{
	int kind = move_kind_parse(text(body, "kind", ""));
	char ref[24];

	if (kind < 0) {
		return err_fail(e, ERMS_EINVAL, "kind",
				"kind is in, out, allocate or return");
	}
	return app_supply_move(st, p, id, (enum move_kind)kind,
			       json_integer_value(json_object_get(
				       body, "quantity")),
			       json_ref(body, "incident", ref),
			       text(body, "note", ""), now_ms, out, e);
}

struct import {
	struct store *st;
	const struct principal *p;
	int64_t now_ms;
	struct errbuf *e;
	int created;
};

/* One CSV row as a new supply. */
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
	if (!rc && *f[7] && tz_parse(f[7], &s.inspect_by_ms))
		rc = err_ret(im->e, ERMS_EINVAL, "invalid", "line %d: "
			     "inspect_by is a time with its offset "
			     "(2026-11-28 03:03 +08:00, or RFC 3339)", line);
	s.notes = xstrdup(f[8]);
	if (!rc)
		rc = app_supply_create(im->st, im->p, &s, im->now_ms, im->e);
	im->created += !rc;
	supply_release(&s);
	return rc;
}

int app_supply_import(struct store *st, const struct principal *p,
		      const json_t *body, app_shape_fn *shape, int64_t now_ms,
		      int *created, struct errbuf *e)
{
	struct import im = { st, p, now_ms, e, 0 };
	const json_t *csv;
	char msg[160] = "";
	int rc = app_supply_may(st, p, A_SUPPLY_MANAGE, e);

	*created = 0;
	if (!rc)
		rc = shape(body, e);
	if (rc)
		return rc;
	csv = json_object_get(body, "csv");
	rc = csv_parse(json_string_value(csv), json_string_length(csv),
		       CSV_COLUMNS, import_row, &im, msg, sizeof(msg));
	if (*msg)	/* malformed (else the row's answer, already in e) */
		rc = err_ret(e, ERMS_EINVAL, "invalid", "%s", msg);
	if (rc)
		errbuf_field(e, "csv");
	*created = im.created;
	return rc;
}

int app_budget_read(struct store *st, const struct principal *p, int year,
		    int64_t *cents, char *note, size_t note_len,
		    int64_t *spent, app_expense_fn *fn, void *ctx,
		    struct errbuf *e)
{
	int rc = app_supply_may(st, p, A_FUNDS_READ, e);

	*cents = *spent = 0;
	if (!rc) {
		rc = store_budget_get(st, year, cents, note, note_len);
		rc = rc == ERMS_ENOTFOUND ? 0 : rc;
	}
	if (!rc)
		rc = store_expense_sum(st, year, spent);
	if (!rc)
		rc = store_expenses(st, year, fn, ctx);
	return rc;
}

int app_expense_list(struct store *st, const struct principal *p, int year,
		     app_expense_fn *fn, void *ctx, struct errbuf *e)
{
	int rc = app_supply_may(st, p, A_FUNDS_READ, e);

	return rc ? rc : store_expenses(st, year, fn, ctx);
}
