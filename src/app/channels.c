/*
 * channels.c - notification channels and the delivery log (channels.h).
 */
#include "app/channels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/keys.h"
#include "app/version.h"
#include "notify/channel.h"
#include "store/store.h"
#include "util/xalloc.h"

/* The audit row of a change to channel c. */
static int channel_audit(struct store *st, const struct principal *p,
			 const char *action, const struct channel *c,
			 int64_t now_ms)
{
	char obj[32];

	snprintf(obj, sizeof(obj), "channel:%lld", (long long)c->id);
	return audit_append(st, p->user.id, action, obj, c->name, now_ms);
}

int app_channel_list(struct store *st, const struct principal *p,
		     app_channel_fn *fn, void *ctx, struct errbuf *err)
{
	int rc = app_may(p, A_CHANNEL_MANAGE, NULL, err);

	if (!rc)
		rc = store_channel_list(st, fn, ctx);
	return rc;
}

/* Copy the fields `in` gives into c (create: with their defaults). */
static void apply(struct channel *c, const struct channel_in *in)
{
	if (in->name)
		snprintf(c->name, sizeof(c->name), "%s", in->name);
	if (in->rate_burst >= 0)
		c->rate_burst = (int)in->rate_burst;
	if (in->rate_period_ms >= 0)
		c->rate_period_ms = in->rate_period_ms;
	if (in->enabled >= 0)
		c->enabled = in->enabled;
}

/* cfg (opened) checked for c's kind, sealed and stored as c's config;
 * cfg is consumed. */
static int set_config(struct app *app, struct channel *c, json_t *cfg,
		      struct errbuf *err)
{
	int rc = channel_config_validate((enum channel_kind)c->kind, cfg,
					 app->cfg.allow_private_webhooks, err);

	keys_seal_config(cfg);	/* secrets are sealed at rest */
	free(c->config);
	c->config = json_dumps(cfg, JSON_COMPACT);
	json_decref(cfg);
	return rc;
}

int app_channel_create(struct app *app, struct store *st,
		       const struct principal *p, const struct channel_in *in,
		       int64_t now_ms, struct channel *out,
		       struct errbuf *err)
{
	int rc = app_may(p, A_CHANNEL_MANAGE, NULL, err);

	*out = (struct channel){ .enabled = true };
	if (!rc && (out->kind = channel_kind_parse(in->kind)) < 0)
		rc = err_ret(err, ERMS_EINVAL, "invalid", "kind is email, "
			     "webhook, slack, dingtalk, wecom or feishu");
	if (!rc)
		rc = set_config(app, out, json_deep_copy(in->config), err);
	if (!rc) {
		apply(out, in);
		out->created_ms = now_ms;
		app_stamp(&out->stamp, p);
		rc = store_channel_insert(st, out);
		if (rc == ERMS_ECONFLICT)
			errbuf_set(err, "conflict", "a channel '%s' exists",
				   out->name);
	}
	if (!rc)
		rc = channel_audit(st, p, "channel.create", out, now_ms);
	return rc;
}

/* in->config merged into c's stored config (secrets not given stay as
 * they were), checked and stored as c's config. */
static int merge_config(struct app *app, struct channel *c,
			const json_t *given, struct errbuf *err)
{
	json_t *cfg = json_loads(c->config, 0, NULL);

	if (keys_open_config(cfg)) {
		json_decref(cfg);
		return err_ret(err, ERMS_ESTORE, "unavailable",
			       "the channel's stored secrets do not open with "
			       "this key file");
	}
	json_object_update(cfg, (json_t *)given);
	return set_config(app, c, cfg, err);
}

int app_channel_update(struct app *app, struct store *st,
		       const struct principal *p, int64_t id,
		       const struct channel_in *in, int64_t now_ms,
		       struct channel *out, struct errbuf *err)
{
	int rc = app_may(p, A_CHANNEL_MANAGE, NULL, err);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = store_channel_get(st, id, out);
	if (!rc)
		rc = app_version_check(st, p, in->version, &out->stamp,
				       out->updated_ms, VK_CHANNEL, out->name,
				       err);
	if (!rc && in->config)
		rc = merge_config(app, out, in->config, err);
	if (!rc) {
		apply(out, in);
		out->updated_ms = now_ms;
		app_stamp(&out->stamp, p);
		rc = store_channel_update(st, out);
	}
	if (!rc)
		rc = channel_audit(st, p, "channel.update", out, now_ms);
	return rc;
}

int app_channel_delete(struct store *st, const struct principal *p,
		       int64_t id, int64_t now_ms, struct errbuf *err)
{
	struct channel c = { 0 };
	bool disabled = false;
	int rc = app_may(p, A_CHANNEL_MANAGE, NULL, err);

	if (!rc)
		rc = store_channel_get(st, id, &c);
	if (!rc)
		rc = store_channel_delete(st, c.id, &disabled);
	if (!rc)
		rc = channel_audit(st, p, disabled ? "channel.disable"
						   : "channel.delete", &c,
				   now_ms);
	channel_release(&c);
	return rc;
}

int app_channel_test(struct app *app, struct store *st,
		     const struct principal *p, int64_t id, const char *lang,
		     struct channel *out, struct channel_test_result *res,
		     struct errbuf *err)
{
	int rc = app_may(p, A_CHANNEL_MANAGE, NULL, err);

	memset(out, 0, sizeof(*out));
	memset(res, 0, sizeof(*res));
	if (!rc)
		rc = store_channel_get(st, id, out);
	if (!rc && !app->channel_test)
		rc = err_ret(err, ERMS_ESTORE, "unavailable",
			     "no delivery worker runs");
	if (!rc)
		rc = app->channel_test(app->channel_test_ctx, out, lang,
				       p->user.email, res->outcome, res->code,
				       res->error);
	return rc;
}

/* ---- the delivery log ------------------------------------------------- */

int app_notification_query(struct store *st, const char *incident,
			   const char *state, const char *channel,
			   struct notification_query *q, struct errbuf *err)
{
	memset(q, 0, sizeof(*q));
	if (state && notif_state_parse(state) < 0) {
		errbuf_set(err, "invalid", "no state '%s'", state);
		errbuf_field(err, "state");
		return ERMS_EINVAL;
	}
	if (incident) {
		struct incident_row r = { 0 };
		int rc = store_incident_get(st, incident, &r);

		q->incident_id = rc ? -1 : r.inc.id;
		incident_row_release(&r);
	}
	q->state = state;
	q->channel_id = channel ? strtoll(channel, NULL, 10) : 0;
	return 0;
}

int app_notification_page(struct store *st, const struct notification_query *q,
			  int64_t before_id, int limit,
			  app_notification_fn *fn, void *ctx)
{
	struct notification_filter f = {
		.incident_id = q->incident_id, .state = q->state,
		.channel_id = q->channel_id, .before_id = before_id,
		.limit = limit,
	};

	return store_notification_list(st, &f, fn, ctx);
}

int app_notification_retry(struct store *st, const struct principal *p,
			   int64_t id, int64_t now_ms,
			   struct notification *out, struct errbuf *err)
{
	int rc = app_may(p, A_NOTIFY_RETRY, NULL, err);
	char obj[40];

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = store_notification_get(st, id, out);
	if (!rc && out->state != NS_FAILED)
		rc = err_ret(err, ERMS_ECONFLICT, "conflict",
			     "only a failed message is retried");
	if (rc)
		return rc;
	out->state = NS_PENDING;
	out->attempts = 0;
	out->next_ms = now_ms;
	rc = store_notification_update(st, out);
	snprintf(obj, sizeof(obj), "notification:%lld", (long long)out->id);
	if (!rc)
		rc = audit_append(st, p->user.id, "notification.retry", obj,
				  out->idem_key, now_ms);
	return rc;
}
