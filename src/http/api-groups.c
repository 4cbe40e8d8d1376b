/*
 * api-groups.c - the organisation: groups and their members
 * (app/groups.h decides).
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/groups.h"
#include "core/account.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/xalloc.h"

static int add_group(void *ctx, const struct group *g)
{
	json_array_append_new(ctx, json_group(g, NULL));
	return 0;
}

void api_group_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *items = json_array();
	int rc = app_group_list(rq->st, &rq->who, add_group, items, &e);

	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_list(rs, items, 0);
}

struct group_json {
	json_t *members, *channels;
};

/* A member; of a leadership group with the time the membership counts
 * for plan approvals from (null: from the start). */
static int add_member(void *ctx, const struct membership *m,
		      const struct user *u)
{
	struct group_json *x = ctx;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "user_id",
			      (json_int_t)u->id, "login", u->login,
			      "display_name", u->display_name, "role",
			      member_role_name(m->role));

	if (m->kind == GK_LEADERSHIP)
		json_object_set_new(o, "reviews_plans_from",
				    json_time(m->review_from_ms));
	json_array_append_new(x->members, o);
	return 0;
}

static int add_channel_id(void *ctx, const struct channel *c)
{
	struct group_json *x = ctx;

	json_array_append_new(x->channels, json_integer(c->id));
	return 0;
}

/* Answer the group `key` with its members. */
static void answer_group(struct req *rq, struct resp *rs, const char *key,
			 int status)
{
	struct errbuf e = { 0 };
	struct group g = { 0 };
	struct group_json x = { json_array(), json_array() };
	struct group_rows rows = { add_member, add_channel_id, &x };
	int rc = app_group_read(rq->st, &rq->who, key, &g, &rows, &e);

	if (rc) {
		json_decref(x.members);
		json_decref(x.channels);
		resp_err(rq, rs, rc, &e);
	} else {
		json_t *o = json_group(&g, x.members);

		json_object_set_new(o, "channels", x.channels);
		resp_json(rs, status, o);
		resp_etag(rs, g.stamp.version);
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
	char key[KEY_MAX + 1] = "";
	int rc = json_check(rq->body, group_create_body.f,
			    group_create_body.n, &e);

	if (!rc)
		rc = app_group_add(rq->st, &rq->who, rq->body, rq->now_ms,
				   key, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer_group(rq, rs, key, 201);
}

void api_group_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = json_check(rq->body, group_update_body.f,
			    group_update_body.n, &e);

	if (!rc)
		rc = app_group_edit(rq->st, &rq->who, rq->param[0], rq->body,
				    rq->now_ms, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer_group(rq, rs, rq->param[0], 200);
}

void api_member_put(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = json_check(rq->body, member_body.f,
			    member_body.n, &e);

	if (!rc)
		rc = app_member_set(rq->st, &rq->who, rq->param[0],
				    req_param_id(rq, 1),
				    jstr(rq->body, "role", ""), rq->now_ms,
				    &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer_group(rq, rs, rq->param[0], 200);
}

/* PUT attaches, DELETE detaches channel {id} to group {key}. */
void api_group_channel(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	bool attach = !strcmp(rq->method, "PUT");
	int rc = app_group_channel(rq->st, &rq->who, rq->param[0],
				   req_param_id(rq, 1), attach, rq->now_ms,
				   &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else if (attach)
		answer_group(rq, rs, rq->param[0], 200);
	else
		resp_status(rs, 204);
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
