/*
 * account.c - validation rules for account fields, and names of the
 * account enums.
 */
#include "core/account.h"

#include <stdlib.h>
#include <string.h>

#include "core/types.h"

static bool lower_or_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool login_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > LOGIN_MAX || !lower_or_digit(s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!lower_or_digit(s[i]) && !strchr("._-", s[i]))
			return false;
	return true;
}

bool locale_valid(const char *s)
{
	return !strcmp(s, "zh-CN") || !strcmp(s, "en");
}

bool key_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > KEY_MAX || !(s[0] >= 'a' && s[0] <= 'z'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!lower_or_digit(s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

bool password_valid(const char *s)
{
	size_t n = strlen(s);

	return n >= PASSWORD_MIN && n <= PASSWORD_MAX;
}

bool email_valid(const char *s)
{
	const char *at;

	if (!*s)
		return true;
	if (strlen(s) > EMAIL_MAX || strpbrk(s, " \t\r\n<>\""))
		return false;
	at = strchr(s, '@');
	return at && at != s && at[1] && !strchr(at + 1, '@');
}

bool phone_valid(const char *s)
{
	size_t n = strspn(s + (*s == '+'), "0123456789");

	if (!*s)
		return true;
	return n >= 5 && n <= 20 && !s[(*s == '+') + n];
}

bool chat_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (n > CHAT_ID_MAX)
		return false;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~' || strchr("\"'<>&", *s))
			return false;
	return true;
}

static const char *const kinds[GK__COUNT] = { "leadership", "command",
					      "team" };
static const char *const roles[MR__COUNT] = { "lead", "deputy", "member" };

const char *group_kind_name(enum group_kind k)
{
	return (unsigned)k < GK__COUNT ? kinds[k] : "?";
}

int group_kind_parse(const char *s)
{
	for (int i = 0; i < GK__COUNT; i++)
		if (!strcmp(s, kinds[i]))
			return i;
	return -1;
}

const char *member_role_name(enum member_role r)
{
	return (unsigned)r < MR__COUNT ? roles[r] : "?";
}

int member_role_parse(const char *s)
{
	for (int i = 0; i < MR__COUNT; i++)
		if (!strcmp(s, roles[i]))
			return i;
	return -1;
}

void organisation_release(struct organisation *o)
{
	free(o->regulators_json);
	free(o->calendar_json);
	o->regulators_json = o->calendar_json = NULL;
}
