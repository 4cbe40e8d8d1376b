/*
 * api-incidents.c - incidents: report, list and search, the steps of the
 * state machine, notes, the timeline and tasks.
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/codec-write.h"
#include "app/incidents.h"
#include "app/reads.h"
#include "app/report.h"
#include "http/api.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/clock.h"
#include "util/xalloc.h"


/* An optional RFC 3339 field into *ms (0 when absent). */
static int time_field(const json_t *body, const char *name, int64_t *ms,
		      struct errbuf *e)
{
	const char *s = jstr(body, name, NULL);

	*ms = 0;
	if (s && time_parse(s, ms)) {
		errbuf_set(e, "invalid", "'%s' is not an RFC 3339 time", s);
		errbuf_field(e, name);
		return ERMS_EINVAL;
	}
	return 0;
}

/* The report's answer, on the connection's thread (http/batch.h). */
static void report_answer(struct resp *rs)
{
	resp_json(rs, 201, incident_json(rs->finish_ctx));
}

static void report_free(void *ctx)
{
	incident_row_release(ctx);
	free(ctx);
}

void api_incident_report(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct incident_row r = { 0 };
	struct incident_input in = { 0 };
	int rc = json_check(rq->body, report_body.f, report_body.n,
			    &e);

	if (!rc)
		rc = time_field(rq->body, "detected_at", &in.detected_ms, &e);
	if (!rc) {
		in.title = jstr(rq->body, "title", "");
		in.description = jstr(rq->body, "description", "");
		in.impact = jstr(rq->body, "impact", "");
		in.category = jstr(rq->body, "category", "");
		in.proposed_level = jstr(rq->body, "proposed_level", NULL);
		in.is_drill = jbool(rq->body, "is_drill", false);
		rc = app_incident_report(rq->st, &rq->who, &in, rq->now_ms, &r,
					 &e);
	}
	if (rc) {
		resp_err(rq, rs, rc, &e);
		incident_row_release(&r);
		return;
	}
	/* The answer is encoded after the commit, off the writer. */
	rs->status = 201;
	rs->finish = report_answer;
	rs->finish_ctx = xmalloc(sizeof(r));
	rs->finish_free = report_free;
	memcpy(rs->finish_ctx, &r, sizeof(r));
}

/* One incident with what those deciding need (app_incident_extras). */
static void answer_incident(struct req *rq, struct resp *rs,
			    const struct incident_row *r)
{
	json_t *o = incident_json(r);
	int rc = app_incident_extras(rq->st, r, o);

	if (rc) {
		json_decref(o);
		resp_err(rq, rs, rc, NULL);
		return;
	}
	resp_json(rs, 200, o);
	resp_etag(rs, r->stamp.version);
}

void api_incident_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct incident_row r = { 0 };
	int rc = app_incident_read(rq->st, &rq->who, rq->param[0], &r, &e);

	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer_incident(rq, rs, &r);
	incident_row_release(&r);
}

/* A row of the list, written straight into the answer. */
static int add_incident(void *ctx, const struct incident_row *r)
{
	struct page *p = ctx;

	if (page_full(p))
		return 1;
	page_sep(p);
	incident_write(p->rows, r);
	p->last = r->inc.id;
	return 0;
}

/* A query argument as a time, into *ms (0 when absent). */
static int time_query(struct req *rq, const char *name, int64_t *ms,
		      struct errbuf *e)
{
	const char *s = req_query(rq, name);

	*ms = 0;
	if (s && time_parse(s, ms)) {
		errbuf_set(e, "invalid", "'%s' is not an RFC 3339 time", s);
		errbuf_field(e, name);
		return ERMS_EINVAL;
	}
	return 0;
}

int api_incident_filter(struct req *rq, struct incident_filter *f,
			struct errbuf *e)
{
	const char *drill = req_query(rq, "is_drill");
	const char *status = req_query(rq, "status");
	int rc = time_query(rq, "from", &f->from_ms, e);

	if (!rc)
		rc = time_query(rq, "to", &f->to_ms, e);
	if (!rc && drill && strcmp(drill, "true") && strcmp(drill, "false"))
		rc = err_fail(e, ERMS_EINVAL, "is_drill",
			      "is_drill is true or false");
	if (!rc && status && incident_state_parse(status) < 0)
		rc = err_fail(e, ERMS_EINVAL, "status",
			      "no status '%s'", status);
	if (drill)
		f->is_drill = !strcmp(drill, "true");
	f->status = status;
	f->level = req_query(rq, "level");
	f->category = req_query(rq, "category");
	f->q = req_query(rq, "q");
	return rc;
}

static int incidents_page(struct req *rq, int64_t after, struct page *p,
			  struct errbuf *e)
{
	struct incident_filter *f = rq->ctx;

	f->before_id = after;
	f->limit = p->limit + 1;
	return app_incident_list(rq->st, &rq->who, f, add_incident, p, e);
}

void api_incident_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct incident_filter f = { .is_drill = -1 };
	int rc = api_incident_filter(rq, &f, &e);

	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	rq->ctx = &f;
	api_page_rows(rq, rs, incidents_page);
	rq->ctx = NULL;
}

/* Check a review and its action items. */
static int check_review(const json_t *review, struct errbuf *e)
{
	json_t *item;
	size_t i;
	int rc = json_check(review, review_body.f, review_body.n,
			    e);

	json_array_foreach(json_object_get(review, "action_items"), i, item)
		if (!rc)
			rc = json_check(item, item_body.f,
					item_body.n, e);
	if (rc && e->field[0]) {
		char f[sizeof(e->field) + 8];

		snprintf(f, sizeof(f), "review.%s", e->field);
		errbuf_field(e, f);
	}
	return rc;
}

void api_incident_act(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct incident_row r = { 0 };
	struct incident_args args = { 0 };
	int a = incident_action_parse(rq->param[1]);
	int rc = 0;

	if (a < 0 || a == IA_REPORT)
		rc = err_fail(&e, ERMS_ENOTFOUND, NULL, "no action '%s'",
			      rq->param[1]);
	if (!rc)
		rc = json_check(rq->body, action_body.f,
				action_body.n, &e);
	if (!rc && jhas(rq->body, "review"))
		rc = check_review(json_object_get(rq->body, "review"), &e);
	if (!rc) {
		args.level = jstr(rq->body, "level", NULL);
		args.reason = jstr(rq->body, "reason", NULL);
		args.summary = jstr(rq->body, "summary", NULL);
		args.review = json_object_get(rq->body, "review");
		args.version = req_version(rq);
		args.assessment = jstr(rq->body, "assessment", NULL);
		args.proposed_level = jstr(rq->body, "proposed_level", NULL);
		rc = app_incident_act(rq->st, &rq->who, rq->param[0],
				      (enum inc_action)a, &args, rq->now_ms, &r,
				      &e);
	}
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		answer_incident(rq, rs, &r);
	incident_row_release(&r);
}

void api_incident_note(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	int64_t id = 0;
	int rc = json_check(rq->body, note_body.f, note_body.n, &e);

	if (!rc)
		rc = app_incident_note(rq->st, &rq->who, rq->param[0],
				       jstr(rq->body, "text", ""), rq->now_ms,
				       &id, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, json_pack("{s:I, s:s, s:s, s:o}", "id",
					     (json_int_t)id, "kind", "note",
					     "text", jstr(rq->body, "text", ""),
					     "at", json_time(rq->now_ms)));
}

static int add_entry(void *ctx, const struct timeline_entry *e)
{
	json_array_append_new(ctx, timeline_json(e));
	return 0;
}

struct task_items {
	json_t *items;
	const char *lang;
};

static int add_task(void *ctx, const struct task *t)
{
	struct task_items *x = ctx;

	json_array_append_new(x->items, task_json_lang(t, x->lang));
	return 0;
}

/* GET .../timeline and .../tasks: the whole list of one incident. */
void api_incident_timeline(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *items = json_array();
	int rc = app_incident_timeline(rq->st, &rq->who, rq->param[0],
				       rq->lang, add_entry, items, &e);

	api_answer_list(rq, rs, rc, items, &e);
}

void api_incident_tasks(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct task_items x = { json_array(), rq->lang };
	int rc = app_incident_tasks(rq->st, &rq->who, rq->param[0], add_task,
				    &x, &e);

	api_answer_list(rq, rs, rc, x.items, &e);
}

void api_task_create(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct task t = { 0 };
	int64_t due;
	int rc = json_check(rq->body, task_body.f, task_body.n, &e);

	if (!rc)
		rc = time_field(rq->body, "due_at", &due, &e);
	if (!rc)
		rc = app_task_create(rq->st, &rq->who, rq->param[0],
				     jstr(rq->body, "title", ""),
				     jstr(rq->body, "group", ""),
				     jint(rq->body, "assignee_id", 0), due,
				     rq->now_ms, &t, &e);
	if (rc)
		resp_err(rq, rs, rc, &e);
	else
		resp_json(rs, 201, task_json_lang(&t, rq->lang));
	task_release(&t);
}

void api_task_update(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	struct task t = { 0 };
	struct task_change c = { 0 };
	json_t *assignee = json_object_get(rq->body, "assignee_id");
	int rc = json_check(rq->body, task_update_body.f,
			    task_update_body.n, &e);

	if (!rc)
		rc = time_field(rq->body, "due_at", &c.due_ms, &e);
	if (!rc) {
		c.title = jstr(rq->body, "title", NULL);
		c.status = jstr(rq->body, "status", NULL);
		c.notes = jstr(rq->body, "notes", NULL);
		c.set_assignee = assignee != NULL;
		c.assignee_id = json_integer_value(assignee);
		c.set_due = jhas(rq->body, "due_at");
		c.version = req_version(rq);
		rc = app_task_update(rq->st, &rq->who, req_param_id(rq, 0), &c,
				     rq->now_ms, &t, &e);
	}
	if (rc) {
		resp_err(rq, rs, rc, &e);
	} else {
		resp_json(rs, 200, task_json_lang(&t, rq->lang));
		resp_etag(rs, t.stamp.version);
	}
	task_release(&t);
}

/* GET .../report: a printable HTML page (default), Markdown (?format=md)
 * or a PDF (?format=pdf). */
void api_incident_report_doc(struct req *rq, struct resp *rs)
{
	static const struct {
		const char *name, *ctype;
		enum report_format f;
	} formats[] = {
		{ "html", "text/html; charset=utf-8", REPORT_HTML },
		{ "md", "text/markdown; charset=utf-8", REPORT_MD },
		{ "pdf", "application/pdf", REPORT_PDF },
	};
	const char *format = req_query(rq, "format");
	struct errbuf e = { 0 };
	char *doc = NULL;
	size_t len = 0, i = 0;
	int rc = 0;

	if (format)
		for (i = 0; i < ARRAY_SIZE(formats); i++)
			if (!strcmp(format, formats[i].name))
				break;
	if (i == ARRAY_SIZE(formats))
		rc = err_fail(&e, ERMS_EINVAL, "format",
			      "format is html, md or pdf");
	if (!rc)
		rc = app_incident_document(rq->st, &rq->who, rq->param[0],
					   rq->lang, (int)formats[i].f,
					   rq->now_ms, &doc, &len, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	/* The HTML page carries its own styles, and nothing else runs. */
	if (formats[i].f == REPORT_HTML)
		resp_header(rs, "Content-Security-Policy",
			    "default-src 'none'; style-src 'unsafe-inline'; "
			    "img-src data:; base-uri 'none'; form-action 'none'; "
			    "frame-ancestors 'none'");
	if (formats[i].f == REPORT_PDF)
		resp_header(rs, "Content-Disposition",
			    "inline; filename=\"%s.pdf\"", rq->param[0]);
	resp_bytes(rs, 200, formats[i].ctype, doc, len);
	free(doc);
}
