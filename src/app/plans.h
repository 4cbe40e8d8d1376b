/*
 * plans.h - emergency plans as versioned, approved documents.
 *
 * Content arrives parsed (plan/plan.h, done before the write so that the
 * writer thread only writes). Every step checks rights with may() and the
 * version's state with the table of core/planflow.h, and is audited.
 * Publishing makes the version the one in force, supersedes the plan's
 * previous one, and creates or updates the groups the plan names.
 */
#ifndef ERMS_APP_PLANS_H
#define ERMS_APP_PLANS_H

#include <jansson.h>

#include "app/app.h"
#include "core/planflow.h"

/* Import content (from file `source_name`, text `source`) as a new draft
 * version, of a new plan if its key is new. Fills *out. */
int app_plan_import(struct store *st, const struct principal *p,
		    const json_t *content, const char *source_name,
		    const char *source, int64_t now_ms,
		    struct plan_version *out, struct errbuf *err);
/*
 * A write of version n of plan_id made from its version `version` (0:
 * none given) goes ahead: 0, else ERMS_ECONFLICT naming who changed it
 * (app/version.h). Called before app_plan_replace() or app_plan_step()
 * in the same transaction.
 */
int app_plan_check_version(struct store *st, const struct principal *p,
			   int64_t plan_id, int n, int64_t version,
			   struct errbuf *err);
/* Replace the content of a draft. */
int app_plan_replace(struct store *st, const struct principal *p,
		     int64_t plan_id, int n, const json_t *content,
		     const char *source_name, const char *source,
		     int64_t now_ms, struct plan_version *out,
		     struct errbuf *err);
/*
 * submit, approve, reject (comment required) or publish. *out may hold a
 * version from an earlier call: it is released before it is refilled.
 */
int app_plan_step(struct store *st, const struct principal *p,
		  int64_t plan_id, int n, enum pv_step step,
		  const char *comment, int64_t now_ms,
		  struct plan_version *out, struct errbuf *err);
/* The signed-in user has read the version in force. */
int app_plan_ack(struct store *st, const struct principal *p,
		 int64_t plan_id, int n, int64_t now_ms, struct errbuf *err);
/*
 * A new draft of plan plan_id, a copy of its version from_n (0: the one
 * in force, else the newest), answering the review of incident
 * from_review (an id or a number; NULL: none): the draft keeps the
 * review's findings (app_plan_basis()). Fills *out.
 */
int app_plan_draft(struct store *st, const struct principal *p,
		   int64_t plan_id, int from_n, const char *from_review,
		   int64_t now_ms, struct plan_version *out,
		   struct errbuf *err);
/*
 * Where draft version_id came from, a new
 * {from_n, incident: {id, number}|null, findings: [{incident_id, number,
 * title}]}, or *out NULL when it was imported.
 */
int app_plan_basis(struct store *st, int64_t version_id, json_t **out);
/*
 * The versions awaiting a step p may take now (approve, reject,
 * publish): fn gets each with the steps as bits 1 << enum pv_step.
 */
typedef int app_plan_pending_fn(void *ctx, const struct plan_version *v,
				unsigned steps);
int app_plan_pending(struct store *st, const struct principal *p,
		     app_plan_pending_fn *fn, void *ctx, struct errbuf *err);
/* A plan's id from its id as text or its key. */
int app_plan_resolve(struct store *st, const char *id_or_key, int64_t *id,
		     struct errbuf *err);

#endif
