/*
 * incidents.c - store.h's incidents: numbering, the row, lists, the
 * timers' pre-filters, search (through the backend's search operations)
 * and statistics.
 */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store-int.h"
#include "util/buf.h"

/* One row of the statistics (texts borrowed). */
struct stat_rec {
	const char *status, *level, *category;
	int64_t n;
};

#define COL_TYPE struct incident_row
static const struct col incident_cols[] = COL_TABLE(INCIDENT_COLS);
#undef COL_TYPE
#define COL_TYPE struct stat_rec
static const struct col stat_cols[] = COL_TABLE(STAT_COLS);
#undef COL_TYPE

/* The length in bytes of the UTF-8 character at s. */
static size_t char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;

	for (size_t i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

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
		a = char_len(s);
		if (!s[a] || separator(s + a)) {
			s += a;
			continue;
		}
		c = char_len(s + a);
		if (b.len)
			buf_adds(&b, " ");
		buf_add(&b, s, a + c);
		s += a;
	}
	return buf_detach(&b, NULL);
}

/* Characters (not bytes) in UTF-8 text. */
static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
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

/* A new incident in both search indexes. */
static int index_new(struct store *st, const struct incident_row *r)
{
	char *text = xasprintf("%s %s", r->title, r->description);
	char *pairs = pairs_of(text);
	struct sval f[] = { SV_I(r->inc.id), SV_S(r->title),
			    SV_S(r->description) };
	struct sval g[] = { SV_I(r->inc.id), SV_S(pairs) };
	int rc = st_run(st, Q_FTS_INSERT, f, 3, NULL);

	if (!rc)
		rc = st_run(st, Q_FTS2_INSERT, g, 2, NULL);
	free(pairs);
	free(text);
	return rc;
}

static void incident_reset(void *r)
{
	incident_row_release(r);
}

/*
 * The number of a new incident reported at reported_ms: INC-<year>-<n>,
 * n counting per year (UTC) without gaps, from the backend's counter.
 */
static int number_of(struct store *st, int64_t reported_ms, char *out,
		     size_t len)
{
	time_t secs = (time_t)(reported_ms / 1000);
	struct tm tm;
	int64_t n;
	int rc;

	gmtime_r(&secs, &tm);
	struct sval y[] = { SV_I(tm.tm_year + 1900) };

	rc = st_int(st, Q_INC_NEXT_NUMBER, y, 1, &n);
	if (rc)
		return rc;
	snprintf(out, len, "INC-%04d-%04lld", (tm.tm_year + 1900) % 10000,
		 (long long)n);
	return 0;
}

int store_incident_insert(struct store *st, struct incident_row *r)
{
	struct incident *inc = &r->inc;
	int rc = number_of(st, inc->reported_ms, r->number, sizeof(r->number));

	if (rc)
		return rc;
	struct sval p[] = {
		SV_S(r->number), SV_S(r->title), SV_S(r->description),
		SV_S(r->impact), SV_S(r->category),
		SV_S(incident_state_name(inc->state)), SV_I(inc->level),
		SV_S(r->level_key), SV_S(r->proposed_level),
		SV_B(inc->is_drill), SV_I(r->reporter_id),
		r->commander_id ? SV_I(r->commander_id) : SV_NUL,
		SV_I(r->plan_version_id), SV_I(inc->detected_ms),
		SV_I(inc->reported_ms), SV_I(inc->ack_min),
		SV_I(inc->activate_min), SV_I(inc->resolve_min),
		SV_B(r->public), SV_S(r->public_summary ? r->public_summary : ""),
	};
	if ((rc = st_int(st, Q_INC_INSERT, p, ARRAY_SIZE(p), &inc->id)))
		return rc;
	r->updated_ms = inc->reported_ms;
	return index_new(st, r);
}

int store_incident_get_id(struct store *st, int64_t id,
			  struct incident_row *out)
{
	struct sval p[] = { SV_I(id) };

	return ST_ONE(st, Q_INC_GET, p, 1, incident_cols, incident_reset, out);
}

int store_incident_get(struct store *st, const char *key,
		       struct incident_row *out)
{
	struct sval p[] = { SV_S(key) };
	char *end;
	long long id = strtoll(key, &end, 10);

	if (*key >= '0' && *key <= '9' && !*end)
		return store_incident_get_id(st, id, out);
	return ST_ONE(st, Q_INC_BY_NUMBER, p, 1, incident_cols,
		      incident_reset, out);
}

int store_incident_update(struct store *st, const struct incident_row *r)
{
	const struct incident *inc = &r->inc;
	struct sval p[] = {
		SV_I(inc->id), SV_S(r->title), SV_S(r->description),
		SV_S(r->impact), SV_S(r->category),
		SV_S(incident_state_name(inc->state)), SV_I(inc->level),
		SV_S(r->level_key),
		r->commander_id ? SV_I(r->commander_id) : SV_NUL,
		SV_I(inc->acked_ms), SV_I(inc->activated_ms),
		SV_I(inc->resolved_ms), SV_I(inc->closed_ms),
		SV_I(inc->reviewed_ms), SV_I(inc->dismissed_ms),
		SV_I(inc->ack_min), SV_I(inc->activate_min),
		SV_I(inc->resolve_min), SV_I(inc->breaches), SV_B(r->public),
		SV_S(r->public_summary ? r->public_summary : ""),
		SV_S(r->summary ? r->summary : ""),
		SV_S(r->review_json ? r->review_json : ""),
		SV_I(r->updated_ms), SV_I(r->esc_tiers), SV_I(r->esc_acked_ms),
	};

	return st_run1(st, Q_INC_UPDATE, p, ARRAY_SIZE(p));
}

struct inc_walk {
	store_incident_fn *fn;
	void *ctx;
};

static int walk_inc(void *ctx, const struct srow *r)
{
	struct inc_walk *w = ctx;
	struct incident_row x = { 0 };
	int rc;

	DECODE(incident_cols, r, 0, &x);
	rc = w->fn(w->ctx, &x);
	incident_row_release(&x);
	return rc;
}

int store_incident_list(struct store *st, const struct incident_filter *f,
			store_incident_fn *fn, void *ctx)
{
	const char *q = f->q ? f->q : "";
	struct inc_walk w = { fn, ctx };
	char *match = NULL, *like = NULL, *pair = NULL;
	int rc;

	/* Three characters or more: a trigram phrase query, quotes doubled.
	 * Two: the token of the pair index. One: LIKE, % and _ escaped. */
	if (*q && utf8_chars(q) == 2 && !separator(q) &&
	    !separator(q + char_len(q)))
		pair = pair_of(q);
	else if (*q && utf8_chars(q) >= 3)
		match = phrase_of(q);
	else if (*q)
		like = like_of(q);
	struct sval p[] = {
		SV_S(f->status ? f->status : ""), SV_S(f->level ? f->level : ""),
		SV_S(f->category ? f->category : ""), SV_I(f->is_drill),
		SV_I(f->from_ms), SV_I(f->to_ms), SV_S(match ? match : ""),
		SV_S(like ? like : ""), SV_I(f->limit),
		SV_I(f->before_id ? f->before_id : INT64_MAX),
		SV_S(pair ? pair : ""),
	};
	rc = st_query(st, Q_INC_LIST, p, ARRAY_SIZE(p), walk_inc, &w);
	free(match);
	free(like);
	free(pair);
	return rc;
}

int store_incident_due(struct store *st, int64_t now_ms, int limit,
		       store_incident_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(now_ms), SV_I(limit) };
	struct inc_walk w = { fn, ctx };

	return st_query(st, Q_INC_DUE, p, 2, walk_inc, &w);
}

int store_incident_unacked(struct store *st, int limit, store_incident_fn *fn,
			   void *ctx)
{
	struct sval p[] = { SV_I(limit) };
	struct inc_walk w = { fn, ctx };

	return st_query(st, Q_INC_UNACKED, p, 1, walk_inc, &w);
}

int store_incident_index(struct store *st, int64_t id, const char *text)
{
	struct sval p[] = { SV_I(id), SV_S(text) };
	char *pairs = pairs_of(text);
	struct sval q[] = { SV_I(id), SV_S(pairs) };
	int rc = st_run(st, Q_FTS_APPEND, p, 2, NULL);

	if (!rc)
		rc = st_run(st, Q_FTS2_APPEND, q, 2, NULL);
	free(pairs);
	return rc;
}

struct stat_walk {
	store_stat_fn *fn;
	void *ctx;
};

static int walk_stat(void *ctx, const struct srow *r)
{
	struct stat_walk *w = ctx;
	struct stat_rec s;

	DECODE(stat_cols, r, 0, &s);
	return w->fn(w->ctx, s.status, s.level, s.category, s.n);
}

int store_incident_stats(struct store *st, int64_t from_ms, int64_t to_ms,
			 store_stat_fn *fn, void *ctx)
{
	struct sval p[] = { SV_I(from_ms), SV_I(to_ms) };
	struct stat_walk w = { fn, ctx };

	return st_query(st, Q_INC_STATS, p, 2, walk_stat, &w);
}
