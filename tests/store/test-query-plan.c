/*
 * test-query-plan.c - the SQLite backend serves every incident list the
 * API accepts from an index, in the list's order: EXPLAIN QUERY PLAN of
 * each statement, as the store builds it (inc_list_query, the same path
 * a request takes), on a real migrated database file.
 *
 * Fails on "SCAN" of the incident table when any filter or search is
 * present (a table scan: cost grows with the table, not the page), on
 * "USE TEMP B-TREE" (a sort of every match before the first row), and
 * on a search that is not driven by its index with the incident row
 * joined by id. The timers' pre-filters and the statistics are checked
 * the same way.
 *
 * One case reads a whole index by design and is allowed: a search made
 * of ASCII punctuation or spaces alone ("-", "%"), which no token holds;
 * it reads the trigram index newest first until the page is full.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store-int.h"
#include "util/crypto.h"
#include "util/log.h"

static char dir[64];
static char path[128];
static struct store *st;
static sqlite3 *db;

static int setup(void **state)
{
	int from, to;
	char url[160];

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/erms-plan-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	snprintf(url, sizeof(url), "sqlite:%s", path);
	if (store_open(&st, url, STORE_CREATE, NULL) ||
	    store_migrate(st, &from, &to, NULL))
		return -1;
	return sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
			       SQLITE_OK ? 0 : -1;
}

static int teardown(void **state)
{
	char p[160];

	(void)state;
	sqlite3_close(db);
	store_close(st);
	for (const char *x = ""; x; x = !*x ? "-wal" : !strcmp(x, "-wal")
					      ? "-shm" : NULL) {
		snprintf(p, sizeof(p), "%s%s", path, x);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

/* The plan of sql, one detail per line, into out. */
static void plan_of(const char *sql, struct buf *out)
{
	struct buf q = BUF_INIT;
	sqlite3_stmt *t;

	buf_addf(&q, "EXPLAIN QUERY PLAN %s", sql);
	if (sqlite3_prepare_v2(db, buf_str(&q), -1, &t, NULL) != SQLITE_OK)
		fail_msg("prepare: %s\n%s", sqlite3_errmsg(db), sql);
	buf_reset(out);
	while (sqlite3_step(t) == SQLITE_ROW)
		buf_addf(out, "%s\n", (const char *)sqlite3_column_text(t, 3));
	sqlite3_finalize(t);
	buf_release(&q);
}

/* Whether a line of plan starts with what. */
static bool has_line(const char *plan, const char *what)
{
	size_t n = strlen(what);
	const char *l = plan;

	while (*l) {
		const char *nl = strchr(l, '\n');

		if (!strncmp(l, what, n))
			return true;
		if (!nl)
			break;
		l = nl + 1;
	}
	return false;
}

static const char *const statuses[] = { NULL, "active" };
static const char *const levels[] = { NULL, "level-1" };
static const char *const categories[] = { NULL, "network" };
static const int drills[] = { -1, 0 };
static const int64_t froms[] = { 0, 1769904000000LL };
static const int64_t tos[] = { 0, 1772323200000LL };
static const int64_t cursors[] = { 0, 500 };
/* NULL: no search; each mode of the pair and trigram indexes. */
static const char *const queries[] = {
	NULL, "库", "d", "主库", "DB", "数据库", "database", "a-", "-a",
	"，", "-", "%_",
};

static bool punctuation_only(const char *q)
{
	for (; *q; q++)
		if ((unsigned char)*q >= 0x80 ||
		    (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9'))
			return false;
	return true;
}

/* The plan of f's statement obeys the rules of this file. */
static void check_filter(const struct incident_filter *f)
{
	struct built_query bq;
	struct buf sql = BUF_INIT, plan = BUF_INIT;
	bool filtered = (f->status || f->level || f->category ||
			 f->is_drill >= 0 || f->from_ms || f->to_ms ||
			 f->before_id);
	bool search = f->q != NULL;

	inc_list_query(st, f, &bq);
	bq.text(bq.key, &sql);
	plan_of(buf_str(&sql), &plan);
	if (strstr(buf_str(&plan), "USE TEMP B-TREE"))
		fail_msg("a sort:\n%s\n%s", buf_str(&sql), buf_str(&plan));
	if (has_line(buf_str(&plan), "SCAN i\n") ||
	    has_line(buf_str(&plan), "SCAN i ") ||
	    has_line(buf_str(&plan), "SCAN incident")) {
		if (filtered || search)
			fail_msg("a table scan:\n%s\n%s", buf_str(&sql),
				 buf_str(&plan));
	}
	if (search) {
		/* The index drives, the row is joined by its id. */
		if (strncmp(buf_str(&plan), "SCAN f VIRTUAL TABLE", 20))
			fail_msg("not driven by the search index:\n%s\n%s",
				 buf_str(&sql), buf_str(&plan));
		if (!has_line(buf_str(&plan),
			      "SEARCH i USING INTEGER PRIMARY KEY (rowid=?)"))
			fail_msg("the row not joined by id:\n%s",
				 buf_str(&plan));
		/* Only punctuation alone reads the index without a match. */
		if (!strncmp(buf_str(&plan), "SCAN f VIRTUAL TABLE INDEX 0:",
			     29) && !punctuation_only(f->q))
			fail_msg("a full read of the index for '%s':\n%s",
				 f->q, buf_str(&plan));
	} else if (f->status || f->level || f->category || f->is_drill >= 0) {
		if (!has_line(buf_str(&plan), "SEARCH i USING INDEX incident_"))
			fail_msg("no index serves the filter:\n%s\n%s",
				 buf_str(&sql), buf_str(&plan));
	} else if (filtered) {
		if (!has_line(buf_str(&plan),
			      "SEARCH i USING INTEGER PRIMARY KEY"))
			fail_msg("the ids are not searched:\n%s\n%s",
				 buf_str(&sql), buf_str(&plan));
	}
	buf_release(&sql);
	buf_release(&plan);
	built_query_release(&bq);
}

/* Every combination of every filter, with and without each search. */
static void test_list_plans(void **state)
{
	int n = 0;

	(void)state;
	for (unsigned m = 0; m < 128; m++) {
		for (size_t q = 0; q < sizeof(queries) / sizeof(*queries); q++) {
			struct incident_filter f = {
				.status = statuses[m & 1],
				.level = levels[(m >> 1) & 1],
				.category = categories[(m >> 2) & 1],
				.is_drill = drills[(m >> 3) & 1],
				.from_ms = froms[(m >> 4) & 1],
				.to_ms = tos[(m >> 5) & 1],
				.before_id = cursors[(m >> 6) & 1],
				.q = queries[q], .limit = 51,
			};

			check_filter(&f);
			n++;
		}
	}
	assert_int_equal(n, 128 * 12);
}

/* The filter that drives is the console's: status before the others,
 * drill last (half the table). */
static void test_driver(void **state)
{
	struct incident_filter f = { .status = "active", .level = "level-1",
				     .is_drill = 0, .limit = 51 };
	struct built_query bq;
	struct buf sql = BUF_INIT, plan = BUF_INIT;

	(void)state;
	inc_list_query(st, &f, &bq);
	bq.text(bq.key, &sql);
	plan_of(buf_str(&sql), &plan);
	assert_non_null(strstr(buf_str(&plan), "USING INDEX incident_status"));
	buf_release(&sql);
	built_query_release(&bq);
	f.status = NULL;
	inc_list_query(st, &f, &bq);
	bq.text(bq.key, &sql);
	plan_of(buf_str(&sql), &plan);
	assert_non_null(strstr(buf_str(&plan), "USING INDEX incident_level"));
	buf_release(&sql);
	buf_release(&plan);
	built_query_release(&bq);
}

/* The ticker's queries read the partial indexes of what waits, in id
 * order; the statistics read the time range. */
static void test_timer_plans(void **state)
{
	struct buf plan = BUF_INIT;

	(void)state;
	plan_of(store_sql[Q_INC_DUE], &plan);
	assert_null(strstr(buf_str(&plan), "TEMP B-TREE"));
	assert_null(strstr(buf_str(&plan), "SCAN"));
	assert_non_null(strstr(buf_str(&plan), "INDEX incident_due_ack"));
	assert_non_null(strstr(buf_str(&plan), "INDEX incident_due_activate"));
	assert_non_null(strstr(buf_str(&plan), "INDEX incident_due_resolve"));
	plan_of(store_sql[Q_INC_UNACKED], &plan);
	assert_null(strstr(buf_str(&plan), "TEMP B-TREE"));
	assert_null(strstr(buf_str(&plan), "SCAN"));
	assert_non_null(strstr(buf_str(&plan), "INDEX incident_unacked"));
	/* Grouping sorts the rows of the range (its groups are the
	 * answer); the range itself is searched, not scanned. */
	plan_of(store_sql[Q_INC_STATS], &plan);
	assert_null(strstr(buf_str(&plan), "SCAN"));
	assert_non_null(strstr(buf_str(&plan), "INDEX incident_reported"));
	buf_release(&plan);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_plans),
		cmocka_unit_test(test_driver),
		cmocka_unit_test(test_timer_plans),
	};

	if (crypto_init())
		return 1;
	log_threshold = LL_WARN;
	return cmocka_run_group_tests_name("query-plan", tests, setup,
					   teardown);
}
