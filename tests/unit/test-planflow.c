/*
 * test-planflow.c - the plan version table and the four-eyes rules:
 * who reviews a version (never one of its editors) and from when a
 * membership of the leadership group counts for approvals.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/planflow.h"
#include "util/err.h"

#define HOUR (3600 * 1000LL)
#define NOW 1764547200000LL	/* 2025-12-01T00:00:00Z */

static void test_steps(void **state)
{
	enum pv_status to;

	(void)state;
	assert_int_equal(pv_next(PV_IN_REVIEW, PVS_APPROVE, &to), 0);
	assert_int_equal(to, PV_APPROVED);
	assert_int_equal(pv_next(PV_IN_REVIEW, PVS_REJECT, &to), 0);
	assert_int_equal(to, PV_DRAFT);
	assert_int_equal(pv_next(PV_DRAFT, PVS_APPROVE, &to), ERMS_ECONFLICT);
	assert_int_equal(pv_next(PV_PUBLISHED, PVS_EDIT, &to), ERMS_ECONFLICT);
	assert_int_equal(pv_right(PVS_APPROVE), A_PLAN_APPROVE);
	assert_int_equal(pv_right(PVS_REJECT), A_PLAN_REJECT);
}

/* Made through the API while a plan is in force: the plan's cooling-off,
 * or the default when it sets none; a local command or a system with no
 * plan in force yet: at once. */
static void test_review_from(void **state)
{
	(void)state;
	assert_int_equal(pv_review_from(false, true, -1, NOW),
			 NOW + PV_COOLING_OFF_H_DEFAULT * HOUR);
	assert_int_equal(PV_COOLING_OFF_H_DEFAULT, 24);
	assert_int_equal(pv_review_from(false, true, 72, NOW), NOW + 72 * HOUR);
	assert_int_equal(pv_review_from(false, true, 0, NOW), NOW);
	assert_int_equal(pv_review_from(false, true, 100000, NOW),
			 NOW + PV_COOLING_OFF_H_MAX * HOUR);
	assert_int_equal(pv_review_from(true, true, 72, NOW), 0);
	assert_int_equal(pv_review_from(false, false, 72, NOW), 0);
	assert_int_equal(pv_review_from(true, false, -1, NOW), 0);
}

static void test_review_settled(void **state)
{
	int64_t from = pv_review_from(false, true, 24, NOW);

	(void)state;
	assert_false(pv_review_settled(from, NOW));
	assert_false(pv_review_settled(from, NOW + 24 * HOUR - 1));
	assert_true(pv_review_settled(from, NOW + 24 * HOUR));
	assert_true(pv_review_settled(0, NOW));
	assert_true(pv_review_settled(0, 0));
}

/* The rights table and the rules together, as the use case asks them. */
static void test_four_eyes(void **state)
{
	struct actor settled = { .user_id = 7, .in_leadership = true,
				 .reviewer = true };
	struct actor fresh = { .user_id = 8, .in_leadership = true };
	struct actor admin = { .user_id = 9, .is_admin = true,
			       .reviewer = true };
	struct actor hq = { .user_id = 7, .in_command = true };
	struct object other = { .author_id = 3 };
	struct object imported = { .author_id = 7 };
	struct object replaced = { .author_id = 3, .actor_edited = true };

	(void)state;
	assert_true(may(&settled, pv_right(PVS_APPROVE), &other));
	assert_true(may(&settled, pv_right(PVS_REJECT), &other));
	assert_false(may(&settled, pv_right(PVS_APPROVE), &imported));
	assert_false(may(&settled, pv_right(PVS_REJECT), &imported));
	assert_false(may(&settled, pv_right(PVS_APPROVE), &replaced));
	assert_false(may(&settled, pv_right(PVS_REJECT), &replaced));
	/* Cooling off: no review, but the rest of the leadership's rights. */
	assert_false(may(&fresh, pv_right(PVS_APPROVE), &other));
	assert_false(may(&fresh, pv_right(PVS_REJECT), &other));
	assert_true(may(&fresh, pv_right(PVS_PUBLISH), &other));
	assert_true(may(&fresh, A_INC_ACTIVATE, NULL));
	/* Being an administrator reviews nothing. */
	assert_false(may(&admin, pv_right(PVS_APPROVE), &other));
	/* An editor may still edit and submit (as command HQ). */
	assert_true(may(&hq, pv_right(PVS_EDIT), &replaced));
	assert_true(may(&hq, pv_right(PVS_SUBMIT), &replaced));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_review_from),
		cmocka_unit_test(test_review_settled),
		cmocka_unit_test(test_four_eyes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
