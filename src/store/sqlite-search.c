/*
 * sqlite-search.c - the SQLite backend's incident search: two FTS5
 * indexes and the query text only SQLite has.
 *
 * incident_fts (trigram tokenizer) holds each incident's title and body
 * (description, notes, timeline lines, joined by newlines); incident_fts2
 * holds the same text cut into two-character tokens (the pair index), for
 * the two-character words trigrams cannot find (migrations/sqlite/0003).
 *
 * How search text matches: three characters or more, a trigram phrase;
 * two, a token of the pair index (both tokenizers fold case); one, LIKE
 * over the indexed text, % and _ taken literally (SQLite's LIKE folds the
 * case of ASCII letters only).
 */
#include "store/store.h"

#include <stdlib.h>

#include "store/store-int.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

const char *const store_sqlite_sql[Q__COUNT] = {
	[Q_INC_SEARCH] =
		"SELECT " SELECT_LIST(INCIDENT_COLS) " FROM incident"
		" WHERE " INC_LIST_WHERE
		" AND ($9 = '' OR id IN (SELECT rowid FROM incident_fts"
		"   WHERE incident_fts MATCH $9))"
		" AND ($10 = '' OR id IN (SELECT rowid FROM incident_fts"
		"   WHERE title LIKE $10 ESCAPE '\\' OR body LIKE $10"
		"   ESCAPE '\\'))"
		" AND ($11 = '' OR id IN (SELECT rowid FROM incident_fts2"
		"   WHERE incident_fts2 MATCH $11))"
		" ORDER BY id DESC LIMIT $7",
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
};

/* Whether the character at s splits words: ASCII but not a letter or
 * digit. */
static bool separator(const char *s)
{
	return (unsigned char)*s < 0x80 && !((*s >= 'a' && *s <= 'z') ||
					     (*s >= 'A' && *s <= 'Z') ||
					     (*s >= '0' && *s <= '9'));
}

/*
 * Text cut into overlapping two-character tokens for the pair index:
 * "主库宕机 db" -> "主库 库宕 宕机 db". Runs are split at ASCII spaces and
 * punctuation. Returns a new string; free() it.
 */
static char *pairs_of(const char *s)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "");
	while (*s) {
		size_t a, c;

		if (separator(s)) {
			s++;
			continue;
		}
		a = utf8_step(s);
		if (!s[a] || separator(s + a)) {
			s += a;
			continue;
		}
		c = utf8_step(s + a);
		if (b.len)
			buf_adds(&b, " ");
		buf_add(&b, s, a + c);
		s += a;
	}
	return buf_detach(&b, NULL);
}

/* Inside a write transaction the rows are staged (sqlite-stage.c) and
 * written once before COMMIT; outside one, at once. */
int sqlite_search_new(struct store *st, int64_t id, const char *title,
		      const char *description)
{
	struct fts_stage *stage = sqlite_stage(st);
	char *text = xasprintf("%s %s", title, description);
	char *pairs = pairs_of(text);
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
	char *pairs = pairs_of(text);
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

/* q as a LIKE pattern matching it anywhere, %, _ and \ escaped. */
static char *like_of(const char *q)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "%");
	for (const char *p = q; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_adds(&b, "\\");
		buf_add(&b, p, 1);
	}
	buf_adds(&b, "%");
	return buf_detach(&b, NULL);
}

/* The pair index's token of two-character q, as a phrase. */
static char *pair_of(const char *q)
{
	char *p = pairs_of(q);
	char *out = xasprintf("\"%s\"", p);

	free(p);
	return out;
}

int sqlite_search_list(struct store *st, const struct sval *p, const char *q,
		       srow_fn *fn, void *ctx)
{
	char *match = NULL, *like = NULL, *pair = NULL;
	struct sval all[INC_LIST_NP + 3];
	int rc;

	if (utf8_count(q) == 2 && !separator(q) && !separator(q + utf8_step(q)))
		pair = pair_of(q);
	else if (utf8_count(q) >= 3)
		match = phrase_of(q);
	else
		like = like_of(q);
	for (int i = 0; i < INC_LIST_NP; i++)
		all[i] = p[i];
	all[INC_LIST_NP] = SV_S(match ? match : "");
	all[INC_LIST_NP + 1] = SV_S(like ? like : "");
	all[INC_LIST_NP + 2] = SV_S(pair ? pair : "");
	rc = st_query(st, Q_INC_SEARCH, all, ARRAY_SIZE(all), fn, ctx);
	free(match);
	free(like);
	free(pair);
	return rc;
}
