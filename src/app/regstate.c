/*
 * regstate.c - an incident's duty to report, stored (app/regstate.h).
 */
#include "app/regstate.h"

#include <string.h>

#include "util/clock.h"
#include "util/xalloc.h"

static int64_t ms(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

void regstate_load(const char *text, struct reg_obligation *o,
		   json_t **reports)
{
	json_t *j = text && *text ? json_loads(text, 0, NULL) : NULL;
	json_t *list = json_object_get(j, "reports");

	*o = (struct reg_obligation){ 0 };
	if (json_is_object(j)) {
		int op = reg_operator_parse(
		    json_string_value(json_object_get(j, "op")));

		o->national = (int)ms(j, "national");
		o->op = op < 0 ? OP_OTHER : op;
		o->drill = json_is_true(json_object_get(j, "drill"));
		o->status = reg_status_parse(
		    json_string_value(json_object_get(j, "status")));
		o->detected_ms = ms(j, "detected");
		o->opened_ms = ms(j, "opened");
		o->deadline_ms = ms(j, "deadline");
		o->first_ms = ms(j, "first");
		o->closed_ms = ms(j, "closed");
		o->final_due_ms = ms(j, "final_due");
		o->final_ms = ms(j, "final");
		o->told = (unsigned)ms(j, "told");
		o->reports = (int)json_array_size(list);
	}
	if (reports)
		*reports = json_is_array(list) ? json_incref(list)
					       : json_array();
	json_decref(j);
}

char *regstate_dump(const struct reg_obligation *o, const json_t *reports)
{
	json_t *none = json_array(), *j;
	char *text;

	if (o->status == REG_NONE) {
		json_decref(none);
		return xstrdup("");
	}
	j = json_pack("{s:i, s:s, s:b, s:s, s:I, s:I, s:I, s:I, s:I, s:I,"
		      " s:I, s:I, s:O}",
		      "national", o->national, "op", reg_operator_name(o->op),
		      "drill", o->drill, "status", reg_status_name(o->status),
		      "detected", (json_int_t)o->detected_ms,
		      "opened", (json_int_t)o->opened_ms,
		      "deadline", (json_int_t)o->deadline_ms,
		      "first", (json_int_t)o->first_ms,
		      "closed", (json_int_t)o->closed_ms,
		      "final_due", (json_int_t)o->final_due_ms,
		      "final", (json_int_t)o->final_ms,
		      "told", (json_int_t)o->told,
		      "reports", reports ? (json_t *)reports : none);
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	json_decref(none);
	return text;
}

static json_t *at(int64_t t)
{
	char out[32];

	if (!t)
		return json_null();
	time_fmt(t, out);
	return json_string(out);
}

json_t *regulatory_json(const char *stored, int64_t now_ms)
{
	struct reg_obligation o;
	json_t *reports, *list = json_array(), *x;
	int64_t late;
	size_t i;

	regstate_load(stored, &o, &reports);
	json_array_foreach(reports, i, x)
		json_array_append_new(
		    list, json_pack("{s:O, s:O, s:o}", "n",
				    json_object_get(x, "n"), "kind",
				    json_object_get(x, "kind"), "sent_at",
				    at(json_integer_value(
					json_object_get(x, "sent")))));
	json_decref(reports);
	if (o.status == REG_NONE)
		return json_pack("{s:b, s:n, s:n, s:n, s:n, s:n, s:n, s:n,"
				 " s:n, s:n, s:b, s:o}", "required", 0,
				 "national_level", "operator_type",
				 "opened_at", "deadline_at", "status",
				 "first_report_at", "late_by_min",
				 "final_due_at", "final_report_at", "drill", 0,
				 "reports", list);
	late = reg_late_by_min(&o, now_ms);
	return json_pack("{s:b, s:s?, s:s, s:o, s:o, s:s, s:o, s:o, s:o, s:o,"
			 " s:b, s:o}", "required", 1, "national_level",
			 reg_national_name(o.national), "operator_type",
			 reg_operator_name(o.op), "opened_at",
			 at(o.opened_ms), "deadline_at",
			 at(o.deadline_ms), "status",
			 reg_status_name(o.status), "first_report_at",
			 at(o.first_ms), "late_by_min",
			 late < 0 ? json_null() : json_integer(late),
			 "final_due_at", at(o.final_due_ms),
			 "final_report_at", at(o.final_ms), "drill",
			 o.drill, "reports", list);
}

