/*
 * bulletins.c - bulletins (信息发布) and the public status view.
 */
#include "app/bulletins.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/codec.h"
#include "app/incidents.h"
#include "app/notify.h"
#include "app/plancache.h"
#include "app/timeline.h"
#include "app/version.h"
#include "app/zone.h"
#include "core/calendar.h"
#include "plan/plan.h"
#include "util/clock.h"
#include "util/tz.h"
#include "util/xalloc.h"

/* What the public view covers: 90 days, at most 500 bulletins. */
#define HISTORY_MS (90 * DAY_MS)
#define PUBLIC_MAX 500

json_t *bulletin_json(const struct bulletin *b)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:I, s:o}", "id",
			 (json_int_t)b->id, "incident_id",
			 (json_int_t)b->incident_id, "audience",
			 b->public ? "public" : "internal", "text", b->text,
			 "author_id", (json_int_t)b->author_id, "created_at",
			 json_time(b->created_ms));
}

static int add_bulletin(void *ctx, const struct bulletin *b)
{
	json_array_append_new(ctx, bulletin_json(b));
	return 0;
}

int app_bulletin_list(struct store *st, const struct principal *p,
		      const char *key, json_t **items)
{
	struct incident_row r = { 0 };
	int rc = app_incident_readable(p) ? 0 : ERMS_EPERM;

	*items = json_array();
	if (!rc)
		rc = store_incident_get(st, key, &r);
	if (!rc)
		rc = store_bulletin_list(st, r.inc.id, add_bulletin, *items);
	incident_row_release(&r);
	if (rc) {
		json_decref(*items);
		*items = NULL;
	}
	return rc;
}

struct comms {
	bool in;
};

static int in_comms(void *ctx, const struct membership *m,
		    const struct user *u)
{
	(void)u;
	if (!strcmp(m->group_key, "comms"))
		((struct comms *)ctx)->in = true;
	return 0;
}

int app_bulletin_post(struct store *st, const struct principal *p,
		      const char *key, const char *text, bool public,
		      int64_t now_ms, struct bulletin *out, struct errbuf *err)
{
	struct incident_row r = { 0 };
	struct comms cm = { false };
	struct object o = { 0 };
	const struct plan *plan = NULL;
	int rc = store_groups_of_user(st, p->user.id, in_comms, &cm);

	o.actor_in_group = cm.in;
	if (!rc)
		rc = app_may(p, A_BULLETIN_POST, &o, err);
	if (!rc) {
		rc = store_incident_get(st, key, &r);
		if (rc == ERMS_ENOTFOUND)
			err_ret(err, rc, "not_found", "no incident '%s'", key);
	}
	if (!rc) {
		*out = (struct bulletin){ .incident_id = r.inc.id,
					  .public = public, .text = text,
					  .author_id = p->user.id,
					  .created_ms = now_ms };
		rc = store_bulletin_insert(st, out);
	}
	if (!rc && public) {
		r.public = true;
		free(r.public_summary);
		r.public_summary = xstrdup(text);
		rc = app_incident_save(st, p, &r, now_ms);
	}
	if (!rc)
		rc =
		    app_timeline_msg(st, r.inc.id, p->user.id, "bulletin",
				     "tl.bulletin",
				     json_pack("{s:s, s:s}", "audience",
					       public ? "public" : "internal",
					       "text", text),
				     json_pack("{s:s, s:I}", "audience",
					       public ? "public" : "internal",
					       "bulletin", (json_int_t)out->id),
				     now_ms);
	if (!rc && !public) {
		int n;

		rc = plan_load(st, r.plan_version_id, &plan);
		if (!rc)
			rc = notify_incident(st, &r, plan, NE_BULLETIN, -1,
					     text, now_ms, &n);
	}
	if (!rc)
		rc = app_incident_audit(
		    st, p, public ? "bulletin.public" : "bulletin.internal", &r,
		    "", now_ms);
	plan_unref(plan);
	incident_row_release(&r);
	return rc;
}

int app_incident_public(struct store *st, const struct principal *p,
			const char *key, const char *title,
			const char *message, int64_t version, int64_t now_ms,
			struct incident_row *out, struct errbuf *err)
{
	struct comms cm = { false };
	struct object o = { 0 };
	int rc = store_groups_of_user(st, p->user.id, in_comms, &cm);

	o.actor_in_group = cm.in;
	incident_row_release(out);
	if (!rc)
		rc = app_may(p, A_BULLETIN_POST, &o, err);
	if (!rc) {
		rc = store_incident_get(st, key, out);
		if (rc == ERMS_ENOTFOUND)
			err_ret(err, rc, "not_found", "no incident '%s'", key);
	}
	if (!rc)
		rc = app_version_check(st, p, version, &out->stamp, out->updated_ms,
				       VK_INCIDENT, out->number, err);
	if (rc)
		return rc;
	if (title) {
		free(out->public_title);
		out->public_title = xstrdup(title);
	}
	if (message) {
		free(out->public_message);
		out->public_message = xstrdup(message);
	}
	rc = app_incident_save(st, p, out, now_ms);
	if (!rc)
		rc = app_incident_audit(st, p, "incident.public", out,
					out->public_title, now_ms);
	return rc;
}

/* The public view: incidents (newest first) with their bulletins. */
struct view {
	struct store *st;
	char zone[64];
	json_t *incidents;	/* see app_public_view() */
};

static const char *phase_of(int state)
{
	switch (state) {
	case INC_REPORTED:
	case INC_ACKNOWLEDGED:
		return "investigating";
	case INC_ACTIVE:
		return "handling";
	default:
		return "resolved";
	}
}

/* How bad it is, for the public: the most severe level is a major
 * outage, the least severe of several a minor disruption, any between a
 * partial outage; no level yet: "" (still being looked into). */
static const char *severity_of(const struct plan *plan, int rank)
{
	size_t n = plan ? plan->nlevels : 0;

	if (rank <= 0)
		return "";
	if (rank == 1)
		return "major";
	return (size_t)rank >= n ? "minor" : "partial";
}

static json_t *at_json(const struct view *v, int64_t ms)
{
	char t[32];

	tz_rfc3339(ms, v->zone, t);
	return json_string(t);
}

/* The incident of bulletin b as the public sees it: its public title
 * and message (never the internal title), its phase and severity, the
 * level's name in both languages. */
static json_t *public_incident(struct view *v, const struct incident_row *r)
{
	const struct plan *plan = NULL;
	const struct plan_level *lv = NULL;
	int64_t done = 0;
	json_t *inc;

	if (r->level_key[0] && !plan_load(v->st, r->plan_version_id, &plan))
		lv = plan_level(plan, r->level_key);
	if (!strcmp(phase_of(r->inc.state), "resolved"))
		done = r->inc.resolved_ms ? r->inc.resolved_ms
		     : r->inc.closed_ms ? r->inc.closed_ms
		     : r->inc.dismissed_ms ? r->inc.dismissed_ms : r->updated_ms;
	inc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o,"
			" s:[]}",
			"id", (json_int_t)r->inc.id, "number", r->number,
			"title", r->public_title ? r->public_title : "",
			"message", r->public_message ? r->public_message : "",
			"status", incident_state_name(r->inc.state),
			"phase", phase_of(r->inc.state),
			"severity", severity_of(plan, lv ? lv->rank : 0),
			"level", lv ? json_pack("{s:s, s:i, s:{s:s, s:s}}",
						"key", lv->key, "rank", lv->rank,
						"name", "zh-CN",
						plan_text(lv->name, "zh-CN"),
						"en", plan_text(lv->name, "en"))
				    : json_null(),
			"reported_at", at_json(v, r->inc.reported_ms),
			"resolved_at", done ? at_json(v, done) : json_null(),
			"updates");
	/* After the end, the last update says so. */
	if (done)
		json_array_append_new(json_object_get(inc, "updates"), json_pack(
			"{s:s, s:s, s:o}", "kind", "resolved", "text",
			"此事件已解决，服务已恢复正常。 / This incident has been "
			"resolved; service is back to normal.",
			"at", at_json(v, done)));
	plan_unref(plan);
	return inc;
}

static int collect(void *ctx, const struct bulletin *b)
{
	struct view *v = ctx;
	json_t *inc = NULL, *x;
	size_t i;

	json_array_foreach(v->incidents, i, x)
		if (json_integer_value(json_object_get(x, "id")) ==
		    b->incident_id)
			inc = x;
	if (!inc) {
		struct incident_row r = { 0 };

		if (store_incident_get_id(v->st, b->incident_id, &r))
			return 0;
		inc = public_incident(v, &r);
		json_array_append_new(v->incidents, inc);
		incident_row_release(&r);
	}
	json_array_append_new(json_object_get(inc, "updates"), json_pack(
		"{s:I, s:s, s:s, s:o}", "id", (json_int_t)b->id, "kind",
		"bulletin", "text", b->text, "at", at_json(v, b->created_ms)));
	return 0;
}

void app_public_zone(struct store *st, char zone[64])
{
	app_zone_for(st, NULL, zone);
}

int app_public_view(struct store *st, int64_t now_ms, json_t **out)
{
	struct view v = { .st = st, .incidents = json_array() };
	int rc;

	app_public_zone(st, v.zone);
	rc = store_bulletin_public(st, now_ms - HISTORY_MS, PUBLIC_MAX,
				   collect, &v);
	*out = v.incidents;
	return rc;
}
