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
/* Empty, or a mobile number as the chat robots take it for a mention:
 * an optional '+', then 5 to 20 digits (no spaces or dashes). */
bool phone_valid(const char *s);
/* Empty, or a user's id in a chat platform (a DingTalk or WeCom userid, a
 * Feishu open_id "ou_..."): 1 to CHAT_ID_MAX printable ASCII characters,
 * no spaces, quotes, '<', '>' or '&' (it is written into the robots'
 * markup). */
bool chat_id_valid(const char *s);

#endif
