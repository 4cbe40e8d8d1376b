/*
 * audit.h - the append-only, hash-chained audit log.
 *
 * Row n carries the SHA-256 of row n-1 (prev_hash) and its own hash over
 * its fields and prev_hash, and ids run 1, 2, 3, ... without gaps (the
 * writer assigns id = previous + 1 inside the transaction, so the chain is
 * serial on any engine). Editing a row breaks its hash; removing one
 * leaves a gap or breaks the next prev_hash. Removing the newest rows
 * cannot be seen from the chain alone: anchor the head elsewhere (the
 * backup, or a later export) when that matters.
 */
#ifndef ERMS_APP_AUDIT_H
#define ERMS_APP_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/types.h"

struct store;

/* Append one row in the caller's transaction. */
int audit_append(struct store *st, int64_t actor_id, const char *action,
		 const char *object, const char *summary, int64_t now_ms);
/* The hash a row must carry. */
void audit_hash(const struct audit_row *r, char out[65]);
/*
 * Walk the chain. Returns 0 when every row is intact (*rows counts them),
 * else ERMS_ECONFLICT with *bad_id the first broken row and why[] saying
 * how it is broken.
 */
int audit_verify(struct store *st, int64_t *rows, int64_t *bad_id, char *why,
		 size_t whylen);

#endif
