/*
 * fields.c - the field tables of the JSON request bodies (fields.h).
 *
 * One BODY() a body: its name and its fields, each in designated form.
 * max and min are bytes for strings and the value for integers (0 max:
 * no limit); see struct jfield in json.h.
 */
#include "http/fields.h"

#include "app/app.h"
#include "core/account.h"
#include "core/types.h"
#include "plan/plan.h"
#include "util/xalloc.h"

/* The version a write was made from (app/version.h); the server puts
 * an If-Match header's here too (pipeline.c). */
#define VERSION_FIELD							\
	{ .name = "version", .type = JT_INT, .min = 1,			\
	  .max = INT64_MAX }

#define BODY(name, ...)                                                 \
	static const struct jfield name##_f[] = { __VA_ARGS__ };        \
	const struct jbody name = { .f = name##_f, .n = ARRAY_SIZE(name##_f) }

BODY(signin_body,
	{ .name = "login", .type = JT_STRING,
	  .required = true, .max = LOGIN_MAX, .min = 1 },
	{ .name = "password", .type = JT_STRING,
	  .required = true, .max = PASSWORD_MAX });

/* A user's ids in the chat platforms (checked by app/users.c). */
BODY(chat_ids_body,
	{ .name = "dingtalk", .type = JT_STRING, .max = CHAT_ID_MAX },
	{ .name = "wecom", .type = JT_STRING, .max = CHAT_ID_MAX },
	{ .name = "feishu", .type = JT_STRING, .max = CHAT_ID_MAX });

BODY(me_body,
	{ .name = "display_name", .type = JT_STRING,
	  .max = NAME_MAX_, .min = 1 },
	{ .name = "email", .type = JT_STRING, .max = EMAIL_MAX },
	{ .name = "phone", .type = JT_STRING, .max = PHONE_MAX },
	{ .name = "locale", .type = JT_STRING, .max = LOCALE_MAX },
	{ .name = "time_zone", .type = JT_STRING, .max = ZONE_MAX },
	{ .name = "chat_ids", .type = JT_OBJECT, .of = &chat_ids_body },
	{ .name = "password", .type = JT_STRING, .max = PASSWORD_MAX },
	{ .name = "current_password", .type = JT_STRING, .max = PASSWORD_MAX },
	VERSION_FIELD);

BODY(org_body,
	{ .name = "name", .type = JT_STRING, .max = NAME_MAX_ * 2 },
	{ .name = "time_zone", .type = JT_STRING, .max = ZONE_MAX, .min = 1 },
	{ .name = "locale", .type = JT_STRING, .max = LOCALE_MAX },
	{ .name = "operator_type", .type = JT_STRING, .max = 16 },
	{ .name = "regulators", .type = JT_ARRAY },
	{ .name = "calendar", .type = JT_OBJECT },
	{ .name = "version", .type = JT_INT, .min = 1 });

BODY(reg_report_body,
	{ .name = "kind", .type = JT_STRING, .required = true, .max = 16 },
	{ .name = "to", .type = JT_STRING, .required = true, .max = 200,
	  .min = 1 },
	{ .name = "via", .type = JT_STRING, .required = true, .max = 16 },
	{ .name = "sent_at", .type = JT_STRING, .max = 40 },
	{ .name = "content", .type = JT_OBJECT });

BODY(user_create_body,
	{ .name = "login", .type = JT_STRING,
	  .required = true, .max = LOGIN_MAX, .min = 1 },
	{ .name = "display_name", .type = JT_STRING,
	  .required = true, .max = NAME_MAX_, .min = 1 },
	{ .name = "password", .type = JT_STRING,
	  .required = true, .max = PASSWORD_MAX },
	{ .name = "email", .type = JT_STRING, .max = EMAIL_MAX },
	{ .name = "phone", .type = JT_STRING, .max = PHONE_MAX },
	{ .name = "locale", .type = JT_STRING, .max = LOCALE_MAX },
	{ .name = "time_zone", .type = JT_STRING, .max = ZONE_MAX },
	{ .name = "chat_ids", .type = JT_OBJECT, .of = &chat_ids_body },
	{ .name = "is_admin", .type = JT_BOOL });

BODY(user_update_body,
	{ .name = "display_name", .type = JT_STRING,
	  .max = NAME_MAX_, .min = 1 },
	{ .name = "password", .type = JT_STRING, .max = PASSWORD_MAX },
	{ .name = "email", .type = JT_STRING, .max = EMAIL_MAX },
	{ .name = "phone", .type = JT_STRING, .max = PHONE_MAX },
	{ .name = "locale", .type = JT_STRING, .max = LOCALE_MAX },
	{ .name = "time_zone", .type = JT_STRING, .max = ZONE_MAX },
	{ .name = "chat_ids", .type = JT_OBJECT, .of = &chat_ids_body },
	{ .name = "is_admin", .type = JT_BOOL },
	{ .name = "disabled", .type = JT_BOOL },
	VERSION_FIELD);

BODY(group_create_body,
	{ .name = "key", .type = JT_STRING,
	  .required = true, .max = KEY_MAX, .min = 1 },
	{ .name = "name", .type = JT_STRING,
	  .required = true, .max = NAME_MAX_ * 2, .min = 1 },
	{ .name = "kind", .type = JT_STRING,
	  .required = true, .max = 16, .min = 1 },
	{ .name = "duties", .type = JT_ARRAY, .items = "string" });

BODY(group_update_body,
	{ .name = "name", .type = JT_STRING, .max = NAME_MAX_ * 2, .min = 1 },
	{ .name = "duties", .type = JT_ARRAY, .items = "string" },
	{ .name = "channels", .type = JT_ARRAY, .items = "integer" },
	VERSION_FIELD);

BODY(member_body,
	{ .name = "role", .type = JT_STRING,
	  .required = true, .max = 16, .min = 1 });

BODY(token_create_body,
	{ .name = "name", .type = JT_STRING,
	  .required = true, .max = NAME_MAX_, .min = 1 },
	{ .name = "expires_in_days", .type = JT_INT,
	  .max = TOKEN_DAYS_MAX, .min = 1 },
	{ .name = "expires_at", .type = JT_STRING, .max = 40, .min = 1 });

BODY(plan_import_body,
	{ .name = "yaml", .type = JT_STRING,
	  .required = true, .max = PLAN_FILE_MAX, .min = 1 },
	{ .name = "file", .type = JT_STRING, .max = 255, .min = 1 },
	VERSION_FIELD);

BODY(plan_validate_body,
	{ .name = "yaml", .type = JT_STRING,
	  .required = true, .max = PLAN_FILE_MAX },
	{ .name = "file", .type = JT_STRING, .max = 255, .min = 1 });

BODY(plan_draft_body,
	{ .name = "from", .type = JT_INT, .min = 1, .max = 1000000 },
	{ .name = "from_review", .type = JT_REF });

BODY(plan_step_body,
	{ .name = "comment", .type = JT_STRING, .max = 4000 },
	VERSION_FIELD);

BODY(report_body,
	{ .name = "title", .type = JT_STRING,
	  .required = true, .max = TITLE_MAX, .min = 1 },
	{ .name = "description", .type = JT_STRING, .max = TEXT_MAX },
	{ .name = "category", .type = JT_STRING,
	  .required = true, .max = KEY_MAX, .min = 1 },
	{ .name = "impact", .type = JT_STRING, .max = TEXT_MAX },
	{ .name = "detected_at", .type = JT_STRING, .max = 40, .min = 1 },
	{ .name = "proposed_level", .type = JT_STRING,
	  .max = KEY_MAX, .min = 1 },
	{ .name = "is_drill", .type = JT_BOOL });

BODY(item_body,
	{ .name = "title", .type = JT_STRING,
	  .required = true, .max = TITLE_MAX, .min = 1 },
	{ .name = "group", .type = JT_STRING, .max = KEY_MAX, .min = 1 },
	{ .name = "owner_id", .type = JT_INT },
	{ .name = "due_at", .type = JT_STRING, .max = 40, .min = 1 },
	{ .name = "plan_revision", .type = JT_BOOL });

BODY(review_body,
	{ .name = "cause", .type = JT_STRING,
	  .required = true, .max = TEXT_MAX, .min = 1 },
	{ .name = "impact", .type = JT_STRING, .max = TEXT_MAX },
	{ .name = "went_well", .type = JT_STRING, .max = TEXT_MAX },
	{ .name = "went_badly", .type = JT_STRING, .max = TEXT_MAX },
	{ .name = "lessons", .type = JT_STRING, .max = TEXT_MAX },
	{ .name = "action_items", .type = JT_ARRAY, .of = &item_body });

BODY(action_body,
	{ .name = "level", .type = JT_STRING, .max = KEY_MAX, .min = 1 },
	{ .name = "reason", .type = JT_STRING, .max = TEXT_MAX, .min = 1 },
	{ .name = "summary", .type = JT_STRING, .max = TEXT_MAX, .min = 1 },
	{ .name = "review", .type = JT_OBJECT, .of = &review_body },
	{ .name = "assessment", .type = JT_STRING, .max = TEXT_MAX },
	{ .name = "proposed_level", .type = JT_STRING, .max = KEY_MAX,
	  .min = 1 },
	VERSION_FIELD);

BODY(note_body,
	{ .name = "text", .type = JT_STRING,
	  .required = true, .max = TEXT_MAX, .min = 1 });

BODY(task_body,
	{ .name = "title", .type = JT_STRING,
	  .required = true, .max = TITLE_MAX, .min = 1 },
	{ .name = "group", .type = JT_STRING,
	  .required = true, .max = KEY_MAX, .min = 1 },
	{ .name = "assignee_id", .type = JT_INT },
	{ .name = "due_at", .type = JT_STRING, .max = 40, .min = 1 });

BODY(task_update_body,
	{ .name = "title", .type = JT_STRING, .max = TITLE_MAX, .min = 1 },
	{ .name = "status", .type = JT_STRING, .max = 16, .min = 1 },
	{ .name = "notes", .type = JT_STRING, .max = TEXT_MAX },
	{ .name = "assignee_id", .type = JT_INT },
	{ .name = "due_at", .type = JT_STRING, .max = 40, .min = 1 },
	VERSION_FIELD);

BODY(clock_body,
	{ .name = "now", .type = JT_STRING,
	  .required = true, .max = 40, .min = 1 });

BODY(channel_body,
	{ .name = "name", .type = JT_STRING,
	  .required = true, .max = NAME_MAX_, .min = 1 },
	{ .name = "kind", .type = JT_STRING,
	  .required = true, .max = 16, .min = 1 },
	{ .name = "config", .type = JT_OBJECT, .required = true },
	{ .name = "rate_burst", .type = JT_INT, .max = 10000 },
	{ .name = "rate_period_ms", .type = JT_INT, .max = 3600000 },
	{ .name = "enabled", .type = JT_BOOL });

BODY(channel_update_body,
	{ .name = "name", .type = JT_STRING, .max = NAME_MAX_, .min = 1 },
	{ .name = "config", .type = JT_OBJECT },
	{ .name = "rate_burst", .type = JT_INT, .max = 10000 },
	{ .name = "rate_period_ms", .type = JT_INT, .max = 3600000 },
	{ .name = "enabled", .type = JT_BOOL },
	VERSION_FIELD);

BODY(rotation_body,
	{ .name = "name", .type = JT_STRING,
	  .required = true, .max = NAME_MAX_, .min = 1 },
	{ .name = "members", .type = JT_ARRAY,
	  .required = true, .items = "integer" },
	{ .name = "shift_minutes", .type = JT_INT,
	  .required = true, .max = 366 * 24 * 60, .min = 1 },
	{ .name = "start", .type = JT_STRING,
	  .required = true, .max = 40, .min = 1 },
	{ .name = "time_zone", .type = JT_STRING, .max = 63, .min = 1 });

BODY(rotation_update_body,
	{ .name = "name", .type = JT_STRING, .max = NAME_MAX_, .min = 1 },
	{ .name = "members", .type = JT_ARRAY, .items = "integer" },
	{ .name = "shift_minutes", .type = JT_INT,
	  .max = 366 * 24 * 60, .min = 1 },
	{ .name = "start", .type = JT_STRING, .max = 40, .min = 1 },
	{ .name = "time_zone", .type = JT_STRING, .max = 63, .min = 1 },
	VERSION_FIELD);

BODY(override_body,
	{ .name = "user_id", .type = JT_INT, .required = true, .min = 1 },
	{ .name = "start", .type = JT_STRING,
	  .required = true, .max = 40, .min = 1 },
	{ .name = "end", .type = JT_STRING,
	  .required = true, .max = 40, .min = 1 });

BODY(bulletin_body,
	{ .name = "text", .type = JT_STRING,
	  .required = true, .max = 20000, .min = 1 },
	{ .name = "audience", .type = JT_STRING,
	  .required = true, .max = 16, .min = 1 });

BODY(public_body,
	{ .name = "public_title", .type = JT_STRING, .max = TITLE_MAX },
	{ .name = "public_message", .type = JT_STRING, .max = 20000 },
	VERSION_FIELD);

BODY(drill_body,
	{ .name = "title", .type = JT_STRING,
	  .required = true, .max = 255, .min = 1 },
	{ .name = "kind", .type = JT_STRING,
	  .required = true, .max = 15, .min = 1 },
	{ .name = "category", .type = JT_STRING,
	  .required = true, .max = 64, .min = 1 },
	{ .name = "level", .type = JT_STRING, .max = 64 },
	{ .name = "scheduled_at", .type = JT_STRING,
	  .required = true, .max = 40, .min = 1 },
	{ .name = "minutes", .type = JT_INT, .max = 10080, .min = 1 },
	{ .name = "location", .type = JT_STRING, .max = 127 },
	{ .name = "participants", .type = JT_ARRAY },
	{ .name = "scenario", .type = JT_STRING, .max = 8000 },
	{ .name = "injects", .type = JT_ARRAY });

BODY(drill_step_body,
	{ .name = "scores", .type = JT_ARRAY },
	{ .name = "findings", .type = JT_ARRAY },
	{ .name = "notes", .type = JT_STRING, .max = 8000 },
	VERSION_FIELD);

BODY(supply_body,
	{ .name = "name", .type = JT_STRING,
	  .required = true, .max = 255, .min = 1 },
	{ .name = "kind", .type = JT_STRING, .max = 63 },
	{ .name = "location", .type = JT_STRING, .max = 127 },
	{ .name = "quantity", .type = JT_INT, .max = 1000000000 },
	{ .name = "unit", .type = JT_STRING, .max = 31 },
	{ .name = "min_quantity", .type = JT_INT, .max = 1000000000 },
	{ .name = "inspect_by", .type = JT_STRING, .max = 40 },
	{ .name = "notes", .type = JT_STRING, .max = 4000 });

BODY(supply_update_body,
	{ .name = "name", .type = JT_STRING, .max = 255, .min = 1 },
	{ .name = "kind", .type = JT_STRING, .max = 63 },
	{ .name = "location", .type = JT_STRING, .max = 127 },
	{ .name = "unit", .type = JT_STRING, .max = 31 },
	{ .name = "min_quantity", .type = JT_INT, .max = 1000000000 },
	{ .name = "inspect_by", .type = JT_STRING, .max = 40 },
	{ .name = "notes", .type = JT_STRING, .max = 4000 },
	VERSION_FIELD);

BODY(move_body,
	{ .name = "kind", .type = JT_STRING,
	  .required = true, .max = 16, .min = 1 },
	{ .name = "quantity", .type = JT_INT,
	  .required = true, .max = 1000000000, .min = 1 },
	{ .name = "incident", .type = JT_REF, .max = 40, .min = 1 },
	{ .name = "note", .type = JT_STRING, .max = 1000 });

BODY(supply_import_body,
	{ .name = "csv", .type = JT_STRING,
	  .required = true, .max = 1000000, .min = 1 });

BODY(budget_body,
	{ .name = "amount_cents", .type = JT_INT, .required = true },
	{ .name = "note", .type = JT_STRING, .max = 1000 });

BODY(expense_body,
	{ .name = "amount_cents", .type = JT_INT, .required = true, .min = 1 },
	{ .name = "purpose", .type = JT_STRING,
	  .required = true, .max = 1000, .min = 1 },
	{ .name = "year", .type = JT_INT, .max = 2999, .min = 2000 },
	{ .name = "incident", .type = JT_REF, .max = 40, .min = 1 },
	{ .name = "drill_id", .type = JT_INT },
	{ .name = "supply_id", .type = JT_INT });

BODY(rule_body,
	{ .name = "matchers", .type = JT_ARRAY, .required = true,
	  .items = "string" },
	{ .name = "category", .type = JT_STRING, .max = KEY_MAX, .min = 1,
	  .nullable = true },
	{ .name = "level", .type = JT_STRING, .max = KEY_MAX, .min = 1,
	  .nullable = true },
	{ .name = "title", .type = JT_STRING, .max = TITLE_MAX,
	  .nullable = true },
	{ .name = "drop", .type = JT_BOOL });

BODY(window_body,
	{ .name = "matchers", .type = JT_ARRAY, .required = true,
	  .items = "string" },
	{ .name = "starts_at", .type = JT_STRING,
	  .required = true, .max = 40, .min = 1 },
	{ .name = "ends_at", .type = JT_STRING,
	  .required = true, .max = 40, .min = 1 },
	{ .name = "reason", .type = JT_STRING, .max = TEXT_MAX });

/* The integration's settings, in create and update alike. */
#define INTEGRATION_SETTINGS                                              \
	{ .name = "enabled", .type = JT_BOOL },                           \
	{ .name = "category", .type = JT_STRING, .max = KEY_MAX,          \
	  .min = 1, .nullable = true },                                   \
	{ .name = "level", .type = JT_STRING, .max = KEY_MAX, .min = 1,   \
	  .nullable = true },                                             \
	{ .name = "title_template", .type = JT_STRING, .max = TITLE_MAX }, \
	{ .name = "group_by", .type = JT_ARRAY, .items = "string" },      \
	{ .name = "group_window_s", .type = JT_INT },                     \
	{ .name = "auto_dismiss", .type = JT_BOOL },                      \
	{ .name = "interval_s", .type = JT_INT, .max = 604800, .min = 10, \
	  .nullable = true },                                             \
	{ .name = "rate_limit_per_min", .type = JT_INT, .min = 1 },       \
	{ .name = "rules", .type = JT_ARRAY, .of = &rule_body },          \
	{ .name = "maintenance", .type = JT_ARRAY, .of = &window_body }

BODY(integration_body,
	{ .name = "name", .type = JT_STRING,
	  .required = true, .max = NAME_MAX_, .min = 1 },
	{ .name = "kind", .type = JT_STRING,
	  .required = true, .max = 16, .min = 1 },
	INTEGRATION_SETTINGS);

BODY(integration_update_body,
	{ .name = "name", .type = JT_STRING, .max = NAME_MAX_, .min = 1 },
	INTEGRATION_SETTINGS,
	VERSION_FIELD);
