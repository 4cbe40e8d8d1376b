/*
 * test-account.c - the rules for logins, keys, locales, passwords and
 * email addresses, and the names of the account enums.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "core/account.h"
#include "core/types.h"

static void test_login(void **state)
{
	char long_login[LOGIN_MAX + 2];

	(void)state;
	assert_true(login_valid("admin"));
	assert_true(login_valid("li.wei_2-x"));
	assert_true(login_valid("9lives"));
	assert_false(login_valid(""));
	assert_false(login_valid(".admin"));
	assert_false(login_valid("Admin"));
	assert_false(login_valid("a b"));
	assert_false(login_valid("管理员"));
	assert_false(login_valid("a'; DROP TABLE users; --"));
	memset(long_login, 'a', LOGIN_MAX);
	long_login[LOGIN_MAX] = '\0';
	assert_true(login_valid(long_login));
	long_login[LOGIN_MAX] = 'a';
	long_login[LOGIN_MAX + 1] = '\0';
	assert_false(login_valid(long_login));
}

static void test_key_locale_password_email(void **state)
{
	(void)state;
	assert_true(key_valid("command"));
	assert_true(key_valid("team_network-1"));
	assert_false(key_valid("1team"));
	assert_false(key_valid("Team"));
	assert_false(key_valid(""));
	assert_true(locale_valid("zh-CN"));
	assert_true(locale_valid("en"));
	assert_false(locale_valid("zh"));
	assert_false(locale_valid("fr"));
	assert_true(password_valid("12345678"));
	assert_false(password_valid("1234567"));
	assert_true(email_valid(""));
	assert_true(email_valid("ops@example.org"));
	assert_false(email_valid("ops"));
	assert_false(email_valid("@example.org"));
	assert_false(email_valid("a@b@c"));
	assert_false(email_valid("a b@c"));
	assert_false(email_valid("a@"));
}

static void test_phone_and_chat_id(void **state)
{
	char longest[CHAT_ID_MAX + 2];

	(void)state;
	assert_true(phone_valid(""));
	assert_true(phone_valid("13800001111"));
	assert_true(phone_valid("+8613800001111"));
	assert_false(phone_valid("138-0000-1111"));
	assert_false(phone_valid("1234"));
	assert_false(phone_valid("+"));
	assert_false(phone_valid("123456789012345678901"));
	assert_true(chat_id_valid(""));
	assert_true(chat_id_valid("ou_7d8a6e6df7621556ce0d21922b676706ccs"));
	assert_true(chat_id_valid("zhangsan"));
	assert_false(chat_id_valid("zhang san"));
	assert_false(chat_id_valid("a<b"));
	assert_false(chat_id_valid("a\"b"));
	assert_false(chat_id_valid("张三"));
	memset(longest, 'a', sizeof(longest) - 1);
	longest[CHAT_ID_MAX] = '\0';
	assert_true(chat_id_valid(longest));
	longest[CHAT_ID_MAX] = 'a';
	longest[CHAT_ID_MAX + 1] = '\0';
	assert_false(chat_id_valid(longest));
}

static void test_enum_names_round_trip(void **state)
{
	(void)state;
	for (int k = 0; k < GK__COUNT; k++)
		assert_int_equal(group_kind_parse(group_kind_name(k)), k);
	for (int r = 0; r < MR__COUNT; r++)
		assert_int_equal(member_role_parse(member_role_name(r)), r);
	assert_int_equal(group_kind_parse("boss"), -1);
	assert_int_equal(member_role_parse(""), -1);
	assert_string_equal(group_kind_name(GK__COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login),
		cmocka_unit_test(test_key_locale_password_email),
		cmocka_unit_test(test_phone_and_chat_id),
		cmocka_unit_test(test_enum_names_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
