/*
 * bulletins.h - bulletins (信息发布) on incidents, and the public view
 * the status page shows.
 */
#ifndef ERMS_APP_BULLETINS_H
#define ERMS_APP_BULLETINS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "store/store.h"

/*
 * A bulletin (信息发布) on incident `key` by command HQ or the
 * communications team: a public one puts the incident on the status
 * page; an internal one goes to the plan's staff through the
 * notification channels.
 */
int app_bulletin_post(struct store *st, const struct principal *p,
		      const char *key, const char *text, bool public,
		      int64_t now_ms, struct bulletin *out, struct errbuf *err);
/*
 * The bulletins of incident `key`, a new array of bulletin_json() objects
 * into *items. ERMS_EPERM when p may not read incidents, ERMS_ENOTFOUND
 * when there is no such incident.
 */
int app_bulletin_list(struct store *st, const struct principal *p,
		      const char *key, json_t **items);

/*
 * Set what the status page shows of incident `key` instead of its
 * internal title: its public title and standing message (NULL: kept as
 * they are; "" clears). Command HQ or the communications team, as for
 * bulletins. version: the incident's version the change was made from
 * (0: none; app/version.h). *out: the incident as written.
 */
int app_incident_public(struct store *st, const struct principal *p,
			const char *key, const char *title,
			const char *message, int64_t version, int64_t now_ms,
			struct incident_row *out, struct errbuf *err);

/*
 * The public view at now_ms: the incidents with public bulletins of the
 * last 90 days, newest first, a new array into *out of
 *   {id, number, title, message, status, phase, severity, level,
 *    reported_at, resolved_at, updates: [{id?, kind, text, at}]}
 * title and message are the public ones ("" when not set; never the
 * internal title). phase: investigating, handling, resolved; severity:
 * major, partial, minor or "" (no level yet); level: {key, rank, name:
 * {zh-CN, en}} or null. updates newest first: after the end, first of
 * all one of kind "resolved", then the bulletins (kind "bulletin").
 * Times are RFC 3339 in the organisation's zone (app_public_zone()).
 */
int app_public_view(struct store *st, int64_t now_ms, json_t **out);
/* The zone the public reads times in: the organisation's. */
void app_public_zone(struct store *st, char zone[64]);

/* A bulletin as the API shows it. */
json_t *bulletin_json(const struct bulletin *b);

#endif
