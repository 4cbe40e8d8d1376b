/*
 * users.h - user accounts and the signed-in user's own view, as the API
 * asks for them (app/app.h has the account writes themselves).
 *
 * Bodies come checked for shape (field names, types, lengths) by the
 * caller. A password is hashed between the two phases of a change (it is
 * slow: not on the writer): *_vet() runs first, on a reader, and refuses
 * what the change would refuse anyway; the change itself then takes the
 * hash.
 */
#ifndef ERMS_APP_USERS_H
#define ERMS_APP_USERS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

typedef int app_user_fn(void *ctx, const struct user *u);

/* Up to limit users after the id `after`, to fn. */
int app_user_list(struct store *st, const struct principal *p, int64_t after,
		  int limit, app_user_fn *fn, void *ctx, struct errbuf *e);
/* User id into *out. */
int app_user_read(struct store *st, const struct principal *p, int64_t id,
		  struct user *out, struct errbuf *e);
/* Before a new user (id 0) or a change of user id from body: the right,
 * the login's and the profile's rules (locale, email, password). */
int app_user_vet(const struct principal *p, int64_t id, const json_t *body,
		 struct errbuf *e);
/* A new user from body {login, display_name, email?, phone?, locale?,
 * is_admin?} with password hash pwhash; *out receives it. */
int app_user_add(struct store *st, const struct principal *p,
		 const json_t *body, const char *pwhash, int64_t now_ms,
		 struct user *out, struct errbuf *e);
/* Change user id from body (the profile fields, is_admin, disabled);
 * pwhash NULL keeps the password. *out receives the user. */
int app_user_edit(struct store *st, const struct principal *p, int64_t id,
		  const json_t *body, const char *pwhash, int64_t now_ms,
		  struct user *out, struct errbuf *e);
/* Before p changes their own profile from body: its rules, and a new
 * password needs body.current_password. */
int app_me_vet(struct store *st, const struct principal *p,
	       const json_t *body, struct errbuf *e);
/* p's own profile changed from body; *out receives it. */
int app_me_edit(struct store *st, const struct principal *p,
		const json_t *body, const char *pwhash, int64_t now_ms,
		struct user *out, struct errbuf *e);
/* p's groups [{key, kind, role}] and rights (the names of the actions p
 * may do, a fixed team's included) as new arrays. */
int app_me_view(struct store *st, const struct principal *p, json_t **groups,
		json_t **rights, struct errbuf *e);

#endif
