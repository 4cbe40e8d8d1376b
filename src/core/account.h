/*
 * account.h - pure rules about accounts: what a valid login, locale, group
 * key or password is. The JSON decoders call these; so do the local
 * commands. No I/O.
 */
#ifndef ERMS_CORE_ACCOUNT_H
#define ERMS_CORE_ACCOUNT_H

#include <stdbool.h>

#define PASSWORD_MIN 8
#define PASSWORD_MAX 256

/* 1..64 of [a-z0-9._-], starting with a letter or digit. */
bool login_valid(const char *s);
/* "zh-CN" or "en". */
bool locale_valid(const char *s);
/* 1..64 of [a-z0-9_-], starting with a letter. */
bool key_valid(const char *s);
/* Length PASSWORD_MIN..PASSWORD_MAX bytes. */
bool password_valid(const char *s);
/* Empty, or something@something without spaces. */
bool email_valid(const char *s);

#endif
