/*
 * msgs.c - the catalog of generated texts and their rendering.
 */
#include "app/msgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/model.h"
#include "plan/plan.h"
#include "util/tz.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Keep in key order within each part; tests/unit/test-msgs.c checks that
 * both languages of a key name the same parameters. */
static const struct msg_def catalog[] = {
	/* The timeline (app_timeline_msg). */
	{ "tl.report", "上报事件：{title}", "Reported: {title}" },
	{ "tl.status", "{from} → {to}", "{from} → {to}" },
	{ "tl.status_reason", "{from} → {to}：{reason}",
	  "{from} → {to}: {reason}" },
	{ "tl.level", "{from} → {to}（{level}）", "{from} → {to} ({level})" },
	{ "tl.level_reason", "{from} → {to}（{level}）：{reason}",
	  "{from} → {to} ({level}): {reason}" },
	{ "tl.task_created", "新任务：{title} → {group}",
	  "New task: {title} → {group}" },
	{ "tl.task_status", "任务“{title}”：{status}",
	  "Task “{title}”: {status}" },
	{ "tl.breach", "超过时限：{target}", "Target missed: {target}" },
	{ "tl.notified", "{event}：已发出 {n} 条消息",
	  "{event}: {n} messages sent" },
	{ "tl.notified_one", "{event}：已发出 {n} 条消息",
	  "{event}: {n} message sent" },
	{ "tl.notify_acked", "{by} 已确认收到（{event}）",
	  "Acknowledged by {by} ({event})" },
	{ "tl.notify_acked_group", "{group}的群已确认收到（{event}）",
	  "Acknowledged in the chat of {group} ({event})" },
	{ "tl.bulletin", "{audience}：{text}",
	  "{audience} bulletin: {text}" },
	{ "tl.supply", "{movement}：{n} {unit} {name}",
	  "{movement}: {n} {unit} {name}" },
	{ "tl.alerts_more", "又有 {n} 条告警：{names}",
	  "{n} more alerts: {names}" },
	{ "tl.alerts_more_one", "又有 {n} 条告警：{names}",
	  "{n} more alert: {names}" },
	{ "tl.alerts_resolved", "{n} 条告警已全部恢复",
	  "All {n} alerts resolved" },
	{ "tl.alerts_resolved_one", "{n} 条告警已全部恢复",
	  "All alerts resolved ({n})" },
	{ "tl.assessment", "研判：{assessment}", "Assessment: {assessment}" },
	{ "tl.assessment_level", "研判：{assessment}（建议级别：{level}）",
	  "Assessment: {assessment} (proposed level: {level})" },
	{ "tl.drill_inject", "演练注入（第 {minute} 分钟）：{text}",
	  "Drill inject (minute {minute}): {text}" },
	/* The duty to report (app/regulatory.c). */
	{ "tl.reg_open", "须向监管部门报告（国家 {national} 级），初报时限 {at}",
	  "Must be reported to the regulator (national level {national}): "
	  "first report due {at}" },
	{ "tl.reg_closed", "级别已低于较大，监管报告义务关闭",
	  "Level below national III: the duty to report is closed" },
	{ "tl.reg_missed", "未在时限 {at} 前向监管部门初报",
	  "No first report to the regulator by {at}" },
	{ "tl.reg_report", "已向 {to} 报送{report}（{via}，{at}）",
	  "{report} sent to {to} ({via}, {at})" },
	/* Notification bodies (app/notify.c): times in the reader's zone. */
	{ "nt.reported_at", "上报时间：{at}", "Reported: {at}" },
	{ "nt.at", "本次时间：{at}", "This update: {at}" },
	{ "nt.breach", "未在时限内{target}", "Target missed: {target}" },
};

const struct msg_def *msg_catalog(size_t *n)
{
	*n = ARRAY_LEN(catalog);
	return catalog;
}

const struct msg_def *msg_find(const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(catalog); i++)
		if (!strcmp(catalog[i].key, key))
			return &catalog[i];
	return NULL;
}

bool msg_lang_zh(const char *lang)
{
	return !lang || strcmp(lang, "en") != 0;
}

struct word {
	const char *set, *value, *zh, *en;
};

static const struct word words[] = {
	{ "state", "none", "无", "none" },
	{ "state", "reported", "已上报", "Reported" },
	{ "state", "acknowledged", "已确认", "Acknowledged" },
	{ "state", "active", "响应中", "Active" },
	{ "state", "dismissed", "不予启动", "Dismissed" },
	{ "state", "resolved", "已处置", "Resolved" },
	{ "state", "closed", "已结束", "Closed" },
	{ "state", "reviewed", "已总结", "Reviewed" },
	{ "status", "todo", "待办", "To do" },
	{ "status", "doing", "进行中", "Doing" },
	{ "status", "done", "已完成", "Done" },
	{ "status", "blocked", "受阻", "Blocked" },
	{ "action", "report", "上报", "Report" },
	{ "action", "ack", "确认收到", "Acknowledge" },
	{ "action", "activate", "启动响应", "Activate" },
	{ "action", "dismiss", "不予启动", "Dismiss" },
	{ "action", "set-level", "调整级别", "Change level" },
	{ "action", "resolve", "处置完成", "Resolve" },
	{ "action", "reopen", "重新打开", "Reopen" },
	{ "action", "close", "宣布应急结束", "Close" },
	{ "action", "review", "填写总结", "Review" },
	{ "target", "ack", "确认", "acknowledge" },
	{ "target", "activate", "启动", "activate" },
	{ "target", "resolve", "处置", "resolve" },
	{ "event", "report", "事件报告", "Report" },
	{ "event", "escalate", "逐级上报", "Escalation" },
	{ "event", "ack", "已确认", "Acknowledged" },
	{ "event", "activate", "启动响应", "Activation" },
	{ "event", "set-level", "级别调整", "Level change" },
	{ "event", "breach", "超时提醒", "Target missed" },
	{ "event", "resolve", "处置完成", "Resolved" },
	{ "event", "reopen", "重新打开", "Reopened" },
	{ "event", "close", "应急结束", "Emergency over" },
	{ "event", "dismiss", "不予启动", "Dismissed" },
	{ "event", "bulletin", "内部通报", "Internal bulletin" },
	{ "event", "alerts.resolved", "告警已全部恢复", "Alerts resolved" },
	{ "kind", "report", "上报", "Report" },
	{ "kind", "status", "状态", "Status" },
	{ "kind", "level", "级别", "Level" },
	{ "kind", "note", "备注", "Note" },
	{ "kind", "task", "任务", "Task" },
	{ "kind", "notification", "通知", "Messages" },
	{ "kind", "bulletin", "信息发布", "Bulletin" },
	{ "kind", "alert", "告警", "Alert" },
	{ "kind", "breach", "超时", "Target missed" },
	{ "kind", "drill", "演练", "Drill" },
	{ "report", "first", "初报", "First report" },
	{ "report", "follow_up", "续报", "Follow-up report" },
	{ "report", "final", "总结报告", "Final report" },
	{ "via", "phone", "电话", "phone" },
	{ "via", "fax", "传真", "fax" },
	{ "via", "email", "电子邮件", "e-mail" },
	{ "via", "platform", "报送平台", "reporting platform" },
	{ "via", "letter", "书面函件", "letter" },
	{ "delivery", "pending", "待发送", "Pending" },
	{ "delivery", "sent", "已发送", "Sent" },
	{ "delivery", "failed", "发送失败", "Failed" },
	{ "delivery", "merged", "已合并", "Merged" },
	/* As the console's bulletin form names them. */
	{ "audience", "public", "对外发布", "Public" },
	{ "audience", "internal", "内部通报", "Internal" },
	{ "movement", "in", "入库", "In" },
	{ "movement", "out", "出库", "Out" },
	{ "movement", "allocate", "调拨", "Allocated" },
	{ "movement", "return", "归还", "Returned" },
};

const char *msg_word(const char *set, const char *value, const char *lang)
{
	if (!set || !value)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (!strcmp(words[i].set, set) &&
		    !strcmp(words[i].value, value))
			return msg_lang_zh(lang) ? words[i].zh : words[i].en;
	return NULL;
}

/* The word set of a parameter's name, or NULL. */
static const char *set_of(const char *name)
{
	static const struct { const char *name, *set; } sets[] = {
		{ "from", "state" }, { "to", "state" }, { "state", "state" },
		{ "status", "status" }, { "action", "action" },
		{ "target", "target" }, { "event", "event" },
		{ "audience", "audience" }, { "movement", "movement" },
		{ "report", "report" }, { "via", "via" },
	};

	for (size_t i = 0; i < ARRAY_LEN(sets); i++)
		if (!strcmp(sets[i].name, name))
			return sets[i].set;
	return NULL;
}

/* A name of the plan for key in list ("level", "category", "group"). */
static const char *plan_name(const struct plan *pl, const char *name,
			     const char *key, const char *lang)
{
	const json_t *t = NULL;

	if (!pl)
		return NULL;
	if (!strcmp(name, "level")) {
		const struct plan_level *l = plan_level(pl, key);

		t = l ? l->name : NULL;
	} else if (!strcmp(name, "category")) {
		const struct plan_category *c = plan_category(pl, key);

		t = c ? c->name : NULL;
	} else if (!strcmp(name, "group")) {
		const struct plan_group *g = plan_group(pl, key);

		t = g ? g->name : NULL;
	}
	return t && *plan_text(t, lang) ? plan_text(t, lang) : NULL;
}

/* Parameter `name` with value v, in lang, into b. */
static void param(struct buf *b, const char *name, const json_t *v,
		  const char *lang, const struct msg_names *n)
{
	const char *s, *w;

	if (json_is_object(v)) {
		buf_adds(b, plan_text(v, lang));
		return;
	}
	if (json_is_integer(v) && !strcmp(name, "at")) {
		char t[32];

		tz_format(t, sizeof(t), json_integer_value(v),
			  n && n->zone && *n->zone ? n->zone : TZ_DEFAULT,
			  "%Y-%m-%d %H:%M %:z");
		buf_adds(b, t);
		return;
	}
	if (json_is_integer(v)) {
		buf_addf(b, "%lld", (long long)json_integer_value(v));
		return;
	}
	if (!(s = json_string_value(v)))
		return;
	if ((w = msg_word(set_of(name), s, lang))) {
		buf_adds(b, w);
		return;
	}
	if ((w = plan_name(n ? n->plan : NULL, name, s, lang))) {
		buf_adds(b, w);
		return;
	}
	buf_adds(b, s);
}

bool msg_render(struct buf *b, const char *key, const json_t *params,
		const char *lang, const struct msg_names *names)
{
	const struct msg_def *d = msg_find(key), *one;
	const char *s;
	char k1[64];

	if (!d)
		return false;
	/* A count of one may have a template of its own: key_one. */
	if (json_integer_value(json_object_get(params, "n")) == 1 &&
	    json_is_integer(json_object_get(params, "n"))) {
		snprintf(k1, sizeof(k1), "%s_one", key);
		if ((one = msg_find(k1)))
			d = one;
	}
	s = msg_lang_zh(lang) ? d->zh : d->en;
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		char name[32];
		const json_t *v;

		if (!open || !close || (size_t)(close - open - 1) >= sizeof(name)) {
			buf_adds(b, s);
			break;
		}
		buf_add(b, s, (size_t)(open - s));
		memcpy(name, open + 1, (size_t)(close - open - 1));
		name[close - open - 1] = '\0';
		v = json_object_get(params, name);
		if (v)
			param(b, name, v, lang, names);
		else
			buf_add(b, open, (size_t)(close - open + 1));
		s = close + 1;
	}
	return true;
}

char *msg_text(const char *key, const json_t *params, const char *lang,
	       const struct msg_names *names)
{
	struct buf b = BUF_INIT;

	if (!msg_render(&b, key, params, lang, names)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}
