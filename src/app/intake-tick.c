/*
 * intake-tick.c - monitoring intake's other ways in (app/intake.h): the
 * scheduler's step (heartbeats missed, alerts left for the timeline),
 * the administrator's test alert, and an incident's alerts as JSON.
 */
#include "app/intake.h"

#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/codec.h"
#include "app/incidents.h"
#include "app/intake-run.h"
#include "store/store.h"

#define TICK_LIMIT 100		/* heartbeats or groups per tick */

struct due_ids {
	int64_t id[TICK_LIMIT];
	int n;
};

static int note_intg(void *ctx, const struct integration_row *row)
{
	struct due_ids *d = ctx;

	if (d->n < TICK_LIMIT)
		d->id[d->n++] = row->id;
	return 0;
}

static int note_group(void *ctx, const struct alert_group_row *g)
{
	struct due_ids *d = ctx;

	if (d->n < TICK_LIMIT)
		d->id[d->n++] = g->id;
	return 0;
}

/* A heartbeat missed: its alert fires (an incident). */
static int heartbeat_missed(struct app *app, struct store *st, int64_t id,
			    int64_t now_ms)
{
	struct intake_result res;
	struct errbuf e = { 0 };
	struct alert_in a;
	struct label l[2];
	char summary[NAME_MAX_ + 64];
	struct intake_run r;
	int rc = intake_run_start(&r, app, st, id, now_ms, &res, &e);

	memset(&res, 0, sizeof(res));
	if (!rc) {
		intake_missed_alert(&r, &a, l, false, summary, sizeof(summary));
		rc = intake_apply_alert(&r, NULL, &a);
		r.hb_missed = true;
	}
	if (!rc)
		rc = intake_run_finish(&r, false);
	intake_run_release(&r);
	return rc;
}

/* Group id's pending alerts onto its incident's timeline. */
static int group_flush(struct app *app, struct store *st, int64_t id,
		       int64_t now_ms)
{
	struct intake_result res = { 0 };
	struct errbuf e = { 0 };
	struct intake_group *s;
	struct intake_run r = { .app = app, .st = st, .now_ms = now_ms,
			 .res = &res, .e = &e };
	int rc = intake_group_get(&r, id, &s);

	if (!rc && s->g.pending > 0)
		rc = intake_group_flush(&r, s);
	if (!rc && s->names) {
		free(s->g.pending_json);
		s->g.pending_json = json_dumps(s->names, JSON_COMPACT);
	}
	if (!rc)
		rc = store_alert_group_update(st, &s->g);
	intake_run_release(&r);
	return rc;
}

int app_intake_due(struct store *st, int64_t now_ms)
{
	struct due_ids d = { .n = 0 };

	if (!store_integration_hb_due(st, now_ms, 1, note_intg, &d) && d.n)
		return 1;
	if (!store_alert_group_pending(st, now_ms - FLUSH_MS, 1, note_group,
				       &d) && d.n)
		return 1;
	return 0;
}

int app_intake_tick(struct app *app, struct store *st, int64_t now_ms)
{
	struct due_ids d = { .n = 0 };
	int rc = store_integration_hb_due(st, now_ms, TICK_LIMIT, note_intg,
					  &d);

	for (int i = 0; !rc && i < d.n; i++)
		rc = heartbeat_missed(app, st, d.id[i], now_ms);
	d.n = 0;
	if (!rc)
		rc = store_alert_group_pending(st, now_ms - FLUSH_MS,
					       TICK_LIMIT, note_group, &d);
	for (int i = 0; !rc && i < d.n; i++)
		rc = group_flush(app, st, d.id[i], now_ms);
	return rc;
}

/* The contract's alert JSON. */
static json_t *alert_json(const struct alert_row *a)
{
	json_t *labels = json_loads(a->labels ? a->labels : "{}", 0, NULL);
	json_t *ann = json_loads(a->annotations ? a->annotations : "{}", 0,
				 NULL);
	json_t *details = a->details ? json_loads(a->details, JSON_DECODE_ANY,
						  NULL) : NULL;

	return json_pack(
	    "{s:I, s:I, s:o, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o,"
	    " s:s, s:I, s:b, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)a->id,
	    "integration_id", (json_int_t)a->integration_id,
	    "incident_id", a->incident_id ? json_integer(a->incident_id)
					  : json_null(),
	    "fingerprint", a->fingerprint,
	    "status", a->firing ? "firing" : "resolved",
	    "severity", a->severity, "summary", a->summary ? a->summary : "",
	    "labels", labels ? labels : json_object(),
	    "annotations", ann ? ann : json_object(),
	    "source", a->source ? json_string(a->source) : json_null(),
	    "source_url", a->source_url ? json_string(a->source_url)
					: json_null(),
	    "details", details ? details : json_null(),
	    "group_key", a->group_key ? a->group_key : "",
	    "count", (json_int_t)a->count, "suppressed", a->suppressed,
	    "starts_at", json_time(a->starts_ms),
	    "ends_at", json_time(a->ends_ms),
	    "first_seen_at", json_time(a->first_seen_ms),
	    "last_seen_at", json_time(a->last_seen_ms),
	    "resolved_at", json_time(a->resolved_ms));
}

static int add_alert(void *ctx, const struct alert_row *a)
{
	json_array_append_new(ctx, alert_json(a));
	return 0;
}

int app_incident_alerts(struct store *st, const struct principal *p,
			const char *key, int64_t after, int limit,
			json_t *items, struct errbuf *e)
{
	struct incident_row r = { 0 };
	int rc;

	if (!app_incident_readable(p))
		return err_ret(e, ERMS_EPERM, "forbidden",
			       "not allowed to read incidents");
	rc = store_incident_get(st, key, &r);
	if (rc == ERMS_ENOTFOUND)
		rc = err_ret(e, rc, "not_found", "no incident '%s'", key);
	if (!rc)
		rc = store_alert_list(st, r.inc.id, after, limit + 1,
				      add_alert, items);
	incident_row_release(&r);
	return rc;
}

int app_integration_test(struct app *app, struct store *st,
			 const struct principal *p, int64_t id,
			 int64_t now_ms, json_t **out, struct errbuf *e)
{
	struct intake_result res = { 0 };
	struct label l[2] = { { "alertname", "erms test alert" },
			      { "severity", "info" } };
	struct label an[1] = { { "summary", "erms test alert" } };
	struct alert_in a = { .action = AA_FIRING, .labels = { l, 2 },
			      .annotations = { an, 1 },
			      .summary = "erms test alert",
			      .severity = "info", .starts_ms = now_ms };
	struct intake_batch b = { .a = &a, .n = 1 };
	struct alert_row row = { 0 };
	struct incident_row inc = { 0 };
	struct intake_run r;
	char key[24], obj[48];
	int rc = app_may(p, A_INTEGRATION_MANAGE, NULL, e);

	*out = NULL;
	if (rc)
		return rc;
	label_fingerprint(&a.labels, a.fingerprint);
	snprintf(b.group_key, sizeof(b.group_key), "{}:{alertname=\"%s\"}",
		 l[0].value);
	rc = intake_run_start(&r, app, st, id, now_ms, &res, e);
	if (rc == ERMS_EAUTH)
		rc = err_ret(e, ERMS_ENOTFOUND, "not_found",
			     "no such integration");
	if (!rc) {
		r.drill = true;
		rc = intake_apply_alert(&r, &b, &a);
	}
	if (!rc)
		rc = intake_run_finish(&r, false);
	intake_run_release(&r);
	if (!rc)
		rc = store_alert_last(st, id, a.fingerprint, &row);
	if (!rc && row.incident_id) {
		snprintf(key, sizeof(key), "%lld", (long long)row.incident_id);
		rc = store_incident_get(st, key, &inc);
	}
	snprintf(obj, sizeof(obj), "integration:%lld", (long long)id);
	if (!rc)
		rc = audit_append(st, p->user.id, "integration.test", obj,
				  "test alert", now_ms);
	if (!rc)
		*out = json_pack("{s:o, s:o}", "alert", alert_json(&row),
				 "incident", row.incident_id
					 ? incident_json(&inc) : json_null());
	alert_row_release(&row);
	incident_row_release(&inc);
	return rc;
}
