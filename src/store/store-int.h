/*
 * store-int.h - what the entity files of src/store/ share (private to
 * src/store/; nothing outside includes it).
 *
 * Each entity file (users.c, groups.c, ...) implements its part of
 * store.h over the backend's query primitive (backend.h). A row is read
 * with a column table: one X-macro list per entity, below, names each
 * selected column, the field it fills and how. The same list generates
 * the SELECT list of the queries in sql.c (SELECT_LIST) and the decoder's
 * table in the entity file (COL_TABLE), so a column is added in one place:
 * its line in the list (and the field in the struct).
 *
 * A list entry is X(kind, field, sql, extra): kind one of enum col_kind
 * without COL_, field a member designator of COL_TYPE (the struct the
 * entity file defines it to before COL_TABLE), sql the column's text in
 * the SELECT list, extra more designated initialisers of struct col (may
 * be empty).
 */
#ifndef ERMS_STORE_STORE_INT_H
#define ERMS_STORE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/incident.h"
#include "store/backend.h"
#include "util/buf.h"
#include "util/xalloc.h"

/* How a column becomes a field. */
enum col_kind {
	COL_I64,	/* int64_t; 0 when NULL */
	COL_INT,	/* int */
	COL_UINT,	/* unsigned */
	COL_BOOL,	/* bool: the integer is not 0 */
	COL_SET,	/* bool: the column is not NULL */
	COL_CHARS,	/* char[size]: copied, cut at a whole character */
	COL_NAME,	/* as COL_CHARS; in SELECT_LIST_I not prefixed (a
			 * subquery naming its table itself: BY_NAME) */
	COL_DUP,	/* char *: an owned copy; NULL (or dflt) when NULL */
	COL_TEXT,	/* const char *: borrowed; dflt ("" if none) if NULL */
	COL_ENUM,	/* an int-sized enum: parse(text, "" when NULL) */
	COL_FN,		/* fn(field, size, value) */
};

struct col {
	enum col_kind kind;
	size_t off;		/* of the field in its struct */
	size_t size;		/* of the field */
	const char *dflt;	/* COL_DUP, COL_TEXT */
	int (*parse)(const char *s);			/* COL_ENUM */
	void (*fn)(void *field, size_t size, const struct sval *v); /* COL_FN */
};

#define COL_SQL_(k, f, c, x) c
#define COL_DEF_(k, f, c, x) {						\
	.kind = COL_##k, .off = offsetof(COL_TYPE, f),			\
	.size = sizeof(((COL_TYPE *)0)->f), x },

/* The SELECT list of an X-macro column list: "a, b, c". */
#define SELECT_LIST(LIST) LIST(COL_SQL_, ", ")
/* The decoder table of a column list, for struct COL_TYPE. */
#define COL_TABLE(LIST) { LIST(COL_DEF_, ) }

/*
 * Fill obj from r's columns first.. by table t[0..n): a column past the
 * row's end reads as NULL.
 */
void cols_decode(const struct col *t, size_t n, const struct srow *r,
		 int first, void *obj);
#define DECODE(t, r, first, obj) \
	cols_decode((t), ARRAY_SIZE(t), (r), (first), (obj))
/* A table must fit in a row (struct srow holds SROW_MAX columns). */
#define COL_TABLE_FITS(t) \
	_Static_assert(ARRAY_SIZE(t) <= SROW_MAX, #t " fits in a row")

/* Enums are read as int: they must be int-sized. */
_Static_assert(sizeof(enum inc_state) == sizeof(int), "enum size");

/*
 * An object's version columns (struct stamp) on table (or alias) t: the
 * version, who wrote it last and that user's name.
 */
#define BY_NAME(t)							\
	"(SELECT coalesce(nullif(ub.display_name, ''), ub.login)"	\
	" FROM users ub WHERE ub.id = " t ".updated_by)"
#define STAMP_COLS(X, S, t)						\
	X(I64, stamp.version, t ".version", ) S				\
	X(I64, stamp.by, t ".updated_by", ) S				\
	X(NAME, stamp.by_name, BY_NAME(t), )

/*
 * The column lists, one per entity (table aliases as the queries in
 * sql.c use them).
 */
#define USER_COLS(X, S)							\
	X(I64, id, "id", ) S						\
	X(CHARS, login, "login", ) S					\
	X(CHARS, display_name, "display_name", ) S			\
	X(CHARS, email, "email", ) S					\
	X(CHARS, phone, "phone", ) S					\
	X(CHARS, locale, "locale", ) S					\
	X(CHARS, time_zone, "time_zone", ) S				\
	X(CHARS, chat_dingtalk, "chat_dingtalk", ) S			\
	X(CHARS, chat_wecom, "chat_wecom", ) S				\
	X(CHARS, chat_feishu, "chat_feishu", ) S			\
	X(BOOL, is_admin, "is_admin", ) S				\
	X(BOOL, disabled, "disabled", ) S				\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, updated_ms, "updated_ms", ) S	\
	STAMP_COLS(X, S, "users")

#define GROUP_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(CHARS, key, "key", ) S					\
	X(CHARS, name, "name", ) S					\
	X(ENUM, kind, "kind", .parse = group_kind_parse) S		\
	X(DUP, duties_json, "duties_json", .dflt = "[]") S		\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, updated_ms, "updated_ms", ) S	\
	STAMP_COLS(X, S, "org_group")

/* A membership, then its user (MEMBER_USER_COLS). */
#define MEMBER_COLS(X, S)						\
	X(I64, group_id, "g.id", ) S					\
	X(CHARS, group_key, "g.key", ) S				\
	X(ENUM, kind, "g.kind", .parse = group_kind_parse) S		\
	X(ENUM, role, "m.role", .parse = member_role_parse) S		\
	X(I64, user_id, "m.user_id", ) S				\
	X(I64, review_from_ms, "m.review_from_ms", )
#define MEMBER_USER_COLS(X, S)						\
	X(I64, id, "u.id", ) S						\
	X(CHARS, login, "u.login", ) S					\
	X(CHARS, display_name, "u.display_name", ) S			\
	X(CHARS, email, "u.email", ) S					\
	X(CHARS, locale, "u.locale", ) S				\
	X(CHARS, time_zone, "u.time_zone", ) S				\
	X(BOOL, disabled, "u.disabled", )

#define SESSION_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(I64, user_id, "user_id", ) S					\
	X(CHARS, csrf, "csrf", ) S					\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, last_seen_ms, "last_seen_ms", ) S			\
	X(SET, revoked, "revoked_ms", )

#define TOKEN_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(I64, user_id, "user_id", ) S					\
	X(CHARS, name, "name", ) S					\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, last_used_ms, "last_used_ms", ) S			\
	X(I64, expires_ms, "expires_ms", ) S				\
	X(SET, revoked, "revoked_ms", ) S				\
	X(FN, feed, "kind", .fn = col_is_feed)

/* Hashes are copied loosely (col_loose): a tampered row must still show. */
#define AUDIT_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(I64, at_ms, "at_ms", ) S					\
	X(I64, actor_id, "actor_id", ) S				\
	X(TEXT, action, "action", ) S					\
	X(TEXT, object, "object", ) S					\
	X(TEXT, summary, "summary", ) S					\
	X(FN, prev_hash, "prev_hash", .fn = col_loose) S		\
	X(FN, hash, "hash", .fn = col_loose)

#define PLAN_COLS(X, S)							\
	X(I64, id, "p.id", ) S						\
	X(CHARS, key, "p.key", ) S					\
	X(I64, created_ms, "p.created_ms", ) S				\
	X(INT, latest_n,						\
	  "(SELECT max(n) FROM plan_version WHERE plan_id = p.id)", ) S	\
	X(INT, published_n,						\
	  "(SELECT n FROM plan_version WHERE plan_id = p.id"		\
	  " AND status = 'published')", )

/* A version without its texts; PV_TEXT_COLS follow where wanted. */
#define PV_COLS(X, S)							\
	X(I64, id, "v.id", ) S						\
	X(I64, plan_id, "v.plan_id", ) S				\
	X(CHARS, plan_key, "p.key", ) S					\
	X(INT, n, "v.n", ) S						\
	X(ENUM, status, "v.status", .parse = pv_status_parse) S		\
	X(DUP, name_json, "v.name_json", ) S				\
	X(DUP, source_name, "v.source_name", ) S			\
	X(I64, author_id, "v.author_id", ) S				\
	X(I64, created_ms, "v.created_ms", ) S				\
	X(I64, updated_ms, "v.updated_ms", ) S				\
	X(I64, submitted_ms, "v.submitted_ms", ) S			\
	X(I64, reviewer_id, "v.reviewer_id", ) S			\
	X(I64, reviewed_ms, "v.reviewed_ms", ) S			\
	X(DUP, review_comment, "v.review_comment", ) S			\
	X(I64, publisher_id, "v.publisher_id", ) S			\
	X(I64, published_ms, "v.published_ms", ) S			\
	X(I64, superseded_ms, "v.superseded_ms", ) S	\
	STAMP_COLS(X, S, "v")
#define PV_TEXT_COLS(X, S)						\
	X(DUP, source, "v.source", ) S					\
	X(DUP, content, "v.content", )

#define EDITOR_COLS(X, S)						\
	X(I64, user_id, "e.user_id", ) S				\
	X(TEXT, login, "u.login", ) S					\
	X(TEXT, display_name, "u.display_name", ) S			\
	X(I64, first_ms, "e.first_ms", ) S				\
	X(I64, last_ms, "e.last_ms", )

#define ACK_COLS(X, S)							\
	X(I64, user_id, "u.id", ) S					\
	X(TEXT, login, "u.login", ) S					\
	X(TEXT, display_name, "u.display_name", ) S			\
	X(I64, at_ms, "a.at_ms", )

#define INCIDENT_COLS(X, S)						\
	X(I64, inc.id, "id", ) S					\
	X(CHARS, number, "number", ) S					\
	X(DUP, title, "title", ) S					\
	X(DUP, description, "description", ) S				\
	X(DUP, impact, "impact", ) S					\
	X(CHARS, category, "category", ) S				\
	X(ENUM, inc.state, "status", .parse = incident_state_parse) S	\
	X(INT, inc.level, "level_rank", ) S				\
	X(CHARS, level_key, "level_key", ) S				\
	X(CHARS, proposed_level, "proposed_level", ) S			\
	X(BOOL, inc.is_drill, "is_drill", ) S				\
	X(I64, reporter_id, "reporter_id", ) S				\
	X(I64, commander_id, "commander_id", ) S			\
	X(I64, plan_version_id, "plan_version_id", ) S			\
	X(I64, inc.detected_ms, "detected_ms", ) S			\
	X(I64, inc.reported_ms, "reported_ms", ) S			\
	X(I64, inc.acked_ms, "acked_ms", ) S				\
	X(I64, inc.activated_ms, "activated_ms", ) S			\
	X(I64, inc.resolved_ms, "resolved_ms", ) S			\
	X(I64, inc.closed_ms, "closed_ms", ) S				\
	X(I64, inc.reviewed_ms, "reviewed_ms", ) S			\
	X(I64, inc.dismissed_ms, "dismissed_ms", ) S			\
	X(INT, inc.ack_min, "ack_min", ) S				\
	X(INT, inc.activate_min, "activate_min", ) S			\
	X(INT, inc.resolve_min, "resolve_min", ) S			\
	X(UINT, inc.breaches, "breaches", ) S				\
	X(BOOL, public, "public", ) S					\
	X(DUP, public_summary, "public_summary", ) S			\
	X(DUP, summary, "summary", ) S					\
	X(DUP, review_json, "review_json", ) S				\
	X(I64, updated_ms, "updated_ms", ) S				\
	X(UINT, esc_tiers, "esc_tiers", ) S				\
	X(I64, esc_acked_ms, "esc_acked_ms", ) S			\
	X(CHARS, source, "source", ) S					\
	X(I64, integration_id, "integration_id", ) S			\
	X(DUP, assessment, "assessment", .dflt = "") S			\
	X(DUP, public_title, "public_title", ) S			\
	X(DUP, public_message, "public_message", ) S			\
	X(DUP, regulatory, "regulatory", .dflt = "") S			\
	X(I64, reg_next_ms, "reg_next_ms", ) S				\
	X(I64, reg_opened_ms, "reg_opened_ms", ) S			\
	X(I64, stamp.version, "version", ) S				\
	X(I64, stamp.by, "updated_by", ) S				\
	X(NAME, stamp.by_name, BY_NAME("i"), )

/* INCIDENT_COLS' SELECT list on table alias i: "i.id, i.number, ...". */
#define COL_SQL_I_(k, f, c, x) COL_PFX_##k c
#define COL_PFX_I64 "i."
#define COL_PFX_INT "i."
#define COL_PFX_UINT "i."
#define COL_PFX_BOOL "i."
#define COL_PFX_CHARS "i."
#define COL_PFX_DUP "i."
#define COL_PFX_ENUM "i."
#define COL_PFX_NAME ""
#define SELECT_LIST_I(LIST) LIST(COL_SQL_I_, ", ")

/*
 * The incident list is built from the filters a call has (sql.c,
 * inc_list_sql): each filter present is one bit of the statement's key
 * and one parameter, in the order of the bits ($1 the first present),
 * then the limit; a search adds its own bits (INC_SEARCH_SHIFT up) and
 * parameters after those. A filter absent is not in the text at all:
 * `$1 = '' OR status = $1` would hide every index from the planner.
 */
enum inc_filter_bit {
	INC_F_STATUS = 1 << 0,
	INC_F_LEVEL = 1 << 1,
	INC_F_CATEGORY = 1 << 2,
	INC_F_DRILL = 1 << 3,
	INC_F_FROM = 1 << 4,
	INC_F_TO = 1 << 5,
	INC_F_BEFORE = 1 << 6,	/* the cursor: ids below it */
	INC_F__ALL = (1 << 7) - 1,
};
#define INC_SEARCH_SHIFT 8

/* The number of filters in key: the limit is $(that + 1). */
int inc_filter_count(unsigned key);
/*
 * Append " AND <term>" for each filter of key to b, on the incident row
 * aliased i; id is what the cursor compares (i.id, or the search index's
 * rowid so that the index seeks to it).
 */
void inc_filter_sql(struct buf *b, unsigned key, const char *id);
/* The text of the plain (no search) list of key. */
void inc_list_sql(unsigned key, struct buf *b);
/*
 * The list (or search) of f as a built query: bq is filled (release it
 * with built_query_release). The query-plan test reads texts this way.
 */
void inc_list_query(struct store *st, const struct incident_filter *f,
		    struct built_query *bq);

/* The spans of incident_stat: a count and a sum of (t - reported_ms)
 * over the rows where t is set. */
#define STAT_N(t) "CAST(sum(CASE WHEN " t " > 0 THEN 1 ELSE 0 END) AS BIGINT)"
#define STAT_SUM(t)							\
	"CAST(sum(CASE WHEN " t " > 0 THEN " t " - reported_ms ELSE 0 END)" \
	" AS BIGINT)"
#define STAT_COLS(X, S)							\
	X(TEXT, status, "status", ) S					\
	X(TEXT, level, "level_key", ) S					\
	X(TEXT, category, "category", ) S				\
	X(I64, n, "count(*)", ) S					\
	X(I64, acked_n, STAT_N("acked_ms"), ) S				\
	X(I64, ack_ms, STAT_SUM("acked_ms"), ) S			\
	X(I64, activated_n, STAT_N("activated_ms"), ) S			\
	X(I64, activate_ms, STAT_SUM("activated_ms"), ) S		\
	X(I64, resolved_n, STAT_N("resolved_ms"), ) S			\
	X(I64, resolve_ms, STAT_SUM("resolved_ms"), )

#define TASK_COLS(X, S)							\
	X(I64, id, "id", ) S						\
	X(I64, incident_id, "incident_id", ) S				\
	X(DUP, title, "title", ) S					\
	X(CHARS, group_key, "group_key", ) S				\
	X(I64, assignee_id, "assignee_id", ) S				\
	X(ENUM, status, "status", .parse = task_status_parse) S		\
	X(I64, due_ms, "due_ms", ) S					\
	X(DUP, notes, "notes", ) S					\
	X(CHARS, origin, "origin", ) S					\
	X(I64, created_by, "created_by", ) S				\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, updated_ms, "updated_ms", ) S				\
	X(DUP, titles, "titles", ) S					\
	STAMP_COLS(X, S, "task")

#define TIMELINE_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(I64, incident_id, "incident_id", ) S				\
	X(I64, at_ms, "at_ms", ) S					\
	X(I64, actor_id, "actor_id", ) S				\
	X(TEXT, kind, "kind", ) S					\
	X(TEXT, text, "text", ) S					\
	X(TEXT, data, "data", .dflt = "{}")

#define EVENT_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(I64, at_ms, "at_ms", ) S					\
	X(TEXT, kind, "kind", ) S					\
	X(I64, incident_id, "incident_id", ) S				\
	X(TEXT, data, "data", .dflt = "{}")

#define CHANNEL_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(CHARS, name, "name", ) S					\
	X(ENUM, kind, "kind", .parse = channel_kind_parse) S		\
	X(DUP, config, "config", ) S					\
	X(INT, rate_burst, "rate_burst", ) S				\
	X(I64, rate_period_ms, "rate_period_ms", ) S			\
	X(BOOL, enabled, "enabled", ) S					\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, updated_ms, "updated_ms", ) S	\
	STAMP_COLS(X, S, "channel")

#define NOTIFICATION_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(I64, incident_id, "incident_id", ) S				\
	X(CHARS, event, "event", ) S					\
	X(INT, tier, "tier", ) S					\
	X(I64, channel_id, "channel_id", ) S				\
	X(I64, user_id, "user_id", ) S					\
	X(DUP, recipient, "recipient", ) S				\
	X(CHARS, locale, "locale", ) S					\
	X(DUP, subject, "subject", ) S					\
	X(DUP, text, "text", ) S					\
	X(DUP, markdown, "markdown", ) S				\
	X(DUP, link, "link", ) S					\
	X(DUP, ack_link, "ack_link", ) S				\
	X(CHARS, idem_key, "idem_key", ) S				\
	X(CHARS, ack_hash, "ack_hash", ) S				\
	X(I64, ack_expires_ms, "ack_expires_ms", ) S			\
	X(I64, acked_ms, "acked_ms", ) S				\
	X(CHARS, acked_by, "acked_by", ) S				\
	X(ENUM, state, "state", .parse = notif_state_parse) S		\
	X(INT, attempts, "attempts", ) S				\
	X(I64, next_ms, "next_ms", ) S					\
	X(DUP, last_error, "last_error", ) S				\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, sent_ms, "sent_ms", ) S					\
	X(DUP, mentions, "mentions", .dflt = "[]")

#define ROTATION_COLS(X, S)						\
	X(I64, id, "r.id", ) S						\
	X(I64, group_id, "r.group_id", ) S				\
	X(CHARS, group_key, "g.key", ) S				\
	X(CHARS, name, "r.name", ) S					\
	X(I64, start_ms, "r.start_ms", ) S				\
	X(INT, shift_minutes, "r.shift_minutes", ) S			\
	X(CHARS, time_zone, "r.time_zone", ) S				\
	X(TEXT, members, "r.members", .dflt = "[]") S	\
	X(I64, updated_ms, "r.updated_ms", ) S				\
	STAMP_COLS(X, S, "r")

#define OVERRIDE_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(I64, user_id, "user_id", ) S					\
	X(I64, start_ms, "start_ms", ) S				\
	X(I64, end_ms, "end_ms", )

#define BULLETIN_COLS(X, S)						\
	X(I64, id, "b.id", ) S						\
	X(I64, incident_id, "b.incident_id", ) S			\
	X(FN, public, "b.audience", .fn = col_is_public) S		\
	X(TEXT, text, "b.text", ) S					\
	X(I64, author_id, "b.author_id", ) S				\
	X(I64, created_ms, "b.created_ms", )

#define REG_REPORT_COLS(X, S)						\
	X(I64, id, "r.id", ) S						\
	X(I64, incident_id, "r.incident_id", ) S			\
	X(INT, n, "r.n", ) S						\
	X(TEXT, kind, "r.kind", ) S					\
	X(TEXT, recipient, "r.recipient", ) S				\
	X(TEXT, via, "r.via", ) S					\
	X(I64, sent_ms, "r.sent_ms", ) S				\
	X(TEXT, content, "r.content", ) S				\
	X(TEXT, changes, "r.changes", ) S				\
	X(INT, on_time, "coalesce(r.on_time, -1)", ) S			\
	X(I64, recorded_by, "r.recorded_by", ) S			\
	X(TEXT, recorded_by_name, "coalesce(u.display_name, '')", ) S	\
	X(I64, recorded_ms, "r.recorded_ms", )

#define SUPPLY_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(CHARS, name, "name", ) S					\
	X(CHARS, kind, "kind", ) S					\
	X(CHARS, location, "location", ) S				\
	X(I64, quantity, "quantity", ) S				\
	X(CHARS, unit, "unit", ) S					\
	X(I64, min_quantity, "min_quantity", ) S			\
	X(I64, inspect_by_ms, "inspect_by_ms", ) S			\
	X(DUP, notes, "notes", ) S					\
	X(I64, low_notice_ms, "low_notice_ms", ) S			\
	X(I64, inspect_notice_ms, "inspect_notice_ms", ) S		\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, updated_ms, "updated_ms", ) S	\
	STAMP_COLS(X, S, "supply")

#define MOVEMENT_COLS(X, S)						\
	X(I64, id, "m.id", ) S						\
	X(I64, supply_id, "m.supply_id", ) S				\
	X(TEXT, kind, "m.kind", ) S					\
	X(I64, quantity, "m.quantity", ) S				\
	X(I64, incident_id, "m.incident_id", ) S			\
	X(TEXT, note, "m.note", ) S					\
	X(I64, actor_id, "m.actor_id", ) S				\
	X(I64, at_ms, "m.at_ms", ) S					\
	X(TEXT, supply_name, "s.name", ) S				\
	X(TEXT, unit, "s.unit", )

#define EXPENSE_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(INT, year, "year", ) S					\
	X(I64, amount_cents, "amount_cents", ) S			\
	X(TEXT, purpose, "purpose", ) S					\
	X(I64, incident_id, "incident_id", ) S				\
	X(I64, drill_id, "drill_id", ) S				\
	X(I64, supply_id, "supply_id", ) S				\
	X(I64, actor_id, "actor_id", ) S				\
	X(I64, at_ms, "at_ms", )

#define DRILL_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(CHARS, title, "title", ) S					\
	X(CHARS, kind, "kind", ) S					\
	X(CHARS, category, "category", ) S				\
	X(CHARS, level, "level", ) S					\
	X(I64, scheduled_ms, "scheduled_ms", ) S			\
	X(INT, minutes, "minutes", ) S					\
	X(CHARS, location, "location", ) S				\
	X(CHARS, status, "status", ) S					\
	X(DUP, detail, "detail", ) S					\
	X(DUP, evaluation, "evaluation", ) S				\
	X(I64, incident_id, "coalesce(incident_id, 0)", ) S		\
	X(I64, created_by, "created_by", ) S				\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, started_ms, "started_ms", ) S				\
	X(I64, completed_ms, "completed_ms", ) S			\
	X(I64, evaluated_ms, "evaluated_ms", ) S			\
	X(I64, updated_ms, "updated_ms", ) S	\
	STAMP_COLS(X, S, "drill")

#define INTEGRATION_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(CHARS, name, "name", ) S					\
	X(CHARS, kind, "kind", ) S					\
	X(CHARS, key_prefix, "key_prefix", ) S				\
	X(BOOL, enabled, "enabled", ) S					\
	X(I64, created_by, "created_by", ) S				\
	X(CHARS, category, "category", ) S				\
	X(CHARS, level, "level", ) S					\
	X(DUP, title_template, "title_template", .dflt = "") S		\
	X(DUP, group_by, "group_by", .dflt = "[]") S			\
	X(I64, group_window_s, "group_window_s", ) S			\
	X(BOOL, auto_dismiss, "auto_dismiss", ) S			\
	X(I64, interval_s, "interval_s", ) S				\
	X(I64, rate_limit_per_min, "rate_limit_per_min", ) S		\
	X(DUP, rules, "rules", .dflt = "[]") S				\
	X(DUP, maintenance, "maintenance", .dflt = "[]") S		\
	X(I64, received, "received", ) S				\
	X(I64, alerts_total, "alerts_total", ) S			\
	X(I64, alerts_firing, "alerts_firing", ) S			\
	X(I64, last_received_ms, "last_received_ms", ) S		\
	X(BOOL, hb_missed, "hb_missed", ) S				\
	X(I64, deleted_ms, "deleted_ms", ) S				\
	X(I64, created_ms, "created_ms", ) S				\
	X(I64, updated_ms, "updated_ms", ) S	\
	STAMP_COLS(X, S, "integration")

#define ALERT_COLS(X, S)						\
	X(I64, id, "id", ) S						\
	X(I64, integration_id, "integration_id", ) S			\
	X(I64, incident_id, "incident_id", ) S				\
	X(I64, group_id, "group_id", ) S				\
	X(CHARS, fingerprint, "fingerprint", ) S			\
	X(FN, firing, "status", .fn = col_is_firing) S			\
	X(CHARS, severity, "severity", ) S				\
	X(DUP, summary, "summary", .dflt = "") S			\
	X(DUP, labels, "labels", .dflt = "{}") S			\
	X(DUP, annotations, "annotations", .dflt = "{}") S		\
	X(DUP, source, "source", ) S					\
	X(DUP, source_url, "source_url", ) S				\
	X(DUP, details, "details", ) S					\
	X(DUP, group_key, "group_key", .dflt = "") S			\
	X(I64, count, "count", ) S					\
	X(BOOL, suppressed, "suppressed", ) S				\
	X(I64, starts_ms, "starts_ms", ) S				\
	X(I64, ends_ms, "ends_ms", ) S					\
	X(I64, first_seen_ms, "first_seen_ms", ) S			\
	X(I64, last_seen_ms, "last_seen_ms", ) S			\
	X(I64, resolved_ms, "resolved_ms", )

/* A group, then the status of its incident. */
#define ALERT_GROUP_COLS(X, S)						\
	X(I64, id, "g.id", ) S						\
	X(I64, integration_id, "g.integration_id", ) S			\
	X(DUP, group_key, "g.group_key", .dflt = "") S			\
	X(I64, incident_id, "g.incident_id", ) S			\
	X(I64, first_ms, "g.first_ms", ) S				\
	X(INT, alerts, "g.alerts", ) S					\
	X(INT, firing, "g.firing", ) S					\
	X(INT, pending, "g.pending", ) S				\
	X(DUP, pending_json, "g.pending_json", .dflt = "{}") S		\
	X(I64, flushed_ms, "g.flushed_ms", ) S				\
	X(ENUM, inc_state, "i.status", .parse = incident_state_parse) S	\
	X(CHARS, inc_number, "i.number", )

/* COL_FN decoders used by the lists above (store.c). */
void col_is_feed(void *field, size_t size, const struct sval *v);
void col_is_public(void *field, size_t size, const struct sval *v);
void col_loose(void *field, size_t size, const struct sval *v);
void col_is_firing(void *field, size_t size, const struct sval *v);

/* Query helpers (store.c). */

/* Run q with params p[0..np); fn (may be NULL) gets each row. */
static inline int st_query(struct store *st, enum q q, const struct sval *p,
			   int np, srow_fn *fn, void *ctx)
{
	return st->ops->query(st, q, p, np, fn, ctx, NULL);
}

/* Run q; no rows wanted; *changes (may be NULL): rows written. */
int st_run(struct store *st, enum q q, const struct sval *p, int np,
	   int64_t *changes);
/* Run q, which must write exactly one row, else ERMS_ENOTFOUND. */
int st_run1(struct store *st, enum q q, const struct sval *p, int np);
/* Run q and read the integer of its first column, ERMS_ENOTFOUND if none. */
int st_int(struct store *st, enum q q, const struct sval *p, int np,
	   int64_t *out);
/* Copy text v into dst[n], cut at a whole UTF-8 character. */
void sv_copy(char *dst, size_t n, const struct sval *v);
/* An integer value, 0 when v is not one. */
int64_t sv_int(const struct sval *v);
/* An owned copy of text v, NULL when v is not text. */
char *sv_dup(const struct sval *v);
/* v as a parameter, NULL when 0. */
struct sval sv_opt(int64_t v);

/*
 * Run q and decode its row into obj by table t[0..n); reset (may be NULL)
 * first frees what obj holds. ERMS_ENOTFOUND when there is no row.
 */
int st_one(struct store *st, enum q q, const struct sval *p, int np,
	   const struct col *t, size_t n, void (*reset)(void *obj),
	   void *obj);
#define ST_ONE(st, q, p, np, t, reset, obj) \
	st_one((st), (q), (p), (np), (t), ARRAY_SIZE(t), (reset), (obj))

#endif
