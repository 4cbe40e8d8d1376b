/*
 * test-copy.c - the store contract: store_copy() moves every row of a
 * database into a fresh one of the backend under test, equal row for
 * row, with the search index built anew and new ids after the copied
 * ones; it refuses a target that holds data.
 */
#include "contract.h"

/* A second fresh, migrated database beside f's, on the same engine. */
static void second_db(const struct fixture *f, struct fixture *g,
		      const char *name)
{
	int from, to;

	*g = (struct fixture){ .be = f->be };
	snprintf(g->dir, sizeof(g->dir), "%s", f->dir);
	assert_int_equal(g->be->create(g, name), 0);
	assert_int_equal(store_open(&g->st, g->url, STORE_CREATE, NULL), 0);
	assert_int_equal(store_migrate(g->st, &from, &to, NULL), 0);
}

static void drop_db(struct fixture *g)
{
	store_close(g->st);
	g->be->destroy(g);
}

/* An integration whose alert reported incident inc_id. */
static void populate_intake(struct store *st, int64_t by, int64_t inc_id)
{
	struct integration_row it = { .enabled = true, .created_by = by,
				      .rate_limit_per_min = 60,
				      .created_ms = T2026 };
	struct alert_group_row g = { .incident_id = inc_id,
				     .group_key = (char *)"{}:{a=\"b\"}",
				     .first_ms = T2026, .alerts = 1,
				     .firing = 1 };
	struct alert_row a = { .incident_id = inc_id, .firing = true,
			       .count = 1, .starts_ms = T2026,
			       .first_seen_ms = T2026,
			       .last_seen_ms = T2026,
			       .labels = (char *)"{\"a\":\"b\"}",
			       .source = (char *)"泵站" };

	snprintf(it.name, sizeof(it.name), "水位监测");
	snprintf(it.kind, sizeof(it.kind), "alertmanager");
	snprintf(it.key_prefix, sizeof(it.key_prefix), "abcdef");
	assert_int_equal(store_integration_insert(st, &it, "hash"), 0);
	g.integration_id = a.integration_id = it.id;
	assert_int_equal(store_alert_group_insert(st, &g), 0);
	a.group_id = g.id;
	snprintf(a.fingerprint, sizeof(a.fingerprint), "0123456789abcdef");
	snprintf(a.severity, sizeof(a.severity), "critical");
	assert_int_equal(store_alert_insert(st, &a), 0);
}

/* Rows in many tables, more than one chunk of events, two years of
 * incident numbers. */
static void populate(struct store *st, int64_t *inc_id)
{
	int64_t a, b, grp, pv, sid, eid;
	struct incident_row r;
	struct timeline_entry e = { .kind = "note", .data = "{}" };
	char action[] = "user.create", object[] = "user:1",
	     summary[] = "一 first";
	struct audit_row ar = {
		.id = 1, .at_ms = T2026, .action = action, .object = object,
		.summary = summary, .prev_hash = "", .hash = "abc",
	};
	char data[64];

	assert_int_equal(store_begin(st), 0);
	a = add_user(st, "alice");
	b = add_user(st, "bob");
	grp = add_group(st, "duty", GK_TEAM);
	assert_int_equal(store_member_put(st, grp, a, MR_LEAD, T2026, 0), 0);
	assert_int_equal(store_member_put(st, grp, b, MR_MEMBER, T2026, 0),
			 0);
	assert_int_equal(store_session_insert(st, "h1", "csrf", a, T2026,
					      &sid), 0);
	assert_int_equal(store_audit_insert(st, &ar), 0);
	pv = add_version(st, "flood", a);
	add_incident(st, &r, a, pv, T2026, "Pump station down",
		     "泵站停电 water rising");
	*inc_id = r.inc.id;
	incident_row_release(&r);
	add_incident(st, &r, b, pv, T2026 + 400 * DAY_MS, "Second year",
		     "next year's number");
	incident_row_release(&r);
	e.incident_id = *inc_id;
	e.actor_id = a;
	e.at_ms = T2026 + MIN_MS;
	e.text = "sandbags at gate 3";
	assert_int_equal(store_timeline_add(st, &e), 0);
	assert_int_equal(store_incident_index(st, *inc_id, e.text), 0);
	for (int i = 0; i < 1100; i++) {
		snprintf(data, sizeof(data), "{\"n\":%d}", i);
		assert_int_equal(store_event_add(st, T2026 + i, "tick",
						 *inc_id, data, &eid), 0);
	}
	assert_int_equal(store_budget_put(st, 2026, 100000, "年度", T2026), 0);
	populate_intake(st, a, *inc_id);
	assert_int_equal(store_commit(st), 0);
}

struct digests {
	int n;
	struct { char table[32]; int64_t rows; uint64_t h; } t[64];
};

static void got_digest(void *ctx, const char *table, int64_t rows,
		       uint64_t h)
{
	struct digests *d = ctx;

	assert_true(d->n < (int)ARRAY_LEN(d->t));
	snprintf(d->t[d->n].table, sizeof(d->t[0].table), "%s", table);
	d->t[d->n].rows = rows;
	d->t[d->n].h = h;
	d->n++;
}

struct counts {
	int tables;
	int64_t events, users;
};

static void got_count(void *ctx, const char *table, int64_t rows)
{
	struct counts *c = ctx;

	c->tables++;
	if (!strcmp(table, "event"))
		c->events = rows;
	if (!strcmp(table, "users"))
		c->users = rows;
}

static int count_found(void *ctx, const struct incident_row *r)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}

/* Incidents of st that search text q finds. */
static int search(struct store *st, const char *q)
{
	struct incident_filter f = { .is_drill = -1, .q = q, .limit = 10 };
	int n = 0;

	assert_int_equal(store_incident_list(st, &f, count_found, &n), 0);
	return n;
}

static void test_copy_equal(void **state)
{
	struct fixture *f = *state, g;
	struct digests src = { 0 }, dst = { 0 };
	struct counts c = { 0 };
	struct incident_row r;
	int64_t inc_id, uid;
	char head[65];
	int64_t head_id;

	populate(f->st, &inc_id);
	second_db(f, &g, "copy");
	assert_int_equal(store_copy(f->st, g.st, got_count, &c, NULL), 0);
	assert_true(c.tables > 20);
	assert_int_equal(c.events, 1100);
	assert_int_equal(c.users, 2);

	assert_int_equal(store_copy_digest(f->st, got_digest, &src), 0);
	assert_int_equal(store_copy_digest(g.st, got_digest, &dst), 0);
	assert_int_equal(src.n, dst.n);
	for (int i = 0; i < src.n; i++) {
		assert_string_equal(src.t[i].table, dst.t[i].table);
		assert_int_equal(src.t[i].rows, dst.t[i].rows);
		assert_true(src.t[i].h == dst.t[i].h);
	}

	/* The search index was built on the target. */
	assert_int_equal(search(g.st, "pump"), 1);
	assert_int_equal(search(g.st, "泵站"), 1);
	assert_int_equal(search(g.st, "sandbags"), 1);
	assert_int_equal(store_audit_head(g.st, &head_id, head), 0);
	assert_int_equal(head_id, 1);
	assert_string_equal(head, "abc");

	/* New rows continue after the copied ids; numbers after the
	 * copied counter. */
	assert_int_equal(store_begin(g.st), 0);
	uid = add_user(g.st, "carol");
	assert_true(uid > 2);
	add_incident(g.st, &r, uid, 1, T2026 + DAY_MS, "third", "");
	assert_true(r.inc.id > inc_id + 1);
	assert_string_equal(r.number + strlen(r.number) - 1, "2");
	incident_row_release(&r);
	assert_int_equal(store_commit(g.st), 0);
	drop_db(&g);
}

static void test_copy_refuses_data(void **state)
{
	struct fixture *f = *state, g;
	struct digests before = { 0 }, after = { 0 };
	struct errbuf e = { 0 };
	int64_t inc_id;

	populate(f->st, &inc_id);
	second_db(f, &g, "full");
	assert_int_equal(store_begin(g.st), 0);
	add_user(g.st, "already");
	assert_int_equal(store_commit(g.st), 0);
	assert_int_equal(store_copy_digest(g.st, got_digest, &before), 0);
	assert_int_equal(store_copy(f->st, g.st, NULL, NULL, &e),
			 ERMS_ECONFLICT);
	assert_non_null(strstr(e.msg, "users"));
	/* Nothing changed. */
	assert_int_equal(store_copy_digest(g.st, got_digest, &after), 0);
	for (int i = 0; i < before.n; i++) {
		assert_int_equal(before.t[i].rows, after.t[i].rows);
		assert_true(before.t[i].h == after.t[i].h);
	}
	/* A copy done once is refused the second time. */
	drop_db(&g);
	second_db(f, &g, "empty");
	assert_int_equal(store_copy(f->st, g.st, NULL, NULL, NULL), 0);
	assert_int_equal(store_copy(f->st, g.st, NULL, NULL, NULL),
			 ERMS_ECONFLICT);
	drop_db(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_copy_equal),
		CT(test_copy_refuses_data),
	};

	return contract_main("copy", tests, ARRAY_LEN(tests));
}
