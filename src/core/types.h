/*
 * types.h - the domain's plain structs, shared by every layer.
 *
 * Fixed-size text fields: lengths are checked at the boundary (the JSON
 * decoders and the validators in core/account.c), so a struct can live on
 * the stack and be copied without ownership questions. Times are int64
 * milliseconds UTC.
 */
#ifndef ERMS_CORE_TYPES_H
#define ERMS_CORE_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/incident.h"

#define LOGIN_MAX 64
#define NAME_MAX_ 128
#define EMAIL_MAX 254
#define PHONE_MAX 32
#define LOCALE_MAX 8
#define CHAT_ID_MAX 64
#define KEY_MAX 64
/* An IANA zone name ("Asia/Shanghai"); util/tz.h checks it. */
#define ZONE_MAX 63

enum group_kind { GK_LEADERSHIP, GK_COMMAND, GK_TEAM, GK__COUNT };
enum member_role { MR_LEAD, MR_DEPUTY, MR_MEMBER, MR__COUNT };

/*
 * The version of an object a person edits (issue: nothing lost when two
 * people act at once): 1 when it is made, one more at every write of its
 * row (the store counts), and who wrote it last. A write that names the
 * version it was made from is refused when the row has moved on
 * (app/version.h).
 */
struct stamp {
	int64_t version;
	int64_t by;			/* a user; 0: the system, or nobody
					 * since it was made */
	char by_name[NAME_MAX_ + 1];	/* by's display name (else login) */
};

struct user {
	int64_t id;
	char login[LOGIN_MAX + 1];
	char display_name[NAME_MAX_ + 1];
	char email[EMAIL_MAX + 1];
	char phone[PHONE_MAX + 1];
	char locale[LOCALE_MAX + 1];	/* "zh-CN" or "en" */
	char time_zone[ZONE_MAX + 1];	/* "": the organisation's */
	/* Ids in the chat platforms, for @-mentions ("" none). */
	char chat_dingtalk[CHAT_ID_MAX + 1];
	char chat_wecom[CHAT_ID_MAX + 1];
	char chat_feishu[CHAT_ID_MAX + 1];
	bool is_admin;
	bool disabled;
	int64_t created_ms;
	int64_t updated_ms;
	struct stamp stamp;
};

/*
 * The organisation: one row. Its zone and language are those of what
 * the server writes for no one in particular (a group's chat, the public
 * status page) and of users who have not set their own.
 */
struct organisation {
	char name[NAME_MAX_ * 2 + 1];
	char time_zone[ZONE_MAX + 1];
	char locale[LOCALE_MAX + 1];
	char operator_type[16];		/* core/regulatory.h: cii, central, other */
	char *regulators_json;		/* JSON array text; owned */
	char *calendar_json;		/* {"2026": {holidays, workdays}}; owned */
	int64_t version;		/* 1 at first, +1 on every write */
	int64_t updated_ms;		/* 0: never changed */
	int64_t updated_by;		/* a user id; 0: none */
	char updated_by_name[NAME_MAX_ + 1];
};

/* Free an organisation's texts (and NULL them). */
void organisation_release(struct organisation *o);

struct group {
	int64_t id;
	char key[KEY_MAX + 1];
	char name[NAME_MAX_ * 2 + 1];
	enum group_kind kind;
	char *duties_json;	/* JSON array text; owned, free() it */
	int64_t created_ms;
	int64_t updated_ms;
	struct stamp stamp;
};

struct membership {
	int64_t group_id;
	char group_key[KEY_MAX + 1];
	enum group_kind kind;
	int64_t user_id;
	enum member_role role;
	int64_t review_from_ms;	/* counts for plan approvals from then
				 * (core/planflow.h); 0: at once */
};

struct token_info {
	int64_t id;
	int64_t user_id;
	char name[NAME_MAX_ + 1];
	int64_t created_ms;
	int64_t last_used_ms;
	int64_t expires_ms;	/* 0: never */
	bool revoked;
	bool feed;		/* a calendar feed token, not an API token */
};

struct audit_row {
	int64_t id;
	int64_t at_ms;
	int64_t actor_id;	/* 0: the system or a local command */
	char *action;		/* owned */
	char *object;		/* owned */
	char *summary;		/* owned */
	char prev_hash[65];
	char hash[65];
};

/* A version of an emergency plan (core/planflow.h has its statuses). */
struct plan_version {
	int64_t id;
	int64_t plan_id;
	char plan_key[KEY_MAX + 1];
	int n;
	int status;		/* enum pv_status */
	char *name_json;	/* the plan's name, a JSON text value; owned */
	char *source_name;	/* the file it was read from; owned */
	char *source;		/* the file as imported; owned, may be NULL */
	char *content;		/* canonical JSON; owned, may be NULL */
	int64_t author_id;
	int64_t created_ms, updated_ms, submitted_ms;
	int64_t reviewer_id, reviewed_ms;
	char *review_comment;	/* owned */
	int64_t publisher_id, published_ms, superseded_ms;
	struct stamp stamp;
};

/*
 * An incident as stored: the core's state machine struct and what the
 * people involved wrote. Texts are owned (free with incident_row_release).
 */
struct incident_row {
	struct incident inc;
	char number[32];		/* INC-2026-0001 */
	char category[KEY_MAX + 1];
	char level_key[KEY_MAX + 1];	/* "" until activated */
	char proposed_level[KEY_MAX + 1];
	char *title;
	char *description;
	char *impact;
	char *summary;			/* the resolution summary */
	char *review_json;		/* the review (应急总结), JSON or "" */
	char *public_summary;
	char *public_title;		/* for the status page; "" until set */
	char *public_message;
	bool public;
	int64_t reporter_id;
	int64_t commander_id;		/* 0: none */
	int64_t plan_version_id;
	int64_t updated_ms;
	unsigned esc_tiers;		/* escalation tiers told, a bit each */
	int64_t esc_acked_ms;		/* a message acknowledged: stop */
	char source[16];		/* "manual", or the kind of the
					 * integration that reported it */
	int64_t integration_id;		/* 0: reported by a person */
	struct stamp stamp;
	char *assessment;		/* command HQ's, at the ack, or "" */
	/* The duty to report to regulators (app/regulatory.c): JSON, or
	 * "" when none ever opened; its next reminder (0: none). */
	char *regulatory;
	int64_t reg_next_ms;
	int64_t reg_opened_ms;
};

void incident_row_release(struct incident_row *r);

/* A report recorded to a regulator (app/regulatory.h); texts borrowed. */
struct reg_report {
	int64_t id;
	int64_t incident_id;
	int n;				/* 1, 2, ... within the incident */
	const char *kind;		/* first, follow_up, final */
	const char *recipient;
	const char *via;		/* phone, fax, email, platform, letter */
	int64_t sent_ms;
	const char *content;		/* JSON object of texts */
	const char *changes;		/* JSON array of content keys */
	int on_time;			/* a first report's: 1, 0; else -1 */
	int64_t recorded_by;
	const char *recorded_by_name;
	int64_t recorded_ms;
};

enum task_status { TS_TODO, TS_DOING, TS_DONE, TS_BLOCKED, TS__COUNT };

struct task {
	int64_t id;
	int64_t incident_id;
	char *title;			/* owned */
	/* owned: the title in every language, {"zh-CN": ..., "en": ...}
	 * as JSON text (a plan's measure), or NULL/"" (one language) */
	char *titles;
	char group_key[KEY_MAX + 1];
	int64_t assignee_id;		/* 0: nobody yet */
	enum task_status status;
	int64_t due_ms;			/* 0: none */
	char *notes;			/* owned */
	char origin[KEY_MAX + 16];	/* "measure:<level>", "review", "" */
	int64_t created_by;
	int64_t created_ms;
	int64_t updated_ms;
	struct stamp stamp;
};

void task_release(struct task *t);
const char *task_status_name(enum task_status s);
int task_status_parse(const char *s);	/* -1 if unknown */

/* A timeline entry; texts are borrowed. */
struct timeline_entry {
	int64_t id;
	int64_t incident_id;
	int64_t at_ms;
	int64_t actor_id;		/* 0: the system (timers) */
	const char *kind;		/* report, status, level, note, ... */
	const char *text;
	const char *data;		/* a JSON object */
};

enum channel_kind { CH_EMAIL, CH_WEBHOOK, CH_SLACK, CH_DINGTALK, CH_WECOM,
		    CH_FEISHU, CH__COUNT };

const char *channel_kind_name(enum channel_kind k);
int channel_kind_parse(const char *s);	/* -1 if unknown */

/* A notification channel. */
struct channel {
	int64_t id;
	char name[NAME_MAX_ + 1];
	int kind;			/* enum channel_kind */
	char *config;			/* JSON text, with secrets; owned */
	int rate_burst;			/* 0: the kind's default */
	int64_t rate_period_ms;
	bool enabled;
	int64_t created_ms, updated_ms;
	struct stamp stamp;
};

void channel_release(struct channel *c);

enum notif_state { NS_PENDING, NS_SENT, NS_FAILED, NS_MERGED, NS__COUNT };

/* One message to one recipient over one channel (the outbox). */
struct notification {
	int64_t id;
	int64_t incident_id;
	char event[24];
	int tier;
	int64_t channel_id;
	int64_t user_id;		/* 0: a group's chat */
	char locale[LOCALE_MAX + 1];
	char idem_key[80];
	char ack_hash[65];		/* "" when it carries no ack link */
	char *recipient, *subject, *text, *markdown, *link, *ack_link;
	char *last_error;		/* owned, like the texts above */
	/* JSON array of {name, id, mobile}: whom a chat message @-mentions
	 * (owned; NULL or "[]" none). */
	char *mentions;
	char acked_by[NAME_MAX_ + 1];
	enum notif_state state;
	int attempts;
	int64_t next_ms, ack_expires_ms, acked_ms, created_ms, sent_ms;
};

void notification_release(struct notification *n);
const char *notif_state_name(enum notif_state s);
int notif_state_parse(const char *s);	/* -1 if unknown */

/* Free what a plan_version owns. */
void plan_version_release(struct plan_version *v);

const char *group_kind_name(enum group_kind k);
int group_kind_parse(const char *s);		/* -1 if unknown */
const char *member_role_name(enum member_role r);
int member_role_parse(const char *s);		/* -1 if unknown */

#endif
