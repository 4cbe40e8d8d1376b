/*
 * regstate.h - an incident's duty to report as it is stored: a JSON
 * object in the incident's `regulatory` column ("" when none ever
 * opened), read into core/regulatory.h's struct and written back.
 *
 * {"national": 3, "op": "other", "drill": false, "status": "due",
 *  "detected": ms, "opened": ms, "deadline": ms, "first": ms,
 *  "closed": ms, "final_due": ms, "final": ms, "told": bits,
 *  "reports": [{"n": 1, "kind": "first", "sent": ms}, ...]}
 */
#ifndef ERMS_APP_REGSTATE_H
#define ERMS_APP_REGSTATE_H

#include <jansson.h>

#include "core/regulatory.h"

/* text (NULL or "": none) into *o; *reports (if not NULL) receives the
 * list of reports, a new reference. */
void regstate_load(const char *text, struct reg_obligation *o,
		   json_t **reports);
/* The stored form of o with reports (borrowed; NULL: none); free() it. */
char *regstate_dump(const struct reg_obligation *o, const json_t *reports);

/*
 * The API form of stored (an incident's `regulatory` field): required,
 * national_level, operator_type, opened_at, deadline_at, status,
 * first_report_at, late_by_min (counted at now_ms while unsent),
 * final_due_at, final_report_at, drill, reports [{n, kind, sent_at}].
 */
json_t *regulatory_json(const char *stored, int64_t now_ms);

#endif
