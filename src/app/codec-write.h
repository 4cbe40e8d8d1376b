/*
 * codec-write.h - incidents as JSON written straight into a buffer, for
 * lists and events: the same objects as incident_json() and
 * timeline_json() (codec.h), without a tree.
 */
#ifndef ERMS_APP_CODEC_WRITE_H
#define ERMS_APP_CODEC_WRITE_H

#include "core/types.h"
#include "util/buf.h"

/* Append r as the JSON object incident_json(r) makes to b. */
void incident_write(struct buf *b, const struct incident_row *r);
/* Append e as the JSON object timeline_json(e) makes to b. */
void timeline_write(struct buf *b, const struct timeline_entry *e);
/* Append s (NUL-terminated UTF-8) as a JSON string, quotes included. */
void json_str(struct buf *b, const char *s);

#endif
