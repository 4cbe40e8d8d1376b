/*
 * test-work.c - the store contract for what happens on an incident:
 * tasks, the timeline, bulletins, and the event log behind live updates.
 */
#include "contract.h"

struct world {
	int64_t user;
	struct incident_row inc, other;
};

static void world(struct store *st, struct world *w)
{
	int64_t pv;

	w->user = add_user(st, "worker");
	pv = add_version(st, "it", w->user);
	add_incident(st, &w->inc, w->user, pv, T2026, "事件", "");
	add_incident(st, &w->other, w->user, pv, T2026, "另一事件", "");
}

static void world_release(struct world *w)
{
	incident_row_release(&w->inc);
	incident_row_release(&w->other);
}

static struct task mk_task(int64_t incident, const char *title)
{
	struct task t = { .incident_id = incident, .title = (char *)title,
			  .status = TS_TODO, .created_by = 1,
			  .created_ms = 100 };

	snprintf(t.group_key, sizeof(t.group_key), "tech");
	return t;
}

struct task_seen {
	int n;
	int64_t id[4];
};

static int task_seen(void *ctx, const struct task *t)
{
	struct task_seen *s = ctx;

	if (s->n < 4)
		s->id[s->n] = t->id;
	s->n++;
	return 0;
}

static int task_stop(void *ctx, const struct task *t)
{
	(void)t;
	++*(int *)ctx;
	return 13;
}

static void test_tasks(void **state)
{
	struct fixture *f = *state;
	struct world w;
	struct task a, b, c, out = { 0 };
	struct task_seen s = { 0 };
	int calls = 0;

	world(f->st, &w);
	a = mk_task(w.inc.inc.id, "切换备库");
	a.due_ms = 900;
	a.assignee_id = w.user;
	a.notes = (char *)"先通知业务";
	snprintf(a.origin, sizeof(a.origin), "measure:II");
	b = mk_task(w.inc.inc.id, "通知用户");
	c = mk_task(w.other.inc.id, "别的");
	assert_int_equal(store_task_insert(f->st, &a), 0);
	assert_int_equal(store_task_insert(f->st, &b), 0);
	assert_int_equal(store_task_insert(f->st, &c), 0);
	assert_int_equal(a.updated_ms, 100);
	assert_int_equal(store_task_get(f->st, a.id, &out), 0);
	assert_int_equal(out.incident_id, w.inc.inc.id);
	assert_string_equal(out.title, "切换备库");
	assert_string_equal(out.group_key, "tech");
	assert_int_equal(out.assignee_id, w.user);
	assert_int_equal(out.status, TS_TODO);
	assert_int_equal(out.due_ms, 900);
	assert_string_equal(out.notes, "先通知业务");
	assert_string_equal(out.origin, "measure:II");
	assert_int_equal(out.created_by, 1);
	assert_int_equal(out.created_ms, 100);
	assert_int_equal(out.updated_ms, 100);
	task_release(&out);
	assert_int_equal(store_task_get(f->st, b.id, &out), 0);
	assert_int_equal(out.assignee_id, 0);	/* nobody yet */
	assert_string_equal(out.notes, "");
	task_release(&out);
	assert_int_equal(store_task_get(f->st, c.id + 100, &out),
			 ERMS_ENOTFOUND);
	/* The incident and the assignee must exist. */
	c.incident_id = w.other.inc.id + 100;
	assert_int_equal(store_task_insert(f->st, &c), ERMS_ENOTFOUND);
	assert_int_equal(store_task_list(f->st, w.inc.inc.id, task_seen, &s),
			 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], a.id);
	assert_int_equal(s.id[1], b.id);
	assert_int_equal(store_task_list(f->st, w.inc.inc.id, task_stop,
					 &calls), 13);
	assert_int_equal(calls, 1);
	b.title = (char *)"通知全部用户";
	b.assignee_id = w.user;
	b.status = TS_DONE;
	b.due_ms = 1000;
	b.notes = (char *)"done";
	b.updated_ms = 500;
	assert_int_equal(store_task_update(f->st, &b), 0);
	assert_int_equal(store_task_get(f->st, b.id, &out), 0);
	assert_string_equal(out.title, "通知全部用户");
	assert_int_equal(out.assignee_id, w.user);
	assert_int_equal(out.status, TS_DONE);
	assert_int_equal(out.due_ms, 1000);
	assert_string_equal(out.notes, "done");
	assert_int_equal(out.updated_ms, 500);
	assert_int_equal(out.created_ms, 100);
	task_release(&out);
	b.id += 100;
	assert_int_equal(store_task_update(f->st, &b), ERMS_ENOTFOUND);
	world_release(&w);
}

struct tl_seen {
	int n;
	int64_t id[4];
	char line[4][128];
};

static int tl_seen(void *ctx, const struct timeline_entry *e)
{
	struct tl_seen *s = ctx;

	if (s->n < 4) {
		s->id[s->n] = e->id;
		snprintf(s->line[s->n], sizeof(s->line[0]), "%lld %lld %s %s %s",
			 (long long)e->at_ms, (long long)e->actor_id, e->kind,
			 e->text, e->data);
	}
	s->n++;
	return 0;
}

static int tl_stop(void *ctx, const struct timeline_entry *e)
{
	(void)e;
	++*(int *)ctx;
	return 14;
}

/* Append-only, per incident, in order; read on after a cursor. */
static void test_timeline(void **state)
{
	struct fixture *f = *state;
	struct world w;
	struct timeline_entry a = { .at_ms = 10, .actor_id = 3,
				    .kind = "report", .text = "上报" };
	struct timeline_entry b = { .at_ms = 20, .kind = "status",
				    .text = "已确认", .data = "{\"to\":\"acked\"}" };
	struct timeline_entry c = { .at_ms = 30, .kind = "note",
				    .text = "other" };
	struct tl_seen s = { 0 };
	int calls = 0;

	world(f->st, &w);
	a.incident_id = b.incident_id = w.inc.inc.id;
	c.incident_id = w.other.inc.id;
	assert_int_equal(store_timeline_add(f->st, &a), 0);
	assert_int_equal(store_timeline_add(f->st, &c), 0);
	assert_int_equal(store_timeline_add(f->st, &b), 0);
	assert_true(a.id > 0 && c.id > a.id && b.id > c.id);
	assert_int_equal(store_timeline_list(f->st, w.inc.inc.id, 0, tl_seen,
					     &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.line[0], "10 3 report 上报 {}");	/* data: {} */
	assert_string_equal(s.line[1], "20 0 status 已确认 {\"to\":\"acked\"}");
	s.n = 0;
	assert_int_equal(store_timeline_list(f->st, w.inc.inc.id, a.id,
					     tl_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], b.id);
	s.n = 0;
	assert_int_equal(store_timeline_list(f->st, w.inc.inc.id, b.id,
					     tl_seen, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_timeline_list(f->st, w.inc.inc.id, 0, tl_stop,
					     &calls), 14);
	assert_int_equal(calls, 1);
	c.incident_id = w.other.inc.id + 100;
	assert_int_equal(store_timeline_add(f->st, &c), ERMS_ENOTFOUND);
	world_release(&w);
}

struct ev_seen {
	int n;
	int64_t id[4];
	char line[4][96];
};

static int ev_seen(void *ctx, int64_t id, int64_t at_ms, const char *kind,
		   int64_t incident_id, const char *data)
{
	struct ev_seen *s = ctx;

	if (s->n < 4) {
		s->id[s->n] = id;
		snprintf(s->line[s->n], sizeof(s->line[0]), "%lld %s %lld %s",
			 (long long)at_ms, kind, (long long)incident_id, data);
	}
	s->n++;
	return 0;
}

static int ev_stop(void *ctx, int64_t id, int64_t at_ms, const char *kind,
		   int64_t incident_id, const char *data)
{
	(void)id;
	(void)at_ms;
	(void)kind;
	(void)incident_id;
	(void)data;
	++*(int *)ctx;
	return 15;
}

/* The event log: ids grow, the last is known (0 when empty), and readers
 * page after the id they saw. */
static void test_events(void **state)
{
	struct fixture *f = *state;
	struct ev_seen s = { 0 };
	int64_t last = -1, e1, e2, e3;
	int calls = 0;

	assert_int_equal(store_event_last(f->st, &last), 0);
	assert_int_equal(last, 0);
	assert_int_equal(store_event_add(f->st, 10, "incident.created", 4,
					 "{\"id\":4}", &e1), 0);
	assert_int_equal(store_event_add(f->st, 11, "plan.published", 0, "{}",
					 &e2), 0);
	assert_int_equal(store_event_add(f->st, 12, "task.updated", 4,
					 "{\"t\":1}", &e3), 0);
	assert_true(e1 > 0 && e2 > e1 && e3 > e2);
	assert_int_equal(store_event_last(f->st, &last), 0);
	assert_int_equal(last, e3);
	assert_int_equal(store_event_list(f->st, 0, 2, ev_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], e1);
	assert_string_equal(s.line[0], "10 incident.created 4 {\"id\":4}");
	assert_string_equal(s.line[1], "11 plan.published 0 {}");
	s.n = 0;
	assert_int_equal(store_event_list(f->st, e2, 10, ev_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], e3);
	s.n = 0;
	assert_int_equal(store_event_list(f->st, e3, 10, ev_seen, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_event_list(f->st, 0, 10, ev_stop, &calls), 15);
	assert_int_equal(calls, 1);
}

/*
 * The event log's retention: the oldest go, in id order, while older
 * than the time or past the count given, at most `limit` at a time; a
 * newer event stops the prune even if an older one follows it (what is
 * left is always every event after an id); the newest never goes, so
 * ids never start again.
 */
static void test_event_prune(void **state)
{
	struct fixture *f = *state;
	struct ev_seen s = { 0 };
	int64_t e[12], first = -1, last = -1, n = -1;

	assert_int_equal(store_event_first(f->st, &first), 0);
	assert_int_equal(first, 0);
	assert_int_equal(store_event_prune(f->st, INT64_MAX, 0, 100, &n), 0);
	assert_int_equal(n, 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(store_event_add(f->st, 100 * (i + 1), "timeline",
						 1, "{}", &e[i]), 0);
	/* The clock went back: an old time after newer ones. */
	assert_int_equal(store_event_add(f->st, 50, "timeline", 1, "{}",
					 &e[10]), 0);
	assert_int_equal(store_event_add(f->st, 1100, "timeline", 1, "{}",
					 &e[11]), 0);
	assert_int_equal(store_event_first(f->st, &first), 0);
	assert_int_equal(first, e[0]);

	/* By time: 100, 200, 300 are before 350. */
	assert_int_equal(store_event_prune(f->st, 350, 0, 100, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_event_first(f->st, &first), 0);
	assert_int_equal(first, e[3]);
	assert_int_equal(store_event_list(f->st, 0, 4, ev_seen, &s), 0);
	assert_int_equal(s.id[0], e[3]);
	assert_string_equal(s.line[0], "400 timeline 1 {}");
	/* At most limit at a time. */
	assert_int_equal(store_event_prune(f->st, 10000, 0, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_event_first(f->st, &first), 0);
	assert_int_equal(first, e[5]);
	/* By count: keep the newest 4 (e[8] on), whatever their time. */
	assert_int_equal(store_event_prune(f->st, 0, e[11] - 4, 100, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(store_event_first(f->st, &first), 0);
	assert_int_equal(first, e[8]);
	/* A newer event stops the prune: e[10] (time 50) stays behind
	 * e[9] (1000). */
	assert_int_equal(store_event_prune(f->st, 950, 0, 100, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_event_first(f->st, &first), 0);
	assert_int_equal(first, e[9]);
	/* Everything is old: all but the newest go, and the next id goes
	 * on from it. */
	assert_int_equal(store_event_prune(f->st, INT64_MAX, 0, 100, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(store_event_first(f->st, &first), 0);
	assert_int_equal(store_event_last(f->st, &last), 0);
	assert_int_equal(first, e[11]);
	assert_int_equal(last, e[11]);
	assert_int_equal(store_event_prune(f->st, INT64_MAX, e[11], 100, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_event_add(f->st, 1200, "timeline", 1, "{}",
					 &e[0]), 0);
	assert_true(e[0] > e[11]);
	s.n = 0;
	assert_int_equal(store_event_list(f->st, first - 1, 10, ev_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], e[11]);
	assert_int_equal(s.id[1], e[0]);
}

struct bul_seen {
	int n;
	int64_t id[4], author[4];
	char line[4][96];
};

static int bul_seen(void *ctx, const struct bulletin *b)
{
	struct bul_seen *s = ctx;

	if (s->n < 4) {
		s->id[s->n] = b->id;
		s->author[s->n] = b->author_id;
		snprintf(s->line[s->n], sizeof(s->line[0]), "%d %s %lld",
			 b->public, b->text, (long long)b->created_ms);
	}
	s->n++;
	return 0;
}

static int bul_stop(void *ctx, const struct bulletin *b)
{
	(void)b;
	++*(int *)ctx;
	return 16;
}

/* Bulletins of an incident in order; the public feed is newest first,
 * since a time, without drills or internal bulletins. */
static void test_bulletins(void **state)
{
	struct fixture *f = *state;
	struct world w;
	struct bulletin a = { .public = true, .text = "第一次通报",
			      .created_ms = 100 };
	struct bulletin b = { .public = false, .text = "内部", .created_ms = 200 };
	struct bulletin c = { .public = true, .text = "第二次通报",
			      .created_ms = 300 };
	struct bulletin d = { .public = true, .text = "演练通报",
			      .created_ms = 400 };
	struct bul_seen s = { 0 };
	int calls = 0;

	world(f->st, &w);
	{
		struct incident_row r = { .reporter_id = w.user,
					  .plan_version_id =
						  w.inc.plan_version_id };

		incident_init(&r.inc, 0, T2026, true);
		r.inc.state = INC_REPORTED;
		r.inc.reported_ms = T2026;
		snprintf(r.category, sizeof(r.category), "fire");
		r.title = (char *)"drill";
		r.description = r.impact = (char *)"";
		assert_int_equal(store_incident_insert(f->st, &r), 0);
		d.incident_id = r.inc.id;
	}
	a.incident_id = b.incident_id = c.incident_id = w.inc.inc.id;
	a.author_id = b.author_id = c.author_id = d.author_id = w.user;
	assert_int_equal(store_bulletin_insert(f->st, &a), 0);
	assert_int_equal(store_bulletin_insert(f->st, &b), 0);
	assert_int_equal(store_bulletin_insert(f->st, &c), 0);
	assert_int_equal(store_bulletin_insert(f->st, &d), 0);
	assert_true(a.id > 0 && b.id > a.id && c.id > b.id);
	assert_int_equal(store_bulletin_list(f->st, w.inc.inc.id, bul_seen, &s),
			 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.line[0], "1 第一次通报 100");
	assert_int_equal(s.author[0], w.user);
	assert_int_equal(s.id[1], b.id);
	assert_string_equal(s.line[1], "0 内部 200");
	s.n = 0;
	assert_int_equal(store_bulletin_public(f->st, 0, 10, bul_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], c.id);
	assert_int_equal(s.id[1], a.id);
	s.n = 0;
	assert_int_equal(store_bulletin_public(f->st, 101, 10, bul_seen, &s),
			 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], c.id);
	s.n = 0;
	assert_int_equal(store_bulletin_public(f->st, 0, 1, bul_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(store_bulletin_public(f->st, 0, 10, bul_stop, &calls),
			 16);
	assert_int_equal(store_bulletin_list(f->st, w.inc.inc.id, bul_stop,
					     &calls), 16);
	assert_int_equal(calls, 2);
	a.incident_id = w.other.inc.id + 100;
	assert_int_equal(store_bulletin_insert(f->st, &a), ERMS_ENOTFOUND);
	world_release(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_tasks),
		CT(test_timeline),
		CT(test_events),
		CT(test_event_prune),
		CT(test_bulletins),
	};

	return contract_main("work", tests, ARRAY_LEN(tests));
}
