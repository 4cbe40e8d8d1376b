/*
 * test-incident.c - the incident state machine of SPEC.md §2: every pair
 * of state and step, the rights each needs and who that lets in, argument
 * errors, the timers and the durations of a report. The expectations are
 * written out by hand here from the SPEC, not derived from the table under
 * test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/incident.h"
#include "util/err.h"

#define MIN (INT64_C(60000))
#define T0 (INT64_C(1767225600000))	/* 2026-01-01T00:00:00Z */

/* The SPEC's table: the state each step leads to from each state. */
#define NO (-2)
#define REP INC_REPORTED
#define ACK INC_ACKNOWLEDGED
#define ACT INC_ACTIVE
#define DIS INC_DISMISSED
#define RES INC_RESOLVED
#define CLO INC_CLOSED
#define REV INC_REVIEWED

static const int want_to[INC__COUNT + 1][IA__COUNT] = {
	/* report ack activate dismiss set-level resolve reopen close review */
	[INC_NONE + 1] =         { REP, NO, NO, NO, NO, NO, NO, NO, NO },
	[INC_REPORTED + 1] =     { NO, ACK, ACT, DIS, NO, NO, NO, NO, NO },
	[INC_ACKNOWLEDGED + 1] = { NO, NO, ACT, DIS, NO, NO, NO, NO, NO },
	[INC_ACTIVE + 1] =       { NO, NO, NO, NO, ACT, RES, NO, NO, NO },
	[INC_DISMISSED + 1] =    { NO, NO, NO, NO, NO, NO, NO, NO, NO },
	[INC_RESOLVED + 1] =     { NO, NO, NO, NO, NO, NO, ACT, CLO, NO },
	[INC_CLOSED + 1] =       { NO, NO, NO, NO, NO, NO, NO, NO, REV },
	[INC_REVIEWED + 1] =     { NO, NO, NO, NO, NO, NO, NO, NO, NO },
};

static int want(int s, int a)
{
	return want_to[s + 1][a];
}

/* The right each step needs (set-level: raising; lowering is apart). */
static const enum action want_right[IA__COUNT] = {
	[IA_REPORT] = A_INC_REPORT, [IA_ACK] = A_INC_ACK,
	[IA_ACTIVATE] = A_INC_ACTIVATE, [IA_DISMISS] = A_INC_DISMISS,
	[IA_SET_LEVEL] = A_INC_RAISE, [IA_RESOLVE] = A_INC_RESOLVE,
	[IA_REOPEN] = A_INC_REOPEN, [IA_CLOSE] = A_INC_CLOSE,
	[IA_REVIEW] = A_INC_REVIEW,
};

/* The right of a step from state s: activating a report nobody
 * acknowledged is the leadership's own, once the chain reached them. */
static enum action want_right_from(int s, int a)
{
	if (s == INC_REPORTED && a == IA_ACTIVATE)
		return A_INC_ACTIVATE_UNACKED;
	return want_right[a];
}

static const unsigned want_args[IA__COUNT] = {
	[IA_REPORT] = 0, [IA_ACK] = 0, [IA_ACTIVATE] = IARG_LEVEL,
	[IA_DISMISS] = IARG_REASON, [IA_SET_LEVEL] = IARG_LEVEL | IARG_REASON,
	[IA_RESOLVE] = IARG_SUMMARY, [IA_REOPEN] = IARG_REASON,
	[IA_CLOSE] = 0, [IA_REVIEW] = IARG_REVIEW,
};

/*
 * An incident in state s, built field by field (not through
 * incident_apply()), with level 2 from activation on and some breach
 * recorded, so that an untouched struct has something to lose.
 */
static void put(struct incident *inc, int s)
{
	memset(inc, 0, sizeof(*inc));
	inc->id = 7;
	inc->state = s;
	inc->detected_ms = T0 - MIN;
	inc->ack_min = 5;
	inc->activate_min = 15;
	inc->resolve_min = 240;
	inc->breaches = IB_ACK;
	inc->is_drill = true;
	if (s == INC_NONE)
		return;
	inc->reported_ms = T0;
	if (s != INC_REPORTED)
		inc->acked_ms = T0 + 2 * MIN;
	if (s == INC_DISMISSED) {
		inc->dismissed_ms = T0 + 4 * MIN;
		return;
	}
	if (s == INC_REPORTED || s == INC_ACKNOWLEDGED)
		return;
	inc->activated_ms = T0 + 10 * MIN;
	inc->level = 2;
	if (s == INC_ACTIVE)
		return;
	inc->resolved_ms = T0 + 100 * MIN;
	if (s == INC_RESOLVED)
		return;
	inc->closed_ms = T0 + 130 * MIN;
	if (s == INC_CLOSED)
		return;
	inc->reviewed_ms = T0 + 24 * 60 * MIN;
}

/* The level argument each step takes in the walks over every pair. */
static int rank_for(int a)
{
	if (a == IA_ACTIVATE)
		return 3;
	if (a == IA_SET_LEVEL)
		return 1;
	return 0;
}

static void assert_same(const struct incident *x, const struct incident *y)
{
	assert_int_equal(x->id, y->id);
	assert_int_equal(x->detected_ms, y->detected_ms);
	assert_int_equal(x->reported_ms, y->reported_ms);
	assert_int_equal(x->acked_ms, y->acked_ms);
	assert_int_equal(x->activated_ms, y->activated_ms);
	assert_int_equal(x->resolved_ms, y->resolved_ms);
	assert_int_equal(x->closed_ms, y->closed_ms);
	assert_int_equal(x->reviewed_ms, y->reviewed_ms);
	assert_int_equal(x->dismissed_ms, y->dismissed_ms);
	assert_int_equal(x->state, y->state);
	assert_int_equal(x->level, y->level);
	assert_int_equal(x->ack_min, y->ack_min);
	assert_int_equal(x->activate_min, y->activate_min);
	assert_int_equal(x->resolve_min, y->resolve_min);
	assert_int_equal(x->breaches, y->breaches);
	assert_int_equal(x->is_drill, y->is_drill);
}

static void test_every_pair_of_state_and_step(void **state)
{
	const int64_t now = T0 + 500 * MIN;

	(void)state;
	for (int s = INC_NONE; s < INC__COUNT; s++)
		for (int a = 0; a < IA__COUNT; a++) {
			struct incident inc, before, exp;
			int rc;

			put(&inc, s);
			memcpy(&before, &inc, sizeof(inc));
			rc = incident_apply(&inc, a, rank_for(a), now);
			assert_int_equal(incident_allowed(s, a),
					 want(s, a) != NO);
			if (want(s, a) == NO) {
				if (rc != ERMS_ECONFLICT)
					fail_msg("%s from %s: rc %d",
						 incident_action_name(a),
						 incident_state_name(s), rc);
				assert_memory_equal(&inc, &before,
						    sizeof(inc));
				continue;
			}
			if (rc)
				fail_msg("%s from %s: rc %d",
					 incident_action_name(a),
					 incident_state_name(s), rc);
			/* What the step should have changed, by hand. */
			memcpy(&exp, &before, sizeof(exp));
			exp.state = want(s, a);
			switch (a) {
			case IA_REPORT:
				exp.reported_ms = now;
				break;
			case IA_ACK:
				exp.acked_ms = now;
				break;
			case IA_ACTIVATE:
				if (!exp.acked_ms)	/* from reported */
					exp.acked_ms = now;
				exp.activated_ms = now;
				exp.level = 3;
				break;
			case IA_DISMISS:
				exp.dismissed_ms = now;
				break;
			case IA_SET_LEVEL:
				exp.level = 1;
				break;
			case IA_RESOLVE:
				exp.resolved_ms = now;
				break;
			case IA_REOPEN:
				exp.resolved_ms = 0;
				break;
			case IA_CLOSE:
				exp.closed_ms = now;
				break;
			case IA_REVIEW:
				exp.reviewed_ms = now;
				break;
			}
			assert_same(&inc, &exp);
		}
}

static void test_table_rows(void **state)
{
	(void)state;
	for (int i = 0; i < inc_table_len; i++) {
		const struct inc_transition *t = &inc_table[i];

		assert_int_equal(t->to, want(t->from, t->action));
		assert_int_equal(t->right, want_right_from(t->from, t->action));
		assert_int_equal(t->args, want_args[t->action]);
		for (int j = 0; j < i; j++)	/* one row per pair */
			assert_false(inc_table[j].from == t->from &&
				     inc_table[j].action == t->action);
	}
	for (int a = 0; a < IA__COUNT; a++)
		assert_int_equal(incident_args(a), want_args[a]);
	assert_int_equal(incident_args(IA__COUNT), 0);
}

static void test_legal_steps_per_state(void **state)
{
	(void)state;
	for (int s = INC_NONE; s < INC__COUNT; s++) {
		unsigned set = 0;

		for (int a = 0; a < IA__COUNT; a++)
			if (want(s, a) != NO)
				set |= 1u << a;
		assert_int_equal(incident_actions(s), set);
	}
	assert_int_equal(incident_actions(INC_ACTIVE),
			 1u << IA_SET_LEVEL | 1u << IA_RESOLVE);
	assert_int_equal(incident_actions(INC_REVIEWED), 0);
	assert_int_equal(incident_actions(INC__COUNT), 0);
	assert_false(incident_allowed(INC__COUNT, IA_ACK));
	assert_false(incident_allowed(INC_REPORTED, IA__COUNT));
}

static void test_right_of_every_pair(void **state)
{
	(void)state;
	for (int s = INC_NONE; s < INC__COUNT; s++)
		for (int a = 0; a < IA__COUNT; a++) {
			struct incident inc;

			put(&inc, s);
			assert_int_equal(incident_right(&inc, a, rank_for(a)),
					 want(s, a) == NO ? want_right[a]
						: want_right_from(s, a));
		}
}

static void test_raise_and_lower(void **state)
{
	struct incident inc;

	(void)state;
	put(&inc, INC_ACTIVE);	/* level 2 */
	assert_int_equal(incident_right(&inc, IA_SET_LEVEL, 1), A_INC_RAISE);
	assert_int_equal(incident_right(&inc, IA_SET_LEVEL, 3), A_INC_LOWER);
	assert_int_equal(incident_right(&inc, IA_SET_LEVEL, 4), A_INC_LOWER);
	/* Malformed: the stricter right. */
	assert_int_equal(incident_right(&inc, IA_SET_LEVEL, 2), A_INC_RAISE);
	assert_int_equal(incident_right(&inc, IA_SET_LEVEL, 0), A_INC_RAISE);
	assert_int_equal(incident_right(&inc, IA_SET_LEVEL, -1), A_INC_RAISE);
	assert_int_equal(incident_right(NULL, IA_SET_LEVEL, 3), A_INC_RAISE);
	/* No level yet: nothing to lower. */
	put(&inc, INC_ACKNOWLEDGED);
	assert_int_equal(incident_right(&inc, IA_SET_LEVEL, 3), A_INC_RAISE);
	assert_int_equal(incident_right(&inc, IA__COUNT, 0), A__COUNT);
	assert_int_equal(incident_right(&inc, (enum inc_action)-1, 0),
			 A__COUNT);

	/* Both directions move the rank, and only the rank. */
	put(&inc, INC_ACTIVE);
	assert_int_equal(incident_apply(&inc, IA_SET_LEVEL, 3, T0 + 20 * MIN),
			 0);
	assert_int_equal(inc.level, 3);
	assert_int_equal(incident_apply(&inc, IA_SET_LEVEL, 1, T0 + 21 * MIN),
			 0);
	assert_int_equal(inc.level, 1);
	assert_int_equal(inc.state, INC_ACTIVE);
	assert_int_equal(inc.activated_ms, T0 + 10 * MIN);
}

/* The kinds of actor, one letter each. */
struct profile {
	char letter;
	struct actor a;
};

#define ME 42
static const struct profile profiles[] = {
	{ 's', { .user_id = ME } },
	{ 'a', { .user_id = ME, .is_admin = true } },
	{ 't', { .user_id = ME, .in_team = true } },
	{ 'l', { .user_id = ME, .in_leadership = true } },
	{ 'c', { .user_id = ME, .in_command = true } },
	{ 'b', { .user_id = ME, .in_leadership = true, .in_command = true } },
	{ 'n', { .is_admin = true, .in_leadership = true,
		 .in_command = true } },	/* anonymous: never */
};

/* SPEC §2's "who", as profile letters (set-level: raising). */
static const char *const who[IA__COUNT] = {
	[IA_REPORT] = "satlcb",		/* any signed-in user or token */
	[IA_ACK] = "cb",		/* command HQ */
	[IA_ACTIVATE] = "lb",		/* leadership */
	[IA_DISMISS] = "lcb",		/* command HQ, leadership */
	[IA_SET_LEVEL] = "lb",		/* leadership ... */
	[IA_RESOLVE] = "cb",		/* command HQ */
	[IA_REOPEN] = "cb",		/* command HQ */
	[IA_CLOSE] = "lb",		/* leadership */
	[IA_REVIEW] = "cb",		/* command HQ */
};
static const char *const who_lowers = "lcb";	/* ... command HQ may lower */

static void check_who(int s, int a, int rank, const char *letters)
{
	struct incident inc;

	put(&inc, s);
	/* Activating a report nobody acknowledged: nobody, until the
	 * chain reaches the leadership (test_leadership_when_escalated). */
	if (s == INC_REPORTED && a == IA_ACTIVATE)
		letters = "";
	for (size_t p = 0; p < sizeof(profiles) / sizeof(profiles[0]); p++) {
		bool w = want(s, a) != NO &&
			 strchr(letters, profiles[p].letter) != NULL;
		bool got = incident_allowed(s, a) &&
			   may(&profiles[p].a, incident_right(&inc, a, rank),
			       NULL);

		if (w != got)
			fail_msg("%s (rank %d) from %s by '%c': want %d, "
				 "got %d", incident_action_name(a), rank,
				 incident_state_name(s), profiles[p].letter,
				 w, got);
	}
}

static void test_who_may_take_each_step(void **state)
{
	(void)state;
	for (int s = INC_NONE; s < INC__COUNT; s++)
		for (int a = 0; a < IA__COUNT; a++) {
			check_who(s, a, rank_for(a), who[a]);
			if (a == IA_SET_LEVEL)
				check_who(s, a, 3, who_lowers);
		}
}

/* Command HQ silent, the chain at the leadership group: its members may
 * acknowledge, activate straight from `reported` and dismiss; others
 * gain nothing from the chain. */
static void test_leadership_when_escalated(void **state)
{
	static const struct {
		char letter;
		bool ack, activate, dismiss;
	} want_of[] = {
		{ 's', false, false, false }, { 'a', false, false, false },
		{ 't', false, false, false }, { 'l', true, true, true },
		{ 'c', true, false, true },   { 'b', true, true, true },
		{ 'n', false, false, false },
	};
	struct object reached = { .chain_reached = true };
	struct object before = { 0 };
	struct incident inc;

	(void)state;
	put(&inc, INC_REPORTED);
	for (size_t p = 0; p < sizeof(profiles) / sizeof(profiles[0]); p++) {
		const struct actor *a = &profiles[p].a;

		assert_int_equal(profiles[p].letter, want_of[p].letter);
		assert_int_equal(may(a, incident_right(&inc, IA_ACK, 0),
				     &reached), want_of[p].ack);
		assert_int_equal(may(a, incident_right(&inc, IA_ACTIVATE, 1),
				     &reached), want_of[p].activate);
		assert_int_equal(may(a, incident_right(&inc, IA_DISMISS, 0),
				     &reached), want_of[p].dismiss);
		/* Before the chain reached them: leadership alone neither
		 * acknowledges nor activates a silent report. */
		if (profiles[p].letter == 'l') {
			assert_false(may(a, incident_right(&inc, IA_ACK, 0),
					 &before));
			assert_false(may(a, incident_right(&inc, IA_ACTIVATE,
							   1), &before));
		}
	}

	/* The decision acknowledges too: the ack's clock stops there. */
	incident_init(&inc, 3, 0, false);
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0), 0);
	assert_int_equal(incident_apply(&inc, IA_ACTIVATE, 1, T0 + 20 * MIN),
			 0);
	assert_int_equal(inc.state, INC_ACTIVE);
	assert_int_equal(inc.acked_ms, T0 + 20 * MIN);
	assert_int_equal(inc.activated_ms, T0 + 20 * MIN);
	assert_int_equal(inc.level, 1);
}

static void test_lifecycle(void **state)
{
	struct incident inc;

	(void)state;
	incident_init(&inc, 9, T0 - 3 * MIN, false);
	assert_int_equal(inc.state, INC_NONE);
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0), 0);
	assert_int_equal(inc.state, INC_REPORTED);
	assert_int_equal(inc.detected_ms, T0 - 3 * MIN);
	assert_int_equal(inc.reported_ms, T0);
	assert_int_equal(inc.level, 0);
	assert_int_equal(incident_apply(&inc, IA_ACK, 0, T0 + MIN), 0);
	assert_int_equal(inc.state, INC_ACKNOWLEDGED);
	assert_int_equal(inc.acked_ms, T0 + MIN);
	assert_int_equal(incident_apply(&inc, IA_ACTIVATE, 2, T0 + 5 * MIN),
			 0);
	assert_int_equal(inc.state, INC_ACTIVE);
	assert_int_equal(inc.level, 2);
	assert_int_equal(inc.activated_ms, T0 + 5 * MIN);
	assert_int_equal(incident_apply(&inc, IA_RESOLVE, 0, T0 + 60 * MIN),
			 0);
	assert_int_equal(inc.state, INC_RESOLVED);
	assert_int_equal(inc.resolved_ms, T0 + 60 * MIN);
	assert_int_equal(incident_apply(&inc, IA_REOPEN, 0, T0 + 70 * MIN),
			 0);
	assert_int_equal(inc.state, INC_ACTIVE);
	assert_int_equal(inc.resolved_ms, 0);
	assert_int_equal(inc.activated_ms, T0 + 5 * MIN);	/* kept */
	assert_int_equal(incident_apply(&inc, IA_RESOLVE, 0, T0 + 90 * MIN),
			 0);
	assert_int_equal(inc.resolved_ms, T0 + 90 * MIN);
	assert_int_equal(incident_apply(&inc, IA_CLOSE, 0, T0 + 120 * MIN),
			 0);
	assert_int_equal(inc.state, INC_CLOSED);
	assert_int_equal(inc.closed_ms, T0 + 120 * MIN);
	assert_int_equal(incident_apply(&inc, IA_REVIEW, 0, T0 + 999 * MIN),
			 0);
	assert_int_equal(inc.state, INC_REVIEWED);
	assert_int_equal(inc.reviewed_ms, T0 + 999 * MIN);
	assert_int_equal(inc.id, 9);
	assert_int_equal(inc.level, 2);
	assert_int_equal(inc.dismissed_ms, 0);
	assert_false(inc.is_drill);
	assert_int_equal(incident_actions(inc.state), 0);
}

static void test_report_without_detection_time(void **state)
{
	struct incident inc;

	(void)state;
	incident_init(&inc, 1, 0, true);
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0), 0);
	assert_int_equal(inc.detected_ms, T0);
	assert_true(inc.is_drill);
	/* Reported twice: a conflict. */
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0 + 1),
			 ERMS_ECONFLICT);
}

static void test_dismiss(void **state)
{
	struct incident inc;

	(void)state;
	incident_init(&inc, 1, 0, false);
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0), 0);
	assert_int_equal(incident_apply(&inc, IA_DISMISS, 0, T0 + MIN), 0);
	assert_int_equal(inc.state, INC_DISMISSED);
	assert_int_equal(inc.dismissed_ms, T0 + MIN);
	assert_int_equal(inc.acked_ms, 0);

	incident_init(&inc, 2, 0, false);
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0), 0);
	assert_int_equal(incident_apply(&inc, IA_ACK, 0, T0 + MIN), 0);
	assert_int_equal(incident_apply(&inc, IA_DISMISS, 0, T0 + 2 * MIN),
			 0);
	assert_int_equal(inc.state, INC_DISMISSED);
	assert_int_equal(inc.acked_ms, T0 + MIN);
	assert_int_equal(inc.dismissed_ms, T0 + 2 * MIN);
	assert_int_equal(inc.level, 0);
	assert_int_equal(incident_actions(INC_DISMISSED), 0);
}

/* rc of one step on an incident in state s, which must stay unchanged. */
static int bad(int s, int a, int rank, int64_t now)
{
	struct incident inc, before;
	int rc;

	put(&inc, s);
	memcpy(&before, &inc, sizeof(inc));
	rc = incident_apply(&inc, a, rank, now);
	assert_memory_equal(&inc, &before, sizeof(inc));
	return rc;
}

static void test_argument_errors(void **state)
{
	const int64_t now = T0 + 30 * MIN;
	struct incident inc, before;

	(void)state;
	/* activate without a level, or with a nonsense one */
	assert_int_equal(bad(INC_ACKNOWLEDGED, IA_ACTIVATE, 0, now),
			 ERMS_EINVAL);
	assert_int_equal(bad(INC_ACKNOWLEDGED, IA_ACTIVATE, -1, now),
			 ERMS_EINVAL);
	/* set-level to the level in force, or to none */
	assert_int_equal(bad(INC_ACTIVE, IA_SET_LEVEL, 2, now), ERMS_EINVAL);
	assert_int_equal(bad(INC_ACTIVE, IA_SET_LEVEL, 0, now), ERMS_EINVAL);
	/* a level on a step that takes none */
	assert_int_equal(bad(INC_REPORTED, IA_ACK, 1, now), ERMS_EINVAL);
	assert_int_equal(bad(INC_ACTIVE, IA_RESOLVE, 2, now), ERMS_EINVAL);
	assert_int_equal(bad(INC_RESOLVED, IA_REOPEN, 2, now), ERMS_EINVAL);
	/* no time */
	assert_int_equal(bad(INC_REPORTED, IA_ACK, 0, 0), ERMS_EINVAL);
	assert_int_equal(bad(INC_REPORTED, IA_ACK, 0, -5), ERMS_EINVAL);
	/* unknown step */
	assert_int_equal(bad(INC_REPORTED, IA__COUNT, 0, now), ERMS_EINVAL);
	assert_int_equal(bad(INC_REPORTED, -1, 0, now), ERMS_EINVAL);
	/* the state comes first: an illegal step is a conflict */
	assert_int_equal(bad(INC_DISMISSED, IA_ACTIVATE, 1, now),
			 ERMS_ECONFLICT);
	/* activate from reported (the leadership deciding) needs a level */
	assert_int_equal(bad(INC_REPORTED, IA_ACTIVATE, 0, now), ERMS_EINVAL);
	assert_int_equal(bad(INC_CLOSED, IA_SET_LEVEL, 2, 0), ERMS_ECONFLICT);
	/* a corrupt state matches no row */
	assert_int_equal(bad(INC__COUNT, IA_ACK, 0, now), ERMS_ECONFLICT);

	/* detected after it was reported */
	incident_init(&inc, 1, T0 + 1, false);
	memcpy(&before, &inc, sizeof(inc));
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0), ERMS_EINVAL);
	assert_memory_equal(&inc, &before, sizeof(inc));
	incident_init(&inc, 1, -1, false);
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0), ERMS_EINVAL);
	/* detected at the very moment of the report is fine */
	incident_init(&inc, 1, T0, false);
	assert_int_equal(incident_apply(&inc, IA_REPORT, 0, T0), 0);
}

/* A fresh incident reported at T0 with targets 5, 15 and 240 minutes. */
static void reported(struct incident *inc)
{
	incident_init(inc, 1, 0, false);
	assert_int_equal(incident_apply(inc, IA_REPORT, 0, T0), 0);
	inc->ack_min = 5;
	inc->activate_min = 15;
	inc->resolve_min = 240;
}

static void test_timers_while_reported(void **state)
{
	struct incident inc;

	(void)state;
	reported(&inc);
	assert_int_equal(incident_due_breaches(&inc, T0), 0);
	assert_int_equal(incident_next_deadline(&inc), T0 + 5 * MIN);
	/* exactly at the minute, not a millisecond before */
	assert_int_equal(incident_due_breaches(&inc, T0 + 5 * MIN - 1), 0);
	assert_int_equal(incident_due_breaches(&inc, T0 + 5 * MIN), IB_ACK);
	/* a timer thread that slept through both */
	assert_int_equal(incident_due_breaches(&inc, T0 + 15 * MIN),
			 IB_ACK | IB_ACTIVATE);
	/* recorded: not again */
	inc.breaches |= IB_ACK;
	assert_int_equal(incident_due_breaches(&inc, T0 + 5 * MIN), 0);
	assert_int_equal(incident_next_deadline(&inc), T0 + 15 * MIN);
	assert_int_equal(incident_due_breaches(&inc, T0 + 15 * MIN - 1), 0);
	assert_int_equal(incident_due_breaches(&inc, T0 + 15 * MIN),
			 IB_ACTIVATE);
	inc.breaches |= IB_ACTIVATE;
	assert_int_equal(incident_due_breaches(&inc, T0 + 999 * MIN), 0);
	assert_int_equal(incident_next_deadline(&inc), 0);
}

static void test_timers_through_the_lifecycle(void **state)
{
	struct incident inc;
	const int64_t act = T0 + 10 * MIN;

	(void)state;
	reported(&inc);
	/* acked in time: the ack timer stops, activate counts on from T0 */
	assert_int_equal(incident_apply(&inc, IA_ACK, 0, T0 + 2 * MIN), 0);
	assert_int_equal(incident_due_breaches(&inc, T0 + 5 * MIN), 0);
	assert_int_equal(incident_next_deadline(&inc), T0 + 15 * MIN);
	assert_int_equal(incident_due_breaches(&inc, T0 + 15 * MIN),
			 IB_ACTIVATE);
	/* activated: resolve counts from activation */
	assert_int_equal(incident_apply(&inc, IA_ACTIVATE, 1, act), 0);
	assert_int_equal(incident_due_breaches(&inc, T0 + 15 * MIN), 0);
	assert_int_equal(incident_next_deadline(&inc), act + 240 * MIN);
	assert_int_equal(incident_due_breaches(&inc, act + 240 * MIN - 1), 0);
	assert_int_equal(incident_due_breaches(&inc, act + 240 * MIN),
			 IB_RESOLVE);
	/* set-level: the caller sets the new level's target */
	assert_int_equal(incident_apply(&inc, IA_SET_LEVEL, 2, act + MIN), 0);
	inc.resolve_min = 480;
	assert_int_equal(incident_next_deadline(&inc), act + 480 * MIN);
	assert_int_equal(incident_due_breaches(&inc, act + 240 * MIN), 0);
	/* resolved: nothing runs */
	assert_int_equal(incident_apply(&inc, IA_RESOLVE, 0, act + 60 * MIN),
			 0);
	assert_int_equal(incident_next_deadline(&inc), 0);
	assert_int_equal(incident_due_breaches(&inc, act + 9999 * MIN), 0);
	/* reopened: counts from the activation again */
	assert_int_equal(incident_apply(&inc, IA_REOPEN, 0, act + 600 * MIN),
			 0);
	assert_int_equal(incident_next_deadline(&inc), act + 480 * MIN);
	assert_int_equal(incident_due_breaches(&inc, act + 600 * MIN),
			 IB_RESOLVE);
	inc.breaches |= IB_RESOLVE;
	assert_int_equal(incident_due_breaches(&inc, act + 9999 * MIN), 0);
	assert_int_equal(incident_next_deadline(&inc), 0);
}

static void test_timers_off(void **state)
{
	struct incident inc;

	(void)state;
	/* targets of 0 are none */
	reported(&inc);
	inc.ack_min = inc.activate_min = inc.resolve_min = 0;
	assert_int_equal(incident_next_deadline(&inc), 0);
	assert_int_equal(incident_due_breaches(&inc, T0 + 9999 * MIN), 0);
	/* only the ones of 0 */
	inc.activate_min = 15;
	assert_int_equal(incident_next_deadline(&inc), T0 + 15 * MIN);
	assert_int_equal(incident_due_breaches(&inc, T0 + 9999 * MIN),
			 IB_ACTIVATE);
	/* no timer runs before the report or after the work is done */
	for (int s = INC_NONE; s < INC__COUNT; s++) {
		if (s == INC_REPORTED || s == INC_ACKNOWLEDGED ||
		    s == INC_ACTIVE)
			continue;
		put(&inc, s);
		inc.breaches = 0;
		assert_int_equal(incident_next_deadline(&inc), 0);
		assert_int_equal(incident_due_breaches(&inc, T0 + 9999 * MIN),
				 0);
	}
}

static void test_durations(void **state)
{
	struct incident inc;
	struct inc_durations d;
	const struct inc_duration *st = d.step;
	const int64_t act = T0 + 15 * MIN;

	(void)state;
	reported(&inc);
	incident_durations(&inc, &d);
	for (int i = 0; i < IST__COUNT; i++) {
		assert_int_equal(st[i].ms, -1);
		assert_int_equal(st[i].counted_ms, -1);
		assert_int_equal(st[i].verdict, IV_NONE);
	}
	assert_int_equal(st[IST_ACK].target_ms, 5 * MIN);
	assert_int_equal(st[IST_ACTIVATE].target_ms, 15 * MIN);
	assert_int_equal(st[IST_RESOLVE].target_ms, 240 * MIN);
	assert_int_equal(st[IST_CLOSE].target_ms, 0);

	assert_int_equal(incident_apply(&inc, IA_ACK, 0, T0 + 3 * MIN), 0);
	/* at the deadline: missed */
	assert_int_equal(incident_apply(&inc, IA_ACTIVATE, 2, act), 0);
	assert_int_equal(incident_apply(&inc, IA_RESOLVE, 0, act + 100 * MIN),
			 0);
	assert_int_equal(incident_apply(&inc, IA_REOPEN, 0, act + 110 * MIN),
			 0);
	incident_durations(&inc, &d);
	assert_int_equal(st[IST_RESOLVE].ms, -1);	/* reopened */
	assert_int_equal(st[IST_RESOLVE].verdict, IV_NONE);
	assert_int_equal(incident_apply(&inc, IA_RESOLVE, 0, act + 200 * MIN),
			 0);
	assert_int_equal(incident_apply(&inc, IA_CLOSE, 0, act + 230 * MIN),
			 0);
	incident_durations(&inc, &d);

	assert_int_equal(st[IST_ACK].ms, 3 * MIN);
	assert_int_equal(st[IST_ACK].counted_ms, 3 * MIN);
	assert_int_equal(st[IST_ACK].verdict, IV_MET);
	assert_int_equal(st[IST_ACTIVATE].ms, 12 * MIN);
	assert_int_equal(st[IST_ACTIVATE].counted_ms, 15 * MIN);
	assert_int_equal(st[IST_ACTIVATE].verdict, IV_MISSED);
	assert_int_equal(st[IST_RESOLVE].ms, 200 * MIN);
	assert_int_equal(st[IST_RESOLVE].counted_ms, 200 * MIN);
	assert_int_equal(st[IST_RESOLVE].verdict, IV_MET);
	assert_int_equal(st[IST_CLOSE].ms, 30 * MIN);
	assert_int_equal(st[IST_CLOSE].target_ms, 0);
	assert_int_equal(st[IST_CLOSE].verdict, IV_NONE);

	/* a millisecond before the deadline is in time */
	inc.activated_ms = T0 + 15 * MIN - 1;
	inc.resolved_ms = inc.activated_ms + 240 * MIN;
	incident_durations(&inc, &d);
	assert_int_equal(st[IST_ACTIVATE].verdict, IV_MET);
	assert_int_equal(st[IST_RESOLVE].verdict, IV_MISSED);
	/* no target: no verdict */
	inc.ack_min = 0;
	incident_durations(&inc, &d);
	assert_int_equal(st[IST_ACK].ms, 3 * MIN);
	assert_int_equal(st[IST_ACK].target_ms, 0);
	assert_int_equal(st[IST_ACK].verdict, IV_NONE);
	/* a clock that went back */
	inc.acked_ms = T0 - 1;
	incident_durations(&inc, &d);
	assert_int_equal(st[IST_ACK].ms, 0);
}

static void test_names(void **state)
{
	static const char *const snames[INC__COUNT] = {
		"reported", "acknowledged", "active", "dismissed",
		"resolved", "closed", "reviewed",
	};
	static const char *const anames[IA__COUNT] = {
		"report", "ack", "activate", "dismiss", "set-level",
		"resolve", "reopen", "close", "review",
	};

	(void)state;
	for (int s = 0; s < INC__COUNT; s++) {
		assert_string_equal(incident_state_name(s), snames[s]);
		assert_int_equal(incident_state_parse(snames[s]), s);
	}
	for (int a = 0; a < IA__COUNT; a++) {
		assert_string_equal(incident_action_name(a), anames[a]);
		assert_int_equal(incident_action_parse(anames[a]), a);
	}
	assert_string_equal(incident_state_name(INC_NONE), "none");
	assert_string_equal(incident_state_name(INC__COUNT), "?");
	assert_string_equal(incident_action_name(IA__COUNT), "?");
	assert_int_equal(incident_state_parse("none"), -1);
	assert_int_equal(incident_state_parse("Active"), -1);
	assert_int_equal(incident_state_parse(""), -1);
	assert_int_equal(incident_action_parse("set_level"), -1);
	assert_int_equal(incident_action_parse("acknowledge"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_pair_of_state_and_step),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_legal_steps_per_state),
		cmocka_unit_test(test_right_of_every_pair),
		cmocka_unit_test(test_raise_and_lower),
		cmocka_unit_test(test_who_may_take_each_step),
		cmocka_unit_test(test_leadership_when_escalated),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test(test_report_without_detection_time),
		cmocka_unit_test(test_dismiss),
		cmocka_unit_test(test_argument_errors),
		cmocka_unit_test(test_timers_while_reported),
		cmocka_unit_test(test_timers_through_the_lifecycle),
		cmocka_unit_test(test_timers_off),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
