/*
 * codec.c - the JSON shape of incidents, tasks and timeline entries.
 */
#include "app/codec.h"

#include <stdio.h>

#include "app/codec-write.h"
#include "app/regstate.h"
#include "plan/plan.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/xalloc.h"

json_t *json_time(int64_t ms)
{
	char t[32];

	if (!ms)
		return json_null();
	time_fmt(ms, t);
	return json_string(t);
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *deadline(int64_t start, int min, int64_t done)
{
	return start && min > 0 && !done ? json_time(start + min * 60000LL)
					 : json_null();
}

json_t *incident_json(const struct incident_row *r)
{
	const struct incident *inc = &r->inc;
	json_t *breaches = json_array(), *actions = json_array(), *review, *o;
	const char *const names[] = { "ack", "activate", "resolve" };
	unsigned legal = incident_actions(inc->state);

	for (int i = 0; i < 3; i++)
		if (inc->breaches & (1u << i))
			json_array_append_new(breaches, json_string(names[i]));
	for (int a = 0; a < IA__COUNT; a++)
		if (legal & (1u << a))
			json_array_append_new(actions,
					      json_string(incident_action_name(a)));
	review = r->review_json && *r->review_json
			 ? json_loads(r->review_json, 0, NULL) : NULL;
	o = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:i, s:o, s:b, s:I,"
		" s:s, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
		" s:{s:i, s:i, s:i}, s:{s:o, s:o, s:o}, s:o, s:b, s:s, s:s, s:s,"
		" s:s, s:s, s:o, s:o, s:o}",
		"id", (json_int_t)inc->id, "number", r->number,
		"title", r->title ? r->title : "",
		"description", r->description ? r->description : "",
		"impact", r->impact ? r->impact : "", "category", r->category,
		"status", incident_state_name(inc->state),
		"level", r->level_key[0] ? json_string(r->level_key) : json_null(),
		"level_rank", inc->level,
		"proposed_level", r->proposed_level[0]
			? json_string(r->proposed_level) : json_null(),
		"is_drill", inc->is_drill,
		"reporter_id", (json_int_t)r->reporter_id,
		"source", r->source[0] ? r->source : "manual",
		"integration_id", id_or_null(r->integration_id),
		"commander_id", id_or_null(r->commander_id),
		"plan_version_id", (json_int_t)r->plan_version_id,
		"detected_at", json_time(inc->detected_ms),
		"reported_at", json_time(inc->reported_ms),
		"acked_at", json_time(inc->acked_ms),
		"activated_at", json_time(inc->activated_ms),
		"resolved_at", json_time(inc->resolved_ms),
		"closed_at", json_time(inc->closed_ms),
		"reviewed_at", json_time(inc->reviewed_ms),
		"dismissed_at", json_time(inc->dismissed_ms),
		"targets", "ack_min", inc->ack_min, "activate_min",
		inc->activate_min, "resolve_min", inc->resolve_min,
		"deadlines",
		"ack", inc->state == INC_REPORTED
			? deadline(inc->reported_ms, inc->ack_min, 0) : json_null(),
		"activate", inc->state == INC_REPORTED ||
				    inc->state == INC_ACKNOWLEDGED
			? deadline(inc->reported_ms, inc->activate_min, 0)
			: json_null(),
		"resolve", inc->state == INC_ACTIVE
			? deadline(inc->activated_ms, inc->resolve_min, 0)
			: json_null(),
		"breaches", breaches, "public", r->public,
		"public_summary", r->public_summary ? r->public_summary : "",
		"public_title", r->public_title ? r->public_title : "",
		"public_message", r->public_message ? r->public_message : "",
		"summary", r->summary ? r->summary : "",
		"assessment", r->assessment ? r->assessment : "",
		"review", review ? review : json_null(),
		"actions", actions, "updated_at", json_time(r->updated_ms));
	json_object_set_new(o, "regulatory",
			    regulatory_json(r->regulatory, clock_now_ms()));
	json_add_stamp(o, &r->stamp);
	return o;
}

void json_add_stamp(json_t *o, const struct stamp *s)
{
	json_object_set_new(o, "version", json_integer(s->version));
	json_object_set_new(o, "updated_by",
			    s->by ? json_pack("{s:I, s:s}", "id",
					      (json_int_t)s->by, "name",
					      s->by_name)
				  : json_null());
}

char *incident_text(const struct incident_row *r)
{
	struct buf b = BUF_INIT;

	incident_write(&b, r);
	return buf_detach(&b, NULL);
}

char *timeline_text(const struct timeline_entry *e)
{
	struct buf b = BUF_INIT;

	timeline_write(&b, e);
	return buf_detach(&b, NULL);
}

json_t *task_json(const struct task *t)
{
	return task_json_lang(t, NULL);
}

/* t's titles in every language as an object, or NULL when it has one. */
static json_t *task_titles(const struct task *t)
{
	json_t *all = t->titles && *t->titles
			      ? json_loads(t->titles, 0, NULL) : NULL;

	if (json_is_object(all))
		return all;
	json_decref(all);
	return NULL;
}

char *task_title_in(const struct task *t, const char *lang)
{
	json_t *all = task_titles(t);
	char *s = xstrdup(all && lang && *plan_text(all, lang)
				  ? plan_text(all, lang)
				  : t->title ? t->title : "");

	json_decref(all);
	return s;
}

json_t *task_json_lang(const struct task *t, const char *lang)
{
	json_t *all = task_titles(t);
	const char *title = t->title ? t->title : "";
	json_t *o;

	if (all && lang && *plan_text(all, lang))
		title = plan_text(all, lang);
	o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:I,"
			 " s:o, s:o}",
			 "id", (json_int_t)t->id,
			 "incident_id", (json_int_t)t->incident_id,
			 "title", title,
			 "group", t->group_key,
			 "assignee_id", id_or_null(t->assignee_id),
			 "status", task_status_name(t->status),
			 "due_at", json_time(t->due_ms),
			 "notes", t->notes ? t->notes : "",
			 "origin", t->origin,
			 "created_by", (json_int_t)t->created_by,
			 "created_at", json_time(t->created_ms),
			 "updated_at", json_time(t->updated_ms));

	json_add_stamp(o, &t->stamp);
	json_object_set_new(o, "titles", all ? all : json_null());
	return o;
}

json_t *timeline_json(const struct timeline_entry *e)
{
	json_t *data = json_loads(e->data ? e->data : "{}", 0, NULL);
	const char *k = json_string_value(json_object_get(data, "key"));
	json_t *p = json_object_get(data, "params");

	return json_pack("{s:I, s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:o}",
			 "id", (json_int_t)e->id,
			 "incident_id", (json_int_t)e->incident_id,
			 "at", json_time(e->at_ms),
			 "actor_id", id_or_null(e->actor_id),
			 "kind", e->kind, "text", e->text,
			 "key", k ? json_string(k) : json_null(),
			 "params", k && json_is_object(p) ? json_incref(p)
							  : json_null(),
			 "data", data ? data : json_object());
}

const char *json_ref(const json_t *obj, const char *key, char buf[24])
{
	json_t *v = json_object_get(obj, key);

	if (!json_is_integer(v))
		return json_string_value(v);
	snprintf(buf, 24, "%lld", (long long)json_integer_value(v));
	return buf;
}
