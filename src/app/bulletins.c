/*
 * bulletins.c - bulletins (信息发布) and the public status view.
 */
#include "app/bulletins.h"

#include <stdlib.h>
#include <string.h>

#include "app/codec.h"
#include "app/incidents.h"
#include "app/notify.h"
#include "app/plancache.h"
#include "app/timeline.h"
#include "core/calendar.h"
#include "util/clock.h"
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

/* The public view: incidents (newest first) with their bulletins. */
struct view {
	struct store *st;
	json_t *incidents;	/* [{number, title, status, phase, updates}] */
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
		inc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:[]}", "id",
				(json_int_t)r.inc.id, "number", r.number,
				"title", r.title, "status",
				incident_state_name(r.inc.state), "phase",
				phase_of(r.inc.state), "reported_at",
				json_time(r.inc.reported_ms), "updates");
		json_array_append_new(v->incidents, inc);
		incident_row_release(&r);
	}
	json_array_append_new(json_object_get(inc, "updates"), json_pack(
		"{s:I, s:s, s:o}", "id", (json_int_t)b->id, "text", b->text,
		"at", json_time(b->created_ms)));
	return 0;
}

int app_public_view(struct store *st, int64_t now_ms, json_t **out)
{
	struct view v = { st, json_array() };
	int rc = store_bulletin_public(st, now_ms - HISTORY_MS, PUBLIC_MAX,
				       collect, &v);

	*out = v.incidents;
	return rc;
}
