/*
 * incident.h - the life of an incident, as one table (SPEC.md §2).
 *
 *   (none) -report-> reported -ack-> acknowledged -activate-> active
 *                       |                 |                    |  ^
 *                       +-----dismiss-----+--> dismissed resolve  reopen
 *                                                              v  |
 *   reviewed <-review- closed <-close--------------------- resolved
 *
 *   and set-level: active -> active; and activate: reported -> active, the
 *   leadership deciding when command HQ stayed silent (its own right,
 *   A_INC_ACTIVATE_UNACKED: only once the reporting chain reached them).
 *
 * Every transition is a row of inc_table (incident.c): the table *is* the
 * state machine, and the tests walk it. Anything not in the table is
 * ERMS_ECONFLICT (HTTP 409). Who may take a step is the rights table's
 * business: each row names the `enum action` that may() is asked, and
 * incident_right() picks A_INC_RAISE or A_INC_LOWER for set-level.
 *
 * The level is a rank: 1 is the most severe, 0 means none (an incident has
 * no level until it is activated). Core does not know the plan, so it only
 * checks that a rank is positive; the caller checks it against the levels
 * of the plan version in force, and copies that level's targets into
 * struct incident.
 *
 * Timers. A level's targets are minutes, and each counts from a fixed
 * instant, as in the plan file:
 *   ack_min       from reported_ms, running while `reported`;
 *   activate_min  from reported_ms (not from the ack), running while
 *                 `reported` or `acknowledged`;
 *   resolve_min   from activated_ms, running while `active`; a reopened
 *                 incident is counted from its first activation again,
 *                 the time it spent resolved included.
 * A target's deadline is start + minutes * 60000 ms, and it is the first
 * millisecond of the breach: a step taken at the deadline is late.
 * A target of 0 means none. Before activation there is no level, so the
 * caller fills ack_min and activate_min at the report (app/incidents.c:
 * the reporting chain's first escalation for the ack, the proposed or
 * most severe level for activation) and sets resolve_min from the level
 * on activate and set-level. Targets whose timers have run are kept, so
 * that a recorded breach and the report's verdict always agree.
 *
 * Pure: no I/O, no clock (now_ms is an argument), no allocation. The
 * text that some steps carry (reason, summary, review) goes to the
 * timeline, not here; the table only says which a step requires.
 */
#ifndef ERMS_CORE_INCIDENT_H
#define ERMS_CORE_INCIDENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/rights.h"

enum inc_state {
	INC_NONE = -1,		/* not reported yet: the `from` of report */
	INC_REPORTED,
	INC_ACKNOWLEDGED,
	INC_ACTIVE,
	INC_DISMISSED,
	INC_RESOLVED,
	INC_CLOSED,
	INC_REVIEWED,
	INC__COUNT
};

enum inc_action {
	IA_REPORT, IA_ACK, IA_ACTIVATE, IA_DISMISS, IA_SET_LEVEL, IA_RESOLVE,
	IA_REOPEN, IA_CLOSE, IA_REVIEW,
	IA__COUNT
};

/* What a step must carry besides the actor (flags). */
enum inc_arg {
	IARG_LEVEL = 1 << 0,	/* level_rank of incident_apply() */
	IARG_REASON = 1 << 1,	/* text, to the timeline */
	IARG_SUMMARY = 1 << 2,	/* text, to the timeline */
	IARG_REVIEW = 1 << 3,	/* the review (应急总结) */
};

/* The targets, one bit each in struct incident's `breaches`. */
enum inc_breach {
	IB_ACK = 1 << 0,
	IB_ACTIVATE = 1 << 1,
	IB_RESOLVE = 1 << 2,
};

struct inc_transition {
	enum inc_state from;
	enum inc_action action;
	enum inc_state to;
	enum action right;	/* what may() is asked; see incident_right() */
	unsigned args;		/* enum inc_arg */
};

extern const struct inc_transition inc_table[];
extern const int inc_table_len;

/*
 * An incident's state and clock. Caller-owned, fixed-size, no pointers:
 * it can live on the stack and be copied. Times are int64 ms UTC and 0
 * means "not reached".
 */
struct incident {
	int64_t id;
	int64_t detected_ms;
	int64_t reported_ms;
	int64_t acked_ms;
	int64_t activated_ms;
	int64_t resolved_ms;	/* the last resolution; reopen clears it */
	int64_t closed_ms;
	int64_t reviewed_ms;
	int64_t dismissed_ms;
	enum inc_state state;
	int level;		/* rank, 1 the most severe; 0: none */
	int ack_min;		/* targets in minutes, 0: none (see top) */
	int activate_min;
	int resolve_min;
	unsigned breaches;	/* enum inc_breach: breaches recorded */
	bool is_drill;		/* same workflow; kept out of statistics */
};

/*
 * Start an incident that is not reported yet: zero everything, state
 * INC_NONE. detected_ms may be 0 (unknown: the report time is used).
 */
void incident_init(struct incident *inc, int64_t id, int64_t detected_ms,
		   bool is_drill);

/*
 * Take step `a` at now_ms (> 0). level_rank is the level of activate and
 * set-level and must be 0 for every other step.
 * Returns 0 and moves inc to the row's state, stamping the step's time
 * (report: reported_ms, and detected_ms if it was 0; ack: acked_ms;
 * activate: activated_ms, and acked_ms if it was 0; ...;
 * set-level: only the rank; reopen: clears resolved_ms). Otherwise inc is
 * left untouched and the result is
 *   ERMS_ECONFLICT  the step is not legal in inc->state (checked first);
 *   ERMS_EINVAL     a bad argument: now_ms <= 0, an unknown step, a
 *                   missing or negative rank, a rank on a step without
 *                   one, set-level to the level in force, or a report
 *                   whose detected_ms is after now_ms.
 * Targets and breaches are not touched: the caller sets the targets of
 * the new level after activate and set-level.
 */
int incident_apply(struct incident *inc, enum inc_action a, int level_rank,
		   int64_t now_ms);

/*
 * The right step `a` needs: that of its row from inc's state, else that
 * of its first row (legality is incident_allowed()'s question), so
 * activate from `reported` needs A_INC_ACTIVATE_UNACKED. For set-level: A_INC_LOWER when new_rank
 * is less severe (a larger number) than inc->level, else A_INC_RAISE, the
 * stricter, so a malformed request never needs less than leadership.
 * A__COUNT (which may() refuses) for an unknown step.
 */
enum action incident_right(const struct incident *inc, enum inc_action a,
			   int new_rank);

/* Is step a legal from state s? (s may be INC_NONE.) */
bool incident_allowed(enum inc_state s, enum inc_action a);
/* The steps legal from s, as a bit set of (1u << enum inc_action). */
unsigned incident_actions(enum inc_state s);
/* What step a must carry (enum inc_arg flags); 0 for an unknown step. */
unsigned incident_args(enum inc_action a);

/*
 * The breaches (enum inc_breach) due at now_ms and not yet recorded in
 * inc->breaches: those whose timer runs in the current state (see top)
 * and whose deadline is <= now_ms. The caller records them with
 * `inc->breaches |= due`, shows them and escalates; they are not returned
 * again. A step taken late does not set a bit by itself: the durations
 * below tell the report whether each target was met.
 */
unsigned incident_due_breaches(const struct incident *inc, int64_t now_ms);

/*
 * The earliest deadline among the running timers not yet recorded, in ms,
 * or 0 when none runs, so a timer thread can sleep until then. A result
 * <= now means incident_due_breaches() has something now.
 */
int64_t incident_next_deadline(const struct incident *inc);

/* The steps of a report (应急总结), in order. */
enum inc_step { IST_ACK, IST_ACTIVATE, IST_RESOLVE, IST_CLOSE, IST__COUNT };

enum inc_verdict {
	IV_NONE,		/* no target, or the step was not reached */
	IV_MET,			/* taken before the deadline */
	IV_MISSED,		/* taken at or after the deadline */
};

struct inc_duration {
	int64_t ms;		/* since the step before; -1: not reached */
	int64_t counted_ms;	/* since the target's start; -1: not reached */
	int64_t target_ms;	/* 0: no target */
	enum inc_verdict verdict;
};

struct inc_durations {
	struct inc_duration step[IST__COUNT];	/* by enum inc_step */
};

/*
 * Fill d->step[] with report->ack, ack->activate, activate->resolve and
 * resolve->close (the last resolution), each compared with its target:
 * ack_min for IST_ACK and activate_min for IST_ACTIVATE, both counted
 * from the report (so IST_ACTIVATE's counted_ms is report->activate),
 * resolve_min for IST_RESOLVE counted from activation; IST_CLOSE has
 * none. A clock that went back gives 0, never a negative duration.
 */
void incident_durations(const struct incident *inc, struct inc_durations *d);

/* "reported", ..., "none" for INC_NONE, "?" out of range. */
const char *incident_state_name(enum inc_state s);
/* The state named s, or -1 if unknown ("none" is not a state to parse). */
int incident_state_parse(const char *s);
/* "report", "ack", "activate", "dismiss", "set-level", ...; "?" if out. */
const char *incident_action_name(enum inc_action a);
/* The step named s (the API's action names), or -1 if unknown. */
int incident_action_parse(const char *s);

#endif
