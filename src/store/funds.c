/*
 * funds.c - store.h's funds (应急资金): yearly budgets and expenses.
 */
#include "store/store.h"

#include <stdio.h>

#include "store/store-int.h"

/* Decoder tables of store-int.h's column lists. */
#define COL_TYPE struct expense
static const struct col expense_cols[] = COL_TABLE(EXPENSE_COLS);
#undef COL_TYPE

int store_budget_put(struct store *st, int year, int64_t cents,
		     const char *note, int64_t now_ms)
{
	struct sval p[] = { SV_I(year), SV_I(cents), SV_S(note), SV_I(now_ms) };

	return st_run(st, Q_BUDGET_PUT, p, 4, NULL);
}

struct budget_out {
	int64_t *cents;
	char *note;
	size_t len;
	bool found;
};

/* srow_fn: read the one row into the caller's struct; mark it found. */
static int got_budget(void *ctx, const struct srow *r)
{
	struct budget_out *b = ctx;

	*b->cents = sv_int(&r->col[0]);
	snprintf(b->note, b->len, "%s", r->col[1].s ? r->col[1].s : "");
	b->found = true;
	return 0;
}

int store_budget_get(struct store *st, int year, int64_t *cents, char *note,
		     size_t notelen)
{
	struct sval p[] = { SV_I(year) };
	struct budget_out b = { cents, note, notelen, false };
	int rc = st_query(st, Q_BUDGET_GET, p, 1, got_budget, &b);

	return rc ? rc : b.found ? 0 : ERMS_ENOTFOUND;
}

int store_expense_insert(struct store *st, const struct expense *e,
			 int64_t *id)
{
	struct sval p[] = {
		SV_I(e->year), SV_I(e->amount_cents), SV_S(e->purpose),
		e->incident_id ? SV_I(e->incident_id) : SV_NUL,
		SV_I(e->drill_id), e->supply_id ? SV_I(e->supply_id) : SV_NUL,
		SV_I(e->actor_id), SV_I(e->at_ms),
	};

	return st_int(st, Q_EXP_INSERT, p, ARRAY_SIZE(p), id);
}

struct exp_walk {
	store_expense_fn *fn;
	void *ctx;
};

/* srow_fn: decode one row, hand it to the caller's callback (whose
 * non-zero return stops the walk); owned texts are freed after. */
static int walk_exp(void *ctx, const struct srow *r)
{
	struct exp_walk *w = ctx;
	struct expense e;

	DECODE(expense_cols, r, 0, &e);
	return w->fn(w->ctx, &e);
}

int store_expenses(struct store *st, int year, store_expense_fn *fn,
		   void *ctx)
{
	struct sval p[] = { SV_I(year) };
	struct exp_walk w = { fn, ctx };

	return st_query(st, Q_EXP_LIST, p, 1, walk_exp, &w);
}

int store_expense_sum(struct store *st, int year, int64_t *cents)
{
	struct sval p[] = { SV_I(year) };

	return st_int(st, Q_EXP_SUM, p, 1, cents);
}
