/*
 * api-intake.c - monitoring intake: the integrations (administrators),
 * the payloads monitors post to an integration's secret URL, PagerDuty's
 * own path (/v2/enqueue), and an incident's alerts.
 *
 * An intake request is checked in its prep, on the I/O thread: the key
 * (the only credential), the integration's rate limit, and the payload,
 * decoded whole; the writer then only applies the decoded batch. Events
 * (PagerDuty Events API v2) are answered as PagerDuty answers, 202 or
 * 400 "invalid event", with our own "error" object too.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/intake.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/crypto.h"
#include "util/xalloc.h"

/* From an intake's prep to its handler. */
struct intake_ctx {
	struct intake_target t;
	struct intake_batch b;
	struct intake_result res;
};

static void ctx_free(void *p)
{
	struct intake_ctx *x = p;

	intake_batch_release(&x->b);
	free(x);
}

static struct intake_ctx *ctx_new(struct req *rq)
{
	struct intake_ctx *x = xcalloc(1, sizeof(*x));

	rq->ctx = x;
	rq->ctx_free = ctx_free;
	return x;
}

/*
 * A 400 as PagerDuty answers it ({status: "invalid event", message,
 * errors}), with the standard "error" object beside.
 */
static void event_invalid(struct req *rq, struct resp *rs, int rc,
			  const struct errbuf *e)
{
	json_t *errors, *err;

	resp_err(rq, rs, rc, e);
	if (rs->status != 400)
		return;
	errors = json_array();
	err = json_object_get(rs->json, "error");
	json_array_append(errors, json_object_get(err, "message"));
	json_object_set_new(rs->json, "status", json_string("invalid event"));
	json_object_set_new(rs->json, "message",
			    json_string("Event object is invalid"));
	json_object_set_new(rs->json, "errors", errors);
}

/* An error of a payload of kind k (or of /v2/enqueue: events). */
static void intake_fail(struct req *rq, struct resp *rs, enum intake_kind k,
			int rc, const struct errbuf *e)
{
	if (k == IK_EVENTS)
		event_invalid(rq, rs, rc, e);
	else
		resp_err(rq, rs, rc, e);
}

/* The body as JSON (any content type: monitors send what they send). */
static json_t *parse_raw(struct req *rq, struct errbuf *e)
{
	json_error_t je;
	json_t *j;

	if (!rq->raw_len) {
		err_ret(e, ERMS_EINVAL, "bad_json",
			"the body is empty; send a JSON object");
		return NULL;
	}
	j = json_body(rq->raw, rq->raw_len, &je);
	if (j)
		return j;
	if (json_error_code(&je) == json_error_invalid_utf8)
		err_ret(e, ERMS_EINVAL, "invalid_utf8",
			"the body is not valid UTF-8");
	else
		err_ret(e, ERMS_EINVAL, "bad_json",
			"malformed JSON at line %d, column %d: %s", je.line,
			je.column, je.text);
	return NULL;
}

/*
 * The integration whose key this is, enabled and within its rate
 * limit; else the answer (401 alike for every key that does not work,
 * 429 with Retry-After). kind >= 0: only an integration of that kind.
 */
static int admit(struct req *rq, struct resp *rs, const char *key, int kind,
		 struct intake_ctx *x)
{
	struct errbuf e = { 0 };
	int64_t retry_ms = 0;
	int rc = ERMS_EAUTH;

	if (key && *key && strlen(key) <= INTAKE_KEY_MAX)
		rc = app_intake_admit(rq->app, rq->st, key, rq->now_ms, &x->t,
				      &retry_ms, &e);
	if (!rc && kind >= 0 && (int)x->t.kind != kind)
		rc = ERMS_EAUTH;
	if (rc == ERMS_EAUTH) {
		resp_fail(rq, rs, 401, "unauthorized", NULL,
			  "no integration takes this key");
	} else if (rc == ERMS_ELIMIT) {
		resp_err(rq, rs, rc, &e);
		resp_header(rs, "Retry-After", "%lld",
			    (long long)(retry_ms > 0 ? (retry_ms + 999) / 1000
					: 1));
	} else if (rc) {
		resp_err(rq, rs, rc, &e);
	}
	return rc;
}

/* Decode body (NULL: parse the raw body) into x's batch; else answer. */
static void decode(struct req *rq, struct resp *rs, struct intake_ctx *x,
		   json_t *body, const char *key)
{
	struct errbuf e = { 0 };
	enum intake_kind k = x->t.kind;
	const char *rk;
	int rc;

	if (k == IK_HEARTBEAT) {
		intake_decode(k, NULL, rq->now_ms, &x->b, &e);
		json_decref(body);
		return;
	}
	if (!body && !(body = parse_raw(rq, &e))) {
		intake_fail(rq, rs, k, ERMS_EINVAL, &e);
		return;
	}
	rk = json_string_value(json_object_get(body, "routing_key"));
	if (k == IK_EVENTS && rk && !ct_streq(rk, key)) {
		json_decref(body);
		err_fail(&e, ERMS_EINVAL, "routing_key",
			 "routing_key is not this integration's key");
		intake_fail(rq, rs, k, ERMS_EINVAL, &e);
		return;
	}
	rc = intake_decode(k, body, rq->now_ms, &x->b, &e);
	json_decref(body);
	if (rc)
		intake_fail(rq, rs, k, rc, &e);
}

/* prep of /api/v1/intake/{key}, POST and GET (heartbeats). */
void api_intake_prep(struct req *rq, struct resp *rs)
{
	struct intake_ctx *x = ctx_new(rq);

	if (admit(rq, rs, rq->param[0], -1, x))
		return;
	if (strcmp(rq->method, "POST") && x->t.kind != IK_HEARTBEAT) {
		resp_fail(rq, rs, 405, "method_not_allowed", NULL,
			  "a %s integration takes POST",
			  intake_kind_name(x->t.kind));
		resp_header(rs, "Allow", "POST");
		return;
	}
	decode(rq, rs, x, NULL, rq->param[0]);
}

/* prep of /v2/enqueue: the key is the body's routing_key. */
void api_enqueue_prep(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct intake_ctx *x = ctx_new(rq);
	json_t *body = parse_raw(rq, &e);
	json_t *rk = json_object_get(body, "routing_key");

	if (!body) {
		event_invalid(rq, rs, ERMS_EINVAL, &e);
		return;
	}
	if (!json_is_string(rk)) {
		json_decref(body);
		err_ret(&e, ERMS_EINVAL, rk ? "wrong_type" : "missing_field",
			"'routing_key' %s", rk ? "must be a string"
					       : "is required");
		errbuf_field(&e, "routing_key");
		event_invalid(rq, rs, ERMS_EINVAL, &e);
		return;
	}
	if (admit(rq, rs, json_string_value(rk), IK_EVENTS, x)) {
		json_decref(body);
		return;
	}
	decode(rq, rs, x, body, json_string_value(rk));
}

/* The answer, on the connection's thread after the commit. */
static void intake_answer(struct resp *rs)
{
	const struct intake_ctx *x = rs->finish_ctx;
	const struct intake_result *r = &x->res;

	switch (x->t.kind) {
	case IK_EVENTS:
		resp_json(rs, 202, json_pack("{s:s, s:s, s:s}", "status",
					     "success", "message",
					     "Event processed", "dedup_key",
					     r->dedup_key[0] ? r->dedup_key
							     : x->b.dedup_key));
		break;
	case IK_HEARTBEAT:
		resp_json(rs, 200, json_pack("{s:s}", "status", "ok"));
		break;
	default:
		resp_json(rs, 200, json_pack(
			"{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:o}",
			"status", "ok", "alerts", r->alerts, "created",
			r->created, "updated", r->updated, "resolved",
			r->resolved, "suppressed", r->suppressed,
			"incidents_opened", r->incidents_opened, "incident",
			r->incident_number[0] ? json_string(r->incident_number)
					      : json_null()));
		break;
	}
}

/* On the writer: apply the batch its prep decoded. */
void api_intake(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct intake_ctx *x = rq->ctx;
	int rc = app_intake_apply(rq->app, rq->st, x->t.id, &x->b,
				  rq->now_ms, &x->res, &e);

	if (rc) {
		intake_fail(rq, rs, x->t.kind, rc, &e);
		return;
	}
	/* x lives as long as the request (rq->ctx): nothing to free. */
	rs->status = x->t.kind == IK_EVENTS ? 202 : 200;
	rs->finish = intake_answer;
	rs->finish_ctx = x;
}

/* Integrations (administrators). */

static void answer(struct req *rq, struct resp *rs, int rc, int status,
		   json_t *out, const struct errbuf *e)
{
	if (rc) {
		json_decref(out);
		resp_err(rq, rs, rc, e);
		return;
	}
	if (json_is_integer(json_object_get(out, "version")))
		resp_etag(rs, json_integer_value(json_object_get(out,
								 "version")));
	resp_json(rs, status, out);
}

/* The integration of route parameter 0, or 0 (answered 404). */
static int64_t integration_id(struct req *rq, struct resp *rs)
{
	int64_t id = req_param_id(rq, 0);

	if (!id)
		resp_fail(rq, rs, 404, "not_found", NULL,
			  "no integration '%s'", rq->param[0]);
	return id;
}

void api_integration_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *items = NULL;
	int rc = app_integration_list(rq->app, rq->st, &rq->who, &items, &e);

	api_answer_list(rq, rs, rc, items ? items : json_array(), &e);
}

void api_integration_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *out = NULL;
	int rc = json_check(rq->body, integration_body.f, integration_body.n,
			    &e);

	if (!rc)
		rc = app_integration_create(rq->app, rq->st, &rq->who,
					    rq->body, rq->now_ms, &out, &e);
	answer(rq, rs, rc, 201, out, &e);
}

void api_integration_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *out = NULL;
	int64_t id = integration_id(rq, rs);
	int rc;

	if (!id)
		return;
	rc = app_integration_get(rq->app, rq->st, &rq->who, id, &out, &e);
	answer(rq, rs, rc, 200, out, &e);
}

void api_integration_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *out = NULL;
	int64_t id = integration_id(rq, rs);
	int rc;

	if (!id)
		return;
	rc = json_check(rq->body, integration_update_body.f,
			integration_update_body.n, &e);
	if (!rc)
		rc = app_integration_update(rq->app, rq->st, &rq->who, id,
					    rq->body, rq->now_ms, &out, &e);
	answer(rq, rs, rc, 200, out, &e);
}

void api_integration_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t id = integration_id(rq, rs);
	int rc;

	if (!id)
		return;
	rc = app_integration_delete(rq->app, rq->st, &rq->who, id,
				    rq->now_ms, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_status(rs, 204);
}

void api_integration_rotate(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *out = NULL;
	int64_t id = integration_id(rq, rs);
	int rc;

	if (!id)
		return;
	rc = app_integration_rotate(rq->app, rq->st, &rq->who, id, rq->now_ms,
				    &out, &e);
	answer(rq, rs, rc, 200, out, &e);
}

void api_integration_test(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *out = NULL;
	int64_t id = integration_id(rq, rs);
	int rc;

	if (!id)
		return;
	rc = app_integration_test(rq->app, rq->st, &rq->who, id, rq->now_ms,
				  &out, &e);
	answer(rq, rs, rc, 201, out, &e);
}

/* A page of an incident's alerts: the app gives limit + 1 of them. */
static int alerts_page(struct req *rq, int64_t after, struct page *p,
		       struct errbuf *e)
{
	size_t n;
	int rc = app_incident_alerts(rq->st, &rq->who, rq->param[0], after,
				     p->limit, p->items, e);

	if (rc)
		return rc;
	n = json_array_size(p->items);
	if (n <= (size_t)p->limit)
		return 0;
	json_array_remove(p->items, n - 1);
	p->last = jint(json_array_get(p->items, n - 2), "id", 0);
	return 1;
}

void api_incident_alerts(struct req *rq, struct resp *rs)
{
	api_page(rq, rs, alerts_page);
}
