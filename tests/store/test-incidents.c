/*
 * test-incidents.c - the store contract for incidents: numbering, look-up
 * by id or number, updates, the filtered and searched list with its
 * cursor, the timer pre-filters, the search index and the statistics.
 */
#include "contract.h"

struct world {
	int64_t user, pv;
};

static struct world world(struct store *st)
{
	struct world w;

	w.user = add_user(st, "reporter");
	w.pv = add_version(st, "it", w.user);
	return w;
}

/* Numbers count per year of the report, without gaps: a rolled-back
 * report gives its number back. */
static void test_numbering(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row a, b, c, d;

	add_incident(f->st, &a, w.user, w.pv, T2026, "一", "");
	add_incident(f->st, &b, w.user, w.pv, T2026 + DAY_MS, "二", "");
	assert_string_equal(a.number, "INC-2026-0001");
	assert_string_equal(b.number, "INC-2026-0002");
	assert_true(b.inc.id > a.inc.id);
	assert_int_equal(a.updated_ms, T2026);
	assert_int_equal(store_begin(f->st), 0);
	add_incident(f->st, &c, w.user, w.pv, T2026, "三", "");
	assert_string_equal(c.number, "INC-2026-0003");
	assert_int_equal(store_rollback(f->st), 0);
	incident_row_release(&c);
	add_incident(f->st, &c, w.user, w.pv, T2026, "三", "");
	assert_string_equal(c.number, "INC-2026-0003");
	add_incident(f->st, &d, w.user, w.pv, T2026 + 365 * DAY_MS, "四", "");
	assert_string_equal(d.number, "INC-2027-0001");
	incident_row_release(&a);
	incident_row_release(&b);
	incident_row_release(&c);
	incident_row_release(&d);
}

/* An incident comes back by its id, by its id as text and by its number;
 * every field the report writes is kept. */
static void test_insert_get(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row r = { .reporter_id = w.user,
				  .plan_version_id = w.pv, .public = true };
	struct incident_row out = { 0 };
	char key[32];

	incident_init(&r.inc, 0, T2026 - 5 * MIN_MS, true);
	r.inc.state = INC_REPORTED;
	r.inc.reported_ms = T2026;
	r.inc.ack_min = 5;
	r.inc.activate_min = 15;
	r.inc.resolve_min = 60;
	r.commander_id = w.user;
	snprintf(r.category, sizeof(r.category), "system-failure");
	snprintf(r.proposed_level, sizeof(r.proposed_level), "II");
	r.title = (char *)"主库宕机";
	r.description = (char *)"核心数据库无法连接";
	r.impact = (char *)"全部业务";
	r.public_summary = (char *)"系统维护中";
	assert_int_equal(store_incident_insert(f->st, &r), 0);
	assert_int_equal(store_incident_get_id(f->st, r.inc.id, &out), 0);
	assert_string_equal(out.number, r.number);
	assert_string_equal(out.title, "主库宕机");
	assert_string_equal(out.description, "核心数据库无法连接");
	assert_string_equal(out.impact, "全部业务");
	assert_string_equal(out.category, "system-failure");
	assert_string_equal(out.proposed_level, "II");
	assert_string_equal(out.level_key, "");
	assert_string_equal(out.public_summary, "系统维护中");
	assert_string_equal(out.public_title, "");
	assert_string_equal(out.public_message, "");
	assert_string_equal(out.summary, "");
	assert_string_equal(out.review_json, "");
	assert_int_equal(out.inc.state, INC_REPORTED);
	assert_int_equal(out.inc.level, 0);
	assert_true(out.inc.is_drill);
	assert_true(out.public);
	assert_int_equal(out.reporter_id, w.user);
	assert_int_equal(out.commander_id, w.user);
	assert_int_equal(out.plan_version_id, w.pv);
	assert_int_equal(out.inc.detected_ms, T2026 - 5 * MIN_MS);
	assert_int_equal(out.inc.reported_ms, T2026);
	assert_int_equal(out.inc.acked_ms, 0);
	assert_int_equal(out.inc.ack_min, 5);
	assert_int_equal(out.inc.activate_min, 15);
	assert_int_equal(out.inc.resolve_min, 60);
	assert_int_equal(out.inc.breaches, 0);
	assert_int_equal(out.updated_ms, T2026);
	assert_int_equal(out.esc_tiers, 0);
	assert_int_equal(out.esc_acked_ms, 0);
	snprintf(key, sizeof(key), "%lld", (long long)r.inc.id);
	assert_int_equal(store_incident_get(f->st, key, &out), 0);
	assert_int_equal(out.inc.id, r.inc.id);
	assert_int_equal(store_incident_get(f->st, r.number, &out), 0);
	assert_int_equal(out.inc.id, r.inc.id);
	assert_int_equal(store_incident_get(f->st, "INC-2026-0999", &out),
			 ERMS_ENOTFOUND);
	snprintf(key, sizeof(key), "%lld", (long long)r.inc.id + 100);
	assert_int_equal(store_incident_get(f->st, key, &out), ERMS_ENOTFOUND);
	assert_int_equal(store_incident_get_id(f->st, r.inc.id + 100, &out),
			 ERMS_ENOTFOUND);
	incident_row_release(&out);
	/* The reporter and the version must exist. */
	r.reporter_id = w.user + 100;
	assert_int_equal(store_incident_insert(f->st, &r), ERMS_ENOTFOUND);
}

/* Everything the workflow changes is written and read back. */
static void test_update(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row r, out = { 0 };
	int64_t cmd = add_user(f->st, "commander");

	add_incident(f->st, &r, w.user, w.pv, T2026, "old", "old text");
	free(r.title);
	free(r.description);
	free(r.impact);
	r.title = strdup("新标题");
	r.description = strdup("新描述");
	r.impact = strdup("两个系统");
	r.summary = strdup("已恢复");
	r.review_json = strdup("{\"lessons\":[]}");
	r.public_summary = strdup("已恢复服务");
	r.public_title = strdup("网上银行暂时无法登录");
	r.public_message = strdup("我们正在恢复。");
	snprintf(r.category, sizeof(r.category), "network");
	snprintf(r.level_key, sizeof(r.level_key), "I");
	r.inc.state = INC_REVIEWED;
	r.inc.level = 1;
	r.inc.acked_ms = T2026 + 1;
	r.inc.activated_ms = T2026 + 2;
	r.inc.resolved_ms = T2026 + 3;
	r.inc.closed_ms = T2026 + 4;
	r.inc.reviewed_ms = T2026 + 5;
	r.inc.dismissed_ms = 0;
	r.inc.ack_min = 1;
	r.inc.activate_min = 2;
	r.inc.resolve_min = 3;
	r.inc.breaches = IB_ACK | IB_RESOLVE;
	r.public = true;
	r.commander_id = cmd;
	r.updated_ms = T2026 + 6;
	r.esc_tiers = 5;
	r.esc_acked_ms = T2026 + 7;
	assert_int_equal(store_incident_update(f->st, &r), 0);
	assert_int_equal(store_incident_get_id(f->st, r.inc.id, &out), 0);
	assert_string_equal(out.title, "新标题");
	assert_string_equal(out.description, "新描述");
	assert_string_equal(out.impact, "两个系统");
	assert_string_equal(out.summary, "已恢复");
	assert_string_equal(out.review_json, "{\"lessons\":[]}");
	assert_string_equal(out.public_summary, "已恢复服务");
	assert_string_equal(out.public_title, "网上银行暂时无法登录");
	assert_string_equal(out.public_message, "我们正在恢复。");
	assert_string_equal(out.category, "network");
	assert_string_equal(out.level_key, "I");
	assert_int_equal(out.inc.state, INC_REVIEWED);
	assert_int_equal(out.inc.level, 1);
	assert_int_equal(out.inc.acked_ms, T2026 + 1);
	assert_int_equal(out.inc.activated_ms, T2026 + 2);
	assert_int_equal(out.inc.resolved_ms, T2026 + 3);
	assert_int_equal(out.inc.closed_ms, T2026 + 4);
	assert_int_equal(out.inc.reviewed_ms, T2026 + 5);
	assert_int_equal(out.inc.ack_min, 1);
	assert_int_equal(out.inc.activate_min, 2);
	assert_int_equal(out.inc.resolve_min, 3);
	assert_int_equal(out.inc.breaches, IB_ACK | IB_RESOLVE);
	assert_true(out.public);
	assert_int_equal(out.commander_id, cmd);
	assert_int_equal(out.updated_ms, T2026 + 6);
	assert_int_equal(out.esc_tiers, 5);
	assert_int_equal(out.esc_acked_ms, T2026 + 7);
	/* No commander again. */
	r.commander_id = 0;
	assert_int_equal(store_incident_update(f->st, &r), 0);
	assert_int_equal(store_incident_get_id(f->st, r.inc.id, &out), 0);
	assert_int_equal(out.commander_id, 0);
	incident_row_release(&out);
	r.inc.id += 100;
	assert_int_equal(store_incident_update(f->st, &r), ERMS_ENOTFOUND);
	incident_row_release(&r);
}

/* Command HQ's assessment and proposed level, written on their own: the
 * rest of the row stays as it was. */
static void test_assess(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row r, out = { 0 };

	add_incident(f->st, &r, w.user, w.pv, T2026, "t", "d");
	assert_int_equal(store_incident_get_id(f->st, r.inc.id, &out), 0);
	assert_string_equal(out.assessment, "");
	r.assessment = strdup("核心交易受影响，建议启动 II 级响应");
	snprintf(r.proposed_level, sizeof(r.proposed_level), "II");
	assert_int_equal(store_incident_assess(f->st, &r), 0);
	assert_int_equal(store_incident_get_id(f->st, r.inc.id, &out), 0);
	assert_string_equal(out.assessment,
			    "核心交易受影响，建议启动 II 级响应");
	assert_string_equal(out.proposed_level, "II");
	assert_string_equal(out.title, "t");
	assert_int_equal(out.inc.state, r.inc.state);
	incident_row_release(&out);
	r.inc.id += 100;
	assert_int_equal(store_incident_assess(f->st, &r), ERMS_ENOTFOUND);
	incident_row_release(&r);
}

struct inc_seen {
	int n;
	int64_t id[8];
};

static int inc_seen(void *ctx, const struct incident_row *r)
{
	struct inc_seen *s = ctx;

	if (s->n < 8)
		s->id[s->n] = r->inc.id;
	s->n++;
	return 0;
}

static int reg_seen(void *ctx, const struct reg_report *x)
{
	char *out = ctx;

	snprintf(out + strlen(out), 64, "%d:%s:%s:%s:%d;", x->n, x->kind,
		 x->via, x->content, x->on_time);
	return 0;
}

/* The duty to report: written without a new version, found when due and
 * by the year it opened; reports kept and never changed. */
static void test_regulatory(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row r, out = { 0 };
	struct inc_seen seen = { 0 };
	int64_t next = -1;
	char got[256] = "";

	add_incident(f->st, &r, w.user, w.pv, T2026, "t", "d");
	assert_int_equal(store_incident_get_id(f->st, r.inc.id, &out), 0);
	assert_string_equal(out.regulatory, "");
	assert_int_equal(out.reg_next_ms, 0);
	r.regulatory = strdup("{\"status\":\"due\"}");
	r.reg_next_ms = T2026 + 1000;
	r.reg_opened_ms = T2026 + 10;
	assert_int_equal(store_incident_set_regulatory(f->st, &r), 0);
	assert_int_equal(store_incident_get_id(f->st, r.inc.id, &out), 0);
	assert_string_equal(out.regulatory, "{\"status\":\"due\"}");
	assert_int_equal(out.stamp.version, r.stamp.version);
	assert_int_equal(store_incident_reg_next(f->st, &next), 0);
	assert_int_equal(next, T2026 + 1000);
	assert_int_equal(store_incident_reg_due(f->st, T2026 + 999, 10,
						inc_seen, &seen), 0);
	assert_int_equal(seen.n, 0);
	assert_int_equal(store_incident_reg_due(f->st, T2026 + 1000, 10,
						inc_seen, &seen), 0);
	assert_int_equal(seen.n, 1);
	assert_int_equal(seen.id[0], r.inc.id);
	seen.n = 0;
	assert_int_equal(store_incident_reg_year(f->st, T2026, T2026 + 11,
						 inc_seen, &seen), 0);
	assert_int_equal(seen.n, 1);
	seen.n = 0;
	assert_int_equal(store_incident_reg_year(f->st, T2026 + 11, T2026 + 99,
						 inc_seen, &seen), 0);
	assert_int_equal(seen.n, 0);
	/* The whole row's write carries it too. */
	r.reg_next_ms = 0;
	assert_int_equal(store_incident_update(f->st, &r), 0);
	assert_int_equal(store_incident_reg_next(f->st, &next), 0);
	assert_int_equal(next, 0);
	{
		struct reg_report a = {
			.incident_id = r.inc.id, .n = 1, .kind = "first",
			.recipient = "省委网信办", .via = "phone",
			.sent_ms = T2026 + 20, .content = "{\"unit\":\"x\"}",
			.changes = "[]", .on_time = 1, .recorded_by = w.user,
			.recorded_ms = T2026 + 21,
		}, b = a;

		assert_int_equal(store_reg_report_insert(f->st, &a), 0);
		assert_true(a.id > 0);
		b.n = 2;
		b.kind = "follow_up";
		b.on_time = -1;
		b.via = "email";
		assert_int_equal(store_reg_report_insert(f->st, &b), 0);
	}
	assert_int_equal(store_reg_report_list(f->st, r.inc.id, 0, reg_seen,
					       got), 0);
	assert_string_equal(got, "1:first:phone:{\"unit\":\"x\"}:1;"
				 "2:follow_up:email:{\"unit\":\"x\"}:-1;");
	got[0] = 0;
	assert_int_equal(store_reg_report_list(f->st, r.inc.id, 2, reg_seen,
					       got), 0);
	assert_string_equal(got, "2:follow_up:email:{\"unit\":\"x\"}:-1;");
	incident_row_release(&out);
	incident_row_release(&r);
}

static int inc_stop(void *ctx, const struct incident_row *r)
{
	(void)r;
	++*(int *)ctx;
	return 11;
}

/* The list with f; returns how many rows and fills s. */
static int list(struct store *st, struct incident_filter f,
		struct inc_seen *s)
{
	s->n = 0;
	if (!f.limit)
		f.limit = 50;
	assert_int_equal(store_incident_list(st, &f, inc_seen, s), 0);
	return s->n;
}

/* Newest first; each filter narrows; the cursor pages. */
static void test_list_filters_and_pages(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row a, b, c;
	struct inc_seen s;
	int calls = 0;
	struct incident_filter any = { .is_drill = -1, .limit = 50 };

	add_incident(f->st, &a, w.user, w.pv, T2026, "a", "");
	add_incident(f->st, &b, w.user, w.pv, T2026 + DAY_MS, "b", "");
	add_incident(f->st, &c, w.user, w.pv, T2026 + 2 * DAY_MS, "c", "");
	c.inc.state = INC_ACTIVE;
	snprintf(c.level_key, sizeof(c.level_key), "II");
	assert_int_equal(store_incident_update(f->st, &c), 0);
	snprintf(b.category, sizeof(b.category), "fire");
	b.inc.is_drill = true;	/* the store keeps what insert wrote */
	assert_int_equal(list(f->st, any, &s), 3);
	assert_int_equal(s.id[0], c.inc.id);
	assert_int_equal(s.id[2], a.inc.id);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .status = "active", .is_drill = -1 }, &s), 1);
	assert_int_equal(s.id[0], c.inc.id);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .status = "", .is_drill = -1 }, &s), 3);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .level = "II", .is_drill = -1 }, &s), 1);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .category = "system-failure", .is_drill = -1 }, &s),
			 3);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .category = "fire", .is_drill = -1 }, &s), 0);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = 1 }, &s), 0);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = 0 }, &s), 3);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = -1, .from_ms = T2026 + DAY_MS }, &s), 2);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = -1, .to_ms = T2026 + DAY_MS }, &s), 1);
	assert_int_equal(s.id[0], a.inc.id);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = -1, .from_ms = T2026 + DAY_MS,
			 .to_ms = T2026 + 2 * DAY_MS }, &s), 1);
	assert_int_equal(s.id[0], b.inc.id);
	/* Pages of two: the cursor is the last id seen. */
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = -1, .limit = 2 }, &s), 2);
	assert_int_equal(s.id[1], b.inc.id);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = -1, .limit = 2, .before_id = b.inc.id },
			 &s), 1);
	assert_int_equal(s.id[0], a.inc.id);
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = -1, .limit = 2, .before_id = a.inc.id },
			 &s), 0);
	assert_int_equal(store_incident_list(f->st, &any, inc_stop, &calls),
			 11);
	assert_int_equal(calls, 1);
	incident_row_release(&a);
	incident_row_release(&b);
	incident_row_release(&c);
}

static int found(struct store *st, const char *q, struct inc_seen *s)
{
	return list(st, (struct incident_filter){ .is_drill = -1, .q = q }, s);
}

/* Search over title, description and indexed text: one character, two
 * (Chinese has no spaces), three or more; ASCII letters in any case;
 * quotes and LIKE wildcards are plain text. */
static void test_search(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row a, b;
	struct inc_seen s;

	add_incident(f->st, &a, w.user, w.pv, T2026, "主库宕机 Database down",
		     "机房断电");
	add_incident(f->st, &b, w.user, w.pv, T2026, "网络抖动",
		     "交换机 50% 丢包");
	assert_int_equal(found(f->st, "", &s), 2);
	assert_int_equal(found(f->st, "宕机", &s), 1);	/* two characters */
	assert_int_equal(s.id[0], a.inc.id);
	assert_int_equal(found(f->st, "断电", &s), 1);	/* the description */
	assert_int_equal(found(f->st, "主库宕机", &s), 1);
	assert_int_equal(found(f->st, "database", &s), 1);
	assert_int_equal(found(f->st, "DATABASE", &s), 1);
	assert_int_equal(found(f->st, "Da", &s), 1);
	assert_int_equal(found(f->st, "电", &s), 1);	/* one character */
	assert_int_equal(found(f->st, "机", &s), 2);	/* both have 机 */
	assert_int_equal(found(f->st, "D", &s), 1);
	assert_int_equal(found(f->st, "库机", &s), 0);	/* not adjacent */
	assert_int_equal(found(f->st, "暴雨", &s), 0);
	assert_int_equal(found(f->st, "%", &s), 1);	/* only b has % */
	assert_int_equal(s.id[0], b.inc.id);
	assert_int_equal(found(f->st, "_", &s), 0);
	assert_int_equal(found(f->st, "say \"down\"", &s), 0);
	assert_int_equal(found(f->st, "\"", &s), 0);
	/* Later text (a note, a timeline line) is found too. */
	assert_int_equal(found(f->st, "雷击", &s), 0);
	assert_int_equal(store_incident_index(f->st, b.inc.id,
					      "备注: 雷击 lightning"), 0);
	assert_int_equal(found(f->st, "雷击", &s), 1);
	assert_int_equal(s.id[0], b.inc.id);
	assert_int_equal(found(f->st, "Lightning", &s), 1);
	assert_int_equal(found(f->st, "击", &s), 1);
	assert_int_equal(found(f->st, "丢包", &s), 1);	/* the old text stays */
	/* Search and a filter together. */
	assert_int_equal(list(f->st, (struct incident_filter){
			 .is_drill = -1, .q = "机", .status = "active" }, &s),
			 0);
	incident_row_release(&a);
	incident_row_release(&b);
}

/* The timers' pre-filter: open incidents whose target has passed and is
 * not recorded yet, by id, at most limit. */
static void test_due(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row a, b, c;
	struct inc_seen s = { 0 };
	int calls = 0;

	add_incident(f->st, &a, w.user, w.pv, T2026, "ack in 5", "");
	a.inc.ack_min = 5;
	assert_int_equal(store_incident_update(f->st, &a), 0);
	add_incident(f->st, &b, w.user, w.pv, T2026, "resolve in 60", "");
	b.inc.state = INC_ACTIVE;
	b.inc.activated_ms = T2026 + 10 * MIN_MS;
	b.inc.resolve_min = 60;
	assert_int_equal(store_incident_update(f->st, &b), 0);
	add_incident(f->st, &c, w.user, w.pv, T2026, "no target", "");
	assert_int_equal(store_incident_due(f->st, T2026 + 5 * MIN_MS - 1, 10,
					    inc_seen, &s), 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_incident_due(f->st, T2026 + 5 * MIN_MS, 10,
					    inc_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], a.inc.id);
	s.n = 0;
	assert_int_equal(store_incident_due(f->st, T2026 + 70 * MIN_MS, 10,
					    inc_seen, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], a.inc.id);
	assert_int_equal(s.id[1], b.inc.id);
	s.n = 0;
	assert_int_equal(store_incident_due(f->st, T2026 + 70 * MIN_MS, 1,
					    inc_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(store_incident_due(f->st, T2026 + 70 * MIN_MS, 10,
					    inc_stop, &calls), 11);
	assert_int_equal(calls, 1);
	/* Recorded breaches and closed timers are not due again. */
	a.inc.breaches = IB_ACK;
	assert_int_equal(store_incident_update(f->st, &a), 0);
	b.inc.state = INC_RESOLVED;
	assert_int_equal(store_incident_update(f->st, &b), 0);
	s.n = 0;
	assert_int_equal(store_incident_due(f->st, T2026 + 70 * MIN_MS, 10,
					    inc_seen, &s), 0);
	assert_int_equal(s.n, 0);
	incident_row_release(&a);
	incident_row_release(&b);
	incident_row_release(&c);
}

/* Reports nobody acknowledged: while reported and no message acked. */
static void test_unacked(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row a, b, c;
	struct inc_seen s = { 0 };
	int calls = 0;

	add_incident(f->st, &a, w.user, w.pv, T2026, "a", "");
	add_incident(f->st, &b, w.user, w.pv, T2026, "b", "");
	add_incident(f->st, &c, w.user, w.pv, T2026, "c", "");
	b.inc.state = INC_ACKNOWLEDGED;
	assert_int_equal(store_incident_update(f->st, &b), 0);
	c.esc_acked_ms = T2026 + 1;
	assert_int_equal(store_incident_update(f->st, &c), 0);
	assert_int_equal(store_incident_unacked(f->st, 10, inc_seen, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], a.inc.id);
	assert_int_equal(store_incident_unacked(f->st, 0, inc_seen, &s), 0);
	assert_int_equal(s.n, 1);	/* limit 0: none */
	assert_int_equal(store_incident_unacked(f->st, 10, inc_stop, &calls),
			 11);
	assert_int_equal(calls, 1);
	incident_row_release(&a);
	incident_row_release(&b);
	incident_row_release(&c);
}

struct stat_seen {
	int n;
	char line[8][96];
};

static int stat_seen(void *ctx, const struct incident_stat *t)
{
	struct stat_seen *s = ctx;

	if (s->n < 8)
		snprintf(s->line[s->n], sizeof(s->line[0]),
			 "%s/%s/%s=%lld ack %lld/%lld act %lld/%lld "
			 "res %lld/%lld", t->status, t->level, t->category,
			 (long long)t->n, (long long)t->acked_n,
			 (long long)t->ack_ms, (long long)t->activated_n,
			 (long long)t->activate_ms, (long long)t->resolved_n,
			 (long long)t->resolve_ms);
	s->n++;
	return 0;
}

static int stat_stop(void *ctx, const struct incident_stat *t)
{
	(void)t;
	++*(int *)ctx;
	return 12;
}

/* Real incidents reported in [from, to), counted by status, level and
 * category, in that order, with the spans from the report to the
 * acknowledgement, the activation and the resolution summed over those
 * that reached them; drills are left out. */
static void test_stats(void **state)
{
	struct fixture *f = *state;
	struct world w = world(f->st);
	struct incident_row r[5];
	struct stat_seen s = { 0 };
	int calls = 0;

	for (int i = 0; i < 4; i++)
		add_incident(f->st, &r[i], w.user, w.pv, T2026 + i * DAY_MS,
			     "x", "");
	r[1].inc.state = INC_ACTIVE;
	r[1].inc.acked_ms = r[1].inc.reported_ms + 60000;
	r[1].inc.activated_ms = r[1].inc.reported_ms + 300000;
	snprintf(r[1].level_key, sizeof(r[1].level_key), "I");
	assert_int_equal(store_incident_update(f->st, &r[1]), 0);
	snprintf(r[2].category, sizeof(r[2].category), "fire");
	assert_int_equal(store_incident_update(f->st, &r[2]), 0);
	r[4] = (struct incident_row){ .reporter_id = w.user,
				      .plan_version_id = w.pv };
	incident_init(&r[4].inc, 0, T2026, true);
	r[4].inc.state = INC_REPORTED;
	r[4].inc.reported_ms = T2026;
	snprintf(r[4].category, sizeof(r[4].category), "fire");
	r[4].title = strdup("drill");
	r[4].description = strdup("");
	r[4].impact = strdup("");
	assert_int_equal(store_incident_insert(f->st, &r[4]), 0);
	assert_int_equal(store_incident_stats(f->st, T2026, T2026 + 3 * DAY_MS,
					      stat_seen, &s), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.line[0], "active/I/system-failure=1 ack 1/60000 "
			    "act 1/300000 res 0/0");
	assert_string_equal(s.line[1], "reported//fire=1 ack 0/0 act 0/0 "
			    "res 0/0");
	assert_string_equal(s.line[2], "reported//system-failure=1 ack 0/0 "
			    "act 0/0 res 0/0");
	s.n = 0;
	assert_int_equal(store_incident_stats(f->st, T2026, T2026 + 4 * DAY_MS,
					      stat_seen, &s), 0);
	assert_string_equal(s.line[2], "reported//system-failure=2 ack 0/0 "
			    "act 0/0 res 0/0");
	s.n = 0;
	assert_int_equal(store_incident_stats(f->st, 0, T2026, stat_seen, &s),
			 0);
	assert_int_equal(s.n, 0);
	assert_int_equal(store_incident_stats(f->st, T2026, T2026 + 4 * DAY_MS,
					      stat_stop, &calls), 12);
	assert_int_equal(calls, 1);
	for (int i = 0; i < 5; i++)
		incident_row_release(&r[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_numbering),
		CT(test_insert_get),
		CT(test_update),
		CT(test_assess),
		CT(test_list_filters_and_pages),
		CT(test_search),
		CT(test_due),
		CT(test_unacked),
		CT(test_stats),
		CT(test_regulatory),
	};

	return contract_main("incidents", tests, ARRAY_LEN(tests));
}
