/*
 * text.c - the bytes of a plan file and the text of its scalars: UTF-8
 * only, no NUL, nothing libfyaml 0.7.12 misreads; keys and class codes.
 */
#include "plan/parse.h"

#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"

/*
 * The text of a token, assembled from libfyaml's chunk iterator into a
 * string the parse owns, with its exact length.
 *
 * Not fy_node_get_scalar() nor fy_node_get_scalar0(): libfyaml 0.7.12
 * formats those into a buffer sized by the length it estimated while
 * scanning, and the estimate is wrong both ways. For some block scalars
 * (a folded scalar with more-indented lines after blank ones) it writes
 * fewer bytes than the length it answers with, so the tail is whatever
 * the heap held before; for a single-quoted scalar with runs of escaped
 * quotes it is too short, the text is lost, and the iterator's grown
 * chunk array is never freed. The iterator walks the same chunks without
 * a buffer of its own and frees what it grew.
 *
 * No text holds a NUL: plan_parse() refuses NUL bytes before libfyaml
 * sees the file, and shape() refuses the escapes that make one.
 */
static const char *token_text(struct ctx *c, struct fy_token *t, size_t *len)
{
	struct fy_token_iter *it = t ? fy_token_iter_create(t) : NULL;
	const struct fy_iter_chunk *ch = NULL;
	struct text *x;
	size_t n = 0, cap = 64;
	int err = 0;

	if (!it)
		return NULL;
	x = xmalloc(sizeof(*x) + cap);
	while ((ch = fy_token_iter_chunk_next(it, ch, &err))) {
		if (ch->len >= cap - n) {
			while (ch->len >= cap - n)
				cap *= 2;
			x = xrealloc(x, sizeof(*x) + cap);
		}
		memcpy(x->s + n, ch->str, ch->len);
		n += ch->len;
	}
	fy_token_iter_destroy(it);
	if (err) {
		free(x);
		return NULL;
	}
	x->s[n] = '\0';
	x->next = c->texts;
	c->texts = x;
	*len = n;
	return x->s;
}

/* The text of a scalar node, or NULL when n is not a scalar. */
const char *pp_scalar(struct ctx *c, struct fy_node *n, size_t *len)
{
	if (!n || fy_node_get_type(n) != FYNT_SCALAR)
		return NULL;
	return token_text(c, fy_node_get_scalar_token(n), len);
}

bool pp_is_plain(struct fy_node *n)
{
	return fy_node_get_style(n) == FYNS_PLAIN;
}

bool pp_key_ok(const char *s, size_t n)
{
	if (n < 1 || n > 64 || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return true;
}

bool pp_code_ok(const char *s, size_t n)
{
	static const char *const classes[] = { "MP", "NA", "DS", "IC", "DE",
					       "RO", "SHE", "AB", "FOC",
					       "OTH" };
	const char *slash = memchr(s, '/', n);
	size_t cl = slash ? (size_t)(slash - s) : n;

	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		if (strlen(classes[i]) != cl || strncmp(s, classes[i], cl))
			continue;
		if (!slash)
			return true;
		/* The subcode repeats the class: DE/DETECH. */
		if (n - cl - 1 <= cl || strncmp(slash + 1, s, cl))
			return false;
		for (const char *p = slash + 1; p < s + n; p++)
			if (*p < 'A' || *p > 'Z')
				return false;
		return true;
	}
	return false;
}

/*
 * Before libfyaml sees the bytes: a size limit, UTF-8 only and no NUL.
 * libfyaml 0.7.12 loops forever on some invalid UTF-8 (a directive
 * followed by a lone lead byte: "%\xe1"), so this check is what keeps
 * a bad file from holding a thread.
 */
bool pp_bytes_ok(struct ctx *c, const char *text, size_t len)
{
	size_t bad, line = 1, col = 1;

	if (len > PLAN_FILE_MAX) {
		pp_err_at(c, 1, 1, "the file is larger than %d bytes",
			  PLAN_FILE_MAX);
		return false;
	}
	bad = utf8_bad(text, len);
	if (bad == len)
		return true;
	for (size_t i = 0; i < bad; i++) {
		if (text[i] == '\n')
			line++, col = 1;
		else if (((unsigned char)text[i] & 0xc0) != 0x80)
			col++;
	}
	if (text[bad])
		pp_err_at(c, (int)line, (int)col,
			  "the file is not valid UTF-8 "
			  "(byte 0x%02x)",
			  (unsigned char)text[bad]);
	else
		pp_err_at(c, (int)line, (int)col,
			  "the file holds a NUL character");
	return false;
}

/* Does the raw double-quoted scalar q (quotes included) write U+0000
 * with an escape: \0, \x00, \u0000 or \U00000000? */
static bool escapes_nul(const char *q, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		size_t digits = 0, j;

		if (q[i] != '\\')
			continue;
		switch (q[++i]) {
		case '0': return true;
		case 'x': digits = 2; break;
		case 'u': digits = 4; break;
		case 'U': digits = 8; break;
		default: continue;
		}
		for (j = 1; j <= digits && i + j < n && q[i + j] == '0'; j++)
			;
		if (j > digits)
			return true;
	}
	return false;
}

/* Does the raw single-quoted scalar q (quotes included) hold two escaped
 * quotes in a row ('it''''s')? libfyaml 0.7.12 reads such a run as one
 * quote per raw quote after the first pair, so the text would change. */
static bool quote_run(const char *q, size_t n)
{
	size_t run = 0;

	for (size_t i = 1; i + 1 < n; i++)
		if ((run = q[i] == '\'' ? run + 1 : 0) == 4)
			return true;
	return false;
}

/* A scalar's text is safe to copy: no alias, no NUL, no text libfyaml
 * misreads, valid UTF-8. */
bool pp_scalar_ok(struct ctx *c, struct fy_node *n)
{
	struct fy_token *t = fy_node_get_scalar_token(n);
	const struct fy_mark *a = t ? fy_token_start_mark(t) : NULL;
	const struct fy_mark *b = t ? fy_token_end_mark(t) : NULL;
	const char *s;
	size_t len;

	if (fy_node_get_style(n) == FYNS_ALIAS) {
		s = pp_scalar(c, n, &len);
		if (s && fy_document_lookup_anchor(c->fyd, s, len))
			err_node(c, n, "aliases (*name) are not supported in "
				 "plan files");
		else
			err_node(c, n, "alias *%.64s names no anchor",
				 s ? s : "");
		return false;
	}
	if (fy_node_get_style(n) == FYNS_DOUBLE_QUOTED &&
	    (!a || !b || a->input_pos > b->input_pos || b->input_pos > c->len ||
	     escapes_nul(c->text + a->input_pos,
			 b->input_pos - a->input_pos))) {
		err_node(c, n, "text must not hold a NUL character");
		return false;
	}
	if (fy_node_get_style(n) == FYNS_SINGLE_QUOTED &&
	    (!a || !b || a->input_pos > b->input_pos || b->input_pos > c->len ||
	     quote_run(c->text + a->input_pos,
		       b->input_pos - a->input_pos))) {
		err_node(c, n, "two escaped quotes in a row ('''') in a "
			 "single-quoted text are not read reliably: write "
			 "this text in double quotes");
		return false;
	}
	if (!(s = pp_scalar(c, n, &len)))
		return false;
	if (utf8_bad(s, len) != len) {
		err_node(c, n, "text is not valid UTF-8 (an escape such as "
			 "\\ud800 makes no character)");
		return false;
	}
	return true;
}
