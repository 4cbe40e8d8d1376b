/*
 * audit.h - the append-only, keyed and anchored audit log.
 *
 * Row n carries the MAC of row n-1 (prev_hash) and its own MAC (hash):
 * HMAC-SHA256 under the key file's audit sub-key (app/keys.h) over its
 * fields and prev_hash. Ids run 1, 2, 3, ... without gaps (the writer
 * assigns id = previous + 1 inside the transaction). Editing a row breaks
 * its MAC; removing one leaves a gap or breaks the next prev_hash; and
 * recomputing the chain needs the key, which is not in the database.
 *
 * Removing the newest rows is seen through the anchor: a file next to the
 * key file that holds the newest id and its MAC, replaced (write, fsync,
 * rename; mode 0600) after each committed batch that added rows, and also
 * written to the log as an "audit head" line. Verifying checks that the
 * anchor's row is there with that MAC.
 *
 * Databases from before keying: rows up to the boundary recorded when the
 * database was first opened with a key (audit_key.plain_until, repeated in
 * the anchor) keep the old rule, a bare SHA-256; the first keyed row
 * chains on to the last of them. SQL triggers refuse UPDATE and DELETE.
 */
#ifndef ERMS_APP_AUDIT_H
#define ERMS_APP_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "core/types.h"
#include "util/err.h"

struct keys;
struct principal;
struct store;

typedef int app_audit_fn(void *ctx, const struct audit_row *r);

/* Up to limit rows of the log after the id `after`, to fn (the right to
 * read the log is asked). */
int app_audit_list(struct store *st, const struct principal *p,
		   int64_t after, int limit, app_audit_fn *fn, void *ctx,
		   struct errbuf *e);

/* Append one row in the caller's transaction: keyed when keys are
 * installed (keys_current()), else by the old unkeyed rule. */
int audit_append(struct store *st, int64_t actor_id, const char *action,
		 const char *object, const char *summary, int64_t now_ms);
/* The unkeyed hash a row from before keying carries. */
void audit_hash(const struct audit_row *r, char out[65]);
/* The MAC a keyed row carries. */
void audit_mac(const struct keys *k, const struct audit_row *r,
	       char out[65]);
/*
 * After a commit: when the chain's head moved, replace the installed
 * anchor file (keys_anchor()) with it and log it. 0, or ERMS_EIO (logged).
 * No-op without installed keys.
 */
int audit_anchor_write(struct store *st);
/*
 * The anchor of database st as it is now, written to path (for a backup:
 * its head when it was taken). Nothing for a database without a key.
 */
int audit_anchor_copy(struct store *st, const char *path);
/*
 * Walk the chain and check it against the anchor file at anchor (NULL:
 * no anchor check; a keyed database then fails). k is the key (NULL when
 * its file is missing: a keyed database then fails). Returns 0 when every
 * row is intact (*rows counts them), else ERMS_ECONFLICT with *bad_id the
 * first broken or missing row and why[] saying what is wrong.
 */
int audit_verify(struct store *st, const struct keys *k, const char *anchor,
		 int64_t *rows, int64_t *bad_id, char *why, size_t whylen);

#endif
