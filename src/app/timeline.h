/*
 * timeline.h - what every incident use case writes besides its row: the
 * timeline (immutable), its search index, the event log that streams
 * read, and the incident's audit rows. Shared by incidents.c, the
 * timers (escalate.c), notify.c and supplies.c; each call runs in the
 * caller's transaction.
 */
#ifndef ERMS_APP_TIMELINE_H
#define ERMS_APP_TIMELINE_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "store/store.h"

struct plan;

/* An event row of `kind` for the streams; steals data. */
int app_event_emit(struct store *st, int64_t now_ms, const char *kind,
		   int64_t incident_id, json_t *data);

/*
 * Append to an incident's timeline (immutable), its search index and the
 * event log. Steals data (may be NULL). *entry_id: the new entry's id.
 */
int app_timeline_add_id(struct store *st, int64_t incident_id,
			int64_t actor_id, const char *kind, const char *text,
			json_t *data, int64_t now_ms, int64_t *entry_id);
/* app_timeline_add_id without the entry's id. */
int app_timeline_add(struct store *st, int64_t incident_id, int64_t actor_id,
		     const char *kind, const char *text, json_t *data,
		     int64_t now_ms);

/*
 * A timeline entry whose text is the catalog's key (app/msgs.h) with
 * params (stolen), kept in data (stolen, may be NULL) as "key" and
 * "params": its text is rendered again in each reader's language when
 * read (app_timeline_render()); the stored text, in the organisation's
 * language, is for the search index (which also gets the other
 * language) and for readers of old rows.
 */
int app_timeline_msg(struct store *st, int64_t incident_id, int64_t actor_id,
		     const char *kind, const char *key, json_t *params,
		     json_t *data, int64_t now_ms);

/*
 * The text of e for a reader of lang (zone: its times): rendered from the
 * key and params of its data with the plan pl's names (may be NULL), or,
 * for an entry without a key, its stored text. A new string: free() it.
 */
char *app_timeline_render(const struct timeline_entry *e,
			  const struct plan *pl, const char *lang,
			  const char *zone);

/* Tell subscribers of r as it is (just inserted, or written). */
int app_incident_event(struct store *st, const struct incident_row *r,
		       int64_t now_ms);
/* Write r (updated at now_ms by p; NULL: the system), count its version
 * and tell subscribers. */
int app_incident_save(struct store *st, const struct principal *p,
		      struct incident_row *r, int64_t now_ms);

/* An audit row "action" on incident r by p (NULL: the system), its
 * summary the state and level, then extra. */
int app_incident_audit(struct store *st, const struct principal *p,
		       const char *action, const struct incident_row *r,
		       const char *extra, int64_t now_ms);

#endif
