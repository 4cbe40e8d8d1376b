/*
 * plannotice.h - who hears of a plan's revision, and the reminders to
 * acknowledge the version in force.
 *
 * Submitting a version tells the leadership group it awaits approval;
 * approving, rejecting and publishing tell its author; publishing also
 * tells the staff of every group of the plan what changed, so they read
 * it and acknowledge. Messages go through the outbox (app/notify.h) in
 * the transaction of the step, in each recipient's language.
 */
#ifndef ERMS_APP_PLANNOTICE_H
#define ERMS_APP_PLANNOTICE_H

#include <stdint.h>

#include "app/app.h"
#include "core/planflow.h"

/*
 * Tell of step (done by p) on version v; prev_n is the version v replaces
 * in force when step is PVS_PUBLISH (0: none), comment the reviewer's.
 */
int plan_notice_step(struct store *st, const struct principal *p,
		     const struct plan_version *v, enum pv_step step,
		     int prev_n, const char *comment, int64_t now_ms);

/*
 * The scheduler's step: remind everyone who has not acknowledged the
 * version in force once its acknowledgement.remind_after_days have passed
 * since it was published, and again each such period after the last
 * reminder, each person once per period. *n: reminders queued.
 */
int app_plan_reminders(struct store *st, int64_t now_ms, int *n);

#endif
