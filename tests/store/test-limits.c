/*
 * test-limits.c - the store contract for the sign-in limit rows shared
 * by the nodes of one database.
 */
#include "contract.h"

/* A row is absent until written, then read back whole; a second write
 * replaces it; the kinds keep their keys apart. */
static void test_limit_rows(void **state)
{
	struct fixture *f = *state;
	struct limit_row r = { .kind = 1, .tokens_u = 4500000,
			       .updated_ms = 100, .fails = 3,
			       .decay_ms = 200, .next_ms = 300,
			       .used_ms = 400 }, got;

	snprintf(r.key, sizeof(r.key), "10.0.0.1|张三");
	assert_int_equal(store_limit_get(f->st, 1, r.key, &got),
			 ERMS_ENOTFOUND);
	assert_int_equal(got.kind, 1);
	assert_string_equal(got.key, r.key);
	assert_int_equal(got.tokens_u, 0);
	assert_int_equal(store_limit_put(f->st, &r), 0);
	assert_int_equal(store_limit_get(f->st, 1, r.key, &got), 0);
	assert_int_equal(got.tokens_u, 4500000);
	assert_int_equal(got.updated_ms, 100);
	assert_int_equal(got.fails, 3);
	assert_int_equal(got.decay_ms, 200);
	assert_int_equal(got.next_ms, 300);
	assert_int_equal(got.used_ms, 400);
	assert_int_equal(store_limit_get(f->st, 2, r.key, &got),
			 ERMS_ENOTFOUND);
	r.tokens_u = 0;
	r.fails = 4;
	r.used_ms = 500;
	assert_int_equal(store_limit_put(f->st, &r), 0);
	assert_int_equal(store_limit_get(f->st, 1, r.key, &got), 0);
	assert_int_equal(got.tokens_u, 0);
	assert_int_equal(got.fails, 4);
	assert_int_equal(got.used_ms, 500);
}

/* Rows unused since a time go; the others stay. */
static void test_limit_prune(void **state)
{
	struct fixture *f = *state;
	struct limit_row a = { .kind = 0, .used_ms = 100 },
			 b = { .kind = 0, .used_ms = 900 }, got;
	int64_t n = -1;

	snprintf(a.key, sizeof(a.key), "10.0.0.1");
	snprintf(b.key, sizeof(b.key), "10.0.0.2");
	assert_int_equal(store_limit_put(f->st, &a), 0);
	assert_int_equal(store_limit_put(f->st, &b), 0);
	assert_int_equal(store_limit_prune(f->st, 500, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_limit_get(f->st, 0, a.key, &got),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_limit_get(f->st, 0, b.key, &got), 0);
	assert_int_equal(store_limit_prune(f->st, 500, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_limit_rows),
		CT(test_limit_prune),
	};

	return contract_main("limits", tests, ARRAY_LEN(tests));
}
