/*
 * limits.c - three small fixed tables of sign-in state keyed by address,
 * by pair and by login. Open addressing with a short probe; when the
 * probe finds no room the stalest slot is reused, so an attacker spraying
 * keys cannot grow memory, only age out other keys of the same table.
 */
#include "app/limits.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define PROBE 16

void limits_init(struct login_limits *l)
{
	memset(&l->addrs, 0, sizeof(l->addrs));
	memset(&l->pairs, 0, sizeof(l->pairs));
	memset(&l->logins, 0, sizeof(l->logins));
	pthread_mutex_init(&l->mu, NULL);
	if (!l->rules.per_addr.burst)
		signin_rules_default(&l->rules);
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

/* Whether slot s holds nothing worth keeping at now_ms. */
static bool idle(struct login_limits *l, struct limit_table *t,
		 struct limit_slot *s, int64_t now_ms)
{
	if (!s->key[0])
		return true;
	if (t == &l->logins)
		return backoff_idle(&s->k, &l->rules.per_login, now_ms);
	return bucket_full(&s->b, t == &l->addrs ? &l->rules.per_addr
						 : &l->rules.per_pair, now_ms);
}

/* The slot for key, created fresh if absent. Caller holds l->mu. */
static struct limit_slot *find(struct login_limits *l, struct limit_table *t,
			       const char *key, int64_t now_ms)
{
	uint64_t h = hash(key);
	struct limit_slot *free_slot = NULL, *oldest = NULL, *v;

	for (int i = 0; i < PROBE; i++) {
		struct limit_slot *s = &t->slot[(h + (uint64_t)i) % LIMIT_SLOTS];

		if (!strcmp(s->key, key)) {
			s->used_ms = now_ms;
			return s;
		}
		if (idle(l, t, s, now_ms)) {
			if (!free_slot)
				free_slot = s;
		} else if (!oldest || s->used_ms < oldest->used_ms) {
			oldest = s;
		}
	}
	v = free_slot ? free_slot : oldest;
	snprintf(v->key, sizeof(v->key), "%s", key);
	bucket_init(&v->b, t == &l->addrs ? &l->rules.per_addr
					  : &l->rules.per_pair, now_ms);
	backoff_init(&v->k, now_ms);
	v->used_ms = now_ms;
	return v;
}

/* Logins are keyed in lower case, so that case does not make a new key. */
static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* The three states of (login, addr). Caller holds l->mu. */
static void states(struct login_limits *l, const char *login,
		   const char *addr, int64_t now_ms, struct signin_state *s)
{
	char k[LIMIT_KEY_MAX], a[64];

	signin_addr_key(addr, a, sizeof(a));
	s->addr = &find(l, &l->addrs, a, now_ms)->b;
	snprintf(k, sizeof(k), "%s|%s", a, login);
	lower(k);
	s->pair = &find(l, &l->pairs, k, now_ms)->b;
	snprintf(k, sizeof(k), "%s", login);
	lower(k);
	s->login = &find(l, &l->logins, k, now_ms)->k;
}

int64_t limits_reserve(struct login_limits *l, const char *login,
		       const char *addr, int64_t now_ms)
{
	struct signin_state s;
	int64_t w;

	pthread_mutex_lock(&l->mu);
	states(l, login, addr, now_ms, &s);
	w = signin_reserve(&l->rules, &s, now_ms);
	pthread_mutex_unlock(&l->mu);
	return w ? (w + 999) / 1000 : 0;
}

void limits_release_attempt(struct login_limits *l, const char *login,
			    const char *addr, int64_t now_ms)
{
	struct signin_state s;

	pthread_mutex_lock(&l->mu);
	states(l, login, addr, now_ms, &s);
	signin_release(&l->rules, &s, now_ms);
	pthread_mutex_unlock(&l->mu);
}
