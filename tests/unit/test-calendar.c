/*
 * test-calendar.c - the time units and Hinnant's date conversions of
 * core/calendar.h: known dates (written out by hand), the edges of the
 * iCalendar range, times before 1970, weekdays, and a round trip over
 * every day of 0001..9999.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/calendar.h"

static void test_units(void **state)
{
	(void)state;
	assert_int_equal(SECOND_MS, 1000);
	assert_int_equal(MINUTE_MS, 60 * SECOND_MS);
	assert_int_equal(HOUR_MS, 60 * MINUTE_MS);
	assert_int_equal(DAY_MS, 24 * HOUR_MS);
}

static void test_floor_div(void **state)
{
	(void)state;
	assert_int_equal(cal_floor_div(7, 2), 3);
	assert_int_equal(cal_floor_div(-7, 2), -4);
	assert_int_equal(cal_floor_div(-8, 2), -4);
	assert_int_equal(cal_floor_div(0, 5), 0);
	assert_int_equal(cal_floor_div(-1, DAY_MS), -1);
}

static void test_known_days(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 2, 29), 11016);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(days_from_civil(1, 1, 1), -719162);
	assert_int_equal(days_from_civil(9999, 12, 31), 2932896);
	assert_int_equal(days_from_civil(1969, 12, 31), -1);
}

static void test_known_times(void **state)
{
	struct civil_time c;

	(void)state;
	/* 2026-11-28T19:45:07.123Z, a Saturday. */
	civil_from_ms(INT64_C(1795895107123), &c);
	assert_int_equal(c.year, 2026);
	assert_int_equal(c.month, 11);
	assert_int_equal(c.day, 28);
	assert_int_equal(c.hour, 19);
	assert_int_equal(c.min, 45);
	assert_int_equal(c.sec, 7);
	assert_int_equal(c.wday, 6);
	/* One millisecond before the epoch: 1969-12-31T23:59:59, a Wednesday. */
	civil_from_ms(-1, &c);
	assert_int_equal(c.year, 1969);
	assert_int_equal(c.month, 12);
	assert_int_equal(c.day, 31);
	assert_int_equal(c.hour, 23);
	assert_int_equal(c.min, 59);
	assert_int_equal(c.sec, 59);
	assert_int_equal(c.wday, 3);
	/* The epoch, a Thursday. */
	civil_from_ms(0, &c);
	assert_int_equal(c.year, 1970);
	assert_int_equal(c.wday, 4);
	assert_int_equal(c.hour, 0);
}

static void test_round_trip(void **state)
{
	int64_t z, y;
	int m, d, prev_d = 31;

	(void)state;
	for (z = days_from_civil(1, 1, 1); z <= days_from_civil(9999, 12, 31); z++) {
		civil_from_days(z, &y, &m, &d);
		assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
		assert_int_equal(days_from_civil(y, m, d), z);
		assert_true(d == prev_d + 1 || d == 1);
		prev_d = d;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_floor_div),
		cmocka_unit_test(test_known_days),
		cmocka_unit_test(test_known_times),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
