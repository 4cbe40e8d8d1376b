/*
 * store.c - the storage interface's frame: backend choice, transactions,
 * and the helpers the entity files (users.c, groups.c, ...) share: the
 * query shorthands and the column-table decoder of store-int.h.
 *
 * Text is copied into the fixed-size fields of core/types.h, whose limits
 * the API enforces on the way in.
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store-int.h"
#include "util/xalloc.h"

static const struct store_ops *const backends[] = {
	&store_sqlite_ops,
	&store_postgres_ops,
};

/* The backend of url's scheme: a plain path is SQLite; postgres:// and
 * postgresql:// (any libpq URI) are PostgreSQL. */
static const struct store_ops *backend_for(const char *url)
{
	const char *colon = strchr(url, ':');

	if (!strncmp(url, "postgres://", 11) ||
	    !strncmp(url, "postgresql://", 13))
		return &store_postgres_ops;
	for (size_t i = 0; colon && i < ARRAY_SIZE(backends); i++) {
		size_t n = strlen(backends[i]->scheme);

		if ((size_t)(colon - url) == n &&
		    !strncmp(url, backends[i]->scheme, n))
			return backends[i];
	}
	return &store_sqlite_ops;	/* a plain path */
}

int store_open(struct store **out, const char *url, unsigned flags,
	       struct errbuf *err)
{
	const struct store_ops *ops = backend_for(url);

	if (!ops)
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "no storage backend for '%s' in this build",
			       url);
	return ops->open(out, url, flags, err);
}

void store_close(struct store *st)
{
	if (st)
		st->ops->close(st);
}

const char *store_kind(const struct store *st)
{
	return st->ops->scheme;
}

const char *store_engine_version(const char *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(backends); i++)
		if (!strcmp(backends[i]->scheme, kind))
			return backends[i]->version();
	return NULL;
}

int store_schema(struct store *st, int *have, int *want)
{
	return st->ops->schema(st, have, want);
}

int store_migrate(struct store *st, int *from, int *to, struct errbuf *err)
{
	return st->ops->migrate(st, from, to, err);
}

int store_backup(struct store *st, const char *path, struct errbuf *err)
{
	return st->ops->backup(st, path, err);
}

int store_begin(struct store *st)
{
	return st->ops->begin(st);
}

int store_commit(struct store *st)
{
	return st->ops->commit(st);
}

int store_rollback(struct store *st)
{
	return st->ops->rollback(st);
}

int store_savepoint(struct store *st)
{
	return st->ops->savepoint(st);
}

int store_release(struct store *st)
{
	return st->ops->release(st);
}

int store_rollback_to(struct store *st)
{
	return st->ops->rollback_to(st);
}

void store_set_cache(struct store *st, void *cache)
{
	st->cache = cache;
}

void *store_cache(const struct store *st)
{
	return st->cache;
}

int store_ping(struct store *st)
{
	int64_t one;

	return st_int(st, Q_PING, NULL, 0, &one);
}

int store_health_probe(struct store *st, int64_t now_ms)
{
	struct sval p[] = { SV_I(now_ms) };

	return st_run1(st, Q_HEALTH_PROBE, p, ARRAY_SIZE(p));
}

bool store_shared(const struct store *st)
{
	return st->ops->shared;
}

int store_wait_change(struct store *st, int timeout_ms)
{
	struct timespec ts;

	if (st->ops->wait_change)
		return st->ops->wait_change(st, timeout_ms);
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
	return 0;
}

int store_leader(struct store *st, bool *yes)
{
	if (st->ops->leader)
		return st->ops->leader(st, yes);
	*yes = true;
	return 0;
}

int store_role(struct store *st, struct store_role *out)
{
	if (st->ops->role)
		return st->ops->role(st, out);
	snprintf(out->role, sizeof(out->role), "embedded");
	out->writable = true;
	return 0;
}

int store_ids_sync(struct store *st)
{
	return st->ops->ids_sync ? st->ops->ids_sync(st) : 0;
}

int st_run(struct store *st, enum q q, const struct sval *p, int np,
	   int64_t *changes)
{
	return st->ops->query(st, q, p, np, NULL, NULL, changes);
}

int st_run1(struct store *st, enum q q, const struct sval *p, int np)
{
	int64_t n = 0;
	int rc = st_run(st, q, p, np, &n);

	if (rc)
		return rc;
	return n == 1 ? 0 : ERMS_ENOTFOUND;
}

/* srow_fn: read the one row into the caller's struct; mark it found. */
static int got_int(void *ctx, const struct srow *r)
{
	*(int64_t *)ctx = r->col[0].i;
	return 0;
}

int st_int(struct store *st, enum q q, const struct sval *p, int np,
	   int64_t *out)
{
	int64_t v = INT64_MIN;
	int rc = st_query(st, q, p, np, got_int, &v);

	if (rc)
		return rc;
	if (v == INT64_MIN)
		return ERMS_ENOTFOUND;
	*out = v;
	return 0;
}

void sv_copy(char *dst, size_t n, const struct sval *v)
{
	const char *s = v->t == SV_TEXT && v->s ? v->s : "";
	size_t len = strlen(s);

	if (len >= n) {
		/* Only a row edited outside erms gets here: cut it cleanly. */
		len = n - 1;
		while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(dst, s, len);
	dst[len] = '\0';
}

int64_t sv_int(const struct sval *v)
{
	return v->t == SV_INT ? v->i : 0;
}

char *sv_dup(const struct sval *v)
{
	return v->t == SV_TEXT && v->s ? xstrdup(v->s) : NULL;
}

struct sval sv_opt(int64_t v)
{
	return v ? SV_I(v) : SV_NUL;
}

void col_is_feed(void *field, size_t size, const struct sval *v)
{
	(void)size;
	*(bool *)field = v->s && !strcmp(v->s, "feed");
}

void col_is_public(void *field, size_t size, const struct sval *v)
{
	(void)size;
	*(bool *)field = v->s && !strcmp(v->s, "public");
}

void col_is_firing(void *field, size_t size, const struct sval *v)
{
	(void)size;
	*(bool *)field = v->s && !strcmp(v->s, "firing");
}

void col_loose(void *field, size_t size, const struct sval *v)
{
	snprintf(field, size, "%s", v->s ? v->s : "");
}

/* Store pointer s in the char * (or const char *) field at f. */
static void put_ptr(void *f, const char *s)
{
	memcpy(f, &s, sizeof(s));
}

/* Decode value v into field f as column c says. */
static void col_decode(const struct col *c, const struct sval *v, void *f)
{
	int e;

	switch (c->kind) {
	case COL_I64:
		*(int64_t *)f = sv_int(v);
		break;
	case COL_INT:
		*(int *)f = (int)sv_int(v);
		break;
	case COL_UINT:
		*(unsigned *)f = (unsigned)sv_int(v);
		break;
	case COL_BOOL:
		*(bool *)f = sv_int(v) != 0;
		break;
	case COL_SET:
		*(bool *)f = v->t != SV_NULL;
		break;
	case COL_CHARS:
	case COL_NAME:
		sv_copy(f, c->size, v);
		break;
	case COL_DUP:
		put_ptr(f, v->t == SV_TEXT && v->s ? xstrdup(v->s) :
			   c->dflt ? xstrdup(c->dflt) : NULL);
		break;
	case COL_TEXT:
		put_ptr(f, v->s ? v->s : c->dflt ? c->dflt : "");
		break;
	case COL_ENUM:
		e = c->parse(v->s ? v->s : "");
		memcpy(f, &e, sizeof(e));
		break;
	case COL_FN:
		c->fn(f, c->size, v);
		break;
	}
}

void cols_decode(const struct col *t, size_t n, const struct srow *r,
		 int first, void *obj)
{
	static const struct sval null = { .t = SV_NULL };

	for (size_t i = 0; i < n; i++) {
		int at = first + (int)i;

		col_decode(&t[i], at < r->n ? &r->col[at] : &null,
			   (char *)obj + t[i].off);
	}
}

struct one {
	const struct col *t;
	size_t n;
	void (*reset)(void *obj);
	void *obj;
	bool found;
};

/* srow_fn: read the one row into the caller's struct; mark it found. */
static int got_one(void *ctx, const struct srow *r)
{
	struct one *o = ctx;

	if (o->reset)
		o->reset(o->obj);
	cols_decode(o->t, o->n, r, 0, o->obj);
	o->found = true;
	return 0;
}

int st_one(struct store *st, enum q q, const struct sval *p, int np,
	   const struct col *t, size_t n, void (*reset)(void *obj),
	   void *obj)
{
	struct one o = { t, n, reset, obj, false };
	int rc = st_query(st, q, p, np, got_one, &o);

	return rc ? rc : o.found ? 0 : ERMS_ENOTFOUND;
}
