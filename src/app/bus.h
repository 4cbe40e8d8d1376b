/*
 * bus.h - the recent events, in memory, for live subscribers.
 *
 * The event log is the truth (table `event`, written in each change's
 * transaction). After each commit the writer copies the new rows into
 * this ring, once, already rendered as the Server-Sent Events frame
 * every subscriber sends ("id: N\nevent: K\ndata: ...\n\n"); a
 * subscriber then copies the same bytes from the ring into its
 * connection's buffer and keeps only its place (an event id and an
 * offset in that event's frame). So a thousand subscribers cost the
 * writer one query and one rendering per event, not a thousand, and
 * hold no copy of their own. A subscriber that fell further behind than
 * the ring holds (a reconnect with an old Last-Event-ID) reads the table
 * instead, rendered by the same function, so the bytes are the same.
 */
#ifndef ERMS_APP_BUS_H
#define ERMS_APP_BUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct store;

#define BUS_RING 4096

struct bus_event {
	int64_t id;
	char *frame;		/* owned: the rendered SSE frame */
	size_t len;
};

/*
 * Frames are replaced only under the write lock, and readers copy them
 * only under the read lock, so a frame is freed only once no reader can
 * still be copying it.
 */
struct bus {
	pthread_rwlock_t lock;
	pthread_mutex_t fill_mu;	/* one bus_fill() at a time */
	struct bus_event ring[BUS_RING];	/* by id % BUS_RING */
	int64_t first, last;	/* ids held: (first, last]; last = newest */
};

void bus_init(struct bus *b);
void bus_release(struct bus *b);
/* Start after the newest event of the log (call once, before serving). */
int bus_start(struct bus *b, struct store *st);
/* The id of the newest event held (0 before any). */
int64_t bus_last(struct bus *b);
/* Copy the events committed since the last call; true if there were.
 * The writer calls it after its commits and the listening thread after
 * other nodes' (app/listen.h): one at a time, so each event goes into
 * the ring once, in id order. */
bool bus_fill(struct bus *b, struct store *st);

/* The oldest event's id the log still holds (0: none); the events
 * before it were pruned (app/tick.h). 0 or an ERMS_E* code. */
int bus_log_first(struct store *st, int64_t *id);

/* Append event id's SSE frame to out: the one rendering of an event. */
void bus_render(struct buf *out, int64_t id, const char *kind,
		const char *data);

/* A subscriber's place: the events up to `after` are sent, and `off`
 * bytes of the next one's frame. */
struct bus_pos {
	int64_t after;
	size_t off;
};

/*
 * Copy the frames from *pos on into dst, up to max bytes (a frame may be
 * cut: *pos says where), and move *pos past what was copied. With see
 * false, nothing is copied and *pos moves past every event held (a
 * subscriber who may not read them). Returns the bytes copied (0: none
 * yet), or -1 when the ring no longer holds the event after pos->after
 * (read the log instead).
 */
long bus_copy(struct bus *b, struct bus_pos *pos, bool see, char *dst,
	      size_t max);

#endif
