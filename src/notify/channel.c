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

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "util/buf.h"
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

/* The body of a message as Markdown (falling back to its text). */
static const char *md_body(const struct message *m)
{
	return has(m->markdown) ? m->markdown : or_empty(m->text);
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
		json_array_append_new(blocks, json_pack("{s:s, s:{s:s, s:s}}",
			"type", "section", "text", "type", "mrkdwn",
			"text", s[0] == '\n' ? s + 1 : s));
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

	buf_addf(&text, "### %s\n\n%s", m->subject, md_body(m));
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

	buf_addf(&head, "**%s**\n%s", m->subject, md_body(m));
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

/* Append a header "Name: value", folding at spaces (CRLF before the
 * space) past 78 columns. A word longer than a line stays whole (RFC 5322
 * allows 998). */
static void mail_header(struct buf *b, const char *name, const char *value)
{
	size_t col = strlen(name) + 1;
	const char *p = value;

	buf_addf(b, "%s:", name);
	for (;;) {
		const char *sp = strchr(p, ' ');
		size_t w = sp ? (size_t)(sp - p) : strlen(p);

		if (p != value && col + 1 + w > EMAIL_LINE_MAX) {
			buf_adds(b, "\r\n");
			col = 0;
		}
		buf_adds(b, " ");
		buf_add(b, p, w);
		col += 1 + w;
		if (!sp)
			break;
		p = sp + 1;
	}
	buf_adds(b, "\r\n");
}

/* Subject as RFC 2047 encoded-words, each of whole characters and at most
 * 75 chars, on lines of at most 78. */
static void mail_subject(struct buf *b, const char *subject)
{
	/* "Subject: " + "=?UTF-8?B?" + b64 + "?=" <= 78: 56 b64 = 42 bytes;
	 * continuation " " + word <= 75 per word: 60 b64 = 45 bytes. */
	const size_t first = 42, next = 45;
	char *s = xstrdup(subject);
	size_t len = strlen(s), off = 0;

	for (char *p = s; *p; p++)
		if (*p == '\r' || *p == '\n' || *p == '\t')
			*p = ' ';
	buf_adds(b, "Subject:");
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
	buf_adds(b, "\r\n");
	free(s);
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

static bool header_value_ok(const char *s)
{
	if (!has(s))
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p >= 0x7f)
			return false;
	return true;
}

/* atext of RFC 5322 §3.2.3: what a dot-atom message id may hold. */
static bool is_atext(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-/=?^_`{|}~",
						       c));
}

char *email_message(const char *from, const char *to,
		    const struct message *msg, const char *html,
		    int64_t now_ms)
{
	const struct labels *l = labels_for(msg->lang);
	struct buf b = BUF_INIT, text = BUF_INIT;
	char date[40], boundary[8 + SHA256_HEX_LEN], hash[SHA256_HEX_LEN];
	char *id;

	if (!header_value_ok(from) || !header_value_ok(to) ||
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

	mail_header(&b, "From", from);
	mail_header(&b, "To", to);
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

		buf_addf(&md, "%d. %s", i + 1, or_empty(m->subject));
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
