/*
 * supplies.h - the safeguards (保障措施): emergency supplies and funds.
 *
 * Quantities never go below zero, also when allocations race: a take is
 * one conditional UPDATE inside the writer's batch. Stock falling under
 * its minimum, and inspections coming due, are told to the logistics team
 * (group key "logistics") once each.
 */
#ifndef ERMS_APP_SUPPLIES_H
#define ERMS_APP_SUPPLIES_H

#include "app/app.h"
#include "store/store.h"

enum move_kind { MV_IN, MV_OUT, MV_ALLOCATE, MV_RETURN, MV__COUNT };

const char *move_kind_name(enum move_kind k);
int move_kind_parse(const char *s);	/* -1 if unknown */

/* May p manage supplies (admin, command HQ, the logistics team)? */
int app_supply_may(struct store *st, const struct principal *p,
		   enum action act, struct errbuf *err);
int app_supply_create(struct store *st, const struct principal *p,
		      struct supply *s, int64_t now_ms, struct errbuf *err);
int app_supply_update(struct store *st, const struct principal *p,
		      struct supply *s, int64_t now_ms, struct errbuf *err);
/*
 * Move n units of supply id: in and return add, out and allocate take
 * (ERMS_ECONFLICT when fewer are there). allocate needs an incident
 * (`incident`: id or number), return may name one. *out is the supply
 * after the move.
 */
int app_supply_move(struct store *st, const struct principal *p, int64_t id,
		    enum move_kind kind, int64_t n, const char *incident,
		    const char *note, int64_t now_ms, struct supply *out,
		    struct errbuf *err);
/* Tell logistics of inspections due within 7 days (once each). */
int app_supply_inspections(struct store *st, int64_t now_ms, int *told);

int app_budget_put(struct store *st, const struct principal *p, int year,
		   int64_t cents, const char *note, int64_t now_ms,
		   struct errbuf *err);
int app_expense_add(struct store *st, const struct principal *p,
		    struct expense *e, const char *incident, int64_t now_ms,
		    struct errbuf *err);

#endif
