/*
 * test-drills.c - the store contract for drills (应急演练): a step is
 * written once, listing by time window, the once-a-year notice.
 */
#include "contract.h"

static int count_drill(void *ctx, const struct drill_row *d)
{
	(void)d;
	++*(int *)ctx;
	return 0;
}

/* A drill step is written once: the row must still have the status it was
 * read with. Listing by window and the once-a-year notice. */
static void test_drills(void **state)
{
	struct fixture *f = *state;
	struct drill_row d = { .minutes = 30, .scheduled_ms = 5000,
			       .created_by = 1, .created_ms = 100 }, got = { 0 };
	int n = 0;

	snprintf(d.title, sizeof(d.title), "演练");
	snprintf(d.kind, sizeof(d.kind), "live");
	snprintf(d.category, sizeof(d.category), "system-failure");
	assert_int_equal(store_drill_insert(f->st, &d), 0);
	assert_true(d.id > 0);
	assert_int_equal(store_drill_get(f->st, d.id, &got), 0);
	assert_string_equal(got.status, "planned");
	assert_string_equal(got.detail, "{}");
	assert_string_equal(got.evaluation, "");
	snprintf(got.status, sizeof(got.status), "cancelled");
	got.updated_ms = 200;
	assert_int_equal(store_drill_update(f->st, &got, "planned"), 0);
	assert_int_equal(store_drill_update(f->st, &got, "planned"),
			 ERMS_ECONFLICT);
	drill_row_release(&got);
	assert_int_equal(store_drill_get(f->st, d.id, &got), 0);
	assert_string_equal(got.status, "cancelled");
	assert_int_equal(got.updated_ms, 200);
	drill_row_release(&got);
	assert_int_equal(store_drill_get(f->st, d.id + 1, &got),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_drill_list(f->st, 0, 5000, count_drill, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_drill_list(f->st, 5000, 5001, count_drill, &n),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_drill_notice(f->st, 2026, 1), 1);
	assert_int_equal(store_drill_notice(f->st, 2026, 2), 0);
	assert_int_equal(store_drill_notice(f->st, 2027, 3), 1);
	assert_int_equal(store_drill_notice_forget(f->st, 2027), 0);
	assert_int_equal(store_drill_notice(f->st, 2027, 4), 1);
	assert_int_equal(store_drill_notice(f->st, 2026, 5), 0);
}

static struct drill_row mk_drill(const char *title, int64_t at)
{
	struct drill_row d = { .minutes = 60, .scheduled_ms = at,
			       .created_by = 1, .created_ms = 10 };

	snprintf(d.title, sizeof(d.title), "%s", title);
	snprintf(d.kind, sizeof(d.kind), "tabletop");
	snprintf(d.category, sizeof(d.category), "fire");
	snprintf(d.level, sizeof(d.level), "II");
	snprintf(d.location, sizeof(d.location), "三楼会议室");
	return d;
}

/* Every field a drill's life writes comes back; the incident it started
 * is kept. */
static void test_drill_fields(void **state)
{
	struct fixture *f = *state;
	int64_t u = add_user(f->st, "lead");
	struct drill_row d = mk_drill("桌面推演", 7000), got = { 0 };
	struct incident_row r;

	d.detail = (char *)"{\"scenario\":\"断电\"}";
	assert_int_equal(store_drill_insert(f->st, &d), 0);
	assert_string_equal(d.status, "planned");
	assert_int_equal(d.updated_ms, 10);
	add_incident(f->st, &r, u, add_version(f->st, "p", u), T2026,
		     "演练事件", "");
	assert_int_equal(store_drill_get(f->st, d.id, &got), 0);
	assert_string_equal(got.title, "桌面推演");
	assert_string_equal(got.kind, "tabletop");
	assert_string_equal(got.category, "fire");
	assert_string_equal(got.level, "II");
	assert_int_equal(got.scheduled_ms, 7000);
	assert_int_equal(got.minutes, 60);
	assert_string_equal(got.location, "三楼会议室");
	assert_string_equal(got.detail, "{\"scenario\":\"断电\"}");
	assert_int_equal(got.incident_id, 0);
	assert_int_equal(got.created_by, 1);
	assert_int_equal(got.created_ms, 10);
	snprintf(got.status, sizeof(got.status), "running");
	snprintf(got.title, sizeof(got.title), "新标题");
	snprintf(got.location, sizeof(got.location), "B1");
	got.scheduled_ms = 7100;
	got.incident_id = r.inc.id;
	got.started_ms = 7200;
	got.updated_ms = 7200;
	assert_int_equal(store_drill_update(f->st, &got, "planned"), 0);
	drill_row_release(&got);
	assert_int_equal(store_drill_get(f->st, d.id, &got), 0);
	assert_string_equal(got.status, "running");
	assert_string_equal(got.title, "新标题");
	assert_string_equal(got.location, "B1");
	assert_int_equal(got.scheduled_ms, 7100);
	assert_int_equal(got.incident_id, r.inc.id);
	assert_int_equal(got.started_ms, 7200);
	snprintf(got.status, sizeof(got.status), "evaluated");
	free(got.evaluation);
	got.evaluation = strdup("{\"score\":4}");
	got.completed_ms = 7300;
	got.evaluated_ms = 7400;
	got.updated_ms = 7400;
	assert_int_equal(store_drill_update(f->st, &got, "running"), 0);
	drill_row_release(&got);
	assert_int_equal(store_drill_get(f->st, d.id, &got), 0);
	assert_string_equal(got.evaluation, "{\"score\":4}");
	assert_int_equal(got.completed_ms, 7300);
	assert_int_equal(got.evaluated_ms, 7400);
	assert_int_equal(got.updated_ms, 7400);
	drill_row_release(&got);
	incident_row_release(&r);
	d.id += 100;
	assert_int_equal(store_drill_update(f->st, &d, "planned"),
			 ERMS_ECONFLICT);
}

struct drill_seen {
	int n;
	char title[4][64];
};

static int drill_seen(void *ctx, const struct drill_row *d)
{
	struct drill_seen *s = ctx;

	if (s->n < 4)
		snprintf(s->title[s->n], sizeof(s->title[0]), "%.60s",
			 d->title);
	s->n++;
	return 0;
}

static int drill_stop(void *ctx, const struct drill_row *d)
{
	(void)d;
	++*(int *)ctx;
	return 8;
}

/* By scheduled time, not by id; [from, to) with to 0 for all. */
static void test_drill_list_order(void **state)
{
	struct fixture *f = *state;
	struct drill_row a = mk_drill("late", 9000), b = mk_drill("early", 1000);
	struct drill_row c = mk_drill("mid", 5000);
	struct drill_seen s = { 0 };
	int calls = 0;

	assert_int_equal(store_drill_insert(f->st, &a), 0);
	assert_int_equal(store_drill_insert(f->st, &b), 0);
	assert_int_equal(store_drill_insert(f->st, &c), 0);
	assert_int_equal(store_drill_list(f->st, 0, 0, drill_seen, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.title[0], "early");
	assert_string_equal(s.title[1], "mid");
	assert_string_equal(s.title[2], "late");
	s.n = 0;
	assert_int_equal(store_drill_list(f->st, 1000, 9000, drill_seen, &s),
			 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.title[1], "mid");
	assert_int_equal(store_drill_list(f->st, 0, 0, drill_stop, &calls), 8);
	assert_int_equal(calls, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_drills),
		CT(test_drill_fields),
		CT(test_drill_list_order),
	};

	return contract_main("drills", tests, ARRAY_LEN(tests));
}
