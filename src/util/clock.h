/*
 * clock.h - the one source of wall-clock time.
 *
 * Everything that needs "now" asks clock_now_ms(), so that a test can set
 * the time (ERMS_TEST_CLOCK_MS at start, or clock_set_ms()) instead of
 * sleeping. Times are int64 milliseconds since the Unix epoch, UTC.
 */
#ifndef ERMS_UTIL_CLOCK_H
#define ERMS_UTIL_CLOCK_H

#include <stdint.h>

int64_t clock_now_ms(void);
/* The real wall clock, whatever a test set: for schedules that must run
 * in real time (message delivery). */
int64_t clock_real_ms(void);
/* Fix the clock at ms (0 returns to real time). Thread-safe. */
void clock_set_ms(int64_t ms);
/* Monotonic microseconds, for durations only. */
int64_t clock_mono_us(void);

/* Format ms as RFC 3339 UTC with milliseconds: 2026-11-28T19:45:00.123Z. */
void time_fmt(int64_t ms, char out[32]);

/*
 * Parse RFC 3339 ("2026-11-28T19:45:00Z", "...00.123+08:00") into ms.
 * Returns 0, or -1 when s is not such a time.
 */
int time_parse(const char *s, int64_t *ms);

#endif
