/*
 * api-drills.c - drills: plan, steps, compliance, the .ics feed; and the
 * statistics of real incidents (drills left out).
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/codec.h"
#include "app/drills.h"
#include "app/reads.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/xalloc.h"

static json_t *drill_json(const struct drill_row *d)
{
	json_t *detail = json_loads(d->detail ? d->detail : "{}", 0, NULL);
	json_t *ev = d->evaluation && *d->evaluation
		? json_loads(d->evaluation, 0, NULL) : NULL;
	json_t *o = json_pack(
		"{s:I, s:s, s:s, s:s, s:s, s:o, s:i, s:s, s:s, s:o, s:o, s:o,"
		" s:o, s:o, s:o, s:o}",
		"id", (json_int_t)d->id, "title", d->title, "kind", d->kind,
		"category", d->category, "level", d->level, "scheduled_at",
		json_time(d->scheduled_ms), "minutes", d->minutes, "location",
		d->location, "status", d->status, "incident_id",
		d->incident_id ? json_integer(d->incident_id) : json_null(),
		"evaluation", ev ? ev : json_null(), "created_at",
		json_time(d->created_ms), "started_at",
		json_time(d->started_ms), "completed_at",
		json_time(d->completed_ms), "evaluated_at",
		json_time(d->evaluated_ms), "updated_at",
		json_time(d->updated_ms));

	json_add_stamp(o, &d->stamp);

	if (json_is_object(detail))
		json_object_update(o, detail);
	json_decref(detail);
	return o;
}

/* participants: names; injects: [{at_min, text}] (timed injects). */
static int check_detail(const json_t *b, struct errbuf *e)
{
	const json_t *v;
	size_t i;

	json_array_foreach(json_object_get(b, "participants"), i, v)
		if (i >= 200 || !json_is_string(v) ||
		    json_string_length(v) > 200) {
			return err_fail(e, ERMS_EINVAL, "participants",
					"participants: at most 200 " "names of at most 200 bytes");
		}
	json_array_foreach(json_object_get(b, "injects"), i, v) {
		const json_t *at = json_object_get(v, "at_min");
		const json_t *t = json_object_get(v, "text");

		if (i >= 100 || json_object_size(v) != 2 ||
		    !json_is_integer(at) || json_integer_value(at) < 0 ||
		    json_integer_value(at) > 10080 || !json_is_string(t) ||
		    !json_string_length(t) || json_string_length(t) > 2000) {
			return err_fail(e, ERMS_EINVAL, "injects",
					"injects: at most 100 of " "{at_min 0..10080, text 1-2000 bytes}");
		}
	}
	return 0;
}

void api_drill_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct drill_row d = { 0 };
	const json_t *b = rq->body;
	int rc = json_check(b, drill_body.f, drill_body.n, &e);

	if (!rc)
		rc = check_detail(b, &e);
	if (!rc && time_parse(jstr(b, "scheduled_at", ""), &d.scheduled_ms))
		rc = err_fail(&e, ERMS_EINVAL, "scheduled_at",
			      "scheduled_at is an RFC 3339 time");
	if (!rc) {
		json_t *detail = json_pack("{s:O*, s:s, s:O*}", "participants",
					   json_object_get(b, "participants"),
					   "scenario", jstr(b, "scenario", ""),
					   "injects",
					   json_object_get(b, "injects"));

		if (!json_object_get(detail, "participants"))
			json_object_set_new(detail, "participants",
					    json_array());
		if (!json_object_get(detail, "injects"))
			json_object_set_new(detail, "injects", json_array());
		d.detail = json_dumps(detail, JSON_COMPACT);
		json_decref(detail);
		jcopy(d.title, sizeof(d.title), b, "title");
		jcopy(d.kind, sizeof(d.kind), b, "kind");
		jcopy(d.category, sizeof(d.category), b, "category");
		jcopy(d.level, sizeof(d.level), b, "level");
		jcopy(d.location, sizeof(d.location), b, "location");
		d.minutes = (int)jint(b, "minutes", 60);
		rc = app_drill_plan(rq->st, &rq->who, &d, rq->now_ms, &e);
	}
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, drill_json(&d));
	drill_row_release(&d);
}

static int add_drill(void *ctx, const struct drill_row *d)
{
	json_array_append_new(ctx, drill_json(d));
	return 0;
}

/* ?year=: that UTC year; none: every drill. */
static int year_param(struct req *rq, int *year)
{
	const char *y = req_query(rq, "year");
	char *end;
	long v;

	*year = drill_year_of(rq->now_ms);
	if (!y)
		return 1;
	v = strtol(y, &end, 10);
	if (*end || end == y || v < 1970 || v > 9999)
		return ERMS_EINVAL;
	*year = (int)v;
	return 0;
}

/* ERMS_EINVAL with e filled: ?year= is not a year. */
static int bad_year(struct errbuf *e)
{
	return err_fail(e, ERMS_EINVAL, "year", "year is 1970-9999");
}

void api_drill_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *items = json_array();
	int year, all = year_param(rq, &year);
	int rc = all < 0 ? bad_year(&e)
		: app_drill_list(rq->st, &rq->who,
				 all ? 0 : drill_year_end_ms(year - 1),
				 all ? 0 : drill_year_end_ms(year), add_drill,
				 items, &e);

	api_answer_list(rq, rs, rc, items, &e);
}

void api_drill_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct drill_row d = { 0 };
	int rc = app_drill_read(rq->st, &rq->who, req_param_id(rq, 0), &d, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, drill_json(&d));
		resp_etag(rs, d.stamp.version);
	}
	drill_row_release(&d);
}

void api_drill_step(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct drill_row d = { 0 };
	int s = drill_step_parse(rq->param[1]);
	int rc = 0;

	if (s < 0)
		rc = err_fail(&e, ERMS_ENOTFOUND, NULL, "no step '%s'",
			      rq->param[1]);
	if (!rc)
		rc = json_check(rq->body, drill_step_body.f,
				drill_step_body.n, &e);
	if (!rc)
		rc = app_drill_step(rq->st, &rq->who, req_param_id(rq, 0),
				    (enum drill_step)s, rq->body, rq->now_ms,
				    &d, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, drill_json(&d));
		resp_etag(rs, d.stamp.version);
	}
	drill_row_release(&d);
}

void api_drill_compliance(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *c = NULL;
	int year, rc = year_param(rq, &year);

	if (rc < 0) {
		resp_err(rq, rs, bad_year(&e), &e);
		return;
	}
	rc = app_drill_compliance(rq->st, year, &c);
	if (rc == ERMS_ECONFLICT)
		errbuf_set(&e, "conflict", "no emergency plan is in force yet");
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, c);
}

void api_drill_ics(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct buf b;
	int rc;

	buf_init(&b, 8u << 20);
	rc = app_drill_calendar(rq->st, &rq->who, rq->now_ms, &b, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_bytes(rs, 200, "text/calendar; charset=utf-8",
			   buf_str(&b), b.len);
	buf_release(&b);
}

static void bump(json_t *o, const char *key, int64_t n)
{
	json_t *v = json_object_get(o, key);

	json_object_set_new(o, key, json_integer(json_integer_value(v) + n));
}

static int add_stat(void *ctx, const char *status, const char *level,
		    const char *category, int64_t n)
{
	json_t *o = ctx;

	bump(o, "total", n);
	bump(json_object_get(o, "by_status"), status, n);
	bump(json_object_get(o, "by_level"), *level ? level : "none", n);
	bump(json_object_get(o, "by_category"), category, n);
	return 0;
}

void api_stats(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int year, rc = year_param(rq, &year);
	json_t *o;

	if (rc < 0) {
		resp_err(rq, rs, bad_year(&e), &e);
		return;
	}
	o = json_pack("{s:i, s:i, s:{}, s:{}, s:{}, s:b}", "year", year,
		      "total", 0, "by_status", "by_level", "by_category",
		      "drills_excluded", 1);
	rc = app_incident_stats(rq->st, &rq->who, drill_year_end_ms(year - 1),
				drill_year_end_ms(year), add_stat, o, &e);
	if (rc) {
		json_decref(o);
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, o);
	}
}
