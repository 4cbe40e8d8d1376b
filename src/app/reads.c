/*
 * reads.c - the read use cases of incidents, events, plans and drills.
 */
#include "app/reads.h"

#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/plancache.h"
#include "app/plans.h"
#include "app/report.h"
#include "app/timeline.h"
#include "app/zone.h"
#include "plan/model.h"
#include "core/drill.h"
#include "store/store.h"
#include "util/xalloc.h"

#define DRILL_CALENDAR "应急演练 / Drills"

/* What one incident's list walks: one of these, with ctx. */
struct rows {
	app_task_fn *task;
	app_entry_fn *entry;
	int (*movement)(void *ctx, const struct movement *m);
	void *ctx;
};

/* The one shape of an incident's list: the right, the incident, rows. */
static int of_incident(struct store *st, const struct principal *p,
		       const char *ref, const struct rows *w,
		       struct errbuf *e)
{
	struct incident_row r = { 0 };
	int rc = app_may(p, A_INC_READ, NULL, e);

	if (!rc)
		rc = store_incident_get(st, ref, &r);
	if (!rc && w->task)
		rc = store_task_list(st, r.inc.id, w->task, w->ctx);
	else if (!rc && w->entry)
		rc = store_timeline_list(st, r.inc.id, 0, w->entry, w->ctx);
	else if (!rc)
		rc = store_movements_of_incident(st, r.inc.id, w->movement,
						 w->ctx);
	incident_row_release(&r);
	return rc;
}

int app_incident_read(struct store *st, const struct principal *p,
		      const char *ref, struct incident_row *out,
		      struct errbuf *e)
{
	int rc = app_may(p, A_INC_READ, NULL, e);

	return rc ? rc : store_incident_get(st, ref, out);
}

int app_incident_list(struct store *st, const struct principal *p,
		      const struct incident_filter *f, app_incident_fn *fn,
		      void *ctx, struct errbuf *e)
{
	int rc = app_may(p, A_INC_READ, NULL, e);

	return rc ? rc : store_incident_list(st, f, fn, ctx);
}

int app_incident_tasks(struct store *st, const struct principal *p,
		       const char *ref, app_task_fn *fn, void *ctx,
		       struct errbuf *e)
{
	struct rows w = { .task = fn, .ctx = ctx };

	return of_incident(st, p, ref, &w, e);
}

struct rendered {
	app_entry_fn *fn;
	void *ctx;
	const struct plan *plan;
	const char *lang;
	char zone[64];
};

/* store_timeline_fn: e with its text for the reader, to the caller. */
static int render_entry(void *ctx, const struct timeline_entry *e)
{
	struct rendered *x = ctx;
	struct timeline_entry copy = *e;
	char *text = app_timeline_render(e, x->plan, x->lang, x->zone);
	int rc;

	copy.text = text;
	rc = x->fn(x->ctx, &copy);
	free(text);
	return rc;
}

int app_incident_timeline(struct store *st, const struct principal *p,
			  const char *ref, const char *lang, app_entry_fn *fn,
			  void *ctx, struct errbuf *e)
{
	struct incident_row r = { 0 };
	struct rendered x = { fn, ctx, NULL, lang, "" };
	int rc = app_may(p, A_INC_READ, NULL, e);

	if (!rc)
		rc = store_incident_get(st, ref, &r);
	if (!rc) {
		app_zone_for(st, p, x.zone);
		plan_load(st, r.plan_version_id, &x.plan);
		rc = store_timeline_list(st, r.inc.id, 0, render_entry, &x);
		plan_unref(x.plan);
	}
	incident_row_release(&r);
	return rc;
}

int app_incident_movements(struct store *st, const struct principal *p,
			   const char *ref,
			   int (*fn)(void *ctx, const struct movement *m),
			   void *ctx, struct errbuf *e)
{
	struct rows w = { .movement = fn, .ctx = ctx };

	return of_incident(st, p, ref, &w, e);
}

int app_incident_document(struct store *st, const struct principal *p,
			  const char *ref, const char *lang, int f,
			  int64_t now_ms, char **doc, size_t *len,
			  struct errbuf *e)
{
	int rc = app_may(p, A_INC_READ, NULL, e);

	*doc = NULL;
	*len = 0;
	if (rc)
		return rc;
	char zone[64];

	app_zone_for(st, p, zone);
	*doc = app_report(st, ref, lang, zone, (enum report_format)f,
			  now_ms, len, &rc);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(e, rc, "not_found", "no incident '%s'", ref);
	return *doc ? 0 : rc ? rc : ERMS_ESTORE;
}

int app_incident_stats(struct store *st, const struct principal *p,
		       int64_t from_ms, int64_t to_ms, app_stat_fn *fn,
		       void *ctx, struct errbuf *e)
{
	int rc = app_may(p, A_INC_READ, NULL, e);

	return rc ? rc : store_incident_stats(st, from_ms, to_ms, fn, ctx);
}

int app_events_open(struct store *st, const struct principal *p,
		    bool resume, int64_t *last_id, struct errbuf *e)
{
	int rc = app_may(p, A_INC_READ, NULL, e);

	return rc || resume ? rc : store_event_last(st, last_id);
}

int app_event_list(struct store *st, const struct principal *p,
		   int64_t after_id, int limit, app_event_fn *fn, void *ctx)
{
	if (!may(&p->actor, A_INC_READ, NULL))
		return ERMS_EPERM;
	return store_event_list(st, after_id, limit, fn, ctx);
}

int app_plan_list(struct store *st, const struct principal *p,
		  app_plan_fn *fn, void *ctx, struct errbuf *e)
{
	int rc = app_may(p, A_PLAN_READ, NULL, e);

	return rc ? rc : store_plan_list(st, fn, ctx);
}

/* The right to read plans and the id of plan `ref`. */
static int plan_of(struct store *st, const struct principal *p,
		   const char *ref, int64_t *id, struct errbuf *e)
{
	int rc = app_may(p, A_PLAN_READ, NULL, e);

	return rc ? rc : app_plan_resolve(st, ref, id, e);
}

struct count {
	app_version_fn *fn;
	void *ctx;
	int n;
};

static int count_version(void *ctx, const struct plan_version *v)
{
	struct count *c = ctx;

	c->n++;
	return c->fn(c->ctx, v);
}

int app_plan_versions(struct store *st, const struct principal *p,
		      const char *ref, app_version_fn *fn, void *ctx,
		      struct errbuf *e)
{
	struct count c = { fn, ctx, 0 };
	int64_t id = 0;
	int rc = plan_of(st, p, ref, &id, e);

	if (!rc)
		rc = store_pv_list(st, id, count_version, &c);
	return !rc && !c.n ? ERMS_ENOTFOUND : rc;
}

int app_plan_version(struct store *st, const struct principal *p,
		     const char *ref, int n, struct plan_version *out,
		     struct errbuf *e)
{
	int64_t id = 0;
	int rc = plan_of(st, p, ref, &id, e);

	return rc ? rc : store_pv_get(st, id, n, out);
}

int app_plan_current(struct store *st, const struct principal *p,
		     struct plan_version *out, struct errbuf *e)
{
	int rc = app_may(p, A_PLAN_READ, NULL, e);

	return rc ? rc : store_pv_current(st, out);
}

int app_plan_editors(struct store *st, const struct principal *p,
		     int64_t version_id, app_editor_fn *fn, void *ctx)
{
	if (!may(&p->actor, A_PLAN_READ, NULL))
		return ERMS_EPERM;
	return store_pv_editors(st, version_id, fn, ctx);
}

int app_plan_acks(struct store *st, const struct principal *p,
		  const char *ref, int n, const char *group, app_ack_fn *fn,
		  void *ctx, struct plan_version *out, struct errbuf *e)
{
	int64_t id = 0;
	int rc = plan_of(st, p, ref, &id, e);

	if (!rc)
		rc = app_may(p, A_PLAN_ACKS_READ, NULL, e);
	if (!rc)
		rc = store_pv_get(st, id, n, out);
	if (!rc)
		rc = store_ack_list(st, out->id, group, fn, ctx);
	return rc;
}

int app_drill_list(struct store *st, const struct principal *p,
		   int64_t from_ms, int64_t to_ms, app_drill_fn *fn,
		   void *ctx, struct errbuf *e)
{
	(void)p;
	(void)e;
	return store_drill_list(st, from_ms, to_ms, fn, ctx);
}

int app_drill_read(struct store *st, const struct principal *p, int64_t id,
		   struct drill_row *out, struct errbuf *e)
{
	(void)p;
	(void)e;
	return store_drill_get(st, id, out);
}

struct ics_list {
	struct drill_event *ev;
	struct drill_row *rows;
	int n, cap;
};

static int add_event(void *ctx, const struct drill_row *d)
{
	struct ics_list *l = ctx;
	struct drill_row *r;

	if (strcmp(d->status, "planned") && strcmp(d->status, "running"))
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->rows = xrealloc(l->rows, (size_t)l->cap * sizeof(*l->rows));
	}
	r = &l->rows[l->n++];
	*r = *d;
	r->detail = r->evaluation = NULL;	/* not needed, not owned */
	return 0;
}

int app_drill_calendar(struct store *st, const struct principal *p,
		       int64_t now_ms, struct buf *ics, struct errbuf *e)
{
	struct ics_list l = { 0 };
	int rc = app_drill_list(st, p, 0, 0, add_event, &l, e);

	if (!rc) {
		l.ev = xcalloc((size_t)l.n + 1, sizeof(*l.ev));
		for (int i = 0; i < l.n; i++)
			l.ev[i] = (struct drill_event){
				l.rows[i].id, l.rows[i].title,
				l.rows[i].category,
				drill_kind_parse(l.rows[i].kind),
				l.rows[i].scheduled_ms, l.rows[i].minutes,
				l.rows[i].location };
		rc = drill_ics(ics, DRILL_CALENDAR, l.ev, l.n, now_ms);
	}
	free(l.ev);
	free(l.rows);
	return rc < 0 ? rc : 0;
}

int app_audit_list(struct store *st, const struct principal *p,
		   int64_t after, int limit, app_audit_fn *fn, void *ctx,
		   struct errbuf *e)
{
	int rc = app_may(p, A_AUDIT_READ, NULL, e);

	return rc ? rc : store_audit_list(st, after, limit, fn, ctx);
}
