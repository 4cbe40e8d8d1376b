/*
 * incident.c - the incident state machine table, its timers and durations.
 */
#include "core/incident.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/types.h"

#include "util/err.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* SPEC.md §2, row for row (dismiss has two `from` states). */
const struct inc_transition inc_table[] = {
	{ INC_NONE, IA_REPORT, INC_REPORTED, A_INC_REPORT, 0 },
	{ INC_REPORTED, IA_ACK, INC_ACKNOWLEDGED, A_INC_ACK, 0 },
	{ INC_ACKNOWLEDGED, IA_ACTIVATE, INC_ACTIVE, A_INC_ACTIVATE,
	  IARG_LEVEL },
	/* The leadership deciding when command HQ stayed silent. */
	{ INC_REPORTED, IA_ACTIVATE, INC_ACTIVE, A_INC_ACTIVATE_UNACKED,
	  IARG_LEVEL },
	{ INC_REPORTED, IA_DISMISS, INC_DISMISSED, A_INC_DISMISS,
	  IARG_REASON },
	{ INC_ACKNOWLEDGED, IA_DISMISS, INC_DISMISSED, A_INC_DISMISS,
	  IARG_REASON },
	/* A_INC_LOWER instead when lowering: incident_right() */
	{ INC_ACTIVE, IA_SET_LEVEL, INC_ACTIVE, A_INC_RAISE,
	  IARG_LEVEL | IARG_REASON },
	{ INC_ACTIVE, IA_RESOLVE, INC_RESOLVED, A_INC_RESOLVE, IARG_SUMMARY },
	{ INC_RESOLVED, IA_REOPEN, INC_ACTIVE, A_INC_REOPEN, IARG_REASON },
	{ INC_RESOLVED, IA_CLOSE, INC_CLOSED, A_INC_CLOSE, 0 },
	{ INC_CLOSED, IA_REVIEW, INC_REVIEWED, A_INC_REVIEW, IARG_REVIEW },
};
const int inc_table_len = (int)N(inc_table);

static_assert(IA__COUNT <= 32, "incident_actions() returns a bit set");

static const struct inc_transition *row(enum inc_state s, enum inc_action a)
{
	for (int i = 0; i < inc_table_len; i++)
		if (inc_table[i].from == s && inc_table[i].action == a)
			return &inc_table[i];
	return NULL;
}

/* The first row of a step: its right and arguments do not vary by state. */
static const struct inc_transition *any_row(enum inc_action a)
{
	for (int i = 0; i < inc_table_len; i++)
		if (inc_table[i].action == a)
			return &inc_table[i];
	return NULL;
}

void incident_init(struct incident *inc, int64_t id, int64_t detected_ms,
		   bool is_drill)
{
	memset(inc, 0, sizeof(*inc));
	inc->id = id;
	inc->detected_ms = detected_ms;
	inc->is_drill = is_drill;
	inc->state = INC_NONE;
}

static int check_args(const struct incident *inc,
		      const struct inc_transition *t, int level_rank,
		      int64_t now_ms)
{
	if (now_ms <= 0)
		return ERMS_EINVAL;
	if (t->action == IA_REPORT &&
	    (inc->detected_ms < 0 || inc->detected_ms > now_ms))
		return ERMS_EINVAL;
	if (!(t->args & IARG_LEVEL))
		return level_rank ? ERMS_EINVAL : 0;
	if (level_rank < 1)
		return ERMS_EINVAL;
	if (t->action == IA_SET_LEVEL && level_rank == inc->level)
		return ERMS_EINVAL;
	return 0;
}

int incident_apply(struct incident *inc, enum inc_action a, int level_rank,
		   int64_t now_ms)
{
	const struct inc_transition *t;
	int rc;

	if ((unsigned)a >= IA__COUNT)
		return ERMS_EINVAL;
	t = row(inc->state, a);
	if (!t)
		return ERMS_ECONFLICT;
	rc = check_args(inc, t, level_rank, now_ms);
	if (rc)
		return rc;

	/* Nothing fails from here on. */
	switch (a) {
	case IA_REPORT:
		inc->reported_ms = now_ms;
		if (!inc->detected_ms)
			inc->detected_ms = now_ms;
		break;
	case IA_ACK:
		inc->acked_ms = now_ms;
		break;
	case IA_ACTIVATE:
		/* From `reported`, the decision acknowledges too. */
		if (!inc->acked_ms)
			inc->acked_ms = now_ms;
		inc->activated_ms = now_ms;
		inc->level = level_rank;
		break;
	case IA_DISMISS:
		inc->dismissed_ms = now_ms;
		break;
	case IA_SET_LEVEL:
		inc->level = level_rank;
		break;
	case IA_RESOLVE:
		inc->resolved_ms = now_ms;
		break;
	case IA_REOPEN:
		inc->resolved_ms = 0;
		break;
	case IA_CLOSE:
		inc->closed_ms = now_ms;
		break;
	case IA_REVIEW:
		inc->reviewed_ms = now_ms;
		break;
	case IA__COUNT:
		break;
	}
	inc->state = t->to;
	return 0;
}

enum action incident_right(const struct incident *inc, enum inc_action a,
			   int new_rank)
{
	const struct inc_transition *t = inc ? row(inc->state, a) : NULL;

	if (!t)
		t = any_row(a);
	if (!t)
		return A__COUNT;
	if (a == IA_SET_LEVEL && inc && inc->level > 0 &&
	    new_rank > inc->level)
		return A_INC_LOWER;
	return t->right;
}

bool incident_allowed(enum inc_state s, enum inc_action a)
{
	return row(s, a) != NULL;
}

unsigned incident_actions(enum inc_state s)
{
	unsigned set = 0;

	for (int i = 0; i < inc_table_len; i++)
		if (inc_table[i].from == s)
			set |= 1u << inc_table[i].action;
	return set;
}

unsigned incident_args(enum inc_action a)
{
	const struct inc_transition *t = any_row(a);

	return t ? t->args : 0;
}

/* One timer: the states it runs in, and where it counts from. */
static int64_t deadline(const struct incident *inc, enum inc_breach b)
{
	int64_t from = 0;
	int min = 0;

	switch (b) {
	case IB_ACK:
		if (inc->state == INC_REPORTED) {
			from = inc->reported_ms;
			min = inc->ack_min;
		}
		break;
	case IB_ACTIVATE:
		if (inc->state == INC_REPORTED ||
		    inc->state == INC_ACKNOWLEDGED) {
			from = inc->reported_ms;
			min = inc->activate_min;
		}
		break;
	case IB_RESOLVE:
		if (inc->state == INC_ACTIVE) {
			from = inc->activated_ms;
			min = inc->resolve_min;
		}
		break;
	}
	if (from <= 0 || min <= 0 || (inc->breaches & b))
		return 0;
	return from + min * MINUTE_MS;
}

static const enum inc_breach timers[] = { IB_ACK, IB_ACTIVATE, IB_RESOLVE };

unsigned incident_due_breaches(const struct incident *inc, int64_t now_ms)
{
	unsigned due = 0;

	for (size_t i = 0; i < N(timers); i++) {
		int64_t at = deadline(inc, timers[i]);

		if (at && now_ms >= at)
			due |= timers[i];
	}
	return due;
}

int64_t incident_next_deadline(const struct incident *inc)
{
	int64_t next = 0;

	for (size_t i = 0; i < N(timers); i++) {
		int64_t at = deadline(inc, timers[i]);

		if (at && (!next || at < next))
			next = at;
	}
	return next;
}

/* From `from` to `to`, -1 when either was not reached, never negative. */
static int64_t span(int64_t from, int64_t to)
{
	if (from <= 0 || to <= 0)
		return -1;
	return to > from ? to - from : 0;
}

static struct inc_duration step(int64_t ms, int64_t counted_ms, int min)
{
	struct inc_duration d = { ms, counted_ms, 0, IV_NONE };

	if (min > 0)
		d.target_ms = min * MINUTE_MS;
	if (d.target_ms && counted_ms >= 0)
		d.verdict = counted_ms < d.target_ms ? IV_MET : IV_MISSED;
	return d;
}

void incident_durations(const struct incident *inc, struct inc_durations *d)
{
	d->step[IST_ACK] = step(span(inc->reported_ms, inc->acked_ms),
				span(inc->reported_ms, inc->acked_ms),
				inc->ack_min);
	d->step[IST_ACTIVATE] = step(span(inc->acked_ms, inc->activated_ms),
				     span(inc->reported_ms, inc->activated_ms),
				     inc->activate_min);
	d->step[IST_RESOLVE] = step(span(inc->activated_ms, inc->resolved_ms),
				    span(inc->activated_ms, inc->resolved_ms),
				    inc->resolve_min);
	d->step[IST_CLOSE] = step(span(inc->resolved_ms, inc->closed_ms),
				  span(inc->resolved_ms, inc->closed_ms), 0);
}

static const char *const states[INC__COUNT] = {
	[INC_REPORTED] = "reported", [INC_ACKNOWLEDGED] = "acknowledged",
	[INC_ACTIVE] = "active", [INC_DISMISSED] = "dismissed",
	[INC_RESOLVED] = "resolved", [INC_CLOSED] = "closed",
	[INC_REVIEWED] = "reviewed",
};
static const char *const actions[IA__COUNT] = {
	[IA_REPORT] = "report", [IA_ACK] = "ack", [IA_ACTIVATE] = "activate",
	[IA_DISMISS] = "dismiss", [IA_SET_LEVEL] = "set-level",
	[IA_RESOLVE] = "resolve", [IA_REOPEN] = "reopen",
	[IA_CLOSE] = "close", [IA_REVIEW] = "review",
};

const char *incident_state_name(enum inc_state s)
{
	if (s == INC_NONE)
		return "none";
	return (unsigned)s < INC__COUNT ? states[s] : "?";
}

int incident_state_parse(const char *s)
{
	for (int i = 0; i < INC__COUNT; i++)
		if (!strcmp(s, states[i]))
			return i;
	return -1;
}

const char *incident_action_name(enum inc_action a)
{
	return (unsigned)a < IA__COUNT ? actions[a] : "?";
}

int incident_action_parse(const char *s)
{
	for (int i = 0; i < IA__COUNT; i++)
		if (!strcmp(s, actions[i]))
			return i;
	return -1;
}

void incident_row_release(struct incident_row *r)
{
	free(r->title);
	free(r->description);
	free(r->impact);
	free(r->summary);
	free(r->review_json);
	free(r->public_summary);
	free(r->assessment);
	free(r->public_title);
	free(r->public_message);
	free(r->regulatory);
	r->title = r->description = r->impact = r->summary = NULL;
	r->review_json = r->public_summary = r->assessment = NULL;
	r->public_title = r->public_message = r->regulatory = NULL;
}

void task_release(struct task *t)
{
	free(t->title);
	free(t->notes);
	free(t->titles);
	t->title = t->notes = t->titles = NULL;
}

static const char *const task_statuses[TS__COUNT] = { "todo", "doing", "done",
						      "blocked" };

const char *task_status_name(enum task_status s)
{
	return (unsigned)s < TS__COUNT ? task_statuses[s] : "?";
}

int task_status_parse(const char *s)
{
	for (int i = 0; i < TS__COUNT; i++)
		if (!strcmp(s, task_statuses[i]))
			return i;
	return -1;
}

void channel_release(struct channel *c)
{
	free(c->config);
	c->config = NULL;
}

void notification_release(struct notification *n)
{
	free(n->recipient);
	free(n->subject);
	free(n->text);
	free(n->markdown);
	free(n->mentions);
	free(n->link);
	free(n->ack_link);
	free(n->last_error);
	n->recipient = n->subject = n->text = n->markdown = NULL;
	n->link = n->ack_link = n->last_error = n->mentions = NULL;
}

static const char *const notif_states[NS__COUNT] = { "pending", "sent",
						     "failed", "merged" };

const char *notif_state_name(enum notif_state s)
{
	return (unsigned)s < NS__COUNT ? notif_states[s] : "?";
}

int notif_state_parse(const char *s)
{
	for (int i = 0; i < NS__COUNT; i++)
		if (!strcmp(s, notif_states[i]))
			return i;
	return -1;
}

static const char *const channel_kinds[CH__COUNT] = {
	"email", "webhook", "slack", "dingtalk", "wecom", "feishu",
};

const char *channel_kind_name(enum channel_kind k)
{
	return (unsigned)k < CH__COUNT ? channel_kinds[k] : "?";
}

int channel_kind_parse(const char *s)
{
	for (int i = 0; s && i < CH__COUNT; i++)
		if (!strcmp(s, channel_kinds[i]))
			return i;
	return -1;
}
