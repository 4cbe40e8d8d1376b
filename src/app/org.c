/*
 * org.c - the organisation's settings and the zone of a reader.
 */
#include "app/org.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/version.h"
#include "core/account.h"
#include "core/calendar.h"
#include "core/regulatory.h"
#include "store/store.h"
#include "util/tz.h"
#include "util/xalloc.h"

int app_org_read(struct store *st, const struct principal *p,
		 struct organisation *out, struct errbuf *e)
{
	int rc = app_may(p, A_ORG_READ, NULL, e);

	return rc ? rc : store_org_get(st, out);
}

#define REGULATORS_MAX 20
#define REGULATOR_TEXT_MAX 500

static int bad(struct errbuf *e, const char *field, const char *fmt,
	       const char *what)
{
	int rc = err_ret(e, ERMS_EINVAL, "invalid_field", fmt, what);

	errbuf_field(e, field);
	return rc;
}

/*
 * The regulators of body (an array of {name, role?, contact?, phone?,
 * email?, address?, note?}) as the JSON text stored, into *out.
 */
static int take_regulators(const json_t *list, char **out, struct errbuf *e)
{
	static const char *const keys[] = { "name", "role", "contact", "phone",
					    "email", "address", "note" };
	char field[64];
	const json_t *r;
	size_t i;

	if (json_array_size(list) > REGULATORS_MAX)
		return bad(e, "regulators", "%s", "at most 20 regulators");
	json_array_foreach(list, i, r) {
		const char *k;
		const json_t *v;

		snprintf(field, sizeof(field), "regulators[%zu]", i);
		if (!json_is_object(r))
			return bad(e, field, "%s must be an object", field);
		json_object_foreach((json_t *)r, k, v) {
			size_t j = 0;

			while (j < ARRAY_SIZE(keys) && strcmp(keys[j], k))
				j++;
			snprintf(field, sizeof(field), "regulators[%zu].%.16s",
				 i, k);
			if (j == ARRAY_SIZE(keys))
				return bad(e, field, "%s is not a field of a "
					   "regulator", field);
			if (!json_is_string(v) ||
			    json_string_length(v) > REGULATOR_TEXT_MAX)
				return bad(e, field, "%s must be a text of at "
					   "most 500 bytes", field);
		}
		k = json_string_value(json_object_get(r, "name"));
		snprintf(field, sizeof(field), "regulators[%zu].name", i);
		if (!k || !*k)
			return bad(e, field, "%s is required", field);
	}
	*out = json_dumps(list, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return 0;
}

/* A "YYYY-MM-DD" of year `year` as yyyymmdd, or 0. */
static int32_t date_of(const char *s, int year)
{
	int y, m, d, n = 0;

	if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
	    n != 10 || s[n] || y != year || m < 1 || m > 12 || d < 1 ||
	    d > 31)
		return 0;
	/* 2026-02-30 comes back as another day. */
	int32_t ymd = y * 10000 + m * 100 + d;

	return cal_ymd(cal_days(ymd)) == ymd ? ymd : 0;
}

/* One list of a year ("holidays", "workdays"): checked, sorted, no
 * repeats, as a new JSON array into *out. */
static int take_days(const json_t *list, int year, const char *field,
		     json_t **out, struct errbuf *e)
{
	int32_t v[400];
	size_t n = 0, i;
	const json_t *d;
	char buf[16];

	*out = json_array();
	if (!list)
		return 0;
	if (!json_is_array(list) || json_array_size(list) > 366)
		return bad(e, field, "%s must be a list of dates (YYYY-MM-DD)",
			   field);
	json_array_foreach(list, i, d) {
		int32_t ymd = date_of(json_string_value(d), year);

		if (!ymd)
			return bad(e, field, "%s: each date must be a day of "
				   "that year, as YYYY-MM-DD", field);
		v[n++] = ymd;
	}
	for (i = 1; i < n; i++)	/* insertion sort: a year's few days */
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			int32_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		if (i && v[i] == v[i - 1])
			continue;
		snprintf(buf, sizeof(buf), "%04d-%02d-%02d", v[i] / 10000,
			 v[i] / 100 % 100, v[i] % 100);
		json_array_append_new(*out, json_string(buf));
	}
	return 0;
}

/*
 * The calendar stored (was: JSON text) with the years of body's calendar
 * {"2026": {holidays?, workdays?} | null} replaced, into *out.
 */
static int take_calendar(const json_t *cal, const char *was, char **out,
			 struct errbuf *e)
{
	json_t *all = json_loads(was && *was ? was : "{}", 0, NULL);
	const char *year;
	const json_t *v;
	char field[48];
	int rc = 0;

	if (!json_is_object(all)) {
		json_decref(all);
		all = json_object();
	}
	json_object_foreach((json_t *)cal, year, v) {
		int y = (int)strtol(year, NULL, 10);
		json_t *h = NULL, *w = NULL, *x;
		const char *k;
		const json_t *u;

		snprintf(field, sizeof(field), "calendar.%.8s", year);
		if (strlen(year) != 4 || y < 2000 || y > 2100) {
			rc = bad(e, field, "%s: a year from 2000 to 2100", field);
			break;
		}
		if (json_is_null(v)) {
			json_object_del(all, year);
			continue;
		}
		if (!json_is_object(v)) {
			rc = bad(e, field, "%s must be {holidays, workdays}",
				 field);
			break;
		}
		json_object_foreach((json_t *)v, k, u) {
			if (strcmp(k, "holidays") && strcmp(k, "workdays")) {
				rc = bad(e, field, "%s has holidays and "
					 "workdays only", field);
				break;
			}
		}
		if (rc)
			break;
		snprintf(field, sizeof(field), "calendar.%.4s.holidays", year);
		if (!(rc = take_days(json_object_get(v, "holidays"), y, field,
				     &h, e))) {
			snprintf(field, sizeof(field), "calendar.%.4s.workdays",
				 year);
			rc = take_days(json_object_get(v, "workdays"), y, field,
				       &w, e);
		}
		if (!rc) {
			size_t i;

			json_array_foreach(w, i, x)
				for (size_t j = 0; j < json_array_size(h); j++)
					if (json_equal(x, json_array_get(h, j)))
						rc = bad(e, field, "%s: a day "
							 "is a holiday or a "
							 "working day, not both",
							 field);
		}
		if (!rc)
			json_object_set_new(all, year,
					    json_pack("{s:O, s:O}", "holidays",
						      h, "workdays", w));
		json_decref(h);
		json_decref(w);
		if (rc)
			break;
	}
	if (!rc)
		*out = json_dumps(all, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(all);
	return rc;
}

/* The text of body's field `name`, or NULL. */
static const char *text(const json_t *body, const char *name)
{
	return json_string_value(json_object_get(body, name));
}

static int bad_zone(struct errbuf *e, const char *zone)
{
	int rc = err_ret(e, ERMS_EINVAL, "invalid_field",
			 "'%s' is not a time zone of the tz database "
			 "(e.g. Asia/Shanghai)", zone);

	errbuf_field(e, "time_zone");
	return rc;
}

/* "name=... time_zone=... locale=..." for the audit row. */
static int org_audit(struct store *st, const struct principal *p,
		     const struct organisation *o, int64_t now_ms)
{
	char *summary = xasprintf("name=%s time_zone=%s locale=%s "
				  "operator_type=%s regulators=%s calendar=%s "
				  "version=%" PRId64, o->name, o->time_zone,
				  o->locale, o->operator_type,
				  o->regulators_json, o->calendar_json,
				  o->version);
	int rc = audit_append(st, p->user.id, "organisation.update",
			      "organisation:1", summary, now_ms);

	free(summary);
	return rc;
}

int app_org_edit(struct store *st, const struct principal *p,
		 const json_t *body, int64_t now_ms, struct organisation *out,
		 struct errbuf *e)
{
	const char *name = text(body, "name"), *zone = text(body, "time_zone");
	const char *locale = text(body, "locale");
	const char *op = text(body, "operator_type");
	const json_t *regs = json_object_get(body, "regulators");
	const json_t *cal = json_object_get(body, "calendar");
	char *regs_text = NULL, *cal_text = NULL;
	struct stamp was = { 0 };
	int rc = app_may(p, A_ORG_UPDATE, NULL, e);

	if (rc)
		return rc;
	if (zone && !tz_valid(zone))
		return bad_zone(e, zone);
	if (locale && !locale_valid(locale))
		return err_fail(e, ERMS_EINVAL, "locale",
				"locale must be 'zh-CN' or 'en'");
	if (op && reg_operator_parse(op) < 0)
		return bad(e, "operator_type", "%s", "operator_type must be "
			   "'cii', 'central' or 'other'");
	if ((rc = store_org_get(st, out)))
		return rc;
	if (regs && (rc = take_regulators(regs, &regs_text, e)))
		return rc;
	if (cal && (rc = take_calendar(cal, out->calendar_json, &cal_text,
				       e))) {
		free(regs_text);
		return rc;
	}
	was.version = out->version;
	was.by = out->updated_by;
	snprintf(was.by_name, sizeof(was.by_name), "%s", out->updated_by_name);
	if ((rc = app_version_check(st, p, app_body_version(body), &was,
				    out->updated_ms, VK_ORGANISATION,
				    out->name, e))) {
		free(regs_text);
		free(cal_text);
		return rc;
	}
	if (name)
		snprintf(out->name, sizeof(out->name), "%s", name);
	if (zone)
		snprintf(out->time_zone, sizeof(out->time_zone), "%s", zone);
	if (locale)
		snprintf(out->locale, sizeof(out->locale), "%s", locale);
	if (op)
		snprintf(out->operator_type, sizeof(out->operator_type), "%s",
			 op);
	if (regs_text) {
		free(out->regulators_json);
		out->regulators_json = regs_text;
	}
	if (cal_text) {
		free(out->calendar_json);
		out->calendar_json = cal_text;
	}
	out->version++;
	out->updated_ms = now_ms;
	out->updated_by = p->user.id;
	snprintf(out->updated_by_name, sizeof(out->updated_by_name), "%s",
		 p->user.display_name);
	rc = store_org_update(st, out);
	return rc ? rc : org_audit(st, p, out, now_ms);
}

int app_org_set_zone(struct store *st, const char *zone, int64_t now_ms,
		     struct errbuf *e)
{
	struct organisation o = { 0 };
	int rc;

	if (!tz_valid(zone))
		return bad_zone(e, zone);
	if ((rc = store_org_get(st, &o)))
		return rc;
	snprintf(o.time_zone, sizeof(o.time_zone), "%s", zone);
	o.version++;
	o.updated_ms = now_ms;
	o.updated_by = 0;
	rc = store_org_update(st, &o);
	if (!rc)
		rc = org_audit(st, &principal_system, &o, now_ms);
	organisation_release(&o);
	return rc;
}

