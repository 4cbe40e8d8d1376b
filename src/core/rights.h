/*
 * rights.h - who may do what: one table, one function.
 *
 * Rights come from what an actor is (signed in, administrator, member of
 * the leadership group, of command HQ, of a response team) and from how
 * the actor stands to the object (owns it, wrote it, belongs to its group).
 * The table in rights.c lists, for every action, the roles that allow it
 * and the roles that forbid it (the author of a plan version may never
 * approve it). Every route asks may(); nothing else decides.
 *
 * Leadership is never stuck: when command HQ stays silent and the
 * reporting chain reaches the leadership group, its members hold
 * R_ESCALATED on that incident and may acknowledge it and decide
 * (activate straight from `reported`, or dismiss) themselves.
 *
 * Approving and rejecting a plan version take R_REVIEWER, not only
 * R_LEADERSHIP: a new member of the leadership group reviews plans only
 * after the cooling-off the plan in force sets (pv_review_from()), and
 * R_AUTHOR covers everyone who imported, replaced or edited the version.
 *
 * Pure: no I/O. The caller fills struct actor from the session and
 * struct object from the row in question.
 */
#ifndef ERMS_CORE_RIGHTS_H
#define ERMS_CORE_RIGHTS_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	R_USER = 1 << 0,	/* any signed-in user or token */
	R_ADMIN = 1 << 1,
	R_LEADERSHIP = 1 << 2,	/* member of a leadership group */
	R_COMMAND = 1 << 3,	/* member of command HQ */
	R_TEAM = 1 << 4,	/* member of a response team */
	R_OWNER = 1 << 5,	/* the object is the actor's own */
	R_AUTHOR = 1 << 6,	/* the actor wrote the object */
	R_GROUP = 1 << 7,	/* the actor belongs to the object's group */
	R_REVIEWER = 1 << 8,	/* a leadership member whose membership counts
				 * for approvals (core/planflow.h) */
	R_ESCALATED = 1 << 9,	/* a leadership member, on an incident whose
				 * reporting chain has reached the leadership
				 * group with nobody acknowledging */
};

enum action {
	/* accounts */
	A_ME_READ, A_ME_UPDATE,
	A_USER_LIST, A_USER_READ, A_USER_CREATE, A_USER_UPDATE, A_USER_DELETE,
	A_GROUP_LIST, A_GROUP_READ, A_GROUP_CREATE, A_GROUP_UPDATE,
	A_GROUP_MEMBERS,
	A_TOKEN_CREATE, A_TOKEN_LIST, A_TOKEN_LIST_ALL, A_TOKEN_REVOKE,
	A_AUDIT_READ,
	/* plans */
	A_PLAN_READ, A_PLAN_IMPORT, A_PLAN_EDIT, A_PLAN_SUBMIT,
	A_PLAN_APPROVE, A_PLAN_REJECT, A_PLAN_PUBLISH, A_PLAN_ACK,
	A_PLAN_ACKS_READ,
	/* incidents (SPEC §2 state machine) */
	A_INC_READ, A_INC_REPORT, A_INC_ACK, A_INC_ACTIVATE,
	A_INC_ACTIVATE_UNACKED, A_INC_DISMISS,
	A_INC_RAISE, A_INC_LOWER, A_INC_RESOLVE, A_INC_REOPEN, A_INC_CLOSE,
	A_INC_REVIEW, A_INC_NOTE, A_TASK_CREATE, A_TASK_UPDATE,
	/* notifications and duty */
	A_CHANNEL_MANAGE, A_NOTIFY_READ, A_NOTIFY_RETRY, A_DUTY_READ,
	A_DUTY_MANAGE, A_DUTY_SHIFTS,
	/* the information platform */
	A_BULLETIN_POST,
	/* safeguards: supplies and funds (R_GROUP: the logistics team) */
	A_SUPPLY_MANAGE, A_FUNDS_READ, A_FUNDS_MANAGE, A_FUNDS_SPEND,
	/* drills: plan, start, complete, evaluate, cancel */
	A_DRILL_MANAGE,
	/* monitoring intake: integrations, their keys and rules */
	A_INTEGRATION_MANAGE,
	/* the organisation's settings (name, time zone, language) */
	A_ORG_READ, A_ORG_UPDATE,
	A_REG_RECORD,
	A__COUNT
};

struct actor {
	int64_t user_id;	/* 0: anonymous (or the system) */
	bool system;		/* erms itself (its scheduler, a local
				 * command run by the operator): may do
				 * everything */
	bool is_admin;
	bool in_leadership;
	bool in_command;
	bool in_team;
	bool reviewer;		/* in_leadership, and past the cooling-off */
};

struct object {
	int64_t owner_id;	/* user the object belongs to, or 0 */
	int64_t author_id;	/* user who wrote it, or 0 */
	bool actor_in_group;	/* the actor is a member of its group */
	bool actor_edited;	/* the actor imported or edited it (R_AUTHOR) */
	bool chain_reached;	/* an incident: its reporting chain has told
				 * the leadership group (R_ESCALATED) */
};

struct right {
	enum action action;
	const char *name;	/* "user.create" */
	unsigned allow;		/* any of these roles allows */
	unsigned deny;		/* any of these roles forbids, over allow */
};

/* The table, indexed by enum action. */
extern const struct right rights_table[A__COUNT];

/* The roles the actor has with respect to the object (o may be NULL). */
unsigned actor_roles(const struct actor *a, const struct object *o);
/* May actor a do act on object o (o may be NULL)? Anonymous: never;
 * the system: always. */
bool may(const struct actor *a, enum action act, const struct object *o);
const char *action_name(enum action act);
/* The key of the team whose members R_GROUP means for act when it is the
 * same team for every object ("comms", "logistics"), else NULL. */
const char *action_team(enum action act);

#endif
