/*
 * groups.h - the organisation: groups and their members, read and
 * changed from API bodies.
 *
 * Bodies come checked for shape (field names, types, lengths) by the
 * caller; these functions check the right, the meaning of the values,
 * write and audit. app_group_create(), app_group_update(),
 * app_member_put() and app_member_delete() (app/app.h) take decoded
 * values instead, for local commands and plan imports.
 */
#ifndef ERMS_APP_GROUPS_H
#define ERMS_APP_GROUPS_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"

typedef int app_group_fn(void *ctx, const struct group *g);

/* What app_group_read() walks: each member (with its user), then each
 * channel of the group, both with ctx. */
struct group_rows {
	int (*member)(void *ctx, const struct membership *m,
		      const struct user *u);
	int (*channel)(void *ctx, const struct channel *c);
	void *ctx;
};

/* Every group, to fn. */
int app_group_list(struct store *st, const struct principal *p,
		   app_group_fn *fn, void *ctx, struct errbuf *e);
/* Group `key` into *g (g->duties_json is the caller's to free) and its
 * members and channels to rows. */
int app_group_read(struct store *st, const struct principal *p,
		   const char *key, struct group *g,
		   const struct group_rows *rows, struct errbuf *e);
/* A new group from body {key, name, kind, duties?}; key receives its
 * key. Duties are up to 50 non-empty strings of up to 1000 bytes. */
int app_group_add(struct store *st, const struct principal *p,
		  const json_t *body, int64_t now_ms, char key[KEY_MAX + 1],
		  struct errbuf *e);
/* Change group `key` from body {name?, duties?, channels?}: channels
 * are ids of existing channels and replace the group's set. */
int app_group_edit(struct store *st, const struct principal *p,
		   const char *key, const json_t *body, int64_t now_ms,
		   struct errbuf *e);
/*
 * Attach channel channel_id to group `key` (attach: the group's messages
 * go to it too; again is no change), or detach it (ERMS_ENOTFOUND when
 * it was not attached). A group has at most 64 channels.
 */
int app_group_channel(struct store *st, const struct principal *p,
		      const char *key, int64_t channel_id, bool attach,
		      int64_t now_ms, struct errbuf *e);
/* Put user_id into group `key` with role "lead", "deputy" or
 * "member" (app_member_put()). */
int app_member_set(struct store *st, const struct principal *p,
		   const char *key, int64_t user_id, const char *role,
		   int64_t now_ms, struct errbuf *e);

#endif
