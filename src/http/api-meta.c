/*
 * api-meta.c - the routes about the server itself: health, metrics, the
 * OpenAPI document (openapi.c), and in a bench build the benchmark's
 * hello world.
 */
#include "http/routes.h"

#include <string.h>
#include <strings.h>

#include "app/drills.h"
#include "app/escalate.h"
#include "app/incidents.h"
#include "app/plannotice.h"
#include "app/regulatory.h"
#include "http/fields.h"
#include "http/json.h"
#include "http/metrics.h"
#include "http/openapi.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/netaddr.h"
#include "util/xalloc.h"

/* /healthz's word on this node among those sharing the database: does
 * it run the scheduler (app/tick.c)? Adds to o and returns it. */
static json_t *health_node(struct app *app, json_t *o)
{
	json_object_set_new(o, "scheduler_leader",
			    json_boolean(atomic_load(&app->leader)));
	return o;
}

/* /metrics' lines about this node among those sharing the database. */
static void metrics_node(struct buf *b, struct app *app)
{
	buf_addf(b, "# HELP erms_scheduler_leader Whether this node runs "
		    "the scheduler (1) or another node does (0).\n"
		    "# TYPE erms_scheduler_leader gauge\n"
		    "erms_scheduler_leader %d\n",
		 atomic_load(&app->leader) ? 1 : 0);
}

/*
 * /healthz's word on the database: its engine, the role this node
 * reaches (a load balancer keeps only the nodes on a writable primary)
 * and whether it takes writes. Adds to o and returns it.
 */
static json_t *health_db(const struct app_db_role *d, json_t *o)
{
	json_object_set_new(o, "db", json_pack("{s:s,s:s,s:b}",
					       "engine", d->engine,
					       "role", d->role,
					       "writable", d->writable));
	return o;
}

void api_health(struct req *rq, struct resp *rs)
{
	struct app_db_role d;
	int rc = app_ping(rq->st);

	if (rc) {
		resp_fail(rq, rs, 503, "unavailable", NULL,
			  "the database cannot be reached (%s)",
			  erms_strerror(rc));
		return;
	}
	if ((rc = app_health_db(rq->app, rq->now_ms, &d))) {
		resp_fail(rq, rs, 503, "unavailable", NULL,
			  "the database cannot take writes (%s; %s %s)",
			  erms_strerror(rc), d.engine, d.role);
		return;
	}
	resp_json(rs, 200, health_node(rq->app, health_db(&d,
				json_pack("{s:s}", "status", "ok"))));
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
	metrics_node(&b, rq->app);
	s = buf_detach(&b, &n);
	resp_bytes(rs, 200, "text/plain; version=0.0.4; charset=utf-8", s, n);
	free(s);
}

#ifdef ERMS_BENCH_ROUTES
/* The benchmark's ceiling: no database, no sign-in, a static body. */
void api_hello(struct req *rq, struct resp *rs)
{
	static const char hello[] = "{\"hello\":\"world\"}";

	(void)rq;
	resp_static(rs, 200, "application/json", hello, sizeof(hello) - 1);
}
#endif

void api_openapi(struct req *rq, struct resp *rs)
{
	resp_json(rs, 200, openapi_doc(rq->app->cfg.public_url));
}

/*
 * POST /api/v1/test/clock {now}: set the server's clock (only with
 * `erms serve --test-clock`, for tests) and run the scheduler's steps due
 * then (breaches, the chain's tiers, drills' injects and warnings, plan
 * reminders, the duty to report), in the same transaction. Never enable it in production.
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
		rc = json_check(rq->body, clock_body.f,
				clock_body.n, &e);
	if (!rc && time_parse(jstr(rq->body, "now", ""), &now))
		rc = err_ret(&e, ERMS_EINVAL, "invalid", "bad time");
	if (!rc) {
		int q;

		clock_set_ms(now);
		/* The ticker rebuilds the pack (--pack-dir) at its next
		 * tick, on a reader: never in this transaction. */
		atomic_store(&rq->app->pack_poke, true);
		rc = app_breaches_record(&rq->app->plans, rq->st, now,
					 &n);
		if (!rc)
			rc = app_escalation_run(&rq->app->plans, rq->st,
						now, &q);
		if (!rc)
			rc = app_drill_injects(rq->st, now, &q);
		if (!rc)
			rc = app_drill_warn(rq->st, now,
					    rq->app->cfg.drill_warn_days
					    ? rq->app->cfg.drill_warn_days
					    : DRILL_WARN_DAYS_DEFAULT, &q);
		if (!rc)
			rc = app_plan_reminders(rq->st, now, &q);
		if (!rc)
			rc = app_reg_tick(&rq->app->plans, rq->st, now, &q);
	}
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, json_pack("{s:o, s:i}", "now", json_time(now),
					     "breaches", n));
}
