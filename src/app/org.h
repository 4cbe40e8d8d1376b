/*
 * org.h - the organisation's settings (its name, time zone and language)
 * (the zone a person reads times in: app/zone.h).
 *
 * One row, made by the migrations: read by anyone signed in, changed by
 * administrators (and by the operator's `erms init`). Its version starts
 * at 1 and rises with every write; a write that names another version
 * than the row's is refused (version_conflict) with nothing changed.
 */
#ifndef ERMS_APP_ORG_H
#define ERMS_APP_ORG_H

#include <jansson.h>
#include <stdint.h>

#include "core/types.h"
#include "util/err.h"

struct principal;
struct store;

/* The organisation into *out (organisation_release() it). */
int app_org_read(struct store *st, const struct principal *p,
		 struct organisation *out, struct errbuf *e);
/*
 * Change the organisation from body {name?, time_zone?, locale?,
 * operator_type?, regulators?, calendar?, version?} (checked for shape
 * by the caller; version is the one the writer last saw, app/version.h).
 * regulators replaces the list; calendar replaces the years it names (a
 * year null: removed). *out receives the row as written
 * (organisation_release() it). A bad value: ERMS_EINVAL, code
 * invalid_field, its field (time_zone, regulators[1].name,
 * calendar.2026.holidays).
 */
int app_org_edit(struct store *st, const struct principal *p,
		 const json_t *body, int64_t now_ms, struct organisation *out,
		 struct errbuf *e);
/* The operator's local setting of the zone (erms init): no version. */
int app_org_set_zone(struct store *st, const char *zone, int64_t now_ms,
		     struct errbuf *e);

#endif
