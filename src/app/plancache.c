/*
 * plancache.c - the typed plans kept per version id.
 */
#include "app/plancache.h"

#include <string.h>

#include "core/planflow.h"
#include "store/store.h"
#include "util/err.h"

void plan_cache_init(struct plan_cache *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
}

void plan_cache_release(struct plan_cache *c)
{
	for (int i = 0; i < PLAN_CACHE_SLOTS; i++) {
		plan_unref(c->slot[i].p);
		c->slot[i].p = NULL;
		c->slot[i].id = 0;
	}
	pthread_mutex_destroy(&c->mu);
}

/* Version v (read with rc) typed; *draft: it may still change. Releases
 * v. */
static int build_of(struct plan_version *v, int rc, struct plan **out,
		    bool *draft)
{
	json_t *content = NULL;

	*out = NULL;
	if (!rc && !(content = json_loads(v->content ? v->content : "", 0,
					  NULL)))
		rc = ERMS_ESTORE;
	if (!rc && !(*out = plan_build(content, v->id)))
		rc = ERMS_ESTORE;
	*draft = v->status == PV_DRAFT;
	json_decref(content);
	plan_version_release(v);
	return rc;
}

/* Version version_id from the store, typed. */
static int build(struct store *st, int64_t version_id, struct plan **out,
		 bool *draft)
{
	struct plan_version v = { 0 };
	int rc = store_pv_get_id(st, version_id, &v);

	return build_of(&v, rc, out, draft);
}

/*
 * The store carries the app's cache (app_open() sets it on each of its
 * connections): every use case that loads a plan then finds the typed
 * plan kept, without a parameter of its own; a store opened alone (the
 * CLI's local commands, the seeder) builds it each time.
 */
int plan_load_current(struct store *st, const struct plan **out)
{
	struct plan_cache *c = store_cache(st);
	struct plan_version v = { 0 };
	struct plan *p;
	int64_t id;
	bool draft;
	int rc;

	*out = NULL;
	if (c) {
		rc = store_pv_current_id(st, &id);
		return rc ? rc : plan_cache_get(c, st, id, out);
	}
	rc = store_pv_current(st, &v);
	rc = build_of(&v, rc, &p, &draft);
	*out = p;
	return rc;
}

int plan_load(struct store *st, int64_t version_id, const struct plan **out)
{
	struct plan_cache *c = store_cache(st);
	struct plan *p;
	bool draft;
	int rc;

	if (c)
		return plan_cache_get(c, st, version_id, out);
	rc = build(st, version_id, &p, &draft);
	*out = p;
	return rc;
}

/* Keep p (the cache takes a reference) in the least recently used slot;
 * a version another thread kept meanwhile is left as it is. */
static void keep(struct plan_cache *c, const struct plan *p)
{
	int lru = 0;

	for (int i = 0; i < PLAN_CACHE_SLOTS; i++) {
		if (c->slot[i].id == p->version_id)
			return;
		if (c->slot[i].used < c->slot[lru].used)
			lru = i;
	}
	plan_unref(c->slot[lru].p);
	c->slot[lru].id = p->version_id;
	c->slot[lru].p = plan_ref(p);
	c->slot[lru].used = ++c->clock;
}

int plan_cache_get(struct plan_cache *c, struct store *st,
		   int64_t version_id, const struct plan **out)
{
	struct plan *p;
	bool draft;
	int rc;

	*out = NULL;
	pthread_mutex_lock(&c->mu);
	for (int i = 0; i < PLAN_CACHE_SLOTS; i++)
		if (c->slot[i].id == version_id && c->slot[i].p) {
			c->slot[i].used = ++c->clock;
			*out = plan_ref(c->slot[i].p);
			break;
		}
	pthread_mutex_unlock(&c->mu);
	if (*out)
		return 0;
	/* Built outside the lock: reading the store may take a while. */
	rc = build(st, version_id, &p, &draft);
	if (rc)
		return rc;
	if (!draft) {
		pthread_mutex_lock(&c->mu);
		keep(c, p);
		pthread_mutex_unlock(&c->mu);
	}
	*out = p;
	return 0;
}
