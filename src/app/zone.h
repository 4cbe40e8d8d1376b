/*
 * zone.h - the time zone a person reads times in.
 */
#ifndef ERMS_APP_ZONE_H
#define ERMS_APP_ZONE_H

#include "app/app.h"
#include "core/types.h"

struct store;

/*
 * The zone to show times in to p: p's own zone, else the organisation's,
 * else TZ_DEFAULT (util/tz.h). p NULL or the system: the organisation's.
 * Never fails: a store error gives the default.
 */
void app_zone_for(struct store *st, const struct principal *p,
		  char zone[64]);
/* The zone of a user read from the store (u->time_zone, else the
 * organisation's, else TZ_DEFAULT). */
void app_zone_of_user(struct store *st, const struct user *u, char zone[64]);

#endif
