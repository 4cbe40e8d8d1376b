/*
 * test-versions.c - the store contract for versions (struct stamp): an
 * insert writes version 1 and its maker, every update one more and its
 * writer, whose name comes back with the row; the system writes nobody.
 */
#include "contract.h"

/* The stamp read back, and what it should be. */
static void check(const struct stamp *s, int64_t version, int64_t by,
		  const char *name)
{
	assert_int_equal(s->version, version);
	assert_int_equal(s->by, by);
	assert_string_equal(s->by_name, name);
}

/* Users: the version counts; a user edited by another names them. */
static void test_user(void **state)
{
	struct fixture *f = *state;
	int64_t admin = add_user(f->st, "admin");
	struct user u = mk_user("wang"), got;

	u.stamp.by = admin;
	assert_int_equal(store_user_insert(f->st, &u, "h"), 0);
	assert_int_equal(u.stamp.version, 1);
	assert_int_equal(store_user_get(f->st, u.id, &got), 0);
	check(&got.stamp, 1, admin, "名字 admin");
	snprintf(got.email, sizeof(got.email), "w@example.org");
	got.stamp.by = u.id;
	assert_int_equal(store_user_update(f->st, &got), 0);
	assert_int_equal(got.stamp.version, 2);
	assert_int_equal(store_user_update(f->st, &got), 0);
	assert_int_equal(got.stamp.version, 3);
	assert_int_equal(store_user_get(f->st, u.id, &got), 0);
	check(&got.stamp, 3, u.id, "名字 wang");
	/* A user without a display name is named by login. */
	got.display_name[0] = '\0';
	assert_int_equal(store_user_update(f->st, &got), 0);
	assert_int_equal(store_user_get(f->st, u.id, &got), 0);
	check(&got.stamp, 4, u.id, "wang");
	/* A bookkeeping write (the password) leaves the version. */
	assert_int_equal(store_user_set_password(f->st, u.id, "h2", 5), 0);
	assert_int_equal(store_user_get(f->st, u.id, &got), 0);
	assert_int_equal(got.stamp.version, 4);
	/* No such row: nothing counted. */
	got.id = u.id + 100;
	assert_int_equal(store_user_update(f->st, &got), ERMS_ENOTFOUND);
}

static void test_group(void **state)
{
	struct fixture *f = *state;
	int64_t a = add_user(f->st, "a");
	struct group g = { .kind = GK_TEAM, .created_ms = 1 }, got = { 0 };

	snprintf(g.key, sizeof(g.key), "tech");
	snprintf(g.name, sizeof(g.name), "技术组");
	assert_int_equal(store_group_insert(f->st, &g), 0);
	assert_int_equal(store_group_get(f->st, "tech", &got), 0);
	check(&got.stamp, 1, 0, "");
	got.stamp.by = a;
	assert_int_equal(store_group_update(f->st, &got), 0);
	assert_int_equal(got.stamp.version, 2);
	free(got.duties_json);
	assert_int_equal(store_group_get(f->st, "tech", &got), 0);
	check(&got.stamp, 2, a, "名字 a");
	/* The system writes nobody. */
	got.stamp.by = 0;
	assert_int_equal(store_group_update(f->st, &got), 0);
	free(got.duties_json);
	assert_int_equal(store_group_get(f->st, "tech", &got), 0);
	check(&got.stamp, 3, 0, "");
	free(got.duties_json);
}

/* Incidents, read by id, by number and in lists, and their tasks. */
static int seen_inc(void *ctx, const struct incident_row *r)
{
	*(struct stamp *)ctx = r->stamp;
	return 0;
}

static void test_incident_task(void **state)
{
	struct fixture *f = *state;
	int64_t a = add_user(f->st, "a"), b = add_user(f->st, "b");
	int64_t pv = add_version(f->st, "p", a);
	struct incident_row r, got = { 0 };
	struct incident_filter flt = { .is_drill = -1, .limit = 10 };
	struct task t = { .status = TS_TODO, .created_by = a,
			  .created_ms = 5 }, tg = { 0 };
	struct stamp s = { 0 };

	add_incident(f->st, &r, a, pv, T2026, "停电", "机房");
	assert_int_equal(r.stamp.version, 1);
	assert_int_equal(store_incident_get_id(f->st, r.inc.id, &got), 0);
	check(&got.stamp, 1, 0, "");
	got.stamp.by = b;
	got.inc.state = INC_ACKNOWLEDGED;
	assert_int_equal(store_incident_update(f->st, &got), 0);
	assert_int_equal(got.stamp.version, 2);
	assert_int_equal(store_incident_update(f->st, &got), 0);
	assert_int_equal(got.stamp.version, 3);
	assert_int_equal(store_incident_get(f->st, r.number, &got), 0);
	check(&got.stamp, 3, b, "名字 b");
	assert_int_equal(store_incident_list(f->st, &flt, seen_inc, &s), 0);
	check(&s, 3, b, "名字 b");
	flt.q = "停电";
	memset(&s, 0, sizeof(s));
	assert_int_equal(store_incident_list(f->st, &flt, seen_inc, &s), 0);
	check(&s, 3, b, "名字 b");

	t.incident_id = r.inc.id;
	t.title = (char *)"抢修";
	snprintf(t.group_key, sizeof(t.group_key), "tech");
	assert_int_equal(store_task_insert(f->st, &t), 0);
	assert_int_equal(store_task_get(f->st, t.id, &tg), 0);
	check(&tg.stamp, 1, a, "名字 a");
	tg.stamp.by = b;
	tg.status = TS_DONE;
	assert_int_equal(store_task_update(f->st, &tg), 0);
	assert_int_equal(tg.stamp.version, 2);
	task_release(&tg);
	assert_int_equal(store_task_get(f->st, t.id, &tg), 0);
	check(&tg.stamp, 2, b, "名字 b");
	task_release(&tg);
	incident_row_release(&got);
	incident_row_release(&r);
}

static void test_channel_supply(void **state)
{
	struct fixture *f = *state;
	int64_t a = add_user(f->st, "a"), b = add_user(f->st, "b");
	struct channel c = { .kind = CH_WEBHOOK, .enabled = true,
			     .config = (char *)"{\"url\":\"x\"}",
			     .created_ms = 1 }, cg = { 0 };
	struct supply s = { .quantity = 10, .created_ms = 1 }, sg = { 0 };

	snprintf(c.name, sizeof(c.name), "值班群");
	c.stamp.by = a;
	assert_int_equal(store_channel_insert(f->st, &c), 0);
	assert_int_equal(store_channel_get(f->st, c.id, &cg), 0);
	check(&cg.stamp, 1, a, "名字 a");
	cg.stamp.by = b;
	assert_int_equal(store_channel_update(f->st, &cg), 0);
	assert_int_equal(cg.stamp.version, 2);
	assert_int_equal(store_channel_get(f->st, c.id, &cg), 0);
	check(&cg.stamp, 2, b, "名字 b");
	channel_release(&cg);

	snprintf(s.name, sizeof(s.name), "沙袋");
	s.stamp.by = a;
	assert_int_equal(store_supply_insert(f->st, &s), 0);
	assert_int_equal(store_supply_get(f->st, s.id, &sg), 0);
	check(&sg.stamp, 1, a, "名字 a");
	sg.stamp.by = b;
	assert_int_equal(store_supply_update(f->st, &sg), 0);
	assert_int_equal(sg.stamp.version, 2);
	/* Movements change the quantity: they count, and name their actor;
	 * one refused counts nothing. */
	assert_int_equal(store_supply_take(f->st, s.id, 3, 9, a), 0);
	assert_int_equal(store_supply_take(f->st, s.id, 30, 9, b),
			 ERMS_ECONFLICT);
	assert_int_equal(store_supply_get(f->st, s.id, &sg), 0);
	check(&sg.stamp, 3, a, "名字 a");
	assert_int_equal(store_supply_add(f->st, s.id, 1, 9, b), 0);
	/* A notice sent is bookkeeping. */
	assert_int_equal(store_supply_notice(f->st, s.id, 9, 0), 0);
	assert_int_equal(store_supply_get(f->st, s.id, &sg), 0);
	check(&sg.stamp, 4, b, "名字 b");
	supply_release(&sg);
}

static int seen_rot(void *ctx, const struct rotation_row *r)
{
	*(struct stamp *)ctx = r->stamp;
	return 0;
}

static void test_drill_plan_integration_rotation(void **state)
{
	struct fixture *f = *state;
	int64_t a = add_user(f->st, "a"), b = add_user(f->st, "b");
	int64_t g = add_group(f->st, "tech", GK_TEAM);
	int64_t pv = add_version(f->st, "p", a);
	struct drill_row d = { .minutes = 30, .created_by = a,
			       .created_ms = 1 }, dg = { 0 };
	struct plan_version v = { 0 };
	struct integration_row it = { .enabled = true, .created_by = a,
				      .created_ms = 1 }, ig = { 0 };
	struct rotation_row r = { .group_id = g, .shift_minutes = 60,
				  .members = "[]" };
	struct stamp rs = { 0 };

	snprintf(d.title, sizeof(d.title), "演练");
	snprintf(d.kind, sizeof(d.kind), "live");
	assert_int_equal(store_drill_insert(f->st, &d), 0);
	assert_int_equal(store_drill_get(f->st, d.id, &dg), 0);
	check(&dg.stamp, 1, a, "名字 a");
	dg.stamp.by = b;
	snprintf(dg.status, sizeof(dg.status), "running");
	assert_int_equal(store_drill_update(f->st, &dg, "planned"), 0);
	assert_int_equal(dg.stamp.version, 2);
	/* A step not taken (the status moved on) counts nothing. */
	assert_int_equal(store_drill_update(f->st, &dg, "planned"),
			 ERMS_ECONFLICT);
	assert_int_equal(store_drill_get(f->st, d.id, &dg), 0);
	check(&dg.stamp, 2, b, "名字 b");
	drill_row_release(&dg);

	assert_int_equal(store_pv_get_id(f->st, pv, &v), 0);
	check(&v.stamp, 1, 0, "");
	v.stamp.by = b;
	assert_int_equal(store_pv_update(f->st, &v), 0);
	assert_int_equal(v.stamp.version, 2);
	plan_version_release(&v);
	assert_int_equal(store_pv_get_id(f->st, pv, &v), 0);
	check(&v.stamp, 2, b, "名字 b");
	plan_version_release(&v);

	snprintf(it.name, sizeof(it.name), "水位监测");
	snprintf(it.kind, sizeof(it.kind), "events");
	snprintf(it.key_prefix, sizeof(it.key_prefix), "abcdef");
	assert_int_equal(store_integration_insert(f->st, &it, "k"), 0);
	assert_int_equal(store_integration_get(f->st, it.id, &ig), 0);
	check(&ig.stamp, 1, a, "名字 a");
	ig.stamp.by = b;
	assert_int_equal(store_integration_update(f->st, &ig), 0);
	assert_int_equal(ig.stamp.version, 2);
	assert_int_equal(store_integration_rekey(f->st, it.id, "k2", "ffffff",
						 5, a), 0);
	assert_int_equal(store_integration_get(f->st, it.id, &ig), 0);
	check(&ig.stamp, 3, a, "名字 a");
	integration_row_release(&ig);

	snprintf(r.name, sizeof(r.name), "白班");
	snprintf(r.time_zone, sizeof(r.time_zone), "Asia/Shanghai");
	r.stamp.by = b;
	assert_int_equal(store_rotation_insert(f->st, &r, 1), 0);
	assert_int_equal(r.stamp.version, 1);
	assert_int_equal(store_rotation_list(f->st, g, seen_rot, &rs), 0);
	check(&rs, 1, b, "名字 b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_user),
		CT(test_group),
		CT(test_incident_task),
		CT(test_channel_supply),
		CT(test_drill_plan_integration_rotation),
	};

	return contract_main("versions", tests, ARRAY_LEN(tests));
}
