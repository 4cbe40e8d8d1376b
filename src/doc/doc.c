/*
 * doc.c - the document model and its Markdown and HTML forms.
 */
#include "doc/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/escape.h"
#include "util/xalloc.h"

/* The report's style, embedded in every HTML page: a saved page prints
 * as it was shown, with no file beside it. */
static const char STYLE[] =
	"body{font-family:system-ui,\"PingFang SC\",\"Noto Sans CJK SC\","
	"\"WenQuanYi Micro Hei\",\"Microsoft YaHei\",sans-serif;"
	"color:#1a1a1a;margin:2rem}\n"
	".report{max-width:52rem;margin:0 auto;line-height:1.5}\n"
	"h1{font-size:1.6rem;border-bottom:2px solid #13294b;"
	"padding-bottom:.3rem;margin-bottom:.2rem}\n"
	".sub{color:#555;margin-top:0}\n"
	"h2{font-size:1.2rem;margin-top:1.6rem;color:#13294b}\n"
	"h3{font-size:1rem;margin-bottom:.2rem}\n"
	"table{border-collapse:collapse;width:100%;margin:.5rem 0}\n"
	"th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;"
	"vertical-align:top;overflow-wrap:anywhere}\n"
	"th{background:#eef1f6}\n"
	"table.kv td:first-child{width:9rem;background:#f6f7f9}\n"
	"tr.strong td{font-weight:bold}\n"
	"footer{margin-top:2rem;color:#555;font-size:.85rem;"
	"border-top:1px solid #ccc;padding-top:.4rem}\n"
	"hr.page{border:0;border-top:1px dashed #bbb;margin:2rem 0}\n"
	"@media print{body{margin:0}h2,h3{page-break-after:avoid}"
	"hr.page{border:0;margin:0;page-break-after:always}"
	"tr{page-break-inside:avoid}}\n";

static char *dup_or_empty(const char *s)
{
	return xstrdup(s ? s : "");
}

struct doc *doc_new(const char *lang)
{
	struct doc *d = xcalloc(1, sizeof(*d));

	snprintf(d->lang, sizeof(d->lang), "%s", lang && *lang ? lang : "en");
	return d;
}

void doc_free(struct doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nblocks; i++) {
		struct doc_block *b = &d->blocks[i];

		free(b->text);
		free(b->id);
		for (int c = 0; c < DOC_COLS_MAX; c++)
			free(b->head[c]);
		for (size_t r = 0; r < b->nrows; r++)
			for (int c = 0; c < DOC_COLS_MAX; c++)
				free(b->rows[r].cell[c]);
		free(b->rows);
	}
	free(d->blocks);
	free(d->title);
	free(d->subtitle);
	free(d->footer);
	free(d);
}

void doc_title(struct doc *d, const char *title, const char *subtitle)
{
	free(d->title);
	free(d->subtitle);
	d->title = dup_or_empty(title);
	d->subtitle = dup_or_empty(subtitle);
}

void doc_footer(struct doc *d, const char *footer)
{
	free(d->footer);
	d->footer = dup_or_empty(footer);
}

static struct doc_block *block(struct doc *d, enum doc_kind kind)
{
	struct doc_block *b;

	if (d->nblocks == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->blocks = xrealloc(d->blocks, d->cap * sizeof(*d->blocks));
	}
	b = &d->blocks[d->nblocks++];
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	return b;
}

void doc_heading(struct doc *d, int level, const char *text)
{
	struct doc_block *b = block(d, DOC_HEADING);

	b->level = level == 3 ? 3 : 2;
	b->text = dup_or_empty(text);
}

void doc_heading_id(struct doc *d, int level, const char *text,
		    const char *id)
{
	char *a;
	size_t n = 0;

	doc_heading(d, level, text);
	a = xmalloc(strlen(id ? id : "") + 1);
	for (const char *c = id ? id : ""; *c; c++)
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_')
			a[n++] = *c;
	a[n] = 0;
	d->blocks[d->nblocks - 1].id = a;
}

void doc_page_break(struct doc *d)
{
	block(d, DOC_BREAK);
}

void doc_para(struct doc *d, const char *text)
{
	block(d, DOC_PARA)->text = dup_or_empty(text);
}

void doc_table(struct doc *d, int ncols, const char *const *head)
{
	struct doc_block *b = block(d, DOC_TABLE);

	b->ncols = ncols < 1 ? 1 : ncols > DOC_COLS_MAX ? DOC_COLS_MAX : ncols;
	b->has_head = head != NULL;
	for (int c = 0; head && c < b->ncols; c++)
		b->head[c] = dup_or_empty(head[c]);
}

void doc_row(struct doc *d, const char *const *cells, bool strong)
{
	struct doc_block *b = d->nblocks ? &d->blocks[d->nblocks - 1] : NULL;
	struct doc_row *r;

	if (!b || b->kind != DOC_TABLE)
		return;		/* a row belongs to a table */
	if (b->nrows == b->rows_cap) {
		b->rows_cap = b->rows_cap ? b->rows_cap * 2 : 8;
		b->rows = xrealloc(b->rows, b->rows_cap * sizeof(*b->rows));
	}
	r = &b->rows[b->nrows++];
	memset(r, 0, sizeof(*r));
	r->strong = strong;
	for (int c = 0; c < b->ncols; c++)
		r->cell[c] = dup_or_empty(cells[c]);
}

/* ---- Markdown ---------------------------------------------------------- */

/* Literal text in one line (a table cell): new lines as spaces. */
static void md_line(struct buf *b, const char *s)
{
	struct buf one = BUF_INIT;

	for (const char *p = s; p && *p; p++)
		buf_add(&one, *p == '\n' || *p == '\r' ? " " : p, 1);
	esc_md(b, buf_str(&one));
	buf_release(&one);
}

/* Literal text over lines: each line escaped, joined by hard breaks. */
static void md_text(struct buf *b, const char *s)
{
	const char *p = s ? s : "";

	for (;;) {
		const char *nl = strchr(p, '\n');
		char *line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);

		esc_md(b, line);
		free(line);
		if (!nl)
			break;
		buf_adds(b, "\\\n");
		p = nl + 1;
	}
}

static void md_row(struct buf *b, int ncols, char *const *cells, bool strong)
{
	buf_adds(b, "|");
	for (int c = 0; c < ncols; c++) {
		buf_adds(b, " ");
		if (strong && cells[c] && *cells[c])
			buf_adds(b, "**");
		md_line(b, cells[c]);
		if (strong && cells[c] && *cells[c])
			buf_adds(b, "**");
		buf_adds(b, " |");
	}
	buf_adds(b, "\n");
}

char *doc_markdown(const struct doc *d)
{
	struct buf b = BUF_INIT;

	buf_adds(&b, "# ");
	md_line(&b, d->title);
	buf_adds(&b, "\n\n");
	if (d->subtitle && *d->subtitle) {
		md_text(&b, d->subtitle);
		buf_adds(&b, "\n\n");
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct doc_block *k = &d->blocks[i];

		switch (k->kind) {
		case DOC_HEADING:
			buf_adds(&b, k->level == 3 ? "### " : "## ");
			md_line(&b, k->text);
			break;
		case DOC_PARA:
			md_text(&b, k->text);
			break;
		case DOC_TABLE: {
			char *none[DOC_COLS_MAX] = { 0 };

			md_row(&b, k->ncols, k->has_head ? k->head : none,
			       false);
			buf_adds(&b, "|");
			for (int c = 0; c < k->ncols; c++)
				buf_adds(&b, "---|");
			buf_adds(&b, "\n");
			for (size_t r = 0; r < k->nrows; r++)
				md_row(&b, k->ncols, k->rows[r].cell,
				       k->rows[r].strong);
			break;
		}
		case DOC_BREAK:
			buf_adds(&b, "---");
			break;
		}
		buf_adds(&b, "\n\n");
	}
	if (d->footer && *d->footer) {
		buf_adds(&b, "---\n\n");
		md_text(&b, d->footer);
		buf_adds(&b, "\n");
	}
	return buf_detach(&b, NULL);
}

/* ---- HTML -------------------------------------------------------------- */

/* Text into HTML: & < > " ' as entities; new lines as <br> when br. */
static void html_text(struct buf *b, const char *s, bool br)
{
	while (s && *s) {
		size_t n = strcspn(s, "\r\n");

		esc_html_n(b, s, n);
		s += n;
		if (*s == '\n')
			buf_adds(b, br ? "<br>\n" : " ");
		if (*s)
			s++;
	}
}

static void html_table(struct buf *b, const struct doc_block *k)
{
	buf_addf(b, "<table%s>\n", k->has_head ? "" : " class=\"kv\"");
	if (k->has_head) {
		buf_adds(b, "<thead><tr>");
		for (int c = 0; c < k->ncols; c++) {
			buf_adds(b, "<th scope=\"col\">");
			html_text(b, k->head[c], false);
			buf_adds(b, "</th>");
		}
		buf_adds(b, "</tr></thead>\n");
	}
	buf_adds(b, "<tbody>\n");
	for (size_t r = 0; r < k->nrows; r++) {
		buf_adds(b, k->rows[r].strong ? "<tr class=\"strong\">" : "<tr>");
		for (int c = 0; c < k->ncols; c++) {
			bool label = !k->has_head && c == 0;

			buf_adds(b, label ? "<th scope=\"row\">" : "<td>");
			html_text(b, k->rows[r].cell[c], true);
			buf_adds(b, label ? "</th>" : "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

char *doc_html(const struct doc *d)
{
	struct buf b = BUF_INIT;

	buf_addf(&b, "<!doctype html>\n<html lang=\"%s\">\n<head>\n"
		 "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
		 "content=\"width=device-width, initial-scale=1\">\n<title>",
		 d->lang);
	html_text(&b, d->title, false);
	buf_addf(&b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
		 "<article class=\"report\">\n<h1>", STYLE);
	html_text(&b, d->title, false);
	buf_adds(&b, "</h1>\n");
	if (d->subtitle && *d->subtitle) {
		buf_adds(&b, "<p class=\"sub\">");
		html_text(&b, d->subtitle, true);
		buf_adds(&b, "</p>\n");
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct doc_block *k = &d->blocks[i];

		switch (k->kind) {
		case DOC_HEADING:
			if (k->id && *k->id)
				buf_addf(&b, "<h%d id=\"%s\">", k->level,
					 k->id);
			else
				buf_addf(&b, "<h%d>", k->level);
			html_text(&b, k->text, false);
			buf_addf(&b, "</h%d>\n", k->level);
			break;
		case DOC_PARA:
			buf_adds(&b, "<p>");
			html_text(&b, k->text, true);
			buf_adds(&b, "</p>\n");
			break;
		case DOC_TABLE:
			html_table(&b, k);
			break;
		case DOC_BREAK:
			buf_adds(&b, "<hr class=\"page\">\n");
			break;
		}
	}
	if (d->footer && *d->footer) {
		buf_adds(&b, "<footer>");
		html_text(&b, d->footer, true);
		buf_adds(&b, "</footer>\n");
	}
	buf_adds(&b, "</article>\n</body>\n</html>\n");
	return buf_detach(&b, NULL);
}
