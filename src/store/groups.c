/*
 * groups.c - store.h's groups and their members.
 */
#include "store/store.h"

#include <stdlib.h>

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct group
static const struct col group_cols[] = COL_TABLE(GROUP_COLS);
#undef COL_TYPE
#define COL_TYPE struct membership
static const struct col member_cols[] = COL_TABLE(MEMBER_COLS);
#undef COL_TYPE
#define COL_TYPE struct user
static const struct col member_user_cols[] = COL_TABLE(MEMBER_USER_COLS);
#undef COL_TYPE

int store_group_insert(struct store *st, struct group *g)
{
	struct sval p[] = {
		SV_S(g->key), SV_S(g->name), SV_S(group_kind_name(g->kind)),
		SV_S(g->duties_json ? g->duties_json : "[]"),
		SV_I(g->created_ms), sv_opt(g->stamp.by),
	};

	g->updated_ms = g->created_ms;
	g->stamp.version = 1;
	return st_int(st, Q_GROUP_INSERT, p, ARRAY_SIZE(p), &g->id);
}

int store_group_get(struct store *st, const char *key, struct group *out)
{
	struct sval p[] = { SV_S(key) };

	return ST_ONE(st, Q_GROUP_GET, p, 1, group_cols, NULL, out);
}

int store_group_update(struct store *st, struct group *g)
{
	struct sval p[] = {
		SV_I(g->id), SV_S(g->name),
		SV_S(g->duties_json ? g->duties_json : "[]"),
		SV_I(g->updated_ms), SV_S(group_kind_name(g->kind)),
		sv_opt(g->stamp.by),
	};

	return st_int(st, Q_GROUP_UPDATE, p, ARRAY_SIZE(p), &g->stamp.version);
}

struct group_walk {
	store_group_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_group(void *ctx, const struct srow *r)
{
	struct group_walk *w = ctx;
	struct group g;
	int rc;

	DECODE(group_cols, r, 0, &g);
	rc = w->fn(w->ctx, &g);
	free(g.duties_json);
	return rc;
}

int store_group_list(struct store *st, store_group_fn *fn, void *ctx)
{
	struct group_walk w = { fn, ctx };

	return st_query(st, Q_GROUP_LIST, NULL, 0, walk_group, &w);
}

int store_member_put(struct store *st, int64_t group_id, int64_t user_id,
		     enum member_role role, int64_t now_ms,
		     int64_t review_from_ms)
{
	struct sval p[] = { SV_I(group_id), SV_I(user_id),
			    SV_S(member_role_name(role)), SV_I(now_ms),
			    SV_I(review_from_ms) };

	return st_run(st, Q_MEMBER_PUT, p, ARRAY_SIZE(p), NULL);
}

int store_member_delete(struct store *st, int64_t group_id, int64_t user_id)
{
	struct sval p[] = { SV_I(group_id), SV_I(user_id) };

	return st_run1(st, Q_MEMBER_DELETE, p, ARRAY_SIZE(p));
}

struct member_walk {
	store_member_fn *fn;
	void *ctx;
};

/* A membership's columns, then its user's. */
static int walk_member(void *ctx, const struct srow *r)
{
	struct member_walk *w = ctx;
	struct membership m = { 0 };
	struct user u = { 0 };

	DECODE(member_cols, r, 0, &m);
	DECODE(member_user_cols, r, (int)ARRAY_SIZE(member_cols), &u);
	return w->fn(w->ctx, &m, &u);
}

int store_members_of_group(struct store *st, int64_t group_id,
			   store_member_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(group_id) };
	struct member_walk w = { fn, ctx };

	return st_query(st, Q_MEMBERS_OF_GROUP, p, 1, walk_member, &w);
}

int store_groups_of_user(struct store *st, int64_t user_id,
			 store_member_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(user_id) };
	struct member_walk w = { fn, ctx };

	return st_query(st, Q_GROUPS_OF_USER, p, 1, walk_member, &w);
}
