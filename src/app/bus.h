/*
 * bus.h - the recent events, in memory, for live subscribers.
 *
 * The event log is the truth (table `event`, written in each change's
 * transaction). After each commit the writer copies the new rows into
 * this ring, once; every subscriber then reads them from memory, so a
 * thousand subscribers cost the writer one query per batch, not a
 * thousand. A subscriber that fell further behind than the ring holds
 * (a reconnect with an old Last-Event-ID) reads the table instead.
 */
#ifndef ERMS_APP_BUS_H
#define ERMS_APP_BUS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct store;

#define BUS_RING 4096

struct bus_event {
	int64_t id;
	int64_t incident_id;
	char *kind;		/* owned */
	char *data;		/* owned */
};

struct bus {
	pthread_rwlock_t lock;
	struct bus_event ring[BUS_RING];	/* by id % BUS_RING */
	int64_t first, last;	/* ids held: (first, last]; last = newest */
};

void bus_init(struct bus *b);
void bus_release(struct bus *b);
/* Start after the newest event of the log (call once, before serving). */
int bus_start(struct bus *b, struct store *st);
/* The id of the newest event held (0 before any). */
int64_t bus_last(struct bus *b);
/* Copy the events committed since the last call; true if there were. */
bool bus_fill(struct bus *b, struct store *st);

typedef void bus_fn(void *ctx, const struct bus_event *e);
/*
 * Call fn for up to max events after id `after`, in order; returns the
 * id of the last one given (after, when none), or -1 when the ring no
 * longer holds the event after `after` (read the log instead).
 */
int64_t bus_read(struct bus *b, int64_t after, int max, bus_fn *fn,
		 void *ctx);

#endif
