/*
 * sqlite.c - the SQLite backend.
 *
 * One struct sqlite_store per connection. Statements are prepared on first
 * use with SQLITE_PREPARE_PERSISTENT and kept for the connection's life,
 * so the hot path is bind, step, reset. Connections run in WAL mode with
 * synchronous=FULL: a COMMIT returns only after the WAL is fsynced, which
 * is what makes an acknowledged write durable; group commit (app/writer.c)
 * makes that one fsync per batch rather than per request.
 *
 * Parameters are written $1, $2, ... as in PostgreSQL. SQLite treats "$1"
 * as a named parameter; its index is looked up by name once per statement.
 * Queries the store builds (the incident list by its filters) are kept
 * the same way, by key, the last BUILT_KEPT used.
 */
#define LOG_MOD "store"
#include "store/backend.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/embed.h"
#include "util/log.h"
#include "util/xalloc.h"

/* A built query's statement, kept by key (struct built_query). */
struct built_stmt {
	unsigned key;
	void (*text)(unsigned key, struct buf *b);
	sqlite3_stmt *t;
	int pidx[SROW_MAX];
	uint64_t used;		/* s->tick when last run: the oldest goes */
};

/* Built statements a connection keeps: the filter combinations in use
 * (a console uses a handful). */
#define BUILT_KEPT 16

/* The transaction statements every write runs, prepared once per
 * connection rather than parsed anew by sqlite3_exec each time. */
enum tx_stmt { TX_BEGIN, TX_COMMIT, TX_ROLLBACK, TX_SAVEPOINT, TX_RELEASE,
	       TX_ROLLBACK_TO, TX__COUNT };

static const char *const tx_sql[TX__COUNT] = {
	[TX_BEGIN] = "BEGIN IMMEDIATE", [TX_COMMIT] = "COMMIT",
	[TX_ROLLBACK] = "ROLLBACK", [TX_SAVEPOINT] = "SAVEPOINT req",
	[TX_RELEASE] = "RELEASE req", [TX_ROLLBACK_TO] = "ROLLBACK TO req",
};

struct sqlite_store {
	struct store base;
	sqlite3 *db;
	sqlite3_stmt *q[Q__COUNT];
	int pidx[Q__COUNT][SROW_MAX];	/* $n -> bind index, 0: absent */
	struct built_stmt built[BUILT_KEPT];
	uint64_t tick;
	struct fts_stage *stage;	/* the open transaction's search rows */
	sqlite3_stmt *tx[TX__COUNT];	/* BEGIN, COMMIT, ...: prepared once */
};

static struct sqlite_store *S(struct store *st)
{
	return container_of(st, struct sqlite_store, base);
}

static int fail(struct sqlite_store *s, const char *what)
{
	int ext = sqlite3_extended_errcode(s->db);

	if (ext == SQLITE_CONSTRAINT_UNIQUE ||
	    ext == SQLITE_CONSTRAINT_PRIMARYKEY)
		return ERMS_ECONFLICT;
	if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
		return ERMS_ENOTFOUND;
	log_error("%s: %s (%d)", what, sqlite3_errmsg(s->db), ext);
	return ERMS_ESTORE;
}

static int exec(struct sqlite_store *s, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		log_error("exec '%.40s': %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return fail(s, "exec");
	}
	return 0;
}

/* Run transaction statement t (prepared on first use). */
static int exec_tx(struct sqlite_store *s, enum tx_stmt t)
{
	int rc;

	if (!s->tx[t] &&
	    sqlite3_prepare_v2(s->db, tx_sql[t], -1, &s->tx[t], NULL) !=
		    SQLITE_OK)
		return fail(s, tx_sql[t]);
	rc = sqlite3_step(s->tx[t]);
	sqlite3_reset(s->tx[t]);
	if (rc != SQLITE_DONE) {
		log_error("exec '%s': %s", tx_sql[t], sqlite3_errmsg(s->db));
		return fail(s, "exec");
	}
	return 0;
}

static const char *path_of(const char *url)
{
	if (!strncmp(url, "sqlite:", 7))
		return url + 7;
	return url;
}

/* Before the library's first use: no memory statistics (nothing reads
 * them), so that an allocation inside SQLite takes no global mutex. */
static void configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(struct store **out, const char *url, unsigned flags,
		   struct errbuf *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct sqlite_store *s = xcalloc(1, sizeof(*s));
	const char *path = path_of(url);
	int of = SQLITE_OPEN_NOMUTEX;
	int rc;

	pthread_once(&once, configure);
	s->base.ops = &store_sqlite_ops;
	s->stage = fts_stage_new();
	if (flags & STORE_READONLY)
		of |= SQLITE_OPEN_READONLY;
	else
		of |= SQLITE_OPEN_READWRITE;
	if (flags & STORE_CREATE)
		of |= SQLITE_OPEN_CREATE;
	rc = sqlite3_open_v2(path, &s->db, of, NULL);
	if (rc != SQLITE_OK) {
		errbuf_set(err, "unavailable", "cannot open database '%s': %s",
			   path, s->db ? sqlite3_errmsg(s->db) : "out of memory");
		sqlite3_close(s->db);
		fts_stage_free(s->stage);
		free(s);
		return ERMS_ESTORE;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	/* temp_store: the savepoints' sub-journals stay in memory rather
	 * than in temporary files written at every job of a batch. */
	if (sqlite_search_functions(s->db) ||
	    exec(s, "PRAGMA foreign_keys = ON") ||
	    exec(s, "PRAGMA synchronous = FULL") ||
	    exec(s, "PRAGMA temp_store = MEMORY") ||
	    (!(flags & STORE_READONLY) && strcmp(path, ":memory:") &&
	     exec(s, "PRAGMA journal_mode = WAL"))) {
		errbuf_set(err, "unavailable", "cannot set up database '%s': %s",
			   path, sqlite3_errmsg(s->db));
		sqlite3_close(s->db);
		fts_stage_free(s->stage);
		free(s);
		return ERMS_ESTORE;
	}
	*out = &s->base;
	return 0;
}

static void sq_close(struct store *st)
{
	struct sqlite_store *s;

	if (!st)
		return;
	s = S(st);
	for (int i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(s->q[i]);
	for (int i = 0; i < BUILT_KEPT; i++)
		sqlite3_finalize(s->built[i].t);
	for (int i = 0; i < TX__COUNT; i++)
		sqlite3_finalize(s->tx[i]);
	if (sqlite3_close(s->db) != SQLITE_OK)
		log_error("close: %s", sqlite3_errmsg(s->db));
	fts_stage_free(s->stage);
	free(s);
}

static int migration_count(void)
{
	int n = 0;

	while (embed_migrations_sqlite[n].name)
		n++;
	return n;
}

static int user_version(struct sqlite_store *s, int *v)
{
	sqlite3_stmt *q;
	int rc;

	rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL);
	if (rc != SQLITE_OK)
		return fail(s, "user_version");
	rc = sqlite3_step(q);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(q, 0) : 0;
	sqlite3_finalize(q);
	return rc == SQLITE_ROW ? 0 : fail(s, "user_version");
}

static int sq_schema(struct store *st, int *have, int *want)
{
	*want = migration_count();
	return user_version(S(st), have);
}

static int sq_migrate(struct store *st, int *from, int *to,
		      struct errbuf *err)
{
	struct sqlite_store *s = S(st);
	int want = migration_count(), have, rc;
	char pragma[64];

	rc = user_version(s, &have);
	if (rc)
		return rc;
	*from = have;
	for (int v = have + 1; v <= want; v++) {
		const struct embed_file *m = &embed_migrations_sqlite[v - 1];

		rc = exec(s, "BEGIN IMMEDIATE");
		if (rc)
			return rc;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v);
		rc = exec(s, (const char *)m->data);
		if (!rc)
			rc = exec(s, pragma);
		if (!rc)
			rc = exec(s, "COMMIT");
		if (rc) {
			exec(s, "ROLLBACK");
			errbuf_set(err, "unavailable", "migration %s failed",
				   m->name);
			return rc;
		}
		log_info("migrated to=%d file=%s", v, m->name);
	}
	*to = want > have ? want : have;
	return 0;
}

static int sq_backup(struct store *st, const char *path, struct errbuf *err)
{
	struct sqlite_store *s = S(st);
	sqlite3 *dst;
	sqlite3_backup *b;
	int rc;

	if (access(path, F_OK) == 0)
		return err_ret(err, ERMS_ECONFLICT, "conflict",
			       "'%s' exists; not overwriting it", path);
	rc = sqlite3_open_v2(path, &dst,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		errbuf_set(err, "io_error", "cannot create '%s': %s", path,
			   sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return ERMS_EIO;
	}
	b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		errbuf_set(err, "io_error", "backup: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return ERMS_EIO;
	}
	/* Copy in steps so that writers are not held off for long. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		errbuf_set(err, "io_error", "backup: %s", sqlite3_errstr(rc));
		sqlite3_close(dst);
		return ERMS_EIO;
	}
	rc = sqlite3_close(dst);
	return rc == SQLITE_OK ? 0 : ERMS_EIO;
}

struct fts_stage *sqlite_stage(struct store *st)
{
	struct sqlite_store *s = S(st);

	return sqlite3_get_autocommit(s->db) ? NULL : s->stage;
}

/* IMMEDIATE takes the database's write lock at once: write transactions
 * are serialised, as backend.h's begin requires. */
static int sq_begin(struct store *st)
{
	fts_stage_clear(S(st)->stage);
	return exec_tx(S(st), TX_BEGIN);
}

/* The staged search rows go in first, outside any savepoint: one FTS5
 * flush per transaction (sqlite-stage.c). */
static int sq_commit(struct store *st)
{
	struct sqlite_store *s = S(st);
	int rc = fts_stage_flush(s->stage, st);

	return rc ? rc : exec_tx(s, TX_COMMIT);
}

static int sq_rollback(struct store *st)
{
	struct sqlite_store *s = S(st);

	fts_stage_clear(s->stage);
	if (sqlite3_get_autocommit(s->db))
		return 0;
	return exec_tx(s, TX_ROLLBACK);
}

static int sq_savepoint(struct store *st)
{
	fts_stage_mark(S(st)->stage);
	return exec_tx(S(st), TX_SAVEPOINT);
}

static int sq_release(struct store *st)
{
	return exec_tx(S(st), TX_RELEASE);
}

static int sq_rollback_to(struct store *st)
{
	struct sqlite_store *s = S(st);
	int rc = exec_tx(s, TX_ROLLBACK_TO);

	fts_stage_undo(s->stage);
	return rc ? rc : exec_tx(s, TX_RELEASE);
}

/* The text of query q in this backend: its own (ops->sql), else the
 * shared one; NULL when neither has it. */
static const char *text_of(const struct store_ops *ops, enum q q)
{
	return ops->sql && ops->sql[q] ? ops->sql[q] : store_sql[q];
}

/* The bind index of each of $1..$SROW_MAX in t into pidx (0: absent). */
static void index_params(sqlite3_stmt *t, int *pidx)
{
	char name[8];

	for (int i = 0; i < SROW_MAX; i++) {
		snprintf(name, sizeof(name), "$%d", i + 1);
		pidx[i] = sqlite3_bind_parameter_index(t, name);
	}
}

static sqlite3_stmt *stmt(struct sqlite_store *s, enum q q)
{
	const char *sql = text_of(s->base.ops, q);

	if (s->q[q])
		return s->q[q];
	if (!sql) {
		log_error("query %d has no text for SQLite", (int)q);
		return NULL;
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &s->q[q], NULL) != SQLITE_OK) {
		fail(s, "prepare");
		log_error("query %d: %s", (int)q, sql);
		return NULL;
	}
	index_params(s->q[q], s->pidx[q]);
	return s->q[q];
}

static int bind(struct sqlite_store *s, const int *pidx, sqlite3_stmt *t,
		const struct sval *p, int np)
{
	for (int i = 0; i < np && i < SROW_MAX; i++) {
		int idx = pidx[i], rc;

		if (!idx)
			continue;
		switch (p[i].t) {
		case SV_NULL:
			rc = sqlite3_bind_null(t, idx);
			break;
		case SV_INT:
			rc = sqlite3_bind_int64(t, idx, p[i].i);
			break;
		default:
			rc = sqlite3_bind_text(t, idx, p[i].s, -1,
					       SQLITE_STATIC);
			break;
		}
		if (rc != SQLITE_OK)
			return fail(s, "bind");
	}
	return 0;
}

static void row_of(sqlite3_stmt *t, struct srow *r)
{
	r->n = sqlite3_column_count(t);
	if (r->n > SROW_MAX)
		r->n = SROW_MAX;
	for (int i = 0; i < r->n; i++) {
		struct sval *v = &r->col[i];

		switch (sqlite3_column_type(t, i)) {
		case SQLITE_NULL:
			*v = SV_NUL;
			break;
		case SQLITE_INTEGER:
			*v = SV_I(sqlite3_column_int64(t, i));
			break;
		default:
			*v = SV_S((const char *)sqlite3_column_text(t, i));
			break;
		}
	}
}

/* Bind p to t, step it and hand each row to fn (may be NULL). */
static int run(struct sqlite_store *s, sqlite3_stmt *t, const int *pidx,
	       const struct sval *p, int np, srow_fn *fn, void *ctx,
	       int64_t *changes)
{
	struct srow r;
	int rc = bind(s, pidx, t, p, np);

	while (!rc) {
		int sr = sqlite3_step(t);

		if (sr == SQLITE_DONE)
			break;
		if (sr != SQLITE_ROW) {
			rc = fail(s, "step");
			break;
		}
		if (fn) {
			row_of(t, &r);
			rc = fn(ctx, &r);
		}
	}
	if (!rc && changes)
		*changes = sqlite3_changes64(s->db);
	sqlite3_reset(t);
	sqlite3_clear_bindings(t);
	return rc;
}

static int sq_query(struct store *st, enum q q, const struct sval *p, int np,
		    srow_fn *fn, void *ctx, int64_t *changes)
{
	struct sqlite_store *s = S(st);
	sqlite3_stmt *t = stmt(s, q);

	if (!t)
		return ERMS_ESTORE;
	return run(s, t, s->pidx[q], p, np, fn, ctx, changes);
}

/* The kept statement of bq, prepared now if the connection has none (in
 * the place of the one unused longest). */
static struct built_stmt *built_stmt(struct sqlite_store *s,
				     const struct built_query *bq)
{
	struct built_stmt *k = &s->built[0];
	struct buf sql = BUF_INIT;
	int rc;

	for (int i = 0; i < BUILT_KEPT; i++) {
		struct built_stmt *x = &s->built[i];

		if (x->t && x->key == bq->key && x->text == bq->text)
			return x;
		if (!x->t || (k->t && x->used < k->used))
			k = x;
	}
	sqlite3_finalize(k->t);
	*k = (struct built_stmt){ .key = bq->key, .text = bq->text };
	bq->text(bq->key, &sql);
	rc = sqlite3_prepare_v3(s->db, buf_str(&sql), -1,
				SQLITE_PREPARE_PERSISTENT, &k->t, NULL);
	if (rc != SQLITE_OK) {
		fail(s, "prepare");
		log_error("built query %#x: %s", bq->key, buf_str(&sql));
		k->t = NULL;
	} else {
		index_params(k->t, k->pidx);
	}
	buf_release(&sql);
	return k->t ? k : NULL;
}

static int sq_query_built(struct store *st, const struct built_query *bq,
			  srow_fn *fn, void *ctx)
{
	struct sqlite_store *s = S(st);
	struct built_stmt *k = built_stmt(s, bq);

	if (!k)
		return ERMS_ESTORE;
	k->used = ++s->tick;
	return run(s, k->t, k->pidx, bq->p, bq->np, fn, ctx, NULL);
}

/* srow_fn: read the one row into the caller's struct; mark it found. */
static int got_count(void *ctx, const struct srow *r)
{
	*(int64_t *)ctx = r->col[0].i;
	return 0;
}

/* The counter row moves in the write transaction, which holds the
 * database's write lock: no other writer can take the same number. */
static int sq_incident_counter(struct store *st, int year, int64_t *n)
{
	struct sval p[] = { SV_I(year) };

	*n = 0;
	return sq_query(st, Q_INC_NEXT_NUMBER, p, 1, got_count, n, NULL);
}

const struct store_ops store_sqlite_ops = {
	.scheme = "sqlite",
	.version = sqlite3_libversion,
	.open = sq_open,
	.close = sq_close,
	.schema = sq_schema,
	.migrate = sq_migrate,
	.backup = sq_backup,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.savepoint = sq_savepoint,
	.release = sq_release,
	.rollback_to = sq_rollback_to,
	.query = sq_query,
	.query_built = sq_query_built,
	.sql = store_sqlite_sql,
	.incident_counter = sq_incident_counter,
	.search_new = sqlite_search_new,
	.search_add = sqlite_search_add,
	.search_query = sqlite_search_query,
};
