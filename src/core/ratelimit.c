/*
 * ratelimit.c - token bucket and backoff arithmetic.
 */
#include "core/ratelimit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

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

void bucket_give(struct bucket *b, const struct bucket_rule *r, int64_t now_ms)
{
	refill(b, r, now_ms);
	b->tokens += 1.0;
	if (b->tokens > r->burst)
		b->tokens = r->burst;
}

/* Forget one failure per forget_ms since b->decay_ms. */
static void forget(struct backoff *b, const struct backoff_rule *r,
		   int64_t now_ms)
{
	int64_t n;

	if (now_ms <= b->decay_ms || r->forget_ms <= 0)
		return;
	n = (now_ms - b->decay_ms) / r->forget_ms;
	if (n >= b->fails) {
		b->fails = 0;
		b->decay_ms = now_ms;
		return;
	}
	b->fails -= (int)n;
	b->decay_ms += n * r->forget_ms;
}

void backoff_init(struct backoff *b, int64_t now_ms)
{
	b->fails = 0;
	b->decay_ms = now_ms;
	b->next_ms = 0;
}

int64_t backoff_delay_ms(const struct backoff_rule *r, int fails)
{
	int64_t d = r->base_ms;

	if (fails <= r->free)
		return 0;
	for (int i = r->free + 1; i < fails && d < r->cap_ms; i++)
		d *= 2;
	return d < r->cap_ms ? d : r->cap_ms;
}

int64_t backoff_wait_ms(struct backoff *b, const struct backoff_rule *r,
			int64_t now_ms)
{
	forget(b, r, now_ms);
	if (b->next_ms > now_ms + r->cap_ms)	/* the clock went back */
		b->next_ms = now_ms + r->cap_ms;
	return b->next_ms > now_ms ? b->next_ms - now_ms : 0;
}

bool backoff_take(struct backoff *b, const struct backoff_rule *r,
		  int64_t now_ms)
{
	if (backoff_wait_ms(b, r, now_ms))
		return false;
	if (b->fails == 0)
		b->decay_ms = now_ms;
	b->fails++;
	b->next_ms = now_ms + backoff_delay_ms(r, b->fails);
	return true;
}

void backoff_give(struct backoff *b, const struct backoff_rule *r,
		  int64_t now_ms)
{
	forget(b, r, now_ms);
	if (b->fails > 0)
		b->fails--;
	b->next_ms = 0;
}

bool backoff_idle(struct backoff *b, const struct backoff_rule *r,
		  int64_t now_ms)
{
	return !backoff_wait_ms(b, r, now_ms) && b->fails == 0;
}

void signin_addr_key(const char *addr, char *out, size_t n)
{
	struct in6_addr a;
	char s[INET6_ADDRSTRLEN];

	if (!strchr(addr, ':') || inet_pton(AF_INET6, addr, &a) != 1 ||
	    IN6_IS_ADDR_V4MAPPED(&a)) {
		snprintf(out, n, "%s", addr);
		return;
	}
	memset(a.s6_addr + 8, 0, 8);
	inet_ntop(AF_INET6, &a, s, sizeof(s));
	snprintf(out, n, "%s/64", s);
}

void signin_rules_default(struct signin_rules *r)
{
	r->per_addr = (struct bucket_rule){ 20, 15 * 1000 };
	r->per_pair = (struct bucket_rule){ 5, 60 * 1000 };
	r->per_login = (struct backoff_rule){ 10, 1000, 60 * 1000,
					      5 * 60 * 1000 };
}

/* The larger of a and b. */
static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

int64_t signin_reserve(const struct signin_rules *r, struct signin_state *s,
		       int64_t now_ms)
{
	int64_t w = 0;

	if (s->addr)
		w = max64(w, bucket_wait_ms(s->addr, &r->per_addr, now_ms));
	if (s->pair)
		w = max64(w, bucket_wait_ms(s->pair, &r->per_pair, now_ms));
	if (s->login)
		w = max64(w, backoff_wait_ms(s->login, &r->per_login, now_ms));
	if (w)
		return w;
	if (s->addr)
		bucket_take(s->addr, &r->per_addr, now_ms);
	if (s->pair)
		bucket_take(s->pair, &r->per_pair, now_ms);
	if (s->login)
		backoff_take(s->login, &r->per_login, now_ms);
	return 0;
}

void signin_release(const struct signin_rules *r, struct signin_state *s,
		    int64_t now_ms)
{
	if (s->addr)
		bucket_give(s->addr, &r->per_addr, now_ms);
	if (s->pair)
		bucket_give(s->pair, &r->per_pair, now_ms);
	if (s->login)
		backoff_give(s->login, &r->per_login, now_ms);
}
