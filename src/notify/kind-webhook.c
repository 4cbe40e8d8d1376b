/*
 * kind-webhook.c - erms' own webhook: the message and its event as JSON,
 * signed with X-Erms-Signature (HMAC-SHA256 of the body, hex).
 */
#include "notify/ops.h"

#include <string.h>

#include "util/xalloc.h"

static char *webhook_shape(const struct message *m, const char *secret,
			   int64_t now_ms, struct buf *url)
{
	json_t *o = json_object();

	(void)secret;
	(void)now_ms;
	(void)url;
	ch_set_str(o, "idempotency_key", m->idempotency_key);
	ch_set_str(o, "subject", m->subject);
	ch_set_str(o, "text", ch_has(m->text) ? m->text : NULL);
	ch_set_str(o, "link", ch_has(m->link) ? m->link : NULL);
	ch_set_str(o, "ack_link", ch_has(m->ack_link) ? m->ack_link : NULL);
	json_object_set_new(o, "event",
			    m->event ? json_deep_copy(m->event) : json_null());
	return ch_dump_take(o);
}

static char *webhook_sign(const char *secret, const char *body)
{
	char hex[65];

	hmac_sha256_hex(secret, body, strlen(body), hex);
	return xasprintf("X-Erms-Signature: sha256=%s", hex);
}

static int webhook_check(const json_t *config, bool allow_internal,
			 struct errbuf *err)
{
	if (!ch_key_ok(ch_cfg_str(config, "secret")))
		return ch_field_bad(err, "secret", "is required: printable "
				    "ASCII without spaces");
	return ch_check_url(config, allow_internal, err);
}

/* Any 2xx is sent. */
static bool webhook_answer(struct verdict *v, const char *body, size_t len,
			   const char *text)
{
	(void)body;
	(void)len;
	(void)text;
	if (v->status >= 200 && v->status < 300) {
		v->outcome = DELIVERY_SENT;
		return true;
	}
	return false;
}

static const char *const webhook_required[] = { "url", "secret", NULL };

const struct channel_ops channel_webhook = {
	.kind = CH_WEBHOOK,
	.required = webhook_required,
	.rate = { 50, 20 },	/* 50 per second */
	.check = webhook_check,
	.shape = webhook_shape,
	.sign = webhook_sign,
	.answer = webhook_answer,
	.send = ch_http_send,
};
