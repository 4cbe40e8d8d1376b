/*
 * version.h - nothing lost when two people act at once.
 *
 * Every object a person edits carries a version (struct stamp: 1 when
 * it is made, one more at every write, and who wrote last). A write may
 * name the version it was made from (the HTTP layer reads it from
 * If-Match or a body's "version"); a use case checks it against the
 * row it read, inside its write transaction and before it changes
 * anything, so a stale write changes nothing and its caller learns who
 * changed the object and when. A write that names no version goes
 * ahead (scripts keep working).
 */
#ifndef ERMS_APP_VERSION_H
#define ERMS_APP_VERSION_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "core/types.h"
#include "util/err.h"

struct store;

/* The kinds of versioned objects, for the conflict's message. */
enum ver_kind {
	VK_INCIDENT, VK_TASK, VK_SUPPLY, VK_CHANNEL, VK_GROUP, VK_USER,
	VK_ROTATION, VK_PLAN_VERSION, VK_DRILL, VK_INTEGRATION,
	VK_ORGANISATION, VK__COUNT
};

/* A request body's "version" (0: none, or no body). */
int64_t app_body_version(const json_t *body);

/* Mark s as written by p (the system, or NULL: nobody). The store
 * counts the version itself when it writes the row. */
void app_stamp(struct stamp *s, const struct principal *p);

/*
 * expected is the version the write was made from (0: none given).
 * 0 when none was given or it is the row's (s), else ERMS_ECONFLICT with
 * err filled: code "version_conflict", field "version", err->ver with
 * the version now, who wrote it and when (changed_ms), and the message
 * in English and Chinese, naming the object (kind and name, e.g. the
 * incident's number) and the time in the reader's (p's) zone
 * (app/zone.h, read from st).
 */
int app_version_check(struct store *st, const struct principal *p,
		      int64_t expected,
		      const struct stamp *s, int64_t changed_ms,
		      enum ver_kind kind, const char *name,
		      struct errbuf *err);

/*
 * A conflict of another kind (a step the object's state no longer
 * allows) found on the row s: add who wrote it last and when to err's
 * message (kept in its code) and err->ver, as app_version_check() does.
 */
void app_version_note(struct store *st, const struct principal *p,
		      const struct stamp *s,
		      int64_t changed_ms, enum ver_kind kind,
		      const char *name, struct errbuf *err);

#endif
