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

#include "store/store.h"

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

/*
 * The same limits kept in the database, for several nodes on one
 * database: each node's reservation reads and rewrites the rows of
 * (login, addr) in one write transaction (the caller's, on the writer),
 * so the nodes' attempts are counted together and at once.
 */
enum { ROW_ADDR, ROW_PAIR, ROW_LOGIN };

struct shared_state {
	struct limit_row row[3];
	struct bucket addr, pair;
	struct backoff login;
	struct signin_state s;
};

/* A bucket's tokens (never negative) in millionths, rounded. */
static int64_t to_micro(double tokens)
{
	return (int64_t)(tokens * 1e6 + 0.5);
}

/* Row k of (login, addr) into sh, fresh when absent. */
static int load_row(struct login_limits *l, struct store *st, int k,
		    const char *key, int64_t now_ms, struct shared_state *sh)
{
	struct limit_row *r = &sh->row[k];
	int rc = store_limit_get(st, k, key, r);

	if (rc == ERMS_ENOTFOUND) {
		struct bucket b;
		struct backoff o;

		bucket_init(&b, k == ROW_ADDR ? &l->rules.per_addr
					      : &l->rules.per_pair, now_ms);
		backoff_init(&o, now_ms);
		r->tokens_u = to_micro(b.tokens);
		r->updated_ms = b.updated_ms;
		r->fails = o.fails;
		r->decay_ms = o.decay_ms;
		r->next_ms = o.next_ms;
		rc = 0;
	}
	r->used_ms = now_ms;
	return rc;
}

static int load(struct login_limits *l, struct store *st, const char *login,
		const char *addr, int64_t now_ms, struct shared_state *sh)
{
	char k[LIMIT_KEY_MAX], a[64];
	int rc;

	signin_addr_key(addr, a, sizeof(a));
	rc = load_row(l, st, ROW_ADDR, a, now_ms, sh);
	snprintf(k, sizeof(k), "%s|%s", a, login);
	lower(k);
	if (!rc)
		rc = load_row(l, st, ROW_PAIR, k, now_ms, sh);
	snprintf(k, sizeof(k), "%s", login);
	lower(k);
	if (!rc)
		rc = load_row(l, st, ROW_LOGIN, k, now_ms, sh);
	sh->addr = (struct bucket){ sh->row[ROW_ADDR].tokens_u / 1e6,
				    sh->row[ROW_ADDR].updated_ms };
	sh->pair = (struct bucket){ sh->row[ROW_PAIR].tokens_u / 1e6,
				    sh->row[ROW_PAIR].updated_ms };
	sh->login = (struct backoff){ sh->row[ROW_LOGIN].fails,
				      sh->row[ROW_LOGIN].decay_ms,
				      sh->row[ROW_LOGIN].next_ms };
	sh->s = (struct signin_state){ &sh->addr, &sh->pair, &sh->login };
	return rc;
}

static int save(struct store *st, struct shared_state *sh)
{
	struct limit_row *r = sh->row;
	int rc;

	r[ROW_ADDR].tokens_u = to_micro(sh->addr.tokens);
	r[ROW_ADDR].updated_ms = sh->addr.updated_ms;
	r[ROW_PAIR].tokens_u = to_micro(sh->pair.tokens);
	r[ROW_PAIR].updated_ms = sh->pair.updated_ms;
	r[ROW_LOGIN].fails = sh->login.fails;
	r[ROW_LOGIN].decay_ms = sh->login.decay_ms;
	r[ROW_LOGIN].next_ms = sh->login.next_ms;
	rc = store_limit_put(st, &r[ROW_ADDR]);
	if (!rc)
		rc = store_limit_put(st, &r[ROW_PAIR]);
	if (!rc)
		rc = store_limit_put(st, &r[ROW_LOGIN]);
	return rc;
}

int limits_reserve_in(struct login_limits *l, struct store *st,
		      const char *login, const char *addr, int64_t now_ms,
		      int64_t *wait_s)
{
	struct shared_state sh;
	int64_t w;
	int rc = load(l, st, login, addr, now_ms, &sh);

	*wait_s = 0;
	if (rc)
		return rc;
	w = signin_reserve(&l->rules, &sh.s, now_ms);
	*wait_s = w ? (w + 999) / 1000 : 0;
	return w ? 0 : save(st, &sh);
}

int limits_release_in(struct login_limits *l, struct store *st,
		      const char *login, const char *addr, int64_t now_ms)
{
	struct shared_state sh;
	int rc = load(l, st, login, addr, now_ms, &sh);

	if (rc)
		return rc;
	signin_release(&l->rules, &sh.s, now_ms);
	return save(st, &sh);
}
