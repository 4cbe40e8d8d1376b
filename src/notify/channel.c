/*
 * channel.c - the table of channel kinds, and the functions of channel.h
 * that look a kind up in it (see notify/ops.h).
 *
 * Input is checked once, at the top of channel_http(): the strings must
 * be UTF-8 (jansson refuses anything else, and a silently missing field
 * would be worse than an error), the key must be fit for a header line
 * and the URL must look like one. After that only cutting happens,
 * always at character boundaries, so the kinds' shapes cannot fail.
 */
#include "notify/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

/* One row per kind; a new kind is one file and one row. */
static const struct channel_ops *const kinds[CH__COUNT] = {
	[CH_EMAIL] = &channel_email,
	[CH_WEBHOOK] = &channel_webhook,
	[CH_SLACK] = &channel_slack,
	[CH_DINGTALK] = &channel_dingtalk,
	[CH_WECOM] = &channel_wecom,
	[CH_FEISHU] = &channel_feishu,
};

const struct channel_ops *channel_ops_of(enum channel_kind k)
{
	return (unsigned)k < CH__COUNT ? kinds[k] : NULL;
}

/* ---- channel_http ----------------------------------------------------- */

static int check_message(const struct message *m, struct errbuf *err)
{
	const struct {
		const char *name;
		const char *value;
	} fields[] = {
		{ "subject", m->subject }, { "text", m->text },
		{ "markdown", m->markdown }, { "link", m->link },
		{ "ack_link", m->ack_link },
	};

	if (!ch_has(m->subject))
		return ch_bad(err, "subject", "missing subject");
	if (!ch_key_ok(m->idempotency_key))
		return ch_bad(err, "idempotency_key", "missing idempotency "
			      "key, or not printable ASCII");
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i].value && !utf8_valid(fields[i].value))
			return ch_bad(err, fields[i].name, "not valid UTF-8");
	return 0;
}

/* The keys the kind needs, besides url, present and not empty. */
static int check_required(const struct channel_ops *ops, const json_t *config,
			  struct errbuf *err)
{
	for (const char *const *k = ops->required; *k; k++) {
		char msg[48];

		if (!strcmp(*k, "url") || ch_cfg_str(config, *k))
			continue;
		snprintf(msg, sizeof(msg), "missing %s", *k);
		return ch_bad(err, *k, msg);
	}
	return 0;
}

int channel_http(enum channel_kind kind, const json_t *config,
		 const struct message *msg, int64_t now_ms,
		 struct http_request *out, struct errbuf *err)
{
	const struct channel_ops *ops = channel_ops_of(kind);
	const char *url, *secret;
	struct buf u = BUF_INIT;
	int rc, nh = 0;

	memset(out, 0, sizeof(*out));
	if (!ops || !ops->shape)
		return ch_bad(err, "kind", "not an HTTP channel");
	if (!json_is_object(config))
		return ch_bad(err, "config", "config is not an object");
	url = ch_cfg_str(config, "url");
	if (!url)
		return ch_bad(err, "url", "missing url");
	if (!ch_url_ok(url))
		return ch_bad(err, "url", "url is not an http(s) URL");
	rc = check_required(ops, config, err);
	if (!rc)
		rc = check_message(msg, err);
	if (rc)
		return rc;
	secret = ch_cfg_str(config, "secret");
	buf_adds(&u, url);
	out->body = ops->shape(msg, secret, now_ms, &u);
	out->url = buf_detach(&u, NULL);
	out->headers[nh++] = xstrdup("Content-Type: application/json");
	out->headers[nh++] = xasprintf("Idempotency-Key: %s",
				       msg->idempotency_key);
	if (ops->sign && secret)
		out->headers[nh++] = ops->sign(secret, out->body);
	out->headers[nh] = NULL;
	return 0;
}

/* ---- configs as they are saved ---------------------------------------- */

int channel_config_check(enum channel_kind kind, const json_t *config,
			 bool allow_internal, struct errbuf *err)
{
	const struct channel_ops *ops = channel_ops_of(kind);

	if (!json_is_object(config))
		return ch_bad(err, "config", "must be an object");
	if (!ops)
		return ch_bad(err, "kind", "unknown channel kind");
	return ops->check(config, allow_internal, err);
}

int channel_config_validate(enum channel_kind kind, const json_t *config,
			    bool allow_internal, struct errbuf *err)
{
	const struct channel_ops *ops = channel_ops_of(kind);

	if (!ops)
		return ch_bad(err, "kind", "unknown channel kind");
	for (const char *const *k = ops->required; *k; k++)
		if (!json_is_string(json_object_get(config, *k))) {
			char f[32];

			snprintf(f, sizeof(f), "config.%s", *k);
			errbuf_set(err, "missing_field", "a %s channel needs %s",
				   channel_kind_name(kind), f);
			errbuf_field(err, f);
			return ERMS_EINVAL;
		}
	return channel_config_check(kind, config, allow_internal, err);
}

/* ---- what a kind is like ---------------------------------------------- */

struct bucket_rule channel_default_rate(enum channel_kind k)
{
	const struct channel_ops *ops = channel_ops_of(k);

	return ops ? ops->rate : (struct bucket_rule){ 1, 1000 };
}

bool channel_per_recipient(enum channel_kind k)
{
	const struct channel_ops *ops = channel_ops_of(k);

	return ops && ops->per_recipient;
}

const char *channel_no_address(enum channel_kind k)
{
	const struct channel_ops *ops = channel_ops_of(k);

	return ops && ops->no_address ? ops->no_address
				      : "no address to send the test to";
}

void channel_send(enum channel_kind kind, const struct channel_transport *t,
		  const json_t *config, const struct message *msg,
		  const char *to, int64_t now_ms, struct verdict *v)
{
	const struct channel_ops *ops = channel_ops_of(kind);

	memset(v, 0, sizeof(*v));
	if (!ops) {
		ch_verdict_set(v, DELIVERY_FAILED, "unknown channel kind");
		return;
	}
	ops->send(ops, t, config, msg, to, now_ms, v);
}
