/*
 * intake-conf.c - an integration's group_by, rules and maintenance
 * windows: checked, normalised and compiled (intake-conf.h).
 */
#include "app/intake-conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/xalloc.h"

#define FIELD_MAX 128
#define PRE_MAX 40

static int bad(struct errbuf *e, const char *field, const char *fmt,
	       const char *what)
{
	errbuf_set(e, "invalid", fmt, field, what);
	errbuf_field(e, field);
	return ERMS_EINVAL;
}

static int wrong_type(struct errbuf *e, const char *field, const char *want)
{
	errbuf_set(e, "wrong_type", "%s must be %s", field, want);
	errbuf_field(e, field);
	return ERMS_EINVAL;
}

/* A label name: [a-zA-Z_][a-zA-Z0-9_]*, at most ALERT_NAME_MAX bytes. */
static bool label_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > ALERT_NAME_MAX || (*s >= '0' && *s <= '9'))
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* A text member of o that may be absent or null: *out NULL then. */
static int opt_text(const json_t *o, const char *key, const char *pre,
		    size_t max, const char **out, struct errbuf *e)
{
	const json_t *v = json_object_get(o, key);
	char field[FIELD_MAX];

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	snprintf(field, sizeof(field), "%s.%s", pre, key);
	if (!json_is_string(v))
		return wrong_type(e, field, "a string or null");
	if (json_string_length(v) > max)
		return bad(e, field, "%s: %s", "too long");
	*out = json_string_value(v);
	return 0;
}

/* Only the members of names[] in o. */
static int only(const json_t *o, const char *const *names, const char *pre,
		struct errbuf *e)
{
	const char *k;
	const json_t *v;
	char field[FIELD_MAX];

	json_object_foreach((json_t *)o, k, v) {
		bool known = false;

		for (size_t i = 0; names[i] && !known; i++)
			known = !strcmp(names[i], k);
		if (!known) {
			snprintf(field, sizeof(field), "%s.%s", pre, k);
			errbuf_set(e, "unknown_field", "unknown field %s",
				   field);
			errbuf_field(e, field);
			return ERMS_EINVAL;
		}
	}
	return 0;
}

int intake_conf_group_by(const json_t *a, struct intake_conf *c,
			 json_t **norm, struct errbuf *e)
{
	size_t i;
	const json_t *v;

	if (norm)
		*norm = NULL;
	if (!json_is_array(a))
		return wrong_type(e, "group_by", "an array of label names");
	if (json_array_size(a) > INTAKE_GROUP_BY_MAX)
		return bad(e, "group_by", "%s: %s", "at most 16 label names");
	json_array_foreach(a, i, v) {
		char field[FIELD_MAX];

		snprintf(field, sizeof(field), "group_by[%zu]", i);
		if (!json_is_string(v))
			return wrong_type(e, field, "a label name");
		if (!label_name_ok(json_string_value(v)))
			return bad(e, field, "%s: %s",
				   "not a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
	}
	if (c) {
		c->ngroup_by = json_array_size(a);
		c->group_by = xcalloc(c->ngroup_by + 1, sizeof(char *));
		json_array_foreach(a, i, v)
			c->group_by[i] = xstrdup(json_string_value(v));
	}
	if (norm)
		*norm = json_deep_copy(a);
	return 0;
}

/* The matchers of o (member "matchers", an array of texts) into m
 * (may be NULL) and a copy into *norm. */
static int parse_matchers(const json_t *o, const char *pre, bool required,
			  struct matchers *m, json_t **norm, struct errbuf *e)
{
	const json_t *a = json_object_get(o, "matchers");
	const char *texts[ALERT_MATCHERS_MAX];
	struct matchers tmp;
	char field[FIELD_MAX];
	size_t i;
	const json_t *v;
	int rc;

	snprintf(field, sizeof(field), "%s.matchers", pre);
	if (!a && !required) {
		*norm = json_array();
		if (m)
			*m = (struct matchers){ 0 };
		return 0;
	}
	if (!json_is_array(a))
		return wrong_type(e, field, "an array of matchers");
	if (json_array_size(a) > ALERT_MATCHERS_MAX)
		return bad(e, field, "%s: %s", "at most 32 matchers");
	if (required && !json_array_size(a))
		return bad(e, field, "%s: %s", "at least one matcher");
	json_array_foreach(a, i, v) {
		if (!json_is_string(v)) {
			snprintf(field, sizeof(field), "%s.matchers[%zu]", pre,
				 i);
			return wrong_type(e, field, "a matcher text");
		}
		texts[i] = json_string_value(v);
	}
	if ((rc = matchers_parse(&tmp, texts, json_array_size(a), e))) {
		char sub[PRE_MAX + 32];

		if (e) {
			snprintf(sub, sizeof(sub), "%s", e->field);
			snprintf(field, sizeof(field), "%s.%s", pre, sub);
			errbuf_field(e, field);
		}
		return rc;
	}
	if (m)
		*m = tmp;
	else
		matchers_release(&tmp);
	*norm = json_deep_copy(a);
	return 0;
}

static void rule_release(struct intake_rule *r)
{
	matchers_release(&r->match);
	free(r->category);
	free(r->level);
	free(r->title);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

int intake_conf_rules(const json_t *a, const struct plan *plan,
		      struct intake_conf *c, json_t **norm,
		      struct errbuf *e)
{
	static const char *const names[] = { "matchers", "category", "level",
					     "title", "drop", NULL };
	json_t *out;
	size_t i;
	const json_t *o;

	if (norm)
		*norm = NULL;
	if (!json_is_array(a))
		return wrong_type(e, "rules", "an array of rules");
	if (json_array_size(a) > INTAKE_RULES_MAX)
		return bad(e, "rules", "%s: %s", "at most 100 rules");
	out = json_array();
	if (c) {
		c->rules = xcalloc(json_array_size(a) + 1, sizeof(*c->rules));
		c->nrules = 0;
	}
	json_array_foreach(a, i, o) {
		char pre[PRE_MAX], field[FIELD_MAX];
		const char *cat, *level, *title;
		const json_t *drop;
		struct intake_rule r = { 0 };
		json_t *m;
		int rc;

		snprintf(pre, sizeof(pre), "rules[%zu]", i);
		if (!json_is_object(o)) {
			json_decref(out);
			return wrong_type(e, pre, "an object");
		}
		drop = json_object_get(o, "drop");
		snprintf(field, sizeof(field), "%s.drop", pre);
		rc = only(o, names, pre, e);
		if (!rc && drop && !json_is_boolean(drop))
			rc = wrong_type(e, field, "true or false");
		if (!rc)
			rc = opt_text(o, "category", pre, KEY_MAX, &cat, e);
		if (!rc)
			rc = opt_text(o, "level", pre, KEY_MAX, &level, e);
		if (!rc)
			rc = opt_text(o, "title", pre, INTAKE_TEXT_MAX, &title,
				      e);
		if (!rc && cat && plan && !plan_category(plan, cat)) {
			snprintf(field, sizeof(field), "%s.category", pre);
			rc = bad(e, field, "%s: %s",
				 "not a category of the plan in force");
		}
		if (!rc && level && plan && !plan_level(plan, level)) {
			snprintf(field, sizeof(field), "%s.level", pre);
			rc = bad(e, field, "%s: %s",
				 "not a level of the plan in force");
		}
		if (!rc && title && template_check(title, e)) {
			snprintf(field, sizeof(field), "%s.title", pre);
			errbuf_field(e, field);
			rc = ERMS_EINVAL;
		}
		if (!rc)
			rc = parse_matchers(o, pre, true, c ? &r.match : NULL,
					    &m, e);
		if (rc) {
			json_decref(out);
			return rc;
		}
		json_array_append_new(
		    out, json_pack("{s:o, s:o, s:o, s:o, s:b}", "matchers", m,
				   "category", str_or_null(cat), "level",
				   str_or_null(level), "title",
				   str_or_null(title), "drop",
				   json_is_true(drop)));
		if (c) {
			r.category = dup_or_null(cat);
			r.level = dup_or_null(level);
			r.title = dup_or_null(title);
			r.drop = json_is_true(drop);
			c->rules[c->nrules++] = r;
		}
	}
	if (norm)
		*norm = out;
	else
		json_decref(out);
	return 0;
}

/* A time member of o: RFC 3339. */
static int time_member(const json_t *o, const char *key, const char *pre,
		       int64_t *ms, struct errbuf *e)
{
	const json_t *v = json_object_get(o, key);
	char field[FIELD_MAX];

	snprintf(field, sizeof(field), "%s.%s", pre, key);
	if (!v) {
		errbuf_set(e, "missing_field", "%s is required", field);
		errbuf_field(e, field);
		return ERMS_EINVAL;
	}
	if (!json_is_string(v))
		return wrong_type(e, field, "an RFC 3339 time");
	if (time_parse(json_string_value(v), ms))
		return bad(e, field, "%s: %s", "not an RFC 3339 time");
	return 0;
}

int intake_conf_maintenance(const json_t *a, struct intake_conf *c,
			    json_t **norm, struct errbuf *e)
{
	static const char *const names[] = { "matchers", "starts_at",
					     "ends_at", "reason", NULL };
	json_t *out;
	size_t i;
	const json_t *o;

	if (norm)
		*norm = NULL;
	if (!json_is_array(a))
		return wrong_type(e, "maintenance", "an array of windows");
	if (json_array_size(a) > INTAKE_WINDOWS_MAX)
		return bad(e, "maintenance", "%s: %s", "at most 100 windows");
	out = json_array();
	if (c) {
		c->windows = xcalloc(json_array_size(a) + 1,
				     sizeof(*c->windows));
		c->nwindows = 0;
	}
	json_array_foreach(a, i, o) {
		char pre[PRE_MAX], field[FIELD_MAX], t0[32], t1[32];
		struct window w = { 0 };
		const char *reason = NULL;
		json_t *m = NULL;
		int rc;

		snprintf(pre, sizeof(pre), "maintenance[%zu]", i);
		if (!json_is_object(o)) {
			json_decref(out);
			return wrong_type(e, pre, "an object");
		}
		rc = only(o, names, pre, e);
		if (!rc)
			rc = time_member(o, "starts_at", pre, &w.start_ms, e);
		if (!rc)
			rc = time_member(o, "ends_at", pre, &w.end_ms, e);
		if (!rc && w.end_ms <= w.start_ms) {
			snprintf(field, sizeof(field), "%s.ends_at", pre);
			rc = bad(e, field, "%s: %s", "must be after starts_at");
		}
		if (!rc)
			rc = opt_text(o, "reason", pre, INTAKE_TEXT_MAX,
				      &reason, e);
		if (!rc)
			rc = parse_matchers(o, pre, false, c ? &w.match : NULL,
					    &m, e);
		if (rc) {
			json_decref(out);
			return rc;
		}
		time_fmt(w.start_ms, t0);
		time_fmt(w.end_ms, t1);
		json_array_append_new(
		    out, json_pack("{s:o, s:s, s:s, s:s}", "matchers", m,
				   "starts_at", t0, "ends_at", t1, "reason",
				   reason ? reason : ""));
		if (c)
			c->windows[c->nwindows++] = w;
	}
	if (norm)
		*norm = out;
	else
		json_decref(out);
	return 0;
}

/* Parse stored JSON text: a row that does not parse is a bug. */
static json_t *load_text(const char *s)
{
	json_t *v = json_loads(s ? s : "[]", 0, NULL);

	return v ? v : json_array();
}

int intake_conf_load(const struct integration_row *r, struct intake_conf *c,
		     struct errbuf *e)
{
	json_t *g = load_text(r->group_by), *ru = load_text(r->rules),
	       *mw = load_text(r->maintenance);
	int rc;

	*c = (struct intake_conf){ 0 };
	rc = intake_conf_group_by(g, c, NULL, e);
	if (!rc)
		rc = intake_conf_rules(ru, NULL, c, NULL, e);
	if (!rc)
		rc = intake_conf_maintenance(mw, c, NULL, e);
	json_decref(g);
	json_decref(ru);
	json_decref(mw);
	if (rc)
		intake_conf_release(c);
	return rc;
}

void intake_conf_release(struct intake_conf *c)
{
	for (size_t i = 0; i < c->ngroup_by; i++)
		free(c->group_by[i]);
	free(c->group_by);
	for (size_t i = 0; i < c->nrules; i++)
		rule_release(&c->rules[i]);
	free(c->rules);
	for (size_t i = 0; i < c->nwindows; i++)
		matchers_release(&c->windows[i].match);
	free(c->windows);
	*c = (struct intake_conf){ 0 };
}

const struct intake_rule *intake_conf_route(const struct intake_conf *c,
					    const struct label_set *s)
{
	for (size_t i = 0; i < c->nrules; i++)
		if (matchers_match(&c->rules[i].match, s))
			return &c->rules[i];
	return NULL;
}

bool intake_conf_held(const struct intake_conf *c, const struct label_set *s,
		      int64_t now_ms)
{
	for (size_t i = 0; i < c->nwindows; i++)
		if (window_covers(&c->windows[i], s, now_ms))
			return true;
	return false;
}

#define CONF_KEPT 16

struct conf_entry {
	int64_t id;			/* 0: free */
	char *group_by, *rules, *maintenance;	/* the texts compiled */
	struct intake_conf c;
	uint64_t used;
};

struct intake_conf_cache {
	struct conf_entry e[CONF_KEPT];
	uint64_t tick;
};

struct intake_conf_cache *intake_conf_cache_new(void)
{
	return xcalloc(1, sizeof(struct intake_conf_cache));
}

static void entry_clear(struct conf_entry *x)
{
	if (x->id)
		intake_conf_release(&x->c);
	free(x->group_by);
	free(x->rules);
	free(x->maintenance);
	*x = (struct conf_entry){ 0 };
}

void intake_conf_cache_free(struct intake_conf_cache *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < CONF_KEPT; i++)
		entry_clear(&k->e[i]);
	free(k);
}

static bool same_text(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

int intake_conf_cached(struct intake_conf_cache *k,
		       const struct integration_row *r,
		       const struct intake_conf **c, struct errbuf *e)
{
	struct conf_entry *x = NULL, *lru = &k->e[0];
	int rc;

	for (size_t i = 0; i < CONF_KEPT; i++) {
		if (k->e[i].id == r->id) {
			x = &k->e[i];
			break;
		}
		if (k->e[i].used < lru->used)
			lru = &k->e[i];
	}
	if (x && same_text(x->group_by, r->group_by) &&
	    same_text(x->rules, r->rules) &&
	    same_text(x->maintenance, r->maintenance)) {
		x->used = ++k->tick;
		*c = &x->c;
		return 0;
	}
	if (!x)
		x = lru;
	entry_clear(x);
	if ((rc = intake_conf_load(r, &x->c, e)))
		return rc;
	x->id = r->id;
	x->group_by = xstrdup(r->group_by ? r->group_by : "");
	x->rules = xstrdup(r->rules ? r->rules : "");
	x->maintenance = xstrdup(r->maintenance ? r->maintenance : "");
	x->used = ++k->tick;
	*c = &x->c;
	return 0;
}
