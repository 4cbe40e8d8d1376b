/*
 * intake-limits.h - the per-integration rate limits of monitoring intake,
 * in memory: one token bucket per integration, of rate_limit_per_min
 * tokens that refill at that rate. A request takes a token; an empty
 * bucket tells how long until the next.
 */
#ifndef ERMS_APP_INTAKE_LIMITS_H
#define ERMS_APP_INTAKE_LIMITS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/types.h"
#include "util/crypto.h"

#define INTAKE_LIMIT_SLOTS 256
#define INTAKE_KEY_SLOTS 64

struct intake_bucket {
	int64_t id;		/* the integration; 0 when free */
	double tokens;
	int64_t updated_ms;
	int64_t rate;		/* per minute, as last seen */
};

/* An enabled integration as its key admits it, read at generation gen. */
struct intake_key {
	char hash[SHA256_HEX_LEN];	/* the key's; "" when free */
	int64_t gen;
	int64_t id;
	int kind;			/* enum intake_kind */
	int64_t rate;			/* per minute */
	char name[NAME_MAX_ + 1];
};

struct intake_limits {
	pthread_mutex_t mu;
	struct intake_bucket slot[INTAKE_LIMIT_SLOTS];
	/* The keys admitted lately, so that a payload's key costs no
	 * query: an entry stands while the generation is the one it was
	 * read at. Every committed write of an integration moves it on
	 * (dirty set in the transaction, the generation moved after the
	 * commit, before any answer goes), and so does every commit of
	 * another node seen. */
	struct intake_key key[INTAKE_KEY_SLOTS];
	_Atomic int64_t key_gen;
	_Atomic bool key_dirty;
};

void intake_limits_init(struct intake_limits *l);
void intake_limits_release(struct intake_limits *l);
/*
 * Take a token of integration id's bucket (rate tokens a minute, as
 * many at most): 0 when taken, else the milliseconds until one is
 * there. A bucket not seen before, or whose rate changed, starts full.
 */
int64_t intake_limits_take(struct intake_limits *l, int64_t id,
			   int64_t rate, int64_t now_ms);

/* The generation now: read it before the query whose answer is put. */
int64_t intake_keys_gen(struct intake_limits *l);
/* The entry of hash read at the generation now into *out, else false. */
bool intake_keys_get(struct intake_limits *l, const char *hash,
		     struct intake_key *out);
void intake_keys_put(struct intake_limits *l, const struct intake_key *k);
/* An integration is written in the open transaction. */
void intake_keys_changed(struct intake_limits *l);
/* A transaction committed (remote: another node's, whatever it wrote):
 * the entries read before it stand no more if it may have written an
 * integration. */
void intake_keys_committed(struct intake_limits *l, bool remote);

#endif
