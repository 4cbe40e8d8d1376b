/*
 * channel.h - shaping one erms message for each notification channel.
 *
 * Pure: no network, no clock, no randomness, no global state. The time a
 * signature needs comes in as now_ms, so the same inputs always give the
 * same bytes and a retry of an outbox row sends what the first try sent.
 * Sending (channel_send, below) is the one part that does I/O: libcurl
 * POSTs for chat robots and webhooks, SMTP for e-mail.
 *
 * Each kind is one file, src/notify/kind-<name>.c, and one row of the
 * table in channel.c (see notify/ops.h); the functions here look the
 * kind up and know none themselves.
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

#include <stdbool.h>
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
	/*
	 * Whom a chat robot @-mentions (borrowed JSON array, or NULL):
	 * objects {name, id, mobile}, id being the person's id in the
	 * channel's own platform ("" none). As the vendors document them
	 * (domain-research.md §3):
	 *   dingtalk: "@id" (else "@mobile") in the Markdown text and the
	 *             same in at.atUserIds (at.atMobiles), isAtAll false;
	 *   wecom:    a text message (markdown has no mention lists) with
	 *             text.mentioned_list (ids) and
	 *             text.mentioned_mobile_list (mobiles);
	 *   feishu:   {"tag":"at","user_id":id,"user_name":name} in the
	 *             post's paragraph (Feishu mentions by id only);
	 *   others:   ignored.
	 */
	const json_t *mentions;
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
 * What a receiving service said of one delivery. Chat robots refuse
 * with HTTP 200 and a code in the body, so the status alone never tells
 * (domain-research.md §3):
 *   dingtalk, wecom: {"errcode":0,"errmsg":"ok"} is sent; another errcode
 *             is a refusal: DingTalk 130101 (sending too fast) and WeCom
 *             45009 (over the frequency limit) are throttling, -1
 *             (system busy) is temporary, every other code (a wrong
 *             secret, keyword or IP, a revoked token: 310000, 300001,
 *             93000, ...) is permanent;
 *   feishu:   {"code":0} (or the older {"StatusCode":0}) is sent; 11232
 *             (frequency limited) is throttling, any other code (19021
 *             bad signature, 9499 bad body, 19024 keyword, ...) is
 *             permanent, whatever the HTTP status;
 *   slack:    HTTP 200 with the body "ok" is sent; 429 is throttling;
 *             400, 403, 404 and 410 (invalid_payload, no_service,
 *             channel_not_found, ...) are permanent;
 *   webhook:  any 2xx is sent.
 * For every kind: 429 is throttling (with Retry-After), 408, 425 and 5xx
 * are temporary, other 4xx and any 3xx (erms does not follow redirects)
 * are permanent, and a 2xx whose body does not say success (a proxy's
 * page, say) is temporary. A transport error (status 0) is temporary.
 */
enum delivery_outcome {
	DELIVERY_SENT,
	DELIVERY_RETRY,		/* temporary: back off and try again */
	DELIVERY_THROTTLED,	/* the service's rate limit: wait, merge */
	DELIVERY_FAILED,	/* permanent: trying again cannot help */
	DELIVERY_MERGED,	/* never a verdict: the message went out in
				 * a digest that another message carried */
};

struct verdict {
	enum delivery_outcome outcome;
	int64_t retry_ms;	/* the service's Retry-After, or 0 */
	long status;		/* HTTP status */
	char code[24];		/* the vendor's code ("310000", "no_service"),
				 * or "" */
	char error[256];	/* "HTTP 200, errcode 310000: keywords not in
				 * content" for the delivery log; "" if sent */
};

/*
 * Read the answer of a chat or webhook service: status (0: no answer),
 * the first len bytes of its body (need not be NUL-terminated, nor
 * UTF-8), and its Retry-After in ms (0: none). Pure; fills *v.
 */
void channel_verdict(enum channel_kind kind, long status, const char *body,
		     size_t len, int64_t retry_after_ms, struct verdict *v);
/* "sent", "retry", "throttled", "failed" or "merged". */
const char *delivery_outcome_name(enum delivery_outcome o);

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
 *   From and To (a display name as RFC 2047 encoded-words), Subject (RFC 2047
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
 * from and to are addresses as email_address_parse() reads them; a
 * display name is written as RFC 2047 encoded-words, the address bare.
 * Returns a new string (free() it), or NULL when from, to, subject or the
 * idempotency key is missing, from or to is not an address (a control
 * character in it would be header injection), or the subject, text,
 * links or html are not valid UTF-8.
 */
char *email_message(const char *from, const char *to,
		    const struct message *msg, const char *html,
		    int64_t now_ms);

/*
 * Check a channel's config for its kind when it is saved, so that a
 * broken channel is refused then and not found out by its first
 * message:
 *   webhook {url, secret}, slack/dingtalk/wecom/feishu {url, secret?}:
 *     url is http:// or https://, without spaces or control characters,
 *     with a host; unless allow_internal, the host is no loopback,
 *     link-local or private address (nor "localhost");
 *   email {host, from, port?, tls?, user?, password?}: from is an
 *     address (email_address_parse), host a name without spaces, port
 *     1..65535, tls "none", "starttls" or "tls".
 * Returns 0, or ERMS_EINVAL with err's field set ("config.url", ...).
 */
int channel_config_check(enum channel_kind kind, const json_t *config,
			 bool allow_internal, struct errbuf *err);
/*
 * A config as it is saved: the keys the kind needs must be strings
 * (email: host, from; webhook: url, secret; the chat robots: url), else
 * ERMS_EINVAL with err's code "missing_field" and field "config.<key>";
 * then channel_config_check(). An unknown kind is refused.
 */
int channel_config_validate(enum channel_kind kind, const json_t *config,
			    bool allow_internal, struct errbuf *err);
/*
 * The host of an http(s) URL into out ("[v6]" without its brackets);
 * false when there is none or it does not fit.
 */
bool url_host(const char *url, char *out, size_t n);

/*
 * An e-mail address as a channel's "from" or a recipient gives it:
 * "erms@example.org" or "Display Name <erms@example.org>" (the name may
 * be UTF-8, e.g. "应急管理系统 <erms@example.org>", and may be quoted).
 * Fills name ("" when none) and addr (the bare local@domain, what SMTP's
 * MAIL FROM and RCPT TO take). Returns false for anything else: control
 * characters, a second address, an address that is not a dot-atom
 * local@domain, or a result that does not fit.
 */
bool email_address_parse(const char *s, char *name, size_t namelen,
			 char *addr, size_t addrlen);

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
 * "link","ack_link","event"}, ...]} for webhooks, and the mentions of
 * all the messages (each person once). msg points into the struct's own
 * strings and has no link or ack_link of its own.
 */
struct digest {
	struct message msg;
	char *subject;
	char *text;
	char *markdown;
	char *idempotency_key;
	json_t *event;
	json_t *mentions;
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

/*
 * Does kind k send each message to its recipient's own address (e-mail)
 * rather than to the channel? Such messages are never merged into a
 * digest, and a test message needs the tester's address.
 */
bool channel_per_recipient(enum channel_kind k);
/* The error when a test of such a kind has no address to go to. */
const char *channel_no_address(enum channel_kind k);

/* What sending needs from the process (borrowed). */
struct channel_transport {
	void *curl;		/* a libcurl easy handle, reused */
	const char *ehlo;	/* the name SMTP's EHLO gives */
	bool allow_internal;	/* may connect to internal addresses */
	/* Markdown to HTML (an e-mail's HTML part): a new string, or
	 * NULL for none. */
	char *(*html)(const char *markdown, size_t len);
};

/*
 * Send msg on a channel of kind `kind` with the given config (secrets
 * opened) and fill *v with what became of it: chat and webhook kinds
 * are shaped (channel_http; a config that cannot be shaped is failed
 * with channel_http's message), POSTed without following redirects and
 * read by channel_verdict(); a connection to an internal address (also
 * one DNS gave) is refused unless t->allow_internal, and failed; a
 * transport error is temporary. E-mail goes to `to` (an address as
 * email_address_parse() reads it) through the config's SMTP server:
 * an SMTP 5xx or a refused login is permanent, 4xx and transport errors
 * are temporary. Blocks for up to the delivery timeout (10 s HTTP, 20 s
 * SMTP).
 */
void channel_send(enum channel_kind kind, const struct channel_transport *t,
		  const json_t *config, const struct message *msg,
		  const char *to, int64_t now_ms, struct verdict *v);

#endif
