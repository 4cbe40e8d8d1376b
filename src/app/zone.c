/*
 * zone.c - zone.h's choice: the person's own zone, else the
 * organisation's, else the default.
 */
#include "app/zone.h"

#include <stdio.h>

#include "store/store.h"
#include "util/tz.h"

/* The organisation's zone, or TZ_DEFAULT. */
static void org_zone(struct store *st, char zone[64])
{
	struct organisation o = { 0 };

	if (st && !store_org_get(st, &o) && tz_valid(o.time_zone))
		snprintf(zone, 64, "%s", o.time_zone);
	else
		snprintf(zone, 64, "%s", TZ_DEFAULT);
	organisation_release(&o);
}

void app_zone_of_user(struct store *st, const struct user *u, char zone[64])
{
	if (u && u->time_zone[0] && tz_valid(u->time_zone))
		snprintf(zone, 64, "%s", u->time_zone);
	else
		org_zone(st, zone);
}

void app_zone_for(struct store *st, const struct principal *p,
		  char zone[64])
{
	app_zone_of_user(st, p && p->user.id ? &p->user : NULL, zone);
}
