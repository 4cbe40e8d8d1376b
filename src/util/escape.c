/*
 * escape.c - escaping typed text for markup (see escape.h).
 */
#include "util/escape.h"

#include <stdbool.h>
#include <string.h>

/* Characters that open inline markup anywhere: links and images ([ ] (
 * ) !), autolinks and HTML (< > : &), emphasis and code (* _ ~ `),
 * tables (|) and the escape itself. */


/* At the start of a line, what opens a block: a heading (#), a list
 * (- + and "1." or "1)"), a quote (>), a setext underline (=). */
static size_t block_marker(const char *s)
{
	size_t i = 0;

	if (strchr("#-+=>", *s) && *s)
		return 1;
	while (s[i] >= '0' && s[i] <= '9')
		i++;
	return i && (s[i] == '.' || s[i] == ')') ? i + 1 : 0;
}

void esc_md(struct buf *b, const char *s)
{
	bool line_start = true;

	if (!s)
		return;
	while (*s) {
		size_t n;

		if (line_start) {
			n = strspn(s, " \t");
			buf_add(b, s, n);
			s += n;
			n = block_marker(s);
			if (n) {	/* escape its last character */
				buf_add(b, s, n - 1);
				buf_add(b, "\\", 1);
				buf_add(b, s + n - 1, 1);
				s += n;
			}
			line_start = false;
			continue;
		}
		n = strcspn(s, "\\`*_[]()<>!~|&:\n");
		buf_add(b, s, n);
		s += n;
		if (*s == '\n') {
			buf_add(b, s++, 1);
			line_start = true;
		} else if (*s == '<' || *s == '>' || *s == '&') {
			/* As entities: renderers that keep some HTML (WeCom's
			 * <font>, <@user>) show them as text too. */
			buf_adds(b, *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
						       : "&amp;");
			s++;
		} else if (*s) {
			buf_add(b, "\\", 1);
			buf_add(b, s++, 1);
		}
	}
}

void esc_html(struct buf *b, const char *s)
{
	if (s)
		esc_html_n(b, s, strlen(s));
}

void esc_html_n(struct buf *b, const char *s, size_t n)
{
	for (; n--; s++)
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_add(b, s, 1);
		}
}
