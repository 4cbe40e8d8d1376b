/*
 * escalate.h - the incident timers: targets breached and the reporting
 * chain's tiers coming due. Each pair is a cheap read (is anything due?)
 * and the write that records it, run by the app's tick (app/tick.h).
 * Plans are read typed, from the app's cache pc.
 */
#ifndef ERMS_APP_ESCALATE_H
#define ERMS_APP_ESCALATE_H

#include <stdbool.h>
#include <stdint.h>

#include "app/plancache.h"
#include "store/store.h"

/*
 * Timers. app_breaches_due() reads: is any target of an open incident
 * breached at now_ms and not yet recorded? app_breaches_record() writes
 * each such breach once (timeline, event, audit) and counts them.
 */
bool app_breaches_due(struct store *st, int64_t now_ms);
int app_breaches_record(struct plan_cache *pc, struct store *st,
			int64_t now_ms, int *count);

/*
 * The reporting chain: app_escalation_due() reads whether a tier is due
 * for a report nobody acknowledged; app_escalation_run() queues those
 * tiers' messages (app/notify.h) and marks them told.
 */
bool app_escalation_due(struct plan_cache *pc, struct store *st,
			int64_t now_ms);
int app_escalation_run(struct plan_cache *pc, struct store *st,
		       int64_t now_ms, int *queued);

#endif
