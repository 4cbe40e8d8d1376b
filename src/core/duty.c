/*
 * duty.c - rotation arithmetic and the iCalendar writer.
 *
 * Everything is integer arithmetic on milliseconds: floor division for
 * shift indexes, a mathematical modulo for the member, and Howard
 * Hinnant's days-to-civil conversion for the calendar dates, so that no
 * libc time function (which may read the time zone database) is needed.
 *
 * The iCalendar text goes through core/ics.h's line writer, which folds
 * lines without splitting a UTF-8 character or an escape.
 */
#include "core/duty.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/calendar.h"
#include "core/ics.h"
#include "util/buf.h"
#include "util/err.h"

#define SHIFT_MINUTES_MAX (366 * 24 * 60)

#define TIME_MIN_MS ICS_TIME_MIN_MS
#define TIME_END_MS ICS_TIME_END_MS
#define TIME_LAST_MS ICS_TIME_LAST_MS

static int64_t floor_mod(int64_t a, int64_t b)
{
	int64_t m = a % b;

	return m < 0 ? m + b : m;
}

static int64_t shift_len_ms(const struct rotation *r)
{
	int min = r->shift_minutes < 1 ? 1 : r->shift_minutes;

	return (int64_t)min * MINUTE_MS;
}

static int member_count(const struct rotation *r)
{
	if (r->n <= 0)
		return 0;
	return r->n > DUTY_MEMBERS_MAX ? DUTY_MEMBERS_MAX : r->n;
}

static int64_t member_of(const struct rotation *r, int64_t k)
{
	int n = member_count(r);

	return n ? r->members[floor_mod(k, n)] : 0;
}

/* The index of the override that wins at t, or -1. */
static int override_at(const struct duty_override *ov, int nov, int64_t t)
{
	int best = -1;

	for (int i = 0; i < nov; i++) {
		if (ov[i].start_ms > t || t >= ov[i].end_ms)
			continue;
		/* >=: on a tie the later one in the array wins. */
		if (best < 0 || ov[i].start_ms >= ov[best].start_ms)
			best = i;
	}
	return best;
}

bool duty_rotation_valid(const struct rotation *r)
{
	if (r->shift_minutes < 1 || r->shift_minutes > SHIFT_MINUTES_MAX)
		return false;
	if (r->n < 0 || r->n > DUTY_MEMBERS_MAX)
		return false;
	if (r->start_ms < TIME_MIN_MS || r->start_ms > TIME_LAST_MS)
		return false;
	for (int i = 0; i < r->n; i++)
		if (r->members[i] <= 0)
			return false;
	return true;
}

int64_t duty_shift(const struct rotation *r, int64_t t, int64_t *start,
		   int64_t *end)
{
	int64_t len = shift_len_ms(r);
	int64_t k = cal_floor_div(t - r->start_ms, len);
	int64_t s = r->start_ms + k * len;

	if (start)
		*start = s;
	if (end)
		*end = s + len;
	return k;
}

int64_t duty_on_call(const struct rotation *r, const struct duty_override *ov,
		     int nov, int64_t t)
{
	int i = ov ? override_at(ov, nov, t) : -1;

	if (i >= 0)
		return ov[i].user_id;
	if (t < r->start_ms)
		return 0;
	return member_of(r, duty_shift(r, t, NULL, NULL));
}

int64_t duty_next_handover(const struct rotation *r, int64_t t)
{
	int64_t end;

	if (t < r->start_ms)
		return r->start_ms;
	duty_shift(r, t, NULL, &end);
	return end;
}

/* ---- iCalendar ---- */

struct ics {
	struct ics_writer w;
	int events;
	bool full;		/* DUTY_ICS_EVENTS_MAX reached */
	int64_t user_id;
	int64_t from, to, now_ms;
};

struct source {
	const char *uid;	/* "12-5" or "override-12-1700000000000" */
	const char *name;	/* the rotation's */
	const char *group;
};

static void event(struct ics *x, const struct source *src, int part,
		  int64_t a, int64_t b)
{
	char uid[96];

	if (b <= x->from || a >= x->to)
		return;
	if (a < TIME_MIN_MS)
		a = TIME_MIN_MS;
	if (b > TIME_LAST_MS)
		b = TIME_LAST_MS;
	if (a >= b)
		return;
	if (x->events >= DUTY_ICS_EVENTS_MAX) {
		x->full = true;
		return;
	}
	x->events++;
	if (part > 1)
		snprintf(uid, sizeof(uid), "%s-%d@erms", src->uid, part);
	else
		snprintf(uid, sizeof(uid), "%s@erms", src->uid);
	ics_line(&x->w, "BEGIN", "VEVENT");
	ics_line(&x->w, "UID", uid);
	ics_time(&x->w, "DTSTAMP", x->now_ms);
	ics_time(&x->w, "DTSTART", a);
	ics_time(&x->w, "DTEND", b);
	ics_put(&x->w, "SUMMARY:");
	ics_text(&x->w, "值班 / On duty: ");
	ics_text(&x->w, src->group);
	ics_text(&x->w, " (");
	ics_text(&x->w, src->name);
	ics_text(&x->w, ")");
	ics_end(&x->w);
	ics_line(&x->w, "END", "VEVENT");
}

/*
 * Write the pieces of [a, b) that belong to `who` (an override index, or
 * -1 for the rotation's shift) according to override_at(). Between two
 * consecutive override boundaries the winner cannot change, so the sweep
 * visits only those. Returns the number of pieces, written or not.
 */
static int pieces(struct ics *x, const struct duty_override *ov, int nov,
		  int who, int64_t a, int64_t b, const struct source *src)
{
	int64_t c = a, run = 0;
	bool in = false;
	int part = 0;

	while (c < b) {
		int64_t next = b;
		bool wins = override_at(ov, nov, c) == who;

		for (int i = 0; i < nov; i++) {
			int64_t cand;

			if (ov[i].start_ms > c)
				cand = ov[i].start_ms;
			else if (ov[i].end_ms > c)
				cand = ov[i].end_ms;
			else
				continue;
			if (cand < next)
				next = cand;
		}
		if (wins && !in) {
			in = true;
			run = c;
		} else if (!wins && in) {
			in = false;
			event(x, src, ++part, run, c);
		}
		c = next;
	}
	if (in)
		event(x, src, ++part, run, b);
	return part;
}

/* The end of the stretch from t on that overrides cover without a gap. */
static int64_t covered_until(const struct duty_override *ov, int nov,
			     int64_t t)
{
	bool more = true;

	while (more) {
		more = false;
		for (int i = 0; i < nov; i++)
			if (ov[i].start_ms <= t && t < ov[i].end_ms) {
				t = ov[i].end_ms;
				more = true;
			}
	}
	return t;
}

static bool is_member(const struct rotation *r, int64_t user_id)
{
	for (int i = 0; i < member_count(r); i++)
		if (r->members[i] == user_id)
			return true;
	return false;
}

static void rotation_shifts(struct ics *x, const struct rotation *r,
			    const struct duty_override *ov, int nov,
			    struct source *src, char *uid, size_t uid_size)
{
	int64_t len = shift_len_ms(r);
	int64_t lo = x->from > r->start_ms ? x->from : r->start_ms;
	int64_t k;

	if (!is_member(r, x->user_id) || lo >= x->to)
		return;
	k = cal_floor_div(lo - r->start_ms, len);
	while (!x->full && !x->w.rc) {
		int64_t s = r->start_ms + k * len, cover, k2;

		if (s >= x->to)
			break;
		if (member_of(r, k) != x->user_id) {
			k++;
			continue;
		}
		snprintf(uid, uid_size, "%lld-%lld", (long long)r->id,
			 (long long)k);
		src->uid = uid;
		if (pieces(x, ov, nov, -1, s, s + len, src) > 0) {
			k++;
			continue;
		}
		/* All of it is overridden: skip to the first shift that
		 * the overrides do not cover, rather than walking a long
		 * cover (leave, say) shift by shift. */
		cover = covered_until(ov, nov, s);
		if (cover >= x->to)
			break;
		k2 = cal_floor_div(cover - r->start_ms, len);
		k = k2 > k ? k2 : k + 1;
	}
}

static void rotation_overrides(struct ics *x, const struct rotation *r,
			       const struct duty_override *ov, int nov,
			       struct source *src, char *uid, size_t uid_size)
{
	for (int j = 0; j < nov && !x->full && !x->w.rc; j++) {
		if (ov[j].user_id != x->user_id)
			continue;
		if (ov[j].start_ms >= ov[j].end_ms)
			continue;
		if (ov[j].start_ms >= x->to || ov[j].end_ms <= x->from)
			continue;
		snprintf(uid, uid_size, "override-%lld-%lld",
			 (long long)r->id, (long long)ov[j].start_ms);
		src->uid = uid;
		pieces(x, ov, nov, j, ov[j].start_ms, ov[j].end_ms, src);
	}
}

int duty_ics(struct buf *out, const char *cal_name, int64_t user_id,
	     const struct rotation *rots, const char *const *names,
	     const char *const *groups, int nrot,
	     const struct duty_override *const *ovs, const int *novs,
	     int64_t from, int64_t to, int64_t now_ms)
{
	struct ics x = { .user_id = user_id };
	char uid[64];

	/* Clamp to what iCalendar can express; this also keeps the shift
	 * arithmetic below far from overflow. */
	ics_init(&x.w, out);
	x.from = from < TIME_MIN_MS ? TIME_MIN_MS : from;
	x.to = to > TIME_END_MS ? TIME_END_MS : to;
	x.now_ms = now_ms < TIME_MIN_MS ? TIME_MIN_MS :
		   now_ms > TIME_LAST_MS ? TIME_LAST_MS : now_ms;

	ics_line(&x.w, "BEGIN", "VCALENDAR");
	ics_line(&x.w, "VERSION", "2.0");
	ics_line(&x.w, "PRODID", "-//erms//duty//EN");
	ics_line(&x.w, "CALSCALE", "GREGORIAN");
	ics_line(&x.w, "METHOD", "PUBLISH");
	ics_text_line(&x.w, "X-WR-CALNAME", cal_name);

	for (int i = 0; i < nrot && !x.full && !x.w.rc; i++) {
		const struct rotation *r = &rots[i];
		const struct duty_override *ov = ovs ? ovs[i] : NULL;
		int nov = ov && novs && novs[i] > 0 ? novs[i] : 0;
		struct source src = {
			.name = names && names[i] ? names[i] : "",
			.group = groups && groups[i] ? groups[i] : "",
		};

		if (r->start_ms < TIME_MIN_MS || r->start_ms > TIME_LAST_MS)
			continue;
		rotation_shifts(&x, r, ov, nov, &src, uid, sizeof(uid));
		rotation_overrides(&x, r, ov, nov, &src, uid, sizeof(uid));
	}
	ics_line(&x.w, "END", "VCALENDAR");

	return ics_finish(&x.w);
}
