/*
 * status.c - the public information platform (应急信息发布平台): the
 * status page, its JSON and its Atom feed, and the bulletins API.
 *
 * The page is rendered here, in C, with no script: it works on any
 * phone, without JavaScript, and is cheap to cache (30 s, with an ETag).
 * The answers are the same for every reader, so each is kept rendered
 * here for up to a second, and only while no event was committed since:
 * a burst of readers costs one rendering.
 * It shows only what was published: public bulletins of real (not drill)
 * incidents of the last 90 days; internal bulletins never appear.
 */
#include "http/routes.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/ack.h"
#include "app/app.h"
#include "app/bus.h"
#include "app/bulletins.h"
#include "app/notify.h"
#include "http/fields.h"
#include "http/json.h"
#include "http/pagecache.h"
#include "util/crypto.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define KEEP_MS 1000

enum page { PG_HTML_ZH, PG_HTML_EN, PG_JSON, PG_ATOM, PG__COUNT };

_Static_assert(PG__COUNT <= PAGE_CACHE_SLOTS, "a slot per page");


void api_bulletin_post(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct bulletin b = { 0 };
	const char *aud = jstr(rq->body, "audience", "");
	int rc = json_check(rq->body, bulletin_body.f,
			    bulletin_body.n, &e);

	if (!rc && strcmp(aud, "public") && strcmp(aud, "internal")) {
		errbuf_set(&e, "invalid", "audience is internal or public");
		errbuf_field(&e, "audience");
		rc = ERMS_EINVAL;
	}
	if (!rc)
		rc = app_bulletin_post(rq->st, &rq->who, rq->param[0],
				       jstr(rq->body, "text", ""),
				       !strcmp(aud, "public"), rq->now_ms, &b,
				       &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, bulletin_json(&b));
}

void api_bulletin_list(struct req *rq, struct resp *rs)
{
	json_t *items = NULL;
	int rc = app_bulletin_list(rq->st, &rq->who, rq->param[0], &items);

	if (rc)
		resp_err(rq, rs, rc, NULL);
	else
		resp_list(rs, items, 0);
}

/* Answer with k's body, cacheable, with its ETag; 304 when the client
 * has it. k->mu is held. */
static void answer(struct req *rq, struct resp *rs, const struct kept_page *k,
		   const char *ctype)
{
	const char *inm = req_header(rq, "If-None-Match");

	resp_header(rs, "ETag", "%s", k->etag);
	resp_header(rs, "Cache-Control", "public, max-age=30");
	if (inm && !strcmp(inm, k->etag))
		resp_status(rs, 304);
	else
		resp_bytes(rs, 200, ctype, k->body, k->len);
}

/* Answer page pg from what is kept, if it is still good. */
static bool from_kept(struct req *rq, struct resp *rs, enum page pg,
		      const char *ctype)
{
	struct kept_page *k = &rq->pages->slot[pg];
	int64_t event = bus_last(&rq->app->bus);
	bool hit;

	pthread_mutex_lock(&k->mu);
	hit = k->body && k->event == event && rq->now_ms >= k->at_ms &&
	      rq->now_ms - k->at_ms < KEEP_MS;
	if (hit)
		answer(rq, rs, k, ctype);
	pthread_mutex_unlock(&k->mu);
	return hit;
}

/* Keep body (taken) as page pg, rendered when the newest event was
 * `event`, and answer with it. */
static void keep(struct req *rq, struct resp *rs, enum page pg,
		 int64_t event, const char *ctype, char *body, size_t len)
{
	struct kept_page *k = &rq->pages->slot[pg];
	char h[SHA256_HEX_LEN];

	sha256_hex(body, len, h);
	pthread_mutex_lock(&k->mu);
	free(k->body);
	k->body = body;
	k->len = len;
	k->event = event;
	k->at_ms = rq->now_ms;
	snprintf(k->etag, sizeof(k->etag), "\"%.16s\"", h);
	answer(rq, rs, k, ctype);
	pthread_mutex_unlock(&k->mu);
}

/*
 * The body of one view of the public incidents (borrowed), into b.
 * zh: the page's language.
 */
typedef void render_fn(struct req *rq, const json_t *incs, bool zh,
		       struct buf *b);

/* Answer page pg: from what is kept, else rendered now and kept. */
static void serve(struct req *rq, struct resp *rs, enum page pg,
		  const char *ctype, render_fn *render)
{
	int64_t event = bus_last(&rq->app->bus);
	struct buf b = BUF_INIT;
	json_t *incs;
	size_t len;
	char *body;
	int rc;

	if (from_kept(rq, rs, pg, ctype))
		return;
	rc = app_public_view(rq->st, rq->now_ms, &incs);
	if (rc) {
		json_decref(incs);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	render(rq, incs, pg == PG_HTML_ZH, &b);
	json_decref(incs);
	body = buf_detach(&b, &len);
	keep(rq, rs, pg, event, ctype, body, len);
}

static void render_json(struct req *rq, const json_t *incs, bool zh,
			struct buf *b)
{
	json_t *doc = json_pack("{s:o, s:O}", "updated_at",
				json_time(rq->now_ms), "incidents", incs);
	char *text = json_dumps(doc, JSON_COMPACT);

	(void)zh;
	buf_adds(b, text);
	free(text);
	json_decref(doc);
}

void api_status_json(struct req *rq, struct resp *rs)
{
	serve(rq, rs, PG_JSON, "application/json", render_json);
}

/* Text into HTML or XML: & < > " ' escaped. */
static void esc(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_add(b, s, 1);
		}
}

static const char *S(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static void render_page(struct req *rq, const json_t *incs, bool zh,
			struct buf *b)
{
	const json_t *inc, *u;
	size_t i, j;
	int open = 0;

	(void)rq;
	json_array_foreach(incs, i, inc)
		open += strcmp(S(inc, "phase"), "resolved") != 0;
	buf_addf(b, "<!doctype html>\n<html lang=\"%s\"><head><meta "
		 "charset=\"utf-8\"><meta name=\"viewport\" content=\"width="
		 "device-width, initial-scale=1\"><title>%s</title>"
		 "<link rel=\"stylesheet\" href=\"/status.css\">"
		 "<link rel=\"alternate\" type=\"application/atom+xml\" "
		 "href=\"/status.atom\"></head><body><main class=\"status\">"
		 "<header><h1>%s</h1><p><a href=\"/status?lang=%s\">%s</a> · "
		 "<a href=\"/status.atom\">Atom</a> · <a href=\"/status.json\">"
		 "JSON</a></p></header>",
		 zh ? "zh-CN" : "en", zh ? "服务状态" : "Service status",
		 zh ? "服务状态" : "Service status", zh ? "en" : "zh-CN",
		 zh ? "English" : "中文");
	buf_addf(b, "<p class=\"overall %s\">%s</p>", open ? "open" : "ok",
		 open ? (zh ? "部分服务受到影响，我们正在处理。"
			    : "Some services are affected; we are on it.")
		      : (zh ? "所有服务运行正常。" : "All services are running."));
	buf_addf(b, "<h2>%s</h2>", zh ? "近 90 天" : "The last 90 days");
	if (!json_array_size(incs))
		buf_addf(b, "<p>%s</p>", zh ? "没有公开的事件。"
					     : "No public incidents.");
	json_array_foreach(incs, i, inc) {
		const char *phase = S(inc, "phase");

		buf_addf(b, "<article class=\"incident %s\" id=\"%s\"><h3>",
			 phase, S(inc, "number"));
		esc(b, S(inc, "title"));
		buf_addf(b, "</h3><p class=\"phase\">%s · %s</p><ul>",
			 !strcmp(phase, "investigating")
				 ? (zh ? "调查中" : "Investigating")
			 : !strcmp(phase, "handling") ? (zh ? "处置中" : "Handling")
						      : (zh ? "已解决" : "Resolved"),
			 S(inc, "number"));
		json_array_foreach(json_object_get(inc, "updates"), j, u) {
			buf_addf(b, "<li><time datetime=\"%s\">%s</time> ",
				 S(u, "at"), S(u, "at"));
			esc(b, S(u, "text"));
			buf_adds(b, "</li>");
		}
		buf_adds(b, "</ul></article>");
	}
	buf_adds(b, "</main></body></html>\n");
}

void api_status_page(struct req *rq, struct resp *rs)
{
	bool zh = !rq->lang || strcmp(rq->lang, "en");

	serve(rq, rs, zh ? PG_HTML_ZH : PG_HTML_EN,
	      "text/html; charset=utf-8", render_page);
}

static void render_atom(struct req *rq, const json_t *incs, bool zh,
			struct buf *b)
{
	const char *base = notify_base_url();
	const json_t *inc, *u;
	char now[32];
	size_t i, j;

	(void)zh;
	time_fmt(rq->now_ms, now);
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		     "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
	buf_adds(b, "<title>服务状态 / Service status</title>\n<id>");
	esc(b, base);
	buf_addf(b, "/status</id>\n<updated>%s</updated>\n"
		 "<author><name>erms</name></author>\n<link href=\"", now);
	esc(b, base);
	buf_adds(b, "/status\"/>\n<link rel=\"self\" href=\"");
	esc(b, base);
	buf_adds(b, "/status.atom\"/>\n");
	json_array_foreach(incs, i, inc)
		json_array_foreach(json_object_get(inc, "updates"), j, u) {
			buf_adds(b, "<entry>\n<id>");
			esc(b, base);
			buf_addf(b, "/status#bulletin-%lld</id>\n<title>",
				 (long long)json_integer_value(
					 json_object_get(u, "id")));
			esc(b, S(inc, "number"));
			buf_adds(b, " ");
			esc(b, S(inc, "title"));
			buf_addf(b, "</title>\n<updated>%s</updated>\n"
				 "<link href=\"", S(u, "at"));
			esc(b, base);
			buf_addf(b, "/status#%s\"/>\n<content type=\"text\">",
				 S(inc, "number"));
			esc(b, S(u, "text"));
			buf_adds(b, "</content>\n</entry>\n");
		}
	buf_adds(b, "</feed>\n");
}

void api_status_atom(struct req *rq, struct resp *rs)
{
	serve(rq, rs, PG_ATOM, "application/atom+xml; charset=utf-8",
	      render_atom);
}
