/*
 * test-pg-plan.c - the PostgreSQL backend serves every incident list and
 * search from indexes at a size where a table scan shows: 100,000
 * incidents (ERMS_PLAN_ROWS to change it) seeded with generate_series,
 * analysed, then each statement as the store builds it (inc_list_query,
 * the path a request takes) prepared and explained with the parameters
 * a call gives, both as planned for those values (a custom plan, which
 * the backend asks for: postgres.c) and as planned for any (the generic
 * plan a server would otherwise switch to after five runs of a prepared
 * statement: it too must scan no table).
 *
 * Fails on a Seq Scan of incident or timeline, on a Seq Scan of the
 * search table except for a search of ASCII punctuation alone (which no
 * index holds: it walks the ids newest first until the page is full, as
 * SQLite does), on a list with a filter not read through an index of
 * incident, and on a rare Chinese word of three characters (or two) not
 * found through the trigram (or pair) GIN index; and on a Seq Scan of
 * either table by the statements that read an incident by id or number,
 * the timers' and the statistics' (test_other_plans). The rare words'
 * answers are checked against a substring match over the whole table,
 * and a few searches are timed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pgtest.h"
#include "store/store-int.h"
#include "util/crypto.h"
#include "util/log.h"
#include "util/xalloc.h"

#define T0 1769904000000LL
#define MIN_MS 60000LL

static struct pgtest pg;
static long rows_n = 100000;

/* Each row's title, description and note take three of these. */
static const char *const vocab[] = {
	"数据库", "主库", "宕机", "网关", "缓存", "交易系统", "连接超时",
	"证书过期", "DB", "Gateway", "DataBase", "CPU", "cpu-90%", "a-b",
	"#7", "x_y", "主库宕机", "路由器", "机房", "磁盘满", "备份失败",
	"Ok", "光纤中断", "短信平台", "DNS", "负载均衡", "消息队列",
	"登录异常", "核心交换机", "同步延迟", "支付通道",
};
#define NV ((int)(sizeof(vocab) / sizeof(*vocab)))

/* Run sql (statements without parameters); fails the test on error. */
static void run(const char *sql)
{
	PGresult *res = PQexec(pg.conn, sql);
	char why[512];

	if (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK) {
		PQclear(res);
		return;
	}
	snprintf(why, sizeof(why), "%s", PQresultErrorMessage(res));
	PQclear(res);
	fail_msg("%s\n%s", why, sql);
}

/* A folded copy of s (ASCII letters only, as the search folds). */
static char *folded(const char *s)
{
	char *f = xstrdup(s);

	for (char *p = f; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return f;
}

static void seed_vocab(void)
{
	run("CREATE TEMP TABLE vocab (k int PRIMARY KEY, w text, p text[])");
	for (int k = 0; k < NV; k++) {
		char key[16], *w = folded(vocab[k]), *p = search_pairs(w);
		const char *v[] = { key, w, p };
		PGresult *res;

		snprintf(key, sizeof(key), "%d", k);
		res = PQexecParams(pg.conn, "INSERT INTO vocab VALUES ($1::int,"
				   " $2, string_to_array($3, ' '))", 3, NULL,
				   v, NULL, NULL, 0);
		assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
		PQclear(res);
		free(p);
		free(w);
	}
}

/* The search table's GIN indexes as the migration made them: dropped
 * before the seed and built again after it (in seconds, where growing
 * them row by row takes much longer). */
static char *search_index_sql[8];

static void drop_search_indexes(void)
{
	PGresult *res = PQexec(pg.conn, "SELECT indexname, indexdef"
			       " FROM pg_indexes WHERE tablename ="
			       " 'incident_search' AND indexdef LIKE '%gin%'");
	int n = PQntuples(res);

	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	assert_true(n >= 3 && n < 8);
	for (int i = 0; i < n; i++) {
		char drop[128];

		search_index_sql[i] = xstrdup(PQgetvalue(res, i, 1));
		snprintf(drop, sizeof(drop), "DROP INDEX %s",
			 PQgetvalue(res, i, 0));
		run(drop);
	}
	PQclear(res);
}

static void create_search_indexes(void)
{
	for (int i = 0; search_index_sql[i]; i++) {
		run(search_index_sql[i]);
		free(search_index_sql[i]);
		search_index_sql[i] = NULL;
	}
}

/*
 * n incidents, one minute apart: mostly closed, a few active or
 * reported; a category of three, a level of four, half of them drills;
 * a title of a word and a rare one (two CJK characters that about one
 * row has together, and 站), a description and a note of one word each,
 * their pair tokens as pg_search_new() and pg_search_add() make them; a
 * timeline line each.
 */
static void seed(void)
{
	char sql[4096];

	run("INSERT INTO users (id, login, display_name, password_hash,"
	    " created_ms, updated_ms) VALUES (1, 'seed', 'seed', 'x', 0, 0);"
	    "INSERT INTO plan (id, key, created_ms) VALUES (1, 'seed', 0);"
	    "INSERT INTO plan_version (id, plan_id, n, status, name_json,"
	    " source_name, source, content, author_id, created_ms,"
	    " updated_ms) VALUES (1, 1, 1, 'published', '{}', 's', '', '',"
	    " 1, 0, 0)");
	seed_vocab();
	snprintf(sql, sizeof(sql),
		 "INSERT INTO incident (id, number, title, category, status,"
		 " level_key, is_drill, reporter_id, plan_version_id,"
		 " detected_ms, reported_ms, updated_ms)"
		 " SELECT g, 'S-' || g, 't',"
		 " (ARRAY['system-failure', 'network', 'data-leak'])[1 + g %% 3],"
		 " CASE WHEN g %% 97 = 0 THEN 'active'"
		 " WHEN g %% 89 = 0 THEN 'reported'"
		 " WHEN g %% 13 = 0 THEN 'dismissed' ELSE 'closed' END,"
		 " (ARRAY['', 'level-1', 'level-2', 'level-3'])[1 + g %% 4],"
		 " g %% 2, 1, 1, %lld + g * %lld, %lld + g * %lld,"
		 " %lld + g * %lld FROM generate_series(1::bigint, %ld) g",
		 T0, MIN_MS, T0, MIN_MS, T0, MIN_MS, rows_n);
	run(sql);
	drop_search_indexes();
	snprintf(sql, sizeof(sql),
		 "INSERT INTO incident_search (id, title, body, pairs)"
		 " SELECT g, a.w || ' ' || r.x || r.y || '站',"
		 " b.w || chr(10) || c.w,"
		 " ARRAY(SELECT DISTINCT unnest(a.p || b.p || c.p ||"
		 " ARRAY[r.x, r.x || r.y, r.y, r.y || '站', '站']))"
		 " FROM generate_series(1::bigint, %ld) g"
		 " CROSS JOIN LATERAL (SELECT chr(19968 + (g %% 3000)::int) AS x,"
		 " chr(19968 + (g / 3000 %% 3000)::int) AS y) r"
		 " JOIN vocab a ON a.k = g %% %d"
		 " JOIN vocab b ON b.k = (g / %d) %% %d"
		 " JOIN vocab c ON c.k = (g * 7 + 3) %% %d",
		 rows_n, NV, NV, NV, NV);
	run(sql);
	create_search_indexes();
	snprintf(sql, sizeof(sql),
		 "INSERT INTO timeline (incident_id, at_ms, actor_id, kind,"
		 " text) SELECT g, %lld + g * %lld, 1, 'report', 'r'"
		 " FROM generate_series(1::bigint, %ld) g", T0, MIN_MS, rows_n);
	run(sql);
	run("ANALYZE");
}

/* The rare title word of row g: its two CJK characters and 站 (n = 3),
 * or the two alone (n = 2). */
static char *rare_word(long g, int n)
{
	unsigned x = 0x4e00 + (unsigned)(g % 3000);
	unsigned y = 0x4e00 + (unsigned)((g / 3000) % 3000);

	/* Both are three bytes in UTF-8 (U+4E00..U+5BB7). */
	return xasprintf("%c%c%c%c%c%c%s",
			 (char)(0xe0 | (x >> 12)), (char)(0x80 | ((x >> 6) & 0x3f)),
			 (char)(0x80 | (x & 0x3f)), (char)(0xe0 | (y >> 12)),
			 (char)(0x80 | ((y >> 6) & 0x3f)),
			 (char)(0x80 | (y & 0x3f)), n == 3 ? "站" : "");
}

/* The plan of bq's text for its parameters, custom or generic, into
 * out (one line per node). */
static void plan_of(const struct built_query *bq, bool generic,
		    struct buf *out)
{
	struct buf sql = BUF_INIT, ex = BUF_INIT;
	PGresult *res;

	bq->text(bq->key, &sql);
	res = PQprepare(pg.conn, "p", buf_str(&sql), 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fail_msg("prepare: %s\n%s", PQresultErrorMessage(res),
			 buf_str(&sql));
	PQclear(res);
	run(generic ? "SET plan_cache_mode = force_generic_plan"
		    : "SET plan_cache_mode = force_custom_plan");
	buf_adds(&ex, "EXPLAIN EXECUTE p(");
	for (int i = 0; i < bq->np; i++) {
		char num[32], *lit;
		const char *v = num;

		if (bq->p[i].t == SV_INT)
			snprintf(num, sizeof(num), "%lld",
				 (long long)bq->p[i].i);
		else
			v = bq->p[i].s;
		lit = PQescapeLiteral(pg.conn, v, strlen(v));
		buf_addf(&ex, "%s%s", i ? ", " : "", lit);
		PQfreemem(lit);
	}
	buf_adds(&ex, ")");
	res = PQexec(pg.conn, buf_str(&ex));
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		fail_msg("explain: %s\n%s", PQresultErrorMessage(res),
			 buf_str(&sql));
	buf_reset(out);
	for (int r = 0; r < PQntuples(res); r++)
		buf_addf(out, "%s\n", PQgetvalue(res, r, 0));
	PQclear(res);
	run("DEALLOCATE p");
	buf_release(&ex);
	buf_release(&sql);
}

static bool punctuation_only(const char *q)
{
	for (; *q; q++)
		if ((unsigned char)*q >= 0x80 ||
		    (*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
		    (*q >= '0' && *q <= '9'))
			return false;
	return true;
}

static const char *const statuses[] = { NULL, "active" };
static const char *const levels[] = { NULL, "level-1" };
static const char *const categories[] = { NULL, "network" };
static const int drills[] = { -1, 0 };
static const int64_t froms[] = { 0, T0 + 50000 * MIN_MS };
static const int64_t tos[] = { 0, T0 + 51000 * MIN_MS };
static const int64_t cursors[] = { 0, 500 };
/* NULL: no search; each mode of the pair and trigram indexes; the two
 * rare words are set at run time. */
static const char *queries[] = {
	NULL, "库", "d", "主库", "DB", "数据库", "database", "a-", "-a",
	"，", "-", "%_", "交易系统", NULL, NULL,
};
#define NQ (sizeof(queries) / sizeof(*queries))

/* The plan of f's statement obeys the rules of this file. */
static void check_filter(const struct incident_filter *f, bool generic,
			 bool rare)
{
	struct built_query bq;
	struct buf plan = BUF_INIT;
	bool driven = f->status || f->level || f->category || f->is_drill >= 0;
	const char *p;

	inc_list_query(pg.st, f, &bq);
	plan_of(&bq, generic, &plan);
	p = buf_str(&plan);
	if (strstr(p, "Seq Scan on incident ") ||
	    strstr(p, "Seq Scan on timeline"))
		fail_msg("a table scan (%s, q='%s'):\n%s",
			 generic ? "generic" : "custom", f->q ? f->q : "", p);
	if (strstr(p, "Seq Scan on incident_search") &&
	    !(f->q && punctuation_only(f->q)))
		fail_msg("a scan of the search table (%s, q='%s'):\n%s",
			 generic ? "generic" : "custom", f->q, p);
	if (!f->q && driven &&
	    !strstr(p, "Index Scan Backward using incident_") &&
	    !strstr(p, "Bitmap Index Scan on incident_"))
		fail_msg("no index serves the filter:\n%s", p);
	if (rare && !generic && strlen(f->q) > 6 &&
	    !strstr(p, "Bitmap Index Scan on incident_search_title"))
		fail_msg("'%s' not found by the trigram index:\n%s", f->q, p);
	if (rare && !generic && strlen(f->q) == 6 &&
	    !strstr(p, "Bitmap Index Scan on incident_search_pairs"))
		fail_msg("'%s' not found by the pair index:\n%s", f->q, p);
	buf_release(&plan);
	built_query_release(&bq);
}

/* Every combination of every filter, with and without each search,
 * custom and generic. */
static void test_list_plans(void **state)
{
	int n = 0;

	(void)state;
	for (unsigned m = 0; m < 128; m++) {
		for (size_t q = 0; q < NQ; q++) {
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

			if (q && !queries[q])
				continue;
			check_filter(&f, false, q >= NQ - 2 && !m);
			check_filter(&f, true, false);
			n++;
		}
	}
	printf("# %d statements explained twice\n", n);
}

struct ids {
	int64_t id[64];
	int n;
};

static int collect(void *ctx, const struct incident_row *r)
{
	struct ids *x = ctx;

	if (x->n < 64)
		x->id[x->n++] = r->inc.id;
	return 0;
}

/* The newest 51 ids whose search text holds q (already folded), by a
 * substring match over the whole table. */
static void reference(const char *q, struct ids *out)
{
	const char *v[] = { q };
	PGresult *res = PQexecParams(pg.conn,
		"SELECT id FROM incident_search WHERE strpos(title, $1) > 0"
		" OR strpos(body, $1) > 0 ORDER BY id DESC LIMIT 51", 1, NULL,
		v, NULL, NULL, 0);

	assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
	out->n = PQntuples(res);
	for (int i = 0; i < out->n; i++)
		out->id[i] = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	PQclear(res);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Answers at this size are the substring match's, and what they take. */
static void test_answers(void **state)
{
	(void)state;
	for (size_t q = 1; q < NQ; q++) {
		struct incident_filter f = { .is_drill = -1, .limit = 51,
					     .q = queries[q] };
		struct ids got = { .n = 0 }, want;
		char *fq = folded(queries[q]);
		double t0, best = 1e9;

		reference(fq, &want);
		for (int r = 0; r < 5; r++) {
			got.n = 0;
			t0 = now_ms();
			assert_int_equal(store_incident_list(pg.st, &f, collect,
							     &got), 0);
			if (now_ms() - t0 < best)
				best = now_ms() - t0;
		}
		if (got.n != want.n || memcmp(got.id, want.id,
					      sizeof(int64_t) * (size_t)got.n))
			fail_msg("q='%s': %d rows, want %d", queries[q], got.n,
				 want.n);
		printf("# q='%s': %d rows in %.2f ms\n", queries[q], got.n,
		       best);
		free(fq);
	}
}

/* The other statements that read incident or timeline by a key, a
 * waiting state or a time: none scans either table (every parameter 1:
 * an id, a small limit, a time long past). */
static void test_other_plans(void **state)
{
	static const enum q qs[] = { Q_INC_GET, Q_INC_BY_NUMBER, Q_INC_DUE,
				     Q_INC_UNACKED, Q_INC_STATS, Q_TL_LIST };

	(void)state;
	run("SET plan_cache_mode = force_custom_plan");
	for (size_t k = 0; k < sizeof(qs) / sizeof(*qs); k++) {
		const char *text = store_postgres_sql[qs[k]]
					   ? store_postgres_sql[qs[k]]
					   : store_sql[qs[k]];
		struct buf ex = BUF_INIT, plan = BUF_INIT;
		PGresult *res = PQprepare(pg.conn, "o", text, 0, NULL);
		int np;

		assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
		PQclear(res);
		res = PQdescribePrepared(pg.conn, "o");
		np = PQnparams(res);
		PQclear(res);
		buf_adds(&ex, "EXPLAIN EXECUTE o");
		for (int i = 0; i < np; i++)
			buf_adds(&ex, i ? ", '1'" : "('1'");
		buf_adds(&ex, np ? ")" : "");
		res = PQexec(pg.conn, buf_str(&ex));
		assert_int_equal(PQresultStatus(res), PGRES_TUPLES_OK);
		for (int r = 0; r < PQntuples(res); r++)
			buf_addf(&plan, "%s\n", PQgetvalue(res, r, 0));
		PQclear(res);
		run("DEALLOCATE o");
		if (strstr(buf_str(&plan), "Seq Scan on incident ") ||
		    strstr(buf_str(&plan), "Seq Scan on timeline"))
			fail_msg("a table scan:\n%s\n%s", text,
				 buf_str(&plan));
		buf_release(&plan);
		buf_release(&ex);
	}
}

static int setup(void **state)
{
	const char *n = getenv("ERMS_PLAN_ROWS");
	double t0 = now_ms();

	(void)state;
	if (n && strtol(n, NULL, 10) >= 10000)
		rows_n = strtol(n, NULL, 10);
	if (pgtest_open(&pg, "plan"))
		return -1;
	seed();
	printf("# %ld incidents seeded in %.1f s\n", rows_n,
	       (now_ms() - t0) / 1e3);
	/* Rows 3005 and 6007's rare words: one row each. */
	queries[NQ - 2] = rare_word(3005, 3);
	queries[NQ - 1] = rare_word(6007, 2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free((char *)queries[NQ - 2]);
	free((char *)queries[NQ - 1]);
	pgtest_close(&pg);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_plans),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_other_plans),
	};

	if (!pgtest_server()) {
		fprintf(stderr, "ERMS_TEST_POSTGRES_URL is not set: this test"
			" of the postgres suite needs a server (scripts/pg.sh"
			" start DIR prints its URL)\n");
		return 1;
	}
	if (crypto_init())
		return 1;
	log_threshold = LL_WARN;
	return cmocka_run_group_tests_name("pg-plan", tests, setup, teardown);
}
