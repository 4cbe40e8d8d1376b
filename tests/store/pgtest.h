/*
 * pgtest.h - what the PostgreSQL-only store tests share: a fresh,
 * migrated database of its own on the server of ERMS_TEST_POSTGRES_URL
 * (scripts/pg.sh starts one), a store and a libpq connection on it, and
 * its end. Without that variable the program fails (it belongs to the
 * postgres suite, which needs a server).
 */
#ifndef ERMS_TESTS_STORE_PGTEST_H
#define ERMS_TESTS_STORE_PGTEST_H

#include <libpq-fe.h>

#include "store/store.h"

#define PGTEST_SKIP 77

struct pgtest {
	char db[64];		/* the database's name */
	char url[256];		/* its URL, as store_open() was given it */
	struct store *st;
	PGconn *conn;
};

/* The server's URL, NULL when the variable is unset. */
/* The server of ERMS_TEST_POSTGRES_URL, or NULL when it is not set. */
const char *pgtest_server(void);
/* url with its database (the path after host[:port]) replaced by db:
 * 0, or -1 when it does not fit in n. */
int pgtest_url_with(char *out, size_t n, const char *url, const char *db);
/* Create database "erms_<name>_<pid>", migrate it with the store, and
 * connect: 0, or -1 with the reason on stderr. */
int pgtest_open(struct pgtest *t, const char *name);
/* Close both and drop the database. */
void pgtest_close(struct pgtest *t);

#endif
