/*
 * schema.c - the schema tables of a plan file (docs/plan-format.md):
 * the fields of each mapping, their types, which are required, their
 * ranges and enumerations.
 */
#include "plan/parse.h"

#define SCHEMA(name, what) \
	static const struct schema name##_s = { what, name##_f, \
		sizeof(name##_f) / sizeof(name##_f[0]) }

static const char *const kinds[] = { "leadership", "command", "team", NULL };
static const char *const national[] = { "I", "II", "III", "IV", NULL };
static const char *const colors[] = { "red", "orange", "yellow", "blue",
				      NULL };
static const char *const whos[] = { "on_duty", "all", "leads", NULL };
static const char *const drill_kinds[] = { "any", "tabletop", "live", NULL };
static const char *const format[] = { "erms-plan/1", NULL };

static const struct field group_f[] = {
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "name", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "kind", FT_ENUM, true, NULL, kinds, 0, 0 },
	{ "lead_title", FT_TEXT, false, NULL, NULL, 0, 0 },
	{ "deputy_title", FT_TEXT, false, NULL, NULL, 0, 0 },
	{ "duties", FT_TEXTS, false, NULL, NULL, 0, 0 },
};
SCHEMA(group, "group");

static const struct field category_f[] = {
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "name", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "team", FT_REF, true, NULL, NULL, 0, 0 },
	{ "parent", FT_REF, false, NULL, NULL, 0, 0 },
	{ "class", FT_CODE, false, NULL, NULL, 0, 0 },
	{ "description", FT_TEXT, false, NULL, NULL, 0, 0 },
};
SCHEMA(category, "category");

static const struct field targets_f[] = {
	{ "ack_min", FT_INT, true, NULL, NULL, 1, 525600 },
	{ "activate_min", FT_INT, true, NULL, NULL, 1, 525600 },
	{ "resolve_min", FT_INT, true, NULL, NULL, 1, 525600 },
};
SCHEMA(targets, "targets");

static const struct field measure_f[] = {
	{ "title", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "group", FT_REF, true, NULL, NULL, 0, 0 },
};
SCHEMA(measure, "measure");

static const struct field level_f[] = {
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "name", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "rank", FT_INT, true, NULL, NULL, 1, 100 },
	{ "national_level", FT_ENUM, false, NULL, national, 0, 0 },
	{ "color", FT_ENUM, false, NULL, colors, 0, 0 },
	{ "criteria", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "targets", FT_OBJ, true, &targets_s, NULL, 0, 0 },
	{ "measures", FT_LIST, false, &measure_s, NULL, 0, 0 },
	{ "notify", FT_REFS, false, NULL, NULL, 0, 0 },
};
SCHEMA(level, "level");

static const struct field tier_f[] = {
	{ "notify", FT_REFS, true, NULL, NULL, 0, 0 },
	{ "who", FT_ENUM, false, NULL, whos, 0, 0 },
	{ "after_min", FT_INT, true, NULL, NULL, 0, 525600 },
};
SCHEMA(tier, "escalation tier");

static const struct field drill_f[] = {
	{ "category", FT_REF, true, NULL, NULL, 0, 0 },
	{ "per_year", FT_INT, true, NULL, NULL, 1, 365 },
	{ "kind", FT_ENUM, false, NULL, drill_kinds, 0, 0 },
};
SCHEMA(drill, "drill requirement");

static const struct field section_f[] = {
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "title", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "body", FT_TEXT, true, NULL, NULL, 0, 0 },
};
SCHEMA(section, "section");

static const struct field acknowledgement_f[] = {
	{ "remind_after_days", FT_INT, false, NULL, NULL, 1, 365 },
};
SCHEMA(acknowledgement, "acknowledgement");

static const struct field plan_f[] = {
	{ "format", FT_CONST, true, NULL, format, 0, 0 },
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "name", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "summary", FT_TEXT, false, NULL, NULL, 0, 0 },
	{ "scope", FT_TEXT, false, NULL, NULL, 0, 0 },
	{ "basis", FT_TEXTS, false, NULL, NULL, 0, 0 },
	{ "owner", FT_REF, false, NULL, NULL, 0, 0 },
	{ "review_months", FT_INT, false, NULL, NULL, 1, 60 },
	{ "cooling_off_h", FT_INT, false, NULL, NULL, 0, 720 },
	{ "acknowledgement", FT_OBJ, false, &acknowledgement_s, NULL, 0, 0 },
	{ "groups", FT_LIST, true, &group_s, NULL, 0, 0 },
	{ "categories", FT_LIST, true, &category_s, NULL, 0, 0 },
	{ "levels", FT_LIST, true, &level_s, NULL, 0, 0 },
	{ "escalation", FT_LIST, true, &tier_s, NULL, 0, 0 },
	{ "drills", FT_LIST, false, &drill_s, NULL, 0, 0 },
	{ "sections", FT_LIST, false, &section_s, NULL, 0, 0 },
};
const struct schema pp_plan_schema = {
	"plan", plan_f, sizeof(plan_f) / sizeof(plan_f[0])
};
