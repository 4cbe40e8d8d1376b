/*
 * clock.c - wall clock with a test override.
 */
#include "util/clock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static _Atomic int64_t fixed_ms;

int64_t clock_now_ms(void)
{
	struct timespec ts;
	int64_t f = atomic_load(&fixed_ms);

	if (f)
		return f;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
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
