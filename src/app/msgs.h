/*
 * msgs.h - the texts erms writes for people, as a key with parameters,
 * rendered in the reader's language when they are read.
 *
 * A key names a template in zh-CN and in en ("tl.status": "{from} →
 * {to}"); its parameters are a JSON object. A parameter is rendered by
 * its name: from, to and state are incident states, status a task's,
 * action an incident step, target a time target, event a notification
 * event, audience a bulletin's, movement a supply movement's kind (each
 * translated); level, category and group are keys of the incident's plan
 * (written as their names in the reader's language); a value that is an
 * object {"zh-CN": ..., "en": ...} is taken in the reader's language; at
 * is a time (ms) written in the reader's zone; anything else is written
 * as it is. docs/i18n.md says how to add a key.
 */
#ifndef ERMS_APP_MSGS_H
#define ERMS_APP_MSGS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

struct plan;

/* One template of the catalog. */
struct msg_def {
	const char *key;
	const char *zh;
	const char *en;
};

/* The catalog, for its tests: *n receives its length. */
const struct msg_def *msg_catalog(size_t *n);
/* The template of key, or NULL when the catalog has none. */
const struct msg_def *msg_find(const char *key);

/* What a parameter's name may need: the plan's names, the zone of a time
 * ("" or NULL: Asia/Shanghai). Both may be NULL. */
struct msg_names {
	const struct plan *plan;
	const char *zone;
};

/*
 * The word of value in set ("state", "status", "action", "target",
 * "event", "audience", "movement", "kind" of a timeline entry,
 * "delivery" of a notification) in lang, or NULL when the set or the
 * value is unknown.
 */
const char *msg_word(const char *set, const char *value, const char *lang);

/* Whether lang reads Chinese (anything but "en"). */
bool msg_lang_zh(const char *lang);

/*
 * Append key's template in lang with params into b. Returns false (b
 * unchanged) when the catalog has no such key. A {name} without a
 * parameter is written as it stands. When params.n is 1 and the catalog
 * has key + "_one", that template is taken (English singulars).
 */
bool msg_render(struct buf *b, const char *key, const json_t *params,
		const char *lang, const struct msg_names *names);
/* msg_render() as a new string (NULL for an unknown key): free() it. */
char *msg_text(const char *key, const json_t *params, const char *lang,
	       const struct msg_names *names);

#endif
