/*
 * incidents.c - the incident use cases.
 */
#include "app/incidents.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/codec.h"
#include "app/notify.h"
#include "app/plancache.h"
#include "app/regulatory.h"
#include "app/timeline.h"
#include "app/version.h"
#include "core/escalation.h"
#include "core/planrules.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* A level's targets for the rules of core/planrules.h; NULL: none. */
static const struct level_targets *targets_of(const struct plan_level *l,
					       struct level_targets *t)
{
	if (!l)
		return NULL;
	*t = (struct level_targets){ .ack_min = l->targets.ack_min,
				     .activate_min = l->targets.activate_min,
				     .resolve_min = l->targets.resolve_min };
	return t;
}

struct lead {
	int64_t id;
	int best;
};

static int find_lead(void *ctx, const struct membership *m,
		     const struct user *u)
{
	struct lead *l = ctx;
	int rank = m->role == MR_LEAD ? 2 : m->role == MR_DEPUTY ? 1 : 0;

	if (!u->disabled && rank > l->best && rank > 0) {
		l->best = rank;
		l->id = u->id;
	}
	return 0;
}

/* The lead (else a deputy) of the plan's command group, or 0. */
static int64_t command_lead(struct store *st, const struct plan *plan)
{
	struct lead l = { 0, 0 };
	struct group g = { 0 };

	for (size_t i = 0; i < plan->ngroups; i++) {
		if (strcmp(plan->groups[i].kind, "command"))
			continue;
		if (!store_group_get(st, plan->groups[i].key, &g))
			store_members_of_group(st, g.id, find_lead, &l);
		free(g.duties_json);
		break;
	}
	return l.id;
}

/* The ack timer before a level is set: the reporting chain's first
 * escalation for silence (its second tier), else the level's own. */
static int escalation_ack_min(const struct plan *plan)
{
	return plan->ntiers > 1 ? plan->tiers[1].after_min : 0;
}

static int field_error(struct errbuf *err, int rc, const char *code,
		       const char *field, const char *msg)
{
	errbuf_set(err, code, "%s", msg);
	errbuf_field(err, field);
	return rc;
}

int app_incident_report(struct store *st, const struct principal *p,
			const struct incident_input *in, int64_t now_ms,
			struct incident_row *out, struct errbuf *err)
{
	const struct plan *plan = NULL;
	const struct plan_level *level = NULL;
	struct level_targets t;
	unsigned tiers;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = app_may(p, A_INC_REPORT, NULL, err)))
		return rc;
	rc = plan_load_current(st, &plan);
	if (rc == ERMS_ENOTFOUND) {
		rc = err_ret(err, ERMS_ECONFLICT, "conflict",
			     "no emergency plan is in force yet");
		goto out;
	}
	if (rc)
		goto out;
	if (!plan_category(plan, in->category)) {
		rc = field_error(err, ERMS_EINVAL, "invalid", "category",
				 "not a category of the plan in force");
		goto out;
	}
	if (in->proposed_level &&
	    !(level = plan_level(plan, in->proposed_level))) {
		rc = field_error(err, ERMS_EINVAL, "invalid", "proposed_level",
				 "not a level of the plan in force");
		goto out;
	}
	if (in->detected_ms > now_ms) {
		rc = field_error(err, ERMS_EINVAL, "invalid", "detected_at",
				 "detected_at is in the future");
		goto out;
	}
	incident_init(&out->inc, 0, in->detected_ms, in->is_drill);
	if ((rc = incident_apply(&out->inc, IA_REPORT, 0, now_ms)))
		goto out;
	/* Until the leadership decides: the proposed level's targets, else
	 * the most severe level's; the ack timer follows the chain. */
	targets_of_report(&out->inc, targets_of(level ? level
						   : plan_level_rank(plan, 1), &t),
			  escalation_ack_min(plan));
	out->title = xstrdup(in->title);
	out->description = xstrdup(in->description ? in->description : "");
	out->impact = xstrdup(in->impact ? in->impact : "");
	snprintf(out->category, sizeof(out->category), "%s", in->category);
	if (in->proposed_level)
		snprintf(out->proposed_level, sizeof(out->proposed_level),
			 "%s", in->proposed_level);
	out->reporter_id = in->reporter_id ? in->reporter_id : p->user.id;
	snprintf(out->source, sizeof(out->source), "%s",
		 in->source ? in->source : "manual");
	out->integration_id = in->integration_id;
	out->commander_id = command_lead(st, plan);
	out->plan_version_id = plan->version_id;
	app_stamp(&out->stamp, p);
	/* The reporting chain's first tier hears at once: the tiers due are
	 * known now, so the row is written once, with them marked told. */
	tiers = notify_escalate_due(out, plan, now_ms);
	out->esc_tiers = tiers;
	if ((rc = store_incident_insert(st, out)))
		goto out;
	rc = app_timeline_msg(st, out->inc.id, p->user.id, "report",
			      "tl.report",
			      json_pack("{s:s}", "title", out->title),
			      json_pack("{s:s, s:s, s:b}", "category",
					out->category, "impact", out->impact,
					"is_drill", out->inc.is_drill),
			      now_ms);
	if (!rc) {
		int n;

		rc = notify_escalate_tiers(st, out, plan, tiers, now_ms, &n);
	}
	if (!rc)
		rc = app_incident_event(st, out, now_ms);
	if (!rc)
		rc = app_incident_audit(st, p, "incident.report", out, "",
					now_ms);
out:
	plan_unref(plan);
	return rc;
}

/* The incident's tasks as (group, title) pairs (store_task_fn). */
struct task_refs {
	struct measure_ref *v;
	char **own;		/* the strings v points into */
	size_t n, cap;
};

static int note_task(void *ctx, const struct task *t)
{
	struct task_refs *x = ctx;

	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 16;
		x->v = xrealloc(x->v, x->cap * sizeof(*x->v));
		x->own = xrealloc(x->own, 2 * x->cap * sizeof(*x->own));
	}
	x->own[2 * x->n] = xstrdup(t->group_key);
	x->own[2 * x->n + 1] = xstrdup(t->title);
	x->v[x->n] = (struct measure_ref){ x->own[2 * x->n],
					   x->own[2 * x->n + 1] };
	x->n++;
	return 0;
}

static void task_refs_release(struct task_refs *x)
{
	for (size_t i = 0; i < 2 * x->n; i++)
		free(x->own[i]);
	free(x->own);
	free(x->v);
}

/* A task's title as a parameter of the catalog: every language it has. */
static json_t *task_title_param(const struct task *t)
{
	json_t *all = t->titles && *t->titles
			      ? json_loads(t->titles, 0, NULL) : NULL;

	if (json_is_object(all))
		return all;
	json_decref(all);
	return json_string(t->title ? t->title : "");
}

static int add_task(struct store *st, const struct principal *p,
		    struct task *t, int64_t now_ms)
{
	int rc;

	t->created_by = p ? p->user.id : 0;
	t->created_ms = now_ms;
	app_stamp(&t->stamp, p);
	if ((rc = store_task_insert(st, t)))
		return rc;
	rc = app_timeline_msg(st, t->incident_id, t->created_by, "task",
			      "tl.task_created",
			      json_pack("{s:o, s:s}", "title", task_title_param(t),
					"group", t->group_key),
			      json_pack("{s:s, s:I}", "change", "created",
					"task", (json_int_t)t->id),
			      now_ms);
	return rc ? rc
		  : app_event_emit(st, now_ms, "task", t->incident_id,
				   task_json(t));
}

/* The measures of `level` that are not tasks yet into take[], with
 * their titles in `locale` into m[]. */
static void measures_missing(const struct plan_level *level,
			     const char *locale, const struct task_refs *x,
			     struct measure_ref *m, bool *take)
{
	for (size_t i = 0; i < level->nmeasures; i++)
		m[i] = (struct measure_ref){
			level->measures[i].group,
			plan_text(level->measures[i].title, locale) };
	measures_to_take(m, level->nmeasures, x->v, x->n, take);
}

/* The level's measures as tasks, but those already there (by group and
 * title in either language, core/planrules.h): so raising a level adds
 * only what is missing, whoever activated and whoever raises. */
static int measures_to_tasks(struct store *st, const struct principal *p,
			     const struct incident_row *r,
			     const struct plan_level *level, int64_t now_ms)
{
	static const char *const locales[] = { "zh-CN", "en" };
	struct task_refs x = { 0 };
	struct organisation o = { .locale = "zh-CN" };
	size_t n = level->nmeasures;
	struct measure_ref *m = xcalloc(n + 1, sizeof(*m));
	bool *take = xcalloc(n + 1, sizeof(*take));
	bool *also = xcalloc(n + 1, sizeof(*also));
	int rc = store_task_list(st, r->inc.id, note_task, &x);

	for (size_t k = 0; !rc && k < 2; k++) {
		measures_missing(level, locales[k], &x, m, also);
		for (size_t i = 0; i < n; i++)
			take[i] = (k == 0 || take[i]) && also[i];
	}
	/* Titles in the organisation's language, whoever acts; each task
	 * keeps them all. */
	store_org_get(st, &o);
	organisation_release(&o);
	measures_missing(level, o.locale, &x, m, also);
	free(also);
	for (size_t i = 0; !rc && i < n; i++) {
		struct task t = { .incident_id = r->inc.id, .status = TS_TODO };

		if (!take[i])
			continue;
		t.title = (char *)m[i].title;
		t.titles = json_is_object(level->measures[i].title)
				   ? json_dumps(level->measures[i].title,
						JSON_COMPACT | JSON_SORT_KEYS)
				   : NULL;
		snprintf(t.group_key, sizeof(t.group_key), "%s", m[i].group);
		snprintf(t.origin, sizeof(t.origin), "measure:%s", r->level_key);
		rc = add_task(st, p, &t, now_ms);
		free(t.titles);
	}
	free(take);
	free(m);
	task_refs_release(&x);
	return rc;
}

/* The review's action items as tasks. */
static int review_tasks(struct store *st, const struct principal *p,
			const struct incident_row *r, const json_t *review,
			int64_t now_ms, struct errbuf *err)
{
	json_t *item;
	size_t i;
	int rc = 0;

	json_array_foreach(json_object_get(review, "action_items"), i, item) {
		struct task t = { .incident_id = r->inc.id, .status = TS_TODO };
		const char *g = json_string_value(json_object_get(item, "group"));

		const char *due = json_string_value(json_object_get(item,
								    "due_at"));
		struct user owner;

		t.title = (char *)json_string_value(json_object_get(item, "title"));
		snprintf(t.group_key, sizeof(t.group_key), "%s",
			 g ? g : "command");
		t.assignee_id = json_integer_value(json_object_get(item,
								   "owner_id"));
		if (t.assignee_id && store_user_get(st, t.assignee_id, &owner))
			return field_error(err, ERMS_EINVAL, "invalid_field",
					   "review.owner_id",
					   "owner_id is no user");
		if (due && time_parse(due, &t.due_ms))
			return field_error(err, ERMS_EINVAL, "invalid_field",
					   "review.due_at",
					   "due_at is an RFC 3339 time");
		snprintf(t.origin, sizeof(t.origin), "%s",
			 json_is_true(json_object_get(item, "plan_revision"))
				 ? "review:plan" : "review");
		if ((rc = add_task(st, p, &t, now_ms)))
			break;
	}
	return rc;
}

/* Has the reporting chain told a leadership group of r's plan? */
static bool chain_reached(const struct incident_row *r,
			  const struct plan *plan)
{
	for (size_t i = 0; i < plan->ntiers && i < ESC_TIERS_MAX; i++) {
		if (!(r->esc_tiers & (1u << i)))
			continue;
		for (size_t k = 0; k < plan->tiers[i].nnotify; k++) {
			const struct plan_group *g =
				plan_group(plan, plan->tiers[i].notify[k]);

			if (g && !strcmp(g->kind, "leadership"))
				return true;
		}
	}
	return false;
}

struct task_counts {
	int open, blocked;
};

static int count_task(void *ctx, const struct task *t)
{
	struct task_counts *c = ctx;

	c->open += t->status == TS_TODO || t->status == TS_DOING;
	c->blocked += t->status == TS_BLOCKED;
	return 0;
}

int app_incident_extras(struct store *st, const struct incident_row *r,
			json_t *o)
{
	struct task_counts c = { 0, 0 };
	const struct plan *plan = NULL;
	int rc = store_task_list(st, r->inc.id, count_task, &c);

	if (!rc)
		rc = plan_load(st, r->plan_version_id, &plan);
	if (rc)
		return rc;
	json_object_set_new(o, "open_tasks", json_integer(c.open));
	json_object_set_new(o, "blocked_tasks", json_integer(c.blocked));
	json_object_set_new(o, "chain_reached_leadership",
			    json_boolean(chain_reached(r, plan)));
	plan_unref(plan);
	return 0;
}

/* The acknowledgement's assessment and proposed level: checked against
 * the plan (after rights and state), kept on the row and the timeline. */
static int check_assessment(enum inc_action a, const struct incident_args *x,
			    const struct plan *plan, struct errbuf *err)
{
	if (a != IA_ACK && x->assessment)
		return field_error(err, ERMS_EINVAL, "invalid", "assessment",
				   "an assessment goes with the "
				   "acknowledgement");
	if (a != IA_ACK && x->proposed_level)
		return field_error(err, ERMS_EINVAL, "invalid",
				   "proposed_level", "a proposed level goes "
				   "with the acknowledgement");
	if (x->proposed_level && !plan_level(plan, x->proposed_level))
		return field_error(err, ERMS_EINVAL, "invalid",
				   "proposed_level",
				   "not a level of the incident's plan");
	return 0;
}

/* The acknowledgement's assessment onto r, before r is saved: so the
 * incident's event already carries it. */
static void take_assessment(struct incident_row *r,
			    const struct incident_args *x)
{
	if (x->assessment) {
		free(r->assessment);
		r->assessment = xstrdup(x->assessment);
	}
	if (x->proposed_level)
		snprintf(r->proposed_level, sizeof(r->proposed_level), "%s",
			 x->proposed_level);
}

/* The assessment taken onto r (take_assessment()) written and noted. */
static int record_assessment(struct store *st, const struct principal *p,
			     struct incident_row *r,
			     const struct incident_args *x, int64_t now_ms)
{
	int rc;

	if (!x->assessment && !x->proposed_level)
		return 0;
	if ((rc = store_incident_assess(st, r)))
		return rc;
	/* A note by whoever acknowledged, told apart by its key. */
	rc = app_timeline_msg(
	    st, r->inc.id, p->user.id, "note",
	    r->proposed_level[0] ? "tl.assessment_level" : "tl.assessment",
	    json_pack("{s:s, s:s}", "assessment",
		      r->assessment ? r->assessment : "", "level",
		      r->proposed_level),
	    json_pack("{s:s, s:s}", "assessment",
		      r->assessment ? r->assessment : "", "proposed_level",
		      r->proposed_level),
	    now_ms);
	return rc;
}

static const char *const arg_field[] = { "level", "reason", "summary",
					 "review" };

/* Whom each step tells (NE__COUNT: nobody). */
static const enum notify_event notify_of[IA__COUNT] = {
	[IA_REPORT] = NE__COUNT, [IA_ACK] = NE_ACK,
	[IA_ACTIVATE] = NE_ACTIVATE, [IA_DISMISS] = NE_DISMISS,
	[IA_SET_LEVEL] = NE_SET_LEVEL, [IA_RESOLVE] = NE_RESOLVE,
	[IA_REOPEN] = NE_REOPEN, [IA_CLOSE] = NE_CLOSE,
	[IA_REVIEW] = NE__COUNT,
};

/* The arguments a step needs are there, and the review's shape. */
static int check_args(enum inc_action a, const struct incident_args *x,
		      struct errbuf *err)
{
	unsigned need = incident_args(a);
	const void *have[] = { x->level, x->reason, x->summary, x->review };

	for (int i = 0; i < 4; i++) {
		if (!(need & (1u << i)) ||
		    (have[i] && (i == 3 || *(const char *)have[i])))
			continue;
		errbuf_set(err, "missing_field", "this step needs '%s'",
			   arg_field[i]);
		errbuf_field(err, arg_field[i]);
		return ERMS_EINVAL;
	}
	if (a == IA_REVIEW && !json_is_string(json_object_get(x->review,
							      "cause")))
		return field_error(err, ERMS_EINVAL, "missing_field",
				   "review.cause", "a review states the cause");
	return 0;
}

int app_incident_act(struct store *st, const struct principal *p,
		     const char *key, enum inc_action a,
		     const struct incident_args *args, int64_t now_ms,
		     struct incident_row *out, struct errbuf *err)
{
	const struct plan *plan = NULL;
	const struct plan_level *level = NULL;
	struct level_targets lt;
	struct incident before;
	char extra[256] = "";
	bool reg_opened = false, reg_closed = false;
	int rank = 0, rc;

	incident_row_release(out);
	rc = store_incident_get(st, key, out);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no incident '%s'", key);
	if (rc)
		return rc;
	if ((rc = plan_load(st, out->plan_version_id, &plan)))
		goto out;
	/* An unknown level is reported after rights and state (403, 409,
	 * then 400); until then it counts as the strictest change. */
	if (args->level && (a == IA_ACTIVATE || a == IA_SET_LEVEL) &&
	    (level = plan_level(plan, args->level)))
		rank = level->rank;
	{
		struct object o = { .chain_reached = chain_reached(out, plan) };

		rc = app_may(p, incident_right(&out->inc, a, rank), &o, err);
	}
	if (!rc)
		rc = app_version_check(st, p, args->version, &out->stamp,
				       out->updated_ms, VK_INCIDENT,
				       out->number, err);
	if (rc)
		goto out;
	if (!incident_allowed(out->inc.state, a)) {
		rc = err_ret(err, ERMS_ECONFLICT, "conflict",
			     "cannot %s incident %s: it is %s",
			     incident_action_name(a), out->number,
			     incident_state_name(out->inc.state));
		/* Say who moved it there (two people resolving at once). */
		app_version_note(st, p, &out->stamp, out->updated_ms,
				 VK_INCIDENT, out->number, err);
		goto out;
	}
	if ((rc = check_args(a, args, err)) ||
	    (rc = check_assessment(a, args, plan, err)))
		goto out;
	if (args->level && (a == IA_ACTIVATE || a == IA_SET_LEVEL) && !level) {
		rc = field_error(err, ERMS_EINVAL, "invalid", "level",
				 "not a level of the incident's plan");
		goto out;
	}
	before = out->inc;
	rc = incident_apply(&out->inc, a, rank, now_ms);
	if (rc == ERMS_EINVAL) {
		rc = field_error(err, rc, "invalid", "level",
				 "that is the level in force");
		goto out;
	}
	if (rc)
		goto out;
	if (level) {
		/* The ack and activate timers ran before the decision, with the
		 * targets they had; the level brings the resolve target. */
		snprintf(out->level_key, sizeof(out->level_key), "%s",
			 args->level);
		targets_of_level(&out->inc, targets_of(level, &lt));
	}
	if (a == IA_RESOLVE) {
		free(out->summary);
		out->summary = xstrdup(args->summary);
	}
	if (a == IA_REVIEW) {
		free(out->review_json);
		out->review_json = json_dumps(args->review, JSON_COMPACT);
	}
	if (a == IA_ACK)
		take_assessment(out, args);
	/* The duty to report opens, closes or counts its final report's
	 * days in the same write as the step. */
	if ((rc = app_reg_step(st, out, level, a == IA_RESOLVE, now_ms,
			       &reg_opened, &reg_closed)))
		goto out;
	if ((rc = app_incident_save(st, p, out, now_ms)))
		goto out;
	{
		const char *why = args->reason ? args->reason
				: a == IA_RESOLVE ? args->summary : NULL;
		const char *msg = level ? why ? "tl.level_reason" : "tl.level"
					: why ? "tl.status_reason" : "tl.status";

		rc = app_timeline_msg(
		    st, out->inc.id, p->user.id, level ? "level" : "status",
		    msg,
		    json_pack("{s:s, s:s, s:s?, s:s?}", "from",
			      incident_state_name(before.state), "to",
			      incident_state_name(out->inc.state), "level",
			      level ? out->level_key : NULL, "reason", why),
		    json_pack("{s:s, s:s, s:s, s:s?, s:s?}", "action",
			      incident_action_name(a), "from",
			      incident_state_name(before.state), "to",
			      incident_state_name(out->inc.state), "level",
			      level ? out->level_key : NULL, "reason", why),
		    now_ms);
	}
	if (!rc && a == IA_ACK)
		rc = record_assessment(st, p, out, args, now_ms);
	if (!rc)
		rc = app_reg_told(st, out, plan, reg_opened, reg_closed, now_ms);
	/* Activation and a more severe level bring their measures. */
	if (!rc && level && (a == IA_ACTIVATE || rank < before.level))
		rc = measures_to_tasks(st, p, out, level, now_ms);
	if (!rc && a == IA_REVIEW)
		rc = review_tasks(st, p, out, args->review, now_ms, err);
	if (!rc && notify_of[a] != NE__COUNT) {
		int n;

		rc = notify_incident(st, out, plan, notify_of[a], -1,
				     args->reason, now_ms, &n);
	}
	if (!rc) {
		snprintf(extra, sizeof(extra), " action=%s",
			 incident_action_name(a));
		rc = app_incident_audit(st, p, "incident.act", out, extra,
					now_ms);
	}
out:
	plan_unref(plan);
	return rc;
}

bool app_incident_readable(const struct principal *p)
{
	return may(&p->actor, A_INC_READ, NULL);
}

int app_incident_note(struct store *st, const struct principal *p,
		      const char *key, const char *text, int64_t now_ms,
		      int64_t *entry_id, struct errbuf *err)
{
	struct incident_row r = { 0 };
	int rc = app_may(p, A_INC_NOTE, NULL, err);

	if (!rc)
		rc = store_incident_get(st, key, &r);
	if (rc == ERMS_ENOTFOUND)
		rc = err_ret(err, rc, "not_found", "no incident '%s'", key);
	if (!rc)
		rc = app_timeline_add_id(st, r.inc.id, p->user.id, "note", text,
					 NULL, now_ms, entry_id);
	if (!rc)
		rc = app_incident_audit(st, p, "incident.note", &r, "", now_ms);
	incident_row_release(&r);
	return rc;
}

/* Is group a group of the incident's plan? */
static int check_group(struct store *st, const struct incident_row *r,
		       const char *group, struct errbuf *err)
{
	const struct plan *plan;
	int rc = plan_load(st, r->plan_version_id, &plan);

	if (!rc && !plan_group(plan, group))
		rc = field_error(err, ERMS_EINVAL, "invalid", "group",
				 "not a group of the incident's plan");
	plan_unref(plan);
	return rc;
}

int app_task_create(struct store *st, const struct principal *p,
		    const char *key, const char *title, const char *group,
		    int64_t assignee_id, int64_t due_ms, int64_t now_ms,
		    struct task *out, struct errbuf *err)
{
	struct incident_row r = { 0 };
	struct user u;
	int rc = app_may(p, A_TASK_CREATE, NULL, err);

	memset(out, 0, sizeof(*out));
	if (!rc)
		rc = store_incident_get(st, key, &r);
	if (rc == ERMS_ENOTFOUND)
		rc = err_ret(err, rc, "not_found", "no incident '%s'", key);
	if (!rc)
		rc = check_group(st, &r, group, err);
	if (!rc && assignee_id && store_user_get(st, assignee_id, &u))
		rc = field_error(err, ERMS_EINVAL, "invalid", "assignee_id",
				 "no such user");
	if (!rc) {
		out->incident_id = r.inc.id;
		out->title = xstrdup(title);
		snprintf(out->group_key, sizeof(out->group_key), "%s", group);
		out->assignee_id = assignee_id;
		out->due_ms = due_ms;
		out->status = TS_TODO;
		rc = add_task(st, p, out, now_ms);
	}
	if (!rc)
		rc = app_incident_audit(st, p, "task.create", &r, "", now_ms);
	incident_row_release(&r);
	return rc;
}

struct in_group {
	const char *key;
	bool found;
};

static int is_group(void *ctx, const struct membership *m,
		    const struct user *u)
{
	struct in_group *g = ctx;

	(void)u;
	g->found = g->found || !strcmp(m->group_key, g->key);
	return 0;
}

/* What change c does to task t, field by field, for the task's history
 * on the timeline: {"status": {"from", "to"}, "assignee_id": ...,
 * "due_at": ..., "notes": "<the new notes>", "title": ...}. */
static json_t *task_changes(const struct task *t, const struct task_change *c,
			    int status)
{
	json_t *o = json_object();

	if (status >= 0 && status != (int)t->status)
		json_object_set_new(o, "status", json_pack(
			"{s:s, s:s}", "from", task_status_name(t->status), "to",
			task_status_name((enum task_status)status)));
	if (c->set_assignee && c->assignee_id != t->assignee_id)
		json_object_set_new(o, "assignee_id", json_pack(
			"{s:o, s:o}", "from", t->assignee_id
				? json_integer(t->assignee_id) : json_null(),
			"to", c->assignee_id ? json_integer(c->assignee_id)
					     : json_null()));
	if (c->set_due && c->due_ms != t->due_ms)
		json_object_set_new(o, "due_at", json_pack(
			"{s:o, s:o}", "from", json_time(t->due_ms), "to",
			json_time(c->due_ms)));
	if (c->notes && strcmp(c->notes, t->notes ? t->notes : ""))
		json_object_set_new(o, "notes", json_string(c->notes));
	if (c->title && strcmp(c->title, t->title ? t->title : ""))
		json_object_set_new(o, "title", json_pack(
			"{s:s, s:s}", "from", t->title ? t->title : "", "to",
			c->title));
	return o;
}

int app_task_update(struct store *st, const struct principal *p,
		    int64_t task_id, const struct task_change *c,
		    int64_t now_ms, struct task *out, struct errbuf *err)
{
	char text[32];
	json_t *changes;
	struct in_group g = { 0 };
	struct incident_row r = { 0 };
	struct object o = { 0 };
	struct user u;
	int st_parsed = -1;
	int rc = store_task_get(st, task_id, out);

	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no task %" PRId64, task_id);
	if (rc)
		return rc;
	g.key = out->group_key;
	if ((rc = store_groups_of_user(st, p->user.id, is_group, &g)))
		return rc;
	o.actor_in_group = g.found;
	if ((rc = app_may(p, A_TASK_UPDATE, &o, err)))
		return rc;
	snprintf(text, sizeof(text), "#%" PRId64, out->id);
	if ((rc = app_version_check(st, p, c->version, &out->stamp,
				    out->updated_ms, VK_TASK, text, err)))
		return rc;
	if (c->status && (st_parsed = task_status_parse(c->status)) < 0)
		return field_error(err, ERMS_EINVAL, "invalid", "status",
				   "status is todo, doing, done or blocked");
	if (c->set_assignee && c->assignee_id &&
	    store_user_get(st, c->assignee_id, &u))
		return field_error(err, ERMS_EINVAL, "invalid", "assignee_id",
				   "no such user");
	changes = task_changes(out, c, st_parsed);
	if (c->title) {
		free(out->title);
		out->title = xstrdup(c->title);
		/* Written by someone: in their words only. */
		free(out->titles);
		out->titles = NULL;
	}
	if (c->notes) {
		free(out->notes);
		out->notes = xstrdup(c->notes);
	}
	if (st_parsed >= 0)
		out->status = (enum task_status)st_parsed;
	if (c->set_assignee)
		out->assignee_id = c->assignee_id;
	if (c->set_due)
		out->due_ms = c->due_ms;
	out->updated_ms = now_ms;
	app_stamp(&out->stamp, p);
	if ((rc = store_task_update(st, out))) {
		json_decref(changes);
		return rc;
	}
	rc = app_timeline_msg(st, out->incident_id, p->user.id, "task",
			      "tl.task_status",
			      json_pack("{s:o, s:s}", "title", task_title_param(out),
					"status", task_status_name(out->status)),
			      json_pack("{s:s, s:I, s:s, s:o}", "change", "updated",
					"task", (json_int_t)out->id, "status",
					task_status_name(out->status),
					"changes", changes),
			      now_ms);
	if (!rc)
		rc = app_event_emit(st, now_ms, "task", out->incident_id,
				    task_json(out));
	if (!rc)
		rc = store_incident_get_id(st, out->incident_id, &r);
	if (!rc)
		rc = app_incident_audit(st, p, "task.update", &r, "", now_ms);
	incident_row_release(&r);
	return rc;
}
