/*
 * test-drill.c - the drill state machine, scores, yearly compliance and
 * the drills calendar.
 *
 * Set ERMS_TEST_ICS_OUT to a path to keep the two-drill calendar there
 * (tests/unit/check_ics.py parses it and must count 2 events).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/drill.h"
#include "util/buf.h"
#include "util/err.h"

#define MIN_MS INT64_C(60000)
#define DAY_MS INT64_C(86400000)

/* January 1, 00:00:00.000Z of 2024 .. 2027. */
static const int64_t Y2024 = INT64_C(1704067200000);
static const int64_t Y2025 = INT64_C(1735689600000);
static const int64_t Y2026 = INT64_C(1767225600000);
static const int64_t Y2027 = INT64_C(1798761600000);
/* 2026-06-15T09:30:00Z */
static const int64_t JUNE = INT64_C(1781515800000);

/* The seven categories of the sample plan (examples/plans). */
static const char *const seven[] = {
	"system-failure", "network-attack", "data-leak", "hardware-failure",
	"software-vuln", "operator-error", "natural-disaster",
};

/* ---- state machine ---- */

static void test_every_status_and_step(void **state)
{
	/* want[from][step]: the next status, or -1 for ERMS_ECONFLICT. */
	static const int want[DS__COUNT][DSS__COUNT] = {
		[DS_PLANNED] = { DS_RUNNING, -1, -1, DS_CANCELLED },
		[DS_RUNNING] = { -1, DS_COMPLETED, -1, DS_CANCELLED },
		[DS_COMPLETED] = { -1, -1, DS_EVALUATED, -1 },
		[DS_EVALUATED] = { -1, -1, -1, -1 },
		[DS_CANCELLED] = { -1, -1, -1, -1 },
	};
	int legal = 0;

	(void)state;
	for (int f = 0; f < DS__COUNT; f++)
		for (int s = 0; s < DSS__COUNT; s++) {
			enum drill_status to = DS__COUNT;
			int rc = drill_next((enum drill_status)f,
					    (enum drill_step)s, &to);

			if (want[f][s] < 0) {
				assert_int_equal(rc, ERMS_ECONFLICT);
				assert_int_equal(to, DS__COUNT);
			} else {
				assert_int_equal(rc, 0);
				assert_int_equal(to, want[f][s]);
				legal++;
			}
		}
	assert_int_equal(legal, drill_table_len);
}

/* A drill completes only once its incident is over, and counts for
 * compliance only when it was completed and its incident not dismissed. */
static void test_incident_rules(void **state)
{
	static const struct {
		enum inc_state s;
		bool over;
	} over[] = {
		{ INC_NONE, false },	     { INC_REPORTED, false },
		{ INC_ACKNOWLEDGED, false }, { INC_ACTIVE, false },
		{ INC_DISMISSED, true },     { INC_RESOLVED, true },
		{ INC_CLOSED, true },	     { INC_REVIEWED, true },
		{ INC__COUNT, false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++)
		assert_int_equal(drill_incident_over(over[i].s), over[i].over);
	assert_true(drill_counts(DS_COMPLETED, INC_RESOLVED));
	assert_true(drill_counts(DS_EVALUATED, INC_REVIEWED));
	assert_true(drill_counts(DS_COMPLETED, INC_CLOSED));
	/* dismissed: the drill did not take place as a response */
	assert_false(drill_counts(DS_COMPLETED, INC_DISMISSED));
	assert_false(drill_counts(DS_EVALUATED, INC_DISMISSED));
	/* cancelled, or never completed */
	assert_false(drill_counts(DS_CANCELLED, INC_RESOLVED));
	assert_false(drill_counts(DS_CANCELLED, INC_NONE));
	assert_false(drill_counts(DS_PLANNED, INC_NONE));
	assert_false(drill_counts(DS_RUNNING, INC_ACTIVE));
	assert_false(drill_counts(DS__COUNT, INC_RESOLVED));
}

static void test_out_of_range_is_conflict(void **state)
{
	enum drill_status to = DS_PLANNED;

	(void)state;
	assert_int_equal(drill_next(DS__COUNT, DSS_START, &to),
			 ERMS_ECONFLICT);
	assert_int_equal(drill_next(DS_PLANNED, DSS__COUNT, &to),
			 ERMS_ECONFLICT);
	assert_int_equal(to, DS_PLANNED);
}

static void test_names_round_trip(void **state)
{
	static const char *const st[] = {
		"planned", "running", "completed", "evaluated", "cancelled",
	};
	static const char *const sp[] = {
		"start", "complete", "evaluate", "cancel",
	};

	(void)state;
	for (int i = 0; i < DS__COUNT; i++) {
		assert_string_equal(drill_status_name((enum drill_status)i),
				    st[i]);
		assert_int_equal(drill_status_parse(st[i]), i);
	}
	for (int i = 0; i < DSS__COUNT; i++) {
		assert_string_equal(drill_step_name((enum drill_step)i),
				    sp[i]);
		assert_int_equal(drill_step_parse(sp[i]), i);
	}
	assert_string_equal(drill_kind_name(DK_TABLETOP), "tabletop");
	assert_string_equal(drill_kind_name(DK_LIVE), "live");
	assert_string_equal(drill_kind_name(DRILL_KIND_ANY), "any");
	assert_string_equal(drill_kind_name(7), "?");
	assert_int_equal(drill_kind_parse("tabletop"), DK_TABLETOP);
	assert_int_equal(drill_kind_parse("live"), DK_LIVE);

	assert_string_equal(drill_status_name(DS__COUNT), "?");
	assert_string_equal(drill_step_name(DSS__COUNT), "?");
	assert_int_equal(drill_status_parse("Planned"), -1);
	assert_int_equal(drill_status_parse(""), -1);
	assert_int_equal(drill_step_parse("stop"), -1);
	assert_int_equal(drill_kind_parse("any"), -1);
	assert_int_equal(drill_kind_parse(NULL), -1);
}

/* ---- scores ---- */

static void test_scores_valid(void **state)
{
	struct drill_score s[] = {
		{ "预警与信息报告时效", 8, 10 },
		{ "指挥决策与协调", 5, 5 },
		{ "技术处置", 0, 10 },
	};
	int sum = -1, max = -1;

	(void)state;
	assert_int_equal(drill_score_total(s, 3, &sum, &max), 0);
	assert_int_equal(sum, 13);
	assert_int_equal(max, 25);
	assert_int_equal(drill_score_percent(sum, max), 52);
	assert_int_equal(drill_score_total(s, 1, NULL, &max), 0);
	assert_int_equal(max, 10);

	assert_int_equal(drill_score_percent(2, 3), 67);
	assert_int_equal(drill_score_percent(1, 3), 33);
	assert_int_equal(drill_score_percent(1, 200), 1);	/* 0.5 up */
	assert_int_equal(drill_score_percent(10, 10), 100);
	assert_int_equal(drill_score_percent(0, 10), 0);
	assert_int_equal(drill_score_percent(5, 0), 0);
	assert_int_equal(drill_score_percent(11, 10), 100);
	assert_int_equal(drill_score_percent(-1, 10), 0);
}

static void test_scores_invalid(void **state)
{
	struct drill_score over[] = { { "a", 3, 5 }, { "b", 11, 10 } };
	struct drill_score neg[] = { { "a", -1, 5 } };
	struct drill_score nomax[] = { { "a", 0, 0 } };
	struct drill_score big[] = { { "a", 0, 2000000000 },
				     { "b", 0, 2000000000 } };
	int sum = -7, max = -7;

	(void)state;
	assert_int_equal(drill_score_total(over, 2, &sum, &max), ERMS_EINVAL);
	assert_int_equal(drill_score_total(neg, 1, &sum, &max), ERMS_EINVAL);
	assert_int_equal(drill_score_total(nomax, 1, &sum, &max),
			 ERMS_EINVAL);
	assert_int_equal(drill_score_total(big, 2, &sum, &max), ERMS_EINVAL);
	assert_int_equal(drill_score_total(over, 0, &sum, &max), ERMS_EINVAL);
	assert_int_equal(drill_score_total(NULL, 1, &sum, &max),
			 ERMS_EINVAL);
	assert_int_equal(sum, -7);
	assert_int_equal(max, -7);
}

/* ---- compliance ---- */

static const struct drill_status_line *
find_line(const struct drill_status_line *l, int n, const char *cat,
	  int kind)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(l[i].category, cat) && l[i].kind == kind)
			return &l[i];
	return NULL;
}

static void test_compliance_sample_plan(void **state)
{
	const struct drill_rule rules[] = {
		{ "*", 1, DRILL_KIND_ANY },
		{ "system-failure", 1, DK_LIVE },
	};
	const struct drill_done done[] = {
		/* This year: one tabletop of system-failure. */
		{ "system-failure", DK_TABLETOP, JUNE },
		/* Last year, up to its very last ms: none count. */
		{ "system-failure", DK_LIVE, Y2025 + 100 * DAY_MS },
		{ "network-attack", DK_LIVE, Y2026 - 1 },
		{ "data-leak", DK_TABLETOP, Y2025 },
		/* Next year from its first ms: does not count either. */
		{ "hardware-failure", DK_LIVE, Y2027 },
	};
	struct drill_status_line out[DRILL_LINES_MAX(7)];
	const struct drill_status_line *l;
	int n;

	(void)state;
	n = drill_compliance(rules, 2, seven, 7, done, 5, 2026, out,
			     DRILL_LINES_MAX(7));
	assert_int_equal(n, 8);

	/* Order: category by category, "any" before its kind lines. */
	assert_string_equal(out[0].category, "system-failure");
	assert_int_equal(out[0].kind, DRILL_KIND_ANY);
	assert_int_equal(out[0].required, 1);
	assert_int_equal(out[0].done, 1);
	assert_false(out[0].overdue);

	assert_string_equal(out[1].category, "system-failure");
	assert_int_equal(out[1].kind, DK_LIVE);
	assert_int_equal(out[1].required, 1);
	assert_int_equal(out[1].done, 0);
	assert_true(out[1].overdue);

	for (int i = 1; i < 7; i++) {
		assert_string_equal(out[i + 1].category, seven[i]);
		assert_int_equal(out[i + 1].kind, DRILL_KIND_ANY);
		assert_int_equal(out[i + 1].required, 1);
		assert_int_equal(out[i + 1].done, 0);
		assert_true(out[i + 1].overdue);
	}

	/* The same drills in 2025: the last-ms network-attack counts. */
	n = drill_compliance(rules, 2, seven, 7, done, 5, 2025, out,
			     DRILL_LINES_MAX(7));
	assert_int_equal(n, 8);
	l = find_line(out, n, "system-failure", DK_LIVE);
	assert_non_null(l);
	assert_int_equal(l->done, 1);
	assert_false(l->overdue);
	l = find_line(out, n, "system-failure", DRILL_KIND_ANY);
	assert_int_equal(l->done, 1);
	l = find_line(out, n, "network-attack", DRILL_KIND_ANY);
	assert_int_equal(l->done, 1);
	assert_false(l->overdue);
	l = find_line(out, n, "data-leak", DRILL_KIND_ANY);
	assert_int_equal(l->done, 1);
	l = find_line(out, n, "hardware-failure", DRILL_KIND_ANY);
	assert_int_equal(l->done, 0);
	assert_true(l->overdue);

	/* And in 2027 the first-ms drill counts. */
	n = drill_compliance(rules, 2, seven, 7, done, 5, 2027, out,
			     DRILL_LINES_MAX(7));
	l = find_line(out, n, "hardware-failure", DRILL_KIND_ANY);
	assert_int_equal(l->done, 1);
	l = find_line(out, n, "system-failure", DRILL_KIND_ANY);
	assert_int_equal(l->done, 0);
}

static void test_compliance_live_counts_for_both(void **state)
{
	const struct drill_rule rules[] = {
		{ "*", 1, DRILL_KIND_ANY },
		{ "system-failure", 1, DK_LIVE },
	};
	const struct drill_done done[] = {
		{ "system-failure", DK_LIVE, Y2026 },
	};
	struct drill_status_line out[2];

	(void)state;
	assert_int_equal(drill_compliance(rules, 2, seven, 1, done, 1, 2026,
					  out, 2), 2);
	assert_int_equal(out[0].done, 1);
	assert_false(out[0].overdue);
	assert_int_equal(out[1].done, 1);
	assert_false(out[1].overdue);
}

static void test_compliance_strictest(void **state)
{
	const struct drill_rule rules[] = {
		{ "*", 1, DRILL_KIND_ANY },
		{ "data-leak", 3, DRILL_KIND_ANY },
		{ "data-leak", 1, DK_TABLETOP },
		{ "*", 2, DK_TABLETOP },
		{ "no-such-category", 5, DK_LIVE },
	};
	const char *const cats[] = { "data-leak", "operator-error",
				     "data-leak" };
	const struct drill_done done[] = {
		{ "data-leak", DK_TABLETOP, Y2026 },
		{ "data-leak", DK_LIVE, JUNE },
		{ "data-leak", DK_TABLETOP, Y2027 - 1 },
	};
	struct drill_status_line out[DRILL_LINES_MAX(3)];
	int n;

	(void)state;
	n = drill_compliance(rules, 5, cats, 3, done, 3, 2026, out,
			     DRILL_LINES_MAX(3));
	assert_int_equal(n, 4);	/* the repeated data-leak reported once */
	assert_string_equal(out[0].category, "data-leak");
	assert_int_equal(out[0].kind, DRILL_KIND_ANY);
	assert_int_equal(out[0].required, 3);
	assert_int_equal(out[0].done, 3);
	assert_false(out[0].overdue);
	assert_int_equal(out[1].kind, DK_TABLETOP);
	assert_int_equal(out[1].required, 2);
	assert_int_equal(out[1].done, 2);
	assert_false(out[1].overdue);
	assert_string_equal(out[2].category, "operator-error");
	assert_int_equal(out[2].kind, DRILL_KIND_ANY);
	assert_int_equal(out[2].required, 1);
	assert_true(out[2].overdue);
	assert_int_equal(out[3].kind, DK_TABLETOP);
	assert_int_equal(out[3].required, 2);
	assert_true(out[3].overdue);
}

static void test_compliance_edges(void **state)
{
	const struct drill_rule rules[] = { { "*", 1, DRILL_KIND_ANY } };
	struct drill_rule bad = { "*", 0, DRILL_KIND_ANY };
	const char *const with_null[] = { "data-leak", NULL };
	struct drill_status_line out[8];

	(void)state;
	/* No rules, no categories: nothing to report. */
	assert_int_equal(drill_compliance(NULL, 0, seven, 7, NULL, 0, 2026,
					  out, 8), 0);
	assert_int_equal(drill_compliance(rules, 1, NULL, 0, NULL, 0, 2026,
					  NULL, 0), 0);
	/* Too small an out: the first lines are there. */
	assert_int_equal(drill_compliance(rules, 1, seven, 7, NULL, 0, 2026,
					  out, 3), ERMS_ETOOBIG);
	assert_string_equal(out[2].category, seven[2]);

	assert_int_equal(drill_compliance(&bad, 1, seven, 7, NULL, 0, 2026,
					  out, 8), ERMS_EINVAL);
	bad.per_year = 1;
	bad.kind = DK__COUNT;
	assert_int_equal(drill_compliance(&bad, 1, seven, 7, NULL, 0, 2026,
					  out, 8), ERMS_EINVAL);
	bad.kind = DK_LIVE;
	bad.category[0] = '\0';
	assert_int_equal(drill_compliance(&bad, 1, seven, 7, NULL, 0, 2026,
					  out, 8), ERMS_EINVAL);
	assert_int_equal(drill_compliance(rules, 1, with_null, 2, NULL, 0,
					  2026, out, 8), ERMS_EINVAL);
	assert_int_equal(drill_compliance(rules, -1, seven, 7, NULL, 0,
					  2026, out, 8), ERMS_EINVAL);
	assert_int_equal(drill_compliance(rules, 1, seven, 7, NULL, 0, 0,
					  out, 8), ERMS_EINVAL);
	assert_int_equal(drill_compliance(rules, 1, seven, 7, NULL, 0,
					  10000, out, 8), ERMS_EINVAL);
}

/* ---- years ---- */

static void test_years(void **state)
{
	(void)state;
	assert_int_equal(drill_year_of(Y2026), 2026);
	assert_int_equal(drill_year_of(Y2026 - 1), 2025);
	assert_int_equal(drill_year_of(Y2027 - 1), 2026);
	assert_int_equal(drill_year_of(JUNE), 2026);
	assert_int_equal(drill_year_of(0), 1970);
	assert_int_equal(drill_year_of(-1), 1969);
	/* 2024 is a leap year: Dec 31 is day 366. */
	assert_int_equal(drill_year_of(Y2024 + 365 * DAY_MS), 2024);
	assert_int_equal(drill_year_of(Y2025 - 1), 2024);
	assert_int_equal(drill_year_of(INT64_C(-62135596800000)), 1);
	assert_int_equal(drill_year_of(INT64_C(253402300799999)), 9999);

	assert_true(drill_year_end_ms(2026) == Y2027);
	assert_true(drill_year_end_ms(2025) == Y2026);
	assert_true(drill_year_end_ms(2024) == Y2025);
	assert_true(drill_year_end_ms(2023) == Y2024);
	assert_true(drill_year_end_ms(1969) == 0);
	assert_true(drill_year_end_ms(9999) == INT64_C(253402300800000));
	assert_true(drill_year_end_ms(0) == INT64_C(-62135596800000));
	/* Outside the contract: clamped, no overflow. */
	assert_true(drill_year_end_ms(2000000000) == drill_year_end_ms(9999));
	(void)drill_warn_due(INT64_MAX, 30);
	(void)drill_warn_due(INT64_MIN, 30);
}

static void test_warn_window(void **state)
{
	/* 2026-12-02T00:00:00Z: 30 days before 2027. */
	const int64_t w30 = Y2027 - 30 * DAY_MS;

	(void)state;
	assert_false(drill_warn_due(w30 - 1, 30));
	assert_true(drill_warn_due(w30, 30));
	assert_true(drill_warn_due(Y2027 - 1, 30));
	assert_false(drill_warn_due(Y2027, 30));	/* a new year */
	assert_false(drill_warn_due(JUNE, 30));
	assert_true(drill_warn_due(Y2027 - 1, 1));
	assert_false(drill_warn_due(Y2027 - DAY_MS - 1, 1));
	assert_false(drill_warn_due(Y2027 - 1, 0));
	assert_false(drill_warn_due(Y2027 - 1, -5));
	assert_true(drill_warn_due(Y2026, 365));	/* all of 2026 */
	assert_false(drill_warn_due(Y2024, 365));	/* 2024 has 366 */
	assert_true(drill_warn_due(Y2024, 366));
	assert_true(drill_warn_due(Y2026, 1000));
}

/* ---- iCalendar ---- */

/* A long Chinese title: its SUMMARY line must fold inside it. */
static const char long_title[] =
	"核心业务系统数据库主库宕机应急切换实战演练（第一梯队，含异地灾备中心"
	"接管与业务验证）";

static int count(const char *s, const char *what)
{
	int n = 0;

	for (s = strstr(s, what); s; s = strstr(s + 1, what))
		n++;
	return n;
}

/* Every line ends in CRLF, has at most 75 octets, and no physical line
 * starts or ends inside a UTF-8 character. */
static void check_lines(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		const char *eol = strstr(s + i, "\r\n");
		size_t n;

		assert_non_null(eol);
		n = (size_t)(eol - (s + i));
		assert_true(n <= 75);
		assert_null(memchr(s + i, '\n', n));
		assert_null(memchr(s + i, '\r', n));
		if (n > 0) {
			/* Not starting with a continuation byte (after the
			 * folding space, if any). */
			size_t first = s[i] == ' ' ? i + 1 : i;

			if (first < i + n)
				assert_true(((unsigned char)s[first] & 0xc0) !=
					    0x80);
			/* Not ending in a lead byte or inside a character:
			 * the next line starts with a non-continuation
			 * byte, which the next iteration checks; here check
			 * the last character is complete. */
			{
				size_t j = i + n;
				size_t k = j;
				unsigned char c;
				size_t want;

				while (k > i && ((unsigned char)s[k - 1] &
						 0xc0) == 0x80)
					k--;
				assert_true(k > i);
				c = (unsigned char)s[k - 1];
				want = c < 0x80 ? 1 : c < 0xe0 ? 2 :
				       c < 0xf0 ? 3 : 4;
				assert_int_equal(j - (k - 1), want);
			}
		}
		i += n + 2;
	}
	assert_int_equal(i, len);
}

/* The value of the first property `name` with folding undone, into a
 * malloc'd string. */
static char *unfolded(const char *s, const char *name)
{
	char key[64];
	const char *p;
	char *v = malloc(strlen(s) + 1);
	size_t n = 0;

	assert_non_null(v);
	snprintf(key, sizeof(key), "\r\n%s:", name);
	p = strstr(s, key);
	assert_non_null(p);
	p += strlen(key);
	for (;;) {
		if (p[0] == '\r' && p[1] == '\n') {
			if (p[2] != ' ')
				break;
			p += 3;
			continue;
		}
		v[n++] = *p++;
	}
	v[n] = '\0';
	return v;
}

static void test_ics(void **state)
{
	const struct drill_event ev[] = {
		{ 7, long_title, "system-failure", DK_LIVE, JUNE, 90,
		  "北京, 主数据中心; B1\n指挥室" },
		{ 8, "网络攻击桌面推演", "network-attack", DK_TABLETOP,
		  JUNE + 30 * DAY_MS, 0, NULL },
	};
	struct buf b = BUF_INIT;
	const char *s, *env;
	char *v, want[512];

	(void)state;
	assert_int_equal(drill_ics(&b, "演练计划 2026", ev, 2,
				   Y2026 + 5 * DAY_MS), 0);
	s = buf_str(&b);
	check_lines(s, b.len);

	assert_int_equal(strncmp(s, "BEGIN:VCALENDAR\r\n", 17), 0);
	assert_true(b.len >= 15);
	assert_string_equal(s + b.len - 15, "END:VCALENDAR\r\n");
	assert_non_null(strstr(s, "\r\nPRODID:-//erms//drills//EN\r\n"));
	assert_non_null(strstr(s, "\r\nVERSION:2.0\r\n"));
	assert_int_equal(count(s, "BEGIN:VCALENDAR"), 1);
	assert_int_equal(count(s, "END:VCALENDAR"), 1);
	assert_int_equal(count(s, "BEGIN:VEVENT"), 2);
	assert_int_equal(count(s, "END:VEVENT"), 2);

	assert_non_null(strstr(s, "\r\nUID:drill-7@erms\r\n"));
	assert_non_null(strstr(s, "\r\nUID:drill-8@erms\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTAMP:20260106T000000Z\r\n"));
	assert_non_null(strstr(s, "\r\nDTSTART:20260615T093000Z\r\n"));
	assert_non_null(strstr(s, "\r\nDTEND:20260615T110000Z\r\n"));
	/* minutes 0 reads as 1. */
	assert_non_null(strstr(s, "\r\nDTSTART:20260715T093000Z\r\n"));
	assert_non_null(strstr(s, "\r\nDTEND:20260715T093100Z\r\n"));
	assert_non_null(strstr(s, "\r\nCATEGORIES:system-failure,live\r\n"));
	assert_non_null(strstr(s,
			       "\r\nCATEGORIES:network-attack,tabletop\r\n"));
	assert_int_equal(count(s, "LOCATION:"), 1);

	/* The long title folds, and unfolds to the title. */
	v = unfolded(s, "SUMMARY");
	snprintf(want, sizeof(want), "演练 / Drill: %s", long_title);
	/* The title's full-width comma is not ',' and is not escaped. */
	assert_string_equal(v, want);
	free(v);
	assert_null(strstr(s, "\r\nSUMMARY:演练 / Drill: 核心业务系统数据库"
			      "主库宕机应急切换实战演练（第一梯队，含异地"
			      "灾备中心接管与业务验证）\r\n"));

	v = unfolded(s, "LOCATION");
	assert_string_equal(v, "北京\\, 主数据中心\\; B1\\n指挥室");
	free(v);
	v = unfolded(s, "X-WR-CALNAME");
	assert_string_equal(v, "演练计划 2026");
	free(v);

	env = getenv("ERMS_TEST_ICS_OUT");
	if (env && *env) {
		FILE *f = fopen(env, "wb");

		assert_non_null(f);
		assert_int_equal(fwrite(s, 1, b.len, f), b.len);
		assert_int_equal(fclose(f), 0);
	}
	buf_release(&b);
}

static void test_ics_escapes_and_empty(void **state)
{
	const struct drill_event ev = {
		-3, "a\\b;c,d\r\ne\rf\x01g", "x,y", DK_TABLETOP, Y2026, 60, "",
	};
	struct buf b = BUF_INIT;
	const char *s;
	char *v;

	(void)state;
	assert_int_equal(drill_ics(&b, NULL, &ev, 1, Y2026), 0);
	s = buf_str(&b);
	check_lines(s, b.len);
	v = unfolded(s, "SUMMARY");
	assert_string_equal(v, "演练 / Drill: a\\\\b\\;c\\,d\\ne\\nfg");
	free(v);
	assert_non_null(strstr(s, "\r\nUID:drill--3@erms\r\n"));
	assert_non_null(strstr(s, "\r\nCATEGORIES:x\\,y,tabletop\r\n"));
	assert_non_null(strstr(s, "\r\nX-WR-CALNAME:\r\n"));
	assert_null(strstr(s, "LOCATION"));
	buf_release(&b);

	assert_int_equal(drill_ics(&b, "empty", NULL, 0, Y2026), 0);
	s = buf_str(&b);
	check_lines(s, b.len);
	assert_int_equal(count(s, "BEGIN:VEVENT"), 0);
	assert_int_equal(count(s, "END:VCALENDAR"), 1);
	buf_release(&b);
}

static void test_ics_too_big(void **state)
{
	const struct drill_event ev = {
		1, long_title, "system-failure", DK_LIVE, JUNE, 60, NULL,
	};
	struct buf b;

	(void)state;
	buf_init(&b, 300);
	assert_int_equal(buf_adds(&b, "keep"), 0);
	assert_int_equal(drill_ics(&b, "x", &ev, 1, JUNE), ERMS_ETOOBIG);
	assert_int_equal(b.len, 4);
	assert_string_equal(buf_str(&b), "keep");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_status_and_step),
		cmocka_unit_test(test_incident_rules),
		cmocka_unit_test(test_out_of_range_is_conflict),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_scores_valid),
		cmocka_unit_test(test_scores_invalid),
		cmocka_unit_test(test_compliance_sample_plan),
		cmocka_unit_test(test_compliance_live_counts_for_both),
		cmocka_unit_test(test_compliance_strictest),
		cmocka_unit_test(test_compliance_edges),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_warn_window),
		cmocka_unit_test(test_ics),
		cmocka_unit_test(test_ics_escapes_and_empty),
		cmocka_unit_test(test_ics_too_big),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
