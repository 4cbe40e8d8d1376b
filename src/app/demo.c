/*
 * demo.c - the demo database (app/demo.h): its organisation, people,
 * sample plan and records, added through the use cases of app/.
 */
#include "app/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/audit.h"
#include "app/channels.h"
#include "app/duty.h"
#include "app/drills.h"
#include "app/incidents.h"
#include "app/keys.h"
#include "app/plans.h"
#include "app/org.h"
#include "app/regulatory.h"
#include "app/supplies.h"
#include "core/calendar.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/embed.h"
#include "util/tz.h"
#include "util/xalloc.h"

/* The people: the first six are the ones of each role (the README's
 * logins); the others fill the groups so that each has a duty roster.
 * Each has a demo e-mail address and phone number. */
static const struct {
	const char *login, *name_zh, *group;
	enum member_role role;
	bool admin;
} people[] = {
	{ "admin", "系统管理员", NULL, MR_MEMBER, true },
	{ "leader", "应急领导小组组长", "leadership", MR_LEAD, false },
	{ "commander", "总指挥", "command", MR_LEAD, false },
	{ "deputy", "副总指挥", "command", MR_DEPUTY, false },
	{ "tech", "技术支持工程师", "tech", MR_MEMBER, false },
	{ "staff", "普通员工", NULL, MR_MEMBER, false },
	{ "vice-leader", "应急领导小组副组长", "leadership", MR_DEPUTY, false },
	{ "duty-a", "指挥部值班员（甲）", "command", MR_MEMBER, false },
	{ "duty-b", "指挥部值班员（乙）", "command", MR_MEMBER, false },
	{ "netops", "网络工程师", "tech", MR_MEMBER, false },
	{ "comms", "通信联络员", "comms", MR_LEAD, false },
	{ "press", "信息发布专员", "comms", MR_MEMBER, false },
	{ "logistics", "后勤保障员", "logistics", MR_LEAD, false },
	{ "stores", "物资管理员", "logistics", MR_MEMBER, false },
};

/* The groups the sample plan names that the people above are in (the
 * plan's import creates the others). */
static const struct {
	const char *key, *name;
	enum group_kind kind;
	const char *duties;
} groups[] = {
	{ "leadership", "应急领导小组", GK_LEADERSHIP,
	  "[\"决定是否启动应急预案及响应级别\",\"宣布应急结束\","
	  "\"审批预案修订\"]" },
	{ "command", "应急指挥部", GK_COMMAND,
	  "[\"接收报告并研判\",\"指挥现场处置\",\"向领导小组汇报\"]" },
	{ "tech", "技术支持小组", GK_TEAM,
	  "[\"技术分析，查找根因\",\"提供技术解决方案\"]" },
	{ "comms", "通信联络小组", GK_TEAM,
	  "[\"内外部通报与信息发布\",\"保障通信畅通\"]" },
	{ "logistics", "后勤保障小组", GK_TEAM,
	  "[\"应急物资与经费保障\",\"后勤支持\"]" },
};

const char *app_demo_login(size_t i)
{
	return i < ARRAY_SIZE(people) ? people[i].login : NULL;
}

/* The groups, the users and their memberships, unless there are users. */
static int seed_people(struct store *st, struct errbuf *e)
{
	int64_t now = clock_now_ms(), n;
	int rc;

	if ((rc = store_user_count(st, &n)) || n > 0)
		return rc;
	for (size_t i = 0; i < ARRAY_SIZE(groups); i++) {
		struct group g = { .kind = groups[i].kind,
				   .duties_json = (char *)groups[i].duties };

		snprintf(g.key, sizeof(g.key), "%s", groups[i].key);
		snprintf(g.name, sizeof(g.name), "%s", groups[i].name);
		if ((rc = store_begin(st)) ||
		    (rc = app_group_create(st, &principal_system, &g, now,
					   e)) ||
		    (rc = store_commit(st)))
			goto fail;
	}
	for (size_t i = 0; i < ARRAY_SIZE(people); i++) {
		struct user u = { .is_admin = people[i].admin,
				  .locale = "zh-CN" };

		snprintf(u.login, sizeof(u.login), "%s", people[i].login);
		snprintf(u.display_name, sizeof(u.display_name), "%s",
			 people[i].name_zh);
		snprintf(u.email, sizeof(u.email), "%s@example.org",
			 people[i].login);
		snprintf(u.phone, sizeof(u.phone), "+86 138 0000 %04zu",
			 1001 + i);
		if ((rc = app_db_user_create(st, &u, APP_DEMO_PASSWORD, e)))
			goto fail;
		if (!people[i].group)
			continue;
		if ((rc = store_begin(st)) ||
		    (rc = app_member_put(st, &principal_system,
					 people[i].group, u.id,
					 people[i].role, now, e)) ||
		    (rc = store_commit(st)))
			goto fail;
	}
	return 0;
fail:
	store_rollback(st);
	return rc;
}

/* *p: the demo user login, with its rights loaded. */
static int as_user(struct store *st, const char *login, struct principal *p);

/*
 * A rotation for each group: its members in turn, twelve-hour shifts
 * from 08:00 and 20:00 Shanghai time, started yesterday morning so that
 * somebody is on duty at every time the demo's incidents name.
 */
static int seed_rotations(struct store *st, const struct principal *admin,
			  int64_t now, struct errbuf *e)
{
	int64_t off = (int64_t)tz_offset_s(TZ_DEFAULT, now) * 1000;
	int64_t day = (now + off) / DAY_MS * DAY_MS - off;
	char start[32];
	int rc = 0;

	tz_rfc3339(day - DAY_MS + 8 * HOUR_MS, TZ_DEFAULT, start);
	for (size_t g = 0; !rc && g < ARRAY_SIZE(groups); g++) {
		json_t *members = json_array(), *body, *out = NULL;

		for (size_t i = 0; i < ARRAY_SIZE(people); i++) {
			struct user u;

			if (!people[i].group ||
			    strcmp(people[i].group, groups[g].key) ||
			    store_user_by_login(st, people[i].login, &u, NULL,
						0))
				continue;
			json_array_append_new(members, json_integer(u.id));
		}
		if (!json_array_size(members)) {	/* a database of before */
			json_decref(members);
			continue;
		}
		body = json_pack("{s:s, s:o, s:i, s:s, s:s}", "name",
				 "日常值班 / Daily duty", "members", members,
				 "shift_minutes", 12 * 60, "start", start,
				 "time_zone", TZ_DEFAULT);
		rc = app_rotation_create(st, admin, groups[g].key, body, now,
					 &out, e);
		json_decref(body);
		json_decref(out);
	}
	return rc;
}

static int count_channel(void *ctx, const struct channel *c)
{
	(void)c;
	++*(int *)ctx;
	return 0;
}

/*
 * How the demo reaches people: an e-mail channel to the mail server at
 * smtp (HOST:PORT, no TLS: a local mail catcher), and a duty roster in
 * every group; one transaction, as the administrator, unless there is a
 * channel already.
 */
static int seed_reach(struct store *st, const char *smtp, struct errbuf *e)
{
	/* No server runs yet: the channel's config is checked as a server
	 * with the default options would. */
	static struct app defaults;
	struct principal admin;
	struct channel ch = { 0 };
	const char *colon = strrchr(smtp, ':');
	int64_t now = clock_now_ms();
	json_t *cfg;
	int n = 0, rc;

	if (!colon || colon == smtp || !colon[1])
		return err_ret(e, ERMS_EINVAL, "invalid", "--smtp is HOST:PORT, "
			       "not '%s'", smtp);
	if ((rc = store_channel_list(st, count_channel, &n)) || n ||
	    (rc = as_user(st, "admin", &admin)))
		return rc;
	cfg = json_pack("{s:s%, s:I, s:s, s:s}", "host", smtp,
			(size_t)(colon - smtp), "port",
			(json_int_t)strtoll(colon + 1, NULL, 10), "tls", "none",
			"from", "应急管理系统 <erms@example.org>");
	if (!(rc = store_begin(st))) {
		struct channel_in in = {
			.name = "演示邮件 / Demo e-mail", .kind = "email",
			.config = cfg, .rate_burst = -1,
			.rate_period_ms = -1, .enabled = 1,
		};

		rc = app_channel_create(&defaults, st, &admin, &in, now, &ch,
					e);
		if (!rc)
			rc = seed_rotations(st, &admin, now, e);
		if (!rc)
			rc = store_commit(st);
		else
			store_rollback(st);
	}
	channel_release(&ch);
	json_decref(cfg);
	return rc;
}

/*
 * The organisation, unless it has a name: the operator type the reporting
 * clock runs by, the regulators reports go to, and a holiday for the
 * working-day deadlines. The numbers are of the example range.
 */
static int seed_org(struct store *st, struct errbuf *e)
{
	struct organisation o = { 0 };
	struct principal admin;
	json_t *body;
	int rc = store_org_get(st, &o);

	if (rc || o.name[0] || (rc = as_user(st, "admin", &admin))) {
		organisation_release(&o);
		return rc;
	}
	organisation_release(&o);
	body = json_pack(
		"{s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}],"
		" s:{s:{s:[s, s, s]}}}",
		"name", "示例科技有限公司", "operator_type", "other",
		"regulators",
		"name", "省委网信办", "role", "属地网信部门（网络安全事件报告）",
		"phone", "+86 571 5550 0100", "email", "report@cac.example.org",
		"address", "示例省示例市政务中心 3 号楼",
		"name", "市公安局网安支队", "role", "公安机关网络安全保卫部门",
		"phone", "+86 571 5550 0110", "email", "wa@police.example.org",
		"calendar", "2027", "holidays", "2027-01-01", "2027-01-02",
		"2027-01-03");
	if (!(rc = store_begin(st))) {
		rc = app_org_edit(st, &admin, body, clock_now_ms(), &o, e);
		if (!rc)
			rc = store_commit(st);
		else
			store_rollback(st);
	}
	organisation_release(&o);
	json_decref(body);
	return rc;
}

/* The parsed content of an embedded sample plan. */
static json_t *sample(const char *name)
{
	json_t *errors = json_array(), *content = NULL;

	for (int i = 0; embed_plans[i].name; i++)
		if (!strcmp(embed_plans[i].name, name))
			plan_parse(name, (const char *)embed_plans[i].data,
				   embed_plans[i].len, &content, errors);
	json_decref(errors);
	return content;
}

static int as_user(struct store *st, const char *login, struct principal *p)
{
	int rc;

	memset(p, 0, sizeof(*p));
	rc = store_user_by_login(st, login, &p->user, NULL, 0);
	return rc ? rc : app_load_actor(st, p, clock_now_ms());
}

/* Import the bilingual plan both as the commander, who submits it; the
 * leadership group lead approves and publishes it. One transaction. */
static int publish(struct store *st, json_t *both, const char *yaml,
		   struct errbuf *e)
{
	struct plan_version v = { 0 };
	struct principal author, leader;
	int64_t now = clock_now_ms();
	int rc = as_user(st, "commander", &author);

	if (!rc)
		rc = as_user(st, "leader", &leader);
	if (!rc && !(rc = store_begin(st)))
		rc = app_plan_import(st, &author, both, "new-system.yaml", yaml,
				     now, &v, e);
	if (!rc)
		rc = app_plan_step(st, &author, v.plan_id, v.n, PVS_SUBMIT,
				   NULL, now, &v, e);
	if (!rc)
		rc = app_plan_step(st, &leader, v.plan_id, v.n, PVS_APPROVE,
				   "同意发布 / approved", now, &v, e);
	if (!rc)
		rc = app_plan_step(st, &leader, v.plan_id, v.n, PVS_PUBLISH,
				   NULL, now, &v, e);
	if (!rc)
		rc = store_commit(st);
	else
		store_rollback(st);
	plan_version_release(&v);
	return rc;
}

/*
 * The sample plan, in both languages, taken through its workflow, unless
 * a version is in force.
 */
static int seed_plan(struct store *st, struct errbuf *e)
{
	struct plan_version cur = { 0 };
	json_t *zh, *en, *both;
	char *yaml;
	int rc = store_pv_current(st, &cur);

	plan_version_release(&cur);
	if (rc != ERMS_ENOTFOUND)
		return rc;
	zh = sample("new-system.zh-CN.yaml");
	en = sample("new-system.en.yaml");
	both = zh && en ? plan_bilingual(zh, en) : NULL;
	json_decref(zh);
	json_decref(en);
	if (!both)
		return err_ret(e, ERMS_EINVAL, "invalid",
			       "the sample plans do not match");
	yaml = plan_export(both, NULL);
	rc = publish(st, both, yaml, e);
	json_decref(both);
	free(yaml);
	return rc;
}

/* A few incidents in different states, so every page has something. */
static const struct demo_incident {
	const char *title, *description, *impact, *category;
	int minutes_ago;
	bool is_drill;
	/* steps after the report: who takes it, and its argument */
	struct { enum inc_action a; const char *who, *arg; } step[6];
	/* a first report to this regulator, that many minutes after the
	 * incident was reported (NULL: none; the clock still runs) */
	const char *reg_to;
	int reg_after_min;
} incidents[] = {
	{ "核心交易数据库主库宕机", "主库 CPU 100%，随后无响应；备库已接管只读。",
	  "网上交易中断", "system-failure", 180, false,
	  { { IA_ACK, "commander", NULL }, { IA_ACTIVATE, "leader", "level-1" },
	    { IA_RESOLVE, "commander", "切换至备库并修复主库，交易恢复" },
	    { IA_CLOSE, "leader", NULL } }, "省委网信办", 30 },
	{ "官网遭受 DDoS 攻击，访问缓慢", "入口带宽占满，清洗服务已介入。",
	  "官网和移动端访问缓慢", "network-attack", 40, false,
	  { { IA_ACK, "commander", NULL }, { IA_ACTIVATE, "leader", "level-2" } }, NULL, 0 },
	{ "机房 UPS 告警", "2 号机房 UPS 电池自检失败。", "暂无业务影响",
	  "hardware-failure", 8, false, { { IA_ACK, "deputy", NULL } }, NULL, 0 },
	{ "员工误删测试库表", "测试环境，已从备份恢复。", "无",
	  "operator-error", 25, false,
	  { { IA_DISMISS, "commander", "测试环境，不影响生产" } }, NULL, 0 },
	{ "疑似数据泄露告警", "DLP 报告异常外发流量。", "待查", "data-leak", 3,
	  false, { { IA_ACK, "commander", NULL } }, NULL, 0 },
	{ "年度系统故障演练：应用服务器宕机", "桌面推演。", "演练",
	  "system-failure", 60, true,
	  { { IA_ACK, "commander", NULL }, { IA_ACTIVATE, "leader", "level-3" } }, NULL, 0 },
};

/* Report d as the staff member, then take its steps, two minutes apart. */
static int seed_incident(struct store *st, const struct demo_incident *d,
			 int64_t now, struct errbuf *e)
{
	struct principal reporter, actor;
	struct incident_input in = {
		.title = d->title, .description = d->description,
		.impact = d->impact, .category = d->category,
		.is_drill = d->is_drill,
	};
	struct incident_row r = { 0 };
	int64_t t = now - d->minutes_ago * MINUTE_MS;
	char key[24];
	int rc = as_user(st, "staff", &reporter);

	if (!rc)
		rc = app_incident_report(st, &reporter, &in, t, &r, e);
	snprintf(key, sizeof(key), "%lld", (long long)r.inc.id);
	for (int i = 0; !rc && i < 6 && d->step[i].who; i++) {
		struct incident_args a = { 0 };

		t += 2 * MINUTE_MS;
		if (d->step[i].a == IA_ACTIVATE)
			a.level = d->step[i].arg;
		else if (d->step[i].a == IA_RESOLVE)
			a.summary = d->step[i].arg;
		else
			a.reason = d->step[i].arg;
		rc = as_user(st, d->step[i].who, &actor);
		if (!rc)
			rc = app_incident_act(st, &actor, key, d->step[i].a, &a,
					      t, &r, e);
	}
	if (!rc && d->reg_to) {
		json_t *body = json_pack("{s:s, s:s, s:s, s:{s:s}}", "kind",
					 "first", "to", d->reg_to, "via",
					 "platform", "content", "trend",
					 "已切换至备库，交易逐步恢复"), *out = NULL;

		rc = as_user(st, "commander", &actor);
		if (!rc)
			rc = app_reg_record(st, &actor, key, body,
					    r.inc.reported_ms +
						d->reg_after_min * MINUTE_MS,
					    now, &out, e);
		json_decref(out);
		json_decref(body);
	}
	incident_row_release(&r);
	return rc;
}

static int count_one(void *ctx, const struct incident_row *r)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

/* The incidents, each in its own transaction, unless there are any. */
static int seed_incidents(struct store *st, struct errbuf *e)
{
	struct incident_filter f = { .is_drill = -1, .limit = 1 };
	int64_t now = clock_now_ms();
	int n = 0, rc;

	rc = store_incident_list(st, &f, count_one, &n);
	if (rc || n)
		return rc;
	for (size_t i = 0; !rc && i < ARRAY_SIZE(incidents); i++) {
		if (!(rc = store_begin(st)) &&
		    !(rc = seed_incident(st, &incidents[i], now, e)))
			rc = store_commit(st);
		if (rc)
			store_rollback(st);
	}
	return rc;
}

static int count_supply(void *ctx, const struct supply *s)
{
	(void)s;
	++*(int *)ctx;
	return 0;
}

/* A tabletop drill in two weeks, planned by cmd. */
static int seed_drill(struct store *st, const struct principal *cmd,
		      int64_t now, struct errbuf *e)
{
	struct drill_row d = { .minutes = 90 };
	int rc;

	snprintf(d.title, sizeof(d.title), "网络攻击桌面推演 / Network attack "
		 "tabletop exercise");
	snprintf(d.kind, sizeof(d.kind), "tabletop");
	snprintf(d.category, sizeof(d.category), "network-attack");
	snprintf(d.location, sizeof(d.location), "指挥中心 / Command centre");
	d.scheduled_ms = now + 14 * DAY_MS;
	d.detail = xstrdup(
		"{\"participants\": [\"应急指挥部\", \"技术支持小组\"],"
		" \"scenario\": \"门户网站遭受 DDoS 攻击，登录缓慢。\","
		" \"injects\": [{\"at_min\": 0, \"text\": \"流量告警\"},"
		" {\"at_min\": 30, \"text\": \"攻击者索要赎金\"}]}");
	rc = app_drill_plan(st, cmd, &d, now, e);
	drill_row_release(&d);
	return rc;
}

/*
 * The safeguards, once: three supplies (the fuel under its minimum, the
 * satellite phones due for inspection), a tabletop drill in two weeks,
 * and this year's budget.
 */
static int seed_safeguards(struct store *st, struct errbuf *e)
{
	static const struct {
		const char *name, *kind, *location, *unit;
		int64_t quantity, min, inspect_days;
	} items[] = {
		{ "备用服务器 / Spare servers", "hardware", "一号机房 / Room 1",
		  "台", 2, 1, 0 },
		{ "应急发电机燃油 / Generator fuel", "power", "一号储备库 / Store 1",
		  "桶", 8, 10, 0 },
		{ "卫星电话 / Satellite phones", "comms", "指挥中心 / Command centre",
		  "部", 3, 2, 5 },
	};
	struct principal cmd, lead;
	int64_t now = clock_now_ms();
	int n = 0, rc = store_supply_list(st, count_supply, &n);

	if (rc || n || (rc = as_user(st, "commander", &cmd)) ||
	    (rc = as_user(st, "leader", &lead)) || (rc = store_begin(st)))
		return rc;
	for (size_t i = 0; !rc && i < ARRAY_SIZE(items); i++) {
		struct supply s = { .quantity = items[i].quantity,
				    .min_quantity = items[i].min };

		snprintf(s.name, sizeof(s.name), "%s", items[i].name);
		snprintf(s.kind, sizeof(s.kind), "%s", items[i].kind);
		snprintf(s.location, sizeof(s.location), "%s",
			 items[i].location);
		snprintf(s.unit, sizeof(s.unit), "%s", items[i].unit);
		if (items[i].inspect_days)
			s.inspect_by_ms = now + items[i].inspect_days * DAY_MS;
		rc = app_supply_create(st, &cmd, &s, now, e);
		supply_release(&s);
	}
	if (!rc)
		rc = seed_drill(st, &cmd, now, e);
	if (!rc)
		rc = app_budget_put(st, &lead, drill_year_of(now), 20000000,
				    "年度应急经费 / Yearly emergency funds", now, e);
	if (!rc)
		rc = store_commit(st);
	else
		store_rollback(st);
	return rc;
}

/* Every part of the demo data the database lacks; *part: the failed one. */
static int seed(struct store *st, const char *smtp, enum app_demo_step *part,
		struct errbuf *e)
{
	int rc;

	*part = APP_DEMO_PEOPLE;
	if ((rc = seed_people(st, e)) || (rc = seed_reach(st, smtp, e)) ||
	    (rc = seed_org(st, e)))
		return rc;
	*part = APP_DEMO_PLAN;
	if ((rc = seed_plan(st, e)))
		return rc;
	*part = APP_DEMO_RECORDS;
	if (!(rc = seed_incidents(st, e)))
		rc = seed_safeguards(st, e);
	if (!rc)
		rc = audit_anchor_write(st);
	return rc;
}

int app_demo_prepare(const char *db, const char *key, const char *smtp,
		     enum app_db_stage *stage, enum app_demo_step *part,
		     struct errbuf *e)
{
	struct store *st;
	int rc = app_db_open(db, true, &st, stage, e);

	*part = APP_DEMO_PEOPLE;
	if (rc)
		return rc;
	*stage = APP_DB_KEY;
	rc = keys_open_store(st, db, key, NULL, true, e);
	if (!rc) {
		*stage = APP_DB_WORK;
		rc = seed(st, smtp ? smtp : APP_DEMO_SMTP, part, e);
	}
	store_close(st);
	if (!rc)
		*stage = APP_DB_DONE;
	return rc;
}
