/*
 * contract.h - the store contract suite: what every test file shares.
 *
 * The suite is written once against store/store.h and runs against every
 * backend of the table in contract.c (SQLite now). Each test gets a fresh,
 * fully migrated database of the backend under test (contract_setup) and
 * loses it afterwards (contract_teardown); nothing a test writes is seen by
 * another. Tests speak only store.h: no SQL, no engine names, no ids
 * assumed beyond "positive and growing".
 *
 * A test file lists its tests with CT() and ends in
 *     int main(void) { return contract_main("name", tests,
 *                                            ARRAY_LEN(tests)); }
 * tools/check-store-calls.sh checks that the files together call every
 * function store.h declares.
 */
#ifndef ERMS_TESTS_STORE_CONTRACT_H
#define ERMS_TESTS_STORE_CONTRACT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* 2026-02-01T00:00:00Z, and a day and a minute, in ms. */
#define T2026 1769904000000LL
#define DAY_MS 86400000LL
#define MIN_MS 60000LL

struct fixture;

/*
 * One row per storage engine. create() makes a new empty database called
 * name for f (fills f->url and, for a file-based engine, f->path; f->dir
 * is a fresh temporary folder the test may also use for files) and
 * returns 0, or non-zero when the engine cannot be reached; destroy()
 * removes what create() made. open_copy() opens, read-only, the copy
 * store_backup() wrote to path; NULL for an engine whose store_backup()
 * refuses (it says how to back it up instead). env, if not NULL, names
 * the environment variable the engine needs: without it the row is
 * skipped. ERMS_STORE_BACKENDS (a comma list of names) picks rows.
 */
struct backend {
	const char *name;
	const char *env;
	int (*create)(struct fixture *f, const char *name);
	void (*destroy)(struct fixture *f);
	int (*open_copy)(const struct fixture *f, const char *path,
			 struct store **out);
};

struct fixture {
	const struct backend *be;
	char dir[64];		/* a temporary folder of this test's own */
	char url[192];		/* what store_open() was given */
	char path[160];		/* a file path for file-based engines, or "" */
	struct store *st;	/* open and migrated */
};

int contract_setup(void **state);
int contract_teardown(void **state);
/* Runs tests once per backend of the table; 0 when all passed. */
int contract_main(const char *group, const struct CMUnitTest *tests,
		  size_t n);

#define CT(fn) cmocka_unit_test_setup_teardown(fn, contract_setup, \
					       contract_teardown)

/* A user ready to insert (login, a bilingual display name, zh-CN). */
struct user mk_user(const char *login);
/* Insert a user; returns its id (fails the test otherwise). */
int64_t add_user(struct store *st, const char *login);
/* Insert a group; returns its id. */
int64_t add_group(struct store *st, const char *key, enum group_kind kind);
/* A plan `key` with one draft version by author; returns the version id. */
int64_t add_version(struct store *st, const char *key, int64_t author);
/*
 * Insert an incident reported at reported_ms by reporter under version
 * pv; r is filled (and owned by the caller: incident_row_release()).
 */
void add_incident(struct store *st, struct incident_row *r,
		  int64_t reporter, int64_t pv, int64_t reported_ms,
		  const char *title, const char *description);

#endif
