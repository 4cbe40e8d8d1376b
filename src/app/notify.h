/*
 * notify.h - who hears what, when: the reporting chain as messages.
 *
 * Each function here runs inside the transaction of the change it tells
 * about and writes its messages to the outbox there, so a crash loses
 * none: the delivery thread (app/delivery.c) sends them afterwards, at least
 * once. A message goes to a group's chat channels and to the e-mail of
 * the group's members (the person on duty, everyone, or the leads, as the
 * plan's reporting chain says), in each recipient's language, and carries
 * a one-time acknowledgement link.
 */
#ifndef ERMS_APP_NOTIFY_H
#define ERMS_APP_NOTIFY_H

#include <jansson.h>
#include <stdint.h>

#include "app/app.h"
#include "plan/model.h"

enum notify_event {
	NE_REPORT, NE_ESCALATE, NE_ACK, NE_ACTIVATE, NE_SET_LEVEL, NE_BREACH,
	NE_RESOLVE, NE_REOPEN, NE_CLOSE, NE_DISMISS, NE_BULLETIN, NE__COUNT
};

/* The event's name in the outbox and the API ("report", "set-level"). */
const char *notify_event_name(enum notify_event ev);

/*
 * Queue the messages for event ev of incident r (whose typed plan is
 * given); tier is the escalation tier for NE_REPORT/NE_ESCALATE, detail
 * a short text (the breached target, a reason). Writes one timeline entry
 * naming who was told. *queued receives the count.
 */
int notify_incident(struct store *st, const struct incident_row *r,
		    const struct plan *plan, enum notify_event ev, int tier,
		    const char *detail, int64_t now_ms, int *queued);

/* The key of the plan's group of `kind` (command, leadership), or NULL. */
const char *notify_kind_group(const struct plan *plan, const char *kind);

/*
 * A message to group `key` about no incident (low stock, inspections,
 * drill compliance): its chat channels and its members' e-mail.
 */
int notify_group(struct store *st, const char *key, const char *event,
		 const char *subject, const char *text, int64_t now_ms,
		 int *queued);

/*
 * A message about no incident written in both languages (plan approvals,
 * publications, reminders): to the chat channels and members' e-mail of
 * each of groups[0..ngroups), and by e-mail to user_id (0: nobody), each
 * person once, each in their language. path: the console's page it links
 * to ("#/plans?plan=key"), or NULL for the front page.
 */
struct notify_plan_msg {
	const char *event;
	const char *subject_zh, *text_zh, *subject_en, *text_en;
	const char *path;
	const char *const *groups;
	size_t ngroups;
	int64_t user_id;
};
int notify_plan(struct store *st, const struct notify_plan_msg *m,
		int64_t now_ms, int *queued);

/* The tiers of the reporting chain due at now_ms for a reported incident
 * nobody acknowledged, as a set of esc_told_add() bits (none told yet in
 * r->esc_tiers). */
unsigned notify_escalate_due(const struct incident_row *r,
			     const struct plan *plan, int64_t now_ms);
/* Queue the tiers of set tiers for r (which is not changed). */
int notify_escalate_tiers(struct store *st, const struct incident_row *r,
			  const struct plan *plan, unsigned tiers,
			  int64_t now_ms, int *queued);
/* The tiers of the reporting chain due at now_ms for a reported incident
 * nobody acknowledged: queue them and mark them told (r is updated). */
int notify_escalate(struct store *st, struct incident_row *r,
		    const struct plan *plan, int64_t now_ms, int *queued);

/*
 * Delivery outcomes per channel since the server started, for /metrics:
 * outcome is "sent", "merged", "retry", "throttled" or "failed". The
 * worker counts; metrics render them as erms_deliveries_total{channel,
 * kind,outcome} and the last error as erms_channel_failing{channel,kind}
 * (1 while the channel's last delivery did not go through).
 */
void notify_count(int64_t channel_id, const char *name, const char *kind,
		  const char *outcome);
struct buf;
void notify_metrics(struct buf *out);

#endif
