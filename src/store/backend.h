/*
 * backend.h - what a storage backend implements (private to src/store/).
 *
 * Entity functions (users.c, groups.c, ...) are written once against these
 * primitives: run a named query (enum q) with bound parameters and get rows
 * back as an array of struct sval. Query text is shared by every engine
 * where they agree ($1 parameters, RETURNING, ON CONFLICT: sql.c); a
 * backend gives the text of the queries only it has, or replaces one that
 * differs, in its own table (store_ops.sql). Whatever else differs between
 * engines is an operation of struct store_ops: search, the incident
 * counter, backup, and the write serialisation stated at begin.
 *
 * A second backend adds: its struct store_ops (its own file), its entry in
 * store.c's table, its migrations, its search (search_query and the index
 * queries, or operations of its own), and runs the store contract suite.
 */
#ifndef ERMS_STORE_BACKEND_H
#define ERMS_STORE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "util/buf.h"

enum sval_type { SV_NULL, SV_INT, SV_TEXT };

struct sval {
	enum sval_type t;
	int64_t i;
	const char *s;	/* borrowed */
};

#define SV_I(x) ((struct sval){ .t = SV_INT, .i = (x) })
#define SV_S(x) ((struct sval){ .t = SV_TEXT, .s = (x) })
#define SV_B(x) SV_I((x) ? 1 : 0)
#define SV_NUL ((struct sval){ .t = SV_NULL })

#define SROW_MAX 48

struct srow {
	int n;
	struct sval col[SROW_MAX];
};

typedef int srow_fn(void *ctx, const struct srow *r);

/*
 * A query whose text the store builds from the parts a call has: the
 * incident list names only the filters it was given, so that an index
 * can serve each of them. key names the text (the same key, the same
 * text), so a connection prepares each text once and keeps it; text(key,
 * b) appends it to b. Parameters are $1..$np, each used, in order (as a
 * server engine's prepared statements want them). own[] holds texts that
 * p borrows: built_query_release() frees them.
 */
#define BQ_PARAMS_MAX SROW_MAX	/* a row copied whole (copy.c) */
struct built_query {
	unsigned key;
	void (*text)(unsigned key, struct buf *b);
	struct sval p[BQ_PARAMS_MAX];
	int np;
	char *own[4];
	int nown;
};

/* Add parameter v ($np + 1), or own (not NULL) as a text that becomes
 * bq's. */
void built_query_add(struct built_query *bq, struct sval v, char *own);
void built_query_release(struct built_query *bq);

enum q {
	Q_PING, Q_HEALTH_PROBE,
	Q_USER_INSERT, Q_USER_GET, Q_USER_BY_LOGIN, Q_USER_PWHASH,
	Q_USER_UPDATE, Q_USER_SET_PASSWORD, Q_USER_COUNT, Q_USER_LIST,
	Q_GROUP_INSERT, Q_GROUP_GET, Q_GROUP_UPDATE, Q_GROUP_LIST,
	Q_MEMBER_PUT, Q_MEMBER_DELETE, Q_MEMBERS_OF_GROUP, Q_GROUPS_OF_USER,
	Q_SESSION_INSERT, Q_SESSION_GET, Q_SESSION_TOUCH, Q_SESSION_REVOKE,
	Q_SESSION_REVOKE_USER,
	Q_TOKEN_INSERT, Q_TOKEN_BY_HASH, Q_TOKEN_GET, Q_TOKEN_TOUCH,
	Q_TOKEN_REVOKE, Q_TOKEN_REVOKE_USER, Q_TOKEN_LIST,
	Q_SESSION_BY_ID, Q_SESSION_REVOKE_OTHERS, Q_TOKEN_REVOKE_OTHERS,
	Q_TOKEN_REVOKE_FEEDS, Q_AUTH_EPOCH,
	Q_AUDIT_HEAD, Q_AUDIT_INSERT, Q_AUDIT_LIST,
	Q_AUDIT_KEY_GET, Q_AUDIT_KEY_PUT,
	Q_PLAN_BY_KEY, Q_PLAN_INSERT, Q_PLAN_LIST,
	Q_PV_NEXT_N, Q_PV_INSERT, Q_PV_GET, Q_PV_LIST, Q_PV_UPDATE,
	Q_PV_CURRENT, Q_PV_PUBLISHED_OF_PLAN, Q_PV_BY_ID, Q_PV_CURRENT_ID,
	Q_PV_EDITOR_PUT, Q_PV_EDITORS,
	Q_ACK_PUT, Q_ACK_LIST, Q_ACK_LIST_GROUP,
	Q_PV_BASIS_PUT, Q_PV_BASIS_GET, Q_ACK_REMIND_DUE, Q_ACK_REMIND_PUT,
	Q_INC_NEXT_NUMBER, Q_INC_INSERT, Q_INC_GET, Q_INC_BY_NUMBER,
	Q_INC_UPDATE, Q_INC_ASSESS, Q_INC_DUE, Q_INC_UNACKED,
	Q_TASK_INSERT, Q_TASK_GET, Q_TASK_LIST, Q_TASK_UPDATE,
	Q_TL_INSERT, Q_TL_LIST,
	Q_EVENT_INSERT, Q_EVENT_LIST, Q_EVENT_LAST,
	Q_CH_INSERT, Q_CH_GET, Q_CH_UPDATE, Q_CH_LIST, Q_CH_DELETE, Q_CH_USED,
	Q_GCH_CLEAR, Q_GCH_ADD, Q_GCH_LIST, Q_GCH_CLEAR_CHANNEL,
	Q_NT_INSERT, Q_NT_GET, Q_NT_BY_ACK, Q_NT_DUE, Q_NT_UPDATE, Q_NT_LIST,
	Q_NT_SET_ACK, Q_NT_ACK,
	Q_ROT_INSERT, Q_ROT_LIST, Q_OV_INSERT, Q_OV_LIST,
	Q_ROT_UPDATE, Q_ROT_DELETE, Q_OV_DELETE, Q_OV_DELETE_ALL,
	Q_BUL_INSERT, Q_BUL_LIST, Q_BUL_PUBLIC,
	Q_SUP_INSERT, Q_SUP_GET, Q_SUP_UPDATE, Q_SUP_LIST, Q_SUP_TAKE,
	Q_SUP_ADD, Q_SUP_NOTICE, Q_MOV_INSERT, Q_MOV_LIST, Q_MOV_INCIDENT,
	Q_BUDGET_PUT, Q_BUDGET_GET, Q_EXP_INSERT, Q_EXP_LIST, Q_EXP_SUM,
	Q_DRILL_INSERT, Q_DRILL_GET, Q_DRILL_UPDATE, Q_DRILL_LIST,
	Q_DRILL_NOTICE, Q_DRILL_NOTICE_FORGET, Q_INC_STATS,
	Q_EVENT_FIRST, Q_EVENT_PRUNE,
	Q_NT_CLAIM,
	Q_LIMIT_GET, Q_LIMIT_PUT, Q_LIMIT_PRUNE,
	Q_INTG_INSERT, Q_INTG_GET, Q_INTG_BY_HASH, Q_INTG_UPDATE,
	Q_INTG_REKEY, Q_INTG_DELETE, Q_INTG_LIST, Q_INTG_COUNT,
	Q_INTG_HB_DUE,
	Q_ALERT_INSERT, Q_ALERT_GET, Q_ALERT_LAST, Q_ALERT_UPDATE,
	Q_ALERT_LIST,
	Q_AGROUP_INSERT, Q_AGROUP_GET, Q_AGROUP_LAST, Q_AGROUP_UPDATE,
	Q_AGROUP_PENDING,
	Q_ORG_GET, Q_ORG_UPDATE,
	Q_INC_REG_SET, Q_INC_REG_DUE, Q_INC_REG_NEXT, Q_INC_REG_YEAR,
	Q_REG_INSERT, Q_REG_LIST, Q_REG_GET,
	/* Text only in a backend's table (store_ops.sql): the search. */
	Q_FTS_INSERT, Q_FTS_APPEND, Q_FTS2_INSERT, Q_FTS2_APPEND,
	/* The engine's catalog: (table, column) of every table of the
	 * database, for copy.c to know it copies them all. */
	Q_COPY_COLUMNS,
	Q__COUNT
};

/* Shared query text, indexed by enum q; NULL for backend-only queries. */
extern const char *const store_sql[Q__COUNT];

struct store_ops {
	const char *scheme;
	/* The version of the engine's library this process runs on. */
	const char *(*version)(void);
	int (*open)(struct store **out, const char *url, unsigned flags,
		    struct errbuf *err);
	void (*close)(struct store *st);
	int (*schema)(struct store *st, int *have, int *want);
	int (*migrate)(struct store *st, int *from, int *to,
		       struct errbuf *err);
	/* Online copy of the whole database to path (must not exist). */
	int (*backup)(struct store *st, const char *path, struct errbuf *err);
	/*
	 * Start a write transaction. Write transactions of one database are
	 * serialised: a second begin (from any connection or process) waits
	 * until the first commits or rolls back. The audit chain relies on
	 * it (app/audit.c reads the head row and appends id + 1 with its
	 * hash in the same transaction), and so do the event log and the
	 * incident counter: ids become visible in commit order, so a reader
	 * that has seen event n never later finds a new event below n.
	 * SQLite gets this from BEGIN IMMEDIATE; a server engine must take
	 * a lock of its own at begin (PostgreSQL: one transaction-scoped
	 * advisory lock, postgres.c), across every node of the database.
	 */
	int (*begin)(struct store *st);
	int (*commit)(struct store *st);
	int (*rollback)(struct store *st);
	int (*savepoint)(struct store *st);
	int (*release)(struct store *st);
	int (*rollback_to)(struct store *st);
	/*
	 * Run query q with params p[0..np) ($1..$np). fn (may be NULL) gets
	 * each row. *changes (may be NULL) receives the number of rows
	 * written. Returns 0, the callback's non-zero value, or ERMS_E*.
	 */
	int (*query)(struct store *st, enum q q, const struct sval *p, int np,
		     srow_fn *fn, void *ctx, int64_t *changes);
	/* The same for a built query (struct built_query). */
	int (*query_built)(struct store *st, const struct built_query *bq,
			   srow_fn *fn, void *ctx);
	/* This engine's query text by enum q: an entry that is not NULL
	 * replaces store_sql's; the backend-only queries must have one. */
	const char *const *sql;
	/*
	 * The next number of year's incident counter, inside the current
	 * write transaction: numbers have no gaps, and a rolled-back
	 * transaction gives its number back.
	 */
	int (*incident_counter)(struct store *st, int year, int64_t *n);
	/* Put incident id's title and description in the search index. */
	int (*search_new)(struct store *st, int64_t id, const char *title,
			  const char *description);
	/* Add text (a note, a timeline line) to incident id's index. */
	int (*search_add)(struct store *st, int64_t id, const char *text);
	/*
	 * Make bq, an incident list of store-int.h (inc_list_query: its
	 * filters and its limit), the incidents matching search text q (not
	 * ""), with the same filters, order and number: the engine's text
	 * and its parameters after the list's. Every engine must match as
	 * the SQLite backend does (sqlite-search.c): any run of three
	 * characters or more, a two-character word, a single character,
	 * with the case of ASCII letters folded (LIKE does that in SQLite
	 * only: an engine brings its own case-insensitive match).
	 */
	void (*search_query)(struct built_query *bq, const char *q);
	/*
	 * Several processes (the nodes of one installation) may share this
	 * engine's database: writes are serialised across them at begin,
	 * and what a node keeps in memory must be invalidated through the
	 * database (store_shared()).
	 */
	bool shared;
	/*
	 * Wait up to timeout_ms for a commit on another connection to this
	 * database: 1 when one was signalled, 0 on timeout. The first call
	 * on a connection starts listening (call it with 0 before the
	 * commits it should see); only that connection waits. NULL for an
	 * engine that cannot tell: store_wait_change() sleeps and says 0,
	 * and the caller polls.
	 */
	int (*wait_change)(struct store *st, int timeout_ms);
	/*
	 * Take, or keep, the scheduler's lock on this connection: *yes
	 * says whether st holds it now. Exactly one connection of all
	 * nodes holds it; it is released when that connection ends. NULL:
	 * one process only, always the leader.
	 */
	int (*leader)(struct store *st, bool *yes);
	/* Which database role st reaches and whether it can write. NULL:
	 * an embedded file ("embedded", writable unless opened read-only). */
	int (*role)(struct store *st, struct store_role *out);
	/*
	 * After rows were copied in with the ids they had (store_copy()):
	 * make new ids continue after the highest of each table. NULL when
	 * the engine does so by itself (SQLite's rowid).
	 */
	int (*ids_sync)(struct store *st);
};

/* Every backend's connection struct starts with this. */
struct store {
	const struct store_ops *ops;
	void *cache;	/* store_set_cache(): the owner's, never read here */
};

/* The SQLite backend: sqlite.c; its search and query text of its own:
 * sqlite-search.c. */
extern const struct store_ops store_sqlite_ops;
extern const char *const store_sqlite_sql[Q__COUNT];
int sqlite_search_new(struct store *st, int64_t id, const char *title,
		      const char *description);
int sqlite_search_add(struct store *st, int64_t id, const char *text);
void sqlite_search_query(struct built_query *bq, const char *q);
/* The backend's SQL functions (erms_pairs) on connection db. */
struct sqlite3;
int sqlite_search_functions(struct sqlite3 *db);

/*
 * What both engines' searches cut text and queries into (search-text.c).
 * search_separator: the character at s splits words (ASCII but not a
 * letter or digit). search_pairs: text as the pair index's tokens, each
 * character and each two side by side, runs split at separators: "主库宕机
 * db" -> "主 主库 库 库宕 宕 宕机 机 d db b" (new string, free() it).
 * search_token: the part of q (one or two characters, n) that is a pair
 * index token: all of q, its one character that is no separator, or none
 * (NULL); its length in *len. search_like: q as a LIKE pattern matching
 * it anywhere, %, _ and \ escaped by \ (new string).
 */
bool search_separator(const char *s);
char *search_pairs(const char *s);
const char *search_token(const char *q, size_t n, size_t *len);
char *search_like(const char *q);

/* The PostgreSQL backend: postgres.c; its query text of its own
 * (postgres-sql.c) and its search (postgres-search.c). */
extern const struct store_ops store_postgres_ops;
extern const char *const store_postgres_sql[Q__COUNT];
int pg_search_new(struct store *st, int64_t id, const char *title,
		  const char *description);
int pg_search_add(struct store *st, int64_t id, const char *text);
void pg_search_query(struct built_query *bq, const char *q);

/*
 * The search rows of the SQLite backend's write transaction, staged and
 * written once before COMMIT (sqlite-stage.c). sqlite_stage() is st's
 * stage while a write transaction is open, else NULL (write at once).
 * fts_stage_add() copies title (NULL: a line added to an incident already
 * indexed) and text and takes pairs (the text cut for the pair index).
 */
struct fts_stage;
struct fts_stage *sqlite_stage(struct store *st);
struct fts_stage *fts_stage_new(void);
void fts_stage_free(struct fts_stage *g);
void fts_stage_add(struct fts_stage *g, int64_t id, const char *title,
		   const char *text, char *pairs);
/* At SAVEPOINT: remember the length; at ROLLBACK TO: cut back to it. */
void fts_stage_mark(struct fts_stage *g);
void fts_stage_undo(struct fts_stage *g);
void fts_stage_clear(struct fts_stage *g);
/* Write what is staged with st (one statement pair per incident), then
 * empty the stage, whatever the outcome. */
int fts_stage_flush(struct fts_stage *g, struct store *st);

#endif
