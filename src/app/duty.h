/*
 * duty.h - duty rosters (值班): rotations, overrides, who is on duty, and
 * a user's shifts as an iCalendar feed.
 *
 * Bodies come checked for shape (field names, types, lengths) by the
 * caller; these functions check rights, the meaning of the values, write
 * and append the audit row. Answers are the JSON the API returns.
 */
#ifndef ERMS_APP_DUTY_H
#define ERMS_APP_DUTY_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "util/buf.h"
#include "util/err.h"

/* The rotations of group `key`, each with its overrides: *items receives
 * a new array. */
int app_rotation_list(struct store *st, const struct principal *p,
		      const char *key, json_t **items, struct errbuf *e);
/*
 * A new rotation of group `key` from body {name, members, shift_minutes,
 * start, time_zone?}: members are 1 to 64 ids of active users, start an
 * RFC 3339 time, time_zone one of the tz database (default
 * Asia/Shanghai). *out receives the rotation as listed.
 */
int app_rotation_create(struct store *st, const struct principal *p,
			const char *key, const json_t *body, int64_t now_ms,
			json_t **out, struct errbuf *e);
/* Rotation id of group `key` changed by body {name?, members?,
 * shift_minutes?, start?, time_zone?} (as create checks them); *out
 * receives it as listed. */
int app_rotation_update(struct store *st, const struct principal *p,
			const char *key, int64_t id, const json_t *body,
			int64_t now_ms, json_t **out, struct errbuf *e);
/* Rotation id of group `key` removed, with its overrides. */
int app_rotation_delete(struct store *st, const struct principal *p,
			const char *key, int64_t id, int64_t now_ms,
			struct errbuf *e);
/* Override id of rotation rotation_id of group `key` removed. */
int app_override_delete(struct store *st, const struct principal *p,
			const char *key, int64_t rotation_id, int64_t id,
			int64_t now_ms, struct errbuf *e);
/* A new override of rotation `rotation_id` of group `key` from body
 * {user_id, start, end}; *out receives it. */
int app_override_create(struct store *st, const struct principal *p,
			const char *key, int64_t rotation_id,
			const json_t *body, int64_t now_ms, json_t **out,
			struct errbuf *e);
/* Who is on duty in group `key` at `at`: *out receives {group, at,
 * on_duty} (on_duty null when nobody is). */
int app_on_duty(struct store *st, const struct principal *p, const char *key,
		int64_t at, json_t **out, struct errbuf *e);
/* User `id`'s shifts, 30 days back and 90 ahead, as iCalendar text into
 * ics (the user's own, or any for an administrator). */
int app_user_shifts(struct store *st, const struct principal *p, int64_t id,
		    int64_t now_ms, struct buf *ics, struct errbuf *e);

#endif
