/*
 * report.c - the review report (应急总结报告): read what the incident
 * left (facts, durations, timeline, tasks, supplies, expenses, bulletins,
 * messages, the review and its action items) into a document (doc/doc.h)
 * in the reader's language, times in the reader's zone, groups and people
 * by name; then write it as Markdown, HTML or PDF.
 */
#include "app/report.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "app/codec.h"
#include "app/msgs.h"
#include "app/plancache.h"
#include "app/timeline.h"
#include "core/calendar.h"
#include "doc/doc.h"
#include "doc/pdf.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/tz.h"
#include "util/xalloc.h"

struct rep {
	struct doc *d;
	struct store *st;
	const struct plan *plan;
	const struct incident_row *x;
	const char *lang, *zone;
	bool zh;
	json_t *rows;		/* rows gathered to be written in order */
	int64_t cents;		/* the incident's expenses */
};

/* zh or en. */
static const char *T(const struct rep *r, const char *en, const char *zh)
{
	return r->zh ? zh : en;
}

/* A word of the catalog's set (app/msgs.h) in the reader's language; the
 * key when unknown. */
static const char *word(const struct rep *r, const char *set,
			const char *key)
{
	const char *w = msg_word(set, key, r->lang);

	return w ? w : key;
}

/* ms in the reader's zone, to the minute: "2026-11-28 03:03"; "—" for 0. */
static void when(const struct rep *r, int64_t ms, char out[32])
{
	if (!ms)
		snprintf(out, 32, "—");
	else
		tz_short(ms, r->zone, out);
}

static char *duration(const struct rep *r, int64_t ms)
{
	int64_t s = ms / 1000;

	if (ms < 0)
		return xstrdup("—");
	if (s >= 3600)
		return xasprintf(r->zh ? "%lld 小时 %lld 分" : "%lld h %lld min",
				 (long long)(s / 3600),
				 (long long)(s % 3600 / 60));
	return xasprintf(r->zh ? "%lld 分 %lld 秒" : "%lld min %lld s",
			 (long long)(s / 60), (long long)(s % 60));
}

/* A person's name into out; "the system" for 0. */
static void person(const struct rep *r, int64_t id, char *out, size_t n)
{
	struct user u;

	if (!id)
		snprintf(out, n, "%s", T(r, "the system", "系统"));
	else if (store_user_get(r->st, id, &u))
		snprintf(out, n, "#%lld", (long long)id);
	else
		snprintf(out, n, "%s", u.display_name);
}

/* A group's name in the reader's language (the plan's, else the
 * organisation's, else its key). Borrowed or in out. */
static const char *group_name(const struct rep *r, const char *key, char *out,
			      size_t n)
{
	const struct plan_group *g = r->plan ? plan_group(r->plan, key) : NULL;
	struct group row = { 0 };

	if (g && *plan_text(g->name, r->lang))
		return plan_text(g->name, r->lang);
	if (!store_group_get(r->st, key, &row)) {
		snprintf(out, n, "%s", row.name);
		free(row.duties_json);
		return out;
	}
	return key;
}

static const char *level_name(const struct rep *r, const char *key)
{
	const struct plan_level *lv = key && *key && r->plan
		? plan_level(r->plan, key) : NULL;

	return lv ? plan_text(lv->name, r->lang) : key && *key ? key : "—";
}

/* Add a label and value row to the table being written. */
static void kv(struct rep *r, const char *label, const char *value)
{
	const char *c[2] = { label, value && *value ? value : "—" };

	doc_row(r->d, c, false);
}

static void facts(struct rep *r)
{
	const struct incident_row *x = r->x;
	const struct plan_category *cat = plan_category(r->plan, x->category);
	char t[32], who[NAME_MAX_ + 1];

	doc_heading(r->d, 2, T(r, "Facts", "基本情况"));
	doc_table(r->d, 2, NULL);
	kv(r, T(r, "Number", "编号"), x->number);
	kv(r, T(r, "Status", "状态"),
	   word(r, "state", incident_state_name(x->inc.state)));
	kv(r, T(r, "Level", "响应级别"), level_name(r, x->level_key));
	kv(r, T(r, "Category", "事件分类"),
	   cat ? plan_text(cat->name, r->lang) : x->category);
	when(r, x->inc.detected_ms, t);
	kv(r, T(r, "Detected", "发现时间"), t);
	when(r, x->inc.reported_ms, t);
	kv(r, T(r, "Reported", "上报时间"), t);
	person(r, x->reporter_id, who, sizeof(who));
	kv(r, T(r, "Reported by", "报告人"), who);
	if (x->commander_id)
		person(r, x->commander_id, who, sizeof(who));
	kv(r, T(r, "Commander", "指挥"), x->commander_id ? who : "—");
	kv(r, T(r, "Impact", "影响"), x->impact);
	kv(r, T(r, "Resolution", "处置结果"), x->summary);
	if (x->description && *x->description)
		doc_para(r->d, x->description);
}

static void durations(struct rep *r)
{
	static const char *const en[] = { "report → acknowledged",
					  "acknowledged → activated",
					  "activated → resolved",
					  "resolved → closed" };
	static const char *const zh[] = { "报告 → 确认", "确认 → 启动",
					  "启动 → 处置完成", "处置完成 → 关闭" };
	const char *head[4] = { T(r, "Step", "环节"), T(r, "Took", "用时"),
				T(r, "Target", "目标"), T(r, "Result", "结果") };
	struct inc_durations d;

	incident_durations(&r->x->inc, &d);
	doc_heading(r->d, 2, T(r, "Durations against targets",
			       "处置时长与目标"));
	doc_table(r->d, 4, head);
	for (int i = 0; i < IST__COUNT; i++) {
		const struct inc_duration *s = &d.step[i];
		char *took = duration(r, s->ms);
		char *target = s->target_ms
			? xasprintf(r->zh ? "%lld 分钟内" : "within %lld min",
				    (long long)(s->target_ms / MINUTE_MS))
			: xstrdup("—");
		const char *c[4] = {
			r->zh ? zh[i] : en[i], took, target,
			s->verdict == IV_MET ? T(r, "met", "达标")
			: s->verdict == IV_MISSED ? T(r, "missed", "超时")
						  : "—" };

		doc_row(r->d, c, s->verdict == IV_MISSED);
		free(took);
		free(target);
	}
}

/* ---- the timeline ------------------------------------------------------ */

struct task_name {
	struct rep *r;
	int64_t id;
	char *title;
	char group[KEY_MAX + 1];
};

static int find_task(void *ctx, const struct task *t)
{
	struct task_name *n = ctx;

	if (t->id != n->id)
		return 0;
	n->title = task_title_in(t, n->r->lang);
	snprintf(n->group, sizeof(n->group), "%s", t->group_key);
	return 1;
}

/* What an entry says, in the reader's language, from its data where the
 * entry's kind is known; free() it. */
static char *entry_text(struct rep *r, const struct timeline_entry *e)
{
	json_t *d = e->data ? json_loads(e->data, 0, NULL) : NULL;
	const char *from = json_string_value(json_object_get(d, "from"));
	const char *to = json_string_value(json_object_get(d, "to"));
	const char *why = json_string_value(json_object_get(d, "reason"));
	const char *kind = e->kind;
	char g[NAME_MAX_ * 2 + 1];
	char *s = NULL;

	if (json_is_string(json_object_get(d, "key"))) {
		json_decref(d);
		return app_timeline_render(e, r->plan, r->lang, r->zone);
	}
	if ((!strcmp(kind, "status") || !strcmp(kind, "level")) && from && to) {
		const char *lv = json_string_value(json_object_get(d, "level"));

		s = xasprintf("%s → %s%s%s%s%s%s", word(r, "state", from),
			      word(r, "state", to), lv ? " · " : "",
			      lv ? level_name(r, lv) : "", why ? "\n" : "",
			      why ? T(r, "Reason: ", "原因：") : "",
			      why ? why : "");
	} else if (!strcmp(kind, "report")) {
		s = xasprintf("%s%s", T(r, "Reported: ", "上报事件："), e->text);
	} else if (!strcmp(kind, "breach") &&
		   json_is_string(json_object_get(d, "target"))) {
		s = xasprintf(r->zh ? "%s时限未达成" : "Target missed: %s",
			      word(r, "target", json_string_value(
						       json_object_get(d, "target"))));
	} else if (!strcmp(kind, "task") &&
		   json_is_string(json_object_get(d, "supply"))) {
		struct supply sp = { 0 };
		json_int_t id = json_integer_value(json_object_get(d,
								   "supply_id"));
		json_int_t q = json_integer_value(json_object_get(d,
								  "quantity"));

		if (!store_supply_get(r->st, id, &sp))
			s = xasprintf(r->zh ? "%s：%lld %s %s" : "%s: %lld %s %s",
				      word(r, "movement", json_string_value(
							     json_object_get(d, "supply"))),
				      (long long)q, sp.unit, sp.name);
		supply_release(&sp);
	} else if (!strcmp(kind, "task") &&
		   json_is_integer(json_object_get(d, "task"))) {
		struct task_name n = { .r = r, .id = json_integer_value(
					       json_object_get(d, "task")) };
		const char *status = json_string_value(json_object_get(d,
								       "status"));

		store_task_list(r->st, r->x->inc.id, find_task, &n);
		if (n.title && status)
			s = xasprintf(r->zh ? "任务“%s”：%s" : "Task \"%s\": %s",
				      n.title, word(r, "status", status));
		else if (n.title)
			s = xasprintf(r->zh ? "新任务：%s → %s"
					    : "New task: %s → %s", n.title,
				      group_name(r, n.group, g, sizeof(g)));
		free(n.title);
	} else if (!strcmp(kind, "notification") &&
		   json_is_string(json_object_get(d, "event"))) {
		json_int_t n = json_integer_value(json_object_get(d, "messages"));

		s = xasprintf(r->zh ? "%s：已发出 %lld 条消息"
				    : "%s: %lld message%s queued",
			      word(r, "event", json_string_value(
						      json_object_get(d, "event"))),
			      (long long)n, r->zh || n == 1 ? "" : "s");
	} else if (!strcmp(kind, "bulletin")) {
		const char *aud = json_string_value(json_object_get(d,
								    "audience"));

		s = xasprintf("%s%s", aud && !strcmp(aud, "public")
				  ? T(r, "Public: ", "对外发布：")
				  : T(r, "Internal: ", "内部通报："), e->text);
	} else if (!strcmp(kind, "alert") &&
		   json_is_integer(json_object_get(d, "alerts"))) {
		json_int_t n = json_integer_value(json_object_get(d, "alerts"));
		const char *ch = json_string_value(json_object_get(d, "change"));

		s = ch && !strcmp(ch, "resolved")
			? xasprintf(r->zh ? "%lld 条告警已全部恢复"
					  : "All %lld alerts resolved",
				    (long long)n)
			: xasprintf(r->zh ? "又有 %lld 条告警" : "%lld more alerts",
				    (long long)n);
	}
	json_decref(d);
	return s ? s : xstrdup(e->text ? e->text : "");
}

static int tl_row(void *ctx, const struct timeline_entry *e)
{
	struct rep *r = ctx;
	char t[32], who[NAME_MAX_ + 1];
	char *text = entry_text(r, e);
	bool supply = e->data && strstr(e->data, "\"supply\"");
	const char *c[4] = { t, who, supply ? T(r, "Supplies", "物资")
					    : word(r, "kind", e->kind), text };

	when(r, e->at_ms, t);
	person(r, e->actor_id, who, sizeof(who));
	doc_row(r->d, c, !strcmp(e->kind, "breach"));
	free(text);
	return 0;
}

/* ---- tasks and action items -------------------------------------------- */

static bool is_action_item(const struct task *t)
{
	return !strncmp(t->origin, "review", 6);
}

static void task_cells(struct rep *r, const struct task *t, bool item)
{
	char g[NAME_MAX_ * 2 + 1], who[NAME_MAX_ + 1], due[32];
	const char *state = item
		? (t->status == TS_DONE ? T(r, "done", "已完成")
					: T(r, "open", "未完成"))
		: word(r, "status", task_status_name(t->status));
	char *title = task_title_in(t, r->lang);
	const char *c[5] = { title, group_name(r, t->group_key, g, sizeof(g)),
			     who, due, state };

	if (t->assignee_id)
		person(r, t->assignee_id, who, sizeof(who));
	else
		snprintf(who, sizeof(who), "—");
	when(r, t->due_ms, due);
	doc_row(r->d, c, false);
	free(title);
}

static int task_row(void *ctx, const struct task *t)
{
	if (!is_action_item(t))
		task_cells(ctx, t, false);
	return 0;
}

static int item_row(void *ctx, const struct task *t)
{
	if (is_action_item(t))
		task_cells(ctx, t, true);
	return 0;
}

/* ---- supplies, expenses, bulletins, messages ---------------------------- */

static int move_row(void *ctx, const struct movement *m)
{
	struct rep *r = ctx;
	char t[32], who[NAME_MAX_ + 1];
	char *n = xasprintf("%lld %s", (long long)m->quantity,
			    m->unit ? m->unit : "");
	const char *c[6] = { t, m->supply_name, word(r, "movement", m->kind), n,
			     who, m->note };

	when(r, m->at_ms, t);
	person(r, m->actor_id, who, sizeof(who));
	doc_row(r->d, c, false);
	free(n);
	return 0;
}

static char *money(int64_t cents)
{
	return xasprintf("¥%lld.%02lld", (long long)(cents / 100),
			 (long long)(llabs(cents) % 100));
}

static int expense_row(void *ctx, const struct expense *e)
{
	struct rep *r = ctx;
	char t[32], who[NAME_MAX_ + 1];
	char *amount;

	if (e->incident_id != r->x->inc.id)
		return 0;
	amount = money(e->amount_cents);
	when(r, e->at_ms, t);
	person(r, e->actor_id, who, sizeof(who));
	{
		const char *c[4] = { t, e->purpose, amount, who };

		doc_row(r->d, c, false);
	}
	r->cents += e->amount_cents;
	free(amount);
	return 0;
}

static int bulletin_row(void *ctx, const struct bulletin *b)
{
	struct rep *r = ctx;
	char t[32], who[NAME_MAX_ + 1];
	const char *c[4] = { t, b->public ? T(r, "Public", "对外")
					  : T(r, "Internal", "对内"),
			     who, b->text };

	when(r, b->created_ms, t);
	person(r, b->author_id, who, sizeof(who));
	doc_row(r->d, c, false);
	return 0;
}

/* Messages come newest first: kept, then written oldest first. */
static int message_keep(void *ctx, const struct notification *n)
{
	struct rep *r = ctx;
	char t[32], who[NAME_MAX_ * 2 + 1] = "";
	struct channel ch = { 0 };

	when(r, n->created_ms, t);
	if (n->user_id)
		person(r, n->user_id, who, sizeof(who));
	if (!store_channel_get(r->st, n->channel_id, &ch)) {
		if (!who[0])
			snprintf(who, sizeof(who), "%s", ch.name);
		channel_release(&ch);
	}
	if (!who[0])
		snprintf(who, sizeof(who), "%s", n->recipient ? n->recipient : "");
	json_array_append_new(r->rows, json_pack(
		"[s, s, s, s]", t, word(r, "event", n->event), who,
		word(r, "delivery", notif_state_name(n->state))));
	return 0;
}

static void supplies(struct rep *r, int *rc)
{
	const char *head[6] = { T(r, "Time", "时间"), T(r, "Supply", "物资"),
				T(r, "Movement", "类型"), T(r, "Quantity", "数量"),
				T(r, "By", "经办人"), T(r, "Note", "说明") };

	doc_heading(r->d, 2, T(r, "Supplies used", "物资使用"));
	doc_table(r->d, 6, head);
	if (!*rc)
		*rc = store_movements_of_incident(r->st, r->x->inc.id, move_row,
						  r);
}

static void expenses(struct rep *r, int64_t now_ms, int *rc)
{
	const char *head[4] = { T(r, "Time", "时间"), T(r, "Purpose", "用途"),
				T(r, "Amount", "金额"), T(r, "By", "经办人") };
	struct civil_time from, to;
	char *sum;

	doc_heading(r->d, 2, T(r, "Expenses", "应急费用"));
	doc_table(r->d, 4, head);
	civil_from_ms(r->x->inc.reported_ms, &from);
	civil_from_ms(now_ms, &to);
	for (int64_t y = from.year; !*rc && y <= to.year; y++)
		*rc = store_expenses(r->st, (int)y, expense_row, r);
	sum = money(r->cents);
	{
		const char *c[4] = { T(r, "Total", "合计"), "", sum, "" };

		doc_row(r->d, c, true);
	}
	free(sum);
}

static void bulletins(struct rep *r, int *rc)
{
	const char *head[4] = { T(r, "Time", "时间"), T(r, "Audience", "范围"),
				T(r, "By", "发布人"), T(r, "Text", "内容") };

	doc_heading(r->d, 2, T(r, "Bulletins issued", "信息发布"));
	doc_table(r->d, 4, head);
	if (!*rc)
		*rc = store_bulletin_list(r->st, r->x->inc.id, bulletin_row, r);
}

static void messages(struct rep *r, int *rc)
{
	const char *head[4] = { T(r, "Time", "时间"), T(r, "Event", "事由"),
				T(r, "To", "接收人"), T(r, "State", "状态") };
	struct notification_filter f = { .incident_id = r->x->inc.id,
					 .limit = 500 };
	size_t n;

	doc_heading(r->d, 2, T(r, "Messages sent", "通知发送"));
	doc_table(r->d, 4, head);
	r->rows = json_array();
	if (!*rc)
		*rc = store_notification_list(r->st, &f, message_keep, r);
	for (n = json_array_size(r->rows); n-- > 0;) {
		const json_t *x = json_array_get(r->rows, n);
		const char *c[4];

		for (size_t i = 0; i < 4; i++)
			c[i] = json_string_value(json_array_get(x, i));
		doc_row(r->d, c, false);
	}
	json_decref(r->rows);
	r->rows = NULL;
}

static void review(struct rep *r, int *rc)
{
	static const char *const keys[] = { "cause", "impact", "went_well",
					    "went_badly", "lessons" };
	static const char *const en[] = { "Cause", "Impact", "What went well",
					  "What went badly", "Lessons" };
	static const char *const zh[] = { "原因", "影响", "做得好的",
					  "需改进的", "经验教训" };
	const char *head[5] = { T(r, "Action item", "整改事项"),
				T(r, "Group", "小组"), T(r, "Owner", "负责人"),
				T(r, "Due", "完成期限"), T(r, "State", "状态") };
	const char *json = r->x->review_json;
	json_t *rv = json && *json ? json_loads(json, 0, NULL) : NULL;

	doc_heading(r->d, 2, T(r, "Review", "应急总结"));
	if (!rv)
		doc_para(r->d, T(r, "Not reviewed yet.", "尚未总结。"));
	for (size_t i = 0; rv && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *s = json_string_value(json_object_get(rv, keys[i]));

		if (!s || !*s)
			continue;
		doc_heading(r->d, 3, r->zh ? zh[i] : en[i]);
		doc_para(r->d, s);
	}
	json_decref(rv);
	doc_heading(r->d, 2, T(r, "Action items", "整改事项"));
	doc_table(r->d, 5, head);
	if (!*rc)
		*rc = store_task_list(r->st, r->x->inc.id, item_row, r);
}

/* The whole report of incident key as a document; NULL with *rc. */
static struct doc *build(struct store *st, const char *key, const char *lang,
			 const char *zone, int64_t now_ms, int *rc)
{
	struct incident_row x = { 0 };
	const struct plan *plan = NULL;
	struct rep r = { .st = st, .x = &x, .zh = !strcmp(lang, "zh-CN"),
			 .lang = !strcmp(lang, "zh-CN") ? "zh-CN" : "en",
			 .zone = zone && *zone ? zone : TZ_DEFAULT };
	const char *head[5] = { T(&r, "Task", "任务"), T(&r, "Group", "小组"),
				T(&r, "Owner", "负责人"), T(&r, "Due", "截止"),
				T(&r, "State", "状态") };
	const char *tl_head[4] = { T(&r, "Time", "时间"), T(&r, "By", "人员"),
				   T(&r, "Kind", "类型"), T(&r, "What", "内容") };
	char now[32], *s;

	*rc = store_incident_get(st, key, &x);
	if (!*rc)
		*rc = plan_load(st, x.plan_version_id, &plan);
	if (*rc)
		goto out;
	r.plan = plan;
	r.d = doc_new(r.lang);
	s = xasprintf("%s%s %s", x.inc.is_drill ? T(&r, "[DRILL] ", "[演练] ")
						: "", x.number, x.title);
	tz_short(now_ms, r.zone, now);
	{
		char *sub = xasprintf(r.zh ? "突发事件应急总结报告\n时间均为 %s 时间"
					   : "Incident review report\n"
					     "Times are in %s", r.zone);

		doc_title(r.d, s, sub);
		free(sub);
	}
	free(s);
	s = xasprintf(r.zh ? "%s · 生成于 %s（%s）" : "%s · generated %s (%s)",
		      x.number, now, r.zone);
	doc_footer(r.d, s);
	free(s);
	facts(&r);
	durations(&r);
	doc_heading(r.d, 2, T(&r, "Timeline", "时间线"));
	doc_table(r.d, 4, tl_head);
	*rc = store_timeline_list(st, x.inc.id, 0, tl_row, &r);
	doc_heading(r.d, 2, T(&r, "Tasks", "任务"));
	doc_table(r.d, 5, head);
	if (!*rc)
		*rc = store_task_list(st, x.inc.id, task_row, &r);
	supplies(&r, rc);
	expenses(&r, now_ms, rc);
	bulletins(&r, rc);
	messages(&r, rc);
	review(&r, rc);
out:
	plan_unref(plan);
	incident_row_release(&x);
	if (*rc) {
		doc_free(r.d);
		return NULL;
	}
	return r.d;
}

char *app_report(struct store *st, const char *key, const char *lang,
		 const char *zone, enum report_format f, int64_t now_ms,
		 size_t *len, int *rc)
{
	struct doc *d = build(st, key, lang, zone, now_ms, rc);
	char *out = NULL;

	*len = 0;
	if (!d)
		return NULL;
	switch (f) {
	case REPORT_MD:
		out = doc_markdown(d);
		break;
	case REPORT_HTML:
		out = doc_html(d);
		break;
	case REPORT_PDF:
		*rc = doc_pdf(d, &out, len);
		break;
	}
	if (out && f != REPORT_PDF)
		*len = strlen(out);
	doc_free(d);
	return out;
}
