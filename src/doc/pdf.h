/*
 * pdf.h - a document (doc/doc.h) as PDF, rendered here with cairo and
 * pango: A4 pages, a CJK font (WenQuanYi Micro Hei, scripts/deps.sh),
 * the document's footer and "page n / N" at the foot of every page, the
 * table header repeated on each page a table runs over.
 */
#ifndef ERMS_DOC_PDF_H
#define ERMS_DOC_PDF_H

#include <stddef.h>

struct doc;

/*
 * d as a PDF into *out (free() it), its length in *len. 0, or ERMS_EIO
 * when cairo fails (no font, no memory for a surface): *out is NULL.
 */
int doc_pdf(const struct doc *d, char **out, size_t *len);

#endif
