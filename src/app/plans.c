/*
 * plans.c - the plan use cases.
 */
#include "app/plans.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/plannotice.h"
#include "app/version.h"
#include "plan/model.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/xalloc.h"

int app_plan_resolve(struct store *st, const char *id_or_key, int64_t *id,
		     struct errbuf *err)
{
	char *end;
	long long v = strtoll(id_or_key, &end, 10);
	int rc;

	if (*id_or_key >= '0' && *id_or_key <= '9' && !*end && v > 0) {
		*id = v;
		return 0;
	}
	rc = store_plan_by_key(st, id_or_key, id);
	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found", "no plan '%s'", id_or_key);
	return rc;
}

static int plan_audit(struct store *st, const struct principal *p,
		      const char *action, const struct plan_version *v,
		      const char *extra, int64_t now_ms)
{
	char obj[KEY_MAX + 32];
	char *summary;
	int rc;

	snprintf(obj, sizeof(obj), "plan:%s/v%d", v->plan_key, v->n);
	summary = xasprintf("status=%s%s", pv_status_name(v->status), extra);
	rc = audit_append(st, p->user.id, action, obj, summary, now_ms);
	free(summary);
	return rc;
}

/* Fill v's name and texts from content. */
static void set_content(struct plan_version *v, const json_t *content,
			const char *source_name, const char *source)
{
	free(v->name_json);
	free(v->content);
	free(v->source);
	free(v->source_name);
	v->name_json = json_dumps(json_object_get(content, "name"),
				  JSON_ENCODE_ANY | JSON_COMPACT);
	v->content = json_dumps(content, JSON_COMPACT);
	v->source = xstrdup(source);
	v->source_name = xstrdup(source_name);
}

int app_plan_import(struct store *st, const struct principal *p,
		    const json_t *content, const char *source_name,
		    const char *source, int64_t now_ms,
		    struct plan_version *out, struct errbuf *err)
{
	const char *key = json_string_value(json_object_get(content, "key"));
	int rc;

	if ((rc = app_may(p, A_PLAN_IMPORT, NULL, err)))
		return rc;
	memset(out, 0, sizeof(*out));
	rc = store_plan_by_key(st, key, &out->plan_id);
	if (rc == ERMS_ENOTFOUND)
		rc = store_plan_insert(st, key, now_ms, &out->plan_id);
	if (rc)
		return rc;
	snprintf(out->plan_key, sizeof(out->plan_key), "%s", key);
	out->status = PV_DRAFT;
	out->author_id = p->user.id;
	out->created_ms = now_ms;
	set_content(out, content, source_name, source);
	app_stamp(&out->stamp, p);
	if ((rc = store_pv_insert(st, out)) ||
	    (rc = store_pv_editor_put(st, out->id, p->user.id, now_ms)))
		return rc;
	return plan_audit(st, p, "plan.import", out, "", now_ms);
}

/*
 * Load version n of plan_id into v (what v held before is released);
 * ERMS_ENOTFOUND with a message.
 */
static int load(struct store *st, int64_t plan_id, int n,
		struct plan_version *v, struct errbuf *err)
{
	int rc;

	plan_version_release(v);
	rc = store_pv_get(st, plan_id, n, v);

	if (rc == ERMS_ENOTFOUND)
		return err_ret(err, rc, "not_found",
			       "no version %d of plan %" PRId64, n, plan_id);
	return rc;
}

int app_plan_check_version(struct store *st, const struct principal *p,
			   int64_t plan_id, int n, int64_t version,
			   struct errbuf *err)
{
	struct plan_version v = { 0 };
	char name[KEY_MAX + 16];
	int rc;

	if (!version)
		return 0;
	if ((rc = load(st, plan_id, n, &v, err)))
		return rc;
	snprintf(name, sizeof(name), "%s v%d", v.plan_key, v.n);
	rc = app_version_check(st, p, version, &v.stamp, v.updated_ms,
			       VK_PLAN_VERSION, name, err);
	plan_version_release(&v);
	return rc;
}

struct editor_find {
	int64_t user_id;
	bool found;
};

static int find_editor(void *ctx, int64_t user_id, const char *login,
		       const char *display_name, int64_t first_ms,
		       int64_t last_ms)
{
	struct editor_find *f = ctx;

	(void)login, (void)display_name, (void)first_ms, (void)last_ms;
	if (user_id == f->user_id)
		f->found = true;
	return 0;
}

/* Why p, a member of the leadership group, may not review v. */
static void review_refusal(const struct principal *p, bool edited,
			   const struct plan_version *v, enum pv_step step,
			   struct errbuf *err)
{
	if (!p->actor.in_leadership)
		return;
	if (edited)
		errbuf_set(err, "four_eyes",
			   "you imported or edited version %d, so another "
			   "member of the leadership group must %s it", v->n,
			   pv_step_name(step));
	else if (!p->actor.reviewer)
		errbuf_set(err, "cooling_off",
			   "your membership of the leadership group is new: "
			   "it counts for approvals only after the cooling-off "
			   "the plan in force sets");
}

/* Rights, then state: 403 before 409. */
static int check_step(struct store *st, const struct principal *p,
		      const struct plan_version *v, enum pv_step step,
		      enum pv_status *to, struct errbuf *err)
{
	struct object o = { .author_id = v->author_id };
	struct editor_find f = { .user_id = p->user.id };
	int rc = 0;

	if (step == PVS_APPROVE || step == PVS_REJECT)
		rc = store_pv_editors(st, v->id, find_editor, &f);
	if (rc)
		return rc;
	o.actor_edited = f.found;
	if ((rc = app_may(p, pv_right(step), &o, err))) {
		if (step == PVS_APPROVE || step == PVS_REJECT)
			review_refusal(p, f.found || o.author_id == p->user.id,
				       v, step, err);
		return rc;
	}
	if (pv_next(v->status, step, to))
		return err_ret(err, ERMS_ECONFLICT, "conflict",
			       "cannot %s version %d: it is %s",
			       pv_step_name(step), v->n,
			       pv_status_name(v->status));
	return 0;
}

int app_plan_replace(struct store *st, const struct principal *p,
		     int64_t plan_id, int n, const json_t *content,
		     const char *source_name, const char *source,
		     int64_t now_ms, struct plan_version *out,
		     struct errbuf *err)
{
	const char *key = json_string_value(json_object_get(content, "key"));
	enum pv_status to;
	int rc = load(st, plan_id, n, out, err);

	if (!rc)
		rc = check_step(st, p, out, PVS_EDIT, &to, err);
	if (rc)
		return rc;
	if (strcmp(key, out->plan_key))
		return err_ret(err, ERMS_EINVAL, "invalid",
			       "the file is plan '%s', not '%s'", key,
			       out->plan_key);
	set_content(out, content, source_name, source);
	out->updated_ms = now_ms;
	app_stamp(&out->stamp, p);
	if ((rc = store_pv_update(st, out)) ||
	    (rc = store_pv_editor_put(st, out->id, p->user.id, now_ms)))
		return rc;
	return plan_audit(st, p, "plan.edit", out, "", now_ms);
}

/* Copy a T's text (Chinese first) into dst. */
static void text_into(char *dst, size_t n, const json_t *t)
{
	snprintf(dst, n, "%s", plan_text(t, "zh-CN"));
}

/* Create or update every group the plan names. */
static int sync_groups(struct store *st, const struct plan *plan,
		       int64_t now_ms, struct errbuf *err)
{
	for (size_t i = 0; i < plan->ngroups; i++) {
		const struct plan_group *g = &plan->groups[i];
		const char *key = g->key;
		json_t *duties = json_array();
		struct group grp = { 0 };
		bool exists;
		int rc;

		for (size_t j = 0; j < g->nduties; j++)
			json_array_append_new(duties, json_string(plan_text(
						      g->duties[j], "zh-CN")));
		rc = store_group_get(st, key, &grp);
		exists = rc == 0;
		free(grp.duties_json);
		if (rc && rc != ERMS_ENOTFOUND) {
			json_decref(duties);
			return rc;
		}
		snprintf(grp.key, sizeof(grp.key), "%s", key);
		text_into(grp.name, sizeof(grp.name), g->name);
		grp.kind = group_kind_parse(g->kind);
		grp.duties_json = json_dumps(duties, JSON_COMPACT);
		json_decref(duties);
		rc = exists ? app_group_update(st, &principal_system, &grp,
					       now_ms, err)
			    : app_group_create(st, &principal_system, &grp,
					       now_ms, err);
		free(grp.duties_json);
		if (rc)
			return rc;
	}
	return 0;
}

static int publish(struct store *st, const struct principal *p,
		   struct plan_version *v, int64_t now_ms, struct errbuf *err)
{
	struct plan_version old = { 0 };
	json_t *content;
	struct plan *plan = NULL;
	int n, rc;

	if ((rc = store_pv_published_n(st, v->plan_id, &n)))
		return rc;
	if (n) {
		if ((rc = store_pv_get(st, v->plan_id, n, &old)))
			return rc;
		old.status = PV_SUPERSEDED;
		old.superseded_ms = now_ms;
		old.updated_ms = now_ms;
		app_stamp(&old.stamp, p);
		rc = store_pv_update(st, &old);
		if (!rc)
			rc = plan_audit(st, p, "plan.supersede", &old, "",
					now_ms);
		plan_version_release(&old);
		if (rc)
			return rc;
	}
	v->publisher_id = p->user.id;
	v->published_ms = now_ms;
	content = json_loads(v->content, 0, NULL);
	plan = content ? plan_build(content, v->id) : NULL;
	rc = plan ? sync_groups(st, plan, now_ms, err) : ERMS_ESTORE;
	plan_unref(plan);
	json_decref(content);
	return rc;
}

int app_plan_step(struct store *st, const struct principal *p,
		  int64_t plan_id, int n, enum pv_step step,
		  const char *comment, int64_t now_ms,
		  struct plan_version *out, struct errbuf *err)
{
	enum pv_status to;
	char *extra;
	int prev_n = 0;
	int rc = load(st, plan_id, n, out, err);

	if (!rc)
		rc = check_step(st, p, out, step, &to, err);
	if (rc)
		return rc;
	if (step == PVS_REJECT && (!comment || !*comment)) {
		errbuf_set(err, "missing_field", "say why it is rejected");
		errbuf_field(err, "comment");
		return ERMS_EINVAL;
	}
	out->status = to;
	out->updated_ms = now_ms;
	if (step == PVS_SUBMIT)
		out->submitted_ms = now_ms;
	if (step == PVS_APPROVE || step == PVS_REJECT) {
		out->reviewer_id = p->user.id;
		out->reviewed_ms = now_ms;
		free(out->review_comment);
		out->review_comment = xstrdup(comment ? comment : "");
	}
	if (step == PVS_PUBLISH &&
	    ((rc = store_pv_published_n(st, plan_id, &prev_n)) ||
	     (rc = publish(st, p, out, now_ms, err))))
		return rc;
	app_stamp(&out->stamp, p);
	if ((rc = store_pv_update(st, out)) ||
	    (rc = plan_notice_step(st, p, out, step, prev_n, comment, now_ms)))
		return rc;
	extra = xasprintf("%s%s", comment && *comment ? " comment=" : "",
			  comment ? comment : "");
	rc = plan_audit(st, p, step == PVS_SUBMIT	 ? "plan.submit"
			       : step == PVS_APPROVE ? "plan.approve"
			       : step == PVS_REJECT  ? "plan.reject"
						     : "plan.publish",
			out, extra, now_ms);
	free(extra);
	return rc;
}

int app_plan_ack(struct store *st, const struct principal *p,
		 int64_t plan_id, int n, int64_t now_ms, struct errbuf *err)
{
	struct plan_version v = { 0 };
	int rc = app_may(p, A_PLAN_ACK, NULL, err);

	if (!rc)
		rc = load(st, plan_id, n, &v, err);
	if (!rc && v.status != PV_PUBLISHED)
		rc = err_ret(err, ERMS_ECONFLICT, "conflict",
			     "version %d is %s, not the one in force", n,
			     pv_status_name(v.status));
	if (!rc)
		rc = store_ack_put(st, v.id, p->user.id, now_ms);
	if (!rc)
		rc = plan_audit(st, p, "plan.ack", &v, "", now_ms);
	plan_version_release(&v);
	return rc;
}

/* The n of plan_id's version in force, else of its newest; 0: none. */
static int newest(void *ctx, const struct plan_version *v)
{
	int *n = ctx;

	if (v->n > *n)
		*n = v->n;
	return 0;
}

static int base_n(struct store *st, int64_t plan_id, int *n)
{
	int rc = store_pv_published_n(st, plan_id, n);

	if (!rc && !*n)
		rc = store_pv_list(st, plan_id, newest, n);
	return rc;
}

/*
 * The findings of incident key's review that a plan revision answers:
 * its action items marked plan_revision, else all of them, and its
 * lessons, as [{incident_id, number, title}].
 */
static int review_findings(struct store *st, const char *key,
			   int64_t *incident_id, json_t **out,
			   struct errbuf *err)
{
	struct incident_row r = { 0 };
	json_t *review = NULL, *item, *found = json_array();
	const char *lessons;
	bool marked = false;
	size_t i;
	int rc = store_incident_get(st, key, &r);

	if (rc == ERMS_ENOTFOUND) {
		errbuf_field(err, "from_review");
		rc = err_ret(err, ERMS_EINVAL, "invalid_field",
			     "no incident '%s'", key);
	}
	if (!rc && (!r.review_json || !*r.review_json ||
		    !(review = json_loads(r.review_json, 0, NULL)))) {
		errbuf_field(err, "from_review");
		rc = err_ret(err, ERMS_ECONFLICT, "conflict",
			     "incident %s has no review yet", r.number);
	}
	json_array_foreach(json_object_get(review, "action_items"), i, item)
		marked |= json_is_true(json_object_get(item, "plan_revision"));
	json_array_foreach(json_object_get(review, "action_items"), i, item) {
		const char *t = json_string_value(json_object_get(item,
								  "title"));

		if (t && *t && (!marked || json_is_true(json_object_get(
					    item, "plan_revision"))))
			json_array_append_new(found, json_pack(
				"{s:I, s:s, s:s}", "incident_id",
				(json_int_t)r.inc.id, "number", r.number,
				"title", t));
	}
	lessons = json_string_value(json_object_get(review, "lessons"));
	if (lessons && *lessons)
		json_array_append_new(found, json_pack(
			"{s:I, s:s, s:s}", "incident_id", (json_int_t)r.inc.id,
			"number", r.number, "title", lessons));
	if (!rc && !json_array_size(found)) {
		errbuf_field(err, "from_review");
		rc = err_ret(err, ERMS_ECONFLICT, "conflict",
			     "the review of incident %s names no finding",
			     r.number);
	}
	*incident_id = r.inc.id;
	json_decref(review);
	incident_row_release(&r);
	if (rc)
		json_decref(found);
	else
		*out = found;
	return rc;
}

int app_plan_draft(struct store *st, const struct principal *p,
		   int64_t plan_id, int from_n, const char *from_review,
		   int64_t now_ms, struct plan_version *out,
		   struct errbuf *err)
{
	struct plan_version src = { 0 };
	json_t *findings = NULL, *content = NULL;
	int64_t incident_id = 0;
	char *text = NULL, *extra;
	int rc = app_may(p, A_PLAN_IMPORT, NULL, err);

	memset(out, 0, sizeof(*out));
	if (!rc && !from_n)
		rc = base_n(st, plan_id, &from_n);
	if (!rc && !from_n)
		rc = err_ret(err, ERMS_ENOTFOUND, "not_found",
			     "no plan %" PRId64, plan_id);
	if (!rc)
		rc = load(st, plan_id, from_n, &src, err);
	if (!rc && from_review)
		rc = review_findings(st, from_review, &incident_id, &findings,
				     err);
	if (!rc && !(content = json_loads(src.content ? src.content : "", 0,
					  NULL)))
		rc = ERMS_ESTORE;
	if (rc)
		goto out;
	out->plan_id = plan_id;
	snprintf(out->plan_key, sizeof(out->plan_key), "%s", src.plan_key);
	out->status = PV_DRAFT;
	out->author_id = p->user.id;
	out->created_ms = now_ms;
	if (!src.source || !*src.source)
		text = plan_export(content, NULL);
	set_content(out, content, src.source_name ? src.source_name
						  : "plan.yaml",
		    text ? text : src.source);
	free(text);
	text = findings ? json_dumps(findings, JSON_COMPACT) : NULL;
	if ((rc = store_pv_insert(st, out)) ||
	    (rc = store_pv_editor_put(st, out->id, p->user.id, now_ms)) ||
	    (rc = store_pv_basis_put(st, out->id, from_n, incident_id,
				     text ? text : "[]")))
		goto out;
	extra = xasprintf(" from=v%d%s%s", from_n,
			  from_review ? " review=" : "",
			  from_review ? from_review : "");
	rc = plan_audit(st, p, "plan.draft", out, extra, now_ms);
	free(extra);
out:
	free(text);
	json_decref(content);
	json_decref(findings);
	plan_version_release(&src);
	return rc;
}

int app_plan_basis(struct store *st, int64_t version_id, json_t **out)
{
	int from_n = 0;
	int64_t incident_id = 0;
	char *findings = NULL;
	struct incident_row r = { 0 };
	int rc = store_pv_basis_get(st, version_id, &from_n, &incident_id,
				    &findings);

	*out = NULL;
	if (rc == ERMS_ENOTFOUND)
		return 0;
	if (!rc && incident_id)
		rc = store_incident_get_id(st, incident_id, &r);
	if (!rc) {
		json_t *f = json_loads(findings ? findings : "[]", 0, NULL);

		*out = json_pack("{s:i, s:o, s:o}", "from_n", from_n,
				 "incident", incident_id
				 ? json_pack("{s:I, s:s}", "id",
					     (json_int_t)incident_id, "number",
					     r.number)
				 : json_null(),
				 "findings", f ? f : json_array());
	}
	incident_row_release(&r);
	free(findings);
	return rc;
}

struct pending_ref {
	int64_t plan_id;
	int n;
};

static int add_plan_id(void *ctx, const struct plan_row *p)
{
	json_array_append_new(ctx, json_integer(p->id));
	return 0;
}

static int add_waiting(void *ctx, const struct plan_version *v)
{
	if (v->status == PV_IN_REVIEW || v->status == PV_APPROVED)
		json_array_append_new(ctx, json_pack("[I, i]",
						     (json_int_t)v->plan_id,
						     v->n));
	return 0;
}

int app_plan_pending(struct store *st, const struct principal *p,
		     app_plan_pending_fn *fn, void *ctx, struct errbuf *err)
{
	static const enum pv_step steps[] = { PVS_APPROVE, PVS_REJECT,
					      PVS_PUBLISH };
	json_t *plans = json_array(), *refs = json_array(), *x;
	struct plan_version v = { 0 };
	size_t i;
	int rc = app_may(p, A_PLAN_READ, NULL, err);

	if (!rc)
		rc = store_plan_list(st, add_plan_id, plans);
	json_array_foreach(plans, i, x)
		if (!rc)
			rc = store_pv_list(st, json_integer_value(x),
					   add_waiting, refs);
	json_array_foreach(refs, i, x) {
		unsigned mask = 0;

		if (rc || (rc = load(st, json_integer_value(json_array_get(
					     x, 0)),
				     (int)json_integer_value(
					     json_array_get(x, 1)),
				     &v, err)))
			break;
		for (size_t k = 0; !rc && k < sizeof(steps) / sizeof(*steps);
		     k++) {
			struct errbuf scratch = { 0 };
			enum pv_status to;
			int r = check_step(st, p, &v, steps[k], &to, &scratch);

			if (!r)
				mask |= 1u << steps[k];
			else if (r == ERMS_ESTORE)
				rc = r;
		}
		if (!rc && mask)
			rc = fn(ctx, &v, mask);
	}
	plan_version_release(&v);
	json_decref(plans);
	json_decref(refs);
	return rc;
}
