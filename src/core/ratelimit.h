/*
 * ratelimit.h - a token bucket, pure: time is passed in.
 *
 * A bucket holds up to `burst` tokens and gains one every `period_ms`.
 * Used for sign-in attempts (one token per failure) and, later, for the
 * per-channel limits of chat robots.
 *
 * A backoff only slows: after `free` failures each further attempt must
 * wait base_ms, doubling per failure, never more than cap_ms; failures
 * are forgotten one per decay_ms. It never refuses for longer than cap_ms.
 *
 * signin_* combine both for sign-in: a bucket per address, a bucket per
 * (login, address) pair and a backoff per login. An attempt is reserved
 * (counted as a failure) before the password is checked, so parallel
 * guesses cannot pass the limits, and given back when it succeeds.
 */
#ifndef ERMS_CORE_RATELIMIT_H
#define ERMS_CORE_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bucket {
	double tokens;
	int64_t updated_ms;
};

struct bucket_rule {
	int burst;
	int64_t period_ms;
};

/* A full bucket at now_ms. */
void bucket_init(struct bucket *b, const struct bucket_rule *r, int64_t now_ms);
/* Take one token if there is one; returns whether it was taken. */
bool bucket_take(struct bucket *b, const struct bucket_rule *r, int64_t now_ms);
/* Whether a token is available, without taking it. */
bool bucket_has(struct bucket *b, const struct bucket_rule *r, int64_t now_ms);
/* Milliseconds until the next token (0 when one is there). */
int64_t bucket_wait_ms(struct bucket *b, const struct bucket_rule *r,
		       int64_t now_ms);
/* Whether the bucket is full (and can be forgotten). */
bool bucket_full(struct bucket *b, const struct bucket_rule *r, int64_t now_ms);
/* Give one token back (never above the burst). */
void bucket_give(struct bucket *b, const struct bucket_rule *r, int64_t now_ms);

struct backoff {
	int fails;		/* failures not yet forgotten */
	int64_t decay_ms;	/* when the last one was forgotten (or began) */
	int64_t next_ms;	/* no attempt before this */
};

struct backoff_rule {
	int free;		/* failures allowed with no delay */
	int64_t base_ms;	/* the first delay */
	int64_t cap_ms;		/* the longest delay */
	int64_t forget_ms;	/* one failure forgotten per this */
};

/* No failures at now_ms. */
void backoff_init(struct backoff *b, int64_t now_ms);
/* The delay after `fails` failures: 0 up to r->free, then doubling. */
int64_t backoff_delay_ms(const struct backoff_rule *r, int fails);
/* Milliseconds until an attempt may be made (0: now). */
int64_t backoff_wait_ms(struct backoff *b, const struct backoff_rule *r,
			int64_t now_ms);
/* Reserve an attempt, counted as a failure; false when it must wait. */
bool backoff_take(struct backoff *b, const struct backoff_rule *r,
		  int64_t now_ms);
/* The reserved attempt succeeded: uncount it, and lift the delay. */
void backoff_give(struct backoff *b, const struct backoff_rule *r,
		  int64_t now_ms);
/* Whether nothing is remembered (the state can be forgotten). */
bool backoff_idle(struct backoff *b, const struct backoff_rule *r,
		  int64_t now_ms);

struct signin_rules {
	struct bucket_rule per_addr;	/* failures from one address */
	struct bucket_rule per_pair;	/* ... for one login from it */
	struct backoff_rule per_login;	/* ... for one login, anywhere */
};

/* The three states one attempt touches (any may be NULL: not limited). */
struct signin_state {
	struct bucket *addr;
	struct bucket *pair;
	struct backoff *login;
};

/*
 * The key that stands for a client address in the limits: an IPv4
 * address (or an IPv4-mapped IPv6 one) as it is, an IPv6 address by its
 * /64, since one host commonly holds a whole /64.
 */
void signin_addr_key(const char *addr, char *out, size_t n);
/* The default rules: 20 per address (one back per 15 s), 5 per pair (one
 * back per minute), and per login 10 free then 1 s doubling to 60 s. */
void signin_rules_default(struct signin_rules *r);
/*
 * Reserve an attempt: returns 0 with a token taken from every state, or
 * the milliseconds to wait with nothing taken.
 */
int64_t signin_reserve(const struct signin_rules *r, struct signin_state *s,
		       int64_t now_ms);
/* The reserved attempt was not a wrong guess (right password, or the
 * check could not be made): give everything back. A wrong guess keeps
 * the reservation; nothing needs calling. */
void signin_release(const struct signin_rules *r, struct signin_state *s,
		    int64_t now_ms);

#endif
