/*
 * api-notify.c - channels, the delivery log, and acknowledging messages
 * (by API, or by the one-time link a message carries, without sign-in).
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/ack.h"
#include "app/channels.h"
#include "app/codec.h"
#include "app/notify.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/escape.h"
#include "util/xalloc.h"

/* Fields of a channel's config that are secrets: never answered. */
static bool secret(const char *k)
{
	return !strcmp(k, "secret") || !strcmp(k, "password") ||
	       !strcmp(k, "url");
}

/* The config as answered: secrets replaced by "***", URLs cut to their
 * host (robot URLs carry their key). */
static json_t *public_config(const char *text)
{
	json_t *c = json_loads(text ? text : "{}", 0, NULL), *out = json_object();
	const char *k;
	json_t *v;

	json_object_foreach(c, k, v) {
		if (!strcmp(k, "url_host")) {
			continue;	/* shown as url, below */
		} else if (!strcmp(k, "url") &&
			   json_is_string(json_object_get(c, "url_host"))) {
			/* Sealed at rest (app/keys.h): its host only. */
			json_object_set(out, k, json_object_get(c, "url_host"));
			json_object_set_new(out, "url_set", json_true());
		} else if (!secret(k)) {
			json_object_set(out, k, v);
		} else if (!strcmp(k, "url") && json_is_string(v)) {
			const char *u = json_string_value(v);
			const char *host = strstr(u, "://");
			const char *path = host ? strchr(host + 3, '/') : NULL;

			json_object_set_new(out, k, json_stringn(u, path
				? (size_t)(path - u) : strlen(u)));
			json_object_set_new(out, "url_set", json_true());
		} else {
			json_object_set_new(out, k, json_string("***"));
		}
	}
	json_decref(c);
	return out;
}

static json_t *channel_json(const struct channel *c)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:i, s:I, s:b, s:o, s:o}",
			 "id", (json_int_t)c->id, "name", c->name,
			 "kind", channel_kind_name(c->kind),
			 "config", public_config(c->config),
			 "rate_burst", c->rate_burst,
			 "rate_period_ms", (json_int_t)c->rate_period_ms,
			 "enabled", c->enabled,
			 "created_at", json_time(c->created_ms),
			 "updated_at", json_time(c->updated_ms));

	json_add_stamp(o, &c->stamp);
	return o;
}

static int add_channel(void *ctx, const struct channel *c)
{
	json_array_append_new(ctx, channel_json(c));
	return 0;
}

void api_channel_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *items = json_array();
	int rc = app_channel_list(rq->st, &rq->who, add_channel, items, &e);

	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_list(rs, items, 0);
}

/* A checked channel body as the app takes it. */
static struct channel_in channel_in(const json_t *body)
{
	return (struct channel_in){
		.name = jhas(body, "name") ? jstr(body, "name", NULL) : NULL,
		.kind = jstr(body, "kind", NULL),
		.config = json_object_get(body, "config"),
		.rate_burst = jint(body, "rate_burst", -1),
		.rate_period_ms = jint(body, "rate_period_ms", -1),
		.enabled = jhas(body, "enabled") ? jbool(body, "enabled", true)
						 : -1,
		.version = jint(body, "version", 0),
	};
}

void api_channel_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct channel c = { 0 };
	struct channel_in in = channel_in(rq->body);
	int rc = json_check(rq->body, channel_body.f,
			    channel_body.n, &e);

	if (!rc)
		rc = app_channel_create(rq->app, rq->st, &rq->who, &in,
					rq->now_ms, &c, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, channel_json(&c));
	channel_release(&c);
}

void api_channel_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct channel c = { 0 };
	struct channel_in in = channel_in(rq->body);
	int rc = json_check(rq->body, channel_update_body.f,
			    channel_update_body.n, &e);

	if (!rc)
		rc = app_channel_update(rq->app, rq->st, &rq->who,
					req_param_id(rq, 0), &in, rq->now_ms,
					&c, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, channel_json(&c));
		resp_etag(rs, c.stamp.version);
	}
	channel_release(&c);
}

/*
 * POST /api/v1/channels/{id}/test: one message now, and the service's
 * verdict in the answer (200 whatever it is: the test itself worked).
 * Runs here, not in the writer: it waits on the network, writes nothing.
 */
void api_channel_test(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct channel c = { 0 };
	struct channel_test_result t;
	int rc = 0;

	if (rq->body && json_object_size(rq->body))
		rc = err_ret(&e, ERMS_EINVAL, "unknown_field",
			     "the test takes no fields");
	if (!rc)
		rc = app_channel_test(rq->app, rq->st, &rq->who,
				      req_param_id(rq, 0), rq->lang, &c, &t,
				      &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, json_pack("{s:I, s:s, s:s, s:s, s:b}",
					     "channel_id", (json_int_t)c.id,
					     "outcome", t.outcome, "code",
					     t.code, "error", t.error,
					     "delivered", !strcmp(t.outcome,
								  "sent")));
	channel_release(&c);
}

void api_channel_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int rc = app_channel_delete(rq->st, &rq->who, req_param_id(rq, 0),
				    rq->now_ms, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_status(rs, 204);
}

static json_t *notification_json(const struct notification *n)
{
	return json_pack(
		"{s:I, s:I, s:s, s:i, s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:i,"
		" s:o, s:s, s:o, s:o, s:o, s:s}",
		"id", (json_int_t)n->id, "incident_id",
		(json_int_t)n->incident_id, "event", n->event, "tier", n->tier,
		"channel_id", (json_int_t)n->channel_id, "user_id",
		n->user_id ? json_integer(n->user_id) : json_null(),
		"recipient", n->recipient ? n->recipient : "",
		"locale", n->locale, "subject", n->subject ? n->subject : "",
		"idempotency_key", n->idem_key,
		"state", notif_state_name(n->state), "attempts", n->attempts,
		"next_attempt_at", n->state == NS_PENDING
			? json_time(n->next_ms) : json_null(),
		"last_error", n->last_error ? n->last_error : "",
		"created_at", json_time(n->created_ms),
		"sent_at", json_time(n->sent_ms),
		"acked_at", json_time(n->acked_ms),
		"acked_by", n->acked_by);
}

static int add_notification(void *ctx, const struct notification *n)
{
	struct page *p = ctx;

	if (page_full(p))
		return 1;
	json_array_append_new(p->items, notification_json(n));
	p->last = n->id;
	return 0;
}

static int notifications_page(struct req *rq, int64_t after, struct page *p)
{
	return app_notification_page(rq->st, rq->ctx, after, p->limit + 1,
				     add_notification, p);
}

void api_notification_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct notification_query q;
	int rc = app_notification_query(rq->st, req_query(rq, "incident"),
					req_query(rq, "state"),
					req_query(rq, "channel"), &q, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	rq->ctx = &q;
	api_list(rq, rs, A_NOTIFY_READ, notifications_page);
	rq->ctx = NULL;
}

void api_notification_retry(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct notification n = { 0 };
	int rc = app_notification_retry(rq->st, &rq->who, req_param_id(rq, 0),
					rq->now_ms, &n, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, notification_json(&n));
	notification_release(&n);
}

void api_notification_ack(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct notification n = { 0 };
	int rc = notify_ack(rq->st, &rq->who, req_param_id(rq, 0), NULL,
			    rq->now_ms, &n, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, notification_json(&n));
	notification_release(&n);
}

/* The page a one-time link opens: zh-CN and en together, no script;
 * v (NULL for a link that is not valid) names the incident. */
static void ack_page(struct resp *rs, int status, const char *token,
		     const char *zh, const char *en,
		     const struct ack_view *v)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "<!doctype html>\n<html lang=\"zh-CN\"><head>"
		 "<meta charset=\"utf-8\"><meta name=\"viewport\" "
		 "content=\"width=device-width, initial-scale=1\">"
		 "<title>erms</title><link rel=\"stylesheet\" "
		 "href=\"/app.css\"></head><body><main><section class=\"card\">"
		 "<h1>%s</h1><p lang=\"en\">%s</p>", zh, en);
	if (v && v->number[0]) {
		buf_adds(&b, "<dl class=\"ack-incident\"><dt>事件 / "
			 "<span lang=\"en\">Incident</span></dt><dd>");
		esc_html(&b, v->number);
		buf_adds(&b, " · ");
		esc_html(&b, v->title);
		buf_adds(&b, "</dd><dt>级别 / <span lang=\"en\">Level</span>"
			 "</dt><dd>");
		if (v->level_zh[0]) {
			esc_html(&b, v->level_zh);
			buf_adds(&b, " / <span lang=\"en\">");
			esc_html(&b, v->level_en);
			buf_adds(&b, "</span>");
		} else {
			buf_adds(&b, "未定级 / <span lang=\"en\">not yet "
				 "levelled</span>");
		}
		buf_adds(&b, "</dd></dl>");
	}
	if (token)
		/* The token is base64url: safe in an attribute. */
		buf_addf(&b, "<form method=\"post\" action=\"/ack/%s\">"
			 "<button type=\"submit\">确认收到 / Acknowledge"
			 "</button></form>", token);
	buf_adds(&b, "</section></main></body></html>\n");
	resp_bytes(rs, status, "text/html; charset=utf-8", b.data, b.len);
	buf_release(&b);
}

static bool token_ok(const char *t)
{
	size_t n = strlen(t);

	if (n < 20 || n > 80)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z')
		      || (t[i] >= '0' && t[i] <= '9') || t[i] == '-' ||
		      t[i] == '_'))
			return false;
	return true;
}

static void invalid_page(struct resp *rs)
{
	ack_page(rs, 404, NULL, "链接无效", "This link is not valid.", NULL);
}

/* The page of a link already used or expired: no button. */
static void spent_page(struct resp *rs, const struct ack_view *v)
{
	if (v->used)
		ack_page(rs, 409, NULL, "此通知已确认，链接已使用",
			 "This notification was already acknowledged: the "
			 "link has been used.", v);
	else
		ack_page(rs, 409, NULL, "链接已过期",
			 "This link has expired.", v);
}

/* GET /ack/{token}: a page with one button, naming the incident; a GET
 * never acknowledges, so mail scanners that open links do not. */
void api_ack_page(struct req *rq, struct resp *rs)
{
	struct ack_view v = { 0 };
	int rc = token_ok(rq->param[0])
		? notify_ack_view(rq->st, rq->param[0], rq->now_ms, &v)
		: ERMS_ENOTFOUND;

	if (rc == ERMS_ENOTFOUND)
		invalid_page(rs);
	else if (rc)
		resp_err(rq, rs, rc, NULL);
	else if (v.used || v.expired)
		spent_page(rs, &v);
	else
		ack_page(rs, 200, rq->param[0], "确认收到此通知？",
			 "Acknowledge this notification? Escalation stops.",
			 &v);
	ack_view_release(&v);
}

void api_ack_link(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct notification n = { 0 };
	struct ack_view v = { 0 };
	int rc = token_ok(rq->param[0])
		? notify_ack(rq->st, NULL, 0, rq->param[0], rq->now_ms, &n, &e)
		: ERMS_ENOTFOUND;

	if ((!rc || rc == ERMS_ECONFLICT) &&
	    notify_ack_view(rq->st, rq->param[0], rq->now_ms, &v))
		rc = ERMS_ESTORE;
	if (rc == ERMS_ENOTFOUND)
		invalid_page(rs);
	else if (rc == ERMS_ECONFLICT)
		spent_page(rs, &v);
	else if (rc)
		resp_err(rq, rs, rc, &e);
	else
		ack_page(rs, 200, NULL, "已确认，谢谢",
			 "Acknowledged. Thank you.", &v);
	ack_view_release(&v);
	notification_release(&n);
}
