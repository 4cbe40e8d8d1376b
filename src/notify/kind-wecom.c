/*
 * kind-wecom.c - WeCom group robots: Markdown of at most 4096 bytes, cut
 * at a UTF-8 boundary (never in the links); the key is in the URL. Only
 * WeCom's text message mentions people (mentioned_list by userid,
 * mentioned_mobile_list by mobile), so a message with mentions is text,
 * of at most 2048 bytes.
 */
#include "notify/ops.h"

#include <stdlib.h>

#define WECOM_MARKDOWN_MAX 4096	/* markdown.content, bytes */
#define WECOM_TEXT_MAX 2048	/* text.content, bytes */

/* head then tail, at most max bytes: the words cut, never the links. */
static char *fit(struct buf *head, struct buf *tail, size_t max)
{
	char *s;

	if (tail->len < max) {
		s = utf8_cut(buf_str(head), max - tail->len);
		buf_reset(head);
		buf_adds(head, s);
		buf_adds(head, buf_str(tail));
		free(s);
		s = buf_detach(head, NULL);
	} else {
		s = utf8_cut(buf_str(tail), max);
	}
	buf_release(head);
	buf_release(tail);
	return s;
}

struct lists {
	json_t *ids, *mobiles;
};

static void mention_one(void *ctx, const char *name, const char *id,
			const char *mobile)
{
	struct lists *l = ctx;

	(void)name;
	json_array_append_new(*id ? l->ids : l->mobiles,
			      json_string(*id ? id : mobile));
}

/* The text message: subject, text, the links as plain URLs. */
static json_t *text_body(const struct message *m, struct lists *l)
{
	const struct labels *lb = ch_labels_for(m->lang);
	struct buf head = BUF_INIT, tail = BUF_INIT;
	json_t *t;

	buf_addf(&head, "%s\n%s", ch_or_empty(m->subject),
		 ch_or_empty(m->text));
	if (ch_has(m->link))
		buf_addf(&tail, "\n%s: %s", lb->open, m->link);
	if (ch_has(m->ack_link))
		buf_addf(&tail, "\n%s: %s", lb->ack, m->ack_link);
	t = json_object();
	ch_set_str_take(t, "content", fit(&head, &tail, WECOM_TEXT_MAX));
	if (json_array_size(l->ids))
		json_object_set(t, "mentioned_list", l->ids);
	if (json_array_size(l->mobiles))
		json_object_set(t, "mentioned_mobile_list", l->mobiles);
	return json_pack("{s:s, s:o}", "msgtype", "text", "text", t);
}

static char *wecom_shape(const struct message *m, const char *secret,
			 int64_t now_ms, struct buf *url)
{
	struct buf head = BUF_INIT, tail = BUF_INIT;
	struct lists l = { json_array(), json_array() };
	json_t *o, *md;

	(void)secret;
	(void)now_ms;
	(void)url;
	ch_mentions(m, false, mention_one, &l);
	if (json_array_size(l.ids) || json_array_size(l.mobiles)) {
		o = text_body(m, &l);
	} else {
		ch_md_head(&head, "**%s**\n", m);
		ch_md_links(&tail, m, "\n");
		md = json_object();
		ch_set_str_take(md, "content",
				fit(&head, &tail, WECOM_MARKDOWN_MAX));
		o = json_pack("{s:s, s:o}", "msgtype", "markdown",
			      "markdown", md);
	}
	json_decref(l.ids);
	json_decref(l.mobiles);
	return ch_dump_take(o);
}

/* {"errcode":0} is sent; 45009 (over the frequency limit) is
 * throttling, -1 (system busy) temporary. */
static bool wecom_answer(struct verdict *v, const char *body, size_t len,
			 const char *text)
{
	static const char *const keys[4] = { "errcode", "errmsg", NULL, NULL };

	(void)text;
	return ch_robot_answer(v, body, len, keys, 45009, true);
}

static const char *const wecom_required[] = { "url", NULL };

const struct channel_ops channel_wecom = {
	.kind = CH_WECOM,
	.required = wecom_required,
	.rate = { 10, 6000 },	/* 20 per minute per robot, as DingTalk */
	.check = ch_check_url,
	.shape = wecom_shape,
	.answer = wecom_answer,
	.send = ch_http_send,
};
