/*
 * pgtest.c - the PostgreSQL-only store tests' database (pgtest.h).
 */
#include "pgtest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *pgtest_server(void)
{
	const char *u = getenv("ERMS_TEST_POSTGRES_URL");

	return u && *u ? u : NULL;
}

int pgtest_url_with(char *out, size_t n, const char *url, const char *db)
{
	const char *scheme = strstr(url, "://");
	const char *path = scheme ? strchr(scheme + 3, '/') : NULL;
	const char *query = strchr(url, '?');
	int len;

	if (!scheme)
		return -1;
	if (!path || (query && path > query))
		path = query ? query : url + strlen(url);
	len = snprintf(out, n, "%.*s/%s%s", (int)(path - url), url, db,
		       query ? query : "");
	return len > 0 && (size_t)len < n ? 0 : -1;
}

int pgtest_open(struct pgtest *t, const char *name)
{
	int from, to;

	memset(t, 0, sizeof(*t));
	if (!pgtest_server())
		return -1;
	snprintf(t->db, sizeof(t->db), "erms_%s_%ld", name, (long)getpid());
	if (pgtest_url_with(t->url, sizeof(t->url), pgtest_server(), t->db))
		return -1;
	/* STORE_CREATE creates the database, as `erms init` does. */
	if (store_open(&t->st, t->url, STORE_CREATE, NULL) ||
	    store_migrate(t->st, &from, &to, NULL)) {
		fprintf(stderr, "pgtest: cannot create and migrate %s\n",
			t->db);
		return -1;
	}
	t->conn = PQconnectdb(t->url);
	if (PQstatus(t->conn) != CONNECTION_OK) {
		fprintf(stderr, "pgtest: %s", PQerrorMessage(t->conn));
		return -1;
	}
	return 0;
}

void pgtest_close(struct pgtest *t)
{
	PGconn *c;
	char sql[160];

	PQfinish(t->conn);
	t->conn = NULL;
	if (t->st)
		store_close(t->st);
	t->st = NULL;
	/* ERMS_PGTEST_KEEP=1: left for a look (EXPLAIN by hand). */
	if (!t->db[0] || getenv("ERMS_PGTEST_KEEP"))
		return;
	c = PQconnectdb(pgtest_server());
	if (PQstatus(c) == CONNECTION_OK) {
		/* The name is ours: letters, digits and underscores. */
		snprintf(sql, sizeof(sql),
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->db);
		PQclear(PQexec(c, sql));
	}
	PQfinish(c);
	t->db[0] = '\0';
}
