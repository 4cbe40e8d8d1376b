/*
 * kind-slack.c - Slack incoming webhooks: text plus a header and a
 * section block; the credential is in the URL. & < > are escaped so
 * message text cannot mention <!channel>.
 */
#include "notify/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define SLACK_HEADER_MAX 150	/* header block text, characters */
#define SLACK_SECTION_MAX 3000	/* section block text, characters */

/* Slack treats & < > as control characters in text. */
static void slack_escape(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			buf_adds(b, "&amp;");
		else if (*s == '<')
			buf_adds(b, "&lt;");
		else if (*s == '>')
			buf_adds(b, "&gt;");
		else
			buf_add(b, s, 1);
	}
}

static void slack_links(struct buf *b, const struct message *m)
{
	const struct labels *l = ch_labels_for(m->lang);

	if (ch_has(m->link)) {
		buf_adds(b, "\n<");
		ch_url_in_link(b, m->link, "|<>");
		buf_addf(b, "|%s>", l->open);
	}
	if (ch_has(m->ack_link)) {
		buf_adds(b, "\n<");
		ch_url_in_link(b, m->ack_link, "|<>");
		buf_addf(b, "|%s>", l->ack);
	}
}

/*
 * The Slack-escaped form of s, cut (before escaping, so no entity is cut
 * in half) until it fits max bytes.
 */
static char *slack_fit(const char *s, size_t max)
{
	size_t budget = max;

	for (;;) {
		struct buf b = BUF_INIT;
		char *cut = utf8_cut(s, budget);

		slack_escape(&b, cut);
		free(cut);
		if (b.len <= max || budget == 0)
			return buf_detach(&b, NULL);
		budget = b.len - max < budget ? budget - (b.len - max) : 0;
		buf_release(&b);
	}
}

static char *slack_shape(const struct message *m, const char *secret,
			 int64_t now_ms, struct buf *url)
{
	struct buf text = BUF_INIT, links = BUF_INIT, sec = BUF_INIT;
	json_t *o = json_object(), *blocks = json_array();
	char *s;

	(void)secret;
	(void)now_ms;
	(void)url;
	slack_escape(&text, m->subject);
	if (ch_has(m->text)) {
		buf_adds(&text, "\n");
		slack_escape(&text, m->text);
	}
	slack_links(&links, m);
	buf_adds(&text, buf_str(&links));
	ch_set_str_take(o, "text", buf_detach(&text, NULL));

	s = utf8_cut(m->subject, SLACK_HEADER_MAX);
	json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:s}}",
		"type", "header", "text", "type", "plain_text", "text", s));
	free(s);

	/* Bytes >= characters, so a byte budget keeps the character limit. */
	if (links.len < SLACK_SECTION_MAX) {
		/* The plain text: Slack's mrkdwn is not Markdown. */
		s = slack_fit(ch_has(m->text) ? m->text : "",
			      SLACK_SECTION_MAX - links.len);
		buf_adds(&sec, s);
		free(s);
	}
	buf_adds(&sec, buf_str(&links));
	/* A section's text must not be empty, nor start with the newline. */
	s = buf_detach(&sec, NULL);
	if (*s) {
		/* verbatim: Slack links no URL or channel name of its own;
		 * only erms' <url|label> pairs are links. */
		json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:s, s:b}}",
			"type", "section", "text", "type", "mrkdwn",
			"text", s[0] == '\n' ? s + 1 : s, "verbatim", 1));
	}
	free(s);
	buf_release(&links);
	json_object_set_new(o, "blocks", blocks);
	return ch_dump_take(o);
}

/* HTTP 200 with the body "ok" is sent; otherwise the first word of the
 * body is the vendor's code, and the shared rules decide. */
static bool slack_answer(struct verdict *v, const char *body, size_t len,
			 const char *text)
{
	if (v->status == 200 && len >= 2 && !strncmp(body, "ok", 2) &&
	    (len == 2 || body[2] == '\n' || body[2] == '\0')) {
		v->outcome = DELIVERY_SENT;
		return true;
	}
	snprintf(v->code, sizeof(v->code), "%.*s",
		 (int)strcspn(text, " \n"), text);
	return false;
}

static const char *const slack_required[] = { "url", NULL };

const struct channel_ops channel_slack = {
	.kind = CH_SLACK,
	.required = slack_required,
	.rate = { 1, 1000 },	/* 1 per second */
	.check = ch_check_url,
	.shape = slack_shape,
	.answer = slack_answer,
	.send = ch_http_send,
};
