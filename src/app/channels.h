/*
 * channels.h - the use cases of notification channels and of the
 * delivery log: adding, changing, testing and removing a channel,
 * listing messages, retrying a failed one.
 *
 * Every write runs in the caller's transaction (the writer's store) and
 * appends its audit row there; every function asks may() first, so a
 * caller without the right gets ERMS_EPERM and nothing else happens.
 * What a kind's config must hold is the kind's own knowledge
 * (notify/channel.h, channel_config_validate).
 */
#ifndef ERMS_APP_CHANNELS_H
#define ERMS_APP_CHANNELS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

/*
 * A channel as a caller gives it (the body its handler checked against
 * its field table; strings borrowed). On create, name, kind and config
 * are required and absent numbers take their defaults (0: the kind's
 * rate; enabled true); on update, NULL and -1 keep what is stored and a
 * config given is merged into the stored one (secrets not given stay).
 */
struct channel_in {
	const char *name;
	const char *kind;		/* create only */
	const json_t *config;		/* an object */
	int64_t rate_burst;		/* -1: absent */
	int64_t rate_period_ms;		/* -1: absent */
	int enabled;			/* -1: absent, else 0 or 1 */
	int64_t version;		/* update: the version it was made
					 * from; 0: none (app/version.h) */
};

typedef int app_channel_fn(void *ctx, const struct channel *c);

/* Every channel, for an administrator (A_CHANNEL_MANAGE). */
int app_channel_list(struct store *st, const struct principal *p,
		     app_channel_fn *fn, void *ctx, struct errbuf *err);
/*
 * Add a channel: the kind must be known and its config hold what the
 * kind needs (channel_config_validate; URLs inside the organisation only
 * with app->cfg.allow_private_webhooks); secrets are sealed at rest
 * (app/keys.h). ERMS_ECONFLICT for a name in use. *out is the stored
 * channel (channel_release it, also on error).
 */
int app_channel_create(struct app *app, struct store *st,
		       const struct principal *p, const struct channel_in *in,
		       int64_t now_ms, struct channel *out,
		       struct errbuf *err);
/* Change channel id as `in` says; ERMS_ESTORE when its stored secrets do
 * not open with this key file (a config cannot be merged then). */
int app_channel_update(struct app *app, struct store *st,
		       const struct principal *p, int64_t id,
		       const struct channel_in *in, int64_t now_ms,
		       struct channel *out, struct errbuf *err);
/* Remove channel id, or disable it when messages refer to it (the audit
 * row says which). */
int app_channel_delete(struct store *st, const struct principal *p,
		       int64_t id, int64_t now_ms, struct errbuf *err);

/* What a test message became (app->channel_test). */
struct channel_test_result {
	char outcome[16];	/* "sent", "retry", "throttled", "failed" */
	char code[24];		/* the service's own code, or "" */
	char error[256];	/* the service's verdict, "" when sent */
};

/*
 * Send one test message on channel id now (in p's language, an e-mail
 * to p's own address) and wait for the service's answer. Writes
 * nothing: call it outside the writer. ERMS_ESTORE when no delivery
 * worker runs. out is the channel tested.
 */
int app_channel_test(struct app *app, struct store *st,
		     const struct principal *p, int64_t id, const char *lang,
		     struct channel *out, struct channel_test_result *res,
		     struct errbuf *err);

/* Which messages a delivery log page shows. */
struct notification_query {
	int64_t incident_id;	/* 0: any; -1: an incident that is not */
	const char *state;	/* NULL: any */
	int64_t channel_id;	/* 0: any */
};

/*
 * The query of the log's parameters (each NULL when absent): incident
 * (id or number), state (a notif_state name: else ERMS_EINVAL, field
 * "state"), channel (an id).
 */
int app_notification_query(struct store *st, const char *incident,
			   const char *state, const char *channel,
			   struct notification_query *q, struct errbuf *err);
typedef int app_notification_fn(void *ctx, const struct notification *n);
/* Up to limit messages of q older than before_id (0: the newest first),
 * newest first. The right to read the log is the caller's to check. */
int app_notification_page(struct store *st, const struct notification_query *q,
			  int64_t before_id, int limit,
			  app_notification_fn *fn, void *ctx);
/* Queue failed message id again, at once, with its attempts reset
 * (A_NOTIFY_RETRY); ERMS_ECONFLICT unless it failed. *out: the message. */
int app_notification_retry(struct store *st, const struct principal *p,
			   int64_t id, int64_t now_ms,
			   struct notification *out, struct errbuf *err);

#endif
