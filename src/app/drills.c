/*
 * drills.c - drills: the use cases.
 */
#include "app/drills.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/codec.h"
#include "app/incidents.h"
#include "app/notify.h"
#include "app/plancache.h"
#include "app/version.h"
#include "app/timeline.h"
#include "core/calendar.h"
#include "plan/plan.h"
#include "util/buf.h"
#include "util/xalloc.h"

static int bad(struct errbuf *err, const char *field, const char *msg)
{
	errbuf_set(err, "invalid", "%s", msg);
	errbuf_field(err, field);
	return ERMS_EINVAL;
}

/* The typed plan in force into *plan (a reference: plan_unref()). */
static int plan_in_force(struct store *st, const struct plan **plan,
			 struct errbuf *err)
{
	int rc = plan_load_current(st, plan);

	if (rc == ERMS_ENOTFOUND)
		rc = err_ret(err, ERMS_ECONFLICT, "conflict",
			     "no emergency plan is in force yet");
	return rc;
}

static int drill_audit(struct store *st, const struct principal *p,
		       const char *action, const struct drill_row *d,
		       int64_t now_ms)
{
	char obj[40];

	snprintf(obj, sizeof(obj), "drill:%" PRId64, d->id);
	return audit_append(st, p->user.id, action, obj, d->title, now_ms);
}

int app_drill_plan(struct store *st, const struct principal *p,
		   struct drill_row *d, int64_t now_ms, struct errbuf *err)
{
	const struct plan *plan = NULL;
	int rc = app_may(p, A_DRILL_MANAGE, NULL, err);

	if (!rc)
		rc = plan_in_force(st, &plan, err);
	if (rc)
		goto out;
	if (drill_kind_parse(d->kind) < 0)
		rc = bad(err, "kind", "kind is tabletop or live");
	else if (!plan_category(plan, d->category))
		rc = bad(err, "category", "not a category of the plan in force");
	else if (d->level[0] && !plan_level(plan, d->level))
		rc = bad(err, "level", "not a level of the plan in force");
	if (rc)
		goto out;
	if (d->minutes < 1)
		d->minutes = 60;
	d->created_by = p->user.id;
	d->created_ms = now_ms;
	app_stamp(&d->stamp, p);
	rc = store_drill_insert(st, d);
	if (!rc)
		rc = drill_audit(st, p, "drill.plan", d, now_ms);
out:
	plan_unref(plan);
	return rc;
}

static int start(struct store *st, const struct principal *p,
		 struct drill_row *d, int64_t now_ms, struct errbuf *err)
{
	json_t *detail = json_loads(d->detail ? d->detail : "{}", 0, NULL);
	const char *scenario = json_string_value(json_object_get(detail,
								 "scenario"));
	struct incident_input in = {
		.title = d->title, .description = scenario ? scenario : "",
		.impact = "", .category = d->category,
		.proposed_level = d->level[0] ? d->level : NULL,
		.is_drill = true,
	};
	struct incident_row r = { 0 };
	int rc = app_incident_report(st, p, &in, now_ms, &r, err);

	if (!rc) {
		d->incident_id = r.inc.id;
		d->started_ms = now_ms;
	}
	incident_row_release(&r);
	json_decref(detail);
	return rc;
}

/* The measured durations of the drill incident against its targets. */
static json_t *durations_json(const struct incident_row *r)
{
	static const char *const names[IST__COUNT] = { "ack", "activate",
						       "resolve", "close" };
	static const char *const verdicts[] = { "none", "met", "missed" };
	struct inc_durations d;
	json_t *a = json_array();

	incident_durations(&r->inc, &d);
	for (int i = 0; i < IST__COUNT; i++) {
		const struct inc_duration *s = &d.step[i];

		json_array_append_new(a, json_pack(
			"{s:s, s:o, s:o, s:s}", "step", names[i],
			"ms", s->ms < 0 ? json_null() : json_integer(s->ms),
			"target_ms", s->target_ms ? json_integer(s->target_ms)
						  : json_null(),
			"verdict", verdicts[s->verdict]));
	}
	return a;
}

static int scores_of(const json_t *in, json_t *out, int *sum, int *max,
		     struct errbuf *err)
{
	struct drill_score sc[64];
	const json_t *v;
	size_t i, n = json_array_size(in);

	if (!json_is_array(in) || n < 1 || n > 64)
		return bad(err, "scores", "scores: 1 to 64 criteria, each "
			   "{criterion, score, max}");
	json_array_foreach(in, i, v) {
		const char *c = json_string_value(json_object_get(v, "criterion"));
		json_t *s = json_object_get(v, "score");
		json_t *m = json_object_get(v, "max");

		if (!c || !*c || strlen(c) >= sizeof(sc[i].criterion) ||
		    !json_is_integer(s) || !json_is_integer(m) ||
		    json_integer_value(m) < 1 || json_integer_value(m) > 1000 ||
		    json_integer_value(s) < 0 ||
		    json_integer_value(s) > json_integer_value(m))
			return bad(err, "scores", "each score is {criterion "
				   "(1-63 bytes), score 0..max, max 1..1000}");
		snprintf(sc[i].criterion, sizeof(sc[i].criterion), "%s", c);
		sc[i].score = (int)json_integer_value(s);
		sc[i].max = (int)json_integer_value(m);
		json_array_append_new(out, json_pack("{s:s, s:i, s:i}",
			"criterion", c, "score", sc[i].score, "max", sc[i].max));
	}
	if (drill_score_total(sc, (int)n, sum, max))
		return bad(err, "scores", "the scores do not add up");
	return 0;
}

static int check_findings(const json_t *in, const struct plan *plan,
			  struct errbuf *err)
{
	const json_t *v;
	size_t i;

	if (in && (!json_is_array(in) || json_array_size(in) > 100))
		return bad(err, "findings", "findings: at most 100");
	json_array_foreach(in, i, v) {
		const char *t = json_string_value(json_object_get(v, "title"));
		const char *g = json_string_value(json_object_get(v, "group"));
		json_t *rp = json_object_get(v, "revise_plan");

		if (!t || !*t || strlen(t) > 500)
			return bad(err, "findings", "a finding has a title "
				   "(1-500 bytes)");
		if (g && !plan_group(plan, g))
			return bad(err, "findings", "a finding's group is not a "
				   "group of the plan in force");
		if (rp && !json_is_boolean(rp))
			return bad(err, "findings", "revise_plan is true or false");
	}
	return 0;
}

/* Each finding becomes a task on the drill incident. */
static int findings_to_tasks(struct store *st, const struct principal *p,
			     const struct incident_row *r, const json_t *in,
			     const struct plan *plan, json_t *out,
			     int64_t now_ms, struct errbuf *err)
{
	const char *cmd = notify_kind_group(plan, "command");
	const json_t *v;
	size_t i;
	int rc = 0;

	json_array_foreach(in, i, v) {
		const char *t = json_string_value(json_object_get(v, "title"));
		const char *g = json_string_value(json_object_get(v, "group"));
		bool revise = json_is_true(json_object_get(v, "revise_plan"));
		char *title = xasprintf("%s%s", revise ? "【修订预案 / Revise "
					"plan】" : "【演练发现 / Drill finding】", t);
		struct task task = { 0 };

		rc = app_task_create(st, p, r->number, title,
				     g ? g : cmd ? cmd : "command", 0, 0,
				     now_ms, &task, err);
		if (!rc)
			json_array_append_new(out, json_pack(
				"{s:s, s:s, s:b, s:I}", "title", t, "group",
				task.group_key, "revise_plan", revise,
				"task_id", (json_int_t)task.id));
		task_release(&task);
		free(title);
		if (rc)
			break;
	}
	return rc;
}

static int evaluate(struct store *st, const struct principal *p,
		    struct drill_row *d, const json_t *args, int64_t now_ms,
		    struct errbuf *err)
{
	struct incident_row r = { 0 };
	const struct plan *plan = NULL;
	json_t *ev = json_object(), *scores = json_array();
	json_t *findings = json_array();
	const json_t *fin = json_object_get(args, "findings");
	const char *notes = json_string_value(json_object_get(args, "notes"));
	int sum = 0, max = 0, revise = 0;
	int rc = scores_of(json_object_get(args, "scores"), scores, &sum, &max,
			   err);

	if (!rc)
		rc = plan_in_force(st, &plan, err);
	if (!rc)
		rc = check_findings(fin, plan, err);
	if (!rc)
		rc = store_incident_get_id(st, d->incident_id, &r);
	if (!rc)
		rc = findings_to_tasks(st, p, &r, fin, plan, findings,
				       now_ms, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < json_array_size(findings); i++)
		revise += json_is_true(json_object_get(
			json_array_get(findings, i), "revise_plan"));
	json_object_set_new(ev, "scores", json_incref(scores));
	json_object_set_new(ev, "total", json_integer(sum));
	json_object_set_new(ev, "max", json_integer(max));
	json_object_set_new(ev, "percent",
			    json_integer(drill_score_percent(sum, max)));
	json_object_set_new(ev, "durations", durations_json(&r));
	json_object_set_new(ev, "findings", json_incref(findings));
	json_object_set_new(ev, "plan_revision", json_boolean(revise > 0));
	json_object_set_new(ev, "notes", json_string(notes ? notes : ""));
	free(d->evaluation);
	d->evaluation = json_dumps(ev, JSON_COMPACT);
	d->evaluated_ms = now_ms;
out:
	incident_row_release(&r);
	plan_unref(plan);
	json_decref(ev);
	json_decref(scores);
	json_decref(findings);
	return rc;
}

/* A drill completes once its incident is over (core/drill.h). */
static int incident_over(struct store *st, const struct drill_row *d,
			 struct errbuf *err)
{
	struct incident_row r = { 0 };
	int rc = d->incident_id ? store_incident_get_id(st, d->incident_id, &r)
				: 0;

	if (!rc && d->incident_id && !drill_incident_over(r.inc.state))
		rc = err_ret(err, ERMS_ECONFLICT, "drill_incident_open",
			     "the drill incident %s is still %s: resolve or "
			     "dismiss it before completing the drill",
			     r.number, incident_state_name(r.inc.state));
	incident_row_release(&r);
	return rc;
}

int app_drill_step(struct store *st, const struct principal *p, int64_t id,
		   enum drill_step s, const json_t *args, int64_t now_ms,
		   struct drill_row *out, struct errbuf *err)
{
	enum drill_status to;
	char was[16], action[32];
	int from, rc = app_may(p, A_DRILL_MANAGE, NULL, err);

	if (rc || (rc = store_drill_get(st, id, out)))
		return rc;
	snprintf(action, sizeof(action), "#%" PRId64, out->id);
	if ((rc = app_version_check(st, p, app_body_version(args), &out->stamp,
				    out->updated_ms, VK_DRILL, action, err)))
		return rc;
	from = drill_status_parse(out->status);
	if (from < 0 || drill_next((enum drill_status)from, s, &to)) {
		rc = err_ret(err, ERMS_ECONFLICT, "conflict",
			     "a drill that is %s cannot %s", out->status,
			     drill_step_name(s));
		app_version_note(st, p, &out->stamp, out->updated_ms, VK_DRILL,
				 action, err);
		return rc;
	}
	snprintf(was, sizeof(was), "%s", out->status);
	if (s == DSS_START)
		rc = start(st, p, out, now_ms, err);
	else if (s == DSS_COMPLETE && !(rc = incident_over(st, out, err)))
		out->completed_ms = now_ms;
	else if (s == DSS_EVALUATE)
		rc = evaluate(st, p, out, args, now_ms, err);
	if (rc)
		return rc;
	snprintf(out->status, sizeof(out->status), "%s", drill_status_name(to));
	out->updated_ms = now_ms;
	app_stamp(&out->stamp, p);
	rc = store_drill_update(st, out, was);
	snprintf(action, sizeof(action), "drill.%s", drill_step_name(s));
	return rc ? rc : drill_audit(st, p, action, out, now_ms);
}

/* ---- compliance ---- */

struct done_list {
	struct drill_done *v;
	int64_t *incident;	/* by v's index: the drill incident, or 0 */
	int *status;		/* enum drill_status */
	int n, cap;
	int64_t from_ms, to_ms;
};

static int collect_done(void *ctx, const struct drill_row *d)
{
	struct done_list *l = ctx;
	int64_t at = d->started_ms ? d->started_ms : d->scheduled_ms;
	int status = drill_status_parse(d->status);

	/* The incident's state is looked at afterwards (keep_counted). */
	if (status < 0 || !drill_counts((enum drill_status)status,
					INC_RESOLVED))
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof(*l->v));
		l->incident = xrealloc(l->incident,
				       (size_t)l->cap * sizeof(*l->incident));
		l->status = xrealloc(l->status,
				     (size_t)l->cap * sizeof(*l->status));
	}
	snprintf(l->v[l->n].category, sizeof(l->v[l->n].category), "%s",
		 d->category);
	l->v[l->n].kind = drill_kind_parse(d->kind);
	l->v[l->n].at_ms = at;
	l->incident[l->n] = d->incident_id;
	l->status[l->n] = status;
	l->n++;
	return 0;
}

/* Drop the drills whose incident was dismissed (core/drill.h). */
static int keep_counted(struct store *st, struct done_list *l)
{
	int n = 0, rc = 0;

	for (int i = 0; !rc && i < l->n; i++) {
		struct incident_row r = { 0 };
		enum inc_state s = INC_RESOLVED;

		if (l->incident[i]) {
			rc = store_incident_get_id(st, l->incident[i], &r);
			s = r.inc.state;
		}
		if (!rc && drill_counts((enum drill_status)l->status[i], s))
			l->v[n++] = l->v[i];
		incident_row_release(&r);
	}
	l->n = n;
	return rc;
}

/* A category's name (a T value: a string, or zh-CN and en); "" for no
 * category. */
static const char *title_of(const struct plan_category *cat)
{
	const json_t *t = cat ? cat->name : NULL;
	const char *s = json_string_value(t);

	if (!s)
		s = json_string_value(json_object_get(t, "zh-CN"));
	if (!s)
		s = json_string_value(json_object_get(t, "en"));
	return s ? s : "";
}

/* The compliance of `year` against the plan (borrowed). */
static int compliance(struct store *st, const struct plan *plan, int year,
		      json_t **out)
{
	json_t *lines, *overdue;
	struct done_list done = { 0 };
	struct drill_rule *rules = NULL;
	struct drill_status_line *sl = NULL;
	const char **cats = NULL;
	size_t nc = plan->ncategories, nr = plan->ndrills;
	int n, rc;

	*out = NULL;
	cats = xcalloc(nc + 1, sizeof(*cats));
	rules = xcalloc(nr + 1, sizeof(*rules));
	sl = xcalloc(DRILL_LINES_MAX(nc) + 1, sizeof(*sl));
	for (size_t i = 0; i < nc; i++)
		cats[i] = plan->categories[i].key;
	for (size_t i = 0; i < nr; i++) {
		const char *k = plan->drills[i].kind;

		snprintf(rules[i].category, sizeof(rules[i].category), "%s",
			 plan->drills[i].category);
		rules[i].per_year = plan->drills[i].per_year;
		rules[i].kind = !strcmp(k, "any") ? DRILL_KIND_ANY
						  : drill_kind_parse(k);
	}
	rc = store_drill_list(st, drill_year_end_ms(year - 1),
			      drill_year_end_ms(year), collect_done, &done);
	if (!rc)
		rc = keep_counted(st, &done);
	n = rc ? rc : drill_compliance(rules, (int)nr, cats, (int)nc, done.v,
				       done.n, year, sl,
				       (int)DRILL_LINES_MAX(nc));
	if (n < 0) {
		rc = n;
		goto out;
	}
	lines = json_array();
	overdue = json_array();
	for (int k = 0; k < n; k++) {
		const char *t = title_of(plan_category(plan, sl[k].category));

		json_array_append_new(lines, json_pack(
			"{s:s, s:s, s:s, s:i, s:i, s:b}", "category",
			sl[k].category, "title", t, "kind",
			drill_kind_name(sl[k].kind), "required", sl[k].required,
			"done", sl[k].done, "overdue", sl[k].overdue));
		if (sl[k].overdue && (!json_array_size(overdue) ||
		    strcmp(json_string_value(json_array_get(overdue,
				json_array_size(overdue) - 1)), sl[k].category)))
			json_array_append_new(overdue,
					      json_string(sl[k].category));
	}
	*out = json_pack("{s:i, s:s, s:o, s:o}", "year", year, "plan",
			 plan->key, "lines", lines, "overdue", overdue);
	rc = 0;
out:
	free(done.v);
	free(done.incident);
	free(done.status);
	free(rules);
	free(sl);
	free(cats);
	return rc;
}

int app_drill_compliance(struct store *st, int year, json_t **out)
{
	const struct plan *plan = NULL;
	int rc;

	*out = NULL;
	if (year < 1 || year > 9999)
		return ERMS_EINVAL;
	if (!(rc = plan_in_force(st, &plan, NULL)))
		rc = compliance(st, plan, year, out);
	plan_unref(plan);
	return rc;
}

int app_drill_warn(struct store *st, int64_t now_ms, int warn_days,
		   int *told)
{
	const struct plan *plan = NULL;
	json_t *c = NULL, *v;
	struct buf text = BUF_INIT;
	int year = drill_year_of(now_ms), rc, fresh;
	const char *cmd;
	char *subject;
	size_t i;

	*told = 0;
	if (!drill_warn_due(now_ms, warn_days))
		return 0;
	rc = plan_in_force(st, &plan, NULL);
	if (rc == ERMS_ECONFLICT)
		return 0;	/* no plan in force: nothing is required */
	if (!rc)
		rc = compliance(st, plan, year, &c);
	if (rc || !json_array_size(json_object_get(c, "overdue")))
		goto out;
	cmd = notify_kind_group(plan, "command");
	fresh = store_drill_notice(st, year, now_ms);
	if (fresh <= 0 || !cmd) {
		rc = fresh < 0 ? fresh : 0;
		goto out;
	}
	json_array_foreach(json_object_get(c, "lines"), i, v)
		if (json_is_true(json_object_get(v, "overdue")))
			buf_addf(&text, "- %s (%s): %d/%d\n",
				 json_string_value(json_object_get(v, "title")),
				 json_string_value(json_object_get(v, "kind")),
				 (int)json_integer_value(json_object_get(v, "done")),
				 (int)json_integer_value(json_object_get(v,
								 "required")));
	subject = xasprintf("【演练未完成 / Drills overdue】%d", year);
	rc = notify_group(st, cmd, "drill.overdue", subject,
			  text.data ? text.data : "", now_ms, told);
	free(subject);
	/* Nobody of command HQ reachable yet (no member, no channel): the
	 * year's one warning is not spent on nobody; the next tick tries. */
	if (!rc && !*told)
		rc = store_drill_notice_forget(st, year);
out:
	buf_release(&text);
	plan_unref(plan);
	json_decref(c);
	return rc;
}

/* ---- timed injects ---- */

/* When inject v of a drill started at started_ms falls due; 0 when it
 * was delivered already or is malformed. */
static int64_t inject_at(const json_t *v, int64_t started_ms)
{
	const json_t *at = json_object_get(v, "at_min");

	if (json_object_get(v, "delivered_at") || !json_is_integer(at) ||
	    json_integer_value(at) < 0 || started_ms <= 0)
		return 0;
	return started_ms + json_integer_value(at) * MINUTE_MS;
}

struct inject_scan {
	int64_t now;
	json_t *ids;		/* running drills with an inject due */
	bool any;
};

static int scan_injects(void *ctx, const struct drill_row *d)
{
	struct inject_scan *x = ctx;
	json_t *detail, *v;
	size_t i;
	bool due = false;

	if (strcmp(d->status, "running") || !d->incident_id)
		return 0;
	detail = json_loads(d->detail ? d->detail : "{}", 0, NULL);
	json_array_foreach(json_object_get(detail, "injects"), i, v) {
		int64_t at = inject_at(v, d->started_ms);

		due = due || (at && at <= x->now);
	}
	json_decref(detail);
	if (due && x->ids)
		json_array_append_new(x->ids, json_integer(d->id));
	x->any = x->any || due;
	return due && !x->ids ? 1 : 0;
}

bool app_drill_injects_due(struct store *st, int64_t now_ms)
{
	struct inject_scan x = { now_ms, NULL, false };

	return store_drill_list(st, 0, 0, scan_injects, &x) >= 0 && x.any;
}

/* Does participant name s name group g (its key, or its name in either
 * language)? */
static bool names_group(const char *s, const struct plan_group *g)
{
	return !strcmp(s, g->key) || !strcmp(s, plan_text(g->name, "zh-CN")) ||
	       !strcmp(s, plan_text(g->name, "en"));
}

/* The keys of the groups an inject goes to, into keys (borrowed from
 * the plan): those the participants name, else command HQ. */
static size_t inject_groups(const struct plan *plan, const json_t *detail,
			    const char **keys, size_t max)
{
	const char *cmd;
	size_t n = 0;

	for (size_t g = 0; g < plan->ngroups && n < max; g++) {
		const json_t *v;
		size_t i;

		json_array_foreach(json_object_get(detail, "participants"), i,
				   v) {
			const char *s = json_string_value(v);

			if (s && names_group(s, &plan->groups[g])) {
				keys[n++] = plan->groups[g].key;
				break;
			}
		}
	}
	if (!n && (cmd = notify_kind_group(plan, "command")))
		keys[n++] = cmd;
	return n;
}

/* Deliver inject i (v) of drill d, whose incident is r. */
static int deliver_inject(struct store *st, const struct drill_row *d,
			  const struct incident_row *r,
			  const struct plan *plan, json_t *detail, size_t i,
			  json_t *v, int64_t now_ms, int *delivered)
{
	const char *keys[32];
	const char *text = json_string_value(json_object_get(v, "text"));
	json_int_t minute = json_integer_value(json_object_get(v, "at_min"));
	size_t n = inject_groups(plan, detail, keys, 32);
	char *subject, *body;
	int rc, q;

	if (!text)
		text = "";
	/* A note by the system, told apart by its key. */
	rc = app_timeline_msg(
	    st, r->inc.id, 0, "note", "tl.drill_inject",
	    json_pack("{s:I, s:s}", "minute", minute, "text", text),
	    json_pack("{s:s, s:I, s:I, s:I}", "drill", d->title, "drill_id",
		      (json_int_t)d->id, "index", (json_int_t)i, "minute",
		      minute),
	    now_ms);
	subject = xasprintf("【演练注入 / Drill inject】%s", d->title);
	body = xasprintf("%s（第 %lld 分钟 / minute %lld）\n%s\n\n%s",
			 r->number, (long long)minute, (long long)minute, text,
			 d->title);
	for (size_t k = 0; !rc && k < n; k++)
		rc = notify_group(st, keys[k], "drill.inject", subject, body,
				  now_ms, &q);
	free(subject);
	free(body);
	if (!rc) {
		json_object_set_new(v, "delivered_at", json_time(now_ms));
		(*delivered)++;
	}
	return rc;
}

/* Deliver the injects of drill id due at now_ms, and mark them. */
static int drill_injects(struct store *st, int64_t id, int64_t now_ms,
			 int *delivered)
{
	struct drill_row d = { 0 };
	struct incident_row r = { 0 };
	const struct plan *plan = NULL;
	json_t *detail = NULL, *v;
	size_t i;
	int before = *delivered;
	int rc = store_drill_get(st, id, &d);

	if (!rc && (strcmp(d.status, "running") || !d.incident_id))
		goto out;
	if (!rc)
		rc = store_incident_get_id(st, d.incident_id, &r);
	if (!rc)
		rc = plan_load(st, r.plan_version_id, &plan);
	if (rc)
		goto out;
	detail = json_loads(d.detail ? d.detail : "{}", 0, NULL);
	json_array_foreach(json_object_get(detail, "injects"), i, v) {
		int64_t at = inject_at(v, d.started_ms);

		if (at && at <= now_ms &&
		    (rc = deliver_inject(st, &d, &r, plan, detail, i, v,
					 now_ms, delivered)))
			break;
	}
	if (!rc && *delivered > before) {
		free(d.detail);
		d.detail = json_dumps(detail, JSON_COMPACT);
		d.updated_ms = now_ms;
		rc = store_drill_update(st, &d, "running");
	}
out:
	json_decref(detail);
	plan_unref(plan);
	incident_row_release(&r);
	drill_row_release(&d);
	return rc;
}

int app_drill_injects(struct store *st, int64_t now_ms, int *delivered)
{
	struct inject_scan x = { now_ms, json_array(), false };
	json_t *id;
	size_t i;
	int rc = store_drill_list(st, 0, 0, scan_injects, &x);

	*delivered = 0;
	json_array_foreach(x.ids, i, id)
		if (!rc)
			rc = drill_injects(st, json_integer_value(id), now_ms,
					   delivered);
	json_decref(x.ids);
	return rc < 0 ? rc : 0;
}
