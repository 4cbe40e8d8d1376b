/*
 * test-escalation.c - the reporting chain's due rule: a tier falls due
 * after_min minutes after the report, once, and only the first
 * ESC_TIERS_MAX tiers are ever told.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/escalation.h"

#define NOW 1764547200000LL	/* 2025-12-01T00:00:00Z */

static void test_at(void **state)
{
	(void)state;
	assert_true(esc_tier_at(NOW, 0) == NOW);
	assert_true(esc_tier_at(NOW, 15) == NOW + 15 * 60 * 1000LL);
}

/* Due from the very millisecond, not before. */
static void test_due_time(void **state)
{
	(void)state;
	assert_true(esc_tier_due(0, 0, NOW, 0, NOW));
	assert_false(esc_tier_due(0, 1, NOW, 10, NOW + 10 * 60000 - 1));
	assert_true(esc_tier_due(0, 1, NOW, 10, NOW + 10 * 60000));
}

/* A tier told is not due again; the others still are. */
static void test_told(void **state)
{
	unsigned told = esc_told_add(0, 0);

	(void)state;
	assert_false(esc_tier_due(told, 0, NOW, 0, NOW + 1));
	assert_true(esc_tier_due(told, 1, NOW, 0, NOW + 1));
	told = esc_told_add(told, 1);
	assert_int_equal(told, 3u);
	assert_false(esc_tier_due(told, 1, NOW, 0, NOW + 1));
}

/* Past the bit set: never due, and the set stays as it was. */
static void test_limit(void **state)
{
	(void)state;
	assert_true(esc_tier_due(0, ESC_TIERS_MAX - 1, NOW, 0, NOW));
	assert_false(esc_tier_due(0, ESC_TIERS_MAX, NOW, 0, NOW));
	assert_int_equal(esc_told_add(5u, ESC_TIERS_MAX), 5u);
	assert_int_equal(esc_told_add(0, ESC_TIERS_MAX - 1), 1u << 31);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_at),
		cmocka_unit_test(test_due_time),
		cmocka_unit_test(test_told),
		cmocka_unit_test(test_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
