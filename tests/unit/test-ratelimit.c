/*
 * test-ratelimit.c - the token bucket, with time passed in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/ratelimit.h"

static const struct bucket_rule five_a_minute = { 5, 60000 };

static void test_burst_then_refuse(void **state)
{
	struct bucket b;

	(void)state;
	bucket_init(&b, &five_a_minute, 1000);
	for (int i = 0; i < 5; i++)
		assert_true(bucket_take(&b, &five_a_minute, 1000));
	assert_false(bucket_take(&b, &five_a_minute, 1000));
	assert_false(bucket_has(&b, &five_a_minute, 1000));
	assert_int_equal(bucket_wait_ms(&b, &five_a_minute, 1000), 60001);
}

static void test_refill_over_time(void **state)
{
	struct bucket b;

	(void)state;
	bucket_init(&b, &five_a_minute, 0);
	for (int i = 0; i < 5; i++)
		bucket_take(&b, &five_a_minute, 0);
	assert_false(bucket_take(&b, &five_a_minute, 59999));
	assert_true(bucket_take(&b, &five_a_minute, 60000 + 59999));
	assert_false(bucket_full(&b, &five_a_minute, 120000));
	assert_true(bucket_full(&b, &five_a_minute, 10 * 60000));
	/* Never more than the burst, however long it waited. */
	for (int i = 0; i < 5; i++)
		assert_true(bucket_take(&b, &five_a_minute, 10 * 60000));
	assert_false(bucket_take(&b, &five_a_minute, 10 * 60000));
}

static void test_clock_going_back_is_harmless(void **state)
{
	struct bucket b;

	(void)state;
	bucket_init(&b, &five_a_minute, 100000);
	for (int i = 0; i < 5; i++)
		bucket_take(&b, &five_a_minute, 100000);
	assert_false(bucket_take(&b, &five_a_minute, 0));
	assert_int_equal(b.updated_ms, 100000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_refuse),
		cmocka_unit_test(test_refill_over_time),
		cmocka_unit_test(test_clock_going_back_is_harmless),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
