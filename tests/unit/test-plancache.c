/*
 * test-plancache.c - typed plans kept per version id, over a real SQLite
 * file: a version out of draft is built once and handed out again; a
 * draft is built on each call (it may still be edited); a reader keeps a
 * whole plan after the cache let go of it; a missing version and content
 * that is not a plan are told apart.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/plancache.h"
#include "core/planflow.h"
#include "store/store.h"
#include "util/err.h"

#define PLAN_A "{\"key\": \"a\", \"levels\": [{\"key\": \"l1\", \"rank\": 1," \
	"\"targets\": {\"ack_min\": 5, \"activate_min\": 15," \
	"\"resolve_min\": 240}}], \"escalation\": [{\"notify\": [\"c\"]," \
	"\"after_min\": 0}, {\"notify\": [\"l\"], \"after_min\": 15}]}"
#define PLAN_B "{\"key\": \"b\", \"escalation\": []}"

struct fixture {
	char dir[64];
	char db[128];
	struct store *st;
	struct plan_cache pc;
	int64_t plan_id, author_id;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct user u = { .created_ms = 1000 };
	int from, to;

	snprintf(f->dir, sizeof(f->dir), "/tmp/erms-plancache-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	if (store_open(&f->st, f->db, STORE_CREATE, NULL) ||
	    store_migrate(f->st, &from, &to, NULL))
		return -1;
	snprintf(u.login, sizeof(u.login), "erin");
	snprintf(u.locale, sizeof(u.locale), "zh-CN");
	if (store_user_insert(f->st, &u, "h") ||
	    store_plan_insert(f->st, "p", 10, &f->plan_id))
		return -1;
	f->author_id = u.id;
	plan_cache_init(&f->pc);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char path[160];
	const char *suffix[] = { "", "-wal", "-shm" };

	plan_cache_release(&f->pc);
	store_close(f->st);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", f->db, suffix[i]);
		unlink(path);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* A version of the fixture's plan with this status and content. */
static int64_t version(struct fixture *f, int status, const char *content)
{
	struct plan_version v = {
		.plan_id = f->plan_id, .status = status,
		.name_json = (char *)"\"p\"", .source_name = (char *)"p.yaml",
		.content = (char *)content, .author_id = f->author_id,
		.created_ms = 10,
	};

	assert_int_equal(store_pv_insert(f->st, &v), 0);
	return v.id;
}

/* Replace a version's content in the store. */
static void rewrite(struct fixture *f, int64_t id, const char *content)
{
	struct plan_version v = { 0 };

	assert_int_equal(store_pv_get_id(f->st, id, &v), 0);
	free(v.content);
	v.content = strdup(content);
	assert_int_equal(store_pv_update(f->st, &v), 0);
	plan_version_release(&v);
}

/* Published: built once; later reads of the store are not needed. */
static void test_kept(void **state)
{
	struct fixture *f = *state;
	int64_t id = version(f, PV_PUBLISHED, PLAN_A);
	const struct plan *a, *b;

	assert_int_equal(plan_cache_get(&f->pc, f->st, id, &a), 0);
	assert_true(a->version_id == id);
	assert_int_equal(a->ntiers, 2);
	assert_int_equal(a->tiers[1].after_min, 15);
	assert_int_equal(a->levels[0].targets.resolve_min, 240);
	rewrite(f, id, PLAN_B);
	assert_int_equal(plan_cache_get(&f->pc, f->st, id, &b), 0);
	assert_ptr_equal(a, b);
	assert_string_equal(b->key, "a");
	plan_unref(a);
	plan_unref(b);
}

/* A draft may still change: each call reads it again. */
static void test_draft(void **state)
{
	struct fixture *f = *state;
	int64_t id = version(f, PV_DRAFT, PLAN_A);
	const struct plan *a, *b;

	assert_int_equal(plan_cache_get(&f->pc, f->st, id, &a), 0);
	rewrite(f, id, PLAN_B);
	assert_int_equal(plan_cache_get(&f->pc, f->st, id, &b), 0);
	assert_ptr_not_equal(a, b);
	assert_string_equal(a->key, "a");
	assert_string_equal(b->key, "b");
	plan_unref(a);
	plan_unref(b);
}

/* More versions than slots: the oldest are dropped from the cache, and a
 * reader that holds one still reads it whole. */
static void test_dropped_stays_whole(void **state)
{
	struct fixture *f = *state;
	int64_t first = version(f, PV_SUPERSEDED, PLAN_A);
	const struct plan *held, *p;

	assert_int_equal(plan_cache_get(&f->pc, f->st, first, &held), 0);
	for (int i = 0; i < PLAN_CACHE_SLOTS + 2; i++) {
		int64_t id = version(f, PV_PUBLISHED, PLAN_B);

		assert_int_equal(plan_cache_get(&f->pc, f->st, id, &p), 0);
		plan_unref(p);
	}
	plan_cache_release(&f->pc);
	plan_cache_init(&f->pc);
	assert_string_equal(held->key, "a");
	assert_int_equal(held->tiers[0].nnotify, 1);
	assert_string_equal(held->tiers[0].notify[0], "c");
	plan_unref(held);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	int64_t bad = version(f, PV_PUBLISHED, "[1, 2]");
	int64_t broken = version(f, PV_PUBLISHED, "{not json");
	const struct plan *p = (const struct plan *)1;

	assert_int_equal(plan_cache_get(&f->pc, f->st, 9999, &p),
			 ERMS_ENOTFOUND);
	assert_null(p);
	assert_int_equal(plan_cache_get(&f->pc, f->st, bad, &p), ERMS_ESTORE);
	assert_null(p);
	assert_int_equal(plan_cache_get(&f->pc, f->st, broken, &p),
			 ERMS_ESTORE);
	assert_int_equal(plan_load(f->st, 9999, &p), ERMS_ENOTFOUND);
	assert_null(p);
}

/* The plan in force, and none before one is published. */
static void test_current(void **state)
{
	struct fixture *f = *state;
	const struct plan *p;
	int64_t id;

	assert_int_equal(plan_load_current(f->st, &p), ERMS_ENOTFOUND);
	assert_null(p);
	version(f, PV_DRAFT, PLAN_B);
	assert_int_equal(plan_load_current(f->st, &p), ERMS_ENOTFOUND);
	id = version(f, PV_PUBLISHED, PLAN_A);
	assert_int_equal(plan_load_current(f->st, &p), 0);
	assert_true(p->version_id == id);
	assert_string_equal(p->key, "a");
	plan_unref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_draft, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dropped_stays_whole, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_current, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
