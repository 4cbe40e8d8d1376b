/*
 * api-duty.c - duty rosters (值班): rotations, overrides, who is on duty,
 * and each user's shifts as an iCalendar feed.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "core/duty.h"
#include "http/fields.h"
#include "http/json.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define DAY_MS (24 * 3600 * 1000LL)

/* A rotation as core/duty.h wants it. */
static void rotation_of(const struct rotation_row *row, struct rotation *r)
{
	json_t *m = json_loads(row->members, 0, NULL), *v;
	size_t i;

	memset(r, 0, sizeof(*r));
	r->id = row->id;
	r->start_ms = row->start_ms;
	r->shift_minutes = row->shift_minutes;
	json_array_foreach(m, i, v)
		if (r->n < DUTY_MEMBERS_MAX)
			r->members[r->n++] = json_integer_value(v);
	json_decref(m);
}

struct overrides {
	struct duty_override ov[256];
	int n;
	json_t *json;
};

static int add_override(void *ctx, int64_t id, int64_t user_id, int64_t start,
			int64_t end)
{
	struct overrides *o = ctx;

	if (o->n < 256)
		o->ov[o->n++] = (struct duty_override){ user_id, start, end };
	if (o->json)
		json_array_append_new(o->json, json_pack(
			"{s:I, s:I, s:o, s:o}", "id", (json_int_t)id,
			"user_id", (json_int_t)user_id, "start",
			json_time(start), "end", json_time(end)));
	return 0;
}

struct rotations {
	struct req *rq;
	json_t *items;
	int64_t at;		/* on-duty: the time asked */
	json_t *answer;		/* on-duty: the first rotation with someone */
};

static int add_rotation(void *ctx, const struct rotation_row *row)
{
	struct rotations *x = ctx;
	struct overrides o = { .json = json_array() };
	json_t *members = json_loads(row->members, 0, NULL);

	store_override_list(x->rq->st, row->id, add_override, &o);
	json_array_append_new(x->items, json_pack(
		"{s:I, s:s, s:s, s:o, s:i, s:s, s:o, s:o}", "id",
		(json_int_t)row->id, "group", row->group_key, "name", row->name,
		"start", json_time(row->start_ms), "shift_minutes",
		row->shift_minutes, "time_zone", row->time_zone, "members",
		members ? members : json_array(), "overrides", o.json));
	return 0;
}

/* The group of route parameter 0; answers 404 when none. */
static bool group_of(struct req *rq, struct resp *rs, struct group *g)
{
	int rc = store_group_get(rq->st, rq->param[0], g);

	if (rc) {
		resp_err(rq, rs, rc, NULL);
		return false;
	}
	free(g->duties_json);
	g->duties_json = NULL;
	return true;
}

void api_rotation_list(struct req *rq, struct resp *rs)
{
	struct rotations x = { rq, json_array(), 0, NULL };
	struct group g = { 0 };
	int rc;

	if (!group_of(rq, rs, &g)) {
		json_decref(x.items);
		return;
	}
	rc = store_rotation_list(rq->st, g.id, add_rotation, &x);
	if (rc) {
		json_decref(x.items);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_list(rs, x.items, 0);
}

/* A time field into *ms; false after setting e. */
static bool time_of(const json_t *body, const char *name, int64_t *ms,
		    struct errbuf *e)
{
	if (!time_parse(jstr(body, name, ""), ms))
		return true;
	errbuf_set(e, "invalid", "'%s' is not an RFC 3339 time", name);
	errbuf_field(e, name);
	return false;
}

static int check_members(struct store *st, const json_t *members,
			 struct errbuf *e)
{
	json_t *v;
	size_t i;
	struct user u;

	if (!json_array_size(members) ||
	    json_array_size(members) > DUTY_MEMBERS_MAX)
		goto bad;
	json_array_foreach(members, i, v)
		if (!json_is_integer(v) ||
		    store_user_get(st, json_integer_value(v), &u) || u.disabled)
			goto bad;
	return 0;
bad:
	errbuf_set(e, "invalid", "members are 1 to 64 ids of active users");
	errbuf_field(e, "members");
	return ERMS_EINVAL;
}

void api_rotation_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct group g = { 0 };
	struct rotation_row r = { 0 };
	char *members = NULL;
	int rc = app_may(&rq->who, A_DUTY_MANAGE, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, rotation_body.f,
				rotation_body.n, &e);
	if (!rc && !time_of(rq->body, "start", &r.start_ms, &e))
		rc = ERMS_EINVAL;
	if (!rc)
		rc = check_members(rq->st, json_object_get(rq->body, "members"),
				   &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	if (!group_of(rq, rs, &g))
		return;
	members = json_dumps(json_object_get(rq->body, "members"),
			     JSON_COMPACT);
	r.group_id = g.id;
	snprintf(r.group_key, sizeof(r.group_key), "%s", g.key);
	jcopy(r.name, sizeof(r.name), rq->body, "name");
	snprintf(r.time_zone, sizeof(r.time_zone), "%s",
		 jstr(rq->body, "time_zone", "Asia/Shanghai"));
	r.shift_minutes = (int)jint(rq->body, "shift_minutes", 0);
	r.members = members;
	rc = store_rotation_insert(rq->st, &r, rq->now_ms);
	if (!rc) {
		char obj[KEY_MAX + 16];

		snprintf(obj, sizeof(obj), "group:%s", g.key);
		rc = audit_append(rq->st, rq->who.user.id, "duty.rotation",
				  obj, members, rq->now_ms);
	}
	if (rc) {
		resp_err(rq, rs, rc, NULL);
	} else {
		struct rotations x = { rq, json_array(), 0, NULL };

		add_rotation(&x, &r);
		resp_json(rs, 201, json_incref(json_array_get(x.items, 0)));
		json_decref(x.items);
	}
	free(members);
}

struct find_rot {
	int64_t id;
	bool found;
};

static int is_rotation(void *ctx, const struct rotation_row *r)
{
	struct find_rot *f = ctx;

	f->found = f->found || r->id == f->id;
	return 0;
}

void api_override_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct group g = { 0 };
	struct find_rot f = { req_param_id(rq, 1), false };
	struct user u;
	int64_t start, end, id;
	int rc = app_may(&rq->who, A_DUTY_MANAGE, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, override_body.f,
				override_body.n, &e);
	if (!rc && (!time_of(rq->body, "start", &start, &e) ||
		    !time_of(rq->body, "end", &end, &e)))
		rc = ERMS_EINVAL;
	if (!rc && end <= start) {
		errbuf_set(&e, "invalid", "end must be after start");
		errbuf_field(&e, "end");
		rc = ERMS_EINVAL;
	}
	if (!rc && store_user_get(rq->st, jint(rq->body, "user_id", 0), &u)) {
		errbuf_set(&e, "invalid", "no such user");
		errbuf_field(&e, "user_id");
		rc = ERMS_EINVAL;
	}
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	if (!group_of(rq, rs, &g))
		return;
	rc = store_rotation_list(rq->st, g.id, is_rotation, &f);
	if (!rc && !f.found)
		rc = ERMS_ENOTFOUND;
	if (!rc)
		rc = store_override_insert(rq->st, f.id, u.id, start, end,
					   rq->now_ms, &id);
	if (!rc)
		rc = audit_append(rq->st, rq->who.user.id, "duty.override",
				  g.key, u.login, rq->now_ms);
	if (rc)
		resp_err(rq, rs, rc, NULL);
	else
		resp_json(rs, 201, json_pack("{s:I, s:I, s:I, s:o, s:o}",
					     "id", (json_int_t)id,
					     "rotation_id", (json_int_t)f.id,
					     "user_id", (json_int_t)u.id,
					     "start", json_time(start),
					     "end", json_time(end)));
}

static int on_duty(void *ctx, const struct rotation_row *row)
{
	struct rotations *x = ctx;
	struct overrides o = { .json = NULL };
	struct rotation r;
	int64_t who, start, end;
	struct user u;

	rotation_of(row, &r);
	store_override_list(x->rq->st, row->id, add_override, &o);
	who = duty_on_call(&r, o.ov, o.n, x->at);
	if (!who || store_user_get(x->rq->st, who, &u))
		return 0;
	duty_shift(&r, x->at, &start, &end);
	/* On duty by an override: its window is the shift (the latest
	 * starting one covering the time, as duty_on_call() chose). */
	for (int i = 0, best = -1; i < o.n; i++)
		if (o.ov[i].user_id == who && o.ov[i].start_ms <= x->at &&
		    x->at < o.ov[i].end_ms &&
		    (best < 0 || o.ov[i].start_ms >= o.ov[best].start_ms)) {
			best = i;
			start = o.ov[i].start_ms;
			end = o.ov[i].end_ms;
		}
	x->answer = json_pack("{s:I, s:s, s:s, s:I, s:{s:o, s:o}}",
			      "user_id", (json_int_t)u.id, "login", u.login,
			      "display_name", u.display_name, "rotation_id",
			      (json_int_t)row->id, "shift", "start",
			      json_time(start), "end", json_time(end));
	return 1;
}

void api_on_duty(struct req *rq, struct resp *rs)
{
	const char *at = req_query(rq, "at");
	struct rotations x = { rq, NULL, rq->now_ms, NULL };
	struct group g = { 0 };
	int rc;

	if (at && time_parse(at, &x.at)) {
		resp_fail(rq, rs, 400, "invalid", "at",
			  "'at' is not an RFC 3339 time");
		return;
	}
	if (!group_of(rq, rs, &g))
		return;
	rc = store_rotation_list(rq->st, g.id, on_duty, &x);
	if (rc < 0) {
		json_decref(x.answer);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_json(rs, 200, json_pack("{s:s, s:o, s:o}", "group", g.key, "at",
				     json_time(x.at), "on_duty",
				     x.answer ? x.answer : json_null()));
}

struct feed {
	struct store *st;
	struct rotation rots[32];
	char names[32][NAME_MAX_ + 1];
	char groups[32][KEY_MAX + 1];
	struct overrides ovs[32];
	int n;
};

static int feed_rotation(void *ctx, const struct rotation_row *row)
{
	struct feed *f = ctx;

	if (f->n == 32)
		return 1;
	rotation_of(row, &f->rots[f->n]);
	snprintf(f->names[f->n], sizeof(f->names[0]), "%s", row->name);
	snprintf(f->groups[f->n], sizeof(f->groups[0]), "%s", row->group_key);
	f->ovs[f->n].json = NULL;
	store_override_list(f->st, row->id, add_override, &f->ovs[f->n]);
	f->n++;
	return 0;
}

/* GET /api/v1/users/{id}/shifts.ics: the user's shifts, 30 days back and
 * 90 ahead. Calendar apps send a feed token as ?token=. */
void api_user_shifts(struct req *rq, struct resp *rs)
{
	int64_t id = req_param_id(rq, 0);
	struct object o = { .owner_id = id };
	struct feed *f;
	struct buf b;
	const char *names[32], *groups[32];
	const struct duty_override *ovs[32];
	int novs[32];
	struct user u;
	int rc;

	if (!may(&rq->who.actor, A_DUTY_READ, &o) ||
	    (id != rq->who.user.id && !rq->who.actor.is_admin)) {
		resp_err(rq, rs, ERMS_EPERM, NULL);
		return;
	}
	if ((rc = store_user_get(rq->st, id, &u))) {
		resp_err(rq, rs, rc, NULL);
		return;
	}
	f = xcalloc(1, sizeof(*f));
	f->st = rq->st;
	rc = store_rotation_list(rq->st, 0, feed_rotation, f);
	for (int i = 0; i < f->n; i++) {
		names[i] = f->names[i];
		groups[i] = f->groups[i];
		ovs[i] = f->ovs[i].ov;
		novs[i] = f->ovs[i].n;
	}
	buf_init(&b, 4u << 20);
	if (rc >= 0)
		rc = duty_ics(&b, u.display_name, id, f->rots, names, groups,
			      f->n, ovs, novs, rq->now_ms - 30 * DAY_MS,
			      rq->now_ms + 90 * DAY_MS, rq->now_ms);
	free(f);
	if (rc < 0)
		resp_err(rq, rs, rc, NULL);
	else
		resp_bytes(rs, 200, "text/calendar; charset=utf-8",
			   buf_str(&b), b.len);
	buf_release(&b);
}
