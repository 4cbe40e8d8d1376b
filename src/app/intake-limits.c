/*
 * intake-limits.c - the per-integration token buckets (intake-limits.h).
 */
#include "app/intake-limits.h"

#include <string.h>

void intake_limits_init(struct intake_limits *l)
{
	memset(l->slot, 0, sizeof(l->slot));
	memset(l->key, 0, sizeof(l->key));
	atomic_store(&l->key_gen, 1);
	atomic_store(&l->key_dirty, false);
	pthread_mutex_init(&l->mu, NULL);
}

void intake_limits_release(struct intake_limits *l)
{
	pthread_mutex_destroy(&l->mu);
}

/* The slot of id, else a free one, else the one idle longest. */
static struct intake_bucket *slot_of(struct intake_limits *l, int64_t id)
{
	struct intake_bucket *free_slot = NULL, *oldest = &l->slot[0];
	size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull >> 56);

	for (size_t i = 0; i < INTAKE_LIMIT_SLOTS; i++) {
		struct intake_bucket *b =
			&l->slot[(h + i) % INTAKE_LIMIT_SLOTS];

		if (b->id == id)
			return b;
		if (!b->id && !free_slot)
			free_slot = b;
		if (b->updated_ms < oldest->updated_ms)
			oldest = b;
	}
	return free_slot ? free_slot : oldest;
}

int64_t intake_limits_take(struct intake_limits *l, int64_t id,
			   int64_t rate, int64_t now_ms)
{
	struct intake_bucket *b;
	int64_t wait = 0;

	if (rate <= 0)
		rate = 1;
	pthread_mutex_lock(&l->mu);
	b = slot_of(l, id);
	if (b->id != id || b->rate != rate) {
		*b = (struct intake_bucket){ .id = id, .tokens = (double)rate,
					     .updated_ms = now_ms,
					     .rate = rate };
	} else if (now_ms > b->updated_ms) {
		b->tokens += (double)(now_ms - b->updated_ms) *
			     (double)rate / 60000.0;
		if (b->tokens > (double)rate)
			b->tokens = (double)rate;
		b->updated_ms = now_ms;
	}
	if (b->tokens >= 1.0) {
		b->tokens -= 1.0;
	} else {
		wait = (int64_t)((1.0 - b->tokens) * 60000.0 / (double)rate)
		       + 1;
	}
	pthread_mutex_unlock(&l->mu);
	return wait;
}

int64_t intake_keys_gen(struct intake_limits *l)
{
	return atomic_load(&l->key_gen);
}

static struct intake_key *key_slot(struct intake_limits *l, const char *hash)
{
	size_t h = 0;

	for (int i = 0; i < 8 && hash[i]; i++)
		h = h * 16 + (size_t)(hash[i] <= '9' ? hash[i] - '0'
						  : hash[i] - 'a' + 10);
	return &l->key[h % INTAKE_KEY_SLOTS];
}

bool intake_keys_get(struct intake_limits *l, const char *hash,
		     struct intake_key *out)
{
	int64_t gen = atomic_load(&l->key_gen);
	struct intake_key *k;
	bool hit;

	pthread_mutex_lock(&l->mu);
	k = key_slot(l, hash);
	hit = k->gen == gen && !strcmp(k->hash, hash);
	if (hit)
		*out = *k;
	pthread_mutex_unlock(&l->mu);
	return hit;
}

void intake_keys_put(struct intake_limits *l, const struct intake_key *k)
{
	pthread_mutex_lock(&l->mu);
	*key_slot(l, k->hash) = *k;
	pthread_mutex_unlock(&l->mu);
}

void intake_keys_changed(struct intake_limits *l)
{
	atomic_store(&l->key_dirty, true);
}

void intake_keys_committed(struct intake_limits *l, bool remote)
{
	if (atomic_exchange(&l->key_dirty, false) || remote)
		atomic_fetch_add(&l->key_gen, 1);
}
