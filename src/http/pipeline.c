/*
 * pipeline.c - the request pipeline every route shares (pipeline.h):
 * from a fully read request to the handler's answer, or to its job on
 * the writer.
 */
#define LOG_MOD "http"
#include "http/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/batch.h"
#include "http/json.h"
#include "http/routes.h"
#include "http/static.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"

#define TOUCH_AFTER_MS (60 * 1000)

int64_t req_param_id(const struct req *rq, int i)
{
	const char *s = i < rq->nparam ? rq->param[i] : NULL;
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9')
		return 0;
	v = strtoll(s, &end, 10);
	return *end || v <= 0 ? 0 : (int64_t)v;
}

/* Every method but GET and HEAD may write (and needs the CSRF token
 * with a cookie). */
static bool is_write_method(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD");
}

const char *pipeline_lang(struct conn *cn)
{
	const char *q = req_query(&cn->rq, "lang");
	const char *h;

	if (q)
		return strncasecmp(q, "zh", 2) ? "en" : "zh-CN";
	h = req_header(&cn->rq, "Accept-Language");
	if (h)
		return strncasecmp(h, "zh", 2) ? "en" : "zh-CN";
	return NULL;
}

/*
 * Sign-in by bearer token or session cookie. Returns 0 (signed in, or
 * anonymous when no credentials were sent), ERMS_EAUTH for credentials
 * that do not work, or a storage error.
 */
static int authenticate(struct conn *cn, bool *by_cookie)
{
	struct req *rq = &cn->rq;
	const char *auth, *cookie;

	*by_cookie = false;
	auth = req_header(rq, "Authorization");
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7))
			return ERMS_EAUTH;
		return app_auth_token(rq->st, auth + 7, rq->now_ms, &rq->who);
	}
	/* Calendar apps cannot send headers: a feed takes ?token=, a
	 * feed token (an API token is refused there). */
	if (rq->route->access == ACCESS_FEED) {
		const char *t = req_query(rq, "token");

		if (t)
			return app_auth_feed_token(rq->st, t, rq->now_ms,
						   &rq->who);
	}
	cookie = req_cookie(rq, "erms_session");
	if (!cookie)
		return 0;
	*by_cookie = true;
	return app_auth_session(rq->app, rq->st, cookie, rq->now_ms, &rq->who);
}

/* Is the body declared as application/json (parameters allowed)? */
static bool json_ctype(struct conn *cn)
{
	const char *ct = req_header(&cn->rq, "Content-Type");
	size_t n = strlen("application/json");

	return ct && !strncasecmp(ct, "application/json", n) &&
	       (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Parse the body into rq->body; answers and returns false on error. */
static bool parse_body(struct conn *cn)
{
	struct req *rq = &cn->rq;
	json_error_t je;

	/* No body at all is fine (actions without arguments); an empty one
	 * declared as JSON is not JSON. */
	if (!cn->body.len && !json_ctype(cn))
		return true;
	if (!json_ctype(cn)) {
		resp_fail(rq, &cn->rs, 415, "unsupported_media_type", NULL,
			  "the body must be sent as application/json");
		return false;
	}
	if (!cn->body.len) {
		resp_fail(rq, &cn->rs, 400, "bad_json", NULL,
			  "the body is empty; send a JSON object");
		return false;
	}
	rq->body = json_body(cn->body.data, cn->body.len, &je);
	if (rq->body)
		return true;
	if (json_error_code(&je) == json_error_invalid_utf8)
		resp_fail(rq, &cn->rs, 400, "invalid_utf8", NULL,
			  "the body is not valid UTF-8");
	else
		resp_fail(rq, &cn->rs, 400, "bad_json", NULL,
			  "malformed JSON at line %d, column %d: %s", je.line,
			  je.column, je.text);
	return false;
}

/* Does the route's body table take a "version" (http/fields.c)? */
static bool takes_version(const struct route *r)
{
	for (size_t i = 0; r->body && i < r->body->n; i++)
		if (!strcmp(r->body->f[i].name, "version"))
			return true;
	return false;
}

/*
 * If-Match on a write that takes a version: "n", W/"n" or n becomes
 * the body's "version" (app/version.h), so that the handler and the app
 * see one precondition whichever way it came; "*" is no precondition.
 * A header that is none of these, or that disagrees with the body's
 * version, is refused (400). Answers and returns false on error.
 */
static bool if_match(struct conn *cn)
{
	struct req *rq = &cn->rq;
	const char *h = req_header(rq, "If-Match");
	const char *s = h;
	json_t *have;
	bool quoted;
	char *end;
	long long v;

	if (!h || !takes_version(rq->route))
		return true;
	while (*s == ' ')
		s++;
	if (!strcmp(s, "*"))
		return true;
	if (!strncmp(s, "W/", 2))
		s += 2;
	quoted = *s == '"';
	s += quoted;
	v = *s >= '0' && *s <= '9' ? strtoll(s, &end, 10) : 0;
	if (v > 0 && quoted && *end++ != '"')
		v = 0;
	while (v > 0 && *end == ' ')
		end++;
	if (v <= 0 || *end) {
		resp_fail(rq, &cn->rs, 400, "invalid", "If-Match",
			  "If-Match is a version: \"3\", W/\"3\" or 3");
		return false;
	}
	if (!rq->body)
		rq->body = json_object();
	if (!json_is_object(rq->body))
		return true;	/* the handler's check refuses it */
	have = json_object_get(rq->body, "version");
	if (have && (!json_is_integer(have) ||
		     json_integer_value(have) != v)) {
		resp_fail(rq, &cn->rs, 400, "invalid", "version",
			  "If-Match (%lld) and the body's version differ", v);
		return false;
	}
	json_object_set_new(rq->body, "version", json_integer(v));
	return true;
}

/*
 * The pipeline up to the handler, run on the I/O thread with a reader.
 * Returns true when the handler should run, false when rs is answered.
 * A request refused here (its route's coarse right included) never
 * takes a writer slot.
 */
static bool admit(struct conn *cn)
{
	struct req *rq = &cn->rq;
	const struct route *r = rq->route;
	bool by_cookie;
	const char *csrf;
	int rc;

	/* Public routes need nobody's identity: credentials are not even
	 * read, so a signed-in browser is never asked for a CSRF token on
	 * them (sign-in, acknowledgement links). */
	by_cookie = false;
	rc = r->access == ACCESS_ANYONE ? 0 : authenticate(cn, &by_cookie);
	if (rc == ERMS_ESTORE) {
		resp_err(rq, &cn->rs, rc, NULL);
		return false;
	}
	if (rc || !rq->who.user.id) {
		memset(&rq->who, 0, sizeof(rq->who));
		by_cookie = false;
		if (r->access != ACCESS_ANYONE) {
			resp_fail(rq, &cn->rs, 401, "unauthorized", NULL,
				  "sign in first, or send a valid token");
			return false;
		}
	}
	if (!rq->lang)
		rq->lang = rq->who.user.id && !strcmp(rq->who.user.locale,
						      "zh-CN") ? "zh-CN" : "en";
	if (by_cookie && is_write_method(rq->method)) {
		csrf = req_header(rq, "X-CSRF-Token");
		if (!csrf || !ct_streq(csrf, rq->who.csrf)) {
			resp_fail(rq, &cn->rs, 403, "csrf", NULL,
				  "missing or wrong X-CSRF-Token header");
			return false;
		}
	}
	if (rq->who.user.id && rq->now_ms - rq->who.last_seen_ms >
				       TOUCH_AFTER_MS)
		cn->touch = true;
	if (r->raw_body) {
		rq->raw = cn->body.len ? cn->body.data : "";
		rq->raw_len = cn->body.len;
	} else if (!parse_body(cn) || !if_match(cn)) {
		return false;
	}
	if (r->access == ACCESS_ADMIN && !rq->who.actor.is_admin) {
		resp_fail(rq, &cn->rs, 403, "forbidden", NULL,
			  "only an administrator may do this");
		return false;
	}
	if (r->prep) {
		r->prep(rq, &cn->rs);
		if (cn->rs.status || cn->defer)
			return false;	/* answered, or to finish in the gate */
	}
	return true;
}

/* No route matched: a static file, 404 or 405 (with Allow). */
static void no_route(struct conn *cn, const char *m, bool known)
{
	struct req *rq = &cn->rq;
	char allow[64];

	if (!known && !strcmp(m, "GET") &&
	    static_serve(rq, &cn->rs, rq->path,
			 req_header(rq, "If-None-Match")))
		return;
	if (!rq->lang)
		rq->lang = "en";
	if (!known) {
		resp_fail(rq, &cn->rs, 404, "not_found", NULL,
			  "no such resource '%s'", rq->path);
		return;
	}
	route_allow(rq->path, allow, sizeof(allow));
	resp_fail(rq, &cn->rs, 405, "method_not_allowed", NULL,
		  "method %s is not allowed here", rq->method);
	resp_header(&cn->rs, "Allow", "%s", allow);
}

void pipeline_dispatch(struct conn *cn)
{
	struct req *rq = &cn->rq;
	struct app *app = cn->srv->app;
	bool known;
	const char *m = strcmp(rq->method, "HEAD") ? rq->method : "GET";
	bool run;

	rq->now_ms = clock_now_ms();
	rq->lang = pipeline_lang(cn);
	cn->route = route_match(m, rq->path, rq->param, &rq->nparam, &known);
	if (cn->route < 0) {
		no_route(cn, m, known);
		return;
	}
	rq->route = &routes[cn->route];
	if (cn->too_big) {
		resp_fail(rq, &cn->rs, 413, "too_large", NULL,
			  "the body is larger than %zu bytes", cn->body_max);
		return;
	}
	rq->st = app_reader_get(app);
	run = admit(cn);
	if (run && !rq->route->write) {
		rq->route->fn(rq, &cn->rs);
		if (cn->touch)
			batch_touch(cn);
	}
	app_reader_put(app, rq->st);
	rq->st = NULL;
	if (run && rq->route->write)
		batch_submit(cn);
}

/*
 * The access line: who (address, signed-in login or "-"), what, how it
 * ended. The path is quoted; log_write() escapes control characters.
 */
void pipeline_log_access(struct conn *cn, int64_t us, bool completed)
{
	static const char intake[] = "/api/v1/intake/";
	char path[512], user[128], shown[64];
	const struct user *u = &cn->rq.who.user;
	const char *p = cn->rq.path;

	if (log_threshold > LL_INFO)
		return;
	/* An intake key is its integration's credential: only its first
	 * 6 characters (the key_prefix administrators see) are logged. */
	if (p && !strncmp(p, intake, sizeof(intake) - 1)) {
		snprintf(shown, sizeof(shown), "%s%.6s…", intake,
			 p + sizeof(intake) - 1);
		p = shown;
	}
	log_quote(path, sizeof(path), p);
	log_quote(user, sizeof(user), u->id ? u->login : "-");
	log_info("method=%s path=\"%s\" status=%d us=%lld addr=%s "
		 "user=\"%s\"%s", cn->method, path, cn->rs.status,
		 (long long)us, cn->rq.addr[0] ? cn->rq.addr : "-", user,
		 completed ? "" : " aborted=1");
}
