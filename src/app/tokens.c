/*
 * tokens.c - listing and issuing tokens from API requests.
 */
#include "app/tokens.h"

#include <string.h>

#include "app/ack.h"
#include "app/notify.h"
#include "core/calendar.h"
#include "store/store.h"
#include "util/clock.h"


int app_token_list(struct store *st, const struct principal *p, bool all,
		   app_token_fn *fn, void *ctx, struct errbuf *e)
{
	int rc = app_may(p, A_TOKEN_LIST, NULL, e);
	int64_t uid = p->user.id;

	if (rc)
		return rc;
	if (all && may(&p->actor, A_TOKEN_LIST_ALL, NULL))
		uid = 0;
	return store_token_list(st, uid, fn, ctx);
}

/* The expiry asked for in body into *ms (0: the default). */
static int token_expiry(const json_t *body, int64_t now_ms, int64_t *ms,
			struct errbuf *e)
{
	const char *at = json_string_value(json_object_get(body, "expires_at"));
	int64_t days = json_integer_value(
		json_object_get(body, "expires_in_days"));

	*ms = days ? now_ms + days * DAY_MS : 0;
	if (at && days) {
		return err_fail(e, ERMS_EINVAL, "expires_at",
				"give expires_at or expires_in_days, not both");
	}
	if (at && (time_parse(at, ms) || *ms <= now_ms ||
		   *ms > now_ms + TOKEN_DAYS_MAX * DAY_MS)) {
		return err_fail(e, ERMS_EINVAL, "expires_at",
				"expires_at must be an RFC 3339 time " "in the future, at most %d days ahead", TOKEN_DAYS_MAX);
	}
	return 0;
}

int app_token_issue(struct store *st, const struct principal *p,
		    const json_t *body, int64_t now_ms, struct token_info *t,
		    char secret[64], struct errbuf *e)
{
	const char *name = json_string_value(json_object_get(body, "name"));
	int rc = token_expiry(body, now_ms, &t->expires_ms, e);

	if (rc)
		return rc;
	snprintf(t->name, sizeof(t->name), "%s", name ? name : "");
	return app_token_create(st, p, t, secret, now_ms, e);
}

int app_feed_token_issue(struct store *st, const struct principal *p,
			 int64_t now_ms, struct token_info *t,
			 char secret[64], json_t **feeds, struct errbuf *e)
{
	const char *base = notify_base_url();
	size_t bl = strlen(base);
	int rc = app_feed_token_create(st, p, t, secret, now_ms, e);

	*feeds = NULL;
	if (rc)
		return rc;
	if (bl && base[bl - 1] == '/')
		bl--;
	*feeds = json_pack(
		"{s:o, s:o}",
		"shifts", json_sprintf("%.*s/api/v1/users/%lld/shifts.ics"
				       "?token=%s", (int)bl, base,
				       (long long)p->user.id, secret),
		"drills", json_sprintf("%.*s/api/v1/drills.ics?token=%s",
				       (int)bl, base, secret));
	return 0;
}
