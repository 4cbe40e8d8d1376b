/*
 * incidents.h - reporting and handling incidents (信息报告 -> 应急响应 ->
 * 应急处置 -> 应急结束 -> 应急总结).
 *
 * Every change here happens in the caller's transaction and leaves three
 * traces in it: an immutable timeline entry, an audit row, and an event
 * row that live subscribers receive once the transaction is committed.
 * The state machine and the timers are core/incident.h's; this file adds
 * the plan (levels, measures, categories), the tasks and the texts.
 */
#ifndef ERMS_APP_INCIDENTS_H
#define ERMS_APP_INCIDENTS_H

#include <jansson.h>
#include <stdbool.h>

#include "app/app.h"
#include "app/timeline.h"
#include "core/incident.h"
#include "store/store.h"

struct incident_input {
	const char *title;
	const char *description;
	const char *impact;
	const char *category;		/* a category key of the plan in force */
	const char *proposed_level;	/* a level key, or NULL */
	int64_t detected_ms;		/* 0: now */
	bool is_drill;
	const char *source;		/* NULL: "manual"; else the kind of
					 * the integration reporting it */
	int64_t integration_id;		/* 0: none */
	int64_t reporter_id;		/* 0: the principal's user; an
					 * integration's report names the
					 * user who set it up */
};

struct incident_args {
	const char *level;		/* activate, set-level */
	const char *reason;		/* dismiss, set-level, reopen */
	const char *summary;		/* resolve */
	const json_t *review;		/* review: {cause, impact, went_well,
					 * went_badly, lessons, action_items} */
	int64_t version;		/* the version the step was taken
					 * from; 0: none (app/version.h) */
	const char *assessment;		/* ack: command HQ's assessment */
	const char *proposed_level;	/* ack: the level it proposes (a
					 * level key of the incident's plan) */
};

/* Report an incident under the plan in force (409 when there is none). */
int app_incident_report(struct store *st, const struct principal *p,
			const struct incident_input *in, int64_t now_ms,
			struct incident_row *out, struct errbuf *err);
/* Take a step of the state machine on the incident `key` (id or number).
 * *out is released before it is filled. */
int app_incident_act(struct store *st, const struct principal *p,
		     const char *key, enum inc_action a,
		     const struct incident_args *args, int64_t now_ms,
		     struct incident_row *out, struct errbuf *err);
/*
 * What one incident's JSON carries besides its row, for those deciding:
 * "open_tasks" (todo or doing) and "blocked_tasks", and
 * "chain_reached_leadership" (the reporting chain has told the
 * leadership group, who may then acknowledge and decide: core/rights.h
 * R_ESCALATED). Adds them to o.
 */
int app_incident_extras(struct store *st, const struct incident_row *r,
			json_t *o);
/* A note on the timeline; fills *entry_id. */
int app_incident_note(struct store *st, const struct principal *p,
		      const char *key, const char *text, int64_t now_ms,
		      int64_t *entry_id, struct errbuf *err);

struct task_change {
	const char *title;		/* NULL: unchanged */
	const char *status;
	const char *notes;
	bool set_assignee;
	int64_t assignee_id;		/* 0: nobody */
	bool set_due;
	int64_t due_ms;			/* 0: none */
	int64_t version;		/* the version the change was made
					 * from; 0: none (app/version.h) */
};

/* A task for `group` (a group of the incident's plan). */
int app_task_create(struct store *st, const struct principal *p,
		    const char *key, const char *title, const char *group,
		    int64_t assignee_id, int64_t due_ms, int64_t now_ms,
		    struct task *out, struct errbuf *err);
/* Members of the task's group and command HQ may change a task. */
int app_task_update(struct store *st, const struct principal *p,
		    int64_t task_id, const struct task_change *c,
		    int64_t now_ms, struct task *out, struct errbuf *err);
/* May p read incidents (and so their events)? */
bool app_incident_readable(const struct principal *p);

#endif
