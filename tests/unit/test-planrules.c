/*
 * test-planrules.c - the targets an incident runs under, and which of a
 * level's measures become tasks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/planrules.h"

static const struct level_targets L1 = { 5, 15, 240 };

/* A report runs under the level's ack and activation targets, with no
 * resolution target; the chain's second tier sets the ack target. */
static void test_report(void **state)
{
	struct incident inc = { 0 };

	(void)state;
	inc.resolve_min = 99;
	targets_of_report(&inc, &L1, 0);
	assert_int_equal(inc.ack_min, 5);
	assert_int_equal(inc.activate_min, 15);
	assert_int_equal(inc.resolve_min, 0);
	targets_of_report(&inc, &L1, 20);
	assert_int_equal(inc.ack_min, 20);
	assert_int_equal(inc.activate_min, 15);
	targets_of_report(&inc, NULL, 0);
	assert_int_equal(inc.ack_min, 0);
	assert_int_equal(inc.activate_min, 0);
	targets_of_report(&inc, NULL, 30);
	assert_int_equal(inc.ack_min, 30);
}

/* Setting a level brings only its resolution target. */
static void test_level(void **state)
{
	struct incident inc = { 0 };

	(void)state;
	inc.ack_min = 1;
	inc.activate_min = 2;
	targets_of_level(&inc, &L1);
	assert_int_equal(inc.ack_min, 1);
	assert_int_equal(inc.activate_min, 2);
	assert_int_equal(inc.resolve_min, 240);
}

/* Measures already tasks (same group and title) and repeats are left. */
static void test_measures(void **state)
{
	const struct measure_ref m[] = {
		{ "tech", "failover" }, { "tech", "call vendor" },
		{ "comms", "failover" }, { "tech", "failover" },
		{ "comms", "notice" },
	};
	const struct measure_ref have[] = { { "tech", "call vendor" } };
	bool take[5];

	(void)state;
	assert_int_equal(measures_to_take(m, 5, have, 1, take), 3);
	assert_true(take[0]);
	assert_false(take[1]);
	assert_true(take[2]);
	assert_false(take[3]);
	assert_true(take[4]);
	assert_int_equal(measures_to_take(m, 5, NULL, 0, take), 4);
	assert_true(take[1]);
	assert_int_equal(measures_to_take(m, 0, have, 1, take), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report),
		cmocka_unit_test(test_level),
		cmocka_unit_test(test_measures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
