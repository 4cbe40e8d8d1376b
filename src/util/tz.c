/*
 * tz.c - time zones through GLib's GTimeZone and GDateTime (see tz.h).
 *
 * g_time_zone_new_identifier() answers NULL for a name tzdata does not
 * have, and GLib keeps every zone it read, so a lookup costs a hash probe
 * after the first.
 */
#include "util/tz.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "util/clock.h"

static GTimeZone *zone_of(const char *name)
{
	if (!name || !*name || strlen(name) > 64 || name[0] == '/' ||
	    strstr(name, ".."))
		return NULL;
	/* Offsets ("+08:00") are zones to GLib, not names in the database. */
	if (name[0] == '+' || name[0] == '-' || (name[0] >= '0' && name[0] <= '9'))
		return NULL;
	return g_time_zone_new_identifier(name);
}

bool tz_valid(const char *name)
{
	GTimeZone *z = zone_of(name);
	if (!z)
		return false;
	g_time_zone_unref(z);
	return true;
}

static gint64 seconds_of(int64_t ms)
{
	return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

int tz_offset_s(const char *zone, int64_t ms)
{
	GTimeZone *z = zone_of(zone);
	if (!z)
		return 0;
	int iv = g_time_zone_find_interval(z, G_TIME_TYPE_UNIVERSAL,
					   seconds_of(ms));
	int off = iv < 0 ? 0 : (int)g_time_zone_get_offset(z, iv);
	g_time_zone_unref(z);
	return off;
}

size_t tz_format(char *out, size_t n, int64_t ms, const char *zone,
		 const char *fmt)
{
	if (!n)
		return 0;
	out[0] = 0;
	GTimeZone *z = zone_of(zone);
	if (!z)
		z = g_time_zone_new_utc();
	GDateTime *utc = g_date_time_new_from_unix_utc(seconds_of(ms));
	GDateTime *local = utc ? g_date_time_to_timezone(utc, z) : NULL;
	gchar *s = local ? g_date_time_format(local, fmt) : NULL;
	size_t len = 0;
	if (s) {
		len = strlen(s);
		if (len >= n)
			len = n - 1;
		memcpy(out, s, len);
		out[len] = 0;
	}
	g_free(s);
	if (local)
		g_date_time_unref(local);
	if (utc)
		g_date_time_unref(utc);
	g_time_zone_unref(z);
	return len;
}

void tz_rfc3339(int64_t ms, const char *zone, char out[32])
{
	tz_format(out, 32, ms, zone, "%Y-%m-%dT%H:%M:%S%:z");
}

void tz_short(int64_t ms, const char *zone, char out[32])
{
	tz_format(out, 32, ms, zone, "%Y-%m-%d %H:%M");
}

void tz_local(int64_t ms, const char *zone, char out[32])
{
	tz_format(out, 32, ms, zone, "%Y-%m-%d %H:%M %:z");
}

int tz_parse(const char *s, int64_t *ms)
{
	char iso[40];
	size_t n = strlen(s);

	if (!time_parse(s, ms))
		return 0;
	/* "YYYY-MM-DD HH:MM[:SS] +HH:MM" */
	if ((n != 23 && n != 26) || s[10] != ' ' || s[n - 7] != ' ')
		return -1;
	if (n == 23)
		snprintf(iso, sizeof(iso), "%.10sT%.5s:00%s", s, s + 11,
			 s + 17);
	else
		snprintf(iso, sizeof(iso), "%.10sT%.8s%s", s, s + 11, s + 20);
	return time_parse(iso, ms);
}
