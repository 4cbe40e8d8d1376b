/*
 * escalate.c - the incident timers: breaches of a level's targets and
 * the reporting chain (core/escalation.h says which tier is due).
 */
#include "app/escalate.h"

#include <stdio.h>

#include "app/codec.h"
#include "app/notify.h"
#include "app/timeline.h"
#include "core/escalation.h"

static int any_due(void *ctx, const struct incident_row *r)
{
	int64_t now = *(int64_t *)ctx;

	return incident_due_breaches(&r->inc, now) ? 1 : 0;
}

bool app_breaches_due(struct store *st, int64_t now_ms)
{
	return store_incident_due(st, now_ms, 1, any_due, &now_ms) == 1;
}

struct due {
	json_t *ids;
	int64_t now;
};

static int collect_due(void *ctx, const struct incident_row *r)
{
	struct due *d = ctx;

	if (incident_due_breaches(&r->inc, d->now))
		json_array_append_new(d->ids, json_integer(r->inc.id));
	return 0;
}

int app_breaches_record(struct plan_cache *pc, struct store *st,
			int64_t now_ms, int *count)
{
	static const char *const names[] = { "ack", "activate", "resolve" };
	struct due d = { json_array(), now_ms };
	json_t *id;
	size_t i;
	/* A hundred at a time: the writer serves others in between. */
	int rc = store_incident_due(st, now_ms, 100, collect_due, &d);

	*count = 0;
	json_array_foreach(d.ids, i, id) {
		struct incident_row r = { 0 };
		unsigned due;

		if (rc || (rc = store_incident_get_id(st, json_integer_value(id),
						       &r)))
			break;
		due = incident_due_breaches(&r.inc, now_ms);
		r.inc.breaches |= due;
		rc = app_incident_save(st, NULL, &r, now_ms);
		for (int b = 0; !rc && b < 3; b++) {
			if (!(due & (1u << b)))
				continue;
			rc = app_timeline_msg(
			    st, r.inc.id, 0, "breach", "tl.breach",
			    json_pack("{s:s}", "target", names[b]),
			    json_pack("{s:s}", "target", names[b]), now_ms);
			if (!rc)
				rc = app_event_emit(
				    st, now_ms, "breach", r.inc.id,
				    json_pack("{s:s, s:s}", "number", r.number,
					      "target", names[b]));
			if (!rc)
				rc = app_incident_audit(st, NULL,
							"incident.breach", &r,
							"", now_ms);
			if (!rc) {
				const struct plan *pl;
				int q;

				rc = plan_cache_get(pc, st, r.plan_version_id,
						    &pl);
				if (!rc)
					rc = notify_incident(
					    st, &r, pl, NE_BREACH, -1, names[b],
					    now_ms, &q);
				plan_unref(pl);
			}
			(*count)++;
		}
		incident_row_release(&r);
	}
	json_decref(d.ids);
	return rc;
}

struct unacked {
	struct plan_cache *pc;
	struct store *st;
	int64_t now;
	json_t *ids;		/* incidents with a tier due */
};

static int tier_due(void *ctx, const struct incident_row *r)
{
	struct unacked *u = ctx;
	const struct plan *pl;
	int rc = plan_cache_get(u->pc, u->st, r->plan_version_id, &pl);

	for (size_t i = 0; !rc && i < pl->ntiers; i++)
		if (esc_tier_due(r->esc_tiers, i, r->inc.reported_ms,
				 pl->tiers[i].after_min, u->now)) {
			json_array_append_new(u->ids, json_integer(r->inc.id));
			break;
		}
	plan_unref(pl);
	return rc;
}

/* The unacknowledged reports with a tier of the chain due at now_ms. */
static int unacked_due(struct plan_cache *pc, struct store *st,
		       int64_t now_ms, json_t *ids)
{
	struct unacked u = { pc, st, now_ms, ids };

	return store_incident_unacked(st, 100, tier_due, &u);
}

bool app_escalation_due(struct plan_cache *pc, struct store *st,
			int64_t now_ms)
{
	json_t *ids = json_array();
	bool due = !unacked_due(pc, st, now_ms, ids) && json_array_size(ids);

	json_decref(ids);
	return due;
}

int app_escalation_run(struct plan_cache *pc, struct store *st,
		       int64_t now_ms, int *queued)
{
	json_t *ids = json_array(), *id;
	size_t i;
	int rc = unacked_due(pc, st, now_ms, ids), n = 0;

	*queued = 0;
	json_array_foreach(ids, i, id) {
		struct incident_row r = { 0 };
		const struct plan *pl = NULL;

		if (rc || (rc = store_incident_get_id(st, json_integer_value(id),
						       &r)))
			break;
		rc = plan_cache_get(pc, st, r.plan_version_id, &pl);
		if (!rc)
			rc = notify_escalate(st, &r, pl, now_ms, &n);
		if (!rc)
			rc = app_incident_save(st, NULL, &r, now_ms);
		*queued += n;
		plan_unref(pl);
		incident_row_release(&r);
	}
	json_decref(ids);
	return rc;
}
