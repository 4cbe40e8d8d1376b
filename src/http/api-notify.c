/*
 * api-notify.c - channels, the delivery log, and acknowledging messages
 * (by API, or by the one-time link a message carries, without sign-in).
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/keys.h"
#include "app/notify.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "notify/channel.h"
#include "store/store.h"
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
	return json_pack("{s:I, s:s, s:s, s:o, s:i, s:I, s:b, s:o, s:o}",
			 "id", (json_int_t)c->id, "name", c->name,
			 "kind", channel_kind_name(c->kind),
			 "config", public_config(c->config),
			 "rate_burst", c->rate_burst,
			 "rate_period_ms", (json_int_t)c->rate_period_ms,
			 "enabled", c->enabled,
			 "created_at", json_time(c->created_ms),
			 "updated_at", json_time(c->updated_ms));
}

/* The config's required fields for its kind. */
static int check_config(const struct app_config *app_cfg, int kind,
			const json_t *cfg, struct errbuf *e)
{
	static const char *const need[CH__COUNT][3] = {
		[CH_EMAIL] = { "host", "from", NULL },
		[CH_WEBHOOK] = { "url", "secret", NULL },
		[CH_SLACK] = { "url", NULL, NULL },
		[CH_DINGTALK] = { "url", NULL, NULL },
		[CH_WECOM] = { "url", NULL, NULL },
		[CH_FEISHU] = { "url", NULL, NULL },
	};

	for (int i = 0; i < 3 && need[kind][i]; i++)
		if (!json_is_string(json_object_get(cfg, need[kind][i]))) {
			char f[32];

			snprintf(f, sizeof(f), "config.%s", need[kind][i]);
			errbuf_set(e, "missing_field", "a %s channel needs %s",
				   channel_kind_name(kind), f);
			errbuf_field(e, f);
			return ERMS_EINVAL;
		}
	return channel_config_check((enum channel_kind)kind, cfg,
				    app_cfg->allow_private_webhooks, e);
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
	int rc = app_may(&rq->who, A_CHANNEL_MANAGE, NULL, &e);

	if (!rc)
		rc = store_channel_list(rq->st, add_channel, items);
	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_list(rs, items, 0);
}

static int channel_audit(struct req *rq, const char *action,
			 const struct channel *c)
{
	char obj[32];

	snprintf(obj, sizeof(obj), "channel:%lld", (long long)c->id);
	return audit_append(rq->st, rq->who.user.id, action, obj, c->name,
			    rq->now_ms);
}

void api_channel_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct channel c = { .enabled = true };
	int rc = app_may(&rq->who, A_CHANNEL_MANAGE, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, channel_body.f,
				channel_body.n, &e);
	if (!rc && (c.kind = channel_kind_parse(jstr(rq->body, "kind", ""))) < 0)
		rc = err_ret(&e, ERMS_EINVAL, "invalid", "kind is email, "
			     "webhook, slack, dingtalk, wecom or feishu");
	if (!rc)
		rc = check_config(&rq->app->cfg, c.kind,
				  json_object_get(rq->body, "config"), &e);
	if (!rc) {
		jcopy(c.name, sizeof(c.name), rq->body, "name");
		json_t *cfg = json_deep_copy(json_object_get(rq->body,
							     "config"));

		keys_seal_config(cfg);	/* secrets are sealed at rest */
		c.config = json_dumps(cfg, JSON_COMPACT);
		json_decref(cfg);
		c.rate_burst = (int)jint(rq->body, "rate_burst", 0);
		c.rate_period_ms = jint(rq->body, "rate_period_ms", 0);
		c.enabled = jbool(rq->body, "enabled", true);
		c.created_ms = rq->now_ms;
		rc = store_channel_insert(rq->st, &c);
		if (rc == ERMS_ECONFLICT)
			errbuf_set(&e, "conflict", "a channel '%s' exists",
				   c.name);
	}
	if (!rc)
		rc = channel_audit(rq, "channel.create", &c);
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
	int rc = app_may(&rq->who, A_CHANNEL_MANAGE, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, channel_update_body.f,
				channel_update_body.n, &e);
	if (!rc)
		rc = store_channel_get(rq->st, req_param_id(rq, 0), &c);
	if (!rc && jhas(rq->body, "config")) {
		/* Fields given replace the stored ones; secrets not given
		 * stay as they were. */
		json_t *cfg = json_loads(c.config, 0, NULL);

		if (keys_open_config(cfg))
			rc = err_ret(&e, ERMS_ESTORE, "unavailable",
				     "the channel's stored secrets do not "
				     "open with this key file");
		json_object_update(cfg, json_object_get(rq->body, "config"));
		if (!rc)
			rc = check_config(&rq->app->cfg, c.kind, cfg, &e);
		keys_seal_config(cfg);
		free(c.config);
		c.config = json_dumps(cfg, JSON_COMPACT);
		json_decref(cfg);
	}
	if (!rc) {
		jcopy(c.name, sizeof(c.name), rq->body, "name");
		c.rate_burst = (int)jint(rq->body, "rate_burst", c.rate_burst);
		c.rate_period_ms = jint(rq->body, "rate_period_ms",
					c.rate_period_ms);
		c.enabled = jbool(rq->body, "enabled", c.enabled);
		c.updated_ms = rq->now_ms;
		rc = store_channel_update(rq->st, &c);
	}
	if (!rc)
		rc = channel_audit(rq, "channel.update", &c);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, channel_json(&c));
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
	char outcome[16], code[24], error[256];
	int rc = app_may(&rq->who, A_CHANNEL_MANAGE, NULL, &e);

	if (!rc && rq->body && json_object_size(rq->body))
		rc = err_ret(&e, ERMS_EINVAL, "unknown_field",
			     "the test takes no fields");
	if (!rc)
		rc = store_channel_get(rq->st, req_param_id(rq, 0), &c);
	if (!rc && !rq->app->channel_test)
		rc = err_ret(&e, ERMS_ESTORE, "unavailable",
			     "no delivery worker runs");
	if (!rc)
		rc = rq->app->channel_test(rq->app->channel_test_ctx, &c,
					   rq->lang, rq->who.user.email,
					   outcome, code, error);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, json_pack("{s:I, s:s, s:s, s:s, s:b}",
					     "channel_id", (json_int_t)c.id,
					     "outcome", outcome, "code", code,
					     "error", error,
					     "delivered", !strcmp(outcome,
								  "sent")));
	channel_release(&c);
}

void api_channel_delete(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct channel c = { 0 };
	bool disabled;
	int rc = app_may(&rq->who, A_CHANNEL_MANAGE, NULL, &e);

	if (!rc)
		rc = store_channel_get(rq->st, req_param_id(rq, 0), &c);
	if (!rc)
		rc = store_channel_delete(rq->st, c.id, &disabled);
	if (!rc)
		rc = channel_audit(rq, disabled ? "channel.disable"
						: "channel.delete", &c);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_status(rs, 204);
	channel_release(&c);
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
	struct notification_filter *f = rq->ctx;

	f->before_id = after;
	f->limit = p->limit + 1;
	return store_notification_list(rq->st, f, add_notification, p);
}

void api_notification_list(struct req *rq, struct resp *rs)
{
	struct notification_filter f = { 0 };
	const char *inc = req_query(rq, "incident");
	const char *state = req_query(rq, "state");
	const char *ch = req_query(rq, "channel");

	if (state && notif_state_parse(state) < 0) {
		resp_fail(rq, rs, 400, "invalid", "state", "no state '%s'",
			  state);
		return;
	}
	if (inc) {
		struct incident_row r = { 0 };
		int rc = store_incident_get(rq->st, inc, &r);

		f.incident_id = rc ? -1 : r.inc.id;
		incident_row_release(&r);
	}
	f.state = state;
	f.channel_id = ch ? strtoll(ch, NULL, 10) : 0;
	rq->ctx = &f;
	api_list(rq, rs, A_NOTIFY_READ, notifications_page);
	rq->ctx = NULL;
}

void api_notification_retry(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct notification n = { 0 };
	int rc = app_may(&rq->who, A_NOTIFY_RETRY, NULL, &e);

	if (!rc)
		rc = store_notification_get(rq->st, req_param_id(rq, 0), &n);
	if (!rc && n.state != NS_FAILED)
		rc = err_ret(&e, ERMS_ECONFLICT, "conflict",
			     "only a failed message is retried");
	if (!rc) {
		char obj[40];

		n.state = NS_PENDING;
		n.attempts = 0;
		n.next_ms = rq->now_ms;
		rc = store_notification_update(rq->st, &n);
		snprintf(obj, sizeof(obj), "notification:%lld",
			 (long long)n.id);
		if (!rc)
			rc = audit_append(rq->st, rq->who.user.id,
					  "notification.retry", obj, n.idem_key,
					  rq->now_ms);
	}
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

/* The page a one-time link opens: zh-CN and en together, no script. */
static void ack_page(struct resp *rs, int status, const char *token,
		     const char *zh, const char *en, bool form)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "<!doctype html>\n<html lang=\"zh-CN\"><head>"
		 "<meta charset=\"utf-8\"><meta name=\"viewport\" "
		 "content=\"width=device-width, initial-scale=1\">"
		 "<title>erms</title><link rel=\"stylesheet\" "
		 "href=\"/app.css\"></head><body><main><section class=\"card\">"
		 "<h1>%s</h1><p lang=\"en\">%s</p>", zh, en);
	if (form)
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

/* GET /ack/{token}: a page with one button; a GET never acknowledges,
 * so mail scanners that open links do not. */
void api_ack_page(struct req *rq, struct resp *rs)
{
	if (!token_ok(rq->param[0])) {
		ack_page(rs, 404, NULL, "链接无效", "This link is not valid.",
			 false);
		return;
	}
	ack_page(rs, 200, rq->param[0], "确认收到此通知？",
		 "Acknowledge this notification? Escalation stops.", true);
}

void api_ack_link(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct notification n = { 0 };
	int rc = token_ok(rq->param[0])
		? notify_ack(rq->st, NULL, 0, rq->param[0], rq->now_ms, &n, &e)
		: ERMS_ENOTFOUND;

	if (rc == ERMS_ENOTFOUND)
		ack_page(rs, 404, NULL, "链接无效", "This link is not valid.",
			 false);
	else if (rc == ERMS_ECONFLICT)
		ack_page(rs, 409, NULL, "链接已使用或已过期",
			 "This link was already used, or has expired.", false);
	else if (rc)
		resp_err(rq, rs, rc, &e);
	else
		ack_page(rs, 200, NULL, "已确认，谢谢", "Acknowledged. Thank you.",
			 false);
	notification_release(&n);
}
