/*
 * api-duty.c - duty rosters (值班): rotations, overrides, who is on duty,
 * and each user's shifts as an iCalendar feed (app/duty.h decides).
 */
#include "http/routes.h"

#include "app/duty.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/clock.h"
#include "util/xalloc.h"

void api_rotation_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *items;
	int rc = app_rotation_list(rq->st, &rq->who, rq->param[0], &items, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_list(rs, items, 0);
}

/* Answer 201 with out, or the error rc. */
static void answer_new(struct req *rq, struct resp *rs, int rc, json_t *out,
		       const struct errbuf *e)
{
	if (rc)
		resp_err(rq, rs, rc, e);
	else
		resp_json(rs, 201, out);
}

void api_rotation_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *out = NULL;
	int rc = json_check(rq->body, rotation_body.f,
			    rotation_body.n, &e);

	if (!rc)
		rc = app_rotation_create(rq->st, &rq->who, rq->param[0],
					 rq->body, rq->now_ms, &out, &e);
	answer_new(rq, rs, rc, out, &e);
}

void api_override_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *out = NULL;
	int rc = json_check(rq->body, override_body.f,
			    override_body.n, &e);

	if (!rc)
		rc = app_override_create(rq->st, &rq->who, rq->param[0],
					 req_param_id(rq, 1), rq->body,
					 rq->now_ms, &out, &e);
	answer_new(rq, rs, rc, out, &e);
}

void api_rotation_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *out = NULL;
	int rc = json_check(rq->body, rotation_update_body.f,
			    rotation_update_body.n, &e);

	if (!rc)
		rc = app_rotation_update(rq->st, &rq->who, rq->param[0],
					 req_param_id(rq, 1), rq->body,
					 rq->now_ms, &out, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, out);
}

/* 204, or the error rc. */
static void answer_gone(struct req *rq, struct resp *rs, int rc,
			const struct errbuf *e)
{
	if (rc)
		resp_err(rq, rs, rc, e);
	else
		resp_status(rs, 204);
}

void api_rotation_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = app_rotation_delete(rq->st, &rq->who, rq->param[0],
				     req_param_id(rq, 1), rq->now_ms, &e);

	answer_gone(rq, rs, rc, &e);
}

void api_override_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = app_override_delete(rq->st, &rq->who, rq->param[0],
				     req_param_id(rq, 1), req_param_id(rq, 2),
				     rq->now_ms, &e);

	answer_gone(rq, rs, rc, &e);
}

void api_on_duty(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	const char *at = req_query(rq, "at");
	int64_t t = rq->now_ms;
	json_t *out = NULL;
	int rc = 0;

	if (at && time_parse(at, &t))
		rc = err_fail(&e, ERMS_EINVAL, "at",
			      "'at' is not an RFC 3339 time");
	if (!rc)
		rc = app_on_duty(rq->st, &rq->who, rq->param[0], t, &out, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, out);
}

/* GET /api/v1/users/{id}/shifts.ics: the user's shifts, 30 days back and
 * 90 ahead. Calendar apps send a feed token as ?token=. */
void api_user_shifts(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct buf b;
	int rc;

	buf_init(&b, 4u << 20);
	rc = app_user_shifts(rq->st, &rq->who, req_param_id(rq, 0),
			     rq->now_ms, &b, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_bytes(rs, 200, "text/calendar; charset=utf-8",
			   buf_str(&b), b.len);
	buf_release(&b);
}
