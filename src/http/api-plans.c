/*
 * api-plans.c - emergency plans: import, versions, review and approval,
 * publication, acknowledgement, diff and export.
 *
 * Plan files are parsed in prep(), on the I/O thread, so that a large
 * file never holds up the writer; fn() only writes.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/plans.h"
#include "http/fields.h"
#include "http/json.h"
#include "plan/plan.h"
#include "store/store.h"
#include "util/xalloc.h"

static int add_editor(void *ctx, int64_t user_id, const char *login,
		      const char *display_name, int64_t first_ms,
		      int64_t last_ms)
{
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:o, s:o}",
					     "user_id", (json_int_t)user_id,
					     "login", login, "display_name",
					     display_name, "first_at",
					     json_time(first_ms), "last_at",
					     json_time(last_ms)));
	return 0;
}

/* Everyone who imported, replaced or edited v (null if unreadable). */
static json_t *editors_json(struct store *st, const struct plan_version *v)
{
	json_t *a = json_array();

	if (store_pv_editors(st, v->id, add_editor, a)) {
		json_decref(a);
		return json_null();
	}
	return a;
}

static json_t *version_json(struct store *st, const struct plan_version *v,
			    const char *lang, bool with_content)
{
	json_t *name = json_loads(v->name_json ? v->name_json : "null",
				  JSON_DECODE_ANY, NULL);
	json_t *o = json_pack(
		"{s:I, s:s, s:i, s:s, s:o, s:s, s:I, s:o, s:o, s:o, s:o, s:o,"
		" s:s, s:o, s:o, s:o}",
		"plan_id", (json_int_t)v->plan_id, "plan_key", v->plan_key,
		"n", v->n, "status", pv_status_name(v->status), "name",
		name ? name : json_null(), "file",
		v->source_name ? v->source_name : "", "author_id",
		(json_int_t)v->author_id, "created_at",
		json_time(v->created_ms), "updated_at",
		json_time(v->updated_ms), "submitted_at",
		json_time(v->submitted_ms), "reviewer_id",
		v->reviewer_id ? json_integer(v->reviewer_id) : json_null(),
		"reviewed_at", json_time(v->reviewed_ms), "review_comment",
		v->review_comment ? v->review_comment : "", "published_at",
		json_time(v->published_ms), "publisher_id",
		v->publisher_id ? json_integer(v->publisher_id) : json_null(),
		"superseded_at", json_time(v->superseded_ms));

	json_object_set_new(o, "editors", editors_json(st, v));

	if (with_content && v->content) {
		json_t *c = json_loads(v->content, 0, NULL);

		json_object_set_new(o, "content",
				    c ? plan_render(c, lang) : json_null());
		json_decref(c);
	}
	return o;
}

/* The plan id of route parameter 0 (an id or a key). */
static bool plan_id(struct req *rq, struct resp *rs, int64_t *id)
{
	struct errbuf e = { 0 };
	int rc = app_plan_resolve(rq->st, rq->param[0], id, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	return !rc;
}

/* The version number of route parameter i. */
static bool version_n(struct req *rq, struct resp *rs, int i, int *n)
{
	int64_t v = req_param_id(rq, i);

	if (v <= 0 || v > 1000000) {
		resp_fail(rq, rs, 404, "not_found", NULL, "no version '%s'",
			  rq->param[i]);
		return false;
	}
	*n = (int)v;
	return true;
}

struct parsed {
	json_t *content;
	char *source;
	char *file;
};

static void parsed_free(void *p)
{
	struct parsed *x = p;

	json_decref(x->content);
	free(x->source);
	free(x->file);
	free(x);
}

/* prep: check the body and parse the plan file it carries. */
void api_plan_prep(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *errors;
	struct parsed *x;
	const char *yaml;
	int rc = app_may(&rq->who, A_PLAN_IMPORT, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, plan_import_body.f,
				plan_import_body.n, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	x = xcalloc(1, sizeof(*x));
	rq->ctx = x;
	rq->ctx_free = parsed_free;
	yaml = jstr(rq->body, "yaml", "");
	x->file = xstrdup(jstr(rq->body, "file", "plan.yaml"));
	x->source = xstrdup(yaml);
	errors = json_array();
	if (plan_parse(x->file, yaml, strlen(yaml), &x->content, errors)) {
		resp_fail(rq, rs, 400, "invalid_plan", "yaml",
			  "the plan file has %zu problem(s): %s",
			  json_array_size(errors),
			  json_string_value(json_object_get(
				  json_array_get(errors, 0), "text")));
		json_object_set_new(json_object_get(rs->json, "error"),
				    "details", errors);
		return;
	}
	json_decref(errors);
}

void api_plan_import(struct req *rq, struct resp *rs)
{
	struct parsed *x = rq->ctx;
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	int rc = app_plan_import(rq->st, &rq->who, x->content, x->file,
				 x->source, rq->now_ms, &v, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, version_json(rq->st, &v, rq->lang, false));
	plan_version_release(&v);
}

void api_plan_replace(struct req *rq, struct resp *rs)
{
	struct parsed *x = rq->ctx;
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	int64_t id;
	int n, rc;

	if (!plan_id(rq, rs, &id) || !version_n(rq, rs, 1, &n))
		return;
	rc = app_plan_replace(rq->st, &rq->who, id, n, x->content, x->file,
			      x->source, rq->now_ms, &v, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, version_json(rq->st, &v, rq->lang, false));
	plan_version_release(&v);
}

static int add_plan(void *ctx, const struct plan_row *p)
{
	json_array_append_new(ctx, json_pack(
		"{s:I, s:s, s:o, s:i, s:o}", "id", (json_int_t)p->id,
		"key", p->key, "created_at", json_time(p->created_ms),
		"latest_version", p->latest_n, "published_version",
		p->published_n ? json_integer(p->published_n) : json_null()));
	return 0;
}

void api_plan_list(struct req *rq, struct resp *rs)
{
	json_t *items = json_array();
	int rc = store_plan_list(rq->st, add_plan, items);

	if (rc) {
		json_decref(items);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_list(rs, items, 0);
}

struct versions {
	json_t *items;
	const char *lang;
	struct store *st;
};

static int add_version(void *ctx, const struct plan_version *v)
{
	struct versions *vs = ctx;

	json_array_append_new(vs->items,
			      version_json(vs->st, v, vs->lang, false));
	return 0;
}

void api_plan_versions(struct req *rq, struct resp *rs)
{
	struct versions vs = { json_array(), rq->lang, rq->st };
	int64_t id;
	int rc;

	if (!plan_id(rq, rs, &id)) {
		json_decref(vs.items);
		return;
	}
	rc = store_pv_list(rq->st, id, add_version, &vs);
	if (!rc && !json_array_size(vs.items))
		rc = ERMS_ENOTFOUND;
	if (rc) {
		json_decref(vs.items);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_list(rs, vs.items, 0);
}

void api_plan_get(struct req *rq, struct resp *rs)
{
	api_plan_versions(rq, rs);
	if (rs->status == 200) {
		json_t *items = json_object_get(rs->json, "items");
		json_t *last = json_array_get(items, json_array_size(items) - 1);

		json_object_set_new(rs->json, "id",
				    json_integer(json_integer_value(
					    json_object_get(last, "plan_id"))));
		json_object_set(rs->json, "key", json_object_get(last, "plan_key"));
		json_object_set(rs->json, "name", json_object_get(last, "name"));
	}
}

/* Answer version n of the plan, with its content rendered. */
static void answer_version(struct req *rq, struct resp *rs, int rc,
			   struct plan_version *v)
{
	if (rc)
		resp_err(rq, rs, rc, NULL);
	else
		resp_json(rs, 200, version_json(rq->st, v, rq->lang, true));
	plan_version_release(v);
}

void api_plan_current(struct req *rq, struct resp *rs)
{
	struct plan_version v = { 0 };
	int rc = store_pv_current(rq->st, &v);

	if (rc == ERMS_ENOTFOUND) {
		resp_fail(rq, rs, 404, "not_found", NULL,
			  "no plan has been published yet");
		return;
	}
	answer_version(rq, rs, rc, &v);
}

void api_plan_version(struct req *rq, struct resp *rs)
{
	struct plan_version v = { 0 };
	int64_t id;
	int n;

	if (!plan_id(rq, rs, &id) || !version_n(rq, rs, 1, &n))
		return;
	answer_version(rq, rs, store_pv_get(rq->st, id, n, &v), &v);
}

void api_plan_export(struct req *rq, struct resp *rs)
{
	struct plan_version v = { 0 };
	json_t *content;
	int64_t id;
	int n, rc;

	if (!plan_id(rq, rs, &id) || !version_n(rq, rs, 1, &n))
		return;
	rc = store_pv_get(rq->st, id, n, &v);
	content = rc ? NULL : json_loads(v.content, 0, NULL);
	if (rc || !content) {
		resp_err(rq, rs, rc ? rc : ERMS_ESTORE, NULL);
	} else {
		size_t len;
		char *yaml = plan_export(content, &len);

		resp_bytes(rs, 200, "application/yaml; charset=utf-8", yaml,
			   len);
		resp_header(rs, "Content-Disposition",
			    "attachment; filename=\"%s-v%d.yaml\"", v.plan_key,
			    n);
		free(yaml);
	}
	json_decref(content);
	plan_version_release(&v);
}

void api_plan_diff(struct req *rq, struct resp *rs)
{
	struct plan_version a = { 0 }, b = { 0 };
	json_t *ca = NULL, *cb = NULL;
	int64_t id;
	int n, m, rc;

	if (!plan_id(rq, rs, &id) || !version_n(rq, rs, 1, &n) ||
	    !version_n(rq, rs, 2, &m))
		return;
	rc = store_pv_get(rq->st, id, n, &a);
	if (!rc)
		rc = store_pv_get(rq->st, id, m, &b);
	if (!rc) {
		ca = json_loads(a.content, 0, NULL);
		cb = json_loads(b.content, 0, NULL);
	}
	if (rc || !ca || !cb)
		resp_err(rq, rs, rc ? rc : ERMS_ESTORE, NULL);
	else
		resp_json(rs, 200, json_pack("{s:i, s:i, s:o}", "from", n,
					     "to", m, "changes",
					     plan_diff(ca, cb)));
	json_decref(ca);
	json_decref(cb);
	plan_version_release(&a);
	plan_version_release(&b);
}

void api_plan_step(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	int step = pv_step_parse(rq->param[2]);
	int64_t id;
	int n, rc;

	if (step < 0 || step == PVS_EDIT) {
		resp_fail(rq, rs, 404, "not_found", NULL, "no step '%s'",
			  rq->param[2]);
		return;
	}
	rc = json_check(rq->body, plan_step_body.f, plan_step_body.n, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	if (!plan_id(rq, rs, &id) || !version_n(rq, rs, 1, &n))
		return;
	rc = app_plan_step(rq->st, &rq->who, id, n, (enum pv_step)step,
			   jstr(rq->body, "comment", NULL), rq->now_ms, &v, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, version_json(rq->st, &v, rq->lang, false));
	plan_version_release(&v);
}

void api_plan_ack(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t id;
	int n, rc;

	if (!plan_id(rq, rs, &id) || !version_n(rq, rs, 1, &n))
		return;
	rc = app_plan_ack(rq->st, &rq->who, id, n, rq->now_ms, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 200, json_pack("{s:i, s:o}", "n", n,
					     "acknowledged_at",
					     json_time(rq->now_ms)));
}

struct acks {
	json_t *items;
	int acked, total;
	const char *only;	/* "pending", "acknowledged" or NULL */
};

static int add_ack(void *ctx, int64_t user_id, const char *login,
		   const char *name, int64_t acked_ms)
{
	struct acks *a = ctx;

	a->acked += acked_ms != 0;
	a->total++;
	if (a->only && !strcmp(a->only, acked_ms ? "pending" : "acknowledged"))
		return 0;
	json_array_append_new(a->items, json_pack(
		"{s:I, s:s, s:s, s:b, s:o}", "user_id", (json_int_t)user_id,
		"login", login, "display_name", name, "acknowledged",
		acked_ms != 0, "acknowledged_at", json_time(acked_ms)));
	return 0;
}

void api_plan_acks(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	struct acks a = { .items = json_array(), .only = req_query(rq, "state") };
	int64_t id;
	int n, rc;

	if (!plan_id(rq, rs, &id) || !version_n(rq, rs, 1, &n))
		goto out;
	rc = app_may(&rq->who, A_PLAN_ACKS_READ, NULL, &e);
	if (!rc)
		rc = store_pv_get(rq->st, id, n, &v);
	if (!rc)
		rc = store_ack_list(rq->st, v.id, req_query(rq, "group"),
				    add_ack, &a);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		goto out;
	}
	resp_json(rs, 200, json_pack("{s:i, s:s, s:i, s:i, s:o}", "n", n,
				     "status", pv_status_name(v.status),
				     "total", a.total, "acknowledged", a.acked,
				     "items", a.items));
	a.items = NULL;
out:
	json_decref(a.items);
	plan_version_release(&v);
}
