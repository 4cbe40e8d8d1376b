/*
 * plancache.h - typed plans (plan/model.h) kept per version id.
 *
 * The app owns one (struct app.plans). A version out of draft never
 * changes (core/planflow.h), so its typed plan is built once and kept;
 * a draft is still edited, so it is built on each call and not kept.
 * Every caller gets its own reference: a version dropped from the cache
 * (when it is full) stays whole for the readers holding it. Safe from
 * any thread.
 */
#ifndef ERMS_APP_PLANCACHE_H
#define ERMS_APP_PLANCACHE_H

#include <pthread.h>
#include <stdint.h>

#include "plan/model.h"

struct store;

#define PLAN_CACHE_SLOTS 16

struct plan_cache {
	pthread_mutex_t mu;
	struct {
		int64_t id;		/* 0: empty */
		const struct plan *p;	/* the cache's reference */
		uint64_t used;		/* when last handed out */
	} slot[PLAN_CACHE_SLOTS];
	uint64_t clock;
};

void plan_cache_init(struct plan_cache *c);
/* Drop the cache's references (readers may still hold theirs). */
void plan_cache_release(struct plan_cache *c);

/*
 * The typed plan of version version_id, read with st when not kept: a
 * reference for the caller (plan_unref() it). ERMS_ENOTFOUND when there
 * is no such version, ERMS_ESTORE when its content is not a plan.
 */
int plan_cache_get(struct plan_cache *c, struct store *st,
		   int64_t version_id, const struct plan **out);

/*
 * The typed plan of version version_id: from the cache st carries
 * (store_cache(), set by app_open() on the app's connections), else
 * built now and not kept. Same returns.
 */
int plan_load(struct store *st, int64_t version_id, const struct plan **out);

/*
 * The typed plan in force now, as plan_load() finds it: ERMS_ENOTFOUND
 * when no plan is in force yet, ERMS_ESTORE when its content is not a
 * plan.
 */
int plan_load_current(struct store *st, const struct plan **out);

#endif
