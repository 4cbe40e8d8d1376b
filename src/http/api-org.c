/*
 * api-org.c - the organisation's settings: GET and PATCH
 * /api/v1/organisation.
 */
#include "http/routes.h"

#include <ctype.h>
#include <stdlib.h>

#include "app/codec.h"
#include "app/org.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/xalloc.h"

static json_t *json_org(const struct organisation *o)
{
	json_t *by = o->updated_by ?
		json_pack("{s:I, s:s}", "id", (json_int_t)o->updated_by,
			  "name", o->updated_by_name) : json_null();

	return json_pack("{s:s, s:s, s:s, s:I, s:o, s:o}", "name", o->name,
			 "time_zone", o->time_zone, "locale", o->locale,
			 "version", (json_int_t)o->version, "updated_at",
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
	struct organisation o;
	int rc = app_org_read(rq->st, &rq->who, &o, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer(rs, &o);
}

/* If-Match: "n", W/"n" or n; 0 when absent, -1 when not a version. */
static int64_t if_match(const char *h)
{
	char *end;
	long long n;

	if (!h)
		return 0;
	while (isspace((unsigned char)*h))
		h++;
	if (h[0] == 'W' && h[1] == '/')
		h += 2;
	if (*h == '"')
		h++;
	n = strtoll(h, &end, 10);
	if (end == h || n < 1 || (*end && *end != '"'))
		return -1;
	return n;
}

/* On the I/O thread: the body's shape and the If-Match header. */
void api_org_prep(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t *v;
	int rc = json_check(rq->body, org_body.f, org_body.n, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	v = xmalloc(sizeof(*v));
	*v = if_match(req_header(rq, "If-Match"));
	if (*v < 0) {
		free(v);
		resp_fail(rq, rs, 400, "invalid_field", "If-Match",
			  "If-Match must be a version (\"3\")");
		return;
	}
	rq->ctx = v;
	rq->ctx_free = free;
}

void api_org_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct organisation o;
	int64_t want = rq->ctx ? *(int64_t *)rq->ctx : 0;
	int rc = app_org_edit(rq->st, &rq->who, rq->body, want, rq->now_ms,
			      &o, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer(rs, &o);
}
