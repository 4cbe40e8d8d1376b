/*
 * sql.c - the query text shared by every engine.
 *
 * One literal per query, named after the operation; parameters are $1,
 * $2, ... and bound, never formatted in. Only SQL that SQLite and
 * PostgreSQL both accept lives here: no rowid, no char(), no MATCH, no
 * LIKE (case-insensitive in SQLite only). Queries only one engine has (the
 * search index) get their text from the backend (store_ops.sql).
 * SELECT lists come from the column lists of store-int.h, which the
 * entity files' decoders read by the same lists.
 */
#include "store/store-int.h"

#include <stdio.h>

const char *const store_sql[Q__COUNT] = {
	[Q_PING] = "SELECT 1",
	[Q_HEALTH_PROBE] = "UPDATE health SET probed_ms = $1 WHERE id = 1",

	[Q_USER_INSERT] =
		"INSERT INTO users (login, display_name, email, phone, locale,"
		" is_admin, disabled, password_hash, created_ms, updated_ms,"
		" time_zone, chat_dingtalk, chat_wecom, chat_feishu, updated_by)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10, $11, $12,"
		" $13, $14)"
		" RETURNING id",
	[Q_USER_GET] =
		"SELECT " SELECT_LIST(USER_COLS)
		" FROM users WHERE id = $1",
	[Q_USER_BY_LOGIN] =
		"SELECT " SELECT_LIST(USER_COLS)
		", password_hash FROM users WHERE login = $1",
	[Q_USER_PWHASH] = "SELECT password_hash FROM users WHERE id = $1",
	[Q_USER_UPDATE] =
		"UPDATE users SET display_name = $2, email = $3, phone = $4,"
		" locale = $5, is_admin = $6, disabled = $7, updated_ms = $8,"
		" time_zone = $9, chat_dingtalk = $10, chat_wecom = $11,"
		" chat_feishu = $12, version = version + 1, updated_by = $13"
		" WHERE id = $1 RETURNING version",
	[Q_USER_SET_PASSWORD] =
		"UPDATE users SET password_hash = $2, updated_ms = $3"
		" WHERE id = $1",
	[Q_USER_COUNT] = "SELECT count(*) FROM users",
	[Q_USER_LIST] =
		"SELECT " SELECT_LIST(USER_COLS) " FROM users WHERE id > $1"
		" ORDER BY id LIMIT $2",
	[Q_ORG_GET] =
		"SELECT o.name, o.time_zone, o.locale, o.operator_type,"
		" o.regulators, o.calendar, o.version, o.updated_ms,"
		" coalesce(o.updated_by, 0), coalesce(u.display_name, '')"
		" FROM organisation o LEFT JOIN users u ON u.id = o.updated_by"
		" WHERE o.id = 1",
	[Q_ORG_UPDATE] =
		"UPDATE organisation SET name = $1, time_zone = $2, locale = $3,"
		" operator_type = $4, regulators = $5, calendar = $6,"
		" version = $7, updated_ms = $8, updated_by = $9 WHERE id = 1",
	/* The duty to report (app/regulatory.c): the obligation written by
	 * the timers and the reports, which are no edit of the incident;
	 * what falls due, through the partial index on reg_next_ms; a
	 * year's obligations, through the one on reg_opened_ms. */
	[Q_INC_REG_SET] =
		"UPDATE incident SET regulatory = $2, reg_next_ms = $3,"
		" reg_opened_ms = $4 WHERE id = $1",
	[Q_INC_REG_DUE] =
		"SELECT " SELECT_LIST(INCIDENT_COLS) " FROM incident i"
		" WHERE reg_next_ms > 0 AND reg_next_ms <= $1"
		" ORDER BY reg_next_ms LIMIT $2",
	[Q_INC_REG_NEXT] =
		"SELECT coalesce(min(reg_next_ms), 0) FROM incident"
		" WHERE reg_next_ms > 0",
	[Q_INC_REG_YEAR] =
		"SELECT " SELECT_LIST(INCIDENT_COLS) " FROM incident i"
		" WHERE reg_opened_ms >= $1 AND reg_opened_ms < $2"
		" ORDER BY reg_opened_ms, id",
	[Q_REG_INSERT] =
		"INSERT INTO regulatory_report (incident_id, n, kind, recipient,"
		" via, sent_ms, content, changes, on_time, recorded_by,"
		" recorded_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
		" $11) RETURNING id",
	[Q_REG_LIST] =
		"SELECT " SELECT_LIST(REG_REPORT_COLS) " FROM regulatory_report r"
		" LEFT JOIN users u ON u.id = r.recorded_by"
		" WHERE r.incident_id = $1 ORDER BY r.n",
	[Q_REG_GET] =
		"SELECT " SELECT_LIST(REG_REPORT_COLS) " FROM regulatory_report r"
		" LEFT JOIN users u ON u.id = r.recorded_by"
		" WHERE r.incident_id = $1 AND r.n = $2",
	[Q_AUDIT_KEY_GET] =
		"SELECT fingerprint, plain_until FROM audit_key WHERE id = 1",
	[Q_AUDIT_KEY_PUT] =
		"INSERT INTO audit_key (id, fingerprint, plain_until, created_ms)"
		" VALUES (1, $1, (SELECT coalesce(max(id), 0) FROM audit), $2)",

	[Q_GROUP_INSERT] =
		"INSERT INTO org_group (key, name, kind, duties_json,"
		" created_ms, updated_ms, updated_by)"
		" VALUES ($1, $2, $3, $4, $5, $5, $6)"
		" RETURNING id",
	[Q_GROUP_GET] =
		"SELECT " SELECT_LIST(GROUP_COLS)
		" FROM org_group WHERE key = $1",
	[Q_GROUP_UPDATE] =
		"UPDATE org_group SET name = $2, duties_json = $3,"
		" updated_ms = $4, kind = $5, version = version + 1,"
		" updated_by = $6 WHERE id = $1 RETURNING version",
	[Q_GROUP_LIST] =
		"SELECT " SELECT_LIST(GROUP_COLS)
		" FROM org_group ORDER BY id",
	[Q_MEMBER_PUT] =
		"INSERT INTO group_member (group_id, user_id, role, created_ms,"
		" review_from_ms) VALUES ($1, $2, $3, $4, $5)"
		" ON CONFLICT (group_id, user_id) DO UPDATE SET role = $3",
	[Q_MEMBER_DELETE] =
		"DELETE FROM group_member WHERE group_id = $1 AND user_id = $2",
	[Q_MEMBERS_OF_GROUP] =
		"SELECT " SELECT_LIST(MEMBER_COLS) ", "
		SELECT_LIST(MEMBER_USER_COLS)
		" FROM group_member m JOIN org_group g ON g.id = m.group_id"
		" JOIN users u ON u.id = m.user_id WHERE m.group_id = $1"
		" ORDER BY CASE m.role WHEN 'lead' THEN 0 WHEN 'deputy' THEN 1"
		" ELSE 2 END, u.id",
	[Q_GROUPS_OF_USER] =
		"SELECT " SELECT_LIST(MEMBER_COLS) ", "
		SELECT_LIST(MEMBER_USER_COLS)
		" FROM group_member m JOIN org_group g ON g.id = m.group_id"
		" JOIN users u ON u.id = m.user_id WHERE m.user_id = $1"
		" ORDER BY g.id",

	[Q_SESSION_INSERT] =
		"INSERT INTO session (secret_hash, csrf, user_id, created_ms,"
		" last_seen_ms) VALUES ($1, $2, $3, $4, $4) RETURNING id",
	[Q_SESSION_GET] =
		"SELECT " SELECT_LIST(SESSION_COLS)
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
		" expires_ms, kind) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	[Q_TOKEN_BY_HASH] =
		"SELECT " SELECT_LIST(TOKEN_COLS)
		" FROM api_token WHERE secret_hash = $1",
	[Q_TOKEN_GET] =
		"SELECT " SELECT_LIST(TOKEN_COLS)
		" FROM api_token WHERE id = $1",
	[Q_TOKEN_TOUCH] =
		"UPDATE api_token SET last_used_ms = $2 WHERE id = $1",
	[Q_TOKEN_REVOKE] =
		"UPDATE api_token SET revoked_ms = $2"
		" WHERE id = $1 AND revoked_ms IS NULL",
	[Q_TOKEN_REVOKE_USER] =
		"UPDATE api_token SET revoked_ms = $2"
		" WHERE user_id = $1 AND revoked_ms IS NULL",
	[Q_TOKEN_LIST] =
		"SELECT " SELECT_LIST(TOKEN_COLS) " FROM api_token"
		" WHERE $1 = 0 OR user_id = $1 ORDER BY id",
	[Q_SESSION_BY_ID] =
		"SELECT " SELECT_LIST(SESSION_COLS)
		" FROM session WHERE id = $1",
	[Q_SESSION_REVOKE_OTHERS] =
		"UPDATE session SET revoked_ms = $2"
		" WHERE user_id = $1 AND revoked_ms IS NULL AND id <> $3",
	[Q_TOKEN_REVOKE_OTHERS] =
		"UPDATE api_token SET revoked_ms = $2"
		" WHERE user_id = $1 AND revoked_ms IS NULL AND id <> $3",
	[Q_TOKEN_REVOKE_FEEDS] =
		"UPDATE api_token SET revoked_ms = $2"
		" WHERE user_id = $1 AND kind = 'feed' AND revoked_ms IS NULL",
	[Q_AUTH_EPOCH] = "SELECT gen FROM auth_epoch WHERE id = 1",

	[Q_AUDIT_HEAD] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[Q_AUDIT_INSERT] =
		"INSERT INTO audit (id, at_ms, actor_id, action, object, summary,"
		" prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	[Q_AUDIT_LIST] =
		"SELECT " SELECT_LIST(AUDIT_COLS) " FROM audit WHERE id > $1"
		" ORDER BY id LIMIT $2",

	[Q_PLAN_BY_KEY] = "SELECT id FROM plan WHERE key = $1",
	[Q_PLAN_INSERT] =
		"INSERT INTO plan (key, created_ms) VALUES ($1, $2) RETURNING id",
	/* Each plan with its newest version and its version in force. */
	[Q_PLAN_LIST] =
		"SELECT " SELECT_LIST(PLAN_COLS) " FROM plan p ORDER BY p.id",
	[Q_PV_NEXT_N] =
		"SELECT coalesce(max(n), 0) + 1 FROM plan_version"
		" WHERE plan_id = $1",
	[Q_PV_INSERT] =
		"INSERT INTO plan_version (plan_id, n, status, name_json,"
		" source_name, source, content, author_id, created_ms,"
		" updated_ms, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		" $8, $9, $9, $10)"
		" RETURNING id",
	[Q_PV_GET] =
		"SELECT " SELECT_LIST(PV_COLS) ", "
		SELECT_LIST(PV_TEXT_COLS) " FROM plan_version v"
		" JOIN plan p ON p.id = v.plan_id"
		" WHERE v.plan_id = $1 AND v.n = $2",
	[Q_PV_LIST] =
		"SELECT " SELECT_LIST(PV_COLS) " FROM plan_version v"
		" JOIN plan p ON p.id = v.plan_id WHERE v.plan_id = $1"
		" ORDER BY v.n",
	[Q_PV_UPDATE] =
		"UPDATE plan_version SET status = $2, name_json = $3,"
		" source_name = $4, source = $5, content = $6, updated_ms = $7,"
		" submitted_ms = $8, reviewer_id = $9, reviewed_ms = $10,"
		" review_comment = $11, publisher_id = $12, published_ms = $13,"
		" superseded_ms = $14, version = version + 1, updated_by = $15"
		" WHERE id = $1 RETURNING version",
	/* The plan in force: the version published last, of any plan. */
	[Q_PV_CURRENT] =
		"SELECT " SELECT_LIST(PV_COLS) ", "
		SELECT_LIST(PV_TEXT_COLS) " FROM plan_version v"
		" JOIN plan p ON p.id = v.plan_id WHERE v.status = 'published'"
		" ORDER BY v.published_ms DESC, v.id DESC LIMIT 1",
	[Q_PV_CURRENT_ID] =
		"SELECT v.id FROM plan_version v WHERE v.status = 'published'"
		" ORDER BY v.published_ms DESC, v.id DESC LIMIT 1",
	[Q_PV_BY_ID] =
		"SELECT " SELECT_LIST(PV_COLS) ", "
		SELECT_LIST(PV_TEXT_COLS) " FROM plan_version v"
		" JOIN plan p ON p.id = v.plan_id WHERE v.id = $1",
	[Q_PV_PUBLISHED_OF_PLAN] =
		"SELECT n FROM plan_version WHERE plan_id = $1"
		" AND status = 'published'",
	/* Everyone who imported, replaced or edited a version. */
	[Q_PV_EDITOR_PUT] =
		"INSERT INTO plan_version_editor (version_id, user_id, first_ms,"
		" last_ms) VALUES ($1, $2, $3, $3)"
		" ON CONFLICT (version_id, user_id) DO UPDATE SET last_ms = $3",
	[Q_PV_EDITORS] =
		"SELECT " SELECT_LIST(EDITOR_COLS)
		" FROM plan_version_editor e"
		" JOIN users u ON u.id = e.user_id WHERE e.version_id = $1"
		" ORDER BY e.first_ms, e.user_id",
	[Q_ACK_PUT] =
		"INSERT INTO plan_ack (version_id, user_id, at_ms)"
		" VALUES ($1, $2, $3) ON CONFLICT (version_id, user_id) DO NOTHING",
	/* Every active user, with the time they acknowledged, or NULL. */
	[Q_ACK_LIST] =
		"SELECT " SELECT_LIST(ACK_COLS) " FROM users u"
		" LEFT JOIN plan_ack a ON a.user_id = u.id AND a.version_id = $1"
		" WHERE u.disabled = 0 ORDER BY u.id",
	[Q_ACK_LIST_GROUP] =
		"SELECT " SELECT_LIST(ACK_COLS) " FROM users u"
		" JOIN group_member m ON m.user_id = u.id"
		" JOIN org_group g ON g.id = m.group_id AND g.key = $2"
		" LEFT JOIN plan_ack a ON a.user_id = u.id AND a.version_id = $1"
		" WHERE u.disabled = 0 ORDER BY u.id",
	/* Where a draft came from and the findings it answers. */
	[Q_PV_BASIS_PUT] =
		"INSERT INTO plan_version_basis (version_id, from_n, incident_id,"
		" findings) VALUES ($1, $2, $3, $4)"
		" ON CONFLICT (version_id) DO UPDATE SET from_n = $2,"
		" incident_id = $3, findings = $4",
	[Q_PV_BASIS_GET] =
		"SELECT from_n, incident_id, findings FROM plan_version_basis"
		" WHERE version_id = $1",
	/* Active users who have not acknowledged version $1, reminded
	 * last (or, never reminded, published) at or before $3. */
	[Q_ACK_REMIND_DUE] =
		"SELECT u.id FROM users u"
		" LEFT JOIN plan_ack a ON a.user_id = u.id AND a.version_id = $1"
		" LEFT JOIN plan_ack_reminder r ON r.user_id = u.id"
		" AND r.version_id = $1"
		" WHERE u.disabled = 0 AND a.user_id IS NULL"
		" AND COALESCE(r.last_ms, $2) <= $3 ORDER BY u.id LIMIT $4",
	[Q_ACK_REMIND_PUT] =
		"INSERT INTO plan_ack_reminder (version_id, user_id, sent, last_ms)"
		" VALUES ($1, $2, 1, $3) ON CONFLICT (version_id, user_id)"
		" DO UPDATE SET sent = plan_ack_reminder.sent + 1, last_ms = $3",

	/* Numbers per year without gaps: the counter moves in the same
	 * transaction as the insert, so a rolled-back report frees its
	 * number again. */
	[Q_INC_NEXT_NUMBER] =
		"INSERT INTO incident_counter (year, last) VALUES ($1, 1)"
		" ON CONFLICT (year) DO UPDATE SET last = incident_counter.last + 1"
		" RETURNING last",
	[Q_INC_INSERT] =
		"INSERT INTO incident (number, title, description, impact,"
		" category, status, level_rank, level_key, proposed_level,"
		" is_drill, reporter_id, commander_id, plan_version_id,"
		" detected_ms, reported_ms, ack_min, activate_min, resolve_min,"
		" public, public_summary, updated_ms, esc_tiers, source,"
		" integration_id, updated_by) VALUES ($1, $2, $3, $4, $5, $6,"
		" $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,"
		" $20, $15, $21, $22, $23, $24) RETURNING id",
	[Q_INC_GET] =
		"SELECT " SELECT_LIST(INCIDENT_COLS)
		" FROM incident i WHERE id = $1",
	[Q_INC_BY_NUMBER] =
		"SELECT " SELECT_LIST(INCIDENT_COLS)
		" FROM incident i WHERE number = $1",
	[Q_INC_UPDATE] =
		"UPDATE incident SET title = $2, description = $3, impact = $4,"
		" category = $5, status = $6, level_rank = $7, level_key = $8,"
		" commander_id = $9, acked_ms = $10, activated_ms = $11,"
		" resolved_ms = $12, closed_ms = $13, reviewed_ms = $14,"
		" dismissed_ms = $15, ack_min = $16, activate_min = $17,"
		" resolve_min = $18, breaches = $19, public = $20,"
		" public_summary = $21, summary = $22, review_json = $23,"
		" updated_ms = $24, esc_tiers = $25, esc_acked_ms = $26,"
		" version = version + 1, updated_by = $27,"
		" public_title = $28, public_message = $29,"
		" regulatory = $30, reg_next_ms = $31, reg_opened_ms = $32"
		" WHERE id = $1 RETURNING version",
	[Q_INC_ASSESS] =
		"UPDATE incident SET assessment = $2, proposed_level = $3"
		" WHERE id = $1",
	/* A pre-filter for the timers (core/incident.c decides): open
	 * incidents with a target past and not yet recorded. Each part is
	 * served by its partial index (migrations/sqlite/0013), which holds
	 * only rows still waiting for that target: a tick costs what is
	 * due. The ids come out of the IN list in order: no sort. */
	[Q_INC_DUE] =
		"SELECT " SELECT_LIST(INCIDENT_COLS) " FROM incident i WHERE id IN"
		" (SELECT id FROM incident WHERE status = 'reported'"
		"   AND ack_min > 0 AND (breaches & 1) = 0"
		"   AND reported_ms + ack_min * 60000 <= $1"
		" UNION ALL SELECT id FROM incident"
		"   WHERE status IN ('reported', 'acknowledged')"
		"   AND activate_min > 0 AND (breaches & 2) = 0"
		"   AND reported_ms + activate_min * 60000 <= $1"
		" UNION ALL SELECT id FROM incident WHERE status = 'active'"
		"   AND resolve_min > 0 AND (breaches & 4) = 0"
		"   AND activated_ms + resolve_min * 60000 <= $1)"
		" ORDER BY id LIMIT $2",
	/* Reports nobody has acknowledged: the reporting chain runs (a
	 * partial index holds exactly these). */
	[Q_INC_UNACKED] =
		"SELECT " SELECT_LIST(INCIDENT_COLS)
		" FROM incident i WHERE status = 'reported'"
		" AND esc_acked_ms = 0 ORDER BY id LIMIT $1",

	[Q_TASK_INSERT] =
		"INSERT INTO task (incident_id, title, group_key, assignee_id,"
		" status, due_ms, notes, origin, created_by, created_ms,"
		" updated_ms, titles, updated_by) VALUES ($1, $2, $3, $4, $5, $6,"
		" $7, $8, $9, $10, $10, $11, $9) RETURNING id",
	[Q_TASK_GET] =
		"SELECT " SELECT_LIST(TASK_COLS)
		" FROM task WHERE id = $1",
	[Q_TASK_LIST] =
		"SELECT " SELECT_LIST(TASK_COLS)
		" FROM task WHERE incident_id = $1 ORDER BY id",
	[Q_TASK_UPDATE] =
		"UPDATE task SET title = $2, assignee_id = $3, status = $4,"
		" due_ms = $5, notes = $6, updated_ms = $7, titles = $8,"
		" version = version + 1, updated_by = $9"
		" WHERE id = $1 RETURNING version",

	[Q_TL_INSERT] =
		"INSERT INTO timeline (incident_id, at_ms, actor_id, kind, text,"
		" data) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
	[Q_TL_LIST] =
		"SELECT " SELECT_LIST(TIMELINE_COLS) " FROM timeline"
		" WHERE incident_id = $1 AND id > $2 ORDER BY id",

	[Q_EVENT_INSERT] =
		"INSERT INTO event (at_ms, kind, incident_id, data)"
		" VALUES ($1, $2, $3, $4) RETURNING id",
	[Q_EVENT_LIST] =
		"SELECT " SELECT_LIST(EVENT_COLS) " FROM event"
		" WHERE id > $1 ORDER BY id LIMIT $2",
	[Q_EVENT_LAST] = "SELECT coalesce(max(id), 0) FROM event",

	[Q_CH_INSERT] =
		"INSERT INTO channel (name, kind, config, rate_burst,"
		" rate_period_ms, enabled, created_ms, updated_ms, updated_by)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
	[Q_CH_GET] =
		"SELECT " SELECT_LIST(CHANNEL_COLS)
		" FROM channel WHERE id = $1",
	[Q_CH_UPDATE] =
		"UPDATE channel SET name = $2, config = $3, rate_burst = $4,"
		" rate_period_ms = $5, enabled = $6, updated_ms = $7,"
		" version = version + 1, updated_by = $8"
		" WHERE id = $1 RETURNING version",
	[Q_CH_LIST] =
		"SELECT " SELECT_LIST(CHANNEL_COLS)
		" FROM channel ORDER BY id",
	[Q_CH_DELETE] = "DELETE FROM channel WHERE id = $1",
	[Q_CH_USED] = "SELECT count(*) FROM notification WHERE channel_id = $1",
	[Q_GCH_CLEAR] = "DELETE FROM group_channel WHERE group_id = $1",
	[Q_GCH_ADD] =
		"INSERT INTO group_channel (group_id, channel_id) VALUES ($1, $2)"
		" ON CONFLICT (group_id, channel_id) DO NOTHING",
	[Q_GCH_LIST] =
		"SELECT " SELECT_LIST(CHANNEL_COLS) " FROM channel WHERE id IN"
		" (SELECT channel_id FROM group_channel WHERE group_id = $1)"
		" ORDER BY id",
	[Q_GCH_CLEAR_CHANNEL] = "DELETE FROM group_channel WHERE channel_id = $1",

	[Q_NT_INSERT] =
		"INSERT INTO notification (incident_id, event, tier, channel_id,"
		" user_id, recipient, locale, subject, text, markdown, link,"
		" ack_link, idem_key, ack_hash, ack_expires_ms, state, next_ms,"
		" created_ms, mentions) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
		" $9, $10, $11, $12, $13, $14, $15, 'pending', $17, $16, $18)"
		" RETURNING id",
	[Q_NT_GET] =
		"SELECT " SELECT_LIST(NOTIFICATION_COLS)
		" FROM notification WHERE id = $1",
	[Q_NT_BY_ACK] =
		"SELECT " SELECT_LIST(NOTIFICATION_COLS)
		" FROM notification WHERE ack_hash = $1",
	[Q_NT_DUE] =
		"SELECT " SELECT_LIST(NOTIFICATION_COLS) " FROM notification"
		" WHERE state = 'pending' AND next_ms <= $1 ORDER BY id LIMIT $2",
	/* The claim (store.h): an engine whose writers overlap adds
	 * FOR UPDATE SKIP LOCKED to the inner SELECT in its own text. */
	[Q_NT_CLAIM] =
		"UPDATE notification SET next_ms = $2 WHERE id IN"
		" (SELECT id FROM notification WHERE state = 'pending'"
		" AND next_ms <= $1 ORDER BY id LIMIT $3)"
		" RETURNING " SELECT_LIST(NOTIFICATION_COLS),
	[Q_NT_UPDATE] =
		"UPDATE notification SET state = $2, attempts = $3, next_ms = $4,"
		" last_error = $5, sent_ms = $6 WHERE id = $1",
	/* Only the first acknowledgement is written. */
	[Q_NT_ACK] =
		"UPDATE notification SET acked_ms = $2, acked_by = $3"
		" WHERE id = $1 AND acked_ms = 0",
	/* Filters optional ('' / 0: any); newest first, before $5. */
	[Q_NT_LIST] =
		"SELECT " SELECT_LIST(NOTIFICATION_COLS)
		" FROM notification WHERE id < $5"
		" AND ($1 = 0 OR incident_id = $1) AND ($2 = '' OR state = $2)"
		" AND ($3 = 0 OR channel_id = $3) ORDER BY id DESC LIMIT $4",
	[Q_NT_SET_ACK] =
		"UPDATE notification SET ack_link = $2, ack_hash = $3 WHERE id = $1",

	[Q_LIMIT_GET] =
		"SELECT tokens_u, updated_ms, fails, decay_ms, next_ms, used_ms"
		" FROM signin_limits WHERE kind = $1 AND key = $2",
	[Q_LIMIT_PUT] =
		"INSERT INTO signin_limits (kind, key, tokens_u, updated_ms,"
		" fails, decay_ms, next_ms, used_ms)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
		" ON CONFLICT (kind, key) DO UPDATE SET tokens_u = $3,"
		" updated_ms = $4, fails = $5, decay_ms = $6, next_ms = $7,"
		" used_ms = $8",
	[Q_LIMIT_PRUNE] = "DELETE FROM signin_limits WHERE used_ms < $1",

	[Q_INTG_INSERT] =
		"INSERT INTO integration (name, kind, key_hash, key_prefix,"
		" enabled, created_by, category, level, title_template,"
		" group_by, group_window_s, auto_dismiss, interval_s,"
		" rate_limit_per_min, rules, maintenance, created_ms,"
		" updated_ms, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		" $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, $6)"
		" RETURNING id",
	[Q_INTG_GET] =
		"SELECT " SELECT_LIST(INTEGRATION_COLS)
		" FROM integration WHERE id = $1 AND deleted_ms = 0",
	[Q_INTG_BY_HASH] =
		"SELECT " SELECT_LIST(INTEGRATION_COLS)
		" FROM integration WHERE key_hash = $1 AND deleted_ms = 0",
	[Q_INTG_UPDATE] =
		"UPDATE integration SET name = $2, enabled = $3, category = $4,"
		" level = $5, title_template = $6, group_by = $7,"
		" group_window_s = $8, auto_dismiss = $9, interval_s = $10,"
		" rate_limit_per_min = $11, rules = $12, maintenance = $13,"
		" updated_ms = $14, version = version + 1, updated_by = $15"
		" WHERE id = $1 AND deleted_ms = 0 RETURNING version",
	[Q_INTG_REKEY] =
		"UPDATE integration SET key_hash = $2, key_prefix = $3,"
		" updated_ms = $4, version = version + 1, updated_by = $5"
		" WHERE id = $1 AND deleted_ms = 0",
	[Q_INTG_DELETE] =
		"UPDATE integration SET key_hash = NULL, enabled = 0,"
		" deleted_ms = $2, updated_ms = $2"
		" WHERE id = $1 AND deleted_ms = 0",
	[Q_INTG_LIST] =
		"SELECT " SELECT_LIST(INTEGRATION_COLS)
		" FROM integration WHERE deleted_ms = 0 ORDER BY id",
	[Q_INTG_COUNT] =
		"UPDATE integration SET received = received + $2,"
		" last_received_ms = CASE WHEN $2 > 0 THEN $6"
		" ELSE last_received_ms END,"
		" alerts_total = alerts_total + $3,"
		" alerts_firing = alerts_firing + $4, hb_missed = $5"
		" WHERE id = $1",
	[Q_INTG_HB_DUE] =
		"SELECT " SELECT_LIST(INTEGRATION_COLS)
		" FROM integration WHERE kind = 'heartbeat' AND deleted_ms = 0"
		" AND last_received_ms > 0 AND enabled = 1 AND hb_missed = 0"
		" AND last_received_ms + interval_s * 1000 < $1"
		" ORDER BY last_received_ms LIMIT $2",

	[Q_ALERT_INSERT] =
		"INSERT INTO alert (integration_id, incident_id, group_id,"
		" fingerprint, status, severity, summary, labels, annotations,"
		" source, source_url, details, group_key, count, suppressed,"
		" starts_ms, ends_ms, first_seen_ms, last_seen_ms, resolved_ms)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
		" $14, $15, $16, $17, $18, $19, $20) RETURNING id",
	[Q_ALERT_GET] =
		"SELECT " SELECT_LIST(ALERT_COLS) " FROM alert WHERE id = $1",
	[Q_ALERT_LAST] =
		"SELECT " SELECT_LIST(ALERT_COLS) " FROM alert"
		" WHERE integration_id = $1 AND fingerprint = $2"
		" ORDER BY id DESC LIMIT 1",
	[Q_ALERT_UPDATE] =
		"UPDATE alert SET incident_id = $2, group_id = $3, status = $4,"
		" severity = $5, summary = $6, labels = $7, annotations = $8,"
		" source = $9, source_url = $10, details = $11, group_key = $12,"
		" count = $13, suppressed = $14, starts_ms = $15, ends_ms = $16,"
		" last_seen_ms = $17, resolved_ms = $18 WHERE id = $1",
	[Q_ALERT_LIST] =
		"SELECT " SELECT_LIST(ALERT_COLS) " FROM alert"
		" WHERE incident_id = $1 AND id > $2 ORDER BY id LIMIT $3",

	[Q_AGROUP_INSERT] =
		"INSERT INTO alert_group (integration_id, group_key,"
		" incident_id, first_ms, alerts, firing, pending, pending_json,"
		" flushed_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
		" RETURNING id",
	[Q_AGROUP_GET] =
		"SELECT " SELECT_LIST(ALERT_GROUP_COLS) " FROM alert_group g"
		" JOIN incident i ON i.id = g.incident_id WHERE g.id = $1",
	[Q_AGROUP_LAST] =
		"SELECT " SELECT_LIST(ALERT_GROUP_COLS) " FROM alert_group g"
		" JOIN incident i ON i.id = g.incident_id"
		" WHERE g.integration_id = $1 AND g.group_key = $2"
		" ORDER BY g.id DESC LIMIT 1",
	[Q_AGROUP_UPDATE] =
		"UPDATE alert_group SET alerts = $2, firing = $3, pending = $4,"
		" pending_json = $5, flushed_ms = $6 WHERE id = $1",
	[Q_AGROUP_PENDING] =
		"SELECT " SELECT_LIST(ALERT_GROUP_COLS) " FROM alert_group g"
		" JOIN incident i ON i.id = g.incident_id"
		" WHERE g.pending > 0 AND g.flushed_ms <= $1"
		" ORDER BY g.flushed_ms LIMIT $2",

	[Q_ROT_INSERT] =
		"INSERT INTO rotation (group_id, name, start_ms, shift_minutes,"
		" time_zone, members, created_ms, updated_ms, updated_by)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
	[Q_ROT_LIST] =
		"SELECT " SELECT_LIST(ROTATION_COLS) " FROM rotation r"
		" JOIN org_group g ON g.id = r.group_id"
		" WHERE $1 = 0 OR r.group_id = $1 ORDER BY r.id",
	[Q_OV_INSERT] =
		"INSERT INTO duty_override (rotation_id, user_id, start_ms, end_ms,"
		" created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id",
	[Q_OV_LIST] =
		"SELECT " SELECT_LIST(OVERRIDE_COLS) " FROM duty_override"
		" WHERE rotation_id = $1 ORDER BY start_ms",
	[Q_ROT_UPDATE] =
		"UPDATE rotation SET name = $2, start_ms = $3,"
		" shift_minutes = $4, time_zone = $5, members = $6,"
		" updated_ms = $7, version = version + 1, updated_by = $8"
		" WHERE id = $1 RETURNING version",
	[Q_ROT_DELETE] = "DELETE FROM rotation WHERE id = $1",
	[Q_OV_DELETE] =
		"DELETE FROM duty_override WHERE id = $1 AND rotation_id = $2",
	[Q_OV_DELETE_ALL] = "DELETE FROM duty_override WHERE rotation_id = $1",

	[Q_BUL_INSERT] =
		"INSERT INTO bulletin (incident_id, audience, text, author_id,"
		" created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id",
	[Q_BUL_LIST] =
		"SELECT " SELECT_LIST(BULLETIN_COLS) " FROM bulletin b"
		" WHERE b.incident_id = $1 ORDER BY b.id",
	/* Public bulletins since $1, newest first, with their incident. */
	[Q_BUL_PUBLIC] =
		"SELECT " SELECT_LIST(BULLETIN_COLS) " FROM bulletin b"
		" JOIN incident i ON i.id = b.incident_id"
		" WHERE b.audience = 'public' AND b.created_ms >= $1"
		" AND i.is_drill = 0 ORDER BY b.id DESC LIMIT $2",

	[Q_SUP_INSERT] =
		"INSERT INTO supply (name, kind, location, quantity, unit,"
		" min_quantity, inspect_by_ms, notes, created_ms, updated_ms,"
		" updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)"
		" RETURNING id",
	[Q_SUP_GET] =
		"SELECT " SELECT_LIST(SUPPLY_COLS)
		" FROM supply WHERE id = $1",
	[Q_SUP_UPDATE] =
		"UPDATE supply SET name = $2, kind = $3, location = $4, unit = $5,"
		" min_quantity = $6, inspect_by_ms = $7, notes = $8,"
		" updated_ms = $9, version = version + 1, updated_by = $10"
		" WHERE id = $1 RETURNING version",
	[Q_SUP_LIST] =
		"SELECT " SELECT_LIST(SUPPLY_COLS)
		" FROM supply ORDER BY id",
	/* Never below zero, also when allocations race: one statement. */
	[Q_SUP_TAKE] =
		"UPDATE supply SET quantity = quantity - $2, updated_ms = $3,"
		" version = version + 1, updated_by = $4"
		" WHERE id = $1 AND quantity >= $2",
	[Q_SUP_ADD] =
		"UPDATE supply SET quantity = quantity + $2, updated_ms = $3,"
		" version = version + 1, updated_by = $4 WHERE id = $1",
	[Q_SUP_NOTICE] =
		"UPDATE supply SET low_notice_ms = $2, inspect_notice_ms = $3"
		" WHERE id = $1",
	[Q_MOV_INSERT] =
		"INSERT INTO supply_movement (supply_id, kind, quantity,"
		" incident_id, note, actor_id, at_ms)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
	[Q_MOV_LIST] =
		"SELECT " SELECT_LIST(MOVEMENT_COLS)
		" FROM supply_movement m JOIN supply s ON s.id = m.supply_id"
		" WHERE m.supply_id = $1 ORDER BY m.id",
	[Q_MOV_INCIDENT] =
		"SELECT " SELECT_LIST(MOVEMENT_COLS)
		" FROM supply_movement m JOIN supply s ON s.id = m.supply_id"
		" WHERE m.incident_id = $1 ORDER BY m.id",
	[Q_BUDGET_PUT] =
		"INSERT INTO budget (year, amount_cents, note, updated_ms)"
		" VALUES ($1, $2, $3, $4) ON CONFLICT (year) DO UPDATE SET"
		" amount_cents = $2, note = $3, updated_ms = $4",
	[Q_BUDGET_GET] =
		"SELECT amount_cents, note FROM budget WHERE year = $1",
	[Q_EXP_INSERT] =
		"INSERT INTO expense (year, amount_cents, purpose, incident_id,"
		" drill_id, supply_id, actor_id, at_ms)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
	[Q_EXP_LIST] =
		"SELECT " SELECT_LIST(EXPENSE_COLS)
		" FROM expense WHERE year = $1"
		" ORDER BY id",
	[Q_EXP_SUM] =
		"SELECT coalesce(sum(amount_cents), 0) FROM expense WHERE year = $1",

	[Q_DRILL_INSERT] =
		"INSERT INTO drill (title, kind, category, level, scheduled_ms,"
		" minutes, location, status, detail, created_by, created_ms,"
		" updated_ms, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7,"
		" 'planned', $8, $9, $10, $10, $9) RETURNING id",
	[Q_DRILL_GET] =
		"SELECT " SELECT_LIST(DRILL_COLS)
		" FROM drill WHERE id = $1",
	/* $13: the status the row must still have (a step is taken once).
	 * $5 cast: PostgreSQL would make it an int4 beside the 0. */
	[Q_DRILL_UPDATE] =
		"UPDATE drill SET status = $2, detail = $3, evaluation = $4,"
		" incident_id = nullif(CAST($5 AS BIGINT), 0), started_ms = $6,"
		" completed_ms = $7, evaluated_ms = $8, updated_ms = $9,"
		" title = $10, scheduled_ms = $11, location = $12,"
		" version = version + 1, updated_by = $14"
		" WHERE id = $1 AND status = $13 RETURNING version",
	/* Drills scheduled in [$1, $2) (0, 0: all), by time. */
	[Q_DRILL_LIST] =
		"SELECT " SELECT_LIST(DRILL_COLS) " FROM drill WHERE ($2 = 0 OR"
		" (scheduled_ms >= $1 AND scheduled_ms < $2))"
		" ORDER BY scheduled_ms, id",
	/* The year-end warning: a row once; no change when already sent. */
	[Q_DRILL_NOTICE] =
		"INSERT INTO drill_notice (year, at_ms) VALUES ($1, $2)"
		" ON CONFLICT (year) DO NOTHING",
	[Q_DRILL_NOTICE_FORGET] =
		"DELETE FROM drill_notice WHERE year = $1",
	/* Real incidents (never drills) reported in [$1, $2): status,
	 * level, category, count. The time range drives (is_drill + 0:
	 * not the drill index, which would read half the table). */
	[Q_INC_STATS] =
		"SELECT " SELECT_LIST(STAT_COLS) " FROM incident"
		" WHERE is_drill + 0 = 0 AND reported_ms >= $1"
		" AND reported_ms < $2"
		" GROUP BY status, level_key, category"
		" ORDER BY status, level_key, category",

	[Q_EVENT_FIRST] = "SELECT coalesce(min(id), 0) FROM event",
	/*
	 * The retention of the event log: of the oldest $3 events, delete
	 * those before the first one that must stay (at or after $1 and
	 * above id $2, or the newest of all, which stays so that ids never
	 * start again from 1): what is left is always every event after
	 * an id, so replay stays exact after any prune.
	 */
	[Q_EVENT_PRUNE] =
		"WITH head AS (SELECT id, at_ms FROM event ORDER BY id LIMIT $3)"
		" DELETE FROM event WHERE id < coalesce("
		"(SELECT min(id) FROM head WHERE (at_ms >= $1 AND id > $2)"
		" OR id = (SELECT max(id) FROM event)),"
		" (SELECT max(id) + 1 FROM head))",
};

/*
 * The incident list, built from the filters a call has (store-int.h).
 *
 * Every filter present is a plain comparison that an index can serve;
 * an absent one is not in the text. One filter drives: the first present
 * of status, level, category, drill (in that order: the console's
 * dashboard asks by status, its list page mostly by one filter), read
 * through its index newest first, which is the list's order, so the page
 * ends after `limit` rows and nothing is sorted. The others are written
 * `x || '' = $n` or `x + 0 = $n`, which no index serves (in SQLite and
 * PostgreSQL alike), so that the planner, which has no statistics, does
 * not pick the drill index (half the table) over the status one.
 *
 * A reported-time range walks the ids between two bounds that the
 * reported_ms index gives in two probes, widened by incident_skew (the
 * most a row was reported before a row with a smaller id: 0 when the
 * clock only moved forward; migrations/sqlite/0013): a row with an id
 * below the row x last reported before from - skew was reported at most
 * skew after x, so before from; likewise above the row first reported at
 * to + skew. The time itself is then checked on each row, so the answer
 * is exact; what is walked is the rows between the bounds.
 */

static const unsigned drivers[] = { INC_F_STATUS, INC_F_LEVEL,
				    INC_F_CATEGORY, INC_F_DRILL };

int inc_filter_count(unsigned key)
{
	return __builtin_popcount(key & INC_F__ALL);
}

/* The filter of key that drives (an index reads it), 0 for the ids. */
static unsigned driver_of(unsigned key)
{
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		if (key & drivers[i])
			return drivers[i];
	return 0;
}

/* " AND <col> = $n" with col as it is when it drives, else hidden from
 * the indexes (text || '', integer + 0). */
static void eq_term(struct buf *b, const char *col, bool drives, bool text,
		    int n)
{
	buf_addf(b, " AND %s%s = $%d", col,
		 drives ? "" : text ? " || ''" : " + 0", n);
}

#define SKEW "(SELECT ms FROM incident_skew WHERE id = 1)"

void inc_filter_sql(struct buf *b, unsigned key, const char *id)
{
	unsigned drive = driver_of(key);
	int n = 0;

	if (key & INC_F_STATUS)
		eq_term(b, "i.status", drive == INC_F_STATUS, true, ++n);
	if (key & INC_F_LEVEL)
		eq_term(b, "i.level_key", drive == INC_F_LEVEL, true, ++n);
	if (key & INC_F_CATEGORY)
		eq_term(b, "i.category", drive == INC_F_CATEGORY, true, ++n);
	if (key & INC_F_DRILL)
		eq_term(b, "i.is_drill", drive == INC_F_DRILL, false, ++n);
	if (key & INC_F_FROM) {
		n++;
		buf_addf(b, " AND i.reported_ms + 0 >= $%d AND %s > coalesce("
			 "(SELECT id FROM incident WHERE reported_ms < $%d - "
			 SKEW " ORDER BY reported_ms DESC LIMIT 1), 0)",
			 n, id, n);
	}
	if (key & INC_F_TO) {
		n++;
		buf_addf(b, " AND i.reported_ms + 0 < $%d AND %s < coalesce("
			 "(SELECT id FROM incident WHERE reported_ms >= $%d + "
			 SKEW " ORDER BY reported_ms LIMIT 1),"
			 " 9223372036854775807)", n, id, n);
	}
	if (key & INC_F_BEFORE)
		buf_addf(b, " AND %s < $%d", id, ++n);
}

void inc_list_sql(unsigned key, struct buf *b)
{
	buf_adds(b, "SELECT " SELECT_LIST_I(INCIDENT_COLS)
		 " FROM incident i WHERE 1 = 1");
	inc_filter_sql(b, key, "i.id");
	buf_addf(b, " ORDER BY i.id DESC LIMIT $%d",
		 inc_filter_count(key) + 1);
}
