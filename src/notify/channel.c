/*
 * channel.c - payloads, signatures and limits of the notification
 * channels (see channel.h and domain-research.md §3).
 *
 * Everything is built in struct buf or jansson trees and handed out as
 * owned strings. Input is checked once, at the top of channel_http(): the
 * strings must be UTF-8 (jansson refuses anything else, and a silently
 * missing field would be worse than an error), the key must be fit for a
 * header line and the URL must look like one. After that only cutting
 * happens, always at character boundaries, so the trees cannot fail.
 */
#include "notify/channel.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "util/buf.h"
#include "util/escape.h"
#include "util/netaddr.h"
#include "util/crypto.h"
#include "util/xalloc.h"

#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026, 3 bytes */
#define ELLIPSIS_LEN 3

#define WECOM_MARKDOWN_MAX 4096	/* markdown.content, bytes */
#define SLACK_HEADER_MAX 150	/* header block text, characters */
#define SLACK_SECTION_MAX 3000	/* section block text, characters */
/* Feishu: "the body must be <= 20 KB"; read as 20,000 bytes to be safe. */
#define FEISHU_BODY_MAX 20000
#define EMAIL_LINE_MAX 78	/* RFC 5322 §2.1.1 "SHOULD" */
#define B64_LINE 76		/* RFC 2045 §6.8 */

/* The words the channels add around links, per language. */
struct labels {
	const char *open;
	const char *ack;
};

static const struct labels labels_en = { "Open incident", "Acknowledge" };
static const struct labels labels_zh = { "查看详情", "确认收到" };

static bool lang_is_zh(const char *lang)
{
	return lang && (lang[0] == 'z' || lang[0] == 'Z') &&
	       (lang[1] == 'h' || lang[1] == 'H');
}

static const struct labels *labels_for(const char *lang)
{
	return lang_is_zh(lang) ? &labels_zh : &labels_en;
}

void http_request_release(struct http_request *r)
{
	free(r->url);
	free(r->body);
	for (size_t i = 0; i < ARRAY_SIZE(r->headers); i++)
		free(r->headers[i]);
	memset(r, 0, sizeof(*r));
}

/* ---- strings ---------------------------------------------------------- */

/* NULL and "" are both "none". */
static bool has(const char *s)
{
	return s && *s;
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF),
 * the same rule jansson applies in json_string(). */
static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		unsigned c = *p;
		unsigned cp;
		int n;

		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		p += n + 1;
	}
	return true;
}

/* The longest prefix of s[0..len) of at most max bytes that ends on a
 * character boundary. */
static size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

char *utf8_cut(const char *s, size_t max)
{
	size_t len = strlen(s);
	size_t n;
	char *out;

	if (len <= max)
		return xstrdup(s);
	if (max < ELLIPSIS_LEN)
		return xstrndup(s, utf8_prefix(s, len, max));
	n = utf8_prefix(s, len, max - ELLIPSIS_LEN);
	out = xmalloc(n + ELLIPSIS_LEN + 1);
	memcpy(out, s, n);
	memcpy(out + n, ELLIPSIS, ELLIPSIS_LEN + 1);
	return out;
}

/* Percent-encode everything but the RFC 3986 unreserved characters. */
static void url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			buf_add(b, p, 1);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };

			buf_add(b, e, sizeof(e));
		}
	}
}

/* Append url with the characters in `special` (and any space or control
 * character) percent-encoded, so it cannot end a Markdown or Slack link. */
static void url_in_link(struct buf *b, const char *url, const char *special)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f || strchr(special, *p))
			buf_addf(b, "%%%02X", *p);
		else
			buf_add(b, p, 1);
	}
}

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

/*
 * A JSON string; NULL means JSON null. channel_http() checks its input
 * first, so there invalid UTF-8 cannot arrive; elsewhere (digest items)
 * it becomes null, and the digest's own text, which carries the same
 * bytes, is refused by channel_http() in the open.
 */
static json_t *jstr(const char *s)
{
	json_t *v;

	if (!s || !utf8_valid(s))
		return json_null();
	v = json_string(s);
	if (!v) {
		/* Valid UTF-8, so only exhausted memory gets here. */
		fprintf(stderr, "erms: cannot build JSON string\n");
		abort();
	}
	return v;
}

static void set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, jstr(s));
}

static void set_str_take(json_t *o, const char *key, char *s)
{
	json_object_set_new(o, key, jstr(s));
	free(s);
}

/* ---- signatures ------------------------------------------------------- */

static void hmac_raw(const void *key, size_t keylen, const void *msg,
		     size_t len,
		     unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, keylen);
	crypto_auth_hmacsha256_update(&st, msg, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
}

void hmac_sha256_hex(const char *key, const void *msg, size_t len,
		     char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	hmac_raw(key, strlen(key), msg, len, mac);
	sodium_bin2hex(out, 65, mac, sizeof(mac));
}

static void mac_base64(const unsigned char mac[crypto_auth_hmacsha256_BYTES],
		       char out[64])
{
	_Static_assert(sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
		       sodium_base64_VARIANT_ORIGINAL) <= 64, "sign size");
	sodium_bin2base64(out, 64, mac, crypto_auth_hmacsha256_BYTES,
			  sodium_base64_VARIANT_ORIGINAL);
}

void sign_dingtalk(const char *secret, int64_t timestamp_ms, char out[64])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char *sts = xasprintf("%lld\n%s", (long long)timestamp_ms, secret);

	hmac_raw(secret, strlen(secret), sts, strlen(sts), mac);
	mac_base64(mac, out);
	sodium_memzero(sts, strlen(sts));
	free(sts);
}

void sign_feishu(const char *secret, int64_t timestamp_s, char out[64])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char *sts = xasprintf("%lld\n%s", (long long)timestamp_s, secret);

	/* The key is the string to sign; the message is empty. */
	hmac_raw(sts, strlen(sts), "", 0, mac);
	mac_base64(mac, out);
	sodium_memzero(sts, strlen(sts));
	free(sts);
}

/* ---- chat bodies ------------------------------------------------------ */

/*
 * "<subject line>\n<body>" as Markdown: the subject (which carries the
 * reporter's title) escaped, inside erms' own emphasis (fmt, e.g.
 * "### %s\n\n"); then the message's Markdown, which its composer built
 * with the typed parts escaped, or else its plain text, escaped.
 */
static void md_head(struct buf *b, const char *fmt, const struct message *m)
{
	struct buf subj = BUF_INIT;

	esc_md(&subj, m->subject);
	buf_addf(b, fmt, buf_str(&subj));
	buf_release(&subj);
	if (has(m->markdown))
		buf_adds(b, m->markdown);
	else
		esc_md(b, m->text);
}

/* "[label](url)" lines for the link and the ack link, each preceded by
 * sep; the form DingTalk and WeCom both render. */
static void md_links(struct buf *b, const struct message *m, const char *sep)
{
	const struct labels *l = labels_for(m->lang);

	if (has(m->link)) {
		buf_addf(b, "%s[%s](", sep, l->open);
		url_in_link(b, m->link, "()<>");
		buf_adds(b, ")");
	}
	if (has(m->ack_link)) {
		buf_addf(b, "%s[%s](", sep, l->ack);
		url_in_link(b, m->ack_link, "()<>");
		buf_adds(b, ")");
	}
}

static json_t *body_webhook(const struct message *m)
{
	json_t *o = json_object();

	set_str(o, "idempotency_key", m->idempotency_key);
	set_str(o, "subject", m->subject);
	set_str(o, "text", has(m->text) ? m->text : NULL);
	set_str(o, "link", has(m->link) ? m->link : NULL);
	set_str(o, "ack_link", has(m->ack_link) ? m->ack_link : NULL);
	json_object_set_new(o, "event",
			    m->event ? json_deep_copy(m->event) : json_null());
	return o;
}

static void slack_links(struct buf *b, const struct message *m)
{
	const struct labels *l = labels_for(m->lang);

	if (has(m->link)) {
		buf_adds(b, "\n<");
		url_in_link(b, m->link, "|<>");
		buf_addf(b, "|%s>", l->open);
	}
	if (has(m->ack_link)) {
		buf_adds(b, "\n<");
		url_in_link(b, m->ack_link, "|<>");
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

static json_t *body_slack(const struct message *m)
{
	struct buf text = BUF_INIT, links = BUF_INIT, sec = BUF_INIT;
	json_t *o = json_object(), *blocks = json_array();
	char *s;

	slack_escape(&text, m->subject);
	if (has(m->text)) {
		buf_adds(&text, "\n");
		slack_escape(&text, m->text);
	}
	slack_links(&links, m);
	buf_adds(&text, buf_str(&links));
	set_str_take(o, "text", buf_detach(&text, NULL));

	s = utf8_cut(m->subject, SLACK_HEADER_MAX);
	json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:s}}",
		"type", "header", "text", "type", "plain_text", "text", s));
	free(s);

	/* Bytes >= characters, so a byte budget keeps the character limit. */
	if (links.len < SLACK_SECTION_MAX) {
		/* The plain text: Slack's mrkdwn is not Markdown. */
		s = slack_fit(has(m->text) ? m->text : "",
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
	return o;
}

static json_t *body_dingtalk(const struct message *m)
{
	struct buf text = BUF_INIT;
	json_t *o = json_object(), *md = json_object();

	md_head(&text, "### %s\n\n", m);
	md_links(&text, m, "\n\n");
	set_str(o, "msgtype", "markdown");
	set_str(md, "title", m->subject);
	set_str_take(md, "text", buf_detach(&text, NULL));
	json_object_set_new(o, "markdown", md);
	return o;
}

static json_t *body_wecom(const struct message *m)
{
	struct buf head = BUF_INIT, tail = BUF_INIT;
	json_t *o = json_object(), *md = json_object();
	char *s;

	md_head(&head, "**%s**\n", m);
	md_links(&tail, m, "\n");
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
	set_str(o, "msgtype", "markdown");
	set_str_take(md, "content", s);
	json_object_set_new(o, "markdown", md);
	return o;
}

static json_t *body_feishu(const struct message *m, const char *text,
			   const char *secret, int64_t now_ms)
{
	const struct labels *l = labels_for(m->lang);
	json_t *o = json_object(), *para = json_array();
	char ts[24], sign[64];

	if (secret) {
		/* Seconds, floored also before 1970. */
		int64_t s = now_ms / 1000 - (now_ms % 1000 < 0);

		snprintf(ts, sizeof(ts), "%lld", (long long)s);
		sign_feishu(secret, s, sign);
		set_str(o, "timestamp", ts);
		set_str(o, "sign", sign);
	}
	set_str(o, "msg_type", "post");
	if (*text || !(has(m->link) || has(m->ack_link))) {
		char *t = xasprintf("%s%s", text,
				    has(m->link) || has(m->ack_link) ?
				    "\n" : "");

		json_array_append_new(para, json_pack("{s:s, s:s}",
			"tag", "text", "text", t));
		free(t);
	}
	if (has(m->link))
		json_array_append_new(para, json_pack("{s:s, s:s, s:s}",
			"tag", "a", "text", l->open, "href", m->link));
	if (has(m->link) && has(m->ack_link))
		json_array_append_new(para, json_pack("{s:s, s:s}",
			"tag", "text", "text", " "));
	if (has(m->ack_link))
		json_array_append_new(para, json_pack("{s:s, s:s, s:s}",
			"tag", "a", "text", l->ack, "href", m->ack_link));
	json_object_set_new(o, "content", json_pack("{s:{s:{s:s, s:[o]}}}",
		"post", "zh_cn", "title", m->subject, "content", para));
	return o;
}

/* ---- channel_http ----------------------------------------------------- */

/* A non-empty string member of config, or NULL. */
static const char *cfg_str(const json_t *config, const char *name)
{
	const char *s = json_string_value(json_object_get(config, name));

	return has(s) ? s : NULL;
}

static bool url_ok(const char *url)
{
	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

/* The key goes into a header line: printable ASCII, no spaces. */
static bool key_ok(const char *key)
{
	if (!has(key))
		return false;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return true;
}

static int bad(struct errbuf *err, const char *field, const char *msg)
{
	errbuf_set(err, "invalid_field", "%s", msg);
	errbuf_field(err, field);
	return ERMS_EINVAL;
}

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

	if (!has(m->subject))
		return bad(err, "subject", "missing subject");
	if (!key_ok(m->idempotency_key))
		return bad(err, "idempotency_key",
			   "missing idempotency key, or not printable ASCII");
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i].value && !utf8_valid(fields[i].value))
			return bad(err, fields[i].name, "not valid UTF-8");
	return 0;
}

/* Serialize a Feishu body, cutting the text until it fits the limit. */
static char *feishu_dump(const struct message *m, const char *secret,
			 int64_t now_ms)
{
	const char *text = or_empty(m->text);
	size_t budget = strlen(text);

	for (;;) {
		char *cut = utf8_cut(text, budget);
		json_t *o = body_feishu(m, cut, secret, now_ms);
		char *s = json_dumps(o, JSON_COMPACT);
		size_t len = strlen(s);

		json_decref(o);
		free(cut);
		if (len <= FEISHU_BODY_MAX || budget == 0)
			return s;
		free(s);
		budget = len - FEISHU_BODY_MAX < budget ?
			 budget - (len - FEISHU_BODY_MAX) : 0;
	}
}

int channel_http(enum channel_kind kind, const json_t *config,
		 const struct message *msg, int64_t now_ms,
		 struct http_request *out, struct errbuf *err)
{
	const char *url, *secret;
	json_t *body = NULL;
	struct buf u = BUF_INIT;
	int rc, nh = 0;

	memset(out, 0, sizeof(*out));
	if ((unsigned)kind >= CH__COUNT || kind == CH_EMAIL)
		return bad(err, "kind", "not an HTTP channel");
	if (!json_is_object(config))
		return bad(err, "config", "config is not an object");
	url = cfg_str(config, "url");
	if (!url)
		return bad(err, "url", "missing url");
	if (!url_ok(url))
		return bad(err, "url", "url is not an http(s) URL");
	secret = cfg_str(config, "secret");
	if (kind == CH_WEBHOOK && !secret)
		return bad(err, "secret", "missing secret");
	rc = check_message(msg, err);
	if (rc)
		return rc;

	buf_adds(&u, url);
	switch (kind) {
	case CH_WEBHOOK:
		body = body_webhook(msg);
		break;
	case CH_SLACK:
		body = body_slack(msg);
		break;
	case CH_DINGTALK:
		body = body_dingtalk(msg);
		if (secret) {
			char sign[64];

			sign_dingtalk(secret, now_ms, sign);
			buf_addf(&u, "%ctimestamp=%lld&sign=",
				 strchr(url, '?') ? '&' : '?',
				 (long long)now_ms);
			url_encode(&u, sign);
		}
		break;
	case CH_WECOM:
		body = body_wecom(msg);
		break;
	case CH_FEISHU:
		out->body = feishu_dump(msg, secret, now_ms);
		break;
	default:
		break;	/* excluded above */
	}
	if (body) {
		out->body = json_dumps(body, JSON_COMPACT);
		json_decref(body);
	}
	if (!out->body) {
		/* jansson only fails here when out of memory. */
		fprintf(stderr, "erms: cannot serialize JSON\n");
		abort();
	}
	out->url = buf_detach(&u, NULL);
	out->headers[nh++] = xstrdup("Content-Type: application/json");
	out->headers[nh++] = xasprintf("Idempotency-Key: %s",
				       msg->idempotency_key);
	if (kind == CH_WEBHOOK) {
		char hex[65];

		hmac_sha256_hex(secret, out->body, strlen(out->body), hex);
		out->headers[nh++] = xasprintf("X-Erms-Signature: sha256=%s",
					       hex);
	}
	out->headers[nh] = NULL;
	return 0;
}

/* ---- email ------------------------------------------------------------ */

/*
 * "Name: " and text as RFC 2047 encoded-words, each of whole characters
 * and at most 75 chars, on lines of at most 78 (CR, LF and TAB become
 * spaces); then tail (e.g. " <addr>") and the line end. The first word
 * leaves room for a header name of up to 9 characters ("Subject",
 * "From").
 */
static void mail_words(struct buf *b, const char *name, const char *text,
		       const char *tail)
{
	/* "Subject: " + "=?UTF-8?B?" + b64 + "?=" <= 78: 56 b64 = 42 bytes;
	 * continuation " " + word <= 75 per word: 60 b64 = 45 bytes. */
	const size_t first = 42, next = 45;
	char *s = xstrdup(text);
	size_t len = strlen(s), off = 0;

	for (char *p = s; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	buf_addf(b, "%s:", name);
	while (off < len) {
		size_t n = utf8_prefix(s + off, len - off,
				       off ? next : first);
		char b64[sodium_base64_ENCODED_LEN(45,
			 sodium_base64_VARIANT_ORIGINAL)];

		sodium_bin2base64(b64, sizeof(b64),
				  (const unsigned char *)s + off, n,
				  sodium_base64_VARIANT_ORIGINAL);
		buf_addf(b, "%s=?UTF-8?B?%s?=", off ? "\r\n " : " ", b64);
		off += n;
	}
	if (tail)	/* folded onto a line of its own: always fits */
		buf_addf(b, "\r\n%s", tail);
	buf_adds(b, "\r\n");
	free(s);
}

static void mail_subject(struct buf *b, const char *subject)
{
	mail_words(b, "Subject", subject, NULL);
}

/* RFC 5322 date-time in UTC, by the civil-from-days algorithm (no libc
 * time zone state). */
static void mail_date(int64_t ms, char out[40])
{
	static const char *const wday[] = { "Thu", "Fri", "Sat", "Sun",
					    "Mon", "Tue", "Wed" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr",
					   "May", "Jun", "Jul", "Aug",
					   "Sep", "Oct", "Nov", "Dec" };
	int64_t secs = ms / 1000 - (ms % 1000 < 0);
	int64_t days = secs / 86400 - (secs % 86400 < 0);
	int64_t sod = secs - days * 86400;
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);
	int64_t wd = ((days % 7) + 7) % 7;	/* 1970-01-01 was a Thursday */

	snprintf(out, 40, "%s, %02d %s %04lld %02d:%02d:%02d +0000",
		 wday[wd], (int)d, mon[m - 1], (long long)y,
		 (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
}

/* Base64 of text with its line ends made CRLF (canonical text, RFC 2046
 * §4.1.1), in lines of 76. */
static void mail_base64(struct buf *b, const char *text)
{
	struct buf crlf = BUF_INIT;
	size_t enc_len;
	char *enc;

	for (const char *p = text; *p; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			buf_adds(&crlf, "\r\n");
		else
			buf_add(&crlf, p, 1);
	}
	enc_len = sodium_base64_ENCODED_LEN(crlf.len,
					    sodium_base64_VARIANT_ORIGINAL);
	enc = xmalloc(enc_len);
	sodium_bin2base64(enc, enc_len, (const unsigned char *)buf_str(&crlf),
			  crlf.len, sodium_base64_VARIANT_ORIGINAL);
	for (size_t off = 0, n = strlen(enc); off < n; off += B64_LINE) {
		buf_add(b, enc + off, n - off < B64_LINE ? n - off : B64_LINE);
		buf_adds(b, "\r\n");
	}
	free(enc);
	buf_release(&crlf);
}

/* atext of RFC 5322 §3.2.3: what a dot-atom message id may hold. */
static bool is_atext(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~",
						       c));
}

/* local@domain: dot-atoms of atext, as MAIL FROM and RCPT TO take them. */
static bool addr_spec_ok(const char *a, size_t len)
{
	const char *at = memchr(a, '@', len);
	size_t local = at ? (size_t)(at - a) : 0;

	if (!at || !local || local > 64 || len - local - 1 < 1 ||
	    len > EMAIL_MAX || memchr(at + 1, '@', len - local - 1))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)a[i];
		bool dot = c == '.';

		if (i == local)
			continue;
		if (!(is_atext(c) || dot) || (dot && (i == 0 || i == local - 1 ||
						      i == local + 1 ||
						      i == len - 1 ||
						      a[i - 1] == '.')))
			return false;
	}
	return true;
}

bool email_address_parse(const char *s, char *name, size_t namelen,
			 char *addr, size_t addrlen)
{
	const char *lt, *gt;
	size_t n, a;

	if (!has(s) || !utf8_valid(s))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return false;
	lt = strrchr(s, '<');
	if (!lt) {	/* a bare address */
		a = strlen(s);
		if (!addr_spec_ok(s, a) || a >= addrlen)
			return false;
		memcpy(addr, s, a + 1);
		name[0] = '\0';
		return true;
	}
	gt = strchr(lt, '>');
	if (!gt || gt[1] || strchr(s, '>') != gt)
		return false;
	a = (size_t)(gt - lt - 1);
	if (!addr_spec_ok(lt + 1, a) || a >= addrlen)
		return false;
	memcpy(addr, lt + 1, a);
	addr[a] = '\0';
	/* The display name: trimmed, its quotes taken off; it is encoded
	 * again (RFC 2047) when the header is written. */
	while (*s == ' ')
		s++;
	n = (size_t)(lt - s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
		s++, n -= 2;
	if (memchr(s, '"', n) || memchr(s, '<', n) || n >= namelen)
		return false;
	memcpy(name, s, n);
	name[n] = '\0';
	return true;
}

/* "From:"/"To:" with the display name as encoded-words, the address
 * bare; a name of plain ASCII words is written as it is. */
static void mail_address(struct buf *b, const char *header, const char *name,
			 const char *addr)
{
	bool plain = true;
	char *tail;

	for (const char *p = name; *p; p++)
		if (!is_atext((unsigned char)*p) && *p != ' ')
			plain = false;
	if (!*name) {
		buf_addf(b, "%s: %s\r\n", header, addr);
	} else if (plain) {
		buf_addf(b, "%s: %s <%s>\r\n", header, name, addr);
	} else {
		tail = xasprintf(" <%s>", addr);
		mail_words(b, header, name, tail);
		free(tail);
	}
}

char *email_message(const char *from, const char *to,
		    const struct message *msg, const char *html,
		    int64_t now_ms)
{
	const struct labels *l = labels_for(msg->lang);
	struct buf b = BUF_INIT, text = BUF_INIT;
	char date[40], boundary[8 + SHA256_HEX_LEN], hash[SHA256_HEX_LEN];
	char *id;

	char from_name[NAME_MAX_ + 1], from_addr[EMAIL_MAX + 1];
	char to_name[NAME_MAX_ + 1], to_addr[EMAIL_MAX + 1];

	if (!email_address_parse(from, from_name, sizeof(from_name), from_addr,
				 sizeof(from_addr)) ||
	    !email_address_parse(to, to_name, sizeof(to_name), to_addr,
				 sizeof(to_addr)) ||
	    !has(msg->subject) || !has(msg->idempotency_key))
		return NULL;
	if (!utf8_valid(msg->subject) || !utf8_valid(or_empty(msg->text)) ||
	    !utf8_valid(or_empty(msg->link)) ||
	    !utf8_valid(or_empty(msg->ack_link)) ||
	    !utf8_valid(or_empty(html)))
		return NULL;

	id = xstrdup(msg->idempotency_key);
	for (char *p = id; *p; p++)
		if (!is_atext((unsigned char)*p))
			*p = '-';
	sha256_hex(msg->idempotency_key, strlen(msg->idempotency_key), hash);
	/* "=_" cannot occur in Base64 lines, so the boundary cannot either. */
	snprintf(boundary, sizeof(boundary), "=_erms_%.32s", hash);
	mail_date(now_ms, date);

	mail_address(&b, "From", from_name, from_addr);
	mail_address(&b, "To", to_name, to_addr);
	mail_subject(&b, msg->subject);
	buf_addf(&b, "Date: %s\r\n", date);
	buf_addf(&b, "Message-ID: <%s@erms>\r\n", id);
	buf_adds(&b, "MIME-Version: 1.0\r\n");
	buf_adds(&b, "Auto-Submitted: auto-generated\r\n");
	buf_addf(&b, "Content-Type: multipart/alternative;\r\n"
		 " boundary=\"%s\"\r\n", boundary);
	buf_adds(&b, "\r\nThis is a multi-part message in MIME format.\r\n");

	buf_adds(&text, or_empty(msg->text));
	if (has(msg->link) || has(msg->ack_link))
		buf_adds(&text, "\n");
	if (has(msg->link))
		buf_addf(&text, "\n%s: %s", l->open, msg->link);
	if (has(msg->ack_link))
		buf_addf(&text, "\n%s: %s", l->ack, msg->ack_link);
	buf_addf(&b, "\r\n--%s\r\n"
		 "Content-Type: text/plain; charset=utf-8\r\n"
		 "Content-Transfer-Encoding: base64\r\n\r\n", boundary);
	mail_base64(&b, buf_str(&text));
	if (html) {
		buf_addf(&b, "\r\n--%s\r\n"
			 "Content-Type: text/html; charset=utf-8\r\n"
			 "Content-Transfer-Encoding: base64\r\n\r\n",
			 boundary);
		mail_base64(&b, html);
	}
	buf_addf(&b, "\r\n--%s--\r\n", boundary);
	buf_release(&text);
	free(id);
	return buf_detach(&b, NULL);
}

/* ---- digest ----------------------------------------------------------- */

void digest_build(struct digest *d, const struct message *msgs, int n,
		  const char *lang)
{
	bool zh = lang_is_zh(lang);
	const struct labels *l = zh ? &labels_zh : &labels_en;
	struct buf text = BUF_INIT, md = BUF_INIT, keys = BUF_INIT;
	json_t *items = json_array();
	char hash[SHA256_HEX_LEN];

	memset(d, 0, sizeof(*d));
	if (n < 0)
		n = 0;
	if (zh)
		d->subject = xasprintf("%d 条通知", n);
	else
		d->subject = xasprintf("%d notification%s", n,
				       n == 1 ? "" : "s");
	for (int i = 0; i < n; i++) {
		const struct message *m = &msgs[i];

		buf_addf(&text, "%d. %s\n", i + 1, or_empty(m->subject));
		if (has(m->link))
			buf_addf(&text, "   %s\n", m->link);
		if (has(m->ack_link))
			buf_addf(&text, "   %s: %s\n", l->ack, m->ack_link);

		buf_addf(&md, "%d. ", i + 1);
		esc_md(&md, m->subject);
		if (has(m->link)) {
			buf_addf(&md, " · [%s](", l->open);
			url_in_link(&md, m->link, "()<>");
			buf_adds(&md, ")");
		}
		if (has(m->ack_link)) {
			buf_addf(&md, " · [%s](", l->ack);
			url_in_link(&md, m->ack_link, "()<>");
			buf_adds(&md, ")");
		}
		buf_adds(&md, "\n");

		buf_addf(&keys, "%s\n", or_empty(m->idempotency_key));
		json_array_append_new(items, json_pack(
			"{s:o, s:o, s:o, s:o, s:o}",
			"idempotency_key", jstr(m->idempotency_key),
			"subject", jstr(m->subject),
			"link", jstr(has(m->link) ? m->link : NULL),
			"ack_link", jstr(has(m->ack_link) ? m->ack_link : NULL),
			"event", m->event ? json_deep_copy(m->event) :
					    json_null()));
	}
	sha256_hex(buf_str(&keys), keys.len, hash);
	d->idempotency_key = xasprintf("digest-%.32s", hash);
	d->text = buf_detach(&text, NULL);
	d->markdown = buf_detach(&md, NULL);
	buf_release(&keys);
	d->event = json_pack("{s:s, s:i, s:o}", "type", "digest",
			     "count", n, "items", items);

	d->msg.subject = d->subject;
	d->msg.text = d->text;
	d->msg.markdown = d->markdown;
	d->msg.idempotency_key = d->idempotency_key;
	d->msg.event = d->event;
	d->msg.lang = zh ? "zh-CN" : "en";
}

void digest_release(struct digest *d)
{
	free(d->subject);
	free(d->text);
	free(d->markdown);
	free(d->idempotency_key);
	json_decref(d->event);
	memset(d, 0, sizeof(*d));
}

/* ---- rates ------------------------------------------------------------ */

struct bucket_rule channel_default_rate(enum channel_kind k)
{
	switch (k) {
	case CH_DINGTALK:
	case CH_WECOM:
		/* 20 per minute per robot; DingTalk then mutes the robot for
		 * 10 minutes. 10 at once + one per 6 s = 20 in any minute. */
		return (struct bucket_rule){ 10, 6000 };
	case CH_FEISHU:
		/* 5 per second and 100 per minute per bot (error 11232).
		 * 3 + 1000/700 = 4 in any second, 3 + 60000/700 = 88 in any
		 * minute. */
		return (struct bucket_rule){ 3, 700 };
	case CH_SLACK:
		return (struct bucket_rule){ 1, 1000 };	/* 1 per second */
	case CH_WEBHOOK:
		return (struct bucket_rule){ 50, 20 };	/* 50 per second */
	case CH_EMAIL:
		return (struct bucket_rule){ 10, 100 };	/* 10 per second */
	default:
		return (struct bucket_rule){ 1, 1000 };
	}
}

/* ---- what the service answered ---------------------------------------- */

const char *delivery_outcome_name(enum delivery_outcome o)
{
	static const char *const names[] = { "sent", "retry", "throttled",
					     "failed" };

	return (unsigned)o < 4 ? names[o] : "?";
}

/* Printable ASCII and UTF-8 of s[0..len) into out, control characters and
 * broken bytes as '?', so a vendor's message can be logged and shown. */
static void clean_copy(char *out, size_t n, const char *s, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len && s[i] && o + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out[o++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	out[o] = '\0';
	/* Do not end inside a UTF-8 sequence, nor hold a broken one. */
	if (!utf8_valid(out)) {
		for (size_t i = 0; out[i]; i++)
			if ((unsigned char)out[i] >= 0x80)
				out[i] = '?';
	}
}

/* The JSON code and message of a chat robot's answer. Returns false when
 * the body is not a JSON object holding the code. */
static bool vendor_code(enum channel_kind k, const char *body, size_t len,
			long long *code, char *msg, size_t msglen)
{
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
	json_t *c = NULL, *m = NULL;
	bool ok;

	if (json_is_object(j) && k == CH_FEISHU) {
		c = json_object_get(j, "code");
		m = json_object_get(j, "msg");
		if (!c) {
			c = json_object_get(j, "StatusCode");
			m = json_object_get(j, "StatusMessage");
		}
	} else if (json_is_object(j)) {
		c = json_object_get(j, "errcode");
		m = json_object_get(j, "errmsg");
	}
	ok = json_is_integer(c);
	if (ok) {
		const char *t = json_string_value(m);

		*code = json_integer_value(c);
		clean_copy(msg, msglen, t ? t : "", t ? strlen(t) : 0);
	}
	json_decref(j);
	return ok;
}

/* Is this vendor code throttling (true) or temporary (*temp)? */
static bool vendor_throttled(enum channel_kind k, long long code, bool *temp)
{
	*temp = code == -1;	/* DingTalk and WeCom: system busy */
	switch (k) {
	case CH_DINGTALK: return code == 130101;
	case CH_WECOM: return code == 45009;
	case CH_FEISHU: *temp = false; return code == 11232;
	default: return false;
	}
}

static void verdict_set(struct verdict *v, enum delivery_outcome o,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void verdict_set(struct verdict *v, enum delivery_outcome o,
			const char *fmt, ...)
{
	va_list ap;

	v->outcome = o;
	va_start(ap, fmt);
	vsnprintf(v->error, sizeof(v->error), fmt, ap);
	va_end(ap);
}

/* The answer by its HTTP status alone (for a non-2xx, or a 2xx whose
 * body is not the vendor's success). */
static void by_status(struct verdict *v, const char *text)
{
	long s = v->status;

	if (s == 429)
		verdict_set(v, DELIVERY_THROTTLED, "HTTP 429 (throttled)%s%s",
			    *text ? ": " : "", text);
	else if (s == 408 || s == 425 || s >= 500 || s == 0 ||
		 (s >= 200 && s < 300))
		verdict_set(v, DELIVERY_RETRY, "HTTP %ld%s%s", s,
			    *text ? ": " : "", text);
	else
		verdict_set(v, DELIVERY_FAILED, "HTTP %ld%s%s", s,
			    *text ? ": " : "", text);
}

void channel_verdict(enum channel_kind kind, long status, const char *body,
		     size_t len, int64_t retry_after_ms, struct verdict *v)
{
	char text[160], msg[160];
	long long code;
	bool temp, throttled;

	memset(v, 0, sizeof(*v));
	v->status = status;
	v->retry_ms = retry_after_ms > 0 ? retry_after_ms : 0;
	clean_copy(text, sizeof(text), body ? body : "", body ? len : 0);
	if (!body)
		len = 0;
	switch (kind) {
	case CH_DINGTALK:
	case CH_WECOM:
	case CH_FEISHU:
		if (!vendor_code(kind, body ? body : "", len, &code, msg,
				 sizeof(msg)))
			break;
		snprintf(v->code, sizeof(v->code), "%lld", code);
		if (code == 0 && status >= 200 && status < 300) {
			v->outcome = DELIVERY_SENT;
			return;
		}
		if (code == 0)
			break;	/* a success code on an error status */
		/* A robot's own throttling lasts (DingTalk: 10 minutes
		 * after 20 a minute): wait a minute unless it says. */
		throttled = vendor_throttled(kind, code, &temp);
		if (throttled && !v->retry_ms)
			v->retry_ms = 60000;
		verdict_set(v, throttled ? DELIVERY_THROTTLED
			       : temp || status >= 500 ? DELIVERY_RETRY
						       : DELIVERY_FAILED,
			    "HTTP %ld, %s %lld: %s", status,
			    kind == CH_FEISHU ? "code" : "errcode", code, msg);
		return;
	case CH_SLACK:
		if (status == 200 && len >= 2 && !strncmp(body, "ok", 2) &&
		    (len == 2 || body[2] == '\n' || body[2] == '\0')) {
			v->outcome = DELIVERY_SENT;
			return;
		}
		snprintf(v->code, sizeof(v->code), "%.*s",
			 (int)strcspn(text, " \n"), text);
		break;
	default:
		if (status >= 200 && status < 300) {
			v->outcome = DELIVERY_SENT;
			return;
		}
		break;
	}
	if (status >= 200 && status < 300) {
		verdict_set(v, DELIVERY_RETRY, "HTTP %ld without the service's "
			    "success answer%s%s", status, *text ? ": " : "",
			    text);
		return;
	}
	by_status(v, text);
}

/* ---- configs as they are saved ---------------------------------------- */

bool url_host(const char *url, char *out, size_t n)
{
	const char *h = strstr(url, "://"), *end, *at;
	size_t len;

	if (!h)
		return false;
	h += 3;
	end = h + strcspn(h, "/?#");
	at = memchr(h, '@', (size_t)(end - h));
	if (at)
		h = at + 1;	/* user:password@ */
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));

		if (!rb)
			return false;
		h++;
		len = (size_t)(rb - h);
	} else {
		len = strcspn(h, ":/?#");
	}
	if (!len || len >= n)
		return false;
	memcpy(out, h, len);
	out[len] = '\0';
	return true;
}

static int field_bad(struct errbuf *err, const char *field, const char *msg)
{
	char f[32];

	snprintf(f, sizeof(f), "config.%s", field);
	errbuf_set(err, "invalid", "%s: %s", f, msg);
	errbuf_field(err, f);
	return ERMS_EINVAL;
}

static int check_url(const json_t *config, bool allow_internal,
		     struct errbuf *err)
{
	const char *url = cfg_str(config, "url");
	char host[256];

	if (!url || !url_ok(url))
		return field_bad(err, "url", "must be an http:// or https:// "
				 "URL without spaces");
	if (!url_host(url, host, sizeof(host)))
		return field_bad(err, "url", "has no host");
	if (!allow_internal &&
	    (addr_is_internal(host) || !strcasecmp(host, "localhost") ||
	     (strlen(host) > 10 &&
	      !strcasecmp(host + strlen(host) - 10, ".localhost"))))
		return field_bad(err, "url", "points inside the organisation "
				 "(loopback, link-local or private); start the "
				 "server with --allow-private-webhooks to allow "
				 "it");
	return 0;
}

static int check_email(const json_t *config, struct errbuf *err)
{
	const char *from = cfg_str(config, "from");
	const char *host = cfg_str(config, "host");
	const char *tls = cfg_str(config, "tls");
	const json_t *port = json_object_get(config, "port");
	char name[NAME_MAX_ + 1], addr[EMAIL_MAX + 1];

	if (!from || !email_address_parse(from, name, sizeof(name), addr,
					  sizeof(addr)))
		return field_bad(err, "from", "must be an address, e.g. "
				 "\"应急管理系统 <erms@example.org>\"");
	if (!host || !*host || strpbrk(host, " /\t\r\n") ||
	    strlen(host) > 253)
		return field_bad(err, "host", "must be a host name or address");
	if (port && (!json_is_integer(port) || json_integer_value(port) < 1 ||
		     json_integer_value(port) > 65535))
		return field_bad(err, "port", "must be 1..65535");
	if (tls && strcmp(tls, "none") && strcmp(tls, "starttls") &&
	    strcmp(tls, "tls"))
		return field_bad(err, "tls", "must be none, starttls or tls");
	return 0;
}

int channel_config_check(enum channel_kind kind, const json_t *config,
			 bool allow_internal, struct errbuf *err)
{
	if (!json_is_object(config))
		return bad(err, "config", "must be an object");
	switch (kind) {
	case CH_EMAIL:
		return check_email(config, err);
	case CH_WEBHOOK:
		if (!cfg_str(config, "secret") || !key_ok(cfg_str(config,
							       "secret")))
			return field_bad(err, "secret", "is required: printable "
					 "ASCII without spaces");
		/* fall through */
	case CH_SLACK:
	case CH_DINGTALK:
	case CH_WECOM:
	case CH_FEISHU:
		return check_url(config, allow_internal, err);
	default:
		return bad(err, "kind", "unknown channel kind");
	}
}
