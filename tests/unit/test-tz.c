/*
 * test-tz.c - zone names, offsets and local formatting from tzdata.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "util/tz.h"

/* 2026-11-27T19:03:00Z: 03:03 the next day in Shanghai. */
#define T0 INT64_C(1795806180000)

static void test_valid(void **state)
{
	(void)state;
	assert_true(tz_valid("Asia/Shanghai"));
	assert_true(tz_valid("UTC"));
	assert_true(tz_valid("Europe/Berlin"));
	assert_false(tz_valid(""));
	assert_false(tz_valid(NULL));
	assert_false(tz_valid("+08:00"));
	assert_false(tz_valid("Mars/Olympus"));
	assert_false(tz_valid("../../etc/passwd"));
	assert_false(tz_valid("/etc/localtime"));
}

static void test_offsets(void **state)
{
	(void)state;
	assert_int_equal(tz_offset_s("Asia/Shanghai", T0), 8 * 3600);
	assert_int_equal(tz_offset_s("UTC", T0), 0);
	assert_int_equal(tz_offset_s("nowhere", T0), 0);
	/* Berlin: +01:00 in November, +02:00 in July. */
	assert_int_equal(tz_offset_s("Europe/Berlin", T0), 3600);
	assert_int_equal(tz_offset_s("Europe/Berlin", INT64_C(1783000000000)),
			 7200);
	assert_int_equal(tz_offset_s("America/New_York", T0), -5 * 3600);
}

static void test_format(void **state)
{
	(void)state;
	char s[32];
	tz_rfc3339(T0, "Asia/Shanghai", s);
	assert_string_equal(s, "2026-11-28T03:03:00+08:00");
	tz_rfc3339(T0, "UTC", s);
	assert_string_equal(s, "2026-11-27T19:03:00+00:00");
	tz_rfc3339(T0 + 999, "America/New_York", s);
	assert_string_equal(s, "2026-11-27T14:03:00-05:00");
	tz_short(T0, "Asia/Shanghai", s);
	assert_string_equal(s, "2026-11-28 03:03");
	char small[8];
	assert_int_equal(tz_format(small, sizeof small, T0, "Asia/Shanghai",
				   "%Y-%m-%d"), 7);
	assert_string_equal(small, "2026-11");
	char z[8];
	tz_format(z, sizeof z, T0, "Asia/Kolkata", "%z");
	assert_string_equal(z, "+0530");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
