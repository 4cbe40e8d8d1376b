/*
 * limits.c - a small fixed table of token buckets keyed by login or
 * address. Open addressing with a short probe; when the probe finds no
 * room the stalest slot is reused, so an attacker spraying logins cannot
 * grow memory, only age out other keys' failures.
 */
#include "app/limits.h"

#include <stdio.h>
#include <string.h>

#define PROBE 16

void limits_init(struct login_limits *l)
{
	memset(l->slot, 0, sizeof(l->slot));
	pthread_mutex_init(&l->mu, NULL);
	if (!l->per_login.burst)
		l->per_login = (struct bucket_rule){ 5, 60 * 1000 };
	if (!l->per_addr.burst)
		l->per_addr = (struct bucket_rule){ 20, 15 * 1000 };
}

void limits_release(struct login_limits *l)
{
	pthread_mutex_destroy(&l->mu);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The slot for key, created full if absent. Caller holds l->mu. */
static struct bucket *find(struct login_limits *l, const char *key,
			   const struct bucket_rule *r, int64_t now_ms,
			   bool create)
{
	uint64_t h = hash(key);
	struct limit_slot *free_slot = NULL, *oldest = NULL, *victim;

	for (int i = 0; i < PROBE; i++) {
		struct limit_slot *s = &l->slot[(h + i) % LIMIT_SLOTS];

		if (!strcmp(s->key, key))
			return &s->b;
		if (!s->key[0] || bucket_full(&s->b, r, now_ms)) {
			if (!free_slot)
				free_slot = s;
		} else if (!oldest || s->b.updated_ms < oldest->b.updated_ms) {
			oldest = s;
		}
	}
	if (!create)
		return NULL;
	victim = free_slot ? free_slot : oldest;
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	bucket_init(&victim->b, r, now_ms);
	return &victim->b;
}

static int64_t wait_for(struct login_limits *l, const char *key,
			const struct bucket_rule *r, int64_t now_ms)
{
	struct bucket *b = find(l, key, r, now_ms, false);

	return b ? bucket_wait_ms(b, r, now_ms) : 0;
}

int64_t limits_check(struct login_limits *l, const char *login,
		     const char *addr, int64_t now_ms)
{
	char k1[LIMIT_KEY_MAX], k2[LIMIT_KEY_MAX];
	int64_t w1, w2;

	snprintf(k1, sizeof(k1), "l:%s", login);
	snprintf(k2, sizeof(k2), "a:%s", addr);
	pthread_mutex_lock(&l->mu);
	w1 = wait_for(l, k1, &l->per_login, now_ms);
	w2 = wait_for(l, k2, &l->per_addr, now_ms);
	pthread_mutex_unlock(&l->mu);
	if (w2 > w1)
		w1 = w2;
	return w1 ? (w1 + 999) / 1000 : 0;
}

void limits_fail(struct login_limits *l, const char *login, const char *addr,
		 int64_t now_ms)
{
	char k1[LIMIT_KEY_MAX], k2[LIMIT_KEY_MAX];

	snprintf(k1, sizeof(k1), "l:%s", login);
	snprintf(k2, sizeof(k2), "a:%s", addr);
	pthread_mutex_lock(&l->mu);
	bucket_take(find(l, k1, &l->per_login, now_ms, true), &l->per_login,
		    now_ms);
	bucket_take(find(l, k2, &l->per_addr, now_ms, true), &l->per_addr,
		    now_ms);
	pthread_mutex_unlock(&l->mu);
}
