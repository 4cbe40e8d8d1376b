/*
 * ics.h - the line writer of the iCalendar (RFC 5545) feeds.
 *
 * A struct ics_writer appends content lines to a caller's struct buf and
 * folds them as it goes: it adds one character, or one escape, at a time
 * and breaks the line (CRLF and one space) before a unit that would pass
 * 75 octets, so a UTF-8 character or an escape is never split. Lines end
 * in CRLF.
 *
 * The first buffer error (ERMS_ETOOBIG at the ceiling) is sticky: after
 * it nothing more is added and ics_writer.rc keeps the code, so a feed is
 * written without checking every call and checked once at the end.
 *
 * Pure: no I/O, no clock; dates are computed with integer arithmetic, not
 * with libc time functions.
 */
#ifndef ERMS_CORE_ICS_H
#define ERMS_CORE_ICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* The longest physical line in octets, without its CRLF. */
#define ICS_LINE_MAX 75

/* 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: what iCalendar can say. */
#define ICS_TIME_MIN_MS INT64_C(-62135596800000)
#define ICS_TIME_END_MS INT64_C(253402300800000)
#define ICS_TIME_LAST_MS (ICS_TIME_END_MS - 1000)

struct ics_writer {
	struct buf *out;	/* borrowed */
	size_t len0;		/* out->len at ics_init(), for ics_finish() */
	int col;		/* octets on the current physical line */
	int rc;			/* 0, or the first buffer error */
};

/* Start writing at the end of `out` (borrowed; it must outlive x). */
void ics_init(struct ics_writer *x, struct buf *out);

/*
 * Finish: returns x->rc. On an error `out` is cut back to its length at
 * ics_init(), so a failed feed leaves the buffer as it was.
 */
int ics_finish(struct ics_writer *x);

/* Add s as it is, octet by octet, folding as needed: plain ASCII (names,
 * numbers, dates) with nothing to escape. */
void ics_put(struct ics_writer *x, const char *s);

/*
 * Add s as a TEXT value (RFC 5545 §3.3.11): backslash, ';' and ',' are
 * escaped, a newline (LF, CR or CRLF) becomes "\n", other control
 * characters but TAB are dropped. NULL adds nothing.
 */
void ics_text(struct ics_writer *x, const char *s);

/* End the current content line (CRLF). */
void ics_end(struct ics_writer *x);

/* A whole line "name:value" with value as it is (see ics_put()). */
void ics_line(struct ics_writer *x, const char *name, const char *value);

/* A whole line "name:text" with text escaped (see ics_text()). */
void ics_text_line(struct ics_writer *x, const char *name, const char *text);

/*
 * A whole line "name:20261128T080000Z": the UTC date-time of t_ms,
 * truncated to the second (floor, also before 1970) and clamped to
 * ICS_TIME_MIN_MS .. ICS_TIME_LAST_MS.
 */
void ics_time(struct ics_writer *x, const char *name, int64_t t_ms);

#endif
