/*
 * clock.c - wall clock with a test override.
 */
#include "util/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t fixed_ms;

int64_t clock_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_now_ms(void)
{
	int64_t f = atomic_load(&fixed_ms);

	return f ? f : clock_real_ms();
}

void clock_set_ms(int64_t ms)
{
	atomic_store(&fixed_ms, ms);
}

int64_t clock_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void time_fmt(int64_t ms, char out[32])
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	/* Years past 9999 do not occur; the casts tell the compiler so. */
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
		 (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		 tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
		 tm.tm_sec % 100, (int)(ms % 1000));
}

/* n digits at s as a number, or -1 when any is not a digit. */
static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int days_in(int y, int mo)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };

	if (mo == 2 && ((y % 4 == 0 && y % 100) || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

/*
 * Every digit is where RFC 3339 puts it (sscanf's %2d would also take
 * " 9" or "-9"), the date exists (no 31 February), and the instant is
 * from 1970 to 9999 (an offset or a leap second cannot take it out).
 */
int time_parse(const char *s, int64_t *ms)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, sec, frac = 0, n = 0;
	int64_t secs, off = 0;

	if (strnlen(s, 20) < 19 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return -1;
	y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60 || d > days_in(y, mo))
		return -1;
	s += 19;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, n++)
			if (n < 3)
				frac = frac * 10 + (*s - '0');
		if (!n)
			return -1;
		for (; n < 3; n++)
			frac *= 10;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		/* digits() stops at the first non-digit: never past a NUL */
		int oh = digits(s + 1, 2);
		int om = oh < 0 || s[3] != ':' ? -1 : digits(s + 4, 2);

		if (om < 0 || oh > 23 || om > 59)
			return -1;
		off = (oh * 60 + om) * 60 * (*s == '+' ? 1 : -1);
		s += 6;
	} else {
		return -1;
	}
	if (*s)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	secs = (int64_t)timegm(&tm) - off;
	if (secs < 0 || secs >= 253402300800LL)	/* 1970 to 9999 */
		return -1;
	*ms = secs * 1000 + frac;
	return 0;
}
