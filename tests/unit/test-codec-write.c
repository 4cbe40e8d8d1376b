/*
 * test-codec-write.c - an incident written straight into a buffer
 * (app/codec-write.c) means exactly what incident_json() (app/codec.c)
 * builds: for varied rows, the written text parses and is json_equal to
 * the tree. Rows cover every status, unicode, control characters,
 * quotes and backslashes, NULL texts, empty and set levels, a review
 * (valid and damaged), breaches, deadlines and times around day, month,
 * year and leap-day edges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/codec-write.h"
#include "app/codec.h"
#include "util/buf.h"

/* The row's two encodings must be equal; prints both if not. */
static void check_row(const struct incident_row *r)
{
	struct buf b = BUF_INIT;
	json_error_t err;
	json_t *want = incident_json(r), *got;

	assert_non_null(want);
	incident_write(&b, r);
	got = json_loads(buf_str(&b), 0, &err);
	if (!got)
		fail_msg("not JSON (%s): %s", err.text, buf_str(&b));
	if (!json_equal(want, got)) {
		char *w = json_dumps(want, JSON_COMPACT);

		fail_msg("differs:\n want %s\n got  %s", w, buf_str(&b));
	}
	json_decref(want);
	json_decref(got);
	buf_release(&b);
}

static const char *const texts[] = {
	"主库宕机，交易中断",
	"plain ascii",
	"quote \" backslash \\ slash / end",
	"control \x01\x02\x1f tab\t nl\n cr\r ff\f bs\b del\x7f",
	"emoji 🚨 and ключ and ä",
	"",
	"\u2028 line separators \u2029",
};

static void fill(struct incident_row *r, int i)
{
	static const int64_t times[] = {
		1769904000000LL,	/* 2026-02-01T00:00:00.000Z */
		1709164799999LL,	/* 2024-02-28T23:59:59.999Z */
		1709251200123LL,	/* 2024-03-01T00:00:00.123Z */
		951782400000LL,		/* 2000-02-29T00:00:00.000Z */
		1735689599999LL,	/* 2024-12-31T23:59:59.999Z */
		86400001LL,		/* 1970-01-02 */
		4102444800000LL,	/* 2100-01-01 */
	};
	size_t nt = sizeof(texts) / sizeof(texts[0]);
	size_t nm = sizeof(times) / sizeof(times[0]);
	struct incident *inc = &r->inc;

	memset(r, 0, sizeof(*r));
	inc->id = 1 + i * 7919;
	inc->state = (enum inc_state)(i % INC__COUNT);
	inc->level = i % 4;
	inc->is_drill = i % 3 == 0;
	inc->detected_ms = times[i % nm] - 60000;
	inc->reported_ms = times[i % nm];
	inc->acked_ms = i % 2 ? times[(i + 1) % nm] : 0;
	inc->activated_ms = i % 3 ? times[(i + 2) % nm] : 0;
	inc->resolved_ms = i % 4 == 1 ? times[(i + 3) % nm] : 0;
	inc->closed_ms = i % 5 == 2 ? times[(i + 4) % nm] : 0;
	inc->reviewed_ms = i % 6 == 3 ? times[(i + 5) % nm] : 0;
	inc->dismissed_ms = i % 7 == 4 ? times[(i + 6) % nm] : 0;
	inc->ack_min = i % 2 ? 5 : 0;
	inc->activate_min = i % 3 ? 15 : 0;
	inc->resolve_min = i % 4 ? 240 : 0;
	inc->breaches = (unsigned)i % 8;
	snprintf(r->number, sizeof(r->number), "INC-2026-%04d", i);
	snprintf(r->category, sizeof(r->category), "%s",
		 i % 2 ? "system-failure" : "网络攻击");
	if (i % 3)
		snprintf(r->level_key, sizeof(r->level_key), "level-%d", i % 4);
	if (i % 4)
		snprintf(r->proposed_level, sizeof(r->proposed_level), "II");
	r->title = i % 9 == 8 ? NULL : (char *)texts[i % nt];
	r->description = i % 5 == 0 ? NULL : (char *)texts[(i + 1) % nt];
	r->impact = (char *)texts[(i + 2) % nt];
	r->summary = i % 2 ? NULL : (char *)texts[(i + 3) % nt];
	r->public_summary = (char *)texts[(i + 4) % nt];
	r->public = i % 2 == 1;
	r->reporter_id = 3 + i;
	r->commander_id = i % 3 ? 7 : 0;
	r->plan_version_id = 11;
	r->updated_ms = times[(i + 1) % nm] + i;
	switch (i % 4) {
	case 0:
		r->review_json = (char *)"{\"causes\":\"原因 \\\"引号\\\"\","
				 "\"actions\":[{\"title\":\"复盘\",\"done\":true}],"
				 "\"n\":1.5,\"none\":null}";
		break;
	case 1:
		r->review_json = (char *)"";
		break;
	case 2:
		r->review_json = (char *)"{not json";
		break;
	default:
		r->review_json = NULL;
		break;
	}
}

static void test_rows_equal(void **state)
{
	struct incident_row r;

	(void)state;
	for (int i = 0; i < 200; i++) {
		fill(&r, i);
		check_row(&r);
	}
}

/* Every status with every target and deadline combination. */
static void test_every_status(void **state)
{
	struct incident_row r;

	(void)state;
	for (int s = 0; s < INC__COUNT; s++) {
		for (int k = 0; k < 8; k++) {
			fill(&r, s + k);
			r.inc.state = (enum inc_state)s;
			r.inc.ack_min = k & 1 ? 5 : 0;
			r.inc.activate_min = k & 2 ? 10 : 0;
			r.inc.resolve_min = k & 4 ? 60 : 0;
			r.inc.activated_ms = k & 4 ? 1769904000000LL : 0;
			check_row(&r);
		}
	}
}

/* Times on each day of a span of years, and before 1970. */
static void test_times(void **state)
{
	struct incident_row r;

	(void)state;
	fill(&r, 1);
	for (int64_t t = 0; t < 60 * 366; t += 7) {
		r.inc.reported_ms = 946684800000LL + t * 86400000LL + t * 999;
		r.updated_ms = -86400000LL * (t % 50) - 1;
		check_row(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_equal),
		cmocka_unit_test(test_every_status),
		cmocka_unit_test(test_times),
	};

	return cmocka_run_group_tests_name("codec-write", tests, NULL, NULL);
}
