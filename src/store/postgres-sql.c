/*
 * postgres-sql.c - PostgreSQL's own query text (store_ops.sql): where it
 * differs from sql.c's shared text, and the search index's queries.
 *
 * Every query text the backend runs is this table's, else sql.c's
 * (tests/store/test-pg-prepare.c prepares them all on a fresh schema).
 */
#include "store/store-int.h"

const char *const store_postgres_sql[Q__COUNT] = {
	/* Untyped $n compared with 0 would be int4: times are bigger. */
	[Q_DRILL_LIST] =
		"SELECT " SELECT_LIST(DRILL_COLS) " FROM drill"
		" WHERE ($2::bigint = 0 OR"
		" (scheduled_ms >= $1 AND scheduled_ms < $2))"
		" ORDER BY scheduled_ms, id",
	[Q_TOKEN_LIST] =
		"SELECT " SELECT_LIST(TOKEN_COLS) " FROM api_token"
		" WHERE $1::bigint = 0 OR user_id = $1 ORDER BY id",
	[Q_NT_LIST] =
		"SELECT " SELECT_LIST(NOTIFICATION_COLS)
		" FROM notification WHERE id < $5"
		" AND ($1::bigint = 0 OR incident_id = $1)"
		" AND ($2::text = '' OR state = $2)"
		" AND ($3::bigint = 0 OR channel_id = $3)"
		" ORDER BY id DESC LIMIT $4",
	[Q_ROT_LIST] =
		"SELECT " SELECT_LIST(ROTATION_COLS) " FROM rotation r"
		" JOIN org_group g ON g.id = r.group_id"
		" WHERE $1::bigint = 0 OR r.group_id = $1 ORDER BY r.id",
	/* Statistics in byte order, as SQLite sorts them, whatever the
	 * database's collation. */
	[Q_INC_STATS] =
		"SELECT " SELECT_LIST(STAT_COLS) " FROM incident"
		" WHERE is_drill + 0 = 0 AND reported_ms >= $1"
		" AND reported_ms < $2"
		" GROUP BY status, level_key, category"
		" ORDER BY status COLLATE \"C\", level_key COLLATE \"C\","
		" category COLLATE \"C\"",
	/* Nodes claim side by side: a row another claim holds is skipped,
	 * not waited for. */
	[Q_NT_CLAIM] =
		"UPDATE notification SET next_ms = $2 WHERE id IN"
		" (SELECT id FROM notification WHERE state = 'pending'"
		" AND next_ms <= $1 ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)"
		" RETURNING " SELECT_LIST(NOTIFICATION_COLS),
	/* The search (postgres-search.c): text folded, pairs as one
	 * string split at spaces, each token kept once. */
	[Q_FTS_INSERT] =
		"INSERT INTO incident_search (id, title, body, pairs)"
		" VALUES ($1, $2, $3,"
		" ARRAY(SELECT DISTINCT unnest(string_to_array($4, ' '))))",
	[Q_FTS_APPEND] =
		"UPDATE incident_search SET body = body || chr(10) || $2,"
		" pairs = ARRAY(SELECT DISTINCT unnest(pairs ||"
		" string_to_array($3, ' '))) WHERE id = $1",
	/* The tables' columns in the connection's schema (copy.c). */
	[Q_COPY_COLUMNS] =
		"SELECT c.table_name::text, c.column_name::text"
		" FROM information_schema.columns c"
		" JOIN information_schema.tables t"
		" ON t.table_schema = c.table_schema"
		" AND t.table_name = c.table_name"
		" AND t.table_type = 'BASE TABLE'"
		" WHERE c.table_schema = current_schema()"
		" ORDER BY c.table_name, c.ordinal_position",
};
