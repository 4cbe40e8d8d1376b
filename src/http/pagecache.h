/*
 * pagecache.h - rendered answers kept for a moment, owned by the server.
 *
 * The public status views are the same for every reader until the next
 * event; a handler renders one once, keeps it in a slot and answers the
 * next requests from it. The server owns the cache (one per server, made
 * with it, freed with it); handlers reach it through req->pages. Each
 * slot has its own lock.
 */
#ifndef ERMS_HTTP_PAGECACHE_H
#define ERMS_HTTP_PAGECACHE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define PAGE_CACHE_SLOTS 8

struct kept_page {
	pthread_mutex_t mu;
	int64_t event;		/* the newest event when it was rendered */
	int64_t at_ms;
	char *body;		/* NULL: nothing kept */
	size_t len;
	char etag[24];
};

struct page_cache {
	struct kept_page slot[PAGE_CACHE_SLOTS];
};

/* An empty cache. */
void page_cache_init(struct page_cache *c);
/* Free every body kept and the locks; no handler may still use c. */
void page_cache_release(struct page_cache *c);

#endif
