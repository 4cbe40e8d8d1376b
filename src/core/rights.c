/*
 * rights.c - the rights table.
 *
 * Administrators run the system (accounts, groups, channels, the audit
 * log); they do not command emergencies by virtue of being administrators:
 * incident and plan decisions come from membership of the leadership group
 * and command HQ, as the plan says. An administrator who must also decide
 * is made a member of the group.
 */
#include "core/rights.h"

#include <stddef.h>

#define ROW(a, n, al, de) [a] = { a, n, al, de }

const struct right rights_table[A__COUNT] = {
	ROW(A_ME_READ,        "me.read",        R_USER, 0),
	ROW(A_ME_UPDATE,      "me.update",      R_USER, 0),
	ROW(A_USER_LIST,      "user.list",      R_ADMIN | R_LEADERSHIP | R_COMMAND, 0),
	ROW(A_USER_READ,      "user.read",      R_ADMIN | R_LEADERSHIP | R_COMMAND | R_OWNER, 0),
	ROW(A_USER_CREATE,    "user.create",    R_ADMIN, 0),
	ROW(A_USER_UPDATE,    "user.update",    R_ADMIN, 0),
	ROW(A_USER_DELETE,    "user.delete",    R_ADMIN, R_OWNER),
	ROW(A_GROUP_LIST,     "group.list",     R_USER, 0),
	ROW(A_GROUP_READ,     "group.read",     R_USER, 0),
	ROW(A_GROUP_CREATE,   "group.create",   R_ADMIN, 0),
	ROW(A_GROUP_UPDATE,   "group.update",   R_ADMIN, 0),
	ROW(A_GROUP_MEMBERS,  "group.members",  R_ADMIN, 0),
	ROW(A_TOKEN_CREATE,   "token.create",   R_USER, 0),
	ROW(A_TOKEN_LIST,     "token.list",     R_USER, 0),
	/* Every user's tokens, not only one's own. */
	ROW(A_TOKEN_LIST_ALL, "token.list_all", R_ADMIN, 0),
	ROW(A_TOKEN_REVOKE,   "token.revoke",   R_OWNER | R_ADMIN, 0),
	ROW(A_AUDIT_READ,     "audit.read",     R_ADMIN, 0),
	ROW(A_PLAN_READ,      "plan.read",      R_USER, 0),
	ROW(A_PLAN_IMPORT,    "plan.import",    R_ADMIN | R_COMMAND, 0),
	ROW(A_PLAN_EDIT,      "plan.edit",      R_ADMIN | R_COMMAND, 0),
	ROW(A_PLAN_SUBMIT,    "plan.submit",    R_ADMIN | R_COMMAND, 0),
	/* Four eyes: never an editor, never a leader still cooling off. */
	ROW(A_PLAN_APPROVE,   "plan.approve",   R_REVIEWER, R_AUTHOR),
	ROW(A_PLAN_REJECT,    "plan.reject",    R_REVIEWER, R_AUTHOR),
	ROW(A_PLAN_PUBLISH,   "plan.publish",   R_LEADERSHIP, 0),
	ROW(A_PLAN_ACK,       "plan.ack",       R_USER, 0),
	ROW(A_PLAN_ACKS_READ, "plan.acks",      R_ADMIN | R_LEADERSHIP | R_COMMAND, 0),
	ROW(A_INC_READ,       "incident.read",  R_USER, 0),
	ROW(A_INC_REPORT,     "incident.report", R_USER, 0),
	/* Leadership acknowledges once the chain has reached it. */
	ROW(A_INC_ACK,        "incident.ack",   R_COMMAND | R_ESCALATED, 0),
	ROW(A_INC_ACTIVATE,   "incident.activate", R_LEADERSHIP, 0),
	/* Activating a report nobody acknowledged: the leadership, once
	 * the chain has reached it (the decision is the acknowledgement). */
	ROW(A_INC_ACTIVATE_UNACKED, "incident.activate_unacked", R_ESCALATED, 0),
	ROW(A_INC_DISMISS,    "incident.dismiss", R_COMMAND | R_LEADERSHIP, 0),
	ROW(A_INC_RAISE,      "incident.raise", R_LEADERSHIP, 0),
	ROW(A_INC_LOWER,      "incident.lower", R_LEADERSHIP | R_COMMAND, 0),
	ROW(A_INC_RESOLVE,    "incident.resolve", R_COMMAND, 0),
	ROW(A_INC_REOPEN,     "incident.reopen", R_COMMAND, 0),
	ROW(A_INC_CLOSE,      "incident.close", R_LEADERSHIP, 0),
	ROW(A_INC_REVIEW,     "incident.review", R_COMMAND, 0),
	ROW(A_INC_NOTE,       "incident.note",  R_LEADERSHIP | R_COMMAND | R_TEAM, 0),
	ROW(A_TASK_CREATE,    "task.create",    R_LEADERSHIP | R_COMMAND, 0),
	ROW(A_TASK_UPDATE,    "task.update",    R_COMMAND | R_GROUP, 0),
	ROW(A_CHANNEL_MANAGE, "channel.manage", R_ADMIN, 0),
	ROW(A_NOTIFY_READ,    "notification.read", R_ADMIN | R_LEADERSHIP | R_COMMAND, 0),
	ROW(A_NOTIFY_RETRY,   "notification.retry", R_ADMIN, 0),
	ROW(A_DUTY_READ,      "duty.read",      R_USER, 0),
	ROW(A_DUTY_MANAGE,    "duty.manage",    R_ADMIN | R_COMMAND, 0),
	/* A user's shifts feed: the user's own (R_OWNER), or any. */
	ROW(A_DUTY_SHIFTS,    "duty.shifts",    R_OWNER | R_ADMIN, 0),
	/* R_GROUP: a member of the communications team ("comms"). */
	ROW(A_BULLETIN_POST,  "bulletin.post",  R_COMMAND | R_GROUP, 0),
	/* R_GROUP: a member of the logistics team ("logistics"). */
	ROW(A_SUPPLY_MANAGE,  "supply.manage",  R_ADMIN | R_COMMAND | R_GROUP, 0),
	ROW(A_FUNDS_READ,     "funds.read",     R_ADMIN | R_LEADERSHIP | R_COMMAND | R_GROUP, 0),
	ROW(A_FUNDS_MANAGE,   "funds.manage",   R_ADMIN | R_LEADERSHIP, 0),
	ROW(A_FUNDS_SPEND,    "funds.spend",    R_ADMIN | R_COMMAND | R_GROUP, 0),
	ROW(A_DRILL_MANAGE,   "drill.manage",   R_ADMIN | R_COMMAND, 0),
	/* Monitors that may open incidents: their keys and rules. */
	ROW(A_INTEGRATION_MANAGE, "integration.manage", R_ADMIN, 0),
	ROW(A_ORG_READ,       "organisation.read", R_USER, 0),
	ROW(A_ORG_UPDATE,     "organisation.update", R_ADMIN, 0),
	/* Reports to regulators: command HQ and the leadership send them. */
	ROW(A_REG_RECORD,     "regulatory.record", R_COMMAND | R_LEADERSHIP, 0),
};

unsigned actor_roles(const struct actor *a, const struct object *o)
{
	unsigned r = 0;

	if (!a || a->user_id <= 0)
		return 0;
	r |= R_USER;
	if (a->is_admin)
		r |= R_ADMIN;
	if (a->in_leadership)
		r |= R_LEADERSHIP;
	if (a->in_command)
		r |= R_COMMAND;
	if (a->in_team)
		r |= R_TEAM;
	if (a->in_leadership && a->reviewer)
		r |= R_REVIEWER;
	if (o) {
		if (o->owner_id && o->owner_id == a->user_id)
			r |= R_OWNER;
		if ((o->author_id && o->author_id == a->user_id) ||
		    o->actor_edited)
			r |= R_AUTHOR;
		if (o->actor_in_group)
			r |= R_GROUP;
		if (o->chain_reached && a->in_leadership)
			r |= R_ESCALATED;
	}
	return r;
}

bool may(const struct actor *a, enum action act, const struct object *o)
{
	unsigned r;

	if ((unsigned)act >= A__COUNT)
		return false;
	if (a && a->system)
		return true;
	r = actor_roles(a, o);
	if (!(r & R_USER))
		return false;
	return (r & rights_table[act].allow) && !(r & rights_table[act].deny);
}

const char *action_name(enum action act)
{
	return (unsigned)act < A__COUNT ? rights_table[act].name : "?";
}

const char *action_team(enum action act)
{
	switch (act) {
	case A_BULLETIN_POST:
		return "comms";
	case A_SUPPLY_MANAGE: case A_FUNDS_READ: case A_FUNDS_SPEND:
		return "logistics";
	default:
		return NULL;
	}
}
