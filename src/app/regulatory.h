/*
 * regulatory.h - the duty to report to regulators (《国家网络安全事件报告
 * 管理办法》): the clock an incident of national level III or above runs,
 * its notices, the reports recorded, their documents, and the record of
 * a year. core/regulatory.h holds the rules; this file the use cases.
 *
 * The obligation lives on the incident (app/regstate.h). It opens in the
 * transaction that activates the incident or changes its level, from the
 * time the event was discovered; the timers (app_reg_tick) tell command
 * HQ and the leadership at half time, ten minutes before and when it is
 * missed. Reports are rows nobody changes: a correction is a follow-up.
 */
#ifndef ERMS_APP_REGULATORY_H
#define ERMS_APP_REGULATORY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/types.h"
#include "plan/model.h"
#include "util/err.h"

struct plan_cache;
struct principal;
struct store;

/*
 * The level of r became `level` (activation or a change), or r was
 * resolved (level NULL, resolved): update r's obligation before r is
 * saved. *opened / *closed say what the caller tells after the save
 * (app_reg_told).
 */
int app_reg_step(struct store *st, struct incident_row *r,
		 const struct plan_level *level, bool resolved, int64_t now_ms,
		 bool *opened, bool *closed);
/* After the save: the timeline entry and, when it opened, the notice. */
int app_reg_told(struct store *st, const struct incident_row *r,
		 const struct plan *plan, bool opened, bool closed,
		 int64_t now_ms);

/* Is a notice due at now_ms (one look through an index)? */
bool app_reg_due(struct store *st, int64_t now_ms);
/* Send the notices due at now_ms; *count receives how many. */
int app_reg_tick(struct plan_cache *pc, struct store *st, int64_t now_ms,
		 int *count);

/*
 * The content of a new report of kind (first, follow_up, final) on
 * incident key, pre-filled from the incident, into *out:
 * {kind, content: {key: text}, items: [{key, label}]} (labels in lang).
 */
int app_reg_draft(struct store *st, const struct principal *p,
		  const char *key, const char *kind, const char *lang,
		  int64_t now_ms, json_t **out, struct errbuf *e);
/*
 * Record a report from body {kind, to, via, sent_at?, content?} (shape
 * checked by the caller; sent_at: ms in "sent_ms", 0: now). *out
 * receives the report as the API shows it.
 */
int app_reg_record(struct store *st, const struct principal *p,
		   const char *key, const json_t *body, int64_t sent_ms,
		   int64_t now_ms, json_t **out, struct errbuf *e);
/* The reports of incident key ({items}), or report n with its content. */
int app_reg_reports(struct store *st, const struct principal *p,
		    const char *key, int n, json_t **out, struct errbuf *e);
/* Report n of incident key as a zh-CN document: HTML (pdf false) or PDF;
 * free() *out, *len bytes. */
int app_reg_document(struct store *st, const struct principal *p,
		     const char *key, int n, bool pdf, int64_t now_ms,
		     char **out, size_t *len, struct errbuf *e);

/* The obligations opened in `year` (the organisation's zone) with a
 * summary, as GET /api/v1/regulatory answers. */
int app_reg_year(struct store *st, const struct principal *p, int year,
		 int64_t now_ms, json_t **out, struct errbuf *e);
/* The same as CSV in lang and the reader's zone; free() *out. */
int app_reg_csv(struct store *st, const struct principal *p, int year,
		const char *lang, const char *zone, int64_t now_ms,
		char **out, size_t *len, struct errbuf *e);

#endif
