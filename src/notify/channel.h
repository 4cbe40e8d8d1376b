/*
 * channel.h - shaping one erms message for each notification channel.
 *
 * Pure: no network, no clock, no randomness, no global state. The time a
 * signature needs comes in as now_ms, so the same inputs always give the
 * same bytes and a retry of an outbox row sends what the first try sent.
 * The worker (notify/worker.c) hands the result to notify/http-post.c or to
 * SMTP; nothing here knows how it travels.
 *
 * Formats, signatures and limits follow domain-research.md §3: DingTalk
 * signs the URL (HMAC key = secret, milliseconds), Feishu signs the body
 * (HMAC key = timestamp + "\n" + secret over an empty message, seconds),
 * WeCom and Slack carry their credential in the URL, and the generic
 * webhook is signed with X-Erms-Signature. Where a platform has a size
 * limit the text is cut at a UTF-8 boundary so the platform does not
 * reject the message; links are never the part that is cut.
 *
 * The channel appends the incident link and the acknowledgement link to
 * every chat body (labelled in msg->lang), so the caller's text and
 * markdown should not carry them.
 */
#ifndef ERMS_NOTIFY_CHANNEL_H
#define ERMS_NOTIFY_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/ratelimit.h"
#include "core/types.h"
#include "util/err.h"

/* enum channel_kind and its names are in core/types.h. */

/*
 * A message as erms composes it, before it is shaped for a channel. All
 * strings are borrowed and must be valid UTF-8. NULL and "" both mean
 * "none" for text, markdown, link and ack_link (the outbox stores '' for
 * no ack link).
 */
struct message {
	/* One line, e.g. "[DRILL] INC-2026-0001 数据库宕机". */
	const char *subject;
	/* Plain text body, several lines (UTF-8). */
	const char *text;
	/* The same as Markdown, for DingTalk, WeCom and Slack (NULL: text is
	 * used instead); email HTML is made by the caller. */
	const char *markdown;
	/* The incident's URL. */
	const char *link;
	/* One-time acknowledgement URL, or NULL. */
	const char *ack_link;
	/* Printable ASCII without spaces; required. */
	const char *idempotency_key;
	/* The structured event for webhooks (borrowed), or NULL. */
	const json_t *event;
	/* "zh-CN" or "en" (NULL: "en"): the language of the labels the
	 * channel puts on the links it adds. */
	const char *lang;
};

/* An HTTP request to send (owned strings; free with http_request_release). */
struct http_request {
	char *url;
	char *body;		/* JSON text */
	char *headers[4];	/* "Name: value", NULL-terminated list, max 3 */
};

/* Frees the strings and zeroes r; safe on a zeroed or released request. */
void http_request_release(struct http_request *r);

/*
 * Shape msg for a chat/webhook channel. config is the channel's config
 * object (borrowed):
 *   webhook:  {url, secret}  -> {"idempotency_key","subject","text","link",
 *             "ack_link","event"} (absent fields are null); headers
 *             "Content-Type: application/json", "Idempotency-Key: <key>",
 *             "X-Erms-Signature: sha256=<lowercase hex HMAC-SHA256(secret,
 *             body)>".
 *   slack:    {url} -> {"text": subject + "\n" + text + link lines,
 *             "blocks": [header (plain_text, cut to 150 bytes), section
 *             (mrkdwn: markdown + link lines, cut to 3000 bytes)]}; & < >
 *             are escaped so message text cannot mention <!channel>.
 *   dingtalk: {url, secret?} -> {"msgtype":"markdown","markdown":{"title",
 *             "text"}}; with a secret the URL gets "&timestamp=<now_ms>&sign=
 *             <urlencoded sign_dingtalk()>" ('?' if it has no query yet).
 *   wecom:    {url} -> {"msgtype":"markdown","markdown":{"content"}}, the
 *             content at most 4096 bytes, cut at a UTF-8 boundary.
 *   feishu:   {url, secret?} -> {"msg_type":"post","content":{"post":{
 *             "zh_cn":{"title","content":[[{"tag":"text",...},{"tag":"a",
 *             "text","href":link}, ...]]}}}}; with a secret the body also
 *             has "timestamp": "<now_ms / 1000>" and "sign": sign_feishu().
 *             The body is kept under 20,000 bytes by cutting the text.
 * Every chat body carries the link and the ack link when there are some.
 * Every request has "Content-Type: application/json" and the
 * Idempotency-Key header. The url must start with http:// or https:// and
 * hold no spaces or control characters.
 *
 * Returns 0 and fills *out (release it), or ERMS_EINVAL with err set (its
 * field names the culprit) for a config that is not an object, a missing
 * or bad url or webhook secret, CH_EMAIL or an unknown kind, a missing
 * subject or idempotency key, or text that is not UTF-8. On error *out is
 * zeroed, so releasing it is harmless.
 */
int channel_http(enum channel_kind kind, const json_t *config,
		 const struct message *msg, int64_t now_ms,
		 struct http_request *out, struct errbuf *err);

/*
 * The DingTalk and Feishu signatures on their own (for tests and for
 * channel_http). out gets the Base64 (not URL-encoded), NUL-terminated.
 *   DingTalk: base64(HMAC-SHA256(key = secret,
 *                                msg = timestamp_ms + "\n" + secret))
 *   Feishu:   base64(HMAC-SHA256(key = timestamp_s + "\n" + secret,
 *                                msg = ""))
 */
void sign_dingtalk(const char *secret, int64_t timestamp_ms, char out[64]);
void sign_feishu(const char *secret, int64_t timestamp_s, char out[64]);
/* Lowercase hex HMAC-SHA256 of msg under key (any length), NUL-terminated. */
void hmac_sha256_hex(const char *key, const void *msg, size_t len,
		     char out[65]);

/*
 * An email (RFC 5322 + MIME) ready for SMTP, CRLF line ends throughout:
 *   From, To (folded at spaces past 78 columns), Subject (RFC 2047
 *   encoded-words, UTF-8 Base64, whole characters per word, folded so no
 *   line exceeds 78 chars; CR, LF and TAB in the subject become spaces),
 *   Date (RFC 5322 from now_ms, UTC "+0000"), Message-ID
 *   "<idempotency_key@erms>" (characters not allowed in a message id
 *   become '-'), MIME-Version, Auto-Submitted: auto-generated (RFC 3834,
 *   so vacation responders stay quiet), Content-Type multipart/alternative
 *   with a boundary derived from the idempotency key (no randomness);
 *   then a text/plain; charset=utf-8 part (msg->text followed by the link
 *   and the ack link) and, when html is not NULL, a text/html;
 *   charset=utf-8 part (html as given: the caller puts the links in it),
 *   each Content-Transfer-Encoding: base64 in 76-char lines.
 * from and to are ASCII header values, e.g. "erms <erms@example.com>".
 * Returns a new string (free() it), or NULL when from, to, subject or the
 * idempotency key is missing, from or to holds a control character or a
 * non-ASCII byte (header injection), or the subject, text, links or html
 * are not valid UTF-8.
 */
char *email_message(const char *from, const char *to,
		    const struct message *msg, const char *html,
		    int64_t now_ms);

/*
 * Cut UTF-8 text to at most max bytes without splitting a character;
 * returns a new string (free() it). When s is cut, "…" is appended, still
 * within max (when max < 3 there is no room for it and none is added).
 */
char *utf8_cut(const char *s, size_t max);

/*
 * A digest of several messages for one channel (when its rate limit is
 * reached): subject "N notifications" / "N 条通知" (lang "zh-CN", or any
 * "zh…"; otherwise English), text and markdown listing each message's
 * subject, link and ack link, an idempotency key derived from the keys of
 * the messages (so a retried digest keeps its key), and an event
 * {"type":"digest","count":N,"items":[{"idempotency_key","subject",
 * "link","ack_link","event"}, ...]} for webhooks. msg points into the
 * struct's own strings and has no link or ack_link of its own.
 */
struct digest {
	struct message msg;
	char *subject;
	char *text;
	char *markdown;
	char *idempotency_key;
	json_t *event;
};

/* Fill d from msgs[0..n-1] (borrowed, may be freed afterwards). */
void digest_build(struct digest *d, const struct message *msgs, int n,
		  const char *lang);
/* Frees what d owns and zeroes it. */
void digest_release(struct digest *d);

/*
 * The default per-kind rate limit (used when the channel row has
 * rate_burst = 0). A token bucket sends at most burst + W / period_ms
 * messages in any window of W ms, so the platform limits give:
 *   dingtalk, wecom: 20/min        -> burst 10, period 6000 (<= 20/min)
 *   feishu: 5/s and 100/min        -> burst 3, period 700 (<= 4/s, 88/min)
 *   slack: 1/s, short bursts ok    -> burst 1, period 1000
 *   webhook: 50/s                  -> burst 50, period 20
 *   email: 10/s                    -> burst 10, period 100
 * An unknown kind gets {1, 1000}.
 */
struct bucket_rule channel_default_rate(enum channel_kind k);

#endif
