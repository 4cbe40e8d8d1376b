/*
 * planflow.h - the life of a plan version, as one table.
 *
 *   draft --submit--> in_review --approve--> approved --publish--> published
 *     ^                   |                                           |
 *     +-----reject--------+               (next publication) --> superseded
 *
 * Only a draft may be edited; a published version is immutable. Who may
 * take each step is the rights table's business (A_PLAN_*); this table
 * says which steps exist. Pure: no I/O.
 */
#ifndef ERMS_CORE_PLANFLOW_H
#define ERMS_CORE_PLANFLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rights.h"

enum pv_status {
	PV_DRAFT, PV_IN_REVIEW, PV_APPROVED, PV_PUBLISHED, PV_SUPERSEDED,
	PV__COUNT
};

enum pv_step { PVS_EDIT, PVS_SUBMIT, PVS_APPROVE, PVS_REJECT, PVS_PUBLISH,
	       PVS__COUNT };

struct pv_transition {
	enum pv_status from;
	enum pv_step step;
	enum pv_status to;
	enum action right;	/* what may() is asked */
};

extern const struct pv_transition pv_table[];
extern const int pv_table_len;

/* The next status, or ERMS_ECONFLICT when step is illegal from `from`. */
int pv_next(enum pv_status from, enum pv_step step, enum pv_status *to);
/* The right a step needs. */
enum action pv_right(enum pv_step step);

/*
 * Four eyes. Nobody who imported, replaced or edited a version approves
 * or rejects it (the version's editors are R_AUTHOR). And a membership
 * of the leadership group counts for approvals only from a time fixed
 * when it is made:
 *   - at once (0) when a local command makes it (whoever runs one holds
 *     the database anyway) or while no plan is in force (the
 *     organisation is being set up: nobody reviews plans yet);
 *   - else after the cooling-off of the plan in force, `cooling_off_h`
 *     hours (cooling_h < 0: the plan sets none, PV_COOLING_OFF_H_DEFAULT).
 * So an administrator who puts themselves (or an account they control)
 * into the leadership group approves nothing before the cooling-off has
 * passed, and the change stands in the audit log all that time.
 */
#define PV_COOLING_OFF_H_DEFAULT 24
#define PV_COOLING_OFF_H_MAX 720

/* When a membership made at now_ms starts to count for approvals. */
int64_t pv_review_from(bool by_local_command, bool plan_in_force,
		       int cooling_h, int64_t now_ms);
/* Does a membership counting from from_ms count at now_ms? */
bool pv_review_settled(int64_t from_ms, int64_t now_ms);

const char *pv_status_name(enum pv_status s);
int pv_status_parse(const char *s);	/* -1 if unknown */
const char *pv_step_name(enum pv_step s);
int pv_step_parse(const char *s);	/* -1 if unknown */

#endif
