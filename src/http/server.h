/*
 * server.h - the HTTP server: libmicrohttpd in, struct req/resp out.
 *
 * Requests are read on libmicrohttpd's thread pool. Reads are answered
 * there with a reader connection; writes are suspended, handed to the
 * group-commit writer, and resumed once their batch is durable.
 */
#ifndef ERMS_HTTP_SERVER_H
#define ERMS_HTTP_SERVER_H

#include <stddef.h>

#include "util/err.h"

struct app;
struct http_server;

struct http_opts {
	const char *listen;	/* "127.0.0.1:8080", "[::1]:0" */
	const char *port_file;	/* write the bound port here, or NULL */
	int threads;		/* I/O threads (0: one per core) */
	size_t body_max;	/* bytes (0: 1 MiB) */
	int timeout_s;		/* idle connection timeout (0: 30) */
	int request_timeout_s;	/* a request's headers and body must
				 * arrive within this, however they trickle
				 * (0: 30) */
	int max_conns;		/* past this many open connections every
				 * request but /healthz is answered 503
				 * (0: 1024, lowered to fit the fd limit) */
	int per_ip_conns;	/* connections from one address (0: 256,
				 * -1: no limit) */
};

/* Start serving; the server borrows app until http_stop(). */
int http_start(struct http_server **out, struct app *app,
	       const struct http_opts *o, struct errbuf *err);
/* The port actually bound (useful with port 0). */
int http_port(const struct http_server *s);
/* Resume parked streams so they look for new data. */
void http_wake(struct http_server *s);
/*
 * Stop accepting, let requests in flight finish (up to grace_ms), then
 * close every connection and free the server.
 */
void http_stop(struct http_server *s, int grace_ms);

#endif
