/*
 * kind-wecom.c - WeCom group robots: Markdown of at most 4096 bytes, cut
 * at a UTF-8 boundary (never in the links); the key is in the URL.
 */
#include "notify/ops.h"

#include <stdlib.h>

#define WECOM_MARKDOWN_MAX 4096	/* markdown.content, bytes */

static char *wecom_shape(const struct message *m, const char *secret,
			 int64_t now_ms, struct buf *url)
{
	struct buf head = BUF_INIT, tail = BUF_INIT;
	json_t *o = json_object(), *md = json_object();
	char *s;

	(void)secret;
	(void)now_ms;
	(void)url;
	ch_md_head(&head, "**%s**\n", m);
	ch_md_links(&tail, m, "\n");
	/* Cut the words, never the links. */
	if (tail.len < WECOM_MARKDOWN_MAX) {
		s = utf8_cut(buf_str(&head), WECOM_MARKDOWN_MAX - tail.len);
		buf_reset(&head);
		buf_adds(&head, s);
		buf_adds(&head, buf_str(&tail));
		free(s);
		s = buf_detach(&head, NULL);
	} else {
		s = utf8_cut(buf_str(&tail), WECOM_MARKDOWN_MAX);
	}
	buf_release(&head);
	buf_release(&tail);
	ch_set_str(o, "msgtype", "markdown");
	ch_set_str_take(md, "content", s);
	json_object_set_new(o, "markdown", md);
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
