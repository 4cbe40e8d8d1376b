/*
 * tasks.c - store.h's tasks of an incident.
 */
#include "store/store.h"

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct task
static const struct col task_cols[] = COL_TABLE(TASK_COLS);
#undef COL_TYPE

int store_task_insert(struct store *st, struct task *t)
{
	struct sval p[] = {
		SV_I(t->incident_id), SV_S(t->title), SV_S(t->group_key),
		t->assignee_id ? SV_I(t->assignee_id) : SV_NUL,
		SV_S(task_status_name(t->status)), SV_I(t->due_ms),
		SV_S(t->notes ? t->notes : ""), SV_S(t->origin),
		SV_I(t->created_by), SV_I(t->created_ms),
	};

	t->updated_ms = t->created_ms;
	t->stamp.version = 1;
	t->stamp.by = t->created_by;
	return st_int(st, Q_TASK_INSERT, p, ARRAY_SIZE(p), &t->id);
}

int store_task_get(struct store *st, int64_t id, struct task *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_TASK_GET, p, 1, task_cols, NULL, out);
}

struct task_walk {
	store_task_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_task(void *ctx, const struct srow *r)
{
	struct task_walk *w = ctx;
	struct task t = { 0 };
	int rc;

	DECODE(task_cols, r, 0, &t);
	rc = w->fn(w->ctx, &t);
	task_release(&t);
	return rc;
}

int store_task_list(struct store *st, int64_t incident_id, store_task_fn *fn,
		    void *ctx)
{
	struct sval p[] = { SV_I(incident_id) };
	struct task_walk w = { fn, ctx };

	return st_query(st, Q_TASK_LIST, p, 1, walk_task, &w);
}

int store_task_update(struct store *st, struct task *t)
{
	struct sval p[] = {
		SV_I(t->id), SV_S(t->title),
		t->assignee_id ? SV_I(t->assignee_id) : SV_NUL,
		SV_S(task_status_name(t->status)), SV_I(t->due_ms),
		SV_S(t->notes ? t->notes : ""), SV_I(t->updated_ms),
		sv_opt(t->stamp.by),
	};

	return st_int(st, Q_TASK_UPDATE, p, ARRAY_SIZE(p), &t->stamp.version);
}
