/*
 * kind-feishu.c - Feishu custom bots: a "post" message; with a secret
 * the body is signed (HMAC key = timestamp + "\n" + secret over an empty
 * message, seconds). The body is kept under 20,000 bytes. Mentions are
 * "at" elements of the post, by the person's Feishu id.
 */
#include "notify/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/xalloc.h"

/* Feishu: "the body must be <= 20 KB"; read as 20,000 bytes to be safe. */
#define FEISHU_BODY_MAX 20000

void sign_feishu(const char *secret, int64_t timestamp_s, char out[64])
{
	char *sts = xasprintf("%lld\n%s", (long long)timestamp_s, secret);

	/* The key is the string to sign; the message is empty. */
	ch_hmac_base64(sts, strlen(sts), "", 0, out);
	sodium_memzero(sts, strlen(sts));
	free(sts);
}

/* One mention: Feishu's "at" element of a post, by id. */
static void at_one(void *ctx, const char *name, const char *id,
		   const char *mobile)
{
	(void)mobile;
	json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "tag", "at",
					     "user_id", id, "user_name",
					     name));
}

static json_t *body_feishu(const struct message *m, const char *text,
			   const char *secret, int64_t now_ms)
{
	const struct labels *l = ch_labels_for(m->lang);
	json_t *o = json_object(), *para = json_array();
	char ts[24], sign[64];

	if (secret) {
		/* Seconds, floored also before 1970. */
		int64_t s = now_ms / 1000 - (now_ms % 1000 < 0);

		snprintf(ts, sizeof(ts), "%lld", (long long)s);
		sign_feishu(secret, s, sign);
		ch_set_str(o, "timestamp", ts);
		ch_set_str(o, "sign", sign);
	}
	ch_set_str(o, "msg_type", "post");
	if (*text || !(ch_has(m->link) || ch_has(m->ack_link))) {
		char *t = xasprintf("%s%s", text,
				    ch_has(m->link) || ch_has(m->ack_link) ?
				    "\n" : "");

		json_array_append_new(para, json_pack("{s:s, s:s}",
			"tag", "text", "text", t));
		free(t);
	}
	if (ch_has(m->link))
		json_array_append_new(para, json_pack("{s:s, s:s, s:s}",
			"tag", "a", "text", l->open, "href", m->link));
	if (ch_has(m->link) && ch_has(m->ack_link))
		json_array_append_new(para, json_pack("{s:s, s:s}",
			"tag", "text", "text", " "));
	if (ch_has(m->ack_link))
		json_array_append_new(para, json_pack("{s:s, s:s, s:s}",
			"tag", "a", "text", l->ack, "href", m->ack_link));
	ch_mentions(m, true, at_one, para);
	json_object_set_new(o, "content", json_pack("{s:{s:{s:s, s:[o]}}}",
		"post", "zh_cn", "title", m->subject, "content", para));
	return o;
}

/* Serialize a Feishu body, cutting the text until it fits the limit. */
static char *feishu_shape(const struct message *m, const char *secret,
			  int64_t now_ms, struct buf *url)
{
	const char *text = ch_or_empty(m->text);
	size_t budget = strlen(text);

	(void)url;
	for (;;) {
		char *cut = utf8_cut(text, budget);
		char *s = ch_dump_take(body_feishu(m, cut, secret, now_ms));
		size_t len = strlen(s);

		free(cut);
		if (len <= FEISHU_BODY_MAX || budget == 0)
			return s;
		free(s);
		budget = len - FEISHU_BODY_MAX < budget ?
			 budget - (len - FEISHU_BODY_MAX) : 0;
	}
}

/* {"code":0} (or the older {"StatusCode":0}) is sent; 11232 (frequency
 * limited) is throttling; any other code is permanent. */
static bool feishu_answer(struct verdict *v, const char *body, size_t len,
			  const char *text)
{
	static const char *const keys[4] = { "code", "msg", "StatusCode",
					     "StatusMessage" };

	(void)text;
	return ch_robot_answer(v, body, len, keys, 11232, false);
}

static const char *const feishu_required[] = { "url", NULL };

const struct channel_ops channel_feishu = {
	.kind = CH_FEISHU,
	.required = feishu_required,
	/* 5 per second and 100 per minute per bot (error 11232).
	 * 3 + 1000/700 = 4 in any second, 3 + 60000/700 = 88 in any
	 * minute. */
	.rate = { 3, 700 },
	.check = ch_check_url,
	.shape = feishu_shape,
	.answer = feishu_answer,
	.send = ch_http_send,
};
