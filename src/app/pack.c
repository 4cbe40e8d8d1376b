/*
 * pack.c - the emergency pack's documents: what a reader sees of the
 * plan in force, its groups and people, the rosters and the supplies,
 * put into documents (doc/doc.h) that are written as one HTML page and
 * as PDFs; the manifest and its signature (app/pack.h).
 *
 * Each part is written by one function into a document it is given, so
 * the offline page and the part's own PDF say the same thing.
 */
#define LOG_MOD "pack"
#include "app/pack.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/codec.h"
#include "app/keys.h"
#include "app/plancache.h"
#include "core/calendar.h"
#include "core/duty.h"
#include "core/regulatory.h"
#include "doc/doc.h"
#include "doc/pdf.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/tz.h"
#include "util/xalloc.h"

#define ROSTER_OVERRIDES 256
#define SEGMENTS_PER_DAY 96	/* a day of quarter-hour shifts */

struct person {
	int64_t id;
	enum member_role role;
	char name[NAME_MAX_ + 1];
	char phone[PHONE_MAX + 1];
	char email[EMAIL_MAX + 1];
};

struct roster {
	struct rotation r;
	struct duty_override ov[ROSTER_OVERRIDES];
	int nov;
	char name[NAME_MAX_ + 1];
};

/* A group of the plan with what the store knows of it. */
struct pgroup {
	const struct plan_group *pg;
	bool found;			/* the store has the group */
	struct person *m;		/* leads, deputies, then members */
	size_t nm;
	struct roster *rot;
	size_t nrot;
};

struct pk {
	struct store *st;
	const struct plan *plan;
	struct plan_version v;
	struct organisation org;
	const char *lang, *zone;
	bool zh;
	int64_t now_ms;
	char date[16];			/* the pack's day, the org's zone */
	char built[32];			/* its time, to the minute */
	char *footer;
	struct pgroup *groups;
	size_t ngroups;
	struct person *users;		/* people read by id (rosters) */
	size_t nusers;
	int rc;
};

static const char *T(const struct pk *k, const char *en, const char *zh)
{
	return k->zh ? zh : en;
}

static const char *text(const struct pk *k, const json_t *t)
{
	return plan_text(t, k->lang);
}

/* ---- reading ------------------------------------------------------------ */

static int role_rank(enum member_role r)
{
	return r == MR_LEAD ? 0 : r == MR_DEPUTY ? 1 : 2;
}

static int by_role(const void *a, const void *b)
{
	const struct person *x = a, *y = b;

	if (role_rank(x->role) != role_rank(y->role))
		return role_rank(x->role) - role_rank(y->role);
	return strcmp(x->name, y->name);
}

static void person_of(struct person *p, const struct user *u,
		      enum member_role role)
{
	memset(p, 0, sizeof(*p));
	p->id = u->id;
	p->role = role;
	snprintf(p->name, sizeof(p->name), "%s",
		 *u->display_name ? u->display_name : u->login);
	snprintf(p->phone, sizeof(p->phone), "%s", u->phone);
	snprintf(p->email, sizeof(p->email), "%s", u->email);
}

static int add_member(void *ctx, const struct membership *m,
		      const struct user *u)
{
	struct pgroup *g = ctx;

	if (u->disabled)
		return 0;
	g->m = xrealloc(g->m, (g->nm + 1) * sizeof(*g->m));
	person_of(&g->m[g->nm++], u, m->role);
	return 0;
}

static int add_override(void *ctx, int64_t id, int64_t user_id, int64_t start,
			int64_t end)
{
	struct roster *r = ctx;

	(void)id;
	if (r->nov < ROSTER_OVERRIDES)
		r->ov[r->nov++] = (struct duty_override){ user_id, start, end };
	return 0;
}

struct rot_read {
	struct pk *k;
	struct pgroup *g;
};

static int add_rotation(void *ctx, const struct rotation_row *row)
{
	struct rot_read *x = ctx;
	struct pgroup *g = x->g;
	struct roster *r;
	json_t *m = json_loads(row->members, 0, NULL), *v;
	size_t i;

	g->rot = xrealloc(g->rot, (g->nrot + 1) * sizeof(*g->rot));
	r = &g->rot[g->nrot++];
	memset(r, 0, sizeof(*r));
	r->r.id = row->id;
	r->r.start_ms = row->start_ms;
	r->r.shift_minutes = row->shift_minutes;
	json_array_foreach(m, i, v)
		if (r->r.n < DUTY_MEMBERS_MAX)
			r->r.members[r->r.n++] = json_integer_value(v);
	json_decref(m);
	snprintf(r->name, sizeof(r->name), "%s", row->name);
	return store_override_list(x->k->st, row->id, add_override, r);
}

static int read_groups(struct pk *k)
{
	int rc = 0;

	k->ngroups = k->plan->ngroups;
	k->groups = xcalloc(k->ngroups ? k->ngroups : 1, sizeof(*k->groups));
	for (size_t i = 0; i < k->ngroups && !rc; i++) {
		struct pgroup *g = &k->groups[i];
		struct rot_read x = { k, g };
		struct group row = { 0 };

		g->pg = &k->plan->groups[i];
		rc = store_group_get(k->st, g->pg->key, &row);
		free(row.duties_json);
		if (rc == ERMS_ENOTFOUND) {
			rc = 0;
			continue;
		}
		g->found = true;
		if (!rc)
			rc = store_members_of_group(k->st, row.id, add_member,
						    g);
		/* The member rows carry no numbers: each user whole. */
		for (size_t j = 0; j < g->nm && !rc; j++) {
			struct user u = { 0 };

			rc = store_user_get(k->st, g->m[j].id, &u);
			if (!rc)
				person_of(&g->m[j], &u, g->m[j].role);
		}
		if (!rc)
			rc = store_rotation_list(k->st, row.id, add_rotation,
						 &x);
		if (g->nm)
			qsort(g->m, g->nm, sizeof(*g->m), by_role);
	}
	return rc;
}

static const struct pgroup *group_of(const struct pk *k, const char *key)
{
	for (size_t i = 0; i < k->ngroups; i++)
		if (!strcmp(k->groups[i].pg->key, key))
			return &k->groups[i];
	return NULL;
}

/* The person with id: from a group read, else the store (kept). */
static const struct person *person(struct pk *k, int64_t id)
{
	struct user u = { 0 };

	for (size_t i = 0; i < k->ngroups; i++)
		for (size_t j = 0; j < k->groups[i].nm; j++)
			if (k->groups[i].m[j].id == id)
				return &k->groups[i].m[j];
	for (size_t i = 0; i < k->nusers; i++)
		if (k->users[i].id == id)
			return &k->users[i];
	if (store_user_get(k->st, id, &u))
		snprintf(u.display_name, sizeof(u.display_name), "#%lld",
			 (long long)id);
	u.id = id;
	k->users = xrealloc(k->users, (k->nusers + 1) * sizeof(*k->users));
	person_of(&k->users[k->nusers], &u, MR_MEMBER);
	return &k->users[k->nusers++];
}

/* Who is on duty in g at t: its first rotation that has someone. */
static int64_t on_call(const struct pgroup *g, int64_t t)
{
	for (size_t i = 0; i < g->nrot; i++) {
		const struct roster *r = &g->rot[i];
		int64_t who = duty_on_call(&r->r, r->ov, r->nov, t);

		if (who)
			return who;
	}
	return 0;
}

/* The next instant after t at which on_call() may change. */
static int64_t next_change(const struct pgroup *g, int64_t t)
{
	int64_t n = INT64_MAX;

	for (size_t i = 0; i < g->nrot; i++) {
		const struct roster *r = &g->rot[i];
		int64_t h = duty_next_handover(&r->r, t);

		if (h > t && h < n)
			n = h;
		for (int j = 0; j < r->nov; j++) {
			if (r->ov[j].start_ms > t && r->ov[j].start_ms < n)
				n = r->ov[j].start_ms;
			if (r->ov[j].end_ms > t && r->ov[j].end_ms < n)
				n = r->ov[j].end_ms;
		}
	}
	return n;
}

/* "Name 138 0000 0000" (the number when there is one). */
static void reach(const struct person *p, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s", p->name, *p->phone ? " " : "", p->phone);
}

/* The local midnight starting the zone's day of ms. */
static int64_t day_start(const char *zone, int64_t ms)
{
	int64_t off = tz_offset_s(zone, ms) * 1000LL;
	int64_t day = cal_floor_div(ms + off, DAY_MS);

	off = tz_offset_s(zone, day * DAY_MS - off) * 1000LL;
	return day * DAY_MS - off;
}

/* ---- the parts ---------------------------------------------------------- */

static const char *role_name(const struct pk *k, enum member_role r)
{
	return r == MR_LEAD ? T(k, "Lead", "组长")
	       : r == MR_DEPUTY ? T(k, "Deputy", "副组长")
			     : T(k, "Member", "成员");
}

static const char *kind_name(const struct pk *k, const char *kind)
{
	if (!strcmp(kind, "leadership"))
		return T(k, "Leadership", "领导小组");
	if (!strcmp(kind, "command"))
		return T(k, "Command HQ", "指挥部");
	return T(k, "Team", "工作组");
}

static const char *group_name(const struct pk *k, const char *key)
{
	const struct plan_group *g = plan_group(k->plan, key);

	return g ? text(k, g->name) : key;
}

static void kv(struct doc *d, const char *label, const char *value)
{
	const char *cells[2] = { label, value };

	doc_row(d, cells, false);
}

/* The level's national level (I to IV, "" when the plan gives none). */
static const char *national_level(const struct pk *k,
				  const struct plan_level *lv)
{
	(void)k;
	return lv->national_level ? lv->national_level : "";
}

/* Whether national level s is III or above: the regulator's clock runs. */
static bool reportable(const char *s)
{
	return reg_required(reg_national_parse(s));
}

static int deadline_min(const char *operator_type)
{
	int op = reg_operator_parse(operator_type);

	return reg_deadline_min(op < 0 ? OP_OTHER : op);
}

static const char *operator_name(const struct pk *k, const char *t)
{
	if (!strcmp(t, "cii"))
		return T(k, "critical information infrastructure",
			 "关键信息基础设施运营者");
	if (!strcmp(t, "central"))
		return T(k, "central or state organ", "中央和国家机关");
	return T(k, "other operator", "其他运营者");
}

static void plan_part(struct pk *k, struct doc *d)
{
	const struct plan *p = k->plan;
	char when[32], *s;

	doc_heading_id(d, 2, T(k, "The plan in force", "现行预案"), "plan");
	doc_table(d, 2, NULL);
	kv(d, T(k, "Plan", "预案"), text(k, p->name));
	s = xasprintf("%s v%d", k->v.plan_key, k->v.n);
	kv(d, T(k, "Version", "版本"), s);
	free(s);
	tz_short(k->v.published_ms, k->zone, when);
	kv(d, T(k, "Published", "发布时间"), k->v.published_ms ? when : "—");
	kv(d, T(k, "Organisation", "单位"), k->org.name);

	doc_heading(d, 3, T(k, "Groups and their duties", "组织机构与职责"));
	{
		const char *head[3] = { T(k, "Group", "小组"),
					T(k, "Kind", "类型"),
					T(k, "Duties", "职责") };

		doc_table(d, 3, head);
	}
	for (size_t i = 0; i < p->ngroups; i++) {
		const struct plan_group *g = &p->groups[i];
		struct buf b = BUF_INIT;
		const char *cells[3];

		for (size_t j = 0; j < g->nduties; j++)
			buf_addf(&b, "%s%s", j ? "\n" : "",
				 text(k, g->duties[j]));
		cells[0] = text(k, g->name);
		cells[1] = kind_name(k, g->kind);
		cells[2] = buf_str(&b);
		doc_row(d, cells, false);
		buf_release(&b);
	}

	doc_heading(d, 3, T(k, "Levels", "事件分级"));
	for (size_t i = 0; i < p->nlevels; i++) {
		const struct plan_level *lv = &p->levels[i];
		const char *head[2] = { T(k, "Group", "小组"),
					T(k, "Measure", "响应措施") };
		const char *nl = national_level(k, lv);
		struct buf b = BUF_INIT;

		s = xasprintf("%s (%s)", text(k, lv->name), lv->key);
		doc_para(d, s);
		free(s);
		doc_table(d, 2, NULL);
		s = xasprintf(k->zh ? "确认 %d 分钟内，启动 %d 分钟内，处置 %d 分钟内"
				    : "acknowledge within %d min, activate "
				      "within %d min, resolve within %d min",
			      lv->targets.ack_min, lv->targets.activate_min,
			      lv->targets.resolve_min);
		kv(d, T(k, "Targets", "时限"), s);
		free(s);
		kv(d, T(k, "National level", "国家分级"), *nl ? nl : "—");
		for (size_t j = 0; j < lv->nnotify; j++)
			buf_addf(&b, "%s%s", j ? ", " : "",
				 group_name(k, lv->notify[j]));
		kv(d, T(k, "Notify", "通知"), buf_str(&b));
		buf_release(&b);
		if (lv->nmeasures)
			doc_table(d, 2, head);
		for (size_t j = 0; j < lv->nmeasures; j++) {
			const char *cells[2] = {
				group_name(k, lv->measures[j].group),
				text(k, lv->measures[j].title) };

			doc_row(d, cells, false);
		}
	}

	if (p->ncategories) {
		const char *head[3] = { T(k, "Category", "事件类别"),
					T(k, "GB/T 20986 class", "GB/T 20986 分类"),
					T(k, "Team", "处置小组") };

		doc_heading(d, 3, T(k, "Categories", "事件类别"));
		doc_table(d, 3, head);
		for (size_t i = 0; i < p->ncategories; i++) {
			const struct plan_category *c = &p->categories[i];
			const char *cells[3] = {
				text(k, c->name), *c->class_code
				? c->class_code : "—",
				!strcmp(c->team, "*") ? T(k, "any", "任一")
						      : group_name(k, c->team) };

			doc_row(d, cells, false);
		}
	}
	for (size_t i = 0; i < p->nsections; i++) {
		doc_heading(d, 3, text(k, p->sections[i].title));
		doc_para(d, text(k, p->sections[i].body));
	}
}

/* The people of g that a tier's `who` reaches, one per line. */
static void reached(struct pk *k, const struct pgroup *g, const char *who,
		    struct buf *b)
{
	char line[NAME_MAX_ + PHONE_MAX + 80];
	int64_t duty = 0;

	if (!g || !g->found) {
		buf_adds(b, T(k, "(no such group)", "（无此小组）"));
		return;
	}
	if (!strcmp(who, "on_duty")) {
		duty = on_call(g, k->now_ms);
		if (duty) {
			reach(person(k, duty), line, sizeof(line));
			buf_addf(b, "%s %s", line,
				 T(k, "(on duty when the pack was built; "
				      "see the roster)",
				   "（生成时在班，见值班表）"));
			return;
		}
		/* No roster, or nobody on it: the leads stand in. */
		who = "leads";
	}
	for (size_t i = 0, n = 0; i < g->nm; i++) {
		if (!strcmp(who, "leads") && g->m[i].role == MR_MEMBER)
			continue;
		reach(&g->m[i], line, sizeof(line));
		buf_addf(b, "%s%s (%s)", n++ ? "\n" : "", line,
			 role_name(k, g->m[i].role));
	}
}

static const char *who_name(const struct pk *k, const char *who)
{
	if (!strcmp(who, "on_duty"))
		return T(k, "the person on duty", "值班人员");
	if (!strcmp(who, "leads"))
		return T(k, "leads and deputies", "组长和副组长");
	return T(k, "every member", "全体成员");
}

/* Into a new string the texts of r's keys that are set, a line each. */
static char *lines_of(const json_t *r, const char *const *keys, int n)
{
	struct buf b = BUF_INIT;
	char *s;

	for (int i = 0; i < n; i++) {
		const char *v = json_string_value(json_object_get(r, keys[i]));

		if (v && *v)
			buf_addf(&b, "%s%s", b.len ? "\n" : "", v);
	}
	s = xstrdup(buf_str(&b));
	buf_release(&b);
	return s;
}

/* The regulators, four columns so a number never wraps: who (name and
 * role), how to call (contact and phone), e-mail, where (address, note). */
static void regulators(struct pk *k, struct doc *d, const char *type,
		       const char *regs_json)
{
	static const char *const who[] = { "name", "role" };
	static const char *const call[] = { "contact", "phone" };
	static const char *const mail[] = { "email" };
	static const char *const where[] = { "address", "note" };
	static const struct { const char *const *keys; int n; } cols[4] = {
		{ who, 2 }, { call, 2 }, { mail, 1 }, { where, 2 },
	};
	json_t *regs = regs_json ? json_loads(regs_json, 0, NULL) : NULL, *r;
	const char *head[4] = { T(k, "Regulator", "监管部门"),
				T(k, "Contact and phone", "联系人和电话"),
				T(k, "E-mail", "电子邮件"),
				T(k, "Address / note", "地址 / 备注") };
	size_t i;
	char *s;

	doc_heading_id(d, 2, T(k, "Regulators and the reporting deadline",
			       "监管部门与报告时限"), "regulators");
	s = xasprintf(k->zh ? "运营者类型：%s。国家分级 III 级（较大）及以上的网络安全事件，"
			      "须在发现后 %d 分钟内首报（《国家网络安全事件报告管理办法》），"
			      "之后续报，事件结束后 5 个工作日内提交总结报告。"
			    : "Operator type: %s. An incident of national level "
			      "III or above must be reported within %d minutes "
			      "of its discovery (National Cybersecurity Incident "
			      "Reporting Measures), followed by updates, and a "
			      "final report within 5 working days of its end.",
		      operator_name(k, type), deadline_min(type));
	doc_para(d, s);
	free(s);
	if (!json_array_size(regs)) {
		doc_para(d, T(k, "No regulator is entered in the "
				 "organisation's settings.",
			      "单位设置中尚未填写监管部门。"));
		json_decref(regs);
		return;
	}
	doc_table(d, 4, head);
	json_array_foreach(regs, i, r) {
		char *c[4];

		for (int j = 0; j < 4; j++)
			c[j] = lines_of(r, cols[j].keys, cols[j].n);
		doc_row(d, (const char *const *)c, false);
		for (int j = 0; j < 4; j++)
			free(c[j]);
	}
	json_decref(regs);
}

/* The organisation's operator type and its regulators (a JSON array's
 * text, or NULL). */
static void org_regulators(const struct organisation *o, const char **type,
			   const char **regs_json)
{
	*type = *o->operator_type ? o->operator_type : "other";
	*regs_json = o->regulators_json;
}

static void contacts_part(struct pk *k, struct doc *d)
{
	const char *head[4] = { T(k, "Role", "职务"), T(k, "Name", "姓名"),
				T(k, "Phone", "电话"),
				T(k, "E-mail", "电子邮件") };
	const char *thead[4] = { T(k, "After", "时间"),
				 T(k, "Group", "小组"),
				 T(k, "Who", "通知对象"),
				 T(k, "Name and number", "姓名与电话") };
	const char *type, *regs;

	doc_heading_id(d, 2, T(k, "Organisation chart", "组织机构与通讯录"),
		       "contacts");
	for (size_t i = 0; i < k->ngroups; i++) {
		const struct pgroup *g = &k->groups[i];
		struct buf b = BUF_INIT;
		char *s;

		s = xasprintf("%s (%s)", text(k, g->pg->name),
			      kind_name(k, g->pg->kind));
		doc_heading(d, 3, s);
		free(s);
		for (size_t j = 0; j < g->nm; j++)
			if (g->m[j].role == MR_DEPUTY)
				buf_addf(&b, "%s%s", b.len ? ", " : "",
					 g->m[j].name);
		if (b.len) {
			s = xasprintf(k->zh ? "副组长（组长不在时代行职责）：%s"
					    : "Deputies (stand in for the lead): %s",
				      buf_str(&b));
			doc_para(d, s);
			free(s);
		}
		buf_release(&b);
		if (!g->nm) {
			doc_para(d, T(k, "No members.", "暂无成员。"));
			continue;
		}
		doc_table(d, 4, head);
		for (size_t j = 0; j < g->nm; j++) {
			const char *c[4] = { role_name(k, g->m[j].role),
					     g->m[j].name, g->m[j].phone,
					     g->m[j].email };

			doc_row(d, c, g->m[j].role == MR_LEAD);
		}
	}

	doc_heading_id(d, 2, T(k, "Call tree", "上报链（呼叫树）"), "call-tree");
	doc_para(d, T(k, "After an incident is reported, each tier is called "
			 "in turn, counted from the report.",
		      "事件报告后，按以下各级依次通知，时间自报告时起算。"));
	doc_table(d, 4, thead);
	for (size_t i = 0; i < k->plan->ntiers; i++) {
		const struct plan_tier *t = &k->plan->tiers[i];

		for (size_t j = 0; j < t->nnotify; j++) {
			struct buf b = BUF_INIT;
			char *after = xasprintf(k->zh ? "%d 分钟" : "%d min",
						t->after_min);
			const char *c[4] = { after, group_name(k, t->notify[j]),
					     who_name(k, t->who), NULL };

			reached(k, group_of(k, t->notify[j]), t->who, &b);
			c[3] = buf_str(&b);
			doc_row(d, c, false);
			buf_release(&b);
			free(after);
		}
	}
	if (!k->plan->ntiers)
		doc_row(d, (const char *const[4]){ "—", "—", "—", "—" }, false);

	org_regulators(&k->org, &type, &regs);
	regulators(k, d, type, regs);
}

/* g's people on duty over [from, to) into b, a line per stretch. */
static void duty_day(struct pk *k, const struct pgroup *g, int64_t from,
		     int64_t to, struct buf *b)
{
	int64_t t = from, who = on_call(g, from), start = from;
	char a[32], z[32], line[NAME_MAX_ + PHONE_MAX + 8];

	for (int n = 0; t < to && n < SEGMENTS_PER_DAY; n++) {
		int64_t next = next_change(g, t), w;

		if (next > to)
			next = to;
		w = next < to ? on_call(g, next) : -1;
		if (w != who) {
			tz_short(start, k->zone, a);
			tz_short(next, k->zone, z);
			if (who) {
				reach(person(k, who), line, sizeof(line));
				buf_addf(b, "%s%s–%s %s", b->len ? "\n" : "",
					 a + 11, z + 11, line);
			}
			start = next;
			who = w;
		}
		t = next;
	}
	if (!b->len)
		buf_adds(b, "—");
}

static void duty_part(struct pk *k, struct doc *d)
{
	const char *head[2] = { T(k, "Day", "日期"),
				T(k, "On duty", "值班人员") };
	int64_t day0 = day_start(k->zone, k->now_ms);
	bool any = false;
	char *s;

	doc_heading_id(d, 2, T(k, "Duty roster", "值班表"), "duty");
	if (k->zh)
		s = xasprintf("自 %s 起 %d 天，时间为 %s 时间。", k->date,
			      PACK_DUTY_DAYS, k->zone);
	else
		s = xasprintf("The %d days from %s; times are in %s.",
			      PACK_DUTY_DAYS, k->date, k->zone);
	doc_para(d, s);
	free(s);
	for (size_t i = 0; i < k->ngroups; i++) {
		const struct pgroup *g = &k->groups[i];

		if (!g->nrot)
			continue;
		any = true;
		doc_heading(d, 3, text(k, g->pg->name));
		doc_table(d, 2, head);
		for (int n = 0; n < PACK_DUTY_DAYS; n++) {
			int64_t from = day_start(k->zone, day0 + n * DAY_MS +
							  DAY_MS / 2);
			int64_t to = day_start(k->zone, from + DAY_MS +
							DAY_MS / 2);
			struct buf b = BUF_INIT;
			char day[32];
			const char *c[2] = { day, NULL };

			tz_short(from, k->zone, day);
			day[10] = 0;
			duty_day(k, g, from, to, &b);
			c[1] = buf_str(&b);
			doc_row(d, c, false);
			buf_release(&b);
		}
	}
	if (!any)
		doc_para(d, T(k, "No group has a duty roster: the leads and "
				 "deputies in the contacts stand in.",
			      "尚无小组排班：由通讯录中的组长和副组长代行。"));
}

static int supply_row(void *ctx, const struct supply *s)
{
	void **x = ctx;
	struct pk *k = x[0];
	struct doc *d = x[1];
	char qty[96], min[48], by[32];
	const char *c[6] = { s->name, *s->kind ? s->kind : "—", qty, min,
			     *s->location ? s->location : "—", by };

	snprintf(qty, sizeof(qty), "%lld %s", (long long)s->quantity, s->unit);
	snprintf(min, sizeof(min), "%lld", (long long)s->min_quantity);
	if (s->inspect_by_ms) {
		tz_short(s->inspect_by_ms, k->zone, by);
		by[10] = 0;
	} else {
		snprintf(by, sizeof(by), "—");
	}
	doc_row(d, c, s->quantity < s->min_quantity);
	return 0;
}

static void supplies_part(struct pk *k, struct doc *d)
{
	const char *head[6] = { T(k, "Supply", "物资"), T(k, "Kind", "类别"),
				T(k, "Quantity", "数量"),
				T(k, "Minimum", "最低库存"),
				T(k, "Kept at", "存放地点"),
				T(k, "Inspect by", "检查期限") };
	void *x[2] = { k, d };
	int rc;

	doc_heading_id(d, 2, T(k, "Supplies and where they are kept",
			       "应急物资及存放地点"), "supplies");
	doc_table(d, 6, head);
	rc = store_supply_list(k->st, supply_row, x);
	if (rc && !k->rc)
		k->rc = rc;
}

static void first15_level(struct pk *k, struct doc *d,
			  const struct plan_level *lv)
{
	const char *chead[3] = { T(k, "Group", "小组"),
				 T(k, "On duty now", "当前值班"),
				 T(k, "Leads and deputies", "组长和副组长") };
	const char *mhead[2] = { T(k, "Group", "小组"),
				 T(k, "Measure", "措施") };
	const char *nl = national_level(k, lv), *type, *regs;
	char id[KEY_MAX + 16], *s;

	snprintf(id, sizeof(id), "first-15-%s", lv->key);
	s = xasprintf(k->zh ? "最初 15 分钟：%s" : "The first 15 minutes: %s",
		      text(k, lv->name));
	doc_heading_id(d, 2, s, id);
	free(s);
	s = xasprintf(k->zh ? "确认 %d 分钟内，启动 %d 分钟内。值班人员为生成时（%s）在班者，"
			      "之后请查值班表。"
			    : "Acknowledge within %d min, activate within %d "
			      "min. On duty: as at %s; later, see the roster.",
		      lv->targets.ack_min, lv->targets.activate_min, k->built);
	doc_para(d, s);
	free(s);

	doc_heading(d, 3, T(k, "Who to call", "通知谁"));
	doc_table(d, 3, chead);
	for (size_t i = 0; i < lv->nnotify; i++) {
		const struct pgroup *g = group_of(k, lv->notify[i]);
		struct buf duty = BUF_INIT, leads = BUF_INIT;
		const char *c[3];
		char line[NAME_MAX_ + PHONE_MAX + 8];
		int64_t who = g ? on_call(g, k->now_ms) : 0;

		if (who) {
			reach(person(k, who), line, sizeof(line));
			buf_adds(&duty, line);
		} else {
			buf_adds(&duty, "—");
		}
		if (g)
			reached(k, g, "leads", &leads);
		c[0] = group_name(k, lv->notify[i]);
		c[1] = buf_str(&duty);
		c[2] = buf_str(&leads);
		doc_row(d, c, false);
		buf_release(&duty);
		buf_release(&leads);
	}

	doc_heading(d, 3, T(k, "What to do", "做什么"));
	if (lv->nmeasures)
		doc_table(d, 2, mhead);
	else
		doc_para(d, "—");
	for (size_t i = 0; i < lv->nmeasures; i++) {
		const char *c[2] = { group_name(k, lv->measures[i].group),
				     text(k, lv->measures[i].title) };

		doc_row(d, c, false);
	}

	doc_heading(d, 3, T(k, "The regulator's clock", "监管报告时限"));
	org_regulators(&k->org, &type, &regs);
	if (reportable(nl)) {
		json_t *rj = regs ? json_loads(regs, 0, NULL) : NULL, *r;
		struct buf b = BUF_INIT;
		size_t i;

		json_array_foreach(rj, i, r) {
			const char *n = json_string_value(json_object_get(r, "name"));
			const char *ph = json_string_value(json_object_get(r, "phone"));

			buf_addf(&b, "\n%s %s", n ? n : "", ph ? ph : "");
		}
		json_decref(rj);
		s = xasprintf(k->zh ? "本级对应国家分级 %s 级：须在发现事件后 %d 分钟内向监管部门首报"
				      "（%s）。记下发现时间，按时报告，之后续报。%s"
				    : "This level is national level %s: report "
				      "to the regulator within %d minutes of "
				      "discovering the incident (%s). Note the "
				      "time of discovery, report in time, then "
				      "send updates.%s",
			      nl, deadline_min(type), operator_name(k, type),
			      buf_str(&b));
		doc_para(d, s);
		free(s);
		buf_release(&b);
	} else {
		s = xasprintf(k->zh ? "本级对应国家分级 %s：无须向监管部门限时报告；"
				      "升级到 III 级及以上时即开始计时。"
				    : "This level is national level %s: no "
				      "timed report to a regulator; the clock "
				      "starts if it is raised to III or above.",
			      *nl ? nl : "—");
		doc_para(d, s);
		free(s);
	}
}

static void first15_part(struct pk *k, struct doc *d)
{
	for (size_t i = 0; i < k->plan->nlevels; i++) {
		if (i)
			doc_page_break(d);
		first15_level(k, d, &k->plan->levels[i]);
	}
}

/* ---- the files ---------------------------------------------------------- */

static struct pack_file *file(struct pack *p, const char *path)
{
	struct pack_file *f = &p->files[p->n++];

	snprintf(f->path, sizeof(f->path), "%s", path);
	return f;
}

static struct doc *new_doc(struct pk *k, const char *what_en,
			   const char *what_zh)
{
	struct doc *d = doc_new(k->lang);
	char *title = xasprintf("%s — %s", T(k, what_en, what_zh),
				text(k, k->plan->name));
	char *sub = xasprintf(k->zh ? "%s · 应急包 · 预案 %s 第 %d 版 · %s"
				    : "%s · emergency pack · plan %s v%d · %s",
			      k->org.name, k->v.plan_key, k->v.n, k->date);

	doc_title(d, title, sub);
	doc_footer(d, k->footer);
	free(title);
	free(sub);
	return d;
}

static int add_pdf(const struct pk *k, struct pack *p, const char *path,
		   struct doc *d)
{
	struct pack_file *f = file(p, path);
	int rc = doc_pdf(d, &f->data, &f->len);

	doc_free(d);
	return rc;
}

static void add_text(struct pack *p, const char *path, char *text)
{
	struct pack_file *f = file(p, path);

	f->data = text;
	f->len = strlen(text);
}

static char *readme(struct pk *k)
{
	char pub[32];

	tz_short(k->v.published_ms, k->zone, pub);
	return xasprintf(
		"应急包 / Emergency pack\n"
		"=======================\n\n"
		"单位：%s\n"
		"预案：%s 第 %d 版（发布于 %s）\n"
		"生成时间：%s（%s）\n\n"
		"这是 erms 在 IT 系统、erms 本身或网络不可用时使用的应急包：现行预案"
		"（plan.pdf，离线网页 plan.html 包含全部内容）、组织机构与通讯录、上报链"
		"（呼叫树）、监管部门与报告时限（contacts.pdf）、未来 %d 天值班表"
		"（duty.pdf）、应急物资及存放地点（supplies.pdf），以及每个级别一页的"
		"“最初 15 分钟”（first-15-minutes.pdf）。每页均印有预案版本、单位名称"
		"和生成日期。\n\n"
		"校验：manifest.json 列出每个文件的 SHA-256 和大小，manifest.sig 是本"
		"安装的密钥对它的 Ed25519 签名。运行\n"
		"    erms pack verify 目录 [--db 数据库]\n"
		"确认文件完整、未被修改，且由本安装生成。\n"
		"打印：打印各 PDF（A4），或在浏览器中打开 plan.html 打印。\n\n"
		"Organisation: %s\n"
		"Plan: %s v%d (published %s)\n"
		"Built: %s (%s)\n\n"
		"This is erms's emergency pack, for when IT, erms itself or the "
		"network is down: the plan in force (plan.pdf; the offline page "
		"plan.html holds everything), the organisation chart with every "
		"member's numbers, the call tree, the regulators and the "
		"reporting deadline (contacts.pdf), the duty roster for the next "
		"%d days (duty.pdf), the supplies and where they are kept "
		"(supplies.pdf), and one \"first 15 minutes\" page per level "
		"(first-15-minutes.pdf). Every page carries the plan's version, "
		"the organisation's name and the pack's date.\n\n"
		"To verify: manifest.json lists every file with its SHA-256 and "
		"size; manifest.sig is its Ed25519 signature by this "
		"installation's key. Run\n"
		"    erms pack verify DIR [--db DATABASE]\n"
		"to check that the files are whole, unchanged, and made by this "
		"installation.\n"
		"To print: print the PDFs (A4), or open plan.html in a browser "
		"and print it.\n",
		k->org.name, k->v.plan_key, k->v.n, pub, k->built, k->zone,
		PACK_DUTY_DAYS, k->org.name, k->v.plan_key, k->v.n, pub,
		k->built, k->zone, PACK_DUTY_DAYS);
}

void app_pack_public_key(const struct keys *k, unsigned char pk[32])
{
	unsigned char sk[crypto_sign_SECRETKEYBYTES];

	crypto_sign_seed_keypair(pk, sk, k->pack);
	sodium_memzero(sk, sizeof(sk));
}

void app_pack_fingerprint(const unsigned char pk[32], char out[48])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	size_t n = 0;

	crypto_hash_sha256(h, pk, 32);
	for (int i = 0; i < 16; i++) {
		n += (size_t)snprintf(out + n, 48 - n, "%02x", h[i]);
		if (i % 2 && i < 15)
			out[n++] = ' ';
	}
	out[n] = 0;
}

/* manifest.json over the files so far, and manifest.sig. */
static void manifest(struct pk *k, struct pack *p, const struct keys *keys)
{
	unsigned char pkey[32], sk[crypto_sign_SECRETKEYBYTES];
	unsigned char sig[crypto_sign_BYTES];
	char hex[65], *text;
	json_t *files = json_array(), *m;
	struct pack_file *f;

	for (size_t i = 0; i < p->n; i++) {
		char sum[SHA256_HEX_LEN];

		sha256_hex(p->files[i].data, p->files[i].len, sum);
		json_array_append_new(files, json_pack(
			"{s:s, s:s, s:I}", "path", p->files[i].path,
			"sha256", sum, "bytes", (json_int_t)p->files[i].len));
	}
	crypto_sign_seed_keypair(pkey, sk, keys->pack);
	sodium_bin2hex(hex, sizeof(hex), pkey, sizeof(pkey));
	m = json_pack("{s:i, s:s, s:{s:s, s:i, s:o}, s:o, s:o, s:s}", "pack",
		      1, "organisation", k->org.name, "plan", "key",
		      k->v.plan_key, "n", k->v.n, "published_at",
		      json_time(k->v.published_ms), "generated_at",
		      json_time(k->now_ms), "files", files, "key", hex);
	text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(m);
	f = file(p, "manifest.json");
	f->data = xasprintf("%s\n", text);
	f->len = strlen(f->data);
	free(text);
	crypto_sign_detached(sig, NULL, (unsigned char *)f->data, f->len, sk);
	sodium_memzero(sk, sizeof(sk));
	f = file(p, "manifest.sig");
	f->data = xcalloc(1, sizeof(sig));
	memcpy(f->data, sig, sizeof(sig));
	f->len = sizeof(sig);
}

static void pk_release(struct pk *k)
{
	for (size_t i = 0; i < k->ngroups; i++) {
		free(k->groups[i].m);
		free(k->groups[i].rot);
	}
	free(k->groups);
	free(k->users);
	free(k->footer);
	plan_unref(k->plan);
	plan_version_release(&k->v);
	organisation_release(&k->org);
}

void pack_release(struct pack *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->files[i].data);
	p->n = 0;
}

int app_pack_build(struct store *st, const struct keys *keys, int64_t now_ms,
		   struct pack *out, struct errbuf *e)
{
	struct pk k = { .st = st, .now_ms = now_ms };
	struct doc *all;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!keys)
		return err_ret(e, ERMS_EINVAL, "no_key",
			       "the pack is signed with the installation's "
			       "key, and none is open");
	rc = store_org_get(st, &k.org);
	if (!rc)
		rc = store_pv_current(st, &k.v);
	if (rc == ERMS_ENOTFOUND) {
		rc = err_ret(e, rc, "no_plan", "no plan is in force");
		goto out;
	}
	if (!rc)
		rc = plan_load(st, k.v.id, &k.plan);
	if (!rc)
		rc = read_groups(&k);
	if (rc) {
		if (!*e->msg)
			err_ret(e, rc, "store", "cannot read the plan in force");
		goto out;
	}
	if (!*k.org.name)	/* never set: say whose pack it is anyway */
		snprintf(k.org.name, sizeof(k.org.name), "erms");
	k.zh = !strcmp(k.org.locale, "zh-CN");
	k.lang = k.zh ? "zh-CN" : "en";
	k.zone = *k.org.time_zone ? k.org.time_zone : TZ_DEFAULT;
	tz_short(now_ms, k.zone, k.built);
	snprintf(k.date, sizeof(k.date), "%.10s", k.built);
	k.footer = xasprintf(k.zh ? "%s · 预案 %s 第 %d 版 · 应急包 %s"
				  : "%s · plan %s v%d · pack of %s",
			     k.org.name, k.v.plan_key, k.v.n, k.date);
	out->version_id = k.v.id;
	snprintf(out->plan_key, sizeof(out->plan_key), "%s", k.v.plan_key);
	out->plan_n = k.v.n;
	out->stale_ms = day_start(k.zone, day_start(k.zone, now_ms) + DAY_MS +
					      DAY_MS / 2);
	snprintf(out->name, sizeof(out->name), "erms-pack-%s-v%d-%s",
		 k.v.plan_key, k.v.n, k.date);

	/* One page with everything, for a laptop. */
	all = new_doc(&k, "Emergency pack", "应急包");
	plan_part(&k, all);
	contacts_part(&k, all);
	duty_part(&k, all);
	supplies_part(&k, all);
	first15_part(&k, all);
	add_text(out, "plan.html", doc_html(all));
	doc_free(all);

	/* The same parts on paper. */
	all = new_doc(&k, "Emergency plan", "应急预案");
	plan_part(&k, all);
	rc = add_pdf(&k, out, "plan.pdf", all);
	if (!rc) {
		all = new_doc(&k, "Contacts and call tree", "通讯录与上报链");
		contacts_part(&k, all);
		rc = add_pdf(&k, out, "contacts.pdf", all);
	}
	if (!rc) {
		all = new_doc(&k, "Duty roster", "值班表");
		duty_part(&k, all);
		rc = add_pdf(&k, out, "duty.pdf", all);
	}
	if (!rc) {
		all = new_doc(&k, "Supplies", "应急物资");
		supplies_part(&k, all);
		rc = add_pdf(&k, out, "supplies.pdf", all);
	}
	if (!rc) {
		all = new_doc(&k, "The first 15 minutes", "最初 15 分钟");
		first15_part(&k, all);
		rc = add_pdf(&k, out, "first-15-minutes.pdf", all);
	}
	if (rc) {
		err_ret(e, rc, "pdf", "cannot render the pack's PDFs");
		goto out;
	}
	if (k.rc) {
		rc = err_ret(e, k.rc, "store", "cannot read the supplies");
		goto out;
	}
	add_text(out, "README.txt", readme(&k));
	manifest(&k, out, keys);
out:
	pk_release(&k);
	return rc;
}

int app_pack_get(struct store *st, const struct principal *p,
		 int64_t now_ms, struct pack *out, struct errbuf *e)
{
	memset(out, 0, sizeof(*out));
	if (!p)
		return err_ret(e, ERMS_EAUTH, "unauthorized", "sign in first");
	return app_pack_build(st, keys_current(), now_ms, out, e);
}
