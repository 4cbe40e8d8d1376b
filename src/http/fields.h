/*
 * fields.h - the fields of every JSON request body, in one place.
 *
 * A handler checks its body against its table (json_check()); the route
 * table points at the same table, and the OpenAPI document's request
 * bodies are generated from it, so the document cannot drift from what
 * the server accepts.
 */
#ifndef ERMS_HTTP_FIELDS_H
#define ERMS_HTTP_FIELDS_H

#include "http/json.h"

#define TITLE_MAX 600		/* bytes: 200 CJK characters */
#define TEXT_MAX 20000

/* Accounts (api-session.c, api-users.c, api-groups.c, api-tokens.c). */
extern const struct jbody signin_body, me_body, user_create_body,
	user_update_body, group_create_body, group_update_body, member_body,
	token_create_body;
/* The organisation (api-org.c). */
extern const struct jbody org_body;
extern const struct jbody reg_report_body;
/* Plans (api-plans.c). */
extern const struct jbody plan_import_body, plan_step_body,
	plan_validate_body, plan_draft_body;
/* Incidents and tasks (api-incidents.c); review_body is action_body's
 * "review", item_body one of its action_items. */
extern const struct jbody report_body, action_body, review_body, item_body,
	note_body, task_body, task_update_body, clock_body;
/* Notifications, duty, bulletins. */
extern const struct jbody channel_body, channel_update_body, rotation_body,
	rotation_update_body, override_body, bulletin_body, public_body;
/* Drills, supplies and funds. */
extern const struct jbody drill_body, drill_step_body, supply_body,
	supply_update_body, move_body, supply_import_body, budget_body,
	expense_body;
/* Monitoring intake (api-intake.c): an integration, one of its routing
 * rules, one of its maintenance windows. */
extern const struct jbody integration_body, integration_update_body,
	rule_body, window_body;

#endif
