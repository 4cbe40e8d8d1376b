/*
 * tokens.h - API tokens and the calendar feed token, as the API asks for
 * them (app/app.h has the writes themselves).
 *
 * An API token expires: after expires_in_days or at expires_at, else 90
 * days after it is made. A feed token (one per user) works only as
 * ?token= on the .ics feeds, and an API token never does there.
 */
#ifndef ERMS_APP_TOKENS_H
#define ERMS_APP_TOKENS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

typedef int app_token_fn(void *ctx, const struct token_info *t);

/* p's user's tokens to fn; every user's when `all` is asked by one who
 * may (token.list_all), else still only p's own. */
int app_token_list(struct store *st, const struct principal *p, bool all,
		   app_token_fn *fn, void *ctx, struct errbuf *e);
/* A new API token from body {name, expires_in_days?, expires_at?} (at
 * most one of the two; expires_at in the future, at most TOKEN_DAYS_MAX
 * days ahead): t receives the row, secret the value shown once. */
int app_token_issue(struct store *st, const struct principal *p,
		    const json_t *body, int64_t now_ms, struct token_info *t,
		    char secret[64], struct errbuf *e);
/* A new feed token (app_feed_token_create()) and *feeds the feed URLs
 * that carry it: {shifts, drills}. */
int app_feed_token_issue(struct store *st, const struct principal *p,
			 int64_t now_ms, struct token_info *t,
			 char secret[64], json_t **feeds, struct errbuf *e);

#endif
