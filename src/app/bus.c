/*
 * bus.c - the ring of recent events.
 */
#include "app/bus.h"

#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/xalloc.h"

void bus_init(struct bus *b)
{
	memset(b->ring, 0, sizeof(b->ring));
	b->first = b->last = 0;
	pthread_rwlock_init(&b->lock, NULL);
}

void bus_release(struct bus *b)
{
	for (int i = 0; i < BUS_RING; i++) {
		free(b->ring[i].kind);
		free(b->ring[i].data);
	}
	pthread_rwlock_destroy(&b->lock);
}

int bus_start(struct bus *b, struct store *st)
{
	int64_t last;
	int rc = store_event_last(st, &last);

	if (!rc) {
		pthread_rwlock_wrlock(&b->lock);
		b->first = b->last = last;
		pthread_rwlock_unlock(&b->lock);
	}
	return rc;
}

static int keep(void *ctx, int64_t id, int64_t at_ms, const char *kind,
		int64_t incident_id, const char *data)
{
	struct bus *b = ctx;
	struct bus_event *e = &b->ring[id % BUS_RING];

	(void)at_ms;
	free(e->kind);
	free(e->data);
	e->id = id;
	e->incident_id = incident_id;
	e->kind = xstrdup(kind);
	e->data = xstrdup(data);
	b->last = id;
	if (b->last - b->first > BUS_RING)
		b->first = b->last - BUS_RING;
	return 0;
}

bool bus_fill(struct bus *b, struct store *st)
{
	int64_t before, at;
	bool more;
	int rc;

	pthread_rwlock_wrlock(&b->lock);
	before = b->last;
	do {
		at = b->last;
		rc = store_event_list(st, b->last, 512, keep, b);
	} while (!rc && b->last != at);
	more = b->last != before;
	pthread_rwlock_unlock(&b->lock);
	return more;
}

int64_t bus_read(struct bus *b, int64_t after, int max, bus_fn *fn,
		 void *ctx)
{
	int64_t id;

	pthread_rwlock_rdlock(&b->lock);
	if (after < b->first) {
		pthread_rwlock_unlock(&b->lock);
		return -1;
	}
	/* Ids can have gaps on some engines: a slot whose id is not the one
	 * wanted holds nothing for it. */
	for (id = after + 1; id <= b->last && max-- > 0; id++)
		if (b->ring[id % BUS_RING].id == id)
			fn(ctx, &b->ring[id % BUS_RING]);
	pthread_rwlock_unlock(&b->lock);
	return id - 1;
}

int64_t bus_last(struct bus *b)
{
	int64_t v;

	pthread_rwlock_rdlock(&b->lock);
	v = b->last;
	pthread_rwlock_unlock(&b->lock);
	return v;
}
