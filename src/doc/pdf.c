/*
 * pdf.c - a document as PDF with cairo (the PDF surface) and pango (text
 * shaping, line breaking and font fallback, so CJK and Latin text mix).
 *
 * Laid out twice: the first pass only counts the pages (into a stream
 * that keeps nothing), so the second can write "n / N" on each.
 * Sizes are in points (1/72 in); pango's resolution is set to 72 so a
 * font of 10 is 10 pt.
 */
#include "doc/pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "util/buf.h"
#include "util/err.h"

#define PAGE_W 595.28		/* A4 */
#define PAGE_H 841.89
#define MARGIN 56.0
#define FOOT 40.0		/* from the bottom edge to the foot line */
#define PAD 4.0			/* inside a table cell */
#define FONT "WenQuanYi Micro Hei,Noto Sans CJK SC,sans-serif"

struct pdf {
	const struct doc *d;
	cairo_t *cr;
	PangoContext *pc;
	PangoLayout *lay;
	PangoLayout *foot;	/* the foot's own, so a page break in the
				 * middle of a text leaves that text alone */
	double y;		/* where the next block starts */
	int page, total;	/* total: 0 in the counting pass */
	bool zh;
};

static double width(void)
{
	return PAGE_W - 2 * MARGIN;
}

static double bottom(void)
{
	return PAGE_H - MARGIN - 10;
}

/* Set the layout's font (size in points, bold or not) and text, wrapped
 * at w points (w <= 0: one line). */
static void set_text(PangoLayout *lay, const char *s, double size, bool bold,
		     double w)
{
	PangoFontDescription *fd = pango_font_description_from_string(FONT);

	pango_font_description_set_size(fd, (gint)(size * PANGO_SCALE));
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD
						   : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(lay, w > 0 ? (int)(w * PANGO_SCALE) : -1);
	pango_layout_set_height(lay, -1);
	pango_layout_set_ellipsize(lay, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(lay, s ? s : "", -1);
}

static void text_in(struct pdf *p, const char *s, double size, bool bold,
		    double w)
{
	set_text(p->lay, s, size, bold, w);
}

static double text_h(struct pdf *p)
{
	int w, h;

	pango_layout_get_size(p->lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

static double text_w(struct pdf *p)
{
	int w, h;

	pango_layout_get_size(p->lay, &w, &h);
	return (double)w / PANGO_SCALE;
}

static void gray(struct pdf *p, double v)
{
	cairo_set_source_rgb(p->cr, v, v, v);
}

/* The foot of the current page: the document's line, the page number. */
static void foot(struct pdf *p)
{
	char n[64];
	double y = PAGE_H - FOOT;
	int w, h;

	cairo_set_line_width(p->cr, 0.5);
	gray(p, 0.6);
	cairo_move_to(p->cr, MARGIN, y - 4);
	cairo_line_to(p->cr, PAGE_W - MARGIN, y - 4);
	cairo_stroke(p->cr);
	gray(p, 0.35);
	if (p->total)
		snprintf(n, sizeof(n), p->zh ? "第 %d 页 / 共 %d 页"
					     : "Page %d of %d", p->page,
			 p->total);
	else
		snprintf(n, sizeof(n), "%d", p->page);
	set_text(p->foot, n, 8, false, 0);
	pango_layout_get_size(p->foot, &w, &h);
	cairo_move_to(p->cr, PAGE_W - MARGIN - (double)w / PANGO_SCALE, y);
	pango_cairo_show_layout(p->cr, p->foot);
	set_text(p->foot, p->d->footer, 8, false, width() - 110);
	cairo_move_to(p->cr, MARGIN, y);
	pango_cairo_show_layout(p->cr, p->foot);
}

static void new_page(struct pdf *p)
{
	if (p->page) {
		foot(p);
		cairo_show_page(p->cr);
	}
	p->page++;
	p->y = MARGIN;
}

/* The laid-out text (text_in) at x, line by line, breaking the page
 * between lines where it must. */
static void flow(struct pdf *p, double x, double r, double g, double b)
{
	PangoLayoutIter *it = pango_layout_get_iter(p->lay);
	double top = -1;	/* the layout's y of this page's first line */
	double base = p->y;

	do {
		PangoRectangle lr;
		double ly, lh;

		pango_layout_iter_get_line_extents(it, NULL, &lr);
		ly = (double)lr.y / PANGO_SCALE;
		lh = (double)lr.height / PANGO_SCALE;
		if (top < 0)
			top = ly;
		if (base + (ly - top) + lh > bottom()) {
			new_page(p);
			base = p->y;
			top = ly;
		}
		cairo_set_source_rgb(p->cr, r, g, b);
		cairo_move_to(p->cr, x, base + (ly - top) +
			      (double)pango_layout_iter_get_baseline(it) /
				      PANGO_SCALE - ly);
		pango_cairo_show_layout_line(
		    p->cr, pango_layout_iter_get_line_readonly(it));
		p->y = base + (ly - top) + lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

/* ---- tables ------------------------------------------------------------ */

/* Column widths: each column's widest text on one line, then fitted to
 * the page's width (narrow columns keep theirs, wide ones share the
 * rest by how wide they would be). */
static void columns(struct pdf *p, const struct doc_block *k, double *w)
{
	double nat[DOC_COLS_MAX] = { 0 }, sum = 0, fair, rest, wide = 0;
	double avail = width();

	for (int c = 0; c < k->ncols; c++) {
		if (k->has_head) {
			text_in(p, k->head[c], 9, true, 0);
			nat[c] = text_w(p);
		}
		for (size_t r = 0; r < k->nrows; r++) {
			text_in(p, k->rows[r].cell[c], 9, false, 0);
			if (text_w(p) > nat[c])
				nat[c] = text_w(p);
		}
		nat[c] += 2 * PAD + 1;
		sum += nat[c];
	}
	if (sum <= avail) {
		for (int c = 0; c < k->ncols; c++)
			w[c] = nat[c] * avail / sum;
		return;
	}
	fair = avail / k->ncols;
	rest = avail;
	for (int c = 0; c < k->ncols; c++)
		if (nat[c] <= fair)
			rest -= nat[c];
		else
			wide += nat[c];
	for (int c = 0; c < k->ncols; c++)
		w[c] = nat[c] <= fair ? nat[c] : nat[c] * rest / wide;
}

/* The height of row cells (NULL: the header) at widths w. */
static double row_h(struct pdf *p, const struct doc_block *k,
		    char *const *cells, bool bold, const double *w)
{
	double h = 0;

	for (int c = 0; c < k->ncols; c++) {
		text_in(p, cells[c], 9, bold, w[c] - 2 * PAD);
		if (text_h(p) > h)
			h = text_h(p);
	}
	return h + 2 * PAD;
}

/* Draw one row at p->y: fill (< 1: a gray background), borders, text. */
static void row(struct pdf *p, const struct doc_block *k, char *const *cells,
		bool bold, const double *w, double h, double fill)
{
	double x = MARGIN;

	for (int c = 0; c < k->ncols; c++) {
		bool label = !k->has_head && c == 0;

		if (fill < 1 || label) {
			gray(p, fill < 1 ? fill : 0.965);
			cairo_rectangle(p->cr, x, p->y, w[c], h);
			cairo_fill(p->cr);
		}
		cairo_set_line_width(p->cr, 0.5);
		gray(p, 0.55);
		cairo_rectangle(p->cr, x, p->y, w[c], h);
		cairo_stroke(p->cr);
		text_in(p, cells[c], 9, bold, w[c] - 2 * PAD);
		/* A cell taller than a page is cut (with "…") to one page. */
		pango_layout_set_height(p->lay, (int)((bottom() - MARGIN - 40) *
						      PANGO_SCALE));
		pango_layout_set_ellipsize(p->lay, PANGO_ELLIPSIZE_END);
		gray(p, 0.1);
		cairo_move_to(p->cr, x + PAD, p->y + PAD);
		pango_cairo_show_layout(p->cr, p->lay);
		x += w[c];
	}
	p->y += h;
}

static void table(struct pdf *p, const struct doc_block *k)
{
	double w[DOC_COLS_MAX], hh = 0, limit = bottom() - MARGIN - 40;

	columns(p, k, w);
	if (k->has_head)
		hh = row_h(p, k, k->head, true, w);
	for (size_t r = 0; r < k->nrows; r++) {
		const struct doc_row *x = &k->rows[r];
		double h = row_h(p, k, x->cell, x->strong, w);

		if (h > limit)
			h = limit;
		if (r == 0 || p->y + h > bottom()) {
			if (p->y + hh + h > bottom())
				new_page(p);
			if (k->has_head)
				row(p, k, k->head, true, w, hh, 0.92);
		}
		row(p, k, x->cell, x->strong, w, h, 1);
	}
	if (!k->nrows && k->has_head) {
		if (p->y + hh > bottom())
			new_page(p);
		row(p, k, k->head, true, w, hh, 0.92);
	}
	p->y += 8;
}

/* ---- the document ------------------------------------------------------ */

static void heading(struct pdf *p, const char *s, double size, double before)
{
	p->y += before;
	/* A heading is not left alone at the foot of a page. */
	text_in(p, s, size, true, width());
	if (p->y + text_h(p) + 40 > bottom())
		new_page(p);
	flow(p, MARGIN, 0.075, 0.16, 0.29);
	p->y += 4;
}

static void body(struct pdf *p)
{
	const struct doc *d = p->d;

	new_page(p);
	text_in(p, d->title, 17, true, width());
	flow(p, MARGIN, 0.075, 0.16, 0.29);
	p->y += 3;
	cairo_set_line_width(p->cr, 1.2);
	cairo_set_source_rgb(p->cr, 0.075, 0.16, 0.29);
	cairo_move_to(p->cr, MARGIN, p->y);
	cairo_line_to(p->cr, PAGE_W - MARGIN, p->y);
	cairo_stroke(p->cr);
	p->y += 5;
	if (d->subtitle && *d->subtitle) {
		text_in(p, d->subtitle, 10, false, width());
		flow(p, MARGIN, 0.33, 0.33, 0.33);
	}
	for (size_t i = 0; i < d->nblocks; i++) {
		const struct doc_block *k = &d->blocks[i];

		switch (k->kind) {
		case DOC_HEADING:
			heading(p, k->text, k->level == 3 ? 10.5 : 13,
				k->level == 3 ? 6 : 12);
			break;
		case DOC_PARA:
			text_in(p, k->text, 10, false, width());
			flow(p, MARGIN, 0.1, 0.1, 0.1);
			p->y += 6;
			break;
		case DOC_TABLE:
			table(p, k);
			break;
		case DOC_BREAK:
			if (p->y > MARGIN)
				new_page(p);
			break;
		}
	}
	foot(p);
	cairo_show_page(p->cr);
}

static cairo_status_t to_buf(void *ctx, const unsigned char *data,
			     unsigned int n)
{
	return buf_add(ctx, data, n) ? CAIRO_STATUS_WRITE_ERROR
				     : CAIRO_STATUS_SUCCESS;
}

static cairo_status_t to_nothing(void *ctx, const unsigned char *data,
				 unsigned int n)
{
	(void)ctx;
	(void)data;
	(void)n;
	return CAIRO_STATUS_SUCCESS;
}

/* One pass into a new PDF surface writing to fn(ctx); *pages: how many. */
static int pass(const struct doc *d, cairo_write_func_t fn, void *ctx,
		int total, int *pages)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(fn, ctx,
								 PAGE_W, PAGE_H);
	struct pdf p = { .d = d, .total = total,
			 .zh = !strcmp(d->lang, "zh-CN") };
	cairo_font_options_t *fo = cairo_font_options_create();
	int rc = 0;

	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       d->title ? d->title : "");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "erms");
	p.cr = cairo_create(s);
	p.pc = pango_cairo_create_context(p.cr);
	pango_cairo_context_set_resolution(p.pc, 72);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p.pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_language(p.pc, pango_language_from_string(
						 p.zh ? "zh-cn" : "en"));
	p.lay = pango_layout_new(p.pc);
	p.foot = pango_layout_new(p.pc);
	body(&p);
	*pages = p.page;
	g_object_unref(p.lay);
	g_object_unref(p.foot);
	g_object_unref(p.pc);
	if (cairo_status(p.cr) != CAIRO_STATUS_SUCCESS)
		rc = ERMS_EIO;
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = ERMS_EIO;
	cairo_surface_destroy(s);
	return rc;
}

int doc_pdf(const struct doc *d, char **out, size_t *len)
{
	struct buf b = BUF_INIT;
	int pages = 0, again = 0;
	int rc = pass(d, to_nothing, NULL, 0, &pages);

	*out = NULL;
	*len = 0;
	if (!rc)
		rc = pass(d, to_buf, &b, pages, &again);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	*out = buf_detach(&b, len);
	return 0;
}
