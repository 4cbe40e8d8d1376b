/*
 * ratelimit.c - token bucket arithmetic.
 */
#include "core/ratelimit.h"

static void refill(struct bucket *b, const struct bucket_rule *r,
		   int64_t now_ms)
{
	if (now_ms > b->updated_ms && r->period_ms > 0) {
		b->tokens += (double)(now_ms - b->updated_ms) /
			     (double)r->period_ms;
		if (b->tokens > r->burst)
			b->tokens = r->burst;
	}
	if (now_ms > b->updated_ms)
		b->updated_ms = now_ms;
}

void bucket_init(struct bucket *b, const struct bucket_rule *r, int64_t now_ms)
{
	b->tokens = r->burst;
	b->updated_ms = now_ms;
}

bool bucket_take(struct bucket *b, const struct bucket_rule *r, int64_t now_ms)
{
	refill(b, r, now_ms);
	if (b->tokens < 1.0)
		return false;
	b->tokens -= 1.0;
	return true;
}

bool bucket_has(struct bucket *b, const struct bucket_rule *r, int64_t now_ms)
{
	refill(b, r, now_ms);
	return b->tokens >= 1.0;
}

int64_t bucket_wait_ms(struct bucket *b, const struct bucket_rule *r,
		       int64_t now_ms)
{
	refill(b, r, now_ms);
	if (b->tokens >= 1.0)
		return 0;
	return (int64_t)((1.0 - b->tokens) * (double)r->period_ms) + 1;
}

bool bucket_full(struct bucket *b, const struct bucket_rule *r, int64_t now_ms)
{
	refill(b, r, now_ms);
	return b->tokens >= r->burst;
}
