/*
 * sqlite-stage.c - the search rows of a write transaction, staged in
 * memory and written to the FTS5 indexes once, just before COMMIT.
 *
 * Written at once, each FTS5 statement inside a savepoint costs far more
 * than its text: FTS5 flushes its pending terms to a new segment at every
 * savepoint boundary, and the writer runs every job in a savepoint of its
 * own (app/writer.h). Staged, a batch pays one flush, and the texts one
 * incident gets in a batch (its title and description, then each timeline
 * line) become one INSERT, or one UPDATE when the incident is older: the
 * same body and pairs, in the same order, as the statements one by one
 * would have made.
 *
 * The stage follows the transaction: a savepoint marks its length, a
 * ROLLBACK TO cuts it back to the mark (so a job rolled back leaves no
 * text behind), a ROLLBACK empties it. Until the flush, the staged texts
 * are not searchable on the writing connection itself; searches run on
 * the reader connections, which see committed rows only.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-int.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct stage_row {
	int64_t id;
	size_t seq;		/* its place in the stage, to keep the order */
	char *title;		/* NULL: a line added to an indexed incident */
	char *text;		/* the description, or the line */
	char *pairs;		/* text cut for the pair index */
};

struct fts_stage {
	struct stage_row *v;
	size_t n, cap;
	size_t mark;		/* the length at the open savepoint */
};

struct fts_stage *fts_stage_new(void)
{
	return xcalloc(1, sizeof(struct fts_stage));
}

static void cut(struct fts_stage *g, size_t n)
{
	while (g->n > n) {
		struct stage_row *r = &g->v[--g->n];

		free(r->title);
		free(r->text);
		free(r->pairs);
	}
	if (g->mark > n)
		g->mark = n;
}

void fts_stage_free(struct fts_stage *g)
{
	if (!g)
		return;
	cut(g, 0);
	free(g->v);
	free(g);
}

void fts_stage_add(struct fts_stage *g, int64_t id, const char *title,
		   const char *text, char *pairs)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->v = xrealloc(g->v, g->cap * sizeof(*g->v));
	}
	g->v[g->n] = (struct stage_row){
		.id = id, .seq = g->n, .title = title ? xstrdup(title) : NULL,
		.text = xstrdup(text ? text : ""), .pairs = pairs,
	};
	g->n++;
}

void fts_stage_mark(struct fts_stage *g)
{
	g->mark = g->n;
}

void fts_stage_undo(struct fts_stage *g)
{
	cut(g, g->mark);
}

void fts_stage_clear(struct fts_stage *g)
{
	cut(g, 0);
}

/* By incident, then in the order staged. */
static int by_id(const void *a, const void *b)
{
	const struct stage_row *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Rows r[0..n) of one incident: one INSERT when they start with its
 * title, else one UPDATE appending their texts. */
static int flush_one(struct store *st, const struct stage_row *r, size_t n)
{
	struct buf body = BUF_INIT, pairs = BUF_INIT;
	bool fresh = r[0].title != NULL;
	int rc;

	buf_adds(&body, "");
	buf_adds(&pairs, "");
	for (size_t i = 0; i < n; i++) {
		/* As Q_FTS_APPEND joins them: body lines by a newline, pairs
		 * by a space (and so does the first line of an UPDATE, after
		 * the text already there). */
		if (i || !fresh) {
			buf_adds(&body, "\n");
			buf_adds(&pairs, " ");
		}
		buf_adds(&body, r[i].text);
		buf_adds(&pairs, r[i].pairs);
	}
	if (fresh) {
		struct sval f[] = { SV_I(r[0].id), SV_S(r[0].title),
				    SV_S(body.data) };
		struct sval g[] = { SV_I(r[0].id), SV_S(pairs.data) };

		rc = st_run(st, Q_FTS_INSERT, f, 3, NULL);
		if (!rc)
			rc = st_run(st, Q_FTS2_INSERT, g, 2, NULL);
	} else {
		/* The joining newline and space are the statements' own. */
		struct sval f[] = { SV_I(r[0].id), SV_S(body.data + 1) };
		struct sval g[] = { SV_I(r[0].id), SV_S(pairs.data + 1) };

		rc = st_run(st, Q_FTS_APPEND, f, 2, NULL);
		if (!rc)
			rc = st_run(st, Q_FTS2_APPEND, g, 2, NULL);
	}
	buf_release(&body);
	buf_release(&pairs);
	return rc;
}

int fts_stage_flush(struct fts_stage *g, struct store *st)
{
	int rc = 0;

	if (!g->n)
		return 0;
	qsort(g->v, g->n, sizeof(*g->v), by_id);
	for (size_t i = 0, j; !rc && i < g->n; i = j) {
		for (j = i + 1; j < g->n && g->v[j].id == g->v[i].id; j++)
			;
		rc = flush_one(st, g->v + i, j - i);
	}
	fts_stage_clear(g);
	return rc;
}
