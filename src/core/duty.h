/*
 * duty.h - duty rosters (值班): who is on call at an instant, and the
 * iCalendar feed of one person's shifts.
 *
 * A rotation is a fixed cycle: shift k covers
 *   [start_ms + k * len, start_ms + (k + 1) * len),  len = shift_minutes min
 * and belongs to members[k mod n] (mathematical modulo, so k may be
 * negative). Shift indexes are floor divisions and exist before start_ms
 * too, so that arithmetic never needs a special case; but nobody is on
 * duty from the rotation before start_ms.
 *
 * An override hands [start_ms, end_ms) of one rotation to one user
 * (swaps, cover for leave). Overrides beat the rotation, and among the
 * overrides covering an instant the latest-starting one wins; on a tie,
 * the one later in the array (the caller passes them in creation order,
 * so the newer decision wins). Overrides apply before start_ms as well.
 *
 * Defensive about data it did not validate: a rotation with n <= 0 has no
 * one on duty, n above DUTY_MEMBERS_MAX is read as DUTY_MEMBERS_MAX, and a
 * shift_minutes below 1 is read as 1. duty_rotation_valid() is the check
 * for the boundary (JSON decoder, store) to refuse such data instead.
 * Times are int64 milliseconds UTC, assumed within the years 1..9999 as
 * any validated input is; nothing here reads a clock.
 *
 * Pure: no I/O, no clock, no allocation except through the caller's
 * struct buf in duty_ics().
 */
#ifndef ERMS_CORE_DUTY_H
#define ERMS_CORE_DUTY_H

#include <stdbool.h>
#include <stdint.h>

struct buf;

#define DUTY_MEMBERS_MAX 64
#define DUTY_ICS_EVENTS_MAX 1000

struct rotation {
	int64_t id;
	int64_t start_ms;	/* a handover instant: shift 0 starts here */
	int shift_minutes;	/* length of each shift, >= 1 */
	int n;			/* members in order */
	int64_t members[DUTY_MEMBERS_MAX];	/* user ids; shift k is
						   members[k mod n] */
};

/* [start_ms, end_ms) of one rotation belongs to user_id. */
struct duty_override {
	int64_t user_id;
	int64_t start_ms, end_ms;
};

/*
 * Whether r is well formed: 1 <= shift_minutes <= 366 days in minutes,
 * 0 <= n <= DUTY_MEMBERS_MAX, every member id > 0. (n == 0 is allowed:
 * a rotation being set up, with no one on duty but its overrides.)
 */
bool duty_rotation_valid(const struct rotation *r);

/*
 * Who is on duty in rotation r at t: the winning override covering t
 * (see the top of this file), else the member of t's shift; 0 when there
 * is none (t before start_ms and no override, or n == 0). ov may be NULL
 * when nov is 0. An override with end_ms <= start_ms covers nothing.
 */
int64_t duty_on_call(const struct rotation *r, const struct duty_override *ov,
		     int nov, int64_t t);

/*
 * The shift covering t: returns its index (floor division, so negative
 * before start_ms) and stores its [start, end) in *start and *end, either
 * of which may be NULL. start <= t < end always holds.
 */
int64_t duty_shift(const struct rotation *r, int64_t t, int64_t *start,
		   int64_t *end);

/*
 * The next handover strictly after t: the end of t's shift, or start_ms
 * when t is before start_ms (the first handover; the shift boundaries
 * before it hand nothing over). Overrides are not handovers here.
 */
int64_t duty_next_handover(const struct rotation *r, int64_t t);

/*
 * Append to `out` a complete iCalendar (RFC 5545) VCALENDAR with the
 * duty of user_id in the window [from, to), across nrot rotations:
 *
 *   PRODID "-//erms//duty//EN", VERSION 2.0, CALSCALE GREGORIAN,
 *   METHOD PUBLISH, X-WR-CALNAME cal_name; then one VEVENT
 *     - per shift of user_id, UID "<rotation id>-<shift index>@erms";
 *     - per override of user_id, UID "override-<rotation id>-<start_ms>@erms";
 *   each with DTSTAMP now_ms, DTSTART and DTEND in UTC form
 *   20261128T080000Z (truncated to the second), and SUMMARY
 *   "值班 / On duty: <group> (<rotation name>)".
 *
 * names[i] and groups[i] are rotation i's name and group key (NULL reads
 * as ""); ovs[i] and novs[i] are its overrides (ovs or novs NULL: none).
 * All are borrowed.
 *
 * An event is written whole when it overlaps [from, to), not clipped to
 * the window. What is written is exactly the time duty_on_call() gives to
 * user_id: a shift is cut where any override covers it (those hours are
 * the override's, which shows them if it is user_id's), and left out when
 * overrides cover all of it; an override of user_id is cut where a
 * later-starting override takes over. When a cut leaves a shift or an
 * override in several pieces, the first piece has the UID above and the
 * next ones "-2", "-3", ... before "@erms". Shifts before start_ms are
 * nobody's and never written.
 *
 * Rotation by rotation, shifts in time order and then overrides, at most
 * DUTY_ICS_EVENTS_MAX events in all; the rest are left out.
 *
 * Text: lines end in CRLF and are folded at 75 octets, never inside a
 * UTF-8 character (a continuation line starts with one space). TEXT
 * values escape backslash, ';' and ',' and turn a newline (LF, CR or
 * CRLF) into "\n"; other control characters are dropped.
 *
 * Returns 0, or ERMS_ETOOBIG when `out` reaches its ceiling, in which
 * case `out` is left as it was on entry.
 */
int duty_ics(struct buf *out, const char *cal_name, int64_t user_id,
	     const struct rotation *rots, const char *const *names,
	     const char *const *groups, int nrot,
	     const struct duty_override *const *ovs, const int *novs,
	     int64_t from, int64_t to, int64_t now_ms);

#endif
