/*
 * api-meta.c - the routes about the server itself: health, metrics, the
 * benchmark's hello world, and the OpenAPI document.
 */
#include "http/routes.h"

#include <string.h>
#include <strings.h>

#include "app/drills.h"
#include "app/escalate.h"
#include "app/incidents.h"
#include "http/json.h"
#include "http/metrics.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/netaddr.h"
#include "util/xalloc.h"

void api_health(struct req *rq, struct resp *rs)
{
	int rc = store_ping(rq->st);

	if (!rc)
		rc = app_health(rq->app, rq->now_ms);
	if (rc) {
		resp_fail(rq, rs, 503, "unavailable", NULL,
			  "the database cannot take writes (%s)",
			  erms_strerror(rc));
		return;
	}
	resp_json(rs, 200, json_pack("{s:s}", "status", "ok"));
}

/*
 * May this request read /metrics? With --metrics-allow the address must
 * be in one of the listed networks; with --metrics-token the request
 * must carry "Authorization: Bearer <token>" (compared in constant
 * time). Both set: both must hold. Neither: anyone may.
 */
static bool metrics_allowed(struct req *rq)
{
	const struct app_config *c = &rq->app->cfg;
	const char *auth;

	if (c->metrics_allow && !addr_in_list(c->metrics_allow, rq->addr))
		return false;
	if (!c->metrics_token)
		return true;
	auth = req_header(rq, "Authorization");
	return auth && !strncasecmp(auth, "Bearer ", 7) &&
	       ct_streq(auth + 7, c->metrics_token);
}

void api_metrics(struct req *rq, struct resp *rs)
{
	struct buf b = BUF_INIT;
	size_t n;
	char *s;

	if (!metrics_allowed(rq)) {
		resp_fail(rq, rs, 403, "forbidden", NULL,
			  "metrics are restricted (--metrics-token, "
			  "--metrics-allow)");
		return;
	}
	metrics_render(&b, &rq->app->writer);
	s = buf_detach(&b, &n);
	resp_bytes(rs, 200, "text/plain; version=0.0.4; charset=utf-8", s, n);
	free(s);
}

void api_hello(struct req *rq, struct resp *rs)
{
	static const char hello[] = "{\"hello\":\"world\"}";

	(void)rq;
	resp_static(rs, 200, "application/json", hello, sizeof(hello) - 1);
}

/* "/api/v1/users/{id}" -> the OpenAPI parameters of its {names}. */
static json_t *path_params(const char *pattern)
{
	json_t *a = json_array();
	const char *p = pattern;

	while ((p = strchr(p, '{'))) {
		const char *end = strchr(p, '}');
		char *name = xstrndup(p + 1, (size_t)(end - p - 1));

		json_array_append_new(
			a, json_pack("{s:s, s:s, s:b, s:{s:s}}", "name", name,
				     "in", "path", "required", 1, "schema",
				     "type", "string"));
		free(name);
		p = end;
	}
	return a;
}

static json_t *operation(const struct route *r)
{
	json_t *op = json_pack("{s:s, s:o}", "summary", r->summary,
			       "parameters", path_params(r->pattern));
	json_t *responses = json_pack(
		"{s:{s:s}, s:{s:s}}", "200", "description", "success",
		"default", "description",
		"error: {\"error\": {\"code\", \"message\", \"field\"}}");

	json_object_set_new(op, "responses", responses);
	if (r->flags & ROUTE_PUBLIC)
		json_object_set_new(op, "security", json_array());
	if (r->flags & ROUTE_FEED)
		json_object_set_new(op, "security",
				    json_pack("[{s:[]}, {s:[]}, {s:[]}]",
					      "bearer", "cookie", "feed"));
	if (!strcmp(r->method, "POST") || !strcmp(r->method, "PATCH") ||
	    !strcmp(r->method, "PUT"))
		json_object_set_new(
			op, "requestBody",
			json_pack("{s:{s:{s:{s:s}}}}", "content",
				  "application/json", "schema", "type",
				  "object"));
	return op;
}

void api_openapi(struct req *rq, struct resp *rs)
{
	json_t *paths = json_object();
	json_t *doc;

	(void)rq;
	for (int i = 0; i < routes_count; i++) {
		const struct route *r = &routes[i];
		json_t *item = json_object_get(paths, r->pattern);
		char method[8];

		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->pattern, item);
		}
		for (int k = 0; r->method[k] && k < 7; k++)
			method[k] = (char)(r->method[k] | 0x20);
		method[strlen(r->method) < 7 ? strlen(r->method) : 7] = '\0';
		json_object_set_new(item, method, operation(r));
	}
	doc = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:o, s:{s:{s:{s:s, s:s}, s:{s:s, s:s, s:s},"
		" s:{s:s, s:s, s:s, s:s}}}, s:[{s:[]}, {s:[]}]}",
		"openapi", "3.0.3", "info", "title", "erms API", "version",
		ERMS_VERSION, "description",
		"Emergency Response Management System. See docs/api.md.",
		"paths", paths, "components", "securitySchemes", "bearer",
		"type", "http", "scheme", "bearer", "cookie", "type", "apiKey",
		"in", "cookie", "name", "erms_session", "feed", "type", "apiKey",
		"in", "query", "name", "token", "description",
		"a calendar feed token (ermsf_...), only on the .ics feeds",
		"security", "bearer", "cookie");
	resp_json(rs, 200, doc);
}

static const struct jfield clock_fields[] = {
	{ "now", JT_STRING, true, 40, 1 },
};

/*
 * POST /api/v1/test/clock {now}: set the server's clock (only with
 * `erms serve --test-clock`, for tests) and record the breaches due then,
 * in the same transaction. Never enable it in production.
 */
void api_test_clock(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t now;
	int n = 0, rc;

	if (!rq->app->cfg.test_clock) {
		resp_fail(rq, rs, 404, "not_found", NULL,
			  "the test clock is off");
		return;
	}
	rc = app_may(&rq->who, A_AUDIT_READ, NULL, &e);
	if (!rc)
		rc = json_check(rq->body, clock_fields,
				ARRAY_SIZE(clock_fields), &e);
	if (!rc && time_parse(jstr(rq->body, "now", ""), &now))
		rc = err_ret(&e, ERMS_EINVAL, "invalid", "bad time");
	if (!rc) {
		int q;

		clock_set_ms(now);
		rc = app_breaches_record(&rq->app->plans, rq->st, now,
					 &n);
		if (!rc)
			rc = app_escalation_run(&rq->app->plans, rq->st,
						now, &q);
		if (!rc)
			rc = app_drill_warn(rq->st, now,
					    rq->app->cfg.drill_warn_days
					    ? rq->app->cfg.drill_warn_days
					    : DRILL_WARN_DAYS_DEFAULT, &q);
	}
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, json_pack("{s:o, s:i}", "now", json_time(now),
					     "breaches", n));
}
