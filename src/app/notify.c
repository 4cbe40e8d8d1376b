/*
 * notify.c - composing messages and the reporting chain.
 */
#define LOG_MOD "notify"
#include "app/notify.h"

#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/ack.h"
#include "app/audit.h"
#include "app/codec.h"
#include "app/keys.h"
#include "app/msgs.h"
#include "app/outbox.h"
#include "app/timeline.h"
#include "app/zone.h"
#include "core/calendar.h"
#include "core/duty.h"
#include "core/escalation.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/escape.h"
#include "util/log.h"
#include "util/xalloc.h"

#define ACK_TTL_MS DAY_MS

/* What each event asks of its recipients, zh-CN and en. */
static const struct {
	const char *tag_zh, *tag_en, *ask_zh, *ask_en;
} words[NE__COUNT] = {
	[NE_REPORT] = { "新报告", "New report", "请立即确认（认领）此报告。",
			"Please acknowledge this report now." },
	[NE_ESCALATE] = { "未确认，已升级", "Unacknowledged, escalated",
			  "报告尚无人确认，请立即处理。",
			  "Nobody has acknowledged the report: act now." },
	[NE_ACK] = { "请决定是否启动", "Decide on activation",
		     "指挥部已确认，请领导小组决定是否启动应急预案及响应级别。",
		     "Command HQ acknowledged: the leadership group decides "
		     "whether to activate the plan, and at which level." },
	[NE_ACTIVATE] = { "已启动应急响应", "Response activated",
			  "请按预案措施立即开展处置。",
			  "Carry out the plan's measures now." },
	[NE_SET_LEVEL] = { "响应级别调整", "Level changed",
			   "请按新级别的措施开展处置。",
			   "Carry out the measures of the new level." },
	[NE_BREACH] = { "处置目标超时", "Target missed",
			"请指挥和领导小组关注并采取措施。",
			"Commander and leadership: take action." },
	[NE_RESOLVE] = { "处置完成", "Resolved",
			 "事件已处置，待领导小组宣布应急结束。",
			 "Resolved; the leadership group declares the end." },
	[NE_REOPEN] = { "重新处置", "Reopened", "事件重新进入处置，请继续跟进。",
			"The incident is active again: follow up." },
	[NE_CLOSE] = { "应急结束", "Emergency over",
		       "领导小组已宣布应急结束，请准备应急总结。",
		       "The emergency is over: prepare the review." },
	[NE_DISMISS] = { "报告不予启动", "Report dismissed",
			 "报告经研判不予启动。", "The report was dismissed." },
	[NE_BULLETIN] = { "内部通报", "Internal bulletin",
			  "请知悉以上通报内容。", "Please take note." },
};

static const char *const event_names[NE__COUNT] = {
	"report", "escalate", "ack", "activate", "set-level", "breach",
	"resolve", "reopen", "close", "dismiss", "bulletin",
};

const char *notify_event_name(enum notify_event ev)
{
	return (unsigned)ev < NE__COUNT ? event_names[ev] : "?";
}

struct compose {
	struct store *st;
	const struct incident_row *r;	/* NULL: a message of its own */
	const char *subject, *text;	/* when r is NULL */
	const char *subject_en, *text_en;	/* the same in English, or NULL */
	const char *path;		/* the console's page, or NULL */
	const char *event;		/* when r is NULL */
	const struct plan *plan;	/* when r is not NULL */
	enum notify_event ev;
	int tier;
	const char *detail;
	int64_t now_ms;
	json_t *told;		/* user ids already e-mailed, for this event */
	json_t *chats;		/* channel ids already told, for this event */
	json_t *groups;		/* group keys told, for the timeline */
	const char *mentions;	/* the chat message's, JSON; NULL: none */
	int queued;
	int64_t email_channel;	/* the default e-mail channel, 0: none */
};

static bool zh(const char *locale)
{
	return strcmp(locale, "en") != 0;
}

/* Subject, text and Markdown of this event in locale. */
static void render(struct compose *c, const char *locale, const char *zone,
		   char **subject, char **text, char **md, char **link)
{
	struct msg_names names = { c->plan, zone };
	json_t *rep = json_pack("{s:I}", "at", (json_int_t)c->r->inc.reported_ms);
	json_t *now = json_pack("{s:I}", "at", (json_int_t)c->now_ms);
	char *reported = msg_text("nt.reported_at", rep, locale, &names);
	char *at = msg_text("nt.at", now, locale, &names);
	const struct incident_row *r = c->r;
	bool z = zh(locale);
	const struct plan_level *lv = r->level_key[0]
		? plan_level(c->plan, r->level_key) : NULL;
	const struct plan_category *cat = plan_category(c->plan, r->category);
	const char *level = lv ? plan_text(lv->name, locale)
			       : (z ? "未定级" : "not set");
	const char *category = cat ? plan_text(cat->name, locale)
				   : r->category;
	const char *drill = r->inc.is_drill ? (z ? "[演练] " : "[DRILL] ") : "";
	struct buf t = BUF_INIT, m = BUF_INIT;
	/* A missed target is named in the reader's words, not by its key. */
	json_t *missed = c->ev == NE_BREACH && c->detail
		? json_pack("{s:s}", "target", c->detail) : NULL;
	char *breach = missed ? msg_text("nt.breach", missed, locale, &names)
			      : NULL;
	const char *detail = breach ? breach : c->detail;

	*link = xasprintf("%s/#/incidents/%s", notify_base_url(), r->number);
	*subject = xasprintf("%s【%s】%s %s", drill,
			     z ? words[c->ev].tag_zh : words[c->ev].tag_en,
			     r->number, r->title);
	buf_addf(&t, "%s%s %s\n%s: %s\n%s: %s\n%s: %s\n%s: %s\n", drill,
		 r->number, r->title, z ? "级别" : "Level", level,
		 z ? "分类" : "Category", category, z ? "状态" : "Status",
		 msg_word("state", incident_state_name(r->inc.state), locale),
		 z ? "影响" : "Impact",
		 r->impact && *r->impact ? r->impact : "-");
	buf_addf(&t, "%s\n%s\n", reported, at);
	if (detail && *detail)
		buf_addf(&t, "%s: %s\n", z ? "说明" : "Detail", detail);
	/* The links (to the incident, to acknowledge) are added by each
	 * channel in its own form. */
	buf_addf(&t, "\n%s\n", z ? words[c->ev].ask_zh : words[c->ev].ask_en);
	/* Markdown: what people typed (the title, the detail) and the
	 * plan's names go in escaped, so only this template adds markup. */
	buf_addf(&m, "### %s【%s】%s\n\n- %s: ", drill,
		 z ? words[c->ev].tag_zh : words[c->ev].tag_en, r->number,
		 z ? "标题" : "Title");
	esc_md(&m, r->title);
	buf_addf(&m, "\n- %s: ", z ? "级别" : "Level");
	esc_md(&m, level);
	buf_addf(&m, "\n- %s: ", z ? "分类" : "Category");
	esc_md(&m, category);
	buf_addf(&m, "\n- %s: %s\n", z ? "状态" : "Status",
		 msg_word("state", incident_state_name(r->inc.state), locale));
	buf_addf(&m, "- %s\n- %s\n", reported, at);
	if (detail && *detail) {
		buf_addf(&m, "- %s: ", z ? "说明" : "Detail");
		esc_md(&m, detail);
		buf_adds(&m, "\n");
	}
	buf_addf(&m, "\n**%s**\n", z ? words[c->ev].ask_zh
					     : words[c->ev].ask_en);
	*text = buf_detach(&t, NULL);
	*md = buf_detach(&m, NULL);
	free(reported);
	free(at);
	free(breach);
	json_decref(missed);
	json_decref(rep);
	json_decref(now);
}

/* One message into the outbox. */
static int queue(struct compose *c, int64_t channel_id, int64_t user_id,
		 const char *recipient, const char *locale, const char *zone)
{
	struct notification n = {
		.incident_id = c->r ? c->r->inc.id : 0, .tier = c->tier,
		.channel_id = channel_id, .user_id = user_id,
		.created_ms = c->now_ms,
		.ack_expires_ms = c->now_ms + ACK_TTL_MS,
	};
	char key[TOKEN_LEN], secret[TOKEN_LEN];
	int rc;

	snprintf(n.event, sizeof(n.event), "%s",
		 c->r ? event_names[c->ev] : c->event);
	snprintf(n.locale, sizeof(n.locale), "%s", zh(locale) ? "zh-CN" : "en");
	token_new("erms-", key);
	snprintf(n.idem_key, sizeof(n.idem_key), "%s", key);
	/* Only the token's hash is stored: the link is built again when
	 * the message is sent (notify_ack_link()). */
	notify_ack_token(n.idem_key, secret);
	sha256_hex(secret, strlen(secret), n.ack_hash);
	sodium_memzero(secret, sizeof(secret));
	n.recipient = (char *)recipient;
	n.mentions = (char *)(c->mentions ? c->mentions : "[]");
	if (c->r) {
		render(c, n.locale, zone, &n.subject, &n.text, &n.markdown,
		       &n.link);
	} else {
		struct buf md = BUF_INIT;

		bool en = c->subject_en && !zh(n.locale);
		const char *text = en ? c->text_en : c->text;

		n.subject = xstrdup(en ? c->subject_en : c->subject);
		n.text = xstrdup(text);
		esc_md(&md, text);
		n.markdown = buf_detach(&md, NULL);
		n.link = xasprintf("%s/%s", notify_base_url(),
				   c->path ? c->path : "");
	}
	/* The link without its token: the same bytes on every attempt. */
	n.ack_link = xasprintf("%s/ack/", notify_base_url());
	/* Delivery runs on real time, even under a test clock. */
	n.next_ms = clock_real_ms();
	rc = store_notification_insert(c->st, &n);
	n.recipient = n.mentions = NULL;
	notification_release(&n);
	if (!rc) {
		c->queued++;
		outbox_queued();
	}
	return rc;
}

static bool already(json_t *set, int64_t id)
{
	json_t *v;
	size_t i;

	json_array_foreach(set, i, v)
		if (json_integer_value(v) == id)
			return true;
	json_array_append_new(set, json_integer(id));
	return false;
}

/* An e-mail to user id (once per event). */
static int email_user(struct compose *c, int64_t id)
{
	struct user u;
	char zone[64];
	int rc;

	if (!id || !c->email_channel || already(c->told, id))
		return 0;
	rc = store_user_get(c->st, id, &u);
	if (rc == ERMS_ENOTFOUND || (!rc && (u.disabled || !u.email[0])))
		return 0;
	if (rc)
		return rc;
	app_zone_of_user(c->st, &u, zone);
	return queue(c, c->email_channel, id, u.email, u.locale, zone);
}

struct members {
	struct compose *c;
	const char *who;	/* "all", "leads", "on_duty" */
	int64_t on_duty;
	int rc;
};

static int member(void *ctx, const struct membership *m, const struct user *u)
{
	struct members *x = ctx;

	if (!strcmp(x->who, "leads") && m->role == MR_MEMBER)
		return 0;
	if (!strcmp(x->who, "on_duty") && u->id != x->on_duty)
		return 0;
	x->rc = email_user(x->c, u->id);
	return x->rc;
}

struct chats {
	struct compose *c;
	const char *label;
	json_t *mention;	/* user ids the group's chat messages name */
	int rc;
};

/* u's id in the platform of channel kind k, "" when none. */
static const char *chat_id(const struct user *u, enum channel_kind k)
{
	return k == CH_DINGTALK ? u->chat_dingtalk
	       : k == CH_WECOM	? u->chat_wecom
	       : k == CH_FEISHU ? u->chat_feishu : "";
}

/* The mentions of x's users for a channel of kind k, as JSON text. */
static char *mentions_for(struct chats *x, enum channel_kind k)
{
	json_t *a = json_array(), *v;
	size_t i;
	char *s;

	json_array_foreach(x->mention, i, v) {
		struct user u;

		if (store_user_get(x->c->st, json_integer_value(v), &u) ||
		    u.disabled)
			continue;
		if (*chat_id(&u, k) || *u.phone)
			json_array_append_new(a, json_pack(
				"{s:s, s:s, s:s}", "name", u.display_name,
				"id", chat_id(&u, k), "mobile", u.phone));
	}
	s = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return s;
}

static int chat(void *ctx, const struct channel *ch)
{
	struct chats *x = ctx;
	json_t *cfg;
	const char *locale;
	char zone[64];
	char *mentions;

	if (!ch->enabled || ch->kind == CH_EMAIL || already(x->c->chats, ch->id))
		return 0;
	cfg = json_loads(ch->config, 0, NULL);
	locale = json_string_value(json_object_get(cfg, "locale"));
	mentions = mentions_for(x, (enum channel_kind)ch->kind);
	x->c->mentions = mentions;
	/* A group's chat: the organisation's zone. */
	app_zone_for(x->c->st, NULL, zone);
	x->rc = queue(x->c, ch->id, 0, x->label, locale ? locale : "zh-CN",
		      zone);
	x->c->mentions = NULL;
	free(mentions);
	json_decref(cfg);
	return x->rc;
}

/* The leads and deputies of a group, who stand in for a roster. */
static int lead_id(void *ctx, const struct membership *m,
		   const struct user *u)
{
	if (m->role != MR_MEMBER && !u->disabled)
		json_array_append_new(ctx, json_integer(u->id));
	return 0;
}

static int first_email(void *ctx, const struct channel *ch)
{
	if (ch->enabled && ch->kind == CH_EMAIL) {
		*(int64_t *)ctx = ch->id;
		return 1;
	}
	return 0;
}

struct rot_pick {
	int64_t t;
	int64_t user;
	struct store *st;
};

static int ov_into(void *ctx, int64_t id, int64_t user_id, int64_t start,
		   int64_t end)
{
	json_t *a = ctx;

	(void)id;
	json_array_append_new(a, json_pack("[I, I, I]", (json_int_t)user_id,
					   (json_int_t)start, (json_int_t)end));
	return 0;
}

/* The person on duty in the group's first rotation that has one at t. */
static int on_duty(void *ctx, const struct rotation_row *row)
{
	struct rot_pick *p = ctx;
	struct rotation r = { .id = row->id, .start_ms = row->start_ms,
			      .shift_minutes = row->shift_minutes };
	struct duty_override ov[64];
	json_t *members = json_loads(row->members, 0, NULL), *v;
	json_t *ovs = json_array();
	size_t i;
	int nov = 0;

	json_array_foreach(members, i, v)
		if (r.n < DUTY_MEMBERS_MAX)
			r.members[r.n++] = json_integer_value(v);
	store_override_list(p->st, row->id, ov_into, ovs);
	json_array_foreach(ovs, i, v)
		if (nov < 64)
			ov[nov++] = (struct duty_override){
				json_integer_value(json_array_get(v, 0)),
				json_integer_value(json_array_get(v, 1)),
				json_integer_value(json_array_get(v, 2)) };
	p->user = duty_on_call(&r, ov, nov, p->t);
	json_decref(members);
	json_decref(ovs);
	return p->user ? 1 : 0;
}

/*
 * Tell group `key`: its chat channels, and e-mail to `who` of it. The
 * chat messages @-mention the person on duty now (where the robot can),
 * or, when the group has no roster or nobody is on duty, its leads and
 * deputies, whoever the message is for: the group's chat is where the
 * person who must act sees it first.
 */
static int tell_group(struct compose *c, const char *key, const char *who)
{
	struct group g = { 0 };
	struct chats ch = { c, NULL, json_array(), 0 };
	struct members m = { c, who, 0, 0 };
	struct rot_pick p = { c->now_ms, 0, c->st };
	char label[KEY_MAX + 8];
	int rc = store_group_get(c->st, key, &g);

	free(g.duties_json);
	if (!rc) {
		rc = store_rotation_list(c->st, g.id, on_duty, &p);
		rc = rc == 1 ? 0 : rc;
	}
	if (!rc && p.user)
		json_array_append_new(ch.mention, json_integer(p.user));
	else if (!rc)	/* no roster: the leads stand in */
		rc = store_members_of_group(c->st, g.id, lead_id, ch.mention);
	if (rc) {
		json_decref(ch.mention);
		return rc == ERMS_ENOTFOUND ? 0 : rc;
	}
	json_array_append_new(c->groups, json_pack("{s:s, s:s}", "group", key,
						   "who", who));
	snprintf(label, sizeof(label), "group:%s", key);
	ch.label = label;
	rc = store_group_channels(c->st, g.id, chat, &ch);
	if (!rc)
		rc = ch.rc;
	json_decref(ch.mention);
	if (!rc && !strcmp(who, "on_duty")) {
		m.on_duty = p.user;
		if (!p.user)	/* no roster: the leads stand in */
			m.who = "leads";
	}
	if (!rc)
		rc = store_members_of_group(c->st, g.id, member, &m);
	return rc ? rc : m.rc;
}

const char *notify_kind_group(const struct plan *plan, const char *kind)
{
	for (size_t i = 0; i < plan->ngroups; i++)
		if (!strcmp(plan->groups[i].kind, kind))
			return plan->groups[i].key;
	return NULL;
}

static int tell_groups(struct compose *c, const char *const *keys, size_t n,
		       const char *who)
{
	int rc = 0;

	for (size_t i = 0; !rc && i < n; i++)
		rc = tell_group(c, keys[i], who);
	return rc;
}

/* Everyone involved: HQ, leadership, the level's groups, the reporter. */
static int tell_involved(struct compose *c)
{
	const struct plan_level *lv = c->r->level_key[0]
		? plan_level(c->plan, c->r->level_key) : NULL;
	const char *cmd = notify_kind_group(c->plan, "command");
	const char *lead = notify_kind_group(c->plan, "leadership");
	int rc = cmd ? tell_group(c, cmd, "all") : 0;

	if (!rc && lead)
		rc = tell_group(c, lead, "all");
	if (!rc && lv)
		rc = tell_groups(c, lv->notify, lv->nnotify, "all");
	return rc ? rc : email_user(c, c->r->reporter_id);
}

static int route(struct compose *c)
{
	size_t ti = (size_t)(c->tier < 0 ? 0 : c->tier);
	const struct plan_tier *tier = ti < c->plan->ntiers
				       ? &c->plan->tiers[ti] : NULL;
	const struct plan_level *lv = c->r->level_key[0]
		? plan_level(c->plan, c->r->level_key) : NULL;
	const char *lead = notify_kind_group(c->plan, "leadership");
	const char *cmd = notify_kind_group(c->plan, "command");
	int rc = 0;

	switch (c->ev) {
	case NE_REPORT:
	case NE_ESCALATE:
		return tier ? tell_groups(c, tier->notify, tier->nnotify,
					  tier->who) : 0;
	case NE_ACK:
		return lead ? tell_group(c, lead, "all") : 0;
	case NE_ACTIVATE:
	case NE_SET_LEVEL:
		if (lv && lv->nnotify)
			return tell_groups(c, lv->notify, lv->nnotify, "all");
		rc = cmd ? tell_group(c, cmd, "all") : 0;
		return rc || !lead ? rc : tell_group(c, lead, "all");
	case NE_BREACH:
		rc = email_user(c, c->r->commander_id);
		return rc || !lead ? rc : tell_group(c, lead, "all");
	case NE_DISMISS:
		rc = email_user(c, c->r->reporter_id);
		return rc || !cmd ? rc : tell_group(c, cmd, "leads");
	case NE_BULLETIN:	/* internal bulletins: all the plan's staff */
		for (size_t i = 0; !rc && i < c->plan->ngroups; i++)
			rc = tell_group(c, c->plan->groups[i].key, "all");
		return rc;
	default:
		return tell_involved(c);
	}
}

int notify_incident(struct store *st, const struct incident_row *r,
		    const struct plan *plan, enum notify_event ev, int tier,
		    const char *detail, int64_t now_ms, int *queued)
{
	struct compose c = {
		.st = st, .r = r, .plan = plan, .ev = ev, .tier = tier,
		.detail = detail, .now_ms = now_ms, .told = json_array(),
		.chats = json_array(), .groups = json_array(),
	};
	int rc = store_channel_list(st, first_email, &c.email_channel);

	rc = rc == 1 ? 0 : rc;
	if (!rc)
		rc = route(&c);
	if (!rc && c.queued) {
		rc = app_timeline_msg(st, r->inc.id, 0, "notification",
				      "tl.notified",
				      json_pack("{s:s, s:i}", "event",
						event_names[ev], "n", c.queued),
				      json_pack("{s:s, s:i, s:i, s:O}", "event",
						event_names[ev], "tier", tier,
						"messages", c.queued, "groups",
						c.groups),
				      now_ms);
	}
	*queued = c.queued;
	json_decref(c.told);
	json_decref(c.chats);
	json_decref(c.groups);
	return rc;
}

int notify_group(struct store *st, const char *key, const char *event,
		 const char *subject, const char *text, int64_t now_ms,
		 int *queued)
{
	struct compose c = {
		.st = st, .subject = subject, .text = text, .event = event,
		.tier = -1, .now_ms = now_ms, .told = json_array(),
		.chats = json_array(), .groups = json_array(),
	};
	int rc = store_channel_list(st, first_email, &c.email_channel);

	rc = rc == 1 ? 0 : rc;
	if (!rc)
		rc = tell_group(&c, key, "all");
	*queued = c.queued;
	json_decref(c.told);
	json_decref(c.chats);
	json_decref(c.groups);
	return rc;
}

int notify_plan(struct store *st, const struct notify_plan_msg *m,
		int64_t now_ms, int *queued)
{
	struct compose c = {
		.st = st, .subject = m->subject_zh, .text = m->text_zh,
		.subject_en = m->subject_en, .text_en = m->text_en,
		.event = m->event, .path = m->path, .tier = -1,
		.now_ms = now_ms, .told = json_array(), .chats = json_array(),
		.groups = json_array(),
	};
	int rc = store_channel_list(st, first_email, &c.email_channel);

	rc = rc == 1 ? 0 : rc;
	for (size_t i = 0; !rc && i < m->ngroups; i++)
		rc = tell_group(&c, m->groups[i], "all");
	if (!rc)
		rc = email_user(&c, m->user_id);
	*queued = c.queued;
	json_decref(c.told);
	json_decref(c.chats);
	json_decref(c.groups);
	return rc;
}

unsigned notify_escalate_due(const struct incident_row *r,
			     const struct plan *plan, int64_t now_ms)
{
	unsigned due = 0;

	if (r->inc.state != INC_REPORTED || r->esc_acked_ms)
		return 0;
	for (size_t i = 0; i < plan->ntiers; i++)
		if (esc_tier_due(r->esc_tiers, i, r->inc.reported_ms,
				 plan->tiers[i].after_min, now_ms))
			due = esc_told_add(due, i);
	return due;
}

int notify_escalate_tiers(struct store *st, const struct incident_row *r,
			  const struct plan *plan, unsigned tiers,
			  int64_t now_ms, int *queued)
{
	int rc = 0, n;

	*queued = 0;
	for (size_t i = 0; !rc && i < plan->ntiers; i++) {
		unsigned bit = esc_told_add(0, i);

		if (!(tiers & bit))
			continue;
		rc = notify_incident(st, r, plan, i ? NE_ESCALATE : NE_REPORT,
				     (int)i, NULL, now_ms, &n);
		*queued += rc ? 0 : n;
	}
	return rc;
}

int notify_escalate(struct store *st, struct incident_row *r,
		    const struct plan *plan, int64_t now_ms, int *queued)
{
	unsigned due = notify_escalate_due(r, plan, now_ms);
	int rc = notify_escalate_tiers(st, r, plan, due, now_ms, queued);

	if (!rc)
		r->esc_tiers |= due;
	return rc;
}

/* ---- delivery counters ------------------------------------------------- */

#define COUNT_CHANNELS 64
static const char *const outcomes[] = { "sent", "merged", "retry",
					"throttled", "failed" };
static struct {
	int64_t id;
	char name[NAME_MAX_ + 1];
	char kind[16];
	uint64_t n[5];
	bool failing;
} counts[COUNT_CHANNELS];
static pthread_mutex_t counts_mu = PTHREAD_MUTEX_INITIALIZER;

void notify_count(int64_t channel_id, const char *name, const char *kind,
		  const char *outcome)
{
	int o, slot = -1;

	for (o = 0; o < 5 && strcmp(outcomes[o], outcome); o++)
		;
	if (o == 5)
		return;
	pthread_mutex_lock(&counts_mu);
	for (int i = 0; i < COUNT_CHANNELS && slot < 0; i++)
		if (counts[i].id == channel_id || !counts[i].id)
			slot = i;
	if (slot < 0)	/* more channels than slots: the oldest gives way */
		slot = (int)(channel_id % COUNT_CHANNELS);
	if (counts[slot].id != channel_id)
		memset(&counts[slot], 0, sizeof(counts[slot]));
	counts[slot].id = channel_id;
	snprintf(counts[slot].name, sizeof(counts[slot].name), "%s", name);
	snprintf(counts[slot].kind, sizeof(counts[slot].kind), "%s", kind);
	counts[slot].n[o]++;
	if (o != 3)	/* throttling says nothing of the channel's health */
		counts[slot].failing = o >= 2;
	pthread_mutex_unlock(&counts_mu);
}

/* A Prometheus label value: backslash, quote and newline escaped. */
static void label(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			buf_add(out, "\\", 1);
		if (*s == '\n')
			buf_adds(out, "\\n");
		else
			buf_add(out, s, 1);
	}
}

void notify_metrics(struct buf *out)
{
	buf_adds(out, "# HELP erms_deliveries_total Delivery attempts by "
		      "channel and outcome (sent, merged into a digest, retry, "
		      "throttled, failed).\n"
		      "# TYPE erms_deliveries_total counter\n");
	pthread_mutex_lock(&counts_mu);
	for (int i = 0; i < COUNT_CHANNELS; i++)
		for (int o = 0; counts[i].id && o < 5; o++) {
			buf_adds(out, "erms_deliveries_total{channel=\"");
			label(out, counts[i].name);
			buf_addf(out, "\",kind=\"%s\",outcome=\"%s\"} %llu\n",
				 counts[i].kind, outcomes[o],
				 (unsigned long long)counts[i].n[o]);
		}
	buf_adds(out, "# HELP erms_channel_failing 1 while a channel's last "
		      "delivery did not go through.\n"
		      "# TYPE erms_channel_failing gauge\n");
	for (int i = 0; i < COUNT_CHANNELS; i++) {
		if (!counts[i].id)
			continue;
		buf_adds(out, "erms_channel_failing{channel=\"");
		label(out, counts[i].name);
		buf_addf(out, "\",kind=\"%s\"} %d\n", counts[i].kind,
			 counts[i].failing);
	}
	pthread_mutex_unlock(&counts_mu);
}
