/*
 * utf8.c - see utf8.h.
 */
#include "util/utf8.h"

#include <string.h>

size_t utf8_char(const unsigned char *s, size_t n)
{
	size_t w;
	unsigned cp, min;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		w = 2, cp = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		w = 3, cp = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		w = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < w)
		return 0;
	for (size_t i = 1; i < w; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return w;
}

size_t utf8_bad(const char *s, size_t n)
{
	size_t i = 0, w;

	while (i < n) {
		if (!s[i] || !(w = utf8_char((const unsigned char *)s + i, n - i)))
			return i;
		i += w;
	}
	return n;
}

bool utf8_valid(const char *s)
{
	size_t n = strlen(s);

	return utf8_bad(s, n) == n;
}

size_t utf8_step(const char *s)
{
	unsigned char c = (unsigned char)s[0];
	size_t want = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 :
		      c < 0xf8 ? 4 : 1;
	size_t n = 1;

	while (n < want && ((unsigned char)s[n] & 0xc0) == 0x80)
		n++;
	return n;
}

size_t utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

size_t utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}
