/*
 * plannotice.c - the messages of a plan's revision and the reminders to
 * acknowledge it (app/plannotice.h).
 */
#include "app/plannotice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/notify.h"
#include "app/plancache.h"
#include "core/calendar.h"
#include "plan/model.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define REMIND_BATCH 200

/* The plan's name (its name_json) in lang into out. */
static void name_of(const struct plan_version *v, const char *lang,
		    char *out, size_t n)
{
	json_t *t = json_loads(v->name_json ? v->name_json : "null",
			       JSON_DECODE_ANY, NULL);

	snprintf(out, n, "%s", t ? plan_text(t, lang) : "");
	if (!*out)
		snprintf(out, n, "%s", v->plan_key);
	json_decref(t);
}

/* A person's name, or their login. */
static void person(struct store *st, int64_t id, char *out, size_t n)
{
	struct user u;

	if (id && !store_user_get(st, id, &u))
		snprintf(out, n, "%s", u.display_name[0] ? u.display_name
							 : u.login);
	else
		snprintf(out, n, "%s", "erms");
}

/* Where a diff's change is: the top of its path ("levels[x].a" -> levels). */
static const struct {
	const char *list, *zh, *en;
} parts[] = {
	{ "groups", "组织机构", "groups" },
	{ "categories", "事件分类", "categories" },
	{ "levels", "响应级别与措施", "levels and measures" },
	{ "escalation", "上报链", "reporting chain" },
	{ "drills", "演练要求", "drill requirements" },
	{ "sections", "章节", "sections" },
};
#define NPARTS (sizeof(parts) / sizeof(parts[0]))

/* "levels and measures 2, sections 1" of the changes, in zh and en. */
static void changes_summary(const json_t *changes, struct buf *zh,
			    struct buf *en)
{
	int count[NPARTS + 1] = { 0 };
	const json_t *c;
	size_t i;

	json_array_foreach(changes, i, c) {
		const char *path = json_string_value(json_object_get(c, "path"));
		size_t len = path ? strcspn(path, "[.") : 0, k;

		for (k = 0; k < NPARTS; k++)
			if (strlen(parts[k].list) == len &&
			    !strncmp(path, parts[k].list, len))
				break;
		count[k]++;
	}
	for (size_t k = 0; k <= NPARTS; k++) {
		if (!count[k])
			continue;
		buf_addf(zh, "%s%s %d 处", zh->len ? "，" : "",
			 k < NPARTS ? parts[k].zh : "其他", count[k]);
		buf_addf(en, "%s%s %d", en->len ? ", " : "",
			 k < NPARTS ? parts[k].en : "other", count[k]);
	}
}

/* The changes from version prev_n of v's plan to v (NULL: none). */
static json_t *changes_from(struct store *st, const struct plan_version *v,
			    int prev_n)
{
	struct plan_version old = { 0 };
	json_t *a = NULL, *b = NULL, *d = NULL;

	if (prev_n && !store_pv_get(st, v->plan_id, prev_n, &old)) {
		a = json_loads(old.content ? old.content : "", 0, NULL);
		b = json_loads(v->content ? v->content : "", 0, NULL);
		if (a && b)
			d = plan_diff(a, b);
	}
	json_decref(a);
	json_decref(b);
	plan_version_release(&old);
	return d;
}

struct texts {
	struct buf sz, tz, se, te;	/* subject and text, zh and en */
};

static void texts_release(struct texts *x)
{
	buf_release(&x->sz);
	buf_release(&x->tz);
	buf_release(&x->se);
	buf_release(&x->te);
}

static int send(struct store *st, struct texts *x, const char *event,
		const char *path, const char *const *groups, size_t ngroups,
		int64_t user_id, int64_t now_ms)
{
	struct notify_plan_msg m = {
		.event = event, .subject_zh = buf_str(&x->sz),
		.text_zh = buf_str(&x->tz), .subject_en = buf_str(&x->se),
		.text_en = buf_str(&x->te), .path = path, .groups = groups,
		.ngroups = ngroups, .user_id = user_id,
	};
	int queued;

	return notify_plan(st, &m, now_ms, &queued);
}

/* Publication: all staff, with what changed, asked to acknowledge. */
static int tell_staff(struct store *st, const struct plan_version *v,
		      const struct plan *plan, int prev_n, const char *path,
		      const char *zname, const char *ename, int64_t now_ms)
{
	const char **keys = xcalloc(plan->ngroups + 1, sizeof(*keys));
	json_t *changes = changes_from(st, v, prev_n);
	struct buf cz = BUF_INIT, ce = BUF_INIT;
	struct texts x = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	int rc;

	for (size_t i = 0; i < plan->ngroups; i++)
		keys[i] = plan->groups[i].key;
	changes_summary(changes, &cz, &ce);
	buf_addf(&x.sz, "【新版预案已发布】%s 第 %d 版", zname, v->n);
	buf_addf(&x.se, "[Plan published] %s, version %d", ename, v->n);
	buf_addf(&x.tz, "预案“%s”第 %d 版已发布生效。", zname, v->n);
	buf_addf(&x.te, "Version %d of the plan \"%s\" is now in force.",
		 v->n, ename);
	if (prev_n) {
		buf_addf(&x.tz, "与第 %d 版相比的变更：%s。", prev_n,
			 cz.len ? buf_str(&cz) : "无");
		buf_addf(&x.te, " Changed since version %d: %s.", prev_n,
			 ce.len ? buf_str(&ce) : "nothing");
	}
	buf_adds(&x.tz, "\n请在控制台查看变更内容，并确认已学习。");
	buf_adds(&x.te, "\nRead what changed in the console and acknowledge "
			"that you have read it.");
	rc = send(st, &x, "plan.published", path, keys, plan->ngroups, 0,
		  now_ms);
	texts_release(&x);
	buf_release(&cz);
	buf_release(&ce);
	json_decref(changes);
	free(keys);
	return rc;
}

int plan_notice_step(struct store *st, const struct principal *p,
		     const struct plan_version *v, enum pv_step step,
		     int prev_n, const char *comment, int64_t now_ms)
{
	struct texts x = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
	/* Built from v itself, not the cache: a draft's content changes
	 * under the same version id. */
	json_t *content = json_loads(v->content ? v->content : "", 0, NULL);
	const struct plan *plan = content ? plan_build(content, v->id) : NULL;
	char zname[256], ename[256], who[NAME_MAX_ + 1], path[KEY_MAX + 16];
	const char *lead;
	int rc = 0;

	json_decref(content);
	if (!plan)
		return ERMS_ESTORE;
	name_of(v, "zh-CN", zname, sizeof(zname));
	name_of(v, "en", ename, sizeof(ename));
	person(st, p->user.id, who, sizeof(who));
	snprintf(path, sizeof(path), "#/plans?plan=%s", v->plan_key);
	switch (step) {
	case PVS_SUBMIT:
		lead = notify_kind_group(plan, "leadership");
		buf_addf(&x.sz, "【预案待审批】%s 第 %d 版", zname, v->n);
		buf_addf(&x.se, "[Plan awaiting approval] %s, version %d",
			 ename, v->n);
		buf_addf(&x.tz, "%s 已提交预案“%s”第 %d 版，请领导小组审批。",
			 who, zname, v->n);
		buf_addf(&x.te, "%s submitted version %d of the plan \"%s\": "
			 "the leadership group approves it.", who, v->n, ename);
		rc = lead ? send(st, &x, "plan.submitted", path, &lead, 1, 0,
				 now_ms) : 0;
		break;
	case PVS_APPROVE:
	case PVS_REJECT:
		buf_addf(&x.sz, "【预案%s】%s 第 %d 版",
			 step == PVS_APPROVE ? "已批准" : "被退回", zname, v->n);
		buf_addf(&x.se, "[Plan %s] %s, version %d",
			 step == PVS_APPROVE ? "approved" : "sent back", ename,
			 v->n);
		buf_addf(&x.tz, "%s %s预案“%s”第 %d 版。", who,
			 step == PVS_APPROVE ? "已批准" : "退回了", zname, v->n);
		buf_addf(&x.te, "%s %s version %d of the plan \"%s\".", who,
			 step == PVS_APPROVE ? "approved" : "sent back", v->n,
			 ename);
		if (comment && *comment) {
			buf_addf(&x.tz, "\n意见：%s", comment);
			buf_addf(&x.te, "\nComment: %s", comment);
		}
		buf_adds(&x.tz, step == PVS_APPROVE ? "\n可以发布。"
						    : "\n请修改后重新提交。");
		buf_adds(&x.te, step == PVS_APPROVE
				? "\nIt may now be published."
				: "\nRevise it and submit it again.");
		rc = send(st, &x, step == PVS_APPROVE ? "plan.approved"
						      : "plan.rejected",
			  path, NULL, 0, v->author_id, now_ms);
		break;
	case PVS_PUBLISH:
		buf_addf(&x.sz, "【预案已发布】%s 第 %d 版", zname, v->n);
		buf_addf(&x.se, "[Plan published] %s, version %d", ename,
			 v->n);
		buf_addf(&x.tz, "%s 已发布您提交的预案“%s”第 %d 版，现已生效。",
			 who, zname, v->n);
		buf_addf(&x.te, "%s published version %d of the plan \"%s\", "
			 "which you wrote: it is now in force.", who, v->n,
			 ename);
		rc = send(st, &x, "plan.published", path, NULL, 0,
			  v->author_id, now_ms);
		if (!rc)
			rc = tell_staff(st, v, plan, prev_n, path, zname, ename,
					now_ms);
		break;
	default:
		break;
	}
	texts_release(&x);
	plan_unref(plan);
	return rc;
}

static int collect(void *ctx, int64_t id)
{
	json_array_append_new(ctx, json_integer(id));
	return 0;
}

int app_plan_reminders(struct store *st, int64_t now_ms, int *n)
{
	struct plan_version v = { 0 };
	const struct plan *plan = NULL;
	json_t *ids = json_array(), *id;
	char zname[256], ename[256], path[KEY_MAX + 16];
	int64_t period;
	size_t i;
	int rc = store_pv_current(st, &v);

	*n = 0;
	if (rc == ERMS_ENOTFOUND) {
		rc = 0;
		goto out;
	}
	if (rc || (rc = plan_load(st, v.id, &plan)) ||
	    plan->remind_after_days <= 0)
		goto out;
	period = plan->remind_after_days * DAY_MS;
	rc = store_ack_remind_due(st, v.id, v.published_ms, now_ms - period,
				  REMIND_BATCH, collect, ids);
	name_of(&v, "zh-CN", zname, sizeof(zname));
	name_of(&v, "en", ename, sizeof(ename));
	snprintf(path, sizeof(path), "#/plans?plan=%s", v.plan_key);
	json_array_foreach(ids, i, id) {
		struct texts x = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT };
		int64_t days = (now_ms - v.published_ms) / DAY_MS;

		if (rc)
			break;
		buf_addf(&x.sz, "【请确认预案】%s 第 %d 版", zname, v.n);
		buf_addf(&x.se, "[Please acknowledge] %s, version %d", ename,
			 v.n);
		buf_addf(&x.tz, "预案“%s”第 %d 版已发布 %lld 天，您尚未确认已学习。"
			 "\n请在控制台查看变更内容并确认。", zname, v.n,
			 (long long)days);
		buf_addf(&x.te, "Version %d of the plan \"%s\" was published "
			 "%lld day(s) ago and you have not acknowledged it yet."
			 "\nRead what changed in the console and acknowledge "
			 "it.", v.n, ename, (long long)days);
		rc = send(st, &x, "plan.reminder", path, NULL, 0,
			  json_integer_value(id), now_ms);
		if (!rc)
			rc = store_ack_remind_put(st, v.id,
						  json_integer_value(id),
						  now_ms);
		if (!rc)
			(*n)++;
		texts_release(&x);
	}
out:
	plan_unref(plan);
	plan_version_release(&v);
	json_decref(ids);
	return rc;
}
