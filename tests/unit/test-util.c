/*
 * test-util.c - buffers with ceilings, the crypto wrappers, time format
 * and parsing, CSV rows, log escaping, address lists.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/clock.h"
#include "util/csv.h"
#include "util/crypto.h"
#include "util/err.h"
#include "util/log.h"
#include "util/netaddr.h"
#include "util/utf8.h"

static void test_buf_ceiling(void **state)
{
	struct buf b;
	char *s;
	size_t n;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345"), 0);
	assert_int_equal(buf_addf(&b, "%d", 678), 0);
	assert_string_equal(buf_str(&b), "12345678");
	assert_int_equal(buf_adds(&b, "9"), ERMS_ETOOBIG);
	assert_string_equal(buf_str(&b), "12345678");	/* unchanged */
	s = buf_detach(&b, &n);
	assert_int_equal(n, 8);
	assert_string_equal(s, "12345678");
	free(s);
	assert_string_equal(buf_str(&b), "");
	buf_release(&b);
}

static void test_sha256_known_vector(void **state)
{
	char h[SHA256_HEX_LEN];

	(void)state;
	sha256_hex("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
			       "b00361a396177a9cb410ff61f20015ad");
}

static void test_tokens_are_random_and_prefixed(void **state)
{
	char a[TOKEN_LEN], b[TOKEN_LEN];

	(void)state;
	token_new("erms_", a);
	token_new("erms_", b);
	assert_int_equal(strncmp(a, "erms_", 5), 0);
	assert_int_equal(strlen(a), 5 + 43);
	assert_string_not_equal(a, b);
	assert_true(ct_streq(a, a));
	assert_false(ct_streq(a, b));
	assert_false(ct_streq("abc", "abcd"));
}

static void test_password_hash_verify(void **state)
{
	char h[PWHASH_LEN];

	(void)state;
	assert_int_equal(password_hash("correct horse", h), 0);
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_true(password_verify(h, "correct horse"));
	assert_false(password_verify(h, "correct horsE"));
	assert_false(password_verify("not a hash", "x"));
}

struct gate_job {
	struct pwjob j;
	_Atomic int ran;	/* 1: in a slot, 2: late */
};

static void gate_job_run(struct pwjob *j, bool late)
{
	struct gate_job *g = (struct gate_job *)j;

	atomic_store(&g->ran, late ? 2 : 1);
}

/* One slot, a queue of one: a second job, or a caller, past the queue is
 * refused at once; the queued job runs, in the slot, once it is free. */
static void test_password_gate(void **state)
{
	struct gate_job a = { .j.run = gate_job_run };
	struct gate_job b = { .j.run = gate_job_run };
	struct timespec ms = { 0, 1000 * 1000 };

	(void)state;
	assert_int_equal(pwgate_setup(1, 1, 600 * 1000), 0);
	assert_int_equal(pwgate_enter(), 0);
	assert_int_equal(pwgate_submit(&a.j), 0);
	assert_int_equal(pwgate_submit(&b.j), ERMS_EBUSY);
	assert_int_equal(pwgate_enter(), ERMS_EBUSY);
	assert_int_equal(atomic_load(&a.ran), 0);
	pwgate_leave();
	while (!atomic_load(&a.ran))
		nanosleep(&ms, NULL);
	assert_int_equal(atomic_load(&a.ran), 1);
	assert_int_equal(atomic_load(&b.ran), 0);
	pwgate_stop();
	/* Stopped: everyone enters, jobs run on the caller. */
	assert_int_equal(pwgate_enter(), 0);
	pwgate_leave();
	assert_int_equal(pwgate_submit(&b.j), 0);
	assert_int_equal(atomic_load(&b.ran), 1);
}

static void test_time_format_and_fixed_clock(void **state)
{
	char t[32];

	(void)state;
	time_fmt(1795895100123LL, t);
	assert_string_equal(t, "2026-11-28T19:45:00.123Z");
	clock_set_ms(42);
	assert_int_equal(clock_now_ms(), 42);
	clock_set_ms(0);
	assert_true(clock_now_ms() > 1700000000000LL);
}

static int setup(void **state)
{
	(void)state;
	return crypto_init();
}

static void test_log_escape(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(log_escape(out, sizeof(out), "/x\nlevel=error\r\t\x1b\x7f"),
			 strlen("/x\\nlevel=error\\r\\t\\x1b\\x7f"));
	assert_string_equal(out, "/x\\nlevel=error\\r\\t\\x1b\\x7f");
	/* UTF-8 passes untouched */
	log_escape(out, sizeof(out), "数据库 ok");
	assert_string_equal(out, "数据库 ok");
	/* full: cut before an escape, never inside one */
	log_escape(out, 6, "abc\ndef");
	assert_string_equal(out, "abc\\n");
	log_escape(out, 5, "abc\ndef");
	assert_string_equal(out, "abc");
	assert_string_equal(log_quote(out, sizeof(out), "a\"b\\c"), "a\\\"b\\\\c");
}

static void test_addr_lists(void **state)
{
	(void)state;
	assert_true(addr_list_valid("127.0.0.1"));
	assert_true(addr_list_valid("10.0.0.0/8,::1,fd00::/8"));
	assert_false(addr_list_valid(""));
	assert_false(addr_list_valid("10.0.0.0/33"));
	assert_false(addr_list_valid("example.org"));
	assert_false(addr_list_valid("10.0.0.1,"));
	assert_false(addr_list_valid("10.0.0.0/"));
	assert_true(addr_in_list("10.0.0.0/8", "10.200.3.4"));
	assert_false(addr_in_list("10.0.0.0/8", "11.0.0.1"));
	assert_true(addr_in_list("192.168.1.0/25", "192.168.1.127"));
	assert_false(addr_in_list("192.168.1.0/25", "192.168.1.128"));
	assert_true(addr_in_list("127.0.0.1", "::ffff:127.0.0.1"));
	assert_true(addr_in_list("fd00::/8", "fd12::1"));
	assert_false(addr_in_list("::1", "127.0.0.1"));
	assert_false(addr_in_list("127.0.0.1", "?"));
	assert_true(addr_in_list("0.0.0.0/0", "8.8.8.8"));
}

static void test_time_parse_strict(void **state)
{
	static const char *const bad[] = {
		"9999-12-31T23:-9:59Z", "2026-11-28T19:45:00.12+00",
		"9999-12-31T23:59:60.999Z", "2026-02-29T00:00:00Z",
		"2026-04-31T00:00:00Z", "2026- 1-01T00:00:00Z",
		"+026-01-01T00:00:00Z", "1970-01-01T00:00:00+00:01",
		"2026-01-01T00:00:00+0100", "2026-01-01 00:00:00Z", "",
	};
	int64_t ms;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!time_parse(bad[i], &ms))
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(time_parse("2024-02-29T00:00:00.5-01:30", &ms), 0);
	assert_int_equal(ms, 1709170200500LL);
	assert_int_equal(time_parse("1970-01-01T00:00:00Z", &ms), 0);
	assert_int_equal(ms, 0);
}

static int csv_collect(void *ctx, char **f, int line)
{
	buf_addf(ctx, "%d:[%s|%s]", line, f[0], f[1]);
	return 0;
}

static void test_csv_rows(void **state)
{
	static const struct {
		const char *csv, *rows, *err;
	} cases[] = {
		{ "a,b\r\n1,2\r\n\r\n\"x, \"\"y\"\"\",\"multi\nline\"\n3,\n",
		  "2:[1|2]4:[x, \"y\"|multi\nline]6:[3|]", NULL },
		{ "a,b\n1,2,3\n", NULL, "line 2: 2 fields wanted, 3 found" },
		{ "a,b\n1\n", NULL, "line 2: 2 fields wanted, 1 found" },
		{ "a,b\n\"1,2\n", NULL, "line 2: a quote is not closed" },
		{ "a,b\n\"1\"x,2\n", NULL, "line 2: text after a closing quote" },
		{ "a,b\n1\"\",2\n", NULL, "line 2: a quote inside an unquoted "
		  "field" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf b = BUF_INIT;
		char err[160] = "";
		int rc;

		buf_adds(&b, "");
		rc = csv_parse(cases[i].csv, strlen(cases[i].csv), 2,
			       csv_collect, &b, err, sizeof(err));
		if (cases[i].rows) {
			assert_int_equal(rc, 0);
			assert_string_equal(b.data, cases[i].rows);
		} else {
			assert_int_equal(rc, -1);
			assert_string_equal(err, cases[i].err);
		}
		buf_release(&b);
	}
}

/* err_fail(): the string code is the numeric code's own. */
static void test_err_fail_derives_code(void **state)
{
	struct errbuf e = { 0 };

	(void)state;
	assert_int_equal(err_fail(&e, ERMS_EINVAL, "year", "year is %d", 3),
			 ERMS_EINVAL);
	assert_string_equal(e.code, "invalid");
	assert_string_equal(e.field, "year");
	assert_string_equal(e.msg, "year is 3");
	assert_int_equal(err_fail(&e, ERMS_ENOTFOUND, NULL, "gone"),
			 ERMS_ENOTFOUND);
	assert_string_equal(e.code, erms_strerror(ERMS_ENOTFOUND));
	assert_string_equal(e.field, "");
	assert_int_equal(err_fail(NULL, ERMS_EPERM, "x", "y"), ERMS_EPERM);
}

/* Strict UTF-8: overlong forms, surrogates, beyond U+10FFFF, cut and
 * stray continuation bytes are refused; walking and cutting keep whole
 * characters. */
static void test_utf8(void **state)
{
	static const char *const bad[] = {
		"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xed\xa0\x80",
		"\xf4\x90\x80\x80", "\xe4\xb8", "\x80", "a\xff",
	};
	const char *zh = "应急ab";

	(void)state;
	assert_true(utf8_valid(""));
	assert_true(utf8_valid("plain \xe4\xb8\xad \xf0\x9f\x98\x80"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(utf8_valid(bad[i]));
	assert_int_equal(utf8_bad("ab\0c", 4), 2);
	assert_int_equal(utf8_bad("ab\xe4\xb8", 4), 2);
	assert_int_equal(utf8_char((const unsigned char *)"\xe4\xb8\xad", 3), 3);
	assert_int_equal(utf8_char((const unsigned char *)"\xe4\xb8\xad", 2), 0);
	assert_int_equal(utf8_count(zh), 4);
	assert_int_equal(utf8_step(zh), 3);
	assert_int_equal(utf8_step("\xe4" "a"), 1);
	assert_int_equal(utf8_step("\xe4\xb8"), 2);
	assert_int_equal(utf8_prefix(zh, strlen(zh), 4), 3);
	assert_int_equal(utf8_prefix(zh, strlen(zh), 6), 6);
	assert_int_equal(utf8_prefix(zh, strlen(zh), 100), strlen(zh));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_ceiling),
		cmocka_unit_test(test_sha256_known_vector),
		cmocka_unit_test(test_tokens_are_random_and_prefixed),
		cmocka_unit_test(test_password_hash_verify),
		cmocka_unit_test(test_password_gate),
		cmocka_unit_test(test_time_format_and_fixed_clock),
		cmocka_unit_test(test_log_escape),
		cmocka_unit_test(test_addr_lists),
		cmocka_unit_test(test_time_parse_strict),
		cmocka_unit_test(test_csv_rows),
		cmocka_unit_test(test_err_fail_derives_code),
		cmocka_unit_test(test_utf8),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
