/*
 * limits.h - sign-in attempt limits, per login and per client address.
 *
 * Each failed sign-in takes a token from the login's bucket and from the
 * address's; an empty bucket refuses further attempts (429) until it
 * refills, even with the right password, so guessing is slow for one
 * account and for one client. State is in memory, per node: a restart
 * forgets it, and several nodes each allow their own burst (noted for the
 * PostgreSQL issue).
 */
#ifndef ERMS_APP_LIMITS_H
#define ERMS_APP_LIMITS_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/ratelimit.h"

#define LIMIT_SLOTS 1024
#define LIMIT_KEY_MAX 80

struct limit_slot {
	char key[LIMIT_KEY_MAX];	/* "l:<login>" or "a:<address>", "" free */
	struct bucket b;
};

struct login_limits {
	pthread_mutex_t mu;
	struct bucket_rule per_login;
	struct bucket_rule per_addr;
	struct limit_slot slot[LIMIT_SLOTS];
};

void limits_init(struct login_limits *l);
void limits_release(struct login_limits *l);
/* 0 when an attempt may be made, else the seconds to wait. */
int64_t limits_check(struct login_limits *l, const char *login,
		     const char *addr, int64_t now_ms);
/* Count a failed attempt. */
void limits_fail(struct login_limits *l, const char *login, const char *addr,
		 int64_t now_ms);

#endif
