/*
 * drill.h - emergency drills (应急演练): their life as one table, the
 * scoring of an evaluation, yearly compliance with the plan's drill
 * requirements (GB/T 38645-2020: at least one drill a year) and the
 * iCalendar feed of scheduled drills.
 *
 *   planned --start--> running --complete--> completed --evaluate--> evaluated
 *      |                  |
 *      +--cancel--> cancelled <--cancel--+
 *
 * Years are UTC calendar years: a drill at 2026-12-31T23:59:59.999Z
 * counts for 2026, one at 2027-01-01T00:00:00.000Z for 2027. Dates are
 * computed with integer arithmetic (proleptic Gregorian), without libc
 * time functions; times are int64 milliseconds UTC, assumed within the
 * years 1..9999 as any validated input is.
 *
 * Pure: no I/O, no clock, no allocation except through the caller's
 * struct buf in drill_ics(). Who may take a step is the rights table's
 * business, not this file's.
 */
#ifndef ERMS_CORE_DRILL_H
#define ERMS_CORE_DRILL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/incident.h"

struct buf;

enum drill_status {
	DS_PLANNED, DS_RUNNING, DS_COMPLETED, DS_EVALUATED, DS_CANCELLED,
	DS__COUNT
};

enum drill_step { DSS_START, DSS_COMPLETE, DSS_EVALUATE, DSS_CANCEL,
		  DSS__COUNT };

/* tabletop exercise 桌面推演, live drill 实战演练 */
enum drill_kind { DK_TABLETOP, DK_LIVE, DK__COUNT };

/* In a rule or a compliance line: a drill of any kind counts. */
#define DRILL_KIND_ANY (-1)

struct drill_transition {
	enum drill_status from;
	enum drill_step step;
	enum drill_status to;
};

extern const struct drill_transition drill_table[];
extern const int drill_table_len;

/* The next status into *to, or ERMS_ECONFLICT (and *to untouched) when
 * step is illegal from `from` (out-of-range values are illegal too). */
int drill_next(enum drill_status from, enum drill_step s,
	       enum drill_status *to);

/*
 * Is a drill incident in state s over, so that its drill may complete?
 * Resolved, closed, reviewed or dismissed; not while it is reported,
 * acknowledged or active (nor an unknown state).
 */
bool drill_incident_over(enum inc_state s);
/*
 * Does a drill count for compliance? Completed or evaluated, and its
 * incident (in state s) not dismissed; never a cancelled one.
 */
bool drill_counts(enum drill_status d, enum inc_state s);

/* "planned", "running", "completed", "evaluated", "cancelled"; "?" when
 * out of range. */
const char *drill_status_name(enum drill_status s);
/* The status named s, or -1 if unknown. */
int drill_status_parse(const char *s);
/* "start", "complete", "evaluate", "cancel"; "?" when out of range. */
const char *drill_step_name(enum drill_step s);
/* The step named s, or -1 if unknown. */
int drill_step_parse(const char *s);
/* "tabletop", "live"; "any" for DRILL_KIND_ANY; "?" otherwise. */
const char *drill_kind_name(int kind);
/* DK_TABLETOP or DK_LIVE, or -1 if unknown ("any" is not a drill kind:
 * a rule's decoder maps it to DRILL_KIND_ANY itself). */
int drill_kind_parse(const char *s);

/* ---- evaluation ---- */

/* One criterion of an evaluation form, scored 0..max. */
struct drill_score {
	char criterion[64];
	int score;
	int max;
};

/*
 * Add up n scores into *sum and *max (either may be NULL).
 * Returns 0, or ERMS_EINVAL (outputs untouched) when n < 1, a max < 1, a
 * score outside 0..max, or a total past INT_MAX.
 */
int drill_score_total(const struct drill_score *s, int n, int *sum,
		      int *max);

/*
 * sum out of max as a whole percentage, rounded half up and clamped to
 * 0..100: 2 of 3 is 67. 0 when max < 1.
 */
int drill_score_percent(int sum, int max);

/* ---- compliance ---- */

/* A requirement of the plan: per_year drills of category every year. */
struct drill_rule {
	char category[65];	/* a category key, or "*": every category */
	int per_year;		/* >= 1 */
	int kind;		/* DRILL_KIND_ANY, else enum drill_kind */
};

/* A drill that counts: completed or evaluated, never one that was only
 * planned, running or cancelled (the caller filters). */
struct drill_done {
	char category[65];
	int kind;		/* enum drill_kind */
	int64_t at_ms;		/* when it took place; its UTC year counts */
};

/* One requirement of one category in one year. */
struct drill_status_line {
	char category[65];
	int kind;		/* DRILL_KIND_ANY, else enum drill_kind */
	int required;
	int done;
	bool overdue;		/* done < required */
};

/* Lines drill_compliance() may need for ncat categories. */
#define DRILL_LINES_MAX(ncat) ((ncat) * (1 + DK__COUNT))

/*
 * The drill compliance of `year` (UTC) for the plan's ncat categories.
 *
 * A rule applies to a category when its category is "*" or the
 * category's key. Rules of the same kind combine by the strictest: each
 * category gets at most one line per kind (DRILL_KIND_ANY, then
 * DK_TABLETOP, then DK_LIVE) for which some rule applies, and that
 * line's `required` is the largest per_year among those rules. A kind
 * line is its own requirement, on top of the "any" line: with
 *   {"*", 1, any} and {"system-failure", 1, live}
 * system-failure gets an "any" line and a "live" line.
 *
 * `done` counts the drills of that category whose at_ms falls in `year`:
 * all of them for an "any" line, those of the line's kind otherwise (so
 * one live drill counts for both lines above).
 *
 * Lines come category by category in the order of `categories` (a
 * repeated key is reported once); a category without any applicable rule
 * has no line, and a rule naming a key not in `categories` is ignored
 * (validating the plan is the loader's business). All inputs are
 * borrowed; rules, done and out may be NULL when their count is 0.
 *
 * Returns the number of lines; ERMS_ETOOBIG when there are more than
 * max_out (out then holds the first max_out; DRILL_LINES_MAX(ncat) is
 * always enough); ERMS_EINVAL for a negative count, a NULL category, a
 * rule with an empty category, per_year < 1 or an unknown kind, or a
 * year outside 1..9999.
 */
int drill_compliance(const struct drill_rule *rules, int nrules,
		     const char *const *categories, int ncat,
		     const struct drill_done *done, int ndone, int year,
		     struct drill_status_line *out, int max_out);

/* The UTC calendar year of ms (floor, so before 1970 too). */
int drill_year_of(int64_t ms);

/* The start of year + 1, 00:00:00.000Z on January 1: the exclusive end
 * of `year`. drill_year_end_ms(year - 1) is the start of `year`. A year
 * outside 0..9999 is read as the nearer of the two. */
int64_t drill_year_end_ms(int year);

/*
 * Whether now_ms falls in the last days_before days of its UTC year:
 * [drill_year_end_ms(year) - days_before days, drill_year_end_ms(year)).
 * False when days_before < 1; always true from 366 on.
 */
bool drill_warn_due(int64_t now_ms, int days_before);

/* ---- iCalendar ---- */

/* A scheduled drill, with borrowed strings (NULL reads as ""). */
struct drill_event {
	int64_t id;
	const char *title;
	const char *category;	/* key */
	int kind;		/* enum drill_kind */
	int64_t start_ms;
	int minutes;		/* length; < 1 reads as 1 */
	const char *location;	/* NULL or "": no LOCATION line */
};

/*
 * Append to `out` a complete iCalendar (RFC 5545) VCALENDAR of n drills:
 *
 *   PRODID "-//erms//drills//EN", VERSION 2.0, CALSCALE GREGORIAN,
 *   METHOD PUBLISH, X-WR-CALNAME cal_name; then one VEVENT per drill, in
 *   the order given, with
 *     UID "drill-<id>@erms", DTSTAMP now_ms, DTSTART start_ms and
 *     DTEND start_ms + minutes in UTC form 20261128T080000Z (truncated to
 *     the second), SUMMARY "演练 / Drill: <title>",
 *     CATEGORIES "<category>,<kind name>" (the category left out when
 *     empty), and LOCATION when there is one.
 *
 * Text: lines end in CRLF and are folded at 75 octets, never inside a
 * UTF-8 character (a continuation line starts with one space). TEXT
 * values escape backslash, ';' and ',' and turn a newline (LF, CR or
 * CRLF) into "\n"; other control characters are dropped. n < 1 writes an
 * empty calendar; ev may be NULL then.
 *
 * Returns 0, or ERMS_ETOOBIG when `out` reaches its ceiling, in which
 * case `out` is left as it was on entry.
 */
int drill_ics(struct buf *out, const char *cal_name,
	      const struct drill_event *ev, int n, int64_t now_ms);

#endif
