/*
 * calendar.h - time units and proleptic Gregorian dates, by integer
 * arithmetic.
 *
 * Times are int64 milliseconds since 1970-01-01T00:00:00Z (UTC). The
 * conversions are Howard Hinnant's days_from_civil / civil_from_days,
 * exact for any day count an int64 of milliseconds can hold, so that no
 * libc time function (which may read the time zone database) is needed.
 * Pure: no I/O, no clock.
 */
#ifndef ERMS_CORE_CALENDAR_H
#define ERMS_CORE_CALENDAR_H

#include <stdint.h>

/* The time units, in milliseconds, as int64 so products do not wrap. */
#define SECOND_MS INT64_C(1000)
#define MINUTE_MS INT64_C(60000)
#define HOUR_MS INT64_C(3600000)
#define DAY_MS INT64_C(86400000)

/* A broken-down UTC time: year, month 1-12, day 1-31, hour, minute,
 * second, weekday 0-6 (0 is Sunday). */
struct civil_time {
	int64_t year;
	int month, day;
	int hour, min, sec;
	int wday;
};

/* a / b rounded towards minus infinity (b > 0): the day of a time before
 * 1970 is the one it falls in, not the next. */
int64_t cal_floor_div(int64_t a, int64_t b);

/* The days since 1970-01-01 of the date y-m-d (m 1-12, d 1-31). */
int64_t days_from_civil(int64_t y, int m, int d);

/* The date of a day count since 1970-01-01. */
void civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* The broken-down UTC time of ms (milliseconds are dropped). */
void civil_from_ms(int64_t ms, struct civil_time *out);

#endif
