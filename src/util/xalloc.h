/*
 * xalloc.h - allocation that does not fail.
 *
 * Every allocation in erms goes through these wrappers. On exhaustion they
 * log the size and abort(): a server that cannot allocate a few hundred
 * bytes cannot answer sensibly either, and pretending otherwise without an
 * OOM test harness would be a lie (see STYLE.md §3.5).
 */
#ifndef ERMS_UTIL_XALLOC_H
#define ERMS_UTIL_XALLOC_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Returns a newly allocated formatted string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
