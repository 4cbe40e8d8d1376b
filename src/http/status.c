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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/ack.h"
#include "app/app.h"
#include "app/bus.h"
#include "app/bulletins.h"
#include "app/notify.h"
#include "app/version.h"
#include "http/fields.h"
#include "http/json.h"
#include "http/pagecache.h"
#include "util/crypto.h"
#include "util/escape.h"
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

void api_incident_public(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct incident_row r = { 0 };
	int rc = json_check(rq->body, public_body.f, public_body.n, &e);

	if (!rc && !jhas(rq->body, "public_title") &&
	    !jhas(rq->body, "public_message"))
		rc = err_fail(&e, ERMS_EINVAL, "public_title",
			      "give public_title or public_message");
	if (!rc)
		rc = app_incident_public(rq->st, &rq->who, rq->param[0],
					 jstr(rq->body, "public_title", NULL),
					 jstr(rq->body, "public_message", NULL),
					 app_body_version(rq->body), rq->now_ms,
					 &r, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else {
		resp_json(rs, 200, incident_json(&r));
		resp_etag(rs, r.stamp.version);
	}
	incident_row_release(&r);
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

/* The newest update's time of the view ("" when there is none): what
 * the answers say they were updated at, so they stay the same bytes (and
 * ETag) while nothing public changed. */
static const char *newest(const json_t *incs)
{
	const json_t *inc, *u;
	const char *best = "";
	int64_t best_ms = INT64_MIN, ms;
	size_t i, j;

	json_array_foreach(incs, i, inc)
		json_array_foreach(json_object_get(inc, "updates"), j, u) {
			const char *at = json_string_value(json_object_get(u,
									   "at"));

			if (at && !time_parse(at, &ms) && ms > best_ms) {
				best_ms = ms;
				best = at;
			}
		}
	return best;
}

static void render_json(struct req *rq, const json_t *incs, bool zh,
			struct buf *b)
{
	const char *at = newest(incs);
	char zone[64];
	json_t *doc;
	char *text;

	(void)zh;
	app_public_zone(rq->st, zone);
	doc = json_pack("{s:o, s:s, s:O}", "updated_at",
			*at ? json_string(at) : json_null(), "time_zone", zone,
			"incidents", incs);
	text = json_dumps(doc, JSON_COMPACT);
	buf_adds(b, text);
	free(text);
	json_decref(doc);
}

void api_status_json(struct req *rq, struct resp *rs)
{
	serve(rq, rs, PG_JSON, "application/json", render_json);
}

static const char *S(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* The words for the public of a severity (bulletins.h) and a phase. */
static const char *severity_words(const char *sev, bool zh)
{
	if (!strcmp(sev, "major"))
		return zh ? "重大服务中断" : "Major outage";
	if (!strcmp(sev, "partial"))
		return zh ? "部分服务中断" : "Partial outage";
	if (!strcmp(sev, "minor"))
		return zh ? "轻微影响" : "Minor disruption";
	return zh ? "服务异常" : "Service disruption";
}

static const char *phase_words(const char *phase, bool zh)
{
	return !strcmp(phase, "investigating") ? (zh ? "调查中" : "Investigating")
	       : !strcmp(phase, "handling") ? (zh ? "处置中" : "Handling")
					    : (zh ? "已解决" : "Resolved");
}

/* The line at the top: the worst of what is still open. */
static const char *overall(const json_t *incs, bool zh, const char **cls)
{
	static const char *const order[] = { "major", "partial", "minor", "" };
	const json_t *inc;
	size_t i;
	int worst = 4;

	json_array_foreach(incs, i, inc) {
		if (!strcmp(S(inc, "phase"), "resolved"))
			continue;
		for (int k = 0; k < 4; k++)
			if (!strcmp(S(inc, "severity"), order[k]) && k < worst)
				worst = k;
	}
	*cls = worst == 0 ? "open major" : worst < 4 ? "open" : "ok";
	switch (worst) {
	case 0:
		return zh ? "重大服务中断：部分关键服务无法使用，我们正在全力抢修。"
			  : "Major outage: key services are unavailable; we "
			    "are working to restore them.";
	case 1:
		return zh ? "部分服务中断，我们正在处理。"
			  : "Some services are down; we are on it.";
	case 2:
		return zh ? "个别服务受到轻微影响，我们正在处理。"
			  : "A minor disruption affects some services; we are "
			    "on it.";
	case 3:
		return zh ? "我们正在调查一个可能影响服务的问题。"
			  : "We are investigating an issue that may affect our "
			    "services.";
	default:
		return zh ? "所有服务运行正常。" : "All services are running.";
	}
}

/* An RFC 3339 time in the organisation's zone as a person reads it:
 * "2026-11-28 03:03". */
static void local(struct buf *b, const char *at)
{
	if (strlen(at) >= 16)
		buf_addf(b, "%.10s %.5s", at, at + 11);
	else
		esc_html(b, at);
}

static void render_page(struct req *rq, const json_t *incs, bool zh,
			struct buf *b)
{
	const json_t *inc, *u;
	const char *cls, *line = overall(incs, zh, &cls);
	char zone[64];
	size_t i, j;

	app_public_zone(rq->st, zone);
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
	buf_addf(b, "<p class=\"overall %s\">%s</p>", cls, line);
	buf_addf(b, "<h2>%s</h2><p class=\"zone\">", zh ? "近 90 天"
							 : "The last 90 days");
	buf_addf(b, zh ? "时间均为当地时间（%s）。" : "Times are local (%s).",
		 zone);
	buf_adds(b, "</p>");
	if (!json_array_size(incs))
		buf_addf(b, "<p>%s</p>", zh ? "没有公开的事件。"
					     : "No public incidents.");
	json_array_foreach(incs, i, inc) {
		const char *phase = S(inc, "phase"), *sev = S(inc, "severity");
		const json_t *lv = json_object_get(inc, "level");
		const char *lvname = lv ? json_string_value(json_object_get(
			json_object_get(lv, "name"), zh ? "zh-CN" : "en")) : NULL;

		buf_addf(b, "<article class=\"incident %s%s%s\" id=\"%s\"><h3>",
			 phase, *sev ? " " : "", sev, S(inc, "number"));
		esc_html(b, *S(inc, "title") ? S(inc, "title")
					: severity_words(sev, zh));
		buf_addf(b, "</h3><p class=\"phase\">%s", phase_words(phase, zh));
		if (*sev) {
			buf_addf(b, " · %s", severity_words(sev, zh));
			if (lvname && *lvname) {
				buf_adds(b, zh ? "（" : " (");
				esc_html(b, lvname);
				buf_adds(b, zh ? "）" : ")");
			}
		}
		buf_addf(b, " · %s</p>", S(inc, "number"));
		if (*S(inc, "message")) {
			buf_adds(b, "<p class=\"message\">");
			esc_html(b, S(inc, "message"));
			buf_adds(b, "</p>");
		}
		buf_adds(b, "<ul>");
		json_array_foreach(json_object_get(inc, "updates"), j, u) {
			bool done = !strcmp(S(u, "kind"), "resolved");

			buf_addf(b, "<li%s><time datetime=\"%s\">",
				 done ? " class=\"resolved\"" : "", S(u, "at"));
			local(b, S(u, "at"));
			buf_adds(b, "</time> ");
			if (done)
				buf_adds(b, zh ? "<strong>已解决</strong>：此事件已解决，"
						 "服务已恢复正常。"
					       : "<strong>Resolved</strong>: this "
						 "incident has been resolved; "
						 "service is back to normal.");
			else
				esc_html(b, S(u, "text"));
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

/* An incident's name for the public: its public title, else the words
 * of its severity. */
static void public_name(struct buf *b, const json_t *inc)
{
	esc_html(b, S(inc, "number"));
	buf_adds(b, " ");
	if (*S(inc, "title")) {
		esc_html(b, S(inc, "title"));
		return;
	}
	buf_addf(b, "%s / %s", severity_words(S(inc, "severity"), true),
		 severity_words(S(inc, "severity"), false));
}

static void render_atom(struct req *rq, const json_t *incs, bool zh,
			struct buf *b)
{
	const char *base = notify_base_url();
	const char *updated = newest(incs);
	const json_t *inc, *u;
	size_t i, j;

	(void)zh;
	(void)rq;
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
		     "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
	buf_adds(b, "<title>服务状态 / Service status</title>\n<id>");
	esc_html(b, base);
	/* Nothing was ever published: the epoch, not the time of asking. */
	buf_addf(b, "/status</id>\n<updated>%s</updated>\n"
		 "<author><name>erms</name></author>\n<link href=\"",
		 *updated ? updated : "1970-01-01T00:00:00Z");
	esc_html(b, base);
	buf_adds(b, "/status\"/>\n<link rel=\"self\" href=\"");
	esc_html(b, base);
	buf_adds(b, "/status.atom\"/>\n");
	json_array_foreach(incs, i, inc)
		json_array_foreach(json_object_get(inc, "updates"), j, u) {
			bool done = !strcmp(S(u, "kind"), "resolved");

			buf_adds(b, "<entry>\n<id>");
			esc_html(b, base);
			if (done)
				buf_addf(b, "/status#resolved-%s", S(inc, "number"));
			else
				buf_addf(b, "/status#bulletin-%lld",
					 (long long)json_integer_value(
						 json_object_get(u, "id")));
			buf_adds(b, "</id>\n<title>");
			public_name(b, inc);
			if (done)
				buf_adds(b, " · 已解决 / Resolved");
			buf_addf(b, "</title>\n<updated>%s</updated>\n"
				 "<link href=\"", S(u, "at"));
			esc_html(b, base);
			buf_addf(b, "/status#%s\"/>\n<content type=\"text\">",
				 S(inc, "number"));
			esc_html(b, S(u, "text"));
			buf_adds(b, "</content>\n</entry>\n");
		}
	buf_adds(b, "</feed>\n");
}

void api_status_atom(struct req *rq, struct resp *rs)
{
	serve(rq, rs, PG_ATOM, "application/atom+xml; charset=utf-8",
	      render_atom);
}
