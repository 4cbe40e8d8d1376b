/*
 * server.c - the libmicrohttpd glue, and the only file that sees the
 * library: the daemon's start and stop, its callbacks (a request's
 * arrival, its body, its end, a connection's open and close), the
 * request's headers, arguments and cookies (req.h), and sending an
 * answer, streamed ones included. What happens to a request in between
 * is pipeline.c's (checks and the handler), batch.c's (writes in the
 * writer's batch), guard.c's (deadlines and connection limits) and
 * stream.c's (parking a stream); they reach a connection only through
 * the suspend and resume lent to them in srv->link (conn.h).
 *
 * Connections are accepted here, by a thread of our own, and handed to
 * libmicrohttpd's workers with MHD_add_connection(), which spreads them
 * over the pool (by socket number, skipping a full worker). Left to
 * accept on its own, every worker polls the one listening socket and
 * the first to wake takes the whole burst: of 64 connections opened at
 * once, one of two workers got 58, and at times all eight of eight. Limits
 * are libmicrohttpd's as before: the per-address count is the whole
 * daemon's, the connection limit is shared out among the workers.
 */
#define LOG_MOD "http"
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/batch.h"
#include "http/conn.h"
#include "http/guard.h"
#include "http/metrics.h"
#include "http/pipeline.h"
#include "http/routes.h"
#include "http/static.h"
#include "http/stream.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/thread.h"
#include "util/xalloc.h"

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

const char *req_cookie(struct req *rq, const char *name)
{
	struct conn *cn = rq->priv;

	return MHD_lookup_connection_value(cn->c, MHD_COOKIE_KIND, name);
}

void req_defer(struct req *rq,
	       void (*fn)(struct req *rq, struct resp *rs, bool late))
{
	struct conn *cn = rq->priv;

	cn->defer = fn;
}

/*
 * The deferred prep, in a slot of the gate (or late, or refused at the
 * door): then the answer goes out, or the handler goes to the writer,
 * which resumes the connection when the batch is durable.
 */
static void defer_run(struct pwjob *j, bool late)
{
	struct conn *cn = container_of(j, struct conn, pw);

	cn->defer(&cn->rq, &cn->rs, late);
	cn->defer = NULL;
	if (cn->rs.status || !cn->rq.route->write) {
		cn->state = C_READY;
		cn->srv->link->resume(cn->c);
	} else {
		batch_queue(cn);
	}
}

/* Suspend cn until its deferred prep is done (req_defer()). */
static void defer_start(struct conn *cn)
{
	cn->state = C_QUEUED;
	cn->pw.run = defer_run;
	/* Suspended before a gate thread can resume it. */
	cn->srv->link->suspend(cn->c);
	if (pwgate_submit(&cn->pw))
		defer_run(&cn->pw, true);
}

/* srv->link of every server: libmicrohttpd's own suspend and resume. */
static void link_suspend(void *c)
{
	MHD_suspend_connection(c);
}

static void link_resume(void *c)
{
	MHD_resume_connection(c);
}

static const struct link_ops link_mhd = {
	.suspend = link_suspend,
	.resume = link_resume,
};

/* Free cn and everything its request and answer own. */
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

/* The client's address into cn->rq.addr ("?" if unknown). */
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

/* libmicrohttpd's reader of a streamed answer (see stream_pull()). */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	long n;

	(void)pos;
	n = stream_pull(cls, buf, max);
	return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

/* libmicrohttpd is done with the streamed answer. */
static void stream_free(void *cls)
{
	stream_box_free(cls);
}

/*
 * A connection's memory: its request's head and the buffer its answers
 * are written through; a streamed answer is copied straight into that
 * buffer (chunked), so the block given with the response serves only
 * HTTP/1.0 clients. Both are what an idle live subscriber holds: 16 KiB
 * (libmicrohttpd's default is 32) still takes any sane request head
 * and sends a stream in pieces of some 16 KiB.
 */
#define CONN_MEMORY (16 * 1024)
#define STREAM_BLOCK 1024

/* Hand the stream over to a box that lives as long as the response. */
static struct MHD_Response *stream_response(struct conn *cn)
{
	return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK,
						 stream_read,
						 stream_box_new(cn),
						 stream_free);
}

/*
 * Queue cn->rs (a 500 if the handler gave no answer) with the security
 * headers every answer carries. Returns libmicrohttpd's verdict.
 */
static enum MHD_Result send_resp(struct conn *cn)
{
	struct resp *rs = &cn->rs;
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *ctype = rs->ctype;
	int i;

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
	/* A handler may set a policy of its own (a document that carries
	 * its styles); else the console's. */
	for (i = 0; i < rs->nhdr; i++)
		if (!strcasecmp(rs->hdr[i].name, "Content-Security-Policy"))
			break;
	if (i == rs->nhdr)
		MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	if (cn->srv->app->cfg.https)
		MHD_add_response_header(r, "Strict-Transport-Security",
					"max-age=31536000");
	for (i = 0; i < rs->nhdr; i++)
		MHD_add_response_header(r, rs->hdr[i].name, rs->hdr[i].value);
	if (!rs->ctype || !strncmp(rs->ctype, "application/json", 16))
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
					"no-store");
	ret = MHD_queue_response(cn->c, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

/* A new request on connection c: its path without the query string,
 * its method and the client's address; the body is still to come. */
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
	cn->rq.app = srv->app;
	cn->rq.pages = &srv->pages;
	cn->rq.priv = cn;
	cn->rq.method = cn->method;
	cn->rq.path = q ? xstrndup(url, (size_t)(q - url)) : xstrdup(url);
	/* A route may take more than the server's limit (the intake):
	 * past it the body is read and dropped, never kept. */
	cn->body_max = route_body_max(method, cn->rq.path);
	if (!cn->body_max)
		cn->body_max = srv->o.body_max;
	buf_init(&cn->body, cn->body_max);
	client_addr(cn);
	return cn;
}

/* A connection opened or closed: the guard tracks it (guard.h). */
static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;
	struct sock *k = *ctx;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
			c, MHD_CONNECTION_INFO_CONNECTION_FD);

		*ctx = guard_open(srv, ci ? ci->connect_fd : -1);
	} else if (k) {
		guard_close(srv, k);
		*ctx = NULL;
	}
}

/* Mark c's connection as arriving (reading) or answered. */
static void sock_reading(struct http_server *srv, struct MHD_Connection *c,
			 bool reading)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	guard_reading(srv, ci ? ci->socket_context : NULL, reading);
}

/*
 * libmicrohttpd names all its workers alike (MHD-worker): each renames
 * itself at its first request, erms-http-1, -2, ..., so that per-thread
 * CPU in /proc tells them apart.
 */
static void name_worker(void)
{
	static _Atomic int nworkers;
	static _Thread_local bool named;
	char name[20];

	if (named)
		return;
	named = true;
	snprintf(name, sizeof(name), "erms-http-%u",
		 (unsigned)(atomic_fetch_add(&nworkers, 1) + 1) % 1000);
	thread_name(name);
}

/*
 * libmicrohttpd's access handler: called once with the headers (cn made),
 * then with each piece of the body (kept up to body_max), then with none
 * (the request is complete: dispatch it), and again after a resume.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct conn *cn = *con_cls;

	(void)version;
	name_worker();
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
		if (guard_over_cap(cn))
			return send_resp(cn);
		pipeline_dispatch(cn);
		if (cn->defer)
			defer_start(cn);
		/* Handed to the writer or the gate (C_QUEUED), which may
		 * already be done with it (C_READY): either way the answer
		 * goes out when the connection is resumed, after the
		 * answer's finish() (http/batch.h) has run, never from here. */
		if (cn->state != C_READING)
			return MHD_YES;
		return send_resp(cn);
	case C_QUEUED:
		return MHD_YES;
	case C_READY:
		batch_finish(cn);
		return send_resp(cn);
	}
	return MHD_NO;
}

/* The request is over (answered or not): metrics, the access line, the
 * connection's next deadline, and cn freed. */
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
	pipeline_log_access(cn, us, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
	sock_reading(srv, c, true);	/* the next request on it, if any */
	if (cn->counted)
		atomic_fetch_sub(&srv->inflight, 1);
	conn_free(cn);
	*con_cls = NULL;
}

/* libmicrohttpd's own messages, as warnings of our log. */
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

/* Write port to path (through path.tmp and a rename, so a reader never
 * sees half a number). 0 or ERMS_EIO. */
static int write_port_file(const char *path, int port, struct errbuf *err)
{
	char tmp[4096];
	FILE *f;
	bool ok;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	ok = f && fprintf(f, "%d\n", port) > 0;
	if (f && fclose(f))
		ok = false;
	if (!ok || rename(tmp, path))
		return err_ret(err, ERMS_EIO, "io_error",
			       "cannot write port file '%s'", path);
	return 0;
}

/*
 * The listening socket for ss (IPv6 only for a v6 address, as
 * libmicrohttpd made it), its port into *port. The fd or -1.
 */
static int listen_on(const struct sockaddr_storage *ss, bool v6, int *port)
{
	socklen_t len = v6 ? sizeof(struct sockaddr_in6)
			   : sizeof(struct sockaddr_in);
	struct sockaddr_storage got;
	int one = 1;
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (const struct sockaddr *)ss, len) || listen(fd, 1024))
		goto fail;
	len = sizeof(got);
	if (getsockname(fd, (struct sockaddr *)&got, &len))
		goto fail;
	*port = ntohs(v6 ? ((struct sockaddr_in6 *)&got)->sin6_port
			 : ((struct sockaddr_in *)&got)->sin_port);
	return fd;
fail:
	close(fd);
	return -1;
}

/*
 * The acceptor: each new connection to libmicrohttpd, which closes it
 * if it cannot take it (over a limit). http_stop() ends the loop by
 * shutting the listening socket down, which wakes accept().
 */
static void *accept_main(void *arg)
{
	struct http_server *s = arg;
	struct timespec pause = { 0, 10 * 1000 * 1000 };

	thread_name("erms-accept");
	for (;;) {
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int fd = accept(s->lfd, (struct sockaddr *)&ss, &len);

		if (atomic_load(&s->stopping)) {
			if (fd >= 0)
				close(fd);
			break;
		}
		if (fd >= 0) {
			MHD_add_connection(s->d, fd, (struct sockaddr *)&ss,
					   len);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		/* Out of descriptors or memory: let some close first. */
		if (errno != EMFILE && errno != ENFILE && errno != ENOBUFS &&
		    errno != ENOMEM)
			log_warn("accept: %s", strerror(errno));
		nanosleep(&pause, NULL);
	}
	return NULL;
}

int http_start(struct http_server **out, struct app *app,
	       const struct http_opts *o, struct errbuf *err)
{
	struct http_server *s = xcalloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET;
	bool v6 = false;
	int rc;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	s->app = app;
	s->link = &link_mhd;
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
	guard_fit_fd_limit(&s->o);
	rc = parse_listen(o->listen, &ss, &v6, err);
	if (rc) {
		free(s);
		return rc;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	s->lfd = listen_on(&ss, v6, &s->port);
	if (s->lfd < 0) {
		free(s);
		return err_ret(err, ERMS_EIO, "io_error",
			       "cannot listen on '%s'", o->listen);
	}
	static_init();
	pthread_mutex_init(&s->sock_mu, NULL);
	page_cache_init(&s->pages);
	s->d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->o.threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->o.timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_CONNECTION_LIMIT,
		(unsigned)(s->o.max_conns + CONN_RESERVE),
		MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)(s->o.per_ip_conns > 0 ? s->o.per_ip_conns : 0),
		MHD_OPTION_END);
	if (!s->d) {
		rc = err_ret(err, ERMS_EIO, "io_error",
			     "cannot start the server on '%s'", o->listen);
		goto fail;
	}
	/* The port file before anything refers to s: a failure to write it
	 * leaves no ticker and no writer hook behind. */
	if (o->port_file && (rc = write_port_file(o->port_file, s->port, err)))
		goto fail;
	pthread_mutex_init(&s->park_mu, NULL);
	writer_set_hook(&app->writer, batch_after_commit, s);
	listen_set_hook(&app->listen, batch_after_remote, s);
	guard_ticker_start(s);
	if (pthread_create(&s->acceptor, NULL, accept_main, s))
		abort();	/* as for the other threads: no way on */
	*out = s;
	return 0;
fail:
	if (s->d)
		MHD_stop_daemon(s->d);
	close(s->lfd);
	pthread_mutex_destroy(&s->sock_mu);
	page_cache_release(&s->pages);
	free(s);
	return rc;
}

int http_port(const struct http_server *s)
{
	return s->port;
}

/* Wake the streams (tests that set the clock use this too). */
void http_wake(struct http_server *s)
{
	stream_wake(s);
}

void http_stop(struct http_server *s, int grace_ms)
{
	int64_t until = clock_mono_us() + (int64_t)grace_ms * 1000;
	struct timespec ts = { 0, 10 * 1000 * 1000 };

	/* Streams end, the ticker stops, then no new connections. */
	atomic_store(&s->stopping, true);
	guard_ticker_stop(s);
	stream_wake(s);
	shutdown(s->lfd, SHUT_RDWR);
	pthread_join(s->acceptor, NULL);
	close(s->lfd);
	while (atomic_load(&s->inflight) > 0 && clock_mono_us() < until)
		nanosleep(&ts, NULL);
	if (atomic_load(&s->inflight) > 0)
		log_warn("stopping with %d requests unfinished",
			 atomic_load(&s->inflight));
	stream_wake(s);
	MHD_stop_daemon(s->d);
	listen_set_hook(&s->app->listen, NULL, NULL);
	writer_set_hook(&s->app->writer, NULL, NULL);
	pthread_mutex_destroy(&s->park_mu);
	pthread_mutex_destroy(&s->sock_mu);
	page_cache_release(&s->pages);
	free(s);
}
