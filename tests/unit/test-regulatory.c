/*
 * test-regulatory.c - the regulator's clock and working days
 * (core/regulatory.h), alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/calendar.h"
#include "core/regulatory.h"

#define T0 INT64_C(1900000000000)	/* the discovery */

static void test_deadlines_by_operator(void **state)
{
	(void)state;
	assert_int_equal(reg_deadline_min(OP_CII), 60);
	assert_int_equal(reg_deadline_min(OP_CENTRAL), 120);
	assert_int_equal(reg_deadline_min(OP_OTHER), 240);
	assert_int_equal(reg_operator_parse("cii"), OP_CII);
	assert_int_equal(reg_operator_parse("bank"), -1);
	assert_true(reg_required(reg_national_parse("III")));
	assert_true(reg_required(reg_national_parse("I")));
	assert_false(reg_required(reg_national_parse("IV")));
	assert_false(reg_required(reg_national_parse("")));
}

static void test_reminders_and_late(void **state)
{
	struct reg_obligation o = { 0 };

	(void)state;
	/* Opened 10 min after discovery, CII: due at +60. */
	assert_true(reg_on_level(&o, 3, OP_CII, T0, false, T0 + 10 * MINUTE_MS));
	assert_int_equal(o.status, REG_DUE);
	assert_int_equal(o.deadline_ms, T0 + 60 * MINUTE_MS);
	assert_int_equal(reg_next_ms(&o), T0 + 30 * MINUTE_MS);
	assert_int_equal(reg_due(&o, T0 + 29 * MINUTE_MS), RN__COUNT);
	assert_int_equal(reg_due(&o, T0 + 30 * MINUTE_MS), RN_HALF);
	assert_int_equal(reg_due(&o, T0 + 31 * MINUTE_MS), RN__COUNT);
	assert_int_equal(reg_next_ms(&o), T0 + 50 * MINUTE_MS);
	assert_int_equal(reg_due(&o, T0 + 50 * MINUTE_MS), RN_TEN);
	assert_int_equal(reg_late_by_min(&o, T0 + 59 * MINUTE_MS), -1);
	assert_int_equal(reg_due(&o, T0 + 60 * MINUTE_MS), RN_MISSED);
	assert_int_equal(o.status, REG_LATE);
	assert_int_equal(reg_next_ms(&o), 0);
	assert_int_equal(reg_late_by_min(&o, T0 + 65 * MINUTE_MS), 5);
	/* Sent late: stays late, by how much it was. */
	{
		int on_time;

		assert_int_equal(reg_on_report(&o, RK_FIRST, T0 + 70 * MINUTE_MS,
					       &on_time), 0);
		assert_int_equal(on_time, 0);
		assert_int_equal(o.status, REG_LATE);
		assert_int_equal(reg_late_by_min(&o, T0 + 999 * MINUTE_MS), 10);
	}
}

static void test_one_notice_after_a_pause(void **state)
{
	struct reg_obligation o = { 0 };

	(void)state;
	reg_on_level(&o, 2, OP_OTHER, T0, false, T0);
	/* The timers were away until after the deadline: one message. */
	assert_int_equal(reg_due(&o, T0 + 300 * MINUTE_MS), RN_MISSED);
	assert_int_equal(reg_due(&o, T0 + 301 * MINUTE_MS), RN__COUNT);
}

static void test_report_in_time_and_order(void **state)
{
	struct reg_obligation o = { 0 };
	int on_time;

	(void)state;
	reg_on_level(&o, 3, OP_CENTRAL, T0, true, T0);
	assert_true(o.drill);
	assert_int_equal(reg_on_report(&o, RK_FOLLOW_UP, T0, &on_time), -1);
	assert_int_equal(reg_on_report(&o, RK_FINAL, T0, &on_time), -1);
	assert_int_equal(reg_on_report(&o, RK_FIRST, T0 + 120 * MINUTE_MS,
				       &on_time), 0);
	assert_int_equal(on_time, 1);
	assert_int_equal(o.status, REG_REPORTED);
	assert_int_equal(reg_next_ms(&o), 0);
	assert_int_equal(reg_on_report(&o, RK_FIRST, T0, &on_time), -1);
	assert_int_equal(reg_on_report(&o, RK_FOLLOW_UP, T0, &on_time), 0);
	assert_int_equal(on_time, -1);
	assert_int_equal(o.reports, 2);
}

static void test_levels(void **state)
{
	struct reg_obligation o = { 0 };

	(void)state;
	/* 一般: nothing opens. */
	assert_false(reg_on_level(&o, 4, OP_CII, T0, false, T0));
	assert_int_equal(o.status, REG_NONE);
	/* Raised 40 min after discovery: from the discovery, half passed. */
	assert_true(reg_on_level(&o, 3, OP_CII, T0, false, T0 + 40 * MINUTE_MS));
	assert_int_equal(o.deadline_ms, T0 + 60 * MINUTE_MS);
	assert_int_equal(reg_next_ms(&o), T0 + 50 * MINUTE_MS);
	/* More severe: kept; no second opening. */
	assert_false(reg_on_level(&o, 2, OP_CII, T0, false, T0 + 41 * MINUTE_MS));
	assert_int_equal(o.national, 2);
	/* Lowered: closed, no more notices; raised again: the same one. */
	assert_false(reg_on_level(&o, 4, OP_CII, T0, false, T0 + 42 * MINUTE_MS));
	assert_int_equal(o.status, REG_CLOSED);
	assert_int_equal(reg_next_ms(&o), 0);
	assert_int_equal(reg_late_by_min(&o, T0 + 99 * MINUTE_MS), -1);
	assert_true(reg_on_level(&o, 3, OP_CII, T0, false, T0 + 45 * MINUTE_MS));
	assert_int_equal(o.status, REG_DUE);
	assert_int_equal(o.deadline_ms, T0 + 60 * MINUTE_MS);
	/* Lowered after the deadline: the duty was missed, not closed. */
	assert_false(reg_on_level(&o, 4, OP_CII, T0, false, T0 + 61 * MINUTE_MS));
	assert_int_equal(o.status, REG_DUE);
	assert_int_equal(reg_due(&o, T0 + 61 * MINUTE_MS), RN_MISSED);
	assert_int_equal(o.status, REG_LATE);
}

static void test_working_days(void **state)
{
	/* 2030: Fri 09-27; Sun 09-29 made up; 10-01..04 and 10-07 off. */
	static const int32_t holidays[] = { 20301001, 20301002, 20301003,
					    20301004, 20301007 };
	static const int32_t workdays[] = { 20300929 };
	struct workcal c = { holidays, 5, workdays, 1 };
	struct workcal none = { 0 };
	int64_t fri = cal_days(20300927);

	(void)state;
	assert_int_equal(cal_ymd(fri), 20300927);
	assert_true(workcal_is_workday(&c, fri));
	assert_false(workcal_is_workday(&c, fri + 1));
	assert_true(workcal_is_workday(&c, fri + 2));
	assert_false(workcal_is_workday(&none, fri + 2));
	assert_false(workcal_is_workday(&c, cal_days(20301001)));
	assert_int_equal(cal_ymd(workcal_add(&c, fri, 5)), 20301010);
	assert_int_equal(cal_ymd(workcal_add(&none, fri, 5)), 20301004);
	assert_int_equal(cal_ymd(workcal_add(&none, fri, 1)), 20300930);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deadlines_by_operator),
		cmocka_unit_test(test_reminders_and_late),
		cmocka_unit_test(test_one_notice_after_a_pause),
		cmocka_unit_test(test_report_in_time_and_order),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_working_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
