/*
 * escape.h - text that someone typed, made safe for a markup it is put in.
 *
 * A reporter's title or note is text: it must never become a link, an
 * image or a heading in what others read. Every place that inserts such
 * text into Markdown goes through esc_md(); only erms' own templates add
 * markup.
 */
#ifndef ERMS_UTIL_ESCAPE_H
#define ERMS_UTIL_ESCAPE_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Append s to b for CommonMark (and the Markdown subsets of DingTalk,
 * WeCom and md4c) as literal text, with backslash escapes (CommonMark
 * §2.4): everywhere the characters that open inline markup (links and
 * images "[a](u)" "![x](u)", autolinks and HTML "<u>" "http://u",
 * emphasis, code, tables: \ ` * _ [ ] ( ) < > ! ~ | & :), and at the
 * start of a line what opens a block ("# h", "- x", "+ x", "1. y",
 * "> q", "==="). Where a renderer ignores backslash escapes the
 * backslashes show, but "\[a\]\(u\)" is no link in any Markdown.
 * < > & are written as entities (&lt; &gt; &amp;), so renderers that
 * keep some HTML (WeCom's <font>) show them as text too.
 */
void esc_md(struct buf *b, const char *s);

/* Append s to b as text of HTML or XML, in an element or an attribute
 * in quotes: & < > " ' are written as entities. s NULL appends nothing. */
void esc_html(struct buf *b, const char *s);
/* esc_html() of the n bytes at s. */
void esc_html_n(struct buf *b, const char *s, size_t n);

#endif
