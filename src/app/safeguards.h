/*
 * safeguards.h - supplies and funds as the API asks for them: reads, and
 * changes from request bodies (app/supplies.h has the writes they make).
 *
 * Bodies come checked for shape (field names, types, lengths) by the
 * caller, except where a function takes a `shape` check to run after the
 * right (who may not act hears 403 whatever the body).
 */
#ifndef ERMS_APP_SAFEGUARDS_H
#define ERMS_APP_SAFEGUARDS_H

#include <jansson.h>
#include <stdint.h>

#include "app/supplies.h"

typedef int app_supply_fn(void *ctx, const struct supply *s);
typedef int app_movement_fn(void *ctx, const struct movement *m);
typedef int app_expense_fn(void *ctx, const struct expense *x);

/* Every supply, to fn. */
int app_supply_list(struct store *st, const struct principal *p,
		    app_supply_fn *fn, void *ctx, struct errbuf *e);
/* Supply id into *out (release with supply_release()) and its
 * movements to fn. */
int app_supply_read(struct store *st, const struct principal *p, int64_t id,
		    struct supply *out, app_movement_fn *fn, void *ctx,
		    struct errbuf *e);
/* A new supply from body {name, kind?, location?, quantity?, unit?,
 * min_quantity?, inspect_by?, notes?}; *out receives it. */
int app_supply_add(struct store *st, const struct principal *p,
		   const json_t *body, int64_t now_ms, struct supply *out,
		   struct errbuf *e);
/* Supply id changed from body (the same fields but quantity). */
int app_supply_edit(struct store *st, const struct principal *p, int64_t id,
		    const json_t *body, int64_t now_ms, struct supply *out,
		    struct errbuf *e);
/* Body {kind, quantity, incident?, note?}: app_supply_move(). */
int app_supply_move_body(struct store *st, const struct principal *p,
			 int64_t id, const json_t *body, int64_t now_ms,
			 struct supply *out, struct errbuf *e);
/*
 * Body {csv}: every row (id,name,kind,location,quantity,unit,
 * min_quantity,inspect_by,notes; the id ignored) a new supply, or an
 * error naming the first bad line (the caller rolls back the rows made
 * before it). The right first, then shape(body). *created counts rows.
 */
int app_supply_import(struct store *st, const struct principal *p,
		      const json_t *body, app_shape_fn *shape, int64_t now_ms,
		      int *created, struct errbuf *e);

/* Year's budget: *cents (0 when none is set), its note, *spent, and the
 * year's expenses to fn. */
int app_budget_read(struct store *st, const struct principal *p, int year,
		    int64_t *cents, char *note, size_t note_len,
		    int64_t *spent, app_expense_fn *fn, void *ctx,
		    struct errbuf *e);
/* The year's expenses, to fn. */
int app_expense_list(struct store *st, const struct principal *p, int year,
		     app_expense_fn *fn, void *ctx, struct errbuf *e);

#endif
