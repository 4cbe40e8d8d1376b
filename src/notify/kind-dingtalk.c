/*
 * kind-dingtalk.c - DingTalk custom robots: a Markdown message, its
 * mentions as "@id" in the text and in "at"; with a secret the URL is
 * signed (HMAC key = secret, milliseconds).
 */
#include "notify/ops.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/xalloc.h"

void sign_dingtalk(const char *secret, int64_t timestamp_ms, char out[64])
{
	char *sts = xasprintf("%lld\n%s", (long long)timestamp_ms, secret);

	ch_hmac_base64(secret, strlen(secret), sts, strlen(sts), out);
	sodium_memzero(sts, strlen(sts));
	free(sts);
}

struct at {
	struct buf *text;
	json_t *ids, *mobiles;
};

/* One mention: "@id" (else "@mobile") in the text, as DingTalk wants it
 * there too for the mention to show, and in at.atUserIds (atMobiles). */
static void at_one(void *ctx, const char *name, const char *id,
		   const char *mobile)
{
	struct at *a = ctx;

	(void)name;
	buf_addf(a->text, " @%s", *id ? id : mobile);
	json_array_append_new(*id ? a->ids : a->mobiles,
			      json_string(*id ? id : mobile));
}

static char *dingtalk_shape(const struct message *m, const char *secret,
			    int64_t now_ms, struct buf *url)
{
	struct buf text = BUF_INIT, ats = BUF_INIT;
	json_t *o = json_object(), *md = json_object();
	struct at at = { &ats, json_array(), json_array() };

	if (secret) {
		char sign[64];

		sign_dingtalk(secret, now_ms, sign);
		buf_addf(url, "%ctimestamp=%lld&sign=",
			 strchr(buf_str(url), '?') ? '&' : '?',
			 (long long)now_ms);
		ch_url_encode(url, sign);
	}
	ch_md_head(&text, "### %s\n\n", m);
	ch_mentions(m, false, at_one, &at);
	if (ats.len)	/* "\n\n@a @b" */
		buf_addf(&text, "\n\n%s", buf_str(&ats) + 1);
	buf_release(&ats);
	ch_md_links(&text, m, "\n\n");
	ch_set_str(o, "msgtype", "markdown");
	ch_set_str(md, "title", m->subject);
	ch_set_str_take(md, "text", buf_detach(&text, NULL));
	json_object_set_new(o, "markdown", md);
	if (json_array_size(at.ids) || json_array_size(at.mobiles))
		json_object_set_new(o, "at", json_pack("{s:O, s:O, s:b}",
			"atMobiles", at.mobiles, "atUserIds", at.ids,
			"isAtAll", 0));
	json_decref(at.ids);
	json_decref(at.mobiles);
	return ch_dump_take(o);
}

/* {"errcode":0} is sent; 130101 (sending too fast) is throttling, -1
 * (system busy) temporary. */
static bool dingtalk_answer(struct verdict *v, const char *body, size_t len,
			    const char *text)
{
	static const char *const keys[4] = { "errcode", "errmsg", NULL, NULL };

	(void)text;
	return ch_robot_answer(v, body, len, keys, 130101, true);
}

static const char *const dingtalk_required[] = { "url", NULL };

const struct channel_ops channel_dingtalk = {
	.kind = CH_DINGTALK,
	.required = dingtalk_required,
	/* 20 per minute per robot; DingTalk then mutes the robot for 10
	 * minutes. 10 at once + one per 6 s = 20 in any minute. */
	.rate = { 10, 6000 },
	.check = ch_check_url,
	.shape = dingtalk_shape,
	.answer = dingtalk_answer,
	.send = ch_http_send,
};
