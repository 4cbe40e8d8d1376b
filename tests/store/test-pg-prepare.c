/*
 * test-pg-prepare.c - every query text the PostgreSQL backend would run
 * prepares on a fresh schema, with types it can bind and read: for each
 * enum q, store_postgres_sql[q], else store_sql[q] (as postgres.c picks
 * it), prepared without types as the backend does (the server infers
 * each $n), and its description checked:
 *
 * - each parameter is bigint, text or boolean: the backend sends every
 *   value as text, integers as 64-bit numbers, so an integer parameter
 *   inferred as integer (int4) would refuse a time in ms;
 * - each result column is of a type the backend reads (postgres.c,
 *   value_of): integers, numeric holding integers, boolean, text.
 *
 * The contract suite runs the texts it exercises; this reaches the rest.
 * The built incident lists and searches are checked by test-pg-plan.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgtest.h"
#include "store/store-int.h"
#include "util/crypto.h"
#include "util/log.h"

/* Type oids of pg_type.dat. */
enum {
	T_BOOL = 16, T_INT8 = 20, T_INT2 = 21, T_INT4 = 23, T_TEXT = 25,
	T_VARCHAR = 1043, T_NUMERIC = 1700,
};

static struct pgtest pg;

static bool param_ok(Oid t)
{
	return t == T_INT8 || t == T_TEXT || t == T_BOOL;
}

static bool column_ok(Oid t)
{
	return t == T_INT8 || t == T_INT4 || t == T_INT2 || t == T_TEXT ||
	       t == T_VARCHAR || t == T_BOOL || t == T_NUMERIC;
}

/* Prepare text as "q<i>" and check its description; the failures are
 * counted in *bad and told on stderr. */
static void check_text(int i, const char *text, int *bad)
{
	char name[32];
	PGresult *res;

	snprintf(name, sizeof(name), "q%d", i);
	res = PQprepare(pg.conn, name, text, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "q %d does not prepare: %s%s\n", i,
			PQresultErrorMessage(res), text);
		PQclear(res);
		(*bad)++;
		return;
	}
	PQclear(res);
	res = PQdescribePrepared(pg.conn, name);
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	for (int p = 0; p < PQnparams(res); p++) {
		if (!param_ok(PQparamtype(res, p))) {
			fprintf(stderr, "q %d: $%d is of type %u:\n%s\n", i,
				p + 1, PQparamtype(res, p), text);
			(*bad)++;
		}
	}
	for (int c = 0; c < PQnfields(res); c++) {
		if (!column_ok(PQftype(res, c))) {
			fprintf(stderr, "q %d: column %s is of type %u:\n%s\n",
				i, PQfname(res, c), PQftype(res, c), text);
			(*bad)++;
		}
	}
	PQclear(res);
}

static void test_every_text_prepares(void **state)
{
	int bad = 0, n = 0;

	(void)state;
	for (int i = 0; i < Q__COUNT; i++) {
		const char *text = store_postgres_sql[i] ? store_postgres_sql[i]
							 : store_sql[i];

		/* SQLite's own (its second search index): no text here. */
		if (!text)
			continue;
		check_text(i, text, &bad);
		n++;
	}
	printf("# %d query texts prepared, %d problems\n", n, bad);
	assert_int_equal(bad, 0);
	assert_true(n > Q__COUNT / 2);
}

static int setup(void **state)
{
	(void)state;
	return pgtest_open(&pg, "prepare");
}

static int teardown(void **state)
{
	(void)state;
	pgtest_close(&pg);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_text_prepares),
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
	return cmocka_run_group_tests_name("pg-prepare", tests, setup,
					   teardown);
}
