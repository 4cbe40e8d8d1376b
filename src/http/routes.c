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

#include "app/intake.h"
#include "http/fields.h"
#include "util/xalloc.h"

/* Query arguments (NULL-name terminated). */
#define PAGE { .name = "cursor", .type = "string",                       \
	       .doc = "the next_cursor of the page before" },            \
	     { .name = "limit", .type = "integer",                        \
	       .doc = "1..500, default 100" }
#define YEAR { .name = "year", .type = "integer", .doc = "a year (UTC)" }

static const struct route_query q_page[] = { PAGE, { 0 } };
static const struct route_query q_reg_draft[] = {
	{ .name = "kind", .type = "string",
	  .doc = "first (default), follow_up or final" },
	{ 0 },
};
static const struct route_query q_reg_year[] = {
	{ .name = "year", .type = "integer",
	  .doc = "a year (the organisation's zone); default: this year" },
	{ 0 },
};
static const struct route_query q_year[] = { YEAR, { 0 } };
static const struct route_query q_stats[] = {
	YEAR,
	{ .name = "from", .type = "string",
	  .doc = "reported at or after (RFC 3339); with to, instead of year" },
	{ .name = "to", .type = "string",
	  .doc = "reported before (RFC 3339); now by default" },
	{ 0 },
};
static const struct route_query q_tokens[] = {
	{ .name = "all", .type = "string",
	  .doc = "1: every user's tokens (administrators)" },
	{ 0 },
};
static const struct route_query q_acks[] = {
	{ .name = "group", .type = "string",
	  .doc = "only this group's members" },
	{ .name = "state", .type = "string", .doc = "pending or acknowledged" },
	{ 0 },
};
/* The incident list's filters (http/api.h api_incident_filter). */
#define INCIDENT_FILTERS						\
	{ .name = "status", .type = "string", .doc = "reported, active, ..." }, \
	{ .name = "level", .type = "string", .doc = "a level key of the plan" }, \
	{ .name = "category", .type = "string", .doc = "a category key" }, \
	{ .name = "is_drill", .type = "boolean", .doc = "true or false" }, \
	{ .name = "from", .type = "string",				\
	  .doc = "reported at or after (RFC 3339)" },			\
	{ .name = "to", .type = "string", .doc = "reported before (RFC 3339)" }, \
	{ .name = "q", .type = "string", .doc = "words of the title or text" }

static const struct route_query q_incidents[] = {
	INCIDENT_FILTERS,
	PAGE,
	{ 0 },
};
static const struct route_query q_incidents_csv[] = {
	INCIDENT_FILTERS,
	{ .name = "lang", .type = "string", .doc = "zh-CN or en" },
	{ 0 },
};
static const struct route_query q_report[] = {
	{ .name = "format", .type = "string",
	  .doc = "html (default), md or pdf" },
	{ .name = "lang", .type = "string", .doc = "zh-CN or en" },
	{ 0 },
};
static const struct route_query q_events[] = {
	{ .name = "last_event_id", .type = "string",
	  .doc = "resume after this event (as the Last-Event-ID header)" },
	{ 0 },
};
static const struct route_query q_notifications[] = {
	{ .name = "incident", .type = "string",
	  .doc = "an incident's id or number" },
	{ .name = "state", .type = "string",
	  .doc = "pending, sent, failed, ..." },
	{ .name = "channel", .type = "integer", .doc = "a channel id" },
	PAGE,
	{ 0 },
};
static const struct route_query q_at[] = {
	{ .name = "at", .type = "string",
	  .doc = "an instant (RFC 3339); now by default" },
	{ 0 },
};
static const struct route_query q_lang[] = {
	{ .name = "lang", .type = "string", .doc = "zh-CN or en" },
	{ 0 },
};

/*
 * Rows: .access is the coarse right (signed in unless told), .write runs
 * the handler on the writer; .step routes hand their step to a shared
 * handler; the rest is for the OpenAPI document (.status 0 means 200).
 */
const struct route routes[] = {
	{ .method = "GET", .pattern = "/healthz",
	  .fn = api_health, .access = ACCESS_ANYONE, .tag = "system",
	  .op = "getHealth", .answer = "Health",
	  .summary = "Liveness and storage check" },
	{ .method = "GET", .pattern = "/metrics",
	  .fn = api_metrics, .access = ACCESS_ANYONE, .tag = "system",
	  .op = "getMetrics", .answer = "text/plain",
	  .summary = "Prometheus metrics" },
#ifdef ERMS_BENCH_ROUTES
	/* Only in a bench build (meson -Dbench_routes=true). */
	{ .method = "GET", .pattern = "/hello",
	  .fn = api_hello, .access = ACCESS_ANYONE, .tag = "system",
	  .op = "getHello",
	  .summary = "Hello world (benchmark ceiling)" },
#endif
	{ .method = "GET", .pattern = "/api/v1/openapi.json",
	  .fn = api_openapi, .access = ACCESS_ANYONE, .tag = "system",
	  .op = "getOpenapi",
	  .summary = "This document" },
	{ .method = "POST", .pattern = "/api/v1/session",
	  .fn = api_session_create, .prep = api_session_prep,
	  .access = ACCESS_ANYONE, .write = true, .tag = "session",
	  .op = "createSession", .body = &signin_body, .answer = "Session",
	  .summary = "Sign in: sets the session cookie, returns the CSRF "
		    "token" },
	{ .method = "GET", .pattern = "/api/v1/session",
	  .fn = api_session_get, .tag = "session", .op = "getSession",
	  .answer = "Session",
	  .summary = "The current session and its CSRF token" },
	{ .method = "DELETE", .pattern = "/api/v1/session",
	  .fn = api_session_delete, .write = true, .tag = "session",
	  .op = "deleteSession", .status = 204,
	  .summary = "Sign out" },
	{ .method = "GET", .pattern = "/api/v1/me",
	  .fn = api_me_get, .tag = "session", .op = "getMe", .answer = "Me",
	  .summary = "The signed-in user, their groups and rights" },
	{ .method = "PATCH", .pattern = "/api/v1/me",
	  .fn = api_me_update, .prep = api_me_prep, .write = true,
	  .tag = "session", .op = "updateMe", .body = &me_body,
	  .answer = "User",
	  .summary = "Update own profile, language or password" },
	{ .method = "GET", .pattern = "/api/v1/organisation",
	  .fn = api_org_get, .tag = "organisation", .op = "getOrganisation",
	  .answer = "Organisation",
	  .summary = "The organisation: name, time zone, language" },
	{ .method = "PATCH", .pattern = "/api/v1/organisation",
	  .fn = api_org_update, .access = ACCESS_ADMIN,
	  .write = true, .tag = "organisation", .op = "updateOrganisation",
	  .body = &org_body, .answer = "Organisation",
	  .summary = "Change the organisation's name, time zone, language, "
		    "operator type, regulators or working-day calendar "
		    "(If-Match or version: the version last read)" },
	{ .method = "GET", .pattern = "/api/v1/pack",
	  .fn = api_pack, .tag = "organisation", .op = "getPack",
	  .answer = "application/zip",
	  .summary = "The emergency pack of the plan in force, as a zip "
		    "(PDFs, offline HTML, signed manifest)" },
	{ .method = "GET", .pattern = "/api/v1/tokens",
	  .fn = api_token_list, .tag = "tokens", .op = "listTokens",
	  .query = q_tokens, .answer = "list:Token",
	  .summary = "List API tokens (?all=1: everyone's, for "
		    "administrators)" },
	{ .method = "POST", .pattern = "/api/v1/tokens",
	  .fn = api_token_create, .write = true, .tag = "tokens",
	  .op = "createToken", .body = &token_create_body, .status = 201,
	  .answer = "Token",
	  .summary = "Create an API token (the secret is shown once)" },
	{ .method = "DELETE", .pattern = "/api/v1/tokens/{id}",
	  .fn = api_token_delete, .write = true, .tag = "tokens",
	  .op = "deleteToken", .status = 204,
	  .summary = "Revoke an API token" },
	{ .method = "POST", .pattern = "/api/v1/me/feed-token",
	  .fn = api_feed_token_create, .write = true, .tag = "tokens",
	  .op = "createFeedToken", .status = 201, .answer = "Token",
	  .summary = "A new calendar feed token and the feed URLs (shown "
		    "once)" },
	{ .method = "DELETE", .pattern = "/api/v1/me/feed-token",
	  .fn = api_feed_token_delete, .write = true, .tag = "tokens",
	  .op = "deleteFeedToken", .status = 204,
	  .summary = "Revoke the calendar feed token" },
	{ .method = "GET", .pattern = "/api/v1/users",
	  .fn = api_user_list, .tag = "users", .op = "listUsers",
	  .query = q_page, .answer = "list:User",
	  .summary = "List users" },
	{ .method = "POST", .pattern = "/api/v1/users",
	  .fn = api_user_create, .prep = api_user_prep, .access = ACCESS_ADMIN,
	  .write = true, .tag = "users", .op = "createUser",
	  .body = &user_create_body, .status = 201, .answer = "User",
	  .summary = "Create a user" },
	{ .method = "GET", .pattern = "/api/v1/users/{id}",
	  .fn = api_user_get, .tag = "users", .op = "getUser",
	  .answer = "User",
	  .summary = "Get a user" },
	{ .method = "PATCH", .pattern = "/api/v1/users/{id}",
	  .fn = api_user_update, .prep = api_user_prep, .access = ACCESS_ADMIN,
	  .write = true, .tag = "users", .op = "updateUser",
	  .body = &user_update_body, .answer = "User",
	  .summary = "Update a user" },
	{ .method = "DELETE", .pattern = "/api/v1/users/{id}",
	  .fn = api_user_delete, .access = ACCESS_ADMIN, .write = true,
	  .tag = "users", .op = "deleteUser", .status = 204,
	  .summary = "Disable a user and revoke their sessions and tokens" },
	{ .method = "GET", .pattern = "/api/v1/groups",
	  .fn = api_group_list, .tag = "groups", .op = "listGroups",
	  .answer = "list:Group",
	  .summary = "List groups" },
	{ .method = "POST", .pattern = "/api/v1/groups",
	  .fn = api_group_create, .access = ACCESS_ADMIN, .write = true,
	  .tag = "groups", .op = "createGroup", .body = &group_create_body,
	  .status = 201, .answer = "Group",
	  .summary = "Create a group" },
	{ .method = "GET", .pattern = "/api/v1/groups/{key}",
	  .fn = api_group_get, .tag = "groups", .op = "getGroup",
	  .answer = "Group",
	  .summary = "Get a group with its members" },
	{ .method = "PATCH", .pattern = "/api/v1/groups/{key}",
	  .fn = api_group_update, .access = ACCESS_ADMIN, .write = true,
	  .tag = "groups", .op = "updateGroup", .body = &group_update_body,
	  .answer = "Group",
	  .summary = "Update a group's name, duties or chat channels" },
	{ .method = "PUT", .pattern = "/api/v1/groups/{key}/members/{user_id}",
	  .fn = api_member_put, .access = ACCESS_ADMIN, .write = true,
	  .tag = "groups", .op = "putMember", .body = &member_body,
	  .answer = "Group",
	  .summary = "Add a member to a group or change their role" },
	{ .method = "DELETE",
	  .pattern = "/api/v1/groups/{key}/members/{user_id}",
	  .fn = api_member_delete, .access = ACCESS_ADMIN, .write = true,
	  .tag = "groups", .op = "deleteMember", .status = 204,
	  .summary = "Remove a member from a group" },
	{ .method = "PUT", .pattern = "/api/v1/groups/{key}/channels/{id}",
	  .fn = api_group_channel, .access = ACCESS_ADMIN, .write = true,
	  .tag = "groups", .op = "attachChannel", .answer = "Group",
	  .summary = "Attach a chat channel to a group" },
	{ .method = "DELETE", .pattern = "/api/v1/groups/{key}/channels/{id}",
	  .fn = api_group_channel, .access = ACCESS_ADMIN, .write = true,
	  .tag = "groups", .op = "detachChannel", .status = 204,
	  .summary = "Detach a chat channel from a group" },
	{ .method = "GET", .pattern = "/api/v1/audit",
	  .fn = api_audit_list, .access = ACCESS_ADMIN, .tag = "audit",
	  .op = "listAudit", .query = q_page, .answer = "list:AuditRow",
	  .summary = "Read the audit log, in id order" },
	{ .method = "GET", .pattern = "/api/v1/plans",
	  .fn = api_plan_list, .tag = "plans", .op = "listPlans",
	  .answer = "list:Plan",
	  .summary = "List plans" },
	{ .method = "POST", .pattern = "/api/v1/plans",
	  .fn = api_plan_import, .prep = api_plan_prep, .write = true,
	  .tag = "plans", .op = "importPlan", .body = &plan_import_body,
	  .status = 201, .answer = "PlanVersion",
	  .summary = "Import a plan file as a new draft version" },
	{ .method = "POST", .pattern = "/api/v1/plans/validate",
	  .fn = api_plan_validate, .tag = "plans", .op = "validatePlan",
	  .body = &plan_validate_body,
	  .summary = "Check a plan file as import would, without importing "
		    "it ({ok, errors: [{line, column, path, message}]})" },
	{ .method = "GET", .pattern = "/api/v1/plans/pending",
	  .fn = api_plan_pending, .tag = "plans", .op = "listPendingPlans",
	  .answer = "list:PlanVersion",
	  .summary = "Versions awaiting a step the caller may take now "
		    "(approve, reject, publish)" },
	{ .method = "GET", .pattern = "/api/v1/plans/current",
	  .fn = api_plan_current, .tag = "plans", .op = "getCurrentPlan",
	  .answer = "PlanVersion",
	  .summary = "The plan version in force, rendered" },
	{ .method = "GET", .pattern = "/api/v1/plans/{id}",
	  .fn = api_plan_get, .tag = "plans", .op = "getPlan",
	  .answer = "Plan",
	  .summary = "A plan (id or key) and its versions" },
	{ .method = "GET", .pattern = "/api/v1/plans/{id}/versions",
	  .fn = api_plan_versions, .tag = "plans", .op = "listPlanVersions",
	  .answer = "list:PlanVersion",
	  .summary = "A plan's versions" },
	{ .method = "POST", .pattern = "/api/v1/plans/{id}/versions",
	  .fn = api_plan_draft, .write = true, .tag = "plans",
	  .op = "draftPlanVersion", .body = &plan_draft_body, .status = 201,
	  .answer = "PlanVersion",
	  .summary = "A new draft: a copy of version {from} (default: the "
		    "one in force), answering the review of incident "
		    "{from_review}" },
	{ .method = "GET", .pattern = "/api/v1/plans/{id}/versions/{n}",
	  .fn = api_plan_version, .tag = "plans", .op = "getPlanVersion",
	  .answer = "PlanVersion",
	  .summary = "One version with its content (sections rendered to "
		    "HTML)" },
	{ .method = "PUT", .pattern = "/api/v1/plans/{id}/versions/{n}",
	  .fn = api_plan_replace, .prep = api_plan_prep, .write = true,
	  .tag = "plans", .op = "replacePlanVersion",
	  .body = &plan_import_body, .answer = "PlanVersion",
	  .summary = "Replace a draft with a new file" },
	{ .method = "GET", .pattern = "/api/v1/plans/{id}/versions/{n}/export",
	  .fn = api_plan_export, .tag = "plans", .op = "exportPlanVersion",
	  .answer = "application/yaml",
	  .summary = "The version as a YAML plan file" },
	{ .method = "GET", .pattern = "/api/v1/plans/{id}/versions/{n}/acks",
	  .fn = api_plan_acks, .tag = "plans", .op = "listPlanAcks",
	  .answer = "PlanAcks",
	  .query = q_acks,
	  .summary = "Who has acknowledged the version" },
	{ .method = "GET",
	  .pattern = "/api/v1/plans/{id}/versions/{n}/diff/{m}",
	  .fn = api_plan_diff, .tag = "plans", .op = "diffPlanVersions",
	  .summary = "Changes from version n to version m" },
	{ .method = "POST", .pattern = "/api/v1/plans/{id}/versions/{n}/ack",
	  .fn = api_plan_ack, .write = true, .tag = "plans",
	  .op = "ackPlanVersion",
	  .summary = "Acknowledge having read the version in force" },
	{ .method = "POST", .pattern = "/api/v1/plans/{id}/versions/{n}/submit",
	  .fn = api_plan_step, .write = true, .step = "submit", .tag = "plans",
	  .op = "submitPlanVersion", .body = &plan_step_body,
	  .answer = "PlanVersion",
	  .summary = "Submit a draft for review (draft to in_review)" },
	{ .method = "POST",
	  .pattern = "/api/v1/plans/{id}/versions/{n}/approve",
	  .fn = api_plan_step, .write = true, .step = "approve",
	  .tag = "plans", .op = "approvePlanVersion", .body = &plan_step_body,
	  .answer = "PlanVersion",
	  .summary = "Approve a version in review (in_review to approved; "
		    "{comment?})" },
	{ .method = "POST", .pattern = "/api/v1/plans/{id}/versions/{n}/reject",
	  .fn = api_plan_step, .write = true, .step = "reject", .tag = "plans",
	  .op = "rejectPlanVersion", .body = &plan_step_body,
	  .answer = "PlanVersion",
	  .summary = "Send a version in review back to draft ({comment})" },
	{ .method = "POST",
	  .pattern = "/api/v1/plans/{id}/versions/{n}/publish",
	  .fn = api_plan_step, .write = true, .step = "publish",
	  .tag = "plans", .op = "publishPlanVersion", .body = &plan_step_body,
	  .answer = "PlanVersion",
	  .summary = "Put an approved version in force (approved to "
		    "published)" },
	{ .method = "GET", .pattern = "/api/v1/incidents",
	  .fn = api_incident_list, .tag = "incidents", .op = "listIncidents",
	  .query = q_incidents, .answer = "list:Incident",
	  .summary = "List and search incidents" },
	{ .method = "GET", .pattern = "/api/v1/incidents.csv",
	  .fn = api_incident_csv, .tag = "incidents",
	  .op = "exportIncidents", .query = q_incidents_csv,
	  .answer = "text/csv",
	  .summary = "The incident list as CSV: the list's filters, every "
		    "matching row, in the reader's language and time zone" },
	{ .method = "POST", .pattern = "/api/v1/incidents",
	  .fn = api_incident_report, .write = true, .tag = "incidents",
	  .op = "reportIncident", .body = &report_body, .status = 201,
	  .answer = "Incident",
	  .summary = "Report an incident" },
	{ .method = "GET", .pattern = "/api/v1/incidents/{id}",
	  .fn = api_incident_get, .tag = "incidents", .op = "getIncident",
	  .answer = "Incident",
	  .summary = "An incident (id or number)" },
	{ .method = "GET", .pattern = "/api/v1/incidents/{id}/timeline",
	  .fn = api_incident_timeline, .tag = "incidents",
	  .op = "listTimeline", .answer = "list:TimelineEntry",
	  .summary = "An incident's timeline" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/notes",
	  .fn = api_incident_note, .write = true, .tag = "incidents",
	  .op = "addNote", .answer = "Note", .body = &note_body, .status = 201,
	  .summary = "Add a note to the timeline" },
	{ .method = "GET", .pattern = "/api/v1/incidents/{id}/tasks",
	  .fn = api_incident_tasks, .tag = "tasks", .op = "listTasks",
	  .answer = "list:Task",
	  .summary = "An incident's tasks" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/tasks",
	  .fn = api_task_create, .write = true, .tag = "tasks",
	  .op = "createTask", .body = &task_body, .status = 201,
	  .answer = "Task",
	  .summary = "Add a task" },
	{ .method = "GET", .pattern = "/api/v1/incidents/{id}/report",
	  .fn = api_incident_report_doc, .tag = "incidents",
	  .op = "getIncidentReport", .query = q_report, .answer = "text/html",
	  .summary = "The review report, HTML, Markdown or PDF" },
	{ .method = "GET",
	  .pattern = "/api/v1/incidents/{id}/regulatory-reports/draft",
	  .fn = api_reg_draft, .tag = "regulatory", .op = "draftRegulatoryReport",
	  .query = q_reg_draft, .answer = "RegulatoryDraft",
	  .summary = "A new report to the regulator, pre-filled from the "
		    "incident: {kind, content, items: [{key, label}]}" },
	{ .method = "GET",
	  .pattern = "/api/v1/incidents/{id}/regulatory-reports",
	  .fn = api_reg_list, .tag = "regulatory", .op = "listRegulatoryReports",
	  .answer = "list:RegulatoryReport",
	  .summary = "The reports to regulators recorded for an incident" },
	{ .method = "POST",
	  .pattern = "/api/v1/incidents/{id}/regulatory-reports",
	  .fn = api_reg_record, .write = true, .tag = "regulatory",
	  .op = "recordRegulatoryReport", .body = &reg_report_body,
	  .status = 201, .answer = "RegulatoryReport",
	  .summary = "Record a report sent to a regulator (command HQ, "
		    "leadership): {kind, to, via, sent_at?, content?}" },
	{ .method = "GET",
	  .pattern = "/api/v1/incidents/{id}/regulatory-reports/{n}",
	  .fn = api_reg_get, .tag = "regulatory", .op = "getRegulatoryReport",
	  .answer = "RegulatoryReport",
	  .summary = "One report with its content; {n}.html and {n}.pdf: its "
		    "document (zh-CN)" },
	{ .method = "PATCH",
	  .pattern = "/api/v1/incidents/{id}/regulatory-reports/{n}",
	  .fn = api_reg_immutable, .write = true, .tag = "regulatory",
	  .op = "changeRegulatoryReport", .status = 409,
	  .summary = "Refused (409 immutable): a recorded report is not "
		    "changed; record a follow-up" },
	{ .method = "PUT",
	  .pattern = "/api/v1/incidents/{id}/regulatory-reports/{n}",
	  .fn = api_reg_immutable, .write = true, .tag = "regulatory",
	  .op = "replaceRegulatoryReport", .status = 409,
	  .summary = "Refused (409 immutable), as PATCH" },
	{ .method = "DELETE",
	  .pattern = "/api/v1/incidents/{id}/regulatory-reports/{n}",
	  .fn = api_reg_immutable, .write = true, .tag = "regulatory",
	  .op = "deleteRegulatoryReport", .status = 409,
	  .summary = "Refused (409 immutable): reports are kept" },
	{ .method = "GET", .pattern = "/api/v1/regulatory",
	  .fn = api_reg_year, .tag = "regulatory", .op = "getRegulatoryRecord",
	  .query = q_reg_year, .answer = "RegulatoryRecord",
	  .summary = "The obligations of a year: deadline, first report, on "
		    "time or late, follow-ups, final report; on-time rate" },
	{ .method = "GET", .pattern = "/api/v1/regulatory.csv",
	  .fn = api_reg_csv, .tag = "regulatory", .op = "exportRegulatoryRecord",
	  .query = q_reg_year, .answer = "text/csv",
	  .summary = "The obligations of a year as CSV" },
	{ .method = "GET", .pattern = "/api/v1/incidents/{id}/bulletins",
	  .fn = api_bulletin_list, .tag = "status", .op = "listBulletins",
	  .answer = "list:Bulletin",
	  .summary = "An incident's bulletins" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/bulletins",
	  .fn = api_bulletin_post, .write = true, .tag = "status",
	  .op = "postBulletin", .body = &bulletin_body, .status = 201,
	  .answer = "Bulletin",
	  .summary = "Publish a bulletin (internal or public)" },
	{ .method = "PATCH", .pattern = "/api/v1/incidents/{id}/public",
	  .fn = api_incident_public, .write = true, .tag = "status",
	  .op = "setIncidentPublic", .body = &public_body,
	  .answer = "Incident",
	  .summary = "Set the title and message the status page shows" },
	{ .method = "GET", .pattern = "/api/v1/incidents/{id}/supplies",
	  .fn = api_incident_supplies, .tag = "supplies",
	  .op = "listIncidentSupplies", .answer = "list:Movement",
	  .summary = "Supplies allocated to and returned from an incident" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/ack",
	  .fn = api_incident_act, .write = true, .step = "ack",
	  .tag = "incidents", .op = "ackIncident", .body = &action_body,
	  .answer = "Incident",
	  .summary = "Acknowledge a report (reported to acknowledged)" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/activate",
	  .fn = api_incident_act, .write = true, .step = "activate",
	  .tag = "incidents", .op = "activateIncident", .body = &action_body,
	  .answer = "Incident",
	  .summary = "Start the response at a level ({level})" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/dismiss",
	  .fn = api_incident_act, .write = true, .step = "dismiss",
	  .tag = "incidents", .op = "dismissIncident", .body = &action_body,
	  .answer = "Incident",
	  .summary = "Dismiss a report ({reason})" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/set-level",
	  .fn = api_incident_act, .write = true, .step = "set-level",
	  .tag = "incidents", .op = "setIncidentLevel", .body = &action_body,
	  .answer = "Incident",
	  .summary = "Change an active incident's level ({level, reason})" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/resolve",
	  .fn = api_incident_act, .write = true, .step = "resolve",
	  .tag = "incidents", .op = "resolveIncident", .body = &action_body,
	  .answer = "Incident",
	  .summary = "Resolve an active incident ({summary})" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/reopen",
	  .fn = api_incident_act, .write = true, .step = "reopen",
	  .tag = "incidents", .op = "reopenIncident", .body = &action_body,
	  .answer = "Incident",
	  .summary = "Reopen a resolved incident ({reason})" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/close",
	  .fn = api_incident_act, .write = true, .step = "close",
	  .tag = "incidents", .op = "closeIncident", .body = &action_body,
	  .answer = "Incident",
	  .summary = "Close a resolved incident (the emergency ends)" },
	{ .method = "POST", .pattern = "/api/v1/incidents/{id}/review",
	  .fn = api_incident_act, .write = true, .step = "review",
	  .tag = "incidents", .op = "reviewIncident", .body = &action_body,
	  .answer = "Incident",
	  .summary = "Record the review of a closed incident ({review}); its "
		    "action items become tasks" },
	{ .method = "GET", .pattern = "/api/v1/incidents/{id}/alerts",
	  .fn = api_incident_alerts, .tag = "integrations",
	  .op = "listIncidentAlerts", .query = q_page, .answer = "list:Alert",
	  .summary = "The alerts grouped into an incident, oldest first" },
	{ .method = "GET", .pattern = "/api/v1/integrations",
	  .fn = api_integration_list, .access = ACCESS_ADMIN,
	  .tag = "integrations", .op = "listIntegrations",
	  .answer = "list:Integration",
	  .summary = "The monitors that may post alerts (keys never shown)" },
	{ .method = "POST", .pattern = "/api/v1/integrations",
	  .fn = api_integration_create, .access = ACCESS_ADMIN, .write = true,
	  .tag = "integrations", .op = "createIntegration",
	  .body = &integration_body, .status = 201, .answer = "Integration",
	  .summary = "Add an integration (its key and URL are shown once)" },
	{ .method = "GET", .pattern = "/api/v1/integrations/{id}",
	  .fn = api_integration_get, .access = ACCESS_ADMIN,
	  .tag = "integrations", .op = "getIntegration",
	  .answer = "Integration",
	  .summary = "An integration, its counts and last received time" },
	{ .method = "PATCH", .pattern = "/api/v1/integrations/{id}",
	  .fn = api_integration_update, .access = ACCESS_ADMIN, .write = true,
	  .tag = "integrations", .op = "updateIntegration",
	  .body = &integration_update_body, .answer = "Integration",
	  .summary = "Change an integration: rules, windows, enabled ..." },
	{ .method = "DELETE", .pattern = "/api/v1/integrations/{id}",
	  .fn = api_integration_delete, .access = ACCESS_ADMIN, .write = true,
	  .tag = "integrations", .op = "deleteIntegration", .status = 204,
	  .summary = "Delete an integration (its key stops working)" },
	{ .method = "POST", .pattern = "/api/v1/integrations/{id}/rotate",
	  .fn = api_integration_rotate, .access = ACCESS_ADMIN, .write = true,
	  .tag = "integrations", .op = "rotateIntegrationKey",
	  .answer = "Integration",
	  .summary = "A new key and URL, shown once; the old key stops "
		    "working" },
	{ .method = "POST", .pattern = "/api/v1/integrations/{id}/test",
	  .fn = api_integration_test, .access = ACCESS_ADMIN, .write = true,
	  .tag = "integrations", .op = "testIntegration", .status = 201,
	  .answer = "IntegrationTest",
	  .summary = "Send a test alert through the integration (a drill)" },
	{ .method = "POST", .pattern = "/api/v1/intake/{key}",
	  .fn = api_intake, .prep = api_intake_prep, .access = ACCESS_ANYONE,
	  .write = true, .raw_body = true, .body_max = INTAKE_BODY_MAX,
	  .tag = "intake", .op = "postIntake", .body_doc = "IntakePayload",
	  .answer = "IntakeResult", .status_alt = 202,
	  .answer_alt = "EventAccepted",
	  .summary = "A monitor's payload: Alertmanager, Grafana, an Events "
		    "v2 event (202) or a heartbeat; the key is the "
		    "credential" },
	{ .method = "GET", .pattern = "/api/v1/intake/{key}",
	  .fn = api_intake, .prep = api_intake_prep, .access = ACCESS_ANYONE,
	  .write = true, .raw_body = true, .tag = "intake",
	  .op = "getIntakeHeartbeat", .answer = "IntakeResult",
	  .summary = "A heartbeat (heartbeat integrations only)" },
	{ .method = "POST", .pattern = "/v2/enqueue",
	  .fn = api_intake, .prep = api_enqueue_prep, .access = ACCESS_ANYONE,
	  .write = true, .raw_body = true, .body_max = INTAKE_BODY_MAX,
	  .tag = "intake", .op = "enqueueEvent", .body_doc = "Event",
	  .status = 202, .answer = "EventAccepted",
	  .summary = "PagerDuty's Events API v2 path: the integration is the "
		    "one whose key is the body's routing_key" },
	{ .method = "PATCH", .pattern = "/api/v1/tasks/{id}",
	  .fn = api_task_update, .write = true, .tag = "tasks",
	  .op = "updateTask", .body = &task_update_body, .answer = "Task",
	  .summary = "Update a task" },
	{ .method = "GET", .pattern = "/api/v1/events",
	  .fn = api_events, .tag = "incidents", .op = "streamEvents",
	  .query = q_events, .answer = "text/event-stream",
	  .summary = "Live updates (Server-Sent Events; Last-Event-ID "
		    "resumes)" },
	{ .method = "POST", .pattern = "/api/v1/test/clock",
	  .fn = api_test_clock, .write = true, .tag = "system",
	  .op = "setTestClock", .answer = "Clock", .body = &clock_body,
	  .summary = "Set the clock (only with erms serve --test-clock)" },
	{ .method = "GET", .pattern = "/api/v1/channels",
	  .fn = api_channel_list, .access = ACCESS_ADMIN,
	  .tag = "notifications", .op = "listChannels",
	  .answer = "list:Channel",
	  .summary = "Notification channels (secrets are never shown)" },
	{ .method = "POST", .pattern = "/api/v1/channels",
	  .fn = api_channel_create, .access = ACCESS_ADMIN, .write = true,
	  .tag = "notifications", .op = "createChannel", .body = &channel_body,
	  .status = 201, .answer = "Channel",
	  .summary = "Add a channel" },
	{ .method = "PATCH", .pattern = "/api/v1/channels/{id}",
	  .fn = api_channel_update, .access = ACCESS_ADMIN, .write = true,
	  .tag = "notifications", .op = "updateChannel",
	  .body = &channel_update_body, .answer = "Channel",
	  .summary = "Change a channel" },
	{ .method = "POST", .pattern = "/api/v1/channels/{id}/test",
	  .fn = api_channel_test, .access = ACCESS_ADMIN,
	  .tag = "notifications", .op = "testChannel", .answer = "ChannelTest",
	  .summary = "Send one test message now; answers the service's "
		    "verdict" },
	{ .method = "DELETE", .pattern = "/api/v1/channels/{id}",
	  .fn = api_channel_delete, .access = ACCESS_ADMIN, .write = true,
	  .tag = "notifications", .op = "deleteChannel", .status = 204,
	  .summary = "Remove a channel (disabled if messages refer to it)" },
	{ .method = "GET", .pattern = "/api/v1/notifications",
	  .fn = api_notification_list, .tag = "notifications",
	  .op = "listNotifications", .query = q_notifications,
	  .answer = "list:Notification",
	  .summary = "The delivery log" },
	{ .method = "POST", .pattern = "/api/v1/notifications/{id}/retry",
	  .fn = api_notification_retry, .access = ACCESS_ADMIN, .write = true,
	  .tag = "notifications", .op = "retryNotification",
	  .answer = "Notification",
	  .summary = "Send a failed message again" },
	{ .method = "POST", .pattern = "/api/v1/notifications/{id}/ack",
	  .fn = api_notification_ack, .write = true, .tag = "notifications",
	  .op = "ackNotification", .answer = "Notification",
	  .summary = "Acknowledge a message (stops its escalation)" },
	{ .method = "GET", .pattern = "/ack/{token}",
	  .fn = api_ack_page, .access = ACCESS_ANYONE, .tag = "notifications",
	  .op = "getAckPage",
	  .page_errors = true, .answer = "text/html",
	  .summary = "The page of a message's one-time acknowledgement link" },
	{ .method = "POST", .pattern = "/ack/{token}",
	  .fn = api_ack_link, .access = ACCESS_ANYONE, .write = true,
	  .tag = "notifications", .op = "ackByLink",
	  .page_errors = true, .answer = "text/html",
	  .summary = "Acknowledge by the one-time link (no sign-in)" },
	{ .method = "GET", .pattern = "/api/v1/groups/{key}/rotations",
	  .fn = api_rotation_list, .tag = "duty", .op = "listRotations",
	  .answer = "list:Rotation",
	  .summary = "A group's duty rotations and overrides" },
	{ .method = "POST", .pattern = "/api/v1/groups/{key}/rotations",
	  .fn = api_rotation_create, .write = true, .tag = "duty",
	  .op = "createRotation", .body = &rotation_body, .status = 201,
	  .answer = "Rotation",
	  .summary = "Add a rotation" },
	{ .method = "POST",
	  .pattern = "/api/v1/groups/{key}/rotations/{id}/overrides",
	  .fn = api_override_create, .write = true, .tag = "duty",
	  .op = "createOverride", .body = &override_body, .status = 201,
	  .summary = "Put someone on duty for a while" },
	{ .method = "PATCH",
	  .pattern = "/api/v1/groups/{key}/rotations/{id}",
	  .fn = api_rotation_update, .write = true, .tag = "duty",
	  .op = "updateRotation", .body = &rotation_update_body,
	  .answer = "Rotation",
	  .summary = "Change a rotation (members in order, shift, start, "
		     "zone)" },
	{ .method = "DELETE",
	  .pattern = "/api/v1/groups/{key}/rotations/{id}",
	  .fn = api_rotation_delete, .write = true, .tag = "duty",
	  .op = "deleteRotation", .status = 204,
	  .summary = "Remove a rotation and its overrides" },
	{ .method = "DELETE",
	  .pattern = "/api/v1/groups/{key}/rotations/{id}/overrides/{oid}",
	  .fn = api_override_delete, .write = true, .tag = "duty",
	  .op = "deleteOverride", .status = 204,
	  .summary = "Remove an override" },
	{ .method = "GET", .pattern = "/api/v1/groups/{key}/on-duty",
	  .fn = api_on_duty, .tag = "duty", .op = "getOnDuty",
	  .answer = "OnDuty", .query = q_at,
	  .summary = "Who is on duty" },
	{ .method = "GET", .pattern = "/api/v1/users/{id}/shifts.ics",
	  .fn = api_user_shifts, .access = ACCESS_FEED, .tag = "duty",
	  .op = "getUserShifts", .answer = "text/calendar",
	  .summary = "A user's shifts as iCalendar" },
	{ .method = "GET", .pattern = "/api/v1/supplies",
	  .fn = api_supply_list, .tag = "supplies", .op = "listSupplies",
	  .answer = "list:Supply",
	  .summary = "Emergency supplies" },
	{ .method = "POST", .pattern = "/api/v1/supplies",
	  .fn = api_supply_create, .write = true, .tag = "supplies",
	  .op = "createSupply", .body = &supply_body, .status = 201,
	  .answer = "Supply",
	  .summary = "Add a supply" },
	{ .method = "GET", .pattern = "/api/v1/supplies.csv",
	  .fn = api_supply_csv, .tag = "supplies", .op = "exportSupplies",
	  .answer = "text/csv",
	  .summary = "Supplies as CSV" },
	{ .method = "POST", .pattern = "/api/v1/supplies/import",
	  .fn = api_supply_import, .write = true, .tag = "supplies",
	  .op = "importSupplies", .answer = "Imported",
	  .body = &supply_import_body, .status = 201,
	  .summary = "Add supplies from CSV; all or nothing" },
	{ .method = "GET", .pattern = "/api/v1/supplies/{id}",
	  .fn = api_supply_get, .tag = "supplies", .op = "getSupply",
	  .answer = "Supply",
	  .summary = "A supply and its movements" },
	{ .method = "PATCH", .pattern = "/api/v1/supplies/{id}",
	  .fn = api_supply_update, .write = true, .tag = "supplies",
	  .op = "updateSupply", .body = &supply_update_body,
	  .answer = "Supply",
	  .summary = "Change a supply's details" },
	{ .method = "POST", .pattern = "/api/v1/supplies/{id}/movements",
	  .fn = api_supply_move, .write = true, .tag = "supplies",
	  .op = "moveSupply", .body = &move_body, .status = 201,
	  .answer = "Supply",
	  .summary = "Move stock: in, out, allocate (to an incident), return" },
	{ .method = "GET", .pattern = "/api/v1/budgets/{year}",
	  .fn = api_budget_get, .tag = "funds", .op = "getBudget",
	  .answer = "Budget",
	  .summary = "A year's budget, spending and what remains" },
	{ .method = "PUT", .pattern = "/api/v1/budgets/{year}",
	  .fn = api_budget_put, .write = true, .tag = "funds",
	  .op = "putBudget", .answer = "Budget", .body = &budget_body,
	  .summary = "Set a year's budget" },
	{ .method = "POST", .pattern = "/api/v1/expenses",
	  .fn = api_expense_add, .write = true, .tag = "funds",
	  .op = "addExpense", .answer = "Expense", .body = &expense_body,
	  .status = 201,
	  .summary = "Record an expense (incident, drill or supply purchase)" },
	{ .method = "GET", .pattern = "/api/v1/expenses.csv",
	  .fn = api_expense_csv, .tag = "funds", .op = "exportExpenses",
	  .query = q_year, .answer = "text/csv",
	  .summary = "A year's expenses as CSV" },
	{ .method = "GET", .pattern = "/api/v1/drills",
	  .fn = api_drill_list, .tag = "drills", .op = "listDrills",
	  .query = q_year, .answer = "list:Drill",
	  .summary = "Drills (those scheduled in ?year=, when given)" },
	{ .method = "POST", .pattern = "/api/v1/drills",
	  .fn = api_drill_create, .write = true, .tag = "drills",
	  .op = "createDrill", .body = &drill_body, .status = 201,
	  .answer = "Drill",
	  .summary = "Plan a drill" },
	{ .method = "GET", .pattern = "/api/v1/drills.ics",
	  .fn = api_drill_ics, .access = ACCESS_FEED, .tag = "drills",
	  .op = "getDrillCalendar", .answer = "text/calendar",
	  .summary = "Scheduled drills as an iCalendar feed" },
	{ .method = "GET", .pattern = "/api/v1/drills/compliance",
	  .fn = api_drill_compliance, .tag = "drills",
	  .op = "getDrillCompliance", .answer = "Compliance", .query = q_year,
	  .summary = "A year's drills against the plan's requirements" },
	{ .method = "GET", .pattern = "/api/v1/drills/{id}",
	  .fn = api_drill_get, .tag = "drills", .op = "getDrill",
	  .answer = "Drill",
	  .summary = "A drill and its evaluation" },
	{ .method = "POST", .pattern = "/api/v1/drills/{id}/start",
	  .fn = api_drill_step, .write = true, .step = "start",
	  .tag = "drills", .op = "startDrill", .body = &drill_step_body,
	  .answer = "Drill",
	  .summary = "Start a planned drill; reports its drill incident" },
	{ .method = "POST", .pattern = "/api/v1/drills/{id}/complete",
	  .fn = api_drill_step, .write = true, .step = "complete",
	  .tag = "drills", .op = "completeDrill", .body = &drill_step_body,
	  .answer = "Drill",
	  .summary = "Complete a running drill" },
	{ .method = "POST", .pattern = "/api/v1/drills/{id}/evaluate",
	  .fn = api_drill_step, .write = true, .step = "evaluate",
	  .tag = "drills", .op = "evaluateDrill", .body = &drill_step_body,
	  .answer = "Drill",
	  .summary = "Evaluate a completed drill ({scores, findings?, "
		    "notes?})" },
	{ .method = "POST", .pattern = "/api/v1/drills/{id}/cancel",
	  .fn = api_drill_step, .write = true, .step = "cancel",
	  .tag = "drills", .op = "cancelDrill", .body = &drill_step_body,
	  .answer = "Drill",
	  .summary = "Cancel a planned drill" },
	{ .method = "GET", .pattern = "/api/v1/stats",
	  .fn = api_stats, .tag = "drills", .op = "getStats",
	  .answer = "Stats", .query = q_stats,
	  .summary = "Real incidents of a year or a period (drills left "
		    "out): counts by status, level and category, MTTA, MTTR "
		    "and time to activate per level and category" },
	{ .method = "GET", .pattern = "/status",
	  .fn = api_status_page, .access = ACCESS_ANYONE, .tag = "status",
	  .op = "getStatusPage", .query = q_lang, .answer = "text/html",
	  .summary = "The public status page (HTML, no script)" },
	{ .method = "GET", .pattern = "/status.json",
	  .fn = api_status_json, .access = ACCESS_ANYONE, .tag = "status",
	  .op = "getStatus", .answer = "Status",
	  .summary = "The public status as JSON" },
	{ .method = "GET", .pattern = "/status.atom",
	  .fn = api_status_atom, .access = ACCESS_ANYONE, .tag = "status",
	  .op = "getStatusAtom", .answer = "application/atom+xml",
	  .summary = "The public bulletins as an Atom feed" },
	{ 0 },
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
		if (routes[i].step && *nparams < ROUTE_PARAMS_MAX)
			params[(*nparams)++] = xstrdup(routes[i].step);
		return i;
	}
	return -1;
}

size_t route_body_max(const char *method, const char *path)
{
	const char *m = strcmp(method, "HEAD") ? method : "GET";

	for (int i = 0; i < routes_count; i++)
		if (routes[i].body_max && !strcmp(routes[i].method, m) &&
		    match(routes[i].pattern, path, NULL, NULL))
			return routes[i].body_max;
	return 0;
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
