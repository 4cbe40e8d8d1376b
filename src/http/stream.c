/*
 * stream.c - streamed answers: pulling from a struct resp_stream,
 * heartbeats, and parking the connection while there is nothing to send
 * (see stream.h). The connection is suspended and resumed through
 * srv->link; the library itself is server.c's.
 */
#include "http/stream.h"

#include <stdlib.h>
#include <string.h>

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

/* Resume every parked stream (new events, a heartbeat, the stop). */
void stream_wake(struct http_server *srv)
{
	struct stream_box *b;

	pthread_mutex_lock(&srv->park_mu);
	srv->wake_seq++;
	while ((b = srv->parked)) {
		srv->parked = b->next_parked;
		b->next_parked = NULL;
		srv->link->resume(b->c);
	}
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
	return b;
}
