/*
 * err.h - the one error convention of erms.
 *
 * Functions return 0 or a negative ERMS_E* code. Detail for a person goes
 * into an optional struct errbuf (may be NULL), together with the name of
 * the offending input field where there is one. Codes are mapped to HTTP
 * statuses in http/resp.c and to exit codes in cli/cli.c, nowhere else.
 */
#ifndef ERMS_UTIL_ERR_H
#define ERMS_UTIL_ERR_H

enum {
	ERMS_OK = 0,
	ERMS_EINVAL = -1,	/* bad input             -> 400, exit 2 */
	ERMS_ENOTFOUND = -2,	/* no such object        -> 404 */
	ERMS_ECONFLICT = -3,	/* illegal state, dup    -> 409 */
	ERMS_ETOOBIG = -4,	/* over a size ceiling   -> 413 */
	ERMS_ESTORE = -5,	/* database failure      -> 503 */
	ERMS_EIO = -6,		/* files, network        -> 502, exit 1 */
	ERMS_EAUTH = -7,	/* not signed in         -> 401 */
	ERMS_EPERM = -8,	/* not allowed           -> 403 */
	ERMS_ELIMIT = -9,	/* rate limited          -> 429 */
	ERMS_EBUSY = -10,	/* no capacity right now -> 503 */
};

#include <stdint.h>

/*
 * A write made from a version of an object that is no longer its own
 * (code "version_conflict", app/version.h): what the object is now and
 * who made it so, for the caller to show and load.
 */
struct err_version {
	int64_t current;	/* the object's version now; 0: no conflict */
	int64_t by_id;		/* who wrote it last; 0: the system */
	char by_name[129];
	int64_t at_ms;		/* ... when */
	char msg_zh[320];	/* the message in Chinese */
};

struct errbuf {
	char code[32];		/* machine code, e.g. "missing_field" */
	char field[64];		/* offending field, or "" */
	char msg[256];		/* for a person */
	struct err_version ver;	/* a version conflict's detail */
};

/* Fill e (no-op when e is NULL). code may be NULL to keep the old one. */
void errbuf_set(struct errbuf *e, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Also name the field. */
void errbuf_field(struct errbuf *e, const char *field);
/* Returns rc after filling e: `return err_ret(e, ERMS_EINVAL, "x", ...)` */
int err_ret(struct errbuf *e, int rc, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Returns rc after filling e with rc's own string code (erms_strerror()),
 * the field (NULL: none) and the message:
 *     return err_fail(e, ERMS_EINVAL, "year", "year is 1970-9999");
 * Use err_ret() only for a code more specific than rc's ("four_eyes").
 */
int err_fail(struct errbuf *e, int rc, const char *field, const char *fmt,
	     ...) __attribute__((format(printf, 4, 5)));

/* Short English name of a code, e.g. "conflict". */
const char *erms_strerror(int rc);

#endif
