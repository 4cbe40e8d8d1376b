/*
 * report.c - writing the review report.
 */
#include "app/report.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "app/codec.h"
#include "app/plancache.h"
#include "core/calendar.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/xalloc.h"

struct rep {
	struct buf b;
	struct store *st;
	bool zh;
};

/* zh or en. */
static const char *T(const struct rep *r, const char *en, const char *zh)
{
	return r->zh ? zh : en;
}

/* Text people wrote: every ASCII punctuation mark backslash-escaped, new
 * lines as spaces, so it is shown literally, in a table cell too. */
static void text(struct rep *r, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '\n' || *s == '\r') {
			buf_adds(&r->b, " ");
			continue;
		}
		if (strchr("\\`*_[]<>|&~", *s))
			buf_adds(&r->b, "\\");
		buf_add(&r->b, s, 1);
	}
}

static void when(struct rep *r, int64_t ms)
{
	char t[32];

	if (!ms) {
		buf_adds(&r->b, "—");
		return;
	}
	time_fmt(ms, t);
	t[16] = '\0';		/* minutes are enough to read */
	t[10] = ' ';
	buf_addf(&r->b, "%s UTC", t);
}

static void minutes(struct rep *r, int64_t ms)
{
	int64_t s = ms / 1000;

	if (ms < 0) {
		buf_adds(&r->b, "—");
		return;
	}
	if (s >= 3600)
		buf_addf(&r->b, r->zh ? "%lld 小时 %lld 分" : "%lld h %lld min",
			 (long long)(s / 3600), (long long)(s % 3600 / 60));
	else
		buf_addf(&r->b, r->zh ? "%lld 分 %lld 秒" : "%lld min %lld s",
			 (long long)(s / 60), (long long)(s % 60));
}

static void user(struct rep *r, int64_t id)
{
	struct user u;

	if (!id || store_user_get(r->st, id, &u)) {
		buf_adds(&r->b, id ? "#?" : T(r, "the system", "系统"));
		return;
	}
	text(r, u.display_name);
}

static void row(struct rep *r, const char *label)
{
	buf_addf(&r->b, "| %s | ", label);
}

static void facts(struct rep *r, const struct incident_row *x,
		  const struct plan *plan)
{
	const char *lang = r->zh ? "zh-CN" : "en";
	const struct plan_category *cat = plan_category(plan, x->category);
	const struct plan_level *lv = x->level_key[0]
		? plan_level(plan, x->level_key) : NULL;

	buf_addf(&r->b, "## %s\n\n| | |\n|---|---|\n",
		 T(r, "Facts", "基本情况"));
	row(r, T(r, "Number", "编号"));
	buf_addf(&r->b, "%s |\n", x->number);
	row(r, T(r, "Status", "状态"));
	buf_addf(&r->b, "%s |\n", incident_state_name(x->inc.state));
	row(r, T(r, "Level", "响应级别"));
	if (lv)
		text(r, plan_text(lv->name, lang));
	else
		buf_adds(&r->b, "—");
	buf_adds(&r->b, " |\n");
	row(r, T(r, "Category", "事件分类"));
	text(r, cat ? plan_text(cat->name, lang) : x->category);
	buf_adds(&r->b, " |\n");
	row(r, T(r, "Detected", "发现时间"));
	when(r, x->inc.detected_ms);
	buf_adds(&r->b, " |\n");
	row(r, T(r, "Reported by", "报告人"));
	user(r, x->reporter_id);
	buf_adds(&r->b, " |\n");
	row(r, T(r, "Commander", "指挥"));
	user(r, x->commander_id);
	buf_adds(&r->b, " |\n");
	row(r, T(r, "Impact", "影响"));
	text(r, x->impact);
	buf_adds(&r->b, " |\n");
	row(r, T(r, "Resolution", "处置结果"));
	text(r, x->summary);
	buf_adds(&r->b, " |\n\n");
	if (x->description && *x->description) {
		text(r, x->description);
		buf_adds(&r->b, "\n\n");
	}
}

static void durations(struct rep *r, const struct incident_row *x)
{
	static const char *const en[] = { "report → acknowledged",
					  "acknowledged → activated",
					  "activated → resolved",
					  "resolved → closed" };
	static const char *const zh[] = { "报告 → 确认", "确认 → 启动",
					  "启动 → 处置完成", "处置完成 → 关闭" };
	struct inc_durations d;

	incident_durations(&x->inc, &d);
	buf_addf(&r->b, "## %s\n\n| %s | %s | %s | %s |\n|---|---|---|---|\n",
		 T(r, "Durations against targets", "处置时长与目标"),
		 T(r, "Step", "环节"), T(r, "Took", "用时"),
		 T(r, "Target", "目标"), T(r, "Result", "结果"));
	for (int i = 0; i < IST__COUNT; i++) {
		const struct inc_duration *s = &d.step[i];

		buf_addf(&r->b, "| %s | ", r->zh ? zh[i] : en[i]);
		minutes(r, s->ms);
		buf_adds(&r->b, " | ");
		if (s->target_ms)
			buf_addf(&r->b, r->zh ? "%lld 分钟内" : "within %lld min",
				 (long long)(s->target_ms / MINUTE_MS));
		else
			buf_adds(&r->b, "—");
		buf_addf(&r->b, " | %s |\n",
			 s->verdict == IV_MET ? T(r, "met", "达标")
			 : s->verdict == IV_MISSED ? T(r, "**missed**", "**超时**")
						   : "—");
	}
	buf_adds(&r->b, "\n");
}

static int tl_line(void *ctx, const struct timeline_entry *e)
{
	struct rep *r = ctx;

	buf_adds(&r->b, "- ");
	when(r, e->at_ms);
	buf_adds(&r->b, " · ");
	user(r, e->actor_id);
	buf_addf(&r->b, " · %s · ", e->kind);
	text(r, e->text);
	buf_adds(&r->b, "\n");
	return 0;
}

static int task_line(void *ctx, const struct task *t)
{
	struct rep *r = ctx;

	buf_adds(&r->b, "| ");
	text(r, t->title);
	buf_addf(&r->b, " | %s | %s | %s |\n", t->group_key,
		 task_status_name(t->status),
		 !strncmp(t->origin, "review", 6) ? T(r, "action item", "行动项")
		 : !strncmp(t->origin, "measure", 7) ? T(r, "measure", "预案措施")
						     : "");
	return 0;
}

static void review(struct rep *r, const char *json)
{
	static const char *const keys[] = { "cause", "impact", "went_well",
					    "went_badly", "lessons" };
	static const char *const en[] = { "Cause", "Impact", "What went well",
					  "What went badly", "Lessons" };
	static const char *const zh[] = { "原因", "影响", "做得好的",
					  "需改进的", "经验教训" };
	json_t *rv = json && *json ? json_loads(json, 0, NULL) : NULL;

	buf_addf(&r->b, "## %s\n\n", T(r, "Review", "应急总结"));
	if (!rv) {
		buf_addf(&r->b, "%s\n\n", T(r, "Not reviewed yet.", "尚未总结。"));
		return;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *s = json_string_value(json_object_get(rv, keys[i]));

		if (!s || !*s)
			continue;
		buf_addf(&r->b, "### %s\n\n", r->zh ? zh[i] : en[i]);
		text(r, s);
		buf_adds(&r->b, "\n\n");
	}
	json_decref(rv);
}

char *app_report_markdown(struct store *st, const char *key, const char *lang,
			  int *rc)
{
	struct rep r = { .b = BUF_INIT, .st = st, .zh = !strcmp(lang, "zh-CN") };
	struct incident_row x = { 0 };
	const struct plan *plan = NULL;

	*rc = store_incident_get(st, key, &x);
	if (!*rc)
		*rc = plan_load(st, x.plan_version_id, &plan);
	if (*rc)
		goto out;
	buf_addf(&r.b, "# %s%s ", x.inc.is_drill ? T(&r, "[DRILL] ", "[演练] ")
						 : "", x.number);
	text(&r, x.title);
	buf_addf(&r.b, "\n\n%s\n\n", T(&r, "Incident review report",
				       "突发事件应急总结报告"));
	facts(&r, &x, plan);
	durations(&r, &x);
	buf_addf(&r.b, "## %s\n\n", T(&r, "Timeline", "时间线"));
	*rc = store_timeline_list(st, x.inc.id, 0, tl_line, &r);
	buf_addf(&r.b, "\n## %s\n\n| %s | %s | %s | |\n|---|---|---|---|\n",
		 T(&r, "Tasks", "任务"), T(&r, "Task", "任务"),
		 T(&r, "Group", "小组"), T(&r, "Status", "状态"));
	if (!*rc)
		*rc = store_task_list(st, x.inc.id, task_line, &r);
	buf_adds(&r.b, "\n");
	review(&r, x.review_json);
out:
	plan_unref(plan);
	incident_row_release(&x);
	if (*rc) {
		buf_release(&r.b);
		return NULL;
	}
	return buf_detach(&r.b, NULL);
}

char *app_report_html(struct store *st, const char *key, const char *lang,
		      int *rc)
{
	char *md = app_report_markdown(st, key, lang, rc), *body;
	struct buf b = BUF_INIT;

	if (!md)
		return NULL;
	body = plan_markdown_html(md, strlen(md));
	buf_addf(&b, "<!doctype html>\n<html lang=\"%s\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<title>%s</title>\n"
		 "<link rel=\"stylesheet\" href=\"/report.css\">\n</head>\n"
		 "<body>\n<article class=\"report\">\n%s</article>\n"
		 "</body>\n</html>\n", lang,
		 strcmp(lang, "zh-CN") ? "Incident review report"
				       : "突发事件应急总结报告", body);
	free(md);
	free(body);
	return buf_detach(&b, NULL);
}
