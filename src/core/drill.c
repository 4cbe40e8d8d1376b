/*
 * drill.c - the drill state machine table, evaluation totals, yearly
 * compliance and the drills calendar.
 *
 * Compliance is a small nested loop: for each category, each kind
 * (any, tabletop, live) and each rule, the strictest applicable per_year
 * wins; then the drills of that year are counted. Plans have a handful
 * of categories and rules and a year a handful of drills, so no index is
 * worth its code.
 *
 * The calendar goes through core/ics.h, which folds lines as it writes.
 */
#include "core/drill.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/ics.h"
#include "util/err.h"

#define YEAR_MIN 1
#define YEAR_MAX 9999

const struct drill_transition drill_table[] = {
	{ DS_PLANNED, DSS_START, DS_RUNNING },
	{ DS_RUNNING, DSS_COMPLETE, DS_COMPLETED },
	{ DS_COMPLETED, DSS_EVALUATE, DS_EVALUATED },
	{ DS_PLANNED, DSS_CANCEL, DS_CANCELLED },
	{ DS_RUNNING, DSS_CANCEL, DS_CANCELLED },
};
const int drill_table_len =
	(int)(sizeof(drill_table) / sizeof(drill_table[0]));

int drill_next(enum drill_status from, enum drill_step s,
	       enum drill_status *to)
{
	for (int i = 0; i < drill_table_len; i++)
		if (drill_table[i].from == from && drill_table[i].step == s) {
			*to = drill_table[i].to;
			return 0;
		}
	return ERMS_ECONFLICT;
}

bool drill_incident_over(enum inc_state s)
{
	return s == INC_DISMISSED || s == INC_RESOLVED || s == INC_CLOSED ||
	       s == INC_REVIEWED;
}

bool drill_counts(enum drill_status d, enum inc_state s)
{
	return (d == DS_COMPLETED || d == DS_EVALUATED) && s != INC_DISMISSED;
}

static const char *const statuses[DS__COUNT] = {
	"planned", "running", "completed", "evaluated", "cancelled",
};
static const char *const steps[DSS__COUNT] = {
	"start", "complete", "evaluate", "cancel",
};
static const char *const kinds[DK__COUNT] = {
	"tabletop", "live",
};

static int lookup(const char *const *names, int n, const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

const char *drill_status_name(enum drill_status s)
{
	return (unsigned)s < DS__COUNT ? statuses[s] : "?";
}

int drill_status_parse(const char *s)
{
	return lookup(statuses, DS__COUNT, s);
}

const char *drill_step_name(enum drill_step s)
{
	return (unsigned)s < DSS__COUNT ? steps[s] : "?";
}

int drill_step_parse(const char *s)
{
	return lookup(steps, DSS__COUNT, s);
}

const char *drill_kind_name(int kind)
{
	if (kind == DRILL_KIND_ANY)
		return "any";
	return kind >= 0 && kind < DK__COUNT ? kinds[kind] : "?";
}

int drill_kind_parse(const char *s)
{
	return lookup(kinds, DK__COUNT, s);
}

/* ---- evaluation ---- */

int drill_score_total(const struct drill_score *s, int n, int *sum,
		      int *max)
{
	int64_t got = 0, out_of = 0;

	if (n < 1 || !s)
		return ERMS_EINVAL;
	for (int i = 0; i < n; i++) {
		if (s[i].max < 1 || s[i].score < 0 || s[i].score > s[i].max)
			return ERMS_EINVAL;
		got += s[i].score;
		out_of += s[i].max;
		if (out_of > INT_MAX)
			return ERMS_EINVAL;
	}
	if (sum)
		*sum = (int)got;
	if (max)
		*max = (int)out_of;
	return 0;
}

int drill_score_percent(int sum, int max)
{
	int64_t p;

	if (max < 1 || sum <= 0)
		return 0;
	/* Half up: floor((200 * sum + max) / (2 * max)). */
	p = (INT64_C(200) * sum + max) / (INT64_C(2) * max);
	return p > 100 ? 100 : (int)p;
}

/* ---- dates ---- */

int drill_year_of(int64_t ms)
{
	int64_t y;
	int m, d;

	civil_from_days(cal_floor_div(ms, DAY_MS), &y, &m, &d);
	return (int)y;
}

int64_t drill_year_end_ms(int year)
{
	/* Far outside the contract, but keep the product from overflow. */
	if (year < YEAR_MIN - 1)
		year = YEAR_MIN - 1;
	else if (year > YEAR_MAX)
		year = YEAR_MAX;
	return days_from_civil((int64_t)year + 1, 1, 1) * DAY_MS;
}

bool drill_warn_due(int64_t now_ms, int days_before)
{
	int64_t end;

	if (days_before < 1)
		return false;
	if (days_before > 366)
		days_before = 366;
	end = drill_year_end_ms(drill_year_of(now_ms));
	return now_ms >= end - days_before * DAY_MS;
}

/* ---- compliance ---- */

static bool rule_valid(const struct drill_rule *r)
{
	if (!r->category[0] || r->per_year < 1)
		return false;
	return r->kind == DRILL_KIND_ANY ||
	       (r->kind >= 0 && r->kind < DK__COUNT);
}

static bool rule_applies(const struct drill_rule *r, const char *cat)
{
	return !strcmp(r->category, "*") || !strcmp(r->category, cat);
}

static bool seen_before(const char *const *categories, int i)
{
	for (int j = 0; j < i; j++)
		if (!strcmp(categories[j], categories[i]))
			return true;
	return false;
}

/* The drills of category cat in [lo, hi) that count for `kind`. */
static int count_done(const struct drill_done *done, int ndone,
		      const char *cat, int kind, int64_t lo, int64_t hi)
{
	int n = 0;

	for (int i = 0; i < ndone; i++) {
		if (done[i].at_ms < lo || done[i].at_ms >= hi)
			continue;
		if (strcmp(done[i].category, cat))
			continue;
		if (kind != DRILL_KIND_ANY && done[i].kind != kind)
			continue;
		n++;
	}
	return n;
}

int drill_compliance(const struct drill_rule *rules, int nrules,
		     const char *const *categories, int ncat,
		     const struct drill_done *done, int ndone, int year,
		     struct drill_status_line *out, int max_out)
{
	int64_t lo, hi;
	int lines = 0;

	if (nrules < 0 || ncat < 0 || ndone < 0 || max_out < 0)
		return ERMS_EINVAL;
	if (year < YEAR_MIN || year > YEAR_MAX)
		return ERMS_EINVAL;
	for (int r = 0; r < nrules; r++)
		if (!rule_valid(&rules[r]))
			return ERMS_EINVAL;
	for (int c = 0; c < ncat; c++)
		if (!categories[c])
			return ERMS_EINVAL;
	lo = drill_year_end_ms(year - 1);
	hi = drill_year_end_ms(year);

	for (int c = 0; c < ncat; c++) {
		const char *cat = categories[c];

		if (seen_before(categories, c))
			continue;
		/* DRILL_KIND_ANY first, then the kinds in enum order. */
		for (int k = DRILL_KIND_ANY; k < DK__COUNT; k++) {
			struct drill_status_line *l;
			int required = 0;

			for (int r = 0; r < nrules; r++)
				if (rules[r].kind == k &&
				    rule_applies(&rules[r], cat) &&
				    rules[r].per_year > required)
					required = rules[r].per_year;
			if (!required)
				continue;
			if (lines >= max_out) {
				lines++;
				continue;
			}
			l = &out[lines++];
			/* A key longer than the field (the loader allows
			 * none) is cut. */
			snprintf(l->category, sizeof(l->category), "%s", cat);
			l->kind = k;
			l->required = required;
			l->done = count_done(done, ndone, cat, k, lo, hi);
			l->overdue = l->done < l->required;
		}
	}
	return lines > max_out ? ERMS_ETOOBIG : lines;
}

/* ---- iCalendar ---- */

static void event(struct ics_writer *x, const struct drill_event *e,
		  int64_t now_ms)
{
	int minutes = e->minutes < 1 ? 1 : e->minutes;
	int64_t start = e->start_ms;
	char uid[64];

	/* Clamp before adding, so that the end cannot overflow. */
	if (start < ICS_TIME_MIN_MS)
		start = ICS_TIME_MIN_MS;
	else if (start > ICS_TIME_LAST_MS)
		start = ICS_TIME_LAST_MS;

	/* uid: "drill-" + at most 20 digits + "@erms" fits. */
	snprintf(uid, sizeof(uid), "drill-%lld@erms", (long long)e->id);
	ics_line(x, "BEGIN", "VEVENT");
	ics_line(x, "UID", uid);
	ics_time(x, "DTSTAMP", now_ms);
	ics_time(x, "DTSTART", start);
	ics_time(x, "DTEND", start + minutes * MINUTE_MS);
	ics_put(x, "SUMMARY:");
	ics_text(x, "演练 / Drill: ");
	ics_text(x, e->title);
	ics_end(x);
	ics_put(x, "CATEGORIES:");
	if (e->category && e->category[0]) {
		/* One TEXT value of the list: its commas are escaped. */
		ics_text(x, e->category);
		ics_put(x, ",");
	}
	ics_text(x, drill_kind_name(e->kind));
	ics_end(x);
	if (e->location && e->location[0])
		ics_text_line(x, "LOCATION", e->location);
	ics_line(x, "END", "VEVENT");
}

int drill_ics(struct buf *out, const char *cal_name,
	      const struct drill_event *ev, int n, int64_t now_ms)
{
	struct ics_writer x;

	ics_init(&x, out);
	ics_line(&x, "BEGIN", "VCALENDAR");
	ics_line(&x, "VERSION", "2.0");
	ics_line(&x, "PRODID", "-//erms//drills//EN");
	ics_line(&x, "CALSCALE", "GREGORIAN");
	ics_line(&x, "METHOD", "PUBLISH");
	ics_text_line(&x, "X-WR-CALNAME", cal_name);
	for (int i = 0; i < n && !x.rc; i++)
		event(&x, &ev[i], now_ms);
	ics_line(&x, "END", "VCALENDAR");
	return ics_finish(&x);
}
