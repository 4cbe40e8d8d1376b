/*
 * duty.c - duty rosters: the use cases behind the duty routes.
 */
#include "app/duty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/codec.h"
#include "app/version.h"
#include "core/calendar.h"
#include "core/duty.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/tz.h"
#include "util/xalloc.h"

#define OVERRIDES_MAX 256
#define FEED_ROTATIONS 32

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
	struct duty_override ov[OVERRIDES_MAX];
	int n;
	json_t *json;		/* NULL: not wanted */
};

static int add_override(void *ctx, int64_t id, int64_t user_id, int64_t start,
			int64_t end)
{
	struct overrides *o = ctx;

	if (o->n < OVERRIDES_MAX)
		o->ov[o->n++] = (struct duty_override){ user_id, start, end };
	if (o->json)
		json_array_append_new(o->json, json_pack(
			"{s:I, s:I, s:o, s:o}", "id", (json_int_t)id,
			"user_id", (json_int_t)user_id, "start",
			json_time(start), "end", json_time(end)));
	return 0;
}

/* The rotation row as the API shows it, with its overrides. */
static json_t *rotation_json(struct store *st, const struct rotation_row *row)
{
	struct overrides o = { .json = json_array() };
	json_t *members = json_loads(row->members, 0, NULL), *j;

	store_override_list(st, row->id, add_override, &o);
	j = json_pack("{s:I, s:s, s:s, s:o, s:i, s:s, s:o, s:o}", "id",
			 (json_int_t)row->id, "group", row->group_key, "name",
			 row->name, "start", json_time(row->start_ms),
			 "shift_minutes", row->shift_minutes, "time_zone",
			 row->time_zone, "members",
			 members ? members : json_array(), "overrides", o.json);
	json_add_stamp(j, &row->stamp);
	return j;
}

struct rotations {
	struct store *st;
	json_t *items;
	int64_t at;		/* on-duty: the time asked */
	json_t *answer;		/* on-duty: the first rotation with someone */
};

static int add_rotation(void *ctx, const struct rotation_row *row)
{
	struct rotations *x = ctx;

	json_array_append_new(x->items, rotation_json(x->st, row));
	return 0;
}

/* The group `key` (without its duties); ERMS_ENOTFOUND when none. */
static int group_of(struct store *st, const char *key, struct group *g)
{
	int rc = store_group_get(st, key, g);

	free(g->duties_json);
	g->duties_json = NULL;
	return rc;
}

int app_rotation_list(struct store *st, const struct principal *p,
		      const char *key, json_t **items, struct errbuf *e)
{
	struct rotations x = { st, json_array(), 0, NULL };
	struct group g = { 0 };
	int rc = app_may(p, A_DUTY_READ, NULL, e);

	if (!rc)
		rc = group_of(st, key, &g);
	if (!rc)
		rc = store_rotation_list(st, g.id, add_rotation, &x);
	if (rc) {
		json_decref(x.items);
		x.items = NULL;
	}
	*items = x.items;
	return rc;
}

/* The RFC 3339 time field `name` of body into *ms. */
static int time_of(const json_t *body, const char *name, int64_t *ms,
		   struct errbuf *e)
{
	const char *s = json_string_value(json_object_get(body, name));

	if (!time_parse(s ? s : "", ms))
		return 0;
	errbuf_set(e, "invalid", "'%s' is not an RFC 3339 time", name);
	errbuf_field(e, name);
	return ERMS_EINVAL;
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
	return err_fail(e, ERMS_EINVAL, "members",
			"members are 1 to 64 ids of active users");
}

/* The text of field `name` of body, or dflt. */
static const char *text_of(const json_t *body, const char *name,
			   const char *dflt)
{
	const char *s = json_string_value(json_object_get(body, name));

	return s ? s : dflt;
}

/* body's time_zone, when there: a zone of the tz database. */
static int check_zone(const json_t *body, struct errbuf *e)
{
	const char *z = json_string_value(json_object_get(body, "time_zone"));

	if (!z || tz_valid(z))
		return 0;
	return err_fail(e, ERMS_EINVAL, "time_zone",
			"'%s' is not a time zone of the tz database "
			"(e.g. Asia/Shanghai)", z);
}

int app_rotation_create(struct store *st, const struct principal *p,
			const char *key, const json_t *body, int64_t now_ms,
			json_t **out, struct errbuf *e)
{
	struct group g = { 0 };
	struct rotation_row r = { 0 };
	char *members = NULL;
	char obj[KEY_MAX + 16];
	int rc = app_may(p, A_DUTY_MANAGE, NULL, e);

	*out = NULL;
	if (!rc)
		rc = check_zone(body, e);
	if (!rc)
		rc = time_of(body, "start", &r.start_ms, e);
	if (!rc)
		rc = check_members(st, json_object_get(body, "members"), e);
	if (!rc)
		rc = group_of(st, key, &g);
	if (rc)
		return rc;
	members = json_dumps(json_object_get(body, "members"), JSON_COMPACT);
	r.group_id = g.id;
	snprintf(r.group_key, sizeof(r.group_key), "%s", g.key);
	snprintf(r.name, sizeof(r.name), "%s", text_of(body, "name", ""));
	snprintf(r.time_zone, sizeof(r.time_zone), "%s",
		 text_of(body, "time_zone", "Asia/Shanghai"));
	r.shift_minutes = (int)json_integer_value(
		json_object_get(body, "shift_minutes"));
	r.members = members;
	app_stamp(&r.stamp, p);
	rc = store_rotation_insert(st, &r, now_ms);
	snprintf(obj, sizeof(obj), "group:%s", g.key);
	if (!rc)
		rc = audit_append(st, p->user.id, "duty.rotation", obj, members,
				  now_ms);
	if (!rc)
		*out = rotation_json(st, &r);
	free(members);
	return rc;
}

struct find_rot {
	int64_t id;
	bool found;
	struct rotation_row row;	/* members: owned copy */
};

static int is_rotation(void *ctx, const struct rotation_row *r)
{
	struct find_rot *f = ctx;

	if (r->id == f->id && !f->found) {
		f->row = *r;
		f->row.members = xstrdup(r->members);
		f->found = true;
	}
	return 0;
}

/* Rotation id of group `key` into *f (ERMS_ENOTFOUND, with a message,
 * when the group has none such); free f->row.members after. */
static int rotation_of_group(struct store *st, const char *key, int64_t id,
			     struct find_rot *f, struct errbuf *e)
{
	struct group g = { 0 };
	int rc = group_of(st, key, &g);

	memset(f, 0, sizeof(*f));
	f->id = id;
	if (!rc)
		rc = store_rotation_list(st, g.id, is_rotation, f);
	if (!rc && !f->found)
		rc = err_ret(e, ERMS_ENOTFOUND, "not_found",
			     "group '%s' has no rotation %lld", key,
			     (long long)id);
	return rc;
}

int app_rotation_update(struct store *st, const struct principal *p,
			const char *key, int64_t id, const json_t *body,
			int64_t now_ms, json_t **out, struct errbuf *e)
{
	struct find_rot f = { 0 };
	const json_t *members = json_object_get(body, "members");
	const json_t *shift = json_object_get(body, "shift_minutes");
	char obj[KEY_MAX + 16];
	int rc = app_may(p, A_DUTY_MANAGE, NULL, e);

	*out = NULL;
	if (!rc)
		rc = check_zone(body, e);
	if (!rc && json_object_get(body, "start"))
		rc = time_of(body, "start", &f.row.start_ms, e);
	if (!rc && members)
		rc = check_members(st, members, e);
	if (!rc) {
		int64_t start = f.row.start_ms;

		rc = rotation_of_group(st, key, id, &f, e);
		if (!rc)
			rc = app_version_check(st, p, app_body_version(body),
					       &f.row.stamp, f.row.updated_ms,
					       VK_ROTATION, f.row.name, e);
		if (!rc && json_object_get(body, "start"))
			f.row.start_ms = start;
	}
	if (rc) {
		free((char *)f.row.members);
		return rc;
	}
	snprintf(f.row.name, sizeof(f.row.name), "%s",
		 text_of(body, "name", f.row.name));
	snprintf(f.row.time_zone, sizeof(f.row.time_zone), "%s",
		 text_of(body, "time_zone", f.row.time_zone));
	if (shift)
		f.row.shift_minutes = (int)json_integer_value(shift);
	if (members) {
		free((char *)f.row.members);
		f.row.members = json_dumps(members, JSON_COMPACT);
	}
	app_stamp(&f.row.stamp, p);
	rc = store_rotation_update(st, &f.row, now_ms);
	snprintf(obj, sizeof(obj), "group:%s", f.row.group_key);
	if (!rc)
		rc = audit_append(st, p->user.id, "duty.rotation.update", obj,
				  f.row.members, now_ms);
	if (!rc)
		*out = rotation_json(st, &f.row);
	free((char *)f.row.members);
	return rc;
}

int app_rotation_delete(struct store *st, const struct principal *p,
			const char *key, int64_t id, int64_t now_ms,
			struct errbuf *e)
{
	struct find_rot f = { 0 };
	char obj[KEY_MAX + 16];
	int rc = app_may(p, A_DUTY_MANAGE, NULL, e);

	if (!rc)
		rc = rotation_of_group(st, key, id, &f, e);
	if (!rc)
		rc = store_rotation_delete(st, id);
	snprintf(obj, sizeof(obj), "group:%s", key);
	if (!rc)
		rc = audit_append(st, p->user.id, "duty.rotation.delete", obj,
				  f.row.name, now_ms);
	free((char *)f.row.members);
	return rc;
}

int app_override_delete(struct store *st, const struct principal *p,
			const char *key, int64_t rotation_id, int64_t id,
			int64_t now_ms, struct errbuf *e)
{
	struct find_rot f = { 0 };
	char obj[KEY_MAX + 16], summary[48];
	int rc = app_may(p, A_DUTY_MANAGE, NULL, e);

	if (!rc)
		rc = rotation_of_group(st, key, rotation_id, &f, e);
	free((char *)f.row.members);
	if (!rc && store_override_delete(st, rotation_id, id) ==
		   ERMS_ENOTFOUND)
		rc = err_ret(e, ERMS_ENOTFOUND, "not_found",
			     "rotation %lld has no override %lld",
			     (long long)rotation_id, (long long)id);
	snprintf(obj, sizeof(obj), "group:%s", key);
	snprintf(summary, sizeof(summary), "override=%lld", (long long)id);
	if (!rc)
		rc = audit_append(st, p->user.id, "duty.override.delete", obj,
				  summary, now_ms);
	return rc;
}

/* The override's window from body into *start, *end. */
static int window_of(const json_t *body, int64_t *start, int64_t *end,
		     struct errbuf *e)
{
	int rc = time_of(body, "start", start, e);

	if (!rc)
		rc = time_of(body, "end", end, e);
	if (!rc && *end <= *start)
		rc = err_fail(e, ERMS_EINVAL, "end", "end must be after start");
	return rc;
}

/* The user named by body.user_id into *u. */
static int user_of(struct store *st, const json_t *body, struct user *u,
		   struct errbuf *e)
{
	json_int_t id = json_integer_value(json_object_get(body, "user_id"));

	if (!store_user_get(st, id, u))
		return 0;
	return err_fail(e, ERMS_EINVAL, "user_id", "no such user");
}

int app_override_create(struct store *st, const struct principal *p,
			const char *key, int64_t rotation_id,
			const json_t *body, int64_t now_ms, json_t **out,
			struct errbuf *e)
{
	struct group g = { 0 };
	struct find_rot f = { rotation_id, false, { 0 } };
	struct user u;
	int64_t start = 0, end = 0, id = 0;
	int rc = app_may(p, A_DUTY_MANAGE, NULL, e);

	*out = NULL;
	if (!rc)
		rc = window_of(body, &start, &end, e);
	if (!rc)
		rc = user_of(st, body, &u, e);
	if (!rc)
		rc = group_of(st, key, &g);
	if (!rc)
		rc = store_rotation_list(st, g.id, is_rotation, &f);
	if (!rc && !f.found)
		rc = ERMS_ENOTFOUND;
	free((char *)f.row.members);
	if (!rc)
		rc = store_override_insert(st, f.id, u.id, start, end, now_ms,
					   &id);
	if (!rc)
		rc = audit_append(st, p->user.id, "duty.override", g.key,
				  u.login, now_ms);
	if (!rc)
		*out = json_pack("{s:I, s:I, s:I, s:o, s:o}", "id",
				 (json_int_t)id, "rotation_id",
				 (json_int_t)f.id, "user_id", (json_int_t)u.id,
				 "start", json_time(start), "end",
				 json_time(end));
	return rc;
}

/* The shift window of `who` at x->at: an override's when one put them on
 * duty (the latest starting one covering the time, as duty_on_call()
 * chose), else the rotation's shift. */
static void window_at(const struct rotation *r, const struct overrides *o,
		      int64_t who, int64_t at, int64_t *start, int64_t *end)
{
	duty_shift(r, at, start, end);
	for (int i = 0, best = -1; i < o->n; i++)
		if (o->ov[i].user_id == who && o->ov[i].start_ms <= at &&
		    at < o->ov[i].end_ms &&
		    (best < 0 || o->ov[i].start_ms >= o->ov[best].start_ms)) {
			best = i;
			*start = o->ov[i].start_ms;
			*end = o->ov[i].end_ms;
		}
}

static int on_duty(void *ctx, const struct rotation_row *row)
{
	struct rotations *x = ctx;
	struct overrides *o = xcalloc(1, sizeof(*o));
	struct rotation r;
	int64_t who, start, end;
	struct user u;

	rotation_of(row, &r);
	store_override_list(x->st, row->id, add_override, o);
	who = duty_on_call(&r, o->ov, o->n, x->at);
	if (!who || store_user_get(x->st, who, &u)) {
		free(o);
		return 0;
	}
	window_at(&r, o, who, x->at, &start, &end);
	free(o);
	x->answer = json_pack("{s:I, s:s, s:s, s:I, s:{s:o, s:o}}",
			      "user_id", (json_int_t)u.id, "login", u.login,
			      "display_name", u.display_name, "rotation_id",
			      (json_int_t)row->id, "shift", "start",
			      json_time(start), "end", json_time(end));
	return 1;
}

int app_on_duty(struct store *st, const struct principal *p, const char *key,
		int64_t at, json_t **out, struct errbuf *e)
{
	struct rotations x = { st, NULL, at, NULL };
	struct group g = { 0 };
	int rc = app_may(p, A_DUTY_READ, NULL, e);

	*out = NULL;
	if (!rc)
		rc = group_of(st, key, &g);
	if (!rc)
		rc = store_rotation_list(st, g.id, on_duty, &x);
	if (rc < 0) {
		json_decref(x.answer);
		return rc;
	}
	*out = json_pack("{s:s, s:o, s:o}", "group", g.key, "at",
			 json_time(at), "on_duty",
			 x.answer ? x.answer : json_null());
	return 0;
}

struct feed {
	struct store *st;
	struct rotation rots[FEED_ROTATIONS];
	char names[FEED_ROTATIONS][NAME_MAX_ + 1];
	char groups[FEED_ROTATIONS][KEY_MAX + 1];
	struct overrides ovs[FEED_ROTATIONS];
	int n;
};

static int feed_rotation(void *ctx, const struct rotation_row *row)
{
	struct feed *f = ctx;

	if (f->n == FEED_ROTATIONS)
		return 1;
	rotation_of(row, &f->rots[f->n]);
	snprintf(f->names[f->n], sizeof(f->names[0]), "%s", row->name);
	snprintf(f->groups[f->n], sizeof(f->groups[0]), "%s", row->group_key);
	f->ovs[f->n].json = NULL;
	store_override_list(f->st, row->id, add_override, &f->ovs[f->n]);
	f->n++;
	return 0;
}

/* The calendar of the rotations read into f, for user u. */
static int feed_ics(const struct feed *f, const struct user *u,
		    int64_t now_ms, struct buf *ics)
{
	const char *names[FEED_ROTATIONS], *groups[FEED_ROTATIONS];
	const struct duty_override *ovs[FEED_ROTATIONS];
	int novs[FEED_ROTATIONS];

	for (int i = 0; i < f->n; i++) {
		names[i] = f->names[i];
		groups[i] = f->groups[i];
		ovs[i] = f->ovs[i].ov;
		novs[i] = f->ovs[i].n;
	}
	return duty_ics(ics, u->display_name, u->id, f->rots, names, groups,
			f->n, ovs, novs, now_ms - 30 * DAY_MS,
			now_ms + 90 * DAY_MS, now_ms);
}

int app_user_shifts(struct store *st, const struct principal *p, int64_t id,
		    int64_t now_ms, struct buf *ics, struct errbuf *e)
{
	struct object o = { .owner_id = id };
	struct feed *f;
	struct user u;
	int rc = app_may(p, A_DUTY_READ, &o, e);

	if (!rc)
		rc = app_may(p, A_DUTY_SHIFTS, &o, e);
	if (!rc)
		rc = store_user_get(st, id, &u);
	if (rc)
		return rc;
	f = xcalloc(1, sizeof(*f));
	f->st = st;
	rc = store_rotation_list(st, 0, feed_rotation, f);
	if (rc >= 0)
		rc = feed_ics(f, &u, now_ms, ics);
	free(f);
	return rc < 0 ? rc : 0;
}
