/*
 * test-duty.c - rotations, overrides and the iCalendar feed.
 *
 * Set ERMS_TEST_ICS_OUT to a path to keep the calendar of the one-week
 * test there (tests/unit/check_ics.py parses it with python3-icalendar
 * and must count 7 events).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/duty.h"
#include "util/buf.h"
#include "util/err.h"

#define MIN_MS INT64_C(60000)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)

/* 2026-11-28T08:00:00Z */
static const int64_t S = INT64_C(1795852800000);

/* A long Chinese name: its SUMMARY line must fold inside the name. */
static const char long_name[] =
	"北京市应急管理局网络安全事件应急响应领导小组办公室值班表（第一梯队）";

static struct rotation two_members(void)
{
	struct rotation r = { .id = 1, .start_ms = S, .shift_minutes = 12 * 60,
			      .n = 2, .members = { 11, 22 } };
	return r;
}

static void test_handover(void **state)
{
	struct rotation r = two_members();

	(void)state;
	assert_int_equal(duty_on_call(&r, NULL, 0, S - 1), 0);
	assert_int_equal(duty_on_call(&r, NULL, 0, S), 11);
	assert_int_equal(duty_on_call(&r, NULL, 0, S + 12 * HOUR_MS - 1), 11);
	assert_int_equal(duty_on_call(&r, NULL, 0, S + 12 * HOUR_MS), 22);
	assert_int_equal(duty_on_call(&r, NULL, 0, S + DAY_MS - 1), 22);
	assert_int_equal(duty_on_call(&r, NULL, 0, S + DAY_MS), 11);
	assert_int_equal(duty_on_call(&r, NULL, 0, S + 365 * DAY_MS + 1), 11);
}

static void test_before_start_and_empty(void **state)
{
	struct rotation r = two_members();
	struct duty_override ov = { 77, S - 5 * HOUR_MS, S - HOUR_MS };

	(void)state;
	assert_int_equal(duty_on_call(&r, NULL, 0, S - 12 * HOUR_MS), 0);
	assert_int_equal(duty_on_call(&r, NULL, 0, INT64_C(0)), 0);
	/* An override counts before the rotation starts. */
	assert_int_equal(duty_on_call(&r, &ov, 1, S - 2 * HOUR_MS), 77);
	assert_int_equal(duty_on_call(&r, &ov, 1, S - HOUR_MS), 0);
	r.n = 0;
	assert_int_equal(duty_on_call(&r, NULL, 0, S + HOUR_MS), 0);
	assert_int_equal(duty_on_call(&r, &ov, 1, S - 2 * HOUR_MS), 77);
}

static void test_one_member(void **state)
{
	struct rotation r = { .id = 2, .start_ms = S, .shift_minutes = 1440,
			      .n = 1, .members = { 5 } };

	(void)state;
	assert_int_equal(duty_on_call(&r, NULL, 0, S), 5);
	assert_int_equal(duty_on_call(&r, NULL, 0, S + DAY_MS), 5);
	assert_int_equal(duty_on_call(&r, NULL, 0, S + 1000 * DAY_MS + 7), 5);
	assert_int_equal(duty_on_call(&r, NULL, 0, S - 1), 0);
	assert_int_equal(duty_next_handover(&r, S + 3), S + DAY_MS);
}

static void test_negative_shift_indexes(void **state)
{
	struct rotation r = two_members();
	struct rotation odd = { .id = 3, .start_ms = -10 * MIN_MS,
				.shift_minutes = 7, .n = 3,
				.members = { 1, 2, 3 } };
	int64_t s, e;

	(void)state;
	assert_int_equal(duty_shift(&r, S, &s, &e), 0);
	assert_int_equal(s, S);
	assert_int_equal(e, S + 12 * HOUR_MS);
	assert_int_equal(duty_shift(&r, S - 1, &s, &e), -1);
	assert_int_equal(s, S - 12 * HOUR_MS);
	assert_int_equal(e, S);
	assert_int_equal(duty_shift(&r, S - 12 * HOUR_MS, &s, &e), -1);
	assert_int_equal(duty_shift(&r, S - 12 * HOUR_MS - 1, &s, &e), -2);
	assert_int_equal(s, S - DAY_MS);
	assert_int_equal(e, S - 12 * HOUR_MS);
	assert_int_equal(duty_shift(&r, S + 12 * HOUR_MS - 1, NULL, NULL), 0);

	/* Negative times across the epoch: 7-minute shifts from -10 min. */
	assert_int_equal(duty_shift(&odd, -1, &s, &e), 1);
	assert_int_equal(s, -3 * MIN_MS);
	assert_int_equal(e, 4 * MIN_MS);
	assert_int_equal(duty_shift(&odd, -10 * MIN_MS - 1, &s, &e), -1);
	assert_int_equal(s, -17 * MIN_MS);
	assert_int_equal(duty_shift(&odd, -25 * MIN_MS, &s, &e), -3);
	assert_int_equal(s, -31 * MIN_MS);
	assert_true(s <= -25 * MIN_MS && -25 * MIN_MS < e);
	assert_int_equal(duty_on_call(&odd, NULL, 0, -1), 2);
	assert_int_equal(duty_on_call(&odd, NULL, 0, 4 * MIN_MS), 3);
	assert_int_equal(duty_on_call(&odd, NULL, 0, 11 * MIN_MS), 1);
}

static void test_override_wins(void **state)
{
	struct rotation r = two_members();
	struct duty_override ov[] = {
		{ 33, S + 2 * HOUR_MS, S + 4 * HOUR_MS },
		{ 99, S + 5 * HOUR_MS, S + 5 * HOUR_MS },	/* empty */
	};

	(void)state;
	assert_int_equal(duty_on_call(&r, ov, 2, S + 2 * HOUR_MS - 1), 11);
	assert_int_equal(duty_on_call(&r, ov, 2, S + 2 * HOUR_MS), 33);
	assert_int_equal(duty_on_call(&r, ov, 2, S + 4 * HOUR_MS - 1), 33);
	assert_int_equal(duty_on_call(&r, ov, 2, S + 4 * HOUR_MS), 11);
	assert_int_equal(duty_on_call(&r, ov, 2, S + 5 * HOUR_MS), 11);
}

static void test_latest_override_wins(void **state)
{
	struct rotation r = two_members();
	struct duty_override a[] = {
		{ 44, S, S + 10 * HOUR_MS },
		{ 55, S + 2 * HOUR_MS, S + 3 * HOUR_MS },
	};
	struct duty_override b[] = { a[1], a[0] };
	struct duty_override tie[] = {
		{ 66, S + 2 * HOUR_MS, S + 5 * HOUR_MS },
		{ 77, S + 2 * HOUR_MS, S + 4 * HOUR_MS },
	};

	(void)state;
	/* The latest-starting one wins, whatever the order. */
	assert_int_equal(duty_on_call(&r, a, 2, S + HOUR_MS), 44);
	assert_int_equal(duty_on_call(&r, a, 2, S + 150 * MIN_MS), 55);
	assert_int_equal(duty_on_call(&r, a, 2, S + 3 * HOUR_MS), 44);
	assert_int_equal(duty_on_call(&r, b, 2, S + HOUR_MS), 44);
	assert_int_equal(duty_on_call(&r, b, 2, S + 150 * MIN_MS), 55);
	assert_int_equal(duty_on_call(&r, b, 2, S + 10 * HOUR_MS), 11);
	/* On a tie, the later in the array. */
	assert_int_equal(duty_on_call(&r, tie, 2, S + 3 * HOUR_MS), 77);
	assert_int_equal(duty_on_call(&r, tie, 2, S + 270 * MIN_MS), 66);
}

static void test_next_handover(void **state)
{
	struct rotation r = two_members();

	(void)state;
	assert_int_equal(duty_next_handover(&r, S), S + 12 * HOUR_MS);
	assert_int_equal(duty_next_handover(&r, S + 12 * HOUR_MS - 1),
			 S + 12 * HOUR_MS);
	assert_int_equal(duty_next_handover(&r, S + 12 * HOUR_MS), S + DAY_MS);
	assert_int_equal(duty_next_handover(&r, S - 1), S);
	assert_int_equal(duty_next_handover(&r, S - 100 * HOUR_MS), S);
}

static void test_rotation_valid(void **state)
{
	struct rotation r = two_members();

	(void)state;
	assert_true(duty_rotation_valid(&r));
	r.shift_minutes = 0;
	assert_false(duty_rotation_valid(&r));
	r = two_members();
	r.n = DUTY_MEMBERS_MAX + 1;
	assert_false(duty_rotation_valid(&r));
	r = two_members();
	r.members[1] = 0;
	assert_false(duty_rotation_valid(&r));
	r = two_members();
	r.n = 0;
	assert_true(duty_rotation_valid(&r));
	/* Defensive reading of a bad rotation: 0 minutes is 1 minute. */
	r = two_members();
	r.shift_minutes = 0;
	assert_int_equal(duty_next_handover(&r, S), S + MIN_MS);
}

/* ---- iCalendar checks ---- */

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (s = strstr(s, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

/* Whether [p, p + n) is valid UTF-8 on its own. */
static int utf8_valid(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t len = p[i] < 0x80 ? 1 : (p[i] & 0xe0) == 0xc0 ? 2 :
			     (p[i] & 0xf0) == 0xe0 ? 3 :
			     (p[i] & 0xf8) == 0xf0 ? 4 : 0;

		if (!len || i + len > n)
			return 0;
		for (size_t j = 1; j < len; j++)
			if ((p[i + j] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

/*
 * The physical form: CRLF and nothing else ends a line, no line passes
 * 75 octets, every line is valid UTF-8 by itself (so no fold split a
 * character).
 */
static void check_physical(const char *s)
{
	const char *line = s;

	assert_true(strlen(s) > 2);
	assert_string_equal(s + strlen(s) - 2, "\r\n");
	while (*line) {
		const char *cr = strstr(line, "\r\n");
		size_t n;

		assert_non_null(cr);
		n = (size_t)(cr - line);
		assert_null(memchr(line, '\n', n));
		assert_null(memchr(line, '\r', n));
		assert_true(n <= 75);
		assert_true(n > 0);
		assert_true(utf8_valid((const unsigned char *)line, n));
		line = cr + 2;
	}
}

/* The logical text: folds removed, lines still ending in CRLF. */
static char *unfold(const char *s)
{
	char *u = malloc(strlen(s) + 1);
	char *w = u;

	assert_non_null(u);
	while (*s) {
		if (s[0] == '\r' && s[1] == '\n' && s[2] == ' ') {
			s += 3;
			continue;
		}
		*w++ = *s++;
	}
	*w = '\0';
	return u;
}

/* BEGIN and END nest, VCALENDAR outermost, and every line is NAME:... */
static void check_structure(const char *u)
{
	char stack[8][32];
	int depth = 0, lines = 0;
	const char *line = u;

	while (*line) {
		const char *cr = strstr(line, "\r\n");
		size_t n = (size_t)(cr - line);
		char l[4096];

		assert_true(n < sizeof(l));
		memcpy(l, line, n);
		l[n] = '\0';
		assert_non_null(strchr(l, ':'));
		if (!strncmp(l, "BEGIN:", 6)) {
			assert_true(depth < 8);
			assert_true(depth > 0 || !strcmp(l + 6, "VCALENDAR"));
			assert_true(strlen(l + 6) < sizeof(stack[0]));
			memcpy(stack[depth++], l + 6, strlen(l + 6) + 1);
		} else if (!strncmp(l, "END:", 4)) {
			assert_true(depth > 0);
			assert_string_equal(stack[--depth], l + 4);
		} else {
			assert_true(depth > 0);
		}
		lines++;
		line = cr + 2;
		if (depth == 0)
			assert_int_equal(*line, '\0');
	}
	assert_int_equal(depth, 0);
	assert_true(lines >= 7);
}

/* Every DTSTART/DTEND/DTSTAMP value is yyyymmddThhmmssZ. */
static void check_dates(const char *u)
{
	static const char *const names[] = { "\r\nDTSTART:", "\r\nDTEND:",
					     "\r\nDTSTAMP:" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *p = u;

		while ((p = strstr(p, names[i]))) {
			p += strlen(names[i]);
			for (int j = 0; j < 15; j++)
				if (j == 8)
					assert_int_equal(p[j], 'T');
				else
					assert_true(p[j] >= '0' && p[j] <= '9');
			assert_int_equal(p[15], 'Z');
			assert_memory_equal(p + 16, "\r\n", 2);
		}
	}
}

/* Runs every check and returns the unfolded text (free it). */
static char *check_ics(const struct buf *b)
{
	char *u;

	check_physical(buf_str(b));
	u = unfold(buf_str(b));
	check_structure(u);
	check_dates(u);
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"),
			 count(u, "END:VEVENT\r\n"));
	return u;
}

static int ics(struct buf *b, int64_t user, const struct rotation *r,
	       const char *name, const char *group,
	       const struct duty_override *ov, int nov, int64_t from,
	       int64_t to)
{
	const char *const names[] = { name };
	const char *const groups[] = { group };
	const struct duty_override *const ovs[] = { ov };
	const int novs[] = { nov };

	return duty_ics(b, "值班", user, r, names, groups, 1, ovs, novs,
			from, to, S - DAY_MS);
}

static void write_out(const struct buf *b)
{
	const char *path = getenv("ERMS_TEST_ICS_OUT");
	FILE *f;

	if (!path || !*path)
		return;
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

static void test_ics_week(void **state)
{
	struct rotation r = two_members();
	struct buf b = BUF_INIT;
	char want[512];
	char *u;

	(void)state;
	assert_int_equal(duty_ics(&b, "张三的值班, 测试; a\\b\nline2", 11, &r,
				  (const char *const[]){ long_name },
				  (const char *const[]){ "cmd-center" }, 1,
				  NULL, NULL, S, S + 7 * DAY_MS, S - DAY_MS),
			 0);
	u = check_ics(&b);
	assert_int_equal(strncmp(u, "BEGIN:VCALENDAR\r\n", 17), 0);
	assert_non_null(strstr(u, "\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(u, "\r\nPRODID:-//erms//duty//EN\r\n"));
	assert_non_null(strstr(u, "\r\nCALSCALE:GREGORIAN\r\n"));
	assert_non_null(strstr(u, "\r\nMETHOD:PUBLISH\r\n"));
	assert_non_null(strstr(u, "\r\nX-WR-CALNAME:张三的值班\\, 测试\\; "
				  "a\\\\b\\nline2\r\n"));
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), 7);
	assert_non_null(strstr(u, "\r\nUID:1-0@erms\r\n"));
	assert_non_null(strstr(u, "\r\nUID:1-12@erms\r\n"));
	assert_null(strstr(u, "\r\nUID:1-1@erms\r\n"));
	assert_null(strstr(u, "\r\nUID:1-14@erms\r\n"));
	assert_non_null(strstr(u, "\r\nUID:1-0@erms\r\n"
				  "DTSTAMP:20261127T080000Z\r\n"
				  "DTSTART:20261128T080000Z\r\n"
				  "DTEND:20261128T200000Z\r\n"));
	assert_non_null(strstr(u, "\r\nDTSTART:20261204T080000Z\r\n"));
	snprintf(want, sizeof(want),
		 "\r\nSUMMARY:值班 / On duty: cmd-center (%s)\r\n", long_name);
	assert_int_equal(count(u, want), 7);
	/* The SUMMARY really was folded (the name alone is > 75 octets). */
	assert_null(strstr(buf_str(&b), want));
	write_out(&b);
	free(u);

	buf_reset(&b);
	assert_int_equal(ics(&b, 22, &r, long_name, "cmd-center", NULL, 0, S,
			     S + 7 * DAY_MS), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), 7);
	assert_non_null(strstr(u, "\r\nUID:1-1@erms\r\n"));
	assert_non_null(strstr(u, "\r\nDTSTART:20261128T200000Z\r\n"
				  "DTEND:20261129T080000Z\r\n"));
	free(u);

	/* Not on this rotation: an empty but complete calendar. */
	buf_reset(&b);
	assert_int_equal(ics(&b, 99, &r, long_name, "g", NULL, 0, S,
			     S + 7 * DAY_MS), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "VEVENT"), 0);
	assert_non_null(strstr(u, "\r\nEND:VCALENDAR\r\n"));
	free(u);
	buf_release(&b);
}

/* Fold at every offset: the group key's length shifts the name's bytes. */
static void test_ics_folds_never_split_utf8(void **state)
{
	struct rotation r = two_members();
	struct buf b = BUF_INIT;
	char group[16], want[512];

	(void)state;
	for (int pad = 0; pad < 6; pad++) {
		char *u;

		memset(group, 'g', (size_t)pad);
		group[pad] = '\0';
		buf_reset(&b);
		assert_int_equal(ics(&b, 11, &r, long_name, group, NULL, 0, S,
				     S + DAY_MS), 0);
		u = check_ics(&b);
		snprintf(want, sizeof(want),
			 "\r\nSUMMARY:值班 / On duty: %s (%s)\r\n", group,
			 long_name);
		assert_int_equal(count(u, want), 1);
		free(u);
	}
	buf_release(&b);
}

static void test_ics_window(void **state)
{
	struct rotation r = two_members();
	struct buf b = BUF_INIT;
	char *u;

	(void)state;
	/* Shifts overlapping the window are written whole. */
	assert_int_equal(ics(&b, 11, &r, "n", "g", NULL, 0, S + 6 * HOUR_MS,
			     S + 7 * DAY_MS + 6 * HOUR_MS), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), 8);
	assert_non_null(strstr(u, "\r\nDTSTART:20261128T080000Z\r\n"));
	assert_non_null(strstr(u, "\r\nDTSTART:20261205T080000Z\r\n"));
	free(u);

	/* Before the start, nobody's shifts. */
	buf_reset(&b);
	assert_int_equal(ics(&b, 11, &r, "n", "g", NULL, 0, S - 7 * DAY_MS, S),
			 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "VEVENT"), 0);
	free(u);

	/* An empty or inverted window. */
	buf_reset(&b);
	assert_int_equal(ics(&b, 11, &r, "n", "g", NULL, 0, S + DAY_MS, S), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "VEVENT"), 0);
	free(u);
	buf_release(&b);
}

static void test_ics_overrides(void **state)
{
	struct rotation r = two_members();
	struct duty_override ov[] = {
		/* 22 takes all of 11's shift 0. */
		{ 22, S, S + 12 * HOUR_MS },
		/* 33 takes two hours in the middle of 11's shift 2. */
		{ 33, S + 26 * HOUR_MS, S + 28 * HOUR_MS },
		/* 11 covers two hours of 22's shift 1. */
		{ 11, S + 18 * HOUR_MS, S + 20 * HOUR_MS },
		/* 11 covers a night before the rotation starts. */
		{ 11, S - 10 * HOUR_MS, S - 2 * HOUR_MS },
	};
	struct buf b = BUF_INIT;
	char uid[128];
	char *u;

	(void)state;
	assert_int_equal(ics(&b, 11, &r, "n", "g", ov, 4, S - DAY_MS,
			     S + 2 * DAY_MS), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), 4);
	assert_null(strstr(u, "UID:1-0@erms"));
	assert_non_null(strstr(u, "\r\nUID:1-2@erms\r\n"
				  "DTSTAMP:20261127T080000Z\r\n"
				  "DTSTART:20261129T080000Z\r\n"
				  "DTEND:20261129T100000Z\r\n"));
	assert_non_null(strstr(u, "\r\nUID:1-2-2@erms\r\n"
				  "DTSTAMP:20261127T080000Z\r\n"
				  "DTSTART:20261129T120000Z\r\n"
				  "DTEND:20261129T200000Z\r\n"));
	snprintf(uid, sizeof(uid), "\r\nUID:override-1-%lld@erms\r\n"
		 "DTSTAMP:20261127T080000Z\r\n"
		 "DTSTART:20261129T020000Z\r\nDTEND:20261129T040000Z\r\n",
		 (long long)(S + 18 * HOUR_MS));
	assert_non_null(strstr(u, uid));
	snprintf(uid, sizeof(uid), "\r\nUID:override-1-%lld@erms\r\n",
		 (long long)(S - 10 * HOUR_MS));
	assert_non_null(strstr(u, uid));
	free(u);

	/* 22's view: shift 0 comes from the override, shift 1 is cut. */
	buf_reset(&b);
	assert_int_equal(ics(&b, 22, &r, "n", "g", ov, 4, S, S + DAY_MS), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), 3);
	assert_non_null(strstr(u, "\r\nUID:1-1@erms\r\n"
				  "DTSTAMP:20261127T080000Z\r\n"
				  "DTSTART:20261128T200000Z\r\n"
				  "DTEND:20261129T020000Z\r\n"));
	assert_non_null(strstr(u, "\r\nUID:1-1-2@erms\r\n"
				  "DTSTAMP:20261127T080000Z\r\n"
				  "DTSTART:20261129T040000Z\r\n"
				  "DTEND:20261129T080000Z\r\n"));
	snprintf(uid, sizeof(uid), "\r\nUID:override-1-%lld@erms\r\n",
		 (long long)S);
	assert_non_null(strstr(u, uid));
	free(u);
	buf_release(&b);
}

/* A later override of someone else cuts an override of the user. */
static void test_ics_override_cut_by_later_override(void **state)
{
	struct rotation r = two_members();
	struct duty_override ov[] = {
		{ 11, S + 14 * HOUR_MS, S + 24 * HOUR_MS },
		{ 44, S + 16 * HOUR_MS, S + 17 * HOUR_MS },
	};
	struct buf b = BUF_INIT;
	char *u;

	(void)state;
	assert_int_equal(ics(&b, 11, &r, "n", "g", ov, 2, S + 12 * HOUR_MS,
			     S + DAY_MS), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), 2);
	assert_non_null(strstr(u, "DTSTART:20261128T220000Z\r\n"
				  "DTEND:20261129T000000Z\r\n"));
	assert_non_null(strstr(u, "-2@erms\r\nDTSTAMP:20261127T080000Z\r\n"
				  "DTSTART:20261129T010000Z\r\n"
				  "DTEND:20261129T080000Z\r\n"));
	free(u);
	buf_release(&b);
}

/* A year of leave over one-minute shifts is skipped, not walked. */
static void test_ics_long_cover(void **state)
{
	struct rotation r = { .id = 4, .start_ms = S, .shift_minutes = 1,
			      .n = 2, .members = { 11, 22 } };
	struct duty_override ov = { 22, S, S + 365 * DAY_MS };
	struct buf b = BUF_INIT;
	char *u;

	(void)state;
	assert_int_equal(ics(&b, 11, &r, "n", "g", &ov, 1, S,
			     S + 365 * DAY_MS + 4 * MIN_MS), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), 2);
	free(u);
	buf_release(&b);
}

static void test_ics_at_most_1000_events(void **state)
{
	struct rotation r = { .id = 5, .start_ms = S, .shift_minutes = 60,
			      .n = 1, .members = { 11 } };
	struct buf b = BUF_INIT;
	char *u;

	(void)state;
	assert_int_equal(ics(&b, 11, &r, "n", "g", NULL, 0, S,
			     S + 100 * DAY_MS), 0);
	u = check_ics(&b);
	assert_int_equal(count(u, "BEGIN:VEVENT\r\n"), DUTY_ICS_EVENTS_MAX);
	assert_non_null(strstr(u, "\r\nUID:5-999@erms\r\n"));
	assert_null(strstr(u, "\r\nUID:5-1000@erms\r\n"));
	free(u);
	buf_release(&b);
}

static void test_ics_dates(void **state)
{
	/* 2000-02-29T12:34:56Z and 1969-12-31T23:59:59Z. */
	struct rotation leap = { .id = 6, .start_ms = INT64_C(951827696000),
				 .shift_minutes = 1440, .n = 1,
				 .members = { 11 } };
	struct rotation epoch = { .id = 7, .start_ms = -1000,
				  .shift_minutes = 1, .n = 1,
				  .members = { 11 } };
	struct buf b = BUF_INIT;
	char *u;

	(void)state;
	assert_int_equal(ics(&b, 11, &leap, "n", "g", NULL, 0,
			     leap.start_ms, leap.start_ms + 1), 0);
	u = check_ics(&b);
	assert_non_null(strstr(u, "\r\nDTSTART:20000229T123456Z\r\n"
				  "DTEND:20000301T123456Z\r\n"));
	free(u);
	buf_reset(&b);
	assert_int_equal(ics(&b, 11, &epoch, "n", "g", NULL, 0, -1000, 0), 0);
	u = check_ics(&b);
	assert_non_null(strstr(u, "\r\nDTSTART:19691231T235959Z\r\n"
				  "DTEND:19700101T000059Z\r\n"));
	free(u);
	buf_release(&b);
}

static void test_ics_ceiling_leaves_buffer(void **state)
{
	struct rotation r = two_members();
	struct buf b;

	(void)state;
	buf_init(&b, 300);
	assert_int_equal(buf_adds(&b, "x"), 0);
	assert_int_equal(ics(&b, 11, &r, "n", "g", NULL, 0, S, S + 7 * DAY_MS),
			 ERMS_ETOOBIG);
	assert_int_equal(b.len, 1);
	assert_string_equal(buf_str(&b), "x");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handover),
		cmocka_unit_test(test_before_start_and_empty),
		cmocka_unit_test(test_one_member),
		cmocka_unit_test(test_negative_shift_indexes),
		cmocka_unit_test(test_override_wins),
		cmocka_unit_test(test_latest_override_wins),
		cmocka_unit_test(test_next_handover),
		cmocka_unit_test(test_rotation_valid),
		cmocka_unit_test(test_ics_week),
		cmocka_unit_test(test_ics_folds_never_split_utf8),
		cmocka_unit_test(test_ics_window),
		cmocka_unit_test(test_ics_overrides),
		cmocka_unit_test(test_ics_override_cut_by_later_override),
		cmocka_unit_test(test_ics_long_cover),
		cmocka_unit_test(test_ics_at_most_1000_events),
		cmocka_unit_test(test_ics_dates),
		cmocka_unit_test(test_ics_ceiling_leaves_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
