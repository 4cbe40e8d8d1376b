/*
 * search-text.c - how both engines' searches cut text and queries: the
 * pair index's tokens, the token of a short query, a LIKE pattern.
 *
 * The SQLite backend (sqlite-search.c) and the PostgreSQL one
 * (postgres-search.c) index and match the same tokens, so that a short
 * query finds the same rows on either.
 */
#include "store/store.h"

#include <string.h>

#include "store/store-int.h"
#include "util/buf.h"
#include "util/utf8.h"

bool search_separator(const char *s)
{
	return (unsigned char)*s < 0x80 && !((*s >= 'a' && *s <= 'z') ||
					     (*s >= 'A' && *s <= 'Z') ||
					     (*s >= '0' && *s <= '9'));
}

char *search_pairs(const char *s)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "");
	while (*s) {
		size_t a;

		if (search_separator(s)) {
			s++;
			continue;
		}
		a = utf8_step(s);
		if (b.len)
			buf_adds(&b, " ");
		buf_add(&b, s, a);
		if (s[a] && !search_separator(s + a)) {
			buf_adds(&b, " ");
			buf_add(&b, s, a + utf8_step(s + a));
		}
		s += a;
	}
	return buf_detach(&b, NULL);
}

const char *search_token(const char *q, size_t n, size_t *len)
{
	size_t a = utf8_step(q);

	if (!search_separator(q)) {
		*len = n == 2 && !search_separator(q + a) ? strlen(q) : a;
		return q;
	}
	if (n == 2 && !search_separator(q + a)) {
		*len = strlen(q + a);
		return q + a;
	}
	return NULL;
}

char *search_like(const char *q)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "%");
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_adds(&b, "\\");
		buf_add(&b, p, 1);
	}
	buf_adds(&b, "%");
	return buf_detach(&b, NULL);
}
