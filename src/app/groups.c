/*
 * groups.c - the organisation: groups, their duties, channels and
 * members (app/groups.h, and the group functions of app/app.h).
 *
 * Every public function asks may() once, first; the static ones below
 * do the work of a right already checked.
 */
#include "app/groups.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/plancache.h"
#include "app/version.h"
#include "core/account.h"
#include "core/planflow.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define DUTIES_MAX 50
#define DUTY_MAX 1000
#define CHANNELS_MAX 64

static int group_audit(struct store *st, const struct principal *p,
		       const char *action, const char *key,
		       const char *summary, int64_t now_ms)
{
	char obj[KEY_MAX + 8];

	snprintf(obj, sizeof(obj), "group:%s", key);
	return audit_append(st, p->user.id, action, obj, summary,
			    now_ms);
}

/* Insert group g and audit it; the right was checked. */
static int group_insert(struct store *st, const struct principal *p,
			struct group *g, int64_t now_ms, struct errbuf *err)
{
	char *summary;
	int rc;

	g->created_ms = now_ms;
	app_stamp(&g->stamp, p);
	rc = store_group_insert(st, g);
	if (rc == ERMS_ECONFLICT)
		return err_ret(err, rc, "conflict", "group '%s' exists",
			       g->key);
	if (rc)
		return rc;
	summary = xasprintf("kind=%s name=%s", group_kind_name(g->kind),
			    g->name);
	rc = group_audit(st, p, "group.create", g->key, summary, now_ms);
	free(summary);
	return rc;
}

/* Rewrite group g and audit it; the right was checked. */
static int group_rewrite(struct store *st, const struct principal *p,
			 struct group *g, int64_t now_ms, struct errbuf *err)
{
	char *summary;
	int rc;

	g->updated_ms = now_ms;
	app_stamp(&g->stamp, p);
	rc = store_group_update(st, g);
	if (rc)
		return rc;
	summary = xasprintf("name=%s duties=%s", g->name,
			    g->duties_json ? g->duties_json : "[]");
	rc = group_audit(st, p, "group.update", g->key, summary, now_ms);
	free(summary);
	return rc;
}

/* The group's id, or ERMS_ENOTFOUND with a message. */
static int group_id(struct store *st, const char *key, int64_t *id,
		    struct errbuf *err)
{
	struct group g;
	int rc = store_group_get(st, key, &g);

	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no group '%s'", key);
	if (rc)
		return rc;
	*id = g.id;
	free(g.duties_json);
	return 0;
}

struct member_find {
	int64_t group_id;
	bool found;
	int64_t review_from_ms;
};

static int find_member(void *ctx, const struct membership *m,
		       const struct user *u)
{
	struct member_find *f = ctx;

	(void)u;
	if (m->group_id == f->group_id) {
		f->found = true;
		f->review_from_ms = m->review_from_ms;
	}
	return 0;
}

/* The plan in force's cooling-off (-1: it sets none); *in_force false
 * when no plan is in force. */
static int plan_cooling_off(struct store *st, bool *in_force, int *hours)
{
	const struct plan *plan = NULL;
	int rc = plan_load_current(st, &plan);

	*in_force = rc != ERMS_ENOTFOUND;
	*hours = plan ? plan->cooling_off_h : -1;
	plan_unref(plan);
	return rc == ERMS_ENOTFOUND ? 0 : rc;
}

/* When the membership of user_id in group_id counts for approvals: what
 * it has when it exists, else per pv_review_from(). */
static int review_from(struct store *st, const struct principal *p,
		       int64_t group_id, int64_t user_id, int64_t now_ms,
		       int64_t *from_ms)
{
	struct member_find f = { .group_id = group_id };
	bool in_force = false;
	int hours = -1;
	int rc = store_groups_of_user(st, user_id, find_member, &f);

	if (!rc && f.found) {
		*from_ms = f.review_from_ms;
		return 0;
	}
	if (!rc && !p->actor.system)
		rc = plan_cooling_off(st, &in_force, &hours);
	if (!rc)
		*from_ms = pv_review_from(p->actor.system, in_force, hours,
					  now_ms);
	return rc;
}

/* Put the membership and audit it; the right was checked. */
static int member_put(struct store *st, const struct principal *p,
		      const char *key, int64_t user_id, enum member_role role,
		      int64_t now_ms, struct errbuf *err)
{
	char from_txt[32] = "";
	char *summary;
	struct user u;
	struct group g = { 0 };
	int64_t from = 0;
	int rc;

	rc = store_group_get(st, key, &g);
	free(g.duties_json);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no group '%s'", key);
	if (rc)
		return rc;
	rc = store_user_get(st, user_id, &u);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no user %" PRId64,
			       user_id);
	if (!rc)
		rc = review_from(st, p, g.id, user_id, now_ms, &from);
	if (!rc)
		rc = store_member_put(st, g.id, user_id, role, now_ms, from);
	if (rc)
		return rc;
	if (g.kind == GK_LEADERSHIP)
		time_fmt(from ? from : now_ms, from_txt);
	summary = xasprintf("user=%" PRId64 " role=%s%s%s", user_id,
			    member_role_name(role),
			    *from_txt ? " reviews_plans_from=" : "", from_txt);
	rc = group_audit(st, p, "group.member.put", key, summary, now_ms);
	free(summary);
	return rc;
}

int app_member_delete(struct store *st, const struct principal *p,
		      const char *key, int64_t user_id, int64_t now_ms,
		      struct errbuf *err)
{
	char summary[64];
	int64_t gid = 0;
	int rc;

	if ((rc = app_may(p, A_GROUP_MEMBERS, NULL, err)))
		return rc;
	if ((rc = group_id(st, key, &gid, err)))
		return rc;
	rc = store_member_delete(st, gid, user_id);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found",
			       "user %" PRId64 " is not in group '%s'",
			       user_id, key);
	if (rc)
		return rc;
	snprintf(summary, sizeof(summary), "user=%" PRId64, user_id);
	return group_audit(st, p, "group.member.delete", key, summary, now_ms);
}

int app_group_create(struct store *st, const struct principal *p,
		     struct group *g, int64_t now_ms, struct errbuf *err)
{
	int rc = app_may(p, A_GROUP_CREATE, NULL, err);

	return rc ? rc : group_insert(st, p, g, now_ms, err);
}

int app_group_update(struct store *st, const struct principal *p,
		     struct group *g, int64_t now_ms, struct errbuf *err)
{
	int rc = app_may(p, A_GROUP_UPDATE, NULL, err);

	return rc ? rc : group_rewrite(st, p, g, now_ms, err);
}

int app_member_put(struct store *st, const struct principal *p,
		   const char *key, int64_t user_id, enum member_role role,
		   int64_t now_ms, struct errbuf *err)
{
	int rc = app_may(p, A_GROUP_MEMBERS, NULL, err);

	return rc ? rc : member_put(st, p, key, user_id, role, now_ms, err);
}

static int bad(struct errbuf *e, const char *field, const char *msg)
{
	return err_fail(e, ERMS_EINVAL, field, "%s", msg);
}

/* body.channels: ids of existing channels; the group's set becomes them.
 * Absent: the set stays. */
static int take_channels(struct store *st, const json_t *body,
			 const struct group *g, struct errbuf *e)
{
	json_t *list = json_object_get(body, "channels"), *v;
	int64_t ids[CHANNELS_MAX];
	struct channel c = { 0 };
	size_t i;
	int n = 0;

	if (!list)
		return 0;
	json_array_foreach(list, i, v) {
		if (n == CHANNELS_MAX || !json_is_integer(v) ||
		    store_channel_get(st, json_integer_value(v), &c)) {
			channel_release(&c);
			return bad(e, "channels",
				   "channels are ids of channels");
		}
		channel_release(&c);
		ids[n++] = json_integer_value(v);
	}
	return store_group_channels_set(st, g->id, ids, n);
}

/* body.duties: up to 50 strings of up to 1000 bytes; into g->duties_json.
 * Absent: g keeps its duties. */
static int take_duties(const json_t *body, struct group *g, struct errbuf *e)
{
	json_t *d = json_object_get(body, "duties");
	json_t *v;
	size_t i;

	if (!d)
		return 0;
	if (json_array_size(d) > DUTIES_MAX)
		return bad(e, "duties", "at most 50 duties");
	json_array_foreach(d, i, v)
		if (!json_is_string(v) || json_string_length(v) > DUTY_MAX ||
		    !json_string_length(v))
			return bad(e, "duties",
				   "duties are non-empty strings of up to "
				   "1000 bytes");
	free(g->duties_json);
	g->duties_json = json_dumps(d, JSON_COMPACT);
	return 0;
}

/* The text of body's field `name` copied into dst when it is there. */
static void text_into(char *dst, size_t n, const json_t *body,
		      const char *name)
{
	const char *s = json_string_value(json_object_get(body, name));

	if (s)
		snprintf(dst, n, "%s", s);
}

int app_group_add(struct store *st, const struct principal *p,
		  const json_t *body, int64_t now_ms, char key[KEY_MAX + 1],
		  struct errbuf *e)
{
	struct group g = { 0 };
	const char *k = json_string_value(json_object_get(body, "key"));
	const char *kind = json_string_value(json_object_get(body, "kind"));
	int gk = -1;
	int rc = app_may(p, A_GROUP_CREATE, NULL, e);

	if (!rc && !key_valid(k ? k : ""))
		rc = bad(e, "key",
			 "a key is 1 to 64 of a-z, 0-9, '_', '-', "
			 "starting with a letter");
	if (!rc && (gk = group_kind_parse(kind ? kind : "")) < 0)
		rc = bad(e, "kind", "kind is leadership, command or team");
	g.kind = (enum group_kind)(gk < 0 ? 0 : gk);
	if (!rc)
		rc = take_duties(body, &g, e);
	if (!rc) {
		text_into(g.key, sizeof(g.key), body, "key");
		text_into(g.name, sizeof(g.name), body, "name");
		rc = group_insert(st, p, &g, now_ms, e);
	}
	snprintf(key, KEY_MAX + 1, "%s", g.key);
	free(g.duties_json);
	return rc;
}

int app_group_edit(struct store *st, const struct principal *p,
		   const char *key, const json_t *body, int64_t now_ms,
		   struct errbuf *e)
{
	struct group g = { 0 };
	int rc = app_may(p, A_GROUP_UPDATE, NULL, e);

	if (!rc)
		rc = store_group_get(st, key, &g);
	if (!rc)
		rc = app_version_check(st, p, app_body_version(body), &g.stamp,
				       g.updated_ms, VK_GROUP, g.key, e);
	if (!rc)
		rc = take_duties(body, &g, e);
	if (!rc)
		rc = take_channels(st, body, &g, e);
	if (!rc) {
		text_into(g.name, sizeof(g.name), body, "name");
		rc = group_rewrite(st, p, &g, now_ms, e);
	}
	free(g.duties_json);
	return rc;
}

int app_member_set(struct store *st, const struct principal *p,
		   const char *key, int64_t user_id, const char *role,
		   int64_t now_ms, struct errbuf *e)
{
	int r = -1;
	int rc = app_may(p, A_GROUP_MEMBERS, NULL, e);

	if (!rc && (r = member_role_parse(role ? role : "")) < 0)
		rc = bad(e, "role", "role is lead, deputy or member");
	if (!rc)
		rc = member_put(st, p, key, user_id, (enum member_role)r,
				now_ms, e);
	return rc;
}

struct channel_ids {
	int64_t ids[CHANNELS_MAX];
	int n;
	int64_t drop;		/* left out of ids; *found when it was there */
	bool found;
};

static int channel_id_of(void *ctx, const struct channel *c)
{
	struct channel_ids *x = ctx;

	if (c->id == x->drop)
		x->found = true;
	else if (x->n < CHANNELS_MAX)
		x->ids[x->n++] = c->id;
	return 0;
}

int app_group_channel(struct store *st, const struct principal *p,
		      const char *key, int64_t channel_id, bool attach,
		      int64_t now_ms, struct errbuf *e)
{
	struct channel_ids x = { .drop = channel_id };
	struct channel c = { 0 };
	char summary[NAME_MAX_ + 32];
	int64_t gid = 0;
	int rc = app_may(p, A_GROUP_UPDATE, NULL, e);

	if (!rc)
		rc = group_id(st, key, &gid, e);
	if (!rc && (rc = store_channel_get(st, channel_id, &c)) ==
		   ERMS_ENOTFOUND)
		rc = err_ret(e, rc, "not_found", "no channel %" PRId64,
			     channel_id);
	if (!rc)
		rc = store_group_channels(st, gid, channel_id_of, &x);
	if (!rc && !attach && !x.found)
		rc = err_ret(e, ERMS_ENOTFOUND, "not_found",
			     "channel %" PRId64 " is not attached to group "
			     "'%s'", channel_id, key);
	if (!rc && attach && x.n == CHANNELS_MAX)
		rc = bad(e, "channels", "a group has at most 64 channels");
	if (!rc && attach)
		x.ids[x.n++] = channel_id;
	if (!rc)
		rc = store_group_channels_set(st, gid, x.ids, x.n);
	snprintf(summary, sizeof(summary), "channel=%" PRId64 " %s",
		 channel_id, c.name);
	if (!rc)
		rc = group_audit(st, p, attach ? "group.channel.attach"
					       : "group.channel.detach", key,
				 summary, now_ms);
	channel_release(&c);
	return rc;
}

int app_group_list(struct store *st, const struct principal *p,
		   app_group_fn *fn, void *ctx, struct errbuf *e)
{
	int rc = app_may(p, A_GROUP_LIST, NULL, e);

	return rc ? rc : store_group_list(st, fn, ctx);
}

int app_group_read(struct store *st, const struct principal *p,
		   const char *key, struct group *g,
		   const struct group_rows *rows, struct errbuf *e)
{
	int rc = app_may(p, A_GROUP_READ, NULL, e);

	if (!rc)
		rc = store_group_get(st, key, g);
	if (!rc)
		rc = store_members_of_group(st, g->id, rows->member,
					    rows->ctx);
	if (!rc)
		rc = store_group_channels(st, g->id, rows->channel, rows->ctx);
	return rc;
}
