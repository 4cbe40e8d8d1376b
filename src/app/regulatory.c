/*
 * regulatory.c - the duty to report to regulators (app/regulatory.h).
 */
#include "app/regulatory.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/codec.h"
#include "app/notify.h"
#include "app/plancache.h"
#include "app/regstate.h"
#include "app/timeline.h"
#include "core/calendar.h"
#include "core/regulatory.h"
#include "doc/doc.h"
#include "doc/pdf.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/csv.h"
#include "util/tz.h"
#include "util/xalloc.h"

#define DUE_BATCH 100
#define CONTENT_MAX 20000

/* ---- the organisation: its kind, zone and working days ---- */

struct org {
	struct organisation o;
	int op;
	const char *zone;
	int32_t *days[2];	/* holidays, workdays: yyyymmdd, sorted */
	size_t ndays[2];
	struct workcal cal;
};

static int cmp_ymd(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* The calendar's lists of every year as sorted yyyymmdd arrays. */
static void load_calendar(struct org *g)
{
	static const char *const lists[] = { "holidays", "workdays" };
	json_t *cal = json_loads(g->o.calendar_json ? g->o.calendar_json : "{}",
				 0, NULL);
	const char *year;
	json_t *y;

	for (int k = 0; k < 2; k++) {
		size_t n = 0, cap = 0, i;

		json_object_foreach(cal, year, y)
			cap += json_array_size(json_object_get(y, lists[k]));
		g->days[k] = xcalloc(cap + 1, sizeof(int32_t));
		json_object_foreach(cal, year, y) {
			json_t *d;

			json_array_foreach(json_object_get(y, lists[k]), i, d) {
				int a, b, c;
				const char *s = json_string_value(d);

				if (s && sscanf(s, "%4d-%2d-%2d", &a, &b, &c) == 3)
					g->days[k][n++] = a * 10000 + b * 100 + c;
			}
		}
		qsort(g->days[k], n, sizeof(int32_t), cmp_ymd);
		g->ndays[k] = n;
	}
	json_decref(cal);
	g->cal = (struct workcal){ g->days[0], g->ndays[0], g->days[1],
				   g->ndays[1] };
}

static int org_load(struct store *st, struct org *g)
{
	int rc;

	*g = (struct org){ 0 };
	rc = store_org_get(st, &g->o);
	g->op = reg_operator_parse(g->o.operator_type);
	if (g->op < 0)
		g->op = OP_OTHER;
	g->zone = tz_valid(g->o.time_zone) ? g->o.time_zone : TZ_DEFAULT;
	load_calendar(g);
	return rc;
}

static void org_release(struct org *g)
{
	organisation_release(&g->o);
	free(g->days[0]);
	free(g->days[1]);
}

/* The day of ms in zone, as days since 1970-01-01. */
static int64_t local_day(int64_t ms, const char *zone)
{
	return cal_floor_div(ms + tz_offset_s(zone, ms) * SECOND_MS, DAY_MS);
}

/* The first millisecond of day `days` in zone. */
static int64_t day_start(int64_t days, const char *zone)
{
	int64_t t = days * DAY_MS;

	return t - tz_offset_s(zone, t - 12 * HOUR_MS) * SECOND_MS;
}

/* The end of the working day REG_FINAL_WORKDAYS after the day of end_ms. */
static int64_t final_due(const struct org *g, int64_t end_ms)
{
	int64_t d = workcal_add(&g->cal, local_day(end_ms, g->zone),
				REG_FINAL_WORKDAYS);

	return day_start(d + 1, g->zone) - SECOND_MS;
}

/* ---- the obligation on the row ---- */

static void save_state(struct incident_row *r, const struct reg_obligation *o,
		       const json_t *reports)
{
	free(r->regulatory);
	r->regulatory = regstate_dump(o, reports);
	r->reg_next_ms = reg_next_ms(o);
	r->reg_opened_ms = o->opened_ms;
}

int app_reg_step(struct store *st, struct incident_row *r,
		 const struct plan_level *level, bool resolved, int64_t now_ms,
		 bool *opened, bool *closed)
{
	struct reg_obligation o;
	json_t *reports;
	struct org g;
	int rc;

	*opened = *closed = false;
	regstate_load(r->regulatory, &o, &reports);
	if (!level && (!resolved || o.status == REG_NONE)) {
		json_decref(reports);
		return 0;
	}
	if ((rc = org_load(st, &g)))
		goto out;
	if (level) {
		enum reg_status was = o.status;

		*opened = reg_on_level(&o, reg_national_parse(
						   level->national_level),
				       g.op, r->inc.detected_ms
					     ? r->inc.detected_ms
					     : r->inc.reported_ms,
				       r->inc.is_drill, now_ms);
		*closed = was == REG_DUE && o.status == REG_CLOSED;
	}
	if (resolved)
		o.final_due_ms = final_due(&g, now_ms);
	save_state(r, &o, reports);
out:
	org_release(&g);
	json_decref(reports);
	return rc;
}

/* ---- notices ---- */

struct notice_text {
	const char *zh, *en;
};

static const struct notice_text subjects[RN__COUNT] = {
	[RN_OPEN] = { "须向监管部门报告：%s%s，初报时限 %s",
		      "Report to the regulator: %s%s, first report due %s" },
	[RN_HALF] = { "监管报告时限已过半：%s%s，须在 %s 前初报",
		      "Half the time to report has gone: %s%s, due %s" },
	[RN_TEN] = { "监管报告还剩 10 分钟：%s%s，须在 %s 前初报",
		     "10 minutes left to report: %s%s, due %s" },
	[RN_MISSED] = { "监管报告已逾期：%s%s，时限 %s 前未初报",
			"Report to the regulator missed: %s%s, due %s" },
};

static int notice(struct store *st, const struct incident_row *r,
		  const struct plan *plan, const struct reg_obligation *o,
		  enum reg_notice n, int64_t now_ms)
{
	const char *groups[2];
	size_t ng = 0;
	char due[32], path[64], *sz, *se, *tz_, *te;
	char zone[64] = TZ_DEFAULT;
	struct organisation org = { 0 };
	int queued, rc;

	if (!store_org_get(st, &org) && tz_valid(org.time_zone))
		snprintf(zone, sizeof(zone), "%s", org.time_zone);
	organisation_release(&org);
	if ((groups[ng] = notify_kind_group(plan, "command")))
		ng++;
	if ((groups[ng] = notify_kind_group(plan, "leadership")))
		ng++;
	tz_local(o->deadline_ms, zone, due);
	snprintf(path, sizeof(path), "#/incidents/%s", r->number);
	sz = xasprintf(subjects[n].zh, o->drill ? "[演练] " : "", r->number,
		       due);
	se = xasprintf(subjects[n].en, o->drill ? "[DRILL] " : "", r->number,
		       due);
	tz_ = xasprintf("%s\n国家事件级别 %s（%s），按《国家网络安全事件报告管理"
			"办法》须在发现后 %d 分钟内初报。\n时限：%s",
			r->title, reg_national_name(o->national),
			o->national == 1 ? "特别重大"
			: o->national == 2 ? "重大" : "较大",
			reg_deadline_min(o->op), due);
	te = xasprintf("%s\nNational level %s: the first report is due within "
		       "%d minutes of discovery.\nDeadline: %s", r->title,
		       reg_national_name(o->national),
		       reg_deadline_min(o->op), due);
	{
		char event[32];
		struct notify_plan_msg m = {
			.event = event, .subject_zh = sz, .text_zh = tz_,
			.subject_en = se, .text_en = te, .path = path,
			.groups = groups, .ngroups = ng,
		};

		snprintf(event, sizeof(event), "regulatory.%s",
			 reg_notice_name(n));
		rc = notify_plan(st, &m, now_ms, &queued);
	}
	free(sz);
	free(se);
	free(tz_);
	free(te);
	return rc;
}

int app_reg_told(struct store *st, const struct incident_row *r,
		 const struct plan *plan, bool opened, bool closed,
		 int64_t now_ms)
{
	struct reg_obligation o;
	int rc = 0;

	if (!opened && !closed)
		return 0;
	regstate_load(r->regulatory, &o, NULL);
	if (opened)
		rc = app_timeline_msg(
		    st, r->inc.id, 0, "level", "tl.reg_open",
		    json_pack("{s:s, s:I}", "national",
			      reg_national_name(o.national), "at",
			      (json_int_t)o.deadline_ms),
		    json_pack("{s:s}", "regulatory", "open"), now_ms);
	else
		rc = app_timeline_msg(st, r->inc.id, 0, "level",
				      "tl.reg_closed", NULL,
				      json_pack("{s:s}", "regulatory", "closed"),
				      now_ms);
	if (!rc && opened)
		rc = notice(st, r, plan, &o, RN_OPEN, now_ms);
	return rc;
}

bool app_reg_due(struct store *st, int64_t now_ms)
{
	int64_t next = 0;

	return !store_incident_reg_next(st, &next) && next && next <= now_ms;
}

static int collect(void *ctx, const struct incident_row *r)
{
	json_array_append_new(ctx, json_integer(r->inc.id));
	return 0;
}

int app_reg_tick(struct plan_cache *pc, struct store *st, int64_t now_ms,
		 int *count)
{
	json_t *ids = json_array(), *id;
	int rc = store_incident_reg_due(st, now_ms, DUE_BATCH, collect, ids);
	size_t i;

	*count = 0;
	json_array_foreach(ids, i, id) {
		struct incident_row r = { 0 };
		struct reg_obligation o;
		const struct plan *pl = NULL;
		enum reg_notice n;
		json_t *reports;

		if (rc || (rc = store_incident_get_id(st, json_integer_value(id),
						       &r)))
			break;
		regstate_load(r.regulatory, &o, &reports);
		n = reg_due(&o, now_ms);
		save_state(&r, &o, reports);
		json_decref(reports);
		rc = store_incident_set_regulatory(st, &r);
		if (!rc && n != RN__COUNT)
			rc = plan_cache_get(pc, st, r.plan_version_id, &pl);
		if (!rc && n != RN__COUNT)
			rc = notice(st, &r, pl, &o, n, now_ms);
		if (!rc && n == RN_MISSED)
			rc = app_timeline_msg(
			    st, r.inc.id, 0, "breach", "tl.reg_missed",
			    json_pack("{s:I}", "at", (json_int_t)o.deadline_ms),
			    json_pack("{s:s}", "regulatory", "missed"), now_ms);
		if (!rc && n == RN_MISSED)
			rc = app_incident_audit(st, NULL, "regulatory.missed",
						&r, "", now_ms);
		if (!rc)
			rc = app_incident_event(st, &r, now_ms);
		if (!rc && n != RN__COUNT)
			(*count)++;
		plan_unref(pl);
		incident_row_release(&r);
	}
	json_decref(ids);
	return rc;
}

/* ---- the content of a report ---- */

enum { K_FIRST = 1 << RK_FIRST, K_FOLLOW = 1 << RK_FOLLOW_UP,
       K_FINAL = 1 << RK_FINAL, K_ALL = K_FIRST | K_FOLLOW | K_FINAL,
       K_NEWS = K_FIRST | K_FOLLOW };

/* The items in the order of the 办法 (art. 5) and, for the final
 * report, of its summary (cause, measures, harm, accountability,
 * rectification, lessons). sec: the numbered section it is under. */
static const struct item {
	const char *key;
	unsigned kinds;
	int sec;
	const char *zh, *en;
} items[] = {
	{ "unit", K_ALL, 1, "单位名称", "Organisation" },
	{ "system", K_ALL, 1, "涉事系统", "System" },
	{ "discovered_at", K_ALL, 1, "发现（发生）时间", "Discovered at" },
	{ "place", K_ALL, 1, "发生地点", "Place" },
	{ "category", K_ALL, 2, "事件类型", "Category" },
	{ "level", K_ALL, 2, "事件级别", "Level" },
	{ "impact", K_NEWS, 2, "已造成的影响和危害", "Impact and harm so far" },
	{ "cause", K_FINAL, 3, "原因分析", "Cause" },
	{ "measures", K_ALL, 3, "已采取的措施及效果",
	  "Measures taken and their effect" },
	{ "trend", K_NEWS, 4, "事态发展趋势及可能造成的进一步影响",
	  "Trend and possible further harm" },
	{ "cause", K_NEWS, 5, "初步原因分析", "Preliminary cause" },
	{ "next_steps", K_NEWS, 6, "下一步应对措施", "Further measures planned" },
	{ "support", K_NEWS, 6, "需要支持的事项", "Support requested" },
	{ "scene", K_NEWS, 7, "现场保护情况", "Protection of the scene" },
	{ "clues", K_NEWS, 8, "溯源追踪线索", "Clues for tracing the source" },
	{ "harm", K_FINAL, 4, "事件危害", "Harm" },
	{ "accountability", K_FINAL, 5, "责任认定与处理", "Accountability" },
	{ "rectification", K_FINAL, 6, "整改措施", "Rectification" },
	{ "lessons", K_FINAL, 7, "经验教训", "Lessons" },
	{ "other", K_ALL, 9, "其他情况", "Other" },
};

static const char *const sections_news[] = {
	NULL, "一、单位、系统、时间和地点", "二、事件类型、级别、影响和危害",
	"三、已采取的措施及效果", "四、事态发展趋势", "五、初步原因分析",
	"六、下一步措施及需要的支持", "七、现场保护情况", "八、溯源追踪线索",
	"九、其他情况",
};
static const char *const sections_final[] = {
	NULL, "一、基本情况", "二、事件类型和级别", "三、原因分析与处置措施",
	"四、事件危害", "五、责任认定与处理", "六、整改措施", "七、经验教训",
	NULL, "八、其他情况",
};

static bool item_of(const struct item *it, int kind)
{
	return it->kinds & (1u << kind);
}

/* Is key a content item of kind? */
static bool is_item(const char *key, int kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(items); i++)
		if (item_of(&items[i], kind) && !strcmp(items[i].key, key))
			return true;
	return false;
}

/* 网络安全事件类别 of GB/T 20986-2023 (its classes, and the subclasses
 * the default categories map to: domain research §1.2, §4.5). */
static const struct { const char *code, *name; } gbt[] = {
	{ "MP", "恶意程序事件" }, { "NA", "网络攻击事件" },
	{ "DS", "数据安全事件" }, { "IC", "信息内容安全事件" },
	{ "DE", "设备设施故障事件" }, { "RO", "违规操作事件" },
	{ "SHE", "安全隐患事件" }, { "AB", "异常行为事件" },
	{ "FOC", "不可抗力事件" }, { "OTH", "其他事件" },
	{ "MPRANS", "勒索软件" }, { "NADOS", "拒绝服务" },
	{ "NAHACKED", "失陷主机" }, { "NAWEBMOD", "网页篡改" },
	{ "NAPHISH", "网络钓鱼" }, { "NAEXPLOIT", "漏洞利用" },
	{ "NAAPT", "APT" }, { "NASUPPLY", "供应链攻击" },
	{ "DSDATALEAK", "数据泄露" }, { "DSDATALOSS", "数据损失" },
	{ "DETECH", "技术故障" }, { "DEACCFAC", "配套设施故障" },
	{ "DEPHYS", "物理损害" }, { "ROPMISTAKE", "误操作" },
	{ "SHEVULN", "网络漏洞" }, { "SHECONFIG", "网络配置合规缺陷" },
	{ "FOCDISASTER", "自然灾害" },
};

static const char *gbt_name(const char *code, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(gbt); i++)
		if (strlen(gbt[i].code) == len && !strncmp(gbt[i].code, code, len))
			return gbt[i].name;
	return NULL;
}

/* "DE/DETECH 设备设施故障事件 / 技术故障（系统故障）" */
static void category_text(struct buf *b, const struct plan *plan,
			  const char *key)
{
	const struct plan_category *c = plan ? plan_category(plan, key) : NULL;
	const char *code = c && *c->class_code ? c->class_code : "";
	size_t cls = strcspn(code, "/");
	const char *sub = code[cls] ? code + cls + 1 : "";
	const char *n1 = gbt_name(code, cls), *n2 = gbt_name(sub, strlen(sub));

	if (*code)
		buf_addf(b, "%s %s%s%s", code, n1 ? n1 : "",
			   n2 ? " / " : "", n2 ? n2 : "");
	buf_addf(b, "%s%s%s%s", *code ? "（GB/T 20986-2023）" : "",
		   *code ? "；本单位分类：" : "",
		   c ? plan_text(c->name, "zh-CN") : key, "");
}

struct tasks_text {
	struct buf done, open;
	int ndone, nopen;
	const char *zone;
	const struct plan *plan;	/* the groups' names; NULL: their keys */
};

/* The name in Chinese of the plan's group key, else the key. */
static const char *group_name(const struct plan *plan, const char *key)
{
	const struct plan_group *g = plan ? plan_group(plan, key) : NULL;

	return g ? plan_text(g->name, "zh-CN") : key;
}

static int task_line(void *ctx, const struct task *t)
{
	struct tasks_text *x = ctx;
	char at[32];

	if (t->status == TS_DONE) {
		tz_short(t->updated_ms, x->zone, at);
		buf_addf(&x->done, "%s%d. %s（%s，%s 完成）", x->ndone ? "\n" : "",
			   x->ndone + 1, t->title,
			   group_name(x->plan, t->group_key), at);
		x->ndone++;
	} else {
		buf_addf(&x->open, "%s%d. %s（%s）", x->nopen ? "\n" : "",
			   x->nopen + 1, t->title,
			   group_name(x->plan, t->group_key));
		x->nopen++;
	}
	return 0;
}

static void set_text(json_t *c, const char *key, const char *text)
{
	json_object_set_new(c, key, json_string(text ? text : ""));
}

/* A review's field (text, or a list of texts / of {title}) as lines. */
static void review_text(struct buf *b, const json_t *review, const char *k)
{
	const json_t *v = json_object_get(review, k), *x;
	size_t i;

	if (json_is_string(v)) {
		buf_adds(b, json_string_value(v));
		return;
	}
	json_array_foreach(v, i, x) {
		const char *s = json_is_string(x) ? json_string_value(x)
			      : json_string_value(json_object_get(x, "title"));

		if (s)
			buf_addf(b, "%s%zu. %s", i ? "\n" : "", i + 1, s);
	}
}

/*
 * The content the incident gives now for kind: facts, measures done,
 * next steps open; a follow-up starts from the previous report's content
 * (prev, may be NULL) with the facts of now.
 */
static json_t *prefill(struct store *st, const struct incident_row *r,
		       const struct plan *plan, const struct org *g, int kind,
		       const json_t *prev, int *rc)
{
	json_t *c = prev && kind != RK_FINAL ? json_deep_copy(prev)
					    : json_object();
	json_t *review = r->review_json && *r->review_json
				 ? json_loads(r->review_json, 0, NULL) : NULL;
	const struct plan_level *l = plan && r->level_key[0]
					     ? plan_level(plan, r->level_key)
					     : NULL;
	struct tasks_text t = { BUF_INIT, BUF_INIT, 0, 0, g->zone, plan };
	struct reg_obligation o;
	struct buf b = BUF_INIT;
	char at[32];

	regstate_load(r->regulatory, &o, NULL);
	*rc = store_task_list(st, r->inc.id, task_line, &t);
	set_text(c, "unit", g->o.name);
	if (!json_object_get(c, "system"))
		set_text(c, "system", plan ? plan_text(plan->name, "zh-CN") : "");
	tz_local(r->inc.detected_ms ? r->inc.detected_ms : r->inc.reported_ms,
		 g->zone, at);
	set_text(c, "discovered_at", at);
	if (!json_object_get(c, "place"))
		set_text(c, "place", "");
	category_text(&b, plan, r->category);
	set_text(c, "category", buf_str(&b));
	buf_reset(&b);
	buf_addf(&b, "%s", l ? plan_text(l->name, "zh-CN") : r->level_key);
	if (o.national)
		buf_addf(&b, "（对应国家网络安全事件级别 %s 级，%s）",
			   reg_national_name(o.national),
			   o.national == 1 ? "特别重大"
			   : o.national == 2 ? "重大" : "较大");
	set_text(c, "level", buf_str(&b));
	buf_reset(&b);
	if (kind != RK_FINAL)
		set_text(c, "impact", r->impact);
	/* the tasks done, then the resolution once there is one */
	if (r->summary && *r->summary)
		buf_addf(&t.done, "%s处置结果：%s", t.ndone ? "\n" : "",
			 r->summary);
	set_text(c, "measures", t.done.len ? buf_str(&t.done)
					   : "（尚无已完成的处置措施）");
	if (kind != RK_FINAL) {
		set_text(c, "next_steps", buf_str(&t.open));
		if (!json_object_get(c, "cause"))
			set_text(c, "cause", r->assessment);
		for (size_t i = 0; i < ARRAY_SIZE(items); i++)
			if (item_of(&items[i], kind) &&
			    !json_object_get(c, items[i].key))
				set_text(c, items[i].key, "");
	} else {
		review_text(&b, review, "cause");
		set_text(c, "cause", b.len ? buf_str(&b) : r->assessment);
		buf_reset(&b);
		review_text(&b, review, "impact");
		set_text(c, "harm", b.len ? buf_str(&b) : r->impact);
		buf_reset(&b);
		set_text(c, "accountability", "");
		review_text(&b, review, "action_items");
		set_text(c, "rectification", buf_str(&b));
		buf_reset(&b);
		review_text(&b, review, "lessons");
		if (json_object_get(review, "went_badly")) {
			if (b.len)
				buf_adds(&b, "\n");
			review_text(&b, review, "went_badly");
		}
		set_text(c, "lessons", buf_str(&b));
		set_text(c, "other", "");
	}
	buf_release(&b);
	buf_release(&t.done);
	buf_release(&t.open);
	json_decref(review);
	return c;
}

/* ---- reading an incident and its reports ---- */

struct ctx {
	struct incident_row r;
	const struct plan *plan;
	struct org g;
	struct reg_obligation o;
	json_t *refs;
};

static void ctx_release(struct ctx *x)
{
	incident_row_release(&x->r);
	plan_unref(x->plan);
	org_release(&x->g);
	json_decref(x->refs);
}

static int ctx_load(struct store *st, const struct principal *p,
		    const char *key, enum action a, struct ctx *x,
		    struct errbuf *e)
{
	int rc = app_may(p, a, NULL, e);

	*x = (struct ctx){ 0 };
	if (rc)
		return rc;
	rc = store_incident_get(st, key, &x->r);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(e, rc, "not_found", "no incident '%s'", key);
	if (!rc)
		rc = plan_load(st, x->r.plan_version_id, &x->plan);
	if (!rc)
		rc = org_load(st, &x->g);
	regstate_load(x->r.regulatory, &x->o, &x->refs);
	return rc;
}

static json_t *report_json(const struct reg_report *x, const char *number,
			   bool content)
{
	char num[48];
	json_t *j;

	snprintf(num, sizeof(num), "%s-R%d", number, x->n);
	j = json_pack("{s:i, s:s, s:{s:I, s:s}, s:s, s:s, s:s, s:o, s:o,"
		      " s:{s:I, s:s}, s:o, s:o}",
		      "n", x->n, "number", num, "incident", "id",
		      (json_int_t)x->incident_id, "number", number, "kind",
		      x->kind, "to", x->recipient, "via", x->via, "sent_at",
		      json_time(x->sent_ms), "recorded_at",
		      json_time(x->recorded_ms), "recorded_by", "id",
		      (json_int_t)x->recorded_by, "name", x->recorded_by_name,
		      "on_time", x->on_time < 0 ? json_null()
						: json_boolean(x->on_time),
		      "changes", json_loads(x->changes, 0, NULL) ?: json_array());
	if (content)
		json_object_set_new(j, "content",
				    json_loads(x->content, 0, NULL)
					?: json_object());
	return j;
}

struct list_ctx {
	json_t *items;
	const char *number;
	bool content;
	json_t *last_content;	/* the newest report's */
	int64_t last_sent_ms;	/* when it went; 0: none yet */
};

static int list_one(void *ctx, const struct reg_report *x)
{
	struct list_ctx *l = ctx;

	json_array_append_new(l->items, report_json(x, l->number, l->content));
	json_decref(l->last_content);
	l->last_content = json_loads(x->content, 0, NULL);
	l->last_sent_ms = x->sent_ms;
	return 0;
}

int app_reg_draft(struct store *st, const struct principal *p,
		  const char *key, const char *kind, const char *lang,
		  int64_t now_ms, json_t **out, struct errbuf *e)
{
	struct list_ctx l = { json_array(), "", false, NULL, 0 };
	int k = reg_kind_parse(kind ? kind : "first"), rc;
	json_t *labels = json_array(), *content = NULL;
	struct ctx x;
	bool zh = !lang || strcmp(lang, "en");

	(void)now_ms;
	if (k < 0) {
		json_decref(l.items);
		json_decref(labels);
		return err_fail(e, ERMS_EINVAL, "kind",
				"kind must be first, follow_up or final");
	}
	rc = ctx_load(st, p, key, A_INC_READ, &x, e);
	if (!rc)
		rc = store_reg_report_list(st, x.r.inc.id, 0, list_one, &l);
	if (!rc)
		content = prefill(st, &x.r, x.plan, &x.g, k, l.last_content, &rc);
	for (size_t i = 0; !rc && i < ARRAY_SIZE(items); i++)
		if (item_of(&items[i], k))
			json_array_append_new(
			    labels, json_pack("{s:s, s:s}", "key", items[i].key,
					      "label", zh ? items[i].zh
							  : items[i].en));
	if (!rc)
		*out = json_pack("{s:s, s:O, s:O}", "kind", reg_kind_name(k),
				 "content", content, "items", labels);
	json_decref(content);
	json_decref(labels);
	json_decref(l.items);
	json_decref(l.last_content);
	ctx_release(&x);
	return rc;
}

static const char *const vias[] = { "phone", "fax", "email", "platform",
				     "letter" };

static bool via_valid(const char *v)
{
	for (size_t i = 0; v && i < ARRAY_SIZE(vias); i++)
		if (!strcmp(vias[i], v))
			return true;
	return false;
}

/* The keys of c whose text differs from prev's, in the items' order. */
static json_t *changes_of(const json_t *prev, const json_t *c, int kind)
{
	json_t *ch = json_array();

	if (!prev)
		return ch;
	for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
		const json_t *a, *b;

		if (!item_of(&items[i], kind))
			continue;
		a = json_object_get(prev, items[i].key);
		b = json_object_get(c, items[i].key);
		if (strcmp(json_string_value(a) ?: "",
			   json_string_value(b) ?: ""))
			json_array_append_new(ch, json_string(items[i].key));
	}
	return ch;
}

int app_reg_record(struct store *st, const struct principal *p,
		   const char *key, const json_t *body, int64_t sent_ms,
		   int64_t now_ms, json_t **out, struct errbuf *e)
{
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const char *to = json_string_value(json_object_get(body, "to"));
	const char *via = json_string_value(json_object_get(body, "via"));
	const json_t *given = json_object_get(body, "content");
	struct list_ctx l = { json_array(), "", false, NULL, 0 };
	json_t *content = NULL, *changes = NULL;
	int k = reg_kind_parse(kind), on_time, rc;
	bool before_prev;
	struct ctx x;
	char *ctext = NULL, *chtext = NULL;
	const char *ck;
	json_t *cv;

	if (k < 0) {
		json_decref(l.items);
		return err_fail(e, ERMS_EINVAL, "kind",
				"kind must be first, follow_up or final");
	}
	if (!via_valid(via)) {
		json_decref(l.items);
		return err_fail(e, ERMS_EINVAL, "via", "via must be phone, fax, "
				"email, platform or letter");
	}
	if (!to || !*to) {
		json_decref(l.items);
		return err_fail(e, ERMS_EINVAL, "to", "name the regulator the "
				"report went to");
	}
	json_object_foreach((json_t *)given, ck, cv) {
		char field[48];

		snprintf(field, sizeof(field), "content.%.32s", ck);
		if (!is_item(ck, k) || !json_is_string(cv) ||
		    json_string_length(cv) > CONTENT_MAX) {
			json_decref(l.items);
			return err_fail(e, ERMS_EINVAL, field, is_item(ck, k)
					? "each content item is a text of at "
					  "most 20000 bytes"
					: "not an item of this kind of report");
		}
	}
	if (!sent_ms)
		sent_ms = now_ms;
	if (sent_ms > now_ms + MINUTE_MS) {
		json_decref(l.items);
		return err_fail(e, ERMS_EINVAL, "sent_at",
				"a report cannot be sent in the future");
	}
	rc = ctx_load(st, p, key, A_REG_RECORD, &x, e);
	if (rc)
		goto out;
	if (x.o.status == REG_NONE) {
		rc = err_ret(e, ERMS_ECONFLICT, "conflict", "incident %s has "
			     "no duty to report: its level never reached "
			     "national level III", x.r.number);
		goto out;
	}
	l.number = x.r.number;
	if ((rc = store_reg_report_list(st, x.r.inc.id, 0, list_one, &l)))
		goto out;
	/* Not in a minute before the discovery the deadline counts from,
	 * nor before the report it follows: a backdated report would pass
	 * for one in time. By the minute: a form gives the time so. */
	before_prev = sent_ms / MINUTE_MS < l.last_sent_ms / MINUTE_MS;
	if (before_prev || sent_ms / MINUTE_MS < x.o.detected_ms / MINUTE_MS) {
		rc = err_fail(e, ERMS_EINVAL, "sent_at", before_prev
			      ? "a report cannot be sent before the one it "
				"follows"
			      : "a report cannot be sent before the incident "
				"was discovered");
		goto out;
	}
	if (reg_on_report(&x.o, k, sent_ms, &on_time)) {
		rc = err_ret(e, ERMS_ECONFLICT, "conflict", k == RK_FIRST
			     ? "a first report was recorded: record a follow_up"
			     : "record the first report before this one");
		goto out;
	}
	content = prefill(st, &x.r, x.plan, &x.g, k, l.last_content, &rc);
	if (rc)
		goto out;
	json_object_update(content, (json_t *)given);
	changes = changes_of(l.last_content, content, k);
	ctext = json_dumps(content, JSON_COMPACT | JSON_PRESERVE_ORDER);
	chtext = json_dumps(changes, JSON_COMPACT);
	{
		struct reg_report rep = {
			.incident_id = x.r.inc.id, .n = x.o.reports,
			.kind = reg_kind_name(k), .recipient = to, .via = via,
			.sent_ms = sent_ms, .content = ctext,
			.changes = chtext, .on_time = on_time,
			.recorded_by = p->user.id,
			.recorded_by_name = p->user.display_name,
			.recorded_ms = now_ms,
		};
		char extra[160];

		if ((rc = store_reg_report_insert(st, &rep)))
			goto out;
		json_array_append_new(x.refs,
				      json_pack("{s:i, s:s, s:I}", "n", rep.n,
						"kind", rep.kind, "sent",
						(json_int_t)sent_ms));
		save_state(&x.r, &x.o, x.refs);
		rc = app_incident_save(st, p, &x.r, now_ms);
		if (!rc)
			rc = app_timeline_msg(
			    st, x.r.inc.id, p->user.id, "notification",
			    "tl.reg_report",
			    json_pack("{s:s, s:s, s:s, s:I}", "report",
				      rep.kind, "to", to, "via", via, "at",
				      (json_int_t)sent_ms),
			    json_pack("{s:s, s:i, s:s}", "regulatory", "report",
				      "n", rep.n, "kind", rep.kind), now_ms);
		snprintf(extra, sizeof(extra), " report=%d kind=%s via=%s%s",
			 rep.n, rep.kind, via, on_time == 0 ? " late" : "");
		if (!rc)
			rc = app_incident_audit(st, p, "regulatory.report",
						&x.r, extra, now_ms);
		if (!rc)
			*out = report_json(&rep, x.r.number, true);
	}
out:
	free(ctext);
	free(chtext);
	json_decref(content);
	json_decref(changes);
	json_decref(l.items);
	json_decref(l.last_content);
	ctx_release(&x);
	return rc;
}

int app_reg_reports(struct store *st, const struct principal *p,
		    const char *key, int n, json_t **out, struct errbuf *e)
{
	struct list_ctx l = { json_array(), "", n > 0, NULL, 0 };
	struct ctx x;
	int rc = ctx_load(st, p, key, A_INC_READ, &x, e);

	l.number = x.r.number;
	if (!rc)
		rc = store_reg_report_list(st, x.r.inc.id, n, list_one, &l);
	if (!rc && n && !json_array_size(l.items))
		rc = err_ret(e, ERMS_ENOTFOUND, "not_found",
			     "incident %s has no report %d", x.r.number, n);
	if (!rc)
		*out = n ? json_incref(json_array_get(l.items, 0))
			 : json_pack("{s:O}", "items", l.items);
	json_decref(l.items);
	json_decref(l.last_content);
	ctx_release(&x);
	return rc;
}

/* ---- the document ---- */

static const char *kind_title(const char *kind)
{
	return !strcmp(kind, "first")	  ? "网络安全事件报告（初报）"
	       : !strcmp(kind, "final") ? "网络安全事件总结报告"
					: "网络安全事件报告（续报）";
}

static const char *via_zh(const char *via)
{
	static const char *const zh[] = { "电话", "传真", "电子邮件",
					  "报送平台", "书面函件" };

	for (size_t i = 0; i < ARRAY_SIZE(vias); i++)
		if (!strcmp(vias[i], via))
			return zh[i];
	return via;
}

static const char *item_label(const char *key, int kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(items); i++)
		if (item_of(&items[i], kind) && !strcmp(items[i].key, key))
			return items[i].zh;
	return key;
}

static struct doc *build_doc(const struct ctx *x, const json_t *rep)
{
	const char *kind = json_string_value(json_object_get(rep, "kind"));
	const json_t *c = json_object_get(rep, "content");
	const json_t *ch = json_object_get(rep, "changes");
	int k = reg_kind_parse(kind);
	const char *const *secs = k == RK_FINAL ? sections_final
						: sections_news;
	struct doc *d = doc_new("zh-CN");
	char sent[32], rec[32], *s;
	int64_t sent_ms = 0, rec_ms = 0;
	int last = 0;

	tz_parse(json_string_value(json_object_get(rep, "sent_at")), &sent_ms);
	tz_parse(json_string_value(json_object_get(rep, "recorded_at")),
		 &rec_ms);
	tz_local(sent_ms, x->g.zone, sent);
	tz_local(rec_ms, x->g.zone, rec);
	s = xasprintf("%s%s", x->o.drill ? "[演练] " : "", kind_title(kind));
	{
		char *sub = xasprintf("编号：%s　报送单位：%s",
				      json_string_value(json_object_get(rep,
							"number")),
				      x->g.o.name[0] ? x->g.o.name : "（未填写）");

		doc_title(d, s, sub);
		free(sub);
	}
	free(s);
	s = xasprintf("%s · %s · 报送于 %s", x->g.o.name,
		      json_string_value(json_object_get(rep, "number")), sent);
	doc_footer(d, s);
	free(s);
	doc_table(d, 2, NULL);
	{
		const char *rows[][2] = {
			{ "报送对象",
			  json_string_value(json_object_get(rep, "to")) },
			{ "报送方式",
			  via_zh(json_string_value(json_object_get(rep,
								 "via"))) },
			{ "报送时间", sent },
			{ "事件编号", x->r.number },
			{ "事件名称", x->r.title },
			{ "初报时限", NULL },
			{ "记录人",
			  json_string_value(json_object_get(
			      json_object_get(rep, "recorded_by"), "name")) },
			{ "记录时间", rec },
		};
		char due[32] = "";

		if (x->o.deadline_ms)
			tz_local(x->o.deadline_ms, x->g.zone, due);
		rows[5][1] = due;
		for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
			doc_row(d, rows[i], false);
	}
	if (json_array_size(ch)) {
		size_t i;
		json_t *v;
		struct buf b = BUF_INIT;

		doc_heading(d, 2, "与上次报告相比的变化");
		json_array_foreach(ch, i, v)
			buf_addf(&b, "%s%s", i ? "、" : "",
				   item_label(json_string_value(v), k));
		doc_para(d, buf_str(&b));
		buf_release(&b);
	}
	for (size_t i = 0; i < ARRAY_SIZE(items); i++) {
		const char *v;

		if (!item_of(&items[i], k))
			continue;
		if (items[i].sec != last && secs[items[i].sec]) {
			doc_heading(d, 2, secs[items[i].sec]);
			last = items[i].sec;
		}
		v = json_string_value(json_object_get(c, items[i].key));
		doc_heading(d, 3, items[i].zh);
		doc_para(d, v && *v ? v : "（暂无）");
	}
	return d;
}

int app_reg_document(struct store *st, const struct principal *p,
		     const char *key, int n, bool pdf, int64_t now_ms,
		     char **out, size_t *len, struct errbuf *e)
{
	json_t *rep = NULL;
	struct ctx x;
	int rc = app_reg_reports(st, p, key, n, &rep, e);

	(void)now_ms;
	*out = NULL;
	*len = 0;
	if (rc)
		return rc;
	if (!(rc = ctx_load(st, p, key, A_INC_READ, &x, e))) {
		struct doc *d = build_doc(&x, rep);

		if (pdf) {
			rc = doc_pdf(d, out, len);
		} else {
			*out = doc_html(d);
			*len = strlen(*out);
		}
		doc_free(d);
	}
	ctx_release(&x);
	json_decref(rep);
	return rc;
}

/* ---- the record of a year ---- */

struct year_ctx {
	json_t *items;
	int64_t now_ms;
	int obligations, on_time, late, due;
	const char *zone;
};

static int year_one(void *ctx, const struct incident_row *r)
{
	struct year_ctx *y = ctx;
	struct reg_obligation o;
	json_t *refs, *x, *reg;
	int follow = 0;
	size_t i;

	regstate_load(r->regulatory, &o, &refs);
	json_array_foreach(refs, i, x)
		follow += !strcmp(json_string_value(json_object_get(x, "kind"))
				  ?: "", "follow_up");
	json_decref(refs);
	reg = regulatory_json(r->regulatory, y->now_ms);
	json_object_set_new(reg, "incident",
			    json_pack("{s:I, s:s, s:s, s:b, s:s}", "id",
				      (json_int_t)r->inc.id, "number", r->number,
				      "title", r->title, "drill",
				      r->inc.is_drill, "state",
				      incident_state_name(r->inc.state)));
	json_object_set_new(reg, "follow_ups", json_integer(follow));
	json_array_append_new(y->items, reg);
	if (o.drill || o.status == REG_CLOSED)
		return 0;
	y->obligations++;
	y->on_time += o.status == REG_REPORTED;
	y->late += o.status == REG_LATE;
	y->due += o.status == REG_DUE;
	return 0;
}

static int year_walk(struct store *st, const struct principal *p, int year,
		     struct year_ctx *y, struct errbuf *e)
{
	struct org g;
	int rc = app_may(p, A_INC_READ, NULL, e);

	if (rc)
		return rc;
	if (year < 2000 || year > 2100)
		return err_fail(e, ERMS_EINVAL, "year",
				"year must be from 2000 to 2100");
	if (!(rc = org_load(st, &g)))
		rc = store_incident_reg_year(
		    st, day_start(days_from_civil(year, 1, 1), g.zone),
		    day_start(days_from_civil(year + 1, 1, 1), g.zone),
		    year_one, y);
	org_release(&g);
	return rc;
}

int app_reg_year(struct store *st, const struct principal *p, int year,
		 int64_t now_ms, json_t **out, struct errbuf *e)
{
	struct year_ctx y = { json_array(), now_ms, 0, 0, 0, 0, NULL };
	int rc = year_walk(st, p, year, &y, e);
	int decided = y.on_time + y.late;

	if (!rc)
		*out = json_pack("{s:i, s:O, s:{s:i, s:i, s:i, s:i, s:o}}",
				 "year", year, "items", y.items, "summary",
				 "obligations", y.obligations, "on_time",
				 y.on_time, "late", y.late, "due", y.due,
				 "on_time_rate", decided
					 ? json_real((double)y.on_time / decided)
					 : json_null());
	json_decref(y.items);
	return rc;
}

static void csv_time(struct buf *b, const json_t *t, const char *zone,
		     bool last)
{
	int64_t ms = 0;
	char s[32] = "";

	if (json_is_string(t) && !tz_parse(json_string_value(t), &ms))
		tz_local(ms, zone, s);
	csv_put(b, s, last);
}

int app_reg_csv(struct store *st, const struct principal *p, int year,
		const char *lang, const char *zone, int64_t now_ms,
		char **out, size_t *len, struct errbuf *e)
{
	static const char *const head_zh[] = {
		"事件编号", "事件名称", "演练", "国家级别", "单位类型",
		"初报时限", "状态", "初报时间", "逾期分钟", "续报次数",
		"总结报告时限", "总结报告时间" };
	static const char *const head_en[] = {
		"Incident", "Title", "Drill", "National level",
		"Operator type", "Deadline", "Status", "First report",
		"Late by (min)", "Follow-ups", "Final due", "Final report" };
	struct year_ctx y = { json_array(), now_ms, 0, 0, 0, 0, NULL };
	bool zh = !lang || strcmp(lang, "en");
	struct buf b = BUF_INIT;
	int rc = year_walk(st, p, year, &y, e);
	json_t *it;
	size_t i;

	for (size_t k = 0; !rc && k < ARRAY_SIZE(head_zh); k++)
		csv_put(&b, zh ? head_zh[k] : head_en[k],
			k + 1 == ARRAY_SIZE(head_zh));
	json_array_foreach(y.items, i, it) {
		const json_t *inc = json_object_get(it, "incident");
		char n[24];

		if (rc)
			break;
		csv_put(&b, json_string_value(json_object_get(inc, "number")),
			false);
		csv_put_text(&b, json_string_value(json_object_get(inc,
								   "title")),
			     false);
		csv_put(&b, json_is_true(json_object_get(inc, "drill"))
				    ? (zh ? "是" : "yes") : "", false);
		csv_put(&b, json_string_value(json_object_get(it,
				"national_level")), false);
		csv_put(&b, json_string_value(json_object_get(it,
				"operator_type")), false);
		csv_time(&b, json_object_get(it, "deadline_at"), zone, false);
		csv_put(&b, json_string_value(json_object_get(it, "status")),
			false);
		csv_time(&b, json_object_get(it, "first_report_at"), zone,
			 false);
		snprintf(n, sizeof(n), "%s", "");
		if (json_is_integer(json_object_get(it, "late_by_min")))
			snprintf(n, sizeof(n), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(json_object_get(
				     it, "late_by_min")));
		csv_put(&b, n, false);
		snprintf(n, sizeof(n), "%" JSON_INTEGER_FORMAT,
			 json_integer_value(json_object_get(it, "follow_ups")));
		csv_put(&b, n, false);
		csv_time(&b, json_object_get(it, "final_due_at"), zone, false);
		csv_time(&b, json_object_get(it, "final_report_at"), zone,
			 true);
	}
	json_decref(y.items);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	*out = buf_detach(&b, len);
	return 0;
}
