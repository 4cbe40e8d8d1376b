/*
 * test-channel.c - channel payloads, signatures, email and digests.
 *
 * Expected signatures were computed independently with Python's hmac
 * module (the command is above each value), so a mistake in how the
 * string to sign is built shows up here and not at DingTalk.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "core/ratelimit.h"
#include "notify/channel.h"
#include "util/buf.h"

#define SUBJECT "[DRILL] INC-2026-0001 数据库宕机"
/* The subject as it goes into Markdown: escaped. */
#define SUBJECT_MD "\\[DRILL\\] INC-2026-0001 数据库宕机"
#define TEXT "级别: 二级\n状态: 处置中"
#define LINK "https://erms.example/i/1"
#define ACK "https://erms.example/ack/xyz"
#define NOW_MS 1762131120000LL	/* 2025-11-03T00:52:00Z */

static json_t *event_new(void)
{
	return json_pack("{s:s, s:i}", "type", "reported", "incident", 1);
}

static struct message msg_sample(const json_t *event)
{
	struct message m = {
		.subject = SUBJECT,
		.text = TEXT,
		.markdown = "**级别**: 二级\n**状态**: 处置中",
		.link = LINK,
		.ack_link = ACK,
		.idempotency_key = "ntf-1-webhook",
		.event = event,
		.lang = "zh-CN",
	};

	return m;
}

/* Validity judged by jansson, not by the code under test. */
static bool is_utf8(const char *s)
{
	json_t *v = json_string(s);
	bool ok = v != NULL;

	json_decref(v);
	return ok;
}

static json_t *parse(const char *body)
{
	json_error_t e;
	json_t *j = json_loads(body, 0, &e);

	if (!j)
		fail_msg("body is not JSON: %s: %s", e.text, body);
	return j;
}

/* The string member key of object j (borrowed), or fail. */
static const char *get_str(const json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));

	if (!s)
		fail_msg("no string member '%s'", key);
	return s;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && !strcmp(s + n - m, tail);
}

static json_t *config(const char *url, const char *secret)
{
	json_t *c = json_pack("{s:s}", "url", url);

	if (secret)
		json_object_set_new(c, "secret", json_string(secret));
	return c;
}

/* A body of about n bytes: Chinese with some ASCII between. */
static char *long_text(size_t n)
{
	struct buf b = BUF_INIT;

	while (b.len < n)
		buf_adds(&b, b.len % 7 ? "数据库宕机" : "db down; ");
	return buf_detach(&b, NULL);
}

/* ---- names ------------------------------------------------------------ */

static void test_kind_names(void **state)
{
	(void)state;
	for (int k = 0; k < CH__COUNT; k++)
		assert_int_equal(channel_kind_parse(channel_kind_name(k)), k);
	assert_string_equal(channel_kind_name(CH_DINGTALK), "dingtalk");
	assert_string_equal(channel_kind_name(CH_FEISHU), "feishu");
	assert_string_equal(channel_kind_name(CH__COUNT), "?");
	assert_int_equal(channel_kind_parse("sms"), -1);
	assert_int_equal(channel_kind_parse("DingTalk"), -1);
	assert_int_equal(channel_kind_parse(NULL), -1);
}

/* ---- signatures ------------------------------------------------------- */

static void test_hmac_hex(void **state)
{
	char hex[65];

	(void)state;
	/* RFC 4231 test case 2; python3 -c 'import hmac,hashlib;
	 * print(hmac.new(b"Jefe", b"what do ya want for nothing?",
	 * hashlib.sha256).hexdigest())' */
	hmac_sha256_hex("Jefe", "what do ya want for nothing?", 28, hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c7"
				 "5a003f089d2739839dec58b964ec3843");
}

static void test_sign_dingtalk(void **state)
{
	char sign[64];

	(void)state;
	/* python3 -c 'import hmac,hashlib,base64; ts=1762131120000;
	 * s="SECabc123"; print(base64.b64encode(hmac.new(s.encode(),
	 * f"{ts}\n{s}".encode(), hashlib.sha256).digest()).decode())' */
	sign_dingtalk("SECabc123", NOW_MS, sign);
	assert_string_equal(sign,
			    "/I+rlPKtrJPDN+iT7xyei48/IfeL1wa0g/GnIUCEOmk=");
}

static void test_sign_feishu(void **state)
{
	char sign[64];

	(void)state;
	/* Key = timestamp + "\n" + secret, message empty:
	 * python3 -c 'import hmac,hashlib,base64; ts=1762131120;
	 * s="feishu-secret-0001"; print(base64.b64encode(hmac.new(
	 * f"{ts}\n{s}".encode(), b"", hashlib.sha256).digest()).decode())' */
	sign_feishu("feishu-secret-0001", 1762131120, sign);
	assert_string_equal(sign,
			    "MUFo1i9WLhrbShqJT67VqomVCf0X7yvl8t9551DvP3s=");
}

/* ---- webhook ---------------------------------------------------------- */

static void test_webhook(void **state)
{
	json_t *ev = event_new(), *c = config(LINK "/hook", "whsec-test");
	struct message m = msg_sample(ev);
	struct http_request r;
	struct errbuf err = { 0 };
	json_t *j;

	(void)state;
	assert_int_equal(channel_http(CH_WEBHOOK, c, &m, NOW_MS, &r, &err), 0);
	assert_string_equal(r.url, LINK "/hook");
	/* The exact bytes, since the signature covers them. */
	assert_string_equal(r.body,
		"{\"idempotency_key\":\"ntf-1-webhook\","
		"\"subject\":\"[DRILL] INC-2026-0001 数据库宕机\","
		"\"text\":\"级别: 二级\\n状态: 处置中\","
		"\"link\":\"https://erms.example/i/1\","
		"\"ack_link\":\"https://erms.example/ack/xyz\","
		"\"event\":{\"type\":\"reported\",\"incident\":1}}");
	assert_string_equal(r.headers[0], "Content-Type: application/json");
	assert_string_equal(r.headers[1], "Idempotency-Key: ntf-1-webhook");
	/* python3 -c 'import hmac,hashlib; body=open("body").read()  # the
	 * string above; print(hmac.new(b"whsec-test", body.encode(),
	 * hashlib.sha256).hexdigest())' */
	assert_string_equal(r.headers[2], "X-Erms-Signature: sha256="
		"e3e718a5772cf3876e93c3a969810002"
		"368c24c53d74ed1e7583d6d13b74f1d3");
	assert_null(r.headers[3]);
	j = parse(r.body);
	assert_true(json_equal(json_object_get(j, "event"), ev));
	json_decref(j);
	http_request_release(&r);
	assert_null(r.url);

	/* Absent fields are null, not missing. */
	m.ack_link = "";
	m.event = NULL;
	assert_int_equal(channel_http(CH_WEBHOOK, c, &m, NOW_MS, &r, &err), 0);
	j = parse(r.body);
	assert_true(json_is_null(json_object_get(j, "ack_link")));
	assert_true(json_is_null(json_object_get(j, "event")));
	json_decref(j);
	http_request_release(&r);

	/* A webhook must be signed. */
	json_object_del(c, "secret");
	assert_int_equal(channel_http(CH_WEBHOOK, c, &m, NOW_MS, &r, &err),
			 ERMS_EINVAL);
	assert_string_equal(err.field, "secret");
	json_decref(c);
	json_decref(ev);
}

/* ---- slack ------------------------------------------------------------ */

static void test_slack(void **state)
{
	json_t *c = config("https://hooks.slack.com/services/T/B/X", NULL);
	struct message m = msg_sample(NULL);
	struct http_request r;
	json_t *j, *blocks;
	const char *s;
	char *big;

	(void)state;
	m.lang = "en";
	m.subject = "INC-1 <!channel> & co";
	assert_int_equal(channel_http(CH_SLACK, c, &m, NOW_MS, &r, NULL), 0);
	assert_string_equal(r.url, "https://hooks.slack.com/services/T/B/X");
	assert_string_equal(r.headers[0], "Content-Type: application/json");
	assert_string_equal(r.headers[1], "Idempotency-Key: ntf-1-webhook");
	assert_null(r.headers[2]);
	j = parse(r.body);
	/* subject + "\n" + text + link lines; no mention can be injected. */
	assert_string_equal(get_str(j, "text"),
		"INC-1 &lt;!channel&gt; &amp; co\n" TEXT
		"\n<" LINK "|Open incident>\n<" ACK "|Acknowledge>");
	blocks = json_object_get(j, "blocks");
	assert_int_equal(json_array_size(blocks), 2);
	assert_string_equal(get_str(json_array_get(blocks, 0), "type"),
			    "header");
	assert_string_equal(get_str(json_array_get(blocks, 1), "type"),
			    "section");
	s = NULL;
	json_unpack(json_array_get(blocks, 0), "{s:{s:s}}", "text", "type", &s);
	assert_string_equal(s, "plain_text");
	json_unpack(json_array_get(blocks, 0), "{s:{s:s}}", "text", "text", &s);
	assert_string_equal(s, m.subject);	/* plain text: not escaped */
	json_unpack(json_array_get(blocks, 1), "{s:{s:s}}", "text", "type", &s);
	assert_string_equal(s, "mrkdwn");
	assert_true(json_is_true(json_object_get(json_object_get(
		json_array_get(blocks, 1), "text"), "verbatim")));
	json_unpack(json_array_get(blocks, 1), "{s:{s:s}}", "text", "text", &s);
	assert_true(ends_with(s, "\n<" ACK "|Acknowledge>"));
	/* The plain text, not Markdown: Slack's mrkdwn is not Markdown. */
	assert_null(strstr(s, "**"));
	assert_int_equal(strncmp(s, TEXT, strlen(TEXT)), 0);
	json_decref(j);
	http_request_release(&r);

	/* Over the block limits: cut, links kept, still UTF-8. */
	big = long_text(9000);
	m.text = big;
	m.subject = big;
	assert_int_equal(channel_http(CH_SLACK, c, &m, NOW_MS, &r, NULL), 0);
	j = parse(r.body);
	blocks = json_object_get(j, "blocks");
	json_unpack(json_array_get(blocks, 0), "{s:{s:s}}", "text", "text", &s);
	assert_true(strlen(s) <= 150);
	json_unpack(json_array_get(blocks, 1), "{s:{s:s}}", "text", "text", &s);
	assert_true(strlen(s) <= 3000);
	assert_true(strlen(s) > 2900);
	assert_true(ends_with(s, "|Acknowledge>"));
	json_decref(j);
	http_request_release(&r);
	free(big);
	json_decref(c);
}

/* ---- dingtalk --------------------------------------------------------- */

static void test_dingtalk(void **state)
{
	json_t *c = config("https://oapi.dingtalk.com/robot/send?"
			   "access_token=abc", "SECabc123");
	struct message m = msg_sample(NULL);
	struct http_request r;
	json_t *j;
	const char *text;

	(void)state;
	assert_int_equal(channel_http(CH_DINGTALK, c, &m, NOW_MS, &r, NULL), 0);
	/* python3 -c 'import urllib.parse; print(urllib.parse.quote(
	 * "/I+rlPKtrJPDN+iT7xyei48/IfeL1wa0g/GnIUCEOmk=", safe=""))' */
	assert_string_equal(r.url, "https://oapi.dingtalk.com/robot/send?"
		"access_token=abc&timestamp=1762131120000&sign="
		"%2FI%2BrlPKtrJPDN%2BiT7xyei48%2FIfeL1wa0g%2FGnIUCEOmk%3D");
	assert_string_equal(r.headers[0], "Content-Type: application/json");
	assert_string_equal(r.headers[1], "Idempotency-Key: ntf-1-webhook");
	assert_null(r.headers[2]);
	j = parse(r.body);
	assert_string_equal(get_str(j, "msgtype"), "markdown");
	assert_int_equal(json_object_size(j), 2);
	assert_string_equal(json_string_value(json_object_get(
		json_object_get(j, "markdown"), "title")), SUBJECT);
	text = json_string_value(json_object_get(json_object_get(j,
		"markdown"), "text"));
	assert_string_equal(text, "### " SUBJECT_MD "\n\n**级别**: 二级\n"
		"**状态**: 处置中\n\n[查看详情](" LINK ")\n\n"
		"[确认收到](" ACK ")");
	json_decref(j);
	http_request_release(&r);

	/* No query yet: '?'. */
	json_object_set_new(c, "url", json_string("https://x.example/robot"));
	assert_int_equal(channel_http(CH_DINGTALK, c, &m, NOW_MS, &r, NULL), 0);
	assert_non_null(strstr(r.url, "https://x.example/robot?timestamp="
				      "1762131120000&sign=%2FI%2B"));
	http_request_release(&r);

	/* No secret (keyword or IP security): the URL as configured. */
	json_object_del(c, "secret");
	assert_int_equal(channel_http(CH_DINGTALK, c, &m, NOW_MS, &r, NULL), 0);
	assert_string_equal(r.url, "https://x.example/robot");
	http_request_release(&r);
	json_decref(c);
}

/* ---- wecom ------------------------------------------------------------ */

static void test_wecom(void **state)
{
	json_t *c = config("https://qyapi.weixin.qq.com/cgi-bin/webhook/send"
			   "?key=k", "ignored");
	struct message m = msg_sample(NULL);
	struct http_request r;
	json_t *j;
	const char *content;

	(void)state;
	assert_int_equal(channel_http(CH_WECOM, c, &m, NOW_MS, &r, NULL), 0);
	assert_string_equal(r.url, "https://qyapi.weixin.qq.com/cgi-bin/"
				   "webhook/send?key=k");
	assert_string_equal(r.headers[1], "Idempotency-Key: ntf-1-webhook");
	assert_null(r.headers[2]);
	j = parse(r.body);
	assert_string_equal(get_str(j, "msgtype"), "markdown");
	content = json_string_value(json_object_get(json_object_get(j,
		"markdown"), "content"));
	assert_string_equal(content, "**" SUBJECT_MD "**\n**级别**: 二级\n"
		"**状态**: 处置中\n[查看详情](" LINK ")\n[确认收到](" ACK ")");
	json_decref(j);
	http_request_release(&r);

	/* Around the 4096-byte limit, at every length: never over, never
	 * broken UTF-8, links always there. */
	for (size_t n = 3950; n < 4150; n++) {
		char *t = long_text(n);

		t[n] = '\0';
		while (n && !is_utf8(t))	/* long_text may overshoot */
			t[strlen(t) - 1] = '\0';
		m.markdown = t;
		assert_int_equal(channel_http(CH_WECOM, c, &m, NOW_MS, &r,
					      NULL), 0);
		j = parse(r.body);
		content = json_string_value(json_object_get(
			json_object_get(j, "markdown"), "content"));
		assert_true(strlen(content) <= 4096);
		assert_true(ends_with(content, "[确认收到](" ACK ")"));
		json_decref(j);
		http_request_release(&r);
		free(t);
	}
	json_decref(c);
}

/* ---- feishu ----------------------------------------------------------- */

static void test_feishu(void **state)
{
	json_t *c = config("https://open.feishu.cn/open-apis/bot/v2/hook/id",
			   "feishu-secret-0001");
	struct message m = msg_sample(NULL);
	struct http_request r;
	json_t *j, *para;
	const char *s;
	char *big;

	(void)state;
	/* 999 ms past the second: the timestamp is floored. */
	assert_int_equal(channel_http(CH_FEISHU, c, &m, NOW_MS + 999, &r,
				      NULL), 0);
	assert_string_equal(r.url,
			    "https://open.feishu.cn/open-apis/bot/v2/hook/id");
	assert_string_equal(r.headers[0], "Content-Type: application/json");
	assert_string_equal(r.headers[1], "Idempotency-Key: ntf-1-webhook");
	assert_null(r.headers[2]);
	j = parse(r.body);
	assert_string_equal(get_str(j, "msg_type"), "post");
	json_unpack(j, "{s:s}", "timestamp", &s);
	assert_string_equal(s, "1762131120");
	json_unpack(j, "{s:s}", "sign", &s);
	/* Same value as test_sign_feishu. */
	assert_string_equal(s, "MUFo1i9WLhrbShqJT67VqomVCf0X7yvl8t9551DvP3s=");
	json_unpack(j, "{s:{s:{s:{s:s}}}}", "content", "post", "zh_cn",
		    "title", &s);
	assert_string_equal(s, SUBJECT);
	para = NULL;
	json_unpack(j, "{s:{s:{s:{s:[o]}}}}", "content", "post", "zh_cn",
		    "content", &para);
	assert_non_null(para);
	assert_int_equal(json_array_size(para), 4);
	json_unpack(json_array_get(para, 0), "{s:s}", "tag", &s);
	assert_string_equal(s, "text");
	json_unpack(json_array_get(para, 0), "{s:s}", "text", &s);
	assert_string_equal(s, TEXT "\n");
	json_unpack(json_array_get(para, 1), "{s:s}", "tag", &s);
	assert_string_equal(s, "a");
	json_unpack(json_array_get(para, 1), "{s:s}", "href", &s);
	assert_string_equal(s, LINK);
	json_unpack(json_array_get(para, 1), "{s:s}", "text", &s);
	assert_string_equal(s, "查看详情");
	json_unpack(json_array_get(para, 3), "{s:s}", "href", &s);
	assert_string_equal(s, ACK);
	json_decref(j);
	http_request_release(&r);

	/* No secret: no timestamp, no sign. No ack link: no ack element. */
	json_object_del(c, "secret");
	m.ack_link = NULL;
	assert_int_equal(channel_http(CH_FEISHU, c, &m, NOW_MS, &r, NULL), 0);
	j = parse(r.body);
	assert_null(json_object_get(j, "timestamp"));
	assert_null(json_object_get(j, "sign"));
	json_unpack(j, "{s:{s:{s:{s:[o]}}}}", "content", "post", "zh_cn",
		    "content", &para);
	assert_int_equal(json_array_size(para), 2);
	json_decref(j);
	http_request_release(&r);

	/* The body stays under 20,000 bytes. */
	big = long_text(30000);
	m.text = big;
	assert_int_equal(channel_http(CH_FEISHU, c, &m, NOW_MS, &r, NULL), 0);
	assert_true(strlen(r.body) <= 20000);
	assert_true(strlen(r.body) > 19000);
	json_decref(parse(r.body));
	http_request_release(&r);
	free(big);
	json_decref(c);
}

/* ---- refusals --------------------------------------------------------- */

static void test_refusals(void **state)
{
	json_t *c = config("https://example.com/h", "s");
	json_t *arr = json_array();
	struct message m = msg_sample(NULL);
	struct http_request r;
	struct errbuf err;

	(void)state;
#define REFUSED(kind, cfg, name)                                            \
	do {                                                                \
		memset(&err, 0, sizeof(err));                               \
		assert_int_equal(channel_http(kind, cfg, &m, NOW_MS, &r,    \
					      &err), ERMS_EINVAL);          \
		assert_string_equal(err.field, name);                       \
		assert_null(r.url);                                         \
		assert_null(r.body);                                        \
		assert_null(r.headers[0]);                                  \
		http_request_release(&r);                                   \
	} while (0)

	REFUSED(CH_EMAIL, c, "kind");
	REFUSED((enum channel_kind)99, c, "kind");
	REFUSED(CH_SLACK, arr, "config");
	REFUSED(CH_SLACK, NULL, "config");
	json_object_set_new(c, "url", json_string(""));
	REFUSED(CH_SLACK, c, "url");
	json_object_set_new(c, "url", json_integer(1));
	REFUSED(CH_SLACK, c, "url");
	json_object_set_new(c, "url", json_string("ftp://example.com/"));
	REFUSED(CH_SLACK, c, "url");
	json_object_set_new(c, "url", json_string("https://e.com/a b"));
	REFUSED(CH_SLACK, c, "url");
	json_object_set_new(c, "url", json_string("https://e.com/\r\nX: y"));
	REFUSED(CH_DINGTALK, c, "url");
	json_object_set_new(c, "url", json_string("https://example.com/h"));

	m.idempotency_key = NULL;
	REFUSED(CH_WECOM, c, "idempotency_key");
	m.idempotency_key = "k\r\nX-Evil: 1";
	REFUSED(CH_WECOM, c, "idempotency_key");
	m.idempotency_key = "k";
	m.subject = "";
	REFUSED(CH_FEISHU, c, "subject");
	m.subject = SUBJECT;
	m.text = "bad \xe6\x95 cut";
	REFUSED(CH_FEISHU, c, "text");
	m.text = TEXT;
	m.markdown = "\xc0\xaf";	/* overlong '/' */
	REFUSED(CH_DINGTALK, c, "markdown");
	m.markdown = NULL;
	m.ack_link = "\xed\xa0\x80";	/* a surrogate */
	REFUSED(CH_WEBHOOK, c, "ack_link");
#undef REFUSED
	json_decref(arr);
	json_decref(c);
}

/* ---- utf8_cut --------------------------------------------------------- */

static void test_utf8_cut(void **state)
{
	const char *s = "核心交易系统中断 (core) 😀 数据库宕机，"
			"请指挥部成员到位";
	size_t len = strlen(s);

	(void)state;
	for (size_t max = 0; max <= len + 2; max++) {
		char *c = utf8_cut(s, max);
		size_t n = strlen(c);

		assert_true(n <= max);
		assert_true(is_utf8(c));
		if (max >= len) {
			assert_string_equal(c, s);
		} else if (max >= 3) {
			assert_true(ends_with(c, "…"));
			assert_memory_equal(c, s, n - 3);
			/* As long as it can be: the next character would
			 * not have fit. */
			assert_true(n + 4 > max);
		} else {
			assert_memory_equal(c, s, n);
		}
		free(c);
	}
}

/* ---- email ------------------------------------------------------------ */

/* Base64 → bytes, NUL-terminated, via libsodium; NULL when invalid. */
static char *b64_decode(const char *b64, size_t len)
{
	char *out = malloc(len + 1);
	size_t n = 0;

	if (sodium_base642bin((unsigned char *)out, len, b64, len, "\r\n",
			      &n, NULL, sodium_base64_VARIANT_ORIGINAL)) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	return out;
}

/* The value of header name in the header block hdr (unfolded: CRLF
 * followed by a space removed); NULL when absent. */
static char *header_get(const char *hdr, const char *name)
{
	size_t nl = strlen(name);
	const char *p = hdr;
	struct buf b = BUF_INIT;

	while (*p) {
		if (!strncmp(p, name, nl) && p[nl] == ':') {
			const char *v = p + nl + 1;

			while (*v == ' ')
				v++;
			for (; *v; v++) {
				if (v[0] == '\r' && v[1] == '\n' &&
				    v[2] == ' ') {
					v += 2;
				} else if (v[0] == '\r' && v[1] == '\n') {
					break;
				}
				buf_add(&b, v, 1);
			}
			return buf_detach(&b, NULL);
		}
		p = strstr(p, "\r\n");
		if (!p)
			break;
		p += 2;
	}
	return NULL;
}

/* Decode a header made of RFC 2047 "=?UTF-8?B?...?=" words separated by
 * folding spaces. */
static char *decode_words(const char *v)
{
	struct buf b = BUF_INIT;

	while (*v) {
		const char *end;
		char *d;

		if (*v == ' ') {
			v++;
			continue;
		}
		assert_true(!strncmp(v, "=?UTF-8?B?", 10));
		v += 10;
		end = strstr(v, "?=");
		assert_non_null(end);
		d = b64_decode(v, (size_t)(end - v));
		assert_non_null(d);
		buf_adds(&b, d);
		free(d);
		v = end + 2;
	}
	return buf_detach(&b, NULL);
}

/* The decoded body of the part with the given Content-Type. */
static char *part_body(const char *mail, const char *ctype)
{
	const char *p = strstr(mail, ctype), *start, *end;

	assert_non_null(p);
	start = strstr(p, "\r\n\r\n");
	assert_non_null(start);
	start += 4;
	end = strstr(start, "\r\n--");
	assert_non_null(end);
	/* Lines of at most 76. */
	for (const char *l = start; l < end;) {
		const char *e = strstr(l, "\r\n");

		if (!e || e > end)
			e = end;
		assert_true(e - l <= 76);
		l = e + 2;
	}
	return b64_decode(start, (size_t)(end - start));
}

static char *mail_date_for(int64_t ms)
{
	struct message m = msg_sample(NULL);
	char *mail = email_message("a@example.com", "b@example.com", &m, NULL,
				   ms);
	char *hdr, *d;

	assert_non_null(mail);
	hdr = strstr(mail, "\r\n\r\n");
	hdr[2] = '\0';
	d = header_get(mail, "Date");
	free(mail);
	return d;
}

static void test_email(void **state)
{
	struct message m = msg_sample(NULL);
	const char *subject = "[DRILL] INC-2026-0001 数据库宕机：核心交易系统"
			      "中断，一级响应已启动，请指挥部全体成员立即到位"
			      "并按预案第三章处置 😀";
	char *mail, *again, *hdr_end, *v, *dec, *boundary;
	size_t hdr_len;

	(void)state;
	m.subject = subject;
	m.idempotency_key = "ntf-1-email";
	m.lang = "en";
	mail = email_message("erms <erms@example.com>",
			     "Incident Commander <incident-commander@example.com>",
			     &m, "<p>数据库宕机</p>\n", NOW_MS);
	assert_non_null(mail);

	/* CRLF everywhere, no bare LF or CR. */
	for (const char *p = mail; *p; p++) {
		if (*p == '\n')
			assert_true(p > mail && p[-1] == '\r');
		if (*p == '\r')
			assert_true(p[1] == '\n');
	}
	assert_true(ends_with(mail, "\r\n"));

	/* Header lines of at most 78 characters. */
	hdr_end = strstr(mail, "\r\n\r\n");
	assert_non_null(hdr_end);
	hdr_len = (size_t)(hdr_end - mail) + 2;
	for (const char *l = mail; l < mail + hdr_len;) {
		const char *e = strstr(l, "\r\n");

		assert_true(e - l <= 78);
		for (const char *q = l; q < e; q++)	/* ASCII only */
			assert_true((unsigned char)*q < 0x80);
		l = e + 2;
	}

	hdr_end[2] = '\0';	/* work on the header block */
	v = header_get(mail, "Subject");
	assert_non_null(v);
	dec = decode_words(v);
	assert_string_equal(dec, subject);
	free(dec);
	free(v);
	v = header_get(mail, "Message-ID");
	assert_string_equal(v, "<ntf-1-email@erms>");
	free(v);
	v = header_get(mail, "Date");
	/* python3 -c 'import email.utils; print(email.utils.formatdate(
	 * 1762131120))' */
	assert_string_equal(v, "Mon, 03 Nov 2025 00:52:00 +0000");
	free(v);
	v = header_get(mail, "To");
	assert_string_equal(v, "Incident Commander "
			       "<incident-commander@example.com>");
	free(v);
	v = header_get(mail, "From");
	assert_string_equal(v, "erms <erms@example.com>");
	free(v);
	v = header_get(mail, "MIME-Version");
	assert_string_equal(v, "1.0");
	free(v);
	v = header_get(mail, "Content-Type");
	assert_non_null(strstr(v, "multipart/alternative;"));
	boundary = strstr(v, "boundary=\"");
	assert_non_null(boundary);
	boundary = strndup(boundary + 10, strcspn(boundary + 10, "\""));
	free(v);
	hdr_end[2] = '\r';

	/* The parts, delimited by the boundary, closed by it. */
	{
		char *delim = malloc(strlen(boundary) + 10);
		char *close = malloc(strlen(boundary) + 10);

		snprintf(delim, strlen(boundary) + 10, "\r\n--%s\r\n",
			 boundary);
		snprintf(close, strlen(boundary) + 10, "\r\n--%s--\r\n",
			 boundary);
		assert_non_null(strstr(mail, delim));
		assert_true(ends_with(mail, close));
		free(delim);
		free(close);
	}
	assert_non_null(strstr(mail, "Content-Type: text/plain; "
				     "charset=utf-8\r\n"
				     "Content-Transfer-Encoding: base64\r\n"));
	dec = part_body(mail, "text/plain; charset=utf-8");
	assert_string_equal(dec, "级别: 二级\r\n状态: 处置中\r\n\r\n"
				 "Open incident: " LINK "\r\n"
				 "Acknowledge: " ACK);
	free(dec);
	dec = part_body(mail, "text/html; charset=utf-8");
	assert_string_equal(dec, "<p>数据库宕机</p>\r\n");
	free(dec);

	/* Deterministic: the same key gives the same bytes (boundary too);
	 * another key another boundary. */
	again = email_message("erms <erms@example.com>",
			      "Incident Commander <incident-commander@example.com>",
			      &m, "<p>数据库宕机</p>\n", NOW_MS);
	assert_string_equal(mail, again);
	free(again);
	m.idempotency_key = "ntf-2-email";
	again = email_message("a@example.com", "b@example.com", &m, NULL,
			      NOW_MS);
	assert_null(strstr(again, boundary));
	assert_null(strstr(again, "text/html"));
	free(again);
	free(boundary);
	free(mail);

	/* Header injection and missing parts. */
	assert_null(email_message("a@example.com\r\nBcc: x@evil", "b@e.com",
				  &m, NULL, NOW_MS));
	assert_null(email_message("a@example.com", "b@e.com\n", &m, NULL,
				  NOW_MS));
	assert_null(email_message("a@example.com", NULL, &m, NULL, NOW_MS));
	/* A display name in UTF-8: encoded-words, the address bare. */
	again = email_message("应急管理系统 <erms@example.org>", "Zoë <b@e.com>",
			      &m, NULL, NOW_MS);
	assert_non_null(again);
	*strstr(again, "\r\n\r\n") = '\0';
	v = header_get(again, "From");
	assert_non_null(strstr(v, "<erms@example.org>"));
	*strstr(v, " <erms") = '\0';
	dec = decode_words(v);
	assert_string_equal(dec, "应急管理系统");
	free(dec);
	free(v);
	v = header_get(again, "To");
	assert_non_null(strstr(v, "=?UTF-8?B?"));
	assert_non_null(strstr(v, "<b@e.com>"));
	free(v);
	free(again);
	/* Not one address: a list, a bare name, two angle pairs, quotes. */
	assert_null(email_message("a@example.com", "a@e.com, b@e.com", &m,
				  NULL, NOW_MS));
	assert_null(email_message("erms", "b@e.com", &m, NULL, NOW_MS));
	assert_null(email_message("a <b@e.com> <c@e.com>", "b@e.com", &m,
				  NULL, NOW_MS));
	assert_null(email_message("a\"b <b@e.com>", "b@e.com", &m, NULL,
				  NOW_MS));
	assert_null(email_message("a@@e.com", "b@e.com", &m, NULL, NOW_MS));
	assert_null(email_message("a@e.com", "b@e..com", &m, NULL, NOW_MS));
	assert_null(email_message("a@example.com", "b@e.com", &m,
				  "<p>\xe6\x95</p>", NOW_MS));
	m.subject = "\xff";
	assert_null(email_message("a@example.com", "b@e.com", &m, NULL,
				  NOW_MS));
	m.subject = SUBJECT;
	m.idempotency_key = NULL;
	assert_null(email_message("a@example.com", "b@e.com", &m, NULL,
				  NOW_MS));
}

static void test_email_dates(void **state)
{
	/* python3: email.utils.format_datetime(epoch + timedelta(ms=...)) */
	static const struct {
		int64_t ms;
		const char *date;
	} cases[] = {
		{ 0, "Thu, 01 Jan 1970 00:00:00 +0000" },
		{ 951782400000LL, "Tue, 29 Feb 2000 00:00:00 +0000" },
		{ -1, "Wed, 31 Dec 1969 23:59:59 +0000" },
		{ 253402300799000LL, "Fri, 31 Dec 9999 23:59:59 +0000" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = mail_date_for(cases[i].ms);

		assert_string_equal(d, cases[i].date);
		free(d);
	}
}

/* ---- digest ----------------------------------------------------------- */

static void test_digest(void **state)
{
	json_t *ev = event_new();
	struct message m[3];
	struct digest d, d2;
	struct http_request r;
	json_t *c = config("https://qyapi.weixin.qq.com/x?key=k", NULL), *j;

	(void)state;
	for (int i = 0; i < 3; i++)
		m[i] = msg_sample(ev);
	m[0].subject = "INC-1 数据库宕机";
	m[0].link = "https://erms.example/i/1";
	m[0].idempotency_key = "ntf-1";
	m[1].subject = "INC-2 核心交易中断";
	m[1].link = "https://erms.example/i/2";
	m[1].ack_link = NULL;
	m[1].idempotency_key = "ntf-2";
	m[2].subject = "INC-3 OA 不可用";
	m[2].link = "https://erms.example/i/3";
	m[2].ack_link = "https://erms.example/ack/3";
	m[2].idempotency_key = "ntf-3";

	digest_build(&d, m, 3, "zh-CN");
	assert_string_equal(d.subject, "3 条通知");
	assert_ptr_equal(d.msg.subject, d.subject);
	assert_ptr_equal(d.msg.text, d.text);
	assert_ptr_equal(d.msg.markdown, d.markdown);
	assert_string_equal(d.text,
		"1. INC-1 数据库宕机\n   https://erms.example/i/1\n"
		"   确认收到: " ACK "\n"
		"2. INC-2 核心交易中断\n   https://erms.example/i/2\n"
		"3. INC-3 OA 不可用\n   https://erms.example/i/3\n"
		"   确认收到: https://erms.example/ack/3\n");
	assert_string_equal(d.markdown,
		"1. INC-1 数据库宕机 · [查看详情](https://erms.example/i/1)"
		" · [确认收到](" ACK ")\n"
		"2. INC-2 核心交易中断 · [查看详情](https://erms.example/i/2)\n"
		"3. INC-3 OA 不可用 · [查看详情](https://erms.example/i/3)"
		" · [确认收到](https://erms.example/ack/3)\n");
	assert_true(!strncmp(d.idempotency_key, "digest-", 7));
	assert_null(d.msg.link);
	assert_null(d.msg.ack_link);
	assert_int_equal(json_integer_value(json_object_get(d.event,
		"count")), 3);
	assert_int_equal(json_array_size(json_object_get(d.event, "items")),
			 3);

	/* The digest goes through a channel like any message. */
	assert_int_equal(channel_http(CH_WECOM, c, &d.msg, NOW_MS, &r, NULL),
			 0);
	j = parse(r.body);
	assert_non_null(strstr(json_string_value(json_object_get(
		json_object_get(j, "markdown"), "content")), "**3 条通知**\n"));
	json_decref(j);
	http_request_release(&r);

	/* Same messages, same key; English subject. */
	digest_build(&d2, m, 3, "en");
	assert_string_equal(d2.subject, "3 notifications");
	assert_string_equal(d2.idempotency_key, d.idempotency_key);
	digest_release(&d2);
	digest_build(&d2, m, 1, "en");
	assert_string_equal(d2.subject, "1 notification");
	assert_string_not_equal(d2.idempotency_key, d.idempotency_key);
	digest_release(&d2);

	digest_release(&d);
	assert_null(d.subject);
	json_decref(c);
	json_decref(ev);
}

/* ---- rates ------------------------------------------------------------ */

/* Send whenever the bucket allows for `total` ms, one try per ms, and
 * return the most sends seen in any closed window of `window` ms. */
static int worst_window(struct bucket_rule rule, int64_t window,
			int64_t total)
{
	struct bucket b;
	int64_t *at = malloc(sizeof(*at) * (size_t)(total + rule.burst));
	int n = 0, worst = 0;

	bucket_init(&b, &rule, 0);
	for (int64_t t = 0; t < total; t++)
		while (bucket_take(&b, &rule, t))
			at[n++] = t;
	for (int i = 0, j = 0; i < n; i++) {
		while (at[i] - at[j] > window)
			j++;
		if (i - j + 1 > worst)
			worst = i - j + 1;
	}
	free(at);
	return worst;
}

static void test_default_rates(void **state)
{
	struct bucket_rule r;

	(void)state;
	r = channel_default_rate(CH_SLACK);
	assert_int_equal(r.burst, 1);
	assert_int_equal(r.period_ms, 1000);
	r = channel_default_rate(CH_WEBHOOK);
	assert_int_equal(r.burst, 50);
	assert_int_equal(r.period_ms, 20);
	r = channel_default_rate(CH_EMAIL);
	assert_int_equal(r.burst, 10);
	assert_int_equal(r.period_ms, 100);
	for (int k = 0; k < CH__COUNT; k++)
		assert_true(channel_default_rate(k).burst > 0);

	/* The platform limits hold in every window, burst included. */
	assert_true(worst_window(channel_default_rate(CH_DINGTALK), 60000,
				 600000) <= 20);
	assert_true(worst_window(channel_default_rate(CH_WECOM), 60000,
				 600000) <= 20);
	assert_true(worst_window(channel_default_rate(CH_FEISHU), 1000,
				 600000) <= 5);
	assert_true(worst_window(channel_default_rate(CH_FEISHU), 60000,
				 600000) <= 100);
	assert_true(worst_window(channel_default_rate(CH_WEBHOOK), 1000,
				 60000) <= 100);
}

/* The vendor's answer, its verdict and the code it records. */
static void verdict_is(enum channel_kind k, long status, const char *body,
		       enum delivery_outcome want, const char *code)
{
	struct verdict v;

	channel_verdict(k, status, body, body ? strlen(body) : 0, 0, &v);
	if (v.outcome != want)
		fail_msg("%s %ld %s: %s, wanted %s", channel_kind_name(k),
			 status, body ? body : "(none)",
			 delivery_outcome_name(v.outcome),
			 delivery_outcome_name(want));
	assert_string_equal(v.code, code);
	if (want == DELIVERY_SENT)
		assert_string_equal(v.error, "");
	else
		assert_true(v.error[0]);
	if (*code && want != DELIVERY_SENT)
		assert_non_null(strstr(v.error, code));
}

static void test_vendor_answers(void **state)
{
	struct verdict v;

	(void)state;
	/* DingTalk: HTTP 200 always; the errcode tells. */
	verdict_is(CH_DINGTALK, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}",
		   DELIVERY_SENT, "0");
	verdict_is(CH_DINGTALK, 200, "{\"errcode\":310000,\"errmsg\":"
		   "\"keywords not in content\"}", DELIVERY_FAILED, "310000");
	verdict_is(CH_DINGTALK, 200, "{\"errcode\":300001,\"errmsg\":"
		   "\"token is not exist\"}", DELIVERY_FAILED, "300001");
	verdict_is(CH_DINGTALK, 200, "{\"errcode\":130101,\"errmsg\":"
		   "\"send too fast\"}", DELIVERY_THROTTLED, "130101");
	verdict_is(CH_DINGTALK, 200, "{\"errcode\":-1,\"errmsg\":"
		   "\"系统繁忙\"}", DELIVERY_RETRY, "-1");
	{
		const char *b = "{\"errcode\":310000,\"errmsg\":\"sign not "
				"match\"}";

		channel_verdict(CH_DINGTALK, 200, b, strlen(b), 0, &v);
	}
	assert_string_equal(v.error, "HTTP 200, errcode 310000: sign not match");
	channel_verdict(CH_DINGTALK, 200, "{\"errcode\":130101}", 18, 0, &v);
	assert_int_equal(v.retry_ms, 60000);
	/* WeCom */
	verdict_is(CH_WECOM, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}",
		   DELIVERY_SENT, "0");
	verdict_is(CH_WECOM, 200, "{\"errcode\":93000,\"errmsg\":\"invalid "
		   "webhook url\"}", DELIVERY_FAILED, "93000");
	verdict_is(CH_WECOM, 200, "{\"errcode\":45009,\"errmsg\":\"api freq "
		   "out of limit\"}", DELIVERY_THROTTLED, "45009");
	/* Feishu: code, or the older StatusCode */
	verdict_is(CH_FEISHU, 200, "{\"code\":0,\"msg\":\"success\","
		   "\"data\":{}}", DELIVERY_SENT, "0");
	verdict_is(CH_FEISHU, 200, "{\"StatusCode\":0,\"StatusMessage\":"
		   "\"success\"}", DELIVERY_SENT, "0");
	verdict_is(CH_FEISHU, 200, "{\"code\":19021,\"msg\":\"sign match "
		   "fail or timestamp is not within one hour from current "
		   "time\"}", DELIVERY_FAILED, "19021");
	verdict_is(CH_FEISHU, 400, "{\"code\":9499,\"msg\":\"Bad Request\"}",
		   DELIVERY_FAILED, "9499");
	verdict_is(CH_FEISHU, 200, "{\"code\":11232,\"msg\":\"frequency "
		   "limited\"}", DELIVERY_THROTTLED, "11232");
	/* A 200 that is not the robot's answer is no delivery. */
	verdict_is(CH_DINGTALK, 200, "<html>proxy</html>", DELIVERY_RETRY, "");
	verdict_is(CH_WECOM, 200, "", DELIVERY_RETRY, "");
	verdict_is(CH_FEISHU, 200, "{\"msg\":\"no code\"}", DELIVERY_RETRY, "");
	verdict_is(CH_DINGTALK, 502, "bad gateway", DELIVERY_RETRY, "");
	/* Slack: "ok", or an error as text */
	verdict_is(CH_SLACK, 200, "ok", DELIVERY_SENT, "");
	verdict_is(CH_SLACK, 400, "invalid_payload", DELIVERY_FAILED,
		   "invalid_payload");
	verdict_is(CH_SLACK, 404, "no_service", DELIVERY_FAILED, "no_service");
	verdict_is(CH_SLACK, 410, "channel_is_archived", DELIVERY_FAILED,
		   "channel_is_archived");
	verdict_is(CH_SLACK, 500, "rollup_error", DELIVERY_RETRY,
		   "rollup_error");
	channel_verdict(CH_SLACK, 429, "", 0, 30000, &v);
	assert_int_equal(v.outcome, DELIVERY_THROTTLED);
	assert_int_equal(v.retry_ms, 30000);
	/* Webhooks: by status */
	verdict_is(CH_WEBHOOK, 204, NULL, DELIVERY_SENT, "");
	verdict_is(CH_WEBHOOK, 200, "anything", DELIVERY_SENT, "");
	verdict_is(CH_WEBHOOK, 503, "", DELIVERY_RETRY, "");
	verdict_is(CH_WEBHOOK, 408, "", DELIVERY_RETRY, "");
	verdict_is(CH_WEBHOOK, 404, "", DELIVERY_FAILED, "");
	verdict_is(CH_WEBHOOK, 301, "", DELIVERY_FAILED, "");
	verdict_is(CH_WEBHOOK, 0, NULL, DELIVERY_RETRY, "");
	/* Bytes that are not text do not reach the log as such. */
	channel_verdict(CH_WEBHOOK, 400, "\x1b[31m\xff\n", 7, 0, &v);
	for (const char *p = v.error; *p; p++)
		assert_true((unsigned char)*p >= ' ' && (unsigned char)*p < 0x80);
}

/* Typed text stays text in every Markdown it enters. */
static void test_markdown_injection(void **state)
{
	static const char evil[] = "磁盘告警 [确认收到](http://phish.example/ack)"
				   " ![x](http://phish.example/p.png)";
	struct message m = msg_sample(NULL);
	struct http_request r = { 0 };
	json_t *c = config("https://oapi.dingtalk.com/robot/send?"
			   "access_token=abc", NULL), *j;
	const char *text;

	(void)state;
	m.subject = evil;
	m.markdown = NULL;
	m.text = evil;
	assert_int_equal(channel_http(CH_DINGTALK, c, &m, NOW_MS, &r, NULL), 0);
	j = parse(r.body);
	text = json_string_value(json_object_get(json_object_get(j,
		"markdown"), "text"));
	assert_null(strstr(text, "](http://phish"));
	assert_null(strstr(text, "![x]"));
	assert_non_null(strstr(text, "\\[确认收到\\]\\(http\\://phish.example"
				     "/ack\\) \\!\\[x\\]"));
	/* HTML-ish text as entities, for renderers that keep some HTML */
	m.subject = "<font color=\"warning\">x</font> & <@all>";
	http_request_release(&r);
	json_decref(j);
	assert_int_equal(channel_http(CH_WECOM, c, &m, NOW_MS, &r, NULL), 0);
	j = parse(r.body);
	text = json_string_value(json_object_get(json_object_get(j,
		"markdown"), "content"));
	assert_non_null(strstr(text, "&lt;font color=\"warning\"&gt;x&lt;/font&gt; "
				     "&amp; &lt;@all&gt;"));
	assert_null(strstr(text, "<font"));
	/* erms' own links are still there, unescaped */
	assert_non_null(strstr(text, "[确认收到](" ACK ")"));
	json_decref(j);
	http_request_release(&r);
	json_decref(c);
}

/* The table of kinds: what a saved config needs, who a message goes to,
 * and sending that fails before any network is used. */
static void test_kind_table(void **state)
{
	static const char *const need[CH__COUNT] = {
		[CH_EMAIL] = "config.host", [CH_WEBHOOK] = "config.url",
		[CH_SLACK] = "config.url", [CH_DINGTALK] = "config.url",
		[CH_WECOM] = "config.url", [CH_FEISHU] = "config.url",
	};
	const struct message m = { .subject = "s", .idempotency_key = "k" };
	const struct channel_transport t = { 0 };
	struct errbuf err = { 0 };
	struct verdict v;
	json_t *c = json_object();

	(void)state;
	for (int k = 0; k < CH__COUNT; k++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(channel_config_validate(k, c, false, &err),
				 ERMS_EINVAL);
		assert_string_equal(err.code, "missing_field");
		assert_string_equal(err.field, need[k]);
		assert_int_equal(channel_per_recipient(k), k == CH_EMAIL);
	}
	/* A webhook needs its secret too, as a string. */
	json_object_set_new(c, "url", json_string("https://example.org/h"));
	assert_int_equal(channel_config_validate(CH_WEBHOOK, c, false, &err),
			 ERMS_EINVAL);
	assert_string_equal(err.field, "config.secret");
	/* The required keys present, the kind's own checks follow. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(channel_config_validate(CH_SLACK, c, false, &err), 0);
	json_object_set_new(c, "url", json_string("http://127.0.0.1/h"));
	assert_int_equal(channel_config_validate(CH_SLACK, c, false, &err),
			 ERMS_EINVAL);
	assert_string_equal(err.field, "config.url");
	assert_int_equal(channel_config_validate(CH_SLACK, c, true, &err), 0);
	assert_int_equal(channel_config_validate((enum channel_kind)99, c,
						 true, &err), ERMS_EINVAL);
	assert_non_null(strstr(channel_no_address(CH_EMAIL), "e-mail"));

	/* Sending: a webhook without its secret is not shaped, an e-mail
	 * channel without a host is not tried, an unknown kind neither. */
	channel_send(CH_WEBHOOK, &t, c, &m, NULL, NOW_MS, &v);
	assert_int_equal(v.outcome, DELIVERY_FAILED);
	assert_string_equal(v.error, "missing secret");
	channel_send(CH_EMAIL, &t, c, &m, "a@example.org", NOW_MS, &v);
	assert_int_equal(v.outcome, DELIVERY_FAILED);
	assert_non_null(strstr(v.error, "needs a host"));
	channel_send((enum channel_kind)99, &t, c, &m, NULL, NOW_MS, &v);
	assert_int_equal(v.outcome, DELIVERY_FAILED);
	assert_string_equal(delivery_outcome_name(DELIVERY_MERGED), "merged");
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_hmac_hex),
		cmocka_unit_test(test_sign_dingtalk),
		cmocka_unit_test(test_sign_feishu),
		cmocka_unit_test(test_webhook),
		cmocka_unit_test(test_slack),
		cmocka_unit_test(test_dingtalk),
		cmocka_unit_test(test_wecom),
		cmocka_unit_test(test_feishu),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_utf8_cut),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_email_dates),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_default_rates),
		cmocka_unit_test(test_vendor_answers),
		cmocka_unit_test(test_markdown_injection),
		cmocka_unit_test(test_kind_table),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
