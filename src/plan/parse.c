/*
 * parse.c - plan files: YAML to canonical JSON, with every problem
 * reported as file:line:column.
 *
 * Two passes. The first walks the YAML tree (libfyaml) against the schema
 * tables below: unknown fields, missing fields and wrong types, while it
 * builds the JSON and remembers where each JSON value came from. The
 * second checks meaning over the JSON (duplicate keys, references to
 * groups and categories, ranks 1..N, the reporting chain's order) and
 * finds positions in that record. Nothing is kept unless both pass.
 */
#include "plan/plan.h"

#include <libfyaml.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/xalloc.h"

enum ft {
	FT_KEY,		/* a key: [a-z][a-z0-9_-]{0,63} */
	FT_REF,		/* a key naming something else, or "*" */
	FT_REFS,	/* a list of keys */
	FT_TEXT,	/* T: a string or {zh-CN, en} */
	FT_TEXTS,	/* a list of T */
	FT_INT,
	FT_ENUM,
	FT_CONST,	/* a string that must equal enums[0] */
	FT_CODE,	/* a GB/T 20986-2023 class code */
	FT_OBJ,
	FT_LIST,	/* a list of sub */
};

struct schema;

struct field {
	const char *name;
	enum ft t;
	bool req;
	const struct schema *sub;
	const char *const *enums;
	long min, max;
};

struct schema {
	const char *what;
	const struct field *f;
	size_t n;
};

#define SCHEMA(name, what) \
	static const struct schema name##_s = { what, name##_f, \
		sizeof(name##_f) / sizeof(name##_f[0]) }

static const char *const kinds[] = { "leadership", "command", "team", NULL };
static const char *const national[] = { "I", "II", "III", "IV", NULL };
static const char *const colors[] = { "red", "orange", "yellow", "blue",
				      NULL };
static const char *const whos[] = { "on_duty", "all", "leads", NULL };
static const char *const drill_kinds[] = { "any", "tabletop", "live", NULL };
static const char *const format[] = { "erms-plan/1", NULL };

static const struct field group_f[] = {
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "name", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "kind", FT_ENUM, true, NULL, kinds, 0, 0 },
	{ "lead_title", FT_TEXT, false, NULL, NULL, 0, 0 },
	{ "deputy_title", FT_TEXT, false, NULL, NULL, 0, 0 },
	{ "duties", FT_TEXTS, false, NULL, NULL, 0, 0 },
};
SCHEMA(group, "group");

static const struct field category_f[] = {
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "name", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "team", FT_REF, true, NULL, NULL, 0, 0 },
	{ "parent", FT_REF, false, NULL, NULL, 0, 0 },
	{ "class", FT_CODE, false, NULL, NULL, 0, 0 },
	{ "description", FT_TEXT, false, NULL, NULL, 0, 0 },
};
SCHEMA(category, "category");

static const struct field targets_f[] = {
	{ "ack_min", FT_INT, true, NULL, NULL, 1, 525600 },
	{ "activate_min", FT_INT, true, NULL, NULL, 1, 525600 },
	{ "resolve_min", FT_INT, true, NULL, NULL, 1, 525600 },
};
SCHEMA(targets, "targets");

static const struct field measure_f[] = {
	{ "title", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "group", FT_REF, true, NULL, NULL, 0, 0 },
};
SCHEMA(measure, "measure");

static const struct field level_f[] = {
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "name", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "rank", FT_INT, true, NULL, NULL, 1, 100 },
	{ "national_level", FT_ENUM, false, NULL, national, 0, 0 },
	{ "color", FT_ENUM, false, NULL, colors, 0, 0 },
	{ "criteria", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "targets", FT_OBJ, true, &targets_s, NULL, 0, 0 },
	{ "measures", FT_LIST, false, &measure_s, NULL, 0, 0 },
	{ "notify", FT_REFS, false, NULL, NULL, 0, 0 },
};
SCHEMA(level, "level");

static const struct field tier_f[] = {
	{ "notify", FT_REFS, true, NULL, NULL, 0, 0 },
	{ "who", FT_ENUM, false, NULL, whos, 0, 0 },
	{ "after_min", FT_INT, true, NULL, NULL, 0, 525600 },
};
SCHEMA(tier, "escalation tier");

static const struct field drill_f[] = {
	{ "category", FT_REF, true, NULL, NULL, 0, 0 },
	{ "per_year", FT_INT, true, NULL, NULL, 1, 365 },
	{ "kind", FT_ENUM, false, NULL, drill_kinds, 0, 0 },
};
SCHEMA(drill, "drill requirement");

static const struct field section_f[] = {
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "title", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "body", FT_TEXT, true, NULL, NULL, 0, 0 },
};
SCHEMA(section, "section");

static const struct field plan_f[] = {
	{ "format", FT_CONST, true, NULL, format, 0, 0 },
	{ "key", FT_KEY, true, NULL, NULL, 0, 0 },
	{ "name", FT_TEXT, true, NULL, NULL, 0, 0 },
	{ "summary", FT_TEXT, false, NULL, NULL, 0, 0 },
	{ "scope", FT_TEXT, false, NULL, NULL, 0, 0 },
	{ "basis", FT_TEXTS, false, NULL, NULL, 0, 0 },
	{ "owner", FT_REF, false, NULL, NULL, 0, 0 },
	{ "review_months", FT_INT, false, NULL, NULL, 1, 60 },
	{ "cooling_off_h", FT_INT, false, NULL, NULL, 0, 720 },
	{ "groups", FT_LIST, true, &group_s, NULL, 0, 0 },
	{ "categories", FT_LIST, true, &category_s, NULL, 0, 0 },
	{ "levels", FT_LIST, true, &level_s, NULL, 0, 0 },
	{ "escalation", FT_LIST, true, &tier_s, NULL, 0, 0 },
	{ "drills", FT_LIST, false, &drill_s, NULL, 0, 0 },
	{ "sections", FT_LIST, false, &section_s, NULL, 0, 0 },
};
SCHEMA(plan, "plan");

struct pos {
	const json_t *j;
	int line, col;
};

struct ctx {
	const char *file;
	json_t *errors;
	struct pos *pos;
	size_t npos, cap;
	const char *text;	/* the file, for the raw text of scalars */
	size_t len;
	struct fy_document *fyd;
	size_t values;		/* nodes seen by shape() */
	json_t *gidx, *cidx;	/* groups and categories by key: index_of() */
	struct text *texts;	/* what scalar() assembled, freed at the end */
};

struct text {
	struct text *next;
	char s[];
};

static size_t utf8_char(const unsigned char *s, size_t n);

/* Bytes that are not UTF-8 (a name libfyaml cut in the middle of a
 * character, a file name) become '?': a JSON string must be UTF-8, and
 * an error that cannot be written would be lost. */
static void scrub(char *s)
{
	size_t n = strlen(s), w;

	for (size_t i = 0; i < n; i += w)
		if (!(w = utf8_char((const unsigned char *)s + i, n - i)))
			s[i] = '?', w = 1;
}

static void err_at(struct ctx *c, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void err_at(struct ctx *c, int line, int col, const char *fmt, ...)
{
	char msg[256], text[512];
	va_list ap;

	if (json_array_size(c->errors) >= PLAN_ERRORS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	scrub(msg);
	snprintf(text, sizeof(text), "%s:%d:%d: %s", c->file, line, col, msg);
	scrub(text);
	json_array_append_new(c->errors,
			      json_pack("{s:i, s:i, s:s, s:s}", "line", line,
					"column", col, "message", msg, "text",
					text));
}

/* For an empty collection: the key it is the value of, else NULL. */
static struct fy_node *key_of(struct fy_node *n)
{
	struct fy_node *parent = fy_node_get_parent(n);
	struct fy_node_pair *p;
	void *it = NULL;

	if (!parent || fy_node_get_type(parent) != FYNT_MAPPING)
		return NULL;
	while ((p = fy_node_mapping_iterate(parent, &it)))
		if (fy_node_pair_value(p) == n)
			return fy_node_pair_key(p);
	return NULL;
}

/*
 * Where node n starts. libfyaml 0.7 marks tokens, not nodes, so a
 * collection is placed at its first scalar (a mapping's first key), and
 * an empty one at the key it belongs to.
 */
static void node_pos(struct fy_node *n, int *line, int *col)
{
	const struct fy_mark *m = NULL;
	void *it = NULL;

	while (n && fy_node_get_type(n) != FYNT_SCALAR) {
		struct fy_node *first;

		if (fy_node_get_type(n) == FYNT_MAPPING) {
			struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);

			first = p ? fy_node_pair_key(p) : NULL;
		} else {
			first = fy_node_sequence_iterate(n, &it);
		}
		n = first ? first : key_of(n);
		it = NULL;
	}
	if (n && fy_node_get_scalar_token(n))
		m = fy_token_start_mark(fy_node_get_scalar_token(n));
	*line = m ? m->line + 1 : 1;
	*col = m ? m->column + 1 : 1;
}

#define err_node(c, n, ...) do { int l_, c_; \
	if (json_array_size((c)->errors) >= PLAN_ERRORS_MAX) break; \
	node_pos((n), &l_, &c_); err_at((c), l_, c_, __VA_ARGS__); } while (0)

/* Remember where j came from; returns j. */
static json_t *at(struct ctx *c, struct fy_node *n, json_t *j)
{
	if (!j)
		return NULL;
	if (c->npos == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->pos = xrealloc(c->pos, c->cap * sizeof(*c->pos));
	}
	c->pos[c->npos].j = j;
	node_pos(n, &c->pos[c->npos].line, &c->pos[c->npos].col);
	c->npos++;
	return j;
}

static void err_json(struct ctx *c, const json_t *j, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error at the place the JSON value j was read from. */
static void err_json(struct ctx *c, const json_t *j, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int line = 1, col = 1;

	if (json_array_size(c->errors) >= PLAN_ERRORS_MAX)
		return;
	for (size_t i = 0; i < c->npos; i++)
		if (c->pos[i].j == j) {
			line = c->pos[i].line;
			col = c->pos[i].col;
			break;
		}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_at(c, line, col, "%s", msg);
}

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
static const char *scalar(struct ctx *c, struct fy_node *n, size_t *len)
{
	if (!n || fy_node_get_type(n) != FYNT_SCALAR)
		return NULL;
	return token_text(c, fy_node_get_scalar_token(n), len);
}

static bool is_plain(struct fy_node *n)
{
	return fy_node_get_style(n) == FYNS_PLAIN;
}

static bool key_ok(const char *s, size_t n)
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

static bool code_ok(const char *s, size_t n)
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
 * The length of the valid UTF-8 sequence at s (at most n bytes), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF.
 */
static size_t utf8_char(const unsigned char *s, size_t n)
{
	size_t w;
	unsigned cp, min;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		w = 2, cp = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		w = 3, cp = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		w = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < w)
		return 0;
	for (size_t i = 1; i < w; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return w;
}

/* The offset of the first byte of s that is not valid UTF-8 or is a NUL,
 * or n when there is none. */
static size_t utf8_bad(const char *s, size_t n)
{
	size_t i = 0, w;

	while (i < n) {
		if (!s[i] || !(w = utf8_char((const unsigned char *)s + i,
					      n - i)))
			return i;
		i += w;
	}
	return n;
}

/*
 * Before libfyaml sees the bytes: a size limit, UTF-8 only and no NUL.
 * libfyaml 0.7.12 loops forever on some invalid UTF-8 (a directive
 * followed by a lone lead byte: "%\xe1"), so this check is what keeps
 * a bad file from holding a thread.
 */
static bool bytes_ok(struct ctx *c, const char *text, size_t len)
{
	size_t bad, line = 1, col = 1;

	if (len > PLAN_FILE_MAX) {
		err_at(c, 1, 1, "the file is larger than %d bytes",
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
		err_at(c, (int)line, (int)col, "the file is not valid UTF-8 "
		       "(byte 0x%02x)", (unsigned char)text[bad]);
	else
		err_at(c, (int)line, (int)col, "the file holds a NUL character");
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
static bool scalar_ok(struct ctx *c, struct fy_node *n)
{
	struct fy_token *t = fy_node_get_scalar_token(n);
	const struct fy_mark *a = t ? fy_token_start_mark(t) : NULL;
	const struct fy_mark *b = t ? fy_token_end_mark(t) : NULL;
	const char *s;
	size_t len;

	if (fy_node_get_style(n) == FYNS_ALIAS) {
		s = scalar(c, n, &len);
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
	if (!(s = scalar(c, n, &len)))
		return false;
	if (utf8_bad(s, len) != len) {
		err_node(c, n, "text is not valid UTF-8 (an escape such as "
			 "\\ud800 makes no character)");
		return false;
	}
	return true;
}

static bool shape(struct ctx *c, struct fy_node *n);

/*
 * A mapping's keys are each checked, and each name is seen once: the
 * names go into a hash (a jansson object), so a mapping of N keys costs
 * N look-ups, not libfyaml's N * N comparisons (which its
 * FYPCF_ALLOW_DUPLICATE_KEYS turns off).
 */
static bool mapping_ok(struct ctx *c, struct fy_node *n)
{
	json_t *seen = json_object();
	struct fy_node_pair *p;
	void *it = NULL;
	bool ok = true;

	while (ok && (p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *s;
		size_t len;
		json_t *first;
		int line, col;

		ok = shape(c, k) && shape(c, fy_node_pair_value(p));
		if (!ok || !(s = scalar(c, k, &len)))
			continue;
		node_pos(k, &line, &col);
		first = json_object_getn(seen, s, len);
		if (first) {
			err_at(c, line, col, "'%.64s' is given twice (first "
			       "on line %d)", s, (int)json_integer_value(first));
			ok = false;
		} else {
			json_object_setn_new(seen, s, len, json_integer(line));
		}
	}
	json_decref(seen);
	return ok;
}

/*
 * First look at the whole tree, before any meaning: at most
 * PLAN_VALUES_MAX nodes, no aliases (anchored or not), no duplicate keys,
 * scalars safe to copy. Linear in the file; false after the first
 * problem, reported.
 */
static bool shape(struct ctx *c, struct fy_node *n)
{
	struct fy_node *item;
	void *it = NULL;

	if (!n)
		return true;
	if (++c->values > PLAN_VALUES_MAX) {
		err_node(c, n, "the file holds more than %d values",
			 PLAN_VALUES_MAX);
		return false;
	}
	switch (fy_node_get_type(n)) {
	case FYNT_SCALAR:
		return scalar_ok(c, n);
	case FYNT_MAPPING:
		return mapping_ok(c, n);
	case FYNT_SEQUENCE:
		while ((item = fy_node_sequence_iterate(n, &it)))
			if (!shape(c, item))
				return false;
		return true;
	}
	return false;
}

static json_t *convert(struct ctx *c, struct fy_node *n,
		       const struct field *f);

/*
 * Anchors and aliases are refused: a plan is read by people, and aliases
 * are how "billion laughs" documents blow up a parser's memory.
 */
static bool alias(struct ctx *c, struct fy_node *n)
{
	if (!n || fy_node_get_style(n) != FYNS_ALIAS)
		return false;
	err_node(c, n, "aliases (*name) are not supported in plan files");
	return true;
}

static json_t *text_of(struct ctx *c, struct fy_node *n, const char *name)
{
	const char *s;
	size_t len;

	if (alias(c, n))
		return NULL;
	if ((s = scalar(c, n, &len))) {
		if (is_plain(n) && (!len || !strcmp(s, "~") ||
				    !strcmp(s, "null"))) {
			err_node(c, n, "'%s' must not be empty", name);
			return NULL;
		}
		return at(c, n, json_stringn(s, len));
	}
	if (n && fy_node_get_type(n) == FYNT_MAPPING) {
		json_t *o = json_object();
		struct fy_node_pair *p;
		void *it = NULL;

		while ((p = fy_node_mapping_iterate(n, &it))) {
			struct fy_node *k = fy_node_pair_key(p);
			struct fy_node *v = fy_node_pair_value(p);
			const char *ks = scalar(c, k, &len), *vs;
			size_t vl;
			char lang[8];

			if (!ks || (strcmp(ks, "zh-CN") && strcmp(ks, "en"))) {
				err_node(c, k, "'%s' takes only the languages "
					 "zh-CN and en", name);
				json_decref(o);
				return NULL;
			}
			if (!(vs = scalar(c, v, &vl))) {
				err_node(c, v, "'%s' in %.*s must be text",
					 name, (int)len, ks);
				json_decref(o);
				return NULL;
			}
			snprintf(lang, sizeof(lang), "%.*s", (int)len, ks);
			json_object_set_new(o, lang, json_stringn(vs, vl));
		}
		if (!json_object_size(o)) {
			err_node(c, n, "'%s' needs zh-CN or en text", name);
			json_decref(o);
			return NULL;
		}
		return at(c, n, o);
	}
	err_node(c, n, "'%s' must be text, or {zh-CN: ..., en: ...}", name);
	return NULL;
}

/*
 * A mapping against schema s. Problems are reported and the faulty field
 * left out, but the object is kept, so that the second pass can still
 * find the other problems of the file; only a non-mapping gives NULL.
 */
static json_t *object_of(struct ctx *c, struct fy_node *n,
			 const struct schema *s)
{
	json_t *o;
	struct fy_node_pair *p;
	void *it = NULL;
	bool seen[32] = { false };

	if (alias(c, n))
		return NULL;
	if (!n || fy_node_get_type(n) != FYNT_MAPPING) {
		err_node(c, n, "a %s must be a mapping of fields", s->what);
		return NULL;
	}
	o = at(c, n, json_object());
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *ks;
		size_t len, i;
		json_t *v;
		char *name;

		if (!(ks = scalar(c, k, &len))) {
			err_node(c, k, "field names must be text");
			continue;
		}
		for (i = 0; i < s->n; i++)
			if (strlen(s->f[i].name) == len &&
			    !strncmp(s->f[i].name, ks, len))
				break;
		if (i == s->n) {
			err_node(c, k, "unknown field '%.*s' in %s", (int)len,
				 ks, s->what);
			continue;
		}
		seen[i] = true;
		v = convert(c, fy_node_pair_value(p), &s->f[i]);
		if (!v)
			continue;
		name = xstrndup(ks, len);
		json_object_set_new(o, name, v);
		free(name);
	}
	for (size_t i = 0; i < s->n; i++)
		if (s->f[i].req && !seen[i])
			err_node(c, n, "%s is missing field '%s'", s->what,
				 s->f[i].name);
	return o;
}

static json_t *list_of(struct ctx *c, struct fy_node *n,
		       const struct field *f)
{
	json_t *a;
	struct fy_node *item;
	void *it = NULL;

	if (!n || fy_node_get_type(n) != FYNT_SEQUENCE) {
		err_node(c, n, "'%s' must be a list", f->name);
		return NULL;
	}
	a = at(c, n, json_array());
	while ((item = fy_node_sequence_iterate(n, &it))) {
		json_t *v;


		if (f->t == FT_LIST)
			v = object_of(c, item, f->sub);
		else if (f->t == FT_TEXTS)
			v = text_of(c, item, f->name);
		else
			v = convert(c, item, &(struct field){ .name = f->name,
							  .t = FT_REF });
		if (v)
			json_array_append_new(a, v);
	}
	return a;
}

static json_t *convert(struct ctx *c, struct fy_node *n,
		       const struct field *f)
{
	const char *s;
	size_t len;

	if (alias(c, n))
		return NULL;
	switch (f->t) {
	case FT_TEXT:
		return text_of(c, n, f->name);
	case FT_OBJ:
		return object_of(c, n, f->sub);
	case FT_LIST:
	case FT_TEXTS:
	case FT_REFS:
		return list_of(c, n, f);
	default:
		break;
	}
	if (!(s = scalar(c, n, &len))) {
		err_node(c, n, "'%s' must be a single value", f->name);
		return NULL;
	}
	switch (f->t) {
	case FT_INT: {
		char buf[32], *end;
		long v;

		if (!is_plain(n) || !len || len >= sizeof(buf))
			goto not_int;
		memcpy(buf, s, len);
		buf[len] = '\0';
		v = strtol(buf, &end, 10);
		if (*end)
			goto not_int;
		if (v < f->min || v > f->max) {
			err_node(c, n, "'%s' must be from %ld to %ld, not %ld",
				 f->name, f->min, f->max, v);
			return NULL;
		}
		return at(c, n, json_integer(v));
	not_int:
		err_node(c, n, "'%s' must be a whole number", f->name);
		return NULL;
	}
	case FT_KEY:
	case FT_REF:
		if (f->t == FT_REF && len == 1 && s[0] == '*')
			return at(c, n, json_string("*"));
		if (!key_ok(s, len)) {
			err_node(c, n, "'%.*s' is not a valid key for '%s' "
				 "(a-z, 0-9, '_', '-', starting with a letter)",
				 (int)(len > 64 ? 64 : len), s, f->name);
			return NULL;
		}
		return at(c, n, json_stringn(s, len));
	case FT_ENUM:
	case FT_CONST:
		for (int i = 0; f->enums[i]; i++)
			if (strlen(f->enums[i]) == len &&
			    !strncmp(f->enums[i], s, len))
				return at(c, n, json_stringn(s, len));
		if (f->t == FT_CONST) {
			err_node(c, n, "'%s' must be '%s'", f->name,
				 f->enums[0]);
		} else {
			char all[96];
			size_t used = 0;

			for (int i = 0; f->enums[i] && used < sizeof(all); i++)
				used += (size_t)snprintf(all + used,
							 sizeof(all) - used,
							 "%s%s", i ? ", " : "",
							 f->enums[i]);
			err_node(c, n, "'%s' must be one of %s", f->name, all);
		}
		return NULL;
	case FT_CODE:
		if (!code_ok(s, len)) {
			err_node(c, n, "'%.*s' is not a GB/T 20986-2023 class "
				 "code (e.g. DE or DE/DETECH)",
				 (int)(len > 32 ? 32 : len), s);
			return NULL;
		}
		return at(c, n, json_stringn(s, len));
	default:
		return NULL;
	}
}

/* Second pass: meaning. Fields the first pass rejected are absent. */

/* The string field `key` of o, or "" when absent. */
static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* The items of list by key: a new object mapping each key to its first
 * item (borrowed), so that references are looked up in constant time. */
static json_t *index_of(const json_t *list)
{
	json_t *idx = json_object(), *v;
	size_t i;

	json_array_foreach(list, i, v) {
		const char *k = json_string_value(json_object_get(v, "key"));

		if (k && !json_object_get(idx, k))
			json_object_set_new(idx, k, json_integer((json_int_t)i));
	}
	return idx;
}

/* The item of list with key, by list's index_of() idx; NULL if none. */
static json_t *find_key(const json_t *list, const json_t *idx,
			const char *key)
{
	json_t *i = json_object_get(idx, key);

	return i ? json_array_get(list, (size_t)json_integer_value(i)) : NULL;
}

/* Report every item whose key appeared before it. */
static void unique_keys(struct ctx *c, const json_t *list, const char *what)
{
	json_t *seen = json_object(), *v;
	size_t i;

	json_array_foreach(list, i, v) {
		json_t *k = json_object_get(v, "key");

		if (!json_is_string(k))
			continue;
		if (json_object_get(seen, json_string_value(k)))
			err_json(c, k, "duplicate %s key '%s'", what,
				 json_string_value(k));
		else
			json_object_set_new(seen, json_string_value(k),
					    json_true());
	}
	json_decref(seen);
}

/* ref must name a group (of kind `kind`, when not NULL). */
static void group_ref(struct ctx *c, const json_t *groups, const json_t *ref,
		      const char *kind, const char *where)
{
	const char *k = json_string_value(ref);
	json_t *g;

	if (!k)
		return;
	g = find_key(groups, c->gidx, k);
	if (!g)
		err_json(c, ref, "%s names unknown group '%s'", where, k);
	else if (kind && *str(g, "kind") && strcmp(str(g, "kind"), kind))
		err_json(c, ref, "%s names group '%s', which is not a %s",
			 where, k, kind);
}

static void group_refs(struct ctx *c, const json_t *groups, const json_t *refs,
		       const char *where)
{
	size_t i;
	json_t *r;

	json_array_foreach(refs, i, r)
		group_ref(c, groups, r, NULL, where);
}

static void check_groups(struct ctx *c, const json_t *plan)
{
	json_t *groups = json_object_get(plan, "groups"), *g;
	int lead = 0, cmd = 0;
	size_t i;

	unique_keys(c, groups, "group");
	json_array_foreach(groups, i, g) {
		const char *k = str(g, "kind");

		lead += !strcmp(k, "leadership");
		cmd += !strcmp(k, "command");
	}
	if (lead != 1 || cmd != 1)
		err_json(c, groups, "the plan needs exactly one group of kind "
			 "leadership and one of kind command (found %d and %d)",
			 lead, cmd);
	if (json_object_get(plan, "owner"))
		group_ref(c, groups, json_object_get(plan, "owner"), NULL,
			  "owner");
}

static void check_categories(struct ctx *c, const json_t *plan)
{
	json_t *groups = json_object_get(plan, "groups");
	json_t *cats = json_object_get(plan, "categories"), *cat;
	size_t i;

	unique_keys(c, cats, "category");
	json_array_foreach(cats, i, cat) {
		json_t *team = json_object_get(cat, "team");
		json_t *parent = json_object_get(cat, "parent");
		char where[96];
		json_t *pi;
		bool before;

		snprintf(where, sizeof(where), "category '%s'", str(cat, "key"));
		if (!strcmp(str(cat, "team"), "*"))
			err_json(c, team, "%s needs a team, not '*'", where);
		else
			group_ref(c, groups, team, "team", where);
		if (!parent)
			continue;
		pi = json_object_get(c->cidx, str(cat, "parent"));
		before = pi && (size_t)json_integer_value(pi) < i;
		if (!before)
			err_json(c, parent, "%s: parent '%s' must be a category "
				 "listed before it", where,
				 json_string_value(parent));
	}
}

static bool targets_out_of_order(const json_t *lv)
{
	json_t *t = json_object_get(lv, "targets");
	json_t *ack = json_object_get(t, "ack_min");
	json_t *act = json_object_get(t, "activate_min");

	return ack && act && json_integer_value(act) < json_integer_value(ack);
}

static void check_levels(struct ctx *c, const json_t *plan)
{
	json_t *groups = json_object_get(plan, "groups");
	json_t *levels = json_object_get(plan, "levels"), *lv;
	size_t i, n = json_array_size(levels);
	char *seen = xcalloc(n + 1, 1);

	unique_keys(c, levels, "level");
	json_array_foreach(levels, i, lv) {
		json_t *rank = json_object_get(lv, "rank");
		json_int_t r = json_integer_value(rank);
		json_t *m;
		size_t j;
		char where[96];

		snprintf(where, sizeof(where), "level '%s'", str(lv, "key"));
		if (!rank)
			continue;
		if (r < 1 || (size_t)r > n)
			err_json(c, rank, "%s: ranks must run from 1 to %zu "
				 "(1 the most severe), not %lld", where, n,
				 (long long)r);
		else if (seen[r]++)
			err_json(c, rank, "%s: rank %lld is used twice", where,
				 (long long)r);
		if (targets_out_of_order(lv))
			err_json(c, json_object_get(json_object_get(lv, "targets"),
						    "activate_min"),
				 "%s: activate_min must not be less than ack_min "
				 "(both count from the report)", where);
		json_array_foreach(json_object_get(lv, "measures"), j, m)
			group_ref(c, groups, json_object_get(m, "group"), NULL,
				  where);
		group_refs(c, groups, json_object_get(lv, "notify"), where);
	}
	free(seen);
}

static void check_escalation(struct ctx *c, const json_t *plan)
{
	json_t *groups = json_object_get(plan, "groups");
	json_t *tiers = json_object_get(plan, "escalation"), *t;
	json_int_t prev = 0;
	size_t i;

	json_array_foreach(tiers, i, t) {
		json_t *after = json_object_get(t, "after_min");
		json_int_t a = json_integer_value(after);

		group_refs(c, groups, json_object_get(t, "notify"),
			   "escalation");
		if (json_object_get(t, "notify") &&
		    !json_array_size(json_object_get(t, "notify")))
			err_json(c, json_object_get(t, "notify"),
				 "an escalation tier must notify some group");
		if (!after)
			continue;
		if (i == 0 && a != 0)
			err_json(c, after, "the first escalation tier is told "
				 "at once: after_min must be 0");
		else if (a < prev)
			err_json(c, after, "after_min must not decrease down "
				 "the reporting chain (%lld after %lld)",
				 (long long)a, (long long)prev);
		prev = a;
	}
}

static void check_drills(struct ctx *c, const json_t *plan)
{
	json_t *cats = json_object_get(plan, "categories");
	json_t *d;
	size_t i;

	unique_keys(c, json_object_get(plan, "sections"), "section");
	json_array_foreach(json_object_get(plan, "drills"), i, d) {
		json_t *cat = json_object_get(d, "category");
		const char *k = str(d, "category");

		if (cat && strcmp(k, "*") && !find_key(cats, c->cidx, k))
			err_json(c, cat, "drill requirement names unknown "
				 "category '%s'", k);
	}
}

static void yaml_errors(struct ctx *c, struct fy_diag *diag, const char *text,
			size_t len)
{
	struct fy_diag_error *e;
	void *it = NULL;
	bool any = false;

	while ((e = fy_diag_errors_iterate(diag, &it))) {
		err_at(c, e->line + 1, e->column + 1, "%s", e->msg);
		any = true;
	}
	if (any)
		return;
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i])) {
			err_at(c, 1, 1, "not a YAML document");
			return;
		}
	err_at(c, 1, 1, "the file is empty");
}

/*
 * The one document of the file, or NULL (reported). A second document
 * ("---" again) is refused rather than ignored. libfyaml's own check for
 * duplicate keys is off (it compares every key with every other); shape()
 * does it in linear time.
 */
static struct fy_document *load(struct ctx *c, struct fy_diag *diag,
				const char *text, size_t len)
{
	struct fy_parse_cfg pcfg = { .flags = FYPCF_QUIET |
					      FYPCF_ALLOW_DUPLICATE_KEYS,
				     .diag = diag };
	struct fy_parser *fyp = fy_parser_create(&pcfg);
	struct fy_document *fyd = NULL, *next = NULL;

	if (!fyp || fy_parser_set_string(fyp, len ? text : "", len)) {
		err_at(c, 1, 1, "the file cannot be read as YAML");
		goto out;
	}
	fyd = fy_parse_load_document(fyp);
	if (fyd && !fy_parser_get_stream_error(fyp))
		next = fy_parse_load_document(fyp);
	if (!fyd || fy_parser_get_stream_error(fyp)) {
		yaml_errors(c, diag, text, len);
		fy_document_destroy(fyd);
		fyd = NULL;
	} else if (next) {
		err_node(c, fy_document_root(next), "a plan file holds one "
			 "YAML document, not several ('---' again)");
		fy_document_destroy(fyd);
		fyd = NULL;
	}
out:
	fy_document_destroy(next);
	fy_parser_destroy(fyp);
	return fyd;
}

int plan_parse(const char *file, const char *text, size_t len,
	       json_t **content, json_t *errors)
{
	struct ctx c = { .file = file, .errors = errors, .text = text,
			 .len = len };
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;
	json_t *plan = NULL;
	size_t before = json_array_size(errors);

	*content = NULL;
	if (!bytes_ok(&c, text, len))
		return ERMS_EINVAL;
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.colorize = false;
	diag = fy_diag_create(&dcfg);
	if (!diag)
		return ERMS_EINVAL;
	fy_diag_set_collect_errors(diag, true);
	c.fyd = load(&c, diag, text, len);
	if (c.fyd && !fy_document_root(c.fyd))
		err_at(&c, 1, 1, "the file is empty");
	else if (c.fyd && shape(&c, fy_document_root(c.fyd)))
		plan = object_of(&c, fy_document_root(c.fyd), &plan_s);
	if (plan) {
		c.gidx = index_of(json_object_get(plan, "groups"));
		c.cidx = index_of(json_object_get(plan, "categories"));
		check_groups(&c, plan);
		check_categories(&c, plan);
		check_levels(&c, plan);
		check_escalation(&c, plan);
		check_drills(&c, plan);
	}
	json_decref(c.gidx);
	json_decref(c.cidx);
	fy_document_destroy(c.fyd);
	fy_diag_destroy(diag);
	free(c.pos);
	while (c.texts) {
		struct text *next = c.texts->next;

		free(c.texts);
		c.texts = next;
	}
	if (json_array_size(errors) > before || !plan) {
		/* Whatever refused it, the refusal says so. */
		if (json_array_size(errors) == before)
			err_at(&c, 1, 1, "the file cannot be read as a plan");
		json_decref(plan);
		return ERMS_EINVAL;
	}
	*content = plan;
	return 0;
}
