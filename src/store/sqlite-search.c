/*
 * sqlite-search.c - the SQLite backend's incident search: two FTS5
 * indexes and the query text only SQLite has.
 *
 * incident_fts (trigram tokenizer) holds each incident's title and body
 * (description, notes, timeline lines, joined by newlines); incident_fts2
 * holds the same text cut into one- and two-character tokens (the pair
 * index), for the words trigrams cannot find (migrations/sqlite/0003,
 * 0013).
 *
 * How search text matches: three characters or more, a trigram phrase;
 * one or two letters, digits or other characters (not ASCII punctuation
 * or space), a token of the pair index (whose tokenizer, like LIKE, folds
 * the case of ASCII letters only); one or two characters with ASCII
 * punctuation or space among them, LIKE over the indexed text (% and _
 * taken literally), on the rows of the token of their other character if
 * they have one. Only a search made of punctuation alone ("-", "#")
 * reads the whole index, newest first, until the page is full.
 *
 * Every search is driven by its index, newest first (rowid descending,
 * which FTS5 reads in that order): the filters are checked on the joined
 * incident row and the page ends after `limit` rows, so a search costs
 * the rows it reads until the page is full, not every match. A filter
 * that few of the matches pass (a rare status) still reads the matches
 * until it has the page.
 */
#include "store/store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

const char *const store_sqlite_sql[Q__COUNT] = {
	[Q_FTS_INSERT] =
		"INSERT INTO incident_fts (rowid, title, body) VALUES ($1, $2, $3)",
	[Q_FTS_APPEND] =
		"UPDATE incident_fts SET body = body || char(10) || $2"
		" WHERE rowid = $1",
	[Q_FTS2_INSERT] =
		"INSERT INTO incident_fts2 (rowid, pairs) VALUES ($1, $2)",
	[Q_FTS2_APPEND] =
		"UPDATE incident_fts2 SET pairs = pairs || ' ' || $2"
		" WHERE rowid = $1",
	/* The tables' columns (copy.c): FTS5's own tables are among them. */
	[Q_COPY_COLUMNS] =
		"SELECT m.name, c.name FROM sqlite_schema m"
		" JOIN pragma_table_info(m.name) c"
		" WHERE m.type = 'table' ORDER BY m.name, c.cid",
};

/* erms_pairs(text): search_pairs in SQL, for the migration that rebuilds
 * the pair index from the trigram index's text. */
static void pairs_fn(sqlite3_context *cx, int n, sqlite3_value **v)
{
	const char *s = (const char *)sqlite3_value_text(v[0]);

	(void)n;
	if (!s) {
		sqlite3_result_null(cx);
		return;
	}
	sqlite3_result_text(cx, search_pairs(s), -1, free);
}

int sqlite_search_functions(sqlite3 *db)
{
	return sqlite3_create_function(db, "erms_pairs", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC |
				       SQLITE_INNOCUOUS, NULL, pairs_fn, NULL,
				       NULL) == SQLITE_OK ? 0 : ERMS_ESTORE;
}

/* Inside a write transaction the rows are staged (sqlite-stage.c) and
 * written once before COMMIT; outside one, at once. */
int sqlite_search_new(struct store *st, int64_t id, const char *title,
		      const char *description)
{
	struct fts_stage *stage = sqlite_stage(st);
	char *text = xasprintf("%s %s", title, description);
	char *pairs = search_pairs(text);
	struct sval f[] = { SV_I(id), SV_S(title), SV_S(description) };
	struct sval g[] = { SV_I(id), SV_S(pairs) };
	int rc = 0;

	free(text);
	if (stage) {
		fts_stage_add(stage, id, title, description, pairs);
		return 0;
	}
	rc = st_run(st, Q_FTS_INSERT, f, 3, NULL);
	if (!rc)
		rc = st_run(st, Q_FTS2_INSERT, g, 2, NULL);
	free(pairs);
	return rc;
}

int sqlite_search_add(struct store *st, int64_t id, const char *text)
{
	struct fts_stage *stage = sqlite_stage(st);
	struct sval p[] = { SV_I(id), SV_S(text) };
	char *pairs = search_pairs(text);
	struct sval q[] = { SV_I(id), SV_S(pairs) };
	int rc;

	if (stage) {
		fts_stage_add(stage, id, NULL, text, pairs);
		return 0;
	}
	rc = st_run(st, Q_FTS_APPEND, p, 2, NULL);
	if (!rc)
		rc = st_run(st, Q_FTS2_APPEND, q, 2, NULL);
	free(pairs);
	return rc;
}

/* q as an FTS5 phrase: in double quotes, its own quotes doubled. */
static char *phrase_of(const char *q)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "\"");
	for (const char *p = q; *p; p++) {
		if (*p == '"')
			buf_adds(&b, "\"\"");
		else
			buf_add(&b, p, 1);
	}
	buf_adds(&b, "\"");
	return buf_detach(&b, NULL);
}

/* How a search reads its index (bits of the key above the filters'). */
enum search_mode {
	SM_TRIGRAM = 1,		/* $m: a trigram phrase */
	SM_TOKEN,		/* $m: a pair index token */
	SM_TOKEN_LIKE,		/* $m: a token, $m+1: LIKE on its rows */
	SM_LIKE,		/* $m: LIKE over the whole index */
};

/* The text of search key: its index drives, newest first; the incident
 * row is joined by id and filtered. */
static void search_sql(unsigned key, struct buf *b)
{
	enum search_mode mode = (enum search_mode)(key >> INC_SEARCH_SHIFT);
	int lim = inc_filter_count(key) + 1, m = lim + 1;

	buf_adds(b, "SELECT " SELECT_LIST_I(INCIDENT_COLS) " FROM ");
	switch (mode) {
	case SM_TRIGRAM:
		buf_addf(b, "incident_fts f CROSS JOIN incident i"
			 " ON i.id = f.rowid WHERE f.incident_fts MATCH $%d", m);
		break;
	case SM_TOKEN:
		buf_addf(b, "incident_fts2 f CROSS JOIN incident i"
			 " ON i.id = f.rowid WHERE f.incident_fts2 MATCH $%d",
			 m);
		break;
	case SM_TOKEN_LIKE:
		buf_addf(b, "incident_fts2 f CROSS JOIN incident_fts t"
			 " ON t.rowid = f.rowid CROSS JOIN incident i"
			 " ON i.id = f.rowid WHERE f.incident_fts2 MATCH $%d"
			 " AND (t.title LIKE $%d ESCAPE '\\'"
			 " OR t.body LIKE $%d ESCAPE '\\')", m, m + 1, m + 1);
		break;
	default:
		buf_addf(b, "incident_fts f CROSS JOIN incident i"
			 " ON i.id = f.rowid WHERE (f.title LIKE $%d"
			 " ESCAPE '\\' OR f.body LIKE $%d ESCAPE '\\')", m, m);
		break;
	}
	inc_filter_sql(b, key, "f.rowid");
	buf_addf(b, " ORDER BY f.rowid DESC LIMIT $%d", lim);
}

void sqlite_search_query(struct built_query *bq, const char *q)
{
	size_t n = utf8_count(q), len = 0;
	const char *tok = n >= 3 ? NULL : search_token(q, n, &len);
	enum search_mode mode;

	if (n >= 3)
		mode = SM_TRIGRAM;
	else if (tok && len == strlen(q))
		mode = SM_TOKEN;
	else if (tok)
		mode = SM_TOKEN_LIKE;
	else
		mode = SM_LIKE;
	if (mode == SM_TRIGRAM)
		built_query_add(bq, SV_NUL, phrase_of(q));
	if (tok)
		built_query_add(bq, SV_NUL,
				xasprintf("\"%.*s\"", (int)len, tok));
	if (mode == SM_TOKEN_LIKE || mode == SM_LIKE)
		built_query_add(bq, SV_NUL, search_like(q));
	bq->key |= (unsigned)mode << INC_SEARCH_SHIFT;
	bq->text = search_sql;
}
