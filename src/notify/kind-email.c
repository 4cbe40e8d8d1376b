/*
 * kind-email.c - e-mail: the message as RFC 5322 + MIME, the addresses,
 * and sending it through the channel's SMTP server (libcurl).
 */
#include "notify/ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "core/calendar.h"
#include "util/crypto.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define B64_LINE 76		/* RFC 2045 §6.8 */


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

/* RFC 5322 date-time in UTC (core/calendar: no libc time zone state). */
static void mail_date(int64_t ms, char out[40])
{
	static const char *const wday[] = { "Sun", "Mon", "Tue", "Wed",
					    "Thu", "Fri", "Sat" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr",
					   "May", "Jun", "Jul", "Aug",
					   "Sep", "Oct", "Nov", "Dec" };
	struct civil_time t;

	civil_from_ms(ms, &t);
	snprintf(out, 40, "%s, %02d %s %04lld %02d:%02d:%02d +0000",
		 wday[t.wday], t.day, mon[t.month - 1], (long long)t.year,
		 t.hour, t.min, t.sec);
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

	if (!ch_has(s) || !utf8_valid(s))
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
	const struct labels *l = ch_labels_for(msg->lang);
	struct buf b = BUF_INIT, text = BUF_INIT;
	char date[40], boundary[8 + SHA256_HEX_LEN], hash[SHA256_HEX_LEN];
	char *id;

	char from_name[NAME_MAX_ + 1], from_addr[EMAIL_MAX + 1];
	char to_name[NAME_MAX_ + 1], to_addr[EMAIL_MAX + 1];

	if (!email_address_parse(from, from_name, sizeof(from_name), from_addr,
				 sizeof(from_addr)) ||
	    !email_address_parse(to, to_name, sizeof(to_name), to_addr,
				 sizeof(to_addr)) ||
	    !ch_has(msg->subject) || !ch_has(msg->idempotency_key))
		return NULL;
	if (!utf8_valid(msg->subject) ||
	    !utf8_valid(ch_or_empty(msg->text)) ||
	    !utf8_valid(ch_or_empty(msg->link)) ||
	    !utf8_valid(ch_or_empty(msg->ack_link)) ||
	    !utf8_valid(ch_or_empty(html)))
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

	buf_adds(&text, ch_or_empty(msg->text));
	if (ch_has(msg->link) || ch_has(msg->ack_link))
		buf_adds(&text, "\n");
	if (ch_has(msg->link))
		buf_addf(&text, "\n%s: %s", l->open, msg->link);
	if (ch_has(msg->ack_link))
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

/* ---- the config ------------------------------------------------------- */

static int email_check(const json_t *config, bool allow_internal,
		       struct errbuf *err)
{
	const char *from = ch_cfg_str(config, "from");
	const char *host = ch_cfg_str(config, "host");
	const char *tls = ch_cfg_str(config, "tls");
	const json_t *port = json_object_get(config, "port");
	char name[NAME_MAX_ + 1], addr[EMAIL_MAX + 1];

	(void)allow_internal;
	if (!from || !email_address_parse(from, name, sizeof(name), addr,
					  sizeof(addr)))
		return ch_field_bad(err, "from", "must be an address, e.g. "
				    "\"应急管理系统 <erms@example.org>\"");
	if (!host || !*host || strpbrk(host, " /\t\r\n") ||
	    strlen(host) > 253)
		return ch_field_bad(err, "host", "must be a host name or address");
	if (port && (!json_is_integer(port) || json_integer_value(port) < 1 ||
		     json_integer_value(port) > 65535))
		return ch_field_bad(err, "port", "must be 1..65535");
	if (tls && strcmp(tls, "none") && strcmp(tls, "starttls") &&
	    strcmp(tls, "tls"))
		return ch_field_bad(err, "tls", "must be none, starttls or tls");
	return 0;
}

/* ---- sending ---------------------------------------------------------- */

struct mail {
	const char *p;
	size_t left;
};

static size_t read_mail(char *dst, size_t size, size_t n, void *ud)
{
	struct mail *m = ud;
	size_t len = size * n < m->left ? size * n : m->left;

	memcpy(dst, m->p, len);
	m->p += len;
	m->left -= len;
	return len;
}

/* The mail for msg to `to`, with an HTML part made of its Markdown and
 * an acknowledgement link; NULL when it cannot be built. */
static char *build_mail(const struct channel_transport *t, const char *from,
			const char *to, const struct message *msg,
			int64_t now_ms)
{
	struct buf md = BUF_INIT;
	char *html = NULL, *mail;

	buf_addf(&md, "%s\n\n[%s](%s)\n", ch_or_empty(msg->markdown),
		 msg->lang && !strcmp(msg->lang, "en") ? "Acknowledge"
						       : "确认收到",
		 ch_or_empty(msg->ack_link));
	if (t->html)
		html = t->html(md.data, md.len);
	mail = email_message(from, to, msg, html, now_ms);
	buf_release(&md);
	free(html);
	return mail;
}

/* Hand the mail to the server and read its answer into v. */
static void smtp_post(const struct channel_transport *t, const json_t *cfg,
		      const char *mail, const char *faddr, const char *taddr,
		      struct verdict *v)
{
	const char *host = json_string_value(json_object_get(cfg, "host"));
	const char *tls = json_string_value(json_object_get(cfg, "tls"));
	const char *user = json_string_value(json_object_get(cfg, "user"));
	const char *pass = json_string_value(json_object_get(cfg, "password"));
	json_int_t port = json_integer_value(json_object_get(cfg, "port"));
	struct curl_slist *rcpt = NULL;
	struct mail m = { mail, strlen(mail) };
	CURL *h = t->curl;
	char *url, *mfrom, *mto;
	long code = 0;
	CURLcode rc;

	url = xasprintf("%s://%s:%lld/%s", tls && !strcmp(tls, "tls")
					    ? "smtps" : "smtp",
			host, port ? (long long)port : 25LL,
			ch_or_empty(t->ehlo));
	mfrom = xasprintf("<%s>", faddr);
	mto = xasprintf("<%s>", taddr);
	rcpt = curl_slist_append(rcpt, mto);
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_mail);
	curl_easy_setopt(h, CURLOPT_READDATA, &m);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
	if (tls && !strcmp(tls, "starttls"))
		curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (user)
		curl_easy_setopt(h, CURLOPT_USERNAME, user);
	if (pass)
		curl_easy_setopt(h, CURLOPT_PASSWORD, pass);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	v->status = code;
	if (rc == CURLE_OK)
		v->outcome = DELIVERY_SENT;
	else if (code)
		ch_verdict_set(v, code >= 500 || rc == CURLE_LOGIN_DENIED
			       ? DELIVERY_FAILED : DELIVERY_RETRY,
			    "SMTP %ld: %s", code, curl_easy_strerror(rc));
	else
		ch_verdict_set(v, rc == CURLE_LOGIN_DENIED ? DELIVERY_FAILED
							: DELIVERY_RETRY,
			    "SMTP: %s", curl_easy_strerror(rc));
	curl_slist_free_all(rcpt);
	free(url);
	free(mfrom);
	free(mto);
}

/*
 * The envelope (MAIL FROM, RCPT TO) takes the bare addresses, the
 * headers keep the display names.
 */
static void email_send(const struct channel_ops *ops,
		       const struct channel_transport *t, const json_t *cfg,
		       const struct message *msg, const char *to,
		       int64_t now_ms, struct verdict *v)
{
	const char *host = json_string_value(json_object_get(cfg, "host"));
	const char *from = json_string_value(json_object_get(cfg, "from"));
	char name[NAME_MAX_ + 1], faddr[EMAIL_MAX + 1], taddr[EMAIL_MAX + 1];
	char *mail;

	(void)ops;
	if (!host || !from ||
	    !email_address_parse(from, name, sizeof(name), faddr,
				 sizeof(faddr))) {
		ch_verdict_set(v, DELIVERY_FAILED, "the e-mail channel needs a "
			       "host and a from address");
		return;
	}
	if (!email_address_parse(ch_or_empty(to), name, sizeof(name), taddr,
				 sizeof(taddr))) {
		ch_verdict_set(v, DELIVERY_FAILED, "'%s' is not an e-mail "
			       "address", ch_or_empty(to));
		return;
	}
	mail = build_mail(t, from, to, msg, now_ms);
	if (!mail) {
		ch_verdict_set(v, DELIVERY_FAILED, "cannot build the e-mail to "
			       "'%s'", to);
		return;
	}
	smtp_post(t, cfg, mail, faddr, taddr, v);
	free(mail);
}

static const char *const email_required[] = { "host", "from", NULL };

const struct channel_ops channel_email = {
	.kind = CH_EMAIL,
	.required = email_required,
	.rate = { 10, 100 },	/* 10 per second */
	.per_recipient = true,
	.no_address = "your account has no e-mail address to send the test "
		      "to",
	.check = email_check,
	.send = email_send,
};
