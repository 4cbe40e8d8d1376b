/*
 * model.c - building and freeing the typed plan.
 */
#include "plan/model.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* content[key] as a string, or "" when missing or not a string. */
static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static int integer(const json_t *o, const char *key, int dflt)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (int)json_integer_value(v) : dflt;
}

/* The items of o[key]: the array, or NULL (with *n = 0) when absent;
 * *bad when present and not an array of objects. */
static const json_t *list(const json_t *o, const char *key, size_t *n,
			  bool *bad)
{
	const json_t *a = json_object_get(o, key), *v;
	size_t i;

	*n = 0;
	if (!a)
		return NULL;
	if (!json_is_array(a)) {
		*bad = true;
		return NULL;
	}
	json_array_foreach(a, i, v)
		if (!json_is_object(v))
			*bad = true;
	*n = json_array_size(a);
	return a;
}

/* The strings of o[key] (a list of keys), a new array (NULL when none). */
static const char *const *keys(const json_t *o, const char *key, size_t *n,
			       bool *bad)
{
	const json_t *a = json_object_get(o, key), *v;
	const char **out;
	size_t i;

	*n = 0;
	if (!a)
		return NULL;
	if (!json_is_array(a)) {
		*bad = true;
		return NULL;
	}
	*n = json_array_size(a);
	out = xcalloc(*n ? *n : 1, sizeof(*out));
	json_array_foreach(a, i, v) {
		out[i] = json_string_value(v);
		if (!out[i])
			*bad = true, out[i] = "";
	}
	return out;
}

static void build_groups(struct plan *p, bool *bad)
{
	const json_t *a = list(p->content, "groups", &p->ngroups, bad), *v;
	struct plan_group *g = xcalloc(p->ngroups + 1, sizeof(*g));
	size_t i;

	json_array_foreach(a, i, v) {
		const json_t *d = json_object_get(v, "duties"), *t;
		const json_t **duties;
		size_t j;

		if (d && !json_is_array(d))
			*bad = true;
		duties = xcalloc(json_array_size(d) + 1, sizeof(*duties));
		json_array_foreach(d, j, t)
			duties[j] = t;
		g[i] = (struct plan_group){ .key = str(v, "key"),
					    .kind = str(v, "kind"),
					    .name = json_object_get(v, "name"),
					    .duties = duties,
					    .nduties = json_array_size(d) };
	}
	p->groups = g;
}

static void build_categories(struct plan *p, bool *bad)
{
	const json_t *a = list(p->content, "categories", &p->ncategories, bad);
	struct plan_category *c = xcalloc(p->ncategories + 1, sizeof(*c));
	const json_t *v;
	size_t i;

	json_array_foreach(a, i, v)
		c[i] = (struct plan_category){
			.key = str(v, "key"), .team = str(v, "team"),
			.parent = str(v, "parent"),
			.class_code = str(v, "class"),
			.name = json_object_get(v, "name") };
	p->categories = c;
}

static void build_level(struct plan_level *l, const json_t *v, bool *bad)
{
	const json_t *t = json_object_get(v, "targets"), *ms, *m;
	struct plan_measure *out;
	size_t i;

	l->key = str(v, "key");
	l->rank = integer(v, "rank", 0);
	l->national_level = str(v, "national_level");
	l->name = json_object_get(v, "name");
	l->targets = (struct plan_targets){
		.ack_min = integer(t, "ack_min", 0),
		.activate_min = integer(t, "activate_min", 0),
		.resolve_min = integer(t, "resolve_min", 0) };
	ms = list(v, "measures", &l->nmeasures, bad);
	out = xcalloc(l->nmeasures + 1, sizeof(*out));
	json_array_foreach(ms, i, m)
		out[i] = (struct plan_measure){
			.group = str(m, "group"),
			.title = json_object_get(m, "title") };
	l->measures = out;
	l->notify = keys(v, "notify", &l->nnotify, bad);
}

static void build_levels(struct plan *p, bool *bad)
{
	const json_t *a = list(p->content, "levels", &p->nlevels, bad), *v;
	struct plan_level *l = xcalloc(p->nlevels + 1, sizeof(*l));
	size_t i;

	json_array_foreach(a, i, v)
		build_level(&l[i], v, bad);
	p->levels = l;
}

static void build_tiers(struct plan *p, bool *bad)
{
	const json_t *a = list(p->content, "escalation", &p->ntiers, bad), *v;
	struct plan_tier *t = xcalloc(p->ntiers + 1, sizeof(*t));
	size_t i;

	json_array_foreach(a, i, v) {
		t[i].after_min = integer(v, "after_min", 0);
		t[i].who = json_object_get(v, "who") ? str(v, "who")
						     : "all";
		t[i].notify = keys(v, "notify", &t[i].nnotify, bad);
	}
	p->tiers = t;
}

static void build_rest(struct plan *p, bool *bad)
{
	const json_t *a = list(p->content, "drills", &p->ndrills, bad), *v;
	struct plan_drill_rule *d = xcalloc(p->ndrills + 1, sizeof(*d));
	struct plan_section *s;
	size_t i;

	json_array_foreach(a, i, v)
		d[i] = (struct plan_drill_rule){
			.category = str(v, "category"),
			.per_year = integer(v, "per_year", 0),
			.kind = json_object_get(v, "kind") ? str(v, "kind")
							   : "any" };
	p->drills = d;
	a = list(p->content, "sections", &p->nsections, bad);
	s = xcalloc(p->nsections + 1, sizeof(*s));
	json_array_foreach(a, i, v)
		s[i] = (struct plan_section){
			.key = str(v, "key"),
			.title = json_object_get(v, "title"),
			.body = json_object_get(v, "body") };
	p->sections = s;
}

static void plan_free(struct plan *p)
{
	for (size_t i = 0; i < p->ngroups; i++)
		free((void *)p->groups[i].duties);
	for (size_t i = 0; i < p->nlevels; i++) {
		free((void *)p->levels[i].measures);
		free((void *)p->levels[i].notify);
	}
	for (size_t i = 0; i < p->ntiers; i++)
		free((void *)p->tiers[i].notify);
	free((void *)p->groups);
	free((void *)p->categories);
	free((void *)p->levels);
	free((void *)p->tiers);
	free((void *)p->drills);
	free((void *)p->sections);
	json_decref((json_t *)p->content);
	free(p);
}

struct plan *plan_build(json_t *content, int64_t version_id)
{
	struct plan *p;
	bool bad = !json_is_object(content);

	if (bad)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->version_id = version_id;
	p->content = json_incref(content);
	p->key = str(content, "key");
	p->name = json_object_get(content, "name");
	p->cooling_off_h = integer(content, "cooling_off_h", -1);
	p->remind_after_days = integer(json_object_get(content,
						       "acknowledgement"),
				       "remind_after_days", 0);
	build_groups(p, &bad);
	build_categories(p, &bad);
	build_levels(p, &bad);
	build_tiers(p, &bad);
	build_rest(p, &bad);
	atomic_init(&p->refs, 1);
	if (bad) {
		plan_free(p);
		return NULL;
	}
	return p;
}

const struct plan *plan_ref(const struct plan *p)
{
	atomic_fetch_add(&((struct plan *)p)->refs, 1);
	return p;
}

void plan_unref(const struct plan *p)
{
	if (p && atomic_fetch_sub(&((struct plan *)p)->refs, 1) == 1)
		plan_free((struct plan *)p);
}

const struct plan_group *plan_group(const struct plan *p, const char *key)
{
	for (size_t i = 0; i < p->ngroups; i++)
		if (!strcmp(p->groups[i].key, key))
			return &p->groups[i];
	return NULL;
}

const struct plan_category *plan_category(const struct plan *p,
					  const char *key)
{
	for (size_t i = 0; i < p->ncategories; i++)
		if (!strcmp(p->categories[i].key, key))
			return &p->categories[i];
	return NULL;
}

const struct plan_level *plan_level(const struct plan *p, const char *key)
{
	for (size_t i = 0; i < p->nlevels; i++)
		if (!strcmp(p->levels[i].key, key))
			return &p->levels[i];
	return NULL;
}

const struct plan_level *plan_level_rank(const struct plan *p, int rank)
{
	for (size_t i = 0; i < p->nlevels; i++)
		if (p->levels[i].rank == rank)
			return &p->levels[i];
	return NULL;
}
