/*
 * test-supplies.c - the store contract for supplies (应急物资), their
 * movements, and funds (应急资金): budgets and expenses.
 */
#include "contract.h"

static struct supply mk_supply(const char *name, int64_t qty)
{
	struct supply s = { .quantity = qty, .min_quantity = 5,
			    .inspect_by_ms = 9000, .created_ms = 100 };

	snprintf(s.name, sizeof(s.name), "%s", name);
	snprintf(s.kind, sizeof(s.kind), "防汛");
	snprintf(s.location, sizeof(s.location), "一号库");
	snprintf(s.unit, sizeof(s.unit), "袋");
	return s;
}

struct sup_seen {
	int n;
	int64_t id[4];
};

static int sup_seen(void *ctx, const struct supply *s)
{
	struct sup_seen *x = ctx;

	if (x->n < 4)
		x->id[x->n] = s->id;
	x->n++;
	return 0;
}

static int sup_stop(void *ctx, const struct supply *s)
{
	(void)s;
	++*(int *)ctx;
	return 21;
}

static void test_supplies(void **state)
{
	struct fixture *f = *state;
	struct supply a = mk_supply("沙袋", 100), b = mk_supply("水泵", 2);
	struct supply out = { 0 };
	struct sup_seen x = { 0 };
	int calls = 0;

	a.notes = (char *)"防潮";
	assert_int_equal(store_supply_insert(f->st, &a), 0);
	assert_int_equal(store_supply_insert(f->st, &b), 0);
	assert_int_equal(a.updated_ms, 100);
	assert_int_equal(store_supply_get(f->st, a.id, &out), 0);
	assert_string_equal(out.name, "沙袋");
	assert_string_equal(out.kind, "防汛");
	assert_string_equal(out.location, "一号库");
	assert_string_equal(out.unit, "袋");
	assert_string_equal(out.notes, "防潮");
	assert_int_equal(out.quantity, 100);
	assert_int_equal(out.min_quantity, 5);
	assert_int_equal(out.inspect_by_ms, 9000);
	assert_int_equal(out.low_notice_ms, 0);
	assert_int_equal(out.inspect_notice_ms, 0);
	assert_int_equal(out.created_ms, 100);
	assert_int_equal(out.updated_ms, 100);
	assert_int_equal(store_supply_get(f->st, b.id, &out), 0);
	assert_string_equal(out.notes, "");
	assert_int_equal(store_supply_get(f->st, b.id + 100, &out),
			 ERMS_ENOTFOUND);
	supply_release(&out);
	assert_null(out.notes);
	/* The update leaves the quantity alone: only movements change it. */
	snprintf(b.name, sizeof(b.name), "大功率水泵");
	snprintf(b.kind, sizeof(b.kind), "排涝");
	snprintf(b.location, sizeof(b.location), "二号库");
	snprintf(b.unit, sizeof(b.unit), "台");
	b.notes = (char *)"每月试机";
	b.min_quantity = 1;
	b.inspect_by_ms = 0;
	b.quantity = 999;
	b.updated_ms = 300;
	assert_int_equal(store_supply_update(f->st, &b), 0);
	assert_int_equal(store_supply_get(f->st, b.id, &out), 0);
	assert_string_equal(out.name, "大功率水泵");
	assert_string_equal(out.kind, "排涝");
	assert_string_equal(out.location, "二号库");
	assert_string_equal(out.unit, "台");
	assert_string_equal(out.notes, "每月试机");
	assert_int_equal(out.min_quantity, 1);
	assert_int_equal(out.inspect_by_ms, 0);
	assert_int_equal(out.quantity, 2);
	assert_int_equal(out.updated_ms, 300);
	supply_release(&out);
	b.id += 100;
	assert_int_equal(store_supply_update(f->st, &b), ERMS_ENOTFOUND);
	assert_int_equal(store_supply_list(f->st, sup_seen, &x), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], a.id);
	assert_int_equal(store_supply_list(f->st, sup_stop, &calls), 21);
	assert_int_equal(calls, 1);
}

/* Stock never goes below zero: taking more than there is changes
 * nothing. The notice times are written apart. */
static void test_stock(void **state)
{
	struct fixture *f = *state;
	struct supply s = mk_supply("口罩", 10), out = { 0 };

	assert_int_equal(store_supply_insert(f->st, &s), 0);
	assert_int_equal(store_supply_take(f->st, s.id, 4, 200, 0), 0);
	assert_int_equal(store_supply_take(f->st, s.id, 7, 201, 0),
			 ERMS_ECONFLICT);
	assert_int_equal(store_supply_get(f->st, s.id, &out), 0);
	assert_int_equal(out.quantity, 6);
	assert_int_equal(out.updated_ms, 200);
	assert_int_equal(store_supply_take(f->st, s.id, 6, 202, 0), 0);
	assert_int_equal(store_supply_add(f->st, s.id, 20, 203, 0), 0);
	assert_int_equal(store_supply_get(f->st, s.id, &out), 0);
	assert_int_equal(out.quantity, 20);
	assert_int_equal(out.updated_ms, 203);
	assert_int_equal(store_supply_add(f->st, s.id + 100, 1, 204, 0),
			 ERMS_ENOTFOUND);
	assert_int_equal(store_supply_take(f->st, s.id + 100, 1, 204, 0),
			 ERMS_ECONFLICT);
	assert_int_equal(store_supply_notice(f->st, s.id, 300, 400), 0);
	assert_int_equal(store_supply_get(f->st, s.id, &out), 0);
	assert_int_equal(out.low_notice_ms, 300);
	assert_int_equal(out.inspect_notice_ms, 400);
	assert_int_equal(out.quantity, 20);
	supply_release(&out);
	assert_int_equal(store_supply_notice(f->st, s.id + 100, 1, 1),
			 ERMS_ENOTFOUND);
}

struct mov_seen {
	int n;
	int64_t id[4];
	char line[4][160];
};

static int mov_seen(void *ctx, const struct movement *m)
{
	struct mov_seen *s = ctx;

	if (s->n < 4) {
		s->id[s->n] = m->id;
		snprintf(s->line[s->n], sizeof(s->line[0]),
			 "%s %lld %s %lld %s %s",
			 m->kind, (long long)m->quantity, m->note,
			 (long long)m->at_ms, m->supply_name, m->unit);
	}
	s->n++;
	return 0;
}

static int mov_stop(void *ctx, const struct movement *m)
{
	(void)m;
	++*(int *)ctx;
	return 22;
}

static void test_movements(void **state)
{
	struct fixture *f = *state;
	struct supply s = mk_supply("帐篷", 5), t = mk_supply("棉被", 5);
	struct incident_row r;
	struct mov_seen x = { 0 };
	int64_t u = add_user(f->st, "keeper"), m1, m2, m3;
	int calls = 0;

	assert_int_equal(store_supply_insert(f->st, &s), 0);
	assert_int_equal(store_supply_insert(f->st, &t), 0);
	add_incident(f->st, &r, u, add_version(f->st, "p", u), T2026, "洪水",
		     "");
	struct movement in = { .supply_id = s.id, .kind = "in", .quantity = 5,
			       .note = "采购", .actor_id = u, .at_ms = 10 };
	struct movement out = { .supply_id = s.id, .kind = "allocate",
				.quantity = 2, .incident_id = r.inc.id,
				.actor_id = u, .at_ms = 20 };
	struct movement other = { .supply_id = t.id, .kind = "allocate",
				  .quantity = 1, .incident_id = r.inc.id,
				  .note = "", .actor_id = u, .at_ms = 30 };

	assert_int_equal(store_movement_insert(f->st, &in, &m1), 0);
	assert_int_equal(store_movement_insert(f->st, &out, &m2), 0);
	assert_int_equal(store_movement_insert(f->st, &other, &m3), 0);
	assert_true(m1 > 0 && m2 > m1 && m3 > m2);
	assert_int_equal(store_movements(f->st, s.id, mov_seen, &x), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], m1);
	assert_string_equal(x.line[0], "in 5 采购 10 帐篷 袋");
	assert_string_equal(x.line[1], "allocate 2  20 帐篷 袋");
	x.n = 0;
	assert_int_equal(store_movements_of_incident(f->st, r.inc.id, mov_seen,
						     &x), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], m2);
	assert_int_equal(x.id[1], m3);
	assert_string_equal(x.line[1], "allocate 1  30 棉被 袋");
	x.n = 0;
	assert_int_equal(store_movements_of_incident(f->st, r.inc.id + 100,
						     mov_seen, &x), 0);
	assert_int_equal(x.n, 0);
	assert_int_equal(store_movements(f->st, s.id, mov_stop, &calls), 22);
	assert_int_equal(store_movements_of_incident(f->st, r.inc.id, mov_stop,
						     &calls), 22);
	assert_int_equal(calls, 2);
	/* The supply and the incident must exist. */
	in.supply_id = t.id + 100;
	assert_int_equal(store_movement_insert(f->st, &in, &m1),
			 ERMS_ENOTFOUND);
	out.incident_id = r.inc.id + 100;
	assert_int_equal(store_movement_insert(f->st, &out, &m1),
			 ERMS_ENOTFOUND);
	incident_row_release(&r);
}

struct exp_seen {
	int n;
	int64_t id[4];
	char line[4][160];
};

static int exp_seen(void *ctx, const struct expense *e)
{
	struct exp_seen *s = ctx;

	if (s->n < 4) {
		s->id[s->n] = e->id;
		snprintf(s->line[s->n], sizeof(s->line[0]),
			 "%d %lld %s %lld %lld", e->year,
			 (long long)e->amount_cents, e->purpose,
			 (long long)e->drill_id, (long long)e->at_ms);
	}
	s->n++;
	return 0;
}

static int exp_stop(void *ctx, const struct expense *e)
{
	(void)e;
	++*(int *)ctx;
	return 23;
}

static void test_funds(void **state)
{
	struct fixture *f = *state;
	struct supply s = mk_supply("发电机", 1);
	struct exp_seen x = { 0 };
	char note[64];
	int64_t cents = -1, id1, id2, id3;
	int calls = 0;

	assert_int_equal(store_budget_get(f->st, 2026, &cents, note,
					  sizeof(note)), ERMS_ENOTFOUND);
	assert_int_equal(store_budget_put(f->st, 2026, 500000, "年度预算", 1),
			 0);
	assert_int_equal(store_budget_get(f->st, 2026, &cents, note,
					  sizeof(note)), 0);
	assert_int_equal(cents, 500000);
	assert_string_equal(note, "年度预算");
	assert_int_equal(store_budget_put(f->st, 2026, 600000, "追加", 2), 0);
	assert_int_equal(store_budget_get(f->st, 2026, &cents, note,
					  sizeof(note)), 0);
	assert_int_equal(cents, 600000);
	assert_string_equal(note, "追加");
	assert_int_equal(store_budget_get(f->st, 2027, &cents, note,
					  sizeof(note)), ERMS_ENOTFOUND);
	assert_int_equal(store_supply_insert(f->st, &s), 0);
	assert_int_equal(store_expense_sum(f->st, 2026, &cents), 0);
	assert_int_equal(cents, 0);
	struct expense a = { .year = 2026, .amount_cents = 1200,
			     .purpose = "采购发电机", .supply_id = s.id,
			     .actor_id = 1, .at_ms = 10 };
	struct expense b = { .year = 2026, .amount_cents = 300,
			     .purpose = "演练餐费", .drill_id = 4,
			     .actor_id = 1, .at_ms = 20 };
	struct expense c = { .year = 2027, .amount_cents = 5,
			     .purpose = "next", .actor_id = 1, .at_ms = 30 };
	assert_int_equal(store_expense_insert(f->st, &a, &id1), 0);
	assert_int_equal(store_expense_insert(f->st, &b, &id2), 0);
	assert_int_equal(store_expense_insert(f->st, &c, &id3), 0);
	assert_int_equal(store_expense_sum(f->st, 2026, &cents), 0);
	assert_int_equal(cents, 1500);
	assert_int_equal(store_expenses(f->st, 2026, exp_seen, &x), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], id1);
	assert_string_equal(x.line[0], "2026 1200 采购发电机 0 10");
	assert_string_equal(x.line[1], "2026 300 演练餐费 4 20");
	x.n = 0;
	assert_int_equal(store_expenses(f->st, 2025, exp_seen, &x), 0);
	assert_int_equal(x.n, 0);
	assert_int_equal(store_expenses(f->st, 2026, exp_stop, &calls), 23);
	assert_int_equal(calls, 1);
	/* A supply named must exist. */
	a.supply_id = s.id + 100;
	assert_int_equal(store_expense_insert(f->st, &a, &id1),
			 ERMS_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CT(test_supplies),
		CT(test_stock),
		CT(test_movements),
		CT(test_funds),
	};

	return contract_main("supplies", tests, ARRAY_LEN(tests));
}
