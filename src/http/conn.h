/*
 * conn.h - the server object and one request's connection, as the
 * server's own files share them (server.c, pipeline.c, batch.c,
 * guard.c, stream.c); handlers see only struct req and struct resp.
 *
 * server.c is the one file that sees libmicrohttpd. The others hold its
 * daemon and connections as opaque pointers (void *) and suspend or
 * resume a connection through the struct link_ops that server.c lends
 * them in srv->link, so they compile without the library's header.
 */
#ifndef ERMS_HTTP_CONN_H
#define ERMS_HTTP_CONN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "http/opts.h"
#include "http/pagecache.h"
#include "http/req.h"
#include "util/buf.h"
#include "util/crypto.h"

/*
 * libmicrohttpd's suspend and resume of a connection c. suspend() stops
 * libmicrohttpd from calling back about c until resume(); resume() may
 * be called from any thread.
 */
struct link_ops {
	void (*suspend)(void *c);
	void (*resume)(void *c);
};

struct sock;
struct stream_box;
struct stream_waker;

struct http_server {
	void *d;			/* the libmicrohttpd daemon */
	int lfd;			/* the listening socket (server.c) */
	pthread_t acceptor;		/* accepts on lfd (server.c) */
	const struct link_ops *link;
	struct app *app;
	struct http_opts o;
	int port;
	_Atomic int inflight;
	/* Parked streams, woken by new events, heartbeats and the stop. */
	pthread_mutex_t park_mu;
	struct stream_box *parked;
	uint64_t wake_seq;		/* under park_mu */
	struct stream_waker *waker;	/* under park_mu (stream.c) */
	_Atomic uint64_t ping_seq;
	_Atomic bool stopping;
	/* The ticker: request deadlines and heartbeats, once a second. */
	pthread_t ticker;
	pthread_mutex_t tick_mu;
	pthread_cond_t tick_cv;
	/* Every open TCP connection, for the request deadline and the
	 * connection cap (guard.h). */
	pthread_mutex_t sock_mu;
	struct sock *socks;
	_Atomic int nsocks;
	struct page_cache pages;	/* the status views, rendered */
};

enum conn_state { C_READING, C_QUEUED, C_READY };

/* One request, from its first header to its answer. */
struct conn {
	struct req rq;
	struct resp rs;
	struct wjob job;
	struct http_server *srv;
	void *c;		/* the libmicrohttpd connection */
	struct buf body;
	size_t body_max;	/* the route's, else the server's */
	enum conn_state state;
	int route;
	bool too_big;
	bool touch;
	bool counted;		/* in srv->inflight */
	/* A prep finished in the password gate (req_defer()). */
	void (*defer)(struct req *rq, struct resp *rs, bool late);
	struct pwjob pw;
	int64_t start_us;
	char method[8];
};

#endif
