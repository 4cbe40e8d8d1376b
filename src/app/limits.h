/*
 * limits.h - sign-in attempt limits: per client address, per (login,
 * address) pair, and a slower per-login backoff (core/ratelimit.h).
 *
 * Wrong passwords from one address exhaust that address's and that
 * pair's buckets only: the right password from another address still
 * signs in. Failures for one login from everywhere only slow it (1 s
 * doubling to 60 s after ten), so nobody can lock its owner out for
 * longer than a minute. An attempt is reserved before the password hash
 * is checked, so parallel guesses cannot pass the limits.
 *
 * One node (an embedded database) keeps the state in memory, which is
 * fastest: a restart forgets it. Several nodes sharing a database keep
 * it there (limits_*_in, inside a write transaction), so that their
 * attempts count together and a restart forgets nothing.
 */
#ifndef ERMS_APP_LIMITS_H
#define ERMS_APP_LIMITS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ratelimit.h"

#define LIMIT_SLOTS 1024
#define LIMIT_KEY_MAX 128

struct limit_slot {
	char key[LIMIT_KEY_MAX];	/* "" when free */
	struct bucket b;		/* address and pair tables */
	struct backoff k;		/* login table */
	int64_t used_ms;		/* last looked up */
};

struct limit_table {
	struct limit_slot slot[LIMIT_SLOTS];
};

struct login_limits {
	pthread_mutex_t mu;
	struct signin_rules rules;
	/* Apart, so that spraying one kind cannot age out another. */
	struct limit_table addrs, pairs, logins;
};

void limits_init(struct login_limits *l);
void limits_release(struct login_limits *l);
/*
 * Reserve one attempt for login from addr: 0 when it may be made (the
 * attempt now counts as a failure), else the seconds to wait (nothing
 * counted).
 */
int64_t limits_reserve(struct login_limits *l, const char *login,
		       const char *addr, int64_t now_ms);
/* The reserved attempt was no wrong guess: give it back. */
void limits_release_attempt(struct login_limits *l, const char *login,
			    const char *addr, int64_t now_ms);

struct store;

/* The same on the rows in st (inside a write transaction): the state of
 * every node. 0 or a store error; *wait_s as limits_reserve's answer. */
int limits_reserve_in(struct login_limits *l, struct store *st,
		      const char *login, const char *addr, int64_t now_ms,
		      int64_t *wait_s);
int limits_release_in(struct login_limits *l, struct store *st,
		      const char *login, const char *addr, int64_t now_ms);

#endif
