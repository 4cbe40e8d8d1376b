/*
 * server.c - libmicrohttpd glue, and the request pipeline every route
 * shares: route, language, sign-in, CSRF, body checks, the route's
 * coarse right (struct route .access), prep, then the handler on a
 * reader (reads) or in the writer's batch (writes); the access log line
 * and the metrics when the request completes.
 */
#define LOG_MOD "http"
#include "http/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "app/app.h"
#include "http/json.h"
#include "http/metrics.h"
#include "http/pagecache.h"
#include "http/routes.h"
#include "http/static.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/xalloc.h"

#define TOUCH_AFTER_MS (60 * 1000)
#define PING_EVERY_S 15

/* A streamed answer and what parking it needs. */
struct stream_box {
	struct http_server *srv;
	struct MHD_Connection *c;
	struct resp_stream s;
	uint64_t ping_seen;
	struct stream_box *next_parked;
	bool ended;
};

struct http_server {
	struct MHD_Daemon *d;
	struct app *app;
	struct http_opts o;
	int port;
	_Atomic int inflight;
	/* Parked streams, woken by new events, heartbeats and the stop. */
	pthread_mutex_t park_mu;
	struct stream_box *parked;
	uint64_t wake_seq;		/* under park_mu */
	_Atomic uint64_t ping_seq;
	_Atomic bool stopping;
	/* The ticker: request deadlines and heartbeats, once a second. */
	pthread_t ticker;
	pthread_mutex_t tick_mu;
	pthread_cond_t tick_cv;
	/* Every open TCP connection, for the request deadline and the
	 * connection cap (conn_guard below). */
	pthread_mutex_t sock_mu;
	struct sock *socks;
	_Atomic int nsocks;
	struct page_cache pages;	/* the status views, rendered */
};

/* One TCP connection (libmicrohttpd's socket context). */
struct sock {
	struct sock *prev, *next;	/* srv->socks, under sock_mu */
	int fd;
	int64_t since_us;	/* when its current request began to arrive */
	bool reading;		/* a request is arriving (not yet handled) */
	bool cut;		/* shut down for missing the deadline */
};

enum conn_state { C_READING, C_QUEUED, C_READY };

struct conn {
	struct req rq;
	struct resp rs;
	struct wjob job;
	struct http_server *srv;
	struct MHD_Connection *c;
	struct buf body;
	enum conn_state state;
	int route;
	bool too_big;
	bool touch;
	bool counted;		/* in srv->inflight */
	int64_t start_us;
	char method[8];
};

static const char CSP[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; "
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; "
	"base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const char *req_query(struct req *rq, const char *name)
{
	struct conn *cn = rq->priv;

	return MHD_lookup_connection_value(cn->c, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(struct req *rq, const char *name)
{
	struct conn *cn = rq->priv;

	return MHD_lookup_connection_value(cn->c, MHD_HEADER_KIND, name);
}

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

static bool is_write_method(const char *m)
{
	return strcmp(m, "GET") && strcmp(m, "HEAD");
}

static void conn_free(struct conn *cn)
{
	struct req *rq = &cn->rq;

	free(rq->path);
	for (int i = 0; i < rq->nparam; i++)
		free(rq->param[i]);
	json_decref(rq->body);
	if (rq->ctx_free)
		rq->ctx_free(rq->ctx);
	resp_release(&cn->rs);
	buf_release(&cn->body);
	free(cn);
}

static const char *lang_of(struct conn *cn)
{
	const char *q = MHD_lookup_connection_value(cn->c,
						    MHD_GET_ARGUMENT_KIND,
						    "lang");
	const char *h;

	if (q)
		return strncasecmp(q, "zh", 2) ? "en" : "zh-CN";
	h = MHD_lookup_connection_value(cn->c, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	if (h)
		return strncasecmp(h, "zh", 2) ? "en" : "zh-CN";
	return NULL;
}

static void client_addr(struct conn *cn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(cn->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(cn->rq.addr, sizeof(cn->rq.addr), "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  cn->rq.addr, sizeof(cn->rq.addr));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr,
			  cn->rq.addr, sizeof(cn->rq.addr));
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
	auth = MHD_lookup_connection_value(cn->c, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth) {
		if (strncasecmp(auth, "Bearer ", 7))
			return ERMS_EAUTH;
		return app_auth_token(rq->st, auth + 7, rq->now_ms, &rq->who);
	}
	/* Calendar apps cannot send headers: a feed takes ?token=, a
	 * feed token (an API token is refused there). */
	if (rq->route->access == ACCESS_FEED) {
		const char *t = MHD_lookup_connection_value(
			cn->c, MHD_GET_ARGUMENT_KIND, "token");

		if (t)
			return app_auth_feed_token(rq->st, t, rq->now_ms,
						   &rq->who);
	}
	cookie = MHD_lookup_connection_value(cn->c, MHD_COOKIE_KIND,
					     "erms_session");
	if (!cookie)
		return 0;
	*by_cookie = true;
	return app_auth_session(rq->app, rq->st, cookie, rq->now_ms, &rq->who);
}

static bool json_ctype(struct conn *cn)
{
	const char *ct = MHD_lookup_connection_value(cn->c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_TYPE);
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

static int job_run(struct wjob *j, struct store *st)
{
	struct conn *cn = container_of(j, struct conn, job);
	struct req *rq = &cn->rq;

	rq->st = st;
	rq->route->fn(rq, &cn->rs);
	if (cn->rs.rc)
		return cn->rs.rc;
	if (cn->touch)
		return app_touch(st, rq->who.session_id, rq->who.token_id,
				 rq->now_ms);
	return 0;
}

static void job_done(struct wjob *j, int rc)
{
	struct conn *cn = container_of(j, struct conn, job);

	cn->rq.st = NULL;
	if (rc == ERMS_ESTORE) {
		resp_release(&cn->rs);
		resp_err(&cn->rq, &cn->rs, ERMS_ESTORE, NULL);
	}
	cn->state = C_READY;
	MHD_resume_connection(cn->c);
}

/* Last-seen times for reads: a write of its own, answered by no one. */
struct touch_job {
	struct wjob job;
	int64_t session_id, token_id, now_ms;
};

static int touch_run(struct wjob *j, struct store *st)
{
	struct touch_job *t = container_of(j, struct touch_job, job);

	return app_touch(st, t->session_id, t->token_id, t->now_ms);
}

static void touch_done(struct wjob *j, int rc)
{
	(void)rc;
	free(container_of(j, struct touch_job, job));
}

static void submit_touch(struct conn *cn)
{
	struct touch_job *t = xcalloc(1, sizeof(*t));

	t->job.run = touch_run;
	t->job.done = touch_done;
	t->session_id = cn->rq.who.session_id;
	t->token_id = cn->rq.who.token_id;
	t->now_ms = cn->rq.now_ms;
	writer_submit(&cn->srv->app->writer, &t->job);
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
		csrf = MHD_lookup_connection_value(cn->c, MHD_HEADER_KIND,
						   "X-CSRF-Token");
		if (!csrf || !ct_streq(csrf, rq->who.csrf)) {
			resp_fail(rq, &cn->rs, 403, "csrf", NULL,
				  "missing or wrong X-CSRF-Token header");
			return false;
		}
	}
	if (rq->who.user.id && rq->now_ms - rq->who.last_seen_ms >
				       TOUCH_AFTER_MS)
		cn->touch = true;
	if (!parse_body(cn))
		return false;
	if (r->access == ACCESS_ADMIN && !rq->who.actor.is_admin) {
		resp_fail(rq, &cn->rs, 403, "forbidden", NULL,
			  "only an administrator may do this");
		return false;
	}
	if (r->prep) {
		r->prep(rq, &cn->rs);
		if (cn->rs.status)
			return false;
	}
	return true;
}

static void dispatch(struct conn *cn)
{
	struct req *rq = &cn->rq;
	struct app *app = cn->srv->app;
	bool known;
	const char *m = strcmp(rq->method, "HEAD") ? rq->method : "GET";
	bool run;

	rq->now_ms = clock_now_ms();
	rq->lang = lang_of(cn);
	cn->route = route_match(m, rq->path, rq->param, &rq->nparam, &known);
	if (cn->route < 0) {
		char allow[64];

		if (!known && !strcmp(m, "GET") &&
		    static_serve(rq, &cn->rs, rq->path,
				 MHD_lookup_connection_value(
					 cn->c, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_IF_NONE_MATCH)))
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
		resp_header(&cn->rs, MHD_HTTP_HEADER_ALLOW, "%s", allow);
		return;
	}
	rq->route = &routes[cn->route];
	if (cn->too_big) {
		resp_fail(rq, &cn->rs, 413, "too_large", NULL,
			  "the body is larger than %zu bytes",
			  cn->srv->o.body_max);
		return;
	}
	rq->st = app_reader_get(app);
	run = admit(cn);
	if (run && !rq->route->write) {
		rq->route->fn(rq, &cn->rs);
		if (cn->touch)
			submit_touch(cn);
	}
	app_reader_put(app, rq->st);
	rq->st = NULL;
	if (run && rq->route->write) {
		cn->state = C_QUEUED;
		cn->job.run = job_run;
		cn->job.done = job_done;
		/* Suspend before the writer can resume us. */
		MHD_suspend_connection(cn->c);
		writer_submit(&app->writer, &cn->job);
	}
}

/* Resume every parked stream (new events, a heartbeat, the stop). */
static void wake_streams(struct http_server *srv)
{
	struct stream_box *b;

	pthread_mutex_lock(&srv->park_mu);
	srv->wake_seq++;
	while ((b = srv->parked)) {
		srv->parked = b->next_parked;
		b->next_parked = NULL;
		MHD_resume_connection(b->c);
	}
	pthread_mutex_unlock(&srv->park_mu);
}

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	static const char ping[] = ": ping\n\n";
	struct stream_box *b = cls;
	struct http_server *srv = b->srv;
	uint64_t seq;
	long n;

	(void)pos;
	for (;;) {
		pthread_mutex_lock(&srv->park_mu);
		seq = srv->wake_seq;
		pthread_mutex_unlock(&srv->park_mu);
		if (b->ended || atomic_load(&srv->stopping))
			return MHD_CONTENT_READER_END_OF_STREAM;
		n = b->s.read(b->s.ctx, buf, max);
		if (n < 0) {
			b->ended = true;
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (n > 0)
			return n;
		if (b->ping_seen != atomic_load(&srv->ping_seq) &&
		    max >= sizeof(ping)) {
			b->ping_seen = atomic_load(&srv->ping_seq);
			memcpy(buf, ping, sizeof(ping) - 1);
			return (ssize_t)sizeof(ping) - 1;
		}
		/* Nothing to send: park until woken, unless a wake-up came
		 * while we were reading. */
		pthread_mutex_lock(&srv->park_mu);
		if (seq == srv->wake_seq) {
			b->next_parked = srv->parked;
			srv->parked = b;
			MHD_suspend_connection(b->c);
			pthread_mutex_unlock(&srv->park_mu);
			return 0;
		}
		pthread_mutex_unlock(&srv->park_mu);
	}
}

static void stream_free(void *cls)
{
	struct stream_box *b = cls;

	if (b->s.free)
		b->s.free(b->s.ctx);
	free(b);
}

/* Hand the stream over to a box that lives as long as the response. */
static struct MHD_Response *stream_response(struct conn *cn)
{
	struct stream_box *b = xcalloc(1, sizeof(*b));

	b->srv = cn->srv;
	b->c = cn->c;
	b->s = cn->rs.stream;
	b->ping_seen = atomic_load(&cn->srv->ping_seq);
	memset(&cn->rs.stream, 0, sizeof(cn->rs.stream));
	return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096,
						 stream_read, b, stream_free);
}

static enum MHD_Result send_resp(struct conn *cn)
{
	struct resp *rs = &cn->rs;
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *ctype = rs->ctype;

	if (!rs->status)
		resp_fail(&cn->rq, rs, 500, "internal", NULL,
			  "the handler gave no answer");
	if (rs->stream.read) {
		r = stream_response(cn);
	} else if (rs->json) {
		char *s = json_dumps(rs->json, JSON_COMPACT);

		r = MHD_create_response_from_buffer(strlen(s), s,
						    MHD_RESPMEM_MUST_FREE);
		ctype = "application/json";
	} else if (rs->body) {
		r = MHD_create_response_from_buffer(
			rs->len, rs->body,
			rs->body_static ? MHD_RESPMEM_PERSISTENT
					: MHD_RESPMEM_MUST_COPY);
	} else {
		r = MHD_create_response_from_buffer(0, NULL,
						    MHD_RESPMEM_PERSISTENT);
	}
	if (ctype)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	if (cn->srv->app->cfg.https)
		MHD_add_response_header(r, "Strict-Transport-Security",
					"max-age=31536000");
	for (int i = 0; i < rs->nhdr; i++)
		MHD_add_response_header(r, rs->hdr[i].name, rs->hdr[i].value);
	if (!rs->ctype || !strncmp(rs->ctype, "application/json", 16))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
					"no-store");
	ret = MHD_queue_response(cn->c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

static struct conn *conn_new(struct http_server *srv, struct MHD_Connection *c,
			     const char *url, const char *method)
{
	struct conn *cn = xcalloc(1, sizeof(*cn));
	const char *q = strchr(url, '?');

	cn->srv = srv;
	cn->c = c;
	cn->start_us = clock_mono_us();
	cn->route = -1;
	snprintf(cn->method, sizeof(cn->method), "%s", method);
	buf_init(&cn->body, srv->o.body_max);
	cn->rq.app = srv->app;
	cn->rq.pages = &srv->pages;
	cn->rq.priv = cn;
	cn->rq.method = cn->method;
	cn->rq.path = q ? xstrndup(url, (size_t)(q - url)) : xstrdup(url);
	client_addr(cn);
	return cn;
}

/*
 * The connection guard. libmicrohttpd's own timeout is an idle timeout
 * that every byte resets, so a client that trickles a byte a second
 * holds its connection forever; 900 such connections once took the
 * whole server, /healthz included, offline. Three limits stop that:
 *   - per address (MHD_OPTION_PER_IP_CONNECTION_LIMIT);
 *   - a total deadline for a request to arrive, headers and body,
 *     counted from the connection's start or the end of the previous
 *     answer on it: the ticker shuts down the socket of one that
 *     misses it (shutdown(2), not close: libmicrohttpd owns the fd, sees
 *     the end of the stream and closes it itself; it reports a
 *     connection closed before it closes the fd, and the list is only
 *     touched under sock_mu, so a shut-down fd is never a reused one);
 *   - a cap on open connections: past max_conns a complete request is
 *     answered 503 at once (and /healthz still 200), and libmicrohttpd
 *     refuses connections beyond max_conns + CONN_RESERVE outright.
 */
#define CONN_RESERVE 32

static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;
	struct sock *k = *ctx;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_CONNECTION_FD);

		k = xcalloc(1, sizeof(*k));
		k->fd = ci ? ci->connect_fd : -1;
		k->since_us = clock_mono_us();
		k->reading = true;
		pthread_mutex_lock(&srv->sock_mu);
		k->next = srv->socks;
		if (k->next)
			k->next->prev = k;
		srv->socks = k;
		pthread_mutex_unlock(&srv->sock_mu);
		atomic_fetch_add(&srv->nsocks, 1);
		*ctx = k;
	} else if (k) {
		pthread_mutex_lock(&srv->sock_mu);
		if (k->prev)
			k->prev->next = k->next;
		else
			srv->socks = k->next;
		if (k->next)
			k->next->prev = k->prev;
		pthread_mutex_unlock(&srv->sock_mu);
		atomic_fetch_sub(&srv->nsocks, 1);
		free(k);
		*ctx = NULL;
	}
}

/* Mark c's connection as arriving (reading) or answered. */
static void sock_reading(struct http_server *srv, struct MHD_Connection *c,
			 bool reading)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct sock *k = ci ? ci->socket_context : NULL;

	if (!k)
		return;
	pthread_mutex_lock(&srv->sock_mu);
	k->reading = reading;
	k->since_us = clock_mono_us();
	pthread_mutex_unlock(&srv->sock_mu);
}

/* From the ticker: cut every connection whose request is overdue. */
static void reap_slow(struct http_server *srv)
{
	int64_t limit = (int64_t)srv->o.request_timeout_s * 1000000;
	int64_t now = clock_mono_us();
	int n = 0;

	pthread_mutex_lock(&srv->sock_mu);
	for (struct sock *k = srv->socks; k; k = k->next) {
		if (!k->reading || k->cut || k->fd < 0 ||
		    now - k->since_us <= limit)
			continue;
		shutdown(k->fd, SHUT_RDWR);
		k->cut = true;
		n++;
	}
	pthread_mutex_unlock(&srv->sock_mu);
	if (n)
		log_warn("cut %d connections: no complete request within %d s",
			 n, srv->o.request_timeout_s);
}

/* Past the cap every request but /healthz gets a 503 and is closed. */
static bool over_cap(struct conn *cn)
{
	struct http_server *srv = cn->srv;

	if (atomic_load(&srv->nsocks) <= srv->o.max_conns ||
	    !strcmp(cn->rq.path, "/healthz"))
		return false;
	cn->rq.now_ms = clock_now_ms();
	cn->rq.lang = lang_of(cn);
	if (!cn->rq.lang)
		cn->rq.lang = "en";
	resp_fail(&cn->rq, &cn->rs, 503, "unavailable", NULL,
		  "too many open connections; try again");
	resp_header(&cn->rs, "Retry-After", "1");
	resp_header(&cn->rs, "Connection", "close");
	return true;
}

/*
 * The open-file limit bounds how many connections can be served at all:
 * raise the soft limit to the hard one, and keep max_conns (plus the
 * reserve, the database and the listening socket) under it.
 */
static void fit_fd_limit(struct http_opts *o)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY &&
	    (rlim_t)o->max_conns + CONN_RESERVE + 64 > rl.rlim_cur) {
		int fit = (int)rl.rlim_cur - CONN_RESERVE - 64;

		o->max_conns = fit > 16 ? fit : 16;
		log_warn("open-file limit %llu: at most %d connections",
			 (unsigned long long)rl.rlim_cur, o->max_conns);
	}
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct conn *cn = *con_cls;

	(void)version;
	if (!cn) {
		*con_cls = conn_new(srv, c, url, method);
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cn->too_big &&
		    buf_add(&cn->body, upload_data, *upload_data_size)) {
			cn->too_big = true;
			buf_release(&cn->body);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	switch (cn->state) {
	case C_READING:
		/* From here on the request is in flight: shutdown waits for
		 * it. One still uploading (or whose client vanished) is not.
		 * Counted first, then the stop checked: http_stop() either
		 * sees the count or this request sees the stop. */
		cn->counted = true;
		atomic_fetch_add(&srv->inflight, 1);
		if (atomic_load(&srv->stopping))
			return MHD_NO;	/* closes: the client tries again */
		sock_reading(srv, c, false);
		if (over_cap(cn))
			return send_resp(cn);
		dispatch(cn);
		if (cn->state == C_QUEUED)
			return MHD_YES;
		return send_resp(cn);
	case C_QUEUED:
		return MHD_YES;
	case C_READY:
		return send_resp(cn);
	}
	return MHD_NO;
}

/*
 * The access line: who (address, signed-in login or "-"), what, how it
 * ended. The path is quoted; log_write() escapes control characters.
 */
static void log_access(struct conn *cn, int64_t us, bool completed)
{
	char path[512], user[128];
	const struct user *u = &cn->rq.who.user;

	if (log_threshold > LL_INFO)
		return;
	log_quote(path, sizeof(path), cn->rq.path);
	log_quote(user, sizeof(user), u->id ? u->login : "-");
	log_info("method=%s path=\"%s\" status=%d us=%lld addr=%s "
		 "user=\"%s\"%s", cn->method, path, cn->rs.status,
		 (long long)us, cn->rq.addr[0] ? cn->rq.addr : "-", user,
		 completed ? "" : " aborted=1");
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct conn *cn = *con_cls;
	int64_t us;

	if (!cn)
		return;
	us = clock_mono_us() - cn->start_us;
	metrics_record(cn->route, cn->rs.status, us);
	log_access(cn, us, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	sock_reading(srv, c, true);	/* the next request on it, if any */
	if (cn->counted)
		atomic_fetch_sub(&srv->inflight, 1);
	conn_free(cn);
	*con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_warn("mhd: %s", line);
}

/* "host:port" or "[v6]:port" into a socket address. */
static int parse_listen(const char *s, struct sockaddr_storage *ss,
			bool *v6, struct errbuf *err)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;
	size_t hl;

	if (!colon)
		goto bad;
	port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		goto bad;
	hl = (size_t)(colon - s);
	if (hl >= sizeof(host))
		goto bad;
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(ss, 0, sizeof(*ss));
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		host[hl - 1] = '\0';
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*v6 = true;
		if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) == 1)
			return 0;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*v6 = false;
		if (inet_pton(AF_INET, host, &a->sin_addr) == 1)
			return 0;
	}
bad:
	return err_ret(err, ERMS_EINVAL, "invalid",
		       "bad listen address '%s' (want HOST:PORT, e.g. "
		       "127.0.0.1:8080)", s);
}

static int write_port_file(const char *path, int port, struct errbuf *err)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) ||
	    rename(tmp, path))
		return err_ret(err, ERMS_EIO, "io_error",
			       "cannot write port file '%s'", path);
	return 0;
}

/* On the writer thread, after each commit: new events go to the ring
 * and wake the streams, as does a revocation. */
static void after_commit(void *ctx, struct store *st)
{
	struct http_server *srv = ctx;
	bool events = bus_fill(&srv->app->bus, st);

	/* A revocation committed: the streams check their principals. */
	if (app_auth_refresh(srv->app, st) || events)
		wake_streams(srv);
}

/*
 * The transport's timers, once a second: cut requests past their
 * deadline; every PING_EVERY_S seconds wake the streams for a heartbeat.
 * The domain's timers are the app's (app/tick.h).
 */
static void *tick(void *arg)
{
	struct http_server *srv = arg;
	int ticks = 0;

	pthread_mutex_lock(&srv->tick_mu);
	while (!atomic_load(&srv->stopping)) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&srv->tick_cv, &srv->tick_mu, &ts);
		if (atomic_load(&srv->stopping))
			break;
		pthread_mutex_unlock(&srv->tick_mu);
		reap_slow(srv);
		if (++ticks % PING_EVERY_S == 0) {
			atomic_fetch_add(&srv->ping_seq, 1);
			wake_streams(srv);
		}
		pthread_mutex_lock(&srv->tick_mu);
	}
	pthread_mutex_unlock(&srv->tick_mu);
	return NULL;
}

int http_start(struct http_server **out, struct app *app,
	       const struct http_opts *o, struct errbuf *err)
{
	struct http_server *s = xcalloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *di;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	bool v6 = false;
	int rc;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	s->app = app;
	s->o = *o;
	if (!s->o.body_max)
		s->o.body_max = 1024 * 1024;
	if (!s->o.timeout_s)
		s->o.timeout_s = 30;
	if (s->o.threads <= 0)
		s->o.threads = ncpu > 0 ? (int)ncpu : 2;
	if (s->o.request_timeout_s <= 0)
		s->o.request_timeout_s = 30;
	if (s->o.max_conns <= 0)
		s->o.max_conns = 1024;
	if (!s->o.per_ip_conns)
		s->o.per_ip_conns = 256;
	fit_fd_limit(&s->o);
	rc = parse_listen(o->listen, &ss, &v6, err);
	if (rc) {
		free(s);
		return rc;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	static_init();
	pthread_mutex_init(&s->sock_mu, NULL);
	page_cache_init(&s->pages);
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->o.threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->o.timeout_s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)(s->o.max_conns + CONN_RESERVE),
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)(s->o.per_ip_conns > 0 ? s->o.per_ip_conns : 0),
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
		MHD_OPTION_END);
	if (!s->d) {
		pthread_mutex_destroy(&s->sock_mu);
		free(s);
		return err_ret(err, ERMS_EIO, "io_error",
			       "cannot listen on '%s'", o->listen);
	}
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	pthread_mutex_init(&s->park_mu, NULL);
	pthread_mutex_init(&s->tick_mu, NULL);
	pthread_cond_init(&s->tick_cv, NULL);
	writer_set_hook(&app->writer, after_commit, s);
	pthread_create(&s->ticker, NULL, tick, s);
	if (o->port_file && (rc = write_port_file(o->port_file, s->port, err))) {
		MHD_stop_daemon(s->d);
		pthread_mutex_destroy(&s->sock_mu);
		free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int http_port(const struct http_server *s)
{
	return s->port;
}

/* Wake the streams (tests that set the clock use this too). */
void http_wake(struct http_server *s)
{
	wake_streams(s);
}

void http_stop(struct http_server *s, int grace_ms)
{
	int64_t until = clock_mono_us() + (int64_t)grace_ms * 1000;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	/* Streams end, the ticker stops, then no new connections. */
	atomic_store(&s->stopping, true);
	pthread_mutex_lock(&s->tick_mu);
	pthread_cond_signal(&s->tick_cv);
	pthread_mutex_unlock(&s->tick_mu);
	pthread_join(s->ticker, NULL);
	wake_streams(s);
	MHD_quiesce_daemon(s->d);
	while (atomic_load(&s->inflight) > 0 && clock_mono_us() < until)
		nanosleep(&ts, NULL);
	if (atomic_load(&s->inflight) > 0)
		log_warn("stopping with %d requests unfinished",
			 atomic_load(&s->inflight));
	wake_streams(s);
	MHD_stop_daemon(s->d);
	writer_set_hook(&s->app->writer, NULL, NULL);
	pthread_mutex_destroy(&s->park_mu);
	pthread_mutex_destroy(&s->sock_mu);
	pthread_mutex_destroy(&s->tick_mu);
	pthread_cond_destroy(&s->tick_cv);
	page_cache_release(&s->pages);
	free(s);
}
