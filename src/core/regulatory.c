/*
 * regulatory.c - the regulator's clock and working days (core/regulatory.h).
 */
#include "core/regulatory.h"

#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"

#define TEN_MIN_MS (10 * MINUTE_MS)

static const char *const op_names[OP__COUNT] = {
	[OP_OTHER] = "other", [OP_CII] = "cii", [OP_CENTRAL] = "central",
};
/* Art. 4: CII 1 h, central and state organs 2 h, the others 4 h. */
static const int op_minutes[OP__COUNT] = {
	[OP_OTHER] = 240, [OP_CII] = 60, [OP_CENTRAL] = 120,
};
static const char *const national_names[] = { NULL, "I", "II", "III", "IV" };
static const char *const status_names[REG__COUNT] = {
	[REG_DUE] = "due", [REG_REPORTED] = "reported", [REG_LATE] = "late",
	[REG_CLOSED] = "closed",
};
static const char *const kind_names[RK__COUNT] = {
	[RK_FIRST] = "first", [RK_FOLLOW_UP] = "follow_up",
	[RK_FINAL] = "final",
};
static const char *const notice_names[RN__COUNT] = {
	[RN_OPEN] = "open", [RN_HALF] = "half", [RN_TEN] = "ten",
	[RN_MISSED] = "missed",
};

/* The index of s in names[0..n), or -1. */
static int find(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return -1;
}

const char *reg_operator_name(int op)
{
	return op >= 0 && op < OP__COUNT ? op_names[op] : op_names[OP_OTHER];
}

int reg_operator_parse(const char *s)
{
	return find(op_names, OP__COUNT, s);
}

int reg_deadline_min(int op)
{
	return op >= 0 && op < OP__COUNT ? op_minutes[op]
					 : op_minutes[OP_OTHER];
}

const char *reg_national_name(int level)
{
	return level >= 1 && level <= 4 ? national_names[level] : NULL;
}

int reg_national_parse(const char *s)
{
	int i = find(national_names, 5, s);

	return i > 0 ? i : 0;
}

const char *reg_status_name(enum reg_status s)
{
	return s < REG__COUNT ? status_names[s] : NULL;
}

int reg_status_parse(const char *s)
{
	int i = find(status_names, REG__COUNT, s);

	return i > 0 ? i : REG_NONE;
}

const char *reg_kind_name(enum reg_kind k)
{
	return k < RK__COUNT ? kind_names[k] : "";
}

int reg_kind_parse(const char *s)
{
	return find(kind_names, RK__COUNT, s);
}

const char *reg_notice_name(enum reg_notice n)
{
	return n < RN__COUNT ? notice_names[n] : "";
}

/* When notice n falls due; 0 for RN_OPEN (told at once). */
static int64_t point(const struct reg_obligation *o, enum reg_notice n)
{
	switch (n) {
	case RN_HALF:
		return o->deadline_ms - (o->deadline_ms - o->detected_ms) / 2;
	case RN_TEN:
		return o->deadline_ms - TEN_MIN_MS;
	case RN_MISSED:
		return o->deadline_ms;
	default:
		return 0;
	}
}

/* Reminders whose time passed before the obligation opened say nothing
 * the opening's notice does not; the deadline's own is kept. */
static void pass_over(struct reg_obligation *o, int64_t now_ms)
{
	o->told |= 1u << RN_OPEN;
	for (int n = RN_HALF; n < RN_MISSED; n++)
		if (point(o, n) <= now_ms)
			o->told |= 1u << n;
}

bool reg_on_level(struct reg_obligation *o, int national, int op,
		  int64_t detected_ms, bool drill, int64_t now_ms)
{
	if (!reg_required(national)) {
		/* Past its deadline the duty was missed whatever the level
		 * is now: it stays due, and reg_due() makes it late. */
		if (o->status == REG_DUE && now_ms < o->deadline_ms) {
			o->status = REG_CLOSED;
			o->closed_ms = now_ms;
		}
		return false;
	}
	if (o->status == REG_NONE) {
		o->national = national;
		o->op = op;
		o->drill = drill;
		o->detected_ms = detected_ms;
		o->opened_ms = now_ms;
		o->deadline_ms = detected_ms + reg_deadline_min(op) * MINUTE_MS;
		o->status = REG_DUE;
		pass_over(o, now_ms);
		return true;
	}
	if (o->national == 0 || national < o->national)
		o->national = national;
	if (o->status != REG_CLOSED)
		return false;
	/* Raised again: the same obligation, the same deadline. */
	o->closed_ms = 0;
	o->status = !o->first_ms ? REG_DUE
		  : o->first_ms <= o->deadline_ms ? REG_REPORTED : REG_LATE;
	pass_over(o, now_ms);
	return true;
}

int64_t reg_next_ms(const struct reg_obligation *o)
{
	if (o->status != REG_DUE)
		return 0;
	for (int n = RN_HALF; n < RN__COUNT; n++)
		if (!(o->told & 1u << n))
			return point(o, n);
	return 0;
}

enum reg_notice reg_due(struct reg_obligation *o, int64_t now_ms)
{
	enum reg_notice due = RN__COUNT;

	if (o->status != REG_DUE)
		return RN__COUNT;
	for (int n = RN_HALF; n < RN__COUNT; n++)
		if (point(o, n) <= now_ms && !(o->told & 1u << n))
			due = n;
	if (due == RN__COUNT)
		return due;
	for (int n = RN_HALF; n <= (int)due; n++)
		o->told |= 1u << n;
	if (due == RN_MISSED)
		o->status = REG_LATE;
	return due;
}

int reg_on_report(struct reg_obligation *o, enum reg_kind k,
		  int64_t sent_ms, int *on_time)
{
	*on_time = -1;
	if ((k == RK_FIRST) != !o->first_ms)
		return -1;
	if (k == RK_FIRST) {
		o->first_ms = sent_ms;
		*on_time = sent_ms <= o->deadline_ms;
		if (o->status == REG_DUE || o->status == REG_LATE)
			o->status = *on_time ? REG_REPORTED : REG_LATE;
	}
	if (k == RK_FINAL)
		o->final_ms = sent_ms;
	o->reports++;
	return 0;
}

int64_t reg_late_by_min(const struct reg_obligation *o, int64_t now_ms)
{
	int64_t at = o->first_ms ? o->first_ms : now_ms;

	if (o->status == REG_NONE || at <= o->deadline_ms ||
	    (!o->first_ms && o->status == REG_CLOSED))
		return -1;
	return (at - o->deadline_ms + MINUTE_MS - 1) / MINUTE_MS;
}

int32_t cal_ymd(int64_t days)
{
	int64_t y;
	int m, d;

	civil_from_days(days, &y, &m, &d);
	return (int32_t)(y * 10000 + m * 100 + d);
}

int64_t cal_days(int32_t ymd)
{
	return days_from_civil(ymd / 10000, ymd / 100 % 100, ymd % 100);
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

static bool listed(const int32_t *v, size_t n, int32_t ymd)
{
	return n && bsearch(&ymd, v, n, sizeof(*v), cmp_i32);
}

bool workcal_is_workday(const struct workcal *c, int64_t days)
{
	int32_t ymd = cal_ymd(days);
	/* 1970-01-01 was a Thursday: (days + 4) mod 7 is 0 on Sundays. */
	int wday = (int)(((days + 4) % 7 + 7) % 7);

	if (listed(c->workdays, c->nworkdays, ymd))
		return true;
	if (listed(c->holidays, c->nholidays, ymd))
		return false;
	return wday != 0 && wday != 6;
}

int64_t workcal_add(const struct workcal *c, int64_t days, int n)
{
	while (n > 0)
		if (workcal_is_workday(c, ++days))
			n--;
	return days;
}
