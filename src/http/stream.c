/*
 * stream.c - streamed answers: pulling from a struct resp_stream,
 * heartbeats, and parking the connection while there is nothing to send
 * (see stream.h). The connection is suspended and resumed through
 * srv->link; the library itself is server.c's.
 */
#include "http/stream.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/thread.h"
#include "util/xalloc.h"

/* A streamed answer and what parking it needs. */
struct stream_box {
	struct http_server *srv;
	void *c;		/* the libmicrohttpd connection */
	struct resp_stream s;
	uint64_t ping_seen;
	struct stream_box *next_parked;
	bool ended;
};

/*
 * The thread that resumes parked streams. Each resume is a system call
 * (libmicrohttpd signals its thread), so waking a thousand streams on
 * the writer's thread after each commit held the writer for a thousand
 * of them per batch; the writer now only hands the parked list over.
 * And a round of resumes costs each stream the same (its resume, a
 * send, its suspend) whether it has one event to send or a hundred, so
 * rounds are at least WAKE_GAP_MS apart, a delay no one watching a
 * screen sees: a wake-up after a quiet spell is done at once, those
 * that come sooner wait for the next round and share it. Under a storm
 * of reports each stream is resumed at most 1000 / WAKE_GAP_MS times a
 * second, with many events each time, instead of once per commit.
 */
#define WAKE_GAP_MS 20

struct stream_waker {
	struct http_server *srv;
	pthread_t thread;
	pthread_cond_t cv;		/* with srv->park_mu, monotonic */
	struct stream_box *to_wake;	/* to resume, under park_mu */
	int64_t next_us;		/* no round before (monotonic) */
	bool stop;			/* under park_mu */
};

/* Resume every box of list (parked, so none can be freed meanwhile:
 * its connection is suspended). */
static void resume_all(struct http_server *srv, struct stream_box *list)
{
	struct stream_box *b, *next;

	for (b = list; b; b = next) {
		next = b->next_parked;
		b->next_parked = NULL;
		srv->link->resume(b->c);
	}
}

static void *waker(void *arg)
{
	struct stream_waker *w = arg;
	struct http_server *srv = w->srv;
	struct stream_box *list;

	thread_name("erms-wake");
	pthread_mutex_lock(&srv->park_mu);
	while (!w->stop) {
		int64_t now = clock_mono_us();

		if (!w->to_wake) {
			pthread_cond_wait(&w->cv, &srv->park_mu);
			continue;
		}
		if (now < w->next_us) {
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			ts.tv_nsec += (long)(w->next_us - now) * 1000;
			ts.tv_sec += ts.tv_nsec / 1000000000;
			ts.tv_nsec %= 1000000000;
			pthread_cond_timedwait(&w->cv, &srv->park_mu, &ts);
			continue;
		}
		w->next_us = now + WAKE_GAP_MS * 1000;
		list = w->to_wake;
		w->to_wake = NULL;
		pthread_mutex_unlock(&srv->park_mu);
		resume_all(srv, list);
		pthread_mutex_lock(&srv->park_mu);
	}
	pthread_mutex_unlock(&srv->park_mu);
	return NULL;
}

/* Start the waker with the first stream (under park_mu); without one
 * (no thread), stream_wake() resumes the streams itself. */
static void waker_start(struct http_server *srv)
{
	struct stream_waker *w;
	pthread_condattr_t ca;

	if (srv->waker || atomic_load(&srv->stopping))
		return;
	w = xcalloc(1, sizeof(*w));
	w->srv = srv;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cv, &ca);
	pthread_condattr_destroy(&ca);
	srv->waker = w;
	if (pthread_create(&w->thread, NULL, waker, w)) {
		pthread_cond_destroy(&w->cv);
		srv->waker = NULL;
		free(w);
	}
}

/* The stop: the waker ends, and what it had still to do is returned
 * (under park_mu, which it drops while joining). */
static struct stream_box *waker_stop(struct http_server *srv)
{
	struct stream_waker *w = srv->waker;
	struct stream_box *left;

	if (!w)
		return NULL;
	srv->waker = NULL;
	w->stop = true;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&srv->park_mu);
	pthread_join(w->thread, NULL);
	pthread_mutex_lock(&srv->park_mu);
	left = w->to_wake;
	pthread_cond_destroy(&w->cv);
	free(w);
	return left;
}

/* Resume every parked stream (new events, a heartbeat, the stop): by
 * the waker, or here when there is none or the server stops (which must
 * see every stream resumed before it stops the library). */
void stream_wake(struct http_server *srv)
{
	struct stream_box *list, *left = NULL, *b;

	pthread_mutex_lock(&srv->park_mu);
	if (atomic_load(&srv->stopping))
		left = waker_stop(srv);
	srv->wake_seq++;
	list = srv->parked;
	srv->parked = NULL;
	if (list && srv->waker) {
		for (b = list; b->next_parked; b = b->next_parked)
			;
		b->next_parked = srv->waker->to_wake;
		srv->waker->to_wake = list;
		pthread_cond_signal(&srv->waker->cv);
		list = NULL;
	}
	/* Resumed under the lock, as a box that parks again waits for it. */
	resume_all(srv, list);
	resume_all(srv, left);
	pthread_mutex_unlock(&srv->park_mu);
}

long stream_pull(struct stream_box *b, char *buf, size_t max)
{
	static const char ping[] = ": ping\n\n";
	struct http_server *srv = b->srv;
	uint64_t seq;
	long n;

	for (;;) {
		pthread_mutex_lock(&srv->park_mu);
		seq = srv->wake_seq;
		pthread_mutex_unlock(&srv->park_mu);
		if (b->ended || atomic_load(&srv->stopping))
			return -1;
		n = b->s.read(b->s.ctx, buf, max);
		if (n < 0) {
			b->ended = true;
			return -1;
		}
		if (n > 0)
			return n;
		if (b->ping_seen != atomic_load(&srv->ping_seq) &&
		    max >= sizeof(ping)) {
			b->ping_seen = atomic_load(&srv->ping_seq);
			memcpy(buf, ping, sizeof(ping) - 1);
			return (long)sizeof(ping) - 1;
		}
		/* Nothing to send: park until woken, unless a wake-up came
		 * while we were reading. */
		pthread_mutex_lock(&srv->park_mu);
		if (seq == srv->wake_seq) {
			b->next_parked = srv->parked;
			srv->parked = b;
			srv->link->suspend(b->c);
			pthread_mutex_unlock(&srv->park_mu);
			return 0;
		}
		pthread_mutex_unlock(&srv->park_mu);
	}
}

void stream_box_free(struct stream_box *b)
{
	if (b->s.free)
		b->s.free(b->s.ctx);
	free(b);
}

struct stream_box *stream_box_new(struct conn *cn)
{
	struct stream_box *b = xcalloc(1, sizeof(*b));

	b->srv = cn->srv;
	b->c = cn->c;
	b->s = cn->rs.stream;
	b->ping_seen = atomic_load(&cn->srv->ping_seq);
	memset(&cn->rs.stream, 0, sizeof(cn->rs.stream));
	pthread_mutex_lock(&cn->srv->park_mu);
	waker_start(cn->srv);
	pthread_mutex_unlock(&cn->srv->park_mu);
	return b;
}
