/*
 * api-regulatory.c - the duty to report to regulators: an incident's
 * reports (drafted, recorded, read, as documents) and the record of a
 * year (JSON and CSV).
 */
#include "http/routes.h"

#include <stdlib.h>
#include <string.h>

#include "app/regulatory.h"
#include "app/zone.h"
#include "http/fields.h"
#include "http/json.h"
#include "util/clock.h"
#include "util/xalloc.h"

static void answer(struct req *rq, struct resp *rs, int rc, int status,
		   json_t *j, struct errbuf *e)
{
	if (rc)
		resp_err(rq, rs, rc, e);
	else
		resp_json(rs, status, j);
}

void api_reg_draft(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *j = NULL;
	int rc = app_reg_draft(rq->st, &rq->who, rq->param[0],
			       req_query(rq, "kind"), rq->lang, rq->now_ms, &j,
			       &e);

	answer(rq, rs, rc, 200, j, &e);
}

void api_reg_record(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	const char *sent = jstr(rq->body, "sent_at", NULL);
	int64_t sent_ms = 0;
	json_t *j = NULL;
	int rc = json_check(rq->body, reg_report_body.f, reg_report_body.n,
			    &e);

	if (!rc && sent && time_parse(sent, &sent_ms))
		rc = err_fail(&e, ERMS_EINVAL, "sent_at",
			      "'%s' is not an RFC 3339 time", sent);
	if (!rc)
		rc = app_reg_record(rq->st, &rq->who, rq->param[0], rq->body,
				    sent_ms, rq->now_ms, &j, &e);
	answer(rq, rs, rc, 201, j, &e);
}

void api_reg_list(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *j = NULL;
	int rc = app_reg_reports(rq->st, &rq->who, rq->param[0], 0, &j, &e);

	answer(rq, rs, rc, 200, j, &e);
}

/* {n}, {n}.html or {n}.pdf: the report, or its document. */
void api_reg_get(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	char *end, *doc = NULL;
	long n = strtol(rq->param[1], &end, 10);
	bool html = !strcmp(end, ".html"), pdf = !strcmp(end, ".pdf");
	size_t len = 0;
	json_t *j = NULL;
	int rc = 0;

	if (n < 1 || n > 100000 || end == rq->param[1] ||
	    (*end && !html && !pdf))
		rc = err_ret(&e, ERMS_ENOTFOUND, "not_found",
			     "no report '%s' (a number, with .html or .pdf "
			     "for its document)", rq->param[1]);
	else if (!html && !pdf)
		rc = app_reg_reports(rq->st, &rq->who, rq->param[0], (int)n,
				     &j, &e);
	else
		rc = app_reg_document(rq->st, &rq->who, rq->param[0], (int)n,
				      pdf, rq->now_ms, &doc, &len, &e);
	if (rc || (!html && !pdf)) {
		answer(rq, rs, rc, 200, j, &e);
		return;
	}
	if (html)
		resp_header(rs, "Content-Security-Policy",
			    "default-src 'none'; style-src 'unsafe-inline'; "
			    "img-src data:; base-uri 'none'; form-action 'none'; "
			    "frame-ancestors 'none'");
	else
		resp_header(rs, "Content-Disposition",
			    "inline; filename=\"%s-R%ld.pdf\"", rq->param[0], n);
	resp_bytes(rs, 200, html ? "text/html; charset=utf-8"
				 : "application/pdf", doc, len);
	free(doc);
}

/* A recorded report stays as it was sent: a correction is a follow-up. */
void api_reg_immutable(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };

	resp_err(rq, rs, err_ret(&e, ERMS_ECONFLICT, "immutable",
				 "a recorded report cannot be changed or "
				 "removed: record a follow_up report that "
				 "corrects it"), &e);
}

/* ?year=, else this year (UTC). */
static int year_of(struct req *rq, int *year, struct errbuf *e)
{
	const char *y = req_query(rq, "year");
	char *end;
	long v;

	*year = (int)(1970 + rq->now_ms / 31556952000LL);
	if (!y)
		return 0;
	v = strtol(y, &end, 10);
	if (*end || end == y || v < 2000 || v > 2100)
		return err_fail(e, ERMS_EINVAL, "year",
				"year must be from 2000 to 2100");
	*year = (int)v;
	return 0;
}

void api_reg_year(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	json_t *j = NULL;
	int year, rc = year_of(rq, &year, &e);

	if (!rc)
		rc = app_reg_year(rq->st, &rq->who, year, rq->now_ms, &j, &e);
	answer(rq, rs, rc, 200, j, &e);
}

void api_reg_csv(struct req *rq, struct resp *rs)
{
	struct errbuf e = { 0 };
	char zone[64], *csv = NULL;
	size_t len = 0;
	int year, rc = year_of(rq, &year, &e);

	app_zone_for(rq->st, &rq->who, zone);
	if (!rc)
		rc = app_reg_csv(rq->st, &rq->who, year, rq->lang, zone,
				 rq->now_ms, &csv, &len, &e);
	if (rc) {
		resp_err(rq, rs, rc, &e);
		return;
	}
	resp_header(rs, "Content-Disposition",
		    "attachment; filename=\"regulatory-%d.csv\"", year);
	resp_bytes(rs, 200, "text/csv; charset=utf-8", csv, len);
	free(csv);
}
