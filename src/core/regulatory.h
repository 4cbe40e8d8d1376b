/*
 * regulatory.h - the duty to report an incident to the regulators, as
 * 《国家网络安全事件报告管理办法》 (in force 2025-11-01) sets it, and the
 * working days its final report is counted in.
 *
 * An incident graded 较大 (national level III) or above opens an
 * obligation: a first report is due within 60, 120 or 240 minutes of the
 * time the event was discovered, by the kind of operator (critical
 * information infrastructure, a central or state organ, any other).
 * Command HQ and the leadership are told when it opens, at half time, ten
 * minutes before the deadline and when it is missed, unless a first
 * report was recorded. A level lowered below III closes an obligation not
 * yet reported (the record stays). The final report is due five working
 * days after the incident is resolved.
 *
 * Pure: no I/O, no clock; the caller gives the times.
 */
#ifndef ERMS_CORE_REGULATORY_H
#define ERMS_CORE_REGULATORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum reg_operator { OP_OTHER, OP_CII, OP_CENTRAL, OP__COUNT };

/* "other", "cii", "central"; parse: -1 if unknown. */
const char *reg_operator_name(int op);
int reg_operator_parse(const char *s);
/* The first report's deadline after discovery, in minutes. */
int reg_deadline_min(int op);

/* National levels: 1 特别重大 (I) .. 4 一般 (IV); 0 none. */
const char *reg_national_name(int level);	/* "I".."IV", or NULL */
int reg_national_parse(const char *s);		/* 0 if not a level */
/* Does an incident of national level `level` have to be reported? */
static inline bool reg_required(int level)
{
	return level >= 1 && level <= 3;
}

enum reg_status { REG_NONE, REG_DUE, REG_REPORTED, REG_LATE, REG_CLOSED,
		  REG__COUNT };
const char *reg_status_name(enum reg_status s);	/* NULL for REG_NONE */
int reg_status_parse(const char *s);		/* REG_NONE if unknown */

enum reg_kind { RK_FIRST, RK_FOLLOW_UP, RK_FINAL, RK__COUNT };
const char *reg_kind_name(enum reg_kind k);
int reg_kind_parse(const char *s);		/* -1 if unknown */

/* The notices of an obligation, a bit each in `told`. */
enum reg_notice { RN_OPEN, RN_HALF, RN_TEN, RN_MISSED, RN__COUNT };
const char *reg_notice_name(enum reg_notice n);	/* "open", "half", ... */

struct reg_obligation {
	int national;		/* the most severe level reached; 0: never */
	int op;			/* enum reg_operator when it opened */
	bool drill;
	enum reg_status status;
	int64_t detected_ms;	/* what the deadline counts from */
	int64_t opened_ms, deadline_ms;
	int64_t first_ms;	/* the first report's sending time; 0: none */
	int64_t closed_ms;	/* lowered below III; 0: not */
	int64_t final_due_ms;	/* set when resolved; 0: not yet */
	int64_t final_ms;	/* the final report's sending time */
	unsigned told;		/* 1 << enum reg_notice */
	int reports;		/* recorded */
};

/*
 * The incident's level became one of national level `national` at now_ms
 * (activation or a change of level). Opens the obligation when the level
 * must be reported and none is open (its deadline counted from
 * detected_ms, whatever the time now), reopens one a lower level closed,
 * keeps the most severe level reached, and closes one not yet reported
 * when the level no longer must be, before its deadline (after it the
 * duty was missed: it stays due, for reg_due() to make it late). Returns
 * true when the obligation
 * opened (or reopened): tell RN_OPEN.
 */
bool reg_on_level(struct reg_obligation *o, int national, int op,
		  int64_t detected_ms, bool drill, int64_t now_ms);

/* The next time a notice falls due (0: none). */
int64_t reg_next_ms(const struct reg_obligation *o);

/*
 * The notice due at now_ms, or RN__COUNT: the latest point passed and not
 * yet told (earlier ones untold are passed over: one message, not three,
 * after a pause). Marks it and those before it told; a missed deadline
 * makes the status late.
 */
enum reg_notice reg_due(struct reg_obligation *o, int64_t now_ms);

/*
 * A report of kind k sent at sent_ms is recorded. Returns 0, or -1 when
 * the kind is out of order (a second first report, a follow-up or a final
 * report before the first). *on_time: for a first report, 1 if sent by
 * the deadline, else 0; -1 for the others.
 */
int reg_on_report(struct reg_obligation *o, enum reg_kind k,
		  int64_t sent_ms, int *on_time);

/* Minutes the first report is (or, unsent at now_ms, has been) late: -1
 * when it is not. */
int64_t reg_late_by_min(const struct reg_obligation *o, int64_t now_ms);

/*
 * A working-day calendar: weekends are days off, holidays too, and
 * make-up working days (调休) are working days whatever the weekday.
 * Dates are yyyymmdd integers, each list sorted ascending.
 */
struct workcal {
	const int32_t *holidays;
	size_t nholidays;
	const int32_t *workdays;
	size_t nworkdays;
};

/* yyyymmdd of a day count since 1970-01-01, and back. */
int32_t cal_ymd(int64_t days);
int64_t cal_days(int32_t ymd);
/* Is the day (days since 1970-01-01) a working day? */
bool workcal_is_workday(const struct workcal *c, int64_t days);
/* The day n (>= 1) working days after day `days`. */
int64_t workcal_add(const struct workcal *c, int64_t days, int n);

/* The final report is due this many working days after the end. */
#define REG_FINAL_WORKDAYS 5

#endif
