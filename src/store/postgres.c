/*
 * postgres.c - the PostgreSQL backend (libpq).
 *
 * One struct pg_store per connection. Each query of enum q is prepared
 * once per connection (PQprepare, named "q<n>") on first use and then run
 * with PQexecPrepared: parameters go as text ($1, $2, ..., their types
 * inferred by the server),
 * results come back as text and are read by column type (integers and
 * booleans as SV_INT, the rest as SV_TEXT). Built queries (the incident
 * list) are kept by key like sqlite.c does, the last BUILT_KEPT used.
 *
 * Durability: every connection runs with synchronous_commit = on, so a
 * COMMIT returns once the commit record is flushed (and, with a
 * synchronous standby, received there): what erms acknowledges survives
 * the loss of the primary. A COMMIT whose answer never came is an error:
 * the caller answers 503 and never 2xx for a write it cannot prove.
 *
 * Several nodes share one database. A write transaction takes one
 * transaction-scoped advisory lock at BEGIN (WRITE_LOCK), which makes
 * write transactions of every node run one after another, as backend.h's
 * begin asks: the audit chain appends to the head it read, incident
 * numbers stay gapless, and event ids become visible in commit order so
 * a reader that has seen event n never later finds one below n. Each
 * commit sends NOTIFY erms, which wakes the other nodes' listeners
 * (wait_change); the tables stay the truth.
 *
 * When the server goes away, the call that finds out fails (ERMS_ESTORE)
 * and later calls connect again, no more often than a backoff allows
 * (RETRY_FIRST_MS doubling to RETRY_MAX_MS), without ever sleeping: the
 * call is refused until the backoff has passed. A multi-host URL with
 * target_session_attrs=read-write then finds the new primary. A write
 * transaction that was open when the connection died is not replayed:
 * its calls fail until the caller rolls it back.
 */
#define LOG_MOD "store"
#include "store/backend.h"

#include <libpq-fe.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/embed.h"
#include "util/log.h"
#include "util/xalloc.h"

/* Advisory lock keys (one 64-bit space per database): the write
 * serialisation, the scheduler's leadership and the migrations. */
#define WRITE_LOCK	0x65726d7301LL
#define LEADER_LOCK	0x65726d7302LL
#define MIGRATE_LOCK	0x65726d7303LL

#define RETRY_FIRST_MS	100
#define RETRY_MAX_MS	2000

/* Built statements a connection keeps: the filter combinations in use
 * (a console uses a handful). */
#define BUILT_KEPT 16

/* No query runs longer (57014, answered 503 as ERMS_EBUSY): a write
 * waiting that long for the write lock, too. */
#define STATEMENT_TIMEOUT "30s"

/* The oldest server this backend is written for. */
#define SERVER_MIN 130000

/* Type oids of pg_type.h (catalog/pg_type_d.h is a server header). */
#define OID_BOOL	16
#define OID_INT8	20
#define OID_INT2	21
#define OID_INT4	23
#define OID_OID		26
#define OID_NUMERIC	1700

struct built_stmt {
	unsigned key;
	void (*text)(unsigned key, struct buf *b);
	char name[16];		/* "" when free */
	int nparams;
	uint64_t used;		/* s->tick when last run: the oldest goes */
};

struct pg_store {
	struct store base;
	PGconn *conn;		/* NULL while disconnected */
	char *url;
	unsigned flags;
	bool prepared[Q__COUNT];
	int nparams[Q__COUNT];
	struct built_stmt built[BUILT_KEPT];
	unsigned built_seq;	/* names of built statements: "b<n>" */
	uint64_t tick;
	bool in_tx;		/* a write transaction begun, not yet ended */
	int depth;		/* savepoints open in it */
	bool listening;		/* LISTEN erms ran on this connection */
	bool listened;		/* ... or on one before it */
	bool leader;		/* LEADER_LOCK held by this connection */
	int64_t retry_at_ms;	/* no connection attempt before this */
	int backoff_ms;
};

static struct pg_store *P(struct store *st)
{
	return container_of(st, struct pg_store, base);
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Cut a libpq message (which ends in a newline) for a log line or an
 * errbuf. */
static void chomp(char *m)
{
	size_t len = strlen(m);

	while (len && (m[len - 1] == '\n' || m[len - 1] == ' '))
		m[--len] = '\0';
}

/* The server's message (or libpq's) of a failure, for a log line. */
static const char *msg_of(const PGresult *res, PGconn *conn, char *b,
			  size_t n)
{
	const char *m = res ? PQresultErrorMessage(res) : "";

	if (!m || !*m)
		m = conn ? PQerrorMessage(conn) : "no connection";
	snprintf(b, n, "%s", m);
	chomp(b);
	return b;
}

/* res's SQLSTATE, "" when it has none (no answer came). */
static const char *state_of(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
				: NULL;

	return state ? state : "";
}

/* Forget the connection: the next call connects again (after the
 * backoff). Prepared statements, LISTEN and the leader's lock went
 * with it. */
static void drop(struct pg_store *s)
{
	PQfinish(s->conn);
	s->conn = NULL;
	s->listening = false;
	s->leader = false;
	memset(s->prepared, 0, sizeof(s->prepared));
	memset(s->built, 0, sizeof(s->built));
}

/*
 * The store's code for a failed result (res may be NULL: nothing came
 * back). A connection that broke, or a primary that became a standby
 * (25006 on a writer: a failover happened), is dropped so that the next
 * call connects again and finds the primary.
 */
static int fail(struct pg_store *s, const PGresult *res, const char *what)
{
	const char *state = state_of(res);
	bool bad = !s->conn || PQstatus(s->conn) != CONNECTION_OK;
	char m[256];

	if (!strcmp(state, "23505"))
		return ERMS_ECONFLICT;
	if (!strcmp(state, "23503"))
		return ERMS_ENOTFOUND;
	log_error("%s: %s (%s)", what, msg_of(res, s->conn, m, sizeof(m)),
		  *state ? state : "no answer");
	if (!strcmp(state, "25006") && !(s->flags & STORE_READONLY))
		bad = true;
	/* Class 08 (connection exception) and 57P01..57P05 (the server is
	 * shutting down or restarting): this connection is done. */
	if (!strncmp(state, "08", 2) || !strncmp(state, "57P0", 4))
		bad = true;
	if (bad) {
		drop(s);
		s->retry_at_ms = mono_ms();
		return ERMS_ESTORE;
	}
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
	    !strcmp(state, "55P03") || !strcmp(state, "57014"))
		return ERMS_EBUSY;
	return ERMS_ESTORE;
}

/* Run sql (no parameters; may be several statements) and check that it
 * succeeded. */
static int exec(struct pg_store *s, const char *sql)
{
	PGresult *res = PQexec(s->conn, sql);
	ExecStatusType t = PQresultStatus(res);
	int rc = 0;

	if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
		char what[64];

		snprintf(what, sizeof(what), "exec '%.40s'", sql);
		rc = fail(s, res, what);
	}
	PQclear(res);
	return rc;
}

/* Run sql and give its first column of its first row in *v (0 if none). */
static int exec_int(struct pg_store *s, const char *sql, int64_t *v)
{
	PGresult *res = PQexec(s->conn, sql);
	int rc = 0;

	*v = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = fail(s, res, "query");
	else if (PQntuples(res) > 0)
		*v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return rc;
}

/* libpq's notices (NOTICE from the server) are not ours to print. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	log_debug("server notice: %s", message);
}

/*
 * Connect to url. Settings that make the engine behave as erms expects
 * are set on every connection: commits durable when acknowledged, UTF-8,
 * UTC, no query running longer than 30 s, and read-only for a reader.
 * A reader plans every statement for its values (plan_cache_mode): after
 * five runs the server may otherwise keep a generic plan, which guesses
 * how many rows match, and a search for a rare word would walk every id
 * where its index finds the one row (postgres-search.c); a plan costs
 * well under a millisecond. The writer keeps generic plans: it runs
 * some twenty short statements a report, each by its primary key or a
 * unique one, and would pay a plan for every one of them. The URL's own
 * connect_timeout and application_name win over ours.
 */
static PGconn *connect_to(const char *url, unsigned flags, char *err,
			  size_t n)
{
	const char *keys[] = { "connect_timeout", "application_name",
			       "client_encoding", "dbname", NULL };
	const char *vals[] = { "5", "erms", "UTF8", url, NULL };
	PGconn *c = PQconnectdbParams(keys, vals, 1);
	PGresult *res;
	const char *set =
		"SET synchronous_commit = on; SET TimeZone = 'UTC';"
		" SET statement_timeout = '" STATEMENT_TIMEOUT "'";

	if (!c || PQstatus(c) != CONNECTION_OK) {
		snprintf(err, n, "%s", c ? PQerrorMessage(c) : "out of memory");
		PQfinish(c);
		return NULL;
	}
	PQsetNoticeProcessor(c, quiet, NULL);
	if (PQserverVersion(c) < SERVER_MIN) {
		snprintf(err, n, "PostgreSQL %d.%d is too old (13 or later)",
			 PQserverVersion(c) / 10000,
			 PQserverVersion(c) % 10000);
		PQfinish(c);
		return NULL;
	}
	res = PQexec(c, set);
	if (PQresultStatus(res) == PGRES_COMMAND_OK &&
	    (flags & STORE_READONLY)) {
		PQclear(res);
		res = PQexec(c, "SET default_transaction_read_only = on;"
			    " SET plan_cache_mode = force_custom_plan");
	}
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(err, n, "%s", PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(c);
		return NULL;
	}
	PQclear(res);
	return c;
}

/*
 * Make sure s has a connection: 0, or ERMS_ESTORE while the server
 * cannot be reached. A connection lost inside a write transaction is
 * not replaced until the caller ends the transaction: the rest of it
 * must not run on a new connection, outside any transaction.
 */
static int ready(struct pg_store *s)
{
	char err[256];
	int64_t now;

	if (s->conn && PQstatus(s->conn) == CONNECTION_OK)
		return 0;
	if (s->conn)
		drop(s);
	if (s->in_tx)
		return ERMS_ESTORE;
	now = mono_ms();
	if (now < s->retry_at_ms)
		return ERMS_ESTORE;
	s->conn = connect_to(s->url, s->flags, err, sizeof(err));
	if (!s->conn) {
		chomp(err);
		s->backoff_ms = s->backoff_ms ? s->backoff_ms * 2
					      : RETRY_FIRST_MS;
		if (s->backoff_ms > RETRY_MAX_MS)
			s->backoff_ms = RETRY_MAX_MS;
		s->retry_at_ms = now + s->backoff_ms;
		log_warn("database unreachable, next try in %d ms: %s",
			 s->backoff_ms, err);
		return ERMS_ESTORE;
	}
	s->backoff_ms = 0;
	log_info("database reconnected");
	return 0;
}

/* The name of url's database (for CREATE DATABASE), or NULL. */
static char *dbname_of(const char *url)
{
	PQconninfoOption *o = PQconninfoParse(url, NULL);
	char *name = NULL;

	for (PQconninfoOption *p = o; p && p->keyword; p++)
		if (!strcmp(p->keyword, "dbname") && p->val && *p->val)
			name = xstrdup(p->val);
	PQconninfoFree(o);
	return name;
}

/*
 * Create url's database on its server: connect to the same server's
 * postgres database (the URL's other settings kept; dbname given after
 * it wins) and CREATE DATABASE with the name as a quoted identifier.
 */
static int create_database(const char *url, struct errbuf *err)
{
	const char *keys[] = { "connect_timeout", "application_name",
			       "dbname", "dbname", NULL };
	const char *vals[] = { "5", "erms", url, "postgres", NULL };
	char *name = dbname_of(url), *quoted, *sql;
	PGconn *c;
	PGresult *res;
	int rc = 0;

	if (!name)
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "no database name in the URL");
	c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		char m[256];

		snprintf(m, sizeof(m), "%s", PQerrorMessage(c));
		chomp(m);
		errbuf_set(err, "unavailable", "cannot create database '%s': %s",
			   name, m);
		PQfinish(c);
		free(name);
		return ERMS_ESTORE;
	}
	quoted = PQescapeIdentifier(c, name, strlen(name));
	sql = xasprintf("CREATE DATABASE %s ENCODING 'UTF8' TEMPLATE template0",
			quoted ? quoted : "\"\"");
	res = PQexec(c, sql);
	/* 42P04: another node created it meanwhile. */
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		if (strcmp(state_of(res), "42P04")) {
			char m[256];

			snprintf(m, sizeof(m), "%s", PQresultErrorMessage(res));
			chomp(m);
			errbuf_set(err, "unavailable",
				   "cannot create database '%s': %s", name, m);
			rc = ERMS_ESTORE;
		}
	} else {
		log_info("created database %s", name);
	}
	PQclear(res);
	PQfreemem(quoted);
	free(sql);
	free(name);
	PQfinish(c);
	return rc;
}

static int pg_open(struct store **out, const char *url, unsigned flags,
		   struct errbuf *err)
{
	struct pg_store *s;
	char m[256];
	PGconn *c = connect_to(url, flags, m, sizeof(m));

	/* 3D000, which libpq gives as the server's message only. */
	if (!c && (flags & STORE_CREATE) && strstr(m, "database \"") &&
	    strstr(m, "does not exist")) {
		int rc = create_database(url, err);

		if (rc)
			return rc;
		c = connect_to(url, flags, m, sizeof(m));
	}
	if (!c) {
		chomp(m);
		errbuf_set(err, "unavailable", "cannot open database: %s", m);
		return ERMS_ESTORE;
	}
	s = xcalloc(1, sizeof(*s));
	s->base.ops = &store_postgres_ops;
	s->conn = c;
	s->url = xstrdup(url);
	s->flags = flags;
	*out = &s->base;
	return 0;
}

static void pg_close(struct store *st)
{
	struct pg_store *s;

	if (!st)
		return;
	s = P(st);
	PQfinish(s->conn);
	free(s->url);
	free(s);
}

static char lib_version[16];

static void format_version(void)
{
	int n = PQlibVersion();

	snprintf(lib_version, sizeof(lib_version), "%d.%d", n / 10000,
		 n % 10000);
}

static const char *pg_version(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, format_version);
	return lib_version;
}

static int migration_count(void)
{
	int n = 0;

	while (embed_migrations_postgres[n].name)
		n++;
	return n;
}

/* The number of migrations applied: the rows of schema_version (none
 * when the table is not there yet: a new database). */
static int applied(struct pg_store *s, int *have)
{
	int64_t there = 0, v = 0;
	int rc = exec_int(s, "SELECT (to_regclass('schema_version')"
			  " IS NOT NULL)::int", &there);

	if (!rc && there)
		rc = exec_int(s, "SELECT coalesce(max(version), 0)"
			      " FROM schema_version", &v);
	*have = (int)v;
	return rc;
}

static int pg_schema(struct store *st, int *have, int *want)
{
	struct pg_store *s = P(st);
	int rc = ready(s);

	*want = migration_count();
	*have = 0;
	return rc ? rc : applied(s, have);
}

/* Apply migration v (1-based) in a transaction of its own, and record
 * it in the same transaction. */
static int migrate_one(struct pg_store *s, int v, struct errbuf *err)
{
	const struct embed_file *m = &embed_migrations_postgres[v - 1];
	char mark[96];
	int rc;

	snprintf(mark, sizeof(mark),
		 "INSERT INTO schema_version (version) VALUES (%d)", v);
	rc = exec(s, "BEGIN");
	if (!rc)
		rc = exec(s, "CREATE TABLE IF NOT EXISTS schema_version"
			  " (version integer PRIMARY KEY)");
	if (!rc)
		rc = exec(s, (const char *)m->data);
	if (!rc)
		rc = exec(s, mark);
	if (!rc)
		rc = exec(s, "COMMIT");
	if (rc) {
		if (s->conn)
			exec(s, "ROLLBACK");
		errbuf_set(err, "unavailable", "migration %s failed", m->name);
		return rc;
	}
	log_info("migrated to=%d file=%s", v, m->name);
	return 0;
}

/* Nodes started together migrate one at a time: each holds
 * MIGRATE_LOCK while it reads the version and applies what is missing. */
static int pg_migrate(struct store *st, int *from, int *to,
		      struct errbuf *err)
{
	struct pg_store *s = P(st);
	int want = migration_count(), have = 0, rc;
	char lock[96], unlock[96];

	rc = ready(s);
	if (rc)
		return err_ret(err, rc, "unavailable",
			       "the database cannot be reached");
	snprintf(lock, sizeof(lock), "SELECT pg_advisory_lock(%lld)",
		 MIGRATE_LOCK);
	snprintf(unlock, sizeof(unlock), "SELECT pg_advisory_unlock(%lld)",
		 MIGRATE_LOCK);
	/* A migration may build an index over a grown table, and another
	 * node may hold the lock that long: no statement timeout here. */
	rc = exec(s, "SET statement_timeout = 0");
	if (!rc)
		rc = exec(s, lock);
	if (rc)
		return rc;
	rc = applied(s, &have);
	*from = have;
	for (int v = have + 1; !rc && v <= want; v++)
		rc = migrate_one(s, v, err);
	if (s->conn) {
		exec(s, unlock);
		exec(s, "SET statement_timeout = '" STATEMENT_TIMEOUT "'");
	}
	*to = want > have ? want : have;
	/* Statements prepared before the schema changed are planned again
	 * by the server; nothing to forget here. */
	return rc;
}

static int pg_backup(struct store *st, const char *path, struct errbuf *err)
{
	(void)st;
	(void)path;
	return err_ret(err, ERMS_EINVAL, "backup_elsewhere",
		       "erms does not copy a PostgreSQL database: use pg_dump -Fc"
		       " for a logical copy, or pg_basebackup with WAL archiving"
		       " for point-in-time recovery");
}

/*
 * BEGIN and the write lock in one round trip. The lock is held until
 * COMMIT or ROLLBACK: write transactions of all nodes are serialised
 * (backend.h, begin), which the audit chain's head, the incident
 * counters and the event log's commit-order ids rely on.
 */
static int pg_begin(struct store *st)
{
	struct pg_store *s = P(st);
	char sql[96];
	int rc = ready(s);

	if (rc)
		return rc;
	snprintf(sql, sizeof(sql), "BEGIN; SELECT pg_advisory_xact_lock(%lld)",
		 WRITE_LOCK);
	s->depth = 0;
	rc = exec(s, sql);
	/* A connection that died while idle is found out here; nothing of
	 * the transaction was done yet, so a new one may take it over at
	 * once (the first write after the server came back need not fail). */
	if (rc && !s->conn && !ready(s))
		rc = exec(s, sql);
	if (!rc)
		s->in_tx = true;
	else if (s->conn && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		exec(s, "ROLLBACK");
	return rc;
}

/*
 * NOTIFY and COMMIT in one round trip. Success only when the server
 * answered COMMIT: a transaction that had failed answers ROLLBACK, and
 * no answer at all (the connection went) may or may not have committed,
 * which the caller must not report as done.
 */
static int pg_commit(struct store *st)
{
	struct pg_store *s = P(st);
	PGresult *res;
	int rc = 0;

	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		s->in_tx = false;
		s->depth = 0;
		drop(s);
		s->retry_at_ms = mono_ms();
		return ERMS_ESTORE;
	}
	res = PQexec(s->conn, "NOTIFY erms; COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = fail(s, res, "commit");
	else if (strcmp(PQcmdStatus(res), "COMMIT")) {
		log_error("commit: the transaction had failed and was rolled"
			  " back");
		rc = ERMS_ESTORE;
	}
	PQclear(res);
	s->in_tx = false;
	s->depth = 0;
	if (s->conn && PQtransactionStatus(s->conn) != PQTRANS_IDLE)
		exec(s, "ROLLBACK");
	return rc;
}

static int pg_rollback(struct store *st)
{
	struct pg_store *s = P(st);

	s->in_tx = false;
	s->depth = 0;
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK ||
	    PQtransactionStatus(s->conn) == PQTRANS_IDLE)
		return 0;	/* nothing open, or the server dropped it */
	return exec(s, "ROLLBACK");
}

/* The three below run only inside a transaction: a lost connection is
 * an error, never a reconnection. */
static int in_tx_exec(struct pg_store *s, const char *sql)
{
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK)
		return ERMS_ESTORE;
	return exec(s, sql);
}

static int pg_savepoint(struct store *st)
{
	struct pg_store *s = P(st);
	int rc = in_tx_exec(s, "SAVEPOINT req");

	s->depth += !rc;
	return rc;
}

static int pg_release(struct store *st)
{
	struct pg_store *s = P(st);
	int rc = in_tx_exec(s, "RELEASE req");

	s->depth -= !rc && s->depth;
	return rc;
}

static int pg_rollback_to(struct store *st)
{
	struct pg_store *s = P(st);
	int rc = in_tx_exec(s, "ROLLBACK TO req; RELEASE req");

	s->depth -= !rc && s->depth;
	return rc;
}

/* The text of query q in this backend: its own, else the shared one;
 * NULL when neither has it. */
static const char *text_of(enum q q)
{
	return store_postgres_sql[q] ? store_postgres_sql[q] : store_sql[q];
}

/* Prepare sql as name; its parameter count in *nparams. */
static int prepare(struct pg_store *s, const char *name, const char *sql,
		   int *nparams)
{
	PGresult *res;
	int rc = 0;

	/* No types: the server infers each $n from where it stands (the
	 * engine's own text casts where that would go wrong). */
	res = PQprepare(s->conn, name, sql, 0, NULL);
	/* 42P05: prepared before, its description lost (a failed call). */
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    !strcmp(state_of(res), "42P05")) {
		PQclear(res);
		res = NULL;
	}
	if (res && PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = fail(s, res, "prepare");
		log_error("prepare %s: %s", name, sql);
		PQclear(res);
		return rc;
	}
	PQclear(res);
	res = PQdescribePrepared(s->conn, name);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = fail(s, res, "describe");
	} else {
		*nparams = PQnparams(res);
	}
	PQclear(res);
	return rc;
}

/* The column value at (row, col) as a struct sval, by the column's
 * type. The text stays res's. */
static struct sval value_of(const PGresult *res, int row, int col)
{
	const char *v;
	char *end;
	long long n;

	if (PQgetisnull(res, row, col))
		return SV_NUL;
	v = PQgetvalue(res, row, col);
	switch (PQftype(res, col)) {
	case OID_BOOL:
		return SV_I(*v == 't');
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_OID:
		return SV_I(strtoll(v, NULL, 10));
	case OID_NUMERIC:
		n = strtoll(v, &end, 10);
		if (*end == '\0')
			return SV_I(n);
		return SV_S(v);
	default:
		return SV_S(v);
	}
}

/* Hand each row of res to fn (may be NULL). */
static int rows(const PGresult *res, srow_fn *fn, void *ctx)
{
	int n = PQntuples(res), cols = PQnfields(res), rc = 0;
	struct srow r;

	if (cols > SROW_MAX)
		cols = SROW_MAX;
	for (int i = 0; fn && !rc && i < n; i++) {
		r.n = cols;
		for (int c = 0; c < cols; c++)
			r.col[c] = value_of(res, i, c);
		rc = fn(ctx, &r);
	}
	return rc;
}

static bool ok(const PGresult *res)
{
	ExecStatusType t = PQresultStatus(res);

	return t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK;
}

/*
 * Run the prepared statement name in a transaction outside any savepoint
 * under a savepoint of its own, so that a statement that fails (a unique
 * conflict the caller answers 409) leaves the transaction as it was, as
 * in SQLite, instead of aborting all of it. SAVEPOINT, the statement and
 * RELEASE go in one round trip (a pipeline); a failure costs one more,
 * ROLLBACK TO. Inside a savepoint (a job of the group commit) a failed
 * statement fails the job, whose savepoint the caller rolls back.
 * Returns the statement's result, or the first error if it did not run.
 */
static PGresult *exec_guarded(struct pg_store *s, const char *name, int np,
			      const char *const *vals)
{
	PGconn *c = s->conn;
	PGresult *res, *out = NULL;

	if (!PQenterPipelineMode(c))
		return PQexecPrepared(c, name, np, vals, NULL, NULL, 0);
	if (!PQsendQueryParams(c, "SAVEPOINT stmt", 0, NULL, NULL, NULL,
			       NULL, 0) ||
	    !PQsendQueryPrepared(c, name, np, vals, NULL, NULL, 0) ||
	    !PQsendQueryParams(c, "RELEASE stmt", 0, NULL, NULL, NULL, NULL,
			       0) ||
	    !PQpipelineSync(c)) {
		PQexitPipelineMode(c);
		return NULL;
	}
	/* Three commands, each ending in NULL, then the sync. */
	for (int i = 0; i < 3; i++) {
		while ((res = PQgetResult(c))) {
			bool mine = !out && (i == 1 || !ok(res)) &&
				    PQresultStatus(res) != PGRES_PIPELINE_ABORTED;

			if (mine)
				out = res;
			else
				PQclear(res);
		}
	}
	while ((res = PQgetResult(c))) {
		ExecStatusType t = PQresultStatus(res);

		PQclear(res);
		if (t == PGRES_PIPELINE_SYNC)
			break;
	}
	PQexitPipelineMode(c);
	if (out && !ok(out) && PQstatus(c) == CONNECTION_OK &&
	    PQtransactionStatus(c) == PQTRANS_INERROR)
		PQclear(PQexec(c, "ROLLBACK TO stmt; RELEASE stmt"));
	return out;
}

/* Run the prepared statement name with p[0..np) as text. */
static int run(struct pg_store *s, const char *name, int nparams,
	       const struct sval *p, int np, srow_fn *fn, void *ctx,
	       int64_t *changes)
{
	char ints[SROW_MAX][24];
	const char *vals[SROW_MAX];
	PGresult *res;
	ExecStatusType t;
	int rc = 0;

	if (np > nparams)
		np = nparams;	/* parameters the text does not use */
	if (np > SROW_MAX)
		np = SROW_MAX;
	for (int i = 0; i < np; i++) {
		switch (p[i].t) {
		case SV_NULL:
			vals[i] = NULL;
			break;
		case SV_INT:
			snprintf(ints[i], sizeof(ints[i]), "%lld",
				 (long long)p[i].i);
			vals[i] = ints[i];
			break;
		default:
			vals[i] = p[i].s;
			break;
		}
	}
	if (s->in_tx && !s->depth)
		res = exec_guarded(s, name, np, vals);
	else
		res = PQexecPrepared(s->conn, name, np, vals, NULL, NULL, 0);
	t = PQresultStatus(res);
	if (t != PGRES_TUPLES_OK && t != PGRES_COMMAND_OK) {
		rc = fail(s, res, name);
	} else {
		rc = rows(res, fn, ctx);
		if (!rc && changes)
			*changes = strtoll(PQcmdTuples(res), NULL, 10);
	}
	PQclear(res);
	return rc;
}

static int pg_query(struct store *st, enum q q, const struct sval *p,
		    int np, srow_fn *fn, void *ctx, int64_t *changes)
{
	struct pg_store *s = P(st);
	const char *sql = text_of(q);
	char name[16];
	int rc = ready(s);

	if (rc)
		return rc;
	if (!sql) {
		log_error("query %d has no text for PostgreSQL", (int)q);
		return ERMS_ESTORE;
	}
	snprintf(name, sizeof(name), "q%d", (int)q);
	if (!s->prepared[q]) {
		rc = prepare(s, name, sql, &s->nparams[q]);
		if (rc) {
			log_error("query %d: %s", (int)q, sql);
			return rc;
		}
		s->prepared[q] = true;
	}
	return run(s, name, s->nparams[q], p, np, fn, ctx, changes);
}

/* The kept statement of bq, prepared now if the connection has none (in
 * the place of the one unused longest, whose statement is dropped). */
static struct built_stmt *built_stmt(struct pg_store *s,
				     const struct built_query *bq)
{
	struct built_stmt *k = &s->built[0];
	struct buf sql = BUF_INIT;
	char dealloc[32];
	int rc;

	for (int i = 0; i < BUILT_KEPT; i++) {
		struct built_stmt *x = &s->built[i];

		if (x->name[0] && x->key == bq->key && x->text == bq->text)
			return x;
		if (!x->name[0] || (k->name[0] && x->used < k->used))
			k = x;
	}
	if (k->name[0]) {
		snprintf(dealloc, sizeof(dealloc), "DEALLOCATE %s", k->name);
		if (exec(s, dealloc))
			return NULL;
	}
	*k = (struct built_stmt){ .key = bq->key, .text = bq->text };
	snprintf(k->name, sizeof(k->name), "b%u", ++s->built_seq);
	bq->text(bq->key, &sql);
	rc = prepare(s, k->name, buf_str(&sql), &k->nparams);
	if (rc) {
		log_error("built query %#x: %s", bq->key, buf_str(&sql));
		k->name[0] = '\0';
	}
	buf_release(&sql);
	return rc ? NULL : k;
}

static int pg_query_built(struct store *st, const struct built_query *bq,
			  srow_fn *fn, void *ctx)
{
	struct pg_store *s = P(st);
	struct built_stmt *k;
	int rc = ready(s);

	if (rc)
		return rc;
	k = built_stmt(s, bq);
	if (!k)
		return ERMS_ESTORE;
	k->used = ++s->tick;
	return run(s, k->name, k->nparams, bq->p, bq->np, fn, ctx, NULL);
}

/* srow_fn: the first column of the one row. */
static int got_int(void *ctx, const struct srow *r)
{
	*(int64_t *)ctx = r->col[0].i;
	return 0;
}

/* The counter row is updated inside the write transaction, under the
 * write lock: no other node can take the same number, and a rollback
 * gives it back. */
static int pg_incident_counter(struct store *st, int year, int64_t *n)
{
	struct sval p[] = { SV_I(year) };

	*n = 0;
	return pg_query(st, Q_INC_NEXT_NUMBER, p, 1, got_int, n, NULL);
}

/* Notifications that arrived (with any result, or read now): whether
 * there was one. */
static bool drain(struct pg_store *s)
{
	PGnotify *n;
	bool any = false;

	while ((n = PQnotifies(s->conn))) {
		any = true;
		PQfreemem(n);
	}
	return any;
}

/*
 * Wait for another connection's commit (its NOTIFY erms). A connection
 * that starts listening anew (the first call, or after a reconnection)
 * says 1 when it was listening before: commits may have been missed
 * while it was away, and the caller should look.
 */
static int pg_wait_change(struct store *st, int timeout_ms)
{
	struct pg_store *s = P(st);
	int64_t until = mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	int rc = ready(s);

	/* While the server is away this call still waits (a listener
	 * calling it in a loop must not spin), trying again when the
	 * backoff allows, and says ERMS_ESTORE when the time is up. */
	while (rc && mono_ms() < until) {
		int64_t next = s->retry_at_ms < until ? s->retry_at_ms : until;
		int64_t ms = next - mono_ms();
		struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

		if (ms > 0)
			nanosleep(&ts, NULL);
		rc = ready(s);
	}
	if (rc)
		return rc;
	if (!s->listening) {
		rc = exec(s, "LISTEN erms");
		if (rc)
			return rc;
		s->listening = true;
		if (s->listened)
			return 1;
		s->listened = true;
	}
	for (;;) {
		struct pollfd pfd = { .fd = PQsocket(s->conn), .events = POLLIN };
		int64_t left;
		int pr;

		if (drain(s))
			return 1;
		left = until - mono_ms();
		if (left < 0)
			left = 0;
		pr = poll(&pfd, 1, (int)left);
		if (pr > 0 && !PQconsumeInput(s->conn))
			return fail(s, NULL, "listen");
		if (pr > 0 && drain(s))
			return 1;
		if (pr <= 0 && left == 0)
			return 0;
		if (pr < 0)
			return 0;	/* a signal: the caller waits again */
	}
}

/* The scheduler's lock: a session lock, kept until the connection ends
 * (then another node's next try takes it). */
static int pg_leader(struct store *st, bool *yes)
{
	struct pg_store *s = P(st);
	char sql[64];
	int64_t got = 0;
	int rc;

	*yes = false;
	rc = ready(s);
	if (rc)
		return rc;
	if (!s->leader) {
		snprintf(sql, sizeof(sql), "SELECT pg_try_advisory_lock(%lld)"
			 "::int", LEADER_LOCK);
		rc = exec_int(s, sql, &got);
		if (rc)
			return rc;
		s->leader = got == 1;
	}
	*yes = s->leader;
	return 0;
}

static int pg_role(struct store *st, struct store_role *out)
{
	struct pg_store *s = P(st);
	PGresult *res;
	int rc = ready(s);

	if (rc)
		return rc;
	res = PQexec(s->conn, "SELECT pg_is_in_recovery(),"
		     " current_setting('transaction_read_only')");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		rc = fail(s, res, "role");
	} else {
		bool standby = *PQgetvalue(res, 0, 0) == 't';

		snprintf(out->role, sizeof(out->role), "%s",
			 standby ? "standby" : "primary");
		out->writable = !standby &&
				strcmp(PQgetvalue(res, 0, 1), "on") != 0;
	}
	PQclear(res);
	return rc;
}

/*
 * After a copy kept every row's id: each table whose id column takes
 * its default from a sequence (serial or identity) continues after its
 * highest id. The tables come from the catalog, so a new table needs no
 * change here.
 */
static int pg_ids_sync(struct store *st)
{
	struct pg_store *s = P(st);
	int rc = ready(s);

	if (rc)
		return rc;
	return exec(s,
		"DO $$ DECLARE t regclass; seq text; BEGIN"
		" FOR t IN SELECT c.oid::regclass FROM pg_class c"
		"  JOIN pg_attribute a ON a.attrelid = c.oid"
		"  AND a.attname = 'id' AND NOT a.attisdropped"
		"  WHERE c.relkind = 'r'"
		"  AND c.relnamespace = current_schema()::regnamespace LOOP"
		"  seq := pg_get_serial_sequence(t::text, 'id');"
		"  IF seq IS NOT NULL THEN"
		"   EXECUTE format('SELECT setval(%L, coalesce((SELECT max(id)"
		" FROM %s), 0) + 1, false)', seq, t);"
		"  END IF;"
		" END LOOP; END $$");
}

const struct store_ops store_postgres_ops = {
	.scheme = "postgres",
	.version = pg_version,
	.open = pg_open,
	.close = pg_close,
	.schema = pg_schema,
	.migrate = pg_migrate,
	.backup = pg_backup,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.savepoint = pg_savepoint,
	.release = pg_release,
	.rollback_to = pg_rollback_to,
	.query = pg_query,
	.query_built = pg_query_built,
	.sql = store_postgres_sql,
	.incident_counter = pg_incident_counter,
	.search_new = pg_search_new,
	.search_add = pg_search_add,
	.search_query = pg_search_query,
	.shared = true,
	.wait_change = pg_wait_change,
	.leader = pg_leader,
	.role = pg_role,
	.ids_sync = pg_ids_sync,
};
