/*
 * test-ratelimit.c - the token bucket, the backoff and the sign-in
 * limits, with time passed in.
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

static const struct backoff_rule slow = { 3, 1000, 60000, 300000 };

static void test_backoff_only_slows(void **state)
{
	struct backoff k;

	(void)state;
	assert_int_equal(backoff_delay_ms(&slow, 3), 0);
	assert_int_equal(backoff_delay_ms(&slow, 4), 1000);
	assert_int_equal(backoff_delay_ms(&slow, 5), 2000);
	assert_int_equal(backoff_delay_ms(&slow, 9), 32000);
	assert_int_equal(backoff_delay_ms(&slow, 10), 60000);
	assert_int_equal(backoff_delay_ms(&slow, 1000000), 60000);
	backoff_init(&k, 0);
	for (int i = 0; i < 3; i++)
		assert_true(backoff_take(&k, &slow, 0));
	/* The fourth failure is allowed now, the fifth a second after. */
	assert_true(backoff_take(&k, &slow, 0));
	assert_false(backoff_take(&k, &slow, 999));
	assert_int_equal(backoff_wait_ms(&k, &slow, 999), 1);
	assert_true(backoff_take(&k, &slow, 1000));
	/* However many failures, an attempt is never more than the cap
	 * away. */
	for (int64_t t = 61000; k.fails < 50; t += 60000) {
		assert_true(backoff_take(&k, &slow, t));
		assert_true(backoff_wait_ms(&k, &slow, t) <= 60000);
	}
	assert_int_equal(backoff_wait_ms(&k, &slow, k.next_ms - 60000), 60000);
}

static void test_backoff_forgets_and_success_lifts(void **state)
{
	struct backoff k;

	(void)state;
	backoff_init(&k, 0);
	for (int i = 0; i < 5; i++)
		backoff_take(&k, &slow, (int64_t)i * 60000);
	assert_int_equal(k.fails, 5);
	/* One failure forgotten per five minutes of quiet. */
	assert_int_equal(backoff_wait_ms(&k, &slow, 240000 + 600000), 0);
	assert_int_equal(k.fails, 3);
	assert_true(backoff_idle(&k, &slow, 240000 + 10 * 300000));
	/* A success lifts the delay and uncounts its own reservation. */
	backoff_init(&k, 0);
	for (int i = 0; i < 5; i++)
		backoff_take(&k, &slow, (int64_t)i * 1000);
	assert_true(backoff_take(&k, &slow, 10000));
	assert_false(backoff_take(&k, &slow, 10001));
	backoff_give(&k, &slow, 10001);
	assert_int_equal(k.fails, 5);
	assert_true(backoff_take(&k, &slow, 10001));
}

static void test_bucket_give_back(void **state)
{
	struct bucket b;

	(void)state;
	bucket_init(&b, &five_a_minute, 0);
	for (int i = 0; i < 5; i++)
		bucket_take(&b, &five_a_minute, 0);
	bucket_give(&b, &five_a_minute, 0);
	assert_true(bucket_take(&b, &five_a_minute, 0));
	assert_false(bucket_take(&b, &five_a_minute, 0));
	bucket_init(&b, &five_a_minute, 0);
	bucket_give(&b, &five_a_minute, 0);
	assert_true(bucket_full(&b, &five_a_minute, 0));
	assert_true(b.tokens <= 5.0);
}

/* One attacker address and the owner's: the owner is never locked out. */
static void test_signin_attacker_cannot_lock_out_owner(void **state)
{
	struct signin_rules r;
	struct bucket a_addr, a_pair, o_addr, o_pair;
	struct backoff login;
	struct signin_state attacker = { &a_addr, &a_pair, &login };
	struct signin_state owner = { &o_addr, &o_pair, &login };
	int passed = 0;

	(void)state;
	signin_rules_default(&r);
	bucket_init(&a_addr, &r.per_addr, 0);
	bucket_init(&a_pair, &r.per_pair, 0);
	bucket_init(&o_addr, &r.per_addr, 0);
	bucket_init(&o_pair, &r.per_pair, 0);
	backoff_init(&login, 0);
	/* Reservations are counted before any check: a burst of 50 parallel
	 * attempts passes exactly the pair's five. */
	for (int i = 0; i < 50; i++)
		passed += signin_reserve(&r, &attacker, 0) == 0;
	assert_int_equal(passed, 5);
	/* The owner, elsewhere, signs in at once and gives back. */
	assert_int_equal(signin_reserve(&r, &owner, 0), 0);
	signin_release(&r, &owner, 0);
	assert_true(bucket_full(&o_pair, &r.per_pair, 0));
	/* The attacker keeps failing for an hour as fast as allowed... */
	for (int64_t t = 0; t < 3600000; t += 1000)
		signin_reserve(&r, &attacker, t);
	/* ...and the owner waits at most the login's cap, then is in. */
	assert_true(signin_reserve(&r, &owner, 3600000) <= 60000);
	assert_int_equal(signin_reserve(&r, &owner, 3600000 + 60000), 0);
}

/* Many addresses against one login are slowed by the login's backoff. */
static void test_signin_spread_guesses_slowed(void **state)
{
	struct signin_rules r;
	struct backoff login;
	struct bucket addr[40], pair[40];
	int passed = 0;

	(void)state;
	signin_rules_default(&r);
	backoff_init(&login, 0);
	for (int i = 0; i < 40; i++) {
		struct signin_state s = { &addr[i], &pair[i], &login };

		bucket_init(&addr[i], &r.per_addr, 0);
		bucket_init(&pair[i], &r.per_pair, 0);
		passed += signin_reserve(&r, &s, 0) == 0;
	}
	/* Ten free, the eleventh at once, then a second's wait. */
	assert_int_equal(passed, r.per_login.free + 1);
	{
		struct signin_state s = { &addr[0], &pair[0], &login };

		assert_int_equal(signin_reserve(&r, &s, 0), 1000);
	}
}

static void test_addr_key(void **state)
{
	char a[64], b[64];

	(void)state;
	signin_addr_key("127.0.0.2", a, sizeof(a));
	assert_string_equal(a, "127.0.0.2");
	/* One /64 is one client... */
	signin_addr_key("2001:db8:1:2:3:4:5:6", a, sizeof(a));
	signin_addr_key("2001:db8:1:2:ffff::1", b, sizeof(b));
	assert_string_equal(a, b);
	assert_string_equal(a, "2001:db8:1:2::/64");
	/* ...the next /64 another. */
	signin_addr_key("2001:db8:1:3::1", b, sizeof(b));
	assert_string_not_equal(a, b);
	/* IPv4 clients of a dual-stack socket stay apart. */
	signin_addr_key("::ffff:10.0.0.1", a, sizeof(a));
	signin_addr_key("::ffff:10.0.0.2", b, sizeof(b));
	assert_string_not_equal(a, b);
	signin_addr_key("?", a, sizeof(a));
	assert_string_equal(a, "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_burst_then_refuse),
		cmocka_unit_test(test_refill_over_time),
		cmocka_unit_test(test_clock_going_back_is_harmless),
		cmocka_unit_test(test_backoff_only_slows),
		cmocka_unit_test(test_backoff_forgets_and_success_lifts),
		cmocka_unit_test(test_bucket_give_back),
		cmocka_unit_test(test_signin_attacker_cannot_lock_out_owner),
		cmocka_unit_test(test_signin_spread_guesses_slowed),
		cmocka_unit_test(test_addr_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
