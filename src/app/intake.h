/*
 * intake.h - monitoring intake: integrations (the monitors that may post
 * alerts), the payloads they post, and what an alert does to incidents.
 *
 * An integration has a kind (the payload it posts) and a secret key that
 * is its address (/api/v1/intake/{key}); only the key's SHA-256 is
 * stored. A payload is decoded into a batch of alerts (intake_decode(),
 * on the connection's thread, strictly: 400 naming the field), admitted
 * (app_intake_admit(), a reader: the key, enabled, the integration's rate
 * limit) and applied on the writer (app_intake_apply()): each alert is
 * deduplicated by its fingerprint, routed by the integration's rules,
 * held back by a maintenance window, grouped into one incident per group
 * and, for the first alert of a group, reported through the plan's
 * reporting chain as a person's report would be.
 */
#ifndef ERMS_APP_INTAKE_H
#define ERMS_APP_INTAKE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"
#include "core/alert.h"
#include "util/err.h"

enum intake_kind { IK_ALERTMANAGER, IK_GRAFANA, IK_EVENTS, IK_HEARTBEAT,
		   IK__COUNT };

/* "alertmanager", "grafana", "events", "heartbeat". */
const char *intake_kind_name(enum intake_kind k);
/* The inverse; -1 when not a kind. */
int intake_kind_from_name(const char *s);

#define INTAKE_KEY_MAX 64		/* bytes of a key as given */
#define INTAKE_DEDUP_MAX 255		/* bytes of a dedup_key / fingerprint */
#define INTAKE_GROUP_MAX 1024		/* bytes of a groupKey */
#define INTAKE_ALERTS_MAX 10000		/* alerts in one payload */
#define INTAKE_BODY_MAX (8u << 20)	/* bytes of a payload */

enum alert_action { AA_FIRING, AA_RESOLVED, AA_ACK };

/*
 * One alert of a payload. Strings are borrowed from the batch (its JSON
 * body or its own copies) and live as long as it.
 */
struct alert_in {
	enum alert_action action;
	/* Alertmanager's or Grafana's fingerprint, the event's dedup_key,
	 * else label_fingerprint() of the labels: never empty. */
	char fingerprint[INTAKE_DEDUP_MAX + 1];
	struct label_set labels;	/* sorted (label_sort) */
	struct label_set annotations;	/* sorted */
	const char *summary;		/* annotations.summary, the event's
					 * payload.summary; may be NULL */
	const char *severity;		/* the vendor's word (labels.severity,
					 * payload.severity); may be NULL */
	const char *source;		/* payload.source, labels.instance;
					 * may be NULL */
	const char *source_url;		/* generatorURL, links[0].href; may
					 * be NULL */
	const char *details;		/* the event's custom_details as JSON
					 * text, values of Grafana, or NULL */
	int64_t starts_ms;		/* 0: unknown (now is used) */
	int64_t ends_ms;		/* 0: none; a resolved alert's end */
};

/* A decoded payload. */
struct intake_batch {
	enum intake_kind kind;
	char group_key[INTAKE_GROUP_MAX + 1];	/* groupKey, or "" */
	char dedup_key[INTAKE_DEDUP_MAX + 1];	/* events: the answer's */
	struct alert_in *a;
	size_t n;
	/* What the strings above point into (intake_batch_release). */
	json_t *body;
	struct label *labels;		/* every alert's labels, one array */
	char **copies;
	size_t ncopies;
};

/*
 * Decode a payload of kind k: Alertmanager's webhook (version "4"),
 * Grafana's webhook contact point (version "1"), a PagerDuty Events API
 * v2 event (event_action trigger, acknowledge or resolve; a trigger
 * without dedup_key gets a new one), or a heartbeat (any body, or none:
 * body may be NULL; n is 0). Keeps a reference to body. 0, or
 * ERMS_EINVAL with e naming the field ("alerts[3].labels.severity"),
 * ERMS_ETOOBIG past INTAKE_ALERTS_MAX alerts.
 */
int intake_decode(enum intake_kind k, json_t *body, int64_t now_ms,
		  struct intake_batch *b, struct errbuf *e);
void intake_batch_release(struct intake_batch *b);

/* What the store keeps of an integration, as the intake needs it. */
struct intake_target {
	int64_t id;
	enum intake_kind kind;
	bool enabled;
	char name[NAME_MAX_ + 1];
};

/*
 * On the connection's thread, with a reader: the integration whose key
 * this is, enabled, and within its rate limit. ERMS_EAUTH for a key no
 * integration has (unknown, deleted, rotated away, or disabled: the
 * answer does not tell which), ERMS_ELIMIT with *retry_ms when the
 * integration's bucket is empty.
 */
int app_intake_admit(struct app *app, struct store *st, const char *key,
		     int64_t now_ms, struct intake_target *out,
		     int64_t *retry_ms, struct errbuf *e);

/* What a payload did. */
struct intake_result {
	int alerts;		/* in the payload */
	int created;		/* new alerts */
	int updated;		/* repeats of open alerts */
	int resolved;		/* alerts now resolved */
	int acked;		/* incidents acknowledged */
	int suppressed;		/* in a maintenance window, or dropped */
	int incidents_opened;	/* incidents reported */
	int64_t incident_id;	/* the incident of the first alert, or 0 */
	char incident_number[32];
	char dedup_key[INTAKE_DEDUP_MAX + 1];	/* events: the answer's */
};

/*
 * On the writer, in the caller's transaction: apply batch b to
 * integration id (a heartbeat: its last call is now, and its missed
 * alert, if one is open, resolves). Writes the alerts, the incidents the
 * first alerts of their groups report, their timeline entries (in
 * batches), the messages the reporting chain sends, and the audit rows.
 * The integration's counts and last received time are updated.
 */
int app_intake_apply(struct app *app, struct store *st, int64_t id,
		     const struct intake_batch *b, int64_t now_ms,
		     struct intake_result *res, struct errbuf *e);

/*
 * The scheduler's step (app/tick.c): heartbeats missed (an alert, so an
 * incident), and the alerts of each group not yet on its incident's
 * timeline written there as one entry.
 */
int app_intake_tick(struct app *app, struct store *st, int64_t now_ms);
/* Has the tick anything to do at now_ms (two looks through indexes, on
 * a reader)? */
int app_intake_due(struct store *st, int64_t now_ms);

/*
 * Integrations, for administrators (A_INTEGRATION_MANAGE). Bodies are
 * checked strictly (ERMS_EINVAL naming the field); answers are the
 * integration's JSON (docs/api.md, "Integrations"), with "key" only from
 * create and rotate, and "url" built from the public URL.
 */
int app_integration_list(struct app *app, struct store *st,
			 const struct principal *p, json_t **items,
			 struct errbuf *e);
int app_integration_get(struct app *app, struct store *st,
			const struct principal *p, int64_t id, json_t **out,
			struct errbuf *e);
int app_integration_create(struct app *app, struct store *st,
			   const struct principal *p, const json_t *body,
			   int64_t now_ms, json_t **out, struct errbuf *e);
int app_integration_update(struct app *app, struct store *st,
			   const struct principal *p, int64_t id,
			   const json_t *body, int64_t now_ms, json_t **out,
			   struct errbuf *e);
int app_integration_rotate(struct app *app, struct store *st,
			   const struct principal *p, int64_t id,
			   int64_t now_ms, json_t **out, struct errbuf *e);
int app_integration_delete(struct app *app, struct store *st,
			   const struct principal *p, int64_t id,
			   int64_t now_ms, struct errbuf *e);
/*
 * A test alert through integration id's own path (its rules, grouping
 * and the reporting chain), as a drill so that nobody is paged as for a
 * real emergency: *out is {alert, incident} (incident may be null when
 * a rule or window holds it back).
 */
int app_integration_test(struct app *app, struct store *st,
			 const struct principal *p, int64_t id,
			 int64_t now_ms, json_t **out, struct errbuf *e);

/*
 * The alerts of incident `key` (id or number), oldest first, after the
 * alert id `after`, at most limit + 1 (the extra one tells there are
 * more) appended to items. Readable by whoever may read the incident.
 */
int app_incident_alerts(struct store *st, const struct principal *p,
			const char *key, int64_t after, int limit,
			json_t *items, struct errbuf *e);

#endif
