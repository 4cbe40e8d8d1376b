/*
 * guard.h - the connection guard and the transport's ticker.
 *
 * libmicrohttpd's own timeout is an idle timeout that every byte
 * resets, so a client that trickles a byte a second holds its
 * connection forever; 900 such connections once took the whole server,
 * /healthz included, offline. Three limits stop that:
 *   - per address (libmicrohttpd's per-IP connection limit, set by
 *     server.c);
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
 *
 * The ticker runs the transport's timers once a second: those request
 * deadlines, and the streams' heartbeat. The domain's timers are the
 * app's (app/tick.h).
 */
#ifndef ERMS_HTTP_GUARD_H
#define ERMS_HTTP_GUARD_H

#include <stdbool.h>

#include "http/conn.h"

#define CONN_RESERVE 32

struct sock;

/* A connection on socket fd (-1: unknown) opened: track it. */
struct sock *guard_open(struct http_server *srv, int fd);
/* Its connection closed: stop tracking k and free it. */
void guard_close(struct http_server *srv, struct sock *k);
/* k's request is arriving (reading: its deadline starts now) or has
 * arrived and is being answered. k may be NULL. */
void guard_reading(struct http_server *srv, struct sock *k, bool reading);
/* Past the cap, answer cn 503 (but /healthz) and return true. */
bool guard_over_cap(struct conn *cn);
/*
 * The open-file limit bounds how many connections can be served at all:
 * raise the soft limit to the hard one, and keep o->max_conns (plus the
 * reserve, the database and the listening socket) under it.
 */
void guard_fit_fd_limit(struct http_opts *o);
/* Start the ticker; it runs until srv->stopping is set and
 * guard_ticker_stop() wakes and joins it. */
void guard_ticker_start(struct http_server *srv);
void guard_ticker_stop(struct http_server *srv);

#endif
