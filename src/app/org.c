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
#include "store/store.h"
#include "util/tz.h"
#include "util/xalloc.h"

int app_org_read(struct store *st, const struct principal *p,
		 struct organisation *out, struct errbuf *e)
{
	int rc = app_may(p, A_ORG_READ, NULL, e);

	return rc ? rc : store_org_get(st, out);
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
				  "version=%" PRId64, o->name, o->time_zone,
				  o->locale, o->version);
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
	struct stamp was = { 0 };
	int rc = app_may(p, A_ORG_UPDATE, NULL, e);

	if (rc)
		return rc;
	if (zone && !tz_valid(zone))
		return bad_zone(e, zone);
	if (locale && !locale_valid(locale))
		return err_fail(e, ERMS_EINVAL, "locale",
				"locale must be 'zh-CN' or 'en'");
	if ((rc = store_org_get(st, out)))
		return rc;
	was.version = out->version;
	was.by = out->updated_by;
	snprintf(was.by_name, sizeof(was.by_name), "%s", out->updated_by_name);
	if ((rc = app_version_check(st, p, app_body_version(body), &was,
				    out->updated_ms, VK_ORGANISATION,
				    out->name, e)))
		return rc;
	if (name)
		snprintf(out->name, sizeof(out->name), "%s", name);
	if (zone)
		snprintf(out->time_zone, sizeof(out->time_zone), "%s", zone);
	if (locale)
		snprintf(out->locale, sizeof(out->locale), "%s", locale);
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
	struct organisation o;
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
	return rc ? rc : org_audit(st, &principal_system, &o, now_ms);
}

