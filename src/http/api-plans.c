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

#include "app/planfile.h"
#include "app/plans.h"
#include "app/reads.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "plan/plan.h"
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
static json_t *editors_json(struct req *rq, const struct plan_version *v)
{
	json_t *a = json_array();

	if (app_plan_editors(rq->st, &rq->who, v->id, add_editor, a)) {
		json_decref(a);
		return json_null();
	}
	return a;
}

/* Where a draft came from and the findings it answers (null: imported). */
static json_t *basis_json(struct req *rq, const struct plan_version *v)
{
	json_t *b = NULL;

	if (app_plan_basis(rq->st, v->id, &b))
		return json_null();
	return b ? b : json_null();
}

static json_t *version_json(struct req *rq, const struct plan_version *v,
			    bool with_content)
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

	json_add_stamp(o, &v->stamp);
	json_object_set_new(o, "editors", editors_json(rq, v));
	json_object_set_new(o, "based_on", basis_json(rq, v));

	if (with_content && v->content) {
		json_t *c = json_loads(v->content, 0, NULL);

		json_object_set_new(o, "content",
				    c ? plan_render(c, rq->lang) : json_null());
		json_decref(c);
		/* The file as written (with its comments), for the editor. */
		json_object_set_new(o, "source", json_string(v->source
							     ? v->source
							     : ""));
	}
	return o;
}

/* The plan id of route parameter 0 (an id or a key). */
static int plan_id(struct req *rq, int64_t *id, struct errbuf *e)
{
	return app_plan_resolve(rq->st, rq->param[0], id, e);
}

/* The version number of route parameter i. */
static int version_n(struct req *rq, int i, int *n, struct errbuf *e)
{
	int64_t v = req_param_id(rq, i);

	if (v <= 0 || v > 1000000)
		return err_ret(e, ERMS_ENOTFOUND, "not_found",
			       "no version '%s'", rq->param[i]);
	*n = (int)v;
	return 0;
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

static int import_shape(const json_t *body, struct errbuf *e)
{
	return json_check(body, plan_import_body.f, plan_import_body.n, e);
}

/*
 * A plan file's problems for the reader: "message" and "text" in the
 * reader's language (the English kept as "message_en" and "text_en" for
 * a zh reader).
 */
static void errors_for(json_t *errors, const char *lang)
{
	json_t *d;
	size_t i;

	json_array_foreach(errors, i, d) {
		json_t *m = json_object_get(d, "messages");
		const char *zh = json_string_value(json_object_get(m, "zh-CN"));
		const char *en = json_string_value(json_object_get(d, "message"));
		const char *text = json_string_value(json_object_get(d, "text"));

		if (lang && !strcmp(lang, "zh-CN") && zh && en && text &&
		    strlen(text) >= strlen(en)) {
			char *t = xasprintf("%.*s%s",
					    (int)(strlen(text) - strlen(en)),
					    text, zh);

			json_object_set_new(d, "message_en", json_string(en));
			json_object_set_new(d, "text_en", json_string(text));
			json_object_set_new(d, "message", json_string(zh));
			json_object_set_new(d, "text", json_string(t));
			free(t);
		}
		json_object_del(d, "messages");
	}
}

/* prep: check the body and parse the plan file it carries. */
void api_plan_prep(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *errors = json_array();
	struct parsed *x = xcalloc(1, sizeof(*x));
	int rc;

	rq->ctx = x;
	rq->ctx_free = parsed_free;
	rc = app_plan_file(&rq->who, rq->body, import_shape, &x->content,
			   errors, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		if (!strcmp(e.code, "invalid_plan")) {
			errors_for(errors, rq->lang);
			json_object_set(json_object_get(rs->json, "error"),
					"details", errors);
		}
	} else {
		x->file = xstrdup(jstr(rq->body, "file", "plan.yaml"));
		x->source = xstrdup(jstr(rq->body, "yaml", ""));
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
		resp_json(rs, 201, version_json(rq, &v, false));
	plan_version_release(&v);
}

void api_plan_replace(struct req *rq, struct resp *rs)
{
	struct parsed *x = rq->ctx;
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	int64_t id;
	int n = 0;
	int rc = plan_id(rq, &id, &e);

	if (!rc)
		rc = version_n(rq, 1, &n, &e);
	if (!rc)
		rc = app_plan_check_version(rq->st, &rq->who, id, n,
					    req_version(rq), &e);
	if (!rc)
		rc = app_plan_replace(rq->st, &rq->who, id, n, x->content,
				      x->file, x->source, rq->now_ms, &v, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, version_json(rq, &v, false));
		resp_etag(rs, v.stamp.version);
	}
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
	struct errbuf e = { 0 };
	json_t *items = json_array();
	int rc = app_plan_list(rq->st, &rq->who, add_plan, items, &e);

	api_answer_list(rq, rs, rc, items, &e);
}

struct versions {
	json_t *items;
	struct req *rq;
};

static int add_version(void *ctx, const struct plan_version *v)
{
	struct versions *vs = ctx;

	json_array_append_new(vs->items, version_json(vs->rq, v, false));
	return 0;
}

void api_plan_versions(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct versions vs = { json_array(), rq };
	int rc = app_plan_versions(rq->st, &rq->who, rq->param[0], add_version,
				   &vs, &e);

	api_answer_list(rq, rs, rc, vs.items, &e);
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

/* Answer version v of the plan, with its content rendered. */
static void answer_version(struct req *rq, struct resp *rs, int rc,
			   struct plan_version *v, const struct errbuf *e)
{
	if (rc) {
		resp_err(rq, rs, rc, e);
	} else {
		resp_json(rs, 200, version_json(rq, v, true));
		resp_etag(rs, v->stamp.version);
	}
	plan_version_release(v);
}

void api_plan_current(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	int rc = app_plan_current(rq->st, &rq->who, &v, &e);

	if (rc == ERMS_ENOTFOUND)
		errbuf_set(&e, "not_found", "no plan has been published yet");
	answer_version(rq, rs, rc, &v, &e);
}

/* Version (route parameter 1) of the plan (parameter 0) into *v, its
 * number into *n. */
static int version_of(struct req *rq, int *n, struct plan_version *v,
		      struct errbuf *e)
{
	int rc = version_n(rq, 1, n, e);

	return rc ? rc : app_plan_version(rq->st, &rq->who, rq->param[0], *n,
					  v, e);
}

void api_plan_version(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	int n = 0;

	answer_version(rq, rs, version_of(rq, &n, &v, &e), &v, &e);
}

void api_plan_export(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	json_t *content = NULL;
	int n = 0;
	int rc = version_of(rq, &n, &v, &e);

	if (!rc && !(content = json_loads(v.content, 0, NULL)))
		rc = ERMS_ESTORE;
	if (rc) {
		resp_err(rq, rs, rc, &e);
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
	struct errbuf e = { 0 };
	struct plan_version a = { 0 }, b = { 0 };
	json_t *ca = NULL, *cb = NULL;
	int n = 0, m = 0;
	int rc = version_n(rq, 1, &n, &e);

	if (!rc)
		rc = version_n(rq, 2, &m, &e);
	if (!rc)
		rc = app_plan_version(rq->st, &rq->who, rq->param[0], n, &a, &e);
	if (!rc)
		rc = app_plan_version(rq->st, &rq->who, rq->param[0], m, &b, &e);
	if (!rc) {
		ca = json_loads(a.content, 0, NULL);
		cb = json_loads(b.content, 0, NULL);
	}
	if (!rc && (!ca || !cb))
		rc = ERMS_ESTORE;
	if (rc)
		resp_err(rq, rs, rc, &e);
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
	int64_t id = 0;
	int n = 0, rc = 0;

	if (step < 0 || step == PVS_EDIT)
		rc = err_ret(&e, ERMS_ENOTFOUND, "not_found", "no step '%s'",
			     rq->param[2]);
	if (!rc)
		rc = json_check(rq->body, plan_step_body.f, plan_step_body.n,
				&e);
	if (!rc)
		rc = plan_id(rq, &id, &e);
	if (!rc)
		rc = version_n(rq, 1, &n, &e);
	if (!rc)
		rc = app_plan_check_version(rq->st, &rq->who, id, n,
					    req_version(rq), &e);
	if (!rc)
		rc = app_plan_step(rq->st, &rq->who, id, n, (enum pv_step)step,
				   jstr(rq->body, "comment", NULL), rq->now_ms,
				   &v, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, version_json(rq, &v, false));
		resp_etag(rs, v.stamp.version);
	}
	plan_version_release(&v);
}

void api_plan_ack(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t id = 0;
	int n = 0;
	int rc = plan_id(rq, &id, &e);

	if (!rc)
		rc = version_n(rq, 1, &n, &e);
	if (!rc)
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
	int n = 0;
	int rc = version_n(rq, 1, &n, &e);

	if (!rc)
		rc = app_plan_acks(rq->st, &rq->who, rq->param[0], n,
				   req_query(rq, "group"), add_ack, &a, &v, &e);
	if (rc) {
		json_decref(a.items);
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, json_pack(
			"{s:i, s:s, s:i, s:i, s:o}", "n", n, "status",
			pv_status_name(v.status), "total", a.total,
			"acknowledged", a.acked, "items", a.items));
	}
	plan_version_release(&v);
}

void api_plan_validate(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *errors = json_array();
	const char *yaml = jstr(rq->body, "yaml", "");
	int rc = app_may(&rq->who, A_PLAN_IMPORT, NULL, &e);

	if (!rc)
		rc = json_check(rq->body, plan_validate_body.f,
				plan_validate_body.n, &e);
	if (rc) {
		json_decref(errors);
		resp_err(rq, rs, rc, &e);
		return;
	}
	rc = app_plan_validate(jstr(rq->body, "file", "plan.yaml"), yaml,
			       strlen(yaml), errors);
	errors_for(errors, rq->lang);
	resp_json(rs, 200, json_pack("{s:b, s:o}", "ok", rc == 0, "errors",
				     errors));
}

void api_plan_draft(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct plan_version v = { 0 };
	json_t *review = json_object_get(rq->body, "from_review");
	char key[32] = "";
	int64_t id = 0;
	int rc = json_check(rq->body, plan_draft_body.f, plan_draft_body.n,
			    &e);

	if (json_is_integer(review))
		snprintf(key, sizeof(key), "%lld",
			 (long long)json_integer_value(review));
	else if (json_is_string(review))
		snprintf(key, sizeof(key), "%s", json_string_value(review));
	if (!rc)
		rc = plan_id(rq, &id, &e);
	if (!rc)
		rc = app_plan_draft(rq->st, &rq->who, id,
				    (int)jint(rq->body, "from", 0),
				    review ? key : NULL, rq->now_ms, &v, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, version_json(rq, &v, false));
	plan_version_release(&v);
}

struct pending {
	struct req *rq;
	json_t *items;
};

static int add_pending(void *ctx, const struct plan_version *v,
		       unsigned steps)
{
	struct pending *x = ctx;
	json_t *o = version_json(x->rq, v, false), *a = json_array();

	for (int s = PVS_SUBMIT; s <= PVS_PUBLISH; s++)
		if (steps & (1u << s))
			json_array_append_new(a, json_string(pv_step_name(
							 (enum pv_step)s)));
	json_object_set_new(o, "steps", a);
	json_array_append_new(x->items, o);
	return 0;
}

void api_plan_pending(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct pending x = { rq, json_array() };
	int rc = app_plan_pending(rq->st, &rq->who, add_pending, &x, &e);

	api_answer_list(rq, rs, rc, x.items, &e);
}
