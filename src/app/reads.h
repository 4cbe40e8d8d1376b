/*
 * reads.h - what a reader may see of incidents, their events, plans and
 * drills: the read use cases beside the writes of app/incidents.h,
 * app/plans.h and app/drills.h.
 *
 * Each asks the right to read (may()) and hands rows to a callback; the
 * rows are borrowed for the call. Lists of one incident share one shape:
 * the right, the incident by its reference (an id or a number), then its
 * rows.
 */
#ifndef ERMS_APP_READS_H
#define ERMS_APP_READS_H

#include <stdint.h>

#include "app/app.h"
#include "app/drills.h"
#include "app/incidents.h"
#include "util/buf.h"

typedef int app_incident_fn(void *ctx, const struct incident_row *r);
typedef int app_task_fn(void *ctx, const struct task *t);
typedef int app_entry_fn(void *ctx, const struct timeline_entry *e);
typedef int app_event_fn(void *ctx, int64_t id, int64_t at_ms,
			 const char *kind, int64_t incident_id,
			 const char *data);
typedef int app_plan_fn(void *ctx, const struct plan_row *p);
typedef int app_version_fn(void *ctx, const struct plan_version *v);
typedef int app_editor_fn(void *ctx, int64_t user_id, const char *login,
			  const char *display_name, int64_t first_ms,
			  int64_t last_ms);
typedef int app_ack_fn(void *ctx, int64_t user_id, const char *login,
		       const char *display_name, int64_t acked_ms);
typedef int app_drill_fn(void *ctx, const struct drill_row *d);
typedef int app_stat_fn(void *ctx, const struct incident_stat *s);

/* Incident `ref` into *out (release with incident_row_release()). */
int app_incident_read(struct store *st, const struct principal *p,
		      const char *ref, struct incident_row *out,
		      struct errbuf *e);
/* The incidents f selects, to fn. */
int app_incident_list(struct store *st, const struct principal *p,
		      const struct incident_filter *f, app_incident_fn *fn,
		      void *ctx, struct errbuf *e);
/* The tasks, the timeline and the supply movements of incident `ref`. */
int app_incident_tasks(struct store *st, const struct principal *p,
		       const char *ref, app_task_fn *fn, void *ctx,
		       struct errbuf *e);
/* The timeline's entries come with their text in lang and times in
 * p's zone (app_timeline_render()). */
int app_incident_timeline(struct store *st, const struct principal *p,
			  const char *ref, const char *lang, app_entry_fn *fn,
			  void *ctx, struct errbuf *e);
int app_incident_movements(struct store *st, const struct principal *p,
			   const char *ref,
			   int (*fn)(void *ctx, const struct movement *m),
			   void *ctx, struct errbuf *e);
/* The report of incident `ref` in lang (app/report.h's format f), times
 * in p's zone, generated at now_ms: *doc (*len bytes) to free. */
int app_incident_document(struct store *st, const struct principal *p,
			  const char *ref, const char *lang, int f,
			  int64_t now_ms, char **doc, size_t *len,
			  struct errbuf *e);
/* Real incidents reported in [from_ms, to_ms), grouped, to fn. */
int app_incident_stats(struct store *st, const struct principal *p,
		       int64_t from_ms, int64_t to_ms, app_stat_fn *fn,
		       void *ctx, struct errbuf *e);

/* Opening an event stream: the right, and with no id to resume after
 * (resume false) *last_id the newest event's. */
int app_events_open(struct store *st, const struct principal *p,
		    bool resume, int64_t *last_id, struct errbuf *e);
/* Up to limit events after after_id, to fn. */
int app_event_list(struct store *st, const struct principal *p,
		   int64_t after_id, int limit, app_event_fn *fn, void *ctx);

/* Every plan, to fn. */
int app_plan_list(struct store *st, const struct principal *p,
		  app_plan_fn *fn, void *ctx, struct errbuf *e);
/* The versions (without texts) of plan `ref` (an id or a key), to fn;
 * ERMS_ENOTFOUND when it has none. */
int app_plan_versions(struct store *st, const struct principal *p,
		      const char *ref, app_version_fn *fn, void *ctx,
		      struct errbuf *e);
/* Version n of plan `ref`, with texts, into *out (release with
 * plan_version_release()). */
int app_plan_version(struct store *st, const struct principal *p,
		     const char *ref, int n, struct plan_version *out,
		     struct errbuf *e);
/* The version in force; ERMS_ENOTFOUND when none is. */
int app_plan_current(struct store *st, const struct principal *p,
		     struct plan_version *out, struct errbuf *e);
/* Everyone who imported, replaced or edited version id, to fn. */
int app_plan_editors(struct store *st, const struct principal *p,
		     int64_t version_id, app_editor_fn *fn, void *ctx);
/* Version n of plan `ref` into *out and its acknowledgements (of the
 * group `group`, unless NULL) to fn. */
int app_plan_acks(struct store *st, const struct principal *p,
		  const char *ref, int n, const char *group, app_ack_fn *fn,
		  void *ctx, struct plan_version *out, struct errbuf *e);

/* Drills scheduled in [from_ms, to_ms) (to_ms 0: all), to fn. */
int app_drill_list(struct store *st, const struct principal *p,
		   int64_t from_ms, int64_t to_ms, app_drill_fn *fn,
		   void *ctx, struct errbuf *e);
/* Drill id into *out (release with drill_row_release()). */
int app_drill_read(struct store *st, const struct principal *p, int64_t id,
		   struct drill_row *out, struct errbuf *e);
/* The planned and running drills as iCalendar text into ics. */
int app_drill_calendar(struct store *st, const struct principal *p,
		       int64_t now_ms, struct buf *ics, struct errbuf *e);

#endif
