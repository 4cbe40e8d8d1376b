/*
 * test-stage.c - the store contract for the search index inside a write
 * transaction: what a job indexes becomes searchable at the commit, a
 * savepoint rolled back takes its text with it, and several texts for one
 * incident in one transaction index as they do one by one. Also the
 * owner's cache pointer a connection carries.
 */
#include "contract.h"

struct seen {
	int n;
	int64_t id[8];
};

static int seen(void *ctx, const struct incident_row *r)
{
	struct seen *s = ctx;

	if (s->n < 8)
		s->id[s->n] = r->inc.id;
	s->n++;
	return 0;
}

/* How many incidents search text q finds (ids in s). */
static int found(struct store *st, const char *q, struct seen *s)
{
	struct incident_filter f = { .is_drill = -1, .q = q, .limit = 50 };

	s->n = 0;
	assert_int_equal(store_incident_list(st, &f, seen, s), 0);
	return s->n;
}

/* A job's text is found once the transaction commits; a job rolled back
 * to its savepoint leaves neither its incident nor its lines. */
static void test_rolled_back_text_is_not_found(void **state)
{
	struct fixture *f = *state;
	int64_t u = add_user(f->st, "reporter");
	int64_t pv = add_version(f->st, "it", u);
	struct incident_row a, b, c;
	struct seen s;

	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_savepoint(f->st), 0);
	add_incident(f->st, &a, u, pv, T2026, "主库宕机", "机房断电");
	assert_int_equal(store_release(f->st), 0);
	/* A job that fails: its incident and its note on a go. */
	assert_int_equal(store_savepoint(f->st), 0);
	add_incident(f->st, &b, u, pv, T2026, "网络抖动", "交换机丢包");
	assert_int_equal(store_incident_index(f->st, a.inc.id, "雷击 storm"),
			 0);
	assert_int_equal(store_rollback_to(f->st), 0);
	/* The next job takes the same id again (SQLite), with other text. */
	assert_int_equal(store_savepoint(f->st), 0);
	add_incident(f->st, &c, u, pv, T2026, "磁盘告警", "存储满");
	assert_int_equal(store_incident_index(f->st, a.inc.id, "暴雨 flood"),
			 0);
	assert_int_equal(store_release(f->st), 0);
	assert_int_equal(store_commit(f->st), 0);
	/* SQLite gives the rolled-back id again (the case the stage must
	 * cut back for); an engine with sequences takes the next one. */
	assert_true(c.inc.id == b.inc.id || store_shared(f->st));
	assert_int_equal(found(f->st, "宕机", &s), 1);
	assert_int_equal(s.id[0], a.inc.id);
	assert_int_equal(found(f->st, "暴雨", &s), 1);
	assert_int_equal(s.id[0], a.inc.id);
	assert_int_equal(found(f->st, "flood", &s), 1);
	assert_int_equal(found(f->st, "磁盘告警", &s), 1);
	assert_int_equal(s.id[0], c.inc.id);
	assert_int_equal(found(f->st, "雷击", &s), 0);
	assert_int_equal(found(f->st, "storm", &s), 0);
	assert_int_equal(found(f->st, "抖动", &s), 0);
	assert_int_equal(found(f->st, "交换机", &s), 0);
	/* A transaction rolled back whole leaves nothing either. */
	assert_int_equal(store_begin(f->st), 0);
	assert_int_equal(store_incident_index(f->st, a.inc.id, "地震"), 0);
	assert_int_equal(store_rollback(f->st), 0);
	assert_int_equal(found(f->st, "地震", &s), 0);
	incident_row_release(&a);
	incident_row_release(&b);
	incident_row_release(&c);
}

/* The same incidents and lines, written one by one outside a transaction
 * (db 1) and in one transaction of savepoints (db 2), where an incident's
 * lines merge into one statement: every search finds the same. */
static void corpus(struct store *st, int64_t u, int64_t pv, int64_t id[3])
{
	struct incident_row r[3];

	add_incident(st, &r[0], u, pv, T2026, "主库宕机 Database down",
		     "机房断电");
	assert_int_equal(store_incident_index(st, r[0].inc.id,
					      "主库宕机 Database down"), 0);
	add_incident(st, &r[1], u, pv, T2026, "网络抖动", "交换机 50% 丢包");
	assert_int_equal(store_incident_index(st, r[0].inc.id, "备注: 雷击"),
			 0);
	assert_int_equal(store_incident_index(st, r[1].inc.id, "切换 lightning"),
			 0);
	add_incident(st, &r[2], u, pv, T2026, "磁盘", "");
	assert_int_equal(store_incident_index(st, r[0].inc.id, "已恢复 up"), 0);
	assert_int_equal(store_incident_index(st, r[2].inc.id, ""), 0);
	assert_int_equal(store_incident_index(st, r[2].inc.id, "满 full"), 0);
	for (int i = 0; i < 3; i++) {
		id[i] = r[i].inc.id;
		incident_row_release(&r[i]);
	}
}

static const char *const queries[] = {
	"宕机", "断电", "主库宕机", "database", "DOWN", "Da", "电", "机", "D",
	"雷击", "击", "备注", "lightning", "丢包", "50%", "%", "已恢复",
	"恢复 up", "up", "磁盘", "满", "full", "电\n备", "down\n备注",
	"库机", "暴雨", "换 l", "\"",
};

static void test_batch_finds_what_statements_found(void **state)
{
	struct fixture *f = *state;
	char url[sizeof(f->dir) + 16];
	int64_t u = add_user(f->st, "reporter"), pv = add_version(f->st, "it", u);
	int64_t id1[3], id2[3], u2, pv2;
	struct store *two;
	int from, to;

	snprintf(url, sizeof(url), "sqlite:%s/two.db", f->dir);
	assert_int_equal(store_open(&two, url, STORE_CREATE, NULL), 0);
	assert_int_equal(store_migrate(two, &from, &to, NULL), 0);
	u2 = add_user(two, "reporter");
	pv2 = add_version(two, "it", u2);
	corpus(f->st, u, pv, id1);
	assert_int_equal(store_begin(two), 0);
	assert_int_equal(store_savepoint(two), 0);
	corpus(two, u2, pv2, id2);
	assert_int_equal(store_release(two), 0);
	/* A line for an incident of an earlier transaction, merged. */
	assert_int_equal(store_commit(two), 0);
	assert_int_equal(store_incident_index(f->st, id1[1], "后续 next"), 0);
	assert_int_equal(store_incident_index(f->st, id1[1], "再次 again"), 0);
	assert_int_equal(store_begin(two), 0);
	assert_int_equal(store_savepoint(two), 0);
	assert_int_equal(store_incident_index(two, id2[1], "后续 next"), 0);
	assert_int_equal(store_release(two), 0);
	assert_int_equal(store_savepoint(two), 0);
	assert_int_equal(store_incident_index(two, id2[1], "再次 again"), 0);
	assert_int_equal(store_release(two), 0);
	assert_int_equal(store_commit(two), 0);
	for (size_t i = 0; i < ARRAY_LEN(queries); i++) {
		struct seen a, b;

		assert_int_equal(found(f->st, queries[i], &a),
				 found(two, queries[i], &b));
		for (int k = 0; k < a.n && k < 8; k++)
			for (int j = 0; j < 3; j++)
				if (a.id[k] == id1[j])
					assert_int_equal(b.id[k], id2[j]);
	}
	{
		struct seen a, b;

		assert_int_equal(found(f->st, "次 a", &a), 1);
		assert_int_equal(found(two, "次 a", &b), 1);
		assert_int_equal(found(two, "后续", &b), 1);
		assert_int_equal(found(two, "换 l", &b), 1);
	}
	store_close(two);
}

/* A connection carries its owner's cache pointer, untouched. */
static void test_cache_pointer(void **state)
{
	struct fixture *f = *state;
	int mine = 7;

	assert_null(store_cache(f->st));
	store_set_cache(f->st, &mine);
	assert_ptr_equal(store_cache(f->st), &mine);
	store_set_cache(f->st, NULL);
	assert_null(store_cache(f->st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_rolled_back_text_is_not_found),
		CT(test_batch_finds_what_statements_found),
		CT(test_cache_pointer),
	};

	return contract_main("stage", tests, ARRAY_LEN(tests));
}
