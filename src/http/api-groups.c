/*
 * api-groups.c - the organisation: groups and their members.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "core/account.h"
#include "http/fields.h"
#include "http/json.h"
#include "store/store.h"
#include "util/xalloc.h"

#define DUTIES_MAX 50
#define DUTY_MAX 1000

static int bad(struct errbuf *e, const char *field, const char *msg)
{
	errbuf_set(e, "invalid", "%s", msg);
	errbuf_field(e, field);
	return ERMS_EINVAL;
}

/* channels: ids of existing channels; into the group's set. */
static int take_channels(struct store *st, const json_t *body,
			 const struct group *g, struct errbuf *e)
{
	json_t *list = json_object_get(body, "channels"), *v;
	int64_t ids[64];
	struct channel c = { 0 };
	size_t i;
	int n = 0, rc = 0;

	if (!list)
		return 0;
	json_array_foreach(list, i, v) {
		if (n == 64 || !json_is_integer(v) ||
		    store_channel_get(st, json_integer_value(v), &c)) {
			channel_release(&c);
			return bad(e, "channels", "channels are ids of channels");
		}
		channel_release(&c);
		ids[n++] = json_integer_value(v);
	}
	rc = store_group_channels_set(st, g->id, ids, n);
	return rc;
}

static int add_channel_id(void *ctx, const struct channel *c)
{
	json_array_append_new(ctx, json_integer(c->id));
	return 0;
}

/* duties: up to 50 strings of up to 1000 bytes; into g->duties_json. */
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

static int add_group(void *ctx, const struct group *g)
{
	json_array_append_new(ctx, json_group(g, NULL));
	return 0;
}

void api_group_list(struct req *rq, struct resp *rs)
{
	json_t *items = json_array();
	int rc = store_group_list(rq->st, add_group, items);

	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_list(rs, items, 0);
}

/* A member; of a leadership group with the time the membership counts
 * for plan approvals from (null: from the start). */
static int add_member(void *ctx, const struct membership *m,
		      const struct user *u)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "user_id",
			      (json_int_t)u->id, "login", u->login,
			      "display_name", u->display_name, "role",
			      member_role_name(m->role));

	if (m->kind == GK_LEADERSHIP)
		json_object_set_new(o, "reviews_plans_from",
				    json_time(m->review_from_ms));
	json_array_append_new(ctx, o);
	return 0;
}

/* Answer the group `key` with its members. */
static void answer_group(struct req *rq, struct resp *rs, const char *key,
			 int status)
{
	struct group g = { 0 };
	json_t *members = json_array();
	int rc = store_group_get(rq->st, key, &g);

	json_t *channels = json_array();

	if (!rc)
		rc = store_members_of_group(rq->st, g.id, add_member, members);
	if (!rc)
		rc = store_group_channels(rq->st, g.id, add_channel_id,
					  channels);
	if (rc) {
		json_decref(members);
		json_decref(channels);
		resp_err(rq, rs, rc, NULL);
	} else {
		json_t *o = json_group(&g, members);

		json_object_set_new(o, "channels", channels);
		resp_json(rs, status, o);
	}
	free(g.duties_json);
}

void api_group_get(struct req *rq, struct resp *rs)
{
	answer_group(rq, rs, rq->param[0], 200);
}

void api_group_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct group g = { 0 };
	int kind = -1;
	int rc = app_may(&rq->who, A_GROUP_CREATE, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, group_create_body.f,
				group_create_body.n, &e);
	if (!rc && !key_valid(jstr(rq->body, "key", "")))
		rc = bad(&e, "key",
			 "a key is 1 to 64 of a-z, 0-9, '_', '-', "
			 "starting with a letter");
	if (!rc && (kind = group_kind_parse(jstr(rq->body, "kind", ""))) < 0)
		rc = bad(&e, "kind", "kind is leadership, command or team");
	if (!rc)
		rc = take_duties(rq->body, &g, &e);
	if (!rc) {
		jcopy(g.key, sizeof(g.key), rq->body, "key");
		jcopy(g.name, sizeof(g.name), rq->body, "name");
		g.kind = (enum group_kind)kind;
		rc = app_group_create(rq->st, &rq->who, &g, rq->now_ms, &e);
	}
	free(g.duties_json);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer_group(rq, rs, g.key, 201);
}

void api_group_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct group g = { 0 };
	int rc = app_may(&rq->who, A_GROUP_UPDATE, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, group_update_body.f,
				group_update_body.n, &e);
	if (!rc)
		rc = store_group_get(rq->st, rq->param[0], &g);
	if (!rc)
		rc = take_duties(rq->body, &g, &e);
	if (!rc)
		rc = take_channels(rq->st, rq->body, &g, &e);
	if (!rc) {
		jcopy(g.name, sizeof(g.name), rq->body, "name");
		rc = app_group_update(rq->st, &rq->who, &g, rq->now_ms, &e);
	}
	free(g.duties_json);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer_group(rq, rs, rq->param[0], 200);
}

void api_member_put(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t uid = req_param_id(rq, 1);
	int role = -1;
	int rc = app_may(&rq->who, A_GROUP_MEMBERS, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, member_body.f,
				member_body.n, &e);
	if (!rc && (role = member_role_parse(jstr(rq->body, "role", ""))) < 0)
		rc = bad(&e, "role", "role is lead, deputy or member");
	if (!rc)
		rc = app_member_put(rq->st, &rq->who, rq->param[0], uid,
				    (enum member_role)role, rq->now_ms, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer_group(rq, rs, rq->param[0], 200);
}

void api_member_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = app_member_delete(rq->st, &rq->who, rq->param[0],
				   req_param_id(rq, 1), rq->now_ms, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_status(rs, 204);
}
