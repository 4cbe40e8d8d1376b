/*
 * check.c - the second pass of plan_parse(): meaning over the JSON
 * (duplicate keys, references to groups and categories, ranks 1..N, the
 * reporting chain's order), each problem placed where its value was read.
 */
#include "plan/parse.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* The items of list by key: a new object mapping each key to its first
 * item (borrowed), so that references are looked up in constant time. */
static json_t *index_of(const json_t *list)
{
	json_t *idx = json_object(), *v;
	size_t i;

	json_array_foreach(list, i, v) {
		const char *k = json_string_value(json_object_get(v, "key"));

		if (k && !json_object_get(idx, k))
			json_object_set_new(idx, k, json_integer((json_int_t)i));
	}
	return idx;
}

/* The item of list with key, by list's index_of() idx; NULL if none. */
static json_t *find_key(const json_t *list, const json_t *idx,
			const char *key)
{
	json_t *i = json_object_get(idx, key);

	return i ? json_array_get(list, (size_t)json_integer_value(i)) : NULL;
}

/* Report every item whose key appeared before it. */
static void unique_keys(struct ctx *c, const json_t *list, const char *what)
{
	json_t *seen = json_object(), *v;
	size_t i;

	json_array_foreach(list, i, v) {
		json_t *k = json_object_get(v, "key");

		if (!json_is_string(k))
			continue;
		if (json_object_get(seen, json_string_value(k)))
			pp_err_json(c, k, "duplicate %s key '%s'", what,
				    json_string_value(k));
		else
			json_object_set_new(seen, json_string_value(k),
					    json_true());
	}
	json_decref(seen);
}

/* ref must name a group (of kind `kind`, when not NULL). */
static void group_ref(struct ctx *c, const json_t *groups, const json_t *ref,
		      const char *kind, const char *where)
{
	const char *k = json_string_value(ref);
	json_t *g;

	if (!k)
		return;
	g = find_key(groups, c->gidx, k);
	if (!g)
		pp_err_json(c, ref, "%s names unknown group '%s'", where, k);
	else if (kind && *str(g, "kind") && strcmp(str(g, "kind"), kind))
		pp_err_json(c, ref, "%s names group '%s', which is not a %s",
			    where, k, kind);
}

static void group_refs(struct ctx *c, const json_t *groups, const json_t *refs,
		       const char *where)
{
	size_t i;
	json_t *r;

	json_array_foreach(refs, i, r)
		group_ref(c, groups, r, NULL, where);
}

static void check_groups(struct ctx *c, const json_t *plan)
{
	json_t *groups = json_object_get(plan, "groups"), *g;
	int lead = 0, cmd = 0;
	size_t i;

	unique_keys(c, groups, "group");
	json_array_foreach(groups, i, g) {
		const char *k = str(g, "kind");

		lead += !strcmp(k, "leadership");
		cmd += !strcmp(k, "command");
	}
	if (lead != 1 || cmd != 1)
		pp_err_json(
		    c, groups,
		    "the plan needs exactly one group of kind "
		    "leadership and one of kind command (found %d and %d)",
		    lead, cmd);
	if (json_object_get(plan, "owner"))
		group_ref(c, groups, json_object_get(plan, "owner"), NULL,
			  "owner");
}

static void check_categories(struct ctx *c, const json_t *plan)
{
	json_t *groups = json_object_get(plan, "groups");
	json_t *cats = json_object_get(plan, "categories"), *cat;
	size_t i;

	unique_keys(c, cats, "category");
	json_array_foreach(cats, i, cat) {
		json_t *team = json_object_get(cat, "team");
		json_t *parent = json_object_get(cat, "parent");
		char where[96];
		json_t *pi;
		bool before;

		snprintf(where, sizeof(where), "category '%s'", str(cat, "key"));
		if (!strcmp(str(cat, "team"), "*"))
			pp_err_json(c, team, "%s needs a team, not '*'", where);
		else
			group_ref(c, groups, team, "team", where);
		if (!parent)
			continue;
		pi = json_object_get(c->cidx, str(cat, "parent"));
		before = pi && (size_t)json_integer_value(pi) < i;
		if (!before)
			pp_err_json(c, parent,
				    "%s: parent '%s' must be a category "
				    "listed before it",
				    where, json_string_value(parent));
	}
}

static bool targets_out_of_order(const json_t *lv)
{
	json_t *t = json_object_get(lv, "targets");
	json_t *ack = json_object_get(t, "ack_min");
	json_t *act = json_object_get(t, "activate_min");

	return ack && act && json_integer_value(act) < json_integer_value(ack);
}

static void check_levels(struct ctx *c, const json_t *plan)
{
	json_t *groups = json_object_get(plan, "groups");
	json_t *levels = json_object_get(plan, "levels"), *lv;
	size_t i, n = json_array_size(levels);
	char *seen = xcalloc(n + 1, 1);

	unique_keys(c, levels, "level");
	json_array_foreach(levels, i, lv) {
		json_t *rank = json_object_get(lv, "rank");
		json_int_t r = json_integer_value(rank);
		json_t *m;
		size_t j;
		char where[96];

		snprintf(where, sizeof(where), "level '%s'", str(lv, "key"));
		if (!rank)
			continue;
		if (r < 1 || (size_t)r > n)
			pp_err_json(c, rank,
				    "%s: ranks must run from 1 to %zu "
				    "(1 the most severe), not %lld",
				    where, n, (long long)r);
		else if (seen[r]++)
			pp_err_json(c, rank, "%s: rank %lld is used twice",
				    where, (long long)r);
		if (targets_out_of_order(lv))
			pp_err_json(
			    c,
			    json_object_get(json_object_get(lv, "targets"),
					    "activate_min"),
			    "%s: activate_min must not be less than ack_min "
			    "(both count from the report)",
			    where);
		json_array_foreach(json_object_get(lv, "measures"), j, m)
			group_ref(c, groups, json_object_get(m, "group"), NULL,
				  where);
		group_refs(c, groups, json_object_get(lv, "notify"), where);
	}
	free(seen);
}

static void check_escalation(struct ctx *c, const json_t *plan)
{
	json_t *groups = json_object_get(plan, "groups");
	json_t *tiers = json_object_get(plan, "escalation"), *t;
	json_int_t prev = 0;
	size_t i;

	json_array_foreach(tiers, i, t) {
		json_t *after = json_object_get(t, "after_min");
		json_int_t a = json_integer_value(after);

		group_refs(c, groups, json_object_get(t, "notify"),
			   "escalation");
		if (json_object_get(t, "notify") &&
		    !json_array_size(json_object_get(t, "notify")))
			pp_err_json(
			    c, json_object_get(t, "notify"),
			    "an escalation tier must notify some group");
		if (!after)
			continue;
		if (i == 0 && a != 0)
			pp_err_json(c, after,
				    "the first escalation tier is told "
				    "at once: after_min must be 0");
		else if (a < prev)
			pp_err_json(c, after,
				    "after_min must not decrease down "
				    "the reporting chain (%lld after %lld)",
				    (long long)a, (long long)prev);
		prev = a;
	}
}

static void check_drills(struct ctx *c, const json_t *plan)
{
	json_t *cats = json_object_get(plan, "categories");
	json_t *d;
	size_t i;

	unique_keys(c, json_object_get(plan, "sections"), "section");
	json_array_foreach(json_object_get(plan, "drills"), i, d) {
		json_t *cat = json_object_get(d, "category");
		const char *k = str(d, "category");

		if (cat && strcmp(k, "*") && !find_key(cats, c->cidx, k))
			pp_err_json(c, cat,
				    "drill requirement names unknown "
				    "category '%s'",
				    k);
	}
}

void pp_check(struct ctx *c, const json_t *plan)
{
	c->root = plan;
	c->gidx = index_of(json_object_get(plan, "groups"));
	c->cidx = index_of(json_object_get(plan, "categories"));
	check_groups(c, plan);
	check_categories(c, plan);
	check_levels(c, plan);
	check_escalation(c, plan);
	check_drills(c, plan);
}
