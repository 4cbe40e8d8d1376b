/*
 * utf8.h - UTF-8 in one place: the strict check that text is UTF-8 (what
 * JSON, plan files and vendors' messages need), and walking or cutting
 * text a whole character at a time. Pure: no allocation, no I/O.
 */
#ifndef ERMS_UTIL_UTF8_H
#define ERMS_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
size_t utf8_char(const unsigned char *s, size_t n);

/* The offset of the first byte of s[0..n) that is not valid UTF-8 or is
 * a NUL, or n when there is none. */
size_t utf8_bad(const char *s, size_t n);

/* Whether the NUL-terminated s is valid UTF-8. */
bool utf8_valid(const char *s);

/* The length of the character at s for walking text that may be broken:
 * at least 1, at most 4, never past a byte that does not continue it
 * (so never past the NUL). */
size_t utf8_step(const char *s);

/* Characters (not bytes) in the NUL-terminated s. */
size_t utf8_count(const char *s);

/* The longest prefix of s[0..len) of at most max bytes that ends on a
 * whole character. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

#endif
