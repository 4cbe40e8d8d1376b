/*
 * codec.c - the JSON shape of incidents, tasks and timeline entries.
 */
#include "app/codec.h"

#include <stdio.h>

#include "util/buf.h"
#include "util/clock.h"

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
	json_t *breaches = json_array(), *actions = json_array(), *review;
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
	return json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:i, s:o, s:b, s:I,"
		" s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
		" s:{s:i, s:i, s:i}, s:{s:o, s:o, s:o}, s:o, s:b, s:s, s:s, s:o,"
		" s:o, s:o}",
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
		"summary", r->summary ? r->summary : "",
		"review", review ? review : json_null(),
		"actions", actions, "updated_at", json_time(r->updated_ms));
}

/* s as a JSON string: quotes, backslash and control characters escaped;
 * UTF-8 as it is (as json_dumps() writes it). */
static void text_str(struct buf *b, const char *s)
{
	const char *run = s;

	buf_add(b, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, run, (size_t)(s - run));
		if (c == '"' || c == '\\')
			buf_add(b, c == '"' ? "\\\"" : "\\\\", 2);
		else if (c == '\n')
			buf_add(b, "\\n", 2);
		else if (c == '\t')
			buf_add(b, "\\t", 2);
		else if (c == '\r')
			buf_add(b, "\\r", 2);
		else
			buf_addf(b, "\\u%04x", c);
		run = s + 1;
	}
	buf_add(b, run, (size_t)(s - run));
	buf_add(b, "\"", 1);
}

/* ,"key": (printf would cost more than the rest of the text). */
static void text_key(struct buf *b, const char *key)
{
	buf_add(b, ",\"", 2);
	buf_adds(b, key);
	buf_add(b, "\":", 2);
}

static void text_digits(struct buf *b, int64_t v)
{
	char d[24], *p = d + sizeof(d);
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(d + sizeof(d) - p));
}

/* ,"key":v */
static void text_int(struct buf *b, const char *key, int64_t v)
{
	text_key(b, key);
	text_digits(b, v);
}

/* ,"key": then s as a string, or null when s is NULL. */
static void text_key_str(struct buf *b, const char *key, const char *s)
{
	text_key(b, key);
	if (s)
		text_str(b, s);
	else
		buf_add(b, "null", 4);
}

/* The times of one incident are mostly the same few: the last one
 * formatted is kept. */
struct times {
	int64_t ms;
	char t[32];
};

/* Time ms as a string, or null when 0. */
static void text_time(struct buf *b, struct times *c, int64_t ms)
{
	if (!ms) {
		buf_add(b, "null", 4);
		return;
	}
	if (c->ms != ms) {
		time_fmt(ms, c->t);
		c->ms = ms;
	}
	buf_add(b, "\"", 1);
	buf_adds(b, c->t);
	buf_add(b, "\"", 1);
}

/* ,"key": then time ms (0: null). */
static void text_key_time(struct buf *b, struct times *c, const char *key,
			  int64_t ms)
{
	text_key(b, key);
	text_time(b, c, ms);
}

static int64_t deadline_ms(int64_t start, int min, int64_t done)
{
	return start && min > 0 && !done ? start + min * 60000LL : 0;
}

/* ,"key":[the names of the bits of set, by name(bit)]. */
static void text_names(struct buf *b, const char *key, unsigned set,
		       int n, const char *(*name)(int))
{
	const char *sep = "\"";

	text_key(b, key);
	buf_add(b, "[", 1);
	for (int i = 0; i < n; i++)
		if (set & (1u << i)) {
			buf_adds(b, sep);
			buf_adds(b, name(i));
			buf_add(b, "\"", 1);
			sep = ",\"";
		}
	buf_add(b, "]", 1);
}

static const char *breach_name(int i)
{
	static const char *const names[] = { "ack", "activate", "resolve" };

	return names[i];
}

static const char *step_name(int a)
{
	return incident_action_name(a);
}

char *incident_text(const struct incident_row *r)
{
	const struct incident *inc = &r->inc;
	struct times c = { 0 };
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"id\":");
	text_digits(&b, inc->id);
	text_key_str(&b, "number", r->number);
	text_key_str(&b, "title", r->title ? r->title : "");
	text_key_str(&b, "description", r->description ? r->description : "");
	text_key_str(&b, "impact", r->impact ? r->impact : "");
	text_key_str(&b, "category", r->category);
	text_key_str(&b, "status", incident_state_name(inc->state));
	text_key_str(&b, "level", r->level_key[0] ? r->level_key : NULL);
	text_int(&b, "level_rank", inc->level);
	text_key_str(&b, "proposed_level",
		     r->proposed_level[0] ? r->proposed_level : NULL);
	text_key(&b, "is_drill");
	buf_adds(&b, inc->is_drill ? "true" : "false");
	text_int(&b, "reporter_id", r->reporter_id);
	if (r->commander_id)
		text_int(&b, "commander_id", r->commander_id);
	else
		text_key_str(&b, "commander_id", NULL);
	text_int(&b, "plan_version_id", r->plan_version_id);
	text_key_time(&b, &c, "detected_at", inc->detected_ms);
	text_key_time(&b, &c, "reported_at", inc->reported_ms);
	text_key_time(&b, &c, "acked_at", inc->acked_ms);
	text_key_time(&b, &c, "activated_at", inc->activated_ms);
	text_key_time(&b, &c, "resolved_at", inc->resolved_ms);
	text_key_time(&b, &c, "closed_at", inc->closed_ms);
	text_key_time(&b, &c, "reviewed_at", inc->reviewed_ms);
	text_key_time(&b, &c, "dismissed_at", inc->dismissed_ms);
	text_key(&b, "targets");
	buf_adds(&b, "{\"ack_min\":");
	text_digits(&b, inc->ack_min);
	text_int(&b, "activate_min", inc->activate_min);
	text_int(&b, "resolve_min", inc->resolve_min);
	buf_add(&b, "}", 1);
	text_key(&b, "deadlines");
	buf_adds(&b, "{\"ack\":");
	text_time(&b, &c, inc->state == INC_REPORTED
		  ? deadline_ms(inc->reported_ms, inc->ack_min, 0) : 0);
	text_key_time(&b, &c, "activate", inc->state == INC_REPORTED ||
					      inc->state == INC_ACKNOWLEDGED
		      ? deadline_ms(inc->reported_ms, inc->activate_min, 0)
		      : 0);
	text_key_time(&b, &c, "resolve", inc->state == INC_ACTIVE
		      ? deadline_ms(inc->activated_ms, inc->resolve_min, 0)
		      : 0);
	buf_add(&b, "}", 1);
	text_names(&b, "breaches", inc->breaches, 3, breach_name);
	text_key(&b, "public");
	buf_adds(&b, r->public ? "true" : "false");
	text_key_str(&b, "public_summary",
		     r->public_summary ? r->public_summary : "");
	text_key_str(&b, "summary", r->summary ? r->summary : "");
	/* The review was stored as compact JSON (json_dumps): as it is. */
	text_key(&b, "review");
	buf_adds(&b, r->review_json && *r->review_json ? r->review_json
						       : "null");
	text_names(&b, "actions", incident_actions(inc->state), IA__COUNT,
		   step_name);
	text_key_time(&b, &c, "updated_at", r->updated_ms);
	buf_add(&b, "}", 1);
	return buf_detach(&b, NULL);
}

char *timeline_text(const struct timeline_entry *e)
{
	struct times c = { 0 };
	struct buf b = BUF_INIT;

	buf_adds(&b, "{\"id\":");
	text_digits(&b, e->id);
	text_int(&b, "incident_id", e->incident_id);
	text_key_time(&b, &c, "at", e->at_ms);
	if (e->actor_id)
		text_int(&b, "actor_id", e->actor_id);
	else
		text_key_str(&b, "actor_id", NULL);
	text_key_str(&b, "kind", e->kind);
	text_key_str(&b, "text", e->text);
	text_key(&b, "data");
	buf_adds(&b, e->data && *e->data ? e->data : "{}");
	buf_add(&b, "}", 1);
	return buf_detach(&b, NULL);
}

json_t *task_json(const struct task *t)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:o, s:s, s:s, s:I,"
			 " s:o, s:o}",
			 "id", (json_int_t)t->id,
			 "incident_id", (json_int_t)t->incident_id,
			 "title", t->title ? t->title : "",
			 "group", t->group_key,
			 "assignee_id", id_or_null(t->assignee_id),
			 "status", task_status_name(t->status),
			 "due_at", json_time(t->due_ms),
			 "notes", t->notes ? t->notes : "",
			 "origin", t->origin,
			 "created_by", (json_int_t)t->created_by,
			 "created_at", json_time(t->created_ms),
			 "updated_at", json_time(t->updated_ms));
}

json_t *timeline_json(const struct timeline_entry *e)
{
	json_t *data = json_loads(e->data ? e->data : "{}", 0, NULL);

	return json_pack("{s:I, s:I, s:o, s:o, s:s, s:s, s:o}",
			 "id", (json_int_t)e->id,
			 "incident_id", (json_int_t)e->incident_id,
			 "at", json_time(e->at_ms),
			 "actor_id", id_or_null(e->actor_id),
			 "kind", e->kind, "text", e->text,
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
