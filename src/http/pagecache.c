/*
 * pagecache.c - the server's cache of rendered answers.
 */
#include "http/pagecache.h"

#include <stdlib.h>
#include <string.h>

void page_cache_init(struct page_cache *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < PAGE_CACHE_SLOTS; i++)
		pthread_mutex_init(&c->slot[i].mu, NULL);
}

void page_cache_release(struct page_cache *c)
{
	for (int i = 0; i < PAGE_CACHE_SLOTS; i++) {
		free(c->slot[i].body);
		c->slot[i].body = NULL;
		pthread_mutex_destroy(&c->slot[i].mu);
	}
}
