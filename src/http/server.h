/*
 * server.h - the HTTP server: libmicrohttpd in, struct req/resp out.
 *
 * Requests are read on libmicrohttpd's thread pool. Reads are answered
 * there with a reader connection; writes are suspended, handed to the
 * group-commit writer, and resumed once their batch is durable.
 */
#ifndef ERMS_HTTP_SERVER_H
#define ERMS_HTTP_SERVER_H

#include "http/opts.h"
#include "util/err.h"

struct app;
struct http_server;

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
