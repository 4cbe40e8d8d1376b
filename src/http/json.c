/*
 * json.c - input checks and encoders.
 */
#include "http/json.h"

#include <stdio.h>
#include <string.h>

#include "util/clock.h"

static const char *const type_names[] = {
	[JT_STRING] = " must be a string", [JT_INT] = " must be an integer",
	[JT_BOOL] = " must be true or false", [JT_ARRAY] = " must be an array",
	[JT_OBJECT] = " must be an object",
	[JT_REF] = " must be an id or a name (a string or a positive integer)",
};

static bool type_ok(const json_t *v, enum jtype t)
{
	switch (t) {
	case JT_STRING:	return json_is_string(v);
	case JT_INT:	return json_is_integer(v);
	case JT_BOOL:	return json_is_boolean(v);
	case JT_ARRAY:	return json_is_array(v);
	case JT_OBJECT:	return json_is_object(v);
	case JT_REF:	return json_is_string(v) || (json_is_integer(v) &&
						     json_integer_value(v) > 0);
	}
	return false;
}

/* "<pre> '<field>'<post>", e.g. "field 'login' must be a string". */
static int field_err(struct errbuf *e, const char *code, const char *field,
		     const char *pre, const char *post)
{
	errbuf_set(e, code, "%s '%s'%s", pre, field, post);
	errbuf_field(e, field);
	return ERMS_EINVAL;
}

json_t *json_body(const char *data, size_t len, json_error_t *je)
{
	return json_loadb(data, len, JSON_REJECT_DUPLICATES, je);
}

int json_check(const json_t *obj, const struct jfield *f, size_t n,
	       struct errbuf *e)
{
	const char *key;
	json_t *v;

	if (obj && !json_is_object(obj))
		return err_ret(e, ERMS_EINVAL, "wrong_type",
			       "the body must be a JSON object");
	json_object_foreach((json_t *)obj, key, v) {
		size_t i;

		for (i = 0; i < n && strcmp(f[i].name, key); i++)
			;
		if (i == n)
			return field_err(e, "unknown_field", key,
					 "unknown field", "");
	}
	for (size_t i = 0; i < n; i++) {
		v = obj ? json_object_get(obj, f[i].name) : NULL;
		if (!v) {
			if (f[i].required)
				return field_err(e, "missing_field", f[i].name,
						 "missing field", "");
			continue;
		}
		if (f[i].nullable && json_is_null(v))
			continue;
		if (!type_ok(v, f[i].type))
			return field_err(e, "wrong_type", f[i].name,
					 "field", type_names[f[i].type]);
		if (json_is_string(v)) {
			size_t len = json_string_length(v);

			if ((f[i].max && len > f[i].max) || len < f[i].min)
				return field_err(e, "invalid", f[i].name,
						 "field", " has a bad length");
		}
		if (f[i].type == JT_INT && (f[i].max || f[i].min)) {
			json_int_t x = json_integer_value(v);

			if (x < (json_int_t)f[i].min ||
			    (f[i].max && x > (json_int_t)f[i].max))
				return field_err(e, "invalid", f[i].name,
						 "field", " is out of range");
		}
	}
	return 0;
}

const char *jstr(const json_t *obj, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : dflt;
}

int64_t jint(const json_t *obj, const char *key, int64_t dflt)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : dflt;
}

bool jbool(const json_t *obj, const char *key, bool dflt)
{
	json_t *v = json_object_get(obj, key);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

bool jhas(const json_t *obj, const char *key)
{
	return obj && json_object_get(obj, key);
}

void jcopy(char *dst, size_t n, const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	if (s)
		snprintf(dst, n, "%s", s);
}

json_t *json_user(const struct user *u)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:o,"
			 " s:o}",
			 "id", (json_int_t)u->id, "login", u->login,
			 "display_name", u->display_name, "email", u->email,
			 "phone", u->phone, "locale", u->locale,
			 "time_zone", u->time_zone,
			 "is_admin", u->is_admin, "disabled", u->disabled,
			 "created_at", json_time(u->created_ms),
			 "updated_at", json_time(u->updated_ms));
}

json_t *json_string_array(const char *text)
{
	json_t *a = json_loads(text ? text : "[]", 0, NULL);

	if (!json_is_array(a)) {
		json_decref(a);
		return NULL;
	}
	return a;
}

json_t *json_group(const struct group *g, json_t *members)
{
	json_t *duties = json_string_array(g->duties_json);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}",
			      "id", (json_int_t)g->id, "key", g->key,
			      "name", g->name, "kind", group_kind_name(g->kind),
			      "duties", duties ? duties : json_array(),
			      "created_at", json_time(g->created_ms),
			      "updated_at", json_time(g->updated_ms));

	if (members)
		json_object_set_new(o, "members", members);
	return o;
}

json_t *json_token(const struct token_info *t)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:b}",
			 "id", (json_int_t)t->id, "name", t->name,
			 "kind", t->feed ? "feed" : "api",
			 "user_id", (json_int_t)t->user_id,
			 "created_at", json_time(t->created_ms),
			 "last_used_at", json_time(t->last_used_ms),
			 "expires_at", json_time(t->expires_ms),
			 "revoked", t->revoked);
}

json_t *json_audit(const struct audit_row *r)
{
	return json_pack("{s:I, s:o, s:I, s:s, s:s, s:s, s:s, s:s}",
			 "id", (json_int_t)r->id, "at", json_time(r->at_ms),
			 "actor_id", (json_int_t)r->actor_id,
			 "action", r->action, "object", r->object,
			 "summary", r->summary, "prev_hash", r->prev_hash,
			 "hash", r->hash);
}
