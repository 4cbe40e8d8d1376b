/*
 * routes.c - every route of the API, in one table (cgit's cmd.c shape).
 *
 * To add a route: write the handler in the api-<resource>.c file, declare
 * it in routes.h, add one row here. The OpenAPI document is generated
 * from this table, so it cannot forget a route.
 */
#include "http/routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define P ROUTE_PUBLIC
#define W ROUTE_WRITE
#define F ROUTE_FEED

const struct route routes[] = {
	{ "GET", "/healthz", api_health, NULL, P, "Liveness and storage check" },
	{ "GET", "/metrics", api_metrics, NULL, P, "Prometheus metrics" },
	{ "GET", "/hello", api_hello, NULL, P, "Hello world (benchmark ceiling)" },
	{ "GET", "/api/v1/openapi.json", api_openapi, NULL, P, "This document" },
	{ "POST", "/api/v1/session", api_session_create, api_session_prep, P | W,
	  "Sign in: sets the session cookie, returns the CSRF token" },
	{ "GET", "/api/v1/session", api_session_get, NULL, 0,
	  "The current session and its CSRF token" },
	{ "DELETE", "/api/v1/session", api_session_delete, NULL, W, "Sign out" },
	{ "GET", "/api/v1/me", api_me_get, NULL, 0,
	  "The signed-in user, their groups and rights" },
	{ "PATCH", "/api/v1/me", api_me_update, api_me_prep, W,
	  "Update own profile, language or password" },
	{ "GET", "/api/v1/tokens", api_token_list, NULL, 0, "List API tokens" },
	{ "POST", "/api/v1/tokens", api_token_create, NULL, W,
	  "Create an API token (the secret is shown once)" },
	{ "DELETE", "/api/v1/tokens/{id}", api_token_delete, NULL, W,
	  "Revoke an API token" },
	{ "POST", "/api/v1/me/feed-token", api_feed_token_create, NULL, W,
	  "A new calendar feed token and the feed URLs (shown once)" },
	{ "DELETE", "/api/v1/me/feed-token", api_feed_token_delete, NULL, W,
	  "Revoke the calendar feed token" },
	{ "GET", "/api/v1/users", api_user_list, NULL, 0, "List users" },
	{ "POST", "/api/v1/users", api_user_create, api_user_prep, W,
	  "Create a user" },
	{ "GET", "/api/v1/users/{id}", api_user_get, NULL, 0, "Get a user" },
	{ "PATCH", "/api/v1/users/{id}", api_user_update, api_user_prep, W,
	  "Update a user" },
	{ "DELETE", "/api/v1/users/{id}", api_user_delete, NULL, W,
	  "Disable a user and revoke their sessions and tokens" },
	{ "GET", "/api/v1/groups", api_group_list, NULL, 0, "List groups" },
	{ "POST", "/api/v1/groups", api_group_create, NULL, W, "Create a group" },
	{ "GET", "/api/v1/groups/{key}", api_group_get, NULL, 0,
	  "Get a group with its members" },
	{ "PATCH", "/api/v1/groups/{key}", api_group_update, NULL, W,
	  "Update a group's name or duties" },
	{ "PUT", "/api/v1/groups/{key}/members/{user_id}", api_member_put, NULL,
	  W, "Add a member to a group or change their role" },
	{ "DELETE", "/api/v1/groups/{key}/members/{user_id}", api_member_delete,
	  NULL, W, "Remove a member from a group" },
	{ "GET", "/api/v1/audit", api_audit_list, NULL, 0,
	  "Read the audit log" },
	{ "GET", "/api/v1/plans", api_plan_list, NULL, 0, "List plans" },
	{ "POST", "/api/v1/plans", api_plan_import, api_plan_prep, W,
	  "Import a plan file as a new draft version ({yaml, file})" },
	{ "GET", "/api/v1/plans/current", api_plan_current, NULL, 0,
	  "The plan version in force, rendered" },
	{ "GET", "/api/v1/plans/{id}", api_plan_get, NULL, 0,
	  "A plan (id or key) and its versions" },
	{ "GET", "/api/v1/plans/{id}/versions", api_plan_versions, NULL, 0,
	  "A plan's versions" },
	{ "GET", "/api/v1/plans/{id}/versions/{n}", api_plan_version, NULL, 0,
	  "One version with its content (sections rendered to HTML)" },
	{ "PUT", "/api/v1/plans/{id}/versions/{n}", api_plan_replace,
	  api_plan_prep, W, "Replace a draft with a new file ({yaml, file})" },
	{ "GET", "/api/v1/plans/{id}/versions/{n}/export", api_plan_export,
	  NULL, 0, "The version as a YAML plan file" },
	{ "GET", "/api/v1/plans/{id}/versions/{n}/acks", api_plan_acks, NULL, 0,
	  "Who has acknowledged the version (?group=, ?state=pending)" },
	{ "GET", "/api/v1/plans/{id}/versions/{n}/diff/{m}", api_plan_diff,
	  NULL, 0, "Changes from version n to version m" },
	{ "POST", "/api/v1/plans/{id}/versions/{n}/ack", api_plan_ack, NULL, W,
	  "Acknowledge having read the version in force" },
	{ "POST", "/api/v1/plans/{id}/versions/{n}/{step}", api_plan_step, NULL,
	  W, "submit, approve, reject ({comment}) or publish a version" },
	{ "GET", "/api/v1/incidents", api_incident_list, NULL, 0,
	  "List and search incidents (status, level, category, is_drill,"
	  " from, to, q, cursor, limit)" },
	{ "POST", "/api/v1/incidents", api_incident_report, NULL, W,
	  "Report an incident" },
	{ "GET", "/api/v1/incidents/{id}", api_incident_get, NULL, 0,
	  "An incident (id or number)" },
	{ "GET", "/api/v1/incidents/{id}/timeline", api_incident_timeline, NULL,
	  0, "An incident's timeline" },
	{ "POST", "/api/v1/incidents/{id}/notes", api_incident_note, NULL, W,
	  "Add a note to the timeline ({text})" },
	{ "GET", "/api/v1/incidents/{id}/tasks", api_incident_tasks, NULL, 0,
	  "An incident's tasks" },
	{ "POST", "/api/v1/incidents/{id}/tasks", api_task_create, NULL, W,
	  "Add a task ({title, group, assignee_id?, due_at?})" },
	{ "GET", "/api/v1/incidents/{id}/report", api_incident_report_doc, NULL,
	  0, "The review report, HTML or ?format=md, ?lang=zh-CN|en" },
	{ "GET", "/api/v1/incidents/{id}/bulletins", api_bulletin_list, NULL, 0,
	  "An incident's bulletins" },
	{ "POST", "/api/v1/incidents/{id}/bulletins", api_bulletin_post, NULL,
	  W, "Publish a bulletin ({text, audience: internal|public})" },
	{ "GET", "/api/v1/incidents/{id}/supplies", api_incident_supplies, NULL,
	  0, "Supplies allocated to and returned from an incident" },
	{ "POST", "/api/v1/incidents/{id}/{action}", api_incident_act, NULL, W,
	  "ack, activate {level}, dismiss {reason}, set-level {level, reason},"
	  " resolve {summary}, reopen {reason}, close, review {review}" },
	{ "PATCH", "/api/v1/tasks/{id}", api_task_update, NULL, W,
	  "Update a task (status, assignee_id, due_at, notes, title)" },
	{ "GET", "/api/v1/events", api_events, NULL, 0,
	  "Live updates (Server-Sent Events; Last-Event-ID resumes)" },
	{ "POST", "/api/v1/test/clock", api_test_clock, NULL, W,
	  "Set the clock (only with erms serve --test-clock)" },
	{ "GET", "/api/v1/channels", api_channel_list, NULL, 0,
	  "Notification channels (secrets are never shown)" },
	{ "POST", "/api/v1/channels", api_channel_create, NULL, W,
	  "Add a channel ({name, kind, config})" },
	{ "PATCH", "/api/v1/channels/{id}", api_channel_update, NULL, W,
	  "Change a channel" },
	{ "POST", "/api/v1/channels/{id}/test", api_channel_test, NULL, 0,
	  "Send one test message now; answers the service's verdict" },
	{ "DELETE", "/api/v1/channels/{id}", api_channel_delete, NULL, W,
	  "Remove a channel (disabled if messages refer to it)" },
	{ "GET", "/api/v1/notifications", api_notification_list, NULL, 0,
	  "The delivery log (incident, state, channel)" },
	{ "POST", "/api/v1/notifications/{id}/retry", api_notification_retry,
	  NULL, W, "Send a failed message again" },
	{ "POST", "/api/v1/notifications/{id}/ack", api_notification_ack, NULL,
	  W, "Acknowledge a message (stops its escalation)" },
	{ "GET", "/ack/{token}", api_ack_page, NULL, P,
	  "The page of a message's one-time acknowledgement link" },
	{ "POST", "/ack/{token}", api_ack_link, NULL, P | W,
	  "Acknowledge by the one-time link (no sign-in)" },
	{ "GET", "/api/v1/groups/{key}/rotations", api_rotation_list, NULL, 0,
	  "A group's duty rotations and overrides" },
	{ "POST", "/api/v1/groups/{key}/rotations", api_rotation_create, NULL,
	  W, "Add a rotation ({name, members, shift_minutes, start})" },
	{ "POST", "/api/v1/groups/{key}/rotations/{id}/overrides",
	  api_override_create, NULL, W,
	  "Put someone on duty for a while ({user_id, start, end})" },
	{ "GET", "/api/v1/groups/{key}/on-duty", api_on_duty, NULL, 0,
	  "Who is on duty (?at=)" },
	{ "GET", "/api/v1/users/{id}/shifts.ics", api_user_shifts, NULL, F,
	  "A user's shifts as iCalendar (?token= a feed token)" },
	{ "GET", "/api/v1/supplies", api_supply_list, NULL, 0,
	  "Emergency supplies" },
	{ "POST", "/api/v1/supplies", api_supply_create, NULL, W,
	  "Add a supply" },
	{ "GET", "/api/v1/supplies.csv", api_supply_csv, NULL, 0,
	  "Supplies as CSV" },
	{ "POST", "/api/v1/supplies/import", api_supply_import, NULL, W,
	  "Add supplies from CSV ({csv}); all or nothing" },
	{ "GET", "/api/v1/supplies/{id}", api_supply_get, NULL, 0,
	  "A supply and its movements" },
	{ "PATCH", "/api/v1/supplies/{id}", api_supply_update, NULL, W,
	  "Change a supply's details" },
	{ "POST", "/api/v1/supplies/{id}/movements", api_supply_move, NULL, W,
	  "Move stock: in, out, allocate (to an incident), return" },
	{ "GET", "/api/v1/budgets/{year}", api_budget_get, NULL, 0,
	  "A year's budget, spending and what remains" },
	{ "PUT", "/api/v1/budgets/{year}", api_budget_put, NULL, W,
	  "Set a year's budget ({amount_cents, note?})" },
	{ "POST", "/api/v1/expenses", api_expense_add, NULL, W,
	  "Record an expense (incident, drill or supply purchase)" },
	{ "GET", "/api/v1/expenses.csv", api_expense_csv, NULL, 0,
	  "A year's expenses as CSV (?year=)" },
	{ "GET", "/api/v1/drills", api_drill_list, NULL, 0,
	  "Drills (?year=: scheduled that year)" },
	{ "POST", "/api/v1/drills", api_drill_create, NULL, W,
	  "Plan a drill (kind, category, level, scheduled_at, participants,"
	  " scenario, injects)" },
	{ "GET", "/api/v1/drills.ics", api_drill_ics, NULL, F,
	  "Scheduled drills as an iCalendar feed (?token= a feed token)" },
	{ "GET", "/api/v1/drills/compliance", api_drill_compliance, NULL, 0,
	  "A year's drills against the plan's requirements (?year=)" },
	{ "GET", "/api/v1/drills/{id}", api_drill_get, NULL, 0,
	  "A drill and its evaluation" },
	{ "POST", "/api/v1/drills/{id}/{step}", api_drill_step, NULL, W,
	  "start, complete, evaluate ({scores, findings, notes}), cancel" },
	{ "GET", "/api/v1/stats", api_stats, NULL, 0,
	  "A year's real incidents by status, level and category (drills"
	  " left out; ?year=)" },
	{ "GET", "/status", api_status_page, NULL, P,
	  "The public status page (HTML, no script; ?lang=)" },
	{ "GET", "/status.json", api_status_json, NULL, P,
	  "The public status as JSON" },
	{ "GET", "/status.atom", api_status_atom, NULL, P,
	  "The public bulletins as an Atom feed" },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

const int routes_count = (int)(sizeof(routes) / sizeof(routes[0])) - 1;
_Static_assert(sizeof(routes) / sizeof(routes[0]) <= ROUTES_MAX,
	       "raise ROUTES_MAX");

/*
 * Match pattern against path segment by segment; "{x}" takes one
 * non-empty segment. Fills params when they are given.
 */
static bool match(const char *pat, const char *path,
		  char *params[ROUTE_PARAMS_MAX], int *n)
{
	int np = 0;

	while (*pat && *path) {
		if (*pat == '{') {
			const char *end = strchr(path, '/');
			size_t len = end ? (size_t)(end - path) : strlen(path);

			if (!len || np >= ROUTE_PARAMS_MAX)
				goto fail;
			if (params)
				params[np] = xstrndup(path, len);
			np++;
			path += len;
			pat = strchr(pat, '}') + 1;
			continue;
		}
		if (*pat != *path)
			goto fail;
		pat++;
		path++;
	}
	if (*pat || *path)
		goto fail;
	if (n)
		*n = np;
	return true;
fail:
	for (int i = 0; params && i < np; i++) {
		free(params[i]);
		params[i] = NULL;
	}
	return false;
}

int route_match(const char *method, const char *path,
		char *params[ROUTE_PARAMS_MAX], int *nparams, bool *path_known)
{
	*path_known = false;
	*nparams = 0;
	for (int i = 0; i < routes_count; i++) {
		if (!match(routes[i].pattern, path, NULL, NULL))
			continue;
		if (strcmp(routes[i].method, method)) {
			*path_known = true;
			continue;
		}
		match(routes[i].pattern, path, params, nparams);
		return i;
	}
	return -1;
}

void route_allow(const char *path, char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < routes_count && used < n; i++)
		if (match(routes[i].pattern, path, NULL, NULL))
			used += (size_t)snprintf(buf + used, n - used, "%s%s",
						 used ? ", " : "",
						 routes[i].method);
}
