/*
 * api-org.c - the organisation's settings: GET and PATCH
 * /api/v1/organisation.
 */
#include "http/routes.h"


#include "app/codec.h"
#include "app/org.h"
#include "core/regulatory.h"
#include "http/fields.h"
#include "http/json.h"

static json_t *json_org(const struct organisation *o)
{
	json_t *by = o->updated_by ?
		json_pack("{s:I, s:s}", "id", (json_int_t)o->updated_by,
			  "name", o->updated_by_name) : json_null();

	json_t *regs = json_loads(o->regulators_json ? o->regulators_json
						     : "[]", 0, NULL);
	json_t *cal = json_loads(o->calendar_json ? o->calendar_json : "{}",
				 0, NULL);

	return json_pack("{s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:I, s:o, s:o}",
			 "name", o->name, "time_zone", o->time_zone, "locale",
			 o->locale, "operator_type", o->operator_type,
			 "report_deadline_min",
			 reg_deadline_min(reg_operator_parse(o->operator_type)),
			 "regulators", regs ? regs : json_array(), "calendar",
			 cal ? cal : json_object(), "version",
			 (json_int_t)o->version, "updated_at",
			 o->updated_ms ? json_time(o->updated_ms) : json_null(),
			 "updated_by", by);
}

static void answer(struct resp *rs, const struct organisation *o)
{
	resp_header(rs, "ETag", "\"%lld\"", (long long)o->version);
	resp_json(rs, 200, json_org(o));
}

void api_org_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct organisation o = { 0 };
	int rc = app_org_read(rq->st, &rq->who, &o, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer(rs, &o);
	organisation_release(&o);
}

void api_org_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct organisation o = { 0 };
	int rc = json_check(rq->body, org_body.f, org_body.n, &e);

	if (!rc)
		rc = app_org_edit(rq->st, &rq->who, rq->body, rq->now_ms, &o,
				  &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer(rs, &o);
	organisation_release(&o);
}
