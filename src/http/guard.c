/*
 * guard.c - the connection guard (per-connection request deadlines, the
 * cap on open connections, the open-file limit) and the ticker that
 * enforces the deadlines and drives the streams' heartbeat; guard.h
 * tells why.
 */
#define LOG_MOD "http"
#include "http/guard.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "http/pipeline.h"
#include "http/stream.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/thread.h"
#include "util/xalloc.h"

/* One TCP connection (libmicrohttpd's socket context). */
struct sock {
	struct sock *prev, *next;	/* srv->socks, under sock_mu */
	int fd;
	int64_t since_us;	/* when its current request began to arrive */
	bool reading;		/* a request is arriving (not yet handled) */
	bool cut;		/* shut down for missing the deadline */
};

struct sock *guard_open(struct http_server *srv, int fd)
{
	struct sock *k = xcalloc(1, sizeof(*k));

	k->fd = fd;
	k->since_us = clock_mono_us();
	k->reading = true;
	pthread_mutex_lock(&srv->sock_mu);
	k->next = srv->socks;
	if (k->next)
		k->next->prev = k;
	srv->socks = k;
	pthread_mutex_unlock(&srv->sock_mu);
	atomic_fetch_add(&srv->nsocks, 1);
	return k;
}

void guard_close(struct http_server *srv, struct sock *k)
{
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
}

void guard_reading(struct http_server *srv, struct sock *k, bool reading)
{
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

bool guard_over_cap(struct conn *cn)
{
	struct http_server *srv = cn->srv;

	if (atomic_load(&srv->nsocks) <= srv->o.max_conns ||
	    !strcmp(cn->rq.path, "/healthz"))
		return false;
	cn->rq.now_ms = clock_now_ms();
	cn->rq.lang = pipeline_lang(cn);
	if (!cn->rq.lang)
		cn->rq.lang = "en";
	resp_fail(&cn->rq, &cn->rs, 503, "unavailable", NULL,
		  "too many open connections; try again");
	resp_header(&cn->rs, "Retry-After", "1");
	resp_header(&cn->rs, "Connection", "close");
	return true;
}

void guard_fit_fd_limit(struct http_opts *o)
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

/*
 * The transport's timers, once a second: cut requests past their
 * deadline; every PING_EVERY_S seconds wake the streams for a heartbeat.
 */
static void *tick(void *arg)
{
	struct http_server *srv = arg;
	int ticks = 0;

	thread_name("erms-guard");
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
			stream_wake(srv);
		}
		pthread_mutex_lock(&srv->tick_mu);
	}
	pthread_mutex_unlock(&srv->tick_mu);
	return NULL;
}

void guard_ticker_start(struct http_server *srv)
{
	pthread_mutex_init(&srv->tick_mu, NULL);
	pthread_cond_init(&srv->tick_cv, NULL);
	pthread_create(&srv->ticker, NULL, tick, srv);
}

void guard_ticker_stop(struct http_server *srv)
{
	pthread_mutex_lock(&srv->tick_mu);
	pthread_cond_signal(&srv->tick_cv);
	pthread_mutex_unlock(&srv->tick_mu);
	pthread_join(srv->ticker, NULL);
	pthread_mutex_destroy(&srv->tick_mu);
	pthread_cond_destroy(&srv->tick_cv);
}
