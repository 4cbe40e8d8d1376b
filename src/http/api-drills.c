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

/* The sums of one group of the answer (a level, a category, all). */
struct stat_sum {
	int64_t n, acked_n, ack_ms, activated_n, activate_ms, resolved_n,
		resolve_ms;
};

static void sum_add(struct stat_sum *t, const struct incident_stat *s)
{
	t->n += s->n;
	t->acked_n += s->acked_n;
	t->ack_ms += s->ack_ms;
	t->activated_n += s->activated_n;
	t->activate_ms += s->activate_ms;
	t->resolved_n += s->resolved_n;
	t->resolve_ms += s->resolve_ms;
}

/* A mean span in seconds, or null over no incident. */
static json_t *mean_s(int64_t sum_ms, int64_t n)
{
	return n ? json_real((double)sum_ms / (double)n / 1000.0)
		 : json_null();
}

static json_t *sum_json(const char *name, const char *key,
			const struct stat_sum *t)
{
	json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:o, s:o, s:o}",
			      "count", (json_int_t)t->n,
			      "acknowledged", (json_int_t)t->acked_n,
			      "activated", (json_int_t)t->activated_n,
			      "resolved", (json_int_t)t->resolved_n,
			      "mtta_s", mean_s(t->ack_ms, t->acked_n),
			      "time_to_activate_s",
			      mean_s(t->activate_ms, t->activated_n),
			      "mttr_s", mean_s(t->resolve_ms, t->resolved_n));

	if (name)
		json_object_set_new(o, name, *key ? json_string(key)
						  : json_null());
	return o;
}

/* Groups by one key (a level or a category), in the order met. */
struct stat_groups {
	char (*key)[KEY_MAX + 1];
	struct stat_sum *sum;
	size_t n, cap;
};

static void groups_add(struct stat_groups *g, const char *key,
		       const struct incident_stat *s)
{
	size_t i;

	for (i = 0; i < g->n && strcmp(g->key[i], key); i++)
		;
	if (i == g->n) {
		if (g->n == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 8;
			g->key = xrealloc(g->key, g->cap * sizeof(*g->key));
			g->sum = xrealloc(g->sum, g->cap * sizeof(*g->sum));
		}
		snprintf(g->key[i], sizeof(g->key[i]), "%s", key);
		g->sum[i] = (struct stat_sum){ 0 };
		g->n++;
	}
	sum_add(&g->sum[i], s);
}

static json_t *groups_json(struct stat_groups *g, const char *name)
{
	json_t *a = json_array();

	for (size_t i = 0; i < g->n; i++)
		json_array_append_new(a, sum_json(name, g->key[i], &g->sum[i]));
	free(g->key);
	free(g->sum);
	return a;
}

struct stat_walk {
	json_t *o;			/* counts by status, level, category */
	struct stat_sum all;
	struct stat_groups levels, categories;
};

static int add_stat(void *ctx, const struct incident_stat *s)
{
	struct stat_walk *w = ctx;
	json_t *o = w->o;

	bump(o, "total", s->n);
	bump(json_object_get(o, "by_status"), s->status, s->n);
	bump(json_object_get(o, "by_level"), *s->level ? s->level : "none",
	     s->n);
	bump(json_object_get(o, "by_category"), s->category, s->n);
	sum_add(&w->all, s);
	groups_add(&w->levels, s->level, s);
	groups_add(&w->categories, s->category, s);
	return 0;
}

/* The period of the statistics: from/to (RFC 3339) or a year (the
 * current one by default), not both. */
static int stats_period(struct req *rq, int *year, int64_t *from,
			int64_t *to, struct errbuf *e)
{
	const char *f = req_query(rq, "from"), *t = req_query(rq, "to");

	if (!f && !t) {
		if (year_param(rq, year) < 0)
			return bad_year(e);
		*from = drill_year_end_ms(*year - 1);
		*to = drill_year_end_ms(*year);
		return 0;
	}
	*year = 0;
	if (req_query(rq, "year"))
		return err_fail(e, ERMS_EINVAL, "year",
				"give a year or from/to, not both");
	*from = 0;
	*to = rq->now_ms + 1;
	if (f && time_parse(f, from))
		return err_fail(e, ERMS_EINVAL, "from",
				"'%s' is not an RFC 3339 time", f);
	if (t && time_parse(t, to))
		return err_fail(e, ERMS_EINVAL, "to",
				"'%s' is not an RFC 3339 time", t);
	if (*from >= *to)
		return err_fail(e, ERMS_EINVAL, "to", "to is not after from");
	return 0;
}

void api_stats(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct stat_walk w = { 0 };
	int year;
	int64_t from, to;
	int rc = stats_period(rq, &year, &from, &to, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	w.o = json_pack("{s:o, s:o, s:o, s:i, s:{}, s:{}, s:{}, s:b}",
			"year", year ? json_integer(year) : json_null(),
			"from", json_time(from), "to", json_time(to),
			"total", 0, "by_status", "by_level", "by_category",
			"drills_excluded", 1);
	rc = app_incident_stats(rq->st, &rq->who, from, to, add_stat, &w, &e);
	json_object_set_new(w.o, "overall", sum_json(NULL, "", &w.all));
	json_object_set_new(w.o, "levels", groups_json(&w.levels, "level"));
	json_object_set_new(w.o, "categories",
			    groups_json(&w.categories, "category"));
	if (rc) {
		json_decref(w.o);
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, w.o);
	}
}
