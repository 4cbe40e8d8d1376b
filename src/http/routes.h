/*
 * routes.h - the route table and its matcher.
 */
#ifndef ERMS_HTTP_ROUTES_H
#define ERMS_HTTP_ROUTES_H

#include "http/req.h"

#define ROUTES_MAX 160

extern const struct route routes[];
extern const int routes_count;

/*
 * Find the route for method and path. Returns its index and fills params
 * (owned copies) or -1 when none matches; *path_known is set when another
 * method would match (405). A step route's step comes last in params.
 */
int route_match(const char *method, const char *path,
		char *params[ROUTE_PARAMS_MAX], int *nparams, bool *path_known);
/* The body limit of the route for method and path, or 0 (the
 * server's). */
size_t route_body_max(const char *method, const char *path);
/* "GET, POST" for a path, into buf. */
void route_allow(const char *path, char *buf, size_t n);

/* Handlers, one file per resource (api-*.c). */
api_fn api_health, api_metrics, api_openapi, api_hello;
api_fn api_incident_csv;
api_fn api_session_prep, api_session_create, api_session_get,
	api_session_delete;
api_fn api_me_get, api_me_prep, api_me_update;
api_fn api_org_get, api_org_update;
api_fn api_pack;
api_fn api_user_list, api_user_get, api_user_prep, api_user_create,
	api_user_update, api_user_delete;
api_fn api_group_list, api_group_get, api_group_create, api_group_update,
	api_member_put, api_member_delete, api_group_channel;
api_fn api_token_list, api_token_create, api_token_delete;
api_fn api_feed_token_create, api_feed_token_delete;
api_fn api_audit_list;
api_fn api_plan_list, api_plan_prep, api_plan_import, api_plan_current,
	api_plan_get, api_plan_versions, api_plan_version, api_plan_replace,
	api_plan_export, api_plan_acks, api_plan_diff, api_plan_ack,
	api_plan_step, api_plan_validate, api_plan_draft, api_plan_pending;
api_fn api_incident_list, api_incident_report, api_incident_get,
	api_incident_timeline, api_incident_tasks, api_incident_note,
	api_incident_report_doc, api_incident_act, api_task_create,
	api_task_update, api_events, api_test_clock;
api_fn api_channel_list, api_channel_create, api_channel_update,
	api_channel_delete, api_channel_test, api_notification_list,
	api_notification_retry,
	api_notification_ack, api_ack_page, api_ack_link;
api_fn api_bulletin_post, api_bulletin_list, api_incident_public,
	api_status_page,
	api_status_json, api_status_atom;
api_fn api_drill_list, api_drill_create, api_drill_get, api_drill_step,
	api_drill_compliance, api_drill_ics, api_stats;
api_fn api_supply_list, api_supply_create, api_supply_get, api_supply_update,
	api_supply_move, api_incident_supplies, api_supply_csv,
	api_supply_import, api_budget_put, api_budget_get, api_expense_add,
	api_expense_csv;
api_fn api_integration_list, api_integration_create, api_integration_get,
	api_integration_update, api_integration_delete, api_integration_rotate,
	api_integration_test, api_incident_alerts, api_intake_prep,
	api_intake, api_enqueue_prep;
api_fn api_rotation_list, api_rotation_create, api_override_create,
	api_rotation_update, api_rotation_delete, api_override_delete,
	api_on_duty, api_user_shifts;
api_fn api_reg_draft, api_reg_record, api_reg_list, api_reg_get,
	api_reg_immutable, api_reg_year, api_reg_csv;

#endif
