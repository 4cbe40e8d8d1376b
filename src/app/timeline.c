/*
 * timeline.c - timeline entries, events and incident audit rows.
 */
#include "app/timeline.h"

#include <stdio.h>
#include <stdlib.h>

#include "app/audit.h"
#include "app/codec.h"
#include "app/msgs.h"
#include "app/plancache.h"
#include "app/version.h"
#include "plan/model.h"
#include "util/tz.h"
#include "util/xalloc.h"

int app_event_emit(struct store *st, int64_t now_ms, const char *kind,
		   int64_t incident_id, json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT);
	int64_t id;
	int rc = store_event_add(st, now_ms, kind, incident_id, text, &id);

	free(text);
	json_decref(data);
	return rc;
}

int app_timeline_add_id(struct store *st, int64_t incident_id,
			int64_t actor_id, const char *kind, const char *text,
			json_t *data, int64_t now_ms, int64_t *entry_id)
{
	char *d = data ? json_dumps(data, JSON_COMPACT) : xstrdup("{}");
	struct timeline_entry e = {
		.incident_id = incident_id, .at_ms = now_ms,
		.actor_id = actor_id, .kind = kind, .text = text, .data = d,
	};
	int rc = store_timeline_add(st, &e);

	if (!rc)
		rc = store_incident_index(st, incident_id, text);
	if (!rc) {
		char *ev = timeline_text(&e);
		int64_t id;

		rc = store_event_add(st, now_ms, "timeline", incident_id, ev,
				     &id);
		free(ev);
	}
	*entry_id = e.id;
	free(d);
	json_decref(data);
	return rc;
}

int app_timeline_msg(struct store *st, int64_t incident_id, int64_t actor_id,
		     const char *kind, const char *key, json_t *params,
		     json_t *data, int64_t now_ms)
{
	struct organisation o = { .locale = "zh-CN", .time_zone = TZ_DEFAULT };
	struct incident_row r = { 0 };
	const struct plan *pl = NULL;
	struct msg_names n;
	char *text, *other;
	int64_t id;
	int rc;

	if (!data)
		data = json_object();
	if (!params)
		params = json_object();
	store_org_get(st, &o);
	organisation_release(&o);
	if (!store_incident_get_id(st, incident_id, &r))
		plan_load(st, r.plan_version_id, &pl);
	n = (struct msg_names){ pl, o.time_zone };
	text = msg_text(key, params, o.locale, &n);
	other = msg_text(key, params, msg_lang_zh(o.locale) ? "en" : "zh-CN",
			 &n);
	json_object_set_new(data, "key", json_string(key));
	json_object_set_new(data, "params", params);
	rc = app_timeline_add_id(st, incident_id, actor_id, kind,
				 text ? text : key, data, now_ms, &id);
	/* The other language is found by a search too. */
	if (!rc && other)
		rc = store_incident_index(st, incident_id, other);
	free(text);
	free(other);
	plan_unref(pl);
	incident_row_release(&r);
	return rc;
}

char *app_timeline_render(const struct timeline_entry *e,
			  const struct plan *pl, const char *lang,
			  const char *zone)
{
	json_t *d = json_loads(e->data && *e->data ? e->data : "{}", 0, NULL);
	const char *key = json_string_value(json_object_get(d, "key"));
	struct msg_names n = { pl, zone };
	char *text = key ? msg_text(key, json_object_get(d, "params"), lang,
				    &n) : NULL;

	json_decref(d);
	return text ? text : xstrdup(e->text ? e->text : "");
}

int app_timeline_add(struct store *st, int64_t incident_id, int64_t actor_id,
		     const char *kind, const char *text, json_t *data,
		     int64_t now_ms)
{
	int64_t id;

	return app_timeline_add_id(st, incident_id, actor_id, kind, text, data,
				   now_ms, &id);
}

int app_incident_event(struct store *st, const struct incident_row *r,
		       int64_t now_ms)
{
	char *text = incident_text(r);
	int64_t id;
	int rc = store_event_add(st, now_ms, "incident", r->inc.id, text, &id);

	free(text);
	return rc;
}

int app_incident_save(struct store *st, const struct principal *p,
		      struct incident_row *r, int64_t now_ms)
{
	int rc;

	r->updated_ms = now_ms;
	app_stamp(&r->stamp, p);
	rc = store_incident_update(st, r);
	return rc ? rc : app_incident_event(st, r, now_ms);
}

int app_incident_audit(struct store *st, const struct principal *p,
		       const char *action, const struct incident_row *r,
		       const char *extra, int64_t now_ms)
{
	char obj[48];
	char *summary = xasprintf("status=%s level=%s%s",
				  incident_state_name(r->inc.state),
				  r->level_key[0] ? r->level_key : "-", extra);
	int rc;

	snprintf(obj, sizeof(obj), "incident:%s", r->number);
	rc = audit_append(st, p ? p->user.id : 0, action, obj, summary, now_ms);
	free(summary);
	return rc;
}
