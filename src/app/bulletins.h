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
 * The public view at now_ms: the incidents with public bulletins of the
 * last 90 days, newest first, a new array into *out of
 *   {id, number, title, status, phase, reported_at,
 *    updates: [{id, text, at}]}
 * (phase: investigating, handling, resolved).
 */
int app_public_view(struct store *st, int64_t now_ms, json_t **out);

/* A bulletin as the API shows it. */
json_t *bulletin_json(const struct bulletin *b);

#endif
