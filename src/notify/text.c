/*
 * text.c - the helpers every kind shares (notify/ops.h): labels, UTF-8,
 * URLs in links, JSON strings, Markdown heads, HMAC, config fields.
 */
#include "notify/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "util/escape.h"
#include "util/netaddr.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define ELLIPSIS "\xe2\x80\xa6"	/* U+2026, 3 bytes */
#define ELLIPSIS_LEN 3

const struct labels ch_labels_en = { "Open incident", "Acknowledge" };
const struct labels ch_labels_zh = { "查看详情", "确认收到" };

bool ch_lang_is_zh(const char *lang)
{
	return lang && (lang[0] == 'z' || lang[0] == 'Z') &&
	       (lang[1] == 'h' || lang[1] == 'H');
}

const struct labels *ch_labels_for(const char *lang)
{
	return ch_lang_is_zh(lang) ? &ch_labels_zh : &ch_labels_en;
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

bool ch_has(const char *s)
{
	return s && *s;
}

const char *ch_or_empty(const char *s)
{
	return s ? s : "";
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

void ch_url_encode(struct buf *b, const char *s)
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

void ch_url_in_link(struct buf *b, const char *url, const char *special)
{
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f || strchr(special, *p))
			buf_addf(b, "%%%02X", *p);
		else
			buf_add(b, p, 1);
	}
}

/*
 * A JSON string; NULL means JSON null. channel_http() checks its input
 * first, so there invalid UTF-8 cannot arrive; elsewhere (digest items)
 * it becomes null, and the digest's own text, which carries the same
 * bytes, is refused by channel_http() in the open.
 */
json_t *ch_jstr(const char *s)
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

void ch_set_str(json_t *o, const char *key, const char *s)
{
	json_object_set_new(o, key, ch_jstr(s));
}

void ch_set_str_take(json_t *o, const char *key, char *s)
{
	json_object_set_new(o, key, ch_jstr(s));
	free(s);
}

char *ch_dump_take(json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);

	json_decref(o);
	if (!s) {
		/* jansson only fails here when out of memory. */
		fprintf(stderr, "erms: cannot serialize JSON\n");
		abort();
	}
	return s;
}

/* ---- Markdown --------------------------------------------------------- */

/*
 * "<subject line>\n<body>" as Markdown: the subject (which carries the
 * reporter's title) escaped, inside erms' own emphasis (fmt, e.g.
 * "### %s\n\n"); then the message's Markdown, which its composer built
 * with the typed parts escaped, or else its plain text, escaped.
 */
void ch_md_head(struct buf *b, const char *fmt, const struct message *m)
{
	struct buf subj = BUF_INIT;

	esc_md(&subj, m->subject);
	buf_addf(b, fmt, buf_str(&subj));
	buf_release(&subj);
	if (ch_has(m->markdown))
		buf_adds(b, m->markdown);
	else
		esc_md(b, m->text);
}

/* The form DingTalk and WeCom both render. */
void ch_md_links(struct buf *b, const struct message *m, const char *sep)
{
	const struct labels *l = ch_labels_for(m->lang);

	if (ch_has(m->link)) {
		buf_addf(b, "%s[%s](", sep, l->open);
		ch_url_in_link(b, m->link, "()<>");
		buf_adds(b, ")");
	}
	if (ch_has(m->ack_link)) {
		buf_addf(b, "%s[%s](", sep, l->ack);
		ch_url_in_link(b, m->ack_link, "()<>");
		buf_adds(b, ")");
	}
}

void ch_mentions(const struct message *m, bool need_id, ch_mention_fn *fn,
		 void *ctx)
{
	const json_t *v;
	size_t i;

	json_array_foreach(m->mentions, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *mob = json_string_value(json_object_get(v, "mobile"));

		id = ch_or_empty(id);
		mob = need_id ? "" : ch_or_empty(mob);
		if (*id || *mob)
			fn(ctx, ch_or_empty(name), id, mob);
	}
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

void ch_hmac_base64(const void *key, size_t keylen, const void *msg, size_t len,
		    char out[64])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	_Static_assert(sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES,
		       sodium_base64_VARIANT_ORIGINAL) <= 64, "sign size");
	hmac_raw(key, keylen, msg, len, mac);
	sodium_bin2base64(out, 64, mac, crypto_auth_hmacsha256_BYTES,
			  sodium_base64_VARIANT_ORIGINAL);
}

/* ---- configs ---------------------------------------------------------- */

const char *ch_cfg_str(const json_t *config, const char *name)
{
	const char *s = json_string_value(json_object_get(config, name));

	return ch_has(s) ? s : NULL;
}

bool ch_url_ok(const char *url)
{
	if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
		return false;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	return true;
}

bool ch_key_ok(const char *key)
{
	if (!ch_has(key))
		return false;
	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return true;
}

int ch_bad(struct errbuf *err, const char *field, const char *msg)
{
	errbuf_set(err, "invalid_field", "%s", msg);
	errbuf_field(err, field);
	return ERMS_EINVAL;
}

int ch_field_bad(struct errbuf *err, const char *field, const char *msg)
{
	char f[32];

	snprintf(f, sizeof(f), "config.%s", field);
	errbuf_set(err, "invalid", "%s: %s", f, msg);
	errbuf_field(err, f);
	return ERMS_EINVAL;
}

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

int ch_check_url(const json_t *config, bool allow_internal, struct errbuf *err)
{
	const char *url = ch_cfg_str(config, "url");
	char host[256];

	if (!url || !ch_url_ok(url))
		return ch_field_bad(err, "url", "must be an http:// or "
				    "https:// URL without spaces");
	if (!url_host(url, host, sizeof(host)))
		return ch_field_bad(err, "url", "has no host");
	if (!allow_internal &&
	    (addr_is_internal(host) || !strcasecmp(host, "localhost") ||
	     (strlen(host) > 10 &&
	      !strcasecmp(host + strlen(host) - 10, ".localhost"))))
		return ch_field_bad(err, "url", "points inside the "
				    "organisation (loopback, link-local or "
				    "private); start the server with "
				    "--allow-private-webhooks to allow it");
	return 0;
}
