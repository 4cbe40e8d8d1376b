/*
 * planflow.c - the plan version state machine table.
 */
#include "core/planflow.h"

#include <stdlib.h>
#include <string.h>

#include "core/types.h"
#include "util/err.h"

const struct pv_transition pv_table[] = {
	{ PV_DRAFT, PVS_EDIT, PV_DRAFT, A_PLAN_EDIT },
	{ PV_DRAFT, PVS_SUBMIT, PV_IN_REVIEW, A_PLAN_SUBMIT },
	{ PV_IN_REVIEW, PVS_APPROVE, PV_APPROVED, A_PLAN_APPROVE },
	{ PV_IN_REVIEW, PVS_REJECT, PV_DRAFT, A_PLAN_REJECT },
	{ PV_APPROVED, PVS_PUBLISH, PV_PUBLISHED, A_PLAN_PUBLISH },
};
const int pv_table_len = (int)(sizeof(pv_table) / sizeof(pv_table[0]));

static const enum action rights[PVS__COUNT] = {
	[PVS_EDIT] = A_PLAN_EDIT, [PVS_SUBMIT] = A_PLAN_SUBMIT,
	[PVS_APPROVE] = A_PLAN_APPROVE, [PVS_REJECT] = A_PLAN_REJECT,
	[PVS_PUBLISH] = A_PLAN_PUBLISH,
};

int pv_next(enum pv_status from, enum pv_step step, enum pv_status *to)
{
	for (int i = 0; i < pv_table_len; i++)
		if (pv_table[i].from == from && pv_table[i].step == step) {
			*to = pv_table[i].to;
			return 0;
		}
	return ERMS_ECONFLICT;
}

enum action pv_right(enum pv_step step)
{
	return (unsigned)step < PVS__COUNT ? rights[step] : A__COUNT;
}

int64_t pv_review_from(bool by_local_command, bool plan_in_force,
		       int cooling_h, int64_t now_ms)
{
	if (by_local_command || !plan_in_force)
		return 0;
	if (cooling_h < 0)
		cooling_h = PV_COOLING_OFF_H_DEFAULT;
	if (cooling_h > PV_COOLING_OFF_H_MAX)
		cooling_h = PV_COOLING_OFF_H_MAX;
	return now_ms + (int64_t)cooling_h * 3600 * 1000;
}

bool pv_review_settled(int64_t from_ms, int64_t now_ms)
{
	return from_ms <= now_ms;
}

static const char *const statuses[PV__COUNT] = {
	"draft", "in_review", "approved", "published", "superseded",
};
static const char *const steps[PVS__COUNT] = {
	"edit", "submit", "approve", "reject", "publish",
};

const char *pv_status_name(enum pv_status s)
{
	return (unsigned)s < PV__COUNT ? statuses[s] : "?";
}

int pv_status_parse(const char *s)
{
	for (int i = 0; i < PV__COUNT; i++)
		if (!strcmp(s, statuses[i]))
			return i;
	return -1;
}

const char *pv_step_name(enum pv_step s)
{
	return (unsigned)s < PVS__COUNT ? steps[s] : "?";
}

int pv_step_parse(const char *s)
{
	for (int i = 0; i < PVS__COUNT; i++)
		if (!strcmp(s, steps[i]))
			return i;
	return -1;
}

void plan_version_release(struct plan_version *v)
{
	free(v->name_json);
	free(v->source_name);
	free(v->source);
	free(v->content);
	free(v->review_comment);
	v->name_json = v->source_name = v->source = v->content = NULL;
	v->review_comment = NULL;
}
