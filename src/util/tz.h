/*
 * tz.h - time zones by their IANA names ("Asia/Shanghai"), from the
 * system's tz database (tzdata) through GLib's GTimeZone, which keeps
 * each zone it has read and is safe to share between threads.
 *
 * Times stay int64 milliseconds since the Unix epoch, UTC; a zone only
 * changes how one is shown to a person.
 */
#ifndef ERMS_UTIL_TZ_H
#define ERMS_UTIL_TZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The zone of a zh-CN installation, and of any zone left unset. */
#define TZ_DEFAULT "Asia/Shanghai"

/* True when name is a zone of the tz database ("UTC" and "Etc/GMT-8"
 * included); false for "", NULL, offsets like "+08:00" and unknowns. */
bool tz_valid(const char *name);

/* The zone's offset from UTC at ms, in seconds (+28800 for Shanghai).
 * An invalid zone is UTC (0). */
int tz_offset_s(const char *zone, int64_t ms);

/*
 * Format ms (seconds kept, milliseconds dropped) in zone into out (n
 * bytes, NUL-terminated, cut if short) with g_date_time_format()'s
 * conversions: %Y %m %d %H %M %S, %z (+0800), %:z (+08:00), %%. Use only
 * these (the others follow the process locale). Returns the length.
 */
size_t tz_format(char *out, size_t n, int64_t ms, const char *zone,
		 const char *fmt);

/* ms in zone as RFC 3339 with its offset: 2026-11-28T03:03:00+08:00
 * (seconds, no fraction). out must hold 32 bytes. */
void tz_rfc3339(int64_t ms, const char *zone, char out[32]);

/* A person's short form: "2026-11-28 03:03" (zone's local time). */
void tz_short(int64_t ms, const char *zone, char out[32]);

/* The form of files a person opens (CSV): the zone's local time and its
 * offset, "2026-11-28 03:03 +08:00". out must hold 32 bytes. */
void tz_local(int64_t ms, const char *zone, char out[32]);

/*
 * A time as tz_local() writes it (seconds allowed: "2026-11-28 03:03:05
 * +08:00"), or RFC 3339, into *ms. 0, or -1 when s is
 * neither (a local time without its offset included).
 */
int tz_parse(const char *s, int64_t *ms);

#endif
