/*
 * codec.h - incidents, tasks and timeline entries as JSON.
 *
 * Shared by the API's answers and the event log behind live updates, so
 * that a subscriber sees exactly what a GET would show.
 */
#ifndef ERMS_APP_CODEC_H
#define ERMS_APP_CODEC_H

#include <jansson.h>
#include <stdint.h>

#include "core/types.h"

/* An RFC 3339 string for ms, or null for 0. New reference. */
json_t *json_time(int64_t ms);
/* The incident obj[key] names, by its id (a JSON integer, written into
 * buf) or its number (a string), as text; NULL when neither. */
const char *json_ref(const json_t *obj, const char *key, char buf[24]);
json_t *incident_json(const struct incident_row *r);
/* incident_json() as compact JSON text, written straight into a buffer
 * (no tree): for the event every change of an incident writes. Returns
 * a new string; free() it. */
char *incident_text(const struct incident_row *r);
/* timeline_json() as compact JSON text, e->data (compact JSON, as
 * json_dumps() wrote it; NULL: {}) taken as it is. free() it. */
char *timeline_text(const struct timeline_entry *e);
/* A task; title in lang when the task has it in several (a plan's
 * measure), and "titles" all of them (null: one only). task_json():
 * the title as stored (the organisation's language). */
json_t *task_json(const struct task *t);
/*
 * An object's version into its JSON o: "version": n and "updated_by":
 * {"id", "name"}, or null when the system (or nobody since it was made)
 * wrote it last. Every editable object's answer has them.
 */
void json_add_stamp(json_t *o, const struct stamp *s);
json_t *task_json_lang(const struct task *t, const char *lang);
/* t's title in lang (as stored when it has no other), a new string. */
char *task_title_in(const struct task *t, const char *lang);
json_t *timeline_json(const struct timeline_entry *e);

#endif
