/*
 * doc.h - a small document model (headings, paragraphs, tables) and its
 * Markdown and self-contained HTML forms; doc/pdf.h renders it as PDF.
 *
 * The app builds a document from what it read (the review report), and
 * each form is written from the same model, so Markdown, HTML and PDF
 * say the same thing. Every text given is literal: the renderers escape
 * it for their markup, so nothing a person typed becomes a link, a tag or
 * a heading. Texts are copied; the caller keeps its own.
 */
#ifndef ERMS_DOC_DOC_H
#define ERMS_DOC_DOC_H

#include <stdbool.h>
#include <stddef.h>

struct doc;

/* A new, empty document in lang ("zh-CN" or "en"); free with doc_free(). */
struct doc *doc_new(const char *lang);
void doc_free(struct doc *d);

/* The title (one, at the top), the line under it, and the line every
 * page carries at its foot (the PDF's; the HTML's at the end). */
void doc_title(struct doc *d, const char *title, const char *subtitle);
void doc_footer(struct doc *d, const char *footer);

/* A section heading (level 2) or a sub-heading (level 3). */
void doc_heading(struct doc *d, int level, const char *text);
/* The same with an anchor: the HTML heading gets id="id" (letters,
 * digits, '-' and '_' only; others are dropped), so a page can link to
 * it or a test find it. */
void doc_heading_id(struct doc *d, int level, const char *text,
		    const char *id);
/* What follows starts on a new page: a new PDF page (none when the page
 * is still empty), a page break when the HTML is printed. */
void doc_page_break(struct doc *d);
/* A paragraph; new lines in text are line breaks. */
void doc_para(struct doc *d, const char *text);

/*
 * A table of ncols columns (1 to DOC_COLS_MAX): head is ncols column
 * titles, or NULL for a table of label and value rows with no header.
 * Rows follow with doc_row() (ncols cells, NULL cells are empty) until
 * the next block. A row marked strong is shown bold (a missed target).
 */
#define DOC_COLS_MAX 8
void doc_table(struct doc *d, int ncols, const char *const *head);
void doc_row(struct doc *d, const char *const *cells, bool strong);

/* The document as CommonMark, or as one complete HTML page with its
 * styles embedded (no link to anything outside it), so a saved copy
 * prints the same. free() them. */
char *doc_markdown(const struct doc *d);
char *doc_html(const struct doc *d);

/* What renderers read: the blocks in order. */
enum doc_kind { DOC_HEADING, DOC_PARA, DOC_TABLE, DOC_BREAK };
struct doc_row {
	char *cell[DOC_COLS_MAX];
	bool strong;
};
struct doc_block {
	enum doc_kind kind;
	int level;			/* DOC_HEADING: 2 or 3 */
	char *text;			/* DOC_HEADING, DOC_PARA */
	char *id;			/* DOC_HEADING: its anchor, or NULL */
	int ncols;			/* DOC_TABLE */
	bool has_head;
	char *head[DOC_COLS_MAX];
	struct doc_row *rows;
	size_t nrows, rows_cap;
};
struct doc {
	char lang[8];
	char *title, *subtitle, *footer;
	struct doc_block *blocks;
	size_t nblocks, cap;
};

#endif
