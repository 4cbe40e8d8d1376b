/*
 * store.h - the one storage interface of erms.
 *
 * Callers see plain C types and the domain structs of core/types.h; no
 * sqlite3 or libpq type leaves src/store/. A store is one connection: use
 * it from one thread at a time (the HTTP server keeps a pool of readers
 * and one writer, see app/writer.h).
 *
 * Write functions assume the caller opened a transaction with
 * store_begin(); they return 0 or a negative ERMS_E* code:
 * ERMS_ENOTFOUND (no such row), ERMS_ECONFLICT (a unique key is taken),
 * ERMS_ESTORE (the database failed; the backend has logged why).
 *
 * Versions (struct stamp): an insert of an object a person edits writes
 * version 1 and stamp.by as who made it; its update writes one more
 * (the database counts: `version = version + 1`) and stamp.by as who
 * writes, and leaves the row's new version in stamp.version. stamp.by
 * 0 is the system. Bookkeeping writes that change no field a person
 * edits (last-used times, notices sent, intake counters, a password)
 * leave the version alone.
 *
 * Lists call a callback per row; a non-zero return from the callback stops
 * the walk and is returned. Row pointers passed to callbacks are borrowed
 * for the duration of the call.
 */
#ifndef ERMS_STORE_STORE_H
#define ERMS_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/types.h"
#include "util/err.h"

struct store;

enum store_flags {
	STORE_READONLY = 1 << 0,	/* a reader connection */
	STORE_CREATE = 1 << 1,		/* create the database if missing */
};

/*
 * Open a store. url is "sqlite:PATH", "sqlite::memory:", a plain PATH
 * (SQLite), or "postgres://..." when built with libpq.
 */
int store_open(struct store **out, const char *url, unsigned flags,
	       struct errbuf *err);
void store_close(struct store *st);
/* "sqlite" or "postgres". */
const char *store_kind(const struct store *st);
/* The version of the library of the engine kind (as store_kind() names
 * it), e.g. "3.46.1"; NULL when this build has no such engine. */
const char *store_engine_version(const char *kind);

/* Schema versions: *have in the database, *want known to this binary. */
int store_schema(struct store *st, int *have, int *want);
/* Apply missing migrations, each in its own transaction. */
int store_migrate(struct store *st, int *from, int *to, struct errbuf *err);
/* Online copy of the whole database to path (must not exist). */
int store_backup(struct store *st, const char *path, struct errbuf *err);

int store_begin(struct store *st);	/* a write transaction */
int store_commit(struct store *st);	/* durable on return */
int store_rollback(struct store *st);
int store_savepoint(struct store *st);	/* nested, one level */
int store_release(struct store *st);
int store_rollback_to(struct store *st);
/*
 * The owner's cache of what it derives from rows (the app's typed plans),
 * carried by the connection so that a use case handed only the store
 * finds it; opaque to the store, NULL until set. The owner keeps it
 * alive while the connection is open.
 */
void store_set_cache(struct store *st, void *cache);
void *store_cache(const struct store *st);
/* A cheap round trip, for /healthz. */
int store_ping(struct store *st);

/*
 * Several nodes: whether st's database may be shared by other processes
 * (a server engine); store_wait_change(), store_leader() and
 * store_role() as struct store_ops (store/backend.h) says.
 */
struct store_role {
	char role[16];	/* "embedded", "primary", "standby" */
	bool writable;
};
bool store_shared(const struct store *st);
int store_wait_change(struct store *st, int timeout_ms);
int store_leader(struct store *st, bool *yes);
int store_role(struct store *st, struct store_role *out);
/* After a copy kept every row's id: new ids continue after them. */
int store_ids_sync(struct store *st);
/*
 * Copy every row of from into to, which must be migrated and hold no
 * data (else ERMS_ECONFLICT), keeping the ids, in one write transaction
 * on to; the target's search index is built anew. fn (may be NULL) is
 * told each table's row count once it is copied. Refuses (ERMS_EINVAL)
 * a source with a table or column the copy does not know (copy.c).
 */
typedef void store_copy_fn(void *ctx, const char *table, int64_t rows);
int store_copy(struct store *from, struct store *to, store_copy_fn *fn,
	       void *ctx, struct errbuf *err);
/*
 * For comparing a copy with its source: each copied table's row count
 * and a digest of its rows in key order, the values taken as text (the
 * same on every engine for the same rows).
 */
typedef void store_digest_fn(void *ctx, const char *table, int64_t rows,
			     uint64_t digest);
int store_copy_digest(struct store *st, store_digest_fn *fn, void *ctx);
/* Rewrite the one health row (inside a write transaction): proves that
 * the database can still take a write, for /healthz. */
int store_health_probe(struct store *st, int64_t now_ms);

/* Users. The password hash is kept apart from struct user. */
typedef int store_user_fn(void *ctx, const struct user *u);
int store_user_insert(struct store *st, struct user *u, const char *pwhash);
int store_user_get(struct store *st, int64_t id, struct user *out);
/* pwhash may be NULL; otherwise it receives up to 128 bytes. */
int store_user_by_login(struct store *st, const char *login, struct user *out,
			char *pwhash, size_t pwhash_len);
int store_user_pwhash(struct store *st, int64_t id, char *pwhash, size_t len);
int store_user_update(struct store *st, struct user *u);
int store_user_set_password(struct store *st, int64_t id, const char *pwhash,
			    int64_t now_ms);
int store_user_count(struct store *st, int64_t *n);
int store_user_list(struct store *st, int64_t after_id, int limit,
		    store_user_fn *fn, void *ctx);

/*
 * The organisation's one row (it always exists: the migrations create
 * it). store_org_update() writes o as it is, its version included: the
 * caller has checked and raised it.
 */
int store_org_get(struct store *st, struct organisation *out);
int store_org_update(struct store *st, const struct organisation *o);

/* Groups and members. */
typedef int store_group_fn(void *ctx, const struct group *g);
typedef int store_member_fn(void *ctx, const struct membership *m,
			    const struct user *u);
int store_group_insert(struct store *st, struct group *g);
/* out->duties_json is allocated: free() it. */
int store_group_get(struct store *st, const char *key, struct group *out);
int store_group_update(struct store *st, struct group *g);
int store_group_list(struct store *st, store_group_fn *fn, void *ctx);
/* A new membership counts for plan approvals from review_from_ms (0: at
 * once); a role change keeps the time the membership had. */
int store_member_put(struct store *st, int64_t group_id, int64_t user_id,
		     enum member_role role, int64_t now_ms,
		     int64_t review_from_ms);
int store_member_delete(struct store *st, int64_t group_id, int64_t user_id);
int store_members_of_group(struct store *st, int64_t group_id,
			   store_member_fn *fn, void *ctx);
int store_groups_of_user(struct store *st, int64_t user_id,
			 store_member_fn *fn, void *ctx);

/* Sessions (cookie sign-in). Only the SHA-256 of the secret is stored. */
struct session {
	int64_t id;
	int64_t user_id;
	char csrf[65];
	int64_t created_ms;
	int64_t last_seen_ms;
	bool revoked;
};
int store_session_insert(struct store *st, const char *secret_hash,
			 const char *csrf, int64_t user_id, int64_t now_ms,
			 int64_t *id);
int store_session_get(struct store *st, const char *secret_hash,
		      struct session *out);
int store_session_touch(struct store *st, int64_t id, int64_t now_ms);
int store_session_revoke(struct store *st, int64_t id, int64_t now_ms);
int store_session_revoke_user(struct store *st, int64_t user_id,
			      int64_t now_ms);
int store_session_by_id(struct store *st, int64_t id, struct session *out);
/* Revoke the user's sessions but keep_id (0: keep none). */
int store_session_revoke_others(struct store *st, int64_t user_id,
				int64_t keep_id, int64_t now_ms);

/* API tokens. Only the SHA-256 of the secret is stored. */
typedef int store_token_fn(void *ctx, const struct token_info *t);
int store_token_insert(struct store *st, const char *secret_hash,
		       struct token_info *t);
int store_token_by_hash(struct store *st, const char *secret_hash,
			struct token_info *out);
int store_token_get(struct store *st, int64_t id, struct token_info *out);
int store_token_touch(struct store *st, int64_t id, int64_t now_ms);
int store_token_revoke(struct store *st, int64_t id, int64_t now_ms);
int store_token_revoke_user(struct store *st, int64_t user_id,
			    int64_t now_ms);
/* user_id 0: every user's tokens. */
int store_token_list(struct store *st, int64_t user_id, store_token_fn *fn,
		     void *ctx);
/* Revoke the user's tokens (feed tokens too) but keep_id (0: none). */
int store_token_revoke_others(struct store *st, int64_t user_id,
			      int64_t keep_id, int64_t now_ms);
/* Revoke the user's feed tokens; *n receives how many. */
int store_token_revoke_feeds(struct store *st, int64_t user_id,
			     int64_t now_ms, int64_t *n);

/*
 * The revocation generation: a counter every write that can take a
 * sign-in's rights away bumps in its transaction (revoked sessions and
 * tokens, a user disabled, their password or administrator right
 * changed, group memberships).
 */
int store_auth_epoch(struct store *st, int64_t *gen);

/* Audit log: append-only, hash-chained (app/audit.c computes hashes). */
typedef int store_audit_fn(void *ctx, const struct audit_row *r);
/* The newest row's id and hash; id 0 and "" when the log is empty. */
int store_audit_head(struct store *st, int64_t *id, char hash[65]);
int store_audit_insert(struct store *st, const struct audit_row *r);
int store_audit_list(struct store *st, int64_t after_id, int limit,
		     store_audit_fn *fn, void *ctx);
/* The key the chain is bound to (its fingerprint) and the last row of
 * the unkeyed rule: ERMS_ENOTFOUND when the database has no key yet. */
int store_audit_key(struct store *st, char fp[65], int64_t *plain_until);
/* Bind the chain to key fp: rows written so far stay unkeyed. */
int store_audit_key_bind(struct store *st, const char *fp, int64_t now_ms);

/* Plans and their versions (texts in struct plan_version are owned). */
struct plan_row {
	int64_t id;
	char key[KEY_MAX + 1];
	int64_t created_ms;
	int latest_n;		/* newest version */
	int published_n;	/* version in force, 0 if none */
};
typedef int store_plan_fn(void *ctx, const struct plan_row *p);
typedef int store_pv_fn(void *ctx, const struct plan_version *v);
typedef int store_ack_fn(void *ctx, int64_t user_id, const char *login,
			 const char *display_name, int64_t acked_ms);

int store_plan_by_key(struct store *st, const char *key, int64_t *id);
int store_plan_insert(struct store *st, const char *key, int64_t now_ms,
		      int64_t *id);
int store_plan_list(struct store *st, store_plan_fn *fn, void *ctx);
/* Inserts v as the next version of its plan: fills v->id and v->n. */
int store_pv_insert(struct store *st, struct plan_version *v);
/* With texts (source, content); release with plan_version_release(). */
int store_pv_get(struct store *st, int64_t plan_id, int n,
		 struct plan_version *out);
/* A version by its own id, with texts. */
int store_pv_get_id(struct store *st, int64_t id, struct plan_version *out);
/* The version in force, of any plan; ERMS_ENOTFOUND when none. */
int store_pv_current(struct store *st, struct plan_version *out);
/* The id of the version store_pv_current() reads, without its content. */
int store_pv_current_id(struct store *st, int64_t *id);
/* Without texts. */
int store_pv_list(struct store *st, int64_t plan_id, store_pv_fn *fn,
		  void *ctx);
int store_pv_update(struct store *st, struct plan_version *v);
/* The published version's n of a plan, 0 when none. */
int store_pv_published_n(struct store *st, int64_t plan_id, int *n);
/* Record user_id as an editor of the version (import, replace, edit). */
int store_pv_editor_put(struct store *st, int64_t version_id,
			int64_t user_id, int64_t now_ms);
typedef int store_editor_fn(void *ctx, int64_t user_id, const char *login,
			    const char *display_name, int64_t first_ms,
			    int64_t last_ms);
/* The version's editors, in the order they first edited it. */
int store_pv_editors(struct store *st, int64_t version_id,
		     store_editor_fn *fn, void *ctx);
int store_ack_put(struct store *st, int64_t version_id, int64_t user_id,
		  int64_t now_ms);
/* Every active user (of group_key, unless NULL) and when they acked. */
int store_ack_list(struct store *st, int64_t version_id,
		   const char *group_key, store_ack_fn *fn, void *ctx);
/* Where a draft came from: the version it copies (0: none), the incident
 * whose review it answers (0: none) and those findings (JSON text). */
int store_pv_basis_put(struct store *st, int64_t version_id, int from_n,
		       int64_t incident_id, const char *findings);
/* *findings is owned (free()); ERMS_ENOTFOUND when the draft has none. */
int store_pv_basis_get(struct store *st, int64_t version_id, int *from_n,
		       int64_t *incident_id, char **findings);
typedef int store_id_fn(void *ctx, int64_t id);
/*
 * Up to limit active users who have not acknowledged version_id and were
 * last reminded (never reminded: it was published, published_ms) at or
 * before before_ms, by id.
 */
int store_ack_remind_due(struct store *st, int64_t version_id,
			 int64_t published_ms, int64_t before_ms, int limit,
			 store_id_fn *fn, void *ctx);
/* A reminder went to user_id at now_ms. */
int store_ack_remind_put(struct store *st, int64_t version_id,
			 int64_t user_id, int64_t now_ms);

/* Incidents. */
struct incident_filter {
	const char *status;	/* "" or NULL: any */
	const char *level;	/* a level key */
	const char *category;
	int is_drill;		/* -1: any */
	int64_t from_ms, to_ms;	/* reported in [from, to); 0: open */
	const char *q;		/* search text, "" or NULL: none */
	int64_t before_id;	/* the cursor: ids below it; 0: from the top */
	int limit;
};
typedef int store_incident_fn(void *ctx, const struct incident_row *r);
typedef int store_task_fn(void *ctx, const struct task *t);
typedef int store_tl_fn(void *ctx, const struct timeline_entry *e);
typedef int store_event_fn(void *ctx, int64_t id, int64_t at_ms,
			   const char *kind, int64_t incident_id,
			   const char *data);

/* Insert r as a new incident: fills r->inc.id and r->number (per year of
 * reported_ms, without gaps) and the search index. */
int store_incident_insert(struct store *st, struct incident_row *r);
/* key is an id ("12") or a number ("INC-2026-0001"). */
int store_incident_get(struct store *st, const char *key,
		       struct incident_row *out);
int store_incident_get_id(struct store *st, int64_t id,
			  struct incident_row *out);
int store_incident_update(struct store *st, struct incident_row *r);
/* Write r's assessment and proposed level (command HQ's, at the ack). */
int store_incident_assess(struct store *st, const struct incident_row *r);
/* Write r's duty to report (regulatory, reg_next_ms, reg_opened_ms)
 * alone: no new version (the timers' and the reports' part). */
int store_incident_set_regulatory(struct store *st,
				  const struct incident_row *r);
/* Incidents whose obligation has a notice due at now_ms (reg_next_ms),
 * the earliest first, at most limit. */
int store_incident_reg_due(struct store *st, int64_t now_ms, int limit,
			   store_incident_fn *fn, void *ctx);
/* The earliest reg_next_ms of all (0: none). */
int store_incident_reg_next(struct store *st, int64_t *next_ms);
/* The obligations opened in [from_ms, to_ms), in order. */
int store_incident_reg_year(struct store *st, int64_t from_ms, int64_t to_ms,
			    store_incident_fn *fn, void *ctx);

/*
 * Reports to regulators: inserted, never changed or deleted (the schema
 * refuses). insert sets x->id; x->n is the caller's (the obligation's
 * count + 1; UNIQUE per incident). list: n == 0 all of the incident's in
 * order, else report n alone (none: fn not called). Texts borrowed.
 */
typedef int store_reg_report_fn(void *ctx, const struct reg_report *x);
int store_reg_report_insert(struct store *st, struct reg_report *x);
int store_reg_report_list(struct store *st, int64_t incident_id, int n,
			  store_reg_report_fn *fn, void *ctx);
int store_incident_list(struct store *st, const struct incident_filter *f,
			store_incident_fn *fn, void *ctx);
/* Up to limit open incidents with a target past at now_ms and not yet
 * recorded (a pre-filter: core/incident.c has the last word). */
int store_incident_due(struct store *st, int64_t now_ms, int limit,
		       store_incident_fn *fn, void *ctx);
/* Up to limit reported incidents whose report nobody acknowledged. */
int store_incident_unacked(struct store *st, int limit, store_incident_fn *fn,
			   void *ctx);
/* Add text (a note, a timeline line) to an incident's search index. */
int store_incident_index(struct store *st, int64_t id, const char *text);

int store_task_insert(struct store *st, struct task *t);
int store_task_get(struct store *st, int64_t id, struct task *out);
int store_task_list(struct store *st, int64_t incident_id, store_task_fn *fn,
		    void *ctx);
int store_task_update(struct store *st, struct task *t);

/* Append to the (append-only) timeline; fills e->id. */
int store_timeline_add(struct store *st, struct timeline_entry *e);
int store_timeline_list(struct store *st, int64_t incident_id,
			int64_t after_id, store_tl_fn *fn, void *ctx);

/* The event log behind live updates. */
int store_event_add(struct store *st, int64_t at_ms, const char *kind,
		    int64_t incident_id, const char *data, int64_t *id);
int store_event_list(struct store *st, int64_t after_id, int limit,
		     store_event_fn *fn, void *ctx);
int store_event_last(struct store *st, int64_t *id);
/* The oldest event's id still in the log (0 when it is empty): the
 * events after id - 1 are all there, those before were pruned. */
int store_event_first(struct store *st, int64_t *id);
/*
 * Prune the oldest events, at most limit, in id order, while each is
 * older than before_ms or its id at most upto_id; the newest event is
 * never pruned. *deleted (may be NULL): how many were.
 */
int store_event_prune(struct store *st, int64_t before_ms, int64_t upto_id,
		      int limit, int64_t *deleted);

/* Channels, and the chat channels of groups. */
typedef int store_channel_fn(void *ctx, const struct channel *c);
int store_channel_insert(struct store *st, struct channel *c);
int store_channel_get(struct store *st, int64_t id, struct channel *out);
int store_channel_update(struct store *st, struct channel *c);
int store_channel_list(struct store *st, store_channel_fn *fn, void *ctx);
/* Delete, or only disable when notifications refer to it (*disabled). */
int store_channel_delete(struct store *st, int64_t id, bool *disabled);
int store_group_channels_set(struct store *st, int64_t group_id,
			     const int64_t *ids, int n);
int store_group_channels(struct store *st, int64_t group_id,
			 store_channel_fn *fn, void *ctx);

/* The outbox. */
struct notification_filter {
	int64_t incident_id;	/* 0: any */
	const char *state;	/* NULL: any */
	int64_t channel_id;	/* 0: any */
	int64_t before_id;	/* cursor; 0: from the newest */
	int limit;
};
typedef int store_notification_fn(void *ctx, const struct notification *n);
int store_notification_insert(struct store *st, struct notification *n);
int store_notification_get(struct store *st, int64_t id,
			   struct notification *out);
int store_notification_by_ack(struct store *st, const char *ack_hash,
			      struct notification *out);
/* Pending ones whose next attempt is due at now_ms, oldest first. */
int store_notification_due(struct store *st, int64_t now_ms, int limit,
			   store_notification_fn *fn, void *ctx);
/*
 * Claim up to limit pending messages due at now_ms, oldest first, for
 * this node: their next attempt moves to lease_until_ms, so no other node
 * takes them until the lease runs out (a node that died holding them
 * gives them back that way). Rows another node's open transaction holds
 * are skipped, not waited for. Call inside a write transaction; fn gets
 * each claimed message.
 */
int store_notification_claim(struct store *st, int64_t now_ms,
			     int64_t lease_until_ms, int limit,
			     store_notification_fn *fn, void *ctx);
/*
 * Writes state, attempts, next_ms, last_error and sent_ms: what a delivery
 * learnt, never the acknowledgement, which a person may give while the
 * message is out (store_notification_ack()).
 */
int store_notification_update(struct store *st, const struct notification *n);
/* Writes the acknowledgement (acked_ms > 0, by whom) unless the message has
 * one already: then, or when there is no message id, ERMS_ECONFLICT. */
int store_notification_ack(struct store *st, int64_t id, int64_t acked_ms,
			   const char *acked_by);
/* Writes ack_link and ack_hash (a message's link rebuilt under a key). */
int store_notification_set_ack(struct store *st, int64_t id,
			       const char *ack_link, const char *ack_hash);
int store_notification_list(struct store *st,
			    const struct notification_filter *f,
			    store_notification_fn *fn, void *ctx);

/* Duty rosters. */
struct rotation_row {
	int64_t id;
	int64_t group_id;
	char group_key[KEY_MAX + 1];
	char name[NAME_MAX_ + 1];
	char time_zone[64];
	int64_t start_ms;
	int shift_minutes;
	const char *members;	/* JSON array of user ids; borrowed */
	int64_t updated_ms;	/* read only: the last write's time */
	struct stamp stamp;
};
typedef int store_rotation_fn(void *ctx, const struct rotation_row *r);
typedef int store_override_fn(void *ctx, int64_t id, int64_t user_id,
			      int64_t start_ms, int64_t end_ms);
int store_rotation_insert(struct store *st, struct rotation_row *r,
			  int64_t now_ms);
/* group_id 0: every group's. */
int store_rotation_list(struct store *st, int64_t group_id,
			store_rotation_fn *fn, void *ctx);
int store_override_insert(struct store *st, int64_t rotation_id,
			  int64_t user_id, int64_t start_ms, int64_t end_ms,
			  int64_t now_ms, int64_t *id);
int store_override_list(struct store *st, int64_t rotation_id,
			store_override_fn *fn, void *ctx);
/* r's name, start, shift, zone and members (by r->id; its group stays),
 * written by r->stamp.by; r->stamp.version receives the new version. */
int store_rotation_update(struct store *st, struct rotation_row *r,
			  int64_t now_ms);
/* The rotation and its overrides. */
int store_rotation_delete(struct store *st, int64_t id);
/* Override id of rotation rotation_id (ERMS_ENOTFOUND: no such pair). */
int store_override_delete(struct store *st, int64_t rotation_id, int64_t id);

/* Bulletins (texts borrowed in callbacks). */
struct bulletin {
	int64_t id;
	int64_t incident_id;
	bool public;
	const char *text;
	int64_t author_id;
	int64_t created_ms;
};
typedef int store_bulletin_fn(void *ctx, const struct bulletin *b);
int store_bulletin_insert(struct store *st, struct bulletin *b);
int store_bulletin_list(struct store *st, int64_t incident_id,
			store_bulletin_fn *fn, void *ctx);
/* Public bulletins of real (not drill) incidents since since_ms, newest
 * first, at most limit. */
int store_bulletin_public(struct store *st, int64_t since_ms, int limit,
			  store_bulletin_fn *fn, void *ctx);

/* Supplies (应急物资) and funds (应急资金). */
struct supply {
	int64_t id;
	char name[256];
	char kind[64];
	char location[128];
	char unit[32];
	char *notes;		/* owned */
	int64_t quantity, min_quantity;
	int64_t inspect_by_ms;	/* 0: none */
	int64_t low_notice_ms, inspect_notice_ms;
	int64_t created_ms, updated_ms;
	struct stamp stamp;
};
void supply_release(struct supply *s);

struct movement {	/* texts borrowed */
	int64_t id, supply_id;
	const char *kind;	/* in, out, allocate, return */
	int64_t quantity;
	int64_t incident_id;	/* 0: none */
	const char *note;
	int64_t actor_id, at_ms;
	const char *supply_name, *unit;
};

struct expense {	/* texts borrowed */
	int64_t id;
	int year;
	int64_t amount_cents;
	const char *purpose;
	int64_t incident_id, drill_id, supply_id;	/* 0: none */
	int64_t actor_id, at_ms;
};

typedef int store_supply_fn(void *ctx, const struct supply *s);
typedef int store_movement_fn(void *ctx, const struct movement *m);
typedef int store_expense_fn(void *ctx, const struct expense *e);

int store_supply_insert(struct store *st, struct supply *s);
int store_supply_get(struct store *st, int64_t id, struct supply *out);
int store_supply_update(struct store *st, struct supply *s);
int store_supply_list(struct store *st, store_supply_fn *fn, void *ctx);
/* Take n units: ERMS_ECONFLICT when fewer than n are there (nothing
 * changes). */
int store_supply_take(struct store *st, int64_t id, int64_t n, int64_t now_ms,
		      int64_t by);
int store_supply_add(struct store *st, int64_t id, int64_t n, int64_t now_ms,
		     int64_t by);
int store_supply_notice(struct store *st, int64_t id, int64_t low_ms,
			int64_t inspect_ms);
int store_movement_insert(struct store *st, const struct movement *m,
			  int64_t *id);
int store_movements(struct store *st, int64_t supply_id, store_movement_fn *fn,
		    void *ctx);
int store_movements_of_incident(struct store *st, int64_t incident_id,
				store_movement_fn *fn, void *ctx);
int store_budget_put(struct store *st, int year, int64_t cents,
		     const char *note, int64_t now_ms);
/* ERMS_ENOTFOUND when no budget was set for the year. */
int store_budget_get(struct store *st, int year, int64_t *cents, char *note,
		     size_t notelen);
int store_expense_insert(struct store *st, const struct expense *e,
			 int64_t *id);
int store_expenses(struct store *st, int year, store_expense_fn *fn,
		   void *ctx);
int store_expense_sum(struct store *st, int year, int64_t *cents);

/* Drills (应急演练); the state machine is core/drill.h's. */
struct drill_row {
	int64_t id;
	char title[256];
	char kind[16];			/* tabletop, live */
	char category[KEY_MAX + 1];
	char level[KEY_MAX + 1];	/* "" : none proposed */
	int64_t scheduled_ms;
	int minutes;
	char location[128];
	char status[16];		/* planned, running, ... */
	char *detail;			/* owned JSON: participants, scenario,
					 * injects */
	char *evaluation;		/* owned JSON, "" until evaluated */
	int64_t incident_id;		/* 0: not started */
	int64_t created_by, created_ms;
	int64_t started_ms, completed_ms, evaluated_ms, updated_ms;
	struct stamp stamp;
};
void drill_row_release(struct drill_row *d);

typedef int store_drill_fn(void *ctx, const struct drill_row *d);

int store_drill_insert(struct store *st, struct drill_row *d);
int store_drill_get(struct store *st, int64_t id, struct drill_row *out);
/* Write d if its row still has status `was`: ERMS_ECONFLICT otherwise. */
int store_drill_update(struct store *st, struct drill_row *d,
		       const char *was);
/* Drills scheduled in [from_ms, to_ms) by time; to_ms 0: all. */
int store_drill_list(struct store *st, int64_t from_ms, int64_t to_ms,
		     store_drill_fn *fn, void *ctx);
/* Record the year-end warning of `year`: 1 when it is new, 0 when it was
 * already recorded. */
int store_drill_notice(struct store *st, int year, int64_t now_ms);
/* Remove that record (the warning reached nobody: tried again later). */
int store_drill_notice_forget(struct store *st, int year);

/*
 * Real incidents reported in [from_ms, to_ms), grouped by status, level
 * and category: how many, and of those acknowledged, activated and
 * resolved how many and the sum of the times from their report (ms), so
 * that a caller can add groups up and take means.
 */
struct incident_stat {
	const char *status, *level, *category;
	int64_t n;
	int64_t acked_n, ack_ms;	/* reported to acknowledged */
	int64_t activated_n, activate_ms;	/* reported to activated */
	int64_t resolved_n, resolve_ms;	/* reported to resolved */
};
typedef int store_stat_fn(void *ctx, const struct incident_stat *s);
int store_incident_stats(struct store *st, int64_t from_ms, int64_t to_ms,
			 store_stat_fn *fn, void *ctx);

/*
 * Sign-in limits shared by the nodes of one database (app/limits.h):
 * one row per (kind, key), a token bucket's state or a backoff's.
 */
struct limit_row {
	int kind;			/* the caller's table: address, ... */
	char key[128];
	int64_t tokens_u;		/* a bucket's tokens, in millionths */
	int64_t updated_ms;		/* ... when they were counted */
	int fails;			/* a backoff's failures */
	int64_t decay_ms, next_ms;
	int64_t used_ms;		/* last looked up */
};
/* The row of (kind, key) into out: ERMS_ENOTFOUND when there is none. */
int store_limit_get(struct store *st, int kind, const char *key,
		    struct limit_row *out);
/* Write r's row (made when absent). */
int store_limit_put(struct store *st, const struct limit_row *r);
/* Drop the rows last used before before_ms; *deleted (may be NULL). */
int store_limit_prune(struct store *st, int64_t before_ms,
		      int64_t *deleted);

/*
 * Monitoring intake (app/intake.h): integrations, their alerts, and the
 * groups of alerts that one incident takes. Only the SHA-256 of an
 * integration's key is stored; a deleted integration keeps its row (its
 * alerts name it) without a key.
 */
struct integration_row {
	int64_t id;
	char name[NAME_MAX_ + 1];
	char kind[16];			/* alertmanager, grafana, events,
					 * heartbeat */
	char key_prefix[8];
	bool enabled;
	int64_t created_by;		/* a user: the reporter of its
					 * incidents */
	char category[KEY_MAX + 1];	/* "": the plan's first */
	char level[KEY_MAX + 1];	/* "": none proposed */
	char *title_template;		/* owned; "" the default title */
	char *group_by;			/* owned JSON array of label names */
	int64_t group_window_s;
	bool auto_dismiss;
	int64_t interval_s;		/* heartbeats; else 0 */
	int64_t rate_limit_per_min;
	char *rules;			/* owned JSON array */
	char *maintenance;		/* owned JSON array */
	int64_t received, alerts_total, alerts_firing;
	int64_t last_received_ms;	/* 0: never */
	bool hb_missed;			/* a missed-heartbeat alert is open */
	int64_t deleted_ms;		/* 0: not deleted */
	int64_t created_ms, updated_ms;
	struct stamp stamp;
};
void integration_row_release(struct integration_row *r);

typedef int store_integration_fn(void *ctx, const struct integration_row *r);
/* Fills r->id; ERMS_ECONFLICT when the name (or key) is taken. */
int store_integration_insert(struct store *st, struct integration_row *r,
			     const char *key_hash);
/* Not deleted; *out is released before it is filled. */
int store_integration_get(struct store *st, int64_t id,
			  struct integration_row *out);
/* The integration (not deleted) whose key has this hash. */
int store_integration_by_hash(struct store *st, const char *key_hash,
			      struct integration_row *out);
/* Writes the name, enabled and the settings, and updated_ms. */
int store_integration_update(struct store *st, struct integration_row *r);
/* A new key (its hash and prefix): the old one stops working. */
int store_integration_rekey(struct store *st, int64_t id,
			    const char *key_hash, const char *key_prefix,
			    int64_t now_ms, int64_t by);
/* Mark deleted: its key and name are freed. */
int store_integration_delete(struct store *st, int64_t id, int64_t now_ms);
/* Those not deleted, by id. */
int store_integration_list(struct store *st, store_integration_fn *fn,
			   void *ctx);
/*
 * What one payload did to its integration's counts: received + 1 and
 * last received now when `received`, the alert counts moved by the
 * deltas, the missed-heartbeat flag set to hb_missed.
 */
int store_integration_count(struct store *st, int64_t id, bool received,
			    int64_t total_add, int64_t firing_add,
			    bool hb_missed, int64_t now_ms);
/* Up to limit enabled heartbeats whose last call (there was one) is
 * older than their interval at now_ms, with no missed alert open. */
int store_integration_hb_due(struct store *st, int64_t now_ms, int limit,
			     store_integration_fn *fn, void *ctx);

struct alert_row {
	int64_t id;
	int64_t integration_id;
	int64_t incident_id;		/* 0: none (held back) */
	int64_t group_id;		/* 0: none */
	char fingerprint[256];
	bool firing;			/* else resolved */
	char severity[16];
	char *summary;			/* owned texts */
	char *labels;			/* JSON object */
	char *annotations;		/* JSON object */
	char *source;			/* NULL: none */
	char *source_url;		/* NULL: none */
	char *details;			/* JSON, NULL: none */
	char *group_key;
	int64_t count;
	bool suppressed;
	int64_t starts_ms, ends_ms;	/* ends 0: none */
	int64_t first_seen_ms, last_seen_ms;
	int64_t resolved_ms;		/* 0: not resolved */
};
void alert_row_release(struct alert_row *a);

typedef int store_alert_fn(void *ctx, const struct alert_row *a);
/* Fills a->id. */
int store_alert_insert(struct store *st, struct alert_row *a);
int store_alert_get(struct store *st, int64_t id, struct alert_row *out);
/* The newest alert of the integration with this fingerprint. */
int store_alert_last(struct store *st, int64_t integration_id,
		     const char *fingerprint, struct alert_row *out);
/* Writes everything but the id, the integration and first_seen_ms. */
int store_alert_update(struct store *st, const struct alert_row *a);
/* The alerts of an incident after id `after`, oldest first, at most
 * limit. */
int store_alert_list(struct store *st, int64_t incident_id, int64_t after,
		     int limit, store_alert_fn *fn, void *ctx);

/* The alerts one incident takes: a group of one integration. */
struct alert_group_row {
	int64_t id;
	int64_t integration_id;
	char *group_key;		/* owned */
	int64_t incident_id;
	int64_t first_ms;		/* its first alert */
	int alerts;			/* alerts it took */
	int firing;			/* ... of which firing now */
	int pending;			/* alerts not yet on the timeline */
	char *pending_json;		/* owned: {"alertname": n, ...} */
	int64_t flushed_ms;		/* its last timeline entry */
	enum inc_state inc_state;	/* its incident's state and */
	char inc_number[32];		/* number (read only) */
};
void alert_group_row_release(struct alert_group_row *g);

typedef int store_alert_group_fn(void *ctx, const struct alert_group_row *g);
/* Fills g->id. */
int store_alert_group_insert(struct store *st, struct alert_group_row *g);
int store_alert_group_get(struct store *st, int64_t id,
			  struct alert_group_row *out);
/* The newest group of (integration, key), ERMS_ENOTFOUND when none. */
int store_alert_group_last(struct store *st, int64_t integration_id,
			   const char *group_key,
			   struct alert_group_row *out);
/* Writes alerts, firing, pending, pending_json and flushed_ms. */
int store_alert_group_update(struct store *st,
			     const struct alert_group_row *g);
/* Up to limit groups with alerts pending whose last timeline entry is
 * at or before before_ms. */
int store_alert_group_pending(struct store *st, int64_t before_ms, int limit,
			      store_alert_group_fn *fn, void *ctx);

#endif
