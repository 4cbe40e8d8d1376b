/*
 * api-export.c - the incident list as CSV (GET /api/v1/incidents.csv):
 * the list's filters, every matching row, newest first, in the reader's
 * language (headings, states, level and category names) and time zone
 * (app_zone_for: the user's own, else the organisation's).
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/plancache.h"
#include "app/reads.h"
#include "app/zone.h"
#include "http/api.h"
#include "plan/plan.h"
#include "util/csv.h"
#include "util/tz.h"
#include "util/xalloc.h"

/* Rows read per call of the list, and at most in one export. */
#define EXPORT_PAGE 500
#define EXPORT_MAX 100000

static const char *const head_en[] = {
	"number", "title", "status", "level", "category", "drill",
	"reported_at", "acknowledged_at", "activated_at", "resolved_at",
	"closed_at",
};
static const char *const head_zh[] = {
	"编号", "标题", "状态", "级别", "类别", "演练",
	"上报时间", "确认时间", "启动时间", "处置完成时间",
	"结束时间",
};

/* The states' words, as the console shows them (web/lib/i18n.js). */
static const struct {
	enum inc_state s;
	const char *zh, *en;
} state_words[] = {
	{ INC_REPORTED, "已上报", "Reported" },
	{ INC_ACKNOWLEDGED, "已确认", "Acknowledged" },
	{ INC_ACTIVE, "响应中", "Active" },
	{ INC_RESOLVED, "已处置", "Resolved" },
	{ INC_CLOSED, "已结束", "Closed" },
	{ INC_REVIEWED, "已总结", "Reviewed" },
	{ INC_DISMISSED, "不予启动", "Dismissed" },
};

struct export {
	struct store *st;
	struct buf *b;
	bool zh;
	const char *zone;
	int64_t last;			/* the last id written */
	int n;				/* rows of this page */
	int total;
};

static const char *state_word(enum inc_state s, bool zh)
{
	for (size_t i = 0; i < ARRAY_SIZE(state_words); i++)
		if (state_words[i].s == s)
			return zh ? state_words[i].zh : state_words[i].en;
	return incident_state_name(s);
}

static void put_time(struct export *x, int64_t ms, bool last)
{
	char t[32] = "";

	if (ms)
		tz_rfc3339(ms, x->zone, t);
	csv_put(x->b, t, last);
}

static int put_row(void *ctx, const struct incident_row *r)
{
	struct export *x = ctx;
	const char *lang = x->zh ? "zh-CN" : "en";
	const struct plan *p = NULL;
	const struct plan_level *l = NULL;
	const struct plan_category *c = NULL;

	if (!plan_load(x->st, r->plan_version_id, &p)) {
		l = *r->level_key ? plan_level(p, r->level_key) : NULL;
		c = plan_category(p, r->category);
	}
	csv_put(x->b, r->number, false);
	csv_put_text(x->b, r->title ? r->title : "", false);
	csv_put(x->b, state_word(r->inc.state, x->zh), false);
	csv_put_text(x->b, l ? plan_text(l->name, lang) : r->level_key,
		     false);
	csv_put_text(x->b, c ? plan_text(c->name, lang) : r->category, false);
	csv_put(x->b, r->inc.is_drill ? (x->zh ? "是" : "yes")
				      : (x->zh ? "否" : "no"), false);
	put_time(x, r->inc.reported_ms, false);
	put_time(x, r->inc.acked_ms, false);
	put_time(x, r->inc.activated_ms, false);
	put_time(x, r->inc.resolved_ms, false);
	put_time(x, r->inc.closed_ms, true);
	if (p)
		plan_unref(p);
	x->last = r->inc.id;
	x->n++;
	x->total++;
	return x->total >= EXPORT_MAX;
}

void api_incident_csv(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct incident_filter f = { .is_drill = -1 };
	struct buf b = BUF_INIT;
	char zone[64];
	struct export x = { .st = rq->st, .b = &b, .zh = !strcmp(rq->lang, "zh-CN"),
			    .zone = zone };
	const char *const *head;
	int rc = api_incident_filter(rq, &f, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	app_zone_for(rq->st, &rq->who, zone);
	/* A byte order mark: spreadsheets then read the file as UTF-8. */
	buf_adds(&b, "\xef\xbb\xbf");
	head = x.zh ? head_zh : head_en;
	for (size_t i = 0; i < ARRAY_SIZE(head_en); i++)
		csv_put(&b, head[i], i + 1 == ARRAY_SIZE(head_en));
	do {
		x.n = 0;
		f.before_id = x.last;
		f.limit = EXPORT_PAGE;
		rc = app_incident_list(rq->st, &rq->who, &f, put_row, &x, &e);
	} while (!rc && x.n == EXPORT_PAGE);
	if (rc > 0)
		rc = 0;		/* stopped at EXPORT_MAX */
	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_header(rs, "Content-Disposition",
			    "attachment; filename=\"incidents.csv\"");
		resp_bytes(rs, 200, "text/csv; charset=utf-8", b.data, b.len);
	}
	buf_release(&b);
}
