/*
 * buf.h - growable byte buffers with a ceiling (curl's dynbuf, git's strbuf).
 *
 * Invariant: b->data is NUL-terminated whenever b->len > 0 or after any
 * add. Growing past b->max fails with ERMS_ETOOBIG and leaves the buffer
 * as it was, so a caller can answer 413 and still free it.
 */
#ifndef ERMS_UTIL_BUF_H
#define ERMS_UTIL_BUF_H

#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;	/* ceiling in bytes, excluding the NUL */
};

#define BUF_UNLIMITED ((size_t)-1)
#define BUF_INIT { NULL, 0, 0, BUF_UNLIMITED }

void buf_init(struct buf *b, size_t max);
/* Returns 0 or ERMS_ETOOBIG. */
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Frees the contents; the buffer is empty and reusable afterwards. */
void buf_release(struct buf *b);
/* Hands the bytes to the caller (free() them); the buffer is emptied. */
char *buf_detach(struct buf *b, size_t *len);
/* The contents as a C string, "" when empty. Borrowed. */
const char *buf_str(const struct buf *b);

#endif
