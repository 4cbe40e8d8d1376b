/*
 * test-rights.c - every entry of the rights table, allowed and denied,
 * for every kind of actor, against an expectation written out by hand
 * here (not derived from the table under test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/rights.h"

/* The kinds of actor, one letter each. */
struct profile {
	char letter;
	struct actor a;
	struct object o;
};

#define ME 42
static const struct profile profiles[] = {
	{ 's', { .user_id = ME }, { 0 } },
	{ 'a', { .user_id = ME, .is_admin = true }, { 0 } },
	{ 'A', { .user_id = ME, .is_admin = true }, { .owner_id = ME } },
	{ 'l', { .user_id = ME, .in_leadership = true, .reviewer = true },
	  { 0 } },
	/* a new member of the leadership group, still cooling off */
	{ 'n', { .user_id = ME, .in_leadership = true }, { 0 } },
	/* the reviewer flag alone, outside the leadership group */
	{ 'r', { .user_id = ME, .reviewer = true }, { 0 } },
	{ 'c', { .user_id = ME, .in_command = true }, { 0 } },
	{ 't', { .user_id = ME, .in_team = true }, { 0 } },
	{ 'g', { .user_id = ME, .in_team = true }, { .actor_in_group = true } },
	{ 'o', { .user_id = ME }, { .owner_id = ME } },
	{ 'u', { .user_id = ME, .in_leadership = true, .reviewer = true },
	  { .author_id = ME } },
	/* a leader who replaced or edited the version someone else imported */
	{ 'e', { .user_id = ME, .in_leadership = true, .reviewer = true },
	  { .author_id = ME + 1, .actor_edited = true } },
	/* a leader on an incident whose reporting chain has reached the
	 * leadership group (R_ESCALATED) */
	{ 'E', { .user_id = ME, .in_leadership = true, .reviewer = true },
	  { .chain_reached = true } },
	/* command HQ on such an incident: no more than command HQ */
	{ 'x', { .user_id = ME, .in_command = true },
	  { .chain_reached = true } },
	/* the flag alone, outside the leadership group: nothing more */
	{ 'y', { .user_id = ME }, { .chain_reached = true } },
};

#define ALL "saAlnrctgoueExy"

/* Who may do each action: the letters of the profiles allowed. */
static const char *const expected[A__COUNT] = {
	[A_ME_READ] = ALL,		[A_ME_UPDATE] = ALL,
	[A_USER_LIST] = "aAlncueEx",	[A_USER_READ] = "aAlncoueEx",
	[A_USER_CREATE] = "aA",		[A_USER_UPDATE] = "aA",
	[A_USER_DELETE] = "a",		/* never one's own account */
	[A_GROUP_LIST] = ALL,		[A_GROUP_READ] = ALL,
	[A_GROUP_CREATE] = "aA",	[A_GROUP_UPDATE] = "aA",
	[A_GROUP_MEMBERS] = "aA",
	[A_TOKEN_CREATE] = ALL,		[A_TOKEN_LIST] = ALL,
	[A_TOKEN_LIST_ALL] = "aA",
	[A_TOKEN_REVOKE] = "aAo",
	[A_AUDIT_READ] = "aA",
	[A_PLAN_READ] = ALL,		[A_PLAN_IMPORT] = "aAcx",
	[A_PLAN_EDIT] = "aAcx",		[A_PLAN_SUBMIT] = "aAcx",
	[A_PLAN_APPROVE] = "lE",		/* no editor, none cooling off */
	[A_PLAN_REJECT] = "lE",		[A_PLAN_PUBLISH] = "lnueE",
	[A_PLAN_ACK] = ALL,		[A_PLAN_ACKS_READ] = "aAlncueEx",
	[A_INC_READ] = ALL,		[A_INC_REPORT] = ALL,
	[A_INC_ACK] = "cEx",		[A_INC_ACTIVATE] = "lnueE",
	[A_INC_ACTIVATE_UNACKED] = "E",	/* the chain reached leadership */
	[A_INC_DISMISS] = "lncueEx",	[A_INC_RAISE] = "lnueE",
	[A_INC_LOWER] = "lncueEx",	[A_INC_RESOLVE] = "cx",
	[A_INC_REOPEN] = "cx",		[A_INC_CLOSE] = "lnueE",
	[A_INC_REVIEW] = "cx",		[A_INC_NOTE] = "lnctgueEx",
	[A_TASK_CREATE] = "lncueEx",	[A_TASK_UPDATE] = "cgx",
	[A_CHANNEL_MANAGE] = "aA",	[A_NOTIFY_READ] = "aAlncueEx",
	[A_NOTIFY_RETRY] = "aA",	[A_DUTY_READ] = ALL,
	[A_DUTY_MANAGE] = "aAcx",	[A_DUTY_SHIFTS] = "aAo",
	[A_BULLETIN_POST] = "cgx",
	[A_SUPPLY_MANAGE] = "aAcgx",	[A_FUNDS_READ] = "aAlncgueEx",
	[A_FUNDS_MANAGE] = "aAlnueE",	[A_FUNDS_SPEND] = "aAcgx",
	[A_DRILL_MANAGE] = "aAcx",
	[A_INTEGRATION_MANAGE] = "aA",
	[A_ORG_READ] = ALL,		[A_ORG_UPDATE] = "aA",
	[A_REG_RECORD] = "lncueEx",
};

static void test_every_entry_allowed_and_denied(void **state)
{
	(void)state;
	for (int act = 0; act < A__COUNT; act++) {
		assert_non_null(expected[act]);
		for (size_t p = 0; p < sizeof(profiles) / sizeof(profiles[0]);
		     p++) {
			bool want = strchr(expected[act],
					   profiles[p].letter) != NULL;
			bool got = may(&profiles[p].a, (enum action)act,
				       &profiles[p].o);

			if (want != got)
				fail_msg("%s by '%c': want %d, got %d",
					 action_name(act), profiles[p].letter,
					 want, got);
		}
	}
}

static void test_anonymous_may_nothing(void **state)
{
	struct actor anon = { 0 };
	struct actor admin_no_id = { .is_admin = true, .in_command = true };

	(void)state;
	for (int act = 0; act < A__COUNT; act++) {
		assert_false(may(&anon, (enum action)act, NULL));
		assert_false(may(NULL, (enum action)act, NULL));
		assert_false(may(&admin_no_id, (enum action)act, NULL));
	}
}

/* The system (its scheduler, the operator's local commands) may do
 * everything, with no user id and no object; out of range is still no. */
static void test_system_may_everything(void **state)
{
	struct actor sys = { .system = true };

	(void)state;
	for (int act = 0; act < A__COUNT; act++)
		assert_true(may(&sys, (enum action)act, NULL));
	assert_false(may(&sys, A__COUNT, NULL));
}

/* R_GROUP is a fixed team for these; for the others it depends on the
 * object (an incident's task, a plan's group). */
static void test_fixed_teams(void **state)
{
	(void)state;
	assert_string_equal(action_team(A_BULLETIN_POST), "comms");
	assert_string_equal(action_team(A_SUPPLY_MANAGE), "logistics");
	assert_string_equal(action_team(A_FUNDS_SPEND), "logistics");
	assert_null(action_team(A_TASK_UPDATE));
	assert_null(action_team(A_FUNDS_MANAGE));
}

static void test_table_is_indexed_by_action(void **state)
{
	(void)state;
	for (int act = 0; act < A__COUNT; act++) {
		assert_int_equal(rights_table[act].action, act);
		assert_non_null(rights_table[act].name);
	}
	assert_false(may(&profiles[1].a, A__COUNT, NULL));
	assert_string_equal(action_name(A__COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_entry_allowed_and_denied),
		cmocka_unit_test(test_anonymous_may_nothing),
		cmocka_unit_test(test_system_may_everything),
		cmocka_unit_test(test_table_is_indexed_by_action),
		cmocka_unit_test(test_fixed_teams),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
