/*
 * intake-run.h - what app/intake.c's apply shares with the scheduler's
 * step and the test alert (app/intake-tick.c): a run is one payload's
 * (or one tick's) work on one integration, in the writer's transaction:
 * its row and compiled settings, the groups it touched and the counts
 * it moved, written once by intake_run_finish().
 */
#ifndef ERMS_APP_INTAKE_RUN_H
#define ERMS_APP_INTAKE_RUN_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/intake.h"
#include "app/intake-conf.h"
#include "store/store.h"

#define FLUSH_MS 60000		/* one timeline entry of alerts a minute */

/* A group of this payload: its row as read, and what the payload did. */
struct intake_group {
	struct alert_group_row g;
	bool dirty;
	bool opened;		/* reported by this payload */
	bool newest;		/* the newest group of its key */
	int firing_before;	/* g.firing when read */
	json_t *names;		/* pending alerts by name, once loaded */
};

struct intake_run {
	struct app *app;
	struct store *st;
	int64_t now_ms;
	struct integration_row intg;
	enum intake_kind kind;
	struct intake_conf conf;
	bool conf_kept;			/* conf is the app's cache's */
	const struct plan *plan;	/* the plan in force, once needed */
	bool plan_loaded;
	bool drill;
	struct intake_group *gs;
	size_t ngs, capgs;
	int64_t total_add, firing_add;
	bool hb_missed;
	struct intake_result *res;
	struct errbuf *e;
};

/*
 * Start a run on integration id (not deleted, else ERMS_EAUTH): its row
 * and compiled settings. intake_intake_run_release() whatever it returns.
 */
int intake_run_start(struct intake_run *r, struct app *app, struct store *st,
		     int64_t id, int64_t now_ms, struct intake_result *res,
		     struct errbuf *e);
/* One alert (b, the payload it came in, may be NULL). */
int intake_apply_alert(struct intake_run *r, const struct intake_batch *b,
		       const struct alert_in *a);
/* Write what the run did: its groups and the integration's counts
 * (received: a payload came, its time is the last received). */
int intake_run_finish(struct intake_run *r, bool received);
void intake_run_release(struct intake_run *r);
/* The group of id, read once per run. */
int intake_group_get(struct intake_run *r, int64_t id,
		     struct intake_group **out);
/* The timeline entry of group s's pending alerts; they are then none. */
int intake_group_flush(struct intake_run *r, struct intake_group *s);
/* The heartbeat's missed alert, as a payload would bring it (labels in
 * l, the summary written to summary[len]). */
void intake_missed_alert(const struct intake_run *r, struct alert_in *a,
			 struct label l[2], bool resolved, char *summary,
			 size_t len);

#endif
