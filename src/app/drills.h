/*
 * drills.h - emergency drills (应急演练): planned, started as a drill
 * incident that runs the real workflow (notifications marked as drill),
 * completed, evaluated against a rubric and the level's targets, and
 * counted for the plan's yearly drill requirements.
 *
 * The state machine, the scores, the compliance arithmetic and the
 * iCalendar text are core/drill.h's; this file adds the store, the plan
 * in force and the incident.
 */
#ifndef ERMS_APP_DRILLS_H
#define ERMS_APP_DRILLS_H

#include <jansson.h>

#include "app/app.h"
#include "core/drill.h"
#include "store/store.h"

/* Days before the year ends when command HQ hears of overdue drills. */
#define DRILL_WARN_DAYS_DEFAULT 30

/*
 * Plan a drill: d holds title, kind, category, level (may be ""),
 * scheduled_ms, minutes, location and detail (JSON: participants,
 * scenario, injects). Category and level must be the plan's in force.
 */
int app_drill_plan(struct store *st, const struct principal *p,
		   struct drill_row *d, int64_t now_ms, struct errbuf *err);

/*
 * Take step s on drill id. start reports the drill incident; complete
 * needs the drill incident to be over (resolved, closed, reviewed or
 * dismissed: 409 "drill_incident_open" while it is still open); cancel
 * stops a planned or running drill; evaluate
 * takes args {scores: [{criterion, score, max}], findings: [{title,
 * group, revise_plan}], notes}: findings become tasks on the drill
 * incident. *out is the drill after the step.
 */
int app_drill_step(struct store *st, const struct principal *p, int64_t id,
		   enum drill_step s, const json_t *args, int64_t now_ms,
		   struct drill_row *out, struct errbuf *err);

/*
 * The compliance of `year` against the plan in force, counting the
 * drills completed or evaluated, but not those whose incident was
 * dismissed (nor cancelled ones, which never complete): *out is
 * {year, plan, lines: [{category, title, kind, required, done, overdue}],
 * overdue: [category keys]}. ERMS_ECONFLICT when no plan is in force.
 */
int app_drill_compliance(struct store *st, int year, json_t **out);

/*
 * Timed injects (情景注入): each inject of a running drill whose minute
 * has come (started_ms + at_min) and that is not marked delivered yet is
 * written to the drill incident's timeline (kind "inject") and sent to
 * the participants: the plan's groups that the drill's participants name
 * (by key or by name), else command HQ, which directs drills. The inject
 * is then marked (its "delivered_at" in the drill's detail), in the same
 * transaction, so it is delivered once, on the node that runs the
 * scheduler. *delivered: injects delivered.
 */
int app_drill_injects(struct store *st, int64_t now_ms, int *delivered);
/* Is an inject due at now_ms (a cheap look for the ticker)? */
bool app_drill_injects_due(struct store *st, int64_t now_ms);

/* In the last warn_days of the year, tell command HQ once which
 * categories are overdue. *told: messages queued. */
int app_drill_warn(struct store *st, int64_t now_ms, int warn_days,
		   int *told);

#endif
