/*
 * supplies.c - supplies and funds: the use cases.
 */
#include "app/supplies.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/incidents.h"
#include "app/notify.h"
#include "core/calendar.h"
#include "util/xalloc.h"

#define INSPECT_AHEAD_MS (7 * DAY_MS)

static const char *const kinds[MV__COUNT] = { "in", "out", "allocate",
					      "return" };

const char *move_kind_name(enum move_kind k)
{
	return (unsigned)k < MV__COUNT ? kinds[k] : "?";
}

int move_kind_parse(const char *s)
{
	for (int i = 0; i < MV__COUNT; i++)
		if (!strcmp(s, kinds[i]))
			return i;
	return -1;
}

static int in_logistics(void *ctx, const struct membership *m,
			const struct user *u)
{
	(void)u;
	if (!strcmp(m->group_key, "logistics"))
		*(bool *)ctx = true;
	return 0;
}

int app_supply_may(struct store *st, const struct principal *p,
		   enum action act, struct errbuf *err)
{
	struct object o = { 0 };
	int rc = store_groups_of_user(st, p->user.id, in_logistics,
				      &o.actor_in_group);

	return rc ? rc : app_may(p, act, &o, err);
}

static int supply_audit(struct store *st, const struct principal *p,
			const char *action, const struct supply *s,
			const char *extra, int64_t now_ms)
{
	char obj[40];
	char *summary = xasprintf("%s qty=%" PRId64 "%s", s->name, s->quantity,
				  extra);
	int rc;

	snprintf(obj, sizeof(obj), "supply:%" PRId64, s->id);
	rc = audit_append(st, p->user.id, action, obj, summary, now_ms);
	free(summary);
	return rc;
}

int app_supply_create(struct store *st, const struct principal *p,
		      struct supply *s, int64_t now_ms, struct errbuf *err)
{
	int rc = app_supply_may(st, p, A_SUPPLY_MANAGE, err);

	if (rc)
		return rc;
	s->created_ms = now_ms;
	rc = store_supply_insert(st, s);
	return rc ? rc : supply_audit(st, p, "supply.create", s, "", now_ms);
}

int app_supply_update(struct store *st, const struct principal *p,
		      struct supply *s, int64_t now_ms, struct errbuf *err)
{
	int rc = app_supply_may(st, p, A_SUPPLY_MANAGE, err);

	if (rc)
		return rc;
	s->updated_ms = now_ms;
	rc = store_supply_update(st, s);
	return rc ? rc : supply_audit(st, p, "supply.update", s, "", now_ms);
}

/* Under its minimum: tell logistics once; back above it: ready again. */
static int check_low(struct store *st, struct supply *s, int64_t now_ms)
{
	char *subject, *text;
	int n, rc;

	if (s->quantity >= s->min_quantity) {
		if (!s->low_notice_ms)
			return 0;
		s->low_notice_ms = 0;
		return store_supply_notice(st, s->id, 0, s->inspect_notice_ms);
	}
	if (s->low_notice_ms)
		return 0;
	subject = xasprintf("【物资不足 / Low stock】%s", s->name);
	text = xasprintf("%s @ %s: %" PRId64 " %s (< %" PRId64 ")", s->name,
			 s->location, s->quantity, s->unit, s->min_quantity);
	rc = notify_group(st, "logistics", "supply.low", subject, text, now_ms,
			  &n);
	free(subject);
	free(text);
	s->low_notice_ms = now_ms;
	return rc ? rc : store_supply_notice(st, s->id, now_ms,
					     s->inspect_notice_ms);
}

int app_supply_move(struct store *st, const struct principal *p, int64_t id,
		    enum move_kind kind, int64_t n, const char *incident,
		    const char *note, int64_t now_ms, struct supply *out,
		    struct errbuf *err)
{
	struct incident_row r = { 0 };
	struct movement m = { .supply_id = id, .kind = move_kind_name(kind),
			      .quantity = n, .note = note,
			      .actor_id = p->user.id, .at_ms = now_ms };
	int64_t mid;
	int rc = app_supply_may(st, p, A_SUPPLY_MANAGE, err);

	if (rc)
		return rc;
	if (n <= 0)
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "quantity must be positive");
	if (kind == MV_ALLOCATE && !incident)
		return err_ret(err, ERMS_EINVAL, "missing_field",
			       "an allocation names its incident");
	if (incident) {
		rc = store_incident_get(st, incident, &r);
		if (rc == ERMS_ENOTFOUND)
			return err_ret(err, ERMS_EINVAL, "invalid",
				       "no incident '%s'", incident);
		if (rc)
			return rc;
		m.incident_id = r.inc.id;
	}
	rc = store_supply_get(st, id, out);
	if (rc == ERMS_ENOTFOUND)
		err_ret(err, rc, "not_found", "no supply %" PRId64, id);
	if (!rc)
		rc = kind == MV_IN || kind == MV_RETURN
			? store_supply_add(st, id, n, now_ms, p->user.id)
			: store_supply_take(st, id, n, now_ms, p->user.id);
	if (rc == ERMS_ECONFLICT)
		err_ret(err, rc, "conflict", "only %" PRId64 " %s of '%s' left",
			out->quantity, out->unit, out->name);
	if (!rc)
		rc = store_movement_insert(st, &m, &mid);
	if (!rc)
		rc = store_supply_get(st, id, out);
	if (!rc && m.incident_id) {
		char *text = xasprintf("%s: %" PRId64 " %s %s", kinds[kind], n,
				       out->unit, out->name);

		rc = app_timeline_add(st, m.incident_id, p->user.id, "task",
				      text, json_pack("{s:s, s:I, s:I}",
						      "supply", kinds[kind],
						      "supply_id", (json_int_t)id,
						      "quantity", (json_int_t)n),
				      now_ms);
		free(text);
	}
	if (!rc)
		rc = check_low(st, out, now_ms);
	if (!rc) {
		char extra[64];

		snprintf(extra, sizeof(extra), " %s=%" PRId64, kinds[kind], n);
		rc = supply_audit(st, p, "supply.move", out, extra, now_ms);
	}
	incident_row_release(&r);
	return rc;
}

struct due_list {
	int64_t now;
	json_t *ids;
};

static int inspection_due(void *ctx, const struct supply *s)
{
	struct due_list *d = ctx;

	if (s->inspect_by_ms && !s->inspect_notice_ms &&
	    s->inspect_by_ms - INSPECT_AHEAD_MS <= d->now)
		json_array_append_new(d->ids, json_integer(s->id));
	return 0;
}

int app_supply_inspections(struct store *st, int64_t now_ms, int *told)
{
	struct due_list d = { now_ms, json_array() };
	json_t *id;
	size_t i;
	int rc = store_supply_list(st, inspection_due, &d);

	*told = 0;
	json_array_foreach(d.ids, i, id) {
		struct supply s = { 0 };
		char *subject, *text;
		int n;

		if (rc || (rc = store_supply_get(st, json_integer_value(id), &s)))
			break;
		subject = xasprintf("【物资检查到期 / Inspection due】%s", s.name);
		text = xasprintf("%s @ %s", s.name, s.location);
		rc = notify_group(st, "logistics", "supply.inspect", subject,
				  text, now_ms, &n);
		if (!rc)
			rc = store_supply_notice(st, s.id, s.low_notice_ms,
						 now_ms);
		free(subject);
		free(text);
		supply_release(&s);
		(*told)++;
	}
	json_decref(d.ids);
	return rc;
}

int app_budget_put(struct store *st, const struct principal *p, int year,
		   int64_t cents, const char *note, int64_t now_ms,
		   struct errbuf *err)
{
	char obj[32], summary[64];
	int rc = app_may(p, A_FUNDS_MANAGE, NULL, err);

	if (rc)
		return rc;
	if (year < 2000 || year > 2999 || cents < 0)
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "a budget is for a year 2000-2999, >= 0");
	rc = store_budget_put(st, year, cents, note ? note : "", now_ms);
	snprintf(obj, sizeof(obj), "budget:%d", year);
	snprintf(summary, sizeof(summary), "cents=%" PRId64, cents);
	return rc ? rc : audit_append(st, p->user.id, "budget.put", obj,
				      summary, now_ms);
}

int app_expense_add(struct store *st, const struct principal *p,
		    struct expense *e, const char *incident, int64_t now_ms,
		    struct errbuf *err)
{
	struct incident_row r = { 0 };
	struct supply s = { 0 };
	char obj[32];
	int rc = app_supply_may(st, p, A_FUNDS_SPEND, err);

	if (!rc && incident) {
		rc = store_incident_get(st, incident, &r);
		if (rc == ERMS_ENOTFOUND)
			rc = err_ret(err, ERMS_EINVAL, "invalid",
				     "no incident '%s'", incident);
		e->incident_id = r.inc.id;
	}
	if (!rc && e->supply_id && store_supply_get(st, e->supply_id, &s))
		rc = err_ret(err, ERMS_EINVAL, "invalid", "no such supply");
	if (!rc) {
		e->actor_id = p->user.id;
		e->at_ms = now_ms;
		rc = store_expense_insert(st, e, &e->id);
	}
	snprintf(obj, sizeof(obj), "expense:%" PRId64, e->id);
	if (!rc)
		rc = audit_append(st, p->user.id, "expense.add", obj,
				  e->purpose, now_ms);
	incident_row_release(&r);
	supply_release(&s);
	return rc;
}
