/*
 * sql.c - the query text shared by every engine.
 *
 * One literal per query, named after the operation; parameters are $1,
 * $2, ... and bound, never formatted in. Only SQL that SQLite and
 * PostgreSQL both accept lives here; a backend overrides what differs.
 * Column order in SELECT lists is the order the decoders in store.c read.
 */
#include "store/backend.h"

#define USER_COLS "id, login, display_name, email, phone, locale, is_admin," \
	" disabled, created_ms, updated_ms"
#define GROUP_COLS "id, key, name, kind, duties_json, created_ms, updated_ms"
#define TOKEN_COLS "id, user_id, name, created_ms, last_used_ms, expires_ms," \
	" revoked_ms"
#define AUDIT_COLS "id, at_ms, actor_id, action, object, summary, prev_hash," \
	" hash"

const char *const store_sql[Q__COUNT] = {
	[Q_PING] = "SELECT 1",

	[Q_USER_INSERT] =
		"INSERT INTO users (login, display_name, email, phone, locale,"
		" is_admin, disabled, password_hash, created_ms, updated_ms)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
		" RETURNING id",
	[Q_USER_GET] = "SELECT " USER_COLS " FROM users WHERE id = $1",
	[Q_USER_BY_LOGIN] =
		"SELECT " USER_COLS ", password_hash FROM users WHERE login = $1",
	[Q_USER_PWHASH] = "SELECT password_hash FROM users WHERE id = $1",
	[Q_USER_UPDATE] =
		"UPDATE users SET display_name = $2, email = $3, phone = $4,"
		" locale = $5, is_admin = $6, disabled = $7, updated_ms = $8"
		" WHERE id = $1",
	[Q_USER_SET_PASSWORD] =
		"UPDATE users SET password_hash = $2, updated_ms = $3"
		" WHERE id = $1",
	[Q_USER_COUNT] = "SELECT count(*) FROM users",
	[Q_USER_LIST] =
		"SELECT " USER_COLS " FROM users WHERE id > $1"
		" ORDER BY id LIMIT $2",

	[Q_GROUP_INSERT] =
		"INSERT INTO org_group (key, name, kind, duties_json,"
		" created_ms, updated_ms) VALUES ($1, $2, $3, $4, $5, $5)"
		" RETURNING id",
	[Q_GROUP_GET] = "SELECT " GROUP_COLS " FROM org_group WHERE key = $1",
	[Q_GROUP_UPDATE] =
		"UPDATE org_group SET name = $2, duties_json = $3,"
		" updated_ms = $4 WHERE id = $1",
	[Q_GROUP_LIST] = "SELECT " GROUP_COLS " FROM org_group ORDER BY id",
	[Q_MEMBER_PUT] =
		"INSERT INTO group_member (group_id, user_id, role, created_ms)"
		" VALUES ($1, $2, $3, $4)"
		" ON CONFLICT (group_id, user_id) DO UPDATE SET role = $3",
	[Q_MEMBER_DELETE] =
		"DELETE FROM group_member WHERE group_id = $1 AND user_id = $2",
	[Q_MEMBERS_OF_GROUP] =
		"SELECT g.id, g.key, g.kind, m.role, u.id, u.login,"
		" u.display_name, u.email, u.locale, u.disabled"
		" FROM group_member m JOIN org_group g ON g.id = m.group_id"
		" JOIN users u ON u.id = m.user_id WHERE m.group_id = $1"
		" ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'deputy' THEN 1"
		" ELSE 2 END, u.id",
	[Q_GROUPS_OF_USER] =
		"SELECT g.id, g.key, g.kind, m.role, u.id, u.login,"
		" u.display_name, u.email, u.locale, u.disabled"
		" FROM group_member m JOIN org_group g ON g.id = m.group_id"
		" JOIN users u ON u.id = m.user_id WHERE m.user_id = $1"
		" ORDER BY g.id",

	[Q_SESSION_INSERT] =
		"INSERT INTO session (secret_hash, csrf, user_id, created_ms,"
		" last_seen_ms) VALUES ($1, $2, $3, $4, $4) RETURNING id",
	[Q_SESSION_GET] =
		"SELECT id, user_id, csrf, created_ms, last_seen_ms, revoked_ms"
		" FROM session WHERE secret_hash = $1",
	[Q_SESSION_TOUCH] =
		"UPDATE session SET last_seen_ms = $2 WHERE id = $1",
	[Q_SESSION_REVOKE] =
		"UPDATE session SET revoked_ms = $2"
		" WHERE id = $1 AND revoked_ms IS NULL",
	[Q_SESSION_REVOKE_USER] =
		"UPDATE session SET revoked_ms = $2"
		" WHERE user_id = $1 AND revoked_ms IS NULL",

	[Q_TOKEN_INSERT] =
		"INSERT INTO api_token (secret_hash, user_id, name, created_ms,"
		" expires_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id",
	[Q_TOKEN_BY_HASH] =
		"SELECT " TOKEN_COLS " FROM api_token WHERE secret_hash = $1",
	[Q_TOKEN_GET] = "SELECT " TOKEN_COLS " FROM api_token WHERE id = $1",
	[Q_TOKEN_TOUCH] =
		"UPDATE api_token SET last_used_ms = $2 WHERE id = $1",
	[Q_TOKEN_REVOKE] =
		"UPDATE api_token SET revoked_ms = $2"
		" WHERE id = $1 AND revoked_ms IS NULL",
	[Q_TOKEN_REVOKE_USER] =
		"UPDATE api_token SET revoked_ms = $2"
		" WHERE user_id = $1 AND revoked_ms IS NULL",
	[Q_TOKEN_LIST] =
		"SELECT " TOKEN_COLS " FROM api_token"
		" WHERE $1 = 0 OR user_id = $1 ORDER BY id",

	[Q_AUDIT_HEAD] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[Q_AUDIT_INSERT] =
		"INSERT INTO audit (id, at_ms, actor_id, action, object, summary,"
		" prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	[Q_AUDIT_LIST] =
		"SELECT " AUDIT_COLS " FROM audit WHERE id > $1"
		" ORDER BY id LIMIT $2",
};
