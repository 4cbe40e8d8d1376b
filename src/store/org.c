/*
 * org.c - store.h's organisation: the one row the migrations create.
 */
#include "store/store.h"

#include "store/store-int.h"

#define ORG_COLS(X, S)							\
	X(CHARS, name, "name", ) S					\
	X(CHARS, time_zone, "time_zone", ) S				\
	X(CHARS, locale, "locale", ) S					\
	X(CHARS, operator_type, "operator_type", ) S			\
	X(DUP, regulators_json, "regulators", ) S			\
	X(DUP, calendar_json, "calendar", ) S				\
	X(I64, version, "version", ) S					\
	X(I64, updated_ms, "updated_ms", ) S				\
	X(I64, updated_by, "updated_by", ) S				\
	X(CHARS, updated_by_name, "updated_by_name", )

#define COL_TYPE struct organisation
static const struct col org_cols[] = COL_TABLE(ORG_COLS);
#undef COL_TYPE

static void org_reset(void *row)
{
	organisation_release(row);
}

int store_org_get(struct store *st, struct organisation *out)
{
	return ST_ONE(st, Q_ORG_GET, NULL, 0, org_cols, org_reset, out);
}

int store_org_update(struct store *st, const struct organisation *o)
{
	struct sval p[] = {
		SV_S(o->name), SV_S(o->time_zone), SV_S(o->locale),
		SV_S(o->operator_type),
		SV_S(o->regulators_json ? o->regulators_json : "[]"),
		SV_S(o->calendar_json ? o->calendar_json : "{}"),
		SV_I(o->version), SV_I(o->updated_ms),
		o->updated_by ? SV_I(o->updated_by) : SV_NUL,
	};

	return st_run1(st, Q_ORG_UPDATE, p, ARRAY_SIZE(p));
}
