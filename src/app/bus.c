/*
 * bus.c - the ring of recent events, rendered once.
 */
#include "app/bus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "util/xalloc.h"

/* Rows taken from the log per query, and so per turn of the write
 * lock. */
#define FILL_CHUNK 512

void bus_init(struct bus *b)
{
	memset(b->ring, 0, sizeof(b->ring));
	b->first = b->last = 0;
	pthread_rwlock_init(&b->lock, NULL);
	pthread_mutex_init(&b->fill_mu, NULL);
}

void bus_release(struct bus *b)
{
	for (int i = 0; i < BUS_RING; i++)
		free(b->ring[i].frame);
	pthread_rwlock_destroy(&b->lock);
	pthread_mutex_destroy(&b->fill_mu);
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

void bus_render(struct buf *out, int64_t id, const char *kind,
		const char *data)
{
	char head[64];
	int n = snprintf(head, sizeof(head), "id: %lld\nevent: ",
			 (long long)id);

	buf_add(out, head, (size_t)n);
	buf_adds(out, kind);
	buf_add(out, "\ndata: ", 7);
	buf_adds(out, data);
	buf_add(out, "\n\n", 2);
}

/* Events read from the log, rendered, not yet in the ring. */
struct fill {
	int n;
	int64_t last;
	struct bus_event ev[FILL_CHUNK];
};

static int take(void *ctx, int64_t id, int64_t at_ms, const char *kind,
		int64_t incident_id, const char *data)
{
	struct fill *f = ctx;
	struct buf b = BUF_INIT;

	(void)at_ms;
	(void)incident_id;
	bus_render(&b, id, kind, data);
	f->ev[f->n].id = id;
	f->ev[f->n].frame = buf_detach(&b, &f->ev[f->n].len);
	f->n++;
	f->last = id;
	return 0;
}

/*
 * Put f's frames in the ring and give f the frames they replace: the
 * write lock is held for the swap only, not for the query, the
 * rendering or the frees.
 */
static void install(struct bus *b, struct fill *f)
{
	pthread_rwlock_wrlock(&b->lock);
	for (int i = 0; i < f->n; i++) {
		struct bus_event *e = &b->ring[f->ev[i].id % BUS_RING];
		struct bus_event old = *e;

		*e = f->ev[i];
		f->ev[i] = old;
		b->last = e->id;
		if (b->last - b->first > BUS_RING)
			b->first = b->last - BUS_RING;
	}
	pthread_rwlock_unlock(&b->lock);
	for (int i = 0; i < f->n; i++)
		free(f->ev[i].frame);
}

bool bus_fill(struct bus *b, struct store *st)
{
	struct fill *f = xmalloc(sizeof(*f));
	int64_t before, at;
	int rc;

	/* Only a filler moves b->last, and fillers take turns: reading it
	 * under fill_mu alone is safe. */
	pthread_mutex_lock(&b->fill_mu);
	before = at = b->last;
	do {
		f->n = 0;
		rc = store_event_list(st, at, FILL_CHUNK, take, f);
		if (f->n)
			at = f->last;
		install(b, f);
	} while (!rc && f->n == FILL_CHUNK);
	pthread_mutex_unlock(&b->fill_mu);
	free(f);
	return at != before;
}

long bus_copy(struct bus *b, struct bus_pos *pos, bool see, char *dst,
	      size_t max)
{
	size_t n = 0;

	pthread_rwlock_rdlock(&b->lock);
	if (pos->after < b->first) {
		pthread_rwlock_unlock(&b->lock);
		return -1;
	}
	while (pos->after < b->last && n < max) {
		int64_t id = pos->after + 1;
		const struct bus_event *e = &b->ring[id % BUS_RING];

		/* Ids can have gaps on some engines: a slot whose id is not
		 * the one wanted holds nothing for it. */
		if (see && e->id == id) {
			size_t k = e->len - pos->off;

			if (k > max - n)
				k = max - n;
			memcpy(dst + n, e->frame + pos->off, k);
			n += k;
			pos->off += k;
			if (pos->off < e->len)
				break;
		}
		pos->after = id;
		pos->off = 0;
	}
	pthread_rwlock_unlock(&b->lock);
	return (long)n;
}

int bus_log_first(struct store *st, int64_t *id)
{
	return store_event_first(st, id);
}

int64_t bus_last(struct bus *b)
{
	int64_t v;

	pthread_rwlock_rdlock(&b->lock);
	v = b->last;
	pthread_rwlock_unlock(&b->lock);
	return v;
}
