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

const char *pv_status_name(enum pv_status s);
int pv_status_parse(const char *s);	/* -1 if unknown */
const char *pv_step_name(enum pv_step s);
int pv_step_parse(const char *s);	/* -1 if unknown */

#endif
