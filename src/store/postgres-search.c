/*
 * postgres-search.c - the PostgreSQL backend's incident search.
 *
 * A placeholder of the backend's first version: each incident's title
 * and body (description, notes, timeline lines) in incident_search, and
 * a search is a substring match with the case of ASCII letters folded,
 * read newest first. It gives the answers of SQLite's search without
 * its indexes.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"
#include "util/buf.h"
#include "util/xalloc.h"

int pg_search_new(struct store *st, int64_t id, const char *title,
		  const char *description)
{
	struct sval p[] = { SV_I(id), SV_S(title), SV_S(description) };

	return st_run(st, Q_FTS_INSERT, p, 3, NULL);
}

int pg_search_add(struct store *st, int64_t id, const char *text)
{
	struct sval p[] = { SV_I(id), SV_S(text) };

	return st_run(st, Q_FTS_APPEND, p, 2, NULL);
}

#define UPPER "'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"
#define LOWER "'abcdefghijklmnopqrstuvwxyz'"
#define FOLD(x) "translate(" x ", " UPPER ", " LOWER ")"

static void search_sql(unsigned key, struct buf *b)
{
	int lim = inc_filter_count(key) + 1, m = lim + 1;

	buf_adds(b, "SELECT " SELECT_LIST_I(INCIDENT_COLS)
		 " FROM incident_search f JOIN incident i ON i.id = f.id");
	buf_addf(b, " WHERE (strpos(" FOLD("f.title") ", $%d) > 0"
		 " OR strpos(" FOLD("f.body") ", $%d) > 0)", m, m);
	inc_filter_sql(b, key, "f.id");
	buf_addf(b, " ORDER BY f.id DESC LIMIT $%d", lim);
}

/* q with the case of its ASCII letters folded. */
static char *fold(const char *q)
{
	char *s = xstrdup(q);

	for (char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

void pg_search_query(struct built_query *bq, const char *q)
{
	built_query_add(bq, SV_NUL, fold(q));
	bq->key |= 1u << INC_SEARCH_SHIFT;
	bq->text = search_sql;
}
