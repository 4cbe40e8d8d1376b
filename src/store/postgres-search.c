/*
 * postgres-search.c - the PostgreSQL backend's incident search: the same
 * matches as SQLite's (sqlite-search.c), from PostgreSQL's own indexes.
 *
 * incident_search holds each incident's title and body (description,
 * notes, timeline lines, joined by newlines) with the case of ASCII
 * letters folded, as the search folds it (PostgreSQL's lower() folds
 * other letters too, per locale), and the text's pair index tokens
 * (search_pairs) in a text[] column (migrations/postgres/0001).
 *
 * How search text matches: three characters or more, LIKE on title and
 * body, which their pg_trgm GIN indexes serve (each word of three
 * letters, digits or CJK characters in the pattern gives trigrams; the
 * index finds the rows that have them all and LIKE rechecks each, so
 * the answer is exact whatever the locale counts as a word); one or two
 * letters, digits or other characters, the pairs array containing that
 * token (GIN); one or two characters with ASCII punctuation or space
 * among them, LIKE on the rows of the token of their other character if
 * they have one; punctuation alone ("-", "#"), LIKE on every row, newest
 * first, until the page is full.
 *
 * The search table drives, as SQLite's index does: the incident row is
 * joined by id to each match and the filters checked on it (a filter on
 * the ids, the cursor or a time range, bounds the search table's ids).
 * The planner chooses, by the statistics, between reading the index's
 * matches (then sorting them by id) and walking the ids newest first
 * with the match checked on each row (a frequent token: the page fills
 * quickly); either way the answer is the same. A filter that few of the
 * matches pass (a rare status) reads the matches until it has the page.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* s with the case of its ASCII letters folded (a new string). */
static char *fold(const char *s)
{
	char *f = xstrdup(s);

	for (char *p = f; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return f;
}

int pg_search_new(struct store *st, int64_t id, const char *title,
		  const char *description)
{
	char *t = fold(title), *d = fold(description);
	char *text = xasprintf("%s %s", t, d);
	char *pairs = search_pairs(text);
	struct sval p[] = { SV_I(id), SV_S(t), SV_S(d), SV_S(pairs) };
	int rc = st_run(st, Q_FTS_INSERT, p, 4, NULL);

	free(pairs);
	free(text);
	free(d);
	free(t);
	return rc;
}

int pg_search_add(struct store *st, int64_t id, const char *text)
{
	char *t = fold(text);
	char *pairs = search_pairs(t);
	struct sval p[] = { SV_I(id), SV_S(t), SV_S(pairs) };
	int rc = st_run(st, Q_FTS_APPEND, p, 3, NULL);

	free(pairs);
	free(t);
	return rc;
}

/* How a search matches (bits of the key above the filters'). */
enum search_mode {
	SM_TRIGRAM = 1,		/* $m: LIKE, trigram indexes */
	SM_TOKEN,		/* $m: a pair token */
	SM_TOKEN_LIKE,		/* $m: a token, $m+1: LIKE on its rows */
	SM_LIKE,		/* $m: LIKE on every row */
};

#define LIKE_ON(n) "(f.title LIKE $%d ESCAPE '\\' OR f.body LIKE $%d" \
		   " ESCAPE '\\')", n, n

static void search_sql(unsigned key, struct buf *b)
{
	enum search_mode mode = (enum search_mode)(key >> INC_SEARCH_SHIFT);
	int lim = inc_filter_count(key) + 1, m = lim + 1;

	/* OFFSET 0 keeps the incident row a probe by id per match: the
	 * planner cannot turn the join around and scan the incident table
	 * for a filter's rows. */
	buf_adds(b, "SELECT " SELECT_LIST_I(INCIDENT_COLS)
		 " FROM incident_search f CROSS JOIN LATERAL"
		 " (SELECT * FROM incident WHERE id = f.id OFFSET 0) i"
		 " WHERE ");
	switch (mode) {
	case SM_TOKEN:
		buf_addf(b, "f.pairs @> ARRAY[$%d::text]", m);
		break;
	case SM_TOKEN_LIKE:
		buf_addf(b, "f.pairs @> ARRAY[$%d::text] AND ", m);
		buf_addf(b, LIKE_ON(m + 1));
		break;
	default:
		buf_addf(b, LIKE_ON(m));
		break;
	}
	inc_filter_sql(b, key, "f.id");
	buf_addf(b, " ORDER BY f.id DESC LIMIT $%d", lim);
}

void pg_search_query(struct built_query *bq, const char *q)
{
	char *f = fold(q);
	size_t n = utf8_count(f), len = 0;
	const char *tok = n >= 3 ? NULL : search_token(f, n, &len);
	enum search_mode mode;

	if (n >= 3)
		mode = SM_TRIGRAM;
	else if (tok && len == strlen(f))
		mode = SM_TOKEN;
	else if (tok)
		mode = SM_TOKEN_LIKE;
	else
		mode = SM_LIKE;
	if (tok)
		built_query_add(bq, SV_NUL, xasprintf("%.*s", (int)len, tok));
	if (mode != SM_TOKEN)
		built_query_add(bq, SV_NUL, search_like(f));
	free(f);
	bq->key |= (unsigned)mode << INC_SEARCH_SHIFT;
	bq->text = search_sql;
}
