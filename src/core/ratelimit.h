/*
 * ratelimit.h - a token bucket, pure: time is passed in.
 *
 * A bucket holds up to `burst` tokens and gains one every `period_ms`.
 * Used for sign-in attempts (one token per failure) and, later, for the
 * per-channel limits of chat robots.
 */
#ifndef ERMS_CORE_RATELIMIT_H
#define ERMS_CORE_RATELIMIT_H

#include <stdbool.h>
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

#endif
